/* SPDX-License-Identifier: MIT
 *
 * The analysts' decisions as the command line and the console make
 * them: adding allow-list entries after seeing what they would hide,
 * the allow-list as a text file a team keeps in a repository, and
 * verdicts on domains and hosts. Each change names the OS user.
 *
 * The text form has one entry a line, sorted, so that merges are easy:
 *
 *     KIND VALUE SCOPE [expires=ISO8601] [by=USER] [at=ISO8601] [# reason]
 *
 * e.g. `suffix cloudfront.net lexical by=alice # CDN labels`. '#'
 * starts the reason; blank lines and lines starting with '#' are
 * comments.
 */
#ifndef DNSHUNT_DECIDE_H
#define DNSHUNT_DECIDE_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "core/allow.h"
#include "core/status.h"
#include "storage/db.h"
#include "storage/decisions.h"

/* The time of a decision, ms: $DNSHUNT_NOW (ISO 8601) when set, for
 * reproducible tests, else the clock. */
int64_t decide_now(void);

/* The OS user making a decision (never NULL). */
const char *decide_who(void);

/* What an entry covers in the last scoring. */
struct allow_preview {
    uint64_t domains, queries;      /* domains (or hosts) and queries */
    uint64_t hosts, alerts;         /* hosts, and how many alert now */
};

/* Count what entry it covers among the scored domains and hosts. */
enum dh_status decide_preview(struct db *db, const struct allow_item *it,
                              struct allow_preview *p, char *err,
                              size_t errlen);

/*
 * Check and add (or update) an entry: kind, value and scope as in
 * core/allow.h, reason may be NULL, expires_ms 0 for never. *id gets
 * its id. DH_USAGE with why in err for a wrong entry, or DH_DB.
 */
enum dh_status decide_allow(struct db *db, const char *kind,
                            const char *value, const char *scope,
                            const char *reason, int64_t expires_ms,
                            int64_t *id, char *err, size_t errlen);

/* Write every entry in the text form to out. DH_OK or DH_DB. */
enum dh_status decide_export(struct db *db, FILE *out, char *err,
                             size_t errlen);

/*
 * Add every entry of the text form read from in (shown is its name for
 * messages): *added counts them. Stops at the first wrong line with
 * "NAME:LINE: why" in err and DH_USAGE; nothing is added then.
 */
enum dh_status decide_import(struct db *db, FILE *in, const char *shown,
                             size_t *added, char *err, size_t errlen);

/* Set a verdict (tp, fp or benign) on a domain or a host, with a note
 * (may be NULL). DH_USAGE with why in err when the words are wrong. */
enum dh_status decide_mark(struct db *db, const char *subject,
                           const char *value, const char *verdict,
                           const char *note, char *err, size_t errlen);

/* Write every verdict in the text form, newest first:
 *     SUBJECT VALUE VERDICT [by=USER] [at=ISO8601] [# note]
 * DH_OK or DH_DB. */
enum dh_status decide_export_verdicts(struct db *db, FILE *out, char *err,
                                      size_t errlen);

/* Set every verdict of the text form read from in, replacing earlier
 * ones; all or nothing, as decide_import. */
enum dh_status decide_import_verdicts(struct db *db, FILE *in,
                                      const char *shown, size_t *added,
                                      char *err, size_t errlen);

/* Remove the verdict on a domain or host, its value normalised as mark
 * does; *removed 1 when there was one. DH_USAGE for wrong words. */
enum dh_status decide_unmark(struct db *db, const char *subject,
                             const char *value, int *removed, char *err,
                             size_t errlen);

/* The state of entry e at now, as lists show it: "invalid" (edited by
 * hand into nonsense), "expired", "unused" (it covers nothing in the
 * last scoring) or "active"; *p gets what it covers. */
const char *decide_entry_status(struct db *db, const struct allow_entry *e,
                                int64_t now, struct allow_preview *p);

/* Parse an expiry: ISO 8601, a date, or N days from now ("30d"); 0 on
 * success with *ms set, -1 when it is none of those. */
int decide_expiry(const char *s, int64_t *ms);

#endif
