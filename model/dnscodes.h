/* SPDX-License-Identifier: MIT
 *
 * DNS query type and response code mnemonics and their numbers (IANA DNS
 * parameters registry), pure data. TYPEnnn and CLASSnnn (RFC 3597) are
 * understood too.
 */
#ifndef DNSHUNT_DNSCODES_H
#define DNSHUNT_DNSCODES_H

#include <stddef.h>

/* One mnemonic and its number. */
struct dns_code {
    const char *name;
    int         code;
};

/* Number of the query type name, or -1 when unknown. */
int dns_type_code(const char *name);
/* Number of the rcode name (or RCODEnnn), or -1 when unknown. */
int dns_rcode_code(const char *name);
/* Number of the class name (IN, CH, HS, ANY, CLASSnnn), or -1. */
int dns_class_code(const char *name);

/* The built-in tables, for seeding the store; *n gets the count. */
const struct dns_code *dns_type_table(size_t *n);
const struct dns_code *dns_rcode_table(size_t *n);
const struct dns_code *dns_class_table(size_t *n);

#endif
