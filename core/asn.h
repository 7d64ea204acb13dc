/* SPDX-License-Identifier: MIT
 *
 * IP-to-ASN look-ups for allow-list entries by autonomous system. The
 * user supplies the data: a MaxMind DB with autonomous_system_number
 * (GeoLite2-ASN, DB-IP ASN Lite, ...) read through libmaxminddb, or a
 * plain text table, one range a line, tab-separated:
 *
 *     FIRST LAST ASN [COUNTRY [DESCRIPTION]]   (iptoasn.com's layout)
 *     CIDR ASN [DESCRIPTION]
 *
 * '#' starts a comment line. Only IPv4 is looked up: scoring keeps the
 * IPv4 answers of names.
 */
#ifndef DNSHUNT_ASN_H
#define DNSHUNT_ASN_H

#include <stddef.h>
#include <stdint.h>

struct asn_db;

/*
 * Open the data at path, an MMDB file or a text table. Returns NULL
 * with why in err ("FILE: not an MMDB file and no line of it is a
 * range", "FILE:LINE: ..."). Lines of a table that are not ranges are
 * counted in *bad (may be NULL) and skipped.
 */
struct asn_db *asn_open(const char *path, size_t *bad, char *err,
                        size_t errlen);

/* The ASN of the IPv4 address ip (host order), or 0 when none. */
uint32_t asn_lookup(const struct asn_db *a, uint32_t ip);

/* "mmdb" or "table". */
const char *asn_kind(const struct asn_db *a);

/* Close it (NULL is fine). */
void asn_close(struct asn_db *a);

/*
 * Parse an entry's value: "AS16509", "as16509" or "16509" into *asn
 * (1 to 4294967295). 0, or -1 when it is none of those.
 */
int asn_parse(const char *s, uint32_t *asn);

#endif
