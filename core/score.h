/* SPDX-License-Identifier: MIT
 *
 * `dnshunt score`: turn the logs in the store into ranked hosts.
 *
 * One run reads every name once (its reason and, per domain, its DGA
 * score from the lexical model), then the queries and the DNS-related
 * flows of the time window, and sums them per host, per domain, per
 * host and domain, and per host and hour. Queries a custom resolver
 * forwarded are attributed to the host behind it when that host's DNS
 * flows to the resolver match their times. Each host's evidence becomes
 * reasons with strengths (model/verdict.h) and one score. The results
 * replace the previous run's in one transaction.
 */
#ifndef DNSHUNT_SCORE_H
#define DNSHUNT_SCORE_H

#include <stddef.h>
#include <stdint.h>

#include "core/config.h"
#include "core/status.h"
#include "model/model_io.h"
#include "storage/db.h"

/* A window without a start or an end. */
#define SCORE_NO_START (INT64_MIN / 4)
#define SCORE_NO_END   (INT64_MAX / 4)

struct score_opts {
    int64_t              since_ms;  /* window start, inclusive, or
                                       SCORE_NO_START */
    int64_t              until_ms;  /* window end, exclusive, or
                                       SCORE_NO_END */
    const struct model  *model;     /* borrowed */
    const char          *model_id;  /* "built-in" or the file, for the
                                       record of the run */
    const struct config *cfg;       /* borrowed */
    int                (*progress)(void *arg, const char *stage,
                                   double share); /* may be NULL; returns
                                   non-zero to cancel the run */
    void                *progress_arg;
};

struct score_summary {
    uint64_t queries, flows, names, domains, hosts, alerts, attributed;
    uint64_t allowed;               /* queries an allow-list hid */
    uint64_t asn_domains;           /* domains asn entries covered */
    int      asn_idle;              /* asn entries, but no asn_database */
    size_t   asn_bad;               /* lines of the ASN table skipped */
    size_t   peak_bytes;            /* memory the run's tables held */
};

/*
 * Score the store. Returns DH_OK with *sum filled, DH_DB (message in
 * err), or DH_USAGE when progress cancelled the run; the previous
 * results stay as they were unless it succeeds.
 */
enum dh_status score_run(struct db *db, const struct score_opts *o,
                         struct score_summary *sum, char *err,
                         size_t errlen);

#endif
