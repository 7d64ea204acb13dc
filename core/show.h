/* SPDX-License-Identifier: MIT
 *
 * Printing scoring results on standard output: hosts, domains and
 * alerts as an aligned table, JSON lines or CSV, and the explanation
 * of one host or domain. Every string from the store is escaped to
 * printable ASCII first; CSV cells that a spreadsheet would take for a
 * formula are quoted with a leading apostrophe.
 *
 * JSON field names are stable (docs/data-model.md lists them).
 */
#ifndef DNSHUNT_SHOW_H
#define DNSHUNT_SHOW_H

#include <stddef.h>
#include <stdio.h>

#include "core/status.h"
#include "storage/db.h"

enum show_format { SHOW_TABLE, SHOW_JSON, SHOW_CSV };

/* "table", "json" or "csv" into *f; 0, or -1 for anything else. */
int show_parse_format(const char *s, enum show_format *f);

/* Hosts by falling score (limit <= 0: all; alerts_only: alerting). */
enum dh_status show_hosts(struct db *db, enum show_format f, long limit,
                          int alerts_only, char *err, size_t errlen);

/* The same, written to out. */
enum dh_status show_hosts_to(FILE *out, struct db *db, enum show_format f,
                             long limit, int alerts_only, char *err,
                             size_t errlen);

/* Domains, or one host's domains when host is set. */
enum dh_status show_domains(struct db *db, enum show_format f,
                            const char *host, long limit, char *err,
                            size_t errlen);

/* Explain the host with address or instance id what; *found 1 when it
 * was one. */
enum dh_status show_explain_host(struct db *db, const char *what,
                                 int *found, char *err, size_t errlen);

/* Explain the scored domain what (its figures, hosts, sample names);
 * *found 2 when it was one, so the caller adds the lexical part. */
enum dh_status show_explain_domain(struct db *db, const char *what,
                                   int *found, char *err, size_t errlen);

#endif
