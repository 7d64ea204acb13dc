/* SPDX-License-Identifier: MIT
 *
 * Subdomain shapes and the tunnel score (model/tunnel.c), and the
 * reason strengths and their combination (model/verdict.c), with exact
 * values.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <math.h>
#include <string.h>

#include "model/tunnel.h"
#include "model/verdict.h"

static struct sub_shape
shape(const char *s)
{
    struct sub_shape sh;

    tn_shape(s, strlen(s), &sh);
    return sh;
}

static void
alphabets(void **state)
{
    (void)state;
    assert_int_equal(shape("").alpha, SA_NONE);
    assert_int_equal(shape("www").alpha, SA_TEXT);
    assert_int_equal(shape("0479c52e5.19997cf2").alpha, SA_HEX);
    assert_int_equal(shape("mfrggzdfmztwq2lk").alpha, SA_BASE32);
    assert_int_equal(shape("ab0c9z").alpha, SA_ALNUM);
    assert_int_equal(shape("aGVsbG8-d29ybGQ_").alpha, SA_BASE64);
    assert_int_equal(shape("a\\200b").alpha, SA_8BIT);
    assert_int_equal(shape("a*b").alpha, SA_OTHER);
}

static void
counts(void **state)
{
    struct sub_shape sh;

    (void)state;
    sh = shape("ab.cde\\065.f");    /* the escape is one byte */
    assert_int_equal(sh.symbols, 7);
    assert_int_equal(sh.labels, 3);
    assert_int_equal(sh.longest, 4);
    sh = shape("aaaa");
    assert_true(sh.entropy == 0.0);
    sh = shape("abab");
    assert_true(sh.entropy == 1.0);
    assert_int_equal(shape("4.3.2.1").ip_labels, 1);
    assert_int_equal(shape("4.3.2.256").ip_labels, 0);
    assert_int_equal(shape("_dmarc").service_label, 1);
    assert_int_equal(shape("selector1._domainkey").service_label, 1);
}

static void
encoded_or_not(void **state)
{
    struct sub_shape sh;

    (void)state;
    sh = shape("mfrggzdfmztwq2lknnwg23tpobyxe43uov3ho6dzpiytemzu");
    assert_int_equal(sh.encoded, 1);            /* 48 base32 symbols */
    assert_true(sh.payload_bits == 48 * 5);
    sh = shape("6e61d8b39a1f4c2e7b05d9a8c3f1e2b4");
    assert_int_equal(sh.encoded, 1);
    assert_true(sh.payload_bits == 32 * 4);
    assert_int_equal(shape("www").encoded, 0);
    assert_int_equal(shape("selector1._domainkey").encoded, 0);
    assert_int_equal(shape("thisisanormalsubdomainname").encoded, 0);
    assert_int_equal(shape("89.150.12.201").encoded, 0);
    sh = shape("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaa1");     /* no spread */
    assert_int_equal(sh.encoded, 0);
    assert_true(sh.payload_bits == 0);
    /* hyphenated words and hostnames are no base64 */
    assert_int_equal(shape("the-quick-brown-fox-jumps-over-the-lazy").alpha,
                     SA_HOST);
    assert_int_equal(shape("6e61d8b3-9a1f-4c2e-7b05-d9a8c3f1e2b4").encoded,
                     0);
    assert_int_equal(shape("the-quick-brown-fox-jumps-over-the-lazy").encoded,
                     0);
    assert_int_equal(shape("internal-orders-prod-123456789.us-east-1").encoded,
                     0);
    /* a '_' label does not hide data in the others */
    sh = shape("_x.mfrggzdfmztwq2lknnwg23tpobyxe43uov3ho6dzpiytemzu");
    assert_int_equal(sh.service_label, 1);
    assert_int_equal(sh.encoded, 1);
    /* letters of one case: data only when the Markov chain says so */
    sh = shape("helpcapihgppmehemacfbjaipmnmoeldbepginjnmlnhkaifkd");
    assert_int_equal(sh.alpha, SA_TEXT);
    assert_int_equal(sh.encoded, 0);
    tn_text_encoded(&sh, -3.0);
    assert_int_equal(sh.encoded, 0);
    tn_text_encoded(&sh, -4.0);
    assert_int_equal(sh.encoded, 1);
    assert_true(fabs(sh.payload_bits - 50 * log2(16)) < 1e-9);
}

static void
tunnel_score_exact(void **state)
{
    struct tunnel_stats t = { 0 };

    (void)state;
    assert_true(tn_score(&t) == 0.0);
    /* 20 encoded names of 40 bytes, all rare types: 1 * 0.5 * 1 * 1 */
    t = (struct tunnel_stats){ .queries = 20, .unique = 20, .encoded = 20,
                               .payload_bits = 20 * 40 * 8,
                               .rare_types = 20, .answered_data = 20 };
    assert_true(fabs(tn_score(&t) - 0.5) < 1e-12);
    /* half the names encoded, 10 bytes each, A queries answered:
     * 0.5 * (1 - 2^-1) * (0.5 + 0.5 * 0.25) * 0.6 */
    t = (struct tunnel_stats){ .queries = 40, .unique = 40, .encoded = 20,
                               .payload_bits = 20 * 10 * 8 };
    assert_true(fabs(tn_score(&t) - 0.5 * 0.5 * 0.625 * 0.6) < 1e-12);
    assert_int_equal(tn_upstream_only(&t), 1);
    t.answered_data = 40;
    assert_int_equal(tn_upstream_only(&t), 0);
    /* the same A queries with no answers at all count as rare ones */
    t.answered_data = 0;
    t.empty = 40;
    assert_true(fabs(tn_score(&t) - 0.5 * 0.5 * 0.625 * 1.0) < 1e-12);
}

static void
strengths(void **state)
{
    struct rules r;

    (void)state;
    verdict_defaults(&r);
    /* 2 + 2 * 100 * 0.001 = 2.2 free; 6.2 is two halvings */
    assert_true(fabs(vs_dga(&r, 6.2, 100) - 0.75) < 1e-12);
    assert_true(vs_dga(&r, 2, 100) == 0.0);
    assert_true(fabs(vs_nx_domains(6, 0) - 0.5) < 1e-12);
    assert_true(fabs(vs_nx_domains(6, 300) - 0.0) < 1e-12);
    assert_true(fabs(vs_nx_domains(12, 300) - 0.75) < 1e-12);
    assert_true(vs_beacon(&r, 11, 0.1, 1) == 0.0);  /* too few */
    assert_true(vs_beacon(&r, 48, 0.4, 1) == 0.0);  /* too irregular */
    assert_true(fabs(vs_beacon(&r, 48, 0.0, 1) - 0.55) < 1e-12);
    assert_true(fabs(vs_beacon(&r, 48, 0.1, 0) - 0.5) < 1e-12);
    assert_true(vs_beacon(&r, 48, 0.01, 0) == 0.0); /* a shared cron */
    assert_true(fabs(vs_beacon(&r, 48, 0.1, 1) - 0.65) < 1e-12);
    assert_true(fabs(vs_beacon(&r, 24, 0.35, 1) - 0.625) < 1e-12);
    assert_true(fabs(vs_bypass(&r, 10, 74) - 0.2) < 1e-12);
    assert_true(fabs(vs_bypass(&r, 100, 250) - 0.95) < 1e-12);
    /* expected 25: 150 is 6 times that */
    assert_true(fabs(vs_doh(&r, 150, 6, 0) - 0.9) < 1e-12);
    assert_true(fabs(vs_doh(&r, 100, 6, 0) - 0.6) < 1e-12);
    assert_true(fabs(vs_doh(&r, 150, 3, 0) - 0.45) < 1e-12);
    assert_true(fabs(vs_doh(&r, 150, 6, 75) - 0.3) < 1e-12);
    assert_true(vs_rule(0.04, 0.05, 0.5) == 0.0);
    assert_true(fabs(vs_rule(0.05, 0.05, 0.5) - 0.3) < 1e-12);
    assert_true(fabs(vs_rule(0.275, 0.05, 0.5) - 0.45) < 1e-12);
    assert_true(fabs(vs_rule(9, 0.05, 0.5) - 0.6) < 1e-12);
}

static void
combine_and_severity(void **state)
{
    struct rules r;
    enum reason_code c[3] = { RC_DGA, RC_NX_RATIO, RC_RESOLVER };
    double s[3] = { 0.5, 0.5, 1.0 };

    (void)state;
    verdict_defaults(&r);
    /* the context reason weighs 0: 1 - 0.5 * 0.5 */
    assert_true(fabs(verdict_combine(&r, c, s, 3) - 0.75) < 1e-12);
    r.weight[RC_NX_RATIO] = 0;
    assert_true(fabs(verdict_combine(&r, c, s, 3) - 0.5) < 1e-12);
    assert_true(verdict_combine(&r, c, s, 0) == 0.0);
    assert_string_equal(verdict_severity(0.95), "critical");
    assert_string_equal(verdict_severity(0.7), "high");
    assert_string_equal(verdict_severity(0.4), "medium");
    assert_string_equal(verdict_severity(0.15), "low");
    assert_string_equal(verdict_severity(0.1), "none");
    assert_int_equal(verdict_lookup("dns-tunnel"), RC_TUNNEL);
    assert_int_equal(verdict_lookup("nope"), RC_COUNT);
    assert_string_equal(verdict_technique(RC_EXFIL), "T1048.003");
    assert_string_equal(verdict_technique(RC_DOH), "T1071.001");
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(alphabets),
        cmocka_unit_test(counts),
        cmocka_unit_test(encoded_or_not),
        cmocka_unit_test(tunnel_score_exact),
        cmocka_unit_test(strengths),
        cmocka_unit_test(combine_and_severity),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
