/* SPDX-License-Identifier: MIT
 *
 * Store summaries (see stats.h).
 */
#include "storage/stats.h"

#include <stdio.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "core/util.h"
#include "storage/db_internal.h"

static enum dh_status
one_int(struct db *db, const char *sql, int64_t *v, char *err,
        size_t errlen)
{
    sqlite3_stmt *st;
    int rc;

    *v = 0;
    if (sqlite3_prepare_v2(db->h, sql, -1, &st, NULL) != SQLITE_OK)
        return db_fail(db, err, errlen);
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        *v = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        return db_fail(db, err, errlen);
    return DH_OK;
}

static char *
col_dup(sqlite3_stmt *st, int i)
{
    const unsigned char *s = sqlite3_column_text(st, i);

    return s ? xstrdup((const char *)s) : NULL;
}

static enum dh_status
load_files(struct db *db, struct store_stats *s, char *err, size_t errlen)
{
    sqlite3_stmt *st;
    int rc;

    if (sqlite3_prepare_v2(db->h, "SELECT id, path, format, compression, "
                           "status, message, sha256, size, rows_kept, "
                           "rows_rejected, started_at, finished_at "
                           "FROM imports ORDER BY id", -1, &st,
                           NULL) != SQLITE_OK)
        return db_fail(db, err, errlen);
    size_t cap = 0;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (s->n_files == cap) {
            cap = cap ? cap * 2 : 16;
            s->files = xrealloc(s->files, cap * sizeof *s->files);
        }
        struct store_file *f = &s->files[s->n_files++];
        f->id = sqlite3_column_int64(st, 0);
        f->path = col_dup(st, 1);
        f->format = col_dup(st, 2);
        f->compression = col_dup(st, 3);
        f->status = col_dup(st, 4);
        f->message = col_dup(st, 5);
        f->sha256 = col_dup(st, 6);
        f->size = sqlite3_column_int64(st, 7);
        f->rows = sqlite3_column_int64(st, 8);
        f->rejected = sqlite3_column_int64(st, 9);
        f->started_at = sqlite3_column_int64(st, 10);
        f->finished_at = sqlite3_column_int64(st, 11);
    }
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE)
        return db_fail(db, err, errlen);
    return DH_OK;
}

enum dh_status
store_stats(struct db *db, struct store_stats *s, char *err, size_t errlen)
{
    static const struct {
        const char *sql;
        size_t      off;
    } counts[] = {
#define OFF(f) offsetof(struct store_stats, f)
        { "SELECT (SELECT count(*) FROM queries) + "
          "(SELECT coalesce(sum(queries), 0) FROM query_groups)",
          OFF(queries) },
        { "SELECT coalesce(sum(queries), 0) FROM query_groups",
          OFF(grouped) },
        { "SELECT count(*) FROM query_groups", OFF(groups) },
        { "SELECT count(*) FROM flows", OFF(flows) },
        { "SELECT count(*) FROM health_records", OFF(health) },
        { "SELECT count(*) FROM rejected_rows", OFF(rejected) },
        { "SELECT count(*) FROM names", OFF(names) },
        { "SELECT count(DISTINCT domain) FROM names", OFF(domains) },
        { "SELECT count(*) FROM origins", OFF(origins) },
        { "SELECT min(t) FROM (SELECT min(ts_ms) AS t FROM queries "
          "UNION ALL SELECT min(first_ms) FROM query_groups)",
          OFF(q_first_ms) },
        { "SELECT max(t) FROM (SELECT max(ts_ms) AS t FROM queries "
          "UNION ALL SELECT max(last_ms) FROM query_groups)",
          OFF(q_last_ms) },
        { "SELECT min(start) FROM flows", OFF(f_first) },
        { "SELECT max(end) FROM flows", OFF(f_last) },
#undef OFF
    };
    int64_t schema;
    enum dh_status rc;

    memset(s, 0, sizeof *s);
    for (size_t i = 0; i < sizeof counts / sizeof counts[0]; i++)
        if ((rc = one_int(db, counts[i].sql,
                          (int64_t *)((char *)s + counts[i].off), err,
                          errlen)) != DH_OK)
            return rc;
    if ((rc = one_int(db, "PRAGMA user_version", &schema, err, errlen)))
        return rc;
    s->schema = (int)schema;
    return load_files(db, s, err, errlen);
}

enum dh_status
store_files(struct db *db, struct store_stats *s, char *err, size_t errlen)
{
    memset(s, 0, sizeof *s);
    return load_files(db, s, err, errlen);
}

void
store_stats_free(struct store_stats *s)
{
    for (size_t i = 0; i < s->n_files; i++) {
        struct store_file *f = &s->files[i];
        free(f->path);
        free(f->format);
        free(f->compression);
        free(f->status);
        free(f->message);
        free(f->sha256);
    }
    free(s->files);
    s->files = NULL;
    s->n_files = 0;
}

enum dh_status
store_rejects(struct db *db, int64_t import_id, int limit, reject_fn fn,
              void *arg, char *err, size_t errlen)
{
    sqlite3_stmt *st;
    int rc;

    if (sqlite3_prepare_v2(db->h, "SELECT line, reason, excerpt FROM "
                           "rejected_rows WHERE import_id = ? "
                           "ORDER BY line, id LIMIT ?", -1, &st,
                           NULL) != SQLITE_OK)
        return db_fail(db, err, errlen);
    sqlite3_bind_int64(st, 1, import_id);
    sqlite3_bind_int(st, 2, limit);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW)
        fn(arg, sqlite3_column_int64(st, 0),
           (const char *)sqlite3_column_text(st, 1),
           (const char *)sqlite3_column_text(st, 2));
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE)
        return db_fail(db, err, errlen);
    return DH_OK;
}
