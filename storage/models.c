/* SPDX-License-Identifier: MIT
 *
 * Models in the store (see models.h). Each change and its audit line
 * are one transaction.
 */
#include "storage/models.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/util.h"
#include "storage/db_internal.h"

enum dh_status
models_add(struct db *db, const void *data, size_t len, int64_t labels,
           const char *summary, const char *who, int64_t *id, char *err,
           size_t errlen)
{
    sqlite3_stmt *st;
    char detail[64];
    enum dh_status rc = db_exec(db, "BEGIN IMMEDIATE", err, errlen);

    if (rc != DH_OK)
        return rc;
    rc = db_exec(db, "UPDATE models SET active = 0 WHERE active", err,
                 errlen);
    if (rc != DH_OK)
        return db_finish(db, rc, err, errlen);
    if (db_prepare(db, "INSERT INTO models(created_at, created_by, labels, "
                   "summary, data, active) VALUES(?, ?, ?, ?, ?, 1)", &st,
                   err, errlen) != DH_OK)
        return db_finish(db, DH_DB, err, errlen);
    sqlite3_bind_int64(st, 1, now_ms());
    sqlite3_bind_text(st, 2, who, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(st, 3, labels);
    sqlite3_bind_text(st, 4, summary, -1, SQLITE_TRANSIENT);
    sqlite3_bind_blob64(st, 5, data, len, SQLITE_STATIC);
    if (sqlite3_step(st) != SQLITE_DONE)
        rc = db_fail(db, err, errlen);
    sqlite3_finalize(st);
    *id = sqlite3_last_insert_rowid(db->h);
    snprintf(detail, sizeof detail, "model %lld from %lld labels",
             (long long)*id, (long long)labels);
    if (rc == DH_OK)
        rc = db_audit(db, who, "retrain", detail, err, errlen);
    return db_finish(db, rc, err, errlen);
}

enum dh_status
models_active(struct db *db, void **data, size_t *len, int64_t *id,
              char *err, size_t errlen)
{
    sqlite3_stmt *st;
    int rc;

    *data = NULL;
    *len = 0;
    *id = 0;
    if (db_prepare(db, "SELECT id, data FROM models WHERE active "
                   "ORDER BY id DESC LIMIT 1", &st, err, errlen) != DH_OK)
        return DH_DB;
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        const void *p = sqlite3_column_blob(st, 1);
        size_t n = (size_t)sqlite3_column_bytes(st, 1);
        *id = sqlite3_column_int64(st, 0);
        *data = xmalloc(n ? n : 1);
        if (n)
            memcpy(*data, p, n);
        *len = n;
    }
    sqlite3_finalize(st);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        return db_fail(db, err, errlen);
    return DH_OK;
}

enum dh_status
models_activate(struct db *db, int64_t id, const char *who, int *found,
                char *err, size_t errlen)
{
    sqlite3_stmt *st;
    char detail[64];
    enum dh_status rc = db_exec(db, "BEGIN IMMEDIATE", err, errlen);

    *found = 0;
    if (rc != DH_OK)
        return rc;
    if (id == 0) {
        *found = 1;
    } else {
        if (db_prepare(db, "SELECT 1 FROM models WHERE id = ?", &st, err,
                       errlen) != DH_OK)
            return db_finish(db, DH_DB, err, errlen);
        sqlite3_bind_int64(st, 1, id);
        *found = sqlite3_step(st) == SQLITE_ROW;
        sqlite3_finalize(st);
    }
    if (!*found) {
        db_finish(db, DH_USAGE, err, errlen);      /* rolls back */
        return DH_OK;
    }
    if (db_prepare(db, "UPDATE models SET active = (id = ?)", &st, err,
                   errlen) != DH_OK)
        return db_finish(db, DH_DB, err, errlen);
    sqlite3_bind_int64(st, 1, id);
    if (sqlite3_step(st) != SQLITE_DONE)
        rc = db_fail(db, err, errlen);
    sqlite3_finalize(st);
    if (id)
        snprintf(detail, sizeof detail, "model %lld", (long long)id);
    else
        snprintf(detail, sizeof detail, "the built-in model");
    if (rc == DH_OK)
        rc = db_audit(db, who, "activate", detail, err, errlen);
    return db_finish(db, rc, err, errlen);
}

enum dh_status
models_list(struct db *db, int (*fn)(void *, const struct model_row *),
            void *arg, char *err, size_t errlen)
{
    sqlite3_stmt *st;
    int rc;

    if (db_prepare(db, "SELECT id, created_at, created_by, labels, summary, "
                   "length(data), active FROM models ORDER BY id", &st, err,
                   errlen) != DH_OK)
        return DH_DB;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        struct model_row r = {
            .id = sqlite3_column_int64(st, 0),
            .created_at = sqlite3_column_int64(st, 1),
            .created_by = (const char *)sqlite3_column_text(st, 2),
            .labels = sqlite3_column_int64(st, 3),
            .summary = (const char *)sqlite3_column_text(st, 4),
            .bytes = sqlite3_column_int64(st, 5),
            .active = sqlite3_column_int(st, 6),
        };
        if (fn(arg, &r))
            break;
    }
    sqlite3_finalize(st);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        return db_fail(db, err, errlen);
    return DH_OK;
}
