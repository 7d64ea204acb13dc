/* SPDX-License-Identifier: MIT
 *
 * Writing imported records into the store. Each input file is one
 * transaction: ingest_begin() opens it and records the file, the record
 * calls add rows, ingest_finish() writes the outcome and commits, and
 * ingest_abort() rolls everything back, so a file is either wholly in
 * the store or absent, even if the process is killed half-way.
 *
 * Names, origins (address, instance, VPC...), answer sets and firewall
 * hits are stored once and referred to by id; bounded in-memory caches
 * keep repeated values off the SQL path.
 */
#ifndef DNSHUNT_INGEST_H
#define DNSHUNT_INGEST_H

#include <stddef.h>
#include <stdint.h>

#include "core/records.h"
#include "core/status.h"
#include "storage/db.h"

struct ingest;

/* What is known of a file when its import starts. */
struct import_info {
    const char *path;         /* as given, or "-" for standard input */
    uint64_t    size;         /* bytes, 0 when unknown (standard input) */
    const char *sha256;       /* hex content hash, NULL when not yet known */
    int64_t     replace_id;   /* earlier import to delete first, or 0 */
};

/* How a file's import ended. */
struct import_outcome {
    const char *format;       /* "route53", "flow", "cloudwatch", ... */
    const char *compression;  /* "gzip" or "none" */
    const char *status;       /* "ok", "partial", "failed" or "empty" */
    const char *message;      /* why partial or failed, or NULL */
    const char *sha256;       /* final hash (needed when info had none) */
    uint64_t    size;         /* final raw size */
    uint64_t    kept;         /* rows stored */
    uint64_t    rejected;     /* rows rejected */
    int         replace_duplicate; /* same content imported: replace it */
};

/* Prepare the statements and caches. Returns DH_OK or DH_DB. */
enum dh_status ingest_open(struct db *db, struct ingest **out, char *err,
                           size_t errlen);

/* Finalise statements and free the caches; NULL is fine. */
void ingest_close(struct ingest *in);

/*
 * Look up an import by content hash: *id is its id, or 0 when the
 * content was never imported or its import failed (kept nothing);
 * *path (may be NULL) gets a copy of its path the caller frees.
 */
enum dh_status ingest_find(struct ingest *in, const char *sha256,
                           int64_t *id, char **path, char *err,
                           size_t errlen);

/*
 * Start a file's transaction (waits for other writers). Returns
 * DH_DUPLICATE when, by then, the same content is in the store under
 * another import than info->replace_id.
 */
enum dh_status ingest_begin(struct ingest *in, const struct import_info *info,
                            char *err, size_t errlen);

/* Add one resolver query / flow / health record to the open file. */
enum dh_status ingest_query(struct ingest *in, const struct dns_query *q,
                            char *err, size_t errlen);
enum dh_status ingest_flow(struct ingest *in, const struct flow_rec *f,
                           char *err, size_t errlen);
/* Add a group of queries that share q's host, name, type, rcode and
 * answers (the other fields of q are not kept). */
enum dh_status ingest_query_group(struct ingest *in, const struct dns_query *q,
                                  const struct query_group *g, char *err,
                                  size_t errlen);
enum dh_status ingest_health(struct ingest *in, uint64_t line,
                             const struct flow_rec *f, char *err,
                             size_t errlen);

/* Record a rejected input line with its reason and a short excerpt. */
enum dh_status ingest_reject(struct ingest *in, uint64_t line,
                             const char *reason, const char *excerpt,
                             char *err, size_t errlen);

/*
 * Write the outcome and commit. If out->sha256 names content already in
 * the store under another import, that import is deleted when
 * out->replace_duplicate is set; otherwise this file is rolled back and
 * DH_DUPLICATE returned.
 */
enum dh_status ingest_finish(struct ingest *in,
                             const struct import_outcome *out, char *err,
                             size_t errlen);

/* Roll the open file back. */
void ingest_abort(struct ingest *in);

#endif
