/* SPDX-License-Identifier: MIT
 *
 * Opening the store, pragmas and migrations (see db.h).
 */
#include "storage/db_internal.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/names.h"
#include "core/util.h"
#include "model/dnscodes.h"
#include "storage/results.h"
#include "storage/schema.h"

#define BUSY_TIMEOUT_MS (10 * 60 * 1000)
#define BUSY_TELL_MS    2000     /* a wait this long is worth a word */

/* SQLite's busy handler: sleep a little longer each time, up to the
 * limit, telling the caller once when the wait grows long. */
static int
on_busy(void *arg, int count)
{
    struct db *db = arg;
    int step = count < 12 ? 1 + 2 * count : 25;

    if (count == 0)
        db->waited_ms = db->told = 0;
    if (db->waited_ms >= db->wait_ms)
        return 0;
    if (!db->told && db->waited_ms >= BUSY_TELL_MS && db->on_wait) {
        db->told = 1;
        db->on_wait(db->wait_arg);
    }
    sqlite3_sleep(step);
    db->waited_ms += step;
    return 1;
}

enum dh_status
db_fail(struct db *db, char *err, size_t errlen)
{
    snprintf(err, errlen, "%s", sqlite3_errmsg(db->h));
    return DH_DB;
}

enum dh_status
db_scan_end(struct db *db, sqlite3_stmt *st, int rc, char *err,
            size_t errlen)
{
    enum dh_status st_rc = DH_OK;

    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        st_rc = db_fail(db, err, errlen);
    sqlite3_finalize(st);
    return st_rc;
}

enum dh_status
db_exec(struct db *db, const char *sql, char *err, size_t errlen)
{
    char *msg = NULL;

    if (sqlite3_exec(db->h, sql, NULL, NULL, &msg) != SQLITE_OK) {
        snprintf(err, errlen, "%s", msg ? msg : sqlite3_errmsg(db->h));
        sqlite3_free(msg);
        return DH_DB;
    }
    return DH_OK;
}

enum dh_status
db_prepare(struct db *db, const char *sql, sqlite3_stmt **st, char *err,
           size_t errlen)
{
    if (sqlite3_prepare_v3(db->h, sql, -1, SQLITE_PREPARE_PERSISTENT, st,
                           NULL) != SQLITE_OK)
        return db_fail(db, err, errlen);
    return DH_OK;
}

/* Fill a code table from a built-in list. */
static enum dh_status
seed_codes(struct db *db, const char *table, const struct dns_code *t,
           size_t n, char *err, size_t errlen)
{
    sqlite3_stmt *st;
    char sql[128];
    enum dh_status rc;

    snprintf(sql, sizeof sql, "INSERT INTO %s(code, name) VALUES(?, ?)",
             table);
    rc = db_prepare(db, sql, &st, err, errlen);
    for (size_t i = 0; rc == DH_OK && i < n; i++) {
        sqlite3_bind_int(st, 1, t[i].code);
        sqlite3_bind_text(st, 2, t[i].name, -1, SQLITE_STATIC);
        if (sqlite3_step(st) != SQLITE_DONE)
            rc = db_fail(db, err, errlen);
        sqlite3_reset(st);
    }
    sqlite3_finalize(st);
    return rc;
}

/* After migration 1's tables: the DNS codes AWS logs by mnemonic. */
static enum dh_status
seed_all_codes(struct db *db, char *err, size_t errlen)
{
    const struct dns_code *t;
    size_t n;
    enum dh_status rc;

    t = dns_type_table(&n);
    rc = seed_codes(db, "dns_types", t, n, err, errlen);
    if (rc != DH_OK)
        return rc;
    t = dns_rcode_table(&n);
    rc = seed_codes(db, "dns_rcodes", t, n, err, errlen);
    if (rc != DH_OK)
        return rc;
    t = dns_class_table(&n);
    return seed_codes(db, "dns_classes", t, n, err, errlen);
}

/* One name whose parts the current rules split otherwise. */
struct resplit {
    int64_t id;
    char   *domain, *site, *sub;        /* NULL for none */
};

/* 1 when the NUL-terminated a and the column value b (NULL for none)
 * differ. */
static int
differs(const char *a, const unsigned char *b)
{
    return (a == NULL) != (b == NULL) || (a && strcmp(a, (const char *)b));
}

/* Set the parts of the names in v[0..n) to their new values. */
static enum dh_status
update_parts(struct db *db, const struct resplit *v, size_t n, char *err,
             size_t errlen)
{
    sqlite3_stmt *st;
    int rc = SQLITE_DONE;

    if (sqlite3_prepare_v2(db->h, "UPDATE names SET domain = ?, site = ?, "
                           "subdomain = ? WHERE id = ?", -1, &st,
                           NULL) != SQLITE_OK)
        return db_fail(db, err, errlen);
    for (size_t i = 0; i < n && rc == SQLITE_DONE; i++) {
        sqlite3_bind_text(st, 1, v[i].domain, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 2, v[i].site, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 3, v[i].sub, -1, SQLITE_STATIC);
        sqlite3_bind_int64(st, 4, v[i].id);
        rc = sqlite3_step(st);
        sqlite3_reset(st);
    }
    sqlite3_finalize(st);
    return rc == SQLITE_DONE ? DH_OK : db_fail(db, err, errlen);
}

/*
 * Read up to RESPLIT_CHUNK names from id *from on and collect in v those
 * whose parts the current rules split otherwise; *n counts the names
 * read and *last is the last id read. Returns DH_OK or the error.
 */
enum { RESPLIT_CHUNK = 10000 };

static enum dh_status
resplit_chunk(struct db *db, struct name_cache *c, int64_t *from,
              int64_t *last, struct resplit *v, size_t *changed, size_t *n,
              char *err, size_t errlen)
{
    sqlite3_stmt *st;
    int step;

    *changed = *n = 0;
    if (sqlite3_prepare_v2(db->h, "SELECT id, norm, domain, site, subdomain "
                           "FROM names WHERE id >= ? ORDER BY id LIMIT ?",
                           -1, &st, NULL) != SQLITE_OK)
        return db_fail(db, err, errlen);
    sqlite3_bind_int64(st, 1, *from);
    sqlite3_bind_int(st, 2, RESPLIT_CHUNK);
    while ((step = sqlite3_step(st)) == SQLITE_ROW) {
        const char *norm = (const char *)sqlite3_column_text(st, 1);
        struct name_parts p;
        char *sub;

        (*n)++;
        *last = sqlite3_column_int64(st, 0);
        if (!norm)
            continue;
        names_split(c, norm, &p);
        sub = p.sub_len ? xstrndup(norm, p.sub_len) : NULL;
        if (!differs(p.domain, sqlite3_column_text(st, 2)) &&
            !differs(p.site, sqlite3_column_text(st, 3)) &&
            !differs(sub, sqlite3_column_text(st, 4))) {
            free(sub);
            continue;
        }
        v[*changed].id = *last;
        v[*changed].domain = p.domain ? xstrdup(p.domain) : NULL;
        v[*changed].site = p.site ? xstrdup(p.site) : NULL;
        v[(*changed)++].sub = sub;
    }
    sqlite3_finalize(st);
    return step == SQLITE_DONE ? DH_OK : db_fail(db, err, errlen);
}

/*
 * Split every stored name again with the current rules (names_split)
 * and keep the parts that changed: a store imported before a rule
 * (dynamic DNS zones, provider endpoints) then agrees with new imports.
 * A chunk of names is read, then its changes written.
 */
static enum dh_status
resplit_names(struct db *db, char *err, size_t errlen)
{
    struct name_cache *c = names_cache_new();
    struct resplit *v = xcalloc(RESPLIT_CHUNK, sizeof *v);
    int64_t from = INT64_MIN, last = INT64_MIN;
    size_t changed, total = 0, n = RESPLIT_CHUNK;
    enum dh_status rc = DH_OK;

    while (rc == DH_OK && n == RESPLIT_CHUNK) {
        rc = resplit_chunk(db, c, &from, &last, v, &changed, &n, err,
                           errlen);
        if (rc == DH_OK)
            rc = update_parts(db, v, changed, err, errlen);
        for (size_t i = 0; i < changed; i++) {
            free(v[i].domain);
            free(v[i].site);
            free(v[i].sub);
        }
        total += changed;
        if (last == INT64_MAX)
            break;
        from = last + 1;
    }
    free(v);
    names_cache_free(c);
    /* The last scoring grouped names by their old sites: say it is due. */
    if (rc == DH_OK && total) {
        char sql[64];
        snprintf(sql, sizeof sql, "UPDATE score_runs SET last_import = %d",
                 RUN_RESPLIT);
        rc = db_exec(db, sql, err, errlen);
    }
    return rc;
}

/* Migration N takes the store from user_version N-1 to N: its SQL, then
 * its rows when it seeds any. */
static const struct migration {
    const char *sql;
    enum dh_status (*seed)(struct db *, char *, size_t);
} migrations[] = {
    { SCHEMA_V1, seed_all_codes },
    { SCHEMA_V2, NULL },
    { SCHEMA_V3, NULL },
    { SCHEMA_V4, NULL },
    { SCHEMA_V5, NULL },
    { SCHEMA_V6, NULL },
    { SCHEMA_V7, NULL },
    { SCHEMA_V8, NULL },
    { SCHEMA_V9, resplit_names },
};

/* The integer a one-value PRAGMA returns, or -1. */
static int64_t
pragma_int(struct db *db, const char *sql)
{
    sqlite3_stmt *st;
    int64_t v = -1;

    if (sqlite3_prepare_v2(db->h, sql, -1, &st, NULL) != SQLITE_OK)
        return -1;
    if (sqlite3_step(st) == SQLITE_ROW)
        v = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return v;
}

static int
user_version(struct db *db)
{
    return (int)pragma_int(db, "PRAGMA user_version");
}

/* 1 when the file holds any table (a new store holds none). */
static int
has_tables(struct db *db)
{
    sqlite3_stmt *st;
    int n = 0;

    if (sqlite3_prepare_v2(db->h, "SELECT count(*) FROM sqlite_schema",
                           -1, &st, NULL) != SQLITE_OK)
        return 0;
    if (sqlite3_step(st) == SQLITE_ROW)
        n = sqlite3_column_int(st, 0);
    sqlite3_finalize(st);
    return n > 0;
}

static enum dh_status
migrate(struct db *db, char *err, size_t errlen)
{
    int want = (int)(sizeof migrations / sizeof migrations[0]);
    int v = user_version(db), from;
    enum dh_status rc;

    /* Up to date: no write lock, so stats never waits for an import. */
    if (v == want)
        return DH_OK;
    rc = db_exec(db, "BEGIN IMMEDIATE", err, errlen);
    if (rc != DH_OK && v > 0 && v < want) {
        char why[512];
        snprintf(why, sizeof why, "%s", err);
        snprintf(err, errlen, "the store needs an upgrade from schema %d "
                 "to %d and cannot be written: %s", v, want, why);
    }
    if (rc != DH_OK)
        return rc;
    v = user_version(db);               /* another process may have been */
    if (v == 0 && has_tables(db)) {
        db_exec(db, "ROLLBACK", err, errlen);
        snprintf(err, errlen, "not a dnshunt store (an SQLite file with "
                 "other tables); nothing was changed");
        return DH_DB;
    }
    if (v > want) {
        db_exec(db, "ROLLBACK", err, errlen);
        snprintf(err, errlen, "store schema version %d is newer than this "
                 "dnshunt understands (%d)", v, want);
        return DH_DB;
    }
    from = v;
    for (; v >= 0 && v < want && rc == DH_OK; v++) {
        char sql[64];

        rc = db_exec(db, migrations[v].sql, err, errlen);
        if (rc == DH_OK && migrations[v].seed)
            rc = migrations[v].seed(db, err, errlen);
        snprintf(sql, sizeof sql, "PRAGMA user_version = %d", v + 1);
        if (rc == DH_OK)
            rc = db_exec(db, sql, err, errlen);
    }
    if (rc == DH_OK)
        rc = db_exec(db, "COMMIT", err, errlen);
    if (rc != DH_OK) {
        char ignored[64], why[512];
        db_exec(db, "ROLLBACK", ignored, sizeof ignored);
        snprintf(why, sizeof why, "%s", err);
        snprintf(err, errlen, "upgrading the store from schema %d to %d "
                 "failed and changed nothing: %s", from, want, why);
    }
    return rc;
}

enum dh_status
db_open(struct db **out, const char *path, char *err, size_t errlen)
{
    struct db *db = xcalloc(1, sizeof *db);
    enum dh_status rc;

    db->path = xstrdup(path);
    if (sqlite3_open_v2(path, &db->h, SQLITE_OPEN_READWRITE |
                        SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
                        NULL) != SQLITE_OK) {
        rc = db_fail(db, err, errlen);
        goto fail;
    }
    db->wait_ms = BUSY_TIMEOUT_MS;
    sqlite3_busy_handler(db->h, on_busy, db);
    /*
     * Switching a new store to WAL takes an exclusive lock that does not
     * wait on the busy handler, so processes creating the same store at
     * once may see SQLITE_BUSY: try again for a few seconds.
     */
    rc = db_exec(db, "PRAGMA synchronous = NORMAL;"
                 "PRAGMA foreign_keys = ON;"
                 "PRAGMA cache_size = -65536;"
                 "PRAGMA journal_size_limit = 67108864;", err, errlen);
    if (rc == DH_OK)
        rc = migrate(db, err, errlen);
    for (int tries = 0; rc == DH_OK && tries < 100; tries++) {
        rc = db_exec(db, "PRAGMA journal_mode = WAL", err, errlen);
        if (rc == DH_OK || (sqlite3_errcode(db->h) & 0xff) != SQLITE_BUSY)
            break;
        sqlite3_sleep(50);
    }
    if (rc != DH_OK)
        goto fail;
    *out = db;
    return DH_OK;
fail:
    db_close(db);
    return rc;
}

void
db_close(struct db *db)
{
    if (!db)
        return;
    sqlite3_close_v2(db->h);
    free(db->path);
    free(db);
}

void
db_busy_wait(struct db *db, int ms)
{
    db->wait_ms = ms;
}

void
db_on_long_wait(struct db *db, void (*fn)(void *arg), void *arg)
{
    db->on_wait = fn;
    db->wait_arg = arg;
}

int64_t
db_change_count(struct db *db)
{
    return pragma_int(db, "PRAGMA data_version");
}

enum dh_status
db_snapshot_begin(struct db *db, char *err, size_t errlen)
{
    return db_exec(db, "BEGIN DEFERRED", err, errlen);
}

void
db_snapshot_end(struct db *db)
{
    if (!sqlite3_get_autocommit(db->h))
        sqlite3_exec(db->h, "COMMIT", NULL, NULL, NULL);
}

const char *
db_path(const struct db *db)
{
    return db->path;
}

enum dh_status
db_finish(struct db *db, enum dh_status rc, char *err, size_t errlen)
{
    char ignored[64];

    if (rc == DH_OK)
        return db_exec(db, "COMMIT", err, errlen);
    db_exec(db, "ROLLBACK", ignored, sizeof ignored);
    return rc;
}
