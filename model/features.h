/* SPDX-License-Identifier: MIT
 *
 * Character-level features of one piece of a DNS name (the registrable
 * label or the subdomain part), the raw material of the DGA and tunnel
 * models. Pure computation over bytes: any input, even empty or full of
 * odd bytes, gives finite values, never NaN. Letters are compared
 * without case; the caller passes the normalised name.
 */
#ifndef DNSHUNT_FEATURES_H
#define DNSHUNT_FEATURES_H

#include <stddef.h>

/* The features, in the order of the arrays below. */
enum feature {
    FT_LENGTH,          /* bytes */
    FT_ENTROPY,         /* Shannon entropy of the bytes, in bits */
    FT_VOWEL_RATIO,     /* a, e, i, o, u over length */
    FT_DIGIT_RATIO,     /* 0-9 over length */
    FT_CONSONANT_RUN,   /* longest run of letters that are not vowels */
    FT_DIGIT_RUN,       /* longest run of digits */
    FT_REPEAT_RATIO,    /* share of bytes whose value occurs again */
    FT_DISTINCT_RATIO,  /* distinct byte values over length */
    FT_HEX_ONLY,        /* 1 when every byte is 0-9 or a-f */
    FT_HYPHENS,         /* '-' count */
    FT_LETTER_DIGIT_SWITCHES, /* changes between letters and digits */
    FT_COUNT
};

/* The feature's short name, e.g. "entropy"; never NULL. */
const char *feature_name(enum feature f);

/* Fill out[FT_COUNT] with the features of s[0..n). */
void features_of(const char *s, size_t n, double out[FT_COUNT]);

#endif
