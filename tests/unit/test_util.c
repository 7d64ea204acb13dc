/* SPDX-License-Identifier: MIT
 *
 * Escaping, JSON strings, the bounded cache and public-suffix splitting.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "core/names.h"
#include "core/util.h"
#include "storage/intern.h"

static void
escaping_for_the_terminal(void **state)
{
    char out[32];

    (void)state;
    escape_bytes(out, sizeof out, "a\x1b[2Jb", 6);
    assert_string_equal(out, "a\\x1b[2Jb");
    escape_bytes(out, sizeof out, "x\0y\\", 4);
    assert_string_equal(out, "x\\x00y\\x5c");
    escape_bytes(out, sizeof out, "\xc3\xa9", 2);
    assert_string_equal(out, "\\xc3\\xa9");
    /* Too long: cut with "..." and still NUL-terminated in 12 bytes. */
    escape_bytes(out, 12, "abcdefghijklmnop", 16);
    assert_string_equal(out, "abcdefgh...");
    escape_bytes(out, 12, "abcdefghijk", 11);
    assert_string_equal(out, "abcdefghijk");
    escape_bytes(out, 8, "\x01\x02\x03", 3);
    assert_string_equal(out, "\\x01...");
    assert_string_equal(sanitize_ascii(strcpy(out, "ok\x1b\x7f")), "ok??");
}

static void
json_strings(void **state)
{
    struct buf b = { 0 };

    (void)state;
    buf_add_json_string(&b, "a\"b\\c\n\x01\xff", 8);
    assert_string_equal(b.data, "\"a\\\"b\\\\c\\u000a\\u0001\\u00ff\"");
    buf_reset(&b);
    buf_printf(&b, "%d-%s", 42, "x");
    assert_string_equal(b.data, "42-x");
    assert_int_equal(b.len, 4);
    buf_free(&b);
}

/* Key k of 1024 that all share one hash: in each pair of 8-byte blocks
 * where bit p of k is set, the top bits of bytes 7, 11 and 15 are
 * flipped. Flipping bit 63 of a block flips bits 63 and 31 of the state
 * after it, whatever the state; the next block's two flips cancel that. */
static void
colliding_key(int k, unsigned char key[160])
{
    memset(key, 'a', 160);
    for (int p = 0; p < 10; p++)
        if (k >> p & 1) {
            key[16 * p + 7] ^= 0x80;
            key[16 * p + 11] ^= 0x80;
            key[16 * p + 15] ^= 0x80;
        }
}

static void
colliding_keys(void **state)
{
    struct intern *in = intern_new(16 << 20);
    unsigned char key[160], first[160];
    int cached = 0;

    (void)state;
    colliding_key(0, first);
    for (int k = 0; k < 1024; k++) {
        colliding_key(k, key);
        assert_int_equal(intern_hash(key, 160), intern_hash(first, 160));
        intern_put(in, key, 160, k + 1);
    }
    /* Each key is found with its own id or not at all, and only the 32
     * that fill the run from their common slot are cached. */
    for (int k = 0; k < 1024; k++) {
        int64_t id;
        colliding_key(k, key);
        id = intern_get(in, key, 160);
        assert_true(id == 0 || id == k + 1);
        cached += id != 0;
    }
    assert_int_equal(cached, 32);
    intern_put(in, "alpha", 5, 7);          /* other keys still cached */
    assert_int_equal(intern_get(in, "alpha", 5), 7);
    intern_free(in);
}

static void
bounded_cache(void **state)
{
    struct intern *in = intern_new(64 << 10);
    char key[32];

    (void)state;
    intern_put(in, "alpha", 5, 7);
    assert_int_equal(intern_get(in, "alpha", 5), 7);
    assert_int_equal(intern_get(in, "alph", 4), 0);
    intern_put(in, "alpha", 5, 9);
    assert_int_equal(intern_get(in, "alpha", 5), 9);
    /* Far past the budget: it empties itself, never fails, stays exact. */
    for (int i = 1; i <= 20000; i++) {
        int n = snprintf(key, sizeof key, "key-%d", i);
        intern_put(in, key, (size_t)n, i);
        assert_int_equal(intern_get(in, key, (size_t)n), i);
    }
    assert_int_equal(intern_get(in, "alpha", 5), 0);
    intern_clear(in);
    assert_int_equal(intern_get(in, "key-20000", 9), 0);
    assert_int_equal(intern_hash("abc", 3), intern_hash("abc", 3));
    assert_int_not_equal(intern_hash("abc", 3), intern_hash("abd", 3));
    intern_free(in);
}

static void
public_suffixes(void **state)
{
    struct name_parts p;
    const char *n;

    (void)state;
    n = "a.b.example.co.uk";
    names_split(NULL, n, &p);
    assert_string_equal(p.domain, "example.co.uk");
    assert_string_equal(p.site, "example.co.uk");
    assert_int_equal(p.sub_len, 3);
    n = "d1234.cloudfront.net";
    names_split(NULL, n, &p);
    assert_string_equal(p.domain, "cloudfront.net");
    assert_string_equal(p.site, "d1234.cloudfront.net");
    assert_int_equal(p.sub_len, 5);
    n = "xyzqwe.bazar";                 /* unknown TLD: the default rule */
    names_split(NULL, n, &p);
    assert_string_equal(p.domain, "xyzqwe.bazar");
    names_split(NULL, "wpad", &p);
    assert_null(p.domain);
    names_split(NULL, "co.uk", &p);
    assert_null(p.domain);
    names_split(NULL, "10.0.0.1", &p);
    assert_null(p.domain);
    names_split(NULL, "", &p);
    assert_null(p.domain);
}

/* The parent cache answers exactly what libpsl answers. */
static void
cached_splits_agree(void **state)
{
    static const char *const names[] = {
        "a.b.example.co.uk", "c.b.example.co.uk", "x.d1234.cloudfront.net",
        "y.d1234.cloudfront.net", "d1234.cloudfront.net", "www.ck",
        "a.www.ck", "foo.ck", "a.foo.ck", "b.a.foo.ck", "q1.t1.evil.bazar",
        "q2.t1.evil.bazar", "t1.evil.bazar", "1.2.3.4.in-addr.arpa",
        "5.2.3.4.in-addr.arpa", "a.s3.amazonaws.com", "bucket.s3.amazonaws.com",
        /* below a suffix: ICANN, private, wildcard and exception rules */
        "example.com", "other.com", "blogspot.com", "x.blogspot.com",
        "kawasaki.jp", "a.kawasaki.jp", "city.kawasaki.jp",
        "b.city.kawasaki.jp", "github.io", "me.github.io", "co.uk",
        "example.co.uk", "uk", "bar.ck", "ck",
        /* a rule for the name though not for its parent; empty labels */
        "amazonaws.com", "s3.amazonaws.com", "x.s3.amazonaws.com",
        "telemark.no", "bo.telemark.no", "a.bo.telemark.no", "com.",
        ".a.com", "a.com.", "a.com",
    };
    struct name_cache *c = names_cache_new();
    struct name_parts a, b;

    (void)state;
    for (int round = 0; round < 2; round++) {
        for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
            names_split(NULL, names[i], &a);
            names_split(c, names[i], &b);
            if (a.domain)
                assert_string_equal(a.domain, b.domain);
            else
                assert_null(b.domain);
            if (a.site)
                assert_string_equal(a.site, b.site);
            else
                assert_null(b.site);
            assert_int_equal(a.sub_len, b.sub_len);
        }
    }
    names_split(c, "a.foo.ck", &b);
    assert_string_equal(b.domain, "a.foo.ck");
    names_cache_free(c);
}

/* Split name with and without the cache; 0 when the same. */
static int
split_differs(struct name_cache *c, const char *name)
{
    struct name_parts a, b;

    names_split(NULL, name, &a);
    names_split(c, name, &b);
    return (a.domain == NULL) != (b.domain == NULL) ||
           (a.domain && strcmp(a.domain, b.domain) != 0) ||
           (a.site == NULL) != (b.site == NULL) ||
           (a.site && strcmp(a.site, b.site) != 0) || a.sub_len != b.sub_len;
}

/* Every rule of the system's list, and names a label and two below it,
 * split the same with and without the cache (and its rule hashes). */
static void
system_list_agrees(void **state)
{
    FILE *f = fopen("/usr/share/publicsuffix/public_suffix_list.dat", "r");
    struct name_cache *c;
    char line[1024], name[1100];
    int rules = 0;

    (void)state;
    if (!f)
        skip();                         /* no system list in text form */
    c = names_cache_new();
    while (fgets(line, sizeof line, f)) {
        char *r = line;
        line[strcspn(line, " \t\r\n")] = '\0';
        if (!*r || (r[0] == '/' && r[1] == '/'))
            continue;
        r += r[0] == '!' ? 1 : r[0] == '*' && r[1] == '.' ? 2 : 0;
        rules++;
        for (int below = 0; below < 3; below++) {
            snprintf(name, sizeof name, "%s%s", below == 0 ? ""
                     : below == 1 ? "x." : "y.x.", r);
            if (split_differs(c, name))
                fail_msg("%s: the cache differs from libpsl", name);
        }
    }
    fclose(f);
    names_cache_free(c);
    assert_true(rules > 5000);
}

/* fmt_fixed4() writes what printf's "%.4f" writes, ties included. */
static void
fixed_four_decimals(void **state)
{
    char want[32], got[32];
    uint64_t r = 88172645463325252ull;

    (void)state;
    for (int i = 0; i < 2000000; i++) {
        double v;
        if (i <= 20000) {               /* every tie and its neighbours */
            v = (2.0 * (i / 2) + 1.0) / 20000.0;
            v = i % 2 ? nextafter(v, 0.0) : nextafter(v, 1.0);
            if (i % 5 == 0)
                v = (double)(i % 33) / 32.0;    /* exact ties: 1/32 */
            if (v > 1.0)
                v = 1.0;
        } else {
            r ^= r << 13, r ^= r >> 7, r ^= r << 17;
            v = (double)(r >> 11) / 9007199254740992.0;
            if (i % 7 == 0)
                v = ldexp(v, -(int)(r % 80));   /* tiny ones too */
        }
        snprintf(want, sizeof want, "%.4f", v);
        *fmt_fixed4(got, v) = '\0';
        if (strcmp(want, got) != 0)
            fail_msg("%a: printf %s, fmt_fixed4 %s", v, want, got);
    }
    *fmt_fixed4(got, 0.0) = '\0';
    assert_string_equal(got, "0.0000");
    *fmt_fixed4(got, 1.0) = '\0';
    assert_string_equal(got, "1.0000");
    *fmt_fixed4(got, 0.03125) = '\0';         /* 312.5: to even */
    assert_string_equal(got, "0.0312");
    *fmt_fixed4(got, 0.09375) = '\0';         /* 937.5: to even */
    assert_string_equal(got, "0.0938");
    *fmt_fixed4(got, -0.0) = '\0';            /* the rest as printf */
    assert_string_equal(got, "-0.0000");
    *fmt_fixed4(got, 12.34567) = '\0';
    assert_string_equal(got, "12.3457");
    *fmt_fixed4(got, NAN) = '\0';
    assert_string_equal(got, "nan");
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(escaping_for_the_terminal),
        cmocka_unit_test(fixed_four_decimals),
        cmocka_unit_test(json_strings),
        cmocka_unit_test(bounded_cache),
        cmocka_unit_test(colliding_keys),
        cmocka_unit_test(public_suffixes),
        cmocka_unit_test(cached_splits_agree),
        cmocka_unit_test(system_list_agrees),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
