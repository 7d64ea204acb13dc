/* SPDX-License-Identifier: MIT
 *
 * The lexical feature vector of a domain name, as the DGA forest sees
 * it, and the smaller vector of its subdomain part, for tunnel scoring.
 *
 * The DGA part of a name is the label somebody registered: the first
 * label of the registrable domain, or of the site when the name sits
 * under a private suffix such as ddns.net or github.io (dynamic-DNS
 * DGAs register there). The caller splits the name (core/names.c); this
 * module only computes. Any bytes give finite values.
 */
#ifndef DNSHUNT_LEXICAL_H
#define DNSHUNT_LEXICAL_H

#include <stddef.h>

#include "model/model_io.h"

/* Features of the registrable label, in forest input order. */
enum lex_feature {
    LX_LENGTH,
    LX_ENTROPY,
    LX_ENTROPY_NORM,
    LX_VOWEL_RATIO,
    LX_DIGIT_RATIO,
    LX_CONSONANT_RUN,
    LX_DIGIT_RUN,
    LX_REPEAT_RATIO,
    LX_DISTINCT_RATIO,
    LX_HEX_ONLY,
    LX_HYPHENS,
    LX_SWITCHES,
    LX_MARKOV,
    LX_MARKOV_MIN,
    LX_MARKOV_RARE,
    LX_MARKOV_LLR,
    LX_GRAM4,
    LX_GRAM5,
    LX_WORD_COVER,
    LX_WORDS,
    LX_WORD_MEAN,
    LX_WORD_SPREAD,
    LX_DGA_WORD_COVER,
    LX_DGA_WORDS,
    LX_TLD_PRIOR,
    LX_PRIVATE_SUFFIX,
    LX_COUNT
};

/* Features of the subdomain part (left of the registrable domain). */
enum sub_feature {
    SB_LENGTH,
    SB_LABELS,
    SB_LONGEST_LABEL,
    SB_ENTROPY,
    SB_VOWEL_RATIO,
    SB_DIGIT_RATIO,
    SB_CONSONANT_RUN,
    SB_HEX_ONLY,
    SB_MARKOV,
    SB_WORD_COVER,
    SB_COUNT
};

/* Where the parts of a name are. */
struct lex_name {
    const char *label;      /* the registrable label */
    size_t      label_len;
    const char *tld;        /* last label of the name, NUL-terminated */
    int         private_suffix; /* label sits under a private suffix */
    const char *sub;        /* subdomain part, without the final dot */
    size_t      sub_len;
};

/* The feature's short name ("markov", "word_cover"); never NULL. */
const char *lex_feature_name(int f);

/* One line saying what feature f measures. */
const char *lex_feature_help(int f);

/* Short name of subdomain feature f ("sub_length", ...). */
const char *sub_feature_name(int f);

/* The feature names joined by commas: what a model's FEAT must be. */
const char *lex_feature_list(void);

/* The log-odds prior of tld under model m (the default when unlisted). */
float lex_tld_prior(const struct model *m, const char *tld);

/* Fill out[LX_COUNT] for name n under model m (Markov and dict used). */
void lex_features(const struct model *m, const struct lex_name *n,
                  float out[LX_COUNT]);

/* Fill out[SB_COUNT] for the subdomain part of n. */
void lex_sub_features(const struct model *m, const struct lex_name *n,
                      float out[SB_COUNT]);

/*
 * Where value v of feature f sits among benign training names: the
 * share of them with a lower value (counted over the quantile points
 * the model records), in [0, 1];
 * -1 when m has no record.
 */
double lex_benign_rank(const struct model *m, int f, float v);

#endif
