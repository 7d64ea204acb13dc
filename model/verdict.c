/* SPDX-License-Identifier: MIT
 *
 * Reasons, rule defaults, strengths and their combination (see
 * verdict.h).
 */
#include "model/verdict.h"

#include <math.h>
#include <string.h>

static const struct {
    const char *code, *technique;
    double      weight;
} reasons[RC_COUNT] = {
#define VR_INFO(name, code, tech, w) { code, tech, w },
    VERDICT_REASONS(VR_INFO)
#undef VR_INFO
};

const char *
verdict_code(enum reason_code r)
{
    return (unsigned)r < RC_COUNT ? reasons[r].code : "?";
}

const char *
verdict_technique(enum reason_code r)
{
    return (unsigned)r < RC_COUNT ? reasons[r].technique : "";
}

enum reason_code
verdict_lookup(const char *s)
{
    for (int i = 0; i < RC_COUNT; i++)
        if (strcmp(s, reasons[i].code) == 0)
            return (enum reason_code)i;
    return RC_COUNT;
}

void
verdict_defaults(struct rules *r)
{
    memset(r, 0, sizeof *r);
    r->dga_threshold = 0;           /* the model's own */
    r->dga_fpr = 0.001;
    r->min_queries = 20;
    r->bytes_per_query = 100;
    r->bytes_per_query_strong = 200;
    r->txt_share = 0.05;
    r->nxdomain_ratio = 0.30;
    r->max_resolvers = 2;
    r->long_name = 100;
    r->dns_bytes_day = 5e6;
    r->tunnel_score = 0.5;
    r->doh_flows_day = 100;
    r->bypass_packets = 100;
    r->beacon_min = 12;
    r->beacon_cv = 0.35;
    r->beacon_min_gap = 30;
    r->beacon_max_hosts = 2;
    r->beacon_fleet = 50;
    r->spike_mads = 5;
    r->spike_fleet = 0.99;
    r->flux_addresses = 20;
    r->flux_nets = 8;
    r->attribution_lag = 60;
    r->attribution_slack = 2;
    r->attribution_match = 0.8;
    r->alert = 0.7;
    for (int i = 0; i < RC_COUNT; i++)
        r->weight[i] = reasons[i].weight;
}

static double
clamp01(double x)
{
    return !(x > 0.0) ? 0.0 : x > 1.0 ? 1.0 : x;     /* NaN is 0 */
}

/* 1 - 2^(-(x - free) / half), zero up to free. */
static double
halvings(double x, double free, double half)
{
    return x <= free ? 0.0 : 1.0 - pow(2.0, -(x - free) / half);
}

double
vs_dga(const struct rules *r, double e, double n)
{
    return halvings(e, 2.0 + 2.0 * n * r->dga_fpr, 2.0);
}

double
vs_nx_domains(double w, double domains)
{
    return halvings(w, 3.0 + 0.01 * domains, 3.0);
}

double
vs_beacon(const struct rules *r, double n, double cv, int lone)
{
    if (n < r->beacon_min || cv > r->beacon_cv || r->beacon_cv <= 0)
        return 0.0;
    /* Schedulers run to the second; implants add random jitter so that
     * no period stands out. */
    if (!lone)
        return cv < BEACON_JITTER ? 0.0 : 0.5;
    if (cv < BEACON_JITTER)
        return 0.55;
    return clamp01(0.6 + 0.05 * fmin(1.0, n / (4.0 * r->beacon_min)));
}

double
vs_bypass(const struct rules *r, double packets, double bpp)
{
    if (packets <= 0)
        return 0.0;
    double volume = fmin(1.0, packets / fmax(1.0, r->bypass_packets));
    double size = bpp >= r->bytes_per_query_strong ? 1.0
                : bpp >= r->bytes_per_query ? 0.5 : 0.0;

    return clamp01(0.2 + 0.75 * volume * size);
}

double
vs_doh(const struct rules *r, double flows, double hours, double others)
{
    if (flows <= 0)
        return 0.0;
    double expected = fmax(r->doh_flows_day / 4.0, others);
    double outlier = clamp01((flows / expected - 2.0) / 4.0);
    double steady = fmin(1.0, hours / 6.0);

    return clamp01((0.3 + 0.6 * outlier) * steady);
}

double
vs_rule(double value, double limit, double strong)
{
    if (value < limit || limit <= 0)
        return 0.0;
    if (strong <= limit)
        return 0.3;
    return 0.3 + 0.3 * clamp01((value - limit) / (strong - limit));
}

double
verdict_combine(const struct rules *r, const enum reason_code *code,
                const double *strength, size_t n)
{
    double doubt = 1.0;

    for (size_t i = 0; i < n; i++) {
        double w = (unsigned)code[i] < RC_COUNT ? r->weight[code[i]] : 0;
        doubt *= 1.0 - clamp01(clamp01(w) * strength[i]);
    }
    return clamp01(1.0 - doubt);
}

const char *
verdict_severity(double score)
{
    return score >= 0.9 ? "critical" : score >= 0.7 ? "high"
         : score >= 0.4 ? "medium" : score >= 0.15 ? "low" : "none";
}
