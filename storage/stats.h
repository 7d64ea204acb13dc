/* SPDX-License-Identifier: MIT
 *
 * Read-only summaries of the store for `dnshunt stats`.
 */
#ifndef DNSHUNT_STORE_STATS_H
#define DNSHUNT_STORE_STATS_H

#include <stddef.h>
#include <stdint.h>

#include "core/status.h"
#include "storage/db.h"

/* One imported file. Strings are owned by the store_stats. */
struct store_file {
    int64_t id;
    char   *path;
    char   *format;
    char   *compression;
    char   *status;
    char   *message;       /* NULL when none */
    char   *sha256;
    int64_t size;
    int64_t rows;
    int64_t rejected;
    int64_t started_at;    /* Unix seconds */
    int64_t finished_at;
};

/* Table counts, time ranges and the files. */
struct store_stats {
    int     schema;
    int64_t queries, flows, health, rejected, names, domains, origins;
    int64_t grouped, groups;          /* of queries, those from Athena's
                                         host_queries.csv, in groups */
    int64_t q_first_ms, q_last_ms;    /* 0 when no queries */
    int64_t f_first, f_last;          /* flow start/end, Unix seconds */
    struct store_file *files;
    size_t  n_files;
};

/* Fill *st; free with store_stats_free(). */
enum dh_status store_stats(struct db *db, struct store_stats *st, char *err,
                           size_t errlen);

/* Fill only st->files (no counts: fast on any store); free with
 * store_stats_free(). */
enum dh_status store_files(struct db *db, struct store_stats *st, char *err,
                           size_t errlen);

/* Free what store_stats() allocated. */
void store_stats_free(struct store_stats *st);

/* Called for each rejected row: line, reason, escaped excerpt. */
typedef void (*reject_fn)(void *arg, int64_t line, const char *reason,
                          const char *excerpt);

/* Call fn for the first `limit` rejected rows of an import, by line. */
enum dh_status store_rejects(struct db *db, int64_t import_id, int limit,
                             reject_fn fn, void *arg, char *err,
                             size_t errlen);

#endif
