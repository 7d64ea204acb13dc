/* SPDX-License-Identifier: MIT
 *
 * `dnshunt import`: files, directories (walked recursively in name order,
 * as `aws s3 sync` lays out AWSLogs/...) and standard input, each file
 * detected by content (Route 53 JSON, CloudWatch Logs envelopes, VPC
 * Flow Log text) and imported in one transaction. A file whose content is
 * already in the store is skipped unless forced. Bad lines are rejected,
 * counted and recorded; the good lines around them are kept.
 */
#ifndef DNSHUNT_IMPORT_H
#define DNSHUNT_IMPORT_H

#include <stddef.h>
#include <stdint.h>

#include "core/status.h"
#include "storage/db.h"

/* Called now and then with raw bytes read of all, and rows so far.
 * Nonzero cancels: the file being read is rolled back, the run ends
 * with DH_CANCELLED, and files imported before stay. */
typedef int (*import_progress_fn)(void *arg, uint64_t done, uint64_t total,
                                  uint64_t rows);

/* What the user asked for. */
struct import_opts {
    const char *format;       /* NULL or "auto", "route53", "flow" */
    const char *flow_format;  /* field names for files without header */
    int         force;        /* replace files already imported */
    int         quiet;        /* no per-row messages on stderr */
    size_t      max_line;     /* line limit in bytes, 0 for the default */
    long        max_ratio;    /* gzip inflation limit: 0 default, -1 none */
    int         threads;      /* 1: read and write on one thread */
    import_progress_fn progress;  /* NULL for none */
    void       *progress_arg;
};

/* Counts over a whole run. */
struct import_totals {
    uint64_t files;          /* files looked at */
    uint64_t ok;             /* imported whole */
    uint64_t partial;        /* damaged: rows before the damage kept */
    uint64_t failed;         /* nothing kept (unreadable, unknown format) */
    uint64_t empty;          /* no content */
    uint64_t skipped;        /* content already in the store */
    uint64_t rows;           /* rows kept */
    uint64_t rejected;       /* rows rejected */
    uint64_t bytes_read;     /* raw bytes read so far */
    uint64_t bytes_total;    /* size of the regular files, for progress */
};

/*
 * Import the n paths. Returns DH_OK when the run went through (files may
 * still have failed: see the totals), or the status of a store error or
 * bad option that stopped it, with detail in err.
 */
enum dh_status import_run(struct db *db, const struct import_opts *opts,
                          char *const *paths, int n,
                          struct import_totals *totals, char *err,
                          size_t errlen);

#endif
