/* SPDX-License-Identifier: MIT
 *
 * Views as lists of lines: opening and reloading, the filter, moving,
 * searching and sorting (see app.h).
 */
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/util.h"
#include "tui/app.h"

static void
clear_lines(struct view *v)
{
    for (size_t i = 0; i < v->n_lines; i++) {
        free(v->lines[i].text);
        free(v->lines[i].arg);
        free(v->lines[i].detail);
    }
    v->n_lines = 0;
    v->n_shown = 0;                     /* nothing to draw until a load */
    free(v->header);
    v->header = NULL;
}

struct view *
view_open(struct app *a, const struct view_ops *ops, const char *arg)
{
    struct view *v = xcalloc(1, sizeof *v);

    v->ops = ops;
    v->arg = arg ? xstrdup(arg) : NULL;
    if (ops->load(a, v) != 0) {
        view_free(v);
        return NULL;
    }
    view_apply_filter(v);
    return v;
}

/* Put the lines in the order of sort key v->sort (0: as loaded). */
static void sort_lines(struct view *v);

/* The shown row of the line with the cursor's target and argument, or
 * the row number clamped to the new lines when it is gone. */
static size_t
same_row(const struct view *v, int target, const char *arg, size_t row)
{
    for (size_t i = 0; arg && i < v->n_shown; i++) {
        const struct line *l = &v->lines[v->shown[i]];
        if (l->target == target && l->arg && strcmp(l->arg, arg) == 0)
            return i;
    }
    return row < v->n_shown ? row : v->n_shown ? v->n_shown - 1 : 0;
}

void
view_reload(struct app *a, struct view *v)
{
    struct line *at = view_current(v);
    char *arg = at && at->arg ? xstrdup(at->arg) : NULL;
    int target = at ? at->target : TG_NONE;
    size_t row = v->cursor, off = v->cursor >= v->top ? v->cursor - v->top
                                                       : 0;

    clear_lines(v);
    if (v->ops->load(a, v) == 0) {
        if (v->sort > 0)
            sort_lines(v);
        view_apply_filter(v);
        v->cursor = same_row(v, target, arg, row);
        /* the cursor stays where it was on the screen when it can */
        v->top = v->cursor >= off ? v->cursor - off : 0;
    }
    free(arg);
}

void
view_free(struct view *v)
{
    if (!v)
        return;
    clear_lines(v);
    free(v->lines);
    free(v->shown);
    free(v->arg);
    if (v->has_filter)
        regfree(&v->filter);
    free(v);
}

struct line *
view_add(struct view *v, int role, const char *fmt, ...)
{
    struct line *l;
    va_list ap;
    char *text;
    int n;

    va_start(ap, fmt);
    n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    text = xmalloc((size_t)(n > 0 ? n : 0) + 1);
    va_start(ap, fmt);
    vsnprintf(text, (size_t)n + 1, fmt, ap);
    va_end(ap);
    if (v->n_lines == v->cap) {
        v->cap = v->cap ? v->cap * 2 : 64;
        v->lines = xrealloc(v->lines, v->cap * sizeof *v->lines);
    }
    l = &v->lines[v->n_lines++];
    memset(l, 0, sizeof *l);
    l->text = sanitize_ascii(text);     /* callers escape; belt and braces */
    l->role = role;
    return l;
}

void
view_add_wrapped(struct view *v, int role, const char *lead,
                 const char *text, int width)
{
    int indent = (int)strlen(lead), room = width - indent;
    const char *p = text;

    if (room < 20)
        room = 20;
    do {
        int n = (int)strlen(p);
        if (n > room) {
            n = room;
            while (n > room / 2 && p[n] != ' ')
                n--;
            if (p[n] != ' ')
                n = room;               /* no space to break at: cut */
        }
        view_add(v, role, "%*s%.*s", indent, p == text ? lead : "", n, p);
        p += n;
        while (*p == ' ')
            p++;
    } while (*p);
}

void
view_apply_filter(struct view *v)
{
    /* the cursor stays on its line, or goes to the next one shown */
    size_t at = v->shown && v->cursor < v->n_shown ? v->shown[v->cursor] : 0;

    free(v->shown);
    v->shown = xmalloc((v->n_lines + 1) * sizeof *v->shown);
    v->n_shown = 0;
    v->cursor = SIZE_MAX;
    for (size_t i = 0; i < v->n_lines; i++)
        if (!v->has_filter ||
            regexec(&v->filter, v->lines[i].text, 0, NULL, 0) == 0) {
            if (i >= at && v->cursor == SIZE_MAX)
                v->cursor = v->n_shown;
            v->shown[v->n_shown++] = i;
        }
    if (v->cursor >= v->n_shown)
        v->cursor = v->n_shown ? v->n_shown - 1 : 0;
    if (v->top > v->cursor)
        v->top = v->cursor;
}

void
view_move(struct view *v, long delta, size_t page)
{
    long c = (long)v->cursor + delta;

    if (!v->n_shown)
        return;
    if (c < 0)
        c = 0;
    if (c >= (long)v->n_shown)
        c = (long)v->n_shown - 1;
    v->cursor = (size_t)c;
    if (v->cursor < v->top)
        v->top = v->cursor;
    if (page && v->cursor >= v->top + page)
        v->top = v->cursor - page + 1;
}

int
view_find(struct app *a, struct view *v, int dir)
{
    if (!a->has_search || !v->n_shown)
        return -1;
    for (size_t step = 1; step <= v->n_shown; step++) {
        size_t i = (v->cursor + v->n_shown +
                    (size_t)((long)step * dir)) % v->n_shown;
        if (regexec(&a->search, v->lines[v->shown[i]].text, 0, NULL,
                    0) == 0) {
            view_move(v, (long)i - (long)v->cursor, display_page(a));
            return 0;
        }
    }
    return -1;
}

struct line *
view_current(struct view *v)
{
    return v->n_shown ? &v->lines[v->shown[v->cursor]] : NULL;
}

/* A line's place in a sort: its key and where it is now. */
struct sorted {
    double key;
    size_t at;
};

static int
by_key(const void *a, const void *b)
{
    const struct sorted *x = a, *y = b;

    if (x->key != y->key)
        return x->key < y->key ? 1 : -1;    /* largest first */
    return (x->at > y->at) - (x->at < y->at);
}

static void
sort_lines(struct view *v)
{
    struct sorted *k;
    struct line *lines;

    if (!v->n_lines)
        return;
    k = xmalloc(v->n_lines * sizeof *k);
    for (size_t i = 0; i < v->n_lines; i++)
        k[i] = (struct sorted){ v->lines[i].key[v->sort], i };
    qsort(k, v->n_lines, sizeof *k, by_key);
    lines = xmalloc(v->cap * sizeof *lines);
    for (size_t i = 0; i < v->n_lines; i++)
        lines[i] = v->lines[k[i].at];
    free(v->lines);
    free(k);
    v->lines = lines;
}

void
view_sort_next(struct view *v)
{
    size_t n = 0;

    while (v->ops->sorts && v->ops->sorts[n])
        n++;
    if (n < 2 || !v->n_lines)
        return;
    v->sort = (v->sort + 1) % (int)n;
    sort_lines(v);
    view_apply_filter(v);
    v->cursor = v->top = 0;
}
