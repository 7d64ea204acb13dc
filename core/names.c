/* SPDX-License-Identifier: MIT
 *
 * Public-suffix splitting through libpsl (see names.h). The list is the
 * newer of the one built into libpsl and the system's copy.
 *
 * Why the cache is exact: if a parent P has a registrable domain (P is not
 * itself a public suffix), then no rule can make label.P a suffix either,
 * so label.P has the same registrable domain and site as P.
 */
#include "core/names.h"

#include <arpa/inet.h>
#include <libpsl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/util.h"

#define CACHE_SLOTS 4096

struct cache_slot {
    char   parent[256];   /* "" when empty */
    int    domain_len;    /* -1 for none */
    int    site_len;
};

struct name_cache {
    struct cache_slot slot[CACHE_SLOTS];
};

static const psl_ctx_t *
psl(void)
{
    static const psl_ctx_t *ctx;

    if (!ctx)
        ctx = psl_latest(NULL);
    if (!ctx)
        ctx = psl_builtin();
    return ctx;
}

struct name_cache *
names_cache_new(void)
{
    return xcalloc(1, sizeof(struct name_cache));
}

void
names_cache_free(struct name_cache *c)
{
    free(c);
}

int
names_is_ip_literal(const char *s)
{
    unsigned char b[16];

    return inet_pton(AF_INET, s, b) == 1 || inet_pton(AF_INET6, s, b) == 1;
}

/* Longest suffix of norm (at a label start) that is an ICANN suffix. */
static const char *
icann_domain(const psl_ctx_t *ctx, const char *norm, const char *site)
{
    const char *prev = NULL, *p = norm;

    /* Usually the site's parent is an ICANN suffix: one look-up. */
    if (site) {
        const char *parent = strchr(site, '.');
        if (parent && psl_is_public_suffix2(ctx, parent + 1, PSL_TYPE_ICANN))
            return site;
    }
    while (p) {
        if (psl_is_public_suffix2(ctx, p, PSL_TYPE_ICANN))
            return prev;
        prev = p;
        p = strchr(p, '.');
        if (p)
            p++;
    }
    return NULL;
}

static void
split_uncached(const char *norm, struct name_parts *parts)
{
    const psl_ctx_t *ctx = psl();

    parts->site = psl_registrable_domain(ctx, norm);
    parts->domain = icann_domain(ctx, norm, parts->site);
}

static struct cache_slot *
slot_for(struct name_cache *c, const char *parent, size_t n)
{
    return &c->slot[fnv1a(parent, n) % CACHE_SLOTS];
}

static const char *
from_end(const char *norm, size_t n, int len)
{
    return len < 0 ? NULL : norm + n - (size_t)len;
}

void
names_split(struct name_cache *c, const char *norm, struct name_parts *parts)
{
    const char *parent = strchr(norm, '.');
    size_t n = strlen(norm), plen;
    struct cache_slot *s = NULL;

    parts->domain = parts->site = NULL;
    parts->sub_len = 0;
    if (!psl() || !*norm || names_is_ip_literal(norm) || strstr(norm, ".."))
        return;
    plen = parent ? strlen(parent + 1) : 0;
    if (c && parent && plen < sizeof s->parent) {
        s = slot_for(c, parent + 1, plen);
        if (strcmp(s->parent, parent + 1) == 0) {
            parts->domain = from_end(norm, n, s->domain_len);
            parts->site = from_end(norm, n, s->site_len);
        } else {
            struct name_parts pp;
            split_uncached(parent + 1, &pp);
            if (pp.site) {              /* parent below a domain: reuse */
                memcpy(s->parent, parent + 1, plen + 1);
                s->domain_len = pp.domain ? (int)strlen(pp.domain) : -1;
                s->site_len = (int)strlen(pp.site);
                parts->domain = from_end(norm, n, s->domain_len);
                parts->site = from_end(norm, n, s->site_len);
            } else {
                s = NULL;
            }
        }
    }
    if (!s)
        split_uncached(norm, parts);
    if (parts->domain && parts->domain > norm)
        parts->sub_len = (size_t)(parts->domain - norm) - 1;
}
