/* SPDX-License-Identifier: MIT
 *
 * Dictionary coverage (see dict.h). Words are gathered in an
 * open-addressing hash set. Freezing lays them out as a trie in
 * breadth-first order: each node is a 26-bit child mask plus kind bits
 * and the index of its first child, and the children of a node sit next
 * to each other, so the child for letter c is first + the number of
 * mask bits below c. A split walks the trie once from every start
 * position, then a dynamic programme over positions picks the best split.
 */
#include "model/dict.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/util.h"

#define KIND_SHIFT 26

/* dict_scan() starts its walks two letters in. */
_Static_assert(DICT_MIN_WORD >= 3, "a word of two letters would be missed");

struct slot {
    char          w[DICT_MAX_WORD + 1];   /* "" marks an empty slot */
    unsigned char kinds;
};

struct dict {
    struct slot *slot;
    size_t       cap;         /* power of two */
    size_t       count;
    uint32_t    *node;        /* trie when frozen: child mask | kinds */
    uint32_t    *first;       /* index of each node's first child */
    size_t       nodes;
    uint32_t     two[26 * 26]; /* node of each two-letter prefix, or 0 */
};

struct dict *
dict_new(void)
{
    struct dict *d = xcalloc(1, sizeof *d);

    d->cap = 1024;
    d->slot = xcalloc(d->cap, sizeof *d->slot);
    return d;
}

/* The slot of w, or the empty slot where it would go. */
static struct slot *
find(const struct dict *d, const char *w, size_t n)
{
    size_t mask = d->cap - 1;

    for (size_t i = fnv1a(w, n) & mask;; i = (i + 1) & mask) {
        struct slot *s = &d->slot[i];
        if (!s->w[0] || (strncmp(s->w, w, n) == 0 && s->w[n] == '\0'))
            return s;
    }
}

/* Move the words to a set of cap slots. */
static void
resize(struct dict *d, size_t cap)
{
    struct slot *old = d->slot;
    size_t oldcap = d->cap;

    d->cap = cap;
    d->slot = xcalloc(d->cap, sizeof *d->slot);
    for (size_t i = 0; i < oldcap; i++)
        if (old[i].w[0])
            *find(d, old[i].w, strlen(old[i].w)) = old[i];
    free(old);
}

void
dict_reserve(struct dict *d, size_t n)
{
    size_t cap = d->cap;

    while ((n + 1) * 2 > cap)
        cap *= 2;
    if (cap != d->cap)
        resize(d, cap);
}

static void
thaw(struct dict *d)
{
    free(d->node);
    free(d->first);
    d->node = d->first = NULL;
    d->nodes = 0;
}

int
dict_add(struct dict *d, const char *w, size_t n, unsigned kinds)
{
    struct slot *s;

    if (n < DICT_MIN_WORD || n > DICT_MAX_WORD)
        return 0;
    for (size_t i = 0; i < n; i++)
        if (w[i] < 'a' || w[i] > 'z')
            return 0;
    thaw(d);
    if ((d->count + 1) * 2 > d->cap)
        resize(d, d->cap * 2);
    s = find(d, w, n);
    s->kinds |= (unsigned char)kinds;
    if (s->w[0])
        return 0;
    memcpy(s->w, w, n);
    s->w[n] = '\0';
    d->count++;
    return 1;
}

unsigned
dict_kinds(const struct dict *d, const char *w, size_t n)
{
    if (n < DICT_MIN_WORD || n > DICT_MAX_WORD)
        return 0;
    return find(d, w, n)->kinds;
}

size_t
dict_size(const struct dict *d)
{
    return d->count;
}

static int
by_word(const void *a, const void *b)
{
    const struct slot *x = *(const struct slot *const *)a;
    const struct slot *y = *(const struct slot *const *)b;

    return strcmp(x->w, y->w);
}

/* The words in byte order; free the array, not the slots. */
static const struct slot **
sorted(const struct dict *d)
{
    const struct slot **v = xmalloc((d->count + 1) * sizeof *v);
    size_t k = 0;

    for (size_t i = 0; i < d->cap; i++)
        if (d->slot[i].w[0])
            v[k++] = &d->slot[i];
    qsort(v, k, sizeof *v, by_word);
    return v;
}

/* Bits set in x, without needing the popcnt instruction. */
static inline uint32_t
bits(uint32_t x)
{
    x = x - ((x >> 1) & 0x55555555u);
    x = (x & 0x33333333u) + ((x >> 2) & 0x33333333u);
    return (((x + (x >> 4)) & 0x0f0f0f0fu) * 0x01010101u) >> 24;
}

/* The child of node for letter c (0 to 25), or 0 when it has none (the
 * root is no one's child). */
static uint32_t
child(const struct dict *d, uint32_t node, unsigned c)
{
    uint32_t m = d->node[node];

    return m & (1u << c) ? d->first[node] + bits(m & ((1u << c) - 1)) : 0;
}

/*
 * Breadth-first layout. Node i covers the sorted words lo[i]..hi[i] that
 * share its prefix of depth dep[i]; the node array doubles as the queue.
 */
static void
build(struct dict *d, const struct slot **w)
{
    size_t cap = 1, *lo, *hi;
    unsigned char *dep;

    for (size_t i = 0; i < d->count; i++)
        cap += strlen(w[i]->w);
    d->node = xcalloc(cap, sizeof *d->node);
    d->first = xcalloc(cap, sizeof *d->first);
    lo = xmalloc(cap * sizeof *lo);
    hi = xmalloc(cap * sizeof *hi);
    dep = xmalloc(cap);
    lo[0] = 0, hi[0] = d->count, dep[0] = 0, d->nodes = 1;
    for (size_t i = 0; i < d->nodes; i++) {
        size_t k = dep[i], j = lo[i];
        if (j < hi[i] && w[j]->w[k] == '\0')
            d->node[i] |= (uint32_t)w[j++]->kinds << KIND_SHIFT;
        d->first[i] = (uint32_t)d->nodes;
        while (j < hi[i]) {
            char c = w[j]->w[k];
            size_t e = j;
            while (e < hi[i] && w[e]->w[k] == c)
                e++;
            d->node[i] |= 1u << (c - 'a');
            lo[d->nodes] = j, hi[d->nodes] = e;
            dep[d->nodes++] = (unsigned char)(k + 1);
            j = e;
        }
    }
    free(lo);
    free(hi);
    free(dep);
    /* every walk starts with two letters: their node at once */
    for (unsigned a = 0; a < 26; a++) {
        uint32_t n = child(d, 0, a);
        for (unsigned b = 0; b < 26; b++)
            d->two[a * 26 + b] = n ? child(d, n, b) : 0;
    }
}

void
dict_freeze(struct dict *d)
{
    const struct slot **w;

    if (d->node)
        return;
    w = sorted(d);
    build(d, w);
    free(w);
}

void
dict_freeze_ordered(struct dict *d, const char *const *words, size_t n)
{
    const struct slot **w;

    if (d->node)
        return;
    if (n != d->count) {
        dict_freeze(d);
        return;
    }
    w = xmalloc((n + 1) * sizeof *w);
    for (size_t i = 0; i < n; i++) {
        w[i] = find(d, words[i], strlen(words[i]));
        if (!w[i]->w[0] || (i && strcmp(words[i - 1], words[i]) >= 0)) {
            free(w);                    /* not the set's words in order */
            dict_freeze(d);
            return;
        }
    }
    build(d, w);
    free(w);
}


/* The slow scan, through the hash set, before the trie is built. */
static void
hash_scan(const struct dict *d, struct dict_scan *out)
{
    for (size_t j = 0; j < out->n; j++) {
        size_t max = out->n - j < DICT_MAX_WORD ? out->n - j : DICT_MAX_WORD;
        out->ends[0][j] = out->ends[1][j] = out->ends[2][j] = 0;
        for (size_t len = DICT_MIN_WORD; len <= max; len++) {
            unsigned k = dict_kinds(d, out->low + j, len);
            out->ends[0][j] |= (k & DICT_WORD ? 1u : 0u) << len;
            out->ends[1][j] |= (k & DICT_DGA ? 1u : 0u) << len;
            out->ends[2][j] |= (k & DICT_GRAM ? 1u : 0u) << len;
        }
    }
}

static int
kind_index(unsigned kind)
{
    return kind == DICT_WORD ? 0 : kind == DICT_DGA ? 1 : 2;
}

void
dict_scan(const struct dict *d, const char *s, size_t n,
          struct dict_scan *out)
{
    if (n > sizeof out->low)
        n = sizeof out->low;    /* a DNS label is at most 63 bytes */
    out->n = n;
    for (size_t i = 0; i < n; i++)
        out->low[i] = (char)(s[i] >= 'A' && s[i] <= 'Z' ? s[i] + 32 : s[i]);
    if (!d->node) {
        hash_scan(d, out);
        return;
    }
    for (size_t j = 0; j < n; j++) {
        size_t max = n - j < DICT_MAX_WORD ? n - j : DICT_MAX_WORD;
        uint32_t node = 0, e0 = 0, e1 = 0, e2 = 0;
        unsigned a = (unsigned char)out->low[j] - 'a';
        unsigned b = max > 1 ? (unsigned char)out->low[j + 1] - 'a' : 26;
        /* no word is shorter than DICT_MIN_WORD (3): start at the node
         * of the first two letters */
        if (max >= DICT_MIN_WORD && a < 26 && b < 26)
            node = d->two[a * 26 + b];
        for (size_t len = 3; node && len <= max; len++) {
            unsigned c = (unsigned char)out->low[j + len - 1] - 'a';
            if (c >= 26 || !(node = child(d, node, c)))
                break;
            uint32_t k = d->node[node] >> KIND_SHIFT;
            if (k) {
                e0 |= (k & DICT_WORD ? 1u : 0u) << len;
                e1 |= (k & DICT_DGA ? 1u : 0u) << len;
                e2 |= (k & DICT_GRAM ? 1u : 0u) << len;
            }
        }
        out->ends[0][j] = e0;
        out->ends[1][j] = e1;
        out->ends[2][j] = e2;
    }
}

/* Best split of each prefix: characters covered, then fewest words. */
struct best {
    int covered;
    int words;
    int from;           /* start of the last word, or -1 */
    int prev;           /* prefix this one extends */
};

static void
relax(struct best *b, int covered, int words, int from, int prev)
{
    if (covered > b->covered || (covered == b->covered && words < b->words))
        *b = (struct best){ covered, words, from, prev };
}

void
dict_cover_scan(const struct dict_scan *sc, unsigned kind,
                struct dict_cover *out)
{
    const uint32_t *ends = sc->ends[kind_index(kind)];
    size_t n = sc->n;
    struct best b[257];
    double sum = 0.0, sq = 0.0;

    uint32_t any = 0;

    memset(out, 0, sizeof *out);
    for (size_t j = 0; j < n; j++)
        any |= ends[j];
    if (!any)
        return;                 /* no word: nothing covered, all zero */
    for (size_t i = 0; i <= n; i++)
        b[i] = (struct best){ -1, 0, -1, -1 };
    b[0].covered = 0;
    for (size_t j = 0; j < n; j++) {
        relax(&b[j + 1], b[j].covered, b[j].words, -1, (int)j);
        for (uint32_t m = ends[j]; m; m &= m - 1) {
            int len = __builtin_ctz(m);
            relax(&b[j + (size_t)len], b[j].covered + len, b[j].words + 1,
                  (int)j, (int)j);
        }
    }
    out->covered = (double)b[n].covered / (double)n;
    out->words = b[n].words;
    for (int i = (int)n; i > 0; i = b[i].prev) {
        if (b[i].from < 0)
            continue;
        int len = i - b[i].from;
        if (len > out->longest)
            out->longest = len;
        sum += len;
        sq += (double)len * len;
    }
    if (out->words) {
        out->mean_len = sum / out->words;
        double var = sq / out->words - out->mean_len * out->mean_len;
        out->spread = var > 0.0 ? sqrt(var) : 0.0;
    }
}

void
dict_cover(const struct dict *d, unsigned kind, const char *s, size_t n,
           struct dict_cover *out)
{
    struct dict_scan sc;

    dict_scan(d, s, n, &sc);
    dict_cover_scan(&sc, kind, out);
}

double
dict_window_share_scan(const struct dict_scan *sc, unsigned kind,
                       size_t len)
{
    const uint32_t *ends = sc->ends[kind_index(kind)];
    size_t hits = 0;

    if (sc->n < len || len < DICT_MIN_WORD || len > DICT_MAX_WORD)
        return 0.0;
    for (size_t j = 0; j + len <= sc->n; j++)
        hits += (ends[j] >> len) & 1;
    return (double)hits / (double)(sc->n - len + 1);
}

double
dict_window_share(const struct dict *d, unsigned kind, const char *s,
                  size_t n, size_t len)
{
    struct dict_scan sc;

    dict_scan(d, s, n, &sc);
    return dict_window_share_scan(&sc, kind, len);
}

void
dict_each(const struct dict *d,
          void (*fn)(void *arg, const char *w, unsigned kinds), void *arg)
{
    const struct slot **w = sorted(d);

    for (size_t i = 0; i < d->count; i++)
        fn(arg, w[i]->w, w[i]->kinds);
    free(w);
}

void
dict_free(struct dict *d)
{
    if (!d)
        return;
    thaw(d);
    free(d->slot);
    free(d);
}
