/* SPDX-License-Identifier: MIT
 *
 * What the files of scoring share: the tables a run builds in memory.
 * core/score.c fills them from the store; core/reasons.c turns them
 * into reasons and scores; core/score_write.c stores them. Nothing
 * outside those files includes this.
 */
#ifndef DNSHUNT_SCORE_INTERNAL_H
#define DNSHUNT_SCORE_INTERNAL_H

#include <stdint.h>

#include "core/allow.h"
#include "core/lexname.h"
#include "core/score.h"
#include "core/u64map.h"
#include "core/util.h"
#include "model/tunnel.h"
#include "storage/results.h"

/* Seconds to milliseconds, clamped so no log value can overflow. */
static inline int64_t
sec_to_ms(int64_t sec)
{
    return sec <= 0 ? 0 : sec > 100000000000LL ? 100000000000000LL
                                                : sec * 1000;
}

/* A growable array of 32-bit values (times in seconds, lengths). */
struct u32vec {
    uint32_t *v;
    uint32_t  n, cap;
};

/* Append x to a (which starts zeroed), growing it as needed. */
void u32vec_push(struct u32vec *a, uint32_t x);

/* Kinds of name that are noise for one signal or another. */
enum name_kind {
    NK_SEARCH  = 1 << 0,    /* under a search-path suffix */
    NK_IPLOOK  = 1 << 1,    /* reversed address (blocklist look-up) */
    NK_SERVICE = 1 << 2,    /* a '_' label: SRV, DKIM, DMARC */
    NK_LONG    = 1 << 3,    /* longer than the long-name rule */
    NK_SEEN    = 1 << 4,    /* asked in this run already */
    NK_COUNTED = 1 << 5,    /* counts for ratio rules */
    NK_AGENT   = 1 << 6,    /* under a security agent's zone */
    NK_DNSBL   = 1 << 7,    /* under a blocklist zone */
    NK_ALLOWED = 1 << 8     /* allow-listed for every signal */
};

/* What scoring keeps of one name, indexed by its id. */
struct name_info {
    int32_t  site;          /* index into sites, -1 for none */
    int32_t  first_host;    /* the first host that asked, -1 before */
    uint8_t  reason;        /* enum lex_reason */
    uint16_t kind;          /* name_kind bits */
    uint8_t  alpha;         /* enum sub_alphabet of the subdomain */
    uint8_t  encoded;       /* the subdomain looks like data */
    uint16_t len;           /* characters of the normalised name */
    uint16_t sub_len;       /* data bytes of the subdomain */
    uint16_t longest;       /* longest subdomain label */
    float    payload_bits;
    float    entropy;
};

/* Noise flags of a domain. */
enum site_noise {
    SN_LEXICAL = 1 << 0,    /* lexical_allow: no DGA signal */
    SN_AGENT   = 1 << 1,    /* security agent look-ups */
    SN_DNSBL   = 1 << 2     /* blocklist zone */
};

/* A domain: the registrable domain, or the site under a private
 * suffix (so d123.cloudfront.net and evil.ddns.net are their own). */
struct site {
    char    *name, *registrable;
    float    dga;           /* -1 when not scored */
    uint8_t  reason, noise;
    uint32_t hosts;         /* distinct hosts that asked */
    uint64_t queries, nx, noerror, txt, null_q, key_q, private_q, any_q,
             cname_q, rare, answered, empty;
    uint64_t unique, encoded, longest, addrs, nets;
    double   sub_len_sum, entropy_sum, payload_bits, bytes_sum;
    uint32_t alpha[SA_COUNT];
    uint32_t *len_hist;     /* 256 buckets of subdomain length, or NULL */
    uint32_t peak_qpm;
    int64_t  first, last;   /* ms */
    float    tunnel;
    int64_t  id;            /* row id once written */
    uint32_t asn_ok, asn_other; /* answer addresses in and out of an
                                   allow-listed autonomous system */
    uint32_t asn;           /* the asn entry that covers it, or 0 */
};

/* One host's queries under one domain (there are many: keep it small). */
struct pair {
    int32_t  host, site;
    int32_t  from;          /* resolver host it was attributed from, or -1 */
    uint32_t moved;         /* attributed away: its evidence is another's */
    uint32_t queries, nx, noerror, rare, answered, unique, encoded;
    uint32_t empty;         /* queries answered with no record */
    uint32_t names;         /* distinct names */
    uint32_t noise_names;   /* of those, under agent or blocklist zones */
    uint32_t txt, odd_txt, counted, counted_nx, long_names; /* as host */
    double   bytes_sum;     /* estimated bytes, as host */
    uint32_t longest;
    uint32_t matched;       /* attribution: queries the client explains */
    uint32_t direct;        /* of the times, its own before attribution */
    float    median_gap, cv; /* -1 when too few queries */
    float    tunnel;
    double   payload_bits;
    int64_t  first, last;   /* ms */
    int64_t  enc_first, enc_last; /* ms, of the queries of encoded names */
    struct u32vec times;    /* seconds since the run's base */
};

/* One host and hour. */
struct hour {
    int32_t  host;
    int64_t  hour;          /* Unix seconds of its start */
    uint32_t queries, peak_qpm, nx, nx_names, search_nx, txt, parents,
             long_names, dga, tunnel;
};

/* One host's DNS traffic to one server, from flow logs. */
struct peer {
    int32_t  host;
    char    *addr;
    int      port, proto;
    int      kind;          /* PK_* */
    uint64_t flows, packets, bytes_out, bytes_in;
    struct u32vec starts, ends;     /* seconds since the run's base */
    struct u32vec bpp;      /* bytes per packet of each flow sent */
    int64_t  first, last;   /* seconds */
    double   median_gap, cv;
};

enum { PK_RESOLVER, PK_BYPASS, PK_DOH };

/* A host: an address in the query logs or a client in the flow logs. */
struct host {
    char    *addr, *instance;
    int      resolver;      /* a DNS server for others */
    uint64_t queries, nx, counted, counted_nx, txt, odd_txt, long_names,
             search_nx, attributed;
    double   bytes_sum;     /* estimated bytes of its queries */
    int64_t  first, last;   /* ms */
    uint32_t clients;       /* hosts whose DNS flows reach it */
    struct u32vec other_times; /* queries for names without a domain */
    uint64_t dns_flows, dns_bytes, doh_flows, bypass_flows;
    uint32_t servers;
    double   score;
    int      alert;
    int64_t  alert_first, alert_last;
    int64_t  allowed;       /* the allow-list entry covering it, or 0 */
    struct reason *reasons;
    size_t   n_reasons;
    int64_t  id;
};

/* One reason of a host, before it is written. */
struct reason {
    int       code;         /* enum reason_code */
    double    strength;
    char     *text;
    char     *evidence;     /* JSON */
    char     *domain;       /* or NULL */
    int64_t   first, last;  /* ms */
};

/* Everything one run holds. */
struct scorer {
    const struct score_opts *o;
    struct asn_db    *asn;      /* IP-to-ASN data for asn entries */
    const struct rules *r;
    struct lexctx    *lex;
    double            dga_thr;
    int64_t           base_s;   /* times are stored relative to this */

    struct name_info *names;
    size_t            n_names;
    struct site      *sites;
    size_t            n_sites, cap_sites;
    struct u64map     site_index;   /* hash of name -> index + 1 */

    struct host      *hosts;
    size_t            n_hosts, cap_hosts;
    struct u64map     host_index;   /* hash of address -> index + 1 */
    int32_t          *origin_host;  /* origin id -> host index */
    size_t            n_origins;

    uint32_t         *ans_bytes;    /* answer id -> bytes of data records */
    uint8_t          *ans_data;     /* answer id -> carries data types */
    uint32_t         *ans_ip_at;    /* answer id -> first address */
    uint32_t         *ans_ips;      /* IPv4 addresses, flat */
    size_t            n_answers, n_ans_ips;

    struct pair      *pairs;
    size_t            n_pairs, cap_pairs;
    struct u64map     pair_index;   /* host, site -> index + 1 */
    struct hour      *hours;
    size_t            n_hours, cap_hours;
    struct u64map     hour_index;   /* host, hour -> index + 1 */
    struct peer      *peers;
    size_t            n_peers, cap_peers;
    struct u64map     peer_index;

    struct u64map     seen;         /* host, name pairs; distinct sets */

    struct allow_list allow;        /* the entries in force */
    uint64_t         *doh;          /* DoH connections of each DoH host */
    size_t            n_doh;

    int               cancelled;    /* the caller asked to stop */
    struct score_summary *sum;
};

/* Find or add the host with address addr; returns its index. */
int32_t scorer_host(struct scorer *s, const char *addr);

/* Turn the gathered evidence into every host's reasons and score. */
void reasons_build(struct scorer *s);

/* 1 when the host asked or sent something in the run's window. */
int host_active(const struct host *h);

/* Free one host's reasons. */
void reasons_free(struct host *h);

/* Write the run's tables; DH_OK or DH_DB. */
enum dh_status score_write(struct scorer *s, struct db *db, int64_t started,
                           int64_t last_import, char *err, size_t errlen);

/* Median and coefficient of variation of the gaps between the sorted
 * times t[0..n); both -1 with fewer than 3 times. Sorts t. */
void gap_stats(uint32_t *t, size_t n, double *median, double *cv);

#endif
