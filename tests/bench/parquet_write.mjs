// SPDX-License-Identifier: MIT
//
// parquet_write.mjs: for the dnshunt benchmark, writes a flow log in
// text (gzip'd, with a header line) as Parquet in AWS's schema with
// DuckDB, so that importing the same rows from text and from Parquet can
// be timed side by side. Usage:
//   node parquet_write.mjs NPM_PREFIX IN.log.gz OUT.parquet CODEC
// CODEC is gzip, snappy or zstd; row groups of 122,880 rows (DuckDB's).

import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const [prefix, input, output, codec] = process.argv.slice(2);
if (!prefix || !input || !output || !codec) {
    console.error('usage: node parquet_write.mjs NPM_PREFIX IN OUT CODEC');
    process.exit(2);
}
const require = createRequire(join(prefix, 'package.json'));
const api = await import(pathToFileURL(require.resolve('@duckdb/node-api')));
const { DuckDBInstance } = api.default ?? api;
const db = await DuckDBInstance.create(':memory:');
const c = await db.connect();
const q = s => "'" + s.replaceAll("'", "''") + "'";
const ints = { version: 'INTEGER', srcport: 'INTEGER', dstport: 'INTEGER',
               protocol: 'INTEGER', packets: 'BIGINT', bytes: 'BIGINT',
               start: 'BIGINT', end: 'BIGINT', 'tcp-flags': 'INTEGER',
               'traffic-path': 'INTEGER' };
const head = await c.runAndReadAll(`SELECT * FROM read_csv(${q(input)},
    delim = ' ', header = true, all_varchar = true) LIMIT 0`);
const cols = head.columnNames().map(n => {
    const out = '"' + n.replaceAll('-', '_') + '"';
    return ints[n] ? `TRY_CAST(NULLIF("${n}", '-') AS ${ints[n]}) AS ${out}`
                   : `NULLIF("${n}", '-') AS ${out}`;
});
await c.run(`COPY (SELECT ${cols.join(', ')} FROM read_csv(${q(input)},
    delim = ' ', header = true, all_varchar = true))
    TO ${q(output)} (FORMAT parquet, COMPRESSION ${codec})`);
