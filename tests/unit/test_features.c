/* SPDX-License-Identifier: MIT
 *
 * Character-level features (model/features.c) with exact values.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <math.h>
#include <string.h>

#include "model/features.h"

static void
of(const char *s, double f[FT_COUNT])
{
    features_of(s, strlen(s), f);
}

static void
entropy_exact(void **state)
{
    double f[FT_COUNT];

    (void)state;
    of("aaaa", f);
    assert_true(f[FT_ENTROPY] == 0.0 && !signbit(f[FT_ENTROPY]));
    of("abab", f);
    assert_true(f[FT_ENTROPY] == 1.0);      /* two letters, even: 1 bit */
    of("abcd", f);
    assert_true(f[FT_ENTROPY] == 2.0);
    of("ABab", f);                          /* case does not count */
    assert_true(f[FT_ENTROPY] == 1.0);
    of("aab", f);                           /* -(2/3 log 2/3 + 1/3 log 1/3) */
    assert_true(fabs(f[FT_ENTROPY] - 0.9182958340544896) < 1e-12);
}

static void
ratios_and_runs(void **state)
{
    double f[FT_COUNT];

    (void)state;
    of("google", f);
    assert_true(f[FT_LENGTH] == 6);
    assert_true(f[FT_VOWEL_RATIO] == 0.5);
    assert_true(f[FT_REPEAT_RATIO] == 4.0 / 6.0);   /* g g o o */
    assert_true(f[FT_DISTINCT_RATIO] == 4.0 / 6.0);
    assert_true(f[FT_HEX_ONLY] == 0);
    of("strength", f);
    assert_true(f[FT_CONSONANT_RUN] == 4);          /* n g t h */
    of("a1b22c333-x", f);
    assert_true(f[FT_DIGIT_RATIO] == 6.0 / 11.0);
    assert_true(f[FT_DIGIT_RUN] == 3);
    assert_true(f[FT_HYPHENS] == 1);
    assert_true(f[FT_LETTER_DIGIT_SWITCHES] == 6);  /* a1 1b b2 2c c3 3x */
    of("deadbeef0042", f);
    assert_true(f[FT_HEX_ONLY] == 1);
    of("deadbeeg", f);
    assert_true(f[FT_HEX_ONLY] == 0);
}

static void
any_bytes_are_finite(void **state)
{
    static const char odd[] = "\0\xff\x1b[2J..\\046";
    double f[FT_COUNT];
    char big[300];

    (void)state;
    features_of("", 0, f);
    for (int i = 0; i < FT_COUNT; i++)
        assert_true(f[i] == 0.0);
    features_of(odd, sizeof odd - 1, f);
    for (int i = 0; i < FT_COUNT; i++)
        assert_true(isfinite(f[i]));
    memset(big, 'x', sizeof big);
    features_of(big, sizeof big, f);
    assert_true(f[FT_LENGTH] == 300 && f[FT_CONSONANT_RUN] == 300);
    assert_string_equal(feature_name(FT_ENTROPY), "entropy");
    assert_string_equal(feature_name(FT_COUNT), "?");
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(entropy_exact),
        cmocka_unit_test(ratios_and_runs),
        cmocka_unit_test(any_bytes_are_finite),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
