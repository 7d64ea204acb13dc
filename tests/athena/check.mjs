// Parse every statement of a file with the Trino or Hive SQL grammar and
// print one line per statement with errors, then "N statements, N bad".
// usage: node --import ./register.mjs check.mjs trino|hive FILE
import { TrinoSQL, HiveSQL } from 'dt-sql-parser';
import { readFileSync } from 'node:fs';

const [dialect, file] = process.argv.slice(2);
const parser = dialect === 'trino' ? new TrinoSQL() : new HiveSQL();
const statements = readFileSync(file, 'utf8')
    .split(/;\s*\n/)
    .map(s => s.replace(/^\s*--.*$/mg, '').trim())
    .filter(s => s.length > 0);
let bad = 0;
for (const s of statements) {
    const errors = parser.validate(s);
    if (errors.length > 0) {
        bad++;
        const e = errors[0];
        console.log(`line ${e.startLine} of "${s.split('\n')[0]}": ` +
                    e.message);
    }
}
console.log(`${statements.length} statements, ${bad} bad`);
process.exit(bad ? 1 : 0);
