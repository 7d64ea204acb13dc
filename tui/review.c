/* SPDX-License-Identifier: MIT
 *
 * The review queue: names to label quickly. The domains that got
 * NXDOMAIN answers for a host in a burst (an hour with REVIEW_BURST or
 * more distinct NXDOMAIN names), with no verdict yet and no noise mark,
 * the least certain first: dga_score nearest the DGA threshold (the
 * configuration's dga_threshold, else the model's).
 * t and x mark the name under the cursor, which then leaves the queue
 * (the help says so); `dnshunt retrain` learns from the marks.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "core/config.h"
#include "core/util.h"
#include "storage/results.h"
#include "tui/app.h"

#define REVIEW_BURST 3          /* distinct NXDOMAIN names in an hour */
#define MAX_REVIEW 500

static const char *const sorts[] = { "uncertainty", "queries", "hosts",
                                     NULL };

struct review_load {
    struct view *v;
    double       thr;
};

static int
review_line(void *arg, const struct domain_row *d,
            const struct host_domain_row *hd)
{
    struct review_load *L = arg;
    char name[300];
    struct line *l;
    double dist = fabs(d->dga_score - L->thr);

    (void)hd;
    escape_bytes(name, sizeof name, d->domain, strlen(d->domain));
    l = view_add(L->v, d->dga_score > L->thr ? ROLE_HIGH : ROLE_NORMAL,
                 "%-44.44s %6.3f %+7.3f %6lld %9s %8s", name, d->dga_score,
                 d->dga_score - L->thr, (long long)d->hosts,
                 fmt_thousands((double)d->queries),
                 fmt_thousands((double)d->nxdomain));
    l->target = TG_DOMAIN;
    l->arg = xstrdup(d->domain);
    l->key[0] = -dist;          /* sorts run high to low */
    l->key[1] = (double)d->queries;
    l->key[2] = (double)d->hosts;
    return 0;
}

static int
load(struct app *a, struct view *v)
{
    char err[512];
    struct review_load L = { v, 0.9 };

    struct config cfg;

    /* the threshold scoring uses: the configuration's, else the
     * model's for one benign name in a thousand */
    if (a->has_model && a->model.split.thr3 > 0)
        L.thr = a->model.split.thr3;
    if (config_load(&cfg, NULL, err, sizeof err) == 0 &&
        cfg.rules.dga_threshold > 0)
        L.thr = cfg.rules.dga_threshold;
    config_free(&cfg);
    v->header = xstrdup("domain                                          "
                        "dga  vs thr  hosts   queries       nx");
    if (results_review(a->db, L.thr, REVIEW_BURST, MAX_REVIEW, review_line,
                       &L, err, sizeof err) != DH_OK) {
        display_status(a, 1, "cannot read the review queue: %s", err);
        return -1;
    }
    if (!v->n_lines)
        view_add(v, ROLE_DIM, "nothing to review: no unlabelled domain in "
                 "an NXDOMAIN burst");
    return 0;
}

const struct view_ops review_view_ops = {
    .name = "review", .title = "Review", .load = load, .sorts = sorts,
};
