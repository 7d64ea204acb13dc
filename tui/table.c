/* SPDX-License-Identifier: MIT
 *
 * The table view: the rows of an analyst's read-only SELECT (`:sql`),
 * one line a row, cells escaped and cut to 40 characters, at most 10,000
 * rows.
 */
#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/util.h"
#include "storage/results.h"
#include "tui/app.h"

#define MAX_ROWS 10000
#define CELL 40

static int
row_line(void *arg, int n, const char *const *names,
         const char *const *vals)
{
    struct view *v = arg;
    struct buf b = { 0 };

    if (!v->header) {
        for (int i = 0; i < n; i++) {
            char cell[CELL + 8];
            escape_bytes(cell, sizeof cell, names[i], strlen(names[i]));
            buf_printf(&b, "%s%-*s", i ? " | " : "", 16, cell);
        }
        v->header = b.data ? b.data : xstrdup("");
        b = (struct buf){ 0 };
    }
    for (int i = 0; i < n; i++) {
        char cell[CELL + 8];
        escape_bytes(cell, sizeof cell, vals[i] ? vals[i] : "NULL",
                     vals[i] ? strlen(vals[i]) : 4);
        buf_printf(&b, "%s%-*s", i ? " | " : "", 16, cell);
    }
    view_add(v, ROLE_NORMAL, "%s", b.data ? b.data : "");
    buf_free(&b);
    return 0;
}

/* Asked during a long query: q, Esc or C-c gives up. */
static int
stop_key(void *arg)
{
    struct app *a = arg;
    int k;

    if (a->script)
        return 0;
    nodelay(stdscr, TRUE);
    k = getch();
    nodelay(stdscr, FALSE);
    return console_interrupted() || k == 'q' || k == 27 || k == 3;
}

static int
load(struct app *a, struct view *v)
{
    char err[512], said[sizeof a->status];
    int said_error = a->status_error;
    enum dh_status rc;

    memcpy(said, a->status, sizeof said);   /* a reload keeps the message */
    display_status(a, 0, "running the query... (q cancels)");
    display_draw(a);
    rc = results_select(a->db, v->arg, MAX_ROWS + 1, row_line, v, stop_key,
                        a, err, sizeof err);

    if (rc != DH_OK) {
        display_status(a, 1, "sql: %s", err);
        return -1;
    }
    if (!v->n_lines)
        view_add(v, ROLE_DIM, "(no rows)");
    if (v->n_lines > MAX_ROWS) {        /* the extra row says it was cut */
        free(v->lines[MAX_ROWS].text);
        v->n_lines = MAX_ROWS;
        view_add(v, ROLE_DIM, "(the first %d rows only)", MAX_ROWS);
    }
    display_status(a, said_error, "%s", said);
    return 0;
}

const struct view_ops table_view_ops = {
    .name = "sql", .title = "SQL", .load = load,
};
