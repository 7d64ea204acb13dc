/* SPDX-License-Identifier: MIT
 *
 * What the files of storage/ share: the handle's layout and statement
 * helpers. Nothing outside storage/ includes this.
 */
#ifndef DNSHUNT_DB_INTERNAL_H
#define DNSHUNT_DB_INTERNAL_H

#include <sqlite3.h>

#include "storage/db.h"

struct db {
    sqlite3 *h;      /* the connection */
    char    *path;   /* as given to db_open */
    int      wait_ms;    /* longest wait for another's write lock */
    int      waited_ms;  /* in the wait going on */
    int      told;       /* on_wait called for it */
    void   (*on_wait)(void *arg);
    void    *wait_arg;
};

/* After stepping st until rc: finalize it and return DH_OK when rc is
 * SQLITE_ROW (the caller stopped) or SQLITE_DONE, else DH_DB with
 * SQLite's message in err. */
enum dh_status db_scan_end(struct db *db, sqlite3_stmt *st, int rc,
                           char *err, size_t errlen);

/* Prepare sql; on failure copy SQLite's message into err. */
enum dh_status db_prepare(struct db *db, const char *sql,
                          sqlite3_stmt **st, char *err, size_t errlen);

/* Run SQL without results; on failure copy the message into err. */
enum dh_status db_exec(struct db *db, const char *sql, char *err,
                       size_t errlen);

/* Copy SQLite's last message for db into err; returns DH_DB. */
enum dh_status db_fail(struct db *db, char *err, size_t errlen);

/* End a transaction: commit when rc is DH_OK, else roll back; returns
 * the commit's status or rc. */
enum dh_status db_finish(struct db *db, enum dh_status rc, char *err,
                         size_t errlen);

/* Write a line to the audit log (storage/decisions.c). */
enum dh_status db_audit(struct db *db, const char *who, const char *action,
                        const char *detail, char *err, size_t errlen);

#endif
