/* SPDX-License-Identifier: MIT
 *
 * From gathered evidence to each host's reasons and score (see
 * score_internal.h and model/verdict.h). Each reason gets one line of
 * text, its figures as JSON, the domain it is about and the time span
 * of its evidence.
 */
#include "core/score_internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "model/verdict.h"

/* The pairs, peers and hours of each host, as index lists. */
struct by_host {
    size_t *start, *idx;        /* idx[start[h] .. start[h + 1]) */
};

static void
group(struct by_host *g, size_t n_hosts, size_t n, const int32_t *host_of,
      size_t stride)
{
    g->start = xcalloc(n_hosts + 2, sizeof *g->start);
    g->idx = xmalloc((n + 1) * sizeof *g->idx);
    if (!host_of)
        return;
    for (size_t i = 0; i < n; i++)
        g->start[*(const int32_t *)((const char *)host_of + i * stride) + 2]++;
    for (size_t h = 0; h <= n_hosts; h++)
        g->start[h + 1] += g->start[h];
    for (size_t i = 0; i < n; i++) {
        int32_t h = *(const int32_t *)((const char *)host_of + i * stride);
        g->idx[g->start[h + 1]++] = i;
    }
}

/* Each host's pairs by domain name, peers by address, port and protocol,
 * hours by time: the order the logs came in (which differs between raw
 * logs and Athena's groups) never breaks a tie between two reasons. */
static int
pair_order(const void *a, const void *b, void *arg)
{
    const struct scorer *s = arg;
    const struct pair *x = &s->pairs[*(const size_t *)a];
    const struct pair *y = &s->pairs[*(const size_t *)b];

    return strcmp(s->sites[x->site].name, s->sites[y->site].name);
}

static int
peer_order(const void *a, const void *b, void *arg)
{
    const struct scorer *s = arg;
    const struct peer *x = &s->peers[*(const size_t *)a];
    const struct peer *y = &s->peers[*(const size_t *)b];
    int c = strcmp(x->addr, y->addr);

    if (c)
        return c;
    if (x->port != y->port)
        return x->port < y->port ? -1 : 1;
    return (x->proto > y->proto) - (x->proto < y->proto);
}

static int
hour_order(const void *a, const void *b, void *arg)
{
    const struct scorer *s = arg;
    int64_t x = s->hours[*(const size_t *)a].hour;
    int64_t y = s->hours[*(const size_t *)b].hour;

    return (x > y) - (x < y);
}

static void
sort_groups(struct by_host *g, size_t n_hosts, struct scorer *s,
            int (*cmp)(const void *, const void *, void *))
{
    for (size_t h = 0; h < n_hosts; h++)
        qsort_r(g->idx + g->start[h], g->start[h + 1] - g->start[h],
                sizeof *g->idx, cmp, s);
}

static void
ungroup(struct by_host *g)
{
    free(g->start);
    free(g->idx);
}

/* --- Building one reason --- */

struct rb {
    struct buf text, ev;
    int        ev_items;
};

static void
ev_num(struct rb *b, const char *key, double v)
{
    buf_adds(&b->ev, b->ev_items++ ? ",\"" : "{\"");
    buf_adds(&b->ev, key);
    if (v == floor(v) && fabs(v) < 1e15)
        buf_printf(&b->ev, "\":%.0f", v);
    else
        buf_printf(&b->ev, "\":%.4g", v);
}

static void
ev_str(struct rb *b, const char *key, const char *v)
{
    buf_adds(&b->ev, b->ev_items++ ? ",\"" : "{\"");
    buf_adds(&b->ev, key);
    buf_adds(&b->ev, "\":");
    buf_add_json_string(&b->ev, v, strlen(v));
}

static void
add_reason(struct host *h, int code, double strength, struct rb *b,
           const char *domain, int64_t first, int64_t last)
{
    struct reason *r;

    h->reasons = xrealloc(h->reasons, (h->n_reasons + 1) * sizeof *r);
    r = &h->reasons[h->n_reasons++];
    buf_adds(&b->ev, b->ev_items ? "}" : "{}");
    r->code = code;
    r->strength = strength;
    r->text = b->text.data ? b->text.data : xstrdup("");
    r->evidence = b->ev.data;
    r->domain = domain ? xstrdup(domain) : NULL;
    r->first = first;
    r->last = last;
    memset(b, 0, sizeof *b);
}

int
host_active(const struct host *h)
{
    return h->queries || h->attributed || h->dns_flows || h->dns_bytes;
}

void
reasons_free(struct host *h)
{
    for (size_t i = 0; i < h->n_reasons; i++) {
        free(h->reasons[i].text);
        free(h->reasons[i].evidence);
        free(h->reasons[i].domain);
    }
    free(h->reasons);
    h->reasons = NULL;
    h->n_reasons = 0;
}


/* v with thousands separators (core/util.h). */
static const char *
num(double v)
{
    return fmt_thousands(v);
}

/* The through-resolver note of an attributed pair, or "". */
static void
through(struct scorer *s, const struct pair *p, struct rb *b)
{
    if (p->from < 0)
        return;
    buf_printf(&b->text, "; seen through resolver %s, whose queries match "
               "this host's DNS flows %s of %s times",
               s->hosts[p->from].addr, num(p->matched), num(p->queries));
    ev_str(b, "attributed_from", s->hosts[p->from].addr);
    ev_num(b, "matched_queries", p->matched);
}

/* --- Lexical reasons --- */

/* Mostly names under agent or blocklist zones (zen.spamhaus.org). */
static int
noise_pair(const struct pair *p)
{
    return p->noise_names && 2 * p->noise_names >= p->names;
}

/* Hosts of the fleet a domain may be asked by and still be rare. */
static double
rare_hosts(const struct scorer *s, size_t fleet)
{
    return fmax(s->r->beacon_max_hosts, 0.05 * (double)fleet);
}

static void
dga_reason(struct scorer *s, struct host *h, const size_t *pi, size_t n)
{
    double e = 0, scored = 0, nx = 0, count = 0;
    const struct pair *best = NULL;
    int64_t first = 0, last = 0;
    struct rb b = { 0 };

    for (size_t i = 0; i < n; i++) {
        const struct pair *p = &s->pairs[pi[i]];
        const struct site *d = &s->sites[p->site];
        if (d->reason != LR_SCORED || (d->noise & SN_LEXICAL))
            continue;
        scored++;
        if (d->dga < s->dga_thr)
            continue;
        count++;
        nx += p->noerror == 0;
        e += p->noerror == 0 ? 1.0 : 0.5;
        if (!best || d->dga > s->sites[best->site].dga)
            best = p;
        first = !first || p->first < first ? p->first : first;
        last = p->last > last ? p->last : last;
    }
    double st = vs_dga(s->r, e, scored);
    if (!best || st <= 0)
        return;
    buf_printf(&b.text, "asked for %s domains that look machine-generated "
               "(%s never resolved), e.g. %s (dga_score %.3f)", num(count),
               num(nx), s->sites[best->site].name,
               s->sites[best->site].dga);
    ev_num(&b, "dga_domains", count);
    ev_num(&b, "nxdomain_domains", nx);
    ev_num(&b, "scored_domains", scored);
    ev_num(&b, "expected_benign", scored * s->r->dga_fpr);
    ev_num(&b, "threshold", s->dga_thr);
    ev_str(&b, "example", s->sites[best->site].name);
    ev_num(&b, "example_dga_score", s->sites[best->site].dga);
    add_reason(h, RC_DGA, st, &b, s->sites[best->site].name, first, last);
}

static void
nx_reason(struct scorer *s, struct host *h, const size_t *pi, size_t n)
{
    double w = 0, count = 0, sites = 0, dga = 0;
    const struct pair *ex = NULL;
    int64_t first = 0, last = 0;
    struct rb b = { 0 };

    for (size_t i = 0; i < n; i++) {
        const struct pair *p = &s->pairs[pi[i]];
        const struct site *d = &s->sites[p->site];
        if (d->reason != LR_SCORED)
            continue;
        sites++;
        if (noise_pair(p) || !p->nx || p->noerror || d->noerror)
            continue;
        double x = d->dga > 0 ? d->dga : 0;
        count++;
        dga += x;
        w += (d->noise & SN_LEXICAL) ? 0.3 : 0.3 + 0.7 * x;
        if (!ex || d->dga > s->sites[ex->site].dga)
            ex = p;
        first = !first || p->first < first ? p->first : first;
        last = p->last > last ? p->last : last;
    }
    double st = vs_nx_domains(w, sites);
    if (!ex || st <= 0)
        return;
    buf_printf(&b.text, "asked for %s domains that do not exist (NXDOMAIN "
               "for every host), %.0f%% of its domains, mean dga_score "
               "%.2f, e.g. %s", num(count), 100.0 * count / sites,
               dga / count, s->sites[ex->site].name);
    ev_num(&b, "nx_domains", count);
    ev_num(&b, "domains", sites);
    ev_num(&b, "mean_dga_score", dga / count);
    ev_num(&b, "weight", w);
    ev_str(&b, "example", s->sites[ex->site].name);
    add_reason(h, RC_NX_DOMAINS, st, &b, s->sites[ex->site].name, first,
               last);
}

/* --- Tunnels and beacons --- */

static const char *
main_alphabet(const struct site *d)
{
    int best = SA_NONE;

    for (int a = SA_TEXT; a < SA_COUNT; a++)
        if (d->alpha[a] > d->alpha[best] || best == SA_NONE)
            best = d->alpha[a] ? a : best;
    return tn_alphabet_name((enum sub_alphabet)best);
}

/* Agents' and blocklists' zones are not the attacker's to serve, so
 * they need the payload of a tool, not of hashed look-ups. */
static int
tool_volume(const struct pair *p)
{
    double bytes = p->encoded ? p->payload_bits / 8.0 / p->encoded : 0;

    return bytes >= TN_FULL_PAYLOAD;
}

static void
tunnel_reason(struct scorer *s, struct host *h, const size_t *pi, size_t n)
{
    const struct pair *best = NULL;
    uint64_t hits = 0;
    struct rb b = { 0 };

    for (size_t i = 0; i < n; i++) {
        const struct pair *p = &s->pairs[pi[i]];
        if (p->tunnel < s->r->tunnel_score ||
            (noise_pair(p) && !tool_volume(p)))
            continue;
        hits++;
        if (!best || p->tunnel > best->tunnel)
            best = p;
    }
    if (!best)
        return;
    const struct site *d = &s->sites[best->site];
    struct tunnel_stats t = { .queries = (double)best->queries,
                              .unique = (double)best->unique,
                              .answered_data = (double)best->answered };
    int up = tn_upstream_only(&t);
    double kb = best->payload_bits / 8.0 / 1024.0;
    buf_printf(&b.text, "sent %s unique names under %s, %s of them "
               "carrying encoded data (%s, longest label %u, %.0f%% "
               "TXT/NULL/other rare types), about %.1f KB %s",
               num(best->unique), d->name, num(best->encoded),
               main_alphabet(d), best->longest,
               100.0 * (double)best->rare / (double)best->queries, kb,
               up ? "sent out with no data coming back"
                  : "sent, with data in the answers");
    if (hits > 1)
        buf_printf(&b.text, "; %s domains like this", num(hits));
    ev_num(&b, "tunnel_score", best->tunnel);
    ev_num(&b, "queries", best->queries);
    ev_num(&b, "unique_names", best->unique);
    ev_num(&b, "encoded_names", best->encoded);
    ev_num(&b, "payload_bytes", best->payload_bits / 8.0);
    ev_num(&b, "rare_type_queries", best->rare);
    ev_num(&b, "answers_with_data", best->answered);
    ev_num(&b, "longest_label", best->longest);
    ev_str(&b, "alphabet", main_alphabet(d));
    through(s, best, &b);
    add_reason(h, up ? RC_EXFIL : RC_TUNNEL, best->tunnel, &b, d->name,
               best->enc_first ? best->enc_first : best->first,
               best->enc_first ? best->enc_last : best->last);
}

/*
 * A beacon polls one name or a few. Well-known services on the noise
 * lists (agents, blocklists, cloud endpoints) poll on schedules too.
 */
static int
beacon_candidate(const struct scorer *s, const struct pair *p, size_t fleet)
{
    const struct site *d = &s->sites[p->site];

    return p->cv >= 0 && p->median_gap >= s->r->beacon_min_gap &&
           d->hosts <= rare_hosts(s, fleet) && d->reason == LR_SCORED &&
           !(d->noise & SN_LEXICAL) && !noise_pair(p);
}

static void
beacon_reason(struct scorer *s, struct host *h, const size_t *pi, size_t n,
              size_t fleet)
{
    const struct rules *r = s->r;
    const struct pair *best = NULL;
    double best_st = 0;
    struct rb b = { 0 };

    for (size_t i = 0; i < n; i++) {
        const struct pair *p = &s->pairs[pi[i]];
        if (!beacon_candidate(s, p, fleet))
            continue;
        int lone = s->sites[p->site].hosts <= 1 &&
                   (double)fleet >= r->beacon_fleet;
        double st = vs_beacon(r, (double)p->queries, p->cv, lone);
        if (st > best_st) {
            best_st = st;
            best = p;
        }
    }
    if (!best)
        return;
    const struct site *d = &s->sites[best->site];
    double hours = (double)(best->last - best->first) / 3.6e6;
    buf_printf(&b.text, "asked for %s every %.1f minutes (gap variation "
               "%.2f), %s times over %.1f hours; %s", d->name,
               best->median_gap / 60.0, best->cv, num(best->queries), hours,
               d->hosts > 1 ? "almost no other host asks for it"
               : (double)fleet >= r->beacon_fleet
               ? "no other host asks for it"
               : "no other host asks for it, in a fleet too small to say "
                 "much");
    ev_num(&b, "queries", best->queries);
    ev_num(&b, "names", best->names);
    ev_num(&b, "median_gap_s", best->median_gap);
    ev_num(&b, "gap_cv", best->cv);
    ev_num(&b, "hours", hours);
    ev_num(&b, "hosts_asking", d->hosts);
    ev_num(&b, "fleet_hosts", (double)fleet);
    through(s, best, &b);
    add_reason(h, RC_BEACON, best_st, &b, d->name, best->first,
               best->last);
}

static void
flux_reason(struct scorer *s, struct host *h, const size_t *pi, size_t n,
            size_t fleet)
{
    const struct site *best = NULL;
    const struct pair *bp = NULL;
    struct rb b = { 0 };

    for (size_t i = 0; i < n; i++) {
        const struct pair *p = &s->pairs[pi[i]];
        const struct site *d = &s->sites[p->site];
        /* A popular name behind a load balancer spreads too: flux is a
         * rare domain's. */
        if (d->addrs < s->r->flux_addresses || d->nets < s->r->flux_nets ||
            (d->noise & SN_LEXICAL) || d->reason != LR_SCORED ||
            d->hosts > rare_hosts(s, fleet))
            continue;
        if (!best || d->nets > best->nets) {
            best = d;
            bp = p;
        }
    }
    if (!best)
        return;
    buf_printf(&b.text, "asked for %s, which resolved to %s addresses in %s "
               "/16 networks", best->name, num(best->addrs),
               num(best->nets));
    ev_num(&b, "addresses", best->addrs);
    ev_num(&b, "networks_16", best->nets);
    add_reason(h, RC_FAST_FLUX, 0.5, &b, best->name, bp->first, bp->last);
}

/* --- Flow reasons --- */

static int
cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

    return (x > y) - (x < y);
}

/* Every host's DoH connections, sorted, for doh_others(). */
static void
doh_fleet(struct scorer *s)
{
    struct u64map per = { 0 };

    for (size_t i = 0; i < s->n_peers; i++)
        if (s->peers[i].kind == PK_DOH)
            *u64map_slot(&per, (uint64_t)s->peers[i].host, NULL) +=
                (uint32_t)s->peers[i].flows;
    s->n_doh = 0;
    s->doh = xmalloc((per.n + 1) * sizeof *s->doh);
    for (size_t i = 0; i < per.cap; i++)
        if (per.vals[i])
            s->doh[s->n_doh++] = per.vals[i];
    qsort(s->doh, s->n_doh, sizeof *s->doh, cmp_u64);
    u64map_free(&per);
}

/* The median DoH connections of the hosts other than one with mine. */
static double
doh_others(const struct scorer *s, uint64_t mine)
{
    size_t n = s->n_doh, skip = n, k = 0;
    uint64_t *v = xmalloc((n + 1) * sizeof *v);
    double m;

    for (size_t i = 0; i < n; i++)
        if (skip == n && s->doh[i] == mine)
            skip = i;
        else
            v[k++] = s->doh[i];
    m = !k ? 0 : k % 2 ? (double)v[k / 2]
      : 0.5 * ((double)v[k / 2 - 1] + (double)v[k / 2]);
    free(v);
    return m;
}

static void
flow_reasons(struct scorer *s, struct host *h, const size_t *qi, size_t n)
{
    uint64_t bp_pk = 0, bp_bytes = 0, bp_flows = 0, doh = 0;
    const char *bp_peer = NULL, *doh_peer = NULL;
    int64_t bf = 0, bl = 0, df = 0, dl = 0;
    struct u64map hours = { 0 };
    struct rb b = { 0 };

    for (size_t i = 0; i < n; i++) {
        const struct peer *p = &s->peers[qi[i]];
        int first = 1;
        for (size_t k = 0; k < i && first; k++)
            first = strcmp(s->peers[qi[k]].addr, p->addr) != 0;
        h->servers += (uint32_t)(first && p->kind != PK_DOH);
        if (p->kind == PK_BYPASS) {
            bp_pk += p->packets;
            bp_bytes += p->bytes_out;
            bp_flows += p->flows;
            h->bypass_flows += p->flows;
            if (!bp_peer || p->packets > 0)
                bp_peer = p->addr;
            bf = !bf || p->first < bf ? p->first : bf;
            bl = p->last > bl ? p->last : bl;
        } else if (p->kind == PK_DOH) {
            doh += p->flows;
            h->doh_flows += p->flows;
            doh_peer = p->addr;
            for (uint32_t k = 0; k < p->starts.n; k++)
                *u64map_slot(&hours, ((uint64_t)p->starts.v[k] +
                                      (uint64_t)s->base_s) / 3600, NULL) = 1;
            df = !df || p->first < df ? p->first : df;
            dl = p->last > dl ? p->last : dl;
        }
        h->dns_flows += p->flows;
        h->dns_bytes += p->bytes_out + p->bytes_in;
    }
    if (bp_flows) {
        double bpp = bp_pk ? (double)bp_bytes / (double)bp_pk : 0;
        buf_printf(&b.text, "sent %s DNS packets (mean %.0f bytes) in %s "
                   "flows to %s and other servers outside the "
                   "organisation's resolvers", num(bp_pk), bpp,
                   num(bp_flows), bp_peer);
        ev_num(&b, "packets", bp_pk);
        ev_num(&b, "bytes", bp_bytes);
        ev_num(&b, "flows", bp_flows);
        ev_num(&b, "bytes_per_packet", bpp);
        ev_str(&b, "example_server", bp_peer);
        add_reason(h, RC_BYPASS, vs_bypass(s->r, (double)bp_pk, bpp), &b,
                   NULL, sec_to_ms(bf), sec_to_ms(bl));
    }
    if (doh) {
        double st = vs_doh(s->r, (double)doh, (double)hours.n,
                           doh_others(s, doh));
        buf_printf(&b.text, "made %s HTTPS connections to public DNS-over-"
                   "HTTPS resolvers such as %s, in %s hours", num(doh),
                   doh_peer, num((double)hours.n));
        ev_num(&b, "connections", doh);
        ev_num(&b, "active_hours", (double)hours.n);
        ev_str(&b, "example_resolver", doh_peer);
        add_reason(h, RC_DOH, st, &b, NULL, sec_to_ms(df),
                   sec_to_ms(dl));
    }
    u64map_free(&hours);
}

/* --- Classic rules and spikes --- */

/* A classic rule: fmt gets shown and then rule_value, the threshold as
 * people know it. */
static void
rule(struct host *h, int code, double v, double limit, double strong,
     const char *fmt, double shown, double rule_value)
{
    struct rb b = { 0 };
    double st = vs_rule(v, limit, strong);

    if (st <= 0)
        return;
    buf_printf(&b.text, fmt, shown, rule_value);
    ev_num(&b, "value", v);
    ev_num(&b, "limit", limit);
    add_reason(h, code, st, &b, NULL, h->first, h->last);
}

static void
rule_reasons(struct scorer *s, struct host *h, const size_t *qi, size_t n)
{
    const struct rules *r = s->r;
    double flow_bpp = 0, days;
    uint64_t pk = 0, by = 0;

    for (size_t i = 0; i < n; i++)
        if (s->peers[qi[i]].port != 443) {
            pk += s->peers[qi[i]].packets;
            by += s->peers[qi[i]].bytes_out;
        }
    flow_bpp = pk ? (double)by / (double)pk : 0;
    if ((h->queries || pk) &&
        ((double)h->queries >= r->min_queries || pk >= r->min_queries)) {
        double q = h->queries ? h->bytes_sum / (double)h->queries : 0;
        double v = q > flow_bpp ? q : flow_bpp;
        rule(h, RC_BYTES_QUERY, v, r->bytes_per_query,
             r->bytes_per_query_strong, "mean of %.0f bytes per DNS query "
             "(rule: %.0f)", v, r->bytes_per_query);
    }
    if (h->counted > 0 && (double)h->counted >= r->min_queries) {
        double t = (double)h->odd_txt / (double)h->counted;
        double x = (double)h->counted_nx / (double)h->counted;
        rule(h, RC_TXT_SHARE, t, r->txt_share, 0.5, "%.0f%% of its queries "
             "are TXT below a domain (rule: %.2f; SPF, DKIM and DMARC "
             "apart)", 100 * t, r->txt_share);
        rule(h, RC_NX_RATIO, x, r->nxdomain_ratio, 0.9, "%.0f%% of its "
             "queries got NXDOMAIN (rule: %.2f; search path, blocklists "
             "and single labels apart)", 100 * x, r->nxdomain_ratio);
    }
    if (h->servers > r->max_resolvers)
        rule(h, RC_RESOLVERS, (double)h->servers, r->max_resolvers + 1,
             r->max_resolvers + 1, "talks DNS to %.0f servers (rule: more "
             "than %.0f)", (double)h->servers, r->max_resolvers);
    if (h->long_names)
        rule(h, RC_LONG_NAMES, (double)h->long_names, 1, 100, "%.0f queries "
             "for names over %.0f characters", (double)h->long_names,
             r->long_name);
    days = (double)(h->last - h->first) / 8.64e7;
    if (!h->resolver)           /* a resolver's volume is its clients' */
        rule(h, RC_DNS_VOLUME, (h->bytes_sum + (double)h->dns_bytes) /
             (days > 1 ? days : 1), r->dns_bytes_day, 10 * r->dns_bytes_day,
             "%.0f bytes of DNS a day (rule: %.0f)", (h->bytes_sum +
             (double)h->dns_bytes) / (days > 1 ? days : 1),
             r->dns_bytes_day);
}

static int
cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;

    return (x > y) - (x < y);
}

/* The fleet's quantile q of one hour feature (offset into struct hour). */
static double
fleet_quantile(const struct scorer *s, size_t off, double q)
{
    double *v, out;

    if (!s->n_hours)
        return 0;
    v = xmalloc(s->n_hours * sizeof *v);
    for (size_t i = 0; i < s->n_hours; i++)
        v[i] = *(const uint32_t *)((const char *)&s->hours[i] + off);
    qsort(v, s->n_hours, sizeof *v, cmp_double);
    q = q < 0 ? 0 : q > 1 ? 1 : q;
    out = v[(size_t)(q * (double)(s->n_hours - 1))];
    free(v);
    return out;
}

static const struct {
    const char *what;
    size_t      off;
} spike_features[] = {
    { "queries", offsetof(struct hour, queries) },
    { "NXDOMAIN names", offsetof(struct hour, nx_names) },
    { "TXT queries", offsetof(struct hour, txt) },
};
#define N_SPIKE (sizeof spike_features / sizeof *spike_features)

/* Sort the indexes hi[0..n) of s->hours by time. */
static void
sort_hours(const struct scorer *s, size_t *hi, size_t n)
{
    struct hour_key { int64_t hour; size_t i; } *k;

    k = xmalloc((n + 1) * sizeof *k);

    for (size_t i = 0; i < n; i++) {
        k[i].hour = s->hours[hi[i]].hour;
        k[i].i = hi[i];
    }
    for (size_t i = 1; i < n; i++) {    /* hours come nearly in order */
        size_t j = i;
        struct hour_key x = k[i];
        for (; j > 0 && k[j - 1].hour > x.hour; j--)
            k[j] = k[j - 1];
        k[j] = x;
    }
    for (size_t i = 0; i < n; i++)
        hi[i] = k[i].i;
    free(k);
}

/* Median and MAD of v[0..n) (n > 0); sorts a copy. */
static void
median_mad(const double *v, size_t n, double *med, double *mad)
{
    double *c = xmalloc(n * sizeof *c);

    memcpy(c, v, n * sizeof *c);
    qsort(c, n, sizeof *c, cmp_double);
    *med = n % 2 ? c[n / 2] : 0.5 * (c[n / 2 - 1] + c[n / 2]);
    for (size_t i = 0; i < n; i++)
        c[i] = fabs(c[i] - *med);
    qsort(c, n, sizeof *c, cmp_double);
    *mad = n % 2 ? c[n / 2] : 0.5 * (c[n / 2 - 1] + c[n / 2]);
    free(c);
}

static void
spike_reason(struct scorer *s, struct host *h, size_t *hi, size_t n,
             const double *fleet)
{
    enum { WINDOW = 168, MIN_EARLIER = 6 };
    double best_ratio = 0, bx = 0, bmed = 0, bmad = 0;
    int64_t bhour = 0;
    size_t bf = 0, bearlier = 0;
    double *v = xmalloc((n + 1) * sizeof *v);
    struct rb b = { 0 };

    if (n < MIN_EARLIER + 1) {
        free(v);
        return;
    }
    sort_hours(s, hi, n);
    for (size_t f = 0; f < N_SPIKE; f++) {
        for (size_t i = 0; i < n; i++)
            v[i] = *(const uint32_t *)((const char *)&s->hours[hi[i]] +
                                       spike_features[f].off);
        for (size_t i = MIN_EARLIER; i < n; i++) {
            double med, mad;
            size_t from = i > WINDOW ? i - WINDOW : 0;
            if (v[i] < 10 || v[i] <= fleet[f])
                continue;
            median_mad(v + from, i - from, &med, &mad);
            double spread = fmax(1.0, 1.4826 * mad);
            double ratio = (v[i] - med) / spread;
            if (ratio >= s->r->spike_mads && ratio > best_ratio) {
                best_ratio = ratio;
                bx = v[i];
                bmed = med;
                bmad = mad;
                bhour = s->hours[hi[i]].hour;
                bf = f;
                bearlier = i - from;
            }
        }
    }
    free(v);
    if (best_ratio <= 0)
        return;
    buf_printf(&b.text, "hour %02lld:00 UTC had %s %s, against a median of "
               "%s in its %zu earlier hours (MAD %.0f), above %.0f%% of the "
               "fleet's host-hours", (long long)(bhour % 86400 / 3600),
               num(bx), spike_features[bf].what, num(bmed), bearlier, bmad,
               100 * s->r->spike_fleet);
    ev_str(&b, "feature", spike_features[bf].what);
    ev_num(&b, "hour", (double)bhour);
    ev_num(&b, "value", bx);
    ev_num(&b, "median", bmed);
    ev_num(&b, "mad", bmad);
    ev_num(&b, "fleet_quantile", fleet[bf]);
    add_reason(h, RC_SPIKE, 0.25, &b, NULL, sec_to_ms(bhour),
               sec_to_ms(bhour) + 3599999);
}

static void
resolver_note(struct scorer *s, struct host *h, int32_t hi)
{
    uint64_t moved = 0, to = 0;
    struct rb b = { 0 };

    for (size_t i = 0; i < s->n_pairs; i++)
        if (s->pairs[i].from == hi) {
            moved += s->pairs[i].queries;
            to++;
        }
    buf_printf(&b.text, "DNS server for %s hosts, whose queries appear under "
               "this address; %s queries for %s domains were attributed to "
               "hosts behind it by their DNS flows", num(h->clients),
               num(moved), num(to));
    ev_num(&b, "clients", h->clients);
    ev_num(&b, "attributed_queries", moved);
    ev_num(&b, "attributed_domains", to);
    add_reason(h, RC_RESOLVER, 0, &b, NULL, h->first, h->last);
}

/* The analyst allow-listed the host: its score is 0, its evidence
 * stays for anyone who looks. */
static void
allow_note(struct host *h, const struct allow_item *it)
{
    struct rb b = { 0 };

    if (!it)
        return;
    if (it->scope == AS_ALL)
        h->allowed = it->id;
    buf_printf(&b.text, it->scope == AS_ALL
               ? "allow-listed by entry %lld (%s %s): its score is held at 0"
               : "allow-listed by entry %lld (%s %s) for the DGA signal",
               (long long)it->id, allow_kind_name(it->kind), it->value);
    ev_num(&b, "entry", (double)it->id);
    ev_str(&b, "kind", allow_kind_name(it->kind));
    ev_str(&b, "value", it->value);
    add_reason(h, RC_ALLOWED, 0, &b, NULL, h->first, h->last);
}

/* --- Putting it together --- */

static int
cmp_reason(const void *a, const void *b)
{
    const struct reason *x = a, *y = b;

    if (x->strength != y->strength)
        return x->strength < y->strength ? 1 : -1;
    return x->code - y->code;
}

static void
conclude(struct scorer *s, struct host *h)
{
    enum reason_code codes[RC_COUNT * 2];
    double st[RC_COUNT * 2];
    size_t n = 0;

    if (h->n_reasons)
        qsort(h->reasons, h->n_reasons, sizeof *h->reasons, cmp_reason);
    /* The alert's span is that of the strongest reasons that reach the
     * alert level together: the evidence that makes the alert, not a
     * whole-day ratio that merely adds to it. */
    for (size_t i = 0; i < h->n_reasons && n < RC_COUNT * 2; i++) {
        const struct reason *r = &h->reasons[i];
        int reached = n && verdict_combine(s->r, codes, st, n) >=
                           s->r->alert;
        codes[n] = (enum reason_code)r->code;
        st[n++] = r->strength;
        if (r->strength <= 0 || reached)
            continue;
        if (!h->alert_first || (r->first && r->first < h->alert_first))
            h->alert_first = r->first;
        if (r->last > h->alert_last)
            h->alert_last = r->last;
    }
    h->score = verdict_combine(s->r, codes, st, n);
    if (h->allowed)
        h->score = 0;               /* kept, with its reasons, but hidden */
    h->alert = h->score >= s->r->alert;
    if (!h->alert)
        h->alert_first = h->alert_last = 0;
}

void
reasons_build(struct scorer *s)
{
    struct by_host pairs, peers, hours;
    double fleet[N_SPIKE];
    size_t active = 0;

    group(&pairs, s->n_hosts, s->n_pairs, s->pairs ? &s->pairs[0].host : NULL,
          sizeof *s->pairs);
    group(&peers, s->n_hosts, s->n_peers, s->peers ? &s->peers[0].host : NULL,
          sizeof *s->peers);
    group(&hours, s->n_hosts, s->n_hours, s->hours ? &s->hours[0].host : NULL,
          sizeof *s->hours);
    sort_groups(&pairs, s->n_hosts, s, pair_order);
    sort_groups(&peers, s->n_hosts, s, peer_order);
    sort_groups(&hours, s->n_hosts, s, hour_order);
    for (size_t f = 0; f < N_SPIKE; f++)
        fleet[f] = fleet_quantile(s, spike_features[f].off,
                                  s->r->spike_fleet);
    for (size_t hi = 0; hi < s->n_hosts; hi++)
        active += s->hosts[hi].queries > 0 || s->hosts[hi].attributed > 0;
    doh_fleet(s);
    for (size_t hi = 0; hi < s->n_hosts; hi++) {
        struct host *h = &s->hosts[hi];
        size_t *pi = pairs.idx + pairs.start[hi], np = pairs.start[hi + 1] -
                     pairs.start[hi];
        size_t *qi = peers.idx + peers.start[hi], nq = peers.start[hi + 1] -
                     peers.start[hi];
        size_t k = 0;
        for (size_t i = 0; i < np; i++)     /* drop pairs moved away */
            if (!s->pairs[pi[i]].moved)
                pi[k++] = pi[i];
        np = k;
        const struct allow_item *ah = allow_host(&s->allow, h->addr);
        if (!ah || ah->scope != AS_LEXICAL) {
            dga_reason(s, h, pi, np);
            nx_reason(s, h, pi, np);
        }
        tunnel_reason(s, h, pi, np);
        beacon_reason(s, h, pi, np, active);
        flux_reason(s, h, pi, np, active);
        flow_reasons(s, h, qi, nq);
        rule_reasons(s, h, qi, nq);
        spike_reason(s, h, hours.idx + hours.start[hi],
                     hours.start[hi + 1] - hours.start[hi], fleet);
        if (h->resolver)
            resolver_note(s, h, (int32_t)hi);
        allow_note(h, ah);
        conclude(s, h);
        s->sum->alerts += (uint64_t)h->alert;
    }
    for (size_t hi = 0; hi < s->n_hosts; hi++)
        s->sum->hosts += host_active(&s->hosts[hi]);
    for (size_t i = 0; i < s->n_sites; i++)
        s->sum->domains += s->sites[i].queries > 0;
    ungroup(&pairs);
    ungroup(&peers);
    ungroup(&hours);
    free(s->doh);
    s->doh = NULL;
}
