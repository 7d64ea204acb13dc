/* SPDX-License-Identifier: MIT
 *
 * VPC Flow Log text lines. Fields are mapped by the header line (the
 * first line of every S3 object, and again wherever objects were
 * concatenated), never by counting tokens; a file without a header is
 * read as the default version 2 format when a line has its 14 fields, or
 * by a format given by the user. A leading ISO timestamp, as CloudWatch
 * exports write, is dropped. "-" is an absent value. Header names that
 * are not flow log fields are skipped with their column. Rejected: a line
 * whose field count differs from its header, a number out of range, an
 * address that is not IPv4 or IPv6, a NUL byte, an unknown log-status.
 */
#ifndef DNSHUNT_IMPORT_FLOW_H
#define DNSHUNT_IMPORT_FLOW_H

#include <stddef.h>

#include "core/records.h"
#include "core/status.h"

#define FLOW_MAX_FIELDS 128
#define FLOW_UNKNOWN_MAX 8      /* unknown header fields kept per record */

/* Column map of the current header. */
struct flow_parser {
    int  map[FLOW_MAX_FIELDS];  /* field per column, -1 to skip */
    int  n;                     /* columns; 0 no header, -1 a bad one */
    int  fallback[FLOW_MAX_FIELDS]; /* the --flow-format map, if any */
    int  n_fallback;
    int  unknown_names;         /* header names not in the catalogue */
    int  unk_col[FLOW_UNKNOWN_MAX];      /* columns of the first of them */
    char unk_name[FLOW_UNKNOWN_MAX][64]; /* their names, '-' as '_' */
    int  fixed;                 /* the layout is set (Parquet, Athena's
                                 * CSV): no header line follows, no
                                 * CloudWatch time prefix */
};

/* Line kinds returned by flow_parse(). */
enum flow_kind {
    FLOW_RECORD,   /* a traffic record in *rec */
    FLOW_HEALTH,   /* NODATA or SKIPDATA in *rec */
    FLOW_HEADER    /* a header line; the map changed */
};

/*
 * Set the map used when a file has no header from a space-separated
 * list of field names. Returns DH_BAD_HEADER with detail on failure.
 */
enum dh_status flow_set_format(struct flow_parser *p, const char *names,
                               char *err, size_t errlen);

/* Forget the header, at the start of each file. */
void flow_reset(struct flow_parser *p);

/* 1 when the line looks like a flow record or header (for sniffing). */
int flow_sniff(const char *line, size_t len);

/*
 * Parse one non-blank line. On success returns DH_OK and sets *kind;
 * values in *rec point into line. Otherwise the status and detail.
 */
enum dh_status flow_parse(struct flow_parser *p, const char *line,
                          size_t len, struct flow_rec *rec,
                          enum flow_kind *kind, char *err, size_t errlen);

/* 1 when s is a dotted-quad IPv4 address as inet_pton reads it (4 parts
 * of 0..255, no leading 0): an address field kept as it is. */
int flow_ipv4(const char *s, size_t n);

#endif
