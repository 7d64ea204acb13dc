/* SPDX-License-Identifier: MIT
 *
 * gen.c: deterministic generator of synthetic AWS logs for the dnshunt
 * benchmark. `gen route53 --rows N --seed S` writes one day of Route 53
 * Resolver query log lines (compact JSON, one object per line) and
 * `gen flow --rows N --seed S` writes one day of VPC Flow Logs (version 5
 * text, header line first). Output goes to stdout, uncompressed. The same
 * seed and row count always give the same bytes: the only randomness is
 * the xorshift64* generator below, seeded through splitmix64.
 */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DAY_START   1714521600ULL       /* 2024-05-01T00:00:00Z */
#define DAY_SECS    86400U
#define N_HOSTS     300
#define N_SITES     2600
#define POOL_TARGET 20000
#define ACCOUNT     "111122223333"
#define REGION      "us-east-1"

/* ---- random numbers ------------------------------------------------- */

struct rng {
    uint64_t s;
};

static uint64_t
splitmix64(uint64_t *x)
{
    uint64_t z = (*x += 0x9e3779b97f4a7c15ULL);

    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

static void
rng_seed(struct rng *r, uint64_t seed)
{
    uint64_t x = seed;

    r->s = splitmix64(&x);
    if (r->s == 0)
        r->s = 0x2545f4914f6cdd1dULL;
}

/* xorshift64*: small, fast and good enough for synthetic data. */
static uint64_t
rng_next(struct rng *r)
{
    uint64_t x = r->s;

    x ^= x >> 12;
    x ^= x << 25;
    x ^= x >> 27;
    r->s = x;
    return x * 0x2545f4914f6cdd1dULL;
}

/* A number in [0, n); n > 0. */
static uint32_t
rng_below(struct rng *r, uint32_t n)
{
    return (uint32_t)((rng_next(r) >> 32) * n >> 32);
}

/* A number in [lo, hi]. */
static uint32_t
rng_range(struct rng *r, uint32_t lo, uint32_t hi)
{
    return lo + rng_below(r, hi - lo + 1);
}

/* A double in [0, 1). */
static double
rng_unit(struct rng *r)
{
    return (double)(rng_next(r) >> 11) * (1.0 / 9007199254740992.0);
}

/* True with probability per10k / 10000. */
static int
rng_chance(struct rng *r, uint32_t per10k)
{
    return rng_below(r, 10000) < per10k;
}

/* ---- memory and strings --------------------------------------------- */

static void *
xmalloc(size_t n)
{
    void *p = malloc(n ? n : 1);

    if (p == NULL) {
        fputs("gen: out of memory\n", stderr);
        exit(1);
    }
    return p;
}

static char *
xsprintf(const char *fmt, ...)
{
    va_list ap;
    char tmp[512];
    char *s;
    int n;

    va_start(ap, fmt);
    n = vsnprintf(tmp, sizeof tmp, fmt, ap);
    va_end(ap);
    if (n < 0 || (size_t)n >= sizeof tmp) {
        fputs("gen: string too long\n", stderr);
        exit(1);
    }
    s = xmalloc((size_t)n + 1);
    memcpy(s, tmp, (size_t)n + 1);
    return s;
}

/* A growable byte buffer; lines are built in one and flushed to stdout. */
struct buf {
    char *b;
    size_t n;
    size_t cap;
};

static void
buf_init(struct buf *sb, size_t cap)
{
    sb->b = xmalloc(cap);
    sb->n = 0;
    sb->cap = cap;
}

static void
buf_mem(struct buf *sb, const char *s, size_t n)
{
    if (sb->n + n > sb->cap) {
        while (sb->n + n > sb->cap)
            sb->cap *= 2;
        sb->b = realloc(sb->b, sb->cap);
        if (sb->b == NULL) {
            fputs("gen: out of memory\n", stderr);
            exit(1);
        }
    }
    memcpy(sb->b + sb->n, s, n);
    sb->n += n;
}

static void
buf_str(struct buf *sb, const char *s)
{
    buf_mem(sb, s, strlen(s));
}

static void
buf_chr(struct buf *sb, char c)
{
    buf_mem(sb, &c, 1);
}

static void
buf_uint(struct buf *sb, uint64_t v)
{
    char tmp[24];
    int i = (int)sizeof tmp;

    do {
        tmp[--i] = (char)('0' + v % 10);
        v /= 10;
    } while (v != 0);
    buf_mem(sb, tmp + i, sizeof tmp - (size_t)i);
}

/* Two decimal digits, zero padded. */
static void
buf_2d(struct buf *sb, unsigned v)
{
    char tmp[2] = { (char)('0' + v / 10 % 10), (char)('0' + v % 10) };

    buf_mem(sb, tmp, 2);
}

static void
buf_ip(struct buf *sb, uint32_t ip)
{
    buf_uint(sb, ip >> 24);
    buf_chr(sb, '.');
    buf_uint(sb, ip >> 16 & 255);
    buf_chr(sb, '.');
    buf_uint(sb, ip >> 8 & 255);
    buf_chr(sb, '.');
    buf_uint(sb, ip & 255);
}

static void
buf_flush(struct buf *sb)
{
    if (sb->n && fwrite(sb->b, 1, sb->n, stdout) != sb->n) {
        perror("gen: write");
        exit(1);
    }
    sb->n = 0;
}

static const char HEX[] = "0123456789abcdef";
static const char B32[] = "abcdefghijklmnopqrstuvwxyz234567";
static const char B64[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/* n random characters drawn from the alphabet into dst (NUL ended). */
static void
rand_chars(struct rng *r, char *dst, size_t n, const char *alpha)
{
    size_t k = strlen(alpha);
    size_t i;

    for (i = 0; i < n; i++)
        dst[i] = alpha[rng_below(r, (uint32_t)k)];
    dst[n] = '\0';
}

/* An AWS resource id such as "i-0123456789abcdef0" (17 hex digits). */
static char *
aws_id(struct rng *r, const char *prefix)
{
    char hex[18];

    rand_chars(r, hex, 17, HEX);
    hex[0] = '0';
    return xsprintf("%s-%s", prefix, hex);
}

/* ---- time of day ---------------------------------------------------- */

/* Relative traffic per hour (UTC): a working-day bump. */
static const unsigned HOUR_WEIGHT[24] = {
    3, 2, 2, 2, 2, 3, 4, 6, 9, 11, 12, 12,
    11, 12, 12, 11, 10, 9, 7, 6, 5, 5, 4, 3
};

/* Second of the day for row i of n: non-decreasing in i, shaped by
 * HOUR_WEIGHT so that busy hours hold more rows. */
static uint32_t
day_second(uint64_t i, uint64_t n)
{
    double total = 0, target, acc = 0, frac;
    unsigned h;

    for (h = 0; h < 24; h++)
        total += HOUR_WEIGHT[h];
    target = ((double)i + 0.5) / (double)n * total;
    for (h = 0; h < 23; h++) {
        if (acc + HOUR_WEIGHT[h] > target)
            break;
        acc += HOUR_WEIGHT[h];
    }
    frac = (target - acc) / HOUR_WEIGHT[h];
    if (frac < 0)
        frac = 0;
    if (frac >= 1)
        frac = 0.99999;
    return h * 3600U + (uint32_t)(frac * 3600.0);
}

/* ---- names made of syllables ---------------------------------------- */

static const char *const SYL[] = {
    "ka", "lo", "mi", "ra", "ne", "to", "vi", "sa", "de", "po", "lu", "ben",
    "cor", "dal", "fin", "gor", "hal", "jun", "kel", "mar", "nor", "pel",
    "quin", "ros", "sel", "tan", "ver", "wil", "zen", "ar", "el", "in",
    "on", "tri", "bra", "cla", "dro", "fle", "gra", "pro", "stra", "tec",
    "nex", "sys", "dat", "net", "sof", "lab", "hub", "ly", "io", "fy",
    "ba", "co", "du", "fa", "ge", "hi", "jo", "ku", "le", "mo", "nu", "pi",
    "ri", "su", "ti", "vo", "xa", "yo", "zu", "ster", "mond", "berg", "ton",
    "ville", "ware", "cast", "mint", "loop", "grid", "wave", "core", "byte",
};
#define N_SYL (sizeof SYL / sizeof SYL[0])

static const char *const TLD[] = {
    "com", "com", "com", "com", "com", "com", "com", "com", "com", "com",
    "net", "net", "org", "io", "io", "co", "de", "co.uk", "cloud", "dev",
    "app", "fr", "nl", "tech", "info",
};
#define N_TLD (sizeof TLD / sizeof TLD[0])

static const char *const PREFIX[] = {
    "www", "api", "cdn", "static", "img", "login", "auth", "mail", "app",
    "assets", "files", "m", "edge", "telemetry", "update", "updates",
    "metrics", "ws", "sso", "portal", "docs", "status", "events", "push",
    "config", "download", "media", "search", "graph", "gateway", "id",
    "accounts", "analytics", "tracking", "beacon", "sync", "chat",
    "video", "support", "shop", "pay", "checkout", "news", "blog", "dev",
    "stage", "eu", "us", "prod", "vpn", "git", "ci", "registry", "repo",
    "mirror", "ntp", "time", "ocsp", "crl", "smtp", "imap", "autodiscover",
    "license", "hooks", "uploads", "feeds", "rum", "collector", "ingest",
};
#define N_PREFIX (sizeof PREFIX / sizeof PREFIX[0])

static const char *const AWS_REGIONAL[] = {
    "s3", "ec2", "ssm", "ssmmessages", "ec2messages", "logs",
    "monitoring", "kms", "secretsmanager", "sqs", "sns", "dynamodb",
    "lambda", "api.ecr", "elasticloadbalancing", "autoscaling",
    "cloudformation", "events", "xray", "athena", "glue", "firehose",
    "kinesis", "states", "execute-api", "ecs", "ecs-telemetry",
    "elasticfilesystem", "codecommit", "sts",
};
#define N_AWS_REGIONAL (sizeof AWS_REGIONAL / sizeof AWS_REGIONAL[0])

static const char *const AWS_GLOBAL[] = {
    "sts.amazonaws.com.", "s3.amazonaws.com.", "iam.amazonaws.com.",
    "organizations.us-east-1.amazonaws.com.", "route53.amazonaws.com.",
    "cloudfront.amazonaws.com.", "ec2.us-west-2.amazonaws.com.",
    "s3.us-west-2.amazonaws.com.", "sts.us-west-2.amazonaws.com.",
    "amazonlinux-2-repos-us-east-1.s3.dualstack.us-east-1.amazonaws.com.",
    "al2023-repos-us-east-1-de612dc2.s3.dualstack.us-east-1.amazonaws.com.",
    "instance-data.ec2.internal.", "ec2.internal.",
};
#define N_AWS_GLOBAL (sizeof AWS_GLOBAL / sizeof AWS_GLOBAL[0])

/* One word of 2 or 3 syllables, sometimes two words joined by '-'. */
static void
make_word(struct rng *r, char *dst, size_t cap)
{
    unsigned n = 2 + (rng_chance(r, 3500) ? 1 : 0);
    unsigned i;

    dst[0] = '\0';
    for (i = 0; i < n; i++)
        strncat(dst, SYL[rng_below(r, N_SYL)], cap - strlen(dst) - 1);
}

/* ---- hosts ---------------------------------------------------------- */

struct host {
    uint32_t ip;            /* private IPv4 address */
    char *instance;         /* instance id, or NULL for srcids {} */
    char *eni;              /* network interface id */
    int vpc;                /* index into vpcs[] */
    int subnet;             /* index into subnets[] */
    uint32_t weight;        /* how chatty the host is */
};

struct vpc {
    char *id;
    uint32_t base;          /* 10.v.0.0 */
};

struct subnet {
    char *id;
    int vpc;
    uint32_t base;          /* 10.v.(16k).0, a /20 */
    const char *az;
};

#define N_VPCS    3
#define N_SUBNETS 18        /* 6 per VPC */

static struct vpc vpcs[N_VPCS];
static struct subnet subnets[N_SUBNETS];
static struct host hosts[N_HOSTS];
static uint32_t host_cum[N_HOSTS];
static uint32_t host_total;

static const char *const AZ[] = { "use1-az1", "use1-az2", "use1-az4" };

/* Builds the VPCs, subnets and hosts; both log kinds start with this so
 * that one seed gives the same hosts in DNS logs and in flow logs. */
static void
build_hosts(struct rng *r)
{
    static const uint32_t second[N_VPCS] = { 0, 1, 20 };
    int v, s, h;

    for (v = 0; v < N_VPCS; v++) {
        vpcs[v].id = aws_id(r, "vpc");
        vpcs[v].base = (10U << 24) | (second[v] << 16);
    }
    for (s = 0; s < N_SUBNETS; s++) {
        subnets[s].id = aws_id(r, "subnet");
        subnets[s].vpc = s / 6;
        subnets[s].base = vpcs[s / 6].base | ((uint32_t)(s % 6 + 1) * 16 << 8);
        subnets[s].az = AZ[s % 3];
    }
    for (h = 0; h < N_HOSTS; h++) {
        struct host *ho = &hosts[h];
        uint32_t ip;
        int k, dup;

        /* Most hosts live in the first VPC. */
        s = rng_chance(r, 6000) ? (int)rng_below(r, 6)
                                : (int)rng_below(r, N_SUBNETS);
        do {
            ip = subnets[s].base | rng_below(r, 16) << 8
                 | rng_range(r, 4, 254);
            dup = 0;
            for (k = 0; k < h; k++)
                if (hosts[k].ip == ip)
                    dup = 1;
        } while (dup);
        ho->ip = ip;
        ho->subnet = s;
        ho->vpc = subnets[s].vpc;
        ho->eni = aws_id(r, "eni");
        ho->instance = aws_id(r, "i");
        ho->weight = 1 + rng_below(r, 20);
        if (rng_chance(r, 800))
            ho->weight *= 12;
    }
    /* A few sources carry no instance id at all (srcids {}). */
    for (h = 0; h < 6; h++)
        hosts[rng_below(r, N_HOSTS)].instance = NULL;
    host_total = 0;
    for (h = 0; h < N_HOSTS; h++) {
        host_total += hosts[h].weight;
        host_cum[h] = host_total;
    }
}

static int
pick_host(struct rng *r)
{
    uint32_t u = rng_below(r, host_total);
    int lo = 0, hi = N_HOSTS - 1;

    while (lo < hi) {
        int mid = (lo + hi) / 2;

        if (host_cum[mid] > u)
            hi = mid;
        else
            lo = mid + 1;
    }
    return lo;
}

/* ---- the name pool -------------------------------------------------- */

enum kind { K_SITE, K_AWS, K_INTERNAL };

struct name {
    char *s;                /* query name, trailing dot */
    char *cname;            /* first CNAME target, or NULL */
    char *cname2;           /* second CNAME target, or NULL */
    char *v6[2];            /* AAAA answers */
    uint32_t a[4];          /* A answers */
    uint8_t na;
    uint8_t nv6;
    uint8_t kind;
    int site;               /* index into sites[], or -1 */
};

static char *sites[N_SITES];
static struct name *pool;
static size_t pool_n;
static double *pool_cdf;

/* A set of strings by hash, to keep the pool free of duplicates. */
static char **seen;
static size_t seen_cap;

static uint64_t
hash_str(const char *s)
{
    uint64_t h = 1469598103934665603ULL;

    while (*s)
        h = (h ^ (unsigned char)*s++) * 1099511628211ULL;
    return h;
}

/* Adds s to the set; returns 0 when it was already there. */
static int
seen_add(char *s)
{
    size_t i = (size_t)hash_str(s) & (seen_cap - 1);

    while (seen[i] != NULL) {
        if (strcmp(seen[i], s) == 0)
            return 0;
        i = (i + 1) & (seen_cap - 1);
    }
    seen[i] = s;
    return 1;
}

/* A public IPv4 address in ranges that look like CDNs and clouds. */
static uint32_t
public_ip(struct rng *r)
{
    static const uint8_t first[] = {
        3, 13, 18, 23, 34, 35, 44, 52, 54, 99, 104, 108, 142, 151, 157,
        162, 172, 185, 199, 203,
    };
    uint32_t a = first[rng_below(r, sizeof first)];
    uint32_t b = rng_below(r, 256);

    if (a == 172 && b >= 16 && b < 32)
        b += 48;        /* stay out of 172.16.0.0/12 */
    return a << 24 | b << 16 | rng_below(r, 256) << 8 | rng_range(r, 1, 254);
}

static char *
ip6_text(struct rng *r)
{
    static const char *const pre[] = {
        "2600:1f18", "2606:4700", "2a04:4e42", "2600:9000", "2620:1ec",
    };

    return xsprintf("%s:%x:%x:%x:%x:%x:%x", pre[rng_below(r, 5)],
                    rng_below(r, 65536), rng_below(r, 65536),
                    rng_below(r, 65536), rng_below(r, 65536),
                    rng_below(r, 65536), rng_range(r, 1, 65535));
}

static struct name *
pool_add(char *s, enum kind k, int site)
{
    struct name *n;

    if (!seen_add(s)) {
        free(s);
        return NULL;
    }
    n = &pool[pool_n++];
    memset(n, 0, sizeof *n);
    n->s = s;
    n->kind = (uint8_t)k;
    n->site = site;
    return n;
}

static char *
cdn_target(struct rng *r, const char *host)
{
    char w[64], id[16];
    unsigned k = rng_below(r, 5);

    make_word(r, w, sizeof w);
    switch (k) {
    case 0:
        rand_chars(r, id, 13, "abcdefghijklmnopqrstuvwxyz0123456789");
        return xsprintf("d%s.cloudfront.net.", id);
    case 1:
        return xsprintf("%s.edgekey.net.", host);
    case 2:
        return xsprintf("%s-%u.%s.elb.amazonaws.com.", w,
                        rng_range(r, 100000000, 999999999), REGION);
    case 3:
        return xsprintf("%s.%scdn.net.", w, SYL[rng_below(r, N_SYL)]);
    default:
        return xsprintf("%s.global.%sedge.com.", w, SYL[rng_below(r, N_SYL)]);
    }
}

/* Fills in answers for a public name. */
static void
public_answers(struct rng *r, struct name *n)
{
    char host[256];
    unsigned i;

    n->na = (uint8_t)(1 + (rng_chance(r, 3500) ? rng_below(r, 4) : 0));
    for (i = 0; i < n->na; i++)
        n->a[i] = public_ip(r);
    if (rng_chance(r, 5000)) {
        n->nv6 = (uint8_t)(1 + rng_below(r, 2));
        for (i = 0; i < n->nv6; i++)
            n->v6[i] = ip6_text(r);
    }
    if (rng_chance(r, 2000)) {
        snprintf(host, sizeof host, "%.*s", (int)strlen(n->s) - 1, n->s);
        n->cname = cdn_target(r, host);
        if (rng_chance(r, 2500)) {
            snprintf(host, sizeof host, "%.*s", (int)strlen(n->cname) - 1,
                     n->cname);
            n->cname2 = cdn_target(r, host);
        }
    }
}

static void
build_aws_names(struct rng *r)
{
    char w[64], w2[64];
    struct name *n;
    size_t i;
    int h;

    for (i = 0; i < N_AWS_REGIONAL; i++) {
        n = pool_add(xsprintf("%s.%s.amazonaws.com.", AWS_REGIONAL[i],
                              REGION), K_AWS, -1);
        if (n == NULL)
            continue;
        public_answers(r, n);
        n->cname = NULL;
        n->cname2 = NULL;
        if (strcmp(AWS_REGIONAL[i], "s3") == 0) {
            n->cname = xsprintf("s3-1-w.amazonaws.com.");
            n->cname2 = xsprintf("s3-w.%s.amazonaws.com.", REGION);
        }
    }
    for (i = 0; i < N_AWS_GLOBAL; i++) {
        n = pool_add(xsprintf("%s", AWS_GLOBAL[i]), K_AWS, -1);
        if (n != NULL)
            public_answers(r, n);
    }
    /* Buckets, ECR registries, RDS clusters, internal load balancers. */
    for (i = 0; i < 40; i++) {
        make_word(r, w, sizeof w);
        make_word(r, w2, sizeof w2);
        n = pool_add(xsprintf("%s-%s-prod.s3.amazonaws.com.", w, w2),
                     K_AWS, -1);
        if (n == NULL)
            continue;
        n->na = 1;
        n->a[0] = 52U << 24 | 216U << 16 | rng_below(r, 65536);
        n->cname = xsprintf("s3-1-w.amazonaws.com.");
        n->cname2 = xsprintf("s3-w.%s.amazonaws.com.", REGION);
    }
    n = pool_add(xsprintf("%s.dkr.ecr.%s.amazonaws.com.", ACCOUNT, REGION),
                 K_AWS, -1);
    if (n != NULL)
        public_answers(r, n);
    for (i = 0; i < 12; i++) {
        char id[16];

        make_word(r, w, sizeof w);
        rand_chars(r, id, 12, "abcdefghijklmnopqrstuvwxyz0123456789");
        n = pool_add(xsprintf("%s-db.cluster-%s.%s.rds.amazonaws.com.", w,
                              id, REGION), K_INTERNAL, -1);
        if (n == NULL)
            continue;
        n->na = 1;
        n->a[0] = hosts[rng_below(r, N_HOSTS)].ip;
        n->cname = xsprintf("%s-db-instance-1.%s.%s.rds.amazonaws.com.", w,
                            id, REGION);
    }
    for (i = 0; i < 10; i++) {
        make_word(r, w, sizeof w);
        n = pool_add(xsprintf("internal-%s-%u.%s.elb.amazonaws.com.", w,
                              rng_range(r, 100000000, 999999999), REGION),
                     K_INTERNAL, -1);
        if (n == NULL)
            continue;
        n->na = 2;
        n->a[0] = hosts[rng_below(r, N_HOSTS)].ip;
        n->a[1] = hosts[rng_below(r, N_HOSTS)].ip;
    }
    /* ip-10-0-1-23.ec2.internal for a third of the hosts. */
    for (h = 0; h < N_HOSTS; h += 3) {
        uint32_t ip = hosts[h].ip;

        n = pool_add(xsprintf("ip-%u-%u-%u-%u.ec2.internal.", ip >> 24,
                              ip >> 16 & 255, ip >> 8 & 255, ip & 255),
                     K_INTERNAL, -1);
        if (n != NULL) {
            n->na = 1;
            n->a[0] = ip;
        }
    }
}

static void
build_site_names(struct rng *r)
{
    char w[64], w2[64];
    int s;

    for (s = 0; s < N_SITES; s++) {
        make_word(r, w, sizeof w);
        if (rng_chance(r, 1200)) {
            make_word(r, w2, sizeof w2);
            sites[s] = xsprintf("%s-%s.%s", w, w2, TLD[rng_below(r, N_TLD)]);
        } else {
            sites[s] = xsprintf("%s.%s", w, TLD[rng_below(r, N_TLD)]);
        }
    }
    /* Apex names first, then hosts under random sites until full. */
    for (s = 0; s < N_SITES && pool_n < POOL_TARGET; s++) {
        struct name *n = pool_add(xsprintf("%s.", sites[s]), K_SITE, s);

        if (n != NULL)
            public_answers(r, n);
    }
    while (pool_n < POOL_TARGET) {
        const char *p = PREFIX[rng_below(r, N_PREFIX)];
        struct name *n;
        char *nm;

        s = (int)rng_below(r, N_SITES);
        switch (rng_below(r, 10)) {
        case 0:
            nm = xsprintf("%s-%u.%s.", p, rng_range(r, 1, 40), sites[s]);
            break;
        case 1:
            nm = xsprintf("%s.%s.%s.", p, PREFIX[rng_below(r, N_PREFIX)],
                          sites[s]);
            break;
        case 2:
            make_word(r, w, sizeof w);
            nm = xsprintf("%s.%s.", w, sites[s]);
            break;
        default:
            nm = xsprintf("%s.%s.", p, sites[s]);
            break;
        }
        n = pool_add(nm, K_SITE, s);
        if (n != NULL)
            public_answers(r, n);
    }
}

/* Ranks the pool for the Zipf draw: AWS and internal names and a few
 * hundred sites at the top, the long tail shuffled. */
static void
rank_pool(struct rng *r)
{
    size_t head = 0, i;
    struct name t;
    double acc = 0;

    for (i = 0; i < pool_n; i++) {
        if (pool[i].kind != K_SITE) {
            t = pool[head];
            pool[head++] = pool[i];
            pool[i] = t;
        }
    }
    head += 300;
    if (head > pool_n)
        head = pool_n;
    for (i = head; i > 1; i--) {
        size_t j = rng_below(r, (uint32_t)i);

        t = pool[i - 1];
        pool[i - 1] = pool[j];
        pool[j] = t;
    }
    for (i = pool_n; i > head + 1; i--) {
        size_t j = head + rng_below(r, (uint32_t)(i - head));

        t = pool[i - 1];
        pool[i - 1] = pool[j];
        pool[j] = t;
    }
    pool_cdf = xmalloc(pool_n * sizeof *pool_cdf);
    for (i = 0; i < pool_n; i++) {
        acc += 1.0 / (double)(i + 1);
        pool_cdf[i] = acc;
    }
}

static void
build_pool(struct rng *r)
{
    seen_cap = 1 << 16;
    seen = calloc(seen_cap, sizeof *seen);
    pool = xmalloc((POOL_TARGET + 1000) * sizeof *pool);
    pool_n = 0;
    if (seen == NULL) {
        fputs("gen: out of memory\n", stderr);
        exit(1);
    }
    build_aws_names(r);
    build_site_names(r);
    rank_pool(r);
}

/* A name from the pool with a Zipf-like (1/rank) skew. */
static struct name *
pick_name(struct rng *r)
{
    double u = rng_unit(r) * pool_cdf[pool_n - 1];
    size_t lo = 0, hi = pool_n - 1;

    while (lo < hi) {
        size_t mid = (lo + hi) / 2;

        if (pool_cdf[mid] > u)
            hi = mid;
        else
            lo = mid + 1;
    }
    return &pool[lo];
}

/* ---- Route 53 Resolver query logs ----------------------------------- */

enum { F_VERSION, F_ACCOUNT, F_REGION, F_VPC, F_TS, F_QNAME, F_QTYPE,
       F_QCLASS, F_RCODE, F_ANSWERS, F_SRCADDR, F_SRCPORT, F_TRANSPORT,
       F_SRCIDS, N_FIELDS };

struct row {
    struct buf frag;            /* all fields, "key":value, back to back */
    size_t off[N_FIELDS + 1];   /* where each field starts */
    struct buf ans;             /* the answers array, built first */
    struct buf qname;           /* query name when not from the pool */
    int nans;
};

static char tunnel_parent[2][96];
static int tunnel_host[2];

static void
answer(struct row *w, const char *rdata, const char *type, int quote_txt)
{
    if (w->nans++)
        buf_chr(&w->ans, ',');
    buf_str(&w->ans, "{\"Rdata\":\"");
    if (quote_txt)
        buf_str(&w->ans, "\\\"");
    buf_str(&w->ans, rdata);
    if (quote_txt)
        buf_str(&w->ans, "\\\"");
    buf_str(&w->ans, "\",\"Type\":\"");
    buf_str(&w->ans, type);
    buf_str(&w->ans, "\",\"Class\":\"IN\"}");
}

static void
answer_ip(struct row *w, uint32_t ip)
{
    char tmp[20];

    snprintf(tmp, sizeof tmp, "%u.%u.%u.%u", ip >> 24, ip >> 16 & 255,
             ip >> 8 & 255, ip & 255);
    answer(w, tmp, "A", 0);
}

static void
answer_cnames(struct row *w, const struct name *n)
{
    if (n->cname)
        answer(w, n->cname, "CNAME", 0);
    if (n->cname2)
        answer(w, n->cname2, "CNAME", 0);
}

/* The registered domain of a site name, or a fallback. */
static const char *
site_of(const struct name *n)
{
    return n->site >= 0 ? sites[n->site] : "amazonaws.com";
}

/* A tunnel-like query: long hex or base32 labels under one of two
 * parents. Sets qname, qtype and rcode; fills answers. */
static void
tunnel_query(struct rng *r, struct row *w, const char **qtype,
             const char **rcode, int *host)
{
    char lab[128], data[256];
    size_t len = rng_range(r, 30, 60);
    int p = (int)rng_below(r, 2);
    unsigned k;

    rand_chars(r, lab, len, p == 0 ? HEX : B32);
    buf_str(&w->qname, lab);
    if (rng_chance(r, 3000)) {
        rand_chars(r, lab, rng_range(r, 30, 50), p == 0 ? HEX : B32);
        buf_chr(&w->qname, '.');
        buf_str(&w->qname, lab);
    }
    buf_chr(&w->qname, '.');
    buf_str(&w->qname, tunnel_parent[p]);
    buf_chr(&w->qname, '\0');
    *host = rng_chance(r, 8500) ? tunnel_host[p] : pick_host(r);
    *rcode = "NOERROR";
    if (rng_chance(r, 1000)) {
        *rcode = "NXDOMAIN";
        *qtype = "TXT";
        return;
    }
    k = rng_below(r, 20);
    if (k < 9) {
        *qtype = "TXT";
        rand_chars(r, data, rng_range(r, 20, 160), B64);
        answer(w, data, "TXT", 1);
    } else if (k < 14) {
        *qtype = "A";
        answer_ip(w, 45U << 24 | 77U << 16 | 12U << 8 | (unsigned)(10 + p));
    } else if (k < 18) {
        *qtype = "CNAME";
        rand_chars(r, lab, rng_range(r, 20, 40), p == 0 ? HEX : B32);
        snprintf(data, sizeof data, "%s.%s", lab, tunnel_parent[p]);
        answer(w, data, "CNAME", 0);
    } else {
        *qtype = "MX";
        rand_chars(r, lab, rng_range(r, 20, 40), p == 0 ? HEX : B32);
        snprintf(data, sizeof data, "10 %s.%s", lab, tunnel_parent[p]);
        answer(w, data, "MX", 0);
    }
}

/* A query that gets NXDOMAIN: search-suffix mistakes, typos, probes. */
static void
nx_query(struct rng *r, struct row *w, const char **qtype)
{
    struct name *n = pick_name(r);
    char word[64];
    unsigned k = rng_below(r, 10);

    *qtype = rng_chance(r, 7000) ? "A" : "AAAA";
    if (k < 4) {
        buf_str(&w->qname, n->s);
        buf_str(&w->qname, k < 3 ? "ec2.internal." : REGION
                ".compute.internal.");
    } else if (k < 6) {
        buf_str(&w->qname, "wpad.");
        buf_str(&w->qname, site_of(n));
        buf_chr(&w->qname, '.');
    } else if (k < 8) {
        make_word(r, word, sizeof word);
        buf_str(&w->qname, word);
        buf_chr(&w->qname, '.');
        buf_str(&w->qname, TLD[rng_below(r, N_TLD)]);
        buf_chr(&w->qname, '.');
    } else if (k < 9) {
        *qtype = "SRV";
        buf_str(&w->qname, "_ldap._tcp.dc._msdcs.");
        buf_str(&w->qname, site_of(n));
        buf_chr(&w->qname, '.');
    } else {
        buf_str(&w->qname, "ip-10-");
        buf_uint(&w->qname, rng_below(r, 256));
        buf_chr(&w->qname, '-');
        buf_uint(&w->qname, rng_below(r, 256));
        buf_chr(&w->qname, '-');
        buf_uint(&w->qname, rng_below(r, 256));
        buf_str(&w->qname, ".ec2.internal.");
    }
    buf_chr(&w->qname, '\0');
}

/* A PTR lookup of a private host or of a public address. */
static void
ptr_query(struct rng *r, struct row *w)
{
    uint32_t ip;
    char tmp[96];

    if (rng_chance(r, 8000)) {
        ip = hosts[rng_below(r, N_HOSTS)].ip;
        snprintf(tmp, sizeof tmp, "ip-%u-%u-%u-%u.ec2.internal.", ip >> 24,
                 ip >> 16 & 255, ip >> 8 & 255, ip & 255);
    } else {
        ip = public_ip(r);
        snprintf(tmp, sizeof tmp, "ec2-%u-%u-%u-%u.compute-1.amazonaws.com.",
                 ip >> 24, ip >> 16 & 255, ip >> 8 & 255, ip & 255);
    }
    buf_uint(&w->qname, ip & 255);
    buf_chr(&w->qname, '.');
    buf_uint(&w->qname, ip >> 8 & 255);
    buf_chr(&w->qname, '.');
    buf_uint(&w->qname, ip >> 16 & 255);
    buf_chr(&w->qname, '.');
    buf_uint(&w->qname, ip >> 24);
    buf_str(&w->qname, ".in-addr.arpa.");
    buf_chr(&w->qname, '\0');
    answer(w, tmp, "PTR", 0);
}

/* An ordinary query for a pool name. Returns the name used. */
static const char *
normal_query(struct rng *r, struct row *w, const char **qtype,
             const char **rcode)
{
    struct name *n = pick_name(r);
    char tmp[300], tok[48];
    unsigned k = rng_below(r, 10000);
    unsigned i;

    *rcode = "NOERROR";
    if (rng_chance(r, 20)) {
        *rcode = "SERVFAIL";
        *qtype = "A";
        return n->s;
    }
    if (k < 6300) {
        *qtype = "A";
        answer_cnames(w, n);
        for (i = 0; i < n->na; i++)
            answer_ip(w, n->a[i]);
    } else if (k < 8900) {
        *qtype = "AAAA";
        answer_cnames(w, n);
        for (i = 0; i < n->nv6; i++)
            answer(w, n->v6[i], "AAAA", 0);
    } else if (k < 9300) {
        *qtype = "PTR";
        ptr_query(r, w);
        return NULL;
    } else if (k < 9420) {
        *qtype = "TXT";
        buf_str(&w->qname, site_of(n));
        buf_str(&w->qname, ".");
        buf_chr(&w->qname, '\0');
        snprintf(tmp, sizeof tmp, "v=spf1 include:_spf.%s ~all",
                 site_of(n));
        answer(w, tmp, "TXT", 1);
        if (rng_chance(r, 5000)) {
            rand_chars(r, tok, 43, B64);
            snprintf(tmp, sizeof tmp, "site-verification=%s", tok);
            answer(w, tmp, "TXT", 1);
        }
        return NULL;
    } else if (k < 9500) {
        *qtype = "MX";
        buf_str(&w->qname, site_of(n));
        buf_str(&w->qname, ".");
        buf_chr(&w->qname, '\0');
        snprintf(tmp, sizeof tmp, "10 mail.%s.", site_of(n));
        answer(w, tmp, "MX", 0);
        return NULL;
    } else if (k < 9750) {
        *qtype = "HTTPS";
        answer_cnames(w, n);
    } else {
        *qtype = "A";
        answer_cnames(w, n);
        for (i = 0; i < n->na; i++)
            answer_ip(w, n->a[i]);
    }
    return n->s;
}

static void
field_begin(struct row *w, int f, const char *key)
{
    w->off[f] = w->frag.n;
    buf_chr(&w->frag, '"');
    buf_str(&w->frag, key);
    buf_str(&w->frag, "\":");
}

static void
field_str(struct row *w, int f, const char *key, const char *val)
{
    field_begin(w, f, key);
    buf_chr(&w->frag, '"');
    buf_str(&w->frag, val);
    buf_chr(&w->frag, '"');
}

static void
gen_route53(uint64_t rows, uint64_t seed)
{
    struct rng rr, *r = &rr;
    struct buf out;
    struct row w;
    char word[64];
    uint64_t i;
    int order[N_FIELDS];

    rng_seed(r, seed);
    build_hosts(r);
    build_pool(r);
    make_word(r, word, sizeof word);
    snprintf(tunnel_parent[0], sizeof tunnel_parent[0], "t.%s-sync.net.",
             word);
    make_word(r, word, sizeof word);
    snprintf(tunnel_parent[1], sizeof tunnel_parent[1],
             "cdn.%smetrics.io.", word);
    tunnel_host[0] = (int)rng_below(r, N_HOSTS);
    tunnel_host[1] = (int)rng_below(r, N_HOSTS);

    buf_init(&out, 1 << 20);
    buf_init(&w.frag, 4096);
    buf_init(&w.ans, 4096);
    buf_init(&w.qname, 512);
    for (i = 0; i < rows; i++) {
        const char *qtype = "A", *rcode = "NOERROR", *qname = NULL;
        uint32_t sec = day_second(i, rows);
        int h = pick_host(r), f;
        unsigned k = rng_below(r, 10000);
        const struct host *ho;

        w.frag.n = 0;
        w.ans.n = 0;
        w.qname.n = 0;
        w.nans = 0;
        if (k < 200) {
            tunnel_query(r, &w, &qtype, &rcode, &h);
        } else if (k < 700) {
            nx_query(r, &w, &qtype);
            rcode = "NXDOMAIN";
        } else {
            qname = normal_query(r, &w, &qtype, &rcode);
        }
        if (qname == NULL)
            qname = w.qname.b;
        ho = &hosts[h];

        field_str(&w, F_VERSION, "version", "1.100000");
        field_str(&w, F_ACCOUNT, "account_id", ACCOUNT);
        field_str(&w, F_REGION, "region", REGION);
        field_str(&w, F_VPC, "vpc_id", vpcs[ho->vpc].id);
        field_begin(&w, F_TS, "query_timestamp");
        buf_str(&w.frag, "\"2024-05-01T");
        buf_2d(&w.frag, sec / 3600);
        buf_chr(&w.frag, ':');
        buf_2d(&w.frag, sec / 60 % 60);
        buf_chr(&w.frag, ':');
        buf_2d(&w.frag, sec % 60);
        buf_str(&w.frag, "Z\"");
        field_str(&w, F_QNAME, "query_name", qname);
        field_str(&w, F_QTYPE, "query_type", qtype);
        field_str(&w, F_QCLASS, "query_class", "IN");
        field_str(&w, F_RCODE, "rcode", rcode);
        field_begin(&w, F_ANSWERS, "answers");
        buf_chr(&w.frag, '[');
        buf_mem(&w.frag, w.ans.b, w.ans.n);
        buf_chr(&w.frag, ']');
        field_begin(&w, F_SRCADDR, "srcaddr");
        buf_chr(&w.frag, '"');
        buf_ip(&w.frag, ho->ip);
        buf_chr(&w.frag, '"');
        field_begin(&w, F_SRCPORT, "srcport");
        buf_chr(&w.frag, '"');
        buf_uint(&w.frag, rng_range(r, 1024, 65535));
        buf_chr(&w.frag, '"');
        field_str(&w, F_TRANSPORT, "transport",
                  rng_chance(r, 300) ? "TCP" : "UDP");
        field_begin(&w, F_SRCIDS, "srcids");
        if (ho->instance) {
            buf_str(&w.frag, "{\"instance\":\"");
            buf_str(&w.frag, ho->instance);
            buf_str(&w.frag, "\"}");
        } else {
            buf_str(&w.frag, "{}");
        }
        w.off[N_FIELDS] = w.frag.n;

        for (f = 0; f < N_FIELDS; f++)
            order[f] = f;
        if (rng_chance(r, 100)) {
            for (f = N_FIELDS; f > 1; f--) {
                int j = (int)rng_below(r, (uint32_t)f), t = order[f - 1];

                order[f - 1] = order[j];
                order[j] = t;
            }
        }
        buf_chr(&out, '{');
        for (f = 0; f < N_FIELDS; f++) {
            int o = order[f];

            if (f)
                buf_chr(&out, ',');
            buf_mem(&out, w.frag.b + w.off[o], w.off[o + 1] - w.off[o]);
        }
        buf_str(&out, "}\n");
        if (out.n > out.cap - 8192)
            buf_flush(&out);
    }
    buf_flush(&out);
}

/* ---- VPC Flow Logs -------------------------------------------------- */

static const char FLOW_HEADER[] =
    "version account-id interface-id srcaddr dstaddr srcport dstport "
    "protocol packets bytes start end action log-status vpc-id subnet-id "
    "instance-id tcp-flags type pkt-srcaddr pkt-dstaddr region az-id "
    "sublocation-type sublocation-id pkt-src-aws-service "
    "pkt-dst-aws-service flow-direction traffic-path\n";

/* Interfaces without an instance: NAT gateways, load balancers, Lambda. */
struct iface {
    char *eni;
    uint32_t ip;
    int subnet;
};

#define N_NAT 3
#define N_ELB 8
#define N_LAMBDA 16

static struct iface nat[N_NAT], elb[N_ELB], lambda[N_LAMBDA];

static void
build_ifaces(struct rng *r, struct iface *v, int n)
{
    int i;

    for (i = 0; i < n; i++) {
        v[i].eni = aws_id(r, "eni");
        v[i].subnet = (int)rng_below(r, 6);
        v[i].ip = subnets[v[i].subnet].base | rng_below(r, 16) << 8
                  | rng_range(r, 4, 254);
    }
}

/* One flow record being written. */
struct flow {
    const char *eni, *inst, *action, *dir, *src_svc, *dst_svc;
    int subnet;
    uint32_t src, dst, psrc, pdst;
    unsigned sport, dport, proto, flags, path;
    uint64_t packets, bytes;
};

static unsigned
ephemeral(struct rng *r)
{
    return rng_range(r, 32768, 60999);
}

static unsigned
tcp_flags(struct rng *r)
{
    static const unsigned v[] = { 19, 19, 19, 3, 3, 18, 2, 1, 0, 0, 4, 23 };

    return v[rng_below(r, sizeof v / sizeof v[0])];
}

static uint64_t
packet_count(struct rng *r)
{
    unsigned k = rng_below(r, 100);

    if (k < 50)
        return rng_range(r, 1, 20);
    if (k < 85)
        return rng_range(r, 20, 400);
    if (k < 98)
        return rng_range(r, 400, 20000);
    return rng_range(r, 20000, 900000);
}

/* An AWS service address and its pkt-*-aws-service label. */
static uint32_t
aws_service_ip(struct rng *r, const char **svc)
{
    static const char *const name[] = {
        "S3", "AMAZON", "DYNAMODB", "EC2", "AMAZON", "CLOUDFRONT",
    };
    static const uint32_t base[] = {
        52U << 24 | 216U << 16, 54U << 24 | 239U << 16,
        3U << 24 | 218U << 16, 44U << 24 | 192U << 16,
        18U << 24 | 208U << 16, 13U << 24 | 32U << 16,
    };
    unsigned k = rng_below(r, 6);

    *svc = name[k];
    return base[k] | rng_below(r, 65536);
}

static void
flow_from_host(struct flow *fl, const struct host *ho)
{
    fl->eni = ho->eni;
    fl->inst = ho->instance ? ho->instance : "-";
    fl->subnet = ho->subnet;
}

static void
flow_from_iface(struct flow *fl, const struct iface *f)
{
    fl->eni = f->eni;
    fl->inst = "-";
    fl->subnet = f->subnet;
}

static void
make_flow(struct rng *r, struct flow *fl)
{
    static const unsigned svc_port[] = {
        5432, 3306, 6379, 8080, 9092, 443, 22, 8443, 9200, 2049, 11211,
    };
    static const unsigned scan_port[] = {
        22, 23, 3389, 445, 1433, 8080, 5900, 80, 443, 6379, 9200, 25, 21,
    };
    const struct host *ho = &hosts[pick_host(r)];
    const struct host *peer = &hosts[rng_below(r, N_HOSTS)];
    unsigned k = rng_below(r, 1000);
    const char *svc = "-";

    memset(fl, 0, sizeof *fl);
    fl->action = "ACCEPT";
    fl->src_svc = "-";
    fl->dst_svc = "-";
    fl->proto = 6;
    fl->packets = packet_count(r);
    fl->bytes = fl->packets * rng_range(r, 52, 1400);
    flow_from_host(fl, ho);
    if (k < 260) {
        /* egress to the internet or an AWS service */
        fl->dir = "egress";
        fl->src = ho->ip;
        if (rng_chance(r, 4000)) {
            fl->dst = aws_service_ip(r, &svc);
            fl->dst_svc = svc;
        } else {
            fl->dst = public_ip(r);
        }
        fl->sport = ephemeral(r);
        fl->dport = rng_chance(r, 8500) ? 443 : rng_chance(r, 5000) ? 80 : 22;
        fl->path = strcmp(fl->dst_svc, "S3") == 0 ? 7 : 8;
        fl->flags = tcp_flags(r);
    } else if (k < 460) {
        /* the return traffic, seen as ingress */
        fl->dir = "ingress";
        if (rng_chance(r, 4000)) {
            fl->src = aws_service_ip(r, &svc);
            fl->src_svc = svc;
        } else {
            fl->src = public_ip(r);
        }
        fl->dst = ho->ip;
        fl->sport = 443;
        fl->dport = ephemeral(r);
        fl->flags = rng_chance(r, 5000) ? 19 : 18;
    } else if (k < 680) {
        /* east-west inside the VPC */
        fl->dst = peer->ip;
        fl->src = ho->ip;
        fl->sport = ephemeral(r);
        fl->dport = svc_port[rng_below(r, sizeof svc_port
                                          / sizeof svc_port[0])];
        if (rng_chance(r, 5000)) {
            fl->dir = "egress";
            fl->path = 1;
        } else {
            fl->dir = "ingress";
            flow_from_host(fl, peer);
        }
        fl->flags = tcp_flags(r);
    } else if (k < 740) {
        /* UDP: statsd to a peer, QUIC to the internet */
        fl->proto = 17;
        fl->dir = "egress";
        fl->src = ho->ip;
        fl->sport = ephemeral(r);
        if (rng_chance(r, 5000)) {
            fl->dst = peer->ip;
            fl->dport = 8125;
            fl->path = 1;
        } else {
            fl->dst = public_ip(r);
            fl->dport = 443;
            fl->path = 8;
        }
    } else if (k < 820) {
        /* scans from the internet, rejected */
        fl->dir = "ingress";
        fl->action = "REJECT";
        fl->src = public_ip(r);
        fl->dst = ho->ip;
        fl->sport = rng_range(r, 1024, 65535);
        fl->dport = rng_chance(r, 8000)
                    ? scan_port[rng_below(r, sizeof scan_port
                                             / sizeof scan_port[0])]
                    : rng_range(r, 1, 65535);
        fl->flags = 2;
        fl->packets = rng_range(r, 1, 3);
        fl->bytes = fl->packets * (rng_chance(r, 5000) ? 40 : 44);
    } else if (k < 840) {
        /* ICMP */
        fl->proto = 1;
        fl->dir = rng_chance(r, 5000) ? "ingress" : "egress";
        fl->src = ho->ip;
        fl->dst = rng_chance(r, 5000) ? peer->ip : public_ip(r);
        if (fl->dir[0] == 'i') {
            uint32_t t = fl->src;

            fl->src = fl->dst;
            fl->dst = t;
        } else {
            fl->path = (fl->dst >> 24) == 10 ? 1 : 8;
        }
        fl->packets = rng_range(r, 1, 10);
        fl->bytes = fl->packets * 84;
        if (rng_chance(r, 2000))
            fl->action = "REJECT";
    } else if (k < 930) {
        /* NAT gateway: translated source in pkt-srcaddr */
        const struct iface *g = &nat[rng_below(r, N_NAT)];

        flow_from_iface(fl, g);
        fl->dir = "egress";
        fl->src = g->ip;
        fl->psrc = ho->ip;
        fl->dst = public_ip(r);
        fl->sport = rng_range(r, 1024, 65535);
        fl->dport = 443;
        fl->path = 8;
        fl->flags = tcp_flags(r);
    } else if (k < 980) {
        /* clients reaching a load balancer */
        const struct iface *g = &elb[rng_below(r, N_ELB)];

        flow_from_iface(fl, g);
        fl->dir = "ingress";
        fl->src = public_ip(r);
        fl->dst = g->ip;
        fl->sport = rng_range(r, 1024, 65535);
        fl->dport = 443;
        fl->flags = tcp_flags(r);
    } else {
        /* Lambda functions in the VPC calling AWS services */
        const struct iface *g = &lambda[rng_below(r, N_LAMBDA)];

        flow_from_iface(fl, g);
        fl->dir = "egress";
        fl->src = g->ip;
        fl->dst = aws_service_ip(r, &svc);
        fl->dst_svc = svc;
        fl->sport = ephemeral(r);
        fl->dport = 443;
        fl->path = strcmp(svc, "S3") == 0 ? 7 : 2;
        fl->flags = tcp_flags(r);
    }
    if (fl->psrc == 0)
        fl->psrc = fl->src;
    fl->pdst = fl->dst;
}

static void
gen_flow(uint64_t rows, uint64_t seed)
{
    struct rng rr, *r = &rr;
    struct buf out;
    struct flow fl;
    uint64_t i;

    rng_seed(r, seed);
    build_hosts(r);
    build_ifaces(r, nat, N_NAT);
    build_ifaces(r, elb, N_ELB);
    build_ifaces(r, lambda, N_LAMBDA);

    buf_init(&out, 1 << 20);
    buf_str(&out, FLOW_HEADER);
    for (i = 0; i < rows; i++) {
        uint64_t sec = day_second(i, rows);
        uint64_t start, end;
        const struct subnet *sn;

        start = DAY_START + (sec > 30 ? sec - rng_below(r, 30) : sec);
        end = start + 1 + rng_below(r, 60);
        if (end > DAY_START + DAY_SECS - 1)
            end = DAY_START + DAY_SECS - 1;
        make_flow(r, &fl);
        sn = &subnets[fl.subnet];

        buf_str(&out, "5 " ACCOUNT " ");
        buf_str(&out, fl.eni);
        if (rng_chance(r, 50)) {
            /* NODATA: no traffic in the window */
            buf_str(&out, " - - - - - - - ");
            buf_uint(&out, start);
            buf_chr(&out, ' ');
            buf_uint(&out, end);
            buf_str(&out, " - NODATA ");
            buf_str(&out, vpcs[sn->vpc].id);
            buf_chr(&out, ' ');
            buf_str(&out, sn->id);
            buf_chr(&out, ' ');
            buf_str(&out, fl.inst);
            buf_str(&out, " - - - - " REGION " ");
            buf_str(&out, sn->az);
            buf_str(&out, " - - - - - -\n");
        } else {
            buf_chr(&out, ' ');
            buf_ip(&out, fl.src);
            buf_chr(&out, ' ');
            buf_ip(&out, fl.dst);
            buf_chr(&out, ' ');
            buf_uint(&out, fl.sport);
            buf_chr(&out, ' ');
            buf_uint(&out, fl.dport);
            buf_chr(&out, ' ');
            buf_uint(&out, fl.proto);
            buf_chr(&out, ' ');
            buf_uint(&out, fl.packets);
            buf_chr(&out, ' ');
            buf_uint(&out, fl.bytes);
            buf_chr(&out, ' ');
            buf_uint(&out, start);
            buf_chr(&out, ' ');
            buf_uint(&out, end);
            buf_chr(&out, ' ');
            buf_str(&out, fl.action);
            buf_str(&out, " OK ");
            buf_str(&out, vpcs[sn->vpc].id);
            buf_chr(&out, ' ');
            buf_str(&out, sn->id);
            buf_chr(&out, ' ');
            buf_str(&out, fl.inst);
            buf_chr(&out, ' ');
            buf_uint(&out, fl.flags);
            buf_str(&out, " IPv4 ");
            buf_ip(&out, fl.psrc);
            buf_chr(&out, ' ');
            buf_ip(&out, fl.pdst);
            buf_str(&out, " " REGION " ");
            buf_str(&out, sn->az);
            buf_str(&out, " - - ");
            buf_str(&out, fl.src_svc);
            buf_chr(&out, ' ');
            buf_str(&out, fl.dst_svc);
            buf_chr(&out, ' ');
            buf_str(&out, fl.dir);
            buf_chr(&out, ' ');
            if (fl.path)
                buf_uint(&out, fl.path);
            else
                buf_chr(&out, '-');
            buf_chr(&out, '\n');
        }
        if (out.n > out.cap - 8192)
            buf_flush(&out);
    }
    buf_flush(&out);
}

/* ---- command line --------------------------------------------------- */

static void
usage(FILE *f)
{
    fputs("usage: gen route53|flow [--rows N] [--seed S]\n"
          "  route53  Route 53 Resolver query log, JSON lines\n"
          "  flow     VPC Flow Logs version 5, text with header\n"
          "Writes to stdout; same seed and rows give the same bytes.\n", f);
}

static uint64_t
parse_u64(const char *s, const char *what)
{
    char *end;
    unsigned long long v = strtoull(s, &end, 10);

    if (*s == '\0' || *s == '-' || *end != '\0') {
        fprintf(stderr, "gen: bad %s: %s\n", what, s);
        exit(2);
    }
    return (uint64_t)v;
}

int
main(int argc, char **argv)
{
    uint64_t rows = 1000, seed = 1;
    int i;

    if (argc < 2) {
        usage(stderr);
        return 2;
    }
    if (strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "--help") == 0) {
        usage(stdout);
        return 0;
    }
    for (i = 2; i < argc; i++) {
        if (strcmp(argv[i], "--rows") == 0 && i + 1 < argc) {
            rows = parse_u64(argv[++i], "row count");
        } else if (strcmp(argv[i], "--seed") == 0 && i + 1 < argc) {
            seed = parse_u64(argv[++i], "seed");
        } else {
            usage(stderr);
            return 2;
        }
    }
    if (strcmp(argv[1], "route53") == 0) {
        gen_route53(rows, seed);
    } else if (strcmp(argv[1], "flow") == 0) {
        gen_flow(rows, seed);
    } else {
        usage(stderr);
        return 2;
    }
    if (fflush(stdout) != 0) {
        perror("gen: write");
        return 1;
    }
    return 0;
}
