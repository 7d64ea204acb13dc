/* SPDX-License-Identifier: MIT
 *
 * Printing scoring results (see show.h).
 */
#include "core/show.h"

/* Where results go: standard output, or the file of show_hosts_to(). */
static FILE *show_out;
#define OUT (show_out ? show_out : stdout)

#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "core/isotime.h"
#include "core/util.h"
#include "storage/results.h"

int
show_parse_format(const char *s, enum show_format *f)
{
    if (strcmp(s, "table") == 0)
        *f = SHOW_TABLE;
    else if (strcmp(s, "json") == 0)
        *f = SHOW_JSON;
    else if (strcmp(s, "csv") == 0)
        *f = SHOW_CSV;
    else
        return -1;
    return 0;
}

/* --- Safe strings --- */

/* s escaped to printable ASCII in a ring of buffers ("" for NULL). */
static const char *
safe(const char *s)
{
    static char ring[8][1024];
    static int k;
    char *out = ring[k++ & 7];

    return escape_bytes(out, sizeof ring[0], s ? s : "", s ? strlen(s) : 0);
}

/* Milliseconds of 9999-12-31T23:59:59.999Z: later is not a time. */
#define LAST_MS 253402300799999LL

static const char *
when(int64_t ms)
{
    static char ring[4][32];
    static int k;
    char *out = ring[k++ & 3];

    if (ms <= 0 || ms > LAST_MS)
        return "-";
    isotime_format(ms, out, sizeof ring[0]);
    return out;
}
/* v with thousands separators (core/util.h). */
static const char *
thousands(double v)
{
    return fmt_thousands(v);
}

static double
pct(int64_t part, int64_t all)
{
    return all > 0 ? 100.0 * (double)part / (double)all : 0.0;
}

/* --- JSON and CSV cells --- */

static void
j_str(struct buf *b, const char *key, const char *v, int first)
{
    buf_printf(b, "%s\"%s\":", first ? "" : ",", key);
    if (v)
        buf_add_json_text(b, v);
    else
        buf_adds(b, "null");
}

static void
j_num(struct buf *b, const char *key, double v)
{
    if (v < 0 || !isfinite(v))
        buf_printf(b, ",\"%s\":null", key);
    else if (v == floor(v) && v < 1e15)
        buf_printf(b, ",\"%s\":%.0f", key, v);
    else
        buf_printf(b, ",\"%s\":%.6g", key, v);
}

static void
j_time(struct buf *b, const char *key, int64_t ms)
{
    buf_printf(b, ",\"%s\":", key);
    if (ms > 0 && ms <= LAST_MS)
        buf_printf(b, "\"%s\"", when(ms));
    else
        buf_adds(b, "null");
}

/* The stored evidence re-encoded, or {} when it is not valid JSON. */
static void
jevidence(struct buf *b, const char *text)
{
    json_error_t e;
    json_t *v = json_loads(text ? text : "", 0, &e);
    char *out = v && json_is_object(v)
              ? json_dumps(v, JSON_COMPACT | JSON_ENSURE_ASCII |
                           JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(6))
              : NULL;

    buf_adds(b, out ? out : "{}");
    free(out);
    json_decref(v);
}

static void
csv_cell(const char *s, int last)
{
    const char *v = safe(s);
    int quote = strpbrk(v, ",\"") != NULL || *v == '=' || *v == '+' ||
                *v == '-' || *v == '@';

    if (quote) {
        fputc('"', OUT);
        if (*v == '=' || *v == '+' || *v == '-' || *v == '@')
            fputc('\'', OUT);
        for (; *v; v++) {
            if (*v == '"')
                fputc('"', OUT);
            fputc(*v, OUT);
        }
        fputc('"', OUT);
    } else {
        fputs(v, OUT);
    }
    fputc(last ? '\n' : ',', OUT);
}

/* A time for CSV: empty when unknown. */
static const char *
csv_when(int64_t ms)
{
    const char *w = when(ms);

    return *w == '-' ? "" : w;
}

static void
csv_num(double v, int last)
{
    if (v < 0 || !isfinite(v))
        fputs("", OUT);
    else if (v == floor(v) && v < 1e15)
        fprintf(OUT, "%.0f", v);
    else
        fprintf(OUT, "%.4f", v);
    fputc(last ? '\n' : ',', OUT);
}

/* --- Hosts --- */

struct host_show {
    struct db       *db;
    enum show_format f;
    long             rank;
    char            *err;
    size_t           errlen;
    enum dh_status   rc;
    struct buf       b;
    int              alerts_only;   /* the alerts: their time span */
};

struct reasons_json {
    struct buf *b;
    int         n;
};

static int
reason_json(void *arg, const struct reason_row *r)
{
    struct reasons_json *j = arg;
    struct buf *b = j->b;

    buf_adds(b, j->n++ ? ",{" : "{");
    j_str(b, "code", r->code, 1);
    j_str(b, "technique", *r->technique ? r->technique : NULL, 0);
    j_num(b, "strength", r->strength);
    j_str(b, "text", r->text, 0);
    j_str(b, "domain", r->domain, 0);
    j_time(b, "first_seen", r->first_seen);
    j_time(b, "last_seen", r->last_seen);
    buf_adds(b, ",\"evidence\":");
    jevidence(b, r->evidence);
    buf_addc(b, '}');
    return 0;
}

struct dom_json {
    struct buf *b;
    int         n;
};

static void
domain_json(struct buf *b, const struct domain_row *d,
            const struct host_domain_row *hd)
{
    buf_addc(b, '{');
    j_str(b, "domain", d->domain, 1);
    j_str(b, "registrable", d->registrable, 0);
    j_str(b, "reason", d->reason, 0);
    j_num(b, "dga_score", d->dga_score);
    j_num(b, "tunnel_score", hd ? hd->tunnel_score : d->tunnel_score);
    j_num(b, "hosts", (double)d->hosts);
    j_num(b, "queries", (double)(hd ? hd->queries : d->queries));
    j_num(b, "nxdomain", (double)(hd ? hd->nxdomain : d->nxdomain));
    j_num(b, "unique_subdomains", (double)(hd ? hd->unique_subdomains
                                           : d->unique_subdomains));
    if (!hd) {
        j_num(b, "mean_sub_len", d->mean_sub_len);
        j_num(b, "p95_sub_len", d->p95_sub_len);
        j_num(b, "longest_label", (double)d->longest_label);
        j_num(b, "sub_entropy", d->sub_entropy);
        j_str(b, "alphabet", d->alphabet, 0);
        j_num(b, "txt", (double)d->txt);
        j_num(b, "null", (double)d->null_q);
        j_num(b, "key", (double)d->key_q);
        j_num(b, "private", (double)d->private_q);
        j_num(b, "any", (double)d->any_q);
        j_num(b, "cname", (double)d->cname_q);
        j_num(b, "bytes_per_query", d->bytes_per_query);
        j_num(b, "peak_qpm", (double)d->peak_qpm);
        j_num(b, "answer_addresses", (double)d->answer_addrs);
        j_str(b, "noise", d->noise, 0);
    } else {
        j_num(b, "median_gap_s", hd->median_gap);
        j_num(b, "gap_cv", hd->gap_cv);
        j_str(b, "attributed_from", hd->attributed_from, 0);
    }
    j_time(b, "first_seen", hd ? hd->first_seen : d->first_seen);
    j_time(b, "last_seen", hd ? hd->last_seen : d->last_seen);
    buf_addc(b, '}');
}

static int
host_domain_json(void *arg, const struct domain_row *d,
                 const struct host_domain_row *hd)
{
    struct dom_json *j = arg;

    if (j->n++)
        buf_addc(j->b, ',');
    domain_json(j->b, d, hd);
    return 0;
}

static void
host_json(struct host_show *s, const struct host_row *h)
{
    struct buf *b = &s->b;
    struct dom_json dj = { b, 0 };
    struct reasons_json rj = { b, 0 };

    buf_reset(b);
    buf_addc(b, '{');
    j_str(b, "host", h->addr, 1);
    j_str(b, "instance_id", h->instance, 0);
    j_str(b, "role", h->role, 0);
    j_num(b, "score", h->score);
    j_str(b, "severity", h->severity, 0);
    buf_printf(b, ",\"alert\":%s", h->alert ? "true" : "false");
    j_num(b, "queries", (double)h->queries);
    j_num(b, "nxdomain", (double)h->nxdomain);
    j_num(b, "txt", (double)h->txt);
    j_num(b, "bytes_per_query", h->bytes_per_query);
    j_num(b, "domains_queried", (double)h->domains);
    j_num(b, "dga_hits", (double)h->dga_hits);
    j_num(b, "tunnel_hits", (double)h->tunnel_hits);
    j_num(b, "dns_flows", (double)h->dns_flows);
    j_num(b, "dns_flow_bytes", (double)h->dns_bytes);
    j_num(b, "doh_flows", (double)h->doh_flows);
    j_num(b, "bypass_flows", (double)h->bypass_flows);
    j_num(b, "dns_servers", (double)h->dns_servers);
    j_num(b, "attributed_queries", (double)h->attributed);
    j_time(b, "first_seen", h->first_seen);
    j_time(b, "last_seen", h->last_seen);
    j_time(b, "alert_first", h->alert_first);
    j_time(b, "alert_last", h->alert_last);
    buf_adds(b, ",\"reasons\":[");
    if (s->rc == DH_OK)
        s->rc = results_reasons(s->db, h->id, reason_json, &rj, s->err,
                                s->errlen);
    buf_adds(b, "],\"domains\":[");
    if (s->rc == DH_OK)
        s->rc = results_domains(s->db, h->id, 10, host_domain_json, &dj,
                                s->err, s->errlen);
    buf_adds(b, "]}\n");
    fputs(b->data, OUT);
}

static void
host_csv(const struct host_row *h, long rank, int alerts_only)
{
    csv_num((double)rank, 0);
    csv_cell(h->addr, 0);
    csv_cell(h->instance, 0);
    csv_cell(h->role, 0);
    fprintf(OUT, "%.4f,", h->score);
    csv_cell(h->severity, 0);
    fprintf(OUT, "%d,", h->alert);
    csv_num((double)h->queries, 0);
    csv_num((double)h->nxdomain, 0);
    csv_num((double)h->txt, 0);
    csv_num(h->bytes_per_query, 0);
    csv_num((double)h->domains, 0);
    csv_num((double)h->dga_hits, 0);
    csv_num((double)h->tunnel_hits, 0);
    csv_num((double)h->dns_flows, 0);
    csv_num((double)h->doh_flows, 0);
    csv_num((double)h->bypass_flows, 0);
    csv_cell(csv_when(h->first_seen), 0);
    csv_cell(csv_when(h->last_seen), 0);
    csv_cell(h->top_reason, !alerts_only);
    if (alerts_only) {              /* added last: columns keep places */
        csv_cell(csv_when(h->alert_first), 0);
        csv_cell(csv_when(h->alert_last), 1);
    }
}

static void
host_table(const struct host_row *h, long rank)
{
    const char *reason = safe(h->top_reason);

    fprintf(OUT, "%3ld  %.3f  %-8s  %-15s %-19s %9s %4.0f%% %4.0f%% %5.0f "
           "%4lld %4lld  %s\n", rank, h->score, safe(h->severity),
           safe(h->addr), h->instance ? safe(h->instance) : "-",
           thousands((double)h->queries), pct(h->nxdomain, h->queries),
           pct(h->txt, h->queries),
           h->bytes_per_query > 0 ? h->bytes_per_query : 0,
           (long long)h->dga_hits, (long long)h->tunnel_hits,
           h->top_reason ? reason : "");
}

/* An alert: its host, the span of its evidence and the top reason. */
static void
alert_table(const struct host_row *h, long rank)
{
    fprintf(OUT, "%3ld  %.3f  %-8s  %-15s %-19s %-20s %-20s  %s\n", rank,
           h->score, safe(h->severity), safe(h->addr),
           h->instance ? safe(h->instance) : "-", when(h->alert_first),
           when(h->alert_last), h->top_reason ? safe(h->top_reason) : "");
}

static int
host_cb(void *arg, const struct host_row *h)
{
    struct host_show *s = arg;

    s->rank++;
    if (s->f == SHOW_JSON) {
        host_json(s, h);
    } else if (s->f == SHOW_CSV) {
        host_csv(h, s->rank, s->alerts_only);
    } else if (s->alerts_only) {
        alert_table(h, s->rank);
    } else {
        host_table(h, s->rank);
    }
    return s->rc != DH_OK;
}

enum dh_status
show_hosts_to(FILE *out, struct db *db, enum show_format f, long limit,
              int alerts_only, char *err, size_t errlen)
{
    enum dh_status rc;

    show_out = out;
    rc = show_hosts(db, f, limit, alerts_only, err, errlen);
    show_out = NULL;
    return rc;
}

enum dh_status
show_hosts(struct db *db, enum show_format f, long limit, int alerts_only,
           char *err, size_t errlen)
{
    struct host_show s = { db, f, 0, err, errlen, DH_OK, { 0 }, alerts_only };
    enum dh_status rc;

    if (f == SHOW_TABLE && alerts_only)
        fprintf(OUT, "  #  score  severity  host            instance            "
               "evidence from        to                    reason\n");
    else if (f == SHOW_TABLE)
        fprintf(OUT, "  #  score  severity  host            instance              "
               "queries   nx%%  txt%%   B/q  dga  tun  reason\n");
    else if (f == SHOW_CSV)
        fprintf(OUT, "rank,host,instance_id,role,score,severity,alert,queries,"
               "nxdomain,txt,bytes_per_query,domains_queried,dga_hits,"
               "tunnel_hits,dns_flows,doh_flows,bypass_flows,first_seen,"
               "last_seen,top_reason%s\n", alerts_only ? ",alert_first,"
               "alert_last" : "");
    rc = results_hosts(db, limit, alerts_only, host_cb, &s, err, errlen);
    buf_free(&s.b);
    if (rc == DH_OK)
        rc = s.rc;
    if (rc == DH_OK && f == SHOW_TABLE && s.rank == 0)
        fprintf(OUT, "(no %s)\n", alerts_only ? "alerts" : "hosts");
    return rc;
}

/* --- Domains --- */

struct domain_show {
    enum show_format f;
    long             rank;
    struct buf       b;
};

static int
domain_cb(void *arg, const struct domain_row *d,
          const struct host_domain_row *hd)
{
    struct domain_show *s = arg;

    s->rank++;
    if (s->f == SHOW_JSON) {
        buf_reset(&s->b);
        domain_json(&s->b, d, hd);
        buf_addc(&s->b, '\n');
        fputs(s->b.data, OUT);
    } else if (s->f == SHOW_CSV) {
        csv_num((double)s->rank, 0);
        csv_cell(d->domain, 0);
        csv_cell(d->registrable, 0);
        csv_cell(d->reason, 0);
        csv_num(d->dga_score, 0);
        csv_num(hd ? hd->tunnel_score : d->tunnel_score, 0);
        csv_num((double)d->hosts, 0);
        csv_num((double)(hd ? hd->queries : d->queries), 0);
        csv_num((double)(hd ? hd->nxdomain : d->nxdomain), 0);
        csv_num((double)(hd ? hd->unique_subdomains : d->unique_subdomains),
                0);
        csv_num(d->mean_sub_len, 0);
        csv_cell(d->alphabet, 0);
        csv_cell(csv_when(hd ? hd->first_seen : d->first_seen), 0);
        csv_cell(csv_when(hd ? hd->last_seen : d->last_seen), 1);
    } else {
        char dga[16];
        snprintf(dga, sizeof dga, d->dga_score >= 0 ? "%.3f" : "-",
                 d->dga_score);
        fprintf(OUT, "%3ld  %-40.40s %6s %6.3f %6lld %9s %7s %7s %5.0f %-7s %s\n",
               s->rank, safe(d->domain), dga,
               hd ? hd->tunnel_score : d->tunnel_score,
               (long long)d->hosts,
               thousands((double)(hd ? hd->queries : d->queries)),
               thousands((double)(hd ? hd->nxdomain : d->nxdomain)),
               thousands((double)(hd ? hd->unique_subdomains
                                     : d->unique_subdomains)),
               d->mean_sub_len > 0 ? d->mean_sub_len : 0,
               d->alphabet ? safe(d->alphabet) : "-",
               when(hd ? hd->last_seen : d->last_seen));
    }
    return 0;
}

static int
host_id_cb(void *arg, const struct host_row *h)
{
    *(int64_t *)arg = h->id;
    return 1;
}

enum dh_status
show_domains(struct db *db, enum show_format f, const char *host,
             long limit, char *err, size_t errlen)
{
    struct domain_show s = { f, 0, { 0 } };
    int64_t id = 0;
    int found = 0;
    enum dh_status rc;

    if (host) {
        rc = results_host(db, host, host_id_cb, &id, &found, err, errlen);
        if (rc != DH_OK)
            return rc;
        if (!found) {
            snprintf(err, errlen, "no scored host is %s (an address or "
                     "instance id)", safe(host));
            return DH_USAGE;
        }
    }
    if (f == SHOW_TABLE)
        fprintf(OUT, "  #  domain                                      dga tunnel  "
               "hosts   queries      nx  unique  sub alpha   last seen\n");
    else if (f == SHOW_CSV)
        fprintf(OUT, "rank,domain,registrable,reason,dga_score,tunnel_score,hosts,"
               "queries,nxdomain,unique_subdomains,mean_sub_len,alphabet,"
               "first_seen,last_seen\n");
    rc = results_domains(db, id, limit, domain_cb, &s, err, errlen);
    buf_free(&s.b);
    if (rc == DH_OK && f == SHOW_TABLE && s.rank == 0)
        fprintf(OUT, "(no domains)\n");
    return rc;
}

/* --- Explaining one host --- */

struct explain {
    struct db *db;
    int64_t    id;
    char      *err;
    size_t     errlen;
    enum dh_status rc;
    int        n;
};

static int
explain_reason(void *arg, const struct reason_row *r)
{
    struct buf b = { 0 };

    (void)arg;
    jevidence(&b, r->evidence);
    fprintf(OUT, "  %.3f  %-16s %-10s %s\n", r->strength, safe(r->code),
           *r->technique ? safe(r->technique) : "-", safe(r->text));
    fprintf(OUT, "                                    %s\n", safe(b.data));
    buf_free(&b);
    return 0;
}

static int
explain_host_domain(void *arg, const struct domain_row *d,
                    const struct host_domain_row *hd)
{
    char dga[16];

    (void)arg;
    snprintf(dga, sizeof dga, d->dga_score >= 0 ? "%.3f" : "-", d->dga_score);
    fprintf(OUT, "  %-40.40s %6s %6.3f %8s %7s %7s%s%s\n", safe(d->domain), dga,
           hd->tunnel_score, thousands((double)hd->queries),
           thousands((double)hd->nxdomain),
           thousands((double)hd->unique_subdomains),
           hd->attributed_from ? "  via " : "",
           hd->attributed_from ? safe(hd->attributed_from) : "");
    return 0;
}

static const char *
bar(double v, double max)
{
    static const char *const levels[] = { " ", ".", ":", "-", "=", "+", "*",
                                          "#" };

    if (v <= 0 || max <= 0)
        return " ";
    int k = (int)ceil(7.0 * v / max);
    return levels[k < 1 ? 1 : k > 7 ? 7 : k];
}

struct hours {
    struct host_hour_row *v;
    size_t                n;
};

static int
hour_cb(void *arg, const struct host_hour_row *r)
{
    struct hours *h = arg;

    h->v = xrealloc(h->v, (h->n + 1) * sizeof *h->v);
    h->v[h->n++] = *r;
    return 0;
}

/* Hours shown in the strips, at most: the last ones when more. */
#define STRIP_HOURS 72

/* Two strips of one character an hour, empty hours included, from the
 * host's first hour with queries (or the last STRIP_HOURS) to its last. */
static void
print_hours(const struct hours *h)
{
    double mq = 0, mn = 0, q[STRIP_HOURS] = { 0 }, x[STRIP_HOURS] = { 0 };
    int64_t first, last;

    if (!h->n)
        return;
    last = h->v[h->n - 1].hour;
    first = h->v[0].hour;
    if (last < first || last - first >= 3600LL * STRIP_HOURS)
        first = last - 3600LL * (STRIP_HOURS - 1);
    for (size_t i = 0; i < h->n; i++) {
        int64_t k = (h->v[i].hour - first) / 3600;
        if (h->v[i].hour < first || k >= STRIP_HOURS)
            continue;
        q[k] += (double)h->v[i].queries;
        x[k] += (double)h->v[i].nx_names;
    }
    int n = (int)((last - first) / 3600) + 1;
    for (int k = 0; k < n; k++) {
        mq = fmax(mq, q[k]);
        mn = fmax(mn, x[k]);
    }
    fprintf(OUT, "\nhours %s .. %s, one character an hour (max %s queries, %s "
           "NXDOMAIN names)\n  queries  |", when(first > 0 && first <
           LAST_MS / 1000 ? first * 1000 : 0), when(last > 0 && last <
           LAST_MS / 1000 ? last * 1000 : 0), thousands(mq), thousands(mn));
    for (int k = 0; k < n; k++)
        fputs(bar(q[k], mq), OUT);
    fprintf(OUT, "|\n  nxdomain |");
    for (int k = 0; k < n; k++)
        fputs(bar(x[k], mn), OUT);
    fprintf(OUT, "|\n");
}

static int
peer_cb(void *arg, const struct peer_row *p)
{
    int *n = arg;

    if (!(*n)++)
        fprintf(OUT, "\nDNS flows\n");
    fprintf(OUT, "  %-8s %-39.39s port %-4d %7s flows %9s packets %11s bytes "
           "out, %.0f B/packet\n", safe(p->kind), safe(p->peer), p->port,
           thousands((double)p->flows), thousands((double)p->packets),
           thousands((double)p->bytes_out),
           p->bpp_mean > 0 ? p->bpp_mean : 0);
    return 0;
}

static int
host_explain_cb(void *arg, const struct host_row *h)
{
    struct explain *e = arg;
    struct hours hours = { 0 };
    int peers = 0;

    e->id = h->id;
    fprintf(OUT, "host          %s%s%s%s\n", safe(h->addr),
           h->instance ? " (" : "", h->instance ? safe(h->instance) : "",
           h->instance ? ")" : "");
    if (h->role)
        fprintf(OUT, "role          %s\n", safe(h->role));
    fprintf(OUT, "score         %.3f %s%s", h->score, safe(h->severity),
           h->alert ? ", alert" : "");
    if (h->alert)
        fprintf(OUT, " (evidence %s .. %s)", when(h->alert_first),
               when(h->alert_last));
    fprintf(OUT, "\nqueries       %s (NXDOMAIN %s, TXT %s), %s domains",
           thousands((double)h->queries), thousands((double)h->nxdomain),
           thousands((double)h->txt), thousands((double)h->domains));
    if (h->bytes_per_query > 0)
        fprintf(OUT, ", %.0f bytes per query", h->bytes_per_query);
    if (h->attributed)
        fprintf(OUT, ", %s of them through a resolver",
               thousands((double)h->attributed));
    fprintf(OUT, "\nseen          %s .. %s\n", when(h->first_seen),
           when(h->last_seen));
    fprintf(OUT, "DNS flows     %s (DoH %s, to outside servers %s), %lld DNS "
           "servers\n\nreasons\n", thousands((double)h->dns_flows),
           thousands((double)h->doh_flows),
           thousands((double)h->bypass_flows), (long long)h->dns_servers);
    if (e->rc == DH_OK)
        e->rc = results_reasons(e->db, h->id, explain_reason, NULL, e->err,
                                e->errlen);
    fprintf(OUT, "\ndomains (most suspicious first)                  dga tunnel  "
           "queries      nx  unique\n");
    if (e->rc == DH_OK)
        e->rc = results_domains(e->db, h->id, 15, explain_host_domain,
                                NULL, e->err, e->errlen);
    if (e->rc == DH_OK)
        e->rc = results_host_hours(e->db, h->id, hour_cb, &hours, e->err,
                                   e->errlen);
    print_hours(&hours);
    free(hours.v);
    if (e->rc == DH_OK)
        e->rc = results_peers(e->db, h->id, peer_cb, &peers, e->err,
                              e->errlen);
    return 1;
}

enum dh_status
show_explain_host(struct db *db, const char *what, int *found, char *err,
                  size_t errlen)
{
    struct explain e = { db, 0, err, errlen, DH_OK, 0 };
    enum dh_status rc = results_host(db, what, host_explain_cb, &e, found,
                                     err, errlen);

    return rc != DH_OK ? rc : e.rc;
}

/* --- Explaining one domain --- */

static int
domain_host_cb(void *arg, const struct host_domain_row *r)
{
    int *n = arg;

    if (++*n > 20)
        return 1;
    fprintf(OUT, "  %-16s %8s queries %7s NXDOMAIN %7s unique, tunnel %.3f%s%s\n",
           safe(r->host), thousands((double)r->queries),
           thousands((double)r->nxdomain),
           thousands((double)r->unique_subdomains), r->tunnel_score,
           r->attributed_from ? ", via " : "",
           r->attributed_from ? safe(r->attributed_from) : "");
    return 0;
}

static int
sample_cb(void *arg, const char *name, size_t n)
{
    char shown[1100];

    (void)arg;
    fprintf(OUT, "  %s\n", escape_bytes(shown, sizeof shown, name, n));
    return 0;
}

static int
domain_explain_cb(void *arg, const struct domain_row *d,
                  const struct host_domain_row *hd)
{
    struct explain *e = arg;
    int n = 0;

    (void)hd;
    fprintf(OUT, "domain        %s (registrable %s)\n", safe(d->domain),
           safe(d->registrable));
    if (d->dga_score >= 0)
        fprintf(OUT, "dga_score     %.4f\n", d->dga_score);
    else
        fprintf(OUT, "dga_score     not scored: %s\n", safe(d->reason));
    if (d->noise)
        fprintf(OUT, "noise list    %s\n", safe(d->noise));
    fprintf(OUT, "tunnel_score  %.3f: %s unique subdomains, mean %.1f characters "
           "(p95 %.0f), longest label %lld, %.2f bits per character, %s\n",
           d->tunnel_score, thousands((double)d->unique_subdomains),
           d->mean_sub_len > 0 ? d->mean_sub_len : 0,
           d->p95_sub_len > 0 ? d->p95_sub_len : 0,
           (long long)d->longest_label,
           d->sub_entropy > 0 ? d->sub_entropy : 0,
           d->alphabet ? safe(d->alphabet) : "no subdomains");
    fprintf(OUT, "queries       %s from %lld host%s, NXDOMAIN %s; TXT %lld, "
           "NULL %lld, KEY %lld, PRIVATE %lld, ANY %lld, CNAME %lld\n",
           thousands((double)d->queries), (long long)d->hosts,
           d->hosts == 1 ? "" : "s",
           thousands((double)d->nxdomain), (long long)d->txt,
           (long long)d->null_q, (long long)d->key_q,
           (long long)d->private_q, (long long)d->any_q,
           (long long)d->cname_q);
    fprintf(OUT, "              %.0f bytes per query (estimated), peak %lld a "
           "minute, %lld answer addresses\n", d->bytes_per_query,
           (long long)d->peak_qpm, (long long)d->answer_addrs);
    fprintf(OUT, "seen          %s .. %s\n\nhosts\n", when(d->first_seen),
           when(d->last_seen));
    if (e->rc == DH_OK)
        e->rc = results_domain_hosts(e->db, d->id, domain_host_cb, &n,
                                     e->err, e->errlen);
    fprintf(OUT, "\nsample names (escaped)\n");
    if (e->rc == DH_OK)
        e->rc = results_sample_names(e->db, d->domain, d->registrable
                                     ? d->registrable : d->domain, 5,
                                     sample_cb, NULL, e->err, e->errlen);
    fputc('\n', OUT);
    return 1;
}

enum dh_status
show_explain_domain(struct db *db, const char *what, int *found, char *err,
                    size_t errlen)
{
    struct explain e = { db, 0, err, errlen, DH_OK, 0 };
    char norm[300];
    size_t n = strlen(what);
    enum dh_status rc;

    if (n >= sizeof norm)
        n = sizeof norm - 1;
    for (size_t i = 0; i < n; i++)
        norm[i] = (char)(what[i] >= 'A' && what[i] <= 'Z' ? what[i] + 32
                                                           : what[i]);
    if (n && norm[n - 1] == '.')
        n--;
    norm[n] = '\0';
    rc = results_domain(db, norm, domain_explain_cb, &e, found, err,
                        errlen);
    if (*found)
        *found = 2;
    return rc != DH_OK ? rc : e.rc;
}
