/* SPDX-License-Identifier: MIT
 *
 * DNS name normalisation, pure computation. A name arrives as logged by
 * the resolver: any case, with or without the trailing dot, with
 * presentation-format escapes (\DDD decimal and \X for a literal X).
 * The normalised form is lower-case ASCII without the trailing dot, with
 * escapes decoded where the byte is printable ASCII other than the dot and
 * the backslash; every other escaped byte stays as \DDD, so the result is
 * always printable and its dots are always label separators.
 */
#ifndef DNSHUNT_DNSNAME_H
#define DNSHUNT_DNSNAME_H

#include <stddef.h>

/* Flags describing a name; stored in names.flags. */
enum dnsname_flag {
    DN_TOO_LONG     = 1 << 0,  /* over 253 characters (255 on the wire) */
    DN_LABEL_LONG   = 1 << 1,  /* a label over 63 bytes */
    DN_EMPTY_LABEL  = 1 << 2,  /* two dots in a row or a leading dot */
    DN_ESCAPED      = 1 << 3,  /* the logged form holds escapes */
    DN_PUNYCODE     = 1 << 4,  /* a label starts with xn-- */
    DN_NON_LDH      = 1 << 5,  /* a byte outside letters, digits, -, _ */
    DN_ROOT         = 1 << 6,  /* the root name "." */
    DN_SINGLE_LABEL = 1 << 7,  /* one label, e.g. "wpad" */
    DN_BAD_ESCAPE   = 1 << 8,  /* an escape that is cut short or > 255 */
    DN_UNDERSCORE   = 1 << 9   /* a label starts with _ (SRV, DMARC) */
};

/* Limits from RFC 1035 in presentation form. */
#define DNSNAME_MAX      253
#define DNSNAME_MAX_LABEL 63

/*
 * Normalise name[0..len) into out (capacity outcap, at least 4 * len + 1
 * is always enough). Writes a NUL-terminated string, stores its length in
 * *outlen and returns the dnsname_flag bits. The input may hold any bytes;
 * a NUL byte in it is the caller's business (the importer rejects it).
 */
unsigned dnsname_normalise(const char *name, size_t len, char *out,
                           size_t outcap, size_t *outlen);

/* Number of labels of a normalised name ("" and "." have none). */
size_t dnsname_labels(const char *norm);

#endif
