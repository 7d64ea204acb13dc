/* SPDX-License-Identifier: MIT
 *
 * The simulated day (see simulate.h).
 *
 * Time runs in ten-minute windows. Each window gets its own random
 * stream, derived from the seed and the window's number, so the output
 * does not depend on anything but the options. Within a window every
 * host acts according to its role, and the attacks act on their hosts;
 * the queries go through a model of the resolver's cache (a name asked
 * again within its TTL is answered from the cache and not logged) and
 * the connections are summed into flow records per five-tuple and
 * window, one record per direction. Traffic to the Amazon-provided
 * resolver never appears in flow logs; traffic to the VPC's own
 * resolver host and to outside resolvers does. Hosts behind the own
 * resolver appear in the query logs under the resolver's address.
 *
 * Benign names are made from the built-in model's words, so nothing
 * here depends on files outside the program; a few well-known service
 * names (AWS endpoints, package registries) are spelled out.
 */
#include "core/simulate.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <zlib.h>

#include "core/isotime.h"
#include "core/modelfile.h"
#include "core/util.h"
#include "model/rng.h"

#define WINDOW_MS   600000
#define N_SITES     1500
#define REGION      "us-east-1"
#define OUTSIDE_DNS 0xcb007135u     /* 203.0.113.53 */

static const struct {
    const char *key, *text;
} attack_info[SA_COUNT] = {
#define SA_INFO(name, key, text) { key, text },
    SIM_ATTACKS(SA_INFO)
#undef SA_INFO
};

const char *
sim_attack_key(enum sim_attack a)
{
    return (unsigned)a < SA_COUNT ? attack_info[a].key : "?";
}

const char *
sim_attack_text(enum sim_attack a)
{
    return (unsigned)a < SA_COUNT ? attack_info[a].text : "?";
}

void
sim_defaults(struct sim_opts *o)
{
    memset(o, 0, sizeof *o);
    o->seed = 1;
    o->hosts = 200;
    o->hours = 24;
    o->scale = 1.0;
    o->attacks = (1u << SA_COUNT) - 1;
    o->start_ms = 1714521600000LL;          /* 2024-05-01T00:00:00Z */
}

/* --- Hosts and names --- */

enum role {
    RO_APP, RO_K8S, RO_CI, RO_MAIL, RO_AGENT, RO_BACKUP, RO_DESK,
    RO_RESOLVER
};

struct host {
    uint32_t  ip;
    enum role role;
    char      instance[20];     /* i- and 17 hex digits */
    char      eni[22];          /* eni- and 17 hex digits */
};

/* One line of a resolver log object, kept until the window is sorted. */
struct line {
    int64_t ms;
    char   *text;
};

/* One flow record being summed. */
struct flow {
    int      host;              /* whose interface */
    uint32_t src, dst;
    uint16_t sport, dport;
    uint8_t  proto;
    uint64_t packets, bytes;
    int64_t  first, last;       /* seconds */
};

/* A cached answer: a 64-bit hash of the name and type, until when. */
struct cached {
    uint64_t key;               /* 0: an empty slot */
    int64_t  until;
};

/* What one attack did, for the truth file. */
struct attack {
    int      on, host;
    char   **names;             /* malicious names, in order */
    size_t   n_names;
    int64_t  next;              /* beacon: its next query */
    unsigned tries;             /* DGA: names tried so far */
    uint64_t queries, flows;
    int64_t  first, last;
    char     domain[160];       /* the attacker's registrable domain */
    int      registered;        /* DGA: index of the name that resolves */
};

struct sim {
    const struct sim_opts *o;
    struct rng   rng;           /* the current window's stream */
    char         account[13], vpc[22], flowlog[22];
    struct host *hosts;
    int          n_hosts, resolver;
    char       **words;         /* from the model's dictionary */
    size_t       n_words;
    char         site_buf[64];  /* the last site_name() */
    struct cached *cache;
    size_t       cache_cap, cache_n;
    struct line *lines;
    size_t       n_lines, cap_lines;
    struct flow *flows;
    size_t       n_flows, cap_flows;
    uint32_t    *fidx;          /* open-addressing index into flows, + 1 */
    size_t       fidx_cap;
    struct attack att[SA_COUNT];
    int64_t      now;           /* the window's first millisecond */
    struct sim_stats *st;
};

static uint64_t
mix(uint64_t a, uint64_t b)
{
    struct rng r = { a * 0x9e3779b97f4a7c15ull ^ b };

    return rng_next(&r);
}

/* n random characters of alphabet into out, NUL-terminated. */
static void
pick(struct rng *r, const char *alphabet, char *out, size_t n)
{
    size_t k = strlen(alphabet);

    for (size_t i = 0; i < n; i++)
        out[i] = alphabet[rng_below(r, k)];
    out[n] = '\0';
}

#define HEX    "0123456789abcdef"
#define BASE32 "abcdefghijklmnopqrstuvwxyz012345"   /* as iodine writes it */

static void
hex(struct rng *r, char *out, size_t n)
{
    pick(r, HEX, out, n);
}

static void
ip_text(uint32_t ip, char out[16])
{
    snprintf(out, 16, "%u.%u.%u.%u", ip >> 24, (ip >> 16) & 255,
             (ip >> 8) & 255, ip & 255);
}

/* A public-looking address for a name, the same every time. */
static uint32_t
address_of(const char *name)
{
    static const uint32_t nets[] = { 0x34000000u, 0x36000000u, 0x68100000u,
                                     0x8efa0000u, 0x0d200000u };
    uint64_t h = fnv1a(name, strlen(name));

    return nets[h % 5] | (uint32_t)((h >> 8) & 0xffffu) |
           (uint32_t)((h >> 24) & 0x0fu) << 16;
}

static void
add_word(void *arg, const char *w, unsigned kinds)
{
    struct sim *s = arg;
    size_t n = strlen(w);

    if (!(kinds & 1) || n < 4 || n > 9)
        return;
    if (s->n_words % 1024 == 0)
        s->words = xrealloc(s->words, (s->n_words + 1024) * sizeof *s->words);
    s->words[s->n_words++] = xstrdup(w);
}

static const char *
word(struct sim *s, struct rng *r)
{
    return s->words[rng_below(r, s->n_words)];
}

/*
 * Benign site number i: a word or two under a common TLD, made from i
 * alone, so the list costs no memory however long it is. Written into
 * s->site_buf, which the next call overwrites.
 */
static const char *
site_name(struct sim *s, uint64_t i)
{
    static const char *const tld[] = { "com", "com", "com", "com", "net",
                                       "org", "io", "co.uk", "de", "app" };
    struct rng r = { mix(s->o->seed ^ 0x517e, i) };

    if (rng_below(&r, 3) == 0)
        snprintf(s->site_buf, sizeof s->site_buf, "%s.%s", word(s, &r),
                 tld[rng_below(&r, 10)]);
    else
        snprintf(s->site_buf, sizeof s->site_buf, "%s%s.%s", word(s, &r),
                 word(s, &r), tld[rng_below(&r, 10)]);
    return s->site_buf;
}

/*
 * A popular site: Zipf-like, the first ones far more often, out of
 * N_SITES times the scale.
 */
static const char *
site(struct sim *s, struct rng *r)
{
    double u = (double)(rng_next(r) >> 11) / 9007199254740992.0;
    double n = (double)N_SITES * (s->o->scale > 1.0 ? s->o->scale : 1.0);

    return site_name(s, (uint64_t)(n * u * u * u));
}

static void
make_hosts(struct sim *s, struct rng *r)
{
    /* Shares of the fleet per role, in hundredths; the rest are apps. */
    static const struct { enum role role; int pct; } mix_[] = {
        { RO_K8S, 20 }, { RO_CI, 8 }, { RO_AGENT, 10 }, { RO_BACKUP, 4 },
        { RO_DESK, 20 },
    };

    s->n_hosts = s->o->hosts;
    s->hosts = xcalloc((size_t)s->n_hosts, sizeof *s->hosts);
    for (int i = 0; i < s->n_hosts; i++) {
        struct host *h = &s->hosts[i];
        h->ip = 0x0a000000u | (uint32_t)(1 + i / 240) << 8 |
                (uint32_t)(10 + i % 240);
        memcpy(h->instance, "i-", 2);
        hex(r, h->instance + 2, 17);
        memcpy(h->eni, "eni-", 4);
        hex(r, h->eni + 4, 17);
        h->role = RO_APP;
        int at = (int)(((long)i * 100) / s->n_hosts), acc = 0;
        for (size_t k = 0; k < sizeof mix_ / sizeof *mix_; k++) {
            if (at >= acc && at < acc + mix_[k].pct)
                h->role = mix_[k].role;
            acc += mix_[k].pct;
        }
    }
    s->hosts[0].role = RO_RESOLVER;         /* the VPC's own resolver */
    s->hosts[1].role = RO_MAIL;
    s->resolver = 0;
}

/* --- Output records --- */

static void
add_line(struct sim *s, int64_t ms, struct buf *b)
{
    if (s->n_lines == s->cap_lines) {
        s->cap_lines = s->cap_lines ? s->cap_lines * 2 : 1024;
        s->lines = xrealloc(s->lines, s->cap_lines * sizeof *s->lines);
    }
    s->lines[s->n_lines++] = (struct line){ ms, xstrdup(b->data) };
}

/*
 * Is key cached at ms? If not, cache it for ttl seconds. Keys are kept
 * as 64-bit hashes, so the cache stays small however many names pass;
 * growing it drops what expired before the window began (queries of a
 * window come in no particular order of time). A query answered from
 * the cache is one whose time falls before the entry's expiry, so two
 * logged queries of one name are always a TTL or more apart.
 */
static int
cache_hit(struct sim *s, const char *key, int64_t ms, int ttl)
{
    uint64_t h = fnv1a(key, strlen(key)) | 1;  /* never 0, the empty mark */
    size_t mask;

    if ((s->cache_n + 1) * 2 > s->cache_cap) {
        struct cached *old = s->cache;
        size_t oldcap = s->cache_cap, live = 0;
        for (size_t i = 0; i < oldcap; i++)
            live += old[i].key && old[i].until > s->now;
        s->cache_cap = 4096;
        while (s->cache_cap < (live + 1) * 4)
            s->cache_cap *= 2;
        s->cache = xcalloc(s->cache_cap, sizeof *s->cache);
        s->cache_n = 0;
        mask = s->cache_cap - 1;
        for (size_t i = 0; i < oldcap; i++) {
            if (!old[i].key || old[i].until <= s->now)
                continue;
            size_t j = old[i].key & mask;
            while (s->cache[j].key)
                j = (j + 1) & mask;
            s->cache[j] = old[i];
            s->cache_n++;
        }
        free(old);
    }
    mask = s->cache_cap - 1;
    for (size_t i = h & mask;; i = (i + 1) & mask) {
        struct cached *c = &s->cache[i];
        if (!c->key) {
            if (ttl <= 0)
                return 0;
            *c = (struct cached){ h, ms + (int64_t)ttl * 1000 };
            s->cache_n++;
            return 0;
        }
        if (c->key == h) {
            if (c->until > ms)
                return 1;
            c->until = ms + (int64_t)ttl * 1000;
            return 0;
        }
    }
}

/* ms moved inside the current window (offsets must not spill over). */
static int64_t
clamp(const struct sim *s, int64_t ms)
{
    return ms < s->now ? s->now : ms >= s->now + WINDOW_MS
                                      ? s->now + WINDOW_MS - 1 : ms;
}

/* One answer record for the answers array. */
struct answer {
    const char *type;
    char        rdata[300];
};

/*
 * A query by host h at ms. Returns 1 when it reached the log (a cache
 * miss), 0 when the cache answered it.
 */
static int
query(struct sim *s, int h, int64_t ms, const char *name, const char *type,
      const char *rcode, const struct answer *ans, int n_ans, int ttl)
{
    const struct host *src = &s->hosts[h];
    struct buf b = { 0 };
    char key[300], when[32], ip[16];

    ms = clamp(s, ms);
    snprintf(key, sizeof key, "%s/%s", name, type);
    if (cache_hit(s, key, ms, ttl))
        return 0;
    if (src->role == RO_DESK)               /* asked through our resolver */
        src = &s->hosts[s->resolver];
    isotime_format(ms, when, sizeof when);
    ip_text(src->ip, ip);
    buf_printf(&b, "{\"version\":\"1.100000\",\"account_id\":\"%s\","
               "\"region\":\"" REGION "\",\"vpc_id\":\"%s\","
               "\"query_timestamp\":\"%s\",\"query_name\":", s->account,
               s->vpc, when);
    {
        char dotted[300];
        snprintf(dotted, sizeof dotted, "%s.", name);
        buf_add_json_string(&b, dotted, strlen(dotted));
    }
    buf_printf(&b, ",\"query_type\":\"%s\",\"query_class\":\"IN\","
               "\"rcode\":\"%s\",\"answers\":[", type, rcode);
    for (int i = 0; i < n_ans; i++) {
        buf_adds(&b, i ? ",{\"Rdata\":" : "{\"Rdata\":");
        buf_add_json_string(&b, ans[i].rdata, strlen(ans[i].rdata));
        buf_printf(&b, ",\"Type\":\"%s\",\"Class\":\"IN\"}", ans[i].type);
    }
    buf_printf(&b, "],\"srcaddr\":\"%s\",\"srcport\":\"%u\","
               "\"transport\":\"UDP\",\"srcids\":{\"instance\":\"%s\"}}",
               ip, 32768 + (unsigned)rng_below(&s->rng, 28232),
               src->instance);
    add_line(s, ms, &b);
    buf_free(&b);
    s->st->queries++;
    return 1;
}

/* An A query that resolves to the name's address; returns the address. */
static uint32_t
resolve(struct sim *s, int h, int64_t ms, const char *name, int ttl,
        int *logged)
{
    struct answer a = { "A", "" };
    uint32_t ip = address_of(name);

    ip_text(ip, a.rdata);
    *logged = query(s, h, ms, name, "A", "NOERROR", &a, 1, ttl);
    return ip;
}

static uint64_t
flow_hash(int h, uint32_t src, uint32_t dst, uint16_t sport, uint16_t dport,
          uint8_t proto)
{
    return mix((uint64_t)src << 32 | dst,
               (uint64_t)(uint32_t)h << 40 | (uint64_t)sport << 24 |
               (uint64_t)dport << 8 | proto);
}

static void
flow_index(struct sim *s)
{
    s->fidx_cap = s->fidx_cap ? s->fidx_cap * 2 : 4096;
    free(s->fidx);
    s->fidx = xcalloc(s->fidx_cap, sizeof *s->fidx);
    for (size_t i = 0; i < s->n_flows; i++) {
        const struct flow *f = &s->flows[i];
        size_t mask = s->fidx_cap - 1;
        size_t j = flow_hash(f->host, f->src, f->dst, f->sport, f->dport,
                             f->proto) & mask;
        while (s->fidx[j])
            j = (j + 1) & mask;
        s->fidx[j] = (uint32_t)i + 1;
    }
}

/* Add to the flow record of one direction on host h's interface. */
static void
flow_dir(struct sim *s, int h, uint32_t src, uint32_t dst, uint16_t sport,
         uint16_t dport, uint8_t proto, uint64_t packets, uint64_t bytes,
         int64_t sec)
{
    size_t mask, j;

    if ((s->n_flows + 1) * 2 > s->fidx_cap)
        flow_index(s);
    mask = s->fidx_cap - 1;
    for (j = flow_hash(h, src, dst, sport, dport, proto) & mask;
         s->fidx[j]; j = (j + 1) & mask) {
        struct flow *f = &s->flows[s->fidx[j] - 1];
        if (f->host == h && f->src == src && f->dst == dst &&
            f->sport == sport && f->dport == dport && f->proto == proto) {
            f->packets += packets;
            f->bytes += bytes;
            f->first = sec < f->first ? sec : f->first;
            f->last = sec > f->last ? sec : f->last;
            return;
        }
    }
    if (s->n_flows == s->cap_flows) {
        s->cap_flows = s->cap_flows ? s->cap_flows * 2 : 1024;
        s->flows = xrealloc(s->flows, s->cap_flows * sizeof *s->flows);
    }
    s->fidx[j] = (uint32_t)s->n_flows + 1;
    s->flows[s->n_flows++] = (struct flow){ h, src, dst, sport, dport, proto,
                                            packets, bytes, sec, sec };
}

/* The index of our host with address ip, or -1. */
static int
host_of(const struct sim *s, uint32_t ip)
{
    uint32_t hi = (ip >> 8) & 255, lo = ip & 255;
    int i;

    if ((ip >> 16) != 0x0a00u || hi < 1 || lo < 10 || lo >= 250)
        return -1;
    i = (int)((hi - 1) * 240 + (lo - 10));
    return i < s->n_hosts && s->hosts[i].ip == ip ? i : -1;
}

/*
 * A connection from host h to dst:dport: one record each way on h's
 * interface (and on the peer's, when the peer is one of our hosts).
 */
static void
connect_to(struct sim *s, int h, int64_t ms, uint32_t dst, uint16_t dport,
           uint8_t proto, uint64_t packets, uint64_t out_bytes,
           uint64_t in_bytes, uint16_t sport)
{
    uint32_t me = s->hosts[h].ip;
    int64_t sec = clamp(s, ms) / 1000;
    int peer = host_of(s, dst);

    flow_dir(s, h, me, dst, sport, dport, proto, packets, out_bytes, sec);
    flow_dir(s, h, dst, me, dport, sport, proto, packets, in_bytes, sec);
    if (peer >= 0 && peer != h) {   /* the peer's interface sees it too */
        flow_dir(s, peer, me, dst, sport, dport, proto, packets,
                 out_bytes, sec);
        flow_dir(s, peer, dst, me, dport, sport, proto, packets,
                 in_bytes, sec);
    }
}

static uint16_t
ephemeral(struct sim *s)
{
    return (uint16_t)(32768 + rng_below(&s->rng, 28232));
}

/* A random moment in the current window. */
static int64_t
moment(struct sim *s)
{
    return s->now + (int64_t)rng_below(&s->rng, WINDOW_MS);
}

/* How many times something at rate per_hour happens in a window. */
static int
times(struct sim *s, double per_hour)
{
    double x = per_hour / 6.0 * s->o->scale;
    int n = (int)x;

    return n + ((double)(rng_next(&s->rng) >> 11) / 9007199254740992.0 <
                x - n);
}

/* --- Benign roles --- */

static const char *const aws_services[] = {
    "sts", "s3", "ec2", "ssm", "ec2messages", "ssmmessages", "logs",
    "monitoring", "dynamodb", "sqs", "secretsmanager", "kms", "ecr.api",
};

static const char *const registries[] = {
    "deb.debian.org", "security.debian.org", "registry.npmjs.org",
    "pypi.org", "files.pythonhosted.org", "github.com", "api.github.com",
    "objects.githubusercontent.com", "registry-1.docker.io",
    "auth.docker.io", "proxy.golang.org", "repo.maven.apache.org",
};

/* One of a pool of random-looking cloud names that grows with scale. */
static void
cloud_name(struct sim *s, unsigned kind, char *name, size_t cap)
{
    uint64_t pool = (uint64_t)(50.0 * s->o->scale) + 10;
    uint64_t x = mix(s->o->seed ^ kind, rng_below(&s->rng, pool));

    if (kind == 0)              /* CloudFront: d and 13 characters */
        snprintf(name, cap, "d%013llx.cloudfront.net",
                 (unsigned long long)(x & 0xfffffffffffffull));
    else if (kind == 1)         /* an S3 bucket, virtual-hosted */
        snprintf(name, cap, "%s-%llx.s3." REGION ".amazonaws.com",
                 s->words[x % s->n_words],
                 (unsigned long long)(x >> 40));
    else                        /* an API Gateway id: 10 characters */
        snprintf(name, cap, "%010llx.execute-api." REGION ".amazonaws.com",
                 (unsigned long long)(x & 0xffffffffffull));
}

/* An application server: AWS endpoints, SaaS APIs, cloud names. */
static void
app_server(struct sim *s, int h)
{
    char name[160];
    int logged;

    for (int k = times(s, 60); k > 0; k--) {
        int64_t ms = moment(s);
        unsigned pick = (unsigned)rng_below(&s->rng, 10);
        if (pick < 5)
            snprintf(name, sizeof name, "%s." REGION ".amazonaws.com",
                     aws_services[rng_below(&s->rng, 13)]);
        else if (pick < 7)
            snprintf(name, sizeof name, "api.%s", site(s, &s->rng));
        else
            cloud_name(s, pick - 7, name, sizeof name);
        uint32_t ip = resolve(s, h, ms, name, pick < 5 ? 60 : 300, &logged);
        connect_to(s, h, ms, ip, 443, 6, 12 + rng_below(&s->rng, 40),
                   2000 + rng_below(&s->rng, 20000),
                   4000 + rng_below(&s->rng, 80000), ephemeral(s));
    }
}

/* A Kubernetes node: the search path turns one name into a burst. */
static void
k8s_node(struct sim *s, int h)
{
    /* cluster.local is answered by the cluster's own DNS; the node's
     * search domains reach the VPC resolver. */
    static const char *const suffix[] = {
        REGION ".compute.internal", "ec2.internal",
    };
    char name[300];
    int logged;

    for (int k = times(s, 30); k > 0; k--) {
        int64_t ms = moment(s);
        const char *base = rng_below(&s->rng, 2) ? site(s, &s->rng)
                         : registries[rng_below(&s->rng, 12)];
        for (int i = 0; i < 2; i++) {
            snprintf(name, sizeof name, "%s.%s", base, suffix[i]);
            query(s, h, ms + i, name, "A", "NXDOMAIN", NULL, 0, 60);
            query(s, h, ms + i, name, "AAAA", "NXDOMAIN", NULL, 0, 60);
        }
        uint32_t ip = resolve(s, h, ms + 3, base, 300, &logged);
        connect_to(s, h, ms + 4, ip, 443, 6, 20, 3000, 60000, ephemeral(s));
    }
}

/* A CI runner pulling packages. */
static void
ci_runner(struct sim *s, int h)
{
    int logged;

    for (int k = times(s, 30); k > 0; k--) {
        int64_t ms = moment(s);
        const char *name = registries[rng_below(&s->rng, 12)];
        uint32_t ip = resolve(s, h, ms, name, 120, &logged);
        connect_to(s, h, ms, ip, 443, 6, 200 + rng_below(&s->rng, 2000),
                   20000, 2000000 + rng_below(&s->rng, 8000000),
                   ephemeral(s));
    }
}

/* The mail relay: MX, SPF, DKIM and DMARC look-ups, blocklist queries. */
static void
mail_relay(struct sim *s, int h)
{
    char name[300];
    struct answer a[1];

    for (int k = times(s, 40); k > 0; k--) {
        int64_t ms = moment(s);
        const char *dom = site(s, &s->rng);
        snprintf(a[0].rdata, sizeof a[0].rdata, "10 mx.%s.", dom);
        a[0].type = "MX";
        query(s, h, ms, dom, "MX", "NOERROR", a, 1, 3600);
        a[0].type = "TXT";
        snprintf(a[0].rdata, sizeof a[0].rdata,
                 "\"v=spf1 include:_spf.%s ~all\"", dom);
        query(s, h, ms + 1, dom, "TXT", "NOERROR", a, 1, 3600);
        snprintf(name, sizeof name, "_dmarc.%s", dom);
        snprintf(a[0].rdata, sizeof a[0].rdata, "\"v=DMARC1; p=none\"");
        query(s, h, ms + 2, name, "TXT", "NOERROR", a, 1, 3600);
        snprintf(name, sizeof name, "selector1._domainkey.%s", dom);
        snprintf(a[0].rdata, sizeof a[0].rdata, "\"v=DKIM1; k=rsa; p=MIGf\"");
        query(s, h, ms + 3, name, "TXT", "NOERROR", a, 1, 3600);
        /* The sending address, reversed, under a blocklist zone. */
        snprintf(name, sizeof name, "%u.%u.%u.%u.zen.spamhaus.org",
                 (unsigned)rng_below(&s->rng, 256),
                 (unsigned)rng_below(&s->rng, 256),
                 (unsigned)rng_below(&s->rng, 256),
                 (unsigned)(1 + rng_below(&s->rng, 223)));
        query(s, h, ms + 4, name, "A", "NXDOMAIN", NULL, 0, 900);
        connect_to(s, h, ms + 5, address_of(dom), 25, 6, 30, 40000, 3000,
                   ephemeral(s));
    }
}

/* A security agent: hashed look-ups under its vendor's domain. */
static void
agent_host(struct sim *s, int h)
{
    char name[200], x[33];
    struct answer a = { "A", "127.0.0.1" };

    for (int k = times(s, 20); k > 0; k--) {
        hex(&s->rng, x, 32);
        snprintf(name, sizeof name, "%.16s.%.16s.sxl.sophosxl.net", x,
                 x + 16);
        query(s, h, moment(s), name, "A", "NOERROR", &a, 1, 3600);
    }
}

/* A backup host: reverse look-ups of the addresses it talks to. */
static void
backup_host(struct sim *s, int h)
{
    char name[80];
    struct answer a = { "PTR", "" };

    for (int k = times(s, 20); k > 0; k--) {
        const struct host *peer = &s->hosts[(h + 1 + (int)rng_below(&s->rng,
                                   (uint64_t)s->n_hosts - 1)) % s->n_hosts];
        snprintf(name, sizeof name, "%u.%u.%u.%u.in-addr.arpa",
                 peer->ip & 255, (peer->ip >> 8) & 255,
                 (peer->ip >> 16) & 255, peer->ip >> 24);
        snprintf(a.rdata, sizeof a.rdata, "ip-%u-%u-%u-%u.ec2.internal.",
                 peer->ip >> 24, (peer->ip >> 16) & 255,
                 (peer->ip >> 8) & 255, peer->ip & 255);
        int64_t ms = moment(s);
        query(s, h, ms, name, "PTR", "NOERROR", &a, 1, 300);
        connect_to(s, h, ms, peer->ip, 22, 6, 400, 50000, 900000,
                   ephemeral(s));
    }
}

/* A workstation behind the VPC's own resolver, browsing. */
static void
desk(struct sim *s, int h)
{
    uint32_t dns = s->hosts[s->resolver].ip;
    char name[40];
    int logged;

    for (int k = times(s, 90); k > 0; k--) {
        int64_t ms = moment(s);
        const char *dom = site(s, &s->rng);
        char www[160];
        snprintf(www, sizeof www, "www.%s", dom);
        /* A query is 28 bytes of IP and UDP, 12 of DNS header, the name
         * and 4; the answer adds 16 for one A record. */
        uint64_t q = 46 + strlen(www);
        connect_to(s, h, ms, dns, 53, 17, 1, q, q + 16, ephemeral(s));
        uint32_t ip = resolve(s, h, ms + 1, www, 300, &logged);
        connect_to(s, h, ms + 2, ip, 443, 6, 40, 8000, 300000,
                   ephemeral(s));
    }
    /* A browser start-up: three random single labels, all NXDOMAIN. */
    if (times(s, 0.1)) {
        int64_t ms = moment(s);
        for (int i = 0; i < 3; i++) {
            size_t n = 7 + rng_below(&s->rng, 9);
            for (size_t j = 0; j < n; j++)
                name[j] = (char)('a' + rng_below(&s->rng, 26));
            name[n] = '\0';
            connect_to(s, h, ms, dns, 53, 17, 1, 46 + n, 46 + n + 60,
                       ephemeral(s));   /* NXDOMAIN carries the SOA */
            query(s, h, ms + i, name, "A", "NXDOMAIN", NULL, 0, 0);
        }
    }
}

/*
 * Benign traffic that looks like the flow-only attacks, so they cannot
 * be told by their destination alone: some browsers use DNS over HTTPS,
 * and some servers check an outside resolver now and then.
 */
static void
lookalikes(struct sim *s, int h)
{
    if (s->hosts[h].role == RO_DESK && h % 7 == 0 && times(s, 1))
        connect_to(s, h, moment(s), 0x01010101u, 443, 6, 14, 2200, 4100,
                   ephemeral(s));
    if (s->hosts[h].role == RO_APP && h % 11 == 0 && times(s, 1))
        connect_to(s, h, moment(s), 0x08080808u, 53, 17, 1, 74, 90,
                   ephemeral(s));
}

static void
benign_window(struct sim *s)
{
    for (int h = 0; h < s->n_hosts; h++) {
        lookalikes(s, h);
        switch (s->hosts[h].role) {
        case RO_APP: app_server(s, h); break;
        case RO_K8S: k8s_node(s, h); break;
        case RO_CI: ci_runner(s, h); break;
        case RO_MAIL: mail_relay(s, h); break;
        case RO_AGENT: agent_host(s, h); break;
        case RO_BACKUP: backup_host(s, h); break;
        case RO_DESK: desk(s, h); break;
        case RO_RESOLVER: break;
        }
    }
}

/* --- Attacks --- */

static void
note_name(struct attack *a, const char *name)
{
    for (size_t i = 0; i < a->n_names; i++)
        if (strcmp(a->names[i], name) == 0)
            return;
    a->names = xrealloc(a->names, (a->n_names + 1) * sizeof *a->names);
    a->names[a->n_names++] = xstrdup(name);
}

static void
note_time(struct attack *a, int64_t ms)
{
    if (!a->first || ms < a->first)
        a->first = ms;
    if (ms > a->last)
        a->last = ms;
}

/* A query by an attack; counts it when it reached the log. A host
 * behind our resolver sends it there first, which its flows show. */
static void
attack_query(struct sim *s, struct attack *a, int64_t ms, const char *name,
             const char *type, const char *rcode, const struct answer *ans,
             int n_ans, int ttl)
{
    if (s->hosts[a->host].role == RO_DESK) {
        uint64_t q = 46 + strlen(name);
        connect_to(s, a->host, ms, s->hosts[s->resolver].ip, 53, 17, 1, q,
                   q + 16 + 4 * (uint64_t)n_ans, ephemeral(s));
    }
    if (query(s, a->host, ms, name, type, rcode, ans, n_ans, ttl)) {
        a->queries++;
        s->st->attack_queries++;
        note_time(a, ms);
    }
}

/* Is the attack active in this window? [from, from + len) of the day. */
static int
active(struct sim *s, double from, double len)
{
    int64_t span = (int64_t)s->o->hours * 3600000LL;
    int64_t a = s->o->start_ms + (int64_t)(from * (double)span) / WINDOW_MS *
                WINDOW_MS;
    int64_t n = ((int64_t)(len * (double)span) + WINDOW_MS - 1) / WINDOW_MS;
    int64_t b = a + (n ? n : 1) * WINDOW_MS;

    return s->now >= a && s->now < b;
}

/* The day's DGA names, from the seed and the day only. */
static void
dga_name(struct sim *s, int dict, unsigned i, char *out, size_t cap)
{
    static const char *const tld[] = { "com", "net", "org", "info", "biz" };
    struct rng r = { mix(s->o->seed ^ (dict ? 0xd1c7u : 0xd6au),
                         (uint64_t)(s->o->start_ms / 86400000) * 1000 + i) };

    if (dict) {                 /* two words of a small fixed vocabulary */
        uint64_t a = rng_below(&r, 60), b = rng_below(&r, 60);
        snprintf(out, cap, "%s%s.net",
                 s->words[mix(s->o->seed ^ 0x70cab, a) % s->n_words],
                 s->words[mix(s->o->seed ^ 0x70cab, b) % s->n_words]);
        return;
    }
    size_t n = 12 + rng_below(&r, 5);
    for (size_t k = 0; k < n && k + 1 < cap; k++)
        out[k] = (char)('a' + rng_below(&r, 26));
    snprintf(out + n, cap - n, ".%s", tld[rng_below(&r, 5)]);
}

/* A DGA host: a few names an hour, all NXDOMAIN but the registered one,
 * then a C2 channel to it. */
static void
dga(struct sim *s, struct attack *a, int dict, double per_hour)
{
    char name[160];
    int64_t ms;

    double x = per_hour / 6.0;
    int n = (int)x + ((double)(rng_next(&s->rng) >> 11) / 9007199254740992.0
                      < x - (int)x);

    for (int k = n; k > 0; k--) {
        unsigned i = a->tries++;
        ms = moment(s);
        dga_name(s, dict, i, name, sizeof name);
        note_name(a, name);
        if (!a->domain[0] && (int)i >= a->registered) {
            struct answer ans = { "A", "" };
            ip_text(address_of(name), ans.rdata);
            attack_query(s, a, ms, name, "A", "NOERROR", &ans, 1, 60);
            snprintf(a->domain, sizeof a->domain, "%s", name);
        } else {
            attack_query(s, a, ms, name, "A", "NXDOMAIN", NULL, 0, 0);
        }
    }
    if (a->domain[0]) {         /* beaconing home over HTTPS */
        ms = moment(s);
        connect_to(s, a->host, ms, address_of(a->domain), 443, 6, 12, 1500,
                   4000, ephemeral(s));
        a->flows++;
    }
}

/*
 * Tunnel data in one of the encodings real tools use: base32 (iodine,
 * Sliver), base64 with - and _ (iodine Base64u, DNSExfiltrator), hex
 * (dnscat2, Cobalt Strike) or 8-bit bytes 0xbc-0xfd (iodine Base128),
 * which the resolver log shows as \DDD escapes. Writes about n
 * characters of name into out (capacity at least 4 * n + 1).
 */
static void
encode(struct rng *r, int enc, char *out, size_t n)
{
    static const char b64[] =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    size_t o = 0;

    for (size_t i = 0; i < n; i++) {
        switch (enc) {
        case 0: out[o++] = BASE32[rng_below(r, 32)]; break;
        case 1: out[o++] = b64[rng_below(r, 64)]; break;
        case 2: out[o++] = HEX[rng_below(r, 16)]; break;
        default:
            o += (size_t)sprintf(out + o, "\\%03u",
                                 0xbcu + (unsigned)rng_below(r, 0x42));
            i += 3;         /* one escaped byte is four characters */
        }
    }
    out[o] = '\0';
}

/* A tunnel through the resolver: a query a second, each name unique;
 * the operator restarts the tool with another encoding every half
 * hour. */
static void
tunnel(struct sim *s, struct attack *a)
{
    char data[800], name[1000], zone[200];
    int enc = (int)((s->now / (3 * WINDOW_MS)) % 4);

    if (!active(s, 0.25, 1.0 / 12))
        return;
    snprintf(zone, sizeof zone, "t.%s", a->domain);
    note_name(a, zone);
    for (int sec = 0; sec < WINDOW_MS / 1000; sec++) {
        int64_t ms = s->now + sec * 1000 + (int64_t)rng_below(&s->rng, 900);
        size_t n = 100 + rng_below(&s->rng, 80), o = 0, run = 0;
        encode(&s->rng, enc, data, n);
        /* A dot every 57 bytes of the label (an escape is one byte). */
        for (size_t i = 0; data[i]; i++) {
            if (run == 57) {
                name[o++] = '.';
                run = 0;
            }
            if (data[i] == '\\') {
                memcpy(name + o, data + i, 4);
                o += 4, i += 3;
            } else {
                name[o++] = data[i];
            }
            run++;
        }
        snprintf(name + o, sizeof name - o, ".%s", zone);
        if (rng_below(&s->rng, 10) < 6) {
            attack_query(s, a, ms, name, "NULL", "NOERROR", NULL, 0, 0);
        } else {
            struct answer ans = { "TXT", "" };
            pick(&s->rng, BASE32, data, 60);
            snprintf(ans.rdata, sizeof ans.rdata, "\"t%.200s\"", data);
            attack_query(s, a, ms, name, "TXT", "NOERROR", &ans, 1, 0);
        }
    }
}

/* A tunnel that skips the resolver: UDP 53 to an outside server. */
static void
bypass(struct sim *s, struct attack *a)
{
    if (!active(s, 0.5, 1.0 / 24))
        return;
    for (int k = 0; k < 10; k++) {
        int64_t ms = s->now + k * 60000 + (int64_t)rng_below(&s->rng, 60000);
        /* Tunnel queries of 150 to 230 name bytes, answers of ~200. */
        uint64_t n = 50 + rng_below(&s->rng, 20);
        connect_to(s, a->host, ms, OUTSIDE_DNS, 53, 17, n,
                   n * (196 + rng_below(&s->rng, 80)),
                   n * (240 + rng_below(&s->rng, 60)), ephemeral(s));
        note_time(a, ms);
    }
    a->flows++;
}

/* DNS over HTTPS to public resolvers instead of the VPC's. */
static void
doh(struct sim *s, struct attack *a)
{
    static const uint32_t resolvers[] = { 0x01010101u, 0x08080808u };

    for (int k = 0; k < 2; k++) {
        int64_t ms = moment(s);
        connect_to(s, a->host, ms, resolvers[k], 443, 6,
                   20 + rng_below(&s->rng, 20), 3000, 6000, ephemeral(s));
        note_time(a, ms);
    }
    a->flows++;
}

/* A beacon: one name every five minutes, give or take a fifth. */
static void
beacon(struct sim *s, struct attack *a)
{
    struct answer ans = { "A", "" };
    uint32_t ip = address_of(a->domain);

    ip_text(ip, ans.rdata);
    note_name(a, a->domain);
    if (!a->next)
        a->next = s->o->start_ms + (int64_t)rng_below(&s->rng, 300000);
    while (a->next < s->now + WINDOW_MS) {
        int64_t ms = a->next;
        attack_query(s, a, ms, a->domain, "A", "NOERROR", &ans, 1, 30);
        connect_to(s, a->host, ms + 40, ip, 443, 6, 8, 900, 1200,
                   ephemeral(s));
        a->flows++;
        a->next += 240000 + (int64_t)rng_below(&s->rng, 120001);
    }
}

/* Exfiltration in TXT queries under a subdomain of a legitimate site. */
static void
txt_exfil(struct sim *s, struct attack *a)
{
    char data[41], name[300];

    if (!active(s, 0.75, 1.0 / 48))
        return;
    note_name(a, a->domain);
    for (int64_t ms = s->now + (int64_t)rng_below(&s->rng, 5000);
         ms < s->now + WINDOW_MS;
         ms += 3000 + (int64_t)rng_below(&s->rng, 4001)) {
        hex(&s->rng, data, 40);
        snprintf(name, sizeof name, "%s.%llu.%s", data,
                 (unsigned long long)a->queries, a->domain);
        attack_query(s, a, ms, name, "TXT", "NXDOMAIN", NULL, 0, 0);
    }
}

static void
attack_window(struct sim *s)
{
    struct attack *a = s->att;

    if (a[SA_DGA].on)
        dga(s, &a[SA_DGA], 0, 6);
    if (a[SA_DICT_DGA].on)
        dga(s, &a[SA_DICT_DGA], 1, 4);
    if (a[SA_TUNNEL].on)
        tunnel(s, &a[SA_TUNNEL]);
    if (a[SA_BYPASS].on)
        bypass(s, &a[SA_BYPASS]);
    if (a[SA_DOH].on)
        doh(s, &a[SA_DOH]);
    if (a[SA_BEACON].on)
        beacon(s, &a[SA_BEACON]);
    if (a[SA_TXT_EXFIL].on)
        txt_exfil(s, &a[SA_TXT_EXFIL]);
}

/* --- Writing --- */

/* mkdir -p for the directory part of path. */
static int
make_dirs(const char *path)
{
    char tmp[4096];

    snprintf(tmp, sizeof tmp, "%s", path);
    for (char *p = tmp + 1; *p; p++) {
        if (*p != '/')
            continue;
        *p = '\0';
        if (mkdir(tmp, 0777) != 0 && errno != EEXIST)
            return -1;
        *p = '/';
    }
    return 0;
}

/* Write b gzip'd to path (no time stamp in the header: same bytes). */
static int
write_gz(const char *path, const struct buf *b, char *err, size_t errlen)
{
    z_stream z;
    unsigned char out[65536];
    FILE *f;
    int rc, ok = 1;

    if (make_dirs(path) != 0 || !(f = fopen(path, "wb"))) {
        char shown[300];
        snprintf(err, errlen, "%s: %s",
                 escape_bytes(shown, sizeof shown, path, strlen(path)),
                 strerror(errno));
        return -1;
    }
    memset(&z, 0, sizeof z);
    deflateInit2(&z, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY);
    static char none[1];

    z.next_in = (Bytef *)(b->data ? b->data : none);
    z.avail_in = (uInt)b->len;
    do {
        z.next_out = out;
        z.avail_out = sizeof out;
        rc = deflate(&z, Z_FINISH);
        size_t n = sizeof out - z.avail_out;
        ok = ok && fwrite(out, 1, n, f) == n;
    } while (rc == Z_OK);
    deflateEnd(&z);
    ok = ok && rc == Z_STREAM_END;
    if (fclose(f) != 0 || !ok) {
        char shown[300];
        snprintf(err, errlen, "%s: cannot write",
                 escape_bytes(shown, sizeof shown, path, strlen(path)));
        return -1;
    }
    return 0;
}

static int
by_time(const void *a, const void *b)
{
    const struct line *x = a, *y = b;

    if (x->ms != y->ms)
        return x->ms < y->ms ? -1 : 1;
    return x < y ? -1 : x > y;      /* stable: keep the order of making */
}

static int
by_flow(const void *a, const void *b)
{
    const struct flow *x = a, *y = b;

    if (x->first != y->first)
        return x->first < y->first ? -1 : 1;
    return x < y ? -1 : x > y;
}

/* "YYYYMMDDTHHMMZ" and "YYYY/MM/DD" of ms. */
static void
stamps(int64_t ms, char stamp[16], char day[12])
{
    char iso[32];

    isotime_format(ms, iso, sizeof iso);
    snprintf(stamp, 16, "%.4s%.2s%.2sT%.2s%.2sZ", iso, iso + 5, iso + 8,
             iso + 11, iso + 14);
    snprintf(day, 12, "%.4s/%.2s/%.2s", iso, iso + 5, iso + 8);
}

static int
write_window(struct sim *s, int64_t w, char *err, size_t errlen)
{
    struct buf b = { 0 }, path = { 0 };
    char stamp[16], day[12], tag[9];
    struct rng r = { mix(s->o->seed, (uint64_t)w) };
    int rc = 0;

    stamps(s->now, stamp, day);
    hex(&r, tag, 8);
    if (s->n_lines) {
        qsort(s->lines, s->n_lines, sizeof *s->lines, by_time);
        for (size_t i = 0; i < s->n_lines; i++) {
            buf_adds(&b, s->lines[i].text);
            buf_addc(&b, '\n');
            free(s->lines[i].text);
        }
        buf_printf(&path, "%s/AWSLogs/%s/vpcdnsquerylogs/%s/%s/"
                   "%s_vpcdnsquerylogs_%s_%s_%s.log.gz", s->o->out,
                   s->account, s->vpc, day, s->vpc, s->account, stamp, tag);
        rc = write_gz(path.data, &b, err, errlen);
        s->st->files += rc == 0;
    }
    hex(&r, tag, 8);
    if (!rc && s->n_flows) {
        qsort(s->flows, s->n_flows, sizeof *s->flows, by_flow);
        buf_reset(&b);
        buf_adds(&b, "version account-id interface-id srcaddr dstaddr "
                 "srcport dstport protocol packets bytes start end action "
                 "log-status\n");
        for (size_t i = 0; i < s->n_flows; i++) {
            const struct flow *f = &s->flows[i];
            char a[16], d[16];
            ip_text(f->src, a);
            ip_text(f->dst, d);
            buf_printf(&b, "2 %s %s %s %s %u %u %u %llu %llu %lld %lld "
                       "ACCEPT OK\n", s->account, s->hosts[f->host].eni, a,
                       d, f->sport, f->dport, f->proto,
                       (unsigned long long)f->packets,
                       (unsigned long long)f->bytes, (long long)f->first,
                       (long long)f->last);
        }
        buf_reset(&path);
        buf_printf(&path, "%s/AWSLogs/%s/vpcflowlogs/" REGION "/%s/"
                   "%s_vpcflowlogs_" REGION "_%s_%s_%s.log.gz", s->o->out,
                   s->account, day, s->account, s->flowlog, stamp, tag);
        rc = write_gz(path.data, &b, err, errlen);
        s->st->files += rc == 0;
        s->st->flows += s->n_flows;
    }
    s->n_lines = s->n_flows = 0;
    memset(s->fidx, 0, s->fidx_cap * sizeof *s->fidx);
    buf_free(&b);
    buf_free(&path);
    return rc;
}

static void
json_str(struct buf *b, const char *key, const char *v, int comma)
{
    buf_printf(b, "%s\"%s\":", comma ? "," : "", key);
    buf_add_json_string(b, v, strlen(v));
}

/* truth.json: every attack, its host and the malicious names. */
static int
write_truth(struct sim *s, char *err, size_t errlen)
{
    struct buf b = { 0 }, path = { 0 };
    char t[32], ip[16];
    int first = 1;
    FILE *f;

    isotime_format(s->o->start_ms, t, sizeof t);
    buf_printf(&b, "{\"seed\":%llu", (unsigned long long)s->o->seed);
    json_str(&b, "start", t, 1);
    buf_printf(&b, ",\"hours\":%d,\"hosts\":%d", s->o->hours, s->n_hosts);
    json_str(&b, "account", s->account, 1);
    json_str(&b, "vpc", s->vpc, 1);
    json_str(&b, "region", REGION, 1);
    ip_text(s->hosts[s->resolver].ip, ip);
    json_str(&b, "resolver", ip, 1);
    buf_adds(&b, ",\"attacks\":[");
    for (int k = 0; k < SA_COUNT; k++) {
        const struct attack *a = &s->att[k];
        const struct host *h = &s->hosts[a->host];
        if (!a->on)
            continue;
        buf_adds(&b, first ? "\n{" : ",\n{");
        first = 0;
        json_str(&b, "attack", sim_attack_key((enum sim_attack)k), 0);
        json_str(&b, "description", sim_attack_text((enum sim_attack)k), 1);
        ip_text(h->ip, ip);
        json_str(&b, "host", ip, 1);
        json_str(&b, "instance", h->instance, 1);
        ip_text(h->role == RO_DESK ? s->hosts[s->resolver].ip : h->ip, ip);
        json_str(&b, "queries_from", ip, 1);
        buf_printf(&b, ",\"queries\":%llu,\"names\":[",
                   (unsigned long long)a->queries);
        for (size_t i = 0; i < a->n_names; i++) {
            if (i)
                buf_addc(&b, ',');
            buf_add_json_string(&b, a->names[i], strlen(a->names[i]));
        }
        buf_adds(&b, "]");
        if ((k == SA_DGA || k == SA_DICT_DGA) && a->domain[0])
            json_str(&b, "resolving", a->domain, 1);
        if (k == SA_BYPASS)
            buf_adds(&b, ",\"peers\":[\"203.0.113.53\"]");
        if (k == SA_DOH)
            buf_adds(&b, ",\"peers\":[\"1.1.1.1\",\"8.8.8.8\"]");
        if (a->first) {
            isotime_format(a->first, t, sizeof t);
            json_str(&b, "first", t, 1);
            isotime_format(a->last, t, sizeof t);
            json_str(&b, "last", t, 1);
        }
        buf_adds(&b, "}");
    }
    buf_adds(&b, "]}\n");
    buf_printf(&path, "%s/truth.json", s->o->out);
    int ok = make_dirs(path.data) == 0 && (f = fopen(path.data, "w"));
    if (ok) {
        ok = fwrite(b.data, 1, b.len, f) == b.len;
        ok = fclose(f) == 0 && ok;
    }
    if (!ok) {
        char shown[300];
        snprintf(err, errlen, "%s: %s", escape_bytes(shown, sizeof shown,
                 path.data, path.len), strerror(errno));
    }
    buf_free(&b);
    buf_free(&path);
    return ok ? 0 : -1;
}

/* --- The day --- */

/* The first free host of role want from host start on, wrapping; any
 * free host when none has the role. */
static int
free_host(const struct sim *s, const unsigned char *used, int start,
          enum role want)
{
    for (int pass = 0; pass < 2; pass++) {
        for (int i = 0; i < s->n_hosts; i++) {
            int h = 2 + (start + i) % (s->n_hosts - 2);
            if (!used[h] && (pass || s->hosts[h].role == want))
                return h;
        }
    }
    return 2;
}

/* Pick each attack's host: distinct, never the resolver or mail relay;
 * the beacon on a workstation, so its queries come from the resolver. */
static void
place_attacks(struct sim *s, struct rng *r)
{
    unsigned char *used = xcalloc((size_t)s->n_hosts, 1);

    for (int k = 0; k < SA_COUNT; k++) {
        struct attack *a = &s->att[k];
        a->on = (s->o->attacks >> k) & 1;
        a->host = free_host(s, used, (int)rng_below(r, (uint64_t)s->n_hosts),
                            k == SA_BEACON ? RO_DESK : RO_APP);
        used[a->host] = 1;
        a->registered = 2 + (int)rng_below(r, 8);
    }
    free(used);
    snprintf(s->att[SA_TUNNEL].domain, 128, "%s%u.com", word(s, r),
             (unsigned)rng_below(r, 100));
    snprintf(s->att[SA_BEACON].domain, 128, "updates.%s%s.net", word(s, r),
             word(s, r));
    snprintf(s->att[SA_TXT_EXFIL].domain, 128, "d.%s", site_name(s, 3));
}

static int
setup(struct sim *s, char *err, size_t errlen)
{
    struct model m;
    struct rng r = { mix(s->o->seed, 0x5e7) };

    if (modelfile_load(NULL, &m, err, errlen) != 0)
        return -1;
    dict_each(m.dict, add_word, s);
    model_free(&m);
    if (s->n_words < 100) {
        snprintf(err, errlen, "the built-in model has too few words");
        return -1;
    }
    snprintf(s->account, sizeof s->account, "%012llu",
             (unsigned long long)(mix(s->o->seed, 1) % 1000000000000ull));
    memcpy(s->vpc, "vpc-", 4);
    hex(&r, s->vpc + 4, 17);
    memcpy(s->flowlog, "fl-", 3);
    hex(&r, s->flowlog + 3, 17);
    make_hosts(s, &r);
    place_attacks(s, &r);
    return 0;
}

static void
teardown(struct sim *s)
{
    for (size_t i = 0; i < s->n_words; i++)
        free(s->words[i]);
    free(s->words);
    for (int k = 0; k < SA_COUNT; k++) {
        for (size_t i = 0; i < s->att[k].n_names; i++)
            free(s->att[k].names[i]);
        free(s->att[k].names);
    }
    free(s->hosts);
    free(s->cache);
    free(s->lines);
    free(s->flows);
    free(s->fidx);
}

/* The output directory must be new or empty: old objects would mix in. */
static int
fresh_dir(const char *dir, char *err, size_t errlen)
{
    DIR *d = opendir(dir);
    struct dirent *e;
    int empty = 1;
    char shown[300];

    if (!d)
        return errno == ENOENT ? 0 : (snprintf(err, errlen, "%s: %s",
               escape_bytes(shown, sizeof shown, dir, strlen(dir)),
               strerror(errno)), -1);
    while (empty && (e = readdir(d)))
        empty = strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0;
    closedir(d);
    if (empty)
        return 0;
    snprintf(err, errlen, "%s: not empty; give a new or empty directory",
             escape_bytes(shown, sizeof shown, dir, strlen(dir)));
    return -1;
}

int
simulate(const struct sim_opts *o, struct sim_stats *st, char *err,
         size_t errlen)
{
    struct sim s = { .o = o, .st = st };
    int64_t windows = (int64_t)o->hours * 6;
    int rc;

    memset(st, 0, sizeof *st);
    if (o->hosts < 16 || o->hours < 1 || o->hours > 24 ||
        o->hosts > 57600 || !(o->scale > 0.0) || o->scale > 100.0 ||
        o->start_ms % WINDOW_MS || !o->out || !*o->out) {
        snprintf(err, errlen, "hosts must be 16 to 57600, hours 1 to 24, "
                 "scale above 0 and at most 100, and an --out given");
        return -1;
    }
    rc = fresh_dir(o->out, err, errlen);
    if (rc == 0)
        rc = setup(&s, err, errlen);
    for (int64_t w = 0; rc == 0 && w < windows; w++) {
        s.now = o->start_ms + w * WINDOW_MS;
        s.rng.s = mix(o->seed, 0x10000 + (uint64_t)w);
        benign_window(&s);
        attack_window(&s);
        rc = write_window(&s, w, err, errlen);
    }
    if (rc == 0)
        rc = write_truth(&s, err, errlen);
    teardown(&s);
    return rc;
}
