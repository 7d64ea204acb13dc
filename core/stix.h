/* SPDX-License-Identifier: MIT
 *
 * STIX 2.1 export of confirmed indicators: the domains analysts marked
 * as true positives become a bundle with an identity for dnshunt, an
 * indicator per domain (a STIX pattern on domain-name:value, valid for
 * a number of days, with ATT&CK kill-chain phases and references, and a
 * confidence from the domain's scores), a domain-name object for names
 * that are hostnames, an attack-pattern per technique and `indicates`
 * relationships. Ids are UUIDv4, and UUIDv5 for domain-name objects
 * (from their value, as STIX 2.1 requires for deterministic SCO ids) and
 * for the identity and attack-patterns (so repeated exports merge).
 */
#ifndef DNSHUNT_STIX_H
#define DNSHUNT_STIX_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "core/status.h"
#include "core/util.h"
#include "storage/db.h"

/*
 * Write the bundle of the store's tp domains to out, valid from now_ms
 * for ttl_days. *n gets the number of indicators. DH_OK, DH_DB or DH_IO.
 */
enum dh_status stix_export(struct db *db, FILE *out, int64_t now_ms,
                           int ttl_days, size_t *n, char *err,
                           size_t errlen);

/* Append name as the STIX pattern [domain-name:value = '...'], with
 * quotes and backslashes escaped as the pattern grammar requires. */
void stix_pattern(struct buf *b, const char *name);

/* 1 when name is a hostname a domain-name object may carry: labels of
 * letters, digits and inner hyphens, 1 to 63 long, 253 in all. */
int stix_hostname(const char *name);

/* The UUIDv5 of name in namespace ns (16 bytes), as text (37 bytes). */
void stix_uuid5(const unsigned char ns[16], const char *name, char out[37]);

/* A random (version 4) UUID as text (37 bytes). */
void stix_uuid4(char out[37]);

/* A timestamp with milliseconds, 2024-05-01T00:00:00.000Z, of ms. */
void stix_stamp(int64_t ms, char out[32]);

#endif
