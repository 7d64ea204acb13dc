/* SPDX-License-Identifier: MIT
 *
 * The STIX 2.1 bundle (see stix.h). JSON is written by hand through
 * buf_add_json_text: ASCII only, UTF-8 text as its characters, any
 * other byte escaped, so any name or note gives valid JSON.
 */
#include "core/stix.h"

#include <fcntl.h>
#include <math.h>
#include <nettle/sha1.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "core/indicators.h"

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

void
stix_uuid4(char out[37])
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
void
stix_stamp(int64_t ms, char out[32])
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
    for (size_t i = 0; i < TECH_COUNT; i++) {
        char url[96];
        if (!(tech & (1u << i)))
            continue;
        tech_url(&tech_table[i], url, sizeof url);
        buf_printf(b, "%s{\"source_name\":\"mitre-attack\",\"external_id\":"
                   "\"%s\",\"url\":\"%s\"}", first ? "" : ",",
                   tech_table[i].id, url);
        first = 0;
    }
    buf_addc(b, ']');
}

static void
indicator(struct buf *b, const struct confirmed *t, const char *id,
          const char *now, const char *until, const char *identity)
{
    struct buf d = { 0 }, p = { 0 };
    int first = 1;

    common(b, "indicator", id, now, identity);
    buf_adds(b, ",\"name\":");
    buf_printf(&d, "DNS indicator: %s", t->name);
    buf_add_json_text(b, d.data);
    buf_reset(&d);
    buf_printf(&d, "Marked a true positive by %s", t->analyst);
    if (t->note)
        buf_printf(&d, ": %s", t->note);
    if (!t->queries && !t->hosts && t->dga < 0)
        buf_adds(&d, ". Not in the last scoring of this store.");
    else
        buf_printf(&d, ". In the last scoring: dga_score %.3f, tunnel_score "
                   "%.3f, %lld quer%s from %lld host%s.",
                   t->dga < 0 ? 0 : t->dga, t->tunnel, (long long)t->queries,
                   t->queries == 1 ? "y" : "ies", (long long)t->hosts,
                   t->hosts == 1 ? "" : "s");
    buf_adds(b, ",\"description\":");
    buf_add_json_text(b, d.data);
    buf_adds(b, ",\"indicator_types\":[\"malicious-activity\"],"
             "\"pattern\":");
    stix_pattern(&p, t->name);
    buf_add_json_text(b, p.data);
    buf_printf(b, ",\"pattern_type\":\"stix\",\"pattern_version\":\"2.1\","
               "\"valid_from\":\"%s\",\"valid_until\":\"%s\","
               "\"confidence\":%d,\"kill_chain_phases\":[", now, until,
               confirmed_confidence(t));
    for (size_t i = 0; i < TECH_COUNT; i++) {
        int dup = 0;
        if (!(t->tech & (1u << i)))
            continue;
        for (size_t k = 0; k < i; k++)  /* one phase once */
            dup |= (t->tech & (1u << k)) &&
                   strcmp(tech_table[k].phase, tech_table[i].phase) == 0;
        if (dup)
            continue;
        buf_printf(b, "%s{\"kill_chain_name\":\"mitre-attack\","
                   "\"phase_name\":\"%s\"}", first ? "" : ",",
                   tech_table[i].phase);
        first = 0;
    }
    buf_addc(b, ']');
    references(b, t->tech);
    buf_addc(b, '}');
    buf_free(&d);
    buf_free(&p);
}

static void
write_objects(struct buf *b, const struct confirmed_list *g, int64_t now_ms,
              int ttl_days, const char *identity)
{
    char now[32], until[32], id[37], ap[64], json[600];
    unsigned used = 0;

    stix_stamp(now_ms, now);
    stix_stamp(now_ms + (int64_t)ttl_days * 86400000LL, until);
    for (size_t i = 0; i < g->n; i++) {
        const struct confirmed *t = &g->v[i];
        char ind[64];
        used |= t->tech;
        stix_uuid4(id);
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
        for (size_t k = 0; k < TECH_COUNT; k++) {
            char rel[37];
            if (!(t->tech & (1u << k)))
                continue;
            stix_uuid5(own_ns, tech_table[k].id, id);
            snprintf(ap, sizeof ap, "attack-pattern--%s", id);
            stix_uuid4(rel);
            buf_printf(b, ",{\"type\":\"relationship\",\"spec_version\":"
                       "\"2.1\",\"id\":\"relationship--%s\",\"created\":"
                       "\"%s\",\"modified\":\"%s\",\"created_by_ref\":\"%s\","
                       "\"relationship_type\":\"indicates\",\"source_ref\":"
                       "\"%s\",\"target_ref\":\"%s\"}", rel, now, now,
                       identity, ind, ap);
        }
    }
    for (size_t k = 0; k < TECH_COUNT; k++) {
        if (!(used & (1u << k)))
            continue;
        stix_uuid5(own_ns, tech_table[k].id, id);
        snprintf(ap, sizeof ap, "attack-pattern--%s", id);
        buf_addc(b, ',');
        common(b, "attack-pattern", ap, now, identity);
        buf_printf(b, ",\"name\":\"%s\"", tech_table[k].name);
        references(b, 1u << k);
        buf_addc(b, '}');
    }
}

enum dh_status
stix_export(struct db *db, FILE *out, int64_t now_ms, int ttl_days,
            size_t *n, char *err, size_t errlen)
{
    struct confirmed_list g;
    struct buf b = { 0 };
    char id[37], identity[64], now[32];
    enum dh_status rc = confirmed_gather(db, &g, err, errlen);

    if (rc == DH_OK) {
        stix_stamp(now_ms, now);
        stix_uuid5(own_ns, "identity:dnshunt", id);
        snprintf(identity, sizeof identity, "identity--%s", id);
        stix_uuid4(id);
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
    confirmed_free(&g);
    buf_free(&b);
    if (rc == DH_IO)
        snprintf(err, errlen, "cannot write the bundle");
    return rc;
}
