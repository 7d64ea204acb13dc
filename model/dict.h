/* SPDX-License-Identifier: MIT
 *
 * Dictionary coverage of a label: split it into known words of three or
 * more letters, choosing the split that covers the most characters (the
 * fewest words on a tie), and report how much of the label the words
 * cover. Dictionary DGAs (gozi, suppobox) are made of words: their
 * coverage is high while their character statistics look benign.
 * Pure computation; the word list comes from the caller.
 */
#ifndef DNSHUNT_DICT_H
#define DNSHUNT_DICT_H

#include <stddef.h>

#define DICT_MIN_WORD 3
#define DICT_MAX_WORD 24

struct dict;

/* What the best split of one label found. */
struct dict_cover {
    double covered;     /* share of the label's bytes inside words */
    int    words;       /* words in the split */
    int    longest;     /* longest word's length, 0 when none */
    double mean_len;    /* mean word length, 0 when none */
};

/* An empty dictionary. */
struct dict *dict_new(void);

/*
 * Add a word (lower-case ASCII letters, DICT_MIN_WORD to DICT_MAX_WORD
 * long; anything else is ignored). Returns 1 when added.
 */
int dict_add(struct dict *d, const char *w, size_t n);

/* Words in the dictionary. */
size_t dict_size(const struct dict *d);

/* Best split of s[0..n) (letters without case). */
void dict_cover(const struct dict *d, const char *s, size_t n,
                struct dict_cover *out);

/* Call fn(arg, word) for every word, in no particular order. */
void dict_each(const struct dict *d, void (*fn)(void *arg, const char *w),
               void *arg);

/* Free the dictionary; NULL is fine. */
void dict_free(struct dict *d);

#endif
