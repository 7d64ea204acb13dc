/* SPDX-License-Identifier: MIT
 *
 * A labelled day of one VPC, as AWS would deliver it: Route 53 Resolver
 * query logs and VPC Flow Logs in ten-minute gzip objects under the S3
 * key layout, from hosts in benign roles, with attacks injected on
 * chosen hosts, and a truth file that names every attacked host, attack
 * and malicious name. The same options give the same bytes.
 */
#ifndef DNSHUNT_SIMULATE_H
#define DNSHUNT_SIMULATE_H

#include <stddef.h>
#include <stdint.h>

/* The attacks, each on its own host. */
#define SIM_ATTACKS(X) \
    X(DGA,      "dga",      "random-character DGA, sparse polling") \
    X(DICT_DGA, "dictdga",  "dictionary DGA, sparse polling") \
    X(TUNNEL,   "tunnel",   "DNS tunnel through the resolver (base32, " \
                            "NULL and TXT)") \
    X(BYPASS,   "bypass",   "DNS tunnel straight to an outside server") \
    X(DOH,      "doh",      "DNS over HTTPS to public resolvers") \
    X(BEACON,   "beacon",   "slow jittered DNS beacon") \
    X(TXT_EXFIL, "txtexfil", "TXT exfiltration under a legitimate domain")

enum sim_attack {
#define SA_ENUM(name, key, text) SA_ ## name,
    SIM_ATTACKS(SA_ENUM)
#undef SA_ENUM
    SA_COUNT
};

/* The attack's short name ("dga"); its one-line description. */
const char *sim_attack_key(enum sim_attack a);
const char *sim_attack_text(enum sim_attack a);

/* What to simulate. */
struct sim_opts {
    const char *out;        /* directory to write into */
    uint64_t    seed;
    int         hosts;      /* at least 16 */
    int         hours;      /* 1 to 24 */
    double      scale;      /* multiplies benign activity */
    unsigned    attacks;    /* bit 1 << enum sim_attack */
    int64_t     start_ms;   /* first second, at a ten-minute boundary */
};

/* What was written. */
struct sim_stats {
    uint64_t queries, flows, files;
    uint64_t attack_queries, attack_flows;
};

/* Defaults: seed 1, 200 hosts, 24 hours, scale 1, every attack, the day
 * 2024-05-01. */
void sim_defaults(struct sim_opts *o);

/*
 * Write the day under o->out (AWSLogs/... and truth.json). Returns 0, or
 * -1 with the reason in err.
 */
int simulate(const struct sim_opts *o, struct sim_stats *st, char *err,
             size_t errlen);

#endif
