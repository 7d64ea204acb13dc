/* SPDX-License-Identifier: MIT
 *
 * Gathering the evidence of a scoring run (see score.h): names and
 * their domains, answers, queries, DNS flows, and the attribution of a
 * custom resolver's queries to the hosts behind it.
 *
 * Limits: a host is an address (the instance shown is the first one
 * seen with it); answer addresses are kept for IPv4 only, at most four
 * per answer; a query or flow outside the window is skipped, and times
 * are kept to the second.
 */
#include "core/score_internal.h"

#include <arpa/inet.h>
#include <jansson.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/asn.h"
#include "model/dnscodes.h"
#include "model/dnsname.h"
#include "model/markov.h"

#define DNS_TYPE_NULL    10
#define DNS_TYPE_TXT     16
#define DNS_TYPE_KEY     25
#define DNS_TYPE_ANY     255
#define DNS_TYPE_CNAME   5
#define DNS_TYPE_MX      15
#define DNS_TYPE_SRV     33
#define DNS_TYPE_PRIVATE 65399
#define RCODE_NOERROR    0
#define RCODE_NXDOMAIN   3

void
u32vec_push(struct u32vec *a, uint32_t x)
{
    if (a->n == a->cap) {
        a->cap = a->cap ? a->cap * 2 : 4;
        a->v = xrealloc(a->v, a->cap * sizeof *a->v);
    }
    a->v[a->n++] = x;
}

/* Seconds t as an offset from the run's base, clamped to 32 bits. */
static uint32_t
rel(const struct scorer *s, int64_t t)
{
    int64_t d = t - s->base_s;

    return d < 0 ? 0 : d > (int64_t)UINT32_MAX ? UINT32_MAX : (uint32_t)d;
}

/* Report the stage; 1 when the caller cancelled the run. */
static int
progress(struct scorer *s, const char *stage, double share)
{
    if (!s->cancelled && s->o->progress &&
        s->o->progress(s->o->progress_arg, stage, share))
        s->cancelled = 1;
    return s->cancelled;
}

/* Grow *p (of *cap elements of size sz) to hold n + 1. */
static void *
reserve(void *p, size_t n, size_t *cap, size_t sz)
{
    if (n < *cap)
        return p;
    *cap = *cap ? *cap * 2 : 256;
    return xrealloc(p, *cap * sz);
}

/* --- Hosts and domains --- */

/*
 * Hosts, domains and peers are indexed by a 64-bit hash of their names,
 * and names come from the logs: an attacker can choose a domain whose
 * hash is that of another (FNV-1a is fast, not collision resistant). So
 * a hit is checked against the name, and a different name moves the
 * search on to the next key of a sequence only that hash starts.
 */
static uint64_t
next_key(uint64_t key)
{
    return u64_mix(key + 0x9e3779b97f4a7c15ULL);
}

/* The slot of the host called addr, new (*is_new) or not. */
static uint32_t *
host_slot(struct scorer *s, const char *addr, int *is_new)
{
    uint64_t key = fnv1a(addr, strlen(addr));

    for (;; key = next_key(key)) {
        uint32_t *slot = u64map_slot(&s->host_index, key, is_new);
        if (*is_new || strcmp(s->hosts[*slot - 1].addr, addr) == 0)
            return slot;
    }
}

int32_t
scorer_host(struct scorer *s, const char *addr)
{
    int is_new;
    uint32_t *slot = host_slot(s, addr, &is_new);
    struct host *h;

    if (!is_new)
        return (int32_t)*slot - 1;
    s->hosts = reserve(s->hosts, s->n_hosts, &s->cap_hosts, sizeof *h);
    h = &s->hosts[s->n_hosts];
    memset(h, 0, sizeof *h);
    h->addr = xstrdup(addr);
    *slot = (uint32_t)++s->n_hosts;
    return (int32_t)s->n_hosts - 1;
}

static int32_t
find_host(const struct scorer *s, const char *addr)
{
    uint64_t key = fnv1a(addr, strlen(addr));
    uint32_t v;

    while ((v = u64map_get(&s->host_index, key)) &&
           strcmp(s->hosts[v - 1].addr, addr) != 0)
        key = next_key(key);
    return v ? (int32_t)v - 1 : -1;
}

/* The noise of a domain as a whole; agent and blocklist zones are
 * often below it (zen.spamhaus.org) and are marked per name. */
static unsigned
site_noise(const struct config *c, const char *site)
{
    return (config_under(c, CL_LEXICAL_ALLOW, site) ? SN_LEXICAL : 0) |
           (config_under(c, CL_AGENTS, site) ? SN_AGENT : 0) |
           (config_under(c, CL_DNSBL, site) ? SN_DNSBL : 0);
}

/* The index of the domain called site, scoring it when new. */
static int32_t
site_of(struct scorer *s, const char *site, const char *registrable)
{
    uint64_t key = fnv1a(site, strlen(site));
    int is_new;
    uint32_t *slot;
    struct lex_result r;
    struct site *d;

    for (;; key = next_key(key)) {
        slot = u64map_slot(&s->site_index, key, &is_new);
        if (is_new || strcmp(s->sites[*slot - 1].name, site) == 0)
            break;
    }
    if (!is_new)
        return (int32_t)*slot - 1;
    *slot = (uint32_t)s->n_sites + 1;
    s->sites = reserve(s->sites, s->n_sites, &s->cap_sites, sizeof *d);
    d = &s->sites[s->n_sites++];
    memset(d, 0, sizeof *d);
    d->name = xstrdup(site);
    d->registrable = xstrdup(registrable ? registrable : site);
    d->noise = (uint8_t)site_noise(s->o->cfg, site);
    {   /* an analyst's entry covering the whole domain */
        const struct allow_item *it = allow_name(&s->allow, site,
                                                 registrable);
        if (it && it->scope == AS_LEXICAL)
            d->noise |= SN_LEXICAL;
    }
    lexname_classify(s->lex, site, strlen(site), 1, &r);
    d->reason = (uint8_t)r.reason;
    d->dga = r.reason == LR_SCORED ? (float)r.score : -1.0f;
    return (int32_t)s->n_sites - 1;
}

/* --- Names --- */

/*
 * The subdomain of the logged name as written: everything before the
 * last `labels` labels (escaped dots do not count), without the dot.
 */
static size_t
logged_sub(const char *s, size_t n, unsigned labels)
{
    if (n && s[n - 1] == '.')
        n--;
    for (size_t i = n; i-- > 0;) {
        size_t esc = 0;
        if (s[i] != '.')
            continue;
        for (size_t j = i; j-- > 0 && s[j] == '\\';)
            esc++;
        if (esc % 2)
            continue;               /* \. is a byte of a label */
        if (--labels == 0)
            return i;
    }
    return 0;
}

static unsigned
count_labels(const char *s)
{
    unsigned n = 1;

    for (; *s; s++)
        n += *s == '.';
    return n;
}

/* The benign Markov chain's mean log-probability of the letters of
 * s[0..n), dots and hyphens left out. */
static double
text_markov(const struct scorer *s, const char *p, size_t n)
{
    char flat[1024];
    size_t k = 0;

    for (size_t i = 0; i < n && k < sizeof flat; i++) {
        char c = p[i];
        if (c >= 'A' && c <= 'Z')
            c = (char)(c + 32);
        if (c >= 'a' && c <= 'z')
            flat[k++] = c;
    }
    return k >= 12 ? mc_score(s->o->model->markov, flat, k) : 0.0;
}

static void
name_shape(struct scorer *s, struct name_info *ni, const struct sc_name *n,
           const struct lex_result *r)
{
    const struct site *d = &s->sites[ni->site];
    size_t sub = logged_sub(n->logged, n->logged_len,
                            count_labels(d->name));
    struct sub_shape sh;

    tn_shape(n->logged, sub, &sh);
    if ((sh.alpha == SA_TEXT || sh.alpha == SA_HOST) && sh.symbols >= 24 &&
        s->o->model->markov)
        tn_text_encoded(&sh, text_markov(s, n->logged, sub));
    ni->alpha = (uint8_t)sh.alpha;
    ni->encoded = (uint8_t)sh.encoded;
    ni->sub_len = (uint16_t)(sh.symbols > 65535 ? 65535 : sh.symbols);
    ni->longest = (uint16_t)(sh.longest > 65535 ? 65535 : sh.longest);
    ni->payload_bits = (float)sh.payload_bits;
    ni->entropy = (float)sh.entropy;
    if (sh.ip_labels)
        ni->kind |= NK_IPLOOK;
    /* A '_' label is a protocol's (DKIM, DMARC, SRV), unless the rest
     * carries data. */
    if ((sh.service_label || (r->flags & DN_UNDERSCORE)) && !sh.encoded)
        ni->kind |= NK_SERVICE;
}

static int
name_cb(void *arg, const struct sc_name *n)
{
    struct scorer *s = arg;
    struct lex_result r;
    struct name_info *ni;
    size_t len;

    if (n->id < 0 || (uint64_t)n->id >= s->n_names)
        return 0;
    ni = &s->names[n->id];
    lexname_reason(s->lex, n->logged, n->logged_len, &r);
    len = strlen(r.norm);
    ni->reason = (uint8_t)r.reason;
    ni->len = (uint16_t)(len > 65535 ? 65535 : len);
    ni->site = -1;
    if (len > s->r->long_name && r.reason != LR_ARPA)
        ni->kind |= NK_LONG;
    if (config_under(s->o->cfg, CL_SEARCH, r.norm))
        ni->kind |= NK_SEARCH;
    if (config_under(s->o->cfg, CL_AGENTS, r.norm))
        ni->kind |= NK_AGENT;
    {
        const struct allow_item *it = allow_name(&s->allow, r.norm,
                                                 r.domain);
        if (it && it->scope == AS_ALL)
            ni->kind |= NK_ALLOWED;
    }
    if (config_under(s->o->cfg, CL_DNSBL, r.norm))
        ni->kind |= NK_DNSBL;
    if (r.site) {
        ni->site = site_of(s, r.site, r.domain);
        s->sites[ni->site].noise |= (uint8_t)(
            (ni->kind & NK_AGENT ? SN_AGENT : 0) |
            (ni->kind & NK_DNSBL ? SN_DNSBL : 0));
        name_shape(s, ni, n, &r);
        if (r.reason == LR_SCORED && s->sites[ni->site].reason != LR_SCORED)
            ni->reason = s->sites[ni->site].reason;
    }
    if ((ni->reason == LR_SCORED || ni->reason == LR_PROVIDER ||
         ni->reason == LR_NO_DOMAIN || ni->reason == LR_MALFORMED) &&
        !(ni->kind & (NK_SEARCH | NK_IPLOOK | NK_AGENT | NK_DNSBL)))
        ni->kind |= NK_COUNTED;
    return 0;
}

static enum dh_status
load_names(struct scorer *s, struct db *db, char *err, size_t errlen)
{
    int64_t max_id = 0;

    if (results_max_id(db, "names", &max_id, err, errlen))
        return DH_DB;
    s->n_names = (size_t)max_id + 1;
    s->names = xcalloc(s->n_names, sizeof *s->names);
    for (size_t i = 0; i < s->n_names; i++)
        s->names[i].site = s->names[i].first_host = -1;
    return results_scan_names(db, name_cb, s, err, errlen);
}

/* --- Origins and answers --- */

static int
origin_cb(void *arg, const struct sc_origin *o)
{
    struct scorer *s = arg;
    int32_t h;

    if (o->id < 0 || (uint64_t)o->id >= s->n_origins)
        return 0;
    h = scorer_host(s, o->srcaddr);
    s->origin_host[o->id] = h;
    if (o->instance && !s->hosts[h].instance)
        s->hosts[h].instance = xstrdup(o->instance);
    return 0;
}

/* 1 for the record types that carry data back (TXT, NULL, ...). */
static int
data_type(const char *t)
{
    static const char *const types[] = {
        "TXT", "NULL", "CNAME", "MX", "SRV", "KEY", "PRIVATE", "TYPE65399",
        "NS", "DNAME", "HINFO", "NAPTR",
    };
    for (size_t i = 0; i < sizeof types / sizeof *types; i++)
        if (strcmp(t, types[i]) == 0)
            return 1;
    return 0;
}

static int
answer_cb(void *arg, const struct sc_answer *a)
{
    struct scorer *s = arg;
    json_error_t jerr;
    json_t *arr;
    size_t i, kept = 0;

    if (a->id < 0 || (uint64_t)a->id >= s->n_answers)
        return 0;
    s->ans_ip_at[a->id] = (uint32_t)s->n_ans_ips;
    arr = json_loads(a->answers, 0, &jerr);
    for (i = 0; arr && i < json_array_size(arr); i++) {
        json_t *rec = json_array_get(arr, i);
        const char *t = json_string_value(json_array_get(rec, 0));
        const char *v = json_string_value(json_array_get(rec, 1));
        struct in_addr ip;
        if (!t || !v)
            continue;
        /* Only records that carry data count for the bytes of a query:
         * an ELB's CNAME and eight addresses are no payload. */
        if (data_type(t) && strcmp(t, "CNAME") != 0) {
            size_t len = strlen(v);
            s->ans_data[a->id] |= 1;
            if (s->ans_bytes[a->id] < 1000000)
                s->ans_bytes[a->id] += 12u + (uint32_t)(len < 65535 ? len
                                                                   : 65535);
        } else if (data_type(t)) {
            s->ans_data[a->id] |= 1;
        }
        if (strcmp(t, "A") == 0 && kept < 4 && inet_pton(AF_INET, v, &ip)) {
            s->ans_ips = xrealloc(s->ans_ips, (s->n_ans_ips + 1) *
                                  sizeof *s->ans_ips);
            s->ans_ips[s->n_ans_ips++] = ntohl(ip.s_addr);
            kept++;
        }
    }
    json_decref(arr);
    s->ans_data[a->id] |= (uint8_t)(kept << 1);
    return 0;
}

static enum dh_status
load_hosts_answers(struct scorer *s, struct db *db, char *err,
                   size_t errlen)
{
    int64_t max_id = 0;

    if (results_max_id(db, "origins", &max_id, err, errlen))
        return DH_DB;
    s->n_origins = (size_t)max_id + 1;
    s->origin_host = xmalloc(s->n_origins * sizeof *s->origin_host);
    for (size_t i = 0; i < s->n_origins; i++)
        s->origin_host[i] = -1;
    if (results_scan_origins(db, origin_cb, s, err, errlen))
        return DH_DB;
    if (results_max_id(db, "answer_sets", &max_id, err, errlen))
        return DH_DB;
    s->n_answers = (size_t)max_id + 2;
    s->ans_bytes = xcalloc(s->n_answers, sizeof *s->ans_bytes);
    s->ans_data = xcalloc(s->n_answers, 1);
    s->ans_ip_at = xcalloc(s->n_answers, sizeof *s->ans_ip_at);
    if (results_scan_answers(db, answer_cb, s, err, errlen))
        return DH_DB;
    return DH_OK;
}

/* --- Queries --- */

static struct pair *
pair_of(struct scorer *s, int32_t host, int32_t site)
{
    int is_new;
    uint64_t key = (uint64_t)(uint32_t)host << 32 | (uint32_t)site;
    uint32_t *slot = u64map_slot(&s->pair_index, key, &is_new);
    struct pair *p;

    if (!is_new)
        return &s->pairs[*slot - 1];
    s->pairs = reserve(s->pairs, s->n_pairs, &s->cap_pairs, sizeof *p);
    p = &s->pairs[s->n_pairs];
    memset(p, 0, sizeof *p);
    p->host = host;
    p->site = site;
    p->from = -1;
    p->median_gap = p->cv = -1;
    *slot = (uint32_t)++s->n_pairs;
    s->sites[site].hosts++;
    return p;
}

static struct hour *
hour_of(struct scorer *s, int32_t host, int64_t hour)
{
    int is_new;
    uint64_t key = (uint64_t)(uint32_t)host << 32 |
                   (uint32_t)(hour / 3600);
    uint32_t *slot = u64map_slot(&s->hour_index, key, &is_new);
    struct hour *h;

    if (!is_new)
        return &s->hours[*slot - 1];
    s->hours = reserve(s->hours, s->n_hours, &s->cap_hours, sizeof *h);
    h = &s->hours[s->n_hours];
    memset(h, 0, sizeof *h);
    h->host = host;
    h->hour = hour;
    *slot = (uint32_t)++s->n_hours;
    return h;
}

/* 1 the first time the tuple (tag, a, b, c) is seen in this run. */
static int
first_time(struct scorer *s, unsigned tag, uint64_t a, uint64_t b,
           uint64_t c)
{
    uint64_t key = u64_mix(u64_mix(u64_mix(tag * 0x9e3779b97f4a7c15ULL ^ a)
                                   ^ b) ^ c);
    int is_new;
    uint32_t *slot = u64map_slot(&s->seen, key, &is_new);

    *slot = 1;
    return is_new;
}

static int
rare_type(int t)
{
    return t == DNS_TYPE_TXT || t == DNS_TYPE_NULL || t == DNS_TYPE_KEY ||
           t == DNS_TYPE_PRIVATE || t == DNS_TYPE_ANY ||
           t == DNS_TYPE_CNAME || t == DNS_TYPE_MX || t == DNS_TYPE_SRV;
}

/* What one query adds to its host's counts (and to its pair's, which
 * move with the pair when it is attributed). */
struct hq {
    uint32_t nx, txt, long_names, counted, counted_nx, odd_txt;
    double   bytes;
};

/* The first sighting of a name: its subdomain joins its domain. */
static void
first_of_name(struct site *d, struct name_info *ni)
{
    if (ni->kind & NK_SEEN)
        return;
    ni->kind |= NK_SEEN;
    if (!ni->sub_len)
        return;
    d->unique++;
    d->sub_len_sum += ni->sub_len;
    d->entropy_sum += ni->entropy;
    d->alpha[ni->alpha < SA_COUNT ? ni->alpha : SA_OTHER]++;
    if (ni->longest > d->longest)
        d->longest = ni->longest;
    if (!d->len_hist)
        d->len_hist = xcalloc(256, sizeof *d->len_hist);
    d->len_hist[ni->sub_len > 255 ? 255 : ni->sub_len]++;
    if (ni->encoded) {
        d->encoded++;
        d->payload_bits += ni->payload_bits;
    }
}

static void
site_query(struct site *d, const struct sc_query *q, double bytes,
           int is_data, int empty)
{
    d->queries++;
    d->answered += (uint64_t)is_data;
    d->empty += (uint64_t)empty;
    d->nx += q->rcode == RCODE_NXDOMAIN;
    d->noerror += q->rcode == RCODE_NOERROR;
    d->txt += q->qtype == DNS_TYPE_TXT;
    d->null_q += q->qtype == DNS_TYPE_NULL;
    d->key_q += q->qtype == DNS_TYPE_KEY;
    d->private_q += q->qtype == DNS_TYPE_PRIVATE;
    d->any_q += q->qtype == DNS_TYPE_ANY;
    d->cname_q += q->qtype == DNS_TYPE_CNAME;
    d->rare += rare_type(q->qtype);
    d->bytes_sum += bytes;
    if (!d->first || q->ts_ms < d->first)
        d->first = q->ts_ms;
    if (q->ts_ms > d->last)
        d->last = q->ts_ms;
}

static void
answer_addrs(struct scorer *s, struct site *d, int32_t site, int64_t ans)
{
    if (ans <= 0 || (uint64_t)ans >= s->n_answers ||
        !(s->ans_data[ans] >> 1) ||
        !first_time(s, 9, (uint64_t)site, (uint64_t)ans, 0))
        return;                     /* no address, or this set seen */
    size_t end = s->ans_ip_at[ans] + (s->ans_data[ans] >> 1);
    for (size_t i = s->ans_ip_at[ans]; i < end && i < s->n_ans_ips; i++) {
        uint32_t ip = s->ans_ips[i];
        if (first_time(s, 7, (uint64_t)site, ip, 0)) {
            d->addrs++;
            if (s->asn) {
                uint32_t asn = asn_lookup(s->asn, ip);
                if (allow_asn(&s->allow, asn)) {
                    d->asn_ok++;
                    d->asn = asn;
                } else {
                    d->asn_other++;
                }
            }
        }
        if (first_time(s, 8, (uint64_t)site, ip >> 16, 0))
            d->nets++;
    }
}

static void
pair_query(struct scorer *s, struct pair *p, const struct sc_query *q,
           struct name_info *ni, int64_t name_id, const struct hq *c,
           int is_data, int empty)
{
    p->queries++;
    p->nx += q->rcode == RCODE_NXDOMAIN;
    p->noerror += q->rcode == RCODE_NOERROR;
    p->rare += rare_type(q->qtype);
    p->answered += (uint32_t)is_data;
    p->empty += (uint32_t)empty;
    p->txt += c->txt;
    p->odd_txt += c->odd_txt;
    p->counted += c->counted;
    p->counted_nx += c->counted_nx;
    p->long_names += c->long_names;
    p->bytes_sum += c->bytes;
    if (!p->first || q->ts_ms < p->first)
        p->first = q->ts_ms;
    if (q->ts_ms > p->last)
        p->last = q->ts_ms;
    if (ni->sub_len && ni->encoded) {   /* the tunnel's own span */
        if (!p->enc_first || q->ts_ms < p->enc_first)
            p->enc_first = q->ts_ms;
        if (q->ts_ms > p->enc_last)
            p->enc_last = q->ts_ms;
    }
    u32vec_push(&p->times, rel(s, q->ts_ms / 1000));
    /* Most names are asked by one host: only the others need the set. */
    if (ni->first_host < 0)
        ni->first_host = p->host;
    else if (ni->first_host == p->host ||
             !first_time(s, 2, (uint64_t)p->host, (uint64_t)name_id, 0))
        return;
    p->names++;
    p->noise_names += (ni->kind & (NK_AGENT | NK_DNSBL)) != 0;
    if (ni->sub_len) {
        p->unique++;
        if (ni->encoded) {
            p->encoded++;
            p->payload_bits += ni->payload_bits;
        }
        if (ni->longest > p->longest)
            p->longest = ni->longest;
    }
}

static void
hour_query(struct scorer *s, struct host *h, int32_t hi,
           const struct sc_query *q, const struct name_info *ni,
           int64_t name_id)
{
    int64_t sec = q->ts_ms / 1000;
    struct hour *hr = hour_of(s, hi, sec - sec % 3600);
    int nx = q->rcode == RCODE_NXDOMAIN;

    if (ni->site < 0)               /* for the peak per minute */
        u32vec_push(&h->other_times, rel(s, sec));
    hr->queries++;
    hr->txt += q->qtype == DNS_TYPE_TXT;
    hr->long_names += (ni->kind & NK_LONG) != 0;
    if (nx && (ni->kind & NK_SEARCH))
        hr->search_nx++;
    if (nx && (ni->kind & NK_COUNTED)) {
        hr->nx++;
        if (first_time(s, 3, (uint64_t)hi, (uint64_t)hr->hour,
                       (uint64_t)name_id))
            hr->nx_names++;
    }
    if (ni->encoded && first_time(s, 5, (uint64_t)hi, (uint64_t)hr->hour,
                                  (uint64_t)name_id))
        hr->tunnel++;
}

static struct hq
host_counts(const struct sc_query *q, const struct name_info *ni,
            double bytes)
{
    struct hq c = { 0 };
    int nx = q->rcode == RCODE_NXDOMAIN;

    c.nx = (uint32_t)nx;
    c.txt = q->qtype == DNS_TYPE_TXT;
    c.long_names = (ni->kind & NK_LONG) != 0;
    c.bytes = bytes;
    if (ni->kind & NK_COUNTED) {
        c.counted = 1;
        c.counted_nx = (uint32_t)nx;
        /* TXT at a domain's apex (SPF, verification) and under '_'
         * labels (DKIM, DMARC) is mail and proof of ownership. */
        c.odd_txt = q->qtype == DNS_TYPE_TXT && ni->sub_len &&
                    !(ni->kind & NK_SERVICE);
    }
    return c;
}

static void
host_query(struct host *h, const struct sc_query *q,
           const struct name_info *ni, const struct hq *c)
{
    h->queries++;
    h->nx += c->nx;
    h->txt += c->txt;
    h->long_names += c->long_names;
    h->search_nx += c->nx && (ni->kind & NK_SEARCH);
    h->bytes_sum += c->bytes;
    h->counted += c->counted;
    h->counted_nx += c->counted_nx;
    h->odd_txt += c->odd_txt;
    if (!h->first || q->ts_ms < h->first)
        h->first = q->ts_ms;
    if (q->ts_ms > h->last)
        h->last = q->ts_ms;
}

static int
query_cb(void *arg, const struct sc_query *q)
{
    struct scorer *s = arg;
    struct name_info *ni;
    int32_t hi;
    double bytes;
    int is_data = 0, empty;
    struct hq c;

    if (q->origin_id < 0 || (uint64_t)q->origin_id >= s->n_origins ||
        (hi = s->origin_host[q->origin_id]) < 0 || q->name_id < 0 ||
        (uint64_t)q->name_id >= s->n_names)
        return 0;
    ni = &s->names[q->name_id];
    if (ni->kind & NK_ALLOWED) {
        s->sum->allowed++;
        return 0;
    }
    bytes = 18.0 + ni->len;     /* header, question and the name */
    if (q->answer_id > 0 && (uint64_t)q->answer_id < s->n_answers) {
        bytes += s->ans_bytes[q->answer_id];
        is_data = s->ans_data[q->answer_id] & 1;
    }
    empty = q->answer_id <= 0;
    c = host_counts(q, ni, bytes);
    host_query(&s->hosts[hi], q, ni, &c);
    hour_query(s, &s->hosts[hi], hi, q, ni, q->name_id);
    if (ni->site >= 0) {
        struct site *d = &s->sites[ni->site];
        first_of_name(d, ni);
        site_query(d, q, bytes, is_data, empty);
        answer_addrs(s, d, ni->site, q->answer_id);
        pair_query(s, pair_of(s, hi, ni->site), q, ni, q->name_id, &c,
                   is_data, empty);
    }
    if (++s->sum->queries % 65536 == 0)
        return progress(s, "queries", -1);
    return 0;
}

/* --- Flows --- */

/* 1 for addresses of private networks (RFC 1918, CGNAT, ULA). */
static int
is_private(const char *a)
{
    struct in_addr v4;
    struct in6_addr v6;

    if (inet_pton(AF_INET, a, &v4) == 1) {
        uint32_t x = ntohl(v4.s_addr);
        return (x >> 24) == 10 || (x >> 20) == 0xac1 || (x >> 16) == 0xc0a8 ||
               (x >> 22) == (100u << 2 | 1) || (x >> 16) == 0xa9fe;
    }
    if (inet_pton(AF_INET6, a, &v6) == 1)
        return (v6.s6_addr[0] & 0xfe) == 0xfc;
    return 0;
}

static struct peer *
peer_of(struct scorer *s, int32_t host, const char *addr, int port,
        int proto)
{
    uint64_t key = fnv1a(addr, strlen(addr)) ^ u64_mix(
        (uint64_t)(uint32_t)host << 24 | (uint64_t)port << 8 |
        (uint64_t)(proto & 255));
    int is_new;
    uint32_t *slot;
    struct peer *p;

    for (;; key = next_key(key)) {
        slot = u64map_slot(&s->peer_index, key, &is_new);
        if (is_new)
            break;
        p = &s->peers[*slot - 1];
        if (p->host == host && p->port == port && p->proto == proto &&
            strcmp(p->addr, addr) == 0)
            return p;
    }
    s->peers = reserve(s->peers, s->n_peers, &s->cap_peers, sizeof *p);
    p = &s->peers[s->n_peers];
    memset(p, 0, sizeof *p);
    p->host = host;
    p->addr = xstrdup(addr);
    p->port = port;
    p->proto = proto;
    p->median_gap = p->cv = -1;
    p->kind = port == 443 ? PK_DOH : PK_BYPASS;   /* resolvers later */
    *slot = (uint32_t)++s->n_peers;
    return p;
}

static int
dns_port(int p)
{
    return p == 53 || p == 853;
}

/* A record seen on both interfaces of a flow between two of our hosts
 * is counted once. */
static int
duplicate_flow(struct scorer *s, const struct sc_flow *f)
{
    uint64_t k = fnv1a(f->srcaddr, strlen(f->srcaddr));

    k = u64_mix(k ^ fnv1a(f->dstaddr, strlen(f->dstaddr)));
    k = u64_mix(k ^ ((uint64_t)f->srcport << 32 | (uint64_t)f->dstport <<
                     8 | (uint64_t)(f->protocol & 255)));
    k = u64_mix(k ^ (uint64_t)f->start ^ (uint64_t)f->end << 32);
    k = u64_mix(k ^ (uint64_t)f->packets ^ (uint64_t)f->bytes << 24);
    return !first_time(s, 6, k, 0, 0);
}

static int
flow_cb(void *arg, const struct sc_flow *f)
{
    struct scorer *s = arg;
    const struct config *c = s->o->cfg;
    int up = dns_port(f->dstport) ||
             (f->dstport == 443 && config_has(c, CL_DOH, f->dstaddr));
    int down = !up && (dns_port(f->srcport) ||
               (f->srcport == 443 && config_has(c, CL_DOH, f->srcaddr)));
    const char *client = up ? f->srcaddr : f->dstaddr;
    const char *server = up ? f->dstaddr : f->srcaddr;
    /* Any one record: at most 2^40 bytes and 2^32 packets, so sums of
     * any number of hostile records cannot wrap. */
    uint64_t bytes = f->bytes <= 0 ? 0 : f->bytes > (1LL << 40)
                   ? 1ULL << 40 : (uint64_t)f->bytes;
    uint64_t packets = f->packets <= 0 ? 0 : f->packets > (1LL << 32)
                     ? 1ULL << 32 : (uint64_t)f->packets;
    int32_t hi;
    struct peer *p;

    if ((!up && !down) || duplicate_flow(s, f))
        return 0;
    /* A flow log record has one of our interfaces on one side: when the
     * server is not ours, the client is (even with a global IPv6
     * address); when it is, an unknown public client is outside. */
    hi = find_host(s, client);
    if (hi < 0 && !is_private(client) &&
        (is_private(server) || find_host(s, server) >= 0))
        return 0;
    if (hi < 0)
        hi = scorer_host(s, client);
    p = peer_of(s, hi, server, up ? f->dstport : f->srcport, f->protocol);
    if (up) {
        p->flows++;
        p->packets += packets;
        p->bytes_out += bytes;
        u32vec_push(&p->starts, rel(s, f->start));
        u32vec_push(&p->ends, rel(s, f->end < f->start ? f->start : f->end));
        if (packets)
            u32vec_push(&p->bpp, (uint32_t)(bytes / packets > UINT32_MAX
                                            ? UINT32_MAX : bytes / packets));
    } else {
        p->bytes_in += bytes;
    }
    if (!p->first || f->start < p->first)
        p->first = f->start;
    if (f->end > p->last)
        p->last = f->end;
    if (f->start > 0) {
        if (!s->hosts[hi].first || sec_to_ms(f->start) < s->hosts[hi].first)
            s->hosts[hi].first = sec_to_ms(f->start);
        if (sec_to_ms(f->end) > s->hosts[hi].last)
            s->hosts[hi].last = sec_to_ms(f->end);
    }
    s->sum->flows++;
    return 0;
}

/* Which peers are the organisation's resolvers: configured ones, and
 * our own hosts that forward queries to the VPC resolver (they are in
 * the query logs). */
static void
mark_resolvers(struct scorer *s)
{
    for (size_t i = 0; i < s->n_peers; i++) {
        struct peer *p = &s->peers[i];
        int32_t srv = find_host(s, p->addr);
        if (!dns_port(p->port))
            continue;
        if (config_has(s->o->cfg, CL_RESOLVERS, p->addr) ||
            allow_resolver(&s->allow, p->addr) ||
            (srv >= 0 && s->hosts[srv].queries > 0 && is_private(p->addr))) {
            p->kind = PK_RESOLVER;
            if (srv >= 0 && srv != p->host) {
                s->hosts[srv].resolver = 1;
                s->hosts[srv].clients += (uint32_t)first_time(s, 10,
                    (uint64_t)srv, (uint64_t)p->host, 0);
            }
        }
    }
}

/* --- Attribution of a resolver's queries --- */

static int
cmp_u64_fn(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

    return (x > y) - (x < y);
}

static int
cmp_u32(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

    return (x > y) - (x < y);
}

void
gap_stats(uint32_t *t, size_t n, double *median, double *cv)
{
    double sum = 0, sq = 0;
    uint32_t *g;

    *median = *cv = -1;
    if (n < 3)
        return;
    qsort(t, n, sizeof *t, cmp_u32);
    g = xmalloc((n - 1) * sizeof *g);
    for (size_t i = 1; i < n; i++) {
        g[i - 1] = t[i] - t[i - 1];
        sum += g[i - 1];
        sq += (double)g[i - 1] * g[i - 1];
    }
    double mean = sum / (double)(n - 1);
    double var = sq / (double)(n - 1) - mean * mean;
    qsort(g, n - 1, sizeof *g, cmp_u32);
    *median = (n - 1) % 2 ? g[(n - 1) / 2]
            : 0.5 * ((double)g[(n - 1) / 2 - 1] + g[(n - 1) / 2]);
    *cv = mean > 0 ? sqrt(var > 0 ? var : 0) / mean : 0;
    free(g);
}

/*
 * The DNS flows of all a resolver's clients in one array sorted by
 * start, with reach[] the running maximum of the ends, so the clients
 * that could have sent a query at time t are found with one search.
 */
struct client_flows {
    uint32_t *start, *end, *reach, *who;    /* who: index of the client */
    uint32_t  n;
};

/* Merge the flows of the n peers pr[], whose client index is who[],
 * into m, sorted by start. */
static void
merge_flows(struct client_flows *m, struct peer **pr, const uint32_t *who,
            size_t n)
{
    uint64_t *key;
    uint32_t total = 0, k = 0;

    for (size_t c = 0; c < n; c++)
        total += pr[c]->starts.n;
    key = xmalloc((total + 1) * sizeof *key);
    m->start = xmalloc((total + 1) * sizeof *m->start);
    m->end = xmalloc((total + 1) * sizeof *m->end);
    m->reach = xmalloc((total + 1) * sizeof *m->reach);
    m->who = xmalloc((total + 1) * sizeof *m->who);
    m->n = total;
    for (size_t c = 0; c < n; c++)
        for (uint32_t i = 0; i < pr[c]->starts.n; i++, k++) {
            m->end[k] = pr[c]->ends.v[i];
            m->who[k] = who[c];
            key[k] = (uint64_t)pr[c]->starts.v[i] << 32 | k;
        }
    qsort(key, total, sizeof *key, cmp_u64_fn);
    for (uint32_t i = 0; i < total; i++) {
        uint32_t j = (uint32_t)key[i];
        m->start[i] = (uint32_t)(key[i] >> 32);
        key[i] = (uint64_t)m->end[j] << 32 | m->who[j];
    }
    for (uint32_t i = 0; i < total; i++) {
        m->end[i] = (uint32_t)(key[i] >> 32);
        m->who[i] = (uint32_t)key[i];
        m->reach[i] = i && m->reach[i - 1] > m->end[i] ? m->reach[i - 1]
                                                       : m->end[i];
    }
    free(key);
}

static void
merged_free(struct client_flows *m)
{
    free(m->start);
    free(m->end);
    free(m->reach);
    free(m->who);
}

/*
 * Count once (in count[], which may be NULL) each client with a flow
 * that could carry a packet at time t: start - lag - slack <= t <= end
 * + slack. Returns how many there are. seen[] (one per client, none
 * equal to stamp yet) keeps a client from being counted twice.
 */
static uint32_t
clients_at(const struct client_flows *m, uint32_t t, double lag,
           double slack, uint32_t *seen, uint32_t stamp, uint32_t *count)
{
    uint32_t lo = 0, hi = m->n, marked = 0;
    double late = (double)t + lag + slack;

    while (lo < hi) {               /* first start after t + lag */
        uint32_t mid = lo + (hi - lo) / 2;
        if ((double)m->start[mid] <= late)
            lo = mid + 1;
        else
            hi = mid;
    }
    while (lo-- > 0) {
        if ((double)m->reach[lo] + slack < (double)t)
            break;                  /* nothing earlier lasts until t */
        if ((double)m->end[lo] + slack >= (double)t &&
            seen[m->who[lo]] != stamp) {
            seen[m->who[lo]] = stamp;
            if (count)
                count[m->who[lo]]++;
            marked++;
        }
    }
    return marked;
}

/* For each of the n_cl clients, the share of [from, to] its flows in
 * m cover, widened by lag and slack, into cov[]. */
static void
coverage(const struct client_flows *m, size_t n_cl, double from, double to,
         double lag, double slack, double *cov)
{
    double *reach = xmalloc((n_cl + 1) * sizeof *reach);

    for (size_t c = 0; c < n_cl; c++) {
        cov[c] = 0;
        reach[c] = from;
    }
    for (uint32_t i = 0; i < m->n; i++) {
        uint32_t c = m->who[i];
        double a = (double)m->start[i] - lag - slack;
        double b = (double)m->end[i] + slack + 1;    /* whole seconds */
        if (a < reach[c])
            a = reach[c];
        if (b > to)
            b = to;
        if (b > a) {
            cov[c] += b - a;
            reach[c] = b;
        }
    }
    for (size_t c = 0; c < n_cl; c++)
        cov[c] = to > from ? cov[c] / (to - from) : 1.0;
    free(reach);
}

/* P(X >= k) for X binomial(n, q). */
static double
binomial_tail(uint32_t n, uint32_t k, double q)
{
    double sum = 0;

    if (k == 0)
        return 1.0;
    if (q <= 0)
        return 0.0;
    if (q >= 1)
        return 1.0;
    for (uint32_t i = k; i <= n; i++) {
        double lt = lgamma(n + 1.0) - lgamma(i + 1.0) - lgamma(n - i + 1.0) +
                    i * log(q) + (n - i) * log1p(-q);
        sum += exp(lt);
        if (lt < -60 && (double)i > (double)n * q)
            break;                  /* past the mode, the rest is less */
    }
    return sum > 1 ? 1 : sum;
}

/* The host counts of pair p leave resolver r for client c: the
 * resolver keeps its hours (they are as logged), not the rules' sums. */
static void
move_counts(struct host *r, struct host *c, const struct pair *p)
{
    r->queries -= p->queries;
    r->nx -= p->nx;
    r->txt -= p->txt;
    r->odd_txt -= p->odd_txt;
    r->counted -= p->counted;
    r->counted_nx -= p->counted_nx;
    r->long_names -= p->long_names;
    r->bytes_sum -= p->bytes_sum;
    c->attributed += p->queries;
    c->nx += p->nx;
    c->txt += p->txt;
    c->odd_txt += p->odd_txt;
    c->counted += p->counted;
    c->counted_nx += p->counted_nx;
    c->long_names += p->long_names;
    c->bytes_sum += p->bytes_sum;
}

/* Move pair pi's evidence to the client host c (from resolver r). */
static void
attribute(struct scorer *s, size_t pi, int32_t c, uint32_t matched)
{
    int32_t site = s->pairs[pi].site, r = s->pairs[pi].host;
    struct pair *q = pair_of(s, c, site), *p = &s->pairs[pi];
    struct host *hr = &s->hosts[r], *hc = &s->hosts[c];

    s->sites[site].hosts--;         /* the resolver did not ask for it */
    if (q->from < 0)
        q->direct = q->times.n;     /* its own queries come first */
    q->from = r;
    q->matched += matched;
    q->queries += p->queries;
    q->nx += p->nx;
    q->noerror += p->noerror;
    q->rare += p->rare;
    q->answered += p->answered;
    q->unique += p->unique;
    q->names += p->names;
    q->encoded += p->encoded;
    q->payload_bits += p->payload_bits;
    if (p->longest > q->longest)
        q->longest = p->longest;
    if (!q->first || p->first < q->first)
        q->first = p->first;
    if (p->last > q->last)
        q->last = p->last;
    if (p->enc_first && (!q->enc_first || p->enc_first < q->enc_first))
        q->enc_first = p->enc_first;
    if (p->enc_last > q->enc_last)
        q->enc_last = p->enc_last;
    for (uint32_t i = 0; i < p->times.n; i++)
        u32vec_push(&q->times, p->times.v[i]);
    q->empty += p->empty;
    q->noise_names += p->noise_names;
    p->moved = 1;
    move_counts(hr, hc, p);
    if (!hc->first || p->first < hc->first)
        hc->first = p->first;
    if (p->last > hc->last)
        hc->last = p->last;
    s->sum->attributed += p->queries;
}

/*
 * How late the flow records of a resolver's clients trail its queries.
 * AWS may stamp a flow up to a minute after its first packet; most
 * records are on time. A wider window lets more flows explain a query
 * by chance, so take the smallest lag that covers nine tenths of what
 * the largest allowed lag covers, measured on up to 1,000 queries.
 */
static double
measure_lag(struct scorer *s, int32_t r, const struct client_flows *m,
            size_t n_cl)
{
    static const double lags[] = { 0, 1, 2, 5, 10, 20, 30, 60, 120, 300 };
    struct u32vec t = { 0 };
    double best = 0, cover[sizeof lags / sizeof *lags];
    size_t n_lags = 0;
    uint32_t *seen = xcalloc(n_cl + 1, sizeof *seen), stamp = 0;

    for (size_t i = 0; i < s->n_pairs; i++)
        if (s->pairs[i].host == r)
            for (uint32_t k = 0; k < s->pairs[i].times.n; k++)
                u32vec_push(&t, s->pairs[i].times.v[k]);
    uint32_t step = t.n > 1000 ? t.n / 1000 : 1;
    for (; n_lags < sizeof lags / sizeof *lags &&
           lags[n_lags] <= s->r->attribution_lag; n_lags++) {
        uint32_t hit = 0, all = 0;
        for (uint32_t k = 0; k < t.n; k += step, all++)
            hit += clients_at(m, t.v[k], lags[n_lags],
                              s->r->attribution_slack, seen, ++stamp,
                              NULL) > 0;
        cover[n_lags] = all ? (double)hit / all : 0;
    }
    free(t.v);
    free(seen);
    for (size_t i = 0; i < n_lags; i++)
        if (cover[i] >= 0.9 * cover[n_lags - 1]) {
            best = lags[i];
            break;
        }
    return best;
}

/* What attributing one resolver's domains needs. */
struct attribution {
    int32_t            *host;   /* each client's host index */
    double             *cov;    /* each client's covered share of time */
    size_t              n_cl;
    struct client_flows m;      /* all their flows to the resolver */
    double              lag;
    uint32_t           *seen, *count, stamp;
};

/*
 * The clients of resolver host r: hosts with DNS flows to it (UDP and
 * TCP alike), their flows merged, the lag in force and each client's
 * coverage.
 */
static void
clients_of(struct scorer *s, int32_t r, struct attribution *a)
{
    struct peer **pr = NULL;
    uint32_t *who = NULL;
    size_t n = 0;
    struct u64map index = { 0 };
    const struct host *h = &s->hosts[r];

    for (size_t i = 0; i < s->n_peers; i++) {
        struct peer *p = &s->peers[i];
        int is_new;
        uint32_t *slot;
        if (p->kind != PK_RESOLVER || p->host == r || !p->starts.n ||
            strcmp(p->addr, h->addr) != 0)
            continue;
        slot = u64map_slot(&index, (uint64_t)(uint32_t)p->host, &is_new);
        if (is_new) {
            a->host = xrealloc(a->host, (a->n_cl + 1) * sizeof *a->host);
            a->host[a->n_cl] = p->host;
            *slot = (uint32_t)++a->n_cl;
        }
        pr = xrealloc(pr, (n + 1) * sizeof *pr);
        who = xrealloc(who, (n + 1) * sizeof *who);
        pr[n] = p;
        who[n++] = *slot - 1;
    }
    merge_flows(&a->m, pr, who, n);
    a->lag = a->n_cl ? measure_lag(s, r, &a->m, a->n_cl) : 0;
    a->cov = xmalloc((a->n_cl + 1) * sizeof *a->cov);
    coverage(&a->m, a->n_cl, rel(s, h->first / 1000),
             (double)rel(s, h->last / 1000) + 1, a->lag,
             s->r->attribution_slack, a->cov);
    u64map_free(&index);
    free(pr);
    free(who);
}

static void
attribute_pair(struct scorer *s, size_t pi, struct attribution *a)
{
    const struct rules *r = s->r;
    uint32_t n = s->pairs[pi].times.n, best = 0, second = 0;
    size_t bi = 0;

    memset(a->count, 0, a->n_cl * sizeof *a->count);
    for (uint32_t i = 0; i < n; i++)
        clients_at(&a->m, s->pairs[pi].times.v[i], a->lag,
                   r->attribution_slack, a->seen, ++a->stamp, a->count);
    for (size_t c = 0; c < a->n_cl; c++) {
        if (a->count[c] > best) {
            second = best;
            best = a->count[c];
            bi = c;
        } else if (a->count[c] > second) {
            second = a->count[c];
        }
    }
    /* The best client explains the queries far beyond its chance, and
     * no other client does. */
    if (best < r->attribution_match * n ||
        binomial_tail(n, best, a->cov[bi]) >= 1e-3 || second >= best)
        return;
    for (size_t c = 0; c < a->n_cl; c++)
        if (c != bi && a->count[c] &&
            binomial_tail(n, a->count[c], a->cov[c]) < 1e-3)
            return;
    attribute(s, pi, a->host[bi], best);
}

static void
attribute_all(struct scorer *s)
{
    for (size_t h = 0; h < s->n_hosts; h++) {
        struct attribution a = { 0 };
        size_t n_pairs = s->n_pairs;
        if (!s->hosts[h].resolver)
            continue;
        clients_of(s, (int32_t)h, &a);
        a.seen = xcalloc(a.n_cl + 1, sizeof *a.seen);
        a.count = xcalloc(a.n_cl + 1, sizeof *a.count);
        for (size_t i = 0; a.n_cl && i < n_pairs; i++)
            if (s->pairs[i].host == (int32_t)h && s->pairs[i].times.n >= 4 &&
                !s->pairs[i].moved)
                attribute_pair(s, i, &a);
        merged_free(&a.m);
        free(a.host);
        free(a.cov);
        free(a.seen);
        free(a.count);
    }
}

/* --- Per pair and per domain figures --- */

static struct tunnel_stats
pair_stats(const struct pair *p)
{
    struct tunnel_stats t = {
        .queries = (double)p->queries, .unique = (double)p->unique,
        .encoded = (double)p->encoded, .payload_bits = p->payload_bits,
        .rare_types = (double)p->rare, .answered_data = (double)p->answered,
        .empty = (double)p->empty, .longest = (double)p->longest,
    };
    return t;
}

/* The times a pair's own host sent: attributed copies apart. */
static uint32_t
own_times(const struct pair *p)
{
    return p->from >= 0 && !p->moved ? p->direct : p->times.n;
}

/* The most values of t[0..n) (sorted here) in one calendar minute;
 * with hour_of set, each host-hour of host hi gets its own peak. */
static uint32_t
peak_minute(struct scorer *s, uint32_t *t, uint32_t n, int32_t hi)
{
    uint32_t best = 0, run = 0;
    int64_t cur = INT64_MIN;

    if (!n)
        return 0;
    qsort(t, n, sizeof *t, cmp_u32);
    for (uint32_t i = 0; i < n; i++) {
        int64_t sec = (int64_t)t[i] + s->base_s;
        int64_t m = sec >= 0 ? sec / 60 : (sec - 59) / 60;
        run = m == cur ? run + 1 : 1;
        cur = m;
        if (run > best)
            best = run;
        if (hi >= 0) {
            uint32_t v = u64map_get(&s->hour_index,
                                    (uint64_t)(uint32_t)hi << 32 |
                                    (uint32_t)(m * 60 / 3600));
            if (v && run > s->hours[v - 1].peak_qpm)
                s->hours[v - 1].peak_qpm = run;
        }
    }
    return best;
}

/* Count the pair's domain once in each hour its host asked for it:
 * the host-hours' distinct domains and DGA-candidate domains. */
static void
pair_hours(struct scorer *s, struct pair *p)
{
    const struct site *d = &s->sites[p->site];
    int dga = d->dga >= s->dga_thr && !(d->noise & SN_LEXICAL);
    uint32_t n = own_times(p);
    int64_t last = INT64_MIN;

    if (n)
        qsort(p->times.v, n, sizeof *p->times.v, cmp_u32);
    for (uint32_t i = 0; i < n; i++) {
        int64_t sec = (int64_t)p->times.v[i] + s->base_s;
        int64_t hour = sec >= 0 ? sec / 3600 : (sec - 3599) / 3600;
        uint32_t v;
        if (hour == last)
            continue;
        last = hour;
        v = u64map_get(&s->hour_index, (uint64_t)(uint32_t)p->host << 32 |
                       (uint32_t)hour);
        if (v) {
            s->hours[v - 1].parents++;
            s->hours[v - 1].dga += (uint32_t)dga;
        }
    }
}

/* Peak queries a minute of every domain and every host-hour, from the
 * pairs' query times. */
static void
peaks(struct scorer *s)
{
    size_t *by_site = xcalloc(s->n_sites + 2, sizeof *by_site);
    size_t *by_host = xcalloc(s->n_hosts + 2, sizeof *by_host);
    size_t *ps = xmalloc((s->n_pairs + 1) * sizeof *ps);
    size_t *ph = xmalloc((s->n_pairs + 1) * sizeof *ph);
    struct u32vec t = { 0 };

    for (size_t i = 0; i < s->n_pairs; i++) {
        by_site[s->pairs[i].site + 2]++;
        by_host[s->pairs[i].host + 2]++;
    }
    for (size_t i = 0; i <= s->n_sites; i++)
        by_site[i + 1] += by_site[i];
    for (size_t i = 0; i <= s->n_hosts; i++)
        by_host[i + 1] += by_host[i];
    for (size_t i = 0; i < s->n_pairs; i++) {
        ps[by_site[s->pairs[i].site + 1]++] = i;
        ph[by_host[s->pairs[i].host + 1]++] = i;
    }
    for (size_t i = 0; i < s->n_pairs; i++)
        pair_hours(s, &s->pairs[i]);
    for (size_t d = 0; d < s->n_sites; d++) {
        t.n = 0;
        for (size_t k = by_site[d]; k < by_site[d + 1]; k++) {
            const struct pair *p = &s->pairs[ps[k]];
            for (uint32_t i = 0; i < own_times(p); i++)
                u32vec_push(&t, p->times.v[i]);
        }
        s->sites[d].peak_qpm = peak_minute(s, t.v, t.n, -1);
    }
    for (size_t h = 0; h < s->n_hosts; h++) {
        const struct u32vec *o = &s->hosts[h].other_times;
        t.n = 0;
        for (size_t k = by_host[h]; k < by_host[h + 1]; k++) {
            const struct pair *p = &s->pairs[ph[k]];
            for (uint32_t i = 0; i < own_times(p); i++)
                u32vec_push(&t, p->times.v[i]);
        }
        for (uint32_t i = 0; i < o->n; i++)
            u32vec_push(&t, o->v[i]);
        peak_minute(s, t.v, t.n, (int32_t)h);
    }
    free(t.v);
    free(by_site);
    free(by_host);
    free(ps);
    free(ph);
}

static void
finish_figures(struct scorer *s)
{
    peaks(s);
    for (size_t i = 0; i < s->n_pairs; i++) {
        struct pair *p = &s->pairs[i];
        struct tunnel_stats t = pair_stats(p);
        if (p->moved)
            continue;
        double med, cv;
        gap_stats(p->times.v, p->times.n, &med, &cv);
        p->median_gap = (float)med;
        p->cv = (float)cv;
        p->tunnel = (float)tn_score(&t);
    }
    for (size_t i = 0; i < s->n_sites; i++) {
        struct site *d = &s->sites[i];
        struct tunnel_stats t = {
            .queries = (double)d->queries, .unique = (double)d->unique,
            .encoded = (double)d->encoded, .payload_bits = d->payload_bits,
            .rare_types = (double)d->rare, .answered_data = (double)d->answered,
            .empty = (double)d->empty, .longest = (double)d->longest,
        };
        d->tunnel = (float)tn_score(&t);
    }
    for (size_t i = 0; i < s->n_peers; i++) {
        struct peer *p = &s->peers[i];
        struct u32vec t = { 0 };
        for (uint32_t k = 0; k < p->starts.n; k++)
            u32vec_push(&t, p->starts.v[k]);
        gap_stats(t.v, t.n, &p->median_gap, &p->cv);
        free(t.v);
    }
}

/* --- The run --- */

static void
scorer_free(struct scorer *s)
{
    for (size_t i = 0; i < s->n_sites; i++) {
        free(s->sites[i].name);
        free(s->sites[i].registrable);
        free(s->sites[i].len_hist);
    }
    for (size_t i = 0; i < s->n_hosts; i++) {
        free(s->hosts[i].addr);
        free(s->hosts[i].instance);
        free(s->hosts[i].other_times.v);
        reasons_free(&s->hosts[i]);
    }
    for (size_t i = 0; i < s->n_pairs; i++)
        free(s->pairs[i].times.v);
    for (size_t i = 0; i < s->n_peers; i++) {
        free(s->peers[i].addr);
        free(s->peers[i].starts.v);
        free(s->peers[i].ends.v);
        free(s->peers[i].bpp.v);
    }
    free(s->sites);
    free(s->hosts);
    free(s->pairs);
    free(s->hours);
    free(s->peers);
    free(s->names);
    free(s->origin_host);
    free(s->ans_bytes);
    free(s->ans_data);
    free(s->ans_ip_at);
    free(s->ans_ips);
    u64map_free(&s->site_index);
    u64map_free(&s->host_index);
    u64map_free(&s->pair_index);
    u64map_free(&s->hour_index);
    u64map_free(&s->peer_index);
    u64map_free(&s->seen);
    lexctx_free(s->lex);
    allow_free(&s->allow);
    asn_close(s->asn);
}

/* Bytes the run's tables hold, for the benchmark. */
static size_t
table_bytes(const struct scorer *s)
{
    size_t n = s->n_names * sizeof *s->names +
               s->cap_sites * sizeof *s->sites +
               s->cap_hosts * sizeof *s->hosts +
               s->cap_pairs * sizeof *s->pairs +
               s->cap_hours * sizeof *s->hours +
               s->cap_peers * sizeof *s->peers +
               s->n_answers * (2 * sizeof(uint32_t) + 1);
    const struct u64map *m[] = { &s->site_index, &s->host_index,
                                 &s->pair_index, &s->hour_index,
                                 &s->peer_index, &s->seen };

    for (size_t i = 0; i < sizeof m / sizeof *m; i++)
        n += m[i]->cap * (sizeof(uint64_t) + sizeof(uint32_t));
    for (size_t i = 0; i < s->n_pairs; i++)
        n += s->pairs[i].times.cap * sizeof(uint32_t);
    return n;
}

/* Each stage, or DH_USAGE once the run is cancelled. */
#define STAGE(call) \
    do { if ((call) != DH_OK) return DH_DB; \
         if (s->cancelled) goto cancelled; } while (0)

/* Domains whose every answer address lies in an allow-listed autonomous
 * system lose the DGA signal (asn entries are lexical only). */
static void
asn_cover(struct scorer *s)
{
    for (size_t i = 0; s->asn && i < s->n_sites; i++) {
        struct site *d = &s->sites[i];
        if (d->asn_ok && !d->asn_other) {
            d->noise |= SN_LEXICAL;
            s->sum->asn_domains++;
        } else {
            d->asn = 0;
        }
    }
}

static enum dh_status
gather(struct scorer *s, struct db *db, char *err, size_t errlen)
{
    const struct score_opts *o = s->o;
    const struct config *c = o->cfg;
    int64_t since = o->since_ms / 1000, until = o->until_ms / 1000;

    progress(s, "names", 0);
    STAGE(load_names(s, db, err, errlen));
    s->sum->names = s->n_names ? s->n_names - 1 : 0;
    progress(s, "answers", 0);
    STAGE(load_hosts_answers(s, db, err, errlen));
    progress(s, "queries", 0);
    STAGE(results_scan_queries(db, o->since_ms, o->until_ms, query_cb, s,
                               err, errlen));
    asn_cover(s);
    progress(s, "flows", 0);
    STAGE(results_scan_dns_flows(db, since, until + (o->until_ms % 1000 != 0),
                                 (const char *const *)c->list[CL_DOH].v,
                                 c->list[CL_DOH].n, flow_cb, s, err,
                                 errlen));
    if (progress(s, "attribution", 0))
        goto cancelled;
    mark_resolvers(s);
    attribute_all(s);
    finish_figures(s);
    return DH_OK;
cancelled:
    snprintf(err, errlen, "cancelled; the previous results stay");
    return DH_USAGE;
}
#undef STAGE

/* The IP-to-ASN data when asn entries need it; a relative path is
 * taken from the configuration file's directory. */
static enum dh_status
open_asn(struct scorer *s, char *err, size_t errlen)
{
    const struct config *c = s->o->cfg;
    int n = allow_has_kind(&s->allow, AK_ASN);
    struct buf path = { 0 };
    char why[600];

    if (!n)
        return DH_OK;
    if (!c->list[CL_ASN_DB].n) {
        s->sum->asn_idle = n;
        return DH_OK;
    }
    const char *p = c->list[CL_ASN_DB].v[0];
    const char *slash = c->path ? strrchr(c->path, '/') : NULL;
    if (p[0] != '/' && slash)
        buf_printf(&path, "%.*s/%s", (int)(slash - c->path), c->path, p);
    else
        buf_adds(&path, p);
    s->asn = asn_open(path.data, &s->sum->asn_bad, why, sizeof why);
    buf_free(&path);
    if (!s->asn) {
        snprintf(err, errlen, "asn_database: %s", why);
        return DH_IO;
    }
    return DH_OK;
}

enum dh_status
score_run(struct db *db, const struct score_opts *o,
          struct score_summary *sum, char *err, size_t errlen)
{
    struct scorer s = { .o = o, .r = &o->cfg->rules, .sum = sum };
    int64_t started = now_ms(), last_import = 0, base = 0;
    enum dh_status rc;

    memset(sum, 0, sizeof *sum);
    s.lex = lexctx_new(o->model);
    for (size_t i = 0; i < o->cfg->list[CL_INTERNAL].n; i++)
        lexctx_add_zone(s.lex, o->cfg->list[CL_INTERNAL].v[i]);
    s.dga_thr = s.r->dga_threshold > 0 ? s.r->dga_threshold
              : o->model->split.thr3 > 0 ? o->model->split.thr3 : 0.9;
    /* Everything is read from one snapshot: imports committing meanwhile
     * are left for the next run, which the console then says is due. */
    rc = db_snapshot_begin(db, err, errlen);
    if (rc == DH_OK)
        rc = allow_load(db, started, &s.allow, err, errlen);
    if (rc == DH_OK)
        rc = open_asn(&s, err, errlen);
    if (rc == DH_OK)
        rc = results_last_import(db, &last_import, err, errlen);
    if (rc == DH_OK)
        rc = results_time_base(db, o->since_ms, &base, err, errlen);
    s.base_s = base;
    if (rc == DH_OK)
        rc = gather(&s, db, err, errlen);
    db_snapshot_end(db);
    if (rc == DH_OK && !sum->queries && !sum->flows &&
        (o->since_ms != SCORE_NO_START || o->until_ms != SCORE_NO_END)) {
        snprintf(err, errlen, "no queries or DNS flows in that time "
                 "window; the previous results stay");
        rc = DH_USAGE;
    }
    if (rc == DH_OK) {
        progress(&s, "reasons", 0);
        reasons_build(&s);
        sum->peak_bytes = table_bytes(&s);
        progress(&s, "writing", 0);
        rc = score_write(&s, db, started, last_import, err, errlen);
    }
    scorer_free(&s);
    return rc;
}
