/* SPDX-License-Identifier: MIT
 *
 * The catalogue of VPC Flow Log fields: header name, the version that
 * introduced it, whether it is numeric and its limits. Headers use
 * hyphens (srcaddr, account-id); Parquet and Athena use underscores;
 * both spellings are accepted.
 */
#ifndef DNSHUNT_FLOWFIELDS_H
#define DNSHUNT_FLOWFIELDS_H

#include <stddef.h>
#include <stdint.h>

#include "core/records.h"

/* How a field's text is checked and converted. */
enum ff_kind {
    FK_TEXT,     /* kept as text */
    FK_INT,      /* non-negative integer within max */
    FK_ADDR      /* IPv4 or IPv6 address */
};

/* One field of the catalogue. */
struct flow_field_def {
    const char  *name;     /* header spelling, with hyphens */
    const char  *column;   /* flows column, or the key in flows.extra */
    enum ff_kind kind;
    int64_t      max;      /* upper bound for FK_INT */
};

/* Where a field is stored. */
enum {
    FW_ROW,        /* a column of flows */
    FW_INTERFACE,  /* a column of flow_interfaces (same for a whole ENI) */
    FW_EXTRA,      /* a key of the flows.extra JSON object */
    FW_NONE        /* not stored with the flow (log-status) */
};

/* Where field f is stored: FW_ROW, FW_INTERFACE, FW_EXTRA or FW_NONE. */
int flowfield_where(enum flow_field f);

/* The definition of field f (0 <= f < FF_COUNT). */
const struct flow_field_def *flowfield_def(enum flow_field f);

/*
 * Field number for a header token of len bytes (hyphens or underscores),
 * or -1 when it is not a flow log field name.
 */
int flowfield_lookup(const char *tok, size_t len);

/* The 14 fields of the default (version 2) format, in order. */
extern const int flowfield_default[14];

#endif
