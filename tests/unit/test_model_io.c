/* SPDX-License-Identifier: MIT
 *
 * The model format (model/model_io.c): save then load gives identical
 * predictions; every cut, flipped or forged file is refused cleanly.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "model/model_io.h"
#include "model/rng.h"

#define N 200

static struct model orig;
static struct buf bytes;
static float X[N * 2];

static int
setup(void **state)
{
    static struct markov_counts counts;
    static const char *const words[] = { "face", "book", "cloud" };
    struct rf_params p = { .trees = 5, .max_depth = 4, .min_leaf = 1,
                           .mtry = 2, .seed = 9 };
    uint8_t y[N];
    struct rng r = { 11 };

    (void)state;
    for (int i = 0; i < N; i++) {
        X[i * 2] = (float)(rng_next(&r) >> 40) / (float)(1 << 24);
        X[i * 2 + 1] = (float)(rng_next(&r) >> 40) / (float)(1 << 24);
        y[i] = X[i * 2] + X[i * 2 + 1] > 1.0f;
    }
    if (rf_train(&orig.forest, X, y, N, 2, &p))
        return -1;
    mc_count(&counts, "google", 6);
    orig.markov = malloc(sizeof *orig.markov);
    mc_train(&counts, 0.5, orig.markov);
    orig.dict = dict_new();
    for (int i = 0; i < 3; i++)
        dict_add(orig.dict, words[i], strlen(words[i]), DICT_WORD);
    orig.meta = strdup("trained by test_model_io");
    orig.tlds = calloc(3, sizeof *orig.tlds);
    orig.n_tlds = 3;
    orig.tlds[0].logodds = 0.25f;                   /* "" the default */
    strcpy(orig.tlds[1].name, "biz");
    orig.tlds[1].logodds = 2.5f;
    strcpy(orig.tlds[2].name, "com");
    orig.tlds[2].logodds = -1.5f;
    orig.features = strdup("x0,x1");
    orig.split = (struct model_split){ 77, 40, 30, 15, 70, 0.9f, 0.99f };
    orig.q_features = 2;
    orig.q_points = 3;
    orig.quantiles = malloc(6 * sizeof *orig.quantiles);
    for (int i = 0; i < 6; i++)
        orig.quantiles[i] = (float)i / 2;
    model_write(&orig, &bytes);
    return 0;
}

static int
teardown(void **state)
{
    (void)state;
    model_free(&orig);
    buf_free(&bytes);
    return 0;
}

static void
round_trip(void **state)
{
    struct model m;
    char err[128];
    struct dict_cover c;

    (void)state;
    assert_int_equal(model_read(bytes.data, bytes.len, &m, err, sizeof err),
                     0);
    for (int i = 0; i < N; i++)
        assert_true(rf_predict(&m.forest, &X[i * 2]) ==
                    rf_predict(&orig.forest, &X[i * 2]));
    assert_memory_equal(m.markov, orig.markov, sizeof *m.markov);
    assert_int_equal(dict_size(m.dict), 3);
    dict_cover(m.dict, DICT_WORD, "facebook", 8, &c);
    assert_true(c.covered == 1.0);
    assert_string_equal(m.meta, "trained by test_model_io");
    assert_int_equal(m.n_tlds, 3);
    assert_memory_equal(m.tlds, orig.tlds, 3 * sizeof *m.tlds);
    assert_string_equal(m.features, "x0,x1");
    assert_memory_equal(&m.split, &orig.split, sizeof m.split);
    assert_int_equal(m.q_points, 3);
    assert_memory_equal(m.quantiles, orig.quantiles, 6 * sizeof(float));
    model_free(&m);
}

static void
damage_refused(void **state)
{
    struct model m;
    char err[128];
    unsigned char *copy = malloc(bytes.len);

    (void)state;
    /* Every truncation. */
    for (size_t n = 0; n < bytes.len; n += 1 + n / 64) {
        assert_int_equal(model_read(bytes.data, n, &m, err, sizeof err), -1);
        assert_null(m.markov);
    }
    /* A flipped bit anywhere: the checksum catches it. */
    for (size_t i = 0; i < bytes.len; i += 97) {
        memcpy(copy, bytes.data, bytes.len);
        copy[i] ^= 0x10;
        assert_int_equal(model_read(copy, bytes.len, &m, err, sizeof err),
                         -1);
    }
    memcpy(copy, bytes.data, bytes.len);
    copy[0] = 'X';
    assert_int_equal(model_read(copy, bytes.len, &m, err, sizeof err), -1);
    assert_string_equal(err, "not a dnshunt model file");
    free(copy);
}

static void
forged_counts_refused(void **state)
{
    struct buf b = { 0 };
    struct model m, fake = { 0 };
    struct rf_tree tree = { 0 };
    struct rf_node node = { 1, 0.5f, 1, 1, 0.0f };  /* child loops back */
    char err[128];

    (void)state;
    /* A forest whose node points at itself: a file with a valid checksum
     * but a tree that would loop forever. */
    tree.nodes = &node;
    tree.n = tree.cap = 1;
    fake.forest.n_features = 2;
    fake.forest.n_trees = 1;
    fake.forest.trees = &tree;
    model_write(&fake, &b);
    assert_int_equal(model_read(b.data, b.len, &m, err, sizeof err), -1);
    assert_null(m.forest.trees);
    buf_free(&b);
}

/*
 * Nodes that share a subtree (node 0 splits to 1 and 2, node 1 to 2 and
 * 3) pass every forward-pointing check, and a walk over a chain of them
 * doubles at each level: refused because it is not a tree.
 */
static void
shared_subtrees_refused(void **state)
{
    struct buf b = { 0 };
    struct model m, fake = { 0 };
    struct rf_node n[4] = {
        { 0, 0.5f, 1, 2, 0.5f }, { 0, 0.5f, 2, 3, 0.5f },
        { -1, 0, 0, 0, 1.0f }, { -1, 0, 0, 0, 0.0f },
    };
    struct rf_tree tree = { n, 4, 4 };
    char err[128];

    (void)state;
    fake.forest.n_features = 1;
    fake.forest.n_trees = 1;
    fake.forest.trees = &tree;
    model_write(&fake, &b);
    assert_int_equal(model_read(b.data, b.len, &m, err, sizeof err), -1);
    buf_free(&b);
    /* The same shape as a real tree is read. */
    struct rf_node ok[5] = {
        { 0, 0.5f, 1, 4, 0.5f }, { 0, 0.25f, 2, 3, 0.5f },
        { -1, 0, 0, 0, 1.0f }, { -1, 0, 0, 0, 0.0f },
        { -1, 0, 0, 0, 0.0f },
    };
    tree.nodes = ok;
    tree.n = tree.cap = 5;
    model_write(&fake, &b);
    assert_int_equal(model_read(b.data, b.len, &m, err, sizeof err), 0);
    assert_int_equal(m.forest.trees[0].n, 5);
    model_free(&m);
    buf_free(&b);
}

/* A leaf value outside [0, 1] (or NaN) is not a share: refused. */
static void
bad_leaf_values_refused(void **state)
{
    static const float bad[] = { -0.5f, 1.5f, NAN, INFINITY };
    struct model m, fake = { 0 };
    struct rf_node n[1] = { { -1, 0, 0, 0, 0.0f } };
    struct rf_tree tree = { n, 1, 1 };
    char err[128];

    (void)state;
    fake.forest.n_features = 1;
    fake.forest.n_trees = 1;
    fake.forest.trees = &tree;
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        struct buf b = { 0 };
        n[0].value = bad[i];
        model_write(&fake, &b);
        assert_int_equal(model_read(b.data, b.len, &m, err, sizeof err), -1);
        buf_free(&b);
    }
}

/* TLD names out of order would break the look-up: refused. */
static void
unsorted_tlds_refused(void **state)
{
    struct buf b = { 0 };
    struct model m, fake = { 0 };
    struct model_tld t[2] = { { "com", 1.0f }, { "biz", 2.0f } };
    char err[128];

    (void)state;
    fake.tlds = t;
    fake.n_tlds = 2;
    model_write(&fake, &b);
    assert_int_equal(model_read(b.data, b.len, &m, err, sizeof err), -1);
    assert_null(m.tlds);
    buf_free(&b);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(round_trip),
        cmocka_unit_test(damage_refused),
        cmocka_unit_test(forged_counts_refused),
        cmocka_unit_test(unsorted_tlds_refused),
        cmocka_unit_test(shared_subtrees_refused),
        cmocka_unit_test(bad_leaf_values_refused),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
