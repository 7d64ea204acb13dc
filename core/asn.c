/* SPDX-License-Identifier: MIT
 *
 * IP-to-ASN data (see asn.h): libmaxminddb for MMDB files, a sorted
 * array of ranges searched by bisection for text tables.
 */
#include "core/asn.h"

#include <arpa/inet.h>
#include <errno.h>
#include <maxminddb.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

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
        *slash = '\0';
        if (strchr(f[0], ':'))
            return 0;
        if (*end || bits < 0 || bits > 32 || v4(f[0], &r->first) ||
            asn_parse(f[1], &r->asn))
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

static int
by_first(const void *a, const void *b)
{
    const struct range *x = a, *y = b;

    return x->first < y->first ? -1 : x->first > y->first;
}

static int
load_table(struct asn_db *a, const char *path, const char *shown,
           size_t *bad, char *err, size_t errlen)
{
    FILE *f = fopen(path, "r");
    char line[1024];
    size_t cap = 0, lineno = 0, first_bad = 0;

    if (!f) {
        snprintf(err, errlen, "%s: %s", shown, strerror(errno));
        return -1;
    }
    while (fgets(line, sizeof line, f)) {
        struct range r;
        int rc;
        lineno++;
        if (line[0] == '#' || line[0] == '\n')
            continue;
        if ((rc = table_line(line, &r)) < 0) {
            ++*bad;
            if (!first_bad)
                first_bad = lineno;
            continue;
        }
        if (rc == 0)
            continue;
        if (a->n == cap)
            a->v = xrealloc(a->v, (cap = cap ? cap * 2 : 1024) *
                            sizeof *a->v);
        a->v[a->n++] = r;
    }
    fclose(f);
    if (!a->n) {
        snprintf(err, errlen, "%s: not an MMDB file, and no line of it "
                 "is an IPv4 range with an ASN%s", shown,
                 first_bad ? " (see docs/data-model.md)" : "");
        return -1;
    }
    qsort(a->v, a->n, sizeof *a->v, by_first);
    return 0;
}

struct asn_db *
asn_open(const char *path, size_t *bad, char *err, size_t errlen)
{
    struct asn_db *a = xcalloc(1, sizeof *a);
    char shown[300];
    size_t ignored = 0;
    int rc;

    if (!bad)
        bad = &ignored;
    *bad = 0;
    escape_bytes(shown, sizeof shown, path, strlen(path));
    rc = MMDB_open(path, MMDB_MODE_MMAP, &a->mmdb);
    if (rc == MMDB_SUCCESS) {
        a->is_mmdb = 1;
        return a;
    }
    if (rc == MMDB_FILE_OPEN_ERROR || rc == MMDB_IO_ERROR) {
        snprintf(err, errlen, "%s: %s", shown, MMDB_strerror(rc));
        free(a);
        return NULL;
    }
    if (load_table(a, path, shown, bad, err, errlen) != 0) {
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
    /* the nearest ranges starting at or before ip; nested ones are rare,
     * so look back a little for one that still covers ip */
    for (size_t i = lo, k = 0; i-- > 0 && k < 8; k++)
        if (a->v[i].last >= ip)
            return a->v[i].asn;
    return 0;
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
