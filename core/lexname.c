/* SPDX-License-Identifier: MIT
 *
 * Name classification (see lexname.h).
 */
#include "core/lexname.h"

#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "core/names.h"
#include "core/util.h"
#include "model/dnsname.h"

static const char *const reason_text[LR_COUNT] = {
#define LR_TEXT(name, text) text,
    LEXNAME_REASONS(LR_TEXT)
#undef LR_TEXT
};

static const char *const default_zones[] = {
    "internal", "local", "localhost", "localdomain", "lan", "intranet",
    "corp", "home",
};

struct lexctx {
    const struct model *m;
    struct rf_flat      flat;       /* the forest laid out for scoring */
    int                 can_score;  /* the forest reads our features */
    int                 flat_ok;    /* flat holds it (else rf_predict) */
    struct name_cache  *cache;
    char              **zones;
    size_t             *zone_len;
    size_t              n_zones;
    int                 no_sub;     /* r->sub is not wanted */
};

const char *
lex_reason_text(enum lex_reason r)
{
    return (unsigned)r < LR_COUNT ? reason_text[r] : "?";
}

struct lexctx *
lexctx_new(const struct model *m)
{
    struct lexctx *c = xcalloc(1, sizeof *c);

    c->m = m;
    c->cache = names_cache_new();
    c->can_score = m->forest.n_features == LX_COUNT;
    c->flat_ok = c->can_score && rf_compile(&m->forest, &c->flat) == 0;
    for (size_t i = 0; i < sizeof default_zones / sizeof *default_zones; i++)
        lexctx_add_zone(c, default_zones[i]);
    return c;
}

void
lexctx_add_zone(struct lexctx *c, const char *zone)
{
    char norm[1024];
    size_t n;

    if (strlen(zone) > 253)
        return;
    dnsname_normalise(zone, strlen(zone), norm, sizeof norm, &n);
    if (n == 0)
        return;
    c->zones = xrealloc(c->zones, (c->n_zones + 1) * sizeof *c->zones);
    c->zone_len = xrealloc(c->zone_len,
                           (c->n_zones + 1) * sizeof *c->zone_len);
    c->zone_len[c->n_zones] = strlen(norm);
    c->zones[c->n_zones++] = xstrdup(norm);
}

void
lexctx_subdomain_features(struct lexctx *c, int on)
{
    c->no_sub = !on;
}

void
lexctx_free(struct lexctx *c)
{
    if (!c)
        return;
    for (size_t i = 0; i < c->n_zones; i++)
        free(c->zones[i]);
    free(c->zones);
    free(c->zone_len);
    names_cache_free(c->cache);
    rf_flat_free(&c->flat);
    free(c);
}

/* 1 when norm[0..n) is zone[0..z) or ends in ".zone". */
static int
under_n(const char *norm, size_t n, const char *zone, size_t z)
{
    if (n < z || (z && norm[n - 1] != zone[z - 1]) ||  /* most differ here */
        memcmp(norm + n - z, zone, z) != 0)
        return 0;
    return n == z || norm[n - z - 1] == '.';
}

/* 1 when norm[0..n) is zone or ends in ".zone". */
static int
under(const char *norm, size_t n, const char *zone)
{
    return under_n(norm, n, zone, strlen(zone));
}

static enum lex_reason
reason_of(struct lexctx *c, struct lex_result *r, size_t n)
{
    if (n == 0 || (r->flags & DN_ROOT))
        return LR_EMPTY;
    if (r->flags & (DN_EMPTY_LABEL | DN_BAD_ESCAPE | DN_TOO_LONG |
                    DN_LABEL_LONG))
        return LR_MALFORMED;
    if (names_is_ip_literal(r->norm))
        return LR_IP_LITERAL;
    if (!strchr(r->norm, '.'))
        return LR_SINGLE_LABEL;
    if (under(r->norm, n, "arpa"))
        return LR_ARPA;
    for (size_t i = 0; i < c->n_zones; i++)
        if (under_n(r->norm, n, c->zones[i], c->zone_len[i]))
            return LR_INTERNAL;
    if (names_provider_endpoint(r->norm, n))
        return LR_PROVIDER;
    return LR_SCORED;
}

/* Point r->parts at the registrable label, TLD and subdomain. */
static int
find_parts(struct lexctx *c, struct lex_result *r)
{
    struct name_parts p;
    const char *dot, *base;

    names_split(c->cache, r->norm, &p);
    r->domain = p.domain;
    r->site = p.site;
    if (!p.domain || !p.site)
        return -1;
    /* Under a private suffix the site is longer: its label is the one
     * somebody registered. */
    base = p.site;
    r->parts.private_suffix = base != p.domain;
    dot = strchr(base, '.');
    r->parts.label = base;
    r->parts.label_len = dot ? (size_t)(dot - base) : strlen(base);
    r->parts.tld = strrchr(r->norm, '.') + 1;
    r->parts.sub = r->norm;
    r->parts.sub_len = base > r->norm ? (size_t)(base - r->norm) - 1 : 0;
    return 0;
}

enum lex_reason
lexname_reason(struct lexctx *c, const char *name, size_t len,
               struct lex_result *r)
{
    size_t n = 0;

    r->reason = 0;
    r->norm[0] = '\0';
    r->domain = r->site = NULL;
    memset(&r->parts, 0, sizeof r->parts);
    r->score = -1.0;
    if (len > 253 * 4) {    /* longer than any name, even escaped */
        r->flags = DN_TOO_LONG;
        r->reason = LR_MALFORMED;
        return r->reason;
    }
    r->flags = dnsname_normalise(name, len, r->norm, sizeof r->norm, &n);
    r->reason = reason_of(c, r, n);
    /* A provider's label has a domain and a site too (for allow-lists
     * and the domain view), only no score. */
    if ((r->reason == LR_SCORED || r->reason == LR_PROVIDER) &&
        find_parts(c, r) != 0 && r->reason == LR_SCORED)
        r->reason = LR_NO_DOMAIN;
    return r->reason;
}

enum lex_reason
lexname_classify(struct lexctx *c, const char *name, size_t len, int score,
                 struct lex_result *r)
{
    if (lexname_reason(c, name, len, r) != LR_SCORED)
        return r->reason;
    lex_features(c->m, &r->parts, r->x);
    if (!c->no_sub)
        lex_sub_features(c->m, &r->parts, r->sub);
    if (score)
        lexname_score(c, r, 1);
    return r->reason;
}

void
lexname_score(struct lexctx *c, struct lex_result *r, size_t n)
{
    enum { CHUNK = 256 };
    float X[CHUNK * LX_COUNT];
    double y[CHUNK];
    size_t idx[CHUNK];

    if (!c->can_score)
        return;
    for (size_t i = 0; i < n;) {
        size_t k = 0;
        for (; i < n && k < CHUNK; i++) {
            if (r[i].reason != LR_SCORED)
                continue;
            memcpy(X + k * LX_COUNT, r[i].x, sizeof r[i].x);
            idx[k++] = i;
        }
        if (c->flat_ok)
            rf_flat_predict(&c->flat, X, k, y);
        else        /* over 16M nodes: the slow walk */
            for (size_t j = 0; j < k; j++)
                y[j] = rf_predict(&c->m->forest, X + j * LX_COUNT);
        for (size_t j = 0; j < k; j++)
            r[idx[j]].score = y[j];
    }
}
