/* SPDX-License-Identifier: MIT
 *
 * Scoring's reads and writes (see results.h).
 */
#include "storage/results.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/util.h"
#include "storage/db_internal.h"

/* --- Helpers --- */

static const char *
col_text(sqlite3_stmt *st, int i)
{
    return (const char *)sqlite3_column_text(st, i);
}

/* s, or dflt when s is NULL (a NULL column). */
static const char *
or_text(const char *s, const char *dflt)
{
    return s ? s : dflt;
}

/* A REAL column, -1 for NULL. */
static double
col_real(sqlite3_stmt *st, int i)
{
    return sqlite3_column_type(st, i) == SQLITE_NULL
        ? -1.0 : sqlite3_column_double(st, i);
}

static void
bind_text(sqlite3_stmt *st, int i, const char *s)
{
    if (s)
        sqlite3_bind_text(st, i, s, -1, SQLITE_TRANSIENT);
    else
        sqlite3_bind_null(st, i);
}

/* A REAL parameter; negative values are stored as NULL (unknown). */
static void
bind_real(sqlite3_stmt *st, int i, double v)
{
    if (v < 0)
        sqlite3_bind_null(st, i);
    else
        sqlite3_bind_double(st, i, v);
}

/* A time parameter; 0 is stored as NULL (never). */
static void
bind_time(sqlite3_stmt *st, int i, int64_t v)
{
    if (v)
        sqlite3_bind_int64(st, i, v);
    else
        sqlite3_bind_null(st, i);
}

/* Step a prepared row-returning statement, calling each(st) per row. */
static enum dh_status
each_row(struct db *db, sqlite3_stmt *st, int (*each)(sqlite3_stmt *,
         void *), void *arg, char *err, size_t errlen)
{
    int rc;

    while ((rc = sqlite3_step(st)) == SQLITE_ROW)
        if (each(st, arg))
            break;
    return db_scan_end(db, st, rc, err, errlen);
}

static enum dh_status
prepare(struct db *db, const char *sql, sqlite3_stmt **st, char *err,
        size_t errlen)
{
    if (sqlite3_prepare_v2(db->h, sql, -1, st, NULL) != SQLITE_OK)
        return db_fail(db, err, errlen);
    return DH_OK;
}

/* --- Reading the logs --- */

enum dh_status
results_last_import(struct db *db, int64_t *id, char *err, size_t errlen)
{
    sqlite3_stmt *st;

    *id = 0;
    if (prepare(db, "SELECT coalesce(max(id), 0) FROM imports", &st, err,
                errlen))
        return DH_DB;
    if (sqlite3_step(st) == SQLITE_ROW)
        *id = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return DH_OK;
}

enum dh_status
results_max_id(struct db *db, const char *table, int64_t *id, char *err,
               size_t errlen)
{
    static const char *const known[] = { "names", "origins", "answer_sets" };
    char sql[80];
    sqlite3_stmt *st;
    size_t i;

    *id = 0;
    for (i = 0; i < sizeof known / sizeof *known; i++)
        if (strcmp(table, known[i]) == 0)
            break;
    if (i == sizeof known / sizeof *known) {
        snprintf(err, errlen, "no table %s", table);
        return DH_DB;
    }
    snprintf(sql, sizeof sql, "SELECT coalesce(max(id), 0) FROM %s",
             known[i]);
    if (prepare(db, sql, &st, err, errlen))
        return DH_DB;
    if (sqlite3_step(st) == SQLITE_ROW)
        *id = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return DH_OK;
}

/* The ts of the query (or start of the flow) at about share of the
 * table by id, into *v; 0 when the table is empty. */
static int
time_at(struct db *db, const char *sql, double share, int64_t *v)
{
    sqlite3_stmt *st;
    int found = 0;

    if (sqlite3_prepare_v2(db->h, sql, -1, &st, NULL) != SQLITE_OK)
        return 0;
    sqlite3_bind_double(st, 1, share);
    if (sqlite3_step(st) == SQLITE_ROW &&
        sqlite3_column_type(st, 0) != SQLITE_NULL) {
        *v = sqlite3_column_int64(st, 0);
        found = 1;
    }
    sqlite3_finalize(st);
    return found;
}

static int
cmp_i64(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

    return (x > y) - (x < y);
}

enum dh_status
results_time_base(struct db *db, int64_t since_ms, int64_t *base_s,
                  char *err, size_t errlen)
{
    static const char *const sql[] = {
        "SELECT ts_ms / 1000 FROM queries WHERE id >= (SELECT min(id) + "
        "?1 * (max(id) - min(id)) FROM queries) ORDER BY id LIMIT 1",
        "SELECT start FROM flows WHERE start IS NOT NULL AND id >= (SELECT "
        "min(id) + ?1 * (max(id) - min(id)) FROM flows) ORDER BY id LIMIT 1",
        "SELECT first_ms / 1000 FROM query_groups WHERE id >= (SELECT "
        "min(id) + ?1 * (max(id) - min(id)) FROM query_groups) "
        "ORDER BY id LIMIT 1",
    };
    int64_t v[15], first = since_ms / 1000;
    size_t n = 0;

    (void)err;
    (void)errlen;
    /* The median of records spread over the tables by id, five from
     * each, so one record with an absurd time cannot move the base. */
    for (size_t t = 0; since_ms <= 0 && t < 3; t++)
        for (int k = 0; k < 5; k++)
            n += (size_t)time_at(db, sql[t], k / 4.0, &v[n]);
    if (n) {
        qsort(v, n, sizeof *v, cmp_i64);
        first = v[n / 2];
    }
    /* Times are kept as 32-bit seconds after the base: 68 years either
     * side of it. */
    *base_s = first - 2147483647LL;
    return DH_OK;
}

struct cb {
    void *fn, *arg;
};

static int
name_row(sqlite3_stmt *st, void *arg)
{
    struct cb *cb = arg;
    struct sc_name n = {
        .id = sqlite3_column_int64(st, 0),
        .logged = sqlite3_column_blob(st, 1),
        .logged_len = (size_t)sqlite3_column_bytes(st, 1),
        .norm = col_text(st, 2),
        .site = col_text(st, 3),
        .domain = col_text(st, 4),
    };
    n.logged = or_text(n.logged, "");
    n.norm = or_text(n.norm, "");
    return ((int (*)(void *, const struct sc_name *))cb->fn)(cb->arg, &n);
}

enum dh_status
results_scan_names(struct db *db, int (*fn)(void *, const struct sc_name *),
                   void *arg, char *err, size_t errlen)
{
    sqlite3_stmt *st;
    struct cb cb = { (void *)fn, arg };

    if (prepare(db, "SELECT id, logged, norm, site, domain FROM names", &st,
                err, errlen))
        return DH_DB;
    return each_row(db, st, name_row, &cb, err, errlen);
}

static int
origin_row(sqlite3_stmt *st, void *arg)
{
    struct cb *cb = arg;
    struct sc_origin o = { sqlite3_column_int64(st, 0), col_text(st, 1),
                           col_text(st, 2) };
    o.srcaddr = or_text(o.srcaddr, "");
    return ((int (*)(void *, const struct sc_origin *))cb->fn)(cb->arg, &o);
}

enum dh_status
results_scan_origins(struct db *db,
                     int (*fn)(void *, const struct sc_origin *), void *arg,
                     char *err, size_t errlen)
{
    sqlite3_stmt *st;
    struct cb cb = { (void *)fn, arg };

    if (prepare(db, "SELECT id, srcaddr, instance FROM origins", &st, err,
                errlen))
        return DH_DB;
    return each_row(db, st, origin_row, &cb, err, errlen);
}

static int
answer_row(sqlite3_stmt *st, void *arg)
{
    struct cb *cb = arg;
    struct sc_answer a = { sqlite3_column_int64(st, 0),
                           sqlite3_column_int(st, 1),
                           sqlite3_column_int(st, 2), col_text(st, 3) };
    a.answers = or_text(a.answers, "[]");
    return ((int (*)(void *, const struct sc_answer *))cb->fn)(cb->arg, &a);
}

enum dh_status
results_scan_answers(struct db *db,
                     int (*fn)(void *, const struct sc_answer *), void *arg,
                     char *err, size_t errlen)
{
    sqlite3_stmt *st;
    struct cb cb = { (void *)fn, arg };

    if (prepare(db, "SELECT id, n, bytes, answers FROM answer_sets", &st,
                err, errlen))
        return DH_DB;
    return each_row(db, st, answer_row, &cb, err, errlen);
}

/* Call fn for each query of a group's times text (first_ms, then gaps in
 * ms) that lies in [since_ms, until_ms); 1 when fn stopped. */
static int
group_times(const char *t, struct sc_query *q, int64_t since_ms,
            int64_t until_ms, int (*fn)(void *, const struct sc_query *),
            void *arg)
{
    int64_t at = 0;
    int first = 1;
    char *end;

    while (t && *t) {
        long long v = strtoll(t, &end, 10);
        if (end == t)
            break;
        at = first ? v : at + v;
        first = 0;
        t = end;
        if (at >= since_ms && at < until_ms) {
            q->ts_ms = at;
            if (fn(arg, q))
                return 1;
        }
    }
    return 0;
}

/* The queries that came grouped, one by one. */
static enum dh_status
scan_groups(struct db *db, int64_t since_ms, int64_t until_ms,
            int (*fn)(void *, const struct sc_query *), void *arg,
            char *err, size_t errlen)
{
    sqlite3_stmt *st;
    int rc;

    if (prepare(db, "SELECT name_id, origin_id, qtype, rcode, "
                "coalesce(answer_id, 0), times FROM query_groups "
                "WHERE last_ms >= ? AND first_ms < ?", &st, err, errlen))
        return DH_DB;
    sqlite3_bind_int64(st, 1, since_ms);
    sqlite3_bind_int64(st, 2, until_ms);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        struct sc_query q = {
            0, sqlite3_column_int64(st, 0), sqlite3_column_int64(st, 1),
            sqlite3_column_int(st, 2), sqlite3_column_int(st, 3),
            sqlite3_column_int64(st, 4),
        };
        if (group_times((const char *)sqlite3_column_text(st, 5), &q,
                        since_ms, until_ms, fn, arg))
            break;
    }
    return db_scan_end(db, st, rc, err, errlen);
}

enum dh_status
results_scan_queries(struct db *db, int64_t since_ms, int64_t until_ms,
                     int (*fn)(void *, const struct sc_query *), void *arg,
                     char *err, size_t errlen)
{
    sqlite3_stmt *st;
    int rc;

    if (prepare(db, "SELECT ts_ms, name_id, origin_id, qtype, rcode, "
                "coalesce(answer_id, 0) FROM queries "
                "WHERE ts_ms >= ? AND ts_ms < ?", &st, err, errlen))
        return DH_DB;
    sqlite3_bind_int64(st, 1, since_ms);
    sqlite3_bind_int64(st, 2, until_ms);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        struct sc_query q = {
            sqlite3_column_int64(st, 0), sqlite3_column_int64(st, 1),
            sqlite3_column_int64(st, 2), sqlite3_column_int(st, 3),
            sqlite3_column_int(st, 4), sqlite3_column_int64(st, 5),
        };
        if (fn(arg, &q))
            break;
    }
    if (db_scan_end(db, st, rc, err, errlen) != DH_OK)
        return DH_DB;
    return scan_groups(db, since_ms, until_ms, fn, arg, err, errlen);
}

static enum dh_status
doh_table(struct db *db, const char *const *doh, size_t n, char *err,
          size_t errlen)
{
    sqlite3_stmt *st;
    enum dh_status rc = db_exec(db, "CREATE TEMP TABLE IF NOT EXISTS "
                                "doh_addrs(addr TEXT PRIMARY KEY);"
                                "DELETE FROM doh_addrs;", err, errlen);

    if (rc || prepare(db, "INSERT OR IGNORE INTO doh_addrs VALUES(?)", &st,
                      err, errlen))
        return DH_DB;
    for (size_t i = 0; i < n && rc == DH_OK; i++) {
        sqlite3_bind_text(st, 1, doh[i], -1, SQLITE_STATIC);
        if (sqlite3_step(st) != SQLITE_DONE)
            rc = db_fail(db, err, errlen);
        sqlite3_reset(st);
    }
    sqlite3_finalize(st);
    return rc;
}

static int
flow_row(sqlite3_stmt *st, void *arg)
{
    struct cb *cb = arg;
    struct sc_flow f = {
        col_text(st, 0), col_text(st, 1), sqlite3_column_int(st, 2),
        sqlite3_column_int(st, 3), sqlite3_column_int(st, 4),
        sqlite3_column_int64(st, 5), sqlite3_column_int64(st, 6),
        sqlite3_column_int64(st, 7), sqlite3_column_int64(st, 8),
    };
    if (!f.srcaddr || !f.dstaddr)
        return 0;
    return ((int (*)(void *, const struct sc_flow *))cb->fn)(cb->arg, &f);
}

enum dh_status
results_scan_dns_flows(struct db *db, int64_t since_s, int64_t until_s,
                       const char *const *doh, size_t n_doh,
                       int (*fn)(void *, const struct sc_flow *), void *arg,
                       char *err, size_t errlen)
{
    sqlite3_stmt *st;
    struct cb cb = { (void *)fn, arg };

    if (doh_table(db, doh, n_doh, err, errlen))
        return DH_DB;
    if (prepare(db, "SELECT srcaddr, dstaddr, srcport, dstport, protocol, "
                "coalesce(packets, 0), coalesce(bytes, 0), "
                "coalesce(start, 0), coalesce(end, start, 0) FROM flows "
                "WHERE (dstport IN (53, 853) OR srcport IN (53, 853) OR "
                "(dstport = 443 AND dstaddr IN (SELECT addr FROM doh_addrs))"
                " OR (srcport = 443 AND srcaddr IN "
                "(SELECT addr FROM doh_addrs))) "
                "AND start >= ? AND start < ? AND srcaddr != dstaddr "
                "AND (action IS NULL OR action != 'REJECT')", &st, err,
                errlen))
        return DH_DB;
    sqlite3_bind_int64(st, 1, since_s);
    sqlite3_bind_int64(st, 2, until_s);
    return each_row(db, st, flow_row, &cb, err, errlen);
}

/* --- Writing --- */

enum {
    W_DOMAIN, W_HOST, W_REASON, W_HOST_DOMAIN, W_HOUR, W_PEER, W_RUN,
    W_FLEET, W_COUNT
};

static const char *const write_sql[W_COUNT] = {
    [W_DOMAIN] = "INSERT INTO domains(domain, registrable, reason, "
        "dga_score, noise, queries, hosts, nxdomain, unique_subdomains, "
        "mean_sub_len, p95_sub_len, longest_label, sub_entropy, alphabet, "
        "txt, null_q, key_q, private_q, any_q, cname_q, bytes_per_query, "
        "peak_qpm, answer_addrs, tunnel_score, first_seen, last_seen) "
        "VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
    [W_HOST] = "INSERT INTO hosts(addr, instance, role, queries, nxdomain, "
        "txt, bytes_per_query, domains, dga_hits, tunnel_hits, dns_flows, "
        "dns_bytes, doh_flows, bypass_flows, dns_servers, attributed, "
        "first_seen, last_seen, score, severity, alert, alert_first, "
        "alert_last, top_reason) "
        "VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
    [W_REASON] = "INSERT INTO host_reasons(host_id, rank, code, technique, "
        "strength, text, evidence, domain, first_seen, last_seen) "
        "VALUES(?,?,?,?,?,?,?,?,?,?)",
    [W_HOST_DOMAIN] = "INSERT INTO host_domains(host_id, domain_id, "
        "queries, nxdomain, unique_subdomains, tunnel_score, median_gap, "
        "gap_cv, attributed_from, first_seen, last_seen) "
        "VALUES(?,?,?,?,?,?,?,?,?,?,?)",
    [W_HOUR] = "INSERT INTO host_hours(host_id, hour, queries, peak_qpm, "
        "nxdomain, nx_names, searchpath_nx, txt, parents, long_names, dga, "
        "tunnel) VALUES(?,?,?,?,?,?,?,?,?,?,?,?)",
    [W_PEER] = "INSERT INTO dns_peers(host_id, peer, port, protocol, kind, "
        "flows, packets, bytes_out, bytes_in, bpp_mean, bpp_p95, "
        "median_gap, gap_cv, first_seen, last_seen) "
        "VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
    [W_FLEET] = "INSERT INTO fleet_hours(feature, p50, p90, p99) "
        "VALUES(?,?,?,?)",
    [W_RUN] = "INSERT INTO score_runs(started_at, finished_at, since_ms, "
        "until_ms, last_import, config, model, queries, flows, names, "
        "hosts, alerts) VALUES(?,?,?,?,?,?,?,?,?,?,?,?)",
};

struct results {
    struct db    *db;
    sqlite3_stmt *st[W_COUNT];
};

enum dh_status
results_begin(struct db *db, struct results **out, char *err, size_t errlen)
{
    struct results *w = xcalloc(1, sizeof *w);

    w->db = db;
    if (db_exec(db, "BEGIN IMMEDIATE", err, errlen)) {
        free(w);
        return DH_DB;
    }
    if (db_exec(db, "DELETE FROM host_reasons; DELETE FROM host_domains;"
                "DELETE FROM host_hours; DELETE FROM dns_peers;"
                "DELETE FROM fleet_hours;"
                "DELETE FROM hosts; DELETE FROM domains;", err, errlen))
        goto fail;
    for (int i = 0; i < W_COUNT; i++)
        if (prepare(db, write_sql[i], &w->st[i], err, errlen))
            goto fail;
    *out = w;
    return DH_OK;
fail:
    results_abort(w);
    return DH_DB;
}

/* Run the bound statement i of w and reset it. */
static enum dh_status
run(struct results *w, int i, int64_t *id, char *err, size_t errlen)
{
    int rc = sqlite3_step(w->st[i]);

    sqlite3_reset(w->st[i]);
    sqlite3_clear_bindings(w->st[i]);
    if (rc != SQLITE_DONE)
        return db_fail(w->db, err, errlen);
    if (id)
        *id = sqlite3_last_insert_rowid(w->db->h);
    return DH_OK;
}

enum dh_status
results_add_domain(struct results *w, const struct domain_row *d,
                   int64_t *id, char *err, size_t errlen)
{
    sqlite3_stmt *st = w->st[W_DOMAIN];
    int k = 1;

    bind_text(st, k++, d->domain);
    bind_text(st, k++, d->registrable);
    bind_text(st, k++, d->reason);
    bind_real(st, k++, d->dga_score);
    bind_text(st, k++, d->noise);
    sqlite3_bind_int64(st, k++, d->queries);
    sqlite3_bind_int64(st, k++, d->hosts);
    sqlite3_bind_int64(st, k++, d->nxdomain);
    sqlite3_bind_int64(st, k++, d->unique_subdomains);
    bind_real(st, k++, d->mean_sub_len);
    bind_real(st, k++, d->p95_sub_len);
    sqlite3_bind_int64(st, k++, d->longest_label);
    bind_real(st, k++, d->sub_entropy);
    bind_text(st, k++, d->alphabet);
    sqlite3_bind_int64(st, k++, d->txt);
    sqlite3_bind_int64(st, k++, d->null_q);
    sqlite3_bind_int64(st, k++, d->key_q);
    sqlite3_bind_int64(st, k++, d->private_q);
    sqlite3_bind_int64(st, k++, d->any_q);
    sqlite3_bind_int64(st, k++, d->cname_q);
    bind_real(st, k++, d->bytes_per_query);
    sqlite3_bind_int64(st, k++, d->peak_qpm);
    sqlite3_bind_int64(st, k++, d->answer_addrs);
    sqlite3_bind_double(st, k++, d->tunnel_score);
    bind_time(st, k++, d->first_seen);
    bind_time(st, k++, d->last_seen);
    return run(w, W_DOMAIN, id, err, errlen);
}

enum dh_status
results_add_host(struct results *w, const struct host_row *h, int64_t *id,
                 char *err, size_t errlen)
{
    sqlite3_stmt *st = w->st[W_HOST];
    int k = 1;

    bind_text(st, k++, h->addr);
    bind_text(st, k++, h->instance);
    bind_text(st, k++, h->role);
    sqlite3_bind_int64(st, k++, h->queries);
    sqlite3_bind_int64(st, k++, h->nxdomain);
    sqlite3_bind_int64(st, k++, h->txt);
    bind_real(st, k++, h->bytes_per_query);
    sqlite3_bind_int64(st, k++, h->domains);
    sqlite3_bind_int64(st, k++, h->dga_hits);
    sqlite3_bind_int64(st, k++, h->tunnel_hits);
    sqlite3_bind_int64(st, k++, h->dns_flows);
    sqlite3_bind_int64(st, k++, h->dns_bytes);
    sqlite3_bind_int64(st, k++, h->doh_flows);
    sqlite3_bind_int64(st, k++, h->bypass_flows);
    sqlite3_bind_int64(st, k++, h->dns_servers);
    sqlite3_bind_int64(st, k++, h->attributed);
    bind_time(st, k++, h->first_seen);
    bind_time(st, k++, h->last_seen);
    sqlite3_bind_double(st, k++, h->score);
    bind_text(st, k++, h->severity);
    sqlite3_bind_int(st, k++, h->alert);
    bind_time(st, k++, h->alert_first);
    bind_time(st, k++, h->alert_last);
    bind_text(st, k++, h->top_reason);
    return run(w, W_HOST, id, err, errlen);
}

enum dh_status
results_add_reason(struct results *w, int64_t host_id,
                   const struct reason_row *r, char *err, size_t errlen)
{
    sqlite3_stmt *st = w->st[W_REASON];

    sqlite3_bind_int64(st, 1, host_id);
    sqlite3_bind_int(st, 2, r->rank);
    bind_text(st, 3, r->code);
    bind_text(st, 4, r->technique && *r->technique ? r->technique : NULL);
    sqlite3_bind_double(st, 5, r->strength);
    bind_text(st, 6, r->text);
    bind_text(st, 7, r->evidence);
    bind_text(st, 8, r->domain);
    bind_time(st, 9, r->first_seen);
    bind_time(st, 10, r->last_seen);
    return run(w, W_REASON, NULL, err, errlen);
}

enum dh_status
results_add_host_domain(struct results *w, const struct host_domain_row *r,
                        char *err, size_t errlen)
{
    sqlite3_stmt *st = w->st[W_HOST_DOMAIN];

    sqlite3_bind_int64(st, 1, r->host_id);
    sqlite3_bind_int64(st, 2, r->domain_id);
    sqlite3_bind_int64(st, 3, r->queries);
    sqlite3_bind_int64(st, 4, r->nxdomain);
    sqlite3_bind_int64(st, 5, r->unique_subdomains);
    sqlite3_bind_double(st, 6, r->tunnel_score < 0 ? 0 : r->tunnel_score);
    bind_real(st, 7, r->median_gap);
    bind_real(st, 8, r->gap_cv);
    bind_text(st, 9, r->attributed_from);
    bind_time(st, 10, r->first_seen);
    bind_time(st, 11, r->last_seen);
    return run(w, W_HOST_DOMAIN, NULL, err, errlen);
}

enum dh_status
results_add_host_hour(struct results *w, const struct host_hour_row *r,
                      char *err, size_t errlen)
{
    sqlite3_stmt *st = w->st[W_HOUR];
    const int64_t v[] = { r->host_id, r->hour, r->queries, r->peak_qpm,
                          r->nxdomain, r->nx_names, r->searchpath_nx,
                          r->txt, r->parents, r->long_names, r->dga,
                          r->tunnel };

    for (int i = 0; i < (int)(sizeof v / sizeof *v); i++)
        sqlite3_bind_int64(st, i + 1, v[i]);
    return run(w, W_HOUR, NULL, err, errlen);
}

enum dh_status
results_add_peer(struct results *w, const struct peer_row *r, char *err,
                 size_t errlen)
{
    sqlite3_stmt *st = w->st[W_PEER];

    sqlite3_bind_int64(st, 1, r->host_id);
    bind_text(st, 2, r->peer);
    sqlite3_bind_int(st, 3, r->port);
    sqlite3_bind_int(st, 4, r->protocol);
    bind_text(st, 5, r->kind);
    sqlite3_bind_int64(st, 6, r->flows);
    sqlite3_bind_int64(st, 7, r->packets);
    sqlite3_bind_int64(st, 8, r->bytes_out);
    sqlite3_bind_int64(st, 9, r->bytes_in);
    bind_real(st, 10, r->bpp_mean);
    bind_real(st, 11, r->bpp_p95);
    bind_real(st, 12, r->median_gap);
    bind_real(st, 13, r->gap_cv);
    bind_time(st, 14, r->first_seen);
    bind_time(st, 15, r->last_seen);
    return run(w, W_PEER, NULL, err, errlen);
}

enum dh_status
results_add_fleet_hour(struct results *w, const char *feature, double p50,
                       double p90, double p99, char *err, size_t errlen)
{
    sqlite3_stmt *st = w->st[W_FLEET];

    bind_text(st, 1, feature);
    sqlite3_bind_double(st, 2, p50);
    sqlite3_bind_double(st, 3, p90);
    sqlite3_bind_double(st, 4, p99);
    return run(w, W_FLEET, NULL, err, errlen);
}

enum dh_status
results_finish(struct results *w, const struct run_row *r, char *err,
               size_t errlen)
{
    sqlite3_stmt *st = w->st[W_RUN];
    enum dh_status rc;

    sqlite3_bind_int64(st, 1, r->started_at);
    sqlite3_bind_int64(st, 2, r->finished_at);
    bind_time(st, 3, r->since_ms);
    bind_time(st, 4, r->until_ms);
    sqlite3_bind_int64(st, 5, r->last_import);
    bind_text(st, 6, r->config);
    bind_text(st, 7, r->model);
    sqlite3_bind_int64(st, 8, r->queries);
    sqlite3_bind_int64(st, 9, r->flows);
    sqlite3_bind_int64(st, 10, r->names);
    sqlite3_bind_int64(st, 11, r->hosts);
    sqlite3_bind_int64(st, 12, r->alerts);
    rc = run(w, W_RUN, NULL, err, errlen);
    for (int i = 0; i < W_COUNT; i++)
        sqlite3_finalize(w->st[i]);
    if (rc == DH_OK)
        rc = db_exec(w->db, "COMMIT", err, errlen);
    if (rc != DH_OK) {
        char ignored[64];
        db_exec(w->db, "ROLLBACK", ignored, sizeof ignored);
    }
    free(w);
    return rc;
}

void
results_abort(struct results *w)
{
    char ignored[64];

    if (!w)
        return;
    for (int i = 0; i < W_COUNT; i++)
        sqlite3_finalize(w->st[i]);
    db_exec(w->db, "ROLLBACK", ignored, sizeof ignored);
    free(w);
}

/* --- Reading the results --- */

static int
has_results(struct db *db)
{
    sqlite3_stmt *st;
    int n = 0;

    if (sqlite3_prepare_v2(db->h, "SELECT count(*) FROM sqlite_schema "
                           "WHERE name = 'score_runs'", -1, &st,
                           NULL) != SQLITE_OK)
        return 0;
    if (sqlite3_step(st) == SQLITE_ROW)
        n = sqlite3_column_int(st, 0);
    sqlite3_finalize(st);
    return n;
}

enum dh_status
results_last_run(struct db *db, struct run_row *r, char *err, size_t errlen)
{
    static char config[64], model[128];
    sqlite3_stmt *st;

    memset(r, 0, sizeof *r);
    if (!has_results(db))
        return DH_OK;
    if (prepare(db, "SELECT id, started_at, finished_at, "
                "coalesce(since_ms, 0), coalesce(until_ms, 0), last_import, "
                "config, model, queries, flows, names, hosts, alerts "
                "FROM score_runs ORDER BY id DESC LIMIT 1", &st, err,
                errlen))
        return DH_DB;
    if (sqlite3_step(st) == SQLITE_ROW) {
        r->id = sqlite3_column_int64(st, 0);
        r->started_at = sqlite3_column_int64(st, 1);
        r->finished_at = sqlite3_column_int64(st, 2);
        r->since_ms = sqlite3_column_int64(st, 3);
        r->until_ms = sqlite3_column_int64(st, 4);
        r->last_import = sqlite3_column_int64(st, 5);
        snprintf(config, sizeof config, "%s",
                 col_text(st, 6) ? col_text(st, 6) : "");
        snprintf(model, sizeof model, "%s",
                 col_text(st, 7) ? col_text(st, 7) : "");
        r->config = config;
        r->model = model;
        r->queries = sqlite3_column_int64(st, 8);
        r->flows = sqlite3_column_int64(st, 9);
        r->names = sqlite3_column_int64(st, 10);
        r->hosts = sqlite3_column_int64(st, 11);
        r->alerts = sqlite3_column_int64(st, 12);
    }
    sqlite3_finalize(st);
    return DH_OK;
}

#define HOST_COLS "id, addr, instance, role, queries, nxdomain, txt, " \
    "bytes_per_query, domains, dga_hits, tunnel_hits, dns_flows, " \
    "dns_bytes, doh_flows, bypass_flows, dns_servers, attributed, " \
    "coalesce(first_seen, 0), coalesce(last_seen, 0), score, severity, " \
    "alert, coalesce(alert_first, 0), coalesce(alert_last, 0), top_reason"

static int
host_row(sqlite3_stmt *st, void *arg)
{
    struct cb *cb = arg;
    struct host_row h;
    int k = 0;

    h.id = sqlite3_column_int64(st, k++);
    h.addr = col_text(st, k++);
    h.instance = col_text(st, k++);
    h.role = col_text(st, k++);
    h.queries = sqlite3_column_int64(st, k++);
    h.nxdomain = sqlite3_column_int64(st, k++);
    h.txt = sqlite3_column_int64(st, k++);
    h.bytes_per_query = col_real(st, k++);
    h.domains = sqlite3_column_int64(st, k++);
    h.dga_hits = sqlite3_column_int64(st, k++);
    h.tunnel_hits = sqlite3_column_int64(st, k++);
    h.dns_flows = sqlite3_column_int64(st, k++);
    h.dns_bytes = sqlite3_column_int64(st, k++);
    h.doh_flows = sqlite3_column_int64(st, k++);
    h.bypass_flows = sqlite3_column_int64(st, k++);
    h.dns_servers = sqlite3_column_int64(st, k++);
    h.attributed = sqlite3_column_int64(st, k++);
    h.first_seen = sqlite3_column_int64(st, k++);
    h.last_seen = sqlite3_column_int64(st, k++);
    h.score = sqlite3_column_double(st, k++);
    h.severity = col_text(st, k++);
    h.alert = sqlite3_column_int(st, k++);
    h.alert_first = sqlite3_column_int64(st, k++);
    h.alert_last = sqlite3_column_int64(st, k++);
    h.top_reason = col_text(st, k++);
    h.addr = or_text(h.addr, "");
    h.severity = or_text(h.severity, "none");
    return ((int (*)(void *, const struct host_row *))cb->fn)(cb->arg, &h);
}

enum dh_status
results_hosts(struct db *db, long limit, int alerts_only,
              int (*fn)(void *, const struct host_row *), void *arg,
              char *err, size_t errlen)
{
    sqlite3_stmt *st;
    struct cb cb = { (void *)fn, arg };

    if (!has_results(db))
        return DH_OK;
    if (prepare(db, alerts_only
                ? "SELECT " HOST_COLS " FROM hosts WHERE alert "
                  "ORDER BY score DESC, addr LIMIT ?"
                : "SELECT " HOST_COLS " FROM hosts "
                  "ORDER BY score DESC, addr LIMIT ?", &st, err, errlen))
        return DH_DB;
    sqlite3_bind_int64(st, 1, limit > 0 ? limit : -1);
    return each_row(db, st, host_row, &cb, err, errlen);
}

struct found_cb {
    struct cb cb;
    int      *found;
    int     (*row)(sqlite3_stmt *, void *);
};

static int
found_row(sqlite3_stmt *st, void *arg)
{
    struct found_cb *f = arg;

    *f->found = 1;
    return f->row(st, &f->cb);
}

enum dh_status
results_host(struct db *db, const char *addr,
             int (*fn)(void *, const struct host_row *), void *arg,
             int *found, char *err, size_t errlen)
{
    sqlite3_stmt *st;
    struct found_cb f = { { (void *)fn, arg }, found, host_row };

    *found = 0;
    if (!has_results(db))
        return DH_OK;
    if (prepare(db, "SELECT " HOST_COLS " FROM hosts WHERE addr = ?1 OR "
                "(instance = ?1 AND NOT EXISTS (SELECT 1 FROM hosts WHERE "
                "addr = ?1)) ORDER BY score DESC, addr LIMIT 1", &st, err,
                errlen))
        return DH_DB;
    sqlite3_bind_text(st, 1, addr, -1, SQLITE_TRANSIENT);
    return each_row(db, st, found_row, &f, err, errlen);
}

/* Run sql, whose one parameter is a host's row id, row by row. */
static enum dh_status
host_rows(struct db *db, const char *sql, int64_t host_id,
          int (*row)(sqlite3_stmt *, void *), void *fn, void *arg,
          char *err, size_t errlen)
{
    sqlite3_stmt *st;
    struct cb cb = { fn, arg };

    if (prepare(db, sql, &st, err, errlen))
        return DH_DB;
    sqlite3_bind_int64(st, 1, host_id);
    return each_row(db, st, row, &cb, err, errlen);
}

static int
reason_row(sqlite3_stmt *st, void *arg)
{
    struct cb *cb = arg;
    struct reason_row r = {
        sqlite3_column_int(st, 0), col_text(st, 1), col_text(st, 2),
        sqlite3_column_double(st, 3), col_text(st, 4), col_text(st, 5),
        col_text(st, 6), sqlite3_column_int64(st, 7),
        sqlite3_column_int64(st, 8),
    };
    r.technique = or_text(r.technique, "");
    r.code = or_text(r.code, "");
    r.text = or_text(r.text, "");
    r.evidence = or_text(r.evidence, "{}");
    return ((int (*)(void *, const struct reason_row *))cb->fn)(cb->arg, &r);
}

enum dh_status
results_reasons(struct db *db, int64_t host_id,
                int (*fn)(void *, const struct reason_row *), void *arg,
                char *err, size_t errlen)
{
    return host_rows(db, "SELECT rank, code, technique, strength, text, "
                     "evidence, domain, coalesce(first_seen, 0), "
                     "coalesce(last_seen, 0) FROM host_reasons "
                     "WHERE host_id = ? ORDER BY rank", host_id, reason_row,
                     (void *)fn, arg, err, errlen);
}

#define DOMAIN_COLS "d.id, d.domain, d.registrable, d.reason, d.noise, " \
    "d.alphabet, coalesce(d.dga_score, -1), d.queries, d.hosts, " \
    "d.nxdomain, d.unique_subdomains, coalesce(d.mean_sub_len, -1), " \
    "coalesce(d.p95_sub_len, -1), coalesce(d.sub_entropy, -1), " \
    "coalesce(d.longest_label, 0), d.txt, d.null_q, d.key_q, " \
    "d.private_q, d.any_q, d.cname_q, coalesce(d.bytes_per_query, -1), " \
    "d.peak_qpm, d.answer_addrs, d.tunnel_score, " \
    "coalesce(d.first_seen, 0), coalesce(d.last_seen, 0)"

#define HD_COLS "hd.host_id, hd.domain_id, h.addr, d.domain, hd.queries, " \
    "hd.nxdomain, hd.unique_subdomains, hd.tunnel_score, " \
    "coalesce(d.dga_score, -1), coalesce(hd.median_gap, -1), " \
    "coalesce(hd.gap_cv, -1), hd.attributed_from, " \
    "coalesce(hd.first_seen, 0), coalesce(hd.last_seen, 0)"

static void
read_domain(sqlite3_stmt *st, int k, struct domain_row *d)
{
    d->id = sqlite3_column_int64(st, k++);
    d->domain = col_text(st, k++);
    d->registrable = col_text(st, k++);
    d->reason = col_text(st, k++);
    d->noise = col_text(st, k++);
    d->alphabet = col_text(st, k++);
    d->dga_score = sqlite3_column_double(st, k++);
    d->queries = sqlite3_column_int64(st, k++);
    d->hosts = sqlite3_column_int64(st, k++);
    d->nxdomain = sqlite3_column_int64(st, k++);
    d->unique_subdomains = sqlite3_column_int64(st, k++);
    d->mean_sub_len = sqlite3_column_double(st, k++);
    d->p95_sub_len = sqlite3_column_double(st, k++);
    d->sub_entropy = sqlite3_column_double(st, k++);
    d->longest_label = sqlite3_column_int64(st, k++);
    d->txt = sqlite3_column_int64(st, k++);
    d->null_q = sqlite3_column_int64(st, k++);
    d->key_q = sqlite3_column_int64(st, k++);
    d->private_q = sqlite3_column_int64(st, k++);
    d->any_q = sqlite3_column_int64(st, k++);
    d->cname_q = sqlite3_column_int64(st, k++);
    d->bytes_per_query = sqlite3_column_double(st, k++);
    d->peak_qpm = sqlite3_column_int64(st, k++);
    d->answer_addrs = sqlite3_column_int64(st, k++);
    d->tunnel_score = sqlite3_column_double(st, k++);
    d->first_seen = sqlite3_column_int64(st, k++);
    d->last_seen = sqlite3_column_int64(st, k++);
    d->domain = or_text(d->domain, "");
    d->reason = or_text(d->reason, "");
}

static void
read_host_domain(sqlite3_stmt *st, int k, struct host_domain_row *r)
{
    r->host_id = sqlite3_column_int64(st, k++);
    r->domain_id = sqlite3_column_int64(st, k++);
    r->host = col_text(st, k++);
    r->domain = col_text(st, k++);
    r->queries = sqlite3_column_int64(st, k++);
    r->nxdomain = sqlite3_column_int64(st, k++);
    r->unique_subdomains = sqlite3_column_int64(st, k++);
    r->tunnel_score = sqlite3_column_double(st, k++);
    r->dga_score = sqlite3_column_double(st, k++);
    r->median_gap = sqlite3_column_double(st, k++);
    r->gap_cv = sqlite3_column_double(st, k++);
    r->attributed_from = col_text(st, k++);
    r->first_seen = sqlite3_column_int64(st, k++);
    r->last_seen = sqlite3_column_int64(st, k++);
    r->host = or_text(r->host, "");
    r->domain = or_text(r->domain, "");
}

typedef int (*domain_fn)(void *, const struct domain_row *,
                         const struct host_domain_row *);

static int
domain_only_row(sqlite3_stmt *st, void *arg)
{
    struct cb *cb = arg;
    struct domain_row d;

    read_domain(st, 0, &d);
    return ((domain_fn)cb->fn)(cb->arg, &d, NULL);
}

static int
domain_host_row(sqlite3_stmt *st, void *arg)
{
    struct cb *cb = arg;
    struct domain_row d;
    struct host_domain_row hd;

    read_domain(st, 0, &d);
    read_host_domain(st, 27, &hd);
    return ((domain_fn)cb->fn)(cb->arg, &d, &hd);
}

/* The suspicion band of a domain (as in the domains_suspicion index of
 * migration 4, which the query must match to use it). */
#define BAND(tun) "CASE WHEN coalesce(d.noise, '') <> '' THEN 0 " \
    "WHEN max(coalesce(d.dga_score, 0), " tun ") >= 0.8 THEN 2 " \
    "WHEN max(coalesce(d.dga_score, 0), " tun ") >= 0.5 THEN 1 ELSE 0 END"

enum dh_status
results_domains(struct db *db, int64_t host_id, long limit, domain_fn fn,
                void *arg, char *err, size_t errlen)
{
    sqlite3_stmt *st;
    struct cb cb = { (void *)fn, arg };

    if (!has_results(db))
        return DH_OK;
    if (host_id > 0) {
        if (prepare(db, "SELECT " DOMAIN_COLS ", " HD_COLS " FROM "
                    "host_domains hd JOIN hosts h ON h.id = hd.host_id "
                    "JOIN domains d ON d.id = hd.domain_id "
                    "WHERE hd.host_id = ? "
                    "ORDER BY " BAND("hd.tunnel_score") " DESC, "
                    "hd.queries DESC, max(coalesce(d.dga_score, 0), "
                    "hd.tunnel_score) DESC, d.domain LIMIT ?", &st, err,
                    errlen))
            return DH_DB;
        sqlite3_bind_int64(st, 1, host_id);
        sqlite3_bind_int64(st, 2, limit > 0 ? limit : -1);
        return each_row(db, st, domain_host_row, &cb, err, errlen);
    }
    if (prepare(db, "SELECT " DOMAIN_COLS " FROM domains d ORDER BY "
                BAND("d.tunnel_score") " DESC, d.queries DESC, "
                "max(coalesce(d.dga_score, 0), d.tunnel_score) DESC, "
                "d.domain LIMIT ?", &st, err, errlen))
        return DH_DB;
    sqlite3_bind_int64(st, 1, limit > 0 ? limit : -1);
    return each_row(db, st, domain_only_row, &cb, err, errlen);
}

enum dh_status
results_review(struct db *db, double threshold, int burst, long limit,
               domain_fn fn, void *arg, char *err, size_t errlen)
{
    sqlite3_stmt *st;
    struct cb cb = { (void *)fn, arg };

    if (!has_results(db))
        return DH_OK;
    if (prepare(db, "SELECT " DOMAIN_COLS " FROM domains d "
                "WHERE d.reason = 'scored' AND d.dga_score IS NOT NULL "
                "AND d.nxdomain > 0 AND coalesce(d.noise, '') = '' "
                "AND NOT EXISTS (SELECT 1 FROM verdicts v WHERE "
                "v.subject = 'domain' AND v.value = d.domain) "
                "AND EXISTS (SELECT 1 FROM host_domains hd WHERE "
                "hd.domain_id = d.id AND hd.nxdomain > 0 AND hd.host_id IN "
                "(SELECT host_id FROM host_hours WHERE nx_names >= ?2)) "
                "ORDER BY abs(d.dga_score - ?1), d.queries DESC, d.domain "
                "LIMIT ?3", &st, err, errlen))
        return DH_DB;
    sqlite3_bind_double(st, 1, threshold);
    sqlite3_bind_int(st, 2, burst);
    sqlite3_bind_int64(st, 3, limit > 0 ? limit : -1);
    return each_row(db, st, domain_only_row, &cb, err, errlen);
}

enum dh_status
results_domain(struct db *db, const char *name, domain_fn fn, void *arg,
               int *found, char *err, size_t errlen)
{
    sqlite3_stmt *st;
    struct found_cb f = { { (void *)fn, arg }, found, domain_only_row };

    *found = 0;
    if (!has_results(db))
        return DH_OK;
    if (prepare(db, "SELECT " DOMAIN_COLS " FROM domains d WHERE "
                "d.domain = ? ORDER BY d.queries DESC LIMIT 1", &st, err,
                errlen))
        return DH_DB;
    sqlite3_bind_text(st, 1, name, -1, SQLITE_TRANSIENT);
    return each_row(db, st, found_row, &f, err, errlen);
}

static int
hd_row(sqlite3_stmt *st, void *arg)
{
    struct cb *cb = arg;
    struct host_domain_row r;

    read_host_domain(st, 0, &r);
    return ((int (*)(void *, const struct host_domain_row *))cb->fn)(
        cb->arg, &r);
}

enum dh_status
results_domain_hosts(struct db *db, int64_t domain_id,
                     int (*fn)(void *, const struct host_domain_row *),
                     void *arg, char *err, size_t errlen)
{
    sqlite3_stmt *st;
    struct cb cb = { (void *)fn, arg };

    if (prepare(db, "SELECT " HD_COLS " FROM host_domains hd "
                "JOIN hosts h ON h.id = hd.host_id "
                "JOIN domains d ON d.id = hd.domain_id "
                "WHERE hd.domain_id = ? ORDER BY hd.queries DESC, h.addr",
                &st, err, errlen))
        return DH_DB;
    sqlite3_bind_int64(st, 1, domain_id);
    return each_row(db, st, hd_row, &cb, err, errlen);
}

enum dh_status
results_host_groups(struct db *db, const char *addr, struct host_groups *g,
                    char *err, size_t errlen)
{
    sqlite3_stmt *st;
    int rc;

    memset(g, 0, sizeof *g);
    if (prepare(db, "SELECT count(*), coalesce(sum(g.queries), 0), "
                "coalesce(min(g.first_ms), 0), coalesce(max(g.last_ms), 0) "
                "FROM query_groups g JOIN origins o ON o.id = g.origin_id "
                "WHERE o.srcaddr = ?", &st, err, errlen))
        return DH_DB;
    sqlite3_bind_text(st, 1, addr, -1, SQLITE_TRANSIENT);
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        g->groups = sqlite3_column_int64(st, 0);
        g->queries = sqlite3_column_int64(st, 1);
        g->first_ms = sqlite3_column_int64(st, 2);
        g->last_ms = sqlite3_column_int64(st, 3);
    }
    sqlite3_finalize(st);
    if (rc != SQLITE_ROW)
        return db_fail(db, err, errlen);
    return DH_OK;
}

enum dh_status
results_sample_names(struct db *db, const char *site, const char *reg,
                     int n, int (*fn)(void *, const char *, size_t),
                     void *arg, char *err, size_t errlen)
{
    sqlite3_stmt *st;
    int rc;

    /* The longest of the first 5,000: a tunnel's domain has millions. */
    if (prepare(db, "SELECT logged FROM (SELECT logged, id FROM names "
                "WHERE domain = ? AND site = ? LIMIT 5000) "
                "ORDER BY length(logged) DESC, id LIMIT ?", &st, err,
                errlen))
        return DH_DB;
    sqlite3_bind_text(st, 1, reg, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 2, site, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int(st, 3, n);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        const char *v = sqlite3_column_blob(st, 0);
        if (fn(arg, v ? v : "", (size_t)sqlite3_column_bytes(st, 0)))
            break;
    }
    sqlite3_finalize(st);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        return db_fail(db, err, errlen);
    return DH_OK;
}

static int
hour_row(sqlite3_stmt *st, void *arg)
{
    struct cb *cb = arg;
    struct host_hour_row r = {
        sqlite3_column_int64(st, 0), sqlite3_column_int64(st, 1),
        sqlite3_column_int64(st, 2), sqlite3_column_int64(st, 3),
        sqlite3_column_int64(st, 4), sqlite3_column_int64(st, 5),
        sqlite3_column_int64(st, 6), sqlite3_column_int64(st, 7),
        sqlite3_column_int64(st, 8), sqlite3_column_int64(st, 9),
        sqlite3_column_int64(st, 10), sqlite3_column_int64(st, 11),
    };
    return ((int (*)(void *, const struct host_hour_row *))cb->fn)(cb->arg,
                                                                   &r);
}

enum dh_status
results_host_hours(struct db *db, int64_t host_id,
                   int (*fn)(void *, const struct host_hour_row *),
                   void *arg, char *err, size_t errlen)
{
    return host_rows(db, "SELECT host_id, hour, queries, peak_qpm, "
                     "nxdomain, nx_names, searchpath_nx, txt, parents, "
                     "long_names, dga, tunnel FROM host_hours "
                     "WHERE host_id = ? ORDER BY hour", host_id, hour_row,
                     (void *)fn, arg, err, errlen);
}

static int
fleet_row(sqlite3_stmt *st, void *arg)
{
    struct cb *cb = arg;

    return ((int (*)(void *, const char *, double, double, double))cb->fn)(
        cb->arg, or_text(col_text(st, 0), ""), sqlite3_column_double(st, 1),
        sqlite3_column_double(st, 2), sqlite3_column_double(st, 3));
}

enum dh_status
results_fleet_hours(struct db *db,
                    int (*fn)(void *, const char *, double, double, double),
                    void *arg, char *err, size_t errlen)
{
    sqlite3_stmt *st;
    struct cb cb = { (void *)fn, arg };

    if (prepare(db, "SELECT feature, p50, p90, p99 FROM fleet_hours",
                &st, err, errlen))
        return DH_DB;
    return each_row(db, st, fleet_row, &cb, err, errlen);
}

static int
peer_row_cb(sqlite3_stmt *st, void *arg)
{
    struct cb *cb = arg;
    struct peer_row r = {
        .host_id = sqlite3_column_int64(st, 0), .peer = col_text(st, 1),
        .kind = col_text(st, 2), .port = sqlite3_column_int(st, 3),
        .protocol = sqlite3_column_int(st, 4),
        .flows = sqlite3_column_int64(st, 5),
        .packets = sqlite3_column_int64(st, 6),
        .bytes_out = sqlite3_column_int64(st, 7),
        .bytes_in = sqlite3_column_int64(st, 8),
        .bpp_mean = col_real(st, 9), .bpp_p95 = col_real(st, 10),
        .median_gap = col_real(st, 11), .gap_cv = col_real(st, 12),
        .first_seen = sqlite3_column_int64(st, 13),
        .last_seen = sqlite3_column_int64(st, 14),
    };
    r.peer = or_text(r.peer, "");
    r.kind = or_text(r.kind, "");
    return ((int (*)(void *, const struct peer_row *))cb->fn)(cb->arg, &r);
}

enum dh_status
results_peers(struct db *db, int64_t host_id,
              int (*fn)(void *, const struct peer_row *), void *arg,
              char *err, size_t errlen)
{
    return host_rows(db, "SELECT host_id, peer, kind, port, protocol, "
                     "flows, packets, bytes_out, bytes_in, bpp_mean, "
                     "bpp_p95, median_gap, gap_cv, coalesce(first_seen, 0), "
                     "coalesce(last_seen, 0) FROM dns_peers "
                     "WHERE host_id = ? ORDER BY flows DESC, peer", host_id,
                     peer_row_cb, (void *)fn, arg, err, errlen);
}

/* What an analyst's query may do: read, call functions, recurse. */
static int
select_only(void *arg, int action, const char *a, const char *b,
            const char *c, const char *d)
{
    (void)arg;
    (void)a;
    (void)b;
    (void)c;
    (void)d;
    return action == SQLITE_SELECT || action == SQLITE_READ ||
           action == SQLITE_FUNCTION || action == SQLITE_RECURSIVE
           ? SQLITE_OK : SQLITE_DENY;
}

enum dh_status
results_select(struct db *db, const char *sql, long limit,
               int (*fn)(void *, int, const char *const *,
                         const char *const *),
               void *arg, int (*stop)(void *), void *stop_arg, char *err,
               size_t errlen)
{
    sqlite3_stmt *st = NULL;
    const char *tail = NULL, *names[64], *vals[64];
    int rc, n;

    sqlite3_set_authorizer(db->h, select_only, NULL);
    rc = sqlite3_prepare_v2(db->h, sql, -1, &st, &tail);
    sqlite3_set_authorizer(db->h, NULL, NULL);
    if (rc != SQLITE_OK) {
        snprintf(err, errlen, "%s (only one read-only SELECT may run here)",
                 sqlite3_errmsg(db->h));
        sqlite3_finalize(st);
        return DH_USAGE;
    }
    while (tail && (*tail == ' ' || *tail == ';' || *tail == '\n' ||
                    *tail == '\t'))
        tail++;
    if (!st || !sqlite3_stmt_readonly(st) || (tail && *tail)) {
        sqlite3_finalize(st);
        snprintf(err, errlen, "only one read-only statement (SELECT) may "
                 "run here");
        return DH_USAGE;
    }
    n = sqlite3_column_count(st);
    if (n > 64)
        n = 64;
    for (int i = 0; i < n; i++)
        names[i] = or_text(sqlite3_column_name(st, i), "?");
    if (stop)
        sqlite3_progress_handler(db->h, 100000, stop, stop_arg);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW && limit-- != 0) {
        for (int i = 0; i < n; i++)
            vals[i] = col_text(st, i);
        if (fn(arg, n, names, vals))
            break;
    }
    sqlite3_progress_handler(db->h, 0, NULL, NULL);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
        if (rc == SQLITE_INTERRUPT)
            snprintf(err, errlen, "cancelled");
        else
            db_fail(db, err, errlen);
        sqlite3_finalize(st);
        return DH_DB;
    }
    sqlite3_finalize(st);
    return DH_OK;
}

enum dh_status
results_complete(struct db *db, int kind, const char *prefix,
                 int (*fn)(void *, const char *), void *arg, char *err,
                 size_t errlen)
{
    sqlite3_stmt *st;
    int rc;

    if (!has_results(db))
        return DH_OK;
    if (prepare(db, kind == 'h'
                ? "SELECT addr FROM hosts WHERE substr(addr, 1, ?2) = ?1 "
                  "UNION SELECT instance FROM hosts WHERE instance <> '' "
                  "AND substr(instance, 1, ?2) = ?1 ORDER BY 1 LIMIT 200"
                : "SELECT domain FROM domains WHERE substr(domain, 1, ?2) = "
                  "?1 ORDER BY domain LIMIT 200", &st, err, errlen))
        return DH_DB;
    sqlite3_bind_text(st, 1, prefix, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int(st, 2, (int)strlen(prefix));
    while ((rc = sqlite3_step(st)) == SQLITE_ROW)
        if (fn(arg, or_text(col_text(st, 0), "")))
            break;
    sqlite3_finalize(st);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        return db_fail(db, err, errlen);
    return DH_OK;
}

enum dh_status
results_domain_techniques(struct db *db, const char *name,
                          int (*fn)(void *, const char *, double), void *arg,
                          char *err, size_t errlen)
{
    sqlite3_stmt *st;
    int rc;

    if (!has_results(db))
        return DH_OK;
    if (prepare(db, "SELECT r.technique, max(r.strength) FROM host_reasons r "
                "WHERE r.domain = ? AND r.technique IS NOT NULL AND "
                "r.strength > 0 GROUP BY r.technique ORDER BY 2 DESC, 1",
                &st, err, errlen))
        return DH_DB;
    sqlite3_bind_text(st, 1, name, -1, SQLITE_TRANSIENT);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW)
        if (fn(arg, or_text(col_text(st, 0), ""),
               sqlite3_column_double(st, 1)))
            break;
    sqlite3_finalize(st);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        return db_fail(db, err, errlen);
    return DH_OK;
}
