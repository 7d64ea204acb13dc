/* SPDX-License-Identifier: MIT
 *
 * From a name to its features (core/lexname.c, model/lexical.c): the
 * reason codes, the parts a name splits into, exact feature values, the
 * TLD prior and benign ranks, and finite values for hostile bytes.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/lexname.h"

static struct model m;
static struct lexctx *lx;
static struct lex_result r;

static int
setup(void **state)
{
    static struct markov_counts counts;
    static const char *const benign[] = { "example", "google", "amazon" };

    (void)state;
    for (int i = 0; i < 3; i++)
        mc_count(&counts, benign[i], strlen(benign[i]));
    m.markov = malloc(sizeof *m.markov);
    mc_train(&counts, 0.1, m.markov);
    m.dict = dict_new();
    dict_add(m.dict, "exam", 4, DICT_WORD);
    dict_add(m.dict, "ample", 5, DICT_WORD);
    dict_add(m.dict, "wagon", 5, DICT_DGA);
    dict_freeze(m.dict);
    m.tlds = calloc(3, sizeof *m.tlds);
    m.n_tlds = 3;
    m.tlds[0].logodds = 0.5f;
    strcpy(m.tlds[1].name, "biz");
    m.tlds[1].logodds = 3.0f;
    strcpy(m.tlds[2].name, "com");
    m.tlds[2].logodds = -2.0f;
    lx = lexctx_new(&m);
    return 0;
}

static int
teardown(void **state)
{
    (void)state;
    lexctx_free(lx);
    model_free(&m);
    return 0;
}

static enum lex_reason
classify(const char *name)
{
    return lexname_classify(lx, name, strlen(name), 1, &r);
}

static void
reasons(void **state)
{
    (void)state;
    assert_int_equal(classify(""), LR_EMPTY);
    assert_int_equal(classify("."), LR_EMPTY);
    assert_int_equal(classify("10.1.2.3"), LR_IP_LITERAL);
    assert_int_equal(classify("fe80::1"), LR_IP_LITERAL);
    assert_int_equal(classify("wpad"), LR_SINGLE_LABEL);
    assert_int_equal(classify("WPAD."), LR_SINGLE_LABEL);
    assert_int_equal(classify("3.2.1.10.in-addr.arpa"), LR_ARPA);
    assert_int_equal(classify("ip-10-0-0-1.ec2.internal"), LR_INTERNAL);
    assert_int_equal(classify("printer.local."), LR_INTERNAL);
    assert_int_equal(classify("a..example.com"), LR_MALFORMED);
    assert_int_equal(classify("co.uk"), LR_NO_DOMAIN);
    assert_int_equal(classify("db.corp.example.com"), LR_SCORED);
    lexctx_add_zone(lx, "Corp.Example.COM.");
    assert_int_equal(classify("db.corp.example.com"), LR_INTERNAL);
    assert_int_equal(classify("corp.example.com"), LR_INTERNAL);
    assert_int_equal(classify("xcorp.example.com"), LR_SCORED);
    assert_int_equal(classify("d1234abcd5678e.cloudfront.net"), LR_PROVIDER);
    assert_int_equal(classify("a1b2c3d4e5.execute-api.eu-west-1.amazonaws.com"),
                     LR_PROVIDER);
    assert_int_equal(classify("execute-api.eu-west-1.amazonaws.com"),
                     LR_SCORED);        /* the zone itself, not below it */
    assert_int_equal(classify("a.execute-api.amazonaws.com"), LR_SCORED);
    assert_int_equal(classify("web-1.eu-west-1.elb.amazonaws.com"),
                     LR_PROVIDER);
    assert_int_equal(classify("mycloudfront.net"), LR_SCORED);
    assert_int_equal(classify("ep-h4sh.z01.azurefd.net"), LR_PROVIDER);
    assert_int_equal(classify("azurefd.net"), LR_SCORED);
    assert_int_equal(classify("u7.lambda-url.eu-west-1.on.aws"), LR_PROVIDER);
    assert_string_equal(lex_reason_text(LR_ARPA), "reverse-lookup");
    assert_string_equal(lex_reason_text(LR_PROVIDER), "provider-label");
    /* No forest of LX_COUNT features: features but no score. */
    assert_true(r.score == -1.0);
}

static void
parts(void **state)
{
    (void)state;
    assert_int_equal(classify("WWW.Example.COM."), LR_SCORED);
    assert_string_equal(r.norm, "www.example.com");
    assert_string_equal(r.domain, "example.com");
    assert_int_equal(r.parts.label_len, 7);
    assert_memory_equal(r.parts.label, "example", 7);
    assert_string_equal(r.parts.tld, "com");
    assert_int_equal(r.parts.sub_len, 3);
    assert_int_equal(r.parts.private_suffix, 0);
    /* Under a private suffix the registered label is the site's. */
    assert_int_equal(classify("www.d1234.github.io"), LR_SCORED);
    assert_string_equal(r.domain, "github.io");
    assert_string_equal(r.site, "d1234.github.io");
    assert_memory_equal(r.parts.label, "d1234", 5);
    assert_int_equal(r.parts.label_len, 5);
    assert_int_equal(r.parts.private_suffix, 1);
    assert_true(r.x[LX_PRIVATE_SUFFIX] == 1.0f);
    /* A dynamic DNS zone the list lacks counts as a private suffix. */
    assert_int_equal(classify("a.ivxcxbj.DynServ.com"), LR_SCORED);
    assert_string_equal(r.domain, "dynserv.com");
    assert_string_equal(r.site, "ivxcxbj.dynserv.com");
    assert_int_equal(r.parts.label_len, 7);
    assert_memory_equal(r.parts.label, "ivxcxbj", 7);
    assert_int_equal(r.parts.sub_len, 1);
    assert_int_equal(r.parts.private_suffix, 1);
    assert_true(r.x[LX_PRIVATE_SUFFIX] == 1.0f);
    /* The zone itself, and a name merely ending like one, are not. */
    assert_int_equal(classify("mooo.com"), LR_SCORED);
    assert_string_equal(r.site, "mooo.com");
    assert_memory_equal(r.parts.label, "mooo", 4);
    assert_int_equal(r.parts.private_suffix, 0);
    assert_int_equal(classify("x.notmooo.com"), LR_SCORED);
    assert_string_equal(r.site, "notmooo.com");
    assert_int_equal(r.parts.private_suffix, 0);
    /* Escapes are decoded for analysis. */
    assert_int_equal(classify("ex\\097mple.co.uk"), LR_SCORED);
    assert_memory_equal(r.parts.label, "example", 7);
    assert_string_equal(r.parts.tld, "uk");
}

static void
features(void **state)
{
    (void)state;
    classify("a.bb.ccc.examplewagon.biz");
    assert_true(r.x[LX_LENGTH] == 12.0f);
    /* exam and ample overlap: ample alone covers most; wagon is only a
     * DGA word. */
    assert_true(r.x[LX_WORD_COVER] == 5.0f / 12.0f);
    assert_true(r.x[LX_WORDS] == 1.0f);
    assert_true(r.x[LX_WORD_MEAN] == 5.0f);
    assert_true(r.x[LX_DGA_WORD_COVER] == 5.0f / 12.0f);
    assert_true(r.x[LX_DGA_WORDS] == 1.0f);
    assert_true(r.x[LX_TLD_PRIOR] == 3.0f);
    assert_true(r.x[LX_HEX_ONLY] == 0.0f);
    assert_true(r.sub[SB_LABELS] == 3.0f);
    assert_true(r.sub[SB_LONGEST_LABEL] == 3.0f);
    assert_true(r.sub[SB_LENGTH] == 8.0f);
    assert_true(fabsf(r.sub[SB_ENTROPY] - 1.4591479f) < 1e-6f);
    classify("0123abcd.io");
    assert_true(r.x[LX_HEX_ONLY] == 1.0f);
    assert_true(r.x[LX_TLD_PRIOR] == 0.5f);             /* the default */
    assert_true(r.x[LX_ENTROPY_NORM] == 1.0f);          /* 8 of 8: 3 bits */
    assert_true(r.sub[SB_LENGTH] == 0.0f && r.sub[SB_LABELS] == 0.0f);
    classify("example.com");
    assert_true(r.x[LX_TLD_PRIOR] == -2.0f);
    assert_true(r.x[LX_WORD_COVER] == 5.0f / 7.0f);
    assert_true(r.x[LX_DGA_WORD_COVER] == 0.0f);
}

static void
hostile_bytes_are_finite(void **state)
{
    char name[400];

    (void)state;
    for (int seed = 0; seed < 2000; seed++) {
        size_t n = (size_t)(seed * 7919 % 300) + 1;
        for (size_t i = 0; i < n; i++)
            name[i] = (char)((seed * 31 + (int)i * 17) % 256);
        if (seed % 3 == 0 && n > 8)
            memcpy(name + n - 4, ".com", 4);
        lexname_classify(lx, name, n, 1, &r);
        for (int f = 0; f < LX_COUNT; f++)
            assert_true(isfinite(r.x[f]));
        for (int f = 0; f < SB_COUNT; f++)
            assert_true(isfinite(r.sub[f]));
    }
    memset(name, '.', 300);
    assert_int_equal(lexname_classify(lx, name, 300, 1, &r), LR_MALFORMED);
    assert_int_equal(lexname_classify(lx, "a\0b.com", 7, 1, &r), LR_SCORED);
}

static void
benign_rank(void **state)
{
    float q[2 * 5] = { 0, 1, 2, 3, 4, 10, 10, 10, 10, 10 };
    struct model qm = { 0 };

    (void)state;
    assert_true(lex_benign_rank(&qm, 0, 1.0f) == -1.0);
    qm.quantiles = q;
    qm.q_features = 2;
    qm.q_points = 5;
    assert_true(lex_benign_rank(&qm, 0, -1.0f) == 0.0);
    assert_true(lex_benign_rank(&qm, 0, 2.0f) == 0.4);      /* 0 and 1 */
    assert_true(lex_benign_rank(&qm, 0, 2.5f) == 0.6);
    assert_true(lex_benign_rank(&qm, 0, 9.0f) == 1.0);
    assert_true(lex_benign_rank(&qm, 1, 10.0f) == 0.0);     /* all equal */
    assert_true(lex_benign_rank(&qm, 2, 1.0f) == -1.0);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(reasons),
        cmocka_unit_test(parts),
        cmocka_unit_test(features),
        cmocka_unit_test(hostile_bytes_are_finite),
        cmocka_unit_test(benign_rank),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
