/* SPDX-License-Identifier: MIT
 *
 * The character Markov model (model/markov.c): exact probabilities on a
 * tiny corpus, rows that sum to one, and the ordering it exists for.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "model/markov.h"

static struct markov_counts counts;
static struct markov model;

static void
exact_on_one_label(void **state)
{
    (void)state;
    memset(&counts, 0, sizeof counts);
    mc_count(&counts, "ab", 2);
    mc_train(&counts, 1.0, &model);
    /* Transitions: (^ ^ -> a), (^ a -> b), (a b -> $). */
    int a = mc_symbol('a'), b = mc_symbol('b');
    assert_int_equal(counts.n[0][0][a], 1);
    assert_int_equal(counts.n[0][a][b], 1);
    assert_int_equal(counts.n[a][b][0], 1);
    /* Seen: (1 + 1) / (1 + 40); unseen in a seen context: 1 / 41; the
     * logarithms are kept at float precision, as the model file has them. */
    assert_true(model.logp[0][0][a] == (float)log(2.0 / 41.0));
    assert_true(model.logp[0][0][b] == (float)log(1.0 / 41.0));
    /* Unseen context: uniform 1 / 40. */
    assert_true(model.logp[b][b][a] == (float)log(1.0 / 40.0));
    assert_true(fabs(mc_score(&model, "ab", 2) - (float)log(2.0 / 41.0)) <
                1e-12);
    /* Case and symbol classes. */
    assert_int_equal(mc_symbol('A'), mc_symbol('a'));
    assert_int_equal(mc_symbol('.'), 39);
    assert_int_equal(mc_symbol(0xff), 39);
}

static void
rows_sum_to_one(void **state)
{
    static const char *const corpus[] = { "google", "facebook", "amazon",
                                          "wikipedia", "cloudflare",
                                          "microsoft", "apple", "github" };
    (void)state;
    memset(&counts, 0, sizeof counts);
    for (size_t i = 0; i < sizeof corpus / sizeof corpus[0]; i++)
        mc_count(&counts, corpus[i], strlen(corpus[i]));
    mc_train(&counts, 0.1, &model);
    for (int a = 0; a < MC_SYMBOLS; a++)
        for (int b = 0; b < MC_SYMBOLS; b++) {
            double sum = 0.0;
            for (int c = 0; c < MC_SYMBOLS; c++)
                sum += exp(model.logp[a][b][c]);
            assert_true(fabs(sum - 1.0) < 1e-6);     /* float logs */
        }
    /* A name like the corpus scores above a random-character one. */
    assert_true(mc_score(&model, "googlecloud", 11) >
                mc_score(&model, "xq7zkv0pwj3", 11));
    assert_true(mc_score(&model, "", 0) == 0.0);
    assert_true(isfinite(mc_score(&model, "\0\xff.", 3)));
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(exact_on_one_label),
        cmocka_unit_test(rows_sum_to_one),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
