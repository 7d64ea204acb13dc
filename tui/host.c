/* SPDX-License-Identifier: MIT
 *
 * The host view: one host's score and evidence span, its hourly
 * figures beside its own median hour and the fleet's, a strip of its
 * queries and NXDOMAIN names an hour, its reasons with their ATT&CK
 * techniques and figures, its DNS flows, and its domains, most
 * suspicious first (Enter opens one).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/isotime.h"
#include "core/util.h"
#include "storage/results.h"
#include "tui/app.h"

/* Hours in the strips, at most (the last ones). */
#define STRIP 72

struct host_load {
    struct app      *a;
    struct view     *v;
    struct host_row  h;
    char            *addr, *instance, *severity, *role;
    char             verdict[16];   /* tp, fp, benign, allowed, or "" */
    int              found;
    struct host_hour_row *hours;
    size_t           n_hours;
    struct { char name[16]; double p50, p90, p99; } fleet[8];
    size_t           n_fleet;
};

static char *
esc(const char *s)
{
    char out[512];

    return xstrdup(escape_bytes(out, sizeof out, s ? s : "-",
                                s ? strlen(s) : 1));
}

static int
got_host(void *arg, const struct host_row *h)
{
    struct host_load *L = arg;

    L->h = *h;
    L->addr = esc(h->addr);
    L->instance = esc(h->instance);
    L->severity = esc(h->severity);
    L->role = h->role ? esc(h->role) : NULL;
    {
        const char *m = marks_verdict(L->a, 1, h->addr);
        const char *tag = marks_host_tag(L->a, h->addr);
        snprintf(L->verdict, sizeof L->verdict, "%s", *m ? m : tag);
    }
    return 1;
}

static int
got_hour(void *arg, const struct host_hour_row *r)
{
    struct host_load *L = arg;

    L->hours = xrealloc(L->hours, (L->n_hours + 1) * sizeof *L->hours);
    L->hours[L->n_hours++] = *r;
    return 0;
}

static int
got_fleet(void *arg, const char *f, double p50, double p90, double p99)
{
    struct host_load *L = arg;

    if (L->n_fleet < sizeof L->fleet / sizeof *L->fleet) {
        snprintf(L->fleet[L->n_fleet].name, sizeof L->fleet[0].name, "%s", f);
        L->fleet[L->n_fleet].p50 = p50;
        L->fleet[L->n_fleet].p90 = p90;
        L->fleet[L->n_fleet++].p99 = p99;
    }
    return 0;
}

static int
got_reason(void *arg, const struct reason_row *r)
{
    struct host_load *L = arg;
    char text[600], ev[600];

    escape_bytes(text, sizeof text, r->text, strlen(r->text));
    escape_bytes(ev, sizeof ev, r->evidence, strlen(r->evidence));
    char lead[64];

    snprintf(lead, sizeof lead, "  %.3f  %-16.16s %-10.10s ", r->strength,
             r->code, *r->technique ? r->technique : "-");
    /* whole, wrapped to the terminal: a reason is read, not glanced at */
    view_add_wrapped(L->v, r->strength >= 0.7 ? ROLE_CRITICAL :
                     r->strength >= 0.4 ? ROLE_HIGH : ROLE_NORMAL, lead,
                     text, L->a->cols);
    view_add_wrapped(L->v, ROLE_DIM, "                                     ",
                     ev, L->a->cols);
    return 0;
}

static int
got_peer(void *arg, const struct peer_row *p)
{
    struct host_load *L = arg;
    char peer[64];

    escape_bytes(peer, sizeof peer, p->peer, strlen(p->peer));
    view_add(L->v, p->kind[0] == 'r' ? ROLE_NORMAL : ROLE_HIGH,
             "  %-8s %-39s port %-4d %7s flows %9s packets %.0f B/packet",
             p->kind, peer, p->port, fmt_thousands((double)p->flows),
             fmt_thousands((double)p->packets),
             p->bpp_mean > 0 ? p->bpp_mean : 0);
    return 0;
}

static int
got_domain(void *arg, const struct domain_row *d,
           const struct host_domain_row *hd)
{
    struct host_load *L = arg;
    char name[300], dga[16], via[64] = "";
    struct line *l;

    escape_bytes(name, sizeof name, d->domain, strlen(d->domain));
    snprintf(dga, sizeof dga, d->dga_score >= 0 ? "%.3f" : "-",
             d->dga_score);
    if (hd->attributed_from)
        snprintf(via, sizeof via, "  via %.40s", hd->attributed_from);
    const char *m = marks_verdict(L->a, 0, d->domain);
    const char *tag = *m ? m : marks_domain_tag(L->a, d->domain,
                                                d->registrable);
    l = view_add(L->v, hd->tunnel_score >= 0.5 || d->dga_score >= 0.9
                 ? ROLE_HIGH : ROLE_NORMAL, "  %-40.40s %6s %6.3f %8s %7s "
                 "%7s  %-7s%s", name, dga, hd->tunnel_score,
                 fmt_thousands((double)hd->queries),
                 fmt_thousands((double)hd->nxdomain),
                 fmt_thousands((double)hd->unique_subdomains),
                 *tag ? tag : "-", via);
    l->target = TG_DOMAIN;
    l->arg = xstrdup(d->domain);
    return 0;
}

/* Median of one field over the host's hours. */
static double
median_hour(const struct host_load *L, size_t off)
{
    double *v, m;

    if (!L->n_hours)
        return 0;
    v = xmalloc(L->n_hours * sizeof *v);
    for (size_t i = 0; i < L->n_hours; i++)
        v[i] = (double)*(const int64_t *)((const char *)&L->hours[i] + off);
    for (size_t i = 1; i < L->n_hours; i++)     /* few: insertion */
        for (size_t j = i; j > 0 && v[j - 1] > v[j]; j--) {
            double t = v[j];
            v[j] = v[j - 1];
            v[j - 1] = t;
        }
    m = v[L->n_hours / 2];
    free(v);
    return m;
}

static void
baseline(struct host_load *L)
{
    static const struct {
        const char *label, *fleet;
        size_t      off;
    } rows[] = {
        { "queries an hour", "queries", offsetof(struct host_hour_row,
                                                 queries) },
        { "peak a minute", "peak_qpm", offsetof(struct host_hour_row,
                                                peak_qpm) },
        { "NXDOMAIN names", "nx_names", offsetof(struct host_hour_row,
                                                 nx_names) },
        { "TXT queries", "txt", offsetof(struct host_hour_row, txt) },
        { "domains", "parents", offsetof(struct host_hour_row, parents) },
        { "long names", "long_names", offsetof(struct host_hour_row,
                                               long_names) },
    };

    view_add(L->v, ROLE_SECTION, "Hourly figures     peak hour  its median "
             " fleet median  fleet p99");
    for (size_t r = 0; r < sizeof rows / sizeof *rows; r++) {
        double peak = 0, p50 = 0, p99 = 0;
        for (size_t i = 0; i < L->n_hours; i++)
            peak = fmax(peak, (double)*(const int64_t *)(
                (const char *)&L->hours[i] + rows[r].off));
        for (size_t k = 0; k < L->n_fleet; k++)
            if (strcmp(L->fleet[k].name, rows[r].fleet) == 0) {
                p50 = L->fleet[k].p50;
                p99 = L->fleet[k].p99;
            }
        view_add(L->v, peak > p99 && peak > 0 ? ROLE_HIGH : ROLE_NORMAL,
                 "  %-16s %9s %11s %13s %10s", rows[r].label,
                 fmt_thousands(peak), fmt_thousands(median_hour(L,
                 rows[r].off)), fmt_thousands(p50), fmt_thousands(p99));
    }
}

static const char *
level(double v, double max)
{
    static const char *const l[] = { " ", ".", ":", "-", "=", "+", "*", "#" };
    int k;

    if (v <= 0 || max <= 0)
        return " ";
    k = (int)ceil(7.0 * v / max);
    return l[k < 1 ? 1 : k > 7 ? 7 : k];
}

static void
strips(struct host_load *L)
{
    double q[STRIP] = { 0 }, x[STRIP] = { 0 }, mq = 0, mx = 0;
    char sq[STRIP + 1] = "", sx[STRIP + 1] = "", a[32], b[32];
    int64_t first, last;
    int n;

    if (!L->n_hours)
        return;
    last = L->hours[L->n_hours - 1].hour;
    first = L->hours[0].hour;
    if (last < first || last - first >= 3600LL * STRIP)
        first = last - 3600LL * (STRIP - 1);
    for (size_t i = 0; i < L->n_hours; i++) {
        int64_t k = (L->hours[i].hour - first) / 3600;
        if (L->hours[i].hour < first || k >= STRIP)
            continue;
        q[k] += (double)L->hours[i].queries;
        x[k] += (double)L->hours[i].nx_names;
    }
    n = (int)((last - first) / 3600) + 1;
    for (int k = 0; k < n; k++) {
        mq = fmax(mq, q[k]);
        mx = fmax(mx, x[k]);
    }
    for (int k = 0; k < n; k++) {
        strcat(sq, level(q[k], mq));
        strcat(sx, level(x[k], mx));
    }
    view_add(L->v, ROLE_SECTION, "Hours %s .. %s, one character an hour",
             isotime_or_dash(first * 1000, a, sizeof a),
             isotime_or_dash(last * 1000, b, sizeof b));
    view_add(L->v, ROLE_NORMAL, "  queries  |%s| max %s", sq,
             fmt_thousands(mq));
    view_add(L->v, ROLE_NORMAL, "  nxdomain |%s| max %s", sx,
             fmt_thousands(mx));
}

static void
summary(struct host_load *L)
{
    const struct host_row *h = &L->h;
    char a[32], b[32];

    view_add(L->v, h->alert ? ROLE_CRITICAL : ROLE_NORMAL,
             "%s  %s  score %.3f %s%s%s%s", L->addr, L->instance, h->score,
             L->severity, h->alert ? ", ALERT" : "",
             *L->verdict ? ", " : "", L->verdict);
    if (h->alert)
        view_add(L->v, ROLE_NORMAL, "evidence %s .. %s",
                 isotime_or_dash(h->alert_first, a, sizeof a),
                 isotime_or_dash(h->alert_last, b, sizeof b));
    if (L->role)
        view_add(L->v, ROLE_NORMAL, "role     %s", L->role);
    view_add(L->v, ROLE_NORMAL, "queries  %s (NXDOMAIN %s, TXT %s, %s "
             "through a resolver), %s domains",
             fmt_thousands((double)h->queries),
             fmt_thousands((double)h->nxdomain),
             fmt_thousands((double)h->txt),
             fmt_thousands((double)h->attributed),
             fmt_thousands((double)h->domains));
    view_add(L->v, ROLE_NORMAL, "seen     %s .. %s",
             isotime_or_dash(h->first_seen, a, sizeof a),
             isotime_or_dash(h->last_seen, b, sizeof b));
}

/* For a host whose queries came grouped from Athena: say that the raw
 * log lines are not in the store, and give the query that fetches them. */
static enum dh_status
grouped_source(struct host_load *L, char *err, size_t errlen)
{
    struct host_groups g;
    char a[40], b[40], day1[40], day2[40];
    enum dh_status rc = results_host_groups(L->a->db, L->v->arg, &g, err,
                                            errlen);

    if (rc != DH_OK || !g.groups)
        return rc;
    isotime_or_dash(g.first_ms, a, sizeof a);
    isotime_or_dash(g.last_ms, b, sizeof b);
    isotime_or_dash(g.first_ms - 86400000, day1, sizeof day1);
    isotime_or_dash(g.last_ms + 86400000, day2, sizeof day2);
    view_add(L->v, ROLE_SECTION, "Source: Athena aggregates");
    view_add(L->v, ROLE_NORMAL, "  %s of its queries came grouped from "
             "host_queries.csv (%s groups):", fmt_thousands(
             (double)g.queries), fmt_thousands((double)g.groups));
    view_add(L->v, ROLE_NORMAL, "  their log lines are not in this store. "
             "Athena has them (the tables");
    view_add(L->v, ROLE_NORMAL, "  of `dnshunt athena ddl`):");
    view_add(L->v, ROLE_DIM, "  SELECT * FROM \"dnshunt\".resolver_queries "
             "WHERE srcaddr = '%s'", L->addr);
    view_add(L->v, ROLE_DIM, "    AND day BETWEEN '%.4s/%.2s/%.2s' AND "
             "'%.4s/%.2s/%.2s'", day1, day1 + 5, day1 + 8, day2, day2 + 5,
             day2 + 8);
    view_add(L->v, ROLE_DIM, "    AND from_iso8601_timestamp(query_timestamp)");
    view_add(L->v, ROLE_DIM, "        BETWEEN from_iso8601_timestamp('%s')", a);
    view_add(L->v, ROLE_DIM, "            AND from_iso8601_timestamp('%s')", b);
    view_add(L->v, ROLE_DIM, "  ORDER BY query_timestamp;");
    return DH_OK;
}

static int
load(struct app *a, struct view *v)
{
    struct host_load L = { .a = a, .v = v };
    char err[512];

    marks_load(a);
    enum dh_status rc = results_host(a->db, v->arg, got_host, &L, &L.found,
                                     err, sizeof err);

    if (rc == DH_OK && !L.found) {
        display_status(a, 1, "no scored host is %.60s", v->arg);
        return -1;
    }
    if (rc == DH_OK)
        rc = results_host_hours(a->db, L.h.id, got_hour, &L, err,
                                sizeof err);
    if (rc == DH_OK)
        rc = results_fleet_hours(a->db, got_fleet, &L, err, sizeof err);
    if (rc == DH_OK) {
        summary(&L);
        rc = grouped_source(&L, err, sizeof err);
    }
    if (rc == DH_OK) {
        view_add(v, ROLE_SECTION, "Reasons (strength, code, ATT&CK)");
        rc = results_reasons(a->db, L.h.id, got_reason, &L, err,
                             sizeof err);
    }
    if (rc == DH_OK) {
        baseline(&L);
        strips(&L);
        size_t before;
        view_add(v, ROLE_SECTION, "DNS flows");
        before = v->n_lines;
        rc = results_peers(a->db, L.h.id, got_peer, &L, err, sizeof err);
        if (rc == DH_OK && v->n_lines == before)
            view_add(v, ROLE_DIM, "  none: no flows to port 53 or 853, or "
                     "HTTPS to DoH resolvers, in the flow logs");
    }
    if (rc == DH_OK) {
        view_add(v, ROLE_SECTION, "Domains, most suspicious first       "
                 "            dga tunnel  queries      nx  unique  verdict");
        rc = results_domains(a->db, L.h.id, 0, got_domain, &L, err,
                             sizeof err);
    }
    free(L.addr);
    free(L.instance);
    free(L.severity);
    free(L.role);
    free(L.hours);
    if (rc != DH_OK) {
        display_status(a, 1, "cannot read the host: %s", err);
        return -1;
    }
    return 0;
}

const struct view_ops host_view_ops = {
    .name = "host", .title = "Host", .load = load,
};
