/* SPDX-License-Identifier: MIT
 *
 * The verdicts view (every verdict, newest first; Enter opens its host
 * or domain) and the allow-list view (every entry with what it hides in
 * the last scoring, who added it and when, and whether it is active,
 * unused or expired).
 */
#include <stdio.h>
#include <string.h>

#include "core/decide.h"
#include "core/isotime.h"
#include "core/util.h"
#include "storage/decisions.h"
#include "tui/app.h"

static int
verdict_line(void *arg, const struct verdict_row *r)
{
    struct view *v = arg;
    char value[300], note[300], by[64], at[32];
    struct line *l;

    escape_bytes(value, sizeof value, r->value, strlen(r->value));
    escape_bytes(note, sizeof note, r->note ? r->note : "",
                 r->note ? strlen(r->note) : 0);
    escape_bytes(by, sizeof by, r->analyst, strlen(r->analyst));
    l = view_add(v, strcmp(r->verdict, "tp") == 0 ? ROLE_CRITICAL
                 : ROLE_NORMAL, "%-6.6s %-6.6s %-44s %-12s %s  %s",
                 r->verdict, r->subject, value, by, isotime_or_dash(r->at, at,
                                                         sizeof at), note);
    l->target = strcmp(r->subject, "host") == 0 ? TG_HOST : TG_DOMAIN;
    l->arg = xstrdup(r->value);
    return 0;
}

static int
load_verdicts(struct app *a, struct view *v)
{
    char err[512];

    v->header = xstrdup("verdict on     value                               "
                        "         by           at                    note");
    if (decisions_verdicts(a->db, verdict_line, v, err, sizeof err) !=
        DH_OK) {
        display_status(a, 1, "cannot read the verdicts: %s", err);
        return -1;
    }
    if (!v->n_lines)
        view_add(v, ROLE_DIM, "no verdicts: t and x mark the host or "
                 "domain under the cursor");
    return 0;
}

struct allow_load {
    struct app  *a;
    struct view *v;
};

static int
allow_line(void *arg, const struct allow_entry *e)
{
    struct allow_load *L = arg;
    struct allow_preview p;
    char value[300], by[64], reason[300], at[32], until[32];
    const char *status = decide_entry_status(L->a->db, e, decide_now(), &p);

    escape_bytes(value, sizeof value, e->value, strlen(e->value));
    escape_bytes(by, sizeof by, e->added_by, strlen(e->added_by));
    escape_bytes(reason, sizeof reason, e->reason ? e->reason : "",
                 e->reason ? strlen(e->reason) : 0);
    view_add(L->v, strcmp(status, "active") ? ROLE_DIM : ROLE_NORMAL,
             "%4lld %-11.11s %-36s %-7.7s %-7s %6llu %8llu %5llu  %-10s %s "
             "%s  %s", (long long)e->id, e->kind, value, e->scope, status,
             (unsigned long long)p.domains, (unsigned long long)p.queries,
             (unsigned long long)p.hosts, by, isotime_or_dash(e->added_at, at,
             sizeof at), isotime_or_dash(e->expires_at, until, sizeof until), reason);
    return 0;
}

static int
load_allow(struct app *a, struct view *v)
{
    struct allow_load L = { a, v };
    char err[512];

    v->header = xstrdup("  id kind        value                          "
                        "      scope   status  domains  queries hosts  by"
                        "         added                expires  reason");
    if (decisions_allow_list(a->db, allow_line, &L, err, sizeof err) !=
        DH_OK) {
        display_status(a, 1, "cannot read the allow-list: %s", err);
        return -1;
    }
    if (!v->n_lines)
        view_add(v, ROLE_DIM, "the allow-list is empty: a adds the host or "
                 "domain under the cursor");
    return 0;
}

const struct view_ops verdicts_view_ops = {
    .name = "verdicts", .title = "Verdicts", .load = load_verdicts,
};

const struct view_ops allow_view_ops = {
    .name = "allow", .title = "Allow-list", .load = load_allow,
};
