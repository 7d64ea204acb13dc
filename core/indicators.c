/* SPDX-License-Identifier: MIT
 *
 * Confirmed indicators (see indicators.h).
 */
#include "core/indicators.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/util.h"
#include "storage/decisions.h"
#include "storage/results.h"

const struct technique tech_table[TECH_COUNT] = {
    { "T1568.002", "Dynamic Resolution: Domain Generation Algorithms",
      "command-and-control" },
    { "T1568.001", "Dynamic Resolution: Fast Flux DNS",
      "command-and-control" },
    { "T1071.004", "Application Layer Protocol: DNS", "command-and-control" },
    { "T1071.001", "Application Layer Protocol: Web Protocols",
      "command-and-control" },
    { "T1572", "Protocol Tunneling", "command-and-control" },
    { "T1048.003", "Exfiltration Over Alternative Protocol: Exfiltration "
      "Over Unencrypted Non-C2 Protocol", "exfiltration" },
    { "T1090", "Proxy", "command-and-control" },
};

/* Bits of the fallback techniques. */
enum { TB_DGA = 1u << 0, TB_DNS = 1u << 2, TB_TUNNEL = 1u << 4 };

static int
got_verdict(void *arg, const struct verdict_row *r)
{
    struct confirmed_list *l = arg;

    if (strcmp(r->subject, "domain") || strcmp(r->verdict, "tp"))
        return 0;
    l->v = xrealloc(l->v, (l->n + 1) * sizeof *l->v);
    l->v[l->n++] = (struct confirmed){
        .name = xstrdup(r->value), .note = r->note ? xstrdup(r->note) : NULL,
        .analyst = xstrdup(r->analyst), .at = r->at, .dga = -1 };
    return 0;
}

static int
got_domain(void *arg, const struct domain_row *d,
           const struct host_domain_row *hd)
{
    struct confirmed *c = arg;

    (void)hd;
    c->dga = d->dga_score;
    c->tunnel = d->tunnel_score;
    c->hosts = d->hosts;
    c->queries = d->queries;
    c->first_seen = d->first_seen;
    c->last_seen = d->last_seen;
    return 1;
}

static int
got_technique(void *arg, const char *tech, double strength)
{
    struct confirmed *c = arg;

    for (size_t i = 0; i < TECH_COUNT; i++)
        if (strcmp(tech, tech_table[i].id) == 0)
            c->tech |= 1u << i;
    if (strength > c->strength)
        c->strength = strength;
    return 0;
}

enum dh_status
confirmed_gather(struct db *db, struct confirmed_list *l, char *err,
                 size_t errlen)
{
    memset(l, 0, sizeof *l);
    if (decisions_verdicts(db, got_verdict, l, err, errlen) != DH_OK)
        return DH_DB;
    for (size_t i = 0; i < l->n; i++) {
        struct confirmed *c = &l->v[i];
        int found = 0;
        if (results_domain(db, c->name, got_domain, c, &found, err,
                           errlen) != DH_OK ||
            results_domain_techniques(db, c->name, got_technique, c, err,
                                      errlen) != DH_OK)
            return DH_DB;
        c->found = c->tech;
        if (!c->tech)
            c->tech = c->dga >= 0.873 ? TB_DGA
                    : c->tunnel >= 0.5 ? TB_TUNNEL : TB_DNS;
    }
    return DH_OK;
}

void
confirmed_free(struct confirmed_list *l)
{
    for (size_t i = 0; i < l->n; i++) {
        free(l->v[i].name);
        free(l->v[i].note);
        free(l->v[i].analyst);
    }
    free(l->v);
    l->v = NULL;
    l->n = 0;
}

int
confirmed_confidence(const struct confirmed *c)
{
    double conf = fmax(fmax(c->dga, c->tunnel), c->strength);

    return (int)lround(100 * (conf < 0 ? 0 : conf > 1 ? 1 : conf));
}

void
tech_url(const struct technique *t, char *out, size_t cap)
{
    char path[32];

    snprintf(path, sizeof path, "%s", t->id);
    for (char *p = path; *p; p++)
        if (*p == '.')
            *p = '/';
    snprintf(out, cap, "https://attack.mitre.org/techniques/%s/", path);
}
