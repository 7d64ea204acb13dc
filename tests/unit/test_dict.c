/* SPDX-License-Identifier: MIT
 *
 * Dictionary coverage (model/dict.c): exact splits on small cases.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <math.h>
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
        dict_add(d, words[i], strlen(words[i]), DICT_WORD);
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

    dict_cover(d, DICT_WORD, s, strlen(s), &c);
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
    assert_int_equal(dict_add(d, "no", 2, DICT_WORD), 0);     /* short */
    assert_int_equal(dict_add(d, "Face", 4, DICT_WORD), 0);   /* upper */
    assert_int_equal(dict_add(d, "face", 4, DICT_WORD), 0);   /* known */
    assert_int_equal(dict_add(d, "tree", 4, DICT_WORD), 1);
    assert_int_equal(dict_size(d), 12);
    /* Growing keeps every word findable. */
    for (int i = 0; i < 5000; i++) {
        char w[8];
        snprintf(w, sizeof w, "w%c%c%c", 'a' + i % 26, 'a' + i / 26 % 26,
                 'a' + i / 676 % 26);
        dict_add(d, w, 4, DICT_WORD);
    }
    assert_true(cover("tree").covered == 1.0);
    memset(big, 'a', sizeof big);
    dict_cover(d, DICT_WORD, big, sizeof big, &(struct dict_cover){ 0 });
}

/* The frozen trie finds exactly what the hash set finds. */
static void
trie_matches_hash(void **state)
{
    static const char *const labels[] = {
        "facebook", "googlecloud", "rainbowrain", "xfacebookx", "",
        "ebookface", "fa", "faceboo", "bowrainbowrainbow", "a-b_c9face",
        "\xff\x80" "book", "GOOGLEface",
    };
    struct dict *e = dict_new();

    (void)state;
    dict_add(e, "face", 4, DICT_WORD);
    dict_add(e, "book", 4, DICT_WORD);
    dict_add(e, "ebook", 5, DICT_DGA);
    dict_add(e, "google", 6, DICT_WORD | DICT_DGA);
    dict_add(e, "rain", 4, DICT_DGA);
    dict_add(e, "rainbow", 7, DICT_WORD);
    dict_add(e, "bow", 3, DICT_WORD);
    for (size_t i = 0; i < sizeof labels / sizeof *labels; i++) {
        for (unsigned kind = DICT_WORD; kind <= DICT_DGA; kind++) {
            struct dict_cover a, b;
            size_t n = strlen(labels[i]);
            dict_cover(e, kind, labels[i], n, &a);
            dict_freeze(e);
            dict_cover(e, kind, labels[i], n, &b);
            assert_memory_equal(&a, &b, sizeof a);
            dict_add(e, "zzzz", 4, DICT_WORD);      /* thaws the trie */
        }
    }
    dict_free(e);
}

/* Frozen from the words in order, from a list out of order, or from one
 * missing a word, the trie finds what the sorting freeze finds. */
static void
ordered_freeze(void **state)
{
    static const char *const in_order[] = {
        "bow", "ebook", "face", "google", "rain", "rainbow",
    };
    static const char *const shuffled[] = {
        "face", "bow", "ebook", "google", "rain", "rainbow",
    };
    static const char *const labels[] = {
        "facebook", "rainbowrain", "xfacebookx", "ebookface", "googlebow",
    };
    const char *const *lists[] = { in_order, shuffled, in_order };
    size_t counts[] = { 6, 6, 5 };

    (void)state;
    for (int l = 0; l < 3; l++) {
        struct dict *a = dict_new(), *b = dict_new();
        for (size_t i = 0; i < 6; i++) {
            dict_add(a, in_order[i], strlen(in_order[i]), DICT_WORD);
            dict_add(b, in_order[i], strlen(in_order[i]), DICT_WORD);
        }
        dict_freeze(a);
        dict_freeze_ordered(b, lists[l], counts[l]);
        for (size_t i = 0; i < sizeof labels / sizeof *labels; i++) {
            struct dict_cover x, y;
            size_t n = strlen(labels[i]);
            dict_cover(a, DICT_WORD, labels[i], n, &x);
            dict_cover(b, DICT_WORD, labels[i], n, &y);
            assert_memory_equal(&x, &y, sizeof x);
            assert_true(x.words > 0);
        }
        dict_free(a);
        dict_free(b);
    }
}

/* A split uses the words of one kind; the spread of lengths is exact. */
static void
kinds_and_spread(void **state)
{
    struct dict *e = dict_new();
    struct dict_cover c;

    (void)state;
    dict_add(e, "face", 4, DICT_WORD);
    dict_add(e, "book", 4, DICT_WORD);
    dict_add(e, "google", 6, DICT_WORD);
    dict_add(e, "wagon", 5, DICT_DGA);
    assert_int_equal(dict_add(e, "face", 4, DICT_DGA), 0);
    assert_int_equal(dict_kinds(e, "face", 4), DICT_WORD | DICT_DGA);
    assert_int_equal(dict_kinds(e, "fac", 3), 0);
    dict_freeze(e);
    dict_cover(e, DICT_WORD, "facebookgoogle", 14, &c);
    assert_int_equal(c.words, 3);
    assert_true(c.covered == 1.0);
    assert_true(fabs(c.mean_len - 14.0 / 3.0) < 1e-12);
    assert_true(fabs(c.spread - sqrt(68.0 / 3.0 - 196.0 / 9.0)) < 1e-12);
    dict_cover(e, DICT_DGA, "facewagon", 9, &c);
    assert_int_equal(c.words, 2);
    assert_true(c.spread == 0.5);
    dict_cover(e, DICT_DGA, "bookwagon", 9, &c);
    assert_int_equal(c.words, 1);
    assert_true(c.covered == 5.0 / 9.0);
    assert_true(c.spread == 0.0);
    dict_free(e);
}

/* Room made first keeps the words there and takes the rest. */
static void
reserve_keeps_words(void **state)
{
    struct dict *set = dict_new();
    char w[8];

    (void)state;
    assert_int_equal(dict_add(set, "alpha", 5, DICT_WORD), 1);
    dict_reserve(set, 30000);
    dict_reserve(set, 10);                /* less than it has: nothing */
    assert_int_equal(dict_kinds(set, "alpha", 5), DICT_WORD);
    for (int i = 0; i < 26 * 26 * 26; i++) {
        snprintf(w, sizeof w, "%c%c%cq", 'a' + i / 676, 'a' + i / 26 % 26,
                 'a' + i % 26);
        assert_int_equal(dict_add(set, w, 4, DICT_DGA), 1);
    }
    assert_int_equal(dict_size(set), 26 * 26 * 26 + 1);
    assert_int_equal(dict_kinds(set, "zzzq", 4), DICT_DGA);
    assert_int_equal(dict_kinds(set, "alpha", 5), DICT_WORD);
    assert_int_equal(dict_kinds(set, "beta", 4), 0);
    dict_free(set);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(splits),
        cmocka_unit_test(words_checked),
        cmocka_unit_test(trie_matches_hash),
        cmocka_unit_test(kinds_and_spread),
        cmocka_unit_test(ordered_freeze),
        cmocka_unit_test(reserve_keeps_words),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
