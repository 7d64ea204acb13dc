/* SPDX-License-Identifier: MIT
 *
 * Route 53 Resolver query log records: one JSON object per query, keys in
 * any order, every documented field (see docs/data-model.md for where
 * each lands). Unknown keys are ignored. A record is rejected, with a
 * reason naming the field, when a required field (query_timestamp,
 * query_name, query_type, rcode, srcaddr) is missing or malformed, when
 * any string holds a NUL byte, or when a field has the wrong JSON type.
 * Names over the DNS length limits are kept and flagged by the store.
 *
 * Two ways in, one set of rules: dns_scan() reads the common case (a
 * flat one-line object of plain ASCII strings) without allocating, and
 * declines anything else; dns_from_json() takes any object jansson
 * parsed. Both fill a struct r53_fields that dns_convert() checks.
 */
#ifndef DNSHUNT_IMPORT_DNS_H
#define DNSHUNT_IMPORT_DNS_H

#include <jansson.h>
#include <stddef.h>

#include "core/records.h"
#include "core/status.h"
#include "core/util.h"

/* JSON type of a field as found. */
enum jv_type { JV_ABSENT, JV_NULL, JV_STRING, JV_INT, JV_OBJECT, JV_ARRAY,
               JV_OTHER };

/* One field's value; s and n are set for strings. */
struct jv {
    enum jv_type type;
    const char  *s;       /* string bytes, not NUL-terminated */
    size_t       n;
    long long    i;       /* value of JV_INT */
};

/* Top-level keys of a record. */
enum r53_key {
    K_VERSION, K_ACCOUNT_ID, K_REGION, K_VPC_ID, K_QUERY_TIMESTAMP,
    K_QUERY_NAME, K_QUERY_TYPE, K_QUERY_CLASS, K_RCODE, K_SRCADDR,
    K_SRCPORT, K_TRANSPORT, K_FW_GROUP, K_FW_ACTION, K_FW_LIST, K_SRCIDS,
    K_ANSWERS, K_COUNT
};

/* Keys inside srcids. */
enum r53_srcid { SID_INSTANCE, SID_ENDPOINT, SID_ENI, SID_COUNT };

/* One answer; type JV_OBJECT when it was an object. */
struct r53_answer {
    enum jv_type type;
    struct jv    rdata, rtype, rclass;
};

/* Every field of one record, as found. */
struct r53_fields {
    struct jv          f[K_COUNT];
    struct jv          srcid[SID_COUNT];
    struct r53_answer *answers;   /* in the scratch; n_answers entries */
    size_t             n_answers;
};

/* Scratch memory reused across records. */
struct dns_scratch {
    struct buf         answers_json;  /* canonical answers JSON */
    struct buf         decoded;       /* strings with escapes, decoded */
    struct r53_answer *answers;       /* parsed answers */
    size_t             answers_cap;
    char               addr[64];      /* canonical srcaddr */
    char               text[K_COUNT + SID_COUNT][256]; /* ids, codes */
};

/*
 * Read line[0..n) as one flat Route 53 object. Returns 1 with *f filled
 * (pointing into line and the scratch), or 0 when the line needs the
 * full JSON parser: \u escapes, non-ASCII bytes, duplicate keys,
 * anything unusual.
 */
int dns_scan(const char *line, size_t n, struct dns_scratch *s,
             struct r53_fields *f);

/* Fill *f from a parsed object (strings point into obj). */
void dns_from_json(json_t *obj, struct dns_scratch *s, struct r53_fields *f);

/*
 * Check *f and build *q. Strings in *q point into the input and the
 * scratch and stay valid while both do. On failure returns the status
 * with the detail ("field srcaddr: not an IP address") in err.
 */
enum dh_status dns_convert(const struct r53_fields *f, struct dns_scratch *s,
                           struct dns_query *q, char *err, size_t errlen);

/* Free the scratch's memory. */
void dns_scratch_free(struct dns_scratch *s);

#endif
