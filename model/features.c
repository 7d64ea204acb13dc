/* SPDX-License-Identifier: MIT
 *
 * Character-level features (see features.h). One pass counts bytes and
 * runs; entropy and ratios follow from the counts.
 */
#include "model/features.h"

#include <math.h>
#include <stdint.h>

static const char *const names[FT_COUNT] = {
    [FT_LENGTH] = "length", [FT_ENTROPY] = "entropy",
    [FT_VOWEL_RATIO] = "vowel_ratio", [FT_DIGIT_RATIO] = "digit_ratio",
    [FT_CONSONANT_RUN] = "consonant_run", [FT_DIGIT_RUN] = "digit_run",
    [FT_REPEAT_RATIO] = "repeat_ratio",
    [FT_DISTINCT_RATIO] = "distinct_ratio", [FT_HEX_ONLY] = "hex_only",
    [FT_HYPHENS] = "hyphens",
    [FT_LETTER_DIGIT_SWITCHES] = "letter_digit_switches",
};

const char *
feature_name(enum feature f)
{
    return (unsigned)f < FT_COUNT ? names[f] : "?";
}

static int
lower(int c)
{
    return c >= 'A' && c <= 'Z' ? c + 32 : c;
}

static int
is_vowel(int c)
{
    return c == 'a' || c == 'e' || c == 'i' || c == 'o' || c == 'u';
}

/* Kind of byte for letter/digit switches: 1 letter, 2 digit, 0 other. */
static int
kind(int c)
{
    return c >= 'a' && c <= 'z' ? 1 : c >= '0' && c <= '9' ? 2 : 0;
}

/* p log2 p for p = c / n, for the lengths of most labels: the same
 * values entropy() would compute, looked up. */
#define TABLE_N 64
static double plogp[TABLE_N + 1][TABLE_N + 1];

__attribute__((constructor)) static void
fill_plogp(void)
{
    for (size_t n = 1; n <= TABLE_N; n++)
        for (size_t c = 1; c <= n; c++) {
            double p = (double)c / (double)n;
            plogp[n][c] = p * log2(p);
        }
}

/* Entropy of the counts of the distinct bytes seen[0..k). */
static double
entropy(const uint32_t count[256], const unsigned char *seen, size_t k,
        size_t n)
{
    double h = 0.0;

    if (n <= TABLE_N) {
        for (size_t i = 0; i < k; i++)
            h -= plogp[n][count[seen[i]]];
    } else {
        for (size_t i = 0; i < k; i++) {
            double p = (double)count[seen[i]] / (double)n;
            h -= p * log2(p);
        }
    }
    return h > 0.0 ? h : 0.0;           /* no -0.0 for one symbol */
}

void
features_of(const char *s, size_t n, double out[FT_COUNT])
{
    uint32_t count[256] = { 0 };
    unsigned char seen[256];
    size_t vowels = 0, digits = 0, hyphens = 0;
    size_t run_c = 0, best_c = 0, run_d = 0, best_d = 0, switches = 0;
    size_t distinct = 0, repeated = 0;
    int hex = n > 0, last_kind = 0;

    for (size_t i = 0; i < n; i++) {
        int c = lower((unsigned char)s[i]), k = kind(c);
        if (count[c]++ == 0)
            seen[distinct++] = (unsigned char)c;
        else if (count[c] == 2)
            repeated += 2;
        else
            repeated++;
        vowels += is_vowel(c);
        digits += k == 2;
        hyphens += c == '-';
        hex &= k == 2 || (c >= 'a' && c <= 'f');
        run_c = k == 1 && !is_vowel(c) ? run_c + 1 : 0;
        run_d = k == 2 ? run_d + 1 : 0;
        best_c = run_c > best_c ? run_c : best_c;
        best_d = run_d > best_d ? run_d : best_d;
        if (k && last_kind && k != last_kind)
            switches++;
        if (k)
            last_kind = k;
    }
    double len = n ? (double)n : 1.0;   /* ratios of nothing are 0 */
    out[FT_LENGTH] = (double)n;
    out[FT_ENTROPY] = n ? entropy(count, seen, distinct, n) : 0.0;
    out[FT_VOWEL_RATIO] = (double)vowels / len;
    out[FT_DIGIT_RATIO] = (double)digits / len;
    out[FT_CONSONANT_RUN] = (double)best_c;
    out[FT_DIGIT_RUN] = (double)best_d;
    out[FT_REPEAT_RATIO] = (double)repeated / len;
    out[FT_DISTINCT_RATIO] = (double)distinct / len;
    out[FT_HEX_ONLY] = hex;
    out[FT_HYPHENS] = (double)hyphens;
    out[FT_LETTER_DIGIT_SWITCHES] = (double)switches;
}
