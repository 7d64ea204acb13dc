/* SPDX-License-Identifier: MIT
 *
 * The 64-bit key hash map (see u64map.h): linear probing, grown at
 * half load.
 */
#include "core/u64map.h"

#include <stdlib.h>

#include "core/util.h"

uint64_t
u64_mix(uint64_t x)
{
    x ^= x >> 30;
    x *= 0xbf58476d1ce4e5b9ULL;
    x ^= x >> 27;
    x *= 0x94d049bb133111ebULL;
    return x ^ (x >> 31);
}

static void
grow(struct u64map *m)
{
    size_t cap = m->cap ? m->cap * 2 : 1024;
    uint64_t *keys = xmalloc(cap * sizeof *keys);
    uint32_t *vals = xcalloc(cap, sizeof *vals);

    for (size_t i = 0; i < m->cap; i++) {
        if (!m->vals[i])
            continue;
        size_t j = u64_mix(m->keys[i]) & (cap - 1);
        while (vals[j])
            j = (j + 1) & (cap - 1);
        keys[j] = m->keys[i];
        vals[j] = m->vals[i];
    }
    free(m->keys);
    free(m->vals);
    m->keys = keys;
    m->vals = vals;
    m->cap = cap;
}

uint32_t *
u64map_slot(struct u64map *m, uint64_t key, int *is_new)
{
    size_t j;

    if ((m->n + 1) * 2 > m->cap)
        grow(m);
    for (j = u64_mix(key) & (m->cap - 1); m->vals[j];
         j = (j + 1) & (m->cap - 1))
        if (m->keys[j] == key) {
            if (is_new)
                *is_new = 0;
            return &m->vals[j];
        }
    m->keys[j] = key;
    m->n++;
    if (is_new)
        *is_new = 1;
    return &m->vals[j];
}

uint32_t
u64map_get(const struct u64map *m, uint64_t key)
{
    if (!m->cap)
        return 0;
    for (size_t j = u64_mix(key) & (m->cap - 1); m->vals[j];
         j = (j + 1) & (m->cap - 1))
        if (m->keys[j] == key)
            return m->vals[j];
    return 0;
}

void
u64map_free(struct u64map *m)
{
    free(m->keys);
    free(m->vals);
    m->keys = NULL;
    m->vals = NULL;
    m->cap = m->n = 0;
}
