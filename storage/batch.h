/* SPDX-License-Identifier: MIT
 *
 * Multi-row INSERTs. Rows of one table are gathered (text copied into an
 * arena) and written BATCH_ROWS at a time with one statement of that many
 * VALUES groups, which costs SQLite far less per row than a statement per
 * row. Only storage/ uses it.
 */
#ifndef DNSHUNT_BATCH_H
#define DNSHUNT_BATCH_H

#include <sqlite3.h>
#include <stdint.h>

#include "core/status.h"
#include "core/util.h"
#include "storage/db_internal.h"

#define BATCH_ROWS 64
#define BATCH_MAX_COLS 32

/* One value of a gathered row. */
struct cell {
    int     type;     /* SQLITE_NULL, SQLITE_INTEGER or SQLITE_TEXT */
    int64_t i;        /* integer, or offset into the arena for text */
    int     len;      /* text length */
};

struct batch {
    sqlite3_stmt *many;    /* INSERT with BATCH_ROWS groups */
    sqlite3_stmt *one;     /* INSERT with one group, for the remainder */
    int           ncols;
    int           nrows;   /* gathered, not yet written */
    int           col;     /* next column of the row being added */
    struct cell   cells[BATCH_ROWS][BATCH_MAX_COLS];
    struct buf    arena;   /* text of the gathered rows */
};

/*
 * Prepare "INSERT INTO table(cols) VALUES ..." for ncols columns (cols is
 * the comma-separated list). Returns DH_OK or DH_DB with detail in err.
 */
enum dh_status batch_open(struct batch *b, struct db *db, const char *table,
                          const char *cols, int ncols, char *err,
                          size_t errlen);

/* Add the next value of the current row. */
void batch_int(struct batch *b, int64_t v);
void batch_null(struct batch *b);
void batch_text(struct batch *b, const char *s, size_t n);

/* The current row is complete; writes a full batch. */
enum dh_status batch_row(struct batch *b, struct db *db, char *err,
                         size_t errlen);

/* Write every gathered row. */
enum dh_status batch_flush(struct batch *b, struct db *db, char *err,
                           size_t errlen);

/* Forget gathered rows (after a rollback). */
void batch_drop(struct batch *b);

/* Finalise the statements and free the arena. */
void batch_close(struct batch *b);

#endif
