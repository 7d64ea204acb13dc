// SPDX-License-Identifier: MIT
//
// duckdb_load.mjs: reference point for the dnshunt benchmark. Loads a
// newline-delimited JSON file (gzip'd or not) into an in-memory DuckDB
// table with read_json and prints "ROWS SECONDS THREADS" on one line:
// the row count, the seconds the CREATE TABLE took, and DuckDB's thread
// setting. Usage: node duckdb_load.mjs NPM_PREFIX FILE
// NPM_PREFIX is where `npm install --prefix` put @duckdb/node-api.

import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const [prefix, file] = process.argv.slice(2);
if (!prefix || !file) {
    console.error('usage: node duckdb_load.mjs NPM_PREFIX FILE');
    process.exit(2);
}

const require = createRequire(join(prefix, 'package.json'));
const api = await import(pathToFileURL(require.resolve('@duckdb/node-api')));
const { DuckDBInstance } = api.default ?? api;

const instance = await DuckDBInstance.create(':memory:');
const con = await instance.connect();
const quoted = "'" + file.replaceAll("'", "''") + "'";

const t0 = process.hrtime.bigint();
await con.run('CREATE TABLE q AS SELECT * FROM read_json(' + quoted +
              ", format='newline_delimited')");
const t1 = process.hrtime.bigint();

const rows = (await con.runAndReadAll('SELECT count(*) FROM q'))
    .getRows()[0][0];
const threads = (await con.runAndReadAll(
    "SELECT current_setting('threads')")).getRows()[0][0];
const secs = Number(t1 - t0) / 1e9;
console.log(`${rows} ${secs.toFixed(3)} ${threads}`);
