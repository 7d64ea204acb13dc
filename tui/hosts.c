/* SPDX-License-Identifier: MIT
 *
 * The hosts view: every scored host, highest score first, with a score
 * bar, its address and instance, queries, NXDOMAIN and TXT shares,
 * bytes per query, DGA and tunnel domains and the strongest reason.
 * The alerts view is the same for alerting hosts only.
 */
#include <stdio.h>
#include <string.h>

#include "core/util.h"
#include "storage/results.h"
#include "tui/app.h"

static const char *const sorts[] = {
    "score", "queries", "nxdomain", "txt", "bytes/query", "dga", NULL,
};

static int
severity_role(const char *sev)
{
    return strcmp(sev, "critical") == 0 ? ROLE_CRITICAL
         : strcmp(sev, "high") == 0 ? ROLE_HIGH
         : strcmp(sev, "medium") == 0 ? ROLE_MEDIUM
         : strcmp(sev, "low") == 0 ? ROLE_LOW : ROLE_NORMAL;
}

static double
pct(int64_t part, int64_t all)
{
    return all > 0 ? 100.0 * (double)part / (double)all : 0.0;
}

struct hosts_load {
    struct app  *a;
    struct view *v;
};

/* The verdict, or the allow-list tag, of a host: "tp", "allowed". */
static const char *
decision(const struct app *a, const char *addr)
{
    const char *m = marks_verdict(a, 1, addr);

    return *m ? m : *marks_host_tag(a, addr) ? "allowed" : "-";
}

static int
host_line(void *arg, const struct host_row *h)
{
    struct hosts_load *L = arg;
    struct view *v = L->v;
    char addr[64], inst[64], reason[300], bar[11];
    int filled = (int)(h->score * 10 + 0.5);
    struct line *l;

    for (int i = 0; i < 10; i++)
        bar[i] = i < filled ? '#' : '.';
    bar[10] = '\0';
    escape_bytes(addr, sizeof addr, h->addr, strlen(h->addr));
    escape_bytes(inst, sizeof inst, h->instance ? h->instance : "-",
                 h->instance ? strlen(h->instance) : 1);
    escape_bytes(reason, sizeof reason, h->top_reason ? h->top_reason : "",
                 h->top_reason ? strlen(h->top_reason) : 0);
    l = view_add(v, severity_role(h->severity), "%s %.3f %-8.8s %-15s "
                 "%-19.19s %9s %4.0f%% %4.0f%% %5.0f %4lld %4lld %-7.7s  %s",
                 bar, h->score, h->severity, addr, inst,
                 fmt_thousands((double)h->queries),
                 pct(h->nxdomain, h->queries), pct(h->txt, h->queries),
                 h->bytes_per_query > 0 ? h->bytes_per_query : 0,
                 (long long)h->dga_hits, (long long)h->tunnel_hits,
                 decision(L->a, h->addr), reason);
    l->target = TG_HOST;
    l->arg = xstrdup(h->addr);
    if (*reason)
        l->detail = sanitize_ascii(xstrdup(reason));
    l->key[0] = h->score;
    l->key[1] = (double)h->queries;
    l->key[2] = pct(h->nxdomain, h->queries);
    l->key[3] = pct(h->txt, h->queries);
    l->key[4] = h->bytes_per_query;
    l->key[5] = (double)h->dga_hits;
    return 0;
}

static int
load(struct app *a, struct view *v, int alerts_only)
{
    char err[512];
    struct hosts_load L = { a, v };

    marks_load(a);
    v->header = xstrdup("score bar  score severity host            instance"
                        "              queries  nx%  txt%   B/q  dga  tun"
                        " verdict  reason");
    if (results_hosts(a->db, 0, alerts_only, host_line, &L, err,
                      sizeof err) != DH_OK) {
        display_status(a, 1, "cannot read the hosts: %s", err);
        return -1;
    }
    if (!v->n_lines)
        view_add(v, ROLE_DIM, alerts_only ? "no alerts"
                 : "no hosts: `dnshunt import` logs, then press r to score");
    return 0;
}

static int
load_hosts(struct app *a, struct view *v)
{
    return load(a, v, 0);
}

static int
load_alerts(struct app *a, struct view *v)
{
    return load(a, v, 1);
}

const struct view_ops hosts_view_ops = {
    .name = "hosts", .title = "Hosts", .load = load_hosts, .sorts = sorts,
};

const struct view_ops alerts_view_ops = {
    .name = "alerts", .title = "Alerts", .load = load_alerts, .sorts = sorts,
};
