/* SPDX-License-Identifier: MIT
 *
 * Dictionary coverage of a label: split it into known words of three or
 * more letters, choosing the split that covers the most characters (the
 * fewest words on a tie), and report how much of the label the words
 * cover. Dictionary DGAs (gozi, suppobox) are made of words: their
 * coverage is high while their character statistics look benign.
 *
 * Every word carries kind bits, so one dictionary holds several word
 * lists (English and benign-domain words; words mined from known
 * dictionary DGAs) and a split uses only the words of one kind.
 * Pure computation; the word lists come from the caller.
 */
#ifndef DNSHUNT_DICT_H
#define DNSHUNT_DICT_H

#include <stddef.h>
#include <stdint.h>

#define DICT_MIN_WORD 3
#define DICT_MAX_WORD 24

/* Kinds of word, as bits. */
enum dict_kind {
    DICT_WORD = 1,      /* English or common in benign domain names */
    DICT_DGA  = 2,      /* seen again and again in dictionary-DGA names */
    DICT_GRAM = 4       /* a 4- or 5-letter string common in benign names */
};

struct dict;

/* What the best split of one label found. */
struct dict_cover {
    double covered;     /* share of the label's bytes inside words */
    int    words;       /* words in the split */
    int    longest;     /* longest word's length, 0 when none */
    double mean_len;    /* mean word length, 0 when none */
    double spread;      /* standard deviation of word lengths */
};

/* An empty dictionary. */
struct dict *dict_new(void);

/*
 * Add a word (lower-case ASCII letters, DICT_MIN_WORD to DICT_MAX_WORD
 * long; anything else is ignored) with kind bits; a known word gains the
 * bits. Returns 1 when the word is new, 0 otherwise.
 */
int dict_add(struct dict *d, const char *w, size_t n, unsigned kinds);

/* Kind bits of a word, 0 when unknown. */
unsigned dict_kinds(const struct dict *d, const char *w, size_t n);

/* Make room for n words in all, so adding them never grows the set. */
void dict_reserve(struct dict *d, size_t n);

/* Words in the dictionary. */
size_t dict_size(const struct dict *d);

/*
 * Build the fast look-up structure (a compact trie). dict_cover works
 * without it, more slowly; adding a word drops it again.
 */
void dict_freeze(struct dict *d);

/* dict_freeze() when words[0..n) are the dictionary's words, each once,
 * in byte order (as a model file holds them): the words are not sorted
 * again. Any other list is only slower: it falls back to sorting. */
void dict_freeze_ordered(struct dict *d, const char *const *words,
                         size_t n);

/* Best split of s[0..n) (letters without case) into words of kind. */
void dict_cover(const struct dict *d, unsigned kind, const char *s,
                size_t n, struct dict_cover *out);

/*
 * Share of the len-byte windows of s[0..n) that are words of kind, in
 * [0, 1]; 0 when s is shorter than len.
 */
double dict_window_share(const struct dict *d, unsigned kind, const char *s,
                         size_t n, size_t len);

/* Where the words of every kind are in one label, found in one pass. */
struct dict_scan {
    char     low[256];          /* the label, letters lower-cased */
    size_t   n;
    uint32_t ends[3][256];      /* [kind bit][start]: bit L set when a
                                   word of that kind and length L starts */
};

/* Scan s[0..n) once for the words of every kind. */
void dict_scan(const struct dict *d, const char *s, size_t n,
               struct dict_scan *out);

/* dict_cover() from a scan. */
void dict_cover_scan(const struct dict_scan *sc, unsigned kind,
                     struct dict_cover *out);

/* dict_window_share() from a scan. */
double dict_window_share_scan(const struct dict_scan *sc, unsigned kind,
                              size_t len);

/* Call fn for every word with its kinds, in byte order of the words. */
void dict_each(const struct dict *d,
               void (*fn)(void *arg, const char *w, unsigned kinds),
               void *arg);

/* Free the dictionary; NULL is fine. */
void dict_free(struct dict *d);

#endif
