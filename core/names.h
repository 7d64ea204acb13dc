/* SPDX-License-Identifier: MIT
 *
 * Splitting a normalised name with the Public Suffix List (libpsl): the
 * registrable domain under the ICANN section (what an attacker registers),
 * the site under ICANN and private sections together (so
 * d1234.cloudfront.net is its own site, for allow-lists), and the
 * subdomain part left of the registrable domain.
 *
 * Tunnels and DGAs produce millions of distinct names under a few parents,
 * so the split of each parent is remembered in a small cache: a name whose
 * parent is below a registrable domain shares that parent's answer.
 */
#ifndef DNSHUNT_NAMES_H
#define DNSHUNT_NAMES_H

#include <stddef.h>

/* Parts of one name; pointers into the normalised string, or NULL. */
struct name_parts {
    const char *domain;   /* registrable domain (ICANN); NULL if none */
    const char *site;     /* with private rules, dynamic DNS and provider
                             zones */
    size_t      sub_len;  /* bytes of the subdomain before ".domain" */
};

struct name_cache;

/*
 * Read the Public Suffix List in text form from path instead of the
 * system's (for tests); only before the first split. Without this, the
 * system's list is used.
 */
void names_use_list(const char *path);

/* How many rule hashes spare names a libpsl look-up (0: none do, every
 * name is asked about); loads the list when not loaded yet. */
size_t names_rule_hashes(void);

/* 1 when the NUL-terminated s is an IPv4 or IPv6 address literal. */
int names_is_ip_literal(const char *s);

/*
 * The endpoint's name when norm[0..n) is below a zone whose labels a
 * cloud provider assigns (cloudfront.net, azureedge.net,
 * execute-api.REGION.amazonaws.com and others): a pointer into norm at
 * the label right below the zone. NULL for every other name.
 */
const char *names_provider_endpoint(const char *norm, size_t n);

/* A new cache of parent splits. */
struct name_cache *names_cache_new(void);

/* Free the cache; NULL is fine. */
void names_cache_free(struct name_cache *c);

/*
 * Split the NUL-terminated normalised name norm. IP literals, names that
 * are themselves public suffixes (single labels, "co.uk"), names with
 * empty labels and the root get no domain. c may be NULL (no caching).
 */
void names_split(struct name_cache *c, const char *norm,
                 struct name_parts *parts);

#endif
