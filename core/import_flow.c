/* SPDX-License-Identifier: MIT
 *
 * VPC Flow Log line parser (see import_flow.h).
 */
#include "core/import_flow.h"

#include <arpa/inet.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "core/flowfields.h"
#include "core/isotime.h"

/* A token of a line. */
struct tok {
    const char *s;
    size_t      n;
};

#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
#define LITTLE_ENDIAN_WORDS 1   /* the first byte in memory is the lowest */
#else
#define LITTLE_ENDIAN_WORDS 0
#endif

/*
 * First byte at or after p that is <= ' ' (space, tab, control), or end.
 * Eight bytes at a time: the high bit of a byte below 0x21 survives
 * (w - 0x21..) & ~w, and the lowest such bit is exact.
 */
static const unsigned char *
skip_printable(const unsigned char *p, const unsigned char *end)
{
    const uint64_t ones = 0x0101010101010101ull;
    uint64_t w, stop;

    while (LITTLE_ENDIAN_WORDS && end - p >= 8) {
        memcpy(&w, p, 8);
        stop = (w - ones * 0x21) & ~w & (ones * 0x80);
        if (stop)
            return p + __builtin_ctzll(stop) / 8;
        p += 8;
    }
    while (p < end && *p > ' ')
        p++;
    return p;
}

/* Split on runs of spaces and tabs; returns the count (max + 1 if more). */
static int
split(const char *line, size_t len, struct tok *t, int max)
{
    const unsigned char *p = (const unsigned char *)line, *end = p + len;
    int n = 0;

    for (;;) {
        while (p < end && (*p == ' ' || *p == '\t'))
            p++;
        if (p == end)
            return n;
        if (n == max)
            return max + 1;
        const unsigned char *start = p;
        /* Fields are printable: stop only to look at a byte <= ' '. */
        for (;;) {
            p = skip_printable(p, end);
            if (p == end || *p == ' ' || *p == '\t')
                break;
            p++;                            /* another control byte */
        }
        t[n].s = (const char *)start;
        t[n].n = (size_t)(p - start);
        n++;
    }
}

static int
is_name_token(const struct tok *t)
{
    if (t->n == 0 || !(t->s[0] >= 'a' && t->s[0] <= 'z'))
        return 0;
    for (size_t i = 0; i < t->n; i++) {
        char c = t->s[i];
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
              c == '-' || c == '_'))
            return 0;
    }
    return 1;
}

/* A header: every token is a name, at least one a known field. */
static int
is_header(const struct tok *t, int n)
{
    int known = 0;

    for (int i = 0; i < n; i++) {
        if (!is_name_token(&t[i]))
            return 0;
        known += flowfield_lookup(t[i].s, t[i].n) >= 0;
    }
    return known > 0;
}

static enum dh_status
build_map(const struct tok *t, int n, int *map, int *unknown, char *err,
          size_t errlen)
{
    unsigned char seen[FF_COUNT] = { 0 };

    *unknown = 0;
    for (int i = 0; i < n; i++) {
        int f = flowfield_lookup(t[i].s, t[i].n);
        map[i] = f;
        if (f < 0) {
            (*unknown)++;
            continue;
        }
        if (seen[f]++) {
            snprintf(err, errlen, "field %s appears twice",
                     flowfield_def(f)->name);
            return DH_BAD_HEADER;
        }
    }
    return DH_OK;
}

/*
 * Remember the first FLOW_UNKNOWN_MAX header names that are not in the
 * catalogue (fields AWS adds later), so their values can be kept.
 */
static void
keep_unknown_names(struct flow_parser *p, const struct tok *t, int n)
{
    int k = 0;

    for (int i = 0; i < n && k < FLOW_UNKNOWN_MAX; i++) {
        if (p->map[i] >= 0)
            continue;
        size_t len = t[i].n < 63 ? t[i].n : 63;
        for (size_t j = 0; j < len; j++)
            p->unk_name[k][j] = t[i].s[j] == '-' ? '_' : t[i].s[j];
        p->unk_name[k][len] = '\0';
        p->unk_col[k++] = i;
    }
    for (; k < FLOW_UNKNOWN_MAX; k++)
        p->unk_col[k] = -1;
}

void
flow_reset(struct flow_parser *p)
{
    p->n = 0;
    p->unknown_names = 0;
}

enum dh_status
flow_set_format(struct flow_parser *p, const char *names, char *err,
                size_t errlen)
{
    struct tok t[FLOW_MAX_FIELDS];
    int n = split(names, strlen(names), t, FLOW_MAX_FIELDS), unknown;
    enum dh_status rc;

    if (n == 0 || n > FLOW_MAX_FIELDS) {
        snprintf(err, errlen, "expected 1 to %d field names",
                 FLOW_MAX_FIELDS);
        return DH_BAD_HEADER;
    }
    rc = build_map(t, n, p->fallback, &unknown, err, errlen);
    if (rc == DH_OK && unknown) {
        for (int i = 0; i < n; i++)
            if (p->fallback[i] < 0) {
                snprintf(err, errlen, "unknown field name '%.*s'",
                         (int)t[i].n, t[i].s);
                return DH_BAD_HEADER;
            }
    }
    if (rc == DH_OK)
        p->n_fallback = n;
    return rc;
}

int
flow_ipv4(const char *s, size_t n)
{
    int parts = 0, digits = 0, v = 0;

    for (size_t i = 0; i <= n; i++) {
        if (i == n || s[i] == '.') {
            if (digits == 0 || ++parts > 4)
                return 0;
            digits = v = 0;
            continue;
        }
        if (s[i] < '0' || s[i] > '9' || (digits == 1 && v == 0))
            return 0;
        v = v * 10 + (s[i] - '0');
        if (v > 255)
            return 0;
        digits++;
    }
    return parts == 4;
}

static int
all_of(const struct tok *t, const char *set)
{
    for (size_t i = 0; i < t->n; i++)
        if (!strchr(set, t->s[i]))
            return 0;
    return t->n > 0;
}

/*
 * A token that could be a flow log value: "-", a number, an address,
 * an upper-case word (ACCEPT, OK, S3, AMAZON), IPv4/IPv6, a direction,
 * a lower-case id with a hyphen (eni-..., us-east-1, use1-az1) or an ARN.
 */
static int
flowish(const struct tok *t)
{
    static const char *const words[] = { "IPv4", "IPv6", "ingress",
                                         "egress", "unknown" };
    char tmp[64];
    unsigned char bin[16];

    if (all_of(t, "-0123456789") ||
        all_of(t, "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_") ||
        (t->n > 4 && memcmp(t->s, "arn:", 4) == 0))
        return 1;
    for (size_t i = 0; i < sizeof words / sizeof words[0]; i++)
        if (strlen(words[i]) == t->n && memcmp(words[i], t->s, t->n) == 0)
            return 1;
    if (memchr(t->s, '-', t->n) &&
        all_of(t, "abcdefghijklmnopqrstuvwxyz0123456789-"))
        return 1;
    if (t->n >= sizeof tmp || !memchr(t->s, ':', t->n))
        return flow_ipv4(t->s, t->n);
    memcpy(tmp, t->s, t->n);
    tmp[t->n] = '\0';
    return inet_pton(AF_INET6, tmp, bin) == 1;
}

int
flow_sniff(const char *line, size_t len)
{
    struct tok t[FLOW_MAX_FIELDS];
    int n = split(line, len, t, FLOW_MAX_FIELDS), first = 0, good = 0;

    if (n > 2 && isotime_looks_like(t[0].s, t[0].n))
        first = 1;                      /* CloudWatch export prefix */
    if (n - first < 2 || n > FLOW_MAX_FIELDS)
        return 0;
    if (is_header(t + first, n - first))
        return 1;
    for (int i = first; i < n; i++)
        good += flowish(&t[i]);
    /* Prose is mostly words; a flow record mostly values. */
    return good * 4 >= (n - first) * 3;
}

static enum dh_status
parse_int(const struct tok *t, const struct flow_field_def *d, int64_t *v,
          char *err, size_t errlen)
{
    uint64_t x = 0;

    if (t->n == 0 || t->n > 19)
        goto bad;
    for (size_t i = 0; i < t->n; i++) {
        if (t->s[i] < '0' || t->s[i] > '9')
            goto bad;
        x = x * 10 + (uint64_t)(t->s[i] - '0');
    }
    if (x > (uint64_t)d->max)
        goto bad;
    *v = (int64_t)x;
    return DH_OK;
bad:
    snprintf(err, errlen, "field %s: '%.*s' is not a number in 0..%lld",
             d->name, t->n > 24 ? 24 : (int)t->n, t->s, (long long)d->max);
    return DH_BAD_NUMBER;
}

/*
 * Check an address field. IPv6 is rewritten in its canonical form (as
 * inet_ntop writes it, the form Route 53 records are stored in), so the
 * same host has the same text in flows and queries.
 */
static enum dh_status
parse_addr(const struct tok *t, int f, struct flow_rec *rec, char *err,
           size_t errlen)
{
    char tmp[64];
    unsigned char bin[16];

    if (flow_ipv4(t->s, t->n))
        return DH_OK;
    if (t->n < sizeof tmp && rec->n_addr < 4) {
        memcpy(tmp, t->s, t->n);
        tmp[t->n] = '\0';
        if (inet_pton(AF_INET6, tmp, bin) == 1) {
            char *out = rec->addr[rec->n_addr++];
            inet_ntop(AF_INET6, bin, out, sizeof rec->addr[0]);
            rec->val[f].text = out;
            rec->val[f].len = strlen(out);
            return DH_OK;
        }
    }
    snprintf(err, errlen, "field %s: not an IP address",
             flowfield_def(f)->name);
    return DH_BAD_ADDRESS;
}

static enum dh_status
parse_value(const struct tok *t, int f, struct flow_rec *rec, char *err,
            size_t errlen)
{
    const struct flow_field_def *d = flowfield_def(f);

    if (t->n == 1 && t->s[0] == '-')
        return DH_OK;                       /* absent */
    rec->val[f].text = t->s;
    rec->val[f].len = t->n;
    if (d->kind == FK_INT)
        return parse_int(t, d, &rec->num[f], err, errlen);
    if (d->kind == FK_ADDR)
        return parse_addr(t, f, rec, err, errlen);
    return DH_OK;
}

static enum dh_status
classify(struct flow_rec *rec, enum flow_kind *kind, char *err,
         size_t errlen)
{
    struct str st = rec->val[FF_LOG_STATUS];

    *kind = FLOW_RECORD;
    if (!st.text || (st.len == 2 && memcmp(st.text, "OK", 2) == 0))
        return DH_OK;
    if ((st.len == 6 && memcmp(st.text, "NODATA", 6) == 0) ||
        (st.len == 8 && memcmp(st.text, "SKIPDATA", 8) == 0)) {
        *kind = FLOW_HEALTH;
        return DH_OK;
    }
    snprintf(err, errlen, "field log-status: unknown value '%.*s'",
             st.len > 16 ? 16 : (int)st.len, st.text);
    return DH_BAD_VALUE;
}

enum dh_status
flow_parse(struct flow_parser *p, const char *line, size_t len,
           struct flow_rec *rec, enum flow_kind *kind, char *err,
           size_t errlen)
{
    struct tok t[FLOW_MAX_FIELDS];
    const int *map = p->map;
    int n, cols = p->n;
    enum dh_status rc;

    if (memchr(line, '\0', len)) {
        snprintf(err, errlen, "line holds a NUL byte");
        return DH_BAD_VALUE;
    }
    n = split(line, len, t, FLOW_MAX_FIELDS);
    if (n > FLOW_MAX_FIELDS) {
        snprintf(err, errlen, "more than %d fields", FLOW_MAX_FIELDS);
        return DH_FIELD_COUNT;
    }
    struct tok *f = t;
    if (!p->fixed && n > 1 && isotime_looks_like(t[0].s, t[0].n)) {
        f++;                                /* CloudWatch export prefix */
        n--;
    }
    if (!p->fixed && is_header(f, n)) {
        rc = build_map(f, n, p->map, &p->unknown_names, err, errlen);
        p->n = rc == DH_OK ? n : -1;
        if (rc == DH_OK)
            keep_unknown_names(p, f, n);
        *kind = FLOW_HEADER;
        return rc;
    }
    if (cols < 0) {
        /* Guessing a layout after a bad header would misplace values. */
        snprintf(err, errlen, "the header line before this one was "
                 "rejected");
        return DH_NO_HEADER;
    }
    if (cols == 0 && p->n_fallback && !(n == 14 && p->n_fallback != 14)) {
        map = p->fallback;          /* else a default-format line */
        cols = p->n_fallback;
    }
    if (cols == 0) {
        if (n != 14) {
            snprintf(err, errlen, "%d fields and no header line (the "
                     "default format has 14; see --flow-format)", n);
            return DH_NO_HEADER;
        }
        map = flowfield_default;
        cols = 14;
    }
    if (n != cols) {
        snprintf(err, errlen, "%d fields, the format has %d", n, cols);
        return DH_FIELD_COUNT;
    }
    memset(rec->val, 0, sizeof rec->val);
    rec->n_addr = 0;
    rec->n_unk = 0;
    for (int i = 0; i < n; i++)
        if (map[i] >= 0 && (rc = parse_value(&f[i], map[i], rec, err,
                                             errlen)) != DH_OK)
            return rc;
    for (int k = 0; map == p->map && p->unknown_names &&
         k < FLOW_UNKNOWN_MAX && p->unk_col[k] >= 0; k++) {
        const struct tok *v = &f[p->unk_col[k]];
        if (v->n == 1 && v->s[0] == '-')
            continue;
        rec->unk_name[rec->n_unk].text = p->unk_name[k];
        rec->unk_name[rec->n_unk].len = strlen(p->unk_name[k]);
        rec->unk_val[rec->n_unk].text = v->s;
        rec->unk_val[rec->n_unk].len = v->n;
        rec->n_unk++;
    }
    return classify(rec, kind, err, errlen);
}
