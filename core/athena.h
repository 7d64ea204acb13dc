/* SPDX-License-Identifier: MIT
 *
 * Amazon Athena for fleets too large to import raw: the table definitions
 * (Hive DDL with partition projection over the S3 key layouts AWS writes)
 * and the aggregation queries, in Trino's dialect, that reduce a month of
 * resolver query logs and flow logs to what scoring reads: per host and
 * hour, per host and name, per host and DNS server. Every value that
 * reaches the text is checked first (bucket, prefix, account, region, VPC
 * ids, dates), so the output can be pasted into the Athena console as is.
 *
 * Debt: the CSV files Athena writes for these queries are not yet
 * imported, and the same queries are not yet rendered in SQLite's dialect
 * to check them against the raw-log path; see docs/fleet.md.
 */
#ifndef DNSHUNT_ATHENA_H
#define DNSHUNT_ATHENA_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* Where the logs are and how the flow logs are written. */
struct athena_opts {
    const char  *database;     /* Glue database, "dnshunt" by default */
    const char  *bucket;       /* S3 bucket of both log types */
    const char  *prefix;       /* key prefix before AWSLogs/, or "" */
    const char  *account;      /* 12-digit account id */
    const char  *region;       /* flow logs' region */
    const char **vpcs;         /* VPC ids with query logging */
    size_t       n_vpcs;
    const char  *from_day;     /* first day of projection, YYYY-MM-DD */
    const char  *flow_fields;  /* custom format field names, or NULL */
    int          parquet;      /* flow logs are Parquet, not text */
    int          hive;         /* flow logs use Hive-style partitions */
};

/* What the aggregation queries cover and the thresholds they use. */
struct athena_window {
    int64_t      since_ms, until_ms;   /* [since, until) */
    int          long_name;            /* characters of a long name */
    char *const *doh;                  /* DoH resolver addresses */
    size_t       n_doh;
};

/*
 * Check o (and w, when not NULL) and fill err with what is wrong: -1, or
 * 0 when every value may go into the text.
 */
int athena_check(const struct athena_opts *o, const struct athena_window *w,
                 char *err, size_t errlen);

/* Write the CREATE EXTERNAL TABLE statements for o (checked) to out. */
void athena_ddl(const struct athena_opts *o, FILE *out);

/* Write the aggregation queries for o and w (checked) to out, each
 * headed by a comment naming the CSV it produces. */
void athena_sql(const struct athena_opts *o, const struct athena_window *w,
                FILE *out);

#endif
