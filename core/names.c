/* SPDX-License-Identifier: MIT
 *
 * Public-suffix splitting through libpsl (see names.h). The list is the
 * newer of the one built into libpsl and the system's copy.
 *
 * Why the cache of parents is exact: every suffix of label.P other than
 * itself is a suffix of P. So unless a rule makes label.P itself a public
 * suffix ("s3.amazonaws.com", "bo.telemark.no"; one look-up tells), it
 * has the registrable domain and site of P when P has them, and is its
 * own registrable domain and site when P is an ICANN suffix.
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

/* A slot's parent is itself an ICANN suffix ("com", "co.uk"): then
 * label.parent is its own site and domain, unless a rule makes it a
 * public suffix as well. */
#define UNDER_ICANN (-2)

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
    size_t n = strlen(s);

    /* An IPv4 literal ends in a digit; an IPv6 one has a colon. */
    if ((n == 0 || s[n - 1] < '0' || s[n - 1] > '9') && !strchr(s, ':'))
        return 0;
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

/*
 * Fill slot s of c for parent[0..plen): its site and domain when it has
 * them (split through the cache in turn: a new parent's own parent is
 * often known); UNDER_ICANN when it is itself an ICANN suffix. Returns
 * -1 for a parent the cache cannot answer for (a private suffix).
 */
static int
fill_slot(struct name_cache *c, struct cache_slot *s, const char *parent,
          size_t plen)
{
    struct name_parts pp;

    names_split(c, parent, &pp);
    if (pp.site) {                      /* parent below a domain */
        s->domain_len = pp.domain ? (int)strlen(pp.domain) : -1;
        s->site_len = (int)strlen(pp.site);
    } else if (psl_is_public_suffix2(psl(), parent, PSL_TYPE_ICANN)) {
        s->domain_len = s->site_len = UNDER_ICANN;
    } else {
        return -1;
    }
    memcpy(s->parent, parent, plen + 1);
    return 0;
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
    /* an empty first or last label has no parent to share */
    if (c && parent && parent > norm && plen > 0 && plen < sizeof s->parent) {
        s = slot_for(c, parent + 1, plen);
        if ((strcmp(s->parent, parent + 1) != 0 &&
             fill_slot(c, s, parent + 1, plen) != 0) ||
            psl_is_public_suffix(psl(), norm)) {
            s = NULL;                   /* "blogspot.com": ask libpsl */
        } else if (s->site_len == UNDER_ICANN) {
            parts->domain = parts->site = norm;
        } else {
            parts->domain = from_end(norm, n, s->domain_len);
            parts->site = from_end(norm, n, s->site_len);
        }
    }
    if (!s)
        split_uncached(norm, parts);
    if (parts->domain && parts->domain > norm)
        parts->sub_len = (size_t)(parts->domain - norm) - 1;
}
