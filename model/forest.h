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
    float   value;        /* leaf: share of class 1 among its samples */
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

/* Free the trees; f is empty afterwards. */
void rf_free(struct forest *f);

#endif
