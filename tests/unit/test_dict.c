/* SPDX-License-Identifier: MIT
 *
 * Dictionary coverage (model/dict.c): exact splits on small cases.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "model/dict.h"

static struct dict *d;

static int
setup(void **state)
{
    static const char *const words[] = { "face", "book", "google", "cloud",
                                         "goo", "gle", "fac", "ebook",
                                         "rainbow", "rain", "bow" };
    (void)state;
    d = dict_new();
    for (size_t i = 0; i < sizeof words / sizeof words[0]; i++)
        dict_add(d, words[i], strlen(words[i]));
    return 0;
}

static int
teardown(void **state)
{
    (void)state;
    dict_free(d);
    return 0;
}

static struct dict_cover
cover(const char *s)
{
    struct dict_cover c;

    dict_cover(d, s, strlen(s), &c);
    return c;
}

static void
splits(void **state)
{
    struct dict_cover c;

    (void)state;
    c = cover("facebook");          /* face+book, not fac+ebook: tie, */
    assert_true(c.covered == 1.0);  /* both two words; either is fine */
    assert_int_equal(c.words, 2);
    assert_true(c.mean_len == 4.0);
    c = cover("google");            /* one word beats goo+gle */
    assert_int_equal(c.words, 1);
    assert_int_equal(c.longest, 6);
    c = cover("GoogleCloudX");
    assert_true(c.covered == 11.0 / 12.0);
    assert_int_equal(c.words, 2);
    assert_int_equal(c.longest, 6);
    c = cover("xqzjkw");
    assert_true(c.covered == 0.0);
    assert_int_equal(c.words, 0);
    assert_true(c.mean_len == 0.0);
    c = cover("rainbowrain");
    assert_int_equal(c.words, 2);
    assert_int_equal(c.longest, 7);
    c = cover("");
    assert_true(c.covered == 0.0);
}

static void
words_checked(void **state)
{
    char big[300];

    (void)state;
    assert_int_equal(dict_add(d, "no", 2), 0);         /* too short */
    assert_int_equal(dict_add(d, "Face", 4), 0);       /* not lower */
    assert_int_equal(dict_add(d, "face", 4), 0);       /* already in */
    assert_int_equal(dict_add(d, "tree", 4), 1);
    assert_int_equal(dict_size(d), 12);
    /* Growing keeps every word findable. */
    for (int i = 0; i < 5000; i++) {
        char w[8];
        snprintf(w, sizeof w, "w%c%c%c", 'a' + i % 26, 'a' + i / 26 % 26,
                 'a' + i / 676 % 26);
        dict_add(d, w, 4);
    }
    assert_true(cover("tree").covered == 1.0);
    memset(big, 'a', sizeof big);
    dict_cover(d, big, sizeof big, &(struct dict_cover){ 0 });
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(splits),
        cmocka_unit_test(words_checked),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
