/* SPDX-License-Identifier: MIT
 *
 * Rows of the CSV files Athena writes for dnshunt's queries (see
 * import_csv.h).
 */
#include "core/import_csv.h"

#include <arpa/inet.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/flowfields.h"

/* The columns of host_queries.csv, in order. */
enum { G_HOST, G_INSTANCE, G_NAME, G_TYPE, G_RCODE, G_ANSWERS, G_QUERIES,
       G_FIRST, G_LAST, G_TIMES, G_COUNT };
static const char *const group_cols[G_COUNT] = {
    "host", "instance", "name", "type", "rcode", "answers", "queries",
    "first_ms", "last_ms", "times",
};

/* The most queries a row may hold, and the times a query may have: from
 * 1970-01-02 to 9999-12-30, as dnshunt's times go. */
#define MAX_GROUP   1000000
#define MIN_TIME_MS 86400000LL
#define MAX_TIME_MS 253402128000000LL

/* --- Cells ------------------------------------------------------------- */

/*
 * Split line into cells: quoted ("a ""b""") or bare, separated by commas.
 * The texts go NUL-terminated into s->cells; cell[i] points there, with
 * len (NULL, a bare empty cell, has len 0). Returns the number of cells,
 * or -1 with why in err.
 */
static int
split(const char *line, size_t n, struct csv_scratch *s, struct str *cell,
      char *err, size_t errlen)
{
    size_t i = 0, starts[CSV_MAX_CELLS], lens[CSV_MAX_CELLS];
    int k = 0;

    buf_reset(&s->cells);
    for (;;) {
        if (k == CSV_MAX_CELLS) {
            snprintf(err, errlen, "more than %d values", CSV_MAX_CELLS);
            return -1;
        }
        starts[k] = s->cells.len;
        if (i < n && line[i] == '"') {
            for (i++;; i++) {
                if (i == n) {
                    snprintf(err, errlen, "value %d: no closing quote", k + 1);
                    return -1;
                }
                if (line[i] == '"' && i + 1 < n && line[i + 1] == '"')
                    i++;
                else if (line[i] == '"')
                    break;
                buf_addc(&s->cells, line[i]);
            }
            i++;
            if (i < n && line[i] != ',') {
                snprintf(err, errlen, "value %d: text after the closing "
                         "quote", k + 1);
                return -1;
            }
        } else {
            for (; i < n && line[i] != ','; i++) {
                if (line[i] == '"') {
                    snprintf(err, errlen, "value %d: a quote inside a bare "
                             "value", k + 1);
                    return -1;
                }
                buf_addc(&s->cells, line[i]);
            }
        }
        lens[k] = s->cells.len - starts[k];
        buf_addc(&s->cells, '\0');
        k++;
        if (i >= n)
            break;
        i++;                                    /* the comma */
    }
    for (int j = 0; j < k; j++) {       /* the buffer may have moved */
        cell[j].text = s->cells.data + starts[j];
        cell[j].len = lens[j];
    }
    return k;
}

/* 1 when the line's cells are exactly names, in order. */
static int
header_is(const struct str *cell, int k, const char *const *names, int n)
{
    if (k != n)
        return 0;
    for (int i = 0; i < n; i++)
        if (cell[i].len != strlen(names[i]) ||
            memcmp(cell[i].text, names[i], cell[i].len) != 0)
            return 0;
    return 1;
}

enum csv_kind
csv_header_kind(const char *line, size_t n)
{
    struct csv_scratch s = { 0 };
    struct str cell[CSV_MAX_CELLS];
    int k, flows = 1;
    char err[80];

    if (n == 0 || line[0] != '"' ||
        (k = split(line, n, &s, cell, err, sizeof err)) < 2) {
        csv_scratch_free(&s);
        return CSV_NONE;
    }
    if (header_is(cell, k, group_cols, G_COUNT)) {
        csv_scratch_free(&s);
        return CSV_GROUPS;
    }
    for (int i = 0; i < k; i++)
        if (flowfield_lookup(cell[i].text, cell[i].len) < 0)
            flows = 0;
    csv_scratch_free(&s);
    return flows ? CSV_FLOWS : CSV_NONE;
}

/* --- host_queries.csv -------------------------------------------------- */

/* A whole decimal integer in [lo, hi], or -1 with why. */
static int
integer(const struct str *c, const char *what, long long lo, long long hi,
        long long *v, char *err, size_t errlen)
{
    char *end;

    if (c->len == 0 || c->len > 19 || strspn(c->text, "-0123456789") !=
        c->len) {
        snprintf(err, errlen, "%s: not a whole number", what);
        return -1;
    }
    *v = strtoll(c->text, &end, 10);
    if (end != c->text + c->len) {
        snprintf(err, errlen, "%s: not a whole number", what);
        return -1;
    }
    if (*v < lo || *v > hi) {
        snprintf(err, errlen, "%s: %lld is out of range", what, *v);
        return -1;
    }
    return 0;
}

/* Decode one JSON string of the answers at *p (after its quote) into b;
 * \u00XX gives the byte XX, as dnshunt writes bytes, and above U+00FF
 * the UTF-8 bytes. Returns 0 with *p past the closing quote, or -1. */
static int
json_string(const char **p, const char *end, struct buf *b)
{
    static const char plain[] = "\"\\/bfnrt", value[] = "\"\\/\b\f\n\r\t";

    while (*p < end && **p != '"') {
        unsigned c = (unsigned char)*(*p)++, u;
        const char *e;
        if (c != '\\') {
            buf_addc(b, (char)c);
            continue;
        }
        if (*p >= end)
            return -1;
        if ((e = strchr(plain, **p)) && **p) {
            buf_addc(b, value[e - plain]);
            (*p)++;
            continue;
        }
        if (**p != 'u' || end - *p < 5 || sscanf(*p + 1, "%4x", &u) != 1 ||
            strspn(*p + 1, "0123456789abcdefABCDEF") < 4)
            return -1;
        *p += 5;
        if (u >= 0xd800 && u < 0xdc00) {        /* a surrogate pair */
            unsigned lo;
            if (end - *p < 6 || (*p)[0] != '\\' || (*p)[1] != 'u' ||
                strspn(*p + 2, "0123456789abcdefABCDEF") < 4 ||
                sscanf(*p + 2, "%4x", &lo) != 1 || lo < 0xdc00 ||
                lo > 0xdfff)
                return -1;
            *p += 6;
            u = 0x10000 + ((u - 0xd800) << 10) + (lo - 0xdc00);
            buf_addc(b, (char)(0xf0 | u >> 18));
            buf_addc(b, (char)(0x80 | ((u >> 12) & 0x3f)));
            buf_addc(b, (char)(0x80 | ((u >> 6) & 0x3f)));
            buf_addc(b, (char)(0x80 | (u & 0x3f)));
        } else if (u >= 0xdc00 && u < 0xe000) {
            return -1;                          /* a lone low surrogate */
        } else if (u < 0x100) {
            buf_addc(b, (char)u);
        } else if (u < 0x800) {
            buf_addc(b, (char)(0xc0 | u >> 6));
            buf_addc(b, (char)(0x80 | (u & 0x3f)));
        } else {
            buf_addc(b, (char)(0xe0 | u >> 12));
            buf_addc(b, (char)(0x80 | ((u >> 6) & 0x3f)));
            buf_addc(b, (char)(0x80 | (u & 0x3f)));
        }
    }
    if (*p >= end)
        return -1;
    (*p)++;
    return 0;
}

/* One answer [type, data] or [type, data, class] at *p into the stored
 * form; 0, or -1. */
static int
one_answer(const char **p, const char *end, struct csv_scratch *s,
           struct dns_query *q)
{
    struct buf v[3] = { { 0 }, { 0 }, { 0 } };
    int is_null[3] = { 1, 1, 1 }, k = 0, rc = -1;

    if (*p >= end || *(*p)++ != '[')
        return -1;
    while (k < 3) {
        if (end - *p >= 4 && memcmp(*p, "null", 4) == 0) {
            *p += 4;
        } else if (*p < end && **p == '"') {
            (*p)++;
            if (json_string(p, end, &v[k]) != 0)
                goto done;
            is_null[k] = 0;
        } else {
            goto done;
        }
        k++;
        if (*p < end && **p == ',') {
            (*p)++;
            continue;
        }
        break;
    }
    if (k < 2 || *p >= end || *(*p)++ != ']')
        goto done;
    /* the class is kept when it is not IN, as the log importer does */
    if (k == 3 && (is_null[2] || (v[2].len == 2 &&
                                  memcmp(v[2].data, "IN", 2) == 0)))
        k = 2;
    buf_adds(&s->answers, q->n_answers ? ",[" : "[[");
    for (int i = 0; i < k; i++) {
        if (i)
            buf_addc(&s->answers, ',');
        if (is_null[i])
            buf_adds(&s->answers, "null");
        else
            buf_add_json_string(&s->answers, v[i].len ? v[i].data : "",
                                v[i].len);
    }
    buf_addc(&s->answers, ']');
    q->answer_bytes += (int)v[1].len;
    q->n_answers++;
    rc = 0;
done:
    for (int i = 0; i < 3; i++)
        buf_free(&v[i]);
    return rc;
}

/* The answers cell: empty, or a JSON array of answers. */
static enum dh_status
answers(const struct str *c, struct csv_scratch *s, struct dns_query *q,
        char *err, size_t errlen)
{
    const char *p = c->text, *end = c->text + c->len;

    buf_reset(&s->answers);
    q->n_answers = q->answer_bytes = 0;
    q->answers.text = NULL;
    q->answers.len = 0;
    if (c->len == 0 || (c->len == 2 && memcmp(p, "[]", 2) == 0))
        return DH_OK;
    if (*p++ != '[')
        goto bad;
    while (p < end && *p != ']') {
        if (one_answer(&p, end, s, q) != 0 || q->n_answers > 10000)
            goto bad;
        if (p < end && *p == ',')
            p++;
    }
    if (p + 1 != end || *p != ']' || !q->n_answers)
        goto bad;
    buf_addc(&s->answers, ']');
    q->answers.text = s->answers.data;
    q->answers.len = s->answers.len;
    return DH_OK;
bad:
    snprintf(err, errlen, "answers: not a JSON array of [type, data]");
    return DH_BAD_JSON;
}

static int
cmp_i64(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

    return (x > y) - (x < y);
}

/* The times cell: as many times as queries, first and last among them;
 * stored as the first, then the gap to each next. */
static enum dh_status
times(const struct str *c, struct csv_scratch *s, struct query_group *g,
      char *err, size_t errlen)
{
    const char *p = c->text;
    size_t n = 0;

    if (s->t_cap < g->queries) {
        s->t_cap = g->queries;
        s->t = xrealloc(s->t, s->t_cap * sizeof *s->t);
    }
    while (*p) {
        char *end;
        long long v;
        while (*p == ' ')
            p++;
        if (!*p)
            break;
        v = strtoll(p, &end, 10);
        if (end == p || (*end && *end != ' ') || v < MIN_TIME_MS ||
            v > MAX_TIME_MS) {
            snprintf(err, errlen, "times: value %zu is not a time in ms",
                     n + 1);
            return DH_BAD_NUMBER;
        }
        if (n == g->queries) {
            snprintf(err, errlen, "times: more than queries (%llu)",
                     (unsigned long long)g->queries);
            return DH_BAD_VALUE;
        }
        s->t[n++] = v;
        p = end;
    }
    if (n != g->queries) {
        snprintf(err, errlen, "times: %zu, but queries says %llu", n,
                 (unsigned long long)g->queries);
        return DH_BAD_VALUE;
    }
    qsort(s->t, n, sizeof *s->t, cmp_i64);
    if (s->t[0] != g->first_ms || s->t[n - 1] != g->last_ms) {
        snprintf(err, errlen, "times: first_ms and last_ms are not the "
                 "first and last of them");
        return DH_BAD_VALUE;
    }
    buf_reset(&s->times);
    buf_printf(&s->times, "%lld", (long long)s->t[0]);
    for (size_t i = 1; i < n; i++)
        buf_printf(&s->times, " %lld", (long long)(s->t[i] - s->t[i - 1]));
    g->times.text = s->times.data;
    g->times.len = s->times.len;
    return DH_OK;
}

/* A short text cell (type, rcode, instance) of at most 255 bytes, with
 * no NUL byte; empty gives NULL when may_be_empty. */
static enum dh_status
short_text(const struct str *c, const char *what, int may_be_empty,
           const char **out, char *err, size_t errlen)
{
    *out = NULL;
    if (c->len == 0 && may_be_empty)
        return DH_OK;
    if (c->len == 0 || c->len > 255 || strlen(c->text) != c->len) {
        snprintf(err, errlen, "%s: %s", what, c->len ? "over 255 bytes or "
                 "holds a NUL byte" : "empty");
        return DH_BAD_VALUE;
    }
    *out = c->text;
    return DH_OK;
}

enum dh_status
csv_group(const char *line, size_t n, struct csv_scratch *s,
          struct dns_query *q, struct query_group *g, char *err,
          size_t errlen)
{
    struct str c[CSV_MAX_CELLS];
    int k = split(line, n, s, c, err, errlen);
    unsigned char bin[16];
    long long v[3];
    enum dh_status rc;

    memset(q, 0, sizeof *q);
    memset(g, 0, sizeof *g);
    q->srcport = q->transport = -1;
    if (k < 0)
        return DH_BAD_VALUE;
    if (k != G_COUNT) {
        snprintf(err, errlen, "%d values, not %d", k, G_COUNT);
        return DH_FIELD_COUNT;
    }
    if (inet_pton(AF_INET, c[G_HOST].text, bin) == 1)
        snprintf(s->addr, sizeof s->addr, "%s", c[G_HOST].text);
    else if (inet_pton(AF_INET6, c[G_HOST].text, bin) == 1)
        inet_ntop(AF_INET6, bin, s->addr, sizeof s->addr);
    else {
        snprintf(err, errlen, "host: not an IP address");
        return DH_BAD_ADDRESS;
    }
    q->srcaddr = s->addr;
    if (c[G_NAME].len == 0 || memchr(c[G_NAME].text, '\0', c[G_NAME].len)) {
        snprintf(err, errlen, "name: %s", c[G_NAME].len ? "holds a NUL byte"
                                                         : "empty");
        return DH_BAD_NAME;
    }
    q->name = c[G_NAME];
    if ((rc = short_text(&c[G_INSTANCE], "instance", 1, &q->instance, err,
                         errlen)) ||
        (rc = short_text(&c[G_TYPE], "type", 0, &q->qtype, err, errlen)) ||
        (rc = short_text(&c[G_RCODE], "rcode", 0, &q->rcode, err, errlen)) ||
        (rc = answers(&c[G_ANSWERS], s, q, err, errlen)))
        return rc;
    if (integer(&c[G_QUERIES], "queries", 1, MAX_GROUP, &v[0], err,
                errlen) ||
        integer(&c[G_FIRST], "first_ms", MIN_TIME_MS, MAX_TIME_MS, &v[1],
                err, errlen) ||
        integer(&c[G_LAST], "last_ms", MIN_TIME_MS, MAX_TIME_MS, &v[2], err,
                errlen))
        return DH_BAD_NUMBER;
    g->queries = (uint64_t)v[0];
    g->first_ms = v[1];
    g->last_ms = v[2];
    q->ts_ms = g->first_ms;
    return times(&c[G_TIMES], s, g, err, errlen);
}

/* --- dns_flows.csv ----------------------------------------------------- */

enum dh_status
csv_flow_line(const char *line, size_t n, struct csv_scratch *s,
              struct buf *out, char *err, size_t errlen)
{
    struct str c[CSV_MAX_CELLS];
    int k = split(line, n, s, c, err, errlen);

    if (k < 0)
        return DH_BAD_VALUE;
    buf_reset(out);
    for (int i = 0; i < k; i++) {
        if (strcspn(c[i].text, " \t") != c[i].len ||
            strlen(c[i].text) != c[i].len) {
            snprintf(err, errlen, "value %d: holds a blank or a NUL byte",
                     i + 1);
            return DH_BAD_VALUE;
        }
        if (i)
            buf_addc(out, ' ');
        if (c[i].len)
            buf_add(out, c[i].text, c[i].len);
        else
            buf_addc(out, '-');
    }
    return DH_OK;
}

void
csv_scratch_free(struct csv_scratch *s)
{
    buf_free(&s->cells);
    buf_free(&s->answers);
    buf_free(&s->times);
    free(s->t);
    memset(s, 0, sizeof *s);
}
