/* SPDX-License-Identifier: MIT
 *
 * An open-addressing hash map from 64-bit keys to 32-bit values, for the
 * counting that scoring does millions of times: distinct pairs, per
 * minute counts, indexes of structures. Any key is allowed; a value of 0
 * means "absent", so callers store index + 1 or counts >= 1.
 */
#ifndef DNSHUNT_U64MAP_H
#define DNSHUNT_U64MAP_H

#include <stddef.h>
#include <stdint.h>

struct u64map {
    uint64_t *keys;
    uint32_t *vals;     /* 0: empty slot */
    size_t    cap;      /* a power of two, or 0 */
    size_t    n;        /* slots in use */
};

/*
 * The value slot of key, inserted with value 0 when missing; *is_new
 * (may be NULL) says whether it was missing. The pointer is valid until
 * the next insertion. The caller must store a non-zero value into a new
 * slot before the next call, or the slot reads as empty.
 */
uint32_t *u64map_slot(struct u64map *m, uint64_t key, int *is_new);

/* The value of key, or 0 when absent. */
uint32_t u64map_get(const struct u64map *m, uint64_t key);

/* Release the memory; the map is empty and reusable afterwards. */
void u64map_free(struct u64map *m);

/* Mix the bits of a 64-bit key (splitmix64's finaliser). */
uint64_t u64_mix(uint64_t x);

#endif
