/* SPDX-License-Identifier: MIT
 *
 * Timestamp parsing and formatting (core/isotime.c).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "core/isotime.h"

static int64_t
parse(const char *s)
{
    int64_t ms = -12345;

    if (isotime_parse(s, strlen(s), &ms) != 0)
        return -1;
    return ms;
}

static void
aws_forms(void **state)
{
    (void)state;
    assert_int_equal(parse("2021-12-11T22:46:23Z"), 1639262783000LL);
    assert_int_equal(parse("2017-03-16T19:20:25.177Z"), 1489692025177LL);
    assert_int_equal(parse("2017-03-16T19:20:25.1Z"), 1489692025100LL);
    assert_int_equal(parse("2017-03-16T19:20:25.123456789Z"),
                     1489692025123LL);
    assert_int_equal(parse("1970-01-01T00:00:00Z"), 0);
    assert_int_equal(parse("2024-02-29T12:00:00Z"), 1709208000000LL);
}

static void
zones_and_separators(void **state)
{
    (void)state;
    assert_int_equal(parse("2022-06-25 00:27:53"), 1656116873000LL);
    assert_int_equal(parse("2022-06-25T02:27:53+02:00"), 1656116873000LL);
    assert_int_equal(parse("2022-06-24T23:27:53-01:00"), 1656116873000LL);
}

static void
malformed(void **state)
{
    (void)state;
    assert_int_equal(parse("2017-03-16T19:20:177Z"), -1);
    assert_int_equal(parse("2023-02-29T00:00:00Z"), -1);
    assert_int_equal(parse("2023-13-01T00:00:00Z"), -1);
    assert_int_equal(parse("2023-01-01T24:00:00Z"), -1);
    assert_int_equal(parse("2023-01-01T00:00:00.Z"), -1);
    assert_int_equal(parse("2023-01-01T00:00:00Zjunk"), -1);
    assert_int_equal(parse("1639262783"), -1);
    assert_int_equal(parse("9999-12-31T23:59:60Z"), -1);
    assert_int_equal(parse("9999-12-31T23:59:59Z"), 253402300799000LL);
    assert_int_equal(parse("2016-12-31T23:59:60Z"), 1483228800000LL);
    assert_int_equal(parse(""), -1);
}

static void
format_round_trip(void **state)
{
    char out[32];

    (void)state;
    isotime_format(1639262783000LL, out, sizeof out);
    assert_string_equal(out, "2021-12-11T22:46:23Z");
    isotime_format(0, out, sizeof out);
    assert_string_equal(out, "1970-01-01T00:00:00Z");
    isotime_format(1709208000999LL, out, sizeof out);
    assert_string_equal(out, "2024-02-29T12:00:00Z");
    assert_true(isotime_looks_like("2024-05-01T12:00:59.000Z", 24));
    assert_false(isotime_looks_like("2 111122223333", 14));
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(aws_forms),
        cmocka_unit_test(zones_and_separators),
        cmocka_unit_test(malformed),
        cmocka_unit_test(format_round_trip),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
