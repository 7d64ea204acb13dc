/* SPDX-License-Identifier: MIT
 *
 * Route 53 Resolver query log records: one JSON object per query, keys in
 * any order, every documented field (see docs/data-model.md for where
 * each lands). Unknown keys are ignored. A record is rejected, with a
 * reason naming the field, when a required field (query_timestamp,
 * query_name, query_type, rcode, srcaddr) is missing or malformed, when
 * any string holds a NUL byte, or when a field has the wrong JSON type.
 * Names over the DNS length limits are kept and flagged by the store.
 */
#ifndef DNSHUNT_IMPORT_DNS_H
#define DNSHUNT_IMPORT_DNS_H

#include <jansson.h>
#include <stddef.h>

#include "core/records.h"
#include "core/status.h"
#include "core/util.h"

/* Scratch memory reused across records. */
struct dns_scratch {
    struct buf answers;      /* canonical answers JSON */
    char       addr[64];     /* canonical srcaddr */
};

/*
 * Convert the JSON object obj into *q. Strings in *q point into obj and
 * the scratch; they stay valid while both do. On failure returns the
 * status with the detail ("field srcaddr: not an IP address") in err.
 */
enum dh_status dns_record(json_t *obj, struct dns_scratch *s,
                          struct dns_query *q, char *err, size_t errlen);

#endif
