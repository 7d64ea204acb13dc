/* SPDX-License-Identifier: MIT
 *
 * Drawing: a title line with the view and the position in it, the
 * view's column header and lines, and one status line at the bottom;
 * a message instead when the terminal is too small. Colours are roles
 * mapped to one theme, or to attributes alone in monochrome (NO_COLOR,
 * or a terminal without colours). See app.h.
 */
#include <curses.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "core/util.h"
#include "tui/app.h"

#define MIN_ROWS 10
#define MIN_COLS 60

/* Each role: its colour pair (foreground, background) and attributes,
 * and its attributes alone when there is no colour. */
static const struct {
    short fg, bg;
    int   attr, mono;
} theme[ROLE_COUNT] = {
    [ROLE_NORMAL] = { -1, -1, 0, 0 },
    [ROLE_TITLE] = { COLOR_WHITE, COLOR_BLUE, A_BOLD, A_REVERSE },
    [ROLE_HEADER] = { COLOR_CYAN, -1, A_BOLD, A_UNDERLINE },
    [ROLE_SECTION] = { COLOR_YELLOW, -1, A_BOLD, A_BOLD },
    [ROLE_STATUS] = { -1, -1, 0, 0 },
    [ROLE_ERROR] = { COLOR_RED, -1, A_BOLD, A_BOLD },
    [ROLE_CURSOR] = { COLOR_BLACK, COLOR_CYAN, 0, A_REVERSE },
    [ROLE_CRITICAL] = { COLOR_RED, -1, A_BOLD, A_BOLD },
    [ROLE_HIGH] = { COLOR_MAGENTA, -1, 0, A_BOLD },
    [ROLE_MEDIUM] = { COLOR_YELLOW, -1, 0, 0 },
    [ROLE_LOW] = { COLOR_GREEN, -1, 0, 0 },
    [ROLE_DIM] = { COLOR_BLUE, -1, 0, A_DIM },
    [ROLE_MATCH] = { COLOR_BLACK, COLOR_YELLOW, 0, A_UNDERLINE },
};

void
display_init(struct app *a)
{
    const char *no = getenv("NO_COLOR");

    a->colour = has_colors() && !(no && *no);
    if (!a->colour || a->colour_ready)
        return;
    a->colour_ready = 1;
    start_color();
    use_default_colors();
    for (int r = 1; r < ROLE_COUNT; r++)
        init_pair((short)r, theme[r].fg, theme[r].bg);
}

static int
attr_of(const struct app *a, int role)
{
    if ((unsigned)role >= ROLE_COUNT)
        role = ROLE_NORMAL;
    if (!a->colour)
        return theme[role].mono;
    return role ? (int)COLOR_PAIR(role) | theme[role].attr : 0;
}

/* Draw text[0..] on row y from column 0, padded to the width. */
static void
put_row(struct app *a, int y, int role, const char *text)
{
    int attr = attr_of(a, role);

    attron(attr);
    mvaddnstr(y, 0, text, a->cols);
    for (int x = (int)strlen(text); x < a->cols; x++)
        mvaddch(y, x, ' ');
    attroff(attr);
}

size_t
display_page(const struct app *a)
{
    const struct view *v = a->depth ? a->stack[a->depth - 1] : NULL;
    int page = a->rows - 2 - (v && v->header ? 1 : 0);

    return page > 1 ? (size_t)page : 1;
}

static void
draw_title(struct app *a, const struct view *v)
{
    char title[512], where[96], arg[256] = "";

    if (v->arg)
        escape_bytes(arg, sizeof arg, v->arg, strlen(v->arg));
    snprintf(where, sizeof where, "row %s of %s", fmt_thousands(
             v->n_shown ? (double)v->cursor + 1 : 0),
             fmt_thousands((double)v->n_shown));
    snprintf(title, sizeof title, " dnshunt | %s%s%s%s | %s%s%s",
             v->ops->title, v->arg ? " " : "", arg,
             v->has_filter ? " (filtered)" : "", where,
             v->ops->sorts && v->ops->sorts[1] ? " | sorted by " : "",
             v->ops->sorts && v->ops->sorts[1] ? v->ops->sorts[v->sort] : "");
    put_row(a, 0, ROLE_TITLE, title);
}

static void
draw_lines(struct app *a, struct view *v)
{
    size_t page = display_page(a);
    int y = 1;

    if (v->header)
        put_row(a, y++, ROLE_HEADER, v->header);
    if (v->cursor >= v->top + page)
        v->top = v->cursor - page + 1;
    if (v->top + page > v->n_shown)     /* no empty lines below the end */
        v->top = v->n_shown > page ? v->n_shown - page : 0;
    if (v->top > v->cursor)
        v->top = v->cursor;
    for (size_t i = 0; i < page; i++, y++) {
        size_t k = v->top + i;
        const struct line *l;
        int role;
        if (k >= v->n_shown) {
            put_row(a, y, ROLE_DIM, "~");
            continue;
        }
        l = &v->lines[v->shown[k]];
        role = k == v->cursor ? ROLE_CURSOR
             : a->has_search && regexec(&a->search, l->text, 0, NULL, 0) == 0
             ? ROLE_MATCH : l->role;
        put_row(a, y, role, l->text);
    }
}

int
display_too_small(const struct app *a)
{
    return a->rows < MIN_ROWS || a->cols < MIN_COLS;
}

void
display_draw(struct app *a)
{
    struct view *v = a->stack[a->depth - 1];

    erase();
    if (a->rows < MIN_ROWS || a->cols < MIN_COLS) {
        char msg[96];
        snprintf(msg, sizeof msg, "terminal too small: %dx%d, dnshunt needs "
                 "%dx%d", a->cols, a->rows, MIN_COLS, MIN_ROWS);
        mvaddnstr(0, 0, msg, a->cols > 0 ? a->cols : 1);
        refresh();
        return;
    }
    draw_title(a, v);
    draw_lines(a, v);
    /* a message first; else the whole of what the line under the
     * cursor has no room for */
    const struct line *cur = view_current(v);
    put_row(a, a->rows - 1, a->status_error ? ROLE_ERROR : ROLE_STATUS,
            a->status[0] || !cur || !cur->detail ? a->status : cur->detail);
    refresh();
}

void
display_status(struct app *a, int error, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(a->status, sizeof a->status, fmt, ap);
    va_end(ap);
    sanitize_ascii(a->status);
    a->status_error = error;
}

int
display_dump(struct app *a, const char *path)
{
    FILE *f = fopen(path, "w");

    if (!f)
        return -1;
    for (int y = 0; y < a->rows; y++) {
        char line[4096];
        int n = mvinnstr(y, 0, line, (int)sizeof line - 1);
        if (n < 0)
            n = 0;
        line[n] = '\0';
        while (n > 0 && line[n - 1] == ' ')
            line[--n] = '\0';
        fprintf(f, "%s\n", line);
    }
    return fclose(f) == 0 ? 0 : -1;
}
