/* SPDX-License-Identifier: MIT
 *
 * A small explicit-state random generator (splitmix64) for training:
 * every sampling function takes the state, so a seed fixes a model.
 */
#ifndef DNSHUNT_RNG_H
#define DNSHUNT_RNG_H

#include <stdint.h>

/* Generator state; seed it by assigning to s. */
struct rng {
    uint64_t s;
};

/* The next 64 random bits. */
static inline uint64_t
rng_next(struct rng *r)
{
    uint64_t z = (r->s += 0x9e3779b97f4a7c15ull);

    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

/* A number in [0, n), n > 0 (the tiny modulo bias does not matter here). */
static inline uint64_t
rng_below(struct rng *r, uint64_t n)
{
    return rng_next(r) % n;
}

#endif
