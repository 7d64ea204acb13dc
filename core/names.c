/* SPDX-License-Identifier: MIT
 *
 * Public-suffix splitting through libpsl (see names.h). The list is the
 * newer of the one built into libpsl and the system's copy.
 *
 * Why the cache of parents is exact: every suffix of label.P other than
 * itself is a suffix of P. So unless a rule makes label.P itself a public
 * suffix ("s3.amazonaws.com", "bo.telemark.no"), it has the registrable
 * domain and site of P when P has them, and is its own registrable
 * domain and site when P is an ICANN suffix.
 *
 * Whether label.P is itself a public suffix costs a libpsl look-up, much
 * of the time of classifying a name, so the rules are also kept as
 * hashes, read from the text the list in use was made from (the file
 * whose SHA-1 libpsl gives for its built-in list; that list is then the
 * one used). label.P can be a suffix only by a rule for label.P, a
 * wildcard rule for P or for label.P (libpsl takes the parent of a
 * wildcard for a suffix too); the default rule "*" makes only single
 * labels suffixes. libpsl is asked whenever the hashes say it may be
 * one, and for every name that is not plain (lower-case letters, digits,
 * '-', '_' and inner dots, no "xn--"). A rule with a letter of a script
 * IDNA keeps out of ASCII names only names with "xn--"; any other rule
 * that is not plain (other Unicode, which IDNA may map to a plain name,
 * or other bytes) leaves the list without hashes, as does a line too
 * long to be a rule: then every name is asked about. The system's list
 * has no such rule.
 */
#include "core/names.h"

#include <arpa/inet.h>
#include <libpsl.h>
#include <nettle/sha1.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/util.h"

#define CACHE_SLOTS 4096

/* What the list's rules say of the names label.P for a parent P. */
enum child_rules {
    CHILD_ANY,      /* may be suffixes: ask libpsl (no hashes, or "*.P") */
    CHILD_SOME,     /* some are (a rule for label.P): look at the hashes */
    CHILD_NONE,     /* no rule names a child of P */
};

struct cache_slot {
    char   parent[256];   /* "" when empty */
    int    domain_len;    /* -1 for none */
    int    site_len;
    enum child_rules children;
};

/* A slot's parent is itself an ICANN suffix ("com", "co.uk"): then
 * label.parent is its own site and domain, unless a rule makes it a
 * public suffix as well. */
#define UNDER_ICANN (-2)

struct name_cache {
    struct cache_slot slot[CACHE_SLOTS];
};

/* Kinds of hashed keys: a rule, a wildcard rule's parent, an exact
 * rule's parent. */
enum { KEY_RULE, KEY_WILD, KEY_PARENT };

/* The rules of the list in text form as hashes (open addressing, 0 for
 * an empty slot); mask is 0 when there are none. Read-only once built;
 * while built, unsure says that the hashes cannot answer for the list
 * (or the table grew too full) and are to be dropped. */
static struct {
    uint64_t *slot;
    size_t    mask, used;
    int       unsure;
} rules;

static const psl_ctx_t *psl_ctx;
static const char *list_path;
static pthread_once_t psl_once = PTHREAD_ONCE_INIT;

static uint64_t
key_of(const char *s, size_t n, int kind)
{
    uint64_t k = fnv1a(s, n) * 4 + (uint64_t)kind;

    return k ? k : 4;
}

static void
key_add(uint64_t k)
{
    size_t i = (size_t)(k >> 2) & rules.mask;

    if (rules.used >= rules.mask / 2) {  /* never full: probes end */
        rules.unsure = 1;
        return;
    }
    while (rules.slot[i] && rules.slot[i] != k)
        i = (i + 1) & rules.mask;
    rules.used += !rules.slot[i];
    rules.slot[i] = k;
}

/* 1 when key k may be in the hashes (a different key may share its
 * hash, which costs only a libpsl look-up). */
static int
key_has(uint64_t k)
{
    size_t i = (size_t)(k >> 2) & rules.mask;

    while (rules.slot[i]) {
        if (rules.slot[i] == k)
            return 1;
        i = (i + 1) & rules.mask;
    }
    return 0;
}

/* 1 when the n bytes at s are lower-case letters, digits, '-' and '_'
 * in labels with a dot between each two. */
static int
plain_chars(const char *s, size_t n)
{
    if (n == 0 || s[0] == '.' || s[n - 1] == '.')
        return 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char b = (unsigned char)s[i];
        if (!((b >= 'a' && b <= 'z') || (b >= '0' && b <= '9') ||
              b == '-' || b == '_' || (b == '.' && s[i + 1] != '.')))
            return 0;
    }
    return 1;
}

/* 1 when the n bytes at s are a plain name: plain_chars(), no "xn--". */
static int
plain(const char *s, size_t n)
{
    return plain_chars(s, n) && !memmem(s, n, "xn--", 4);
}

/* Blocks whose letters IDNA keeps out of ASCII: Latin-1 and Latin
 * Extended-A letters (but for the ij ligatures, L with middle dot, n
 * preceded by apostrophe and long s, which map to ASCII or partly),
 * Greek, Cyrillic, Armenian, Hebrew, Arabic, the Indic scripts, Thai,
 * Lao, Georgian, kana, CJK and Hangul. */
static const uint32_t foreign[][2] = {
    { 0xc0, 0xd6 }, { 0xd8, 0xde }, { 0xe0, 0xf6 }, { 0xf8, 0x131 },
    { 0x134, 0x13e }, { 0x141, 0x148 }, { 0x14a, 0x17e },
    { 0x391, 0x3c9 }, { 0x400, 0x4ff }, { 0x531, 0x5ff }, { 0x600, 0x6ff },
    { 0x900, 0xeff }, { 0x10a0, 0x10ff }, { 0x3040, 0x30ff },
    { 0x3400, 0x4dbf }, { 0x4e00, 0x9fff }, { 0xac00, 0xd7a3 },
};

/* 1 when the n bytes at s (UTF-8) hold a letter of those blocks: the
 * ASCII form of a rule with one has "xn--", so only names that are not
 * plain can match it. */
static int
has_foreign_letter(const char *s, size_t n)
{
    const unsigned char *p = (const unsigned char *)s, *end = p + n;

    while (p < end) {
        uint32_t c = *p++;
        int more = c >= 0xf0 ? 3 : c >= 0xe0 ? 2 : c >= 0xc0 ? 1 : 0;
        if (c < 0x80 || (c < 0xc0 && c >= 0x80) || end - p < more)
            continue;
        c &= 0x3fu >> more;
        for (int i = 0; i < more; i++)
            c = c << 6 | (*p++ & 0x3fu);
        for (size_t k = 0; k < sizeof foreign / sizeof foreign[0]; k++)
            if (c >= foreign[k][0] && c <= foreign[k][1])
                return 1;
    }
    return 0;
}

/* Hash the rule of one line of the list: what follows its leading blanks
 * up to the next blank or control byte, in lower case, without trailing
 * dots. */
static void
hash_rule(char *line, size_t len)
{
    const char *dot;
    size_t n = 0;

    while (len && (unsigned char)*line <= ' ') {
        line++;
        len--;
    }
    while (n < len && (unsigned char)line[n] > ' ')
        n++;
    if (n == 0 || (n >= 2 && line[0] == '/' && line[1] == '/'))
        return;
    if (line[0] == '!')                 /* exceptions only narrow "*.P" */
        return;
    while (n && line[n - 1] == '.')
        n--;
    for (size_t i = 0; i < n; i++)
        if (line[i] >= 'A' && line[i] <= 'Z')
            line[i] = (char)(line[i] - 'A' + 'a');
    if (n > 2 && line[0] == '*' && line[1] == '.') {
        line += 2;                      /* libpsl takes P itself for a */
        n -= 2;                         /* suffix too */
        key_add(key_of(line, n, KEY_WILD));
    }
    if (!plain_chars(line, n)) {
        if (!has_foreign_letter(line, n))
            rules.unsure = 1;           /* what names it is is unknown */
        return;
    }
    if (memmem(line, n, "xn--", 4))
        return;                         /* names with "xn--" are asked */
    key_add(key_of(line, n, KEY_RULE));
    dot = memchr(line, '.', n);
    if (dot)
        key_add(key_of(dot + 1, n - (size_t)(dot + 1 - line), KEY_PARENT));
}

/* Longest line read: no name is longer, and libpsl reads a longer line
 * in pieces. */
#define RULE_LINE_MAX 253

/* Hash the rules of the list text t (n bytes, changed: lower-cased);
 * none when a line is too long to hold a rule, or a rule is one the
 * hashes cannot answer for. */
static void
hash_rules(char *t, size_t n)
{
    size_t keys = 1;
    char *p = t, *end = t + n;

    for (size_t i = 0; i < n; i++)      /* 3 a line and 1 a dot at most */
        keys += t[i] == '\n' ? 3 : t[i] == '.';
    rules.mask = 1;
    while (rules.mask < keys * 2 + 64)
        rules.mask <<= 1;
    rules.slot = xcalloc(rules.mask, sizeof *rules.slot);
    rules.mask--;
    while (p < end && !rules.unsure) {
        char *nl = memchr(p, '\n', (size_t)(end - p));
        size_t len = nl ? (size_t)(nl - p) : (size_t)(end - p);
        rules.unsure = len > RULE_LINE_MAX || memchr(p, '\0', len);
        hash_rule(p, len);
        p += len + 1;
    }
    if (rules.unsure) {
        free(rules.slot);
        rules.slot = NULL;
        rules.mask = rules.used = 0;
    }
}

/* The whole file at path in memory (*n bytes, NUL after), or NULL. */
static char *
slurp(const char *path, size_t *n)
{
    FILE *f = fopen(path, "rb");
    size_t cap = 1 << 16, len = 0, got;
    char *t;

    if (!f)
        return NULL;
    t = xmalloc(cap + 1);
    while ((got = fread(t + len, 1, cap - len, f)) > 0) {
        len += got;
        if (len == cap && cap < (64u << 20)) {
            cap *= 2;
            t = xrealloc(t, cap + 1);
        }
        if (len == cap)
            break;                      /* too big for a list */
    }
    if (ferror(f) || !feof(f)) {
        fclose(f);
        free(t);
        return NULL;
    }
    fclose(f);
    t[len] = '\0';
    *n = len;
    return t;
}

/* 1 when the n bytes at t have the SHA-1 hex (lower case). */
static int
sha1_is(const char *t, size_t n, const char *hex)
{
    struct sha1_ctx c;
    uint8_t d[SHA1_DIGEST_SIZE];
    char h[2 * SHA1_DIGEST_SIZE + 1];

    sha1_init(&c);
    sha1_update(&c, n, (const uint8_t *)t);
    sha1_digest(&c, sizeof d, d);
    for (size_t i = 0; i < sizeof d; i++)
        snprintf(h + 2 * i, 3, "%02x", d[i]);
    return hex && strcmp(h, hex) == 0;
}

/* The list of the text t (n bytes), read by libpsl. */
static psl_ctx_t *
load_text(const char *t, size_t n)
{
    FILE *f = fmemopen((void *)(uintptr_t)t, n, "r");
    psl_ctx_t *ctx = f ? psl_load_fp(f) : NULL;

    if (f)
        fclose(f);
    return ctx;
}

static void
load_psl(void)
{
    const char *path = list_path ? list_path : psl_builtin_filename();
    size_t n = 0;
    char *t = path ? slurp(path, &n) : NULL;

    if (t && list_path)
        psl_ctx = load_text(t, n);
    else if (t && sha1_is(t, n, psl_builtin_sha1sum()))
        psl_ctx = psl_builtin();        /* the list t is the text of */
    if (psl_ctx)
        hash_rules(t, n);
    else
        psl_ctx = psl_latest(NULL);
    if (!psl_ctx)
        psl_ctx = psl_builtin();
    free(t);
}

static const psl_ctx_t *
psl(void)
{
    pthread_once(&psl_once, load_psl);
    return psl_ctx;
}

void
names_use_list(const char *path)
{
    list_path = path;
}

size_t
names_rule_hashes(void)
{
    psl();
    return rules.used;
}

/* What the rules say of the children of parent[0..n). */
static enum child_rules
children_of(const char *parent, size_t n)
{
    if (!rules.mask || key_has(key_of(parent, n, KEY_WILD)))
        return CHILD_ANY;
    return key_has(key_of(parent, n, KEY_PARENT)) ? CHILD_SOME
                                                  : CHILD_NONE;
}

/* 1 when norm (n bytes), a child of the parent of slot s, may be a
 * public suffix itself. */
static int
may_be_suffix(const struct cache_slot *s, const char *norm, size_t n)
{
    if (s->children == CHILD_ANY || !plain(norm, n))
        return 1;
    return s->children == CHILD_SOME &&
           key_has(key_of(norm, n, KEY_RULE));
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
    s->children = children_of(parent, plen);
    memcpy(s->parent, parent, plen + 1);
    return 0;
}

/*
 * Dynamic DNS and free-subdomain zones that the Public Suffix List does
 * not hold (it holds dyndns.org, ddns.net, duckdns.org and many more).
 * Their customers choose the label below them, as under a private
 * suffix: FreeDNS's shared zones, ChangeIP's, 3322.org and the like.
 */
static const char *const dyndns_zones[] = {
    "mooo.com", "yi.org", "us.to", "uk.to", "my.to", "chickenkiller.com",
    "ignorelist.com", "jumpingcrab.com", "strangled.net",
    "twilightparadox.com", "crabdance.com", "publicvm.com",
    "dynserv.com", "changeip.com", "changeip.net", "changeip.org",
    "3322.org", "8866.org",
};

/* 1 when domain is one of dyndns_zones. */
static int
is_dyndns_zone(const char *domain)
{
    for (size_t i = 0; i < sizeof dyndns_zones / sizeof *dyndns_zones; i++)
        if (strcmp(domain, dyndns_zones[i]) == 0)
            return 1;
    return 0;
}

/*
 * Zones whose labels a cloud provider assigns, not its customer; "*"
 * stands for one label. The label right below one of them names one
 * customer's endpoint, so it starts the site, as below a private suffix
 * of the list (which holds cloudfront.net but not azureedge.net).
 * Load balancers sit below a region label, and Front Door's newer
 * endpoints below a shard label: "name-hash.z01.azurefd.net".
 */
struct zone {
    const char *tail;       /* the zone, or the part after its "*" */
    size_t      tail_len;
    const char *head;       /* the part before the "*", or "" */
    size_t      head_len;
    int         star;
};

#define ZONE(z)    { z, sizeof z - 1, "", 0, 0 }
#define STAR(h, t) { t, sizeof t - 1, h, sizeof h - 1, 1 }

static const struct zone provider_zones[] = {
    ZONE("cloudfront.net"), ZONE("awsglobalaccelerator.com"),
    ZONE("elb.amazonaws.com"), STAR("", ".elb.amazonaws.com"),
    STAR("execute-api.", ".amazonaws.com"), STAR("lambda-url.", ".on.aws"),
    ZONE("azureedge.net"), ZONE("azurefd.net"), STAR("", ".azurefd.net"),
};

/*
 * Where zone z starts in norm[0..n) when norm is strictly below it; n
 * when it is not.
 */
static size_t
zone_start(const char *norm, size_t n, const struct zone *z)
{
    size_t t = z->tail_len, h = z->head_len, end, start;

    if (n <= t || norm[n - 1] != z->tail[t - 1] ||  /* most differ here */
        memcmp(norm + n - t, z->tail, t) != 0)
        return n;
    if (!z->star)
        return norm[n - t - 1] == '.' ? n - t : n;
    end = start = n - t;          /* the label "*" stands for, then head */
    while (start > 0 && norm[start - 1] != '.')
        start--;
    if (start == end || start <= h || norm[start - h - 1] != '.' ||
        memcmp(norm + start - h, z->head, h) != 0)
        return n;
    return start - h;
}

const char *
names_provider_endpoint(const char *norm, size_t n)
{
    size_t best = n;
    const char *q;

    for (size_t i = 0; i < sizeof provider_zones / sizeof *provider_zones;
         i++) {
        size_t at = zone_start(norm, n, &provider_zones[i]);
        if (at < best)
            best = at;                  /* the longest zone wins */
    }
    if (best == n)
        return NULL;
    q = norm + best - 1;                /* the dot before the zone */
    while (q > norm && q[-1] != '.')
        q--;
    return q;
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
            (may_be_suffix(s, norm, n) &&
             psl_is_public_suffix(psl(), norm))) {
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
    /* Below a dynamic DNS zone the site gains the customer's label. */
    if (parts->site && parts->site == parts->domain &&
        parts->domain > norm && is_dyndns_zone(parts->domain)) {
        const char *q = parts->domain - 1;      /* the dot before it */
        while (q > norm && q[-1] != '.')
            q--;
        parts->site = q;
    }
    /* Below a provider's zone the site is the endpoint's name. */
    if (parts->site) {
        const char *q = names_provider_endpoint(norm, n);
        if (q && q < parts->site)
            parts->site = q;
    }
    if (parts->domain && parts->domain > norm)
        parts->sub_len = (size_t)(parts->domain - norm) - 1;
}
