/* SPDX-License-Identifier: MIT
 *
 * A bounded cache from byte strings to row ids, so that a name, an origin
 * or an answer set seen before costs a hash look-up instead of a query.
 * When its memory passes the budget it empties itself and starts again:
 * the store stays the source of truth, the cache only saves work.
 */
#ifndef DNSHUNT_INTERN_H
#define DNSHUNT_INTERN_H

#include <stddef.h>
#include <stdint.h>

struct intern;

/* A new cache that holds at most about budget bytes. */
struct intern *intern_new(size_t budget);

/* The id stored for key[0..len), or 0 when not cached. */
int64_t intern_get(struct intern *in, const void *key, size_t len);

/* Remember id (> 0) for key; may empty the cache first (see above).
 * A key whose hash lands among 32 taken slots is not cached, so keys
 * chosen to collide cost a bounded look-up each, not one that grows. */
void intern_put(struct intern *in, const void *key, size_t len, int64_t id);

/* Forget everything (after a rollback the ids may not exist). */
void intern_clear(struct intern *in);

/* The 64-bit hash the cache uses; stable across runs and machines. */
uint64_t intern_hash(const void *key, size_t len);

/* Free the cache; NULL is fine. */
void intern_free(struct intern *in);

#endif
