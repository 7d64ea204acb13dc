/* SPDX-License-Identifier: MIT
 *
 * Open-addressing hash table with linear probing; keys are copied into an
 * arena of fixed-size blocks so clearing is cheap (see intern.h).
 */
#include "storage/intern.h"

#include <stdlib.h>
#include <string.h>

#include "core/util.h"

#define ARENA_BLOCK (1u << 20)
#define PROBE_MAX   32          /* slots a look-up may visit */

struct slot {
    uint64_t    hash;   /* 0 marks an empty slot */
    int64_t     id;
    const char *key;    /* in the arena */
    size_t      len;
};

struct block {
    struct block *next;
    size_t        used;
    char          data[];
};

struct intern {
    struct slot  *slots;
    size_t        cap;      /* power of two */
    size_t        count;
    struct block *blocks;
    size_t        bytes;    /* memory held, slots plus arena */
    size_t        budget;
};

static uint64_t
hash_bytes(const void *p, size_t n)
{
    const unsigned char *s = p;
    uint64_t h = 0x9e3779b97f4a7c15ull ^ n, w;

    for (; n >= 8; s += 8, n -= 8) {
        memcpy(&w, s, 8);
        h = (h ^ w) * 0xff51afd7ed558ccdull;
        h ^= h >> 32;
    }
    w = 0;
    memcpy(&w, s, n);
    h = (h ^ w) * 0xc4ceb9fe1a85ec53ull;
    h ^= h >> 29;
    return h ? h : 1;
}

uint64_t
intern_hash(const void *key, size_t len)
{
    return hash_bytes(key, len);
}

struct intern *
intern_new(size_t budget)
{
    struct intern *in = xcalloc(1, sizeof *in);

    in->budget = budget;
    in->cap = 1024;
    in->slots = xcalloc(in->cap, sizeof *in->slots);
    in->bytes = in->cap * sizeof *in->slots;
    return in;
}

static void
free_blocks(struct intern *in)
{
    while (in->blocks) {
        struct block *next = in->blocks->next;
        free(in->blocks);
        in->blocks = next;
    }
}

void
intern_clear(struct intern *in)
{
    free_blocks(in);
    memset(in->slots, 0, in->cap * sizeof *in->slots);
    in->count = 0;
    in->bytes = in->cap * sizeof *in->slots;
}

void
intern_free(struct intern *in)
{
    if (!in)
        return;
    free_blocks(in);
    free(in->slots);
    free(in);
}

/*
 * The slot of key, or the empty slot it would take; NULL when neither is
 * within PROBE_MAX slots of its home. Keys come from the logs, so an
 * attacker can choose them to share a hash (the hash is fast, not
 * secret); the cap keeps each look-up bounded whatever the keys, and a
 * key it turns away is simply not cached.
 */
static struct slot *
find(struct intern *in, uint64_t h, const void *key, size_t len)
{
    size_t mask = in->cap - 1, i = h & mask;

    for (int n = 0; n < PROBE_MAX; n++, i = (i + 1) & mask) {
        struct slot *s = &in->slots[i];
        if (s->hash == 0 || (s->hash == h && s->len == len &&
                             memcmp(s->key, key, len) == 0))
            return s;
    }
    return NULL;
}

int64_t
intern_get(struct intern *in, const void *key, size_t len)
{
    struct slot *s = find(in, hash_bytes(key, len), key, len);

    return s && s->hash ? s->id : 0;
}

static const char *
arena_copy(struct intern *in, const void *key, size_t len)
{
    struct block *b = in->blocks;

    if (!b || b->used + len > ARENA_BLOCK) {
        size_t size = len > ARENA_BLOCK ? len : ARENA_BLOCK;
        b = xmalloc(sizeof *b + size);
        b->next = in->blocks;
        b->used = 0;
        in->blocks = b;
        in->bytes += sizeof *b + size;
    }
    char *p = b->data + b->used;
    memcpy(p, key, len);
    b->used += len;
    return p;
}

static void
grow(struct intern *in)
{
    struct slot *old = in->slots;
    size_t oldcap = in->cap;

    in->cap *= 2;
    in->slots = xcalloc(in->cap, sizeof *in->slots);
    in->bytes += oldcap * sizeof *old;
    for (size_t i = 0; i < oldcap; i++) {
        struct slot *s;
        if (!old[i].hash)
            continue;
        if ((s = find(in, old[i].hash, old[i].key, old[i].len)))
            *s = old[i];
        else
            in->count--;        /* its run is full: dropped */
    }
    free(old);
}

void
intern_put(struct intern *in, const void *key, size_t len, int64_t id)
{
    uint64_t h = hash_bytes(key, len);
    struct slot *s;

    if (in->bytes + len > in->budget)
        intern_clear(in);
    if ((in->count + 1) * 4 > in->cap * 3 &&
        in->bytes + in->cap * sizeof *s <= in->budget)
        grow(in);
    if ((in->count + 1) * 4 > in->cap * 3)
        intern_clear(in);
    s = find(in, h, key, len);
    if (!s)
        return;                 /* its run is full: not cached */
    if (!s->hash) {
        s->key = arena_copy(in, key, len);
        s->len = len;
        s->hash = h;
        in->count++;
    }
    s->id = id;
}
