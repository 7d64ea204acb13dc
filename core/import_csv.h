/* SPDX-License-Identifier: MIT
 *
 * The CSV files Amazon Athena writes for the queries of `dnshunt athena
 * sql` (and `athena local`): host_queries.csv, groups of a host's queries
 * with the time of each, and dns_flows.csv, flow records of DNS. Athena
 * quotes every value, doubles quotes inside, and leaves NULL empty; both
 * quoted and bare values are read. A file is known by its header line.
 * A value may not hold a line break: such a row is rejected.
 */
#ifndef DNSHUNT_IMPORT_CSV_H
#define DNSHUNT_IMPORT_CSV_H

#include <stddef.h>

#include "core/records.h"
#include "core/status.h"
#include "core/util.h"

/* What a CSV header line announces. */
enum csv_kind { CSV_NONE, CSV_GROUPS, CSV_FLOWS };

/* The most cells a row may have. */
#define CSV_MAX_CELLS 64

/* Working space of the CSV reader, zeroed before first use. */
struct csv_scratch {
    struct buf cells;          /* cell texts, each NUL-terminated */
    struct buf answers;        /* canonical answers JSON */
    struct buf times;          /* the times as stored */
    int64_t   *t;              /* parsed times */
    size_t     t_cap;
    char       addr[64];       /* canonical host address */
};

/* The kind of file a header line of n bytes starts, or CSV_NONE. */
enum csv_kind csv_header_kind(const char *line, size_t n);

/*
 * Read one host_queries.csv row (not the header) into q and g, which
 * point into s until the next call. DH_OK, or the reason with detail in
 * err.
 */
enum dh_status csv_group(const char *line, size_t n, struct csv_scratch *s,
                         struct dns_query *q, struct query_group *g,
                         char *err, size_t errlen);

/*
 * Turn one dns_flows.csv line (the header too) into the flow log line
 * with the same fields, space-separated, NULL as "-", into out. DH_OK, or
 * the reason with detail in err.
 */
enum dh_status csv_flow_line(const char *line, size_t n,
                             struct csv_scratch *s, struct buf *out,
                             char *err, size_t errlen);

/* Release s's memory. */
void csv_scratch_free(struct csv_scratch *s);

#endif
