/* SPDX-License-Identifier: MIT
 *
 * Storing a scoring run's tables (see score_internal.h): domains first,
 * then hosts with their reasons, domains, hours and DNS peers, then the
 * record of the run, in one transaction.
 */
#include "core/score_internal.h"

#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/verdict.h"

static double
p95_len(const struct site *d)
{
    uint64_t want, seen = 0;

    if (!d->len_hist || !d->unique)
        return -1;
    want = (d->unique * 95 + 99) / 100;
    for (int i = 0; i < 256; i++)
        if ((seen += d->len_hist[i]) >= want)
            return i;
    return 255;
}

static const char *
alphabet(const struct site *d)
{
    int best = -1;

    for (int a = SA_TEXT; a < SA_COUNT; a++)
        if (d->alpha[a] && (best < 0 || d->alpha[a] > d->alpha[best]))
            best = a;
    return best < 0 ? NULL : tn_alphabet_name((enum sub_alphabet)best);
}

static void
noise_text(unsigned noise, uint32_t asn, char *out, size_t cap)
{
    snprintf(out, cap, "%s%s%s%s%s",
             noise & SN_LEXICAL ? "lexical-allow" : "",
             (noise & SN_LEXICAL) && (noise & (SN_AGENT | SN_DNSBL)) ? "," : "",
             noise & SN_AGENT ? "security-agent" : "",
             (noise & SN_AGENT) && (noise & SN_DNSBL) ? "," : "",
             noise & SN_DNSBL ? "dnsbl" : "");
    if (asn) {
        size_t n = strlen(out);
        snprintf(out + n, cap - n, ",asn:AS%u", asn);
    }
}

static enum dh_status
write_domains(struct scorer *s, struct results *w, char *err, size_t errlen)
{
    for (size_t i = 0; i < s->n_sites; i++) {
        struct site *d = &s->sites[i];
        char noise[64];
        if (!d->queries)
            continue;
        noise_text(d->noise, d->asn, noise, sizeof noise);
        struct domain_row r = {
            .domain = d->name, .registrable = d->registrable,
            .reason = lex_reason_text((enum lex_reason)d->reason),
            .noise = *noise ? noise : NULL, .alphabet = alphabet(d),
            .dga_score = d->dga, .queries = (int64_t)d->queries,
            .hosts = d->hosts, .nxdomain = (int64_t)d->nx,
            .unique_subdomains = (int64_t)d->unique,
            .mean_sub_len = d->unique ? d->sub_len_sum / (double)d->unique
                                      : -1,
            .p95_sub_len = p95_len(d),
            .sub_entropy = d->unique ? d->entropy_sum / (double)d->unique
                                     : -1,
            .longest_label = (int64_t)d->longest, .txt = (int64_t)d->txt,
            .null_q = (int64_t)d->null_q, .key_q = (int64_t)d->key_q,
            .private_q = (int64_t)d->private_q, .any_q = (int64_t)d->any_q,
            .cname_q = (int64_t)d->cname_q,
            .bytes_per_query = d->bytes_sum / (double)d->queries,
            .peak_qpm = d->peak_qpm, .answer_addrs = (int64_t)d->addrs,
            .tunnel_score = d->tunnel, .first_seen = d->first,
            .last_seen = d->last,
        };
        if (results_add_domain(w, &r, &d->id, err, errlen))
            return DH_DB;
    }
    return DH_OK;
}

static enum dh_status
write_host(struct scorer *s, struct results *w, int32_t hi,
           const int64_t *counts, char *err, size_t errlen)
{
    struct host *h = &s->hosts[hi];
    const struct reason *top = h->n_reasons && h->reasons[0].strength > 0
                             ? &h->reasons[0] : NULL;

    for (size_t i = 0; h->allowed && i < h->n_reasons; i++)
        if (h->reasons[i].code == RC_ALLOWED)
            top = &h->reasons[i];   /* why it is at 0 */
    struct host_row r = {
        .addr = h->addr, .instance = h->instance,
        .role = h->resolver ? "resolver" : NULL,
        .queries = (int64_t)(h->queries + h->attributed),
        .nxdomain = (int64_t)h->nx, .txt = (int64_t)h->txt,
        .bytes_per_query = h->queries + h->attributed
                         ? h->bytes_sum / (double)(h->queries + h->attributed)
                         : -1,
        .domains = counts[0], .dga_hits = counts[1],
        .tunnel_hits = counts[2], .dns_flows = (int64_t)h->dns_flows,
        .dns_bytes = (int64_t)h->dns_bytes,
        .doh_flows = (int64_t)h->doh_flows,
        .bypass_flows = (int64_t)h->bypass_flows, .dns_servers = h->servers,
        .attributed = (int64_t)h->attributed, .first_seen = h->first,
        .last_seen = h->last, .score = h->score,
        .severity = verdict_severity(h->score), .alert = h->alert,
        .alert_first = h->alert_first, .alert_last = h->alert_last,
        .top_reason = top ? top->text : NULL,
    };

    if (results_add_host(w, &r, &h->id, err, errlen))
        return DH_DB;
    for (size_t i = 0; i < h->n_reasons; i++) {
        const struct reason *x = &h->reasons[i];
        struct reason_row rr = {
            (int)i + 1, verdict_code((enum reason_code)x->code),
            verdict_technique((enum reason_code)x->code), x->strength,
            x->text, x->evidence, x->domain, x->first, x->last,
        };
        if (results_add_reason(w, h->id, &rr, err, errlen))
            return DH_DB;
    }
    return DH_OK;
}

static enum dh_status
write_hosts(struct scorer *s, struct results *w, char *err, size_t errlen)
{
    int64_t (*counts)[3] = xcalloc(s->n_hosts + 1, sizeof *counts);
    enum dh_status rc = DH_OK;

    for (size_t i = 0; i < s->n_pairs; i++) {
        const struct pair *p = &s->pairs[i];
        const struct site *d = &s->sites[p->site];
        if (p->moved)
            continue;
        counts[p->host][0]++;
        counts[p->host][1] += d->dga >= s->dga_thr &&
                              !(d->noise & SN_LEXICAL) &&
                              d->reason == LR_SCORED;
        counts[p->host][2] += p->tunnel >= s->r->tunnel_score;
    }
    for (size_t i = 0; i < s->n_hosts && rc == DH_OK; i++)
        if (host_active(&s->hosts[i]))
            rc = write_host(s, w, (int32_t)i, counts[i], err, errlen);
    free(counts);
    return rc;
}

static enum dh_status
write_details(struct scorer *s, struct results *w, char *err, size_t errlen)
{
    for (size_t i = 0; i < s->n_pairs; i++) {
        const struct pair *p = &s->pairs[i];
        if (p->moved)
            continue;
        struct host_domain_row r = {
            .host_id = s->hosts[p->host].id,
            .domain_id = s->sites[p->site].id,
            .queries = (int64_t)p->queries, .nxdomain = (int64_t)p->nx,
            .unique_subdomains = (int64_t)p->unique,
            .tunnel_score = p->tunnel, .median_gap = p->median_gap,
            .gap_cv = p->cv,
            .attributed_from = p->from >= 0 ? s->hosts[p->from].addr : NULL,
            .first_seen = p->first, .last_seen = p->last,
        };
        if (results_add_host_domain(w, &r, err, errlen))
            return DH_DB;
    }
    for (size_t i = 0; i < s->n_hours; i++) {
        const struct hour *h = &s->hours[i];
        struct host_hour_row r = {
            s->hosts[h->host].id, h->hour, h->queries, h->peak_qpm, h->nx,
            h->nx_names, h->search_nx, h->txt, h->parents, h->long_names,
            h->dga, h->tunnel,
        };
        if (results_add_host_hour(w, &r, err, errlen))
            return DH_DB;
    }
    return DH_OK;
}

static int
cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;

    return (x > y) - (x < y);
}

/* The fleet's 50th, 90th and 99th percentiles of each hour feature. */
static enum dh_status
write_fleet(struct scorer *s, struct results *w, char *err, size_t errlen)
{
    static const struct {
        const char *name;
        size_t      off;
    } f[] = {
        { "queries", offsetof(struct hour, queries) },
        { "peak_qpm", offsetof(struct hour, peak_qpm) },
        { "nx_names", offsetof(struct hour, nx_names) },
        { "txt", offsetof(struct hour, txt) },
        { "parents", offsetof(struct hour, parents) },
        { "long_names", offsetof(struct hour, long_names) },
    };
    double *v;
    enum dh_status rc = DH_OK;

    if (!s->n_hours)
        return DH_OK;
    v = xmalloc(s->n_hours * sizeof *v);
    for (size_t k = 0; k < sizeof f / sizeof *f && rc == DH_OK; k++) {
        size_t n = s->n_hours - 1;
        for (size_t i = 0; i < s->n_hours; i++)
            v[i] = *(const uint32_t *)((const char *)&s->hours[i] + f[k].off);
        qsort(v, s->n_hours, sizeof *v, cmp_double);
        rc = results_add_fleet_hour(w, f[k].name, v[n / 2],
                                    v[(size_t)(0.9 * (double)n)],
                                    v[(size_t)(0.99 * (double)n)], err,
                                    errlen);
    }
    free(v);
    return rc;
}

static int
cmp_u32(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

    return (x > y) - (x < y);
}

static double
p95_u32(struct u32vec *v)
{
    if (!v->n)
        return -1;
    qsort(v->v, v->n, sizeof *v->v, cmp_u32);
    return v->v[(size_t)(0.95 * (double)(v->n - 1))];
}

static enum dh_status
write_peers(struct scorer *s, struct results *w, char *err, size_t errlen)
{
    static const char *const kinds[] = { "resolver", "bypass", "doh" };

    for (size_t i = 0; i < s->n_peers; i++) {
        struct peer *p = &s->peers[i];
        if (!s->hosts[p->host].id)
            continue;               /* a host with nothing to show */
        struct peer_row r = {
            .host_id = s->hosts[p->host].id, .peer = p->addr,
            .kind = kinds[p->kind], .port = p->port, .protocol = p->proto,
            .flows = (int64_t)p->flows, .packets = (int64_t)p->packets,
            .bytes_out = (int64_t)p->bytes_out,
            .bytes_in = (int64_t)p->bytes_in,
            .bpp_mean = p->packets ? (double)p->bytes_out /
                                     (double)p->packets : -1,
            .bpp_p95 = p95_u32(&p->bpp), .median_gap = p->median_gap,
            .gap_cv = p->cv, .first_seen = p->first, .last_seen = p->last,
        };
        if (results_add_peer(w, &r, err, errlen))
            return DH_DB;
    }
    return DH_OK;
}

enum dh_status
score_write(struct scorer *s, struct db *db, int64_t started,
            int64_t last_import, char *err, size_t errlen)
{
    struct results *w;
    char digest[32];
    enum dh_status rc;

    if (results_begin(db, &w, err, errlen))
        return DH_DB;
    rc = write_domains(s, w, err, errlen);
    if (rc == DH_OK)
        rc = write_hosts(s, w, err, errlen);
    if (rc == DH_OK)
        rc = write_details(s, w, err, errlen);
    if (rc == DH_OK)
        rc = write_peers(s, w, err, errlen);
    if (rc == DH_OK)
        rc = write_fleet(s, w, err, errlen);
    if (rc != DH_OK) {
        results_abort(w);
        return rc;
    }
    snprintf(digest, sizeof digest, "%016llx", config_digest(s->o->cfg));
    struct run_row run = {
        .started_at = started, .finished_at = now_ms(),
        .since_ms = s->o->since_ms > SCORE_NO_START ? s->o->since_ms : 0,
        .until_ms = s->o->until_ms < SCORE_NO_END ? s->o->until_ms : 0,
        .last_import = last_import, .config = digest,
        .model = s->o->model_id ? s->o->model_id : "built-in",
        .queries = (int64_t)s->sum->queries,
        .flows = (int64_t)s->sum->flows, .names = (int64_t)s->sum->names,
        .hosts = (int64_t)s->sum->hosts, .alerts = (int64_t)s->sum->alerts,
    };
    return results_finish(w, &run, err, errlen);
}
