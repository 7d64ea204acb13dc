// Writes the Parquet test files from flows.log.gz (a VPC flow log in
// text, 4,200 records) with DuckDB, a writer independent of dnshunt:
// the same records in AWS's Parquet schema (underscored names, INT32 and
// INT64 columns, NULL for "-"), three row groups (2,048, 2,048 and 104
// rows), with every codec and page form dnshunt reads, and one it refuses.
// usage: npm ci && node make.mjs   (in tests/parquet; see README.md)
import { DuckDBInstance } from '@duckdb/node-api';

const here = new URL('.', import.meta.url).pathname;
const db = await DuckDBInstance.create(':memory:');
const c = await db.connect();

const int = (f, t) => `TRY_CAST(NULLIF("${f}", '-') AS ${t}) AS ${f.replaceAll('-', '_')}`;
const str = f => `NULLIF("${f}", '-') AS ${f.replaceAll('-', '_')}`;
await c.run(`CREATE TABLE flows AS SELECT
    ${int('version', 'INTEGER')}, ${str('account-id')}, ${str('interface-id')},
    ${str('srcaddr')}, ${str('dstaddr')}, ${int('srcport', 'INTEGER')},
    ${int('dstport', 'INTEGER')}, ${int('protocol', 'INTEGER')},
    ${int('packets', 'BIGINT')}, ${int('bytes', 'BIGINT')},
    ${int('start', 'BIGINT')}, ${int('end', 'BIGINT')}, ${str('action')},
    ${str('log-status')}, ${str('vpc-id')}, ${str('subnet-id')},
    ${str('instance-id')}, ${int('tcp-flags', 'INTEGER')}, ${str('type')},
    ${str('pkt-srcaddr')}, ${str('pkt-dstaddr')}, ${str('region')},
    ${str('az-id')}, ${str('flow-direction')},
    ${int('traffic-path', 'INTEGER')}
  FROM read_csv('${here}flows.log.gz', delim = ' ', header = true,
                all_varchar = true, nullstr = '')`);

const files = {
    'gzip-v1': "COMPRESSION gzip",
    'snappy-plain': "COMPRESSION snappy, DICTIONARY_SIZE_LIMIT 0",
    'zstd-v2': "COMPRESSION zstd, PARQUET_VERSION v2",
    // over 256 KiB, the most dnshunt reads to tell a file's format
    'none-plain': "COMPRESSION uncompressed, DICTIONARY_SIZE_LIMIT 0",
};
for (const [name, opts] of Object.entries(files))
    await c.run(`COPY flows TO '${here}${name}.parquet'
                 (FORMAT parquet, ROW_GROUP_SIZE 2048, ${opts})`);
// A codec dnshunt does not build in (LZ4_RAW): the first 300 rows.
await c.run(`COPY (SELECT * FROM flows LIMIT 300) TO '${here}lz4.parquet'
             (FORMAT parquet, COMPRESSION lz4)`);

// Uncompressed, with hyphenated names, an unknown column and no
// tcp_flags: the first 300 rows.
await c.run(`COPY (SELECT version, account_id AS "account-id",
                    interface_id AS "interface-id", srcaddr, dstaddr, srcport,
                    dstport, protocol, packets, bytes, start, "end", action,
                    log_status AS "log-status", 'x' AS note
                  FROM flows LIMIT 300)
             TO '${here}hyphens.parquet'
             (FORMAT parquet, COMPRESSION uncompressed)`);

for (const name of [...Object.keys(files), 'lz4', 'hyphens']) {
    const r = await c.runAndReadAll(`SELECT count(DISTINCT row_group_id),
        string_agg(DISTINCT encodings, ' '), string_agg(DISTINCT compression, ' ')
        FROM parquet_metadata('${here}${name}.parquet')`);
    console.log(name, r.getRows()[0].map(String).join(' | '));
}

// Edge cases, a few rows each.
const base = `2::INTEGER AS version, '123456789012' AS account_id,
    'eni-0a1' AS interface_id`;
const tail = `1714557600::BIGINT AS start, 1714557660::BIGINT AS "end",
    'ACCEPT' AS action, 'OK' AS log_status`;
// A capitalised name among exactly 14 columns: mapped by name, not place.
await c.run(`COPY (SELECT ${base}, '10.0.0.2' AS dstaddr,
                  '10.0.0.1' AS "Srcaddr", 53::INTEGER AS dstport,
                  1234::INTEGER AS srcport, 17::INTEGER AS protocol,
                  1::BIGINT AS packets, 80::BIGINT AS bytes, ${tail})
             TO '${here}edge-caps.parquet' (FORMAT parquet)`);
// Values that look like a header, a time prefix, a blank: rejected rows.
// A '-' stands for no value, as in a text line; a bare number for srcaddr
// is no address.
await c.run(`COPY (SELECT * FROM (VALUES
    ('eni-0a1', '10.0.0.1', '10.0.0.2', 1),
    ('eni-0a1', 'dstaddr', 'srcaddr', 2),
    ('2024-05-01T10:00:00Z', '10.0.0.1 10.0.0.66', '10.0.0.2', 3),
    ('eni-0a1', '10.0.0.3', '10.0.0.2', 4),
    ('-', '10.0.0.5', '10.0.0.2', 5),
    ('eni-0a1', '167772161', '10.0.0.2', 6))
    AS t(interface_id, srcaddr, dstaddr, packets))
    TO '${here}edge-values.parquet' (FORMAT parquet)`);
// Unsigned, FLOAT and DOUBLE columns, as v1 and as v2 (BYTE_STREAM_SPLIT).
for (const v of ['v1', 'v2'])
    await c.run(`COPY (SELECT * FROM (VALUES
        ('10.0.0.1', '10.0.0.2', 3000000000::UINTEGER, 53::USMALLINT,
         17::FLOAT, 12.0::DOUBLE, 3000000000::UBIGINT),
        ('10.0.0.1', '10.0.0.2', 1234::UINTEGER, 53::USMALLINT,
         17::FLOAT, 12.5::DOUBLE, 80::UBIGINT),
        ('10.0.0.1', '10.0.0.2', 1234::UINTEGER, 53::USMALLINT,
         6::FLOAT, 3.0::DOUBLE, 18446744073709551615::UBIGINT),
        ('10.0.0.1', '10.0.0.2', 1235::UINTEGER, 853::USMALLINT,
         6::FLOAT, 4.0::DOUBLE, 3000000000::UBIGINT))
        AS t(srcaddr, dstaddr, srcport, dstport, protocol, packets, bytes))
        TO '${here}edge-types-${v}.parquet'
        (FORMAT parquet, PARQUET_VERSION ${v})`);
// One flow field under two names.
await c.run(`COPY (SELECT '10.0.0.1' AS srcaddr, '10.0.0.2' AS dstaddr,
                  '10.0.0.1' AS pkt_srcaddr, '10.9.9.9' AS "pkt-srcaddr")
             TO '${here}edge-dup.parquet' (FORMAT parquet)`);
for (const name of ['edge-types-v2']) {
    const r = await c.runAndReadAll(`SELECT string_agg(DISTINCT encodings, ' ')
        FROM parquet_metadata('${here}${name}.parquet')`);
    console.log(name, r.getRows()[0].map(String).join(' | '));
}
