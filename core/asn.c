/* SPDX-License-Identifier: MIT
 *
 * IP-to-ASN data (see asn.h): libmaxminddb for MMDB files, a sorted
 * array of ranges searched by bisection for text tables.
 */
#include "core/asn.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <maxminddb.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/util.h"

struct range {
    uint32_t first, last, asn;
};

struct asn_db {
    int           is_mmdb;
    MMDB_s        mmdb;
    struct range *v;
    size_t        n;
};

int
asn_parse(const char *s, uint32_t *asn)
{
    char *end;
    unsigned long long v;

    if ((s[0] == 'A' || s[0] == 'a') && (s[1] == 'S' || s[1] == 's'))
        s += 2;
    if (*s < '0' || *s > '9')
        return -1;
    errno = 0;
    v = strtoull(s, &end, 10);
    if (errno || *end || v == 0 || v > 4294967295ULL)
        return -1;
    *asn = (uint32_t)v;
    return 0;
}

static int
v4(const char *s, uint32_t *ip)
{
    struct in_addr a;

    if (inet_pton(AF_INET, s, &a) != 1)
        return -1;
    *ip = ntohl(a.s_addr);
    return 0;
}

/* One line of a table: 1 a range, 0 skipped (IPv6, no AS), -1 bad. */
static int
table_line(char *line, struct range *r)
{
    char *f[3] = { NULL, NULL, NULL }, *save = NULL, *slash;
    int n = 0;

    for (char *t = strtok_r(line, "\t\r\n", &save); t && n < 3;
         t = strtok_r(NULL, "\t\r\n", &save))
        f[n++] = t;
    if (n >= 2 && (slash = strchr(f[0], '/'))) {   /* CIDR ASN */
        char *end;
        long bits = strtol(slash + 1, &end, 10);
        int digits = slash[1] >= '0' && slash[1] <= '9';
        *slash = '\0';
        if (strchr(f[0], ':'))
            return 0;
        if (!digits || *end || bits < 0 || bits > 32 ||
            v4(f[0], &r->first) || asn_parse(f[1], &r->asn))
            return -1;
        uint32_t mask = bits ? ~0u << (32 - bits) : 0;
        r->first &= mask;
        r->last = r->first | ~mask;
        return 1;
    }
    if (n < 3)
        return -1;
    if (strchr(f[0], ':'))
        return 0;
    if (strcmp(f[2], "0") == 0)
        return 0;                           /* "Not routed" */
    if (v4(f[0], &r->first) || v4(f[1], &r->last) || r->last < r->first ||
        asn_parse(f[2], &r->asn))
        return -1;
    return 1;
}


/* Ranges by first address, the outer of two with the same start first. */
static int
by_first(const void *a, const void *b)
{
    const struct range *x = a, *y = b;

    if (x->first != y->first)
        return x->first < y->first ? -1 : 1;
    return x->last > y->last ? -1 : x->last < y->last;
}

static void
emit(struct range *out, size_t *n, uint64_t from, uint32_t to, uint32_t asn)
{
    if (from > to)
        return;
    if (*n && out[*n - 1].asn == asn && out[*n - 1].last + 1ull == from)
        out[*n - 1].last = to;          /* join with the one before */
    else
        out[(*n)++] = (struct range){ (uint32_t)from, to, asn };
}

/*
 * Make the sorted ranges disjoint, the most specific winning inside a
 * wider one: ranges nest (a /24 inside a /16) or stand apart. A range
 * that starts inside another and ends beyond it is cut at the other's
 * end.
 */
static void
flatten(struct asn_db *a)
{
    struct range *out = xmalloc((2 * a->n + 1) * sizeof *out);
    struct range *stack = xmalloc((a->n + 1) * sizeof *stack);
    size_t n = 0, depth = 0;
    uint64_t cursor = 0;            /* the first address not yet emitted */

    for (size_t i = 0; i < a->n; i++) {
        struct range r = a->v[i];
        while (depth && stack[depth - 1].last < r.first) {
            struct range t = stack[--depth];
            emit(out, &n, cursor, t.last, t.asn);
            if (cursor <= t.last)
                cursor = (uint64_t)t.last + 1;
        }
        if (depth && r.first > 0) {
            emit(out, &n, cursor, r.first - 1, stack[depth - 1].asn);
        }
        if (depth && r.last > stack[depth - 1].last)
            r.last = stack[depth - 1].last;
        if (cursor < r.first)
            cursor = r.first;
        stack[depth++] = r;
    }
    while (depth) {
        struct range t = stack[--depth];
        emit(out, &n, cursor, t.last, t.asn);
        if (cursor <= t.last)
            cursor = (uint64_t)t.last + 1;
    }
    free(stack);
    free(a->v);
    a->v = out;
    a->n = n;
}

static int
load_table(struct asn_db *a, FILE *f, const char *shown, size_t *bad,
           char *err, size_t errlen)
{
    char *line = NULL;
    size_t cap = 0, have = 0;
    ssize_t len;

    while ((len = getline(&line, &cap, f)) >= 0) {
        struct range r;
        int rc;
        if (line[0] == '#' || line[0] == '\n' || line[0] == '\r')
            continue;
        if ((size_t)len != strlen(line) ||      /* a NUL inside */
            (rc = table_line(line, &r)) < 0) {
            ++*bad;
            continue;
        }
        if (rc == 0)
            continue;
        if (a->n == have)
            a->v = xrealloc(a->v, (have = have ? have * 2 : 1024) *
                            sizeof *a->v);
        a->v[a->n++] = r;
    }
    free(line);
    if (ferror(f)) {
        snprintf(err, errlen, "%s: cannot be read", shown);
        return -1;
    }
    if (!a->n) {
        snprintf(err, errlen, "%s: not an MMDB file, and no line of it "
                 "is an IPv4 range with an ASN (FIRST<TAB>LAST<TAB>ASN or "
                 "CIDR<TAB>ASN)", shown);
        return -1;
    }
    qsort(a->v, a->n, sizeof *a->v, by_first);
    flatten(a);
    return 0;
}

struct asn_db *
asn_open(const char *path, size_t *bad, char *err, size_t errlen)
{
    struct asn_db *a = xcalloc(1, sizeof *a);
    char shown[300];
    size_t ignored = 0;
    struct stat st;
    FILE *f;
    int fd, rc;

    if (!bad)
        bad = &ignored;
    *bad = 0;
    escape_bytes(shown, sizeof shown, path, strlen(path));
    /* a FIFO or a device would hang or never end: regular files only */
    fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0 || fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        snprintf(err, errlen, "%s: %s", shown, fd < 0 ? strerror(errno)
                 : "not a regular file");
        if (fd >= 0)
            close(fd);
        free(a);
        return NULL;
    }
    rc = MMDB_open(path, MMDB_MODE_MMAP, &a->mmdb);
    if (rc == MMDB_SUCCESS) {
        close(fd);
        a->is_mmdb = 1;
        return a;
    }
    if (!(f = fdopen(fd, "r"))) {
        snprintf(err, errlen, "%s: %s", shown, strerror(errno));
        close(fd);
        free(a);
        return NULL;
    }
    rc = load_table(a, f, shown, bad, err, errlen);
    fclose(f);
    if (rc != 0) {
        asn_close(a);
        return NULL;
    }
    return a;
}

static uint32_t
mmdb_asn(const struct asn_db *a, uint32_t ip)
{
    struct sockaddr_in sa = { .sin_family = AF_INET,
                              .sin_addr.s_addr = htonl(ip) };
    MMDB_entry_data_s d;
    int mmerr;
    MMDB_lookup_result_s r = MMDB_lookup_sockaddr(
        &a->mmdb, (const struct sockaddr *)&sa, &mmerr);

    if (mmerr != MMDB_SUCCESS || !r.found_entry)
        return 0;
    if (MMDB_get_value(&r.entry, &d, "autonomous_system_number", NULL) !=
        MMDB_SUCCESS || !d.has_data)
        return 0;
    switch (d.type) {
    case MMDB_DATA_TYPE_UINT32: return d.uint32;
    case MMDB_DATA_TYPE_UINT16: return d.uint16;
    case MMDB_DATA_TYPE_UINT64:
        return d.uint64 <= 0xffffffffu ? (uint32_t)d.uint64 : 0;
    default: return 0;
    }
}

uint32_t
asn_lookup(const struct asn_db *a, uint32_t ip)
{
    size_t lo = 0, hi;

    if (a->is_mmdb)
        return mmdb_asn(a, ip);
    hi = a->n;
    while (lo < hi) {                   /* first range starting after ip */
        size_t mid = (lo + hi) / 2;
        if (a->v[mid].first <= ip)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo && a->v[lo - 1].last >= ip ? a->v[lo - 1].asn : 0;
}

const char *
asn_kind(const struct asn_db *a)
{
    return a->is_mmdb ? "mmdb" : "table";
}

void
asn_close(struct asn_db *a)
{
    if (!a)
        return;
    if (a->is_mmdb)
        MMDB_close(&a->mmdb);
    free(a->v);
    free(a);
}
