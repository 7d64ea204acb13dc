/* SPDX-License-Identifier: MIT
 *
 * The model's byte format, built and read in memory (the caller does the
 * file I/O). Layout, all integers little-endian:
 *
 *   "DNSHUNTM"  magic, 8 bytes
 *   u32         format version (MODEL_FORMAT)
 *   u32         section count
 *   sections    each: u32 tag, u64 length, bytes
 *   u32         CRC-32 of everything before it
 *
 * Sections: 'MRKV' the Markov log-probabilities (MC_SYMBOLS^3 f32) of
 * benign labels, 'MRKD' the same for DGA labels, 'DICT' the words (each
 * a kind byte, the word, NUL), 'FRST' the forest (u32 features, u32
 * trees, then per tree u32 nodes and the nodes in pre-order, a leaf as
 * u16 0xffff and f32 value, a split as u16 feature, f32 threshold, f32
 * value, u32 right child; the left child is the next node), 'TLDP' the
 * top-level-domain priors (u32 count, then per entry u8 length, the
 * name, f32 log-odds; the empty name is the default), 'FEAT' the forest's
 * feature names, comma-separated, 'SPLT' how the training names were
 * split (u64 salt, u32 percentages: benign Markov, benign train, benign
 * validation, DGA train; f32 thresholds at FPR 1e-3 and 1e-4), 'BDST'
 * the benign distribution of each forest feature (u32 features, u32
 * points, then features x points f32 quantiles, evenly spaced from 0 to
 * 1), 'META' free text (how the model was made).
 * Every count is checked against the bytes that are there before
 * anything is allocated; unknown sections are skipped.
 */
#ifndef DNSHUNT_MODEL_IO_H
#define DNSHUNT_MODEL_IO_H

#include <stddef.h>
#include <stdint.h>

#include "core/util.h"
#include "model/dict.h"
#include "model/forest.h"
#include "model/markov.h"

#define MODEL_FORMAT 2

/* Log-odds of DGA for names under one top-level domain. */
struct model_tld {
    char  name[64];           /* "" for every TLD not listed */
    float logodds;
};

/*
 * How names were split between the parts of training, by a salted hash
 * of the name (see model_part()); percentages, the rest is test.
 */
struct model_split {
    uint64_t salt;
    uint32_t markov, train, valid;    /* benign names */
    uint32_t dga_train;               /* DGA names */
    float    thr3, thr4;    /* scores above these flag 1e-3, 1e-4 of the
                               benign validation names */
};

/* A whole model; any part may be absent (NULL / empty forest / 0). */
struct model {
    struct markov     *markov;    /* owned: benign labels */
    struct markov     *markov_dga;/* owned: DGA labels */
    struct dict       *dict;      /* owned */
    struct forest      forest;
    struct model_tld  *tlds;      /* owned, sorted by name */
    size_t             n_tlds;
    char              *features;  /* owned: forest inputs, "a,b,c" */
    struct model_split split;     /* all zero when not recorded */
    float             *quantiles; /* owned: benign quantiles, row per */
    uint32_t           q_features;/* feature, q_points evenly spaced */
    uint32_t           q_points;  /* from 0 to 1; 0 when absent */
    char              *meta;      /* owned, NUL-terminated, or NULL */
};

/* Append the serialised model to out. */
void model_write(const struct model *m, struct buf *out);

/*
 * Read a model from bytes[0..n). Returns 0 and fills *m (free with
 * model_free), or -1 with the reason in err ("bad checksum", "truncated
 * section FRST", ...) and *m empty.
 */
int model_read(const void *bytes, size_t n, struct model *m, char *err,
               size_t errlen);

/* Free what a model owns; *m is empty afterwards. */
void model_free(struct model *m);

#endif
