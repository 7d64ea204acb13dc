/* SPDX-License-Identifier: MIT
 *
 * Gathered multi-row inserts (see batch.h).
 */
#include "storage/batch.h"

#include <stdlib.h>
#include <string.h>

static char *
insert_sql(const char *table, const char *cols, int ncols, int rows)
{
    struct buf b = { 0 };

    buf_printf(&b, "INSERT INTO %s(%s) VALUES ", table, cols);
    for (int r = 0; r < rows; r++) {
        buf_adds(&b, r ? ",(" : "(");
        for (int c = 0; c < ncols; c++)
            buf_adds(&b, c ? ",?" : "?");
        buf_addc(&b, ')');
    }
    return b.data;
}

enum dh_status
batch_open(struct batch *b, struct db *db, const char *table,
           const char *cols, int ncols, char *err, size_t errlen)
{
    char *many = insert_sql(table, cols, ncols, BATCH_ROWS);
    char *one = insert_sql(table, cols, ncols, 1);
    enum dh_status rc;

    memset(b, 0, sizeof *b);
    b->ncols = ncols;
    rc = db_prepare(db, many, &b->many, err, errlen);
    if (rc == DH_OK)
        rc = db_prepare(db, one, &b->one, err, errlen);
    free(many);
    free(one);
    return rc;
}

void
batch_int(struct batch *b, int64_t v)
{
    struct cell *c = &b->cells[b->nrows][b->col++];

    c->type = SQLITE_INTEGER;
    c->i = v;
}

void
batch_null(struct batch *b)
{
    b->cells[b->nrows][b->col++].type = SQLITE_NULL;
}

void
batch_text(struct batch *b, const char *s, size_t n)
{
    struct cell *c = &b->cells[b->nrows][b->col++];

    if (!s) {
        c->type = SQLITE_NULL;
        return;
    }
    c->type = SQLITE_TEXT;
    c->i = (int64_t)b->arena.len;
    c->len = (int)n;
    buf_add(&b->arena, s, n);
}

/* Bind rows [0, n) to st starting at parameter 1, and run it. */
static enum dh_status
write_rows(struct batch *b, struct db *db, sqlite3_stmt *st, int first,
           int n, char *err, size_t errlen)
{
    int p = 1, rc;

    for (int r = first; r < first + n; r++) {
        for (int k = 0; k < b->ncols; k++, p++) {
            const struct cell *c = &b->cells[r][k];
            if (c->type == SQLITE_INTEGER)
                sqlite3_bind_int64(st, p, c->i);
            else if (c->type == SQLITE_TEXT)
                sqlite3_bind_text(st, p, b->arena.data + c->i, c->len,
                                  SQLITE_STATIC);
            else
                sqlite3_bind_null(st, p);
        }
    }
    rc = sqlite3_step(st);
    sqlite3_reset(st);
    if (rc != SQLITE_DONE)
        return db_fail(db, err, errlen);
    return DH_OK;
}

enum dh_status
batch_row(struct batch *b, struct db *db, char *err, size_t errlen)
{
    b->col = 0;
    if (++b->nrows < BATCH_ROWS)
        return DH_OK;
    return batch_flush(b, db, err, errlen);
}

enum dh_status
batch_flush(struct batch *b, struct db *db, char *err, size_t errlen)
{
    enum dh_status rc = DH_OK;

    if (b->nrows == BATCH_ROWS)
        rc = write_rows(b, db, b->many, 0, BATCH_ROWS, err, errlen);
    else
        for (int r = 0; r < b->nrows && rc == DH_OK; r++)
            rc = write_rows(b, db, b->one, r, 1, err, errlen);
    batch_drop(b);
    return rc;
}

void
batch_drop(struct batch *b)
{
    b->nrows = 0;
    b->col = 0;
    buf_reset(&b->arena);
}

void
batch_close(struct batch *b)
{
    sqlite3_finalize(b->many);
    sqlite3_finalize(b->one);
    buf_free(&b->arena);
    b->many = b->one = NULL;
}
