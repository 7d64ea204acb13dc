/* SPDX-License-Identifier: MIT
 *
 * Dictionary coverage (see dict.h): the words sit in an open-addressing
 * hash set; the best split is a dynamic programme over the label's
 * prefixes, trying every word length that may end at each position.
 */
#include "model/dict.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/util.h"

struct dict {
    char  (*slot)[DICT_MAX_WORD + 1];  /* "" marks an empty slot */
    size_t cap;                        /* power of two */
    size_t count;
};

static uint64_t
hash_word(const char *w, size_t n)
{
    uint64_t h = 1469598103934665603ull;

    for (size_t i = 0; i < n; i++)
        h = (h ^ (unsigned char)w[i]) * 1099511628211ull;
    return h;
}

struct dict *
dict_new(void)
{
    struct dict *d = xcalloc(1, sizeof *d);

    d->cap = 1024;
    d->slot = xcalloc(d->cap, sizeof *d->slot);
    return d;
}

/* The slot of w, or the empty slot where it would go. */
static char *
find(const struct dict *d, const char *w, size_t n)
{
    size_t mask = d->cap - 1;

    for (size_t i = hash_word(w, n) & mask;; i = (i + 1) & mask) {
        char *s = d->slot[i];
        if (!s[0] || (strncmp(s, w, n) == 0 && s[n] == '\0'))
            return s;
    }
}

static void
grow(struct dict *d)
{
    char (*old)[DICT_MAX_WORD + 1] = d->slot;
    size_t oldcap = d->cap;

    d->cap *= 2;
    d->slot = xcalloc(d->cap, sizeof *d->slot);
    for (size_t i = 0; i < oldcap; i++)
        if (old[i][0])
            strcpy(find(d, old[i], strlen(old[i])), old[i]);
    free(old);
}

int
dict_add(struct dict *d, const char *w, size_t n)
{
    char *s;

    if (n < DICT_MIN_WORD || n > DICT_MAX_WORD)
        return 0;
    for (size_t i = 0; i < n; i++)
        if (w[i] < 'a' || w[i] > 'z')
            return 0;
    if ((d->count + 1) * 2 > d->cap)
        grow(d);
    s = find(d, w, n);
    if (s[0])
        return 0;
    memcpy(s, w, n);
    s[n] = '\0';
    d->count++;
    return 1;
}

size_t
dict_size(const struct dict *d)
{
    return d->count;
}

static int
known(const struct dict *d, const char *w, size_t n)
{
    return find(d, w, n)[0] != '\0';
}

/* Best split of each prefix: characters covered, then fewest words. */
struct best {
    int covered;
    int words;
    int from;           /* start of the last word, or -1 */
    int prev;           /* prefix this one extends */
};

static int
better(int covered, int words, const struct best *b)
{
    return covered > b->covered ||
           (covered == b->covered && words < b->words);
}

void
dict_cover(const struct dict *d, const char *s, size_t n,
           struct dict_cover *out)
{
    char low[256];
    struct best b[257];

    memset(out, 0, sizeof *out);
    if (n == 0)
        return;
    if (n > sizeof low)
        n = sizeof low;         /* a DNS label is at most 63 bytes */
    for (size_t i = 0; i < n; i++)
        low[i] = (char)(s[i] >= 'A' && s[i] <= 'Z' ? s[i] + 32 : s[i]);
    b[0] = (struct best){ 0, 0, -1, -1 };
    for (size_t i = 1; i <= n; i++) {
        b[i] = (struct best){ b[i - 1].covered, b[i - 1].words, -1,
                              (int)i - 1 };
        for (size_t len = DICT_MIN_WORD; len <= DICT_MAX_WORD && len <= i;
             len++) {
            size_t j = i - len;
            int cov = b[j].covered + (int)len, words = b[j].words + 1;
            if (better(cov, words, &b[i]) && known(d, low + j, len))
                b[i] = (struct best){ cov, words, (int)j, (int)j };
        }
    }
    out->covered = (double)b[n].covered / (double)n;
    out->words = b[n].words;
    for (int i = (int)n; i > 0; i = b[i].prev)
        if (b[i].from >= 0 && i - b[i].from > out->longest)
            out->longest = i - b[i].from;
    out->mean_len = out->words ? (double)b[n].covered / out->words : 0.0;
}

void
dict_each(const struct dict *d, void (*fn)(void *arg, const char *w),
          void *arg)
{
    for (size_t i = 0; i < d->cap; i++)
        if (d->slot[i][0])
            fn(arg, d->slot[i]);
}

void
dict_free(struct dict *d)
{
    if (!d)
        return;
    free(d->slot);
    free(d);
}
