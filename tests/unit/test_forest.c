/* SPDX-License-Identifier: MIT
 *
 * The Random Forest (model/forest.c): separable sets learned exactly,
 * the same seed gives the same forest, bad parameters are refused.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "model/forest.h"
#include "model/rng.h"

#define N 400

static float X[N * 3];
static uint8_t y[N];

/* x0, x1 uniform in [0,1); x2 noise. Label by rule. */
static void
make_set(int xor_rule)
{
    struct rng r = { 7 };

    for (int i = 0; i < N; i++) {
        for (int k = 0; k < 3; k++)
            X[i * 3 + k] = (float)(rng_next(&r) >> 40) / (float)(1 << 24);
        y[i] = xor_rule ? ((X[i * 3] < 0.5f) != (X[i * 3 + 1] < 0.5f))
                        : X[i * 3] >= 0.5f;
    }
}

static void
threshold_learned_exactly(void **state)
{
    struct rf_params p = { .trees = 10, .max_depth = 8, .min_leaf = 1,
                           .mtry = 3, .seed = 1 };
    struct forest f;
    float probe[3] = { 0.1f, 0.9f, 0.5f };

    (void)state;
    make_set(0);
    assert_int_equal(rf_train(&f, X, y, N, 3, &p), 0);
    /* Every training point on the right side; far from the boundary,
     * every tree agrees. */
    for (int i = 0; i < N; i++)
        assert_int_equal(rf_predict(&f, &X[i * 3]) > 0.5, y[i]);
    assert_true(rf_predict(&f, probe) == 0.0);
    probe[0] = 0.95f;
    assert_true(rf_predict(&f, probe) == 1.0);
    rf_free(&f);
}

static void
xor_needs_depth_two(void **state)
{
    struct rf_params p = { .trees = 25, .max_depth = 6, .min_leaf = 1,
                           .mtry = 2, .seed = 3 };
    struct forest f;
    int right = 0;

    (void)state;
    make_set(1);
    assert_int_equal(rf_train(&f, X, y, N, 3, &p), 0);
    for (int i = 0; i < N; i++)
        right += (rf_predict(&f, &X[i * 3]) > 0.5) == y[i];
    assert_int_equal(right, N);
    float corners[4][3] = { { 0.1f, 0.1f, 0 }, { 0.9f, 0.1f, 0 },
                            { 0.1f, 0.9f, 0 }, { 0.9f, 0.9f, 0 } };
    assert_true(rf_predict(&f, corners[0]) < 0.5);
    assert_true(rf_predict(&f, corners[1]) > 0.5);
    assert_true(rf_predict(&f, corners[2]) > 0.5);
    assert_true(rf_predict(&f, corners[3]) < 0.5);
    rf_free(&f);
}

static void
same_seed_same_forest(void **state)
{
    struct rf_params p = { .trees = 8, .max_depth = 5, .min_leaf = 2,
                           .mtry = 0, .seed = 42 };
    struct forest a, b, c;
    int differ = 0;

    (void)state;
    make_set(1);
    assert_int_equal(rf_train(&a, X, y, N, 3, &p), 0);
    assert_int_equal(rf_train(&b, X, y, N, 3, &p), 0);
    p.seed = 43;
    assert_int_equal(rf_train(&c, X, y, N, 3, &p), 0);
    for (int t = 0; t < a.n_trees; t++) {
        assert_int_equal(a.trees[t].n, b.trees[t].n);
        assert_memory_equal(a.trees[t].nodes, b.trees[t].nodes,
                            (size_t)a.trees[t].n * sizeof(struct rf_node));
    }
    for (int i = 0; i < N; i++)
        differ += rf_predict(&a, &X[i * 3]) != rf_predict(&c, &X[i * 3]);
    assert_true(differ > 0);
    rf_free(&a);
    rf_free(&b);
    rf_free(&c);
}

static void
bad_parameters(void **state)
{
    struct rf_params p = { .trees = 0, .max_depth = 3, .min_leaf = 1 };
    struct forest f;

    (void)state;
    assert_int_equal(rf_train(&f, X, y, N, 3, &p), -1);
    p.trees = 1;
    p.mtry = 4;
    assert_int_equal(rf_train(&f, X, y, N, 3, &p), -1);
    p.mtry = 0;
    assert_int_equal(rf_train(&f, X, y, 0, 3, &p), -1);
    assert_true(rf_predict(&f, X) == 0.0);
    rf_free(&f);
}

/* Two threads grow the same trees; contributions add up to the score. */
static void
threads_and_contributions(void **state)
{
    enum { M = 300 };
    static float Xt[M * 3];
    uint8_t yt[M];
    struct rng r = { 5 };
    struct rf_params p = { .trees = 9, .max_depth = 6, .min_leaf = 2,
                           .mtry = 2, .threads = 1, .seed = 3 };
    struct forest a, b;

    (void)state;
    for (int i = 0; i < M * 3; i++)
        Xt[i] = (float)(rng_next(&r) >> 40) / (float)(1 << 24);
    for (int i = 0; i < M; i++)
        yt[i] = Xt[i * 3] > 0.3f + 0.4f * Xt[i * 3 + 2];
    assert_int_equal(rf_train(&a, Xt, yt, M, 3, &p), 0);
    p.threads = 2;
    assert_int_equal(rf_train(&b, Xt, yt, M, 3, &p), 0);
    for (int t = 0; t < a.n_trees; t++) {
        assert_int_equal(a.trees[t].n, b.trees[t].n);
        assert_memory_equal(a.trees[t].nodes, b.trees[t].nodes,
                            (size_t)a.trees[t].n * sizeof(struct rf_node));
    }
    for (int i = 0; i < M; i++) {
        double bias, c[3];
        rf_contributions(&a, &Xt[i * 3], &bias, c);
        assert_true(fabs(bias + c[0] + c[1] + c[2] -
                         rf_predict(&a, &Xt[i * 3])) < 1e-9);
    }
    rf_free(&a);
    rf_free(&b);
}

/* A forest of the given trees over d features scores in its flat layout
 * exactly as its trees do, with each walk and in any batch size. */
static void
flat_case(int trees, int d, int depth)
{
    enum { M = 500 };
    float *Xf = calloc((size_t)M * (size_t)d, sizeof *Xf);
    uint8_t yf[M];
    double flat[M];
    struct rng r = { 17 };
    struct rf_params p = { .trees = trees, .max_depth = depth,
                           .min_leaf = 1, .mtry = 2, .seed = 8 };
    struct forest f;
    struct rf_flat fl;

    assert_non_null(Xf);
    for (int i = 0; i < M * d; i++)
        Xf[i] = (float)(rng_next(&r) >> 40) / (float)(1 << 24);
    for (int i = 0; i < M; i++)
        yf[i] = (Xf[i * d] > 0.5f) ^ (Xf[i * d + d - 1] > 0.7f);
    assert_int_equal(rf_train(&f, Xf, yf, M, d, &p), 0);
    assert_int_equal(rf_compile(&f, &fl), 0);
    /* the last rows sit exactly on thresholds: x < t goes left, x == t
     * right */
    for (int i = M / 2, k = 0; i < M; i++) {
        const struct rf_tree *tr = &f.trees[i % f.n_trees];
        const struct rf_node *nd = &tr->nodes[k++ % tr->n];
        if (nd->feature >= 0)
            for (int j = 0; j < d; j++)
                Xf[i * d + j] = nd->threshold;
    }
    for (int simd = 2; simd >= 0; simd--) {
#if defined(__x86_64__) && defined(__GNUC__)
        if (simd == 2 && __builtin_cpu_supports("avx512f"))
            assert_int_equal(rf_flat_use_simd(2), 2);
        if (simd == 1 && __builtin_cpu_supports("avx2"))
            assert_int_equal(rf_flat_use_simd(1), 1);
#endif
        rf_flat_use_simd(simd);
        for (size_t n = 1; n <= M; n += 37) {
            rf_flat_predict(&fl, Xf, n, flat);
            for (size_t i = 0; i < n; i++)
                assert_true(flat[i] == rf_predict(&f, &Xf[i * (size_t)d]));
        }
    }
    rf_flat_use_simd(2);
    rf_flat_free(&fl);
    rf_free(&f);
    free(Xf);
}

/* Trees fewer than a vector's sixteen, an odd number over several
 * vectors (the last partly filled), more features than the AVX-512 walk
 * holds in its registers (it leaves those to the AVX2 walk), and trees
 * whose leaves are in the top levels that walk takes without a gather. */
static void
flat_matches_trees(void **state)
{
    (void)state;
    flat_case(7, 4, 9);
    flat_case(37, 26, 9);
    flat_case(9, 40, 9);
    flat_case(20, 3, 2);
    flat_case(5, 3, 1);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(threshold_learned_exactly),
        cmocka_unit_test(xor_needs_depth_two),
        cmocka_unit_test(same_seed_same_forest),
        cmocka_unit_test(threads_and_contributions),
        cmocka_unit_test(flat_matches_trees),
        cmocka_unit_test(bad_parameters),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
