/* SPDX-License-Identifier: MIT
 *
 * What scoring reads from the store and what it writes back: cursors
 * over names, queries, answers, origins and DNS-related flows, and the
 * result tables (hosts, their reasons, domains, hosts per domain, host
 * hours, DNS peers, score runs), which each run replaces whole in one
 * transaction. Readers for the commands that show the results.
 *
 * Strings in the rows handed to a callback belong to SQLite and are
 * valid during the call only. A callback returns 0 to go on, non-zero
 * to stop the scan (which then returns DH_OK).
 */
#ifndef DNSHUNT_RESULTS_H
#define DNSHUNT_RESULTS_H

#include <stddef.h>
#include <stdint.h>

#include "core/status.h"
#include "storage/db.h"

/* --- Reading the logs --- */

struct sc_name {
    int64_t     id;
    const char *logged;     /* as logged (may hold any bytes) */
    size_t      logged_len;
    const char *norm;       /* normalised */
    const char *site;       /* registrable with private suffixes, or NULL */
    const char *domain;     /* registrable (ICANN), or NULL */
};

struct sc_query {
    int64_t ts_ms;
    int64_t name_id;
    int64_t origin_id;
    int     qtype;
    int     rcode;
    int64_t answer_id;      /* 0 when no answer */
};

struct sc_origin {
    int64_t     id;
    const char *srcaddr;
    const char *instance;   /* or NULL */
};

struct sc_answer {
    int64_t     id;
    int         n;          /* records */
    int         bytes;      /* bytes of their data */
    const char *answers;    /* JSON array of [type, rdata] */
};

struct sc_flow {
    const char *srcaddr, *dstaddr;
    int         srcport, dstport, protocol;
    int64_t     packets, bytes, start, end;
};

/* The highest import id (0 for an empty store). */
enum dh_status results_last_import(struct db *db, int64_t *id, char *err,
                                   size_t errlen);

/* The highest id of table ("names", "origins" or "answer_sets"). */
enum dh_status results_max_id(struct db *db, const char *table, int64_t *id,
                              char *err, size_t errlen);

/*
 * The second from which scoring counts time in 32 bits: 2^31 - 1
 * seconds before since_ms, or before the median time of ten queries
 * and flows spread over the store.
 */
enum dh_status results_time_base(struct db *db, int64_t since_ms,
                                 int64_t *base_s, char *err, size_t errlen);

/* Call fn for every name. */
enum dh_status results_scan_names(struct db *db,
                                  int (*fn)(void *, const struct sc_name *),
                                  void *arg, char *err, size_t errlen);

/* Call fn for every origin. */
enum dh_status results_scan_origins(struct db *db,
                                    int (*fn)(void *,
                                              const struct sc_origin *),
                                    void *arg, char *err, size_t errlen);

/* Call fn for every answer set. */
enum dh_status results_scan_answers(struct db *db,
                                    int (*fn)(void *,
                                              const struct sc_answer *),
                                    void *arg, char *err, size_t errlen);

/* Call fn for every query with since_ms <= ts_ms < until_ms. */
enum dh_status results_scan_queries(struct db *db, int64_t since_ms,
                                    int64_t until_ms,
                                    int (*fn)(void *,
                                              const struct sc_query *),
                                    void *arg, char *err, size_t errlen);

/*
 * Call fn for every flow starting in [since_s, until_s) to or from port
 * 53 or 853, or port 443 of one of the n_doh addresses doh[]; flows the
 * network rejected (action REJECT) carried nothing and are left out,
 * and so are flows from an address to itself.
 */
enum dh_status results_scan_dns_flows(struct db *db, int64_t since_s,
                                      int64_t until_s,
                                      const char *const *doh, size_t n_doh,
                                      int (*fn)(void *,
                                                const struct sc_flow *),
                                      void *arg, char *err, size_t errlen);

/* --- The result rows --- */

struct host_row {
    int64_t     id;
    const char *addr, *instance, *role;
    int64_t     queries, nxdomain, txt, domains, dga_hits, tunnel_hits;
    double      bytes_per_query;    /* -1 when unknown */
    int64_t     dns_flows, dns_bytes, doh_flows, bypass_flows, dns_servers;
    int64_t     attributed;         /* queries attributed from a resolver */
    int64_t     first_seen, last_seen;  /* ms, 0 when none */
    double      score;
    const char *severity;
    int         alert;
    int64_t     alert_first, alert_last;
    const char *top_reason;
};

struct reason_row {
    int         rank;
    const char *code, *technique;   /* technique "" for context */
    double      strength;
    const char *text;               /* one line for people */
    const char *evidence;           /* JSON object of figures */
    const char *domain;             /* or NULL */
    int64_t     first_seen, last_seen;
};

struct domain_row {
    int64_t     id;
    const char *domain, *registrable, *reason, *noise, *alphabet;
    double      dga_score;          /* -1 when not scored */
    int64_t     queries, hosts, nxdomain, unique_subdomains;
    double      mean_sub_len, p95_sub_len, sub_entropy;
    int64_t     longest_label;
    int64_t     txt, null_q, key_q, private_q, any_q, cname_q;
    double      bytes_per_query;
    int64_t     peak_qpm, answer_addrs;
    double      tunnel_score;
    int64_t     first_seen, last_seen;
};

struct host_domain_row {
    int64_t     host_id, domain_id;
    const char *host, *domain;      /* filled by readers */
    int64_t     queries, nxdomain, unique_subdomains;
    double      tunnel_score, dga_score, median_gap, gap_cv; /* -1: none */
    const char *attributed_from;    /* resolver address, or NULL */
    int64_t     first_seen, last_seen;
};

struct host_hour_row {
    int64_t host_id, hour;          /* hour: its start, Unix seconds */
    int64_t queries, peak_qpm, nxdomain, nx_names, searchpath_nx, txt,
            parents, long_names, dga, tunnel;
};

struct peer_row {
    int64_t     host_id;
    const char *peer, *kind;        /* kind: resolver, bypass or doh */
    int         port, protocol;
    int64_t     flows, packets, bytes_out, bytes_in;
    double      bpp_mean, bpp_p95, median_gap, gap_cv;  /* -1: none */
    int64_t     first_seen, last_seen;  /* seconds */
};

/* The last_import of a scoring made before an upgrade split the stored
 * names anew (db.c): stale whatever was imported since. */
#define RUN_RESPLIT (-1)

struct run_row {
    int64_t     id, started_at, finished_at, since_ms, until_ms,
                last_import;
    const char *config, *model;
    int64_t     queries, flows, names, hosts, alerts;
};

/* --- Writing --- */

struct results;

/*
 * Start replacing the results: one write transaction that first empties
 * the result tables. Returns DH_OK with *out set, or DH_DB.
 */
enum dh_status results_begin(struct db *db, struct results **out, char *err,
                             size_t errlen);

/* Add a domain; *id (may be NULL) gets its row id. DH_OK or DH_DB. */
enum dh_status results_add_domain(struct results *w,
                                  const struct domain_row *d, int64_t *id,
                                  char *err, size_t errlen);
/* Add a host; *id (may be NULL) gets its row id. DH_OK or DH_DB. */
enum dh_status results_add_host(struct results *w, const struct host_row *h,
                                int64_t *id, char *err, size_t errlen);
/* Add a reason of the host with row id host_id. DH_OK or DH_DB. */
enum dh_status results_add_reason(struct results *w, int64_t host_id,
                                  const struct reason_row *r, char *err,
                                  size_t errlen);
/* Add one host's figures for one domain (row ids in r). */
enum dh_status results_add_host_domain(struct results *w,
                                       const struct host_domain_row *r,
                                       char *err, size_t errlen);
/* Add one host-hour (the host's row id in r). */
enum dh_status results_add_host_hour(struct results *w,
                                     const struct host_hour_row *r,
                                     char *err, size_t errlen);
/* Add one host's DNS traffic to one server (the host's row id in r). */
enum dh_status results_add_peer(struct results *w, const struct peer_row *r,
                                char *err, size_t errlen);

/* Add the fleet's quantiles of one host-hour feature ("queries"). */
enum dh_status results_add_fleet_hour(struct results *w, const char *feature,
                                      double p50, double p90, double p99,
                                      char *err, size_t errlen);

/* Record the run and commit; w is freed whatever happens. */
enum dh_status results_finish(struct results *w, const struct run_row *run,
                              char *err, size_t errlen);

/* Roll back and free w; NULL is fine. */
void results_abort(struct results *w);

/* --- Reading the results --- */

/* The last run into *run (strings valid until the next call on db);
 * DH_OK with run->id 0 when the store was never scored. */
enum dh_status results_last_run(struct db *db, struct run_row *run,
                                char *err, size_t errlen);

/* Hosts by falling score (then address); all when limit <= 0, alerting
 * ones only when alerts_only. */
enum dh_status results_hosts(struct db *db, long limit, int alerts_only,
                             int (*fn)(void *, const struct host_row *),
                             void *arg, char *err, size_t errlen);

/* The host with address addr, or else the highest-scored one with
 * instance id addr: DH_OK and fn called once, or DH_OK and *found 0. */
enum dh_status results_host(struct db *db, const char *addr,
                            int (*fn)(void *, const struct host_row *),
                            void *arg, int *found, char *err,
                            size_t errlen);

/* A host's reasons by rank. */
enum dh_status results_reasons(struct db *db, int64_t host_id,
                               int (*fn)(void *, const struct reason_row *),
                               void *arg, char *err, size_t errlen);

/* Domains by band of max(dga_score, tunnel_score) (0.8 and above, 0.5
 * and above, the rest), then queries, then that score; with host_id > 0, only that host's, with its
 * own figures in hd. */
enum dh_status results_domains(struct db *db, int64_t host_id, long limit,
                               int (*fn)(void *, const struct domain_row *,
                                         const struct host_domain_row *),
                               void *arg, char *err, size_t errlen);

/*
 * The review queue: scored domains that got NXDOMAIN answers for a host
 * with a burst (an hour of at least burst distinct NXDOMAIN names),
 * with no verdict and no noise mark, the least certain first (dga_score
 * nearest threshold). limit <= 0: all.
 */
enum dh_status results_review(struct db *db, double threshold, int burst,
                              long limit,
                              int (*fn)(void *, const struct domain_row *,
                                        const struct host_domain_row *),
                              void *arg, char *err, size_t errlen);

/* The domain called name (its site or registrable form). */
enum dh_status results_domain(struct db *db, const char *name,
                              int (*fn)(void *, const struct domain_row *,
                                        const struct host_domain_row *),
                              void *arg, int *found, char *err,
                              size_t errlen);

/* The hosts that asked for domain_id, by falling queries. */
enum dh_status results_domain_hosts(struct db *db, int64_t domain_id,
                                    int (*fn)(void *,
                                              const struct host_domain_row *),
                                    void *arg, char *err, size_t errlen);

/* What of a host's queries came grouped from Athena (query_groups). */
struct host_groups {
    int64_t groups, queries;        /* 0 when none */
    int64_t first_ms, last_ms;
};

/* The grouped queries of the host at addr into *g. */
enum dh_status results_host_groups(struct db *db, const char *addr,
                                   struct host_groups *g, char *err,
                                   size_t errlen);

/* Up to n names logged under the domain site (registrable domain
 * registrable), longest first, as logged (any bytes). */
enum dh_status results_sample_names(struct db *db, const char *site,
                                    const char *registrable, int n,
                                    int (*fn)(void *, const char *, size_t),
                                    void *arg, char *err, size_t errlen);

/* A host's hours, in time order. */
enum dh_status results_host_hours(struct db *db, int64_t host_id,
                                  int (*fn)(void *,
                                            const struct host_hour_row *),
                                  void *arg, char *err, size_t errlen);

/* The fleet's host-hour quantiles: fn(arg, feature, p50, p90, p99). */
enum dh_status results_fleet_hours(struct db *db,
                                   int (*fn)(void *, const char *, double,
                                             double, double),
                                   void *arg, char *err, size_t errlen);

/*
 * Run one read-only SELECT of the analyst's over the store: fn gets the
 * column count, names and values (NULL for NULL) of each row, at most
 * limit rows. Anything but a single SELECT that only reads (no ATTACH,
 * PRAGMA, transaction or savepoint) is refused with DH_USAGE and the
 * reason in err. stop (may be NULL) is asked now and then whether to
 * give up; it returns non-zero to stop the query (DH_DB, "cancelled").
 */
enum dh_status results_select(struct db *db, const char *sql, long limit,
                              int (*fn)(void *, int, const char *const *,
                                        const char *const *),
                              void *arg, int (*stop)(void *),
                              void *stop_arg, char *err, size_t errlen);

/* Up to 200 host addresses (kind 'h') or domains ('d') starting with
 * prefix, in order, for completion. */
enum dh_status results_complete(struct db *db, int kind, const char *prefix,
                                int (*fn)(void *, const char *), void *arg,
                                char *err, size_t errlen);

/* The distinct ATT&CK techniques of the reasons about domain name, and
 * the highest host score among them: fn(arg, technique, score). */
enum dh_status results_domain_techniques(struct db *db, const char *name,
                                         int (*fn)(void *, const char *,
                                                   double),
                                         void *arg, char *err,
                                         size_t errlen);

/* A host's DNS peers from flows, by falling flows. */
enum dh_status results_peers(struct db *db, int64_t host_id,
                             int (*fn)(void *, const struct peer_row *),
                             void *arg, char *err, size_t errlen);

#endif
