/* SPDX-License-Identifier: MIT
 *
 * The analysts' decisions as the views show them: verdicts and the
 * allow-list in force, reloaded with each view, so a mark or an entry
 * shows at once, before the next scoring applies it (see app.h).
 */
#include <stdlib.h>
#include <string.h>

#include "core/decide.h"
#include "core/util.h"
#include "storage/decisions.h"
#include "tui/app.h"

static int
got_verdict(void *arg, const struct verdict_row *v)
{
    struct app *a = arg;
    struct mark *m;

    a->marks = xrealloc(a->marks, (a->n_marks + 1) * sizeof *a->marks);
    m = &a->marks[a->n_marks++];
    m->host = strcmp(v->subject, "host") == 0;
    m->value = xstrdup(v->value);
    snprintf(m->verdict, sizeof m->verdict, "%s", v->verdict);
    return 0;
}

void
marks_free(struct app *a)
{
    for (size_t i = 0; i < a->n_marks; i++)
        free(a->marks[i].value);
    free(a->marks);
    a->marks = NULL;
    a->n_marks = 0;
    allow_free(&a->allow);
}

void
marks_load(struct app *a)
{
    char err[256];

    marks_free(a);
    if (decisions_verdicts(a->db, got_verdict, a, err, sizeof err) != DH_OK ||
        allow_load(a->db, decide_now(), &a->allow, err, sizeof err) != DH_OK)
        display_status(a, 1, "cannot read the decisions: %s", err);
}

const char *
marks_verdict(const struct app *a, int host, const char *value)
{
    for (size_t i = 0; i < a->n_marks; i++)
        if (a->marks[i].host == host && strcmp(a->marks[i].value, value) == 0)
            return a->marks[i].verdict;
    return "";
}

const char *
marks_host_tag(const struct app *a, const char *addr)
{
    const struct allow_item *it = allow_host(&a->allow, addr);

    return it && it->scope == AS_ALL ? "allowed" : it ? "allowed-dga" : "";
}

const char *
marks_domain_tag(const struct app *a, const char *domain,
                 const char *registrable)
{
    const struct allow_item *it = allow_name(&a->allow, domain, registrable);

    return !it ? "" : it->scope == AS_ALL ? "allowed" : "allowed-dga";
}
