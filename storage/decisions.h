/* SPDX-License-Identifier: MIT
 *
 * The analysts' decisions in the store: allow-list entries, verdicts on
 * domains and hosts, and the audit log every change is written to. They
 * live in their own tables, so re-imports, re-scoring and retraining
 * leave them alone. Strings handed to callbacks belong to SQLite and
 * are valid during the call only.
 */
#ifndef DNSHUNT_DECISIONS_H
#define DNSHUNT_DECISIONS_H

#include <stddef.h>
#include <stdint.h>

#include "core/status.h"
#include "storage/db.h"

/* One allow-list entry. */
struct allow_entry {
    int64_t     id;
    const char *kind;       /* exact, suffix, registrable, host, cidr,
                               resolver */
    const char *value;      /* a name, an address or a network */
    const char *scope;      /* all, or lexical (the DGA signal only) */
    const char *reason;     /* or NULL */
    const char *added_by;
    int64_t     added_at;   /* ms */
    int64_t     expires_at; /* ms, 0 for never */
};

/* One verdict. */
struct verdict_row {
    const char *subject;    /* domain or host */
    const char *value;
    const char *verdict;    /* tp, fp or benign */
    const char *note;       /* or NULL */
    const char *analyst;
    int64_t     at;         /* ms */
};

/*
 * Add e (kind, value and scope checked by the caller), or update the
 * reason, expiry and author of the entry with the same kind, value and
 * scope; *id gets its id. Written to the audit log as who. DH_OK or
 * DH_DB.
 */
enum dh_status decisions_allow_add(struct db *db, const struct allow_entry *e,
                                   int64_t *id, char *err, size_t errlen);

/* Remove the entry with this id; *removed is 1 when there was one. */
enum dh_status decisions_allow_rm(struct db *db, int64_t id, const char *who,
                                  int *removed, char *err, size_t errlen);

/* Call fn for every entry, by kind and value. */
enum dh_status decisions_allow_list(struct db *db,
                                    int (*fn)(void *,
                                              const struct allow_entry *),
                                    void *arg, char *err, size_t errlen);

/* Set the verdict on (subject, value), replacing an earlier one. */
enum dh_status decisions_mark(struct db *db, const struct verdict_row *v,
                              char *err, size_t errlen);

/* Set a verdict read from a shared file: its note as given (NULL: none),
 * and only when it is as new as the one the store has or newer;
 * *changed is 1 when it was set. */
enum dh_status decisions_import_verdict(struct db *db,
                                        const struct verdict_row *v,
                                        int *changed, char *err,
                                        size_t errlen);

/* Remove the verdict on (subject, value); *removed 1 when there was one. */
enum dh_status decisions_unmark(struct db *db, const char *subject,
                                const char *value, const char *who,
                                int *removed, char *err, size_t errlen);

/* Call fn for every verdict, newest first. */
enum dh_status decisions_verdicts(struct db *db,
                                  int (*fn)(void *,
                                            const struct verdict_row *),
                                  void *arg, char *err, size_t errlen);

/* The verdict on (subject, value) into out (cap bytes: "tp", "fp",
 * "benign"), or "" when none. */
enum dh_status decisions_verdict_of(struct db *db, const char *subject,
                                    const char *value, char *out, size_t cap,
                                    char *err, size_t errlen);

#endif
