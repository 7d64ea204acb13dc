/* SPDX-License-Identifier: MIT
 *
 * The store: one SQLite file in WAL mode with foreign keys on and a busy
 * timeout, its schema versioned by PRAGMA user_version and brought up to
 * date by numbered migrations when opened. Only storage/ talks SQL.
 */
#ifndef DNSHUNT_DB_H
#define DNSHUNT_DB_H

#include <stddef.h>
#include <stdint.h>

#include "core/status.h"

/* The schema version this build writes. */
#define DB_SCHEMA_VERSION 9

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

/* Wait at most ms for another process's write lock (10 minutes by
 * default); the console waits little and retries, so it can say what it
 * waits for. */
void db_busy_wait(struct db *db, int ms);

/* Call fn(arg) once in each wait for a write lock that passes 2 s, so a
 * command can say why it is not moving; NULL for none. */
void db_on_long_wait(struct db *db, void (*fn)(void *arg), void *arg);

/*
 * A number that changes whenever another process commits to the store
 * (not when this handle does), for noticing new data; -1 when it cannot
 * be read.
 */
int64_t db_change_count(struct db *db);

/*
 * Read what follows from one snapshot of the store: commits by other
 * processes after the first read are not seen until db_snapshot_end().
 * Writes are not allowed in between. DH_OK or DH_DB with the reason.
 */
enum dh_status db_snapshot_begin(struct db *db, char *err, size_t errlen);
/* End the snapshot; harmless when none is open. */
void db_snapshot_end(struct db *db);

/* The path the store was opened with; owned by db. */
const char *db_path(const struct db *db);

#endif
