/* SPDX-License-Identifier: MIT
 *
 * Applying allow-list entries (see allow.h).
 */
#include "core/allow.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/asn.h"
#include "core/util.h"
#include "storage/decisions.h"

static const char *const kind_names[AK_COUNT] = {
    "exact", "suffix", "registrable", "host", "cidr", "resolver", "asn",
};

const char *
allow_kind_name(enum allow_kind k)
{
    return (unsigned)k < AK_COUNT ? kind_names[k] : "?";
}

/* A name as the store keeps it: printable ASCII, \DDD for other bytes
 * (as AWS logs them), labels of 1 to 63, 253 in all, no wildcard. */
static int
parse_name(const char *value, char *norm, size_t cap, char *err,
           size_t errlen)
{
    size_t n = strlen(value), label = 0;

    if (n > 1 && value[n - 1] == '.')
        n--;
    if (n == 0 || n > 253 * 4 || n >= cap) {
        snprintf(err, errlen, "a name of 1 to 253 characters");
        return -1;
    }
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)value[i];
        if (c <= ' ' || c > '~' || c == '#' || c == '*') {
            snprintf(err, errlen, "names are ASCII without spaces, '#' or "
                     "'*' (punycode for others, \\DDD for odd bytes)");
            return -1;
        }
        if (c == '.' ? label == 0 || label > 63 : 0) {
            snprintf(err, errlen, "a label of the name is empty or over 63");
            return -1;
        }
        label = c == '.' ? 0 : label + 1;
        norm[i] = (char)(c >= 'A' && c <= 'Z' ? c + 32 : c);
    }
    if (label == 0 || label > 63) {
        snprintf(err, errlen, "a label of the name is empty or over 63");
        return -1;
    }
    norm[n] = '\0';
    return 0;
}

/* An address (or a network's address) in canonical text and bytes. */
static int
parse_addr(const char *s, unsigned char bytes[16], int *v6, char *out,
           size_t cap)
{
    memset(bytes, 0, 16);
    if (inet_pton(AF_INET, s, bytes) == 1) {
        *v6 = 0;
        return inet_ntop(AF_INET, bytes, out, (socklen_t)cap) ? 0 : -1;
    }
    if (inet_pton(AF_INET6, s, bytes) == 1) {
        *v6 = 1;
        return inet_ntop(AF_INET6, bytes, out, (socklen_t)cap) ? 0 : -1;
    }
    return -1;
}

static int
parse_cidr(const char *value, struct allow_item *it, char *norm, size_t cap,
           char *err, size_t errlen)
{
    char addr[64], text[64];
    const char *slash = strchr(value, '/');
    char *end;
    long bits;

    if (!slash || (size_t)(slash - value) >= sizeof addr) {
        snprintf(err, errlen, "a network as ADDRESS/LENGTH");
        return -1;
    }
    memcpy(addr, value, (size_t)(slash - value));
    addr[slash - value] = '\0';
    bits = strtol(slash + 1, &end, 10);
    if (parse_addr(addr, it->net, &it->v6, text, sizeof text) != 0 ||
        *end || end == slash + 1 || bits < 0 || bits > (it->v6 ? 128 : 32)) {
        snprintf(err, errlen, "a network as ADDRESS/LENGTH");
        return -1;
    }
    if (bits < (it->v6 ? 16 : 8)) {
        snprintf(err, errlen, "a network of /%d or longer: shorter ones hide "
                 "half the internet", it->v6 ? 16 : 8);
        return -1;
    }
    it->bits = (int)bits;
    for (int b = it->bits; b < (it->v6 ? 128 : 32); b++)   /* host bits */
        it->net[b / 8] &= (unsigned char)~(0x80 >> (b % 8));
    inet_ntop(it->v6 ? AF_INET6 : AF_INET, it->net, text, sizeof text);
    snprintf(norm, cap, "%s/%d", text, it->bits);
    return 0;
}

int
allow_parse(const char *kind, const char *value, const char *scope,
            struct allow_item *out, char *norm, size_t cap, char *err,
            size_t errlen)
{
    int k;
    unsigned char bytes[16];
    int v6;

    memset(out, 0, sizeof *out);
    out->value = norm;
    for (k = 0; k < AK_COUNT && strcmp(kind, kind_names[k]) != 0; k++)
        ;
    if (k == AK_COUNT) {
        snprintf(err, errlen, "the kinds are exact, suffix, registrable, "
                 "host, cidr, resolver and asn");
        return -1;
    }
    out->kind = (enum allow_kind)k;
    if (strcmp(scope, "all") == 0)
        out->scope = AS_ALL;
    else if (strcmp(scope, "lexical") == 0)
        out->scope = AS_LEXICAL;
    else {
        snprintf(err, errlen, "the scopes are all and lexical");
        return -1;
    }
    if (k == AK_CIDR)
        return parse_cidr(value, out, norm, cap, err, errlen);
    if (k == AK_ASN) {
        if (asn_parse(value, &out->asn) != 0) {
            snprintf(err, errlen, "an autonomous system number: AS16509 "
                     "or 16509");
            return -1;
        }
        /* A domain's owner picks its addresses: an entry by network
         * owner may quiet how names look, never what they carry. */
        if (out->scope != AS_LEXICAL) {
            snprintf(err, errlen, "asn entries take scope lexical only: a "
                     "name's owner chooses its addresses, so they may "
                     "quiet the DGA signal but never tunnel evidence");
            return -1;
        }
        snprintf(norm, cap, "AS%u", out->asn);
        return 0;
    }
    if (k == AK_HOST || k == AK_RESOLVER) {
        if (parse_addr(value, bytes, &v6, norm, cap) != 0) {
            snprintf(err, errlen, "an IPv4 or IPv6 address");
            return -1;
        }
        return 0;
    }
    return parse_name(value, norm, cap, err, errlen);
}

struct loading {
    struct allow_list *l;
    int64_t            now;
};

static int
load_one(void *arg, const struct allow_entry *e)
{
    struct loading *L = arg;
    struct allow_item it;
    char norm[300], err[128];

    if (e->expires_at && e->expires_at <= L->now)
        return 0;
    if (allow_parse(e->kind, e->value, e->scope, &it, norm, sizeof norm, err,
                    sizeof err) != 0)
        return 0;               /* edited by hand into nonsense */
    it.id = e->id;
    it.value = xstrdup(norm);
    L->l->v = xrealloc(L->l->v, (L->l->n + 1) * sizeof *L->l->v);
    L->l->v[L->l->n++] = it;
    return 0;
}

enum dh_status
allow_load(struct db *db, int64_t now, struct allow_list *l, char *err,
           size_t errlen)
{
    struct loading L = { l, now };

    l->v = NULL;
    l->n = 0;
    return decisions_allow_list(db, load_one, &L, err, errlen);
}

void
allow_free(struct allow_list *l)
{
    for (size_t i = 0; i < l->n; i++)
        free(l->v[i].value);
    free(l->v);
    l->v = NULL;
    l->n = 0;
}

/* 1 when norm is zone or below it. */
static int
under(const char *norm, const char *zone)
{
    size_t n = strlen(norm), z = strlen(zone);

    return n >= z && memcmp(norm + n - z, zone, z) == 0 &&
           (n == z || norm[n - z - 1] == '.');
}

const struct allow_item *
allow_name(const struct allow_list *l, const char *norm,
           const char *registrable)
{
    const struct allow_item *best = NULL;

    for (size_t i = 0; i < l->n; i++) {
        const struct allow_item *it = &l->v[i];
        int hit = (it->kind == AK_EXACT && strcmp(norm, it->value) == 0) ||
                  (it->kind == AK_SUFFIX && under(norm, it->value)) ||
                  (it->kind == AK_REGISTRABLE && registrable &&
                   strcmp(registrable, it->value) == 0);
        if (hit && (!best || it->scope < best->scope))
            best = it;
    }
    return best;
}

static int
in_net(const struct allow_item *it, const unsigned char a[16], int v6)
{
    if (v6 != it->v6)
        return 0;
    for (int b = 0; b < it->bits; b++) {
        int m = 0x80 >> (b % 8);
        if ((a[b / 8] & m) != (it->net[b / 8] & m))
            return 0;
    }
    return 1;
}

const struct allow_item *
allow_host(const struct allow_list *l, const char *addr)
{
    unsigned char a[16];
    char canon[64];
    int v6;

    if (parse_addr(addr, a, &v6, canon, sizeof canon) != 0)
        return NULL;
    for (size_t i = 0; i < l->n; i++) {
        const struct allow_item *it = &l->v[i];
        if ((it->kind == AK_HOST && strcmp(it->value, canon) == 0) ||
            (it->kind == AK_CIDR && in_net(it, a, v6)))
            return it;
    }
    return NULL;
}

int
allow_resolver(const struct allow_list *l, const char *addr)
{
    unsigned char a[16];
    char canon[64];
    int v6;

    if (parse_addr(addr, a, &v6, canon, sizeof canon) != 0)
        return 0;
    for (size_t i = 0; i < l->n; i++)
        if (l->v[i].kind == AK_RESOLVER && strcmp(l->v[i].value, canon) == 0)
            return 1;
    return 0;
}

int
allow_has_kind(const struct allow_list *l, enum allow_kind k)
{
    int n = 0;

    for (size_t i = 0; i < l->n; i++)
        n += l->v[i].kind == k;
    return n;
}

const struct allow_item *
allow_asn(const struct allow_list *l, uint32_t asn)
{
    for (size_t i = 0; asn && i < l->n; i++)
        if (l->v[i].kind == AK_ASN && l->v[i].asn == asn)
            return &l->v[i];
    return NULL;
}
