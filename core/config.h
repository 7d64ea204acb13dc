/* SPDX-License-Identifier: MIT
 *
 * The scoring configuration: thresholds, weights, the organisation's
 * resolvers and zones, and the built-in lists of known noise, from
 * defaults compiled in and an optional file that changes them.
 *
 * The file is plain text in sections:
 *
 *     [rules]              numbers: alert = 0.7, txt_share = 0.05 ...
 *     [weights]            one number per reason code: dga = 1.0 ...
 *     [network]            lists: resolvers, doh_resolvers,
 *                          internal_zones, search_domains, asn_database
 *     [noise]              lists: lexical_allow, security_agents,
 *                          dnsbl_zones
 *
 * "key = a b c" sets a list, "key += d" adds to it and "key -= a"
 * takes an item out; '#' starts a comment. `dnshunt config` prints the
 * effective configuration in this form, so its output is a valid file.
 */
#ifndef DNSHUNT_CONFIG_H
#define DNSHUNT_CONFIG_H

#include <stddef.h>
#include <stdio.h>

#include "model/verdict.h"

/* A list of words (addresses, zones). */
struct strlist {
    char  **v;
    size_t  n;
};

/* The lists of the configuration, in the order they print. */
enum config_list {
    CL_RESOLVERS,       /* the organisation's own DNS servers */
    CL_DOH,             /* public DNS-over-HTTPS resolver addresses */
    CL_INTERNAL,        /* zones that are the organisation's own */
    CL_SEARCH,          /* search-path suffixes (NXDOMAIN apart) */
    CL_ASN_DB,          /* IP-to-ASN data for asn allow-list entries */
    CL_LEXICAL_ALLOW,   /* parents whose labels look random: no DGA */
    CL_AGENTS,          /* security agents' hashed look-up zones */
    CL_DNSBL,           /* blocklist zones (reversed-address look-ups) */
    CL_COUNT
};

struct config {
    struct rules   rules;
    struct strlist list[CL_COUNT];
    char          *path;    /* the file read, or NULL for defaults */
};

/*
 * Fill c with the defaults, then apply the file at path, or when path
 * is NULL the first of $DNSHUNT_CONFIG and
 * $XDG_CONFIG_HOME/dnshunt/config (~/.config/dnshunt/config) that
 * exists. Returns 0, or -1 with "FILE:LINE: what is wrong" in err (the
 * path escaped). config_free() releases c either way.
 */
int config_load(struct config *c, const char *path, char *err,
                size_t errlen);

/* The file config_load reads when none is named ($DNSHUNT_CONFIG, or
 * the XDG one when it exists), malloc'd, or NULL. */
char *config_default_path(void);

/* Release the lists. */
void config_free(struct config *c);

/* Write the effective configuration in the file's own form. */
void config_print(const struct config *c, FILE *out);

/* The list's key in the file ("resolvers"); never NULL. */
const char *config_list_name(enum config_list l);

/* 1 when the normalised name norm is zone or below a zone of list l. */
int config_under(const struct config *c, enum config_list l,
                 const char *norm);

/* 1 when the address text addr is an item of list l. */
int config_has(const struct config *c, enum config_list l,
               const char *addr);

/* A digest of the effective configuration (FNV-1a of its text). */
unsigned long long config_digest(const struct config *c);

#endif
