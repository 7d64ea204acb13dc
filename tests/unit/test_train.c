/* SPDX-License-Identifier: MIT
 *
 * Pieces of training (core/train.c) with exact answers: thresholds for a
 * false-positive rate, the split of names into parts, dictionary
 * families.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>

#include "core/train.h"

static void
thresholds(void **state)
{
    float desc[2000];

    (void)state;
    for (int i = 0; i < 2000; i++)
        desc[i] = (float)(1999 - i) / 2000.0f;      /* high to low */
    /* 1e-3 of 2000 is 2 names: the third-highest score lets 2 above. */
    assert_true(threshold_for(desc, 2000, 1e-3) == desc[2]);
    assert_true(threshold_for(desc, 2000, 1e-4) == desc[0]);
    assert_true(threshold_for(desc, 2000, 0.5) == desc[1000]);
    assert_true(threshold_for(desc, 2000, 1.0) == desc[1999]);
    assert_true(threshold_for(desc, 0, 1e-3) == 1.0f);
}

static void
parts(void **state)
{
    struct model_split s = { 99, 40, 30, 15, 70, 0, 0 };
    size_t count[4] = { 0 }, dga_train = 0;
    char name[32];

    (void)state;
    for (int i = 0; i < 20000; i++) {
        snprintf(name, sizeof name, "n%d.example.com", i);
        count[model_part(&s, name, 0)]++;
        dga_train += model_part(&s, name, 1) == PART_TRAIN;
        assert_int_equal(model_part(&s, name, 0), model_part(&s, name, 0));
    }
    /* Shares near the percentages (within 1.5 points). */
    assert_true(count[PART_MARKOV] > 7700 && count[PART_MARKOV] < 8300);
    assert_true(count[PART_TRAIN] > 5700 && count[PART_TRAIN] < 6300);
    assert_true(count[PART_VALID] > 2700 && count[PART_VALID] < 3300);
    assert_true(count[PART_TEST] > 2700 && count[PART_TEST] < 3300);
    assert_true(dga_train > 13700 && dga_train < 14300);
    /* Another salt moves names. */
    s.salt = 100;
    int moved = 0;
    for (int i = 0; i < 100; i++) {
        snprintf(name, sizeof name, "n%d.example.com", i);
        struct model_split t = s;
        t.salt = 99;
        moved += model_part(&s, name, 0) != model_part(&t, name, 0);
    }
    assert_true(moved > 30);
}

static void
dictionary_families(void **state)
{
    (void)state;
    assert_true(family_is_dictionary("suppobox"));
    assert_true(family_is_dictionary("gozi"));
    assert_false(family_is_dictionary("conficker"));
    assert_false(family_is_dictionary("wordy"));
    family_add_dictionary("wordy");
    assert_true(family_is_dictionary("wordy"));
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(thresholds),
        cmocka_unit_test(parts),
        cmocka_unit_test(dictionary_families),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
