/* SPDX-License-Identifier: MIT
 *
 * The domain view: one domain's DGA score with every lexical feature's
 * value and contribution, its tunnel figures, query types and answers,
 * first and last seen, the hosts that asked (Enter opens one) and
 * sample names, escaped.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/isotime.h"
#include "core/lexname.h"
#include "core/util.h"
#include "model/forest.h"
#include "storage/results.h"
#include "tui/app.h"

struct domain_load {
    struct app  *a;
    struct view *v;
    char        *name, *registrable;
    int64_t      id;
};

static int
got_domain(void *arg, const struct domain_row *d,
           const struct host_domain_row *hd)
{
    struct domain_load *L = arg;
    struct view *v = L->v;
    char name[300], reg[300], alpha[32] = "-", a[32], b[32];

    (void)hd;
    L->id = d->id;
    L->name = xstrdup(d->domain);
    L->registrable = xstrdup(d->registrable ? d->registrable : d->domain);
    escape_bytes(name, sizeof name, d->domain, strlen(d->domain));
    escape_bytes(reg, sizeof reg, L->registrable, strlen(L->registrable));
    if (d->alphabet)
        escape_bytes(alpha, sizeof alpha, d->alphabet, strlen(d->alphabet));
    view_add(v, ROLE_NORMAL, "%s (registrable %s)%s%s", name, reg,
             d->noise ? ", noise list: " : "", d->noise ? d->noise : "");
    {
        const char *m = marks_verdict(L->a, 0, d->domain);
        const char *tag = marks_domain_tag(L->a, d->domain, L->registrable);
        if (*m || *tag)
            view_add(v, ROLE_HIGH, "decision %s%s%s", m, *m && *tag ? ", "
                     : "", tag);
    }
    view_add(v, ROLE_NORMAL, "queries  %s from %lld host%s, NXDOMAIN %s, "
             "%.0f bytes per query, peak %lld a minute",
             fmt_thousands((double)d->queries), (long long)d->hosts,
             d->hosts == 1 ? "" : "s",
             fmt_thousands((double)d->nxdomain), d->bytes_per_query,
             (long long)d->peak_qpm);
    view_add(v, ROLE_NORMAL, "types    TXT %lld, NULL %lld, KEY %lld, "
             "PRIVATE %lld, ANY %lld, CNAME %lld; %lld answer addresses",
             (long long)d->txt, (long long)d->null_q, (long long)d->key_q,
             (long long)d->private_q, (long long)d->any_q,
             (long long)d->cname_q, (long long)d->answer_addrs);
    view_add(v, ROLE_NORMAL, "seen     %s .. %s",
             isotime_or_dash(d->first_seen, a, sizeof a), isotime_or_dash(d->last_seen, b,
                                                    sizeof b));
    view_add(v, ROLE_SECTION, "Tunnel figures");
    view_add(v, d->tunnel_score >= 0.5 ? ROLE_CRITICAL : ROLE_NORMAL,
             "  tunnel_score %.3f: %s unique subdomains, mean %.1f "
             "characters (p95 %.0f), longest label %lld, %.2f bits a "
             "character, %s", d->tunnel_score,
             fmt_thousands((double)d->unique_subdomains),
             d->mean_sub_len > 0 ? d->mean_sub_len : 0,
             d->p95_sub_len > 0 ? d->p95_sub_len : 0,
             (long long)d->longest_label,
             d->sub_entropy > 0 ? d->sub_entropy : 0, alpha);
    view_add(v, ROLE_SECTION, "DGA score");
    if (d->dga_score >= 0)
        view_add(v, d->dga_score >= 0.873 ? ROLE_CRITICAL : ROLE_NORMAL,
                 "  dga_score %.4f", d->dga_score);
    else
        view_add(v, ROLE_NORMAL, "  not scored: %s", d->reason);
    return 1;
}

/* Each lexical feature's value, benign rank and effect on the score. */
static void
lexical(struct domain_load *L)
{
    struct app *a = L->a;
    struct lexctx *c;
    struct lex_result *r;
    double bias, contrib[LX_COUNT];

    if (!a->has_model)
        return;
    c = lexctx_new(&a->model);
    r = xmalloc(sizeof *r);
    if (lexname_classify(c, L->name, strlen(L->name), 1, r) == LR_SCORED &&
        a->model.forest.n_features == LX_COUNT) {
        rf_contributions(&a->model.forest, r->x, &bias, contrib);
        view_add(L->v, ROLE_NORMAL, "  base rate %.4f; feature, value, "
                 "share of benign names below, effect", bias);
        for (int f = 0; f < LX_COUNT; f++) {
            double rank = lex_benign_rank(&a->model, f, r->x[f]);
            view_add(L->v, contrib[f] > 0.02 ? ROLE_HIGH : ROLE_NORMAL,
                     "  %-22s %10.4f %7.1f%% %+9.4f  %s",
                     lex_feature_name(f), r->x[f], rank < 0 ? 0 : rank * 100,
                     contrib[f], lex_feature_help(f));
        }
    }
    free(r);
    lexctx_free(c);
}

static int
got_host(void *arg, const struct host_domain_row *r)
{
    struct domain_load *L = arg;
    char host[64];
    struct line *l;

    escape_bytes(host, sizeof host, r->host, strlen(r->host));
    l = view_add(L->v, r->tunnel_score >= 0.5 ? ROLE_HIGH : ROLE_NORMAL,
                 "  %-39s %8s queries %7s NXDOMAIN %7s unique, tunnel "
                 "%.3f%s%.40s", host, fmt_thousands((double)r->queries),
                 fmt_thousands((double)r->nxdomain),
                 fmt_thousands((double)r->unique_subdomains),
                 r->tunnel_score, r->attributed_from ? ", via " : "",
                 r->attributed_from ? r->attributed_from : "");
    l->target = TG_HOST;
    l->arg = xstrdup(r->host);
    return 0;
}

static int
got_name(void *arg, const char *name, size_t n)
{
    struct domain_load *L = arg;
    char shown[1100];

    view_add(L->v, ROLE_NORMAL, "  %s",
             escape_bytes(shown, sizeof shown, name, n));
    return 0;
}

static int
load(struct app *a, struct view *v)
{
    struct domain_load L = { .a = a, .v = v };
    char err[512];
    int found = 0;

    marks_load(a);
    enum dh_status rc = results_domain(a->db, v->arg, got_domain, &L, &found,
                                       err, sizeof err);

    if (rc == DH_OK && !found) {
        display_status(a, 1, "no scored domain is %.60s", v->arg);
        return -1;
    }
    if (rc == DH_OK) {
        lexical(&L);
        view_add(v, ROLE_SECTION, "Hosts that asked");
        rc = results_domain_hosts(a->db, L.id, got_host, &L, err,
                                  sizeof err);
    }
    if (rc == DH_OK) {
        view_add(v, ROLE_SECTION, "Sample names (escaped), longest first");
        rc = results_sample_names(a->db, L.name, L.registrable, 10,
                                  got_name, &L, err, sizeof err);
    }
    free(L.name);
    free(L.registrable);
    if (rc != DH_OK) {
        display_status(a, 1, "cannot read the domain: %s", err);
        return -1;
    }
    return 0;
}

const struct view_ops domain_view_ops = {
    .name = "domain", .title = "Domain", .load = load,
};
