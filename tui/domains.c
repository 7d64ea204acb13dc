/* SPDX-License-Identifier: MIT
 *
 * The domains view: every scored domain, most suspicious first, with
 * its DGA and tunnel scores, hosts, queries, NXDOMAIN answers and
 * unique subdomains (the 10,000 most suspicious). Enter opens one.
 */
#include <stdio.h>
#include <string.h>

#include "core/util.h"
#include "storage/results.h"
#include "tui/app.h"

/* Domains listed, at most: the most suspicious ones. */
#define MAX_DOMAINS 10000

static const char *const sorts[] = {
    "suspicion", "queries", "hosts", "unique subdomains", NULL,
};

struct domains_load {
    struct app  *a;
    struct view *v;
};

static int
domain_line(void *arg, const struct domain_row *d,
            const struct host_domain_row *hd)
{
    struct domains_load *L = arg;
    struct view *v = L->v;
    const char *m = marks_verdict(L->a, 0, d->domain);
    const char *tag = *m ? m : marks_domain_tag(L->a, d->domain,
                                                d->registrable);
    char name[300], dga[16];
    struct line *l;
    double top = d->dga_score > d->tunnel_score ? d->dga_score
                                                : d->tunnel_score;

    (void)hd;
    escape_bytes(name, sizeof name, d->domain, strlen(d->domain));
    snprintf(dga, sizeof dga, d->dga_score >= 0 ? "%.3f" : "-", d->dga_score);
    l = view_add(v, top >= 0.9 ? ROLE_CRITICAL : top >= 0.5 ? ROLE_HIGH
                 : ROLE_NORMAL, "%-44.44s %6s %6.3f %6lld %9s %8s %8s  %s",
                 name, dga, d->tunnel_score, (long long)d->hosts,
                 fmt_thousands((double)d->queries),
                 fmt_thousands((double)d->nxdomain),
                 fmt_thousands((double)d->unique_subdomains),
                 *tag ? tag : "-");
    l->target = TG_DOMAIN;
    l->arg = xstrdup(d->domain);
    l->key[0] = top;
    l->key[1] = (double)d->queries;
    l->key[2] = (double)d->hosts;
    l->key[3] = (double)d->unique_subdomains;
    return 0;
}

static int
load(struct app *a, struct view *v)
{
    char err[512];
    struct domains_load L = { a, v };

    marks_load(a);
    v->header = xstrdup("domain                                          "
                        "dga tunnel  hosts   queries       nx   unique  "
                        "verdict");
    if (results_domains(a->db, 0, MAX_DOMAINS, domain_line, &L, err,
                        sizeof err) != DH_OK) {
        display_status(a, 1, "cannot read the domains: %s", err);
        return -1;
    }
    if (!v->n_lines)
        view_add(v, ROLE_DIM, "no domains: press r to score the store");
    else if (v->n_lines == MAX_DOMAINS)
        view_add(v, ROLE_DIM, "(the first %d; `dnshunt domains --limit 0` "
                 "lists them all)", MAX_DOMAINS);
    return 0;
}

const struct view_ops domains_view_ops = {
    .name = "domains", .title = "Domains", .load = load, .sorts = sorts,
};
