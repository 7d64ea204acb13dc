/* SPDX-License-Identifier: MIT
 *
 * The imports view: every imported file with its status, rows kept and
 * rejected, and under each file with rejects the first of them with
 * their reasons. Paths and excerpts come from outside: escaped.
 */
#include <stdio.h>
#include <string.h>

#include "core/util.h"
#include "storage/stats.h"
#include "tui/app.h"

#define REJECTS_SHOWN 3

static void
reject_line(void *arg, int64_t line, const char *reason, const char *excerpt)
{
    struct view *v = arg;
    char r[300], e[300];

    /* stored already escaped: only stray bytes from an edited store */
    snprintf(r, sizeof r, "%s", reason);
    snprintf(e, sizeof e, "%s", excerpt ? excerpt : "");
    sanitize_ascii(r);
    sanitize_ascii(e);
    view_add(v, ROLE_ERROR, "      line %lld: %s  %s", (long long)line, r, e);
}

static int
load(struct app *a, struct view *v)
{
    struct store_stats st;
    char err[512];

    if (store_files(a->db, &st, err, sizeof err) != DH_OK) {
        display_status(a, 1, "cannot read the imports: %s", err);
        return -1;
    }
    v->header = xstrdup("status   format         rows  rejected  file");
    for (size_t i = 0; i < st.n_files; i++) {
        const struct store_file *f = &st.files[i];
        char path[600], status[16], format[24];
        escape_bytes(path, sizeof path, f->path, strlen(f->path));
        escape_bytes(status, sizeof status, f->status, strlen(f->status));
        escape_bytes(format, sizeof format, f->format, strlen(f->format));
        /* the end of a long path tells files apart: keep it */
        int room = a->cols - 42;
        const char *shown = path;
        if (room > 10 && (int)strlen(path) > room)
            shown = path + strlen(path) - (size_t)(room - 3);
        struct line *l = view_add(v, strcmp(f->status, "ok") ? ROLE_HIGH :
                                  ROLE_NORMAL, "%-8s %-10s %9s %9s  %s%s",
                                  status, format,
                                  fmt_thousands((double)f->rows),
                                  fmt_thousands((double)f->rejected),
                                  shown == path ? "" : "...", shown);
        if (shown != path)
            l->detail = xstrdup(path);
        if (f->rejected &&
            store_rejects(a->db, f->id, REJECTS_SHOWN, reject_line, v, err,
                          sizeof err) != DH_OK)
            break;
    }
    if (!st.n_files)
        view_add(v, ROLE_DIM, "nothing imported: run `dnshunt import "
                 "PATH` (or `:import PATH`)");
    store_stats_free(&st);
    return 0;
}

const struct view_ops imports_view_ops = {
    .name = "imports", .title = "Imports", .load = load,
};
