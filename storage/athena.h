/* SPDX-License-Identifier: MIT
 *
 * Amazon Athena for fleets too large to import raw: the table definitions
 * (Hive DDL with partition projection over the S3 key layouts AWS writes)
 * and the two queries that reduce resolver query logs and flow logs to
 * what scoring reads: a host's queries grouped by name, type, rcode and
 * answer with the time of each, and the flow records of DNS. Each query
 * is one template rendered for Trino (Athena) or for SQLite (a dnshunt
 * store of raw logs, athena_local()), so both give the same CSV rows.
 * Every value that reaches the text is checked first (bucket, prefix,
 * account, region, VPC ids, database, days, addresses). See
 * docs/fleet.md.
 */
#ifndef DNSHUNT_ATHENA_H
#define DNSHUNT_ATHENA_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "core/status.h"

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

/* What the aggregation queries cover and the DoH resolvers they know. */
struct athena_window {
    int64_t      since_ms, until_ms;   /* [since, until) */
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

/* The engines a query renders for. */
enum athena_dialect { ATHENA_TRINO, ATHENA_SQLITE };

/* The aggregation queries: groups of queries, DNS flow records. */
#define ATHENA_N_QUERIES 2

/* The CSV file query i's result is saved as ("host_queries.csv"). */
const char *athena_query_file(int i);

/* Write query i (0 <= i < ATHENA_N_QUERIES) for o and w (checked) in
 * dialect d to out, headed by a comment naming its CSV file. */
void athena_query(int i, enum athena_dialect d, const struct athena_opts *o,
                  const struct athena_window *w, FILE *out);

/* Called first with the n column names and vals NULL, then with each row
 * of a query run locally: its values (NULL for SQL NULL) and lengths in
 * bytes. Nonzero stops. */
typedef int (*athena_row_fn)(void *arg, int n, const char *const *names,
                             const char *const *vals, const int *lens);

struct db;

/*
 * Run query i in SQLite's dialect against the raw logs in the store:
 * the rows Athena would give for the same logs. DH_OK, or DH_DB with
 * the reason in err.
 */
enum dh_status athena_local(struct db *db, int i,
                            const struct athena_opts *o,
                            const struct athena_window *w, athena_row_fn fn,
                            void *arg, char *err, size_t errlen);

/* Write every query in dialect d, with a note on their use. */
void athena_sql(const struct athena_opts *o, const struct athena_window *w,
                enum athena_dialect d, FILE *out);

#endif
