/* SPDX-License-Identifier: MIT
 *
 * Splitting a normalised name with the Public Suffix List (libpsl): the
 * registrable domain under the ICANN section (what an attacker registers),
 * the site under ICANN and private sections together (so
 * d1234.cloudfront.net is its own site, for allow-lists), and the
 * subdomain part left of the registrable domain.
 */
#ifndef DNSHUNT_NAMES_H
#define DNSHUNT_NAMES_H

#include <stddef.h>

/* Parts of one name; pointers into the normalised string, or NULL. */
struct name_parts {
    const char *domain;   /* registrable domain (ICANN); NULL if none */
    const char *site;     /* registrable domain with private rules */
    size_t      sub_len;  /* bytes of the subdomain before ".domain" */
};

/*
 * Split the NUL-terminated normalised name norm. IP literals, names that
 * are themselves public suffixes (single labels, "co.uk") and the root
 * get no domain. Never fails.
 */
void names_split(const char *norm, struct name_parts *parts);

#endif
