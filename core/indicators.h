/* SPDX-License-Identifier: MIT
 *
 * Confirmed indicators: the domains analysts marked as true positives,
 * with their figures and ATT&CK techniques from the last scoring, as
 * every export (STIX 2.1, MISP) writes them.
 */
#ifndef DNSHUNT_INDICATORS_H
#define DNSHUNT_INDICATORS_H

#include <stddef.h>
#include <stdint.h>

#include "core/status.h"
#include "storage/db.h"

/* An ATT&CK technique dnshunt reports. */
struct technique {
    const char *id;         /* "T1568.002" */
    const char *name;       /* "Dynamic Resolution: Domain ..." */
    const char *phase;      /* kill-chain phase, "command-and-control" */
};

/* The techniques, in a fixed order: bit t of a tech mask is tech_table[t]. */
extern const struct technique tech_table[];
#define TECH_COUNT 7

/* One confirmed domain. */
struct confirmed {
    char    *name, *note, *analyst;
    int64_t  at;                    /* when it was marked, ms */
    double   dga, tunnel, strength; /* dga -1: not scored */
    int64_t  hosts, queries, first_seen, last_seen;
    unsigned tech;                  /* bit t: tech_table[t] */
    unsigned found;                 /* the bits the scoring found */
};

struct confirmed_list {
    struct confirmed *v;
    size_t            n;
};

/*
 * Gather the tp domains, newest verdict first, with their scores and
 * techniques (when the last scoring found none: DGA from a high
 * dga_score, tunnelling from a tunnel_score, else DNS C2). DH_OK or
 * DH_DB; free the list with confirmed_free() either way.
 */
enum dh_status confirmed_gather(struct db *db, struct confirmed_list *l,
                                char *err, size_t errlen);

/* Release the list. */
void confirmed_free(struct confirmed_list *l);

/* Confidence 0..100 from the scores of c. */
int confirmed_confidence(const struct confirmed *c);

/* The ATT&CK page of technique t, "https://attack.mitre.org/..." into
 * out (cap bytes). */
void tech_url(const struct technique *t, char *out, size_t cap);

#endif
