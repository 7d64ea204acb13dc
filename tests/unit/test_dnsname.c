/* SPDX-License-Identifier: MIT
 *
 * Name normalisation and flags (model/dnsname.c).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "model/dnsname.h"

static unsigned
norm(const char *in, char *out)
{
    size_t n;

    return dnsname_normalise(in, strlen(in), out, 1024, &n);
}

static void
lower_case_and_trailing_dot(void **state)
{
    char out[1024];

    (void)state;
    assert_int_equal(norm("wWw.ExAmPlE.CoM.", out), 0);
    assert_string_equal(out, "www.example.com");
    assert_int_equal(norm("ip6.arpa", out), 0);
    assert_string_equal(out, "ip6.arpa");
}

static void
escapes(void **state)
{
    char out[1024];

    (void)state;
    assert_int_equal(norm("my\\032host.example.com.", out),
                     DN_ESCAPED | DN_NON_LDH);
    assert_string_equal(out, "my host.example.com");
    /* An escaped dot stays escaped: it is not a label separator. */
    assert_int_equal(norm("a\\046b.example.", out),
                     DN_ESCAPED | DN_NON_LDH);
    assert_string_equal(out, "a\\046b.example");
    /* A control byte and a non-ASCII byte stay as \DDD. */
    norm("x\\027y\\200.example.", out);
    assert_string_equal(out, "x\\027y\\200.example");
    assert_int_equal(norm("a\\\\b.example.", out), DN_ESCAPED | DN_NON_LDH);
    assert_string_equal(out, "a\\092b.example");
    assert_true(norm("bad\\99", out) & DN_BAD_ESCAPE);
}

static void
special_names(void **state)
{
    char out[1024];

    (void)state;
    assert_int_equal(norm(".", out), DN_ROOT);
    assert_string_equal(out, "");
    assert_int_equal(norm("wpad.", out), DN_SINGLE_LABEL);
    assert_int_equal(norm("xn--bcher-kva.example.", out), DN_PUNYCODE);
    assert_int_equal(norm("_dmarc.example.com.", out), DN_UNDERSCORE);
    assert_int_equal(norm("a..b.", out), DN_EMPTY_LABEL);
}

static void
length_limits(void **state)
{
    char in[400], out[1024];

    (void)state;
    memset(in, 'a', 63);
    strcpy(in + 63, ".example.");
    assert_int_equal(norm(in, out), 0);
    memset(in, 'a', 64);
    strcpy(in + 64, ".example.");
    assert_int_equal(norm(in, out), DN_LABEL_LONG);
    /* 4 labels of 62 = 251 characters with dots: fine; 63*4+3 = 255 not. */
    for (int i = 0; i < 4; i++) {
        memset(in + i * 63, 'b', 62);
        in[i * 63 + 62] = '.';
    }
    in[4 * 63 - 1] = '\0';
    assert_int_equal(strlen(in), 251);
    assert_int_equal(norm(in, out), 0);
    for (int i = 0; i < 4; i++) {
        memset(in + i * 64, 'c', 63);
        in[i * 64 + 63] = '.';
    }
    in[4 * 64 - 1] = '\0';
    assert_int_equal(norm(in, out), DN_TOO_LONG);
}

static void
label_count(void **state)
{
    (void)state;
    assert_int_equal(dnsname_labels(""), 0);
    assert_int_equal(dnsname_labels("com"), 1);
    assert_int_equal(dnsname_labels("a.b.example.com"), 4);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(lower_case_and_trailing_dot),
        cmocka_unit_test(escapes),
        cmocka_unit_test(special_names),
        cmocka_unit_test(length_limits),
        cmocka_unit_test(label_count),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
