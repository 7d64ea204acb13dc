/* SPDX-License-Identifier: MIT
 *
 * Model serialisation (see model_io.h). Writing appends to a buffer;
 * reading walks a cursor that refuses to step past the end, so a cut or
 * forged file gives an error, never an out-of-bounds read or a huge
 * allocation.
 */
#include "model/model_io.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#define TAG(a, b, c, d) ((uint32_t)(a) | (uint32_t)(b) << 8 | \
                         (uint32_t)(c) << 16 | (uint32_t)(d) << 24)
#define TAG_MARKOV TAG('M', 'R', 'K', 'V')
#define TAG_MARKOV_DGA TAG('M', 'R', 'K', 'D')
#define TAG_DICT   TAG('D', 'I', 'C', 'T')
#define TAG_FOREST TAG('F', 'R', 'S', 'T')
#define TAG_META   TAG('M', 'E', 'T', 'A')
#define TAG_TLDS   TAG('T', 'L', 'D', 'P')
#define TAG_FEAT   TAG('F', 'E', 'A', 'T')
#define TAG_SPLIT  TAG('S', 'P', 'L', 'T')
#define TAG_QUANT  TAG('B', 'D', 'S', 'T')
#define NODE_BYTES 6             /* the smallest node: a leaf */
#define LEAF_MARK  0xffffu
#define MAX_TREES  100000

/* --- Writing --- */

static void
put_u32(struct buf *b, uint32_t v)
{
    unsigned char x[4] = { (unsigned char)v, (unsigned char)(v >> 8),
                           (unsigned char)(v >> 16), (unsigned char)(v >> 24) };
    buf_add(b, x, 4);
}

static void
put_u64(struct buf *b, uint64_t v)
{
    put_u32(b, (uint32_t)v);
    put_u32(b, (uint32_t)(v >> 32));
}

static void
put_f32(struct buf *b, float f)
{
    uint32_t v;

    memcpy(&v, &f, 4);
    put_u32(b, v);
}

/* Write a section from the bytes of body. */
static void
put_section(struct buf *b, uint32_t tag, const struct buf *body)
{
    put_u32(b, tag);
    put_u64(b, body->len);
    buf_add(b, body->data, body->len);
}

static void
add_word(void *arg, const char *w, unsigned kinds)
{
    unsigned char k = (unsigned char)kinds;

    buf_add(arg, &k, 1);
    buf_add(arg, w, strlen(w) + 1);
}

static void
put_markov(struct buf *s, const struct markov *mk)
{
    const double *p = &mk->logp[0][0][0];

    for (size_t i = 0; i < MC_SYMBOLS * MC_SYMBOLS * MC_SYMBOLS; i++)
        put_f32(s, (float)p[i]);
}

static void
put_u16(struct buf *b, uint16_t v)
{
    unsigned char x[2] = { (unsigned char)v, (unsigned char)(v >> 8) };

    buf_add(b, x, 2);
}

static void
put_forest(struct buf *s, const struct forest *f)
{
    put_u32(s, (uint32_t)f->n_features);
    put_u32(s, (uint32_t)f->n_trees);
    for (int t = 0; t < f->n_trees; t++) {
        const struct rf_tree *tr = &f->trees[t];
        put_u32(s, (uint32_t)tr->n);
        for (int32_t i = 0; i < tr->n; i++) {
            const struct rf_node *x = &tr->nodes[i];
            if (x->feature < 0) {
                put_u16(s, LEAF_MARK);
                put_f32(s, x->value);
                continue;
            }
            put_u16(s, (uint16_t)x->feature);
            put_f32(s, x->threshold);
            put_f32(s, x->value);
            put_u32(s, (uint32_t)x->right);   /* left is the next node */
        }
    }
}

static void
put_tlds(struct buf *s, const struct model *m)
{
    put_u32(s, (uint32_t)m->n_tlds);
    for (size_t i = 0; i < m->n_tlds; i++) {
        unsigned char n = (unsigned char)strnlen(m->tlds[i].name, 63);
        buf_add(s, &n, 1);
        buf_add(s, m->tlds[i].name, n);
        put_f32(s, m->tlds[i].logodds);
    }
}

static void
put_split(struct buf *s, const struct model_split *p)
{
    put_u64(s, p->salt);
    put_u32(s, p->markov);
    put_u32(s, p->train);
    put_u32(s, p->valid);
    put_u32(s, p->dga_train);
    put_f32(s, p->thr3);
    put_f32(s, p->thr4);
}

void
model_write(const struct model *m, struct buf *out)
{
    struct buf s = { 0 };
    size_t start = out->len;
    int has_split = m->split.salt || m->split.markov || m->split.train;
    uint32_t sections = (m->markov != NULL) + (m->markov_dga != NULL) +
                        (m->dict != NULL) +
                        (m->forest.n_trees > 0) + (m->n_tlds > 0) +
                        (m->features != NULL) + has_split +
                        (m->q_points > 0) +
                        (m->meta != NULL);

    buf_add(out, "DNSHUNTM", 8);
    put_u32(out, MODEL_FORMAT);
    put_u32(out, sections);
    if (m->markov) {
        put_markov(&s, m->markov);
        put_section(out, TAG_MARKOV, &s);
    }
    if (m->markov_dga) {
        buf_reset(&s);
        put_markov(&s, m->markov_dga);
        put_section(out, TAG_MARKOV_DGA, &s);
    }
    if (m->dict) {
        buf_reset(&s);
        dict_each(m->dict, add_word, &s);
        put_section(out, TAG_DICT, &s);
    }
    if (m->forest.n_trees > 0) {
        buf_reset(&s);
        put_forest(&s, &m->forest);
        put_section(out, TAG_FOREST, &s);
    }
    if (m->n_tlds) {
        buf_reset(&s);
        put_tlds(&s, m);
        put_section(out, TAG_TLDS, &s);
    }
    if (m->features) {
        buf_reset(&s);
        buf_adds(&s, m->features);
        put_section(out, TAG_FEAT, &s);
    }
    if (has_split) {
        buf_reset(&s);
        put_split(&s, &m->split);
        put_section(out, TAG_SPLIT, &s);
    }
    if (m->q_points) {
        buf_reset(&s);
        put_u32(&s, m->q_features);
        put_u32(&s, m->q_points);
        for (size_t i = 0; i < (size_t)m->q_features * m->q_points; i++)
            put_f32(&s, m->quantiles[i]);
        put_section(out, TAG_QUANT, &s);
    }
    if (m->meta) {
        buf_reset(&s);
        buf_adds(&s, m->meta);
        put_section(out, TAG_META, &s);
    }
    buf_free(&s);
    put_u32(out, (uint32_t)crc32(0L, (const Bytef *)out->data + start,
                                 (uInt)(out->len - start)));
}

/* --- Reading --- */

struct cursor {
    const unsigned char *p;
    size_t               left;
};

static int
get(struct cursor *c, void *dst, size_t n)
{
    if (c->left < n)
        return -1;
    memcpy(dst, c->p, n);
    c->p += n;
    c->left -= n;
    return 0;
}

static int
get_u32(struct cursor *c, uint32_t *v)
{
    unsigned char x[4];

    if (get(c, x, 4))
        return -1;
    *v = (uint32_t)x[0] | (uint32_t)x[1] << 8 | (uint32_t)x[2] << 16 |
         (uint32_t)x[3] << 24;
    return 0;
}

static int
get_u64(struct cursor *c, uint64_t *v)
{
    uint32_t lo, hi;

    if (get_u32(c, &lo) || get_u32(c, &hi))
        return -1;
    *v = (uint64_t)hi << 32 | lo;
    return 0;
}

static int
get_f32(struct cursor *c, float *f)
{
    uint32_t v;

    if (get_u32(c, &v))
        return -1;
    memcpy(f, &v, 4);
    return 0;
}

static int
read_markov(struct cursor *c, struct markov **out)
{
    const size_t cells = MC_SYMBOLS * MC_SYMBOLS * MC_SYMBOLS;

    if (c->left != cells * 4)
        return -1;
    *out = xmalloc(sizeof **out);
    double *p = &(*out)->logp[0][0][0];
    for (size_t i = 0; i < cells; i++) {
        float v = 0.0f;
        get_f32(c, &v);
        p[i] = v;
        if (!(p[i] <= 0.0 && p[i] > -1e30))    /* a log-probability */
            return -1;
    }
    return 0;
}

/* The next entry of the dictionary section: kind bits, then the word and
 * its NUL. -1 when damaged. */
static int
read_word(struct cursor *c, const char **w, size_t *n, unsigned char *kinds)
{
    const char *end;

    if (get(c, kinds, 1) || *kinds == 0)
        return -1;
    *w = (const char *)c->p;
    end = memchr(*w, '\0', c->left);
    if (!end)
        return -1;
    *n = (size_t)(end - *w);
    c->p += *n + 1;
    c->left -= *n + 1;
    return 0;
}

/* The words at c that dict_add() would take, in the byte order a model
 * file keeps, up to the first that is refused or out of order: what the
 * set needs room for (a damaged file gets no more than it holds). */
static size_t
good_words(struct cursor c)
{
    const char *w, *last = "";
    size_t n, count = 0;
    unsigned char kinds;

    while (c.left && read_word(&c, &w, &n, &kinds) == 0 &&
           n >= DICT_MIN_WORD && n <= DICT_MAX_WORD &&
           strspn(w, "abcdefghijklmnopqrstuvwxyz") == n &&
           strcmp(last, w) < 0) {
        last = w;
        count++;
    }
    return count;
}

static int
read_dict(struct cursor *c, struct model *m)
{
    const char **words = NULL;          /* in the file, which outlives us */
    size_t count = 0, cap = 0, n;
    unsigned char kinds;
    int rc = 0;

    m->dict = dict_new();
    dict_reserve(m->dict, good_words(*c));
    while (c->left && rc == 0) {
        if (count == cap) {
            cap = cap ? cap * 2 : 4096;
            words = xrealloc(words, cap * sizeof *words);
        }
        if (read_word(c, &words[count], &n, &kinds) != 0 ||
            !dict_add(m->dict, words[count], n, kinds))
            rc = -1;
        count++;
    }
    if (rc == 0)                        /* written in byte order */
        dict_freeze_ordered(m->dict, words, count);
    free(words);
    return rc;
}

/* A node's value is a share of samples: in [0, 1], never NaN. */
static int
is_share(float v)
{
    return v >= 0.0f && v <= 1.0f;
}

/*
 * Whether the nodes form one tree in pre-order: every split's right
 * child starts just after its left subtree ends, and the root's subtree
 * ends at the last node. Then every node has one parent, so no walk can
 * revisit a node (a forged file could otherwise share subtrees and make
 * a walk over them exponential). Works from the last node back.
 */
static int
is_preorder_tree(const struct rf_tree *t)
{
    uint32_t *end = xmalloc((size_t)t->n * sizeof *end);
    int ok = 1;

    for (int32_t i = t->n - 1; i >= 0 && ok; i--) {
        const struct rf_node *x = &t->nodes[i];
        if (x->feature < 0) {
            end[i] = (uint32_t)i + 1;
            continue;
        }
        ok = end[x->left] == (uint32_t)x->right;
        end[i] = end[x->right];
    }
    ok = ok && end[0] == (uint32_t)t->n;
    free(end);
    return ok;
}

/* One tree; every child index must point inside the tree, forward. */
static int
read_tree(struct cursor *c, int features, struct rf_tree *t)
{
    uint32_t n;

    if (get_u32(c, &n) || n == 0 || n > c->left / NODE_BYTES)
        return -1;
    t->nodes = xcalloc(n, sizeof *t->nodes);
    t->n = t->cap = (int32_t)n;
    for (uint32_t i = 0; i < n; i++) {
        struct rf_node *x = &t->nodes[i];
        unsigned char fb[2];
        uint32_t r;
        if (get(c, fb, 2))
            return -1;
        uint32_t f = (uint32_t)fb[0] | (uint32_t)fb[1] << 8;
        x->feature = -1;
        if (f == LEAF_MARK) {
            if (get_f32(c, &x->value) || !is_share(x->value))
                return -1;
            continue;
        }
        if (get_f32(c, &x->threshold) || get_f32(c, &x->value) ||
            get_u32(c, &r) || f >= (uint32_t)features ||
            !isfinite(x->threshold) || !is_share(x->value) ||
            i + 1 >= n || r <= i + 1 || r >= n)
            return -1;
        x->feature = (int32_t)f;
        x->left = (int32_t)(i + 1);
        x->right = (int32_t)r;
    }
    return is_preorder_tree(t) ? 0 : -1;
}

static int
read_forest(struct cursor *c, struct model *m)
{
    uint32_t d, trees;

    if (get_u32(c, &d) || get_u32(c, &trees) || d == 0 || d > 4096 ||
        trees == 0 || trees > MAX_TREES || trees > c->left / 4)
        return -1;
    m->forest.n_features = (int)d;
    m->forest.trees = xcalloc(trees, sizeof *m->forest.trees);
    for (uint32_t t = 0; t < trees; t++) {
        m->forest.n_trees = (int)t + 1;     /* freed on failure too */
        if (read_tree(c, (int)d, &m->forest.trees[t]))
            return -1;
    }
    return c->left ? -1 : 0;
}

/* Names must come in strictly increasing order (so look-ups bisect). */
static int
read_tlds(struct cursor *c, struct model *m)
{
    uint32_t n;

    if (get_u32(c, &n) || n == 0 || n > c->left / 5)
        return -1;
    m->tlds = xcalloc(n, sizeof *m->tlds);
    for (uint32_t i = 0; i < n; i++) {
        unsigned char len;
        struct model_tld *t = &m->tlds[i];
        if (get(c, &len, 1) || len > 63 || get(c, t->name, len) ||
            memchr(t->name, '\0', len) || get_f32(c, &t->logodds) ||
            !isfinite(t->logodds) ||
            (i && strcmp(m->tlds[i - 1].name, t->name) >= 0))
            return -1;
        m->n_tlds = i + 1;
    }
    return c->left ? -1 : 0;
}

static int
read_split(struct cursor *c, struct model *m)
{
    struct model_split *p = &m->split;

    if (get_u64(c, &p->salt) || get_u32(c, &p->markov) ||
        get_u32(c, &p->train) || get_u32(c, &p->valid) ||
        get_u32(c, &p->dga_train) || get_f32(c, &p->thr3) ||
        get_f32(c, &p->thr4) || c->left || p->markov > 100 ||
        p->train > 100 || p->valid > 100 ||
        p->markov + p->train + p->valid > 100 || p->dga_train > 100 ||
        !isfinite(p->thr3) || !isfinite(p->thr4))
        return -1;
    return 0;
}

static int
read_quantiles(struct cursor *c, struct model *m)
{
    uint32_t d, k;

    if (get_u32(c, &d) || get_u32(c, &k) || d == 0 || k < 2 ||
        d > 4096 || k > 4096 || c->left != (size_t)d * k * 4)
        return -1;
    m->quantiles = xmalloc((size_t)d * k * sizeof *m->quantiles);
    for (size_t i = 0; i < (size_t)d * k; i++)
        if (get_f32(c, &m->quantiles[i]) ||
            !isfinite(m->quantiles[i]))
            return -1;
    m->q_features = d;
    m->q_points = k;
    return 0;
}

static int
read_section(struct cursor *c, struct model *m, char *err, size_t errlen)
{
    uint32_t tag;
    uint64_t len;
    struct cursor body;
    int rc = 0;

    if (get_u32(c, &tag) || get_u64(c, &len) || len > c->left) {
        snprintf(err, errlen, "truncated section header");
        return -1;
    }
    body.p = c->p;
    body.left = (size_t)len;
    c->p += len;
    c->left -= (size_t)len;
    if (tag == TAG_MARKOV && !m->markov)
        rc = read_markov(&body, &m->markov);
    else if (tag == TAG_MARKOV_DGA && !m->markov_dga)
        rc = read_markov(&body, &m->markov_dga);
    else if (tag == TAG_DICT && !m->dict)
        rc = read_dict(&body, m);
    else if (tag == TAG_FOREST && !m->forest.n_trees)
        rc = read_forest(&body, m);
    else if (tag == TAG_TLDS && !m->tlds)
        rc = read_tlds(&body, m);
    else if (tag == TAG_FEAT && !m->features)
        m->features = xstrndup((const char *)body.p, body.left);
    else if (tag == TAG_SPLIT)
        rc = read_split(&body, m);
    else if (tag == TAG_QUANT && !m->quantiles)
        rc = read_quantiles(&body, m);
    else if (tag == TAG_META && !m->meta)
        m->meta = xstrndup((const char *)body.p, body.left);
    if (rc) {                           /* a tag is four letters */
        char name[5] = { (char)tag, (char)(tag >> 8), (char)(tag >> 16),
                         (char)(tag >> 24), '\0' };
        snprintf(err, errlen, "damaged %s section of the model", name);
    }
    return rc;
}

int
model_read(const void *bytes, size_t n, struct model *m, char *err,
           size_t errlen)
{
    struct cursor c = { bytes, n };
    uint32_t version, sections, crc;

    memset(m, 0, sizeof *m);
    if (n < 20 || memcmp(bytes, "DNSHUNTM", 8) != 0) {
        snprintf(err, errlen, "not a dnshunt model file");
        return -1;
    }
    c.left = n - 4;
    struct cursor tail = { (const unsigned char *)bytes + n - 4, 4 };
    get_u32(&tail, &crc);
#ifndef FUZZING_BUILD_MODE_UNSAFE_FOR_PRODUCTION
    /* (a fuzzing build skips this, so the checks past it get fuzzed) */
    if (crc != (uint32_t)crc32(0L, bytes, (uInt)(n - 4))) {
        snprintf(err, errlen, "bad checksum (damaged or cut file)");
        return -1;
    }
#endif
    c.p += 8;
    c.left -= 8;
    get_u32(&c, &version);
    get_u32(&c, &sections);
    if (version != MODEL_FORMAT) {
        snprintf(err, errlen, "model format %u, this dnshunt reads %d",
                 version, MODEL_FORMAT);
        return -1;
    }
    for (uint32_t i = 0; i < sections; i++) {
        if (read_section(&c, m, err, errlen)) {
            model_free(m);
            return -1;
        }
    }
    if (c.left) {
        snprintf(err, errlen, "bytes after the last section");
        model_free(m);
        return -1;
    }
    return 0;
}

void
model_free(struct model *m)
{
    free(m->markov);
    free(m->markov_dga);
    dict_free(m->dict);
    rf_free(&m->forest);
    free(m->tlds);
    free(m->features);
    free(m->quantiles);
    free(m->meta);
    memset(m, 0, sizeof *m);
}
