/* SPDX-License-Identifier: MIT
 *
 * The STIX 2.1 bundle (see stix.h). JSON is written by hand through
 * buf_add_json_string, which escapes every byte outside printable
 * ASCII, so any name gives valid JSON.
 */
#include "core/stix.h"

#include <fcntl.h>
#include <math.h>
#include <nettle/sha1.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "storage/decisions.h"
#include "storage/results.h"

/* STIX 2.1's namespace for the ids of cyber observables. */
static const unsigned char sco_ns[16] = {
    0x00, 0xab, 0xed, 0xb4, 0xaa, 0x42, 0x46, 0x6c,
    0x9c, 0x01, 0xfe, 0xd2, 0x33, 0x15, 0xa9, 0xb7,
};

/* Our own namespace for the identity and attack-patterns. */
static const unsigned char own_ns[16] = {
    0x6d, 0x6e, 0x73, 0x68, 0x75, 0x6e, 0x74, 0x21,
    0x8a, 0x1f, 0x4c, 0x52, 0x9e, 0x03, 0x77, 0x10,
};

/* The techniques dnshunt reports: name and kill-chain phase. */
static const struct {
    const char *id, *name, *phase;
} techniques[] = {
    { "T1568.002", "Dynamic Resolution: Domain Generation Algorithms",
      "command-and-control" },
    { "T1568.001", "Dynamic Resolution: Fast Flux DNS",
      "command-and-control" },
    { "T1071.004", "Application Layer Protocol: DNS", "command-and-control" },
    { "T1071.001", "Application Layer Protocol: Web Protocols",
      "command-and-control" },
    { "T1572", "Protocol Tunneling", "command-and-control" },
    { "T1048.003", "Exfiltration Over Alternative Protocol: Exfiltration "
      "Over Unencrypted Non-C2 Protocol", "exfiltration" },
    { "T1090", "Proxy", "command-and-control" },
};
#define N_TECH (sizeof techniques / sizeof *techniques)

static void
uuid_text(const unsigned char u[16], char out[37])
{
    static const char hex[] = "0123456789abcdef";
    int o = 0;

    for (int i = 0; i < 16; i++) {
        if (i == 4 || i == 6 || i == 8 || i == 10)
            out[o++] = '-';
        out[o++] = hex[u[i] >> 4];
        out[o++] = hex[u[i] & 15];
    }
    out[o] = '\0';
}

void
stix_uuid5(const unsigned char ns[16], const char *name, char out[37])
{
    struct sha1_ctx ctx;
    unsigned char d[SHA1_DIGEST_SIZE];

    sha1_init(&ctx);
    sha1_update(&ctx, 16, ns);
    sha1_update(&ctx, strlen(name), (const uint8_t *)name);
    sha1_digest(&ctx, sizeof d, d);
    d[6] = (unsigned char)((d[6] & 0x0f) | 0x50);
    d[8] = (unsigned char)((d[8] & 0x3f) | 0x80);
    uuid_text(d, out);
}

static void
uuid4(char out[37])
{
    unsigned char u[16];
    int fd = open("/dev/urandom", O_RDONLY);

    if (fd < 0 || read(fd, u, sizeof u) != (ssize_t)sizeof u) {
        /* No entropy device: time and address bits, still unique here. */
        uint64_t x = (uint64_t)now_ms() ^ (uint64_t)(uintptr_t)out;
        for (int i = 0; i < 16; i++) {
            x = x * 6364136223846793005ULL + 1442695040888963407ULL;
            u[i] = (unsigned char)(x >> 56);
        }
    }
    if (fd >= 0)
        close(fd);
    u[6] = (unsigned char)((u[6] & 0x0f) | 0x40);
    u[8] = (unsigned char)((u[8] & 0x3f) | 0x80);
    uuid_text(u, out);
}

/* A STIX timestamp with milliseconds: 2024-05-01T00:00:00.000Z. */
static void
stamp(int64_t ms, char out[32])
{
    time_t t = (time_t)(ms / 1000);
    struct tm tm;
    unsigned msec = (unsigned)(ms % 1000);

    gmtime_r(&t, &tm);
    snprintf(out, 32, "%04u-%02u-%02uT%02u:%02u:%02u.%03uZ",
             (unsigned)(tm.tm_year + 1900) % 10000u,
             (unsigned)(tm.tm_mon + 1) % 100u, (unsigned)tm.tm_mday % 100u,
             (unsigned)tm.tm_hour % 100u, (unsigned)tm.tm_min % 100u,
             (unsigned)tm.tm_sec % 100u, msec % 1000u);
}

void
stix_pattern(struct buf *b, const char *name)
{
    buf_adds(b, "[domain-name:value = '");
    for (const char *p = name; *p; p++) {
        if (*p == '\'' || *p == '\\')
            buf_addc(b, '\\');
        buf_addc(b, *p);
    }
    buf_adds(b, "']");
}

int
stix_hostname(const char *name)
{
    size_t n = strlen(name), run = 0;

    if (n == 0 || n > 253 || name[0] == '.' || name[n - 1] == '.')
        return 0;
    for (size_t i = 0; i < n; i++) {
        char c = name[i];
        if (c == '.') {
            if (run == 0 || name[i - 1] == '-')
                return 0;
            run = 0;
            continue;
        }
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
              (c == '-' && run > 0)))
            return 0;
        if (++run > 63)
            return 0;
    }
    if (name[n - 1] == '-')
        return 0;
    /* a domain has a dot and a top-level label that is not a number */
    const char *tld = strrchr(name, '.');
    if (!tld)
        return 0;
    for (const char *p = tld + 1; *p; p++)
        if (*p < '0' || *p > '9')
            return 1;
    return 0;
}

/* --- Gathering the tp domains --- */

struct tp {
    char   *name, *note, *analyst;
    int64_t at;
    double  dga, tunnel, strength;
    int64_t hosts, queries;
    unsigned tech;          /* bit t: techniques[t] */
};

struct gathering {
    struct tp *v;
    size_t     n;
};

static int
got_verdict(void *arg, const struct verdict_row *r)
{
    struct gathering *g = arg;

    if (strcmp(r->subject, "domain") || strcmp(r->verdict, "tp"))
        return 0;
    g->v = xrealloc(g->v, (g->n + 1) * sizeof *g->v);
    g->v[g->n++] = (struct tp){ xstrdup(r->value),
                                r->note ? xstrdup(r->note) : NULL,
                                xstrdup(r->analyst), r->at, -1, 0, 0, 0, 0,
                                0 };
    return 0;
}

static int
got_domain(void *arg, const struct domain_row *d,
           const struct host_domain_row *hd)
{
    struct tp *t = arg;

    (void)hd;
    t->dga = d->dga_score;
    t->tunnel = d->tunnel_score;
    t->hosts = d->hosts;
    t->queries = d->queries;
    return 1;
}

static int
got_technique(void *arg, const char *tech, double strength)
{
    struct tp *t = arg;

    for (size_t i = 0; i < N_TECH; i++)
        if (strcmp(tech, techniques[i].id) == 0)
            t->tech |= 1u << i;
    if (strength > t->strength)
        t->strength = strength;
    return 0;
}

/* Scores and techniques of each tp domain from the last scoring. */
static enum dh_status
enrich(struct db *db, struct gathering *g, char *err, size_t errlen)
{
    for (size_t i = 0; i < g->n; i++) {
        struct tp *t = &g->v[i];
        int found = 0;
        if (results_domain(db, t->name, got_domain, t, &found, err,
                           errlen) != DH_OK ||
            results_domain_techniques(db, t->name, got_technique, t, err,
                                      errlen) != DH_OK)
            return DH_DB;
        if (!t->tech)       /* from the scores, or DNS C2 at least */
            t->tech = t->dga >= 0.873 ? 1u : t->tunnel >= 0.5 ? 1u << 4
                    : 1u << 2;
    }
    return DH_OK;
}

/* --- Writing --- */

static void
common(struct buf *b, const char *type, const char *id, const char *now,
       const char *identity)
{
    buf_printf(b, "{\"type\":\"%s\",\"spec_version\":\"2.1\",\"id\":\"%s\","
               "\"created\":\"%s\",\"modified\":\"%s\"", type, id, now, now);
    if (identity)
        buf_printf(b, ",\"created_by_ref\":\"%s\"", identity);
}

static void
references(struct buf *b, unsigned tech)
{
    int first = 1;

    buf_adds(b, ",\"external_references\":[");
    for (size_t i = 0; i < N_TECH; i++) {
        char path[32];
        if (!(tech & (1u << i)))
            continue;
        snprintf(path, sizeof path, "%s", techniques[i].id);
        for (char *p = path; *p; p++)
            if (*p == '.')
                *p = '/';
        buf_printf(b, "%s{\"source_name\":\"mitre-attack\",\"external_id\":"
                   "\"%s\",\"url\":\"https://attack.mitre.org/techniques/"
                   "%s/\"}", first ? "" : ",", techniques[i].id, path);
        first = 0;
    }
    buf_addc(b, ']');
}

static void
indicator(struct buf *b, const struct tp *t, const char *id,
          const char *now, const char *until, const char *identity)
{
    struct buf d = { 0 }, p = { 0 };
    double conf = fmax(fmax(t->dga, t->tunnel), t->strength);
    int first = 1;

    common(b, "indicator", id, now, identity);
    buf_adds(b, ",\"name\":");
    buf_printf(&d, "DNS indicator: %s", t->name);
    buf_add_json_string(b, d.data, d.len);
    buf_reset(&d);
    buf_printf(&d, "Marked a true positive by %s", t->analyst);
    if (t->note)
        buf_printf(&d, ": %s", t->note);
    buf_printf(&d, ". In the last scoring: dga_score %.3f, tunnel_score "
               "%.3f, %lld queries from %lld hosts.", t->dga < 0 ? 0 : t->dga,
               t->tunnel, (long long)t->queries, (long long)t->hosts);
    buf_adds(b, ",\"description\":");
    buf_add_json_string(b, d.data, d.len);
    buf_adds(b, ",\"indicator_types\":[\"malicious-activity\"],"
             "\"pattern\":");
    stix_pattern(&p, t->name);
    buf_add_json_string(b, p.data, p.len);
    buf_printf(b, ",\"pattern_type\":\"stix\",\"pattern_version\":\"2.1\","
               "\"valid_from\":\"%s\",\"valid_until\":\"%s\","
               "\"confidence\":%d,\"kill_chain_phases\":[", now, until,
               (int)lround(100 * (conf < 0 ? 0 : conf > 1 ? 1 : conf)));
    for (size_t i = 0; i < N_TECH; i++) {
        int dup = 0;
        if (!(t->tech & (1u << i)))
            continue;
        for (size_t k = 0; k < i; k++)  /* one phase once */
            dup |= (t->tech & (1u << k)) &&
                   strcmp(techniques[k].phase, techniques[i].phase) == 0;
        if (dup)
            continue;
        buf_printf(b, "%s{\"kill_chain_name\":\"mitre-attack\","
                   "\"phase_name\":\"%s\"}", first ? "" : ",",
                   techniques[i].phase);
        first = 0;
    }
    buf_addc(b, ']');
    references(b, t->tech);
    buf_addc(b, '}');
    buf_free(&d);
    buf_free(&p);
}

static void
write_objects(struct buf *b, const struct gathering *g, int64_t now_ms,
              int ttl_days, const char *identity)
{
    char now[32], until[32], id[37], ap[64], json[600];
    unsigned used = 0;

    stamp(now_ms, now);
    stamp(now_ms + (int64_t)ttl_days * 86400000LL, until);
    for (size_t i = 0; i < g->n; i++) {
        const struct tp *t = &g->v[i];
        char ind[64];
        used |= t->tech;
        uuid4(id);
        snprintf(ind, sizeof ind, "indicator--%s", id);
        buf_addc(b, ',');
        indicator(b, t, ind, now, until, identity);
        if (stix_hostname(t->name)) {
            snprintf(json, sizeof json, "{\"value\":\"%s\"}", t->name);
            stix_uuid5(sco_ns, json, id);
            buf_printf(b, ",{\"type\":\"domain-name\",\"spec_version\":"
                       "\"2.1\",\"id\":\"domain-name--%s\",\"value\":\"%s\"}",
                       id, t->name);
        }
        for (size_t k = 0; k < N_TECH; k++) {
            char rel[37];
            if (!(t->tech & (1u << k)))
                continue;
            stix_uuid5(own_ns, techniques[k].id, id);
            snprintf(ap, sizeof ap, "attack-pattern--%s", id);
            uuid4(rel);
            buf_printf(b, ",{\"type\":\"relationship\",\"spec_version\":"
                       "\"2.1\",\"id\":\"relationship--%s\",\"created\":"
                       "\"%s\",\"modified\":\"%s\",\"created_by_ref\":\"%s\","
                       "\"relationship_type\":\"indicates\",\"source_ref\":"
                       "\"%s\",\"target_ref\":\"%s\"}", rel, now, now,
                       identity, ind, ap);
        }
    }
    for (size_t k = 0; k < N_TECH; k++) {
        if (!(used & (1u << k)))
            continue;
        stix_uuid5(own_ns, techniques[k].id, id);
        snprintf(ap, sizeof ap, "attack-pattern--%s", id);
        buf_addc(b, ',');
        common(b, "attack-pattern", ap, now, identity);
        buf_printf(b, ",\"name\":\"%s\"", techniques[k].name);
        references(b, 1u << k);
        buf_addc(b, '}');
    }
}

enum dh_status
stix_export(struct db *db, FILE *out, int64_t now_ms, int ttl_days,
            size_t *n, char *err, size_t errlen)
{
    struct gathering g = { 0 };
    struct buf b = { 0 };
    char id[37], identity[64], now[32];
    enum dh_status rc = decisions_verdicts(db, got_verdict, &g, err, errlen);

    if (rc == DH_OK)
        rc = enrich(db, &g, err, errlen);
    if (rc == DH_OK) {
        stamp(now_ms, now);
        stix_uuid5(own_ns, "identity:dnshunt", id);
        snprintf(identity, sizeof identity, "identity--%s", id);
        uuid4(id);
        buf_printf(&b, "{\"type\":\"bundle\",\"id\":\"bundle--%s\","
                   "\"objects\":[", id);
        common(&b, "identity", identity, "2024-01-01T00:00:00.000Z", NULL);
        buf_adds(&b, ",\"name\":\"dnshunt\",\"identity_class\":\"system\","
                 "\"description\":\"DNS threat hunting for AWS: indicators "
                 "confirmed by analysts\"}");
        write_objects(&b, &g, now_ms, ttl_days, identity);
        buf_adds(&b, "]}\n");
        if (fwrite(b.data, 1, b.len, out) != b.len)
            rc = DH_IO;
        *n = g.n;
    }
    for (size_t i = 0; i < g.n; i++) {
        free(g.v[i].name);
        free(g.v[i].note);
        free(g.v[i].analyst);
    }
    free(g.v);
    buf_free(&b);
    if (rc == DH_IO)
        snprintf(err, errlen, "cannot write the bundle");
    return rc;
}
