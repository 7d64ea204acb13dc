/* SPDX-License-Identifier: MIT
 *
 * Allow-list entries, verdicts and the audit log (see decisions.h).
 * Each change and its audit line are one transaction.
 */
#include "storage/decisions.h"

#include <stdio.h>
#include <string.h>

#include "core/util.h"
#include "storage/db_internal.h"

static const char *
text(sqlite3_stmt *st, int i)
{
    return (const char *)sqlite3_column_text(st, i);
}

static void
bind_opt(sqlite3_stmt *st, int i, const char *s)
{
    if (s && *s)
        sqlite3_bind_text(st, i, s, -1, SQLITE_TRANSIENT);
    else
        sqlite3_bind_null(st, i);
}

/* Run sql with its text parameters p[0..n) (NULL binds NULL). */
static enum dh_status
exec_args(struct db *db, const char *sql, const char *const *p, int n,
          char *err, size_t errlen)
{
    sqlite3_stmt *st;
    int rc;

    if (sqlite3_prepare_v2(db->h, sql, -1, &st, NULL) != SQLITE_OK)
        return db_fail(db, err, errlen);
    for (int i = 0; i < n; i++)
        bind_opt(st, i + 1, p[i]);
    rc = sqlite3_step(st);
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE && rc != SQLITE_ROW)
        return db_fail(db, err, errlen);
    return DH_OK;
}

enum dh_status
db_audit(struct db *db, const char *who, const char *action, const char *detail,
      char *err, size_t errlen)
{
    sqlite3_stmt *st;
    int rc;

    if (sqlite3_prepare_v2(db->h, "INSERT INTO audit_log(at, who, action, "
                           "detail) VALUES(?, ?, ?, ?)", -1, &st,
                           NULL) != SQLITE_OK)
        return db_fail(db, err, errlen);
    sqlite3_bind_int64(st, 1, now_ms());
    sqlite3_bind_text(st, 2, who, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 3, action, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 4, detail, -1, SQLITE_TRANSIENT);
    rc = sqlite3_step(st);
    sqlite3_finalize(st);
    return rc == SQLITE_DONE ? DH_OK : db_fail(db, err, errlen);
}


enum dh_status
decisions_allow_add(struct db *db, const struct allow_entry *e, int64_t *id,
                    char *err, size_t errlen)
{
    sqlite3_stmt *st;
    struct buf d = { 0 };
    enum dh_status rc = db_exec(db, "BEGIN IMMEDIATE", err, errlen);

    if (rc != DH_OK)
        return rc;
    if (sqlite3_prepare_v2(db->h, "INSERT INTO allow_entries(kind, value, "
                           "scope, reason, added_by, added_at, expires_at) "
                           "VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7) ON CONFLICT("
                           "kind, value, scope) DO UPDATE SET reason = ?4, "
                           "added_by = ?5, added_at = ?6, expires_at = ?7 "
                           "RETURNING id", -1, &st, NULL) != SQLITE_OK)
        return db_finish(db, db_fail(db, err, errlen), err, errlen);
    sqlite3_bind_text(st, 1, e->kind, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 2, e->value, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 3, e->scope, -1, SQLITE_TRANSIENT);
    bind_opt(st, 4, e->reason);
    sqlite3_bind_text(st, 5, e->added_by, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(st, 6, e->added_at);
    if (e->expires_at)
        sqlite3_bind_int64(st, 7, e->expires_at);
    if (sqlite3_step(st) == SQLITE_ROW)
        *id = sqlite3_column_int64(st, 0);
    else
        rc = db_fail(db, err, errlen);
    sqlite3_finalize(st);
    buf_printf(&d, "%s %s %s", e->kind, e->value, e->scope);
    if (rc == DH_OK)
        rc = db_audit(db, e->added_by, "allow add", d.data, err, errlen);
    buf_free(&d);
    return db_finish(db, rc, err, errlen);
}

enum dh_status
decisions_allow_rm(struct db *db, int64_t id, const char *who, int *removed,
                   char *err, size_t errlen)
{
    sqlite3_stmt *st;
    char detail[1200] = "";
    enum dh_status rc = db_exec(db, "BEGIN IMMEDIATE", err, errlen);

    *removed = 0;
    if (rc != DH_OK)
        return rc;
    if (sqlite3_prepare_v2(db->h, "DELETE FROM allow_entries WHERE id = ? "
                           "RETURNING kind, value, scope", -1, &st,
                           NULL) != SQLITE_OK)
        return db_finish(db, db_fail(db, err, errlen), err, errlen);
    sqlite3_bind_int64(st, 1, id);
    if (sqlite3_step(st) == SQLITE_ROW) {
        *removed = 1;
        snprintf(detail, sizeof detail, "#%lld %s %.1000s %s", (long long)id,
                 text(st, 0) ? text(st, 0) : "", text(st, 1) ? text(st, 1)
                 : "", text(st, 2) ? text(st, 2) : "");
    }
    sqlite3_finalize(st);
    if (*removed)
        rc = db_audit(db, who, "allow rm", detail, err, errlen);
    return db_finish(db, rc, err, errlen);
}

enum dh_status
decisions_allow_list(struct db *db,
                     int (*fn)(void *, const struct allow_entry *), void *arg,
                     char *err, size_t errlen)
{
    sqlite3_stmt *st;
    int rc;

    if (sqlite3_prepare_v2(db->h, "SELECT id, kind, value, scope, reason, "
                           "added_by, added_at, coalesce(expires_at, 0) "
                           "FROM allow_entries ORDER BY kind, value, scope",
                           -1, &st, NULL) != SQLITE_OK)
        return db_fail(db, err, errlen);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        struct allow_entry e = {
            sqlite3_column_int64(st, 0), text(st, 1), text(st, 2),
            text(st, 3), text(st, 4), text(st, 5),
            sqlite3_column_int64(st, 6), sqlite3_column_int64(st, 7),
        };
        if (!e.kind || !e.value || !e.scope || !e.added_by)
            continue;
        if (fn(arg, &e))
            break;
    }
    sqlite3_finalize(st);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        return db_fail(db, err, errlen);
    return DH_OK;
}

/* SQL of a verdict set as marked: a note left out keeps the old one. */
#define MARK_SQL \
    "INSERT INTO verdicts(subject, value, verdict, note, analyst, at) " \
    "VALUES(?1, ?2, ?3, ?4, ?5, CAST(?6 AS INTEGER)) ON CONFLICT(subject, " \
    "value) DO UPDATE SET verdict = ?3, note = coalesce(?4, note), " \
    "analyst = ?5, at = CAST(?6 AS INTEGER)"
/* As read from a file: the line whole, and only when it is newer. */
#define IMPORT_SQL \
    "INSERT INTO verdicts(subject, value, verdict, note, analyst, at) " \
    "VALUES(?1, ?2, ?3, ?4, ?5, CAST(?6 AS INTEGER)) ON CONFLICT(subject, " \
    "value) DO UPDATE SET verdict = ?3, note = ?4, analyst = ?5, " \
    "at = CAST(?6 AS INTEGER) WHERE CAST(?6 AS INTEGER) >= verdicts.at"

static enum dh_status
set_verdict(struct db *db, const struct verdict_row *v, const char *sql,
            int *changed, char *err, size_t errlen)
{
    char at[24], detail[1200];
    const char *p[] = { v->subject, v->value, v->verdict, v->note,
                        v->analyst, at };
    enum dh_status rc = db_exec(db, "BEGIN IMMEDIATE", err, errlen);

    if (rc != DH_OK)
        return rc;
    snprintf(at, sizeof at, "%lld", (long long)v->at);
    rc = exec_args(db, sql, p, 6, err, errlen);
    *changed = rc == DH_OK && sqlite3_changes(db->h) > 0;
    snprintf(detail, sizeof detail, "%s %.1000s %s", v->subject, v->value,
             v->verdict);
    if (rc == DH_OK && *changed)
        rc = db_audit(db, v->analyst, "mark", detail, err, errlen);
    return db_finish(db, rc, err, errlen);
}

enum dh_status
decisions_mark(struct db *db, const struct verdict_row *v, char *err,
               size_t errlen)
{
    int changed;

    return set_verdict(db, v, MARK_SQL, &changed, err, errlen);
}

enum dh_status
decisions_import_verdict(struct db *db, const struct verdict_row *v,
                         int *changed, char *err, size_t errlen)
{
    return set_verdict(db, v, IMPORT_SQL, changed, err, errlen);
}

enum dh_status
decisions_unmark(struct db *db, const char *subject, const char *value,
                 const char *who, int *removed, char *err, size_t errlen)
{
    char detail[1200];
    const char *p[] = { subject, value };
    enum dh_status rc = db_exec(db, "BEGIN IMMEDIATE", err, errlen);

    *removed = 0;
    if (rc != DH_OK)
        return rc;
    rc = exec_args(db, "DELETE FROM verdicts WHERE subject = ?1 AND "
                   "value = ?2", p, 2, err, errlen);
    *removed = rc == DH_OK && sqlite3_changes(db->h) > 0;
    snprintf(detail, sizeof detail, "%s %.1000s", subject, value);
    if (rc == DH_OK && *removed)
        rc = db_audit(db, who, "unmark", detail, err, errlen);
    return db_finish(db, rc, err, errlen);
}

enum dh_status
decisions_verdicts(struct db *db,
                   int (*fn)(void *, const struct verdict_row *), void *arg,
                   char *err, size_t errlen)
{
    sqlite3_stmt *st;
    int rc;

    if (sqlite3_prepare_v2(db->h, "SELECT subject, value, verdict, note, "
                           "analyst, at FROM verdicts ORDER BY at DESC, id "
                           "DESC", -1, &st, NULL) != SQLITE_OK)
        return db_fail(db, err, errlen);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        struct verdict_row v = {
            text(st, 0), text(st, 1), text(st, 2), text(st, 3), text(st, 4),
            sqlite3_column_int64(st, 5),
        };
        if (!v.subject || !v.value || !v.verdict || !v.analyst)
            continue;
        if (fn(arg, &v))
            break;
    }
    sqlite3_finalize(st);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        return db_fail(db, err, errlen);
    return DH_OK;
}

enum dh_status
decisions_verdict_of(struct db *db, const char *subject, const char *value,
                     char *out, size_t cap, char *err, size_t errlen)
{
    sqlite3_stmt *st;

    *out = '\0';
    if (sqlite3_prepare_v2(db->h, "SELECT verdict FROM verdicts WHERE "
                           "subject = ? AND value = ?", -1, &st,
                           NULL) != SQLITE_OK)
        return db_fail(db, err, errlen);
    sqlite3_bind_text(st, 1, subject, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 2, value, -1, SQLITE_TRANSIENT);
    if (sqlite3_step(st) == SQLITE_ROW && text(st, 0))
        snprintf(out, cap, "%s", text(st, 0));
    sqlite3_finalize(st);
    return DH_OK;
}
