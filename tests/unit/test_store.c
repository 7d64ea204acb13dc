/* SPDX-License-Identifier: MIT
 *
 * The store (storage/db.c, storage/ingest.c) on a real SQLite file:
 * migrations, pragmas, values stored once, transactions per file.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "storage/db.h"
#include "storage/ingest.h"

static char dir[] = "/tmp/dnshunt-store.XXXXXX";
static char path[256];

static int
setup(void **state)
{
    (void)state;
    if (!mkdtemp(dir))
        return -1;
    snprintf(path, sizeof path, "%s/store.db", dir);
    return 0;
}

static int
teardown(void **state)
{
    char cmd[300];

    (void)state;
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    return system(cmd);
}

/* First column of the first row of sql, read with a separate handle. */
static long long
peek(const char *sql)
{
    sqlite3 *h;
    sqlite3_stmt *st;
    long long v = -1;

    assert_int_equal(sqlite3_open(path, &h), SQLITE_OK);
    assert_int_equal(sqlite3_prepare_v2(h, sql, -1, &st, NULL), SQLITE_OK);
    if (sqlite3_step(st) == SQLITE_ROW)
        v = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    sqlite3_close(h);
    return v;
}

static struct dns_query
query(const char *name, const char *addr)
{
    struct dns_query q = { 0 };

    q.ts_ms = 1714564800000LL;
    q.name.text = name;
    q.name.len = strlen(name);
    q.qtype = "TYPE65399";
    q.rcode = "NXDOMAIN";
    q.srcaddr = addr;
    q.srcport = 53;
    q.transport = 17;
    q.answers.text = "[[\"A\",\"192.0.2.1\"]]";
    q.answers.len = strlen(q.answers.text);
    q.n_answers = 1;
    return q;
}

static void
schema_and_pragmas(void **state)
{
    struct db *db;
    char err[256];

    (void)state;
    assert_int_equal(db_open(&db, path, err, sizeof err), DH_OK);
    db_close(db);
    assert_int_equal(peek("PRAGMA user_version"), DB_SCHEMA_VERSION);
    assert_int_equal(peek("SELECT journal_mode = 'wal' FROM "
                          "pragma_journal_mode"), 1);
    assert_int_equal(peek("SELECT code FROM dns_types WHERE name = 'TXT'"),
                     16);
    /* Opening again runs no migration twice. */
    assert_int_equal(db_open(&db, path, err, sizeof err), DH_OK);
    db_close(db);
}

static void
values_stored_once(void **state)
{
    struct db *db;
    struct ingest *in;
    struct import_info info = { .path = "t.log", .sha256 = "aa" };
    struct import_outcome out = { .format = "route53", .compression = "none",
                                  .status = "ok", .sha256 = "aa", .kept = 3 };
    struct dns_query q;
    char err[256];

    (void)state;
    assert_int_equal(db_open(&db, path, err, sizeof err), DH_OK);
    assert_int_equal(ingest_open(db, &in, err, sizeof err), DH_OK);
    assert_int_equal(ingest_begin(in, &info, err, sizeof err), DH_OK);
    q = query("Evil.Example.COM.", "10.0.0.1");
    assert_int_equal(ingest_query(in, &q, err, sizeof err), DH_OK);
    assert_int_equal(ingest_query(in, &q, err, sizeof err), DH_OK);
    q = query("evil.example.com", "10.0.0.2");
    q.qtype = "FOOBAR";
    q.rcode = "RCODE23";
    q.qclass = "WEIRD";
    q.transport = -1;
    assert_int_equal(ingest_query(in, &q, err, sizeof err), DH_OK);
    /* Values holding the old separator bytes are still told apart. */
    q = query("sep.example.com", "10.0.0.3");
    q.instance = "X\x1fY";
    q.vpc_id = "Z";
    assert_int_equal(ingest_query(in, &q, err, sizeof err), DH_OK);
    q.instance = "X";
    q.vpc_id = "Y\x1fZ";
    assert_int_equal(ingest_query(in, &q, err, sizeof err), DH_OK);
    q.instance = "\x1e";
    q.vpc_id = NULL;
    assert_int_equal(ingest_query(in, &q, err, sizeof err), DH_OK);
    q.instance = NULL;
    assert_int_equal(ingest_query(in, &q, err, sizeof err), DH_OK);
    assert_int_equal(ingest_finish(in, &out, err, sizeof err), DH_OK);
    ingest_close(in);
    db_close(db);
    assert_int_equal(peek("SELECT count(*) FROM origins WHERE "
                          "srcaddr = '10.0.0.3'"), 4);
    assert_int_equal(peek("SELECT count(*) FROM queries"), 7);
    assert_int_equal(peek("SELECT count(*) FROM names"), 3);
    assert_int_equal(peek("SELECT count(DISTINCT norm) FROM names WHERE "
                          "norm LIKE 'evil.%'"), 1);
    assert_int_equal(peek("SELECT count(*) FROM origins"), 6);
    assert_int_equal(peek("SELECT count(*) FROM answer_sets"), 1);
    /* TYPEnnn is stored as nnn; an unknown name gets a code >= 1e6. */
    assert_int_equal(peek("SELECT qtype FROM queries WHERE id = 1"), 65399);
    assert_int_equal(peek("SELECT qtype FROM queries WHERE id = 3"), 1000000);
    assert_int_equal(peek("SELECT rcode FROM queries WHERE id = 3"), 23);
    assert_int_equal(peek("SELECT qclass FROM queries WHERE id = 3"),
                     1000000);
    assert_int_equal(peek("SELECT count(*) FROM dns_classes WHERE "
                          "name = 'WEIRD' AND code = 1000000"), 1);
    assert_int_equal(peek("SELECT transport IS NULL FROM queries "
                          "WHERE id = 3"), 1);
    assert_int_equal(peek("SELECT count(*) FROM query_log WHERE "
                          "query_type IN ('TYPE65399', 'FOOBAR') AND "
                          "rcode IN ('NXDOMAIN', 'BADCOOKIE') AND "
                          "domain = 'example.com' AND "
                          "norm LIKE 'evil.%'"), 3);
}

static void
abort_leaves_nothing(void **state)
{
    struct db *db;
    struct ingest *in;
    struct import_info info = { .path = "u.log", .sha256 = "bb" };
    struct dns_query q;
    char err[256];

    (void)state;
    assert_int_equal(db_open(&db, path, err, sizeof err), DH_OK);
    assert_int_equal(ingest_open(db, &in, err, sizeof err), DH_OK);
    assert_int_equal(ingest_begin(in, &info, err, sizeof err), DH_OK);
    q = query("new.example.net.", "10.0.0.9");
    assert_int_equal(ingest_query(in, &q, err, sizeof err), DH_OK);
    ingest_abort(in);
    /* After the abort the caches must not hand out the rolled-back ids. */
    info.sha256 = "cc";
    assert_int_equal(ingest_begin(in, &info, err, sizeof err), DH_OK);
    assert_int_equal(ingest_query(in, &q, err, sizeof err), DH_OK);
    struct import_outcome out = { .format = "route53", .compression = "none",
                                  .status = "ok", .sha256 = "aa", .kept = 1 };
    /* Same content as the first test's file: refused as a duplicate. */
    assert_int_equal(ingest_finish(in, &out, err, sizeof err), DH_DUPLICATE);
    ingest_close(in);
    db_close(db);
    assert_int_equal(peek("SELECT count(*) FROM imports"), 1);
    assert_int_equal(peek("SELECT count(*) FROM queries"), 7);
    assert_int_equal(peek("SELECT count(*) FROM names WHERE "
                          "norm = 'new.example.net'"), 0);
    assert_int_equal(peek("PRAGMA foreign_key_check"), -1);
}

static void
newer_store_refused(void **state)
{
    struct db *db;
    char err[256];
    sqlite3 *h;

    (void)state;
    assert_int_equal(sqlite3_open(path, &h), SQLITE_OK);
    assert_int_equal(sqlite3_exec(h, "PRAGMA user_version = 99", NULL, NULL,
                                  NULL), SQLITE_OK);
    sqlite3_close(h);
    assert_int_equal(db_open(&db, path, err, sizeof err), DH_DB);
    assert_non_null(strstr(err, "newer"));
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(schema_and_pragmas),
        cmocka_unit_test(values_stored_once),
        cmocka_unit_test(abort_leaves_nothing),
        cmocka_unit_test(newer_store_refused),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
