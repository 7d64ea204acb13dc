/* SPDX-License-Identifier: MIT
 *
 * ISO 8601 / RFC 3339 timestamps as AWS writes them.
 */
#ifndef DNSHUNT_ISOTIME_H
#define DNSHUNT_ISOTIME_H

#include <stddef.h>
#include <stdint.h>

/*
 * Parse s[0..len) as YYYY-MM-DDTHH:MM:SS[.fraction](Z|+HH:MM|-HH:MM)
 * (a space may stand for the T, and a missing zone means UTC) into
 * milliseconds since the epoch. Fractions of any length are cut to
 * milliseconds. Returns 0 on success, -1 when malformed or out of range.
 */
int isotime_parse(const char *s, size_t len, int64_t *ms);

/* 1 when s starts like an ISO timestamp (YYYY-MM-DDTHH:MM). */
int isotime_looks_like(const char *s, size_t len);

/* Write ms as YYYY-MM-DDTHH:MM:SSZ into out (at least 21 bytes). */
void isotime_format(int64_t ms, char *out, size_t outlen);

/* ms as isotime_format() writes it into buf (n bytes), or "-" when it
 * is unset (0 or less) or past the year 9999. Returns what to print. */
const char *isotime_or_dash(int64_t ms, char *buf, size_t n);

#endif
