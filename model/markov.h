/* SPDX-License-Identifier: MIT
 *
 * Order-2 character Markov model of DNS labels (character 3-grams): how
 * likely each character is after the two before it, learned from benign
 * names with additive smoothing. The score of a label is its mean log
 * probability per transition, so long and short labels compare. Labels
 * are framed by a boundary symbol at both ends. Pure computation.
 */
#ifndef DNSHUNT_MARKOV_H
#define DNSHUNT_MARKOV_H

#include <stddef.h>
#include <stdint.h>

/* Symbols: 0 boundary, a-z, 0-9, '-', '_', and 1 for any other byte. */
#define MC_SYMBOLS 40

/* Transition counts, gathered before a model is made. */
struct markov_counts {
    uint32_t n[MC_SYMBOLS][MC_SYMBOLS][MC_SYMBOLS];  /* n[a][b][c] */
};

/* A trained model: natural log of P(c | a b). */
struct markov {
    double logp[MC_SYMBOLS][MC_SYMBOLS][MC_SYMBOLS];
};

/* The symbol of byte c (letters without case). */
int mc_symbol(unsigned char c);

/* Add the transitions of label s[0..n) to the counts (saturating). */
void mc_count(struct markov_counts *c, const char *s, size_t n);

/*
 * Make the model from the counts with additive smoothing alpha > 0:
 * P(c | a b) = (n[a][b][c] + alpha) / (n[a][b][*] + alpha * MC_SYMBOLS),
 * its logarithm rounded to float precision as the model file keeps it.
 */
void mc_train(const struct markov_counts *c, double alpha,
              struct markov *m);

/*
 * Mean natural-log probability per transition of label s[0..n), framed
 * by boundaries (n + 1 transitions); 0 for an empty label. Never NaN.
 */
double mc_score(const struct markov *m, const char *s, size_t n);

/* Summary of a label under the model. */
struct mc_stats {
    double mean;        /* mean log probability per transition */
    double min;         /* the least likely transition's log probability */
    double rare;        /* share of transitions with probability < 1e-3 */
};

/* Statistics of label s[0..n); all zero for an empty label. */
void mc_stats(const struct markov *m, const char *s, size_t n,
              struct mc_stats *out);

#endif
