/* SPDX-License-Identifier: MIT
 *
 * From evidence to a host's threat score: the reasons a host can have,
 * each with its ATT&CK technique, the thresholds of the rules, how
 * strong each piece of evidence is, and how strengths combine into one
 * score and a severity. Pure computation; core/score.c gathers the
 * evidence and core/config.c reads the thresholds.
 *
 * Each reason has a strength in [0, 1]. A host's score is the noisy-OR
 * of its reasons' weighted strengths, 1 - prod(1 - w * s): independent
 * pieces of evidence add up, and no pile of weak ones reaches
 * certainty.
 */
#ifndef DNSHUNT_VERDICT_H
#define DNSHUNT_VERDICT_H

#include <stddef.h>

/* code, ATT&CK technique ("" for context), default weight */
#define VERDICT_REASONS(X) \
    X(DGA,          "dga",             "T1568.002", 1.0) \
    X(NX_DOMAINS,   "nx-domains",      "T1568.002", 1.0) \
    X(TUNNEL,       "dns-tunnel",      "T1572",     1.0) \
    X(EXFIL,        "dns-exfil",       "T1048.003", 1.0) \
    X(BEACON,       "dns-beacon",      "T1071.004", 1.0) \
    X(BYPASS,       "resolver-bypass", "T1090",     1.0) \
    X(DOH,          "doh",             "T1071.001", 1.0) \
    X(FAST_FLUX,    "fast-flux",       "T1568.001", 1.0) \
    X(BYTES_QUERY,  "bytes-per-query", "T1071.004", 1.0) \
    X(TXT_SHARE,    "txt-share",       "T1071.004", 1.0) \
    X(NX_RATIO,     "nxdomain-ratio",  "T1568.002", 1.0) \
    X(RESOLVERS,    "many-resolvers",  "T1090",     1.0) \
    X(LONG_NAMES,   "long-names",      "T1071.004", 1.0) \
    X(DNS_VOLUME,   "dns-volume",      "T1048.003", 1.0) \
    X(SPIKE,        "spike",           "",          1.0) \
    X(RESOLVER,     "custom-resolver", "",          0.0) \
    X(ALLOWED,      "allow-listed",    "",          0.0)

/* Why a host is ranked where it is. */
enum reason_code {
#define VR_ENUM(name, code, tech, w) RC_ ## name,
    VERDICT_REASONS(VR_ENUM)
#undef VR_ENUM
    RC_COUNT
};

/* The reason's code ("dns-tunnel"); never NULL. */
const char *verdict_code(enum reason_code r);

/* Its ATT&CK technique id ("T1572"), or "" for context reasons. */
const char *verdict_technique(enum reason_code r);

/* The reason whose code is s, or RC_COUNT. */
enum reason_code verdict_lookup(const char *s);

/* The thresholds and weights of scoring (core/config.c documents them). */
struct rules {
    double dga_threshold;   /* dga_score above which a name is a DGA
                               candidate; <= 0: the model's 1e-3 one */
    double dga_fpr;         /* benign names above that threshold */
    double min_queries;     /* queries before a ratio rule applies */
    double bytes_per_query; /* mean estimated bytes per query */
    double bytes_per_query_strong;
    double txt_share;       /* unexpected TXT queries over all */
    double nxdomain_ratio;  /* NXDOMAIN answers over all, noise apart */
    double max_resolvers;   /* distinct DNS servers in flows */
    double long_name;       /* characters of a long name */
    double dns_bytes_day;   /* DNS bytes in a day */
    double tunnel_score;    /* host-domain tunnel score for a reason */
    double doh_flows_day;   /* 4 times the DoH connections a day that
                               are ordinary when few hosts use DoH */
    double bypass_packets;  /* packets to outside DNS for full strength */
    double beacon_min;      /* queries of a beacon, at least */
    double beacon_cv;       /* coefficient of variation of its gaps */
    double beacon_min_gap;  /* seconds between its queries, at least */
    double beacon_max_hosts; /* hosts asking for its domain, at most */
    double beacon_fleet;    /* active hosts before "only this host asks"
                               means something */
    double spike_mads;      /* MADs above the host's median for a spike */
    double spike_fleet;     /* fleet percentile a spike must pass */
    double flux_addresses;  /* distinct answer addresses of fast flux */
    double flux_nets;       /* distinct /16 networks of fast flux */
    double attribution_lag; /* most seconds a flow's start may trail
                               its packet (AWS: up to 60); the lag in
                               force is measured up to this */
    double attribution_slack; /* seconds of clock slack either way */
    double attribution_match; /* share of a domain's queries a client's
                                 flows must match */
    double alert;           /* score at which a host alerts */
    double weight[RC_COUNT];
};

/* Fill r with the defaults. */
void verdict_defaults(struct rules *r);

/* --- Strength of each kind of evidence, in [0, 1] --- */

/*
 * DGA names: e DGA-candidate domains (NXDOMAIN ones count 1, resolved
 * ones 1/2) among n scored domains of the host. The first 2 + 2 * n *
 * fpr are free (benign names above the threshold); each 2 more halve
 * the remaining doubt.
 */
double vs_dga(const struct rules *r, double e, double n);

/*
 * Non-existent domains: w is the sum over domains that only ever got
 * NXDOMAIN of (0.3 + 0.7 * dga_score), of the host's `domains`. The
 * first 3, plus 1% of its domains (typos, dead links), are free; each
 * 3 more halve the remaining doubt.
 */
double vs_nx_domains(double w, double domains);

/* Coefficient of variation below which gaps are a fixed schedule. */
#define BEACON_JITTER 0.05

/*
 * A beacon: n queries with gaps of coefficient of variation cv. Zero
 * when n or cv miss the rule, or when the gaps are a fixed schedule
 * (cv < BEACON_JITTER) that other hosts share; else 0.5: benign pollers
 * look the same.
 * When lone (no other host of a fleet of beacon_fleet or more asks for
 * the domain): 0.55 for a fixed schedule (cv < BEACON_JITTER, cron or
 * an SDK's poll), and for jittered gaps, as implants use, 0.6 rising to
 * 0.65 at 4 * beacon_min queries. Never an alert alone: it takes
 * another reason of 0.15 or more to reach 0.7.
 */
double vs_beacon(const struct rules *r, double n, double cv, int lone);

/*
 * DNS to a server outside the organisation's resolvers: packets sent
 * and their mean size. Plain look-ups give 0.2; tunnel-sized packets
 * (mean over bytes_per_query_strong) in volume give up to 0.95.
 */
double vs_bypass(const struct rules *r, double packets, double bpp);

/*
 * DNS over HTTPS: flows connections to known DoH resolvers in hours
 * active hours, while the other hosts that use DoH make `others` (their
 * median). Using DoH at all is 0.3 (the resolver's logs miss it); a
 * host with 6 times the connections of the others, or of
 * doh_flows_day / 4 when there are few, gets 0.9. Scaled down below 6
 * active hours.
 */
double vs_doh(const struct rules *r, double flows, double hours,
              double others);

/*
 * A ratio or amount rule: 0 below limit, 0.3 at it, rising to 0.6 at
 * strong (strong <= limit: a flat 0.3).
 */
double vs_rule(double value, double limit, double strong);

/* --- Combining --- */

/* 1 - prod(1 - w[i] * s[i]) over the n reasons, in [0, 1]. */
double verdict_combine(const struct rules *r, const enum reason_code *code,
                       const double *strength, size_t n);

/* "critical" (>= 0.9), "high" (>= 0.7), "medium" (>= 0.4), "low"
 * (>= 0.15) or "none". */
const char *verdict_severity(double score);

#endif
