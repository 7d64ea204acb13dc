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
 * Sections: 'MRKV' the Markov log-probabilities (MC_SYMBOLS^3 doubles),
 * 'DICT' the words (NUL-separated), 'FRST' the forest (u32 features,
 * u32 trees, then per tree u32 nodes and the nodes as i32 feature, f32
 * threshold, i32 left, i32 right, f32 value), 'META' free text (how the
 * model was made). Every count is checked against the bytes that are
 * there before anything is allocated; unknown sections are skipped.
 */
#ifndef DNSHUNT_MODEL_IO_H
#define DNSHUNT_MODEL_IO_H

#include <stddef.h>
#include <stdint.h>

#include "core/util.h"
#include "model/dict.h"
#include "model/forest.h"
#include "model/markov.h"

#define MODEL_FORMAT 1

/* A whole model; any part may be absent (NULL / empty forest). */
struct model {
    struct markov *markov;    /* owned */
    struct dict   *dict;      /* owned */
    struct forest  forest;
    char          *meta;      /* owned, NUL-terminated, or NULL */
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
