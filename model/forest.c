/* SPDX-License-Identifier: MIT
 *
 * Random Forest training and prediction (see forest.h).
 *
 * Each tree grows from a bootstrap sample by recursive splitting. At a
 * node, mtry features are drawn without replacement; for each, the
 * node's samples are sorted by that feature and every boundary between
 * distinct values is tried, keeping the split with the lowest weighted
 * Gini impurity. A node becomes a leaf when it is pure, at max_depth, or
 * when no split leaves min_leaf samples on each side.
 */
#include "model/forest.h"

#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "core/util.h"
#include "model/rng.h"

/* What one tree's growth needs. */
struct grow {
    const float   *X;
    const uint8_t *y;
    int            d;
    const struct rf_params *p;
    int            mtry;
    struct rng     rng;
    size_t        *idx;       /* the bootstrap sample, reordered in place */
    float         *keys;      /* scratch: feature values for sorting */
    int           *feats;     /* scratch: feature draw */
    struct rf_tree *tree;
};

/* A candidate split. */
struct split {
    int    feature;
    float  threshold;
    double impurity;          /* weighted Gini of the two sides */
    size_t n_left;
};

static int32_t
new_node(struct rf_tree *t)
{
    if (t->n == t->cap) {
        t->cap = t->cap ? t->cap * 2 : 64;
        t->nodes = xrealloc(t->nodes, (size_t)t->cap * sizeof *t->nodes);
    }
    memset(&t->nodes[t->n], 0, sizeof t->nodes[0]);
    t->nodes[t->n].feature = -1;
    return t->n++;
}

static double
gini(size_t ones, size_t n)
{
    double p = (double)ones / (double)n;

    return 2.0 * p * (1.0 - p);
}

/* qsort_r order of sample indexes by their key (the feature value). */
static int
by_key(const void *a, const void *b, void *keys)
{
    const float *k = keys;
    float x = k[*(const size_t *)a], y = k[*(const size_t *)b];

    return (x > y) - (x < y);
}

/* Best split of idx[0..n) on feature f; impurity stays when none. */
static void
try_feature(struct grow *g, size_t *idx, size_t n, size_t ones, int f,
            struct split *best)
{
    size_t left_ones = 0, min_leaf = (size_t)g->p->min_leaf;

    for (size_t i = 0; i < n; i++)
        g->keys[idx[i]] = g->X[idx[i] * (size_t)g->d + (size_t)f];
    qsort_r(idx, n, sizeof *idx, by_key, g->keys);
    for (size_t i = 1; i < n; i++) {
        left_ones += g->y[idx[i - 1]];
        float a = g->keys[idx[i - 1]], b = g->keys[idx[i]];
        if (a == b || i < min_leaf || n - i < min_leaf)
            continue;
        double imp = ((double)i * gini(left_ones, i) +
                      (double)(n - i) * gini(ones - left_ones, n - i)) /
                     (double)n;
        if (imp < best->impurity) {
            best->impurity = imp;
            best->feature = f;
            best->threshold = a + (b - a) / 2.0f;
            if (!(best->threshold > a))     /* a and b one ulp apart */
                best->threshold = b;
            best->n_left = i;
        }
    }
}

/* Draw mtry distinct features (partial Fisher-Yates). */
static void
draw_features(struct grow *g)
{
    for (int i = 0; i < g->d; i++)
        g->feats[i] = i;
    for (int i = 0; i < g->mtry; i++) {
        int j = i + (int)rng_below(&g->rng, (uint64_t)(g->d - i));
        int t = g->feats[i];
        g->feats[i] = g->feats[j];
        g->feats[j] = t;
    }
}

/* Put the samples going left first; returns how many go left. */
static size_t
partition(struct grow *g, size_t *idx, size_t n, const struct split *s)
{
    size_t l = 0;

    for (size_t i = 0; i < n; i++) {
        float v = g->X[idx[i] * (size_t)g->d + (size_t)s->feature];
        if (v < s->threshold) {
            size_t t = idx[l];
            idx[l++] = idx[i];
            idx[i] = t;
        }
    }
    return l;
}

static int32_t
grow_node(struct grow *g, size_t *idx, size_t n, int depth)
{
    int32_t me = new_node(g->tree);
    size_t ones = 0;
    struct split best = { -1, 0.0f, 0.0, 0 };

    for (size_t i = 0; i < n; i++)
        ones += g->y[idx[i]];
    g->tree->nodes[me].value = (float)((double)ones / (double)n);
    if (ones == 0 || ones == n || depth >= g->p->max_depth ||
        n < 2 * (size_t)g->p->min_leaf)
        return me;
    best.impurity = gini(ones, n) - 1e-12;  /* a split must improve */
    draw_features(g);
    for (int k = 0; k < g->mtry; k++)
        try_feature(g, idx, n, ones, g->feats[k], &best);
    if (best.feature < 0)
        return me;
    size_t nl = partition(g, idx, n, &best);
    int32_t left = grow_node(g, idx, nl, depth + 1);
    int32_t right = grow_node(g, idx + nl, n - nl, depth + 1);
    struct rf_node *node = &g->tree->nodes[me];   /* nodes may have moved */
    node->feature = best.feature;
    node->threshold = best.threshold;
    node->left = left;
    node->right = right;
    return me;
}

/* One thread's share of the trees: t = first, first + step, ... */
struct crew {
    struct grow    g;
    struct forest *f;
    size_t         n;
    int            first, step;
};

static void *
grow_trees(void *arg)
{
    struct crew *c = arg;
    struct grow *g = &c->g;

    g->idx = xmalloc(c->n * sizeof *g->idx);
    g->keys = xmalloc(c->n * sizeof *g->keys);
    g->feats = xmalloc((size_t)g->d * sizeof *g->feats);
    for (int t = c->first; t < c->f->n_trees; t += c->step) {
        g->rng.s = g->p->seed + (uint64_t)t * 0x632be59bd9b4e019ull;
        for (size_t i = 0; i < c->n; i++)
            g->idx[i] = (size_t)rng_below(&g->rng, c->n);
        g->tree = &c->f->trees[t];
        grow_node(g, g->idx, c->n, 0);
    }
    free(g->idx);
    free(g->keys);
    free(g->feats);
    return NULL;
}

int
rf_train(struct forest *f, const float *X, const uint8_t *y, size_t n,
         int d, const struct rf_params *p)
{
    int threads = p->threads > 1 ? p->threads : 1;
    struct crew *crew;
    pthread_t *tid;

    memset(f, 0, sizeof *f);
    if (n == 0 || d <= 0 || p->trees < 1 || p->max_depth < 1 ||
        p->min_leaf < 1 || p->mtry < 0 || p->mtry > d)
        return -1;
    if (threads > p->trees)
        threads = p->trees;
    f->n_features = d;
    f->n_trees = p->trees;
    f->trees = xcalloc((size_t)p->trees, sizeof *f->trees);
    crew = xcalloc((size_t)threads, sizeof *crew);
    tid = xcalloc((size_t)threads, sizeof *tid);
    for (int k = 0; k < threads; k++) {
        crew[k].g = (struct grow){ .X = X, .y = y, .d = d, .p = p };
        crew[k].g.mtry = p->mtry ? p->mtry : (int)ceil(sqrt((double)d));
        crew[k].f = f;
        crew[k].n = n;
        crew[k].first = k;
        crew[k].step = threads;
        if (k > 0 && pthread_create(&tid[k], NULL, grow_trees, &crew[k]))
            crew[k].step = 0;               /* could not start: do below */
    }
    grow_trees(&crew[0]);
    for (int k = 1; k < threads; k++) {
        if (crew[k].step)
            pthread_join(tid[k], NULL);
        else {
            crew[k].step = threads;
            grow_trees(&crew[k]);
        }
    }
    free(crew);
    free(tid);
    return 0;
}

double
rf_predict(const struct forest *f, const float *x)
{
    double sum = 0.0;

    for (int t = 0; t < f->n_trees; t++) {
        const struct rf_node *nodes = f->trees[t].nodes;
        int32_t i = 0;
        while (nodes[i].feature >= 0)
            i = x[nodes[i].feature] < nodes[i].threshold ? nodes[i].left
                                                         : nodes[i].right;
        sum += nodes[i].value;
    }
    return f->n_trees ? sum / f->n_trees : 0.0;
}

void
rf_contributions(const struct forest *f, const float *x, double *bias,
                 double *contrib)
{
    double root = 0.0;

    for (int j = 0; j < f->n_features; j++)
        contrib[j] = 0.0;
    for (int t = 0; t < f->n_trees; t++) {
        const struct rf_node *nodes = f->trees[t].nodes;
        int32_t i = 0;
        root += nodes[0].value;
        while (nodes[i].feature >= 0) {
            int32_t next = x[nodes[i].feature] < nodes[i].threshold
                               ? nodes[i].left : nodes[i].right;
            contrib[nodes[i].feature] +=
                (double)nodes[next].value - (double)nodes[i].value;
            i = next;
        }
    }
    *bias = f->n_trees ? root / f->n_trees : 0.0;
    for (int j = 0; j < f->n_features && f->n_trees; j++)
        contrib[j] /= f->n_trees;
}

void
rf_free(struct forest *f)
{
    for (int t = 0; t < f->n_trees; t++)
        free(f->trees[t].nodes);
    free(f->trees);
    memset(f, 0, sizeof *f);
}

/*
 * Levels of tree tr (1 for a lone leaf). Children come after their
 * parent, so one pass from the last node back sees both children of a
 * node before the node.
 */
static uint32_t
levels(const struct rf_tree *tr)
{
    uint32_t *lv = xmalloc((size_t)tr->n * sizeof *lv), top;

    for (int32_t i = tr->n - 1; i >= 0; i--) {
        const struct rf_node *x = &tr->nodes[i];
        uint32_t l, r;
        if (x->feature < 0) {
            lv[i] = 1;
            continue;
        }
        l = lv[x->left];
        r = lv[x->right];
        lv[i] = 1 + (l > r ? l : r);
    }
    top = lv[0];
    free(lv);
    return top;
}

int
rf_compile(const struct forest *f, struct rf_flat *out)
{
    size_t total = 0, at = 0;

    memset(out, 0, sizeof *out);
    for (int t = 0; t < f->n_trees; t++)
        total += (size_t)f->trees[t].n;
    if (total >= (1u << 24) || f->n_features > 255 || f->n_trees < 1)
        return -1;
    out->nodes = xmalloc(total * sizeof *out->nodes);
    out->value = xmalloc(total * sizeof *out->value);
    out->roots = xmalloc((size_t)f->n_trees * sizeof *out->roots);
    out->depth = xmalloc((size_t)f->n_trees * sizeof *out->depth);
    for (int t = 0; t < f->n_trees; t++) {
        const struct rf_tree *tr = &f->trees[t];
        out->roots[t] = (uint32_t)at;
        out->depth[t] = levels(tr);
        for (int32_t i = 0; i < tr->n; i++) {
            const struct rf_node *x = &tr->nodes[i];
            struct rf_fnode *y = &out->nodes[at + (size_t)i];
            out->value[at + (size_t)i] = x->value;
            if (x->feature < 0) {
                y->t = -INFINITY;
                y->m = (uint32_t)(at + (size_t)i);
                continue;
            }
            if (x->left != i + 1) {
                rf_flat_free(out);
                return -1;
            }
            y->t = x->threshold;
            y->m = (uint32_t)x->feature << 24 |
                   (uint32_t)(at + (size_t)x->right);
        }
        at += (size_t)tr->n;
    }
    out->n_trees = f->n_trees;
    out->n_features = f->n_features;
    return 0;
}

#define BATCH 16

/* Samples scored together: each tree is walked for all of them in turn,
 * so its nodes are read from memory once per block rather than once per
 * BATCH samples (the forest is larger than the processor's caches). */
#define BLOCK (BATCH * 16)

/*
 * Walk up to BATCH samples down one tree together, one level a step;
 * X holds the samples feature by feature (X[f * BATCH + b]). Stops early
 * when every sample has reached its leaf.
 */
static void
walk(const struct rf_flat *fl, int t, const float *X, size_t n,
     double *sum)
{
    uint32_t at[BATCH];

    for (size_t b = 0; b < n; b++)
        at[b] = fl->roots[t];
    for (uint32_t level = 1; level < fl->depth[t]; level++) {
        uint32_t moved = 0;
        for (size_t b = 0; b < n; b++) {
            struct rf_fnode x = fl->nodes[at[b]];
            uint32_t left = at[b] + 1, right = x.m & 0xffffffu;
            uint32_t go_left = -(uint32_t)(X[(x.m >> 24) * BATCH + b] < x.t);
            uint32_t next = (left & go_left) | (right & ~go_left);
            moved |= next ^ at[b];
            at[b] = next;
        }
        if (!moved)
            break;
    }
    for (size_t b = 0; b < n; b++)
        sum[b] += fl->value[at[b]];
}

/*
 * The top three levels of sixteen trees, a lane each, in heap order (a
 * node's children at 2h + 1 and 2h + 2; a leaf's children are itself),
 * and the nodes of the fourth level: a walk takes its first three steps
 * from here with loads and blends instead of gathers.
 */
struct top16 {
    float    t[7][16];
    uint32_t m[7][16];
    uint32_t at[8][16];
};

/* The top of the sixteen trees from t (lanes past the last: tree t). */
static void
top16_fill(const struct rf_flat *fl, int t, struct top16 *tp)
{
    for (int k = 0; k < 16; k++) {
        uint32_t h[15];
        h[0] = fl->roots[t + k < fl->n_trees ? t + k : t];
        for (int i = 0; i < 7; i++) {
            struct rf_fnode x = fl->nodes[h[i]];
            uint32_t right = x.m & 0xffffffu;
            int leaf = right == h[i];
            h[2 * i + 1] = leaf ? h[i] : h[i] + 1;
            h[2 * i + 2] = right;
            tp->t[i][k] = x.t;
            tp->m[i][k] = x.m;
        }
        for (int i = 0; i < 8; i++)
            tp->at[i][k] = h[7 + i];
    }
}

#if defined(__x86_64__) && defined(__GNUC__)
#include <immintrin.h>

/* One level down for eight lanes (samples lane, features at
 * X[f * BATCH + lane]) from the nodes at: the next nodes. */
__attribute__((target("avx2"))) static inline __m256i
step_avx2(const int *nodes, const float *X, __m256i at, __m256i lane)
{
    const __m256i low24 = _mm256_set1_epi32(0xffffff);
    const __m256i one = _mm256_set1_epi32(1);
    __m256i two = _mm256_add_epi32(at, at);
    __m256 th = _mm256_castsi256_ps(_mm256_i32gather_epi32(nodes, two, 4));
    __m256i m = _mm256_i32gather_epi32(nodes, _mm256_add_epi32(two, one), 4);
    __m256i fi = _mm256_add_epi32(
        _mm256_slli_epi32(_mm256_srli_epi32(m, 24), 4), lane);
    __m256 x = _mm256_i32gather_ps(X, fi, 4);
    __m256 left = _mm256_cmp_ps(x, th, _CMP_LT_OQ);

    return _mm256_blendv_epi8(_mm256_and_si256(m, low24),
                              _mm256_add_epi32(at, one),
                              _mm256_castps_si256(left));
}

/* Add the leaf values at v (eight lanes) to s[0..7]. */
__attribute__((target("avx2"))) static inline void
add_avx2(double *s, __m256 v)
{
    _mm256_storeu_pd(s, _mm256_add_pd(_mm256_loadu_pd(s),
                     _mm256_cvtps_pd(_mm256_castps256_ps128(v))));
    _mm256_storeu_pd(s + 4, _mm256_add_pd(_mm256_loadu_pd(s + 4),
                     _mm256_cvtps_pd(_mm256_extractf128_ps(v, 1))));
}

/*
 * walk() for all BATCH samples with AVX2 down trees t to t + 3 (fewer at
 * the end), as eight chains of eight lanes whose memory reads overlap (a
 * leaf keeps its place while a deeper tree goes on): per level, the
 * lanes' nodes and feature values are gathered, compared and the next
 * nodes blended, as walk() does one sample at a time. The sums come out
 * the same, tree after tree, to the last bit.
 */
__attribute__((target("avx2"))) static void
walk_avx2(const struct rf_flat *fl, int t, const float *X, double *sum)
{
    enum { TREES = 4 };
    const int *nodes = (const int *)(const void *)fl->nodes;
    const __m256i lo = _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7);
    const __m256i hi = _mm256_add_epi32(lo, _mm256_set1_epi32(8));
    int n = fl->n_trees - t < TREES ? fl->n_trees - t : TREES;
    uint32_t depth = 0;
    __m256i a[TREES], b[TREES];

    for (int k = 0; k < TREES; k++) {
        int u = t + (k < n ? k : 0);        /* past the last: again t */
        a[k] = b[k] = _mm256_set1_epi32((int)fl->roots[u]);
        if (fl->depth[u] > depth)
            depth = fl->depth[u];
    }
    for (uint32_t level = 1; level < depth; level++) {
        __m256i moved = _mm256_setzero_si256();
        for (int k = 0; k < TREES; k++) {   /* eight chains at once */
            __m256i na = step_avx2(nodes, X, a[k], lo);
            __m256i nb = step_avx2(nodes, X, b[k], hi);
            __m256i ma = _mm256_xor_si256(na, a[k]);
            __m256i mb = _mm256_xor_si256(nb, b[k]);
            moved = _mm256_or_si256(moved, _mm256_or_si256(ma, mb));
            a[k] = na;
            b[k] = nb;
        }
        if (_mm256_testz_si256(moved, moved))
            break;                          /* every lane at its leaf */
    }
    for (int k = 0; k < n; k++) {
        add_avx2(sum, _mm256_i32gather_ps(fl->value, a[k], 4));
        add_avx2(sum + 8, _mm256_i32gather_ps(fl->value, b[k], 4));
    }
}

/* The lanes whose sample (in lo and hi) goes right at the nodes th, m. */
__attribute__((target("avx512f"))) static inline __mmask16
right_avx512(__m512 lo, __m512 hi, __m512 th, __m512i m)
{
    __m512 xv = _mm512_permutex2var_ps(lo, _mm512_srli_epi32(m, 24), hi);
    return _mm512_cmp_ps_mask(xv, th, _CMP_NLT_UQ);     /* not x < t */
}

/* Per lane, one of a, b, c, d: the lane's bits of hi and lo, as a
 * two-bit number, choose (0 picks a). */
__attribute__((target("avx512f"))) static inline __m512i
pick4(__mmask16 hi, __mmask16 lo, __m512i a, __m512i b, __m512i c,
      __m512i d)
{
    return _mm512_mask_blend_epi32(hi, _mm512_mask_blend_epi32(lo, a, b),
                                   _mm512_mask_blend_epi32(lo, c, d));
}

/* The node of the fourth level each lane of tp reaches, for the sample
 * in lo and hi: three steps, each choosing among the next level's nodes
 * by the turns taken so far. */
__attribute__((target("avx512f"))) static inline __m512i
top_avx512(const struct top16 *tp, __m512 lo, __m512 hi)
{
#define T(i) _mm512_loadu_si512(tp->t[i])       /* thresholds, as bits */
#define M(i) _mm512_loadu_si512(tp->m[i])
#define A(i) _mm512_loadu_si512(tp->at[i])
    __mmask16 r0 = right_avx512(lo, hi, _mm512_castsi512_ps(T(0)), M(0));
    __mmask16 r1 = right_avx512(
        lo, hi, _mm512_castsi512_ps(_mm512_mask_blend_epi32(r0, T(1), T(2))),
        _mm512_mask_blend_epi32(r0, M(1), M(2)));
    __mmask16 r2 = right_avx512(
        lo, hi, _mm512_castsi512_ps(pick4(r0, r1, T(3), T(4), T(5), T(6))),
        pick4(r0, r1, M(3), M(4), M(5), M(6)));
    __m512i a0 = pick4(r1, r2, A(0), A(1), A(2), A(3));
    __m512i a1 = pick4(r1, r2, A(4), A(5), A(6), A(7));
#undef T
#undef M
#undef A
    return _mm512_mask_blend_epi32(r0, a0, a1);
}

/*
 * Samples x[0..3] (32 features each, zeros past the forest's) down the
 * sixteen trees from t (fewer at the end) with AVX-512: a lane is a
 * tree, so its feature value is picked from the sample's two registers
 * by a permute, and only the node takes a gather (the first three steps
 * take none: tp holds the top of these trees). The four samples walk at
 * once, so their reads overlap. Tree t + k's leaf value for sample s
 * goes to leaf[s * stride + k].
 */
__attribute__((target("avx512f"))) static void
walk_avx512(const struct rf_flat *fl, int t, const struct top16 *tp,
            const float *x, float *leaf, size_t stride)
{
    enum { SAMPLES = 4 };
    const int *nodes = (const int *)(const void *)fl->nodes;
    const __m512i one = _mm512_set1_epi32(1);
    const __m512i low24 = _mm512_set1_epi32(0xffffff);
    const __m512i even = _mm512_setr_epi32(0, 2, 4, 6, 8, 10, 12, 14, 16,
                                           18, 20, 22, 24, 26, 28, 30);
    const __m512i odd = _mm512_add_epi32(even, one);
    int n = fl->n_trees - t < 16 ? fl->n_trees - t : 16;
    __mmask16 live = (__mmask16)((1u << n) - 1);
    __m512 lo[SAMPLES], hi[SAMPLES];
    __m512i at[SAMPLES];
    __mmask16 go[SAMPLES];
    uint32_t depth = 0;

    for (int k = 0; k < n; k++)
        if (fl->depth[t + k] > depth)
            depth = fl->depth[t + k];
    for (int s = 0; s < SAMPLES; s++) {
        lo[s] = _mm512_loadu_ps(x + 32 * s);
        hi[s] = _mm512_loadu_ps(x + 32 * s + 16);
        at[s] = top_avx512(tp, lo[s], hi[s]);
    }
    for (int s = 0; s < SAMPLES; s++)
        go[s] = 0xffff;
    for (uint32_t level = 4; level < depth; level++) {
        __mmask16 moved = 0;
        for (int s = 0; s < SAMPLES; s++) {
            /* a node is 8 bytes: threshold and link, gathered together;
             * only for the lanes that moved last time (a lane that
             * stayed is at its leaf for good) */
            __m512i g0 = _mm512_mask_i32gather_epi64(
                _mm512_setzero_si512(), (__mmask8)go[s],
                _mm512_castsi512_si256(at[s]), nodes, 8);
            __m512i g1 = _mm512_mask_i32gather_epi64(
                _mm512_setzero_si512(), (__mmask8)(go[s] >> 8),
                _mm512_extracti64x4_epi64(at[s], 1), nodes, 8);
            __m512 th = _mm512_castsi512_ps(
                _mm512_permutex2var_epi32(g0, even, g1));
            __m512i m = _mm512_permutex2var_epi32(g0, odd, g1);
            __m512 xv = _mm512_permutex2var_ps(
                lo[s], _mm512_srli_epi32(m, 24), hi[s]);
            __mmask16 left = _mm512_cmp_ps_mask(xv, th, _CMP_LT_OQ);
            __m512i next = _mm512_mask_blend_epi32(
                left, _mm512_and_si512(m, low24),
                _mm512_add_epi32(at[s], one));
            next = _mm512_mask_blend_epi32(go[s], at[s], next);
            go[s] = _mm512_cmpneq_epi32_mask(next, at[s]);
            moved |= go[s];
            at[s] = next;
        }
        if (!moved)
            break;                          /* every lane at its leaf */
    }
    for (int s = 0; s < SAMPLES; s++)
        _mm512_mask_storeu_ps(leaf + (size_t)s * stride, live,
                              _mm512_i32gather_ps(at[s], fl->value, 4));
}

/* The walk in use: 2 AVX-512, 1 AVX2, 0 portable (at most this). */
static int simd_wanted = 2;

/* The widest walk this processor runs, up to simd_wanted. */
static int
simd_level(void)
{
    static int known = -1;

    if (known < 0)
        known = __builtin_cpu_supports("avx512f") ? 2
              : __builtin_cpu_supports("avx2") ? 1 : 0;
    return known < simd_wanted ? known : simd_wanted;
}

int
rf_flat_use_simd(int level)
{
    simd_wanted = level;
    return simd_level();
}
#else
#define simd_level() 0
#define walk_avx2(fl, t, X, sum) ((void)0)
#define walk_avx512(fl, t, tp, x, leaf, stride) ((void)0)

int
rf_flat_use_simd(int level)
{
    (void)level;
    return 0;
}
#endif

/* rf_flat_predict() by walk_avx512(), BLOCK samples at a time, each
 * sixteen trees walked for all of them in turn (their nodes stay in the
 * cache): the sum over the trees in their order, as every walk adds. */
static void
predict_avx512(const struct rf_flat *fl, const float *X, size_t n,
               double *out)
{
    size_t d = (size_t)fl->n_features, trees = (size_t)fl->n_trees;
    /* rows for a block, or for n rounded up to the four walked at once */
    size_t rows = n < BLOCK ? (n + 3) / 4 * 4 : BLOCK;
    float *x = xcalloc(rows * 32, sizeof *x);   /* rows past n: zeros */
    float *leaf = xmalloc(rows * (trees + 16) * sizeof *leaf);
    struct top16 *tp = xmalloc((trees / 16 + 1) * sizeof *tp);

    for (int t = 0; t < fl->n_trees; t += 16)
        top16_fill(fl, t, &tp[t / 16]);

    for (size_t start = 0; start < n; start += BLOCK) {
        size_t m = n - start < BLOCK ? n - start : BLOCK;
        for (size_t i = 0; i < m; i++)
            memcpy(x + 32 * i, X + (start + i) * d, d * sizeof *x);
        for (int t = 0; t < fl->n_trees; t += 16)
            for (size_t i = 0; i < m; i += 4)
                walk_avx512(fl, t, &tp[t / 16], x + 32 * i,
                            leaf + i * trees + t, trees);
        for (size_t i = 0; i < m; i += 4) {     /* four sums at a time */
            double sum[4] = { 0.0, 0.0, 0.0, 0.0 };
            for (size_t k = 0; k < trees; k++)
                for (size_t j = 0; j < 4; j++)
                    sum[j] += leaf[(i + j) * trees + k];
            for (size_t j = 0; j < 4 && i + j < m; j++)
                out[start + i + j] = trees ? sum[j] / (double)trees : 0.0;
        }
    }
    free(tp);
    free(leaf);
    free(x);
}

void
rf_flat_predict(const struct rf_flat *fl, const float *X, size_t n,
                double *out)
{
    size_t d = (size_t)fl->n_features, step = d * BATCH;
    float *T;
    double *sum;
    int wide = simd_level() >= 1 && BATCH == 16;

    if (simd_level() == 2 && d <= 32) {
        predict_avx512(fl, X, n, out);
        return;
    }
    T = xcalloc(d * BLOCK, sizeof *T);          /* lanes past n: zeros */
    sum = xmalloc(BLOCK * sizeof *sum);
    for (size_t start = 0; start < n; start += BLOCK) {
        size_t m = n - start < BLOCK ? n - start : BLOCK;
        size_t subs = (m + BATCH - 1) / BATCH;
        memset(sum, 0, BLOCK * sizeof *sum);
        for (size_t b = 0; b < m; b++)          /* feature by feature */
            for (size_t f = 0; f < d; f++)
                T[b / BATCH * step + f * BATCH + b % BATCH] =
                    X[(start + b) * d + f];
        for (int t = 0; t < fl->n_trees; t += wide ? 4 : 1)
            for (size_t s = 0; s < subs; s++) {
                size_t k = m - s * BATCH < BATCH ? m - s * BATCH : BATCH;
                if (wide)               /* trees t to t + 3 */
                    walk_avx2(fl, t, T + s * step, sum + s * BATCH);
                else
                    walk(fl, t, T + s * step, k, sum + s * BATCH);
            }
        for (size_t b = 0; b < m; b++)
            out[start + b] = fl->n_trees ? sum[b] / fl->n_trees : 0.0;
    }
    free(sum);
    free(T);
}

void
rf_flat_free(struct rf_flat *fl)
{
    free(fl->nodes);
    free(fl->value);
    free(fl->roots);
    free(fl->depth);
    memset(fl, 0, sizeof *fl);
}
