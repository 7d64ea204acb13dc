/* SPDX-License-Identifier: MIT
 *
 * Public-suffix splitting with lists of the tests' own
 * (tests/fixtures/psl-rules.dat, and psl-unsure.dat in a child process):
 * the cache of parents, and the hashes of rules that spare most names a
 * libpsl look-up, give exactly what libpsl gives name by name.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "core/names.h"

/* Names around every rule of the list, and some no rule names. */
static const char *const names[] = {
    "com", "example.com", "a.example.com", "blogspot.com", "x.blogspot.com",
    "y.x.blogspot.com", "amazonaws.com", "s3.amazonaws.com",
    "b.s3.amazonaws.com", "compute.amazonaws.com",
    "r1.compute.amazonaws.com", "h.r1.compute.amazonaws.com",
    "net", "cloudfront.net", "d1234.cloudfront.net", "x.d1234.cloudfront.net",
    "io", "github.io", "me.github.io", "a.me.github.io", "uk", "co.uk",
    "example.co.uk", "a.example.co.uk", "jp", "kawasaki.jp", "a.kawasaki.jp",
    "b.a.kawasaki.jp", "city.kawasaki.jp", "b.city.kawasaki.jp", "ck",
    "foo.ck", "a.foo.ck", "www.ck", "a.www.ck", "cn", "xn--55qx5d.cn",
    "a.xn--55qx5d.cn", "b.a.xn--55qx5d.cn", "no", "telemark.no",
    "bo.telemark.no", "a.bo.telemark.no", "b.a.bo.telemark.no",
    "x.telemark.no", "unlisted", "a.unlisted", "b.a.unlisted",
    "lead.com", "x.lead.com", "org", "a.org", "a.*.org", "x.a.*.org",
    "cr.com", "x.cr.com", "dotted.com", "dotted.com.",
    "x.dotted.com", "com.", "x.com.", "x.co.uk.", "a.b.kawasaki.jp.",
};

/* The path of fixture name (static storage). */
static const char *
fixture(const char *name)
{
    static char path[4096];
    const char *top = getenv("TOP");

    snprintf(path, sizeof path, "%s/tests/fixtures/%s", top ? top : ".",
             name);
    return path;
}

/* Setting the list must come before any split. */
static int
use_fixture(void **state)
{
    (void)state;
    names_use_list(fixture("psl-rules.dat"));
    return 0;
}

/* Split name with and without the cache, and compare. */
static void
same_split(struct name_cache *c, const char *name)
{
    struct name_parts a, b;

    names_split(NULL, name, &a);
    names_split(c, name, &b);
    if ((a.domain == NULL) != (b.domain == NULL) ||
        (a.domain && strcmp(a.domain, b.domain) != 0) ||
        (a.site == NULL) != (b.site == NULL) ||
        (a.site && strcmp(a.site, b.site) != 0) || a.sub_len != b.sub_len)
        fail_msg("%s: libpsl gives %s / %s, the cache %s / %s", name,
                 a.domain ? a.domain : "-", a.site ? a.site : "-",
                 b.domain ? b.domain : "-", b.site ? b.site : "-");
}

static void
cache_agrees_with_libpsl(void **state)
{
    size_t n = sizeof names / sizeof names[0];

    (void)state;
    assert_true(names_rule_hashes() > 20);  /* the hashes are in use */
    for (int order = 0; order < 3; order++) {
        struct name_cache *c = names_cache_new();
        for (int round = 0; round < 2; round++)
            for (size_t i = 0; i < n; i++)
                same_split(c, names[order == 1 ? n - 1 - i
                                   : order == 2 ? (i * 7) % n : i]);
        names_cache_free(c);
    }
}

/* What the list says, split through the cache: exact values. */
static void
the_list_is_read(void **state)
{
    static const struct {
        const char *name, *domain, *site;
    } want[] = {
        { "a.b.s3.amazonaws.com", "amazonaws.com", "b.s3.amazonaws.com" },
        { "s3.amazonaws.com", "amazonaws.com", NULL },
        { "q.r1.compute.amazonaws.com", "amazonaws.com",
          "q.r1.compute.amazonaws.com" },
        { "x.blogspot.com", "blogspot.com", "x.blogspot.com" },
        { "a.b.kawasaki.jp", "a.b.kawasaki.jp", "a.b.kawasaki.jp" },
        { "a.city.kawasaki.jp", "city.kawasaki.jp", "city.kawasaki.jp" },
        { "a.www.ck", "www.ck", "www.ck" },
        { "a.bo.telemark.no", "a.bo.telemark.no", "a.bo.telemark.no" },
        { "bo.telemark.no", NULL, NULL },
        { "a.b.xn--55qx5d.cn", "b.xn--55qx5d.cn", "b.xn--55qx5d.cn" },
        { "a.b.unlisted", "b.unlisted", "b.unlisted" },
        /* dynamic DNS zones the list lacks */
        { "a.kq7x.mooo.com", "mooo.com", "kq7x.mooo.com" },
        { "mooo.com", "mooo.com", "mooo.com" },
        { "x.notmooo.com", "notmooo.com", "notmooo.com" },
        /* provider zones: the endpoint is the site */
        { "a1b2c3d4e5.execute-api.us-east-1.amazonaws.com", "amazonaws.com",
          "a1b2c3d4e5.execute-api.us-east-1.amazonaws.com" },
        { "execute-api.us-east-1.amazonaws.com", "amazonaws.com",
          "amazonaws.com" },
        { "www.ep1.azureedge.net", "azureedge.net", "ep1.azureedge.net" },
        { "azureedge.net", "azureedge.net", "azureedge.net" },
        { "ep1.azurefd.net", "azurefd.net", "ep1.azurefd.net" },
        { "ep1-h4sh.z01.azurefd.net", "azurefd.net",
          "ep1-h4sh.z01.azurefd.net" },
        { "u7.lambda-url.eu-west-1.on.aws", "on.aws",
          "u7.lambda-url.eu-west-1.on.aws" },
        { "lb-1.eu-west-1.elb.amazonaws.com", "amazonaws.com",
          "lb-1.eu-west-1.elb.amazonaws.com" },
        { "www.d1234.cloudfront.net", "cloudfront.net",
          "d1234.cloudfront.net" },
        { "x.notazureedge.net", "notazureedge.net", "notazureedge.net" },
        { "a.xexecute-api.us-east-1.amazonaws.com", "amazonaws.com",
          "amazonaws.com" },
        { "old-1.elb.amazonaws.com", "amazonaws.com",
          "old-1.elb.amazonaws.com" },
    };
    struct name_cache *c = names_cache_new();
    struct name_parts p;

    (void)state;
    for (int round = 0; round < 2; round++) {
        for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
            names_split(c, want[i].name, &p);
            if (want[i].domain)
                assert_string_equal(p.domain, want[i].domain);
            else
                assert_null(p.domain);
            if (want[i].site)
                assert_string_equal(p.site, want[i].site);
            else
                assert_null(p.site);
        }
    }
    names_cache_free(c);
}

/*
 * A list with rules in Unicode that IDNA maps to plain names: no hashes,
 * and the cache still agrees (net has a rule for ex.net, com for ij.com,
 * b for a.b, org one with a '*' inside). In a child process, which can load another list: it runs
 * first, before this one has split a name.
 */
static void
unsure_rules_drop_the_hashes(void **state)
{
    static const char *const unsure[] = {
        "ex.net", "x.ex.net", "ij.com", "x.ij.com", "a.b", "x.a.b",
        "example.com", "a.example.net", "a.*.org", "x.a.*.org", "a.x.org",
    };
    int status = 0;
    pid_t pid;

    (void)state;
    pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        struct name_cache *c;
        struct name_parts a, b;
        int bad;
        names_use_list(fixture("psl-unsure.dat"));
        bad = names_rule_hashes() != 0;
        c = names_cache_new();
        for (size_t i = 0; i < sizeof unsure / sizeof unsure[0]; i++) {
            names_split(NULL, unsure[i], &a);
            names_split(c, unsure[i], &b);
            bad |= (a.site == NULL) != (b.site == NULL) ||
                   (a.site && strcmp(a.site, b.site) != 0);
        }
        names_cache_free(c);
        _exit(bad);
    }
    assert_int_equal(waitpid(pid, &status, 0), pid);
    assert_true(WIFEXITED(status));
    assert_int_equal(WEXITSTATUS(status), 0);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(unsure_rules_drop_the_hashes),   /* splits none */
        cmocka_unit_test(cache_agrees_with_libpsl),
        cmocka_unit_test(the_list_is_read),
    };
    return cmocka_run_group_tests(tests, use_fixture, NULL);
}
