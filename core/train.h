/* SPDX-License-Identifier: MIT
 *
 * Training and measuring the lexical DGA model.
 *
 * A corpus is the benign names and the DGA names of each family, read
 * from plain lists (one name per line, or "rank,name" as top lists
 * come), normalised and de-duplicated; benign names that any DGA list
 * holds are dropped. Each name falls into a part of the training by a
 * salted hash of its normalised form, so the split is the same on every
 * run and recorded in the model:
 *
 *   benign  markov  } the Markov chain, the words, the TLD priors and
 *           train   } the forest learn from these two parts
 *           valid   the thresholds for a false-positive rate come here
 *           test    measured only
 *   DGA     train   the DGA Markov chain, DGA words, priors and forest
 *           test    measured only
 *
 * (The forest's rows get their features cross-fitted: see train.c.)
 */
#ifndef DNSHUNT_TRAIN_H
#define DNSHUNT_TRAIN_H

#include <stdint.h>
#include <stdio.h>

#include "model/model_io.h"

/* Parts of the training a name falls into. */
enum part { PART_MARKOV, PART_TRAIN, PART_VALID, PART_TEST };

/* A DGA list and the family it belongs to. */
struct train_source {
    const char *family;
    const char *path;
};

/* What to read and how to train. */
struct train_opts {
    const char        **benign;     /* list files */
    size_t              n_benign;
    struct train_source *dga;       /* list files */
    size_t              n_dga;
    const char         *words;      /* English word list, or NULL */
    const char        **exclude;    /* lists of names that are not benign */
    size_t              n_exclude;
    int                 trees, depth, min_leaf, threads;
    int                 per_family; /* most training names per family */
    const char         *dump_dir;   /* write train.tsv and test.tsv here */
    uint64_t            seed;
    struct model_split  split;
};

/* Default options: 64 trees, depth 16, min leaf 3, ... (see train.c). */
void train_defaults(struct train_opts *o);

/* One name of the corpus. */
struct sample {
    char     *norm;
    uint32_t  family;           /* 0 benign, else index in families + 1 */
    uint8_t   part;             /* enum part */
};

/* Every name read for training or measuring, split into parts. */
struct corpus {
    struct sample *v;
    size_t         n;
    char         **families;    /* family names, [0] unused ("benign") */
    size_t         n_families;  /* including [0] */
    size_t         dropped_dga; /* benign names found in a DGA list */
    size_t         excluded;    /* benign names on an exclusion list */
    size_t         unscored;    /* names that are not DGA candidates */
    char          *inputs;      /* description of the input files */
};

/*
 * Read the lists of o into *c, splitting by o->split. Returns 0, or -1
 * with a message naming the file in err.
 */
int corpus_load(const struct train_opts *o, struct corpus *c, char *err,
                size_t errlen);

/* A name an analyst labelled: a DGA (a true positive) or benign. */
struct label {
    const char *norm;
    int         dga;
};

/*
 * Put each labelled name where the forest learns from it: drop it from
 * whatever part and side the lists put it in, then add it copies times
 * to the training part, as benign or as the DGA family "analyst-tp".
 */
void corpus_add_labels(struct corpus *c, const struct label *l, size_t n,
                       int copies);

/* Free the corpus. */
void corpus_free(struct corpus *c);

/*
 * Train a model on corpus c; families with skip[f] set are left out
 * (skip may be NULL). Progress goes to log when not NULL. Returns 0, or
 * -1 with the reason in err ("no benign names to learn from", ...).
 */
int train_model(const struct corpus *c, const struct train_opts *o,
                const unsigned char *skip, struct model *out, FILE *log,
                char *err, size_t errlen);

/* Is this name in a part the model never learned from? */
enum part model_part(const struct model_split *s, const char *norm,
                     int dga);

/*
 * The threshold that at most a share rate of the scores desc[0..n)
 * (sorted high to low) exceed: the score at rank floor(rate * n).
 */
float threshold_for(const float *desc, size_t n, double rate);

/*
 * Dictionary DGA families, by name, for the separate group in reports:
 * gozi, suppobox, rovnix, matsnu, pizd, charbot, nymaim2, ngioweb,
 * bigviktor, manuelita, and any added.
 */
int family_is_dictionary(const char *family);

/* Count family as a dictionary DGA too (for this process). */
void family_add_dictionary(const char *family);

#endif
