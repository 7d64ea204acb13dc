/* SPDX-License-Identifier: MIT
 *
 * Public-suffix splitting through libpsl (see names.h). The list is the
 * system's copy in text form when it is at least as new as the one built
 * into libpsl, else the newer of that one and the system's compiled copy.
 *
 * From a list in text form the rules are also kept as hashes, so that
 * most names need no libpsl look-up to know they are no public suffix
 * themselves (below): a name label.P is one only by a rule for label.P,
 * a wildcard rule for P, or one for label.P (libpsl takes the parent of
 * a wildcard for a suffix too); the default rule "*" makes only a single
 * label one. libpsl answers whenever the hashes say it may be one,
 * when the name is not plain lower-case ASCII (libpsl turns rules in
 * Unicode into punycode; the hashes hold only ASCII rules) and when no
 * text form was read.
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
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

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
 * an empty slot); mask is 0 when there are none. Read-only once built. */
static struct {
    uint64_t *slot;
    size_t    mask;
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

    while (rules.slot[i] && rules.slot[i] != k)
        i = (i + 1) & rules.mask;
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

/* 1 when the n bytes at s are lower-case ASCII without "xn--". */
static int
plain(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        unsigned char b = (unsigned char)s[i];
        if (b >= 0x80 || (b >= 'A' && b <= 'Z'))
            return 0;
    }
    return !memmem(s, n, "xn--", 4);
}

/* Hash the rule of one line of the list (what precedes its first blank,
 * in lower case; comments and rules not in ASCII left out). */
static void
hash_rule(char *line)
{
    size_t n = strcspn(line, " \t\r\n");
    const char *dot;

    if (n == 0 || (n >= 2 && line[0] == '/' && line[1] == '/'))
        return;
    if (line[0] == '!')                 /* exceptions only narrow "*.P" */
        return;
    for (size_t i = 0; i < n; i++)
        if (line[i] >= 'A' && line[i] <= 'Z')
            line[i] = (char)(line[i] - 'A' + 'a');
    if (n > 2 && line[0] == '*' && line[1] == '.') {
        line += 2;                      /* libpsl takes P itself for a */
        n -= 2;                         /* suffix too */
        key_add(key_of(line, n, KEY_WILD));
    }
    if (!plain(line, n) || memchr(line, '*', n))
        return;                         /* libpsl is asked for these */
    key_add(key_of(line, n, KEY_RULE));
    dot = memchr(line, '.', n);
    if (dot)
        key_add(key_of(dot + 1, n - (size_t)(dot + 1 - line), KEY_PARENT));
}

/* Hash the rules of the list in text form at path; none when it cannot
 * be read in full or has a line too long to be a rule. */
static void
hash_rules(const char *path)
{
    FILE *f = fopen(path, "r");
    char line[1024];
    size_t lines = 0;
    int bad = 0;

    if (!f)
        return;
    while (fgets(line, sizeof line, f))
        lines++;
    rules.mask = 1;
    while (rules.mask < lines * 4)      /* three keys a rule at most */
        rules.mask <<= 1;
    rules.slot = xcalloc(rules.mask, sizeof *rules.slot);
    rules.mask--;
    rewind(f);
    while (!bad && fgets(line, sizeof line, f)) {
        bad = !strchr(line, '\n') && !feof(f);
        hash_rule(line);
    }
    if (bad || ferror(f)) {
        free(rules.slot);
        rules.slot = NULL;
        rules.mask = 0;
    }
    fclose(f);
}

/* The modification time of path, or -1 when it cannot be read. */
static time_t
mtime_of(const char *path)
{
    struct stat st;

    return stat(path, &st) == 0 ? st.st_mtime : (time_t)-1;
}

/*
 * The system's list in text form, beside the compiled file libpsl would
 * load ("public_suffix_list.dafsa" -> ".dat", which that file is made
 * from) when at least as new as the built-in list; NULL when none.
 */
static const char *
system_text_list(char *path, size_t size)
{
    const char *dist = psl_dist_filename();
    size_t n = dist ? strlen(dist) : 0;

    if (n < 6 || n - 6 + 5 > size || strcmp(dist + n - 6, ".dafsa") != 0)
        return NULL;
    memcpy(path, dist, n - 6);
    memcpy(path + n - 6, ".dat", 5);
    if (mtime_of(path) < (time_t)psl_builtin_file_time())
        return NULL;
    return path;
}

static void
load_psl(void)
{
    char buf[4096];
    const char *path = list_path ? list_path
                                 : system_text_list(buf, sizeof buf);
    psl_ctx_t *ctx = path ? psl_load_file(path) : NULL;

    if (ctx) {
        psl_ctx = ctx;
        hash_rules(path);
        return;
    }
    psl_ctx = psl_latest(NULL);
    if (!psl_ctx)
        psl_ctx = psl_builtin();
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
    if (parts->domain && parts->domain > norm)
        parts->sub_len = (size_t)(parts->domain - norm) - 1;
}
