/* SPDX-License-Identifier: MIT
 *
 * Random Forest of CART trees for two classes: Gini impurity, bootstrap
 * samples, a random subset of features at each split, depth and leaf
 * limits. A prediction is the mean over trees of the leaf's share of
 * class 1, in [0, 1]. Training is deterministic for a given seed. Pure
 * computation; saving a forest to a file is the model file's business.
 * Tree t always grows from its own seed, so the forest does not depend
 * on how many threads grew it.
 */
#ifndef DNSHUNT_FOREST_H
#define DNSHUNT_FOREST_H

#include <stddef.h>
#include <stdint.h>

/* How to grow the forest. */
struct rf_params {
    int      trees;       /* number of trees, >= 1 */
    int      max_depth;   /* deepest split level, >= 1 */
    int      min_leaf;    /* fewest samples in a leaf, >= 1 */
    int      mtry;        /* features tried per split; 0 for sqrt(d) */
    int      threads;     /* trees grown at once; 0 or 1 for one */
    uint64_t seed;
};

/* One node: a split (feature >= 0) or a leaf (feature < 0). */
struct rf_node {
    int32_t feature;      /* split feature, or -1 for a leaf */
    float   threshold;    /* go left when x[feature] < threshold */
    int32_t left, right;  /* child nodes in the same tree */
    float   value;        /* share of class 1 among the node's samples
                             (the score at a leaf; contributions use
                             the others) */
};

struct rf_tree {
    struct rf_node *nodes;
    int32_t         n;    /* nodes in use; node 0 is the root */
    int32_t         cap;
};

struct forest {
    int             n_features;
    int             n_trees;
    struct rf_tree *trees;
};

/*
 * Grow a forest on n samples of d features: X is row-major (n x d), y[i]
 * is 0 or 1. Returns 0, or -1 when the parameters or data are unusable
 * (then *f is empty). Free with rf_free().
 */
int rf_train(struct forest *f, const float *X, const uint8_t *y, size_t n,
             int d, const struct rf_params *p);

/* The forest's score for one sample x[d]: in [0, 1]. */
double rf_predict(const struct forest *f, const float *x);

/*
 * Explain the score of x: *bias is the mean root value and contrib[j]
 * the mean over trees of the changes in node value at splits on feature
 * j along x's path, so *bias + sum(contrib) == rf_predict(f, x) up to
 * rounding. contrib has f->n_features entries.
 */
void rf_contributions(const struct forest *f, const float *x,
                      double *bias, double *contrib);

/*
 * A forest laid out for fast scoring: every tree's nodes in one array,
 * eight bytes each (a threshold or leaf value, the feature and the right
 * child; the left child is the next node), scored many samples at a time
 * so that the memory reads of different samples overlap.
 */
struct rf_flat {
    struct rf_fnode *nodes;
    float           *value;       /* each node's value (leaves matter) */
    uint32_t        *roots;       /* first node of each tree */
    uint32_t        *depth;       /* levels of each tree */
    int              n_trees;
    int              n_features;
};

/*
 * One node of a flat forest. A leaf has threshold -infinity and itself
 * as right child, so a walk may go on past it without moving: every
 * sample takes the same number of steps and no step branches.
 */
struct rf_fnode {
    float    t;                   /* go to the next node when x < t */
    uint32_t m;                   /* feature << 24 | right child */
};

/*
 * Lay out f for scoring. Returns 0, or -1 (out empty) when the forest has
 * more than 16M nodes or 255 features or a left child that is not the
 * next node; rf_predict still works then.
 */
int rf_compile(const struct forest *f, struct rf_flat *out);

/*
 * Scores of n samples X (row-major, n x fl->n_features) into out[n];
 * the same values as rf_predict.
 */
void rf_flat_predict(const struct rf_flat *fl, const float *X, size_t n,
                     double *out);

/*
 * The widest vector walk rf_flat_predict() may use, for comparing them:
 * 2 AVX-512 (a sample's trees sixteen at a time; the default), 1 AVX2
 * (eight samples down a tree at a time), 0 the portable walk. The scores
 * are the same with each. Returns the level in use: the one asked for,
 * or less when the processor lacks it.
 */
int rf_flat_use_simd(int level);

/* Free a flat forest; it is empty afterwards. */
void rf_flat_free(struct rf_flat *fl);

/* Free the trees; f is empty afterwards. */
void rf_free(struct forest *f);

#endif
