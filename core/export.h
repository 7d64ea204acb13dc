/* SPDX-License-Identifier: MIT
 *
 * The exports, as the command line and the console both make them:
 * confirmed domains as STIX 2.1 or a MISP event, alerting hosts as JSON
 * lines or CSV for a SIEM, and the detections as Sigma rules.
 */
#ifndef DNSHUNT_EXPORT_H
#define DNSHUNT_EXPORT_H

#include <stddef.h>
#include <stdio.h>

#include "core/status.h"
#include "storage/db.h"

enum export_form { EX_STIX, EX_MISP, EX_ALERTS, EX_SIGMA, EX_COUNT };

/* The settings of an export; export_defaults() fills them. */
struct export_opts {
    int         ttl;        /* stix: days an indicator is valid */
    const char *tlp;        /* misp: clear, green, amber, ... */
    int         csv;        /* alerts: CSV rather than JSON lines */
    const char *config;     /* sigma: configuration file, or NULL */
    const char *model;      /* sigma: model file, or NULL */
};

/* 7 days, TLP amber, JSON lines, the default configuration and model. */
void export_defaults(struct export_opts *o);

/* The form's name ("stix"), and the form called name or EX_COUNT. */
const char *export_name(enum export_form f);
enum export_form export_lookup(const char *name);

/* A file name for the form in the current directory. */
const char *export_default_file(enum export_form f);

/*
 * Write form f of the store db to out. *n gets the number of
 * indicators, alerts or rules written (what the form counts). DH_OK,
 * DH_USAGE (a wrong configuration), DH_DB or DH_IO, with why in err.
 */
enum dh_status export_write(struct db *db, enum export_form f,
                            const struct export_opts *o, FILE *out,
                            size_t *n, char *err, size_t errlen);

/*
 * Write form f to the file at path through a temporary file beside it
 * and a rename, so a failed export leaves the old file as it was.
 * Refuses (DH_USAGE) a path that is the store, its journal, or the
 * configuration or model the export reads.
 */
enum dh_status export_to_path(struct db *db, enum export_form f,
                              const struct export_opts *o, const char *path,
                              size_t *n, char *err, size_t errlen);

/* What *n counts for form f, singular or plural ("indicators"). */
const char *export_unit(enum export_form f, size_t n);

#endif
