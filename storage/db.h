/* SPDX-License-Identifier: MIT
 *
 * The store: one SQLite file in WAL mode with foreign keys on and a busy
 * timeout, its schema versioned by PRAGMA user_version and brought up to
 * date by numbered migrations when opened. Only storage/ talks SQL.
 */
#ifndef DNSHUNT_DB_H
#define DNSHUNT_DB_H

#include <stddef.h>

#include "core/status.h"

/* The schema version this build writes. */
#define DB_SCHEMA_VERSION 5

struct db;

/*
 * Open (creating when missing) the store at path and migrate it. On
 * success *out is the handle; on failure returns DH_DB with SQLite's
 * message in err. A store newer than this build is refused.
 */
enum dh_status db_open(struct db **out, const char *path, char *err,
                       size_t errlen);

/* Close the store; NULL is fine. */
void db_close(struct db *db);

/* Wait at most ms for another process's write lock (30 s by default);
 * the console waits little and retries, so it can say what it waits for. */
void db_busy_wait(struct db *db, int ms);

/* The path the store was opened with; owned by db. */
const char *db_path(const struct db *db);

#endif
