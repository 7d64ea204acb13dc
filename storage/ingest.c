/* SPDX-License-Identifier: MIT
 *
 * Record writers for the import (see ingest.h). Every statement is
 * prepared once in ingest_open(); the look-up-or-insert helpers consult
 * a cache first, then the table, then insert.
 */
#include "storage/ingest.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/flowfields.h"
#include "core/names.h"
#include "core/util.h"
#include "model/dnscodes.h"
#include "model/dnsname.h"
#include "storage/batch.h"
#include "storage/db_internal.h"
#include "storage/intern.h"

#define CACHE_NAMES   (24u << 20)
#define CACHE_SMALL   (4u << 20)

enum stmt_id {
    S_FIND_IMPORT, S_DELETE_FAILED, S_DELETE_IMPORT, S_DELETE_QUERIES,
    S_DELETE_FLOWS, S_DELETE_GROUPS, S_INSERT_GROUP,
    S_INSERT_IMPORT, S_FINISH_IMPORT,
    S_FIND_NAME, S_INSERT_NAME, S_FIND_ORIGIN, S_INSERT_ORIGIN,
    S_FIND_ANSWERS, S_INSERT_ANSWERS, S_FIND_FW, S_INSERT_FW,
    S_FIND_TYPE, S_INSERT_TYPE, S_FIND_RCODE, S_INSERT_RCODE,
    S_FIND_CLASS, S_INSERT_CLASS,
    S_FIND_IFACE, S_INSERT_IFACE, S_INSERT_HEALTH, S_INSERT_REJECT,
    S_COUNT
};

static const char *const stmt_sql[S_COUNT] = {
    [S_FIND_IMPORT] =
        "SELECT id, path FROM imports WHERE sha256 = ? AND status <> 'failed'",
    [S_DELETE_FAILED] =
        "DELETE FROM imports WHERE sha256 = ? AND status = 'failed'",
    [S_DELETE_IMPORT] = "DELETE FROM imports WHERE id = ?",
    [S_DELETE_QUERIES] = "DELETE FROM queries WHERE import_id = ?",
    [S_DELETE_FLOWS] = "DELETE FROM flows WHERE import_id = ?",
    [S_DELETE_GROUPS] = "DELETE FROM query_groups WHERE import_id = ?",
    [S_INSERT_GROUP] =
        "INSERT INTO query_groups(import_id, name_id, origin_id, qtype, "
        "rcode, answer_id, queries, first_ms, last_ms, times) "
        "VALUES(?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
    [S_INSERT_IMPORT] =
        "INSERT INTO imports(path, size, sha256, format, compression, "
        "status, started_at) "
        "VALUES(?, ?, ?, 'unknown', 'none', 'importing', ?)",
    [S_FINISH_IMPORT] =
        "UPDATE imports SET format = ?, compression = ?, status = ?, "
        "message = ?, sha256 = ?, size = ?, rows_kept = ?, "
        "rows_rejected = ?, finished_at = ? WHERE id = ?",
    [S_FIND_NAME] = "SELECT id FROM names WHERE logged = ?",
    [S_INSERT_NAME] =
        "INSERT INTO names(logged, norm, domain, site, subdomain, flags) "
        "VALUES(?, ?, ?, ?, ?, ?)",
    [S_FIND_ORIGIN] =
        "SELECT id FROM origins WHERE srcaddr = ? AND instance IS ? AND "
        "vpc_id IS ? AND account_id IS ? AND region IS ? AND "
        "resolver_endpoint IS ? AND resolver_eni IS ? AND log_version IS ?",
    [S_INSERT_ORIGIN] =
        "INSERT INTO origins(srcaddr, instance, vpc_id, account_id, region, "
        "resolver_endpoint, resolver_eni, log_version) "
        "VALUES(?, ?, ?, ?, ?, ?, ?, ?)",
    [S_FIND_ANSWERS] =
        "SELECT id FROM answer_sets WHERE hash = ? AND answers = ?",
    [S_INSERT_ANSWERS] =
        "INSERT INTO answer_sets(hash, n, bytes, answers) VALUES(?, ?, ?, ?)",
    [S_FIND_FW] =
        "SELECT id FROM firewall_hits WHERE rule_group_id IS ? AND "
        "action IS ? AND domain_list_id IS ?",
    [S_INSERT_FW] =
        "INSERT INTO firewall_hits(rule_group_id, action, domain_list_id) "
        "VALUES(?, ?, ?)",
    [S_FIND_TYPE] = "SELECT code FROM dns_types WHERE name = ?",
    [S_INSERT_TYPE] =
        "INSERT INTO dns_types(code, name) SELECT "
        "max(1000000, coalesce(max(code), 0) + 1), ? FROM dns_types",
    [S_FIND_CLASS] = "SELECT code FROM dns_classes WHERE name = ?",
    [S_INSERT_CLASS] =
        "INSERT INTO dns_classes(code, name) SELECT "
        "max(1000000, coalesce(max(code), 0) + 1), ? FROM dns_classes",
    [S_FIND_RCODE] = "SELECT code FROM dns_rcodes WHERE name = ?",
    [S_INSERT_RCODE] =
        "INSERT INTO dns_rcodes(code, name) SELECT "
        "max(1000000, coalesce(max(code), 0) + 1), ? FROM dns_rcodes",
    [S_FIND_IFACE] =
        "SELECT id FROM flow_interfaces WHERE version IS ? AND "
        "account_id IS ? AND interface_id IS ? AND vpc_id IS ? AND "
        "subnet_id IS ? AND instance_id IS ? AND region IS ? AND "
        "az_id IS ? AND sublocation_type IS ? AND sublocation_id IS ?",
    [S_INSERT_IFACE] =
        "INSERT INTO flow_interfaces(version, account_id, interface_id, "
        "vpc_id, subnet_id, instance_id, region, az_id, sublocation_type, "
        "sublocation_id) VALUES(?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
    [S_INSERT_HEALTH] =
        "INSERT INTO health_records(import_id, line, log_status, interface, "
        "start, end, extra) VALUES(?, ?, ?, ?, ?, ?, ?)",
    [S_INSERT_REJECT] =
        "INSERT INTO rejected_rows(import_id, line, reason, excerpt) "
        "VALUES(?, ?, ?, ?)",
};

struct ingest {
    struct db     *db;
    sqlite3_stmt  *st[S_COUNT];
    struct intern *names;      /* logged name -> names.id */
    struct intern *origins;    /* joined origin fields -> origins.id */
    struct intern *answers;    /* answers JSON -> answer_sets.id */
    struct intern *misc;       /* firewall hits, unknown type names */
    struct intern *ifaces;     /* flow interface fields -> id */
    struct batch   queries;    /* query rows waiting to be written */
    struct batch   flows;      /* flow rows waiting to be written */
    int            row_fields[FF_COUNT]; /* flow fields with a column */
    int            n_row_fields;
    struct name_cache *psl;    /* public-suffix splits of parents */
    int64_t        import_id;  /* file being imported, 0 when none */
    struct buf     key;        /* scratch for cache keys */
    struct buf     norm;       /* scratch for normalised names */
};

#define QUERY_COLS "import_id, ts_ms, name_id, origin_id, qtype, rcode, " \
                   "srcport, transport, answer_id, firewall_id, qclass"
#define QUERY_NCOLS 11

/* Column list of flows: import_id, interface, then the row fields. */
static char *
flow_cols(int *n)
{
    struct buf b = { 0 };

    buf_adds(&b, "import_id, interface");
    *n = 2;
    for (int f = 0; f < FF_COUNT; f++) {
        if (flowfield_where(f) != FW_ROW)
            continue;
        buf_printf(&b, ", %s", flowfield_def(f)->column);
        (*n)++;
    }
    buf_adds(&b, ", extra");
    (*n)++;
    return b.data;
}

enum dh_status
ingest_open(struct db *db, struct ingest **out, char *err, size_t errlen)
{
    struct ingest *in = xcalloc(1, sizeof *in);
    int nflow;
    char *fcols = flow_cols(&nflow);
    enum dh_status rc = DH_OK;

    in->db = db;
    for (int f = 0; f < FF_COUNT; f++)
        if (flowfield_where(f) == FW_ROW)
            in->row_fields[in->n_row_fields++] = f;
    for (int i = 0; i < S_COUNT && rc == DH_OK; i++)
        rc = db_prepare(db, stmt_sql[i], &in->st[i], err, errlen);
    if (rc == DH_OK)
        rc = batch_open(&in->queries, db, "queries", QUERY_COLS,
                        QUERY_NCOLS, err, errlen);
    if (rc == DH_OK)
        rc = batch_open(&in->flows, db, "flows", fcols, nflow, err, errlen);
    free(fcols);
    in->names = intern_new(CACHE_NAMES);
    in->origins = intern_new(CACHE_SMALL);
    in->answers = intern_new(CACHE_SMALL);
    in->misc = intern_new(CACHE_SMALL);
    in->ifaces = intern_new(CACHE_SMALL);
    in->psl = names_cache_new();
    if (rc != DH_OK) {
        ingest_close(in);
        return rc;
    }
    *out = in;
    return DH_OK;
}

void
ingest_close(struct ingest *in)
{
    if (!in)
        return;
    for (int i = 0; i < S_COUNT; i++)
        sqlite3_finalize(in->st[i]);
    intern_free(in->names);
    intern_free(in->origins);
    intern_free(in->answers);
    intern_free(in->misc);
    intern_free(in->ifaces);
    batch_close(&in->queries);
    batch_close(&in->flows);
    names_cache_free(in->psl);
    buf_free(&in->key);
    buf_free(&in->norm);
    free(in);
}

/* --- Statement helpers --- */

static void
bind_text(sqlite3_stmt *st, int i, const char *s)
{
    if (s)
        sqlite3_bind_text(st, i, s, -1, SQLITE_STATIC);
    else
        sqlite3_bind_null(st, i);
}

static void
bind_str(sqlite3_stmt *st, int i, struct str s)
{
    if (s.text)
        sqlite3_bind_text(st, i, s.text, (int)s.len, SQLITE_STATIC);
    else
        sqlite3_bind_null(st, i);
}

/* Step a statement that returns no rows, then reset it. */
static enum dh_status
run(struct ingest *in, sqlite3_stmt *st, char *err, size_t errlen)
{
    int rc = sqlite3_step(st);

    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
    if (rc != SQLITE_DONE)
        return db_fail(in->db, err, errlen);
    return DH_OK;
}

/* Step a statement that returns at most one integer; 0 when no row. */
static enum dh_status
run_id(struct ingest *in, sqlite3_stmt *st, int64_t *id, char *err,
       size_t errlen)
{
    int rc = sqlite3_step(st);

    *id = 0;
    if (rc == SQLITE_ROW)
        *id = sqlite3_column_int64(st, 0);
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        return db_fail(in->db, err, errlen);
    return DH_OK;
}

/* --- Imports --- */

/*
 * Delete an import with its rows. Queries and flows carry no foreign key
 * (a parent look-up per row costs a tenth of the import speed), so their
 * rows go first by hand; the small tables cascade.
 */
static enum dh_status
delete_import(struct ingest *in, int64_t id, char *err, size_t errlen)
{
    static const enum stmt_id order[] = { S_DELETE_QUERIES, S_DELETE_FLOWS,
                                          S_DELETE_GROUPS, S_DELETE_IMPORT };
    enum dh_status rc = DH_OK;

    for (size_t i = 0; i < 4 && rc == DH_OK; i++) {
        sqlite3_bind_int64(in->st[order[i]], 1, id);
        rc = run(in, in->st[order[i]], err, errlen);
    }
    return rc;
}

enum dh_status
ingest_find(struct ingest *in, const char *sha256, int64_t *id, char **path,
            char *err, size_t errlen)
{
    sqlite3_stmt *st = in->st[S_FIND_IMPORT];
    int rc;

    *id = 0;
    if (path)
        *path = NULL;
    bind_text(st, 1, sha256);
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        *id = sqlite3_column_int64(st, 0);
        if (path)
            *path = xstrdup((const char *)sqlite3_column_text(st, 1));
    }
    sqlite3_reset(st);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        return db_fail(in->db, err, errlen);
    return DH_OK;
}

enum dh_status
ingest_begin(struct ingest *in, const struct import_info *info, char *err,
             size_t errlen)
{
    sqlite3_stmt *st;
    char pending[64];
    enum dh_status rc = db_exec(in->db, "BEGIN IMMEDIATE", err, errlen);

    if (rc != DH_OK)
        return rc;
    if (info->replace_id &&
        (rc = delete_import(in, info->replace_id, err, errlen)) != DH_OK)
        goto fail;
    if (info->sha256) {
        bind_text(in->st[S_DELETE_FAILED], 1, info->sha256);
        if ((rc = run(in, in->st[S_DELETE_FAILED], err, errlen)) != DH_OK)
            goto fail;
    }
    /* Another process may have imported the same content meanwhile. */
    if (info->sha256) {
        int64_t other;
        rc = ingest_find(in, info->sha256, &other, NULL, err, errlen);
        if (rc == DH_OK && other && other != info->replace_id)
            rc = DH_DUPLICATE;
        if (rc != DH_OK)
            goto fail;
    }
    /* The hash of standard input is known only at the end. */
    snprintf(pending, sizeof pending, "pending-%lld",
             (long long)now_ms());
    st = in->st[S_INSERT_IMPORT];
    bind_text(st, 1, info->path);
    sqlite3_bind_int64(st, 2, (sqlite3_int64)info->size);
    bind_text(st, 3, info->sha256 ? info->sha256 : pending);
    sqlite3_bind_int64(st, 4, now_ms() / 1000);
    if ((rc = run(in, st, err, errlen)) != DH_OK)
        goto fail;
    in->import_id = sqlite3_last_insert_rowid(in->db->h);
    return DH_OK;
fail:
    ingest_abort(in);
    return rc;
}

enum dh_status
ingest_finish(struct ingest *in, const struct import_outcome *out, char *err,
              size_t errlen)
{
    sqlite3_stmt *st = in->st[S_FINISH_IMPORT];
    int64_t other;
    enum dh_status rc;

    rc = batch_flush(&in->queries, in->db, err, errlen);
    if (rc == DH_OK)
        rc = batch_flush(&in->flows, in->db, err, errlen);
    if (rc == DH_OK)
        rc = ingest_find(in, out->sha256, &other, NULL, err, errlen);
    /* A failed import kept nothing: the same content may try again. */
    if (rc == DH_OK) {
        bind_text(in->st[S_DELETE_FAILED], 1, out->sha256);
        rc = run(in, in->st[S_DELETE_FAILED], err, errlen);
    }
    if (rc == DH_OK && other && other != in->import_id) {
        if (!out->replace_duplicate) {
            ingest_abort(in);
            return DH_DUPLICATE;
        }
        rc = delete_import(in, other, err, errlen);
    }
    bind_text(st, 1, out->format);
    bind_text(st, 2, out->compression);
    bind_text(st, 3, out->status);
    bind_text(st, 4, out->message);
    bind_text(st, 5, out->sha256);
    sqlite3_bind_int64(st, 6, (sqlite3_int64)out->size);
    sqlite3_bind_int64(st, 7, (sqlite3_int64)out->kept);
    sqlite3_bind_int64(st, 8, (sqlite3_int64)out->rejected);
    sqlite3_bind_int64(st, 9, now_ms() / 1000);
    sqlite3_bind_int64(st, 10, in->import_id);
    if (rc == DH_OK)
        rc = run(in, st, err, errlen);
    if (rc == DH_OK)
        rc = db_exec(in->db, "COMMIT", err, errlen);
    if (rc != DH_OK) {
        ingest_abort(in);
        return rc;
    }
    in->import_id = 0;
    return DH_OK;
}

void
ingest_abort(struct ingest *in)
{
    char ignored[128];

    if (sqlite3_get_autocommit(in->db->h) == 0)
        db_exec(in->db, "ROLLBACK", ignored, sizeof ignored);
    /* Ids handed out inside the transaction are gone. */
    intern_clear(in->names);
    intern_clear(in->origins);
    intern_clear(in->answers);
    intern_clear(in->misc);
    intern_clear(in->ifaces);
    batch_drop(&in->queries);
    batch_drop(&in->flows);
    in->import_id = 0;
}

enum dh_status
ingest_reject(struct ingest *in, uint64_t line, const char *reason,
              const char *excerpt, char *err, size_t errlen)
{
    sqlite3_stmt *st = in->st[S_INSERT_REJECT];

    sqlite3_bind_int64(st, 1, in->import_id);
    sqlite3_bind_int64(st, 2, (sqlite3_int64)line);
    bind_text(st, 3, reason);
    bind_text(st, 4, excerpt);
    return run(in, st, err, errlen);
}

/* --- Interned values --- */

static enum dh_status
name_id(struct ingest *in, struct str name, int64_t *id, char *err,
        size_t errlen)
{
    struct name_parts parts;
    size_t nlen;
    unsigned flags;
    enum dh_status rc;
    sqlite3_stmt *st;

    *id = intern_get(in->names, name.text, name.len);
    if (*id)
        return DH_OK;
    st = in->st[S_FIND_NAME];
    sqlite3_bind_blob(st, 1, name.text, (int)name.len, SQLITE_STATIC);
    if ((rc = run_id(in, st, id, err, errlen)) != DH_OK)
        return rc;
    if (!*id) {
        buf_reset(&in->norm);
        buf_reserve(&in->norm, 4 * name.len + 1);
        flags = dnsname_normalise(name.text, name.len, in->norm.data,
                                  in->norm.cap, &nlen);
        names_split(in->psl, in->norm.data, &parts);
        st = in->st[S_INSERT_NAME];
        sqlite3_bind_blob(st, 1, name.text, (int)name.len, SQLITE_STATIC);
        sqlite3_bind_text(st, 2, in->norm.data, (int)nlen, SQLITE_STATIC);
        bind_text(st, 3, parts.domain);
        bind_text(st, 4, parts.site);
        if (parts.sub_len)
            sqlite3_bind_text(st, 5, in->norm.data, (int)parts.sub_len,
                              SQLITE_STATIC);
        sqlite3_bind_int(st, 6, (int)flags);
        if ((rc = run(in, st, err, errlen)) != DH_OK)
            return rc;
        *id = sqlite3_last_insert_rowid(in->db->h);
    }
    intern_put(in->names, name.text, name.len, *id);
    return DH_OK;
}

/*
 * Build a cache key from n optional strings: each one as its length (or
 * all ones for absent) and its bytes, so no value can pose as two.
 */
static void
make_key(struct buf *b, const struct str *v, int n)
{
    size_t total = 0;
    char *p;

    for (int i = 0; i < n; i++)
        total += sizeof(uint32_t) + (v[i].text ? v[i].len : 0);
    buf_reset(b);
    buf_reserve(b, total);              /* one check for the whole key */
    p = b->data;
    for (int i = 0; i < n; i++) {
        uint32_t len = v[i].text ? (uint32_t)v[i].len : UINT32_MAX;
        memcpy(p, &len, sizeof len);
        p += sizeof len;
        if (v[i].text && v[i].len) {
            memcpy(p, v[i].text, v[i].len);
            p += v[i].len;
        }
    }
    b->len = total;
    b->data[total] = '\0';
}

/* Look up or insert a row whose n columns are the strings v. */
static enum dh_status
tuple_id(struct ingest *in, struct intern *cache, int find, int insert,
         const struct str *v, int n, int64_t *id, char *err, size_t errlen)
{
    enum dh_status rc;

    make_key(&in->key, v, n);
    *id = intern_get(cache, in->key.data, in->key.len);
    if (*id)
        return DH_OK;
    for (int i = 0; i < n; i++)
        bind_str(in->st[find], i + 1, v[i]);
    if ((rc = run_id(in, in->st[find], id, err, errlen)) != DH_OK)
        return rc;
    if (!*id) {
        for (int i = 0; i < n; i++)
            bind_str(in->st[insert], i + 1, v[i]);
        if ((rc = run(in, in->st[insert], err, errlen)) != DH_OK)
            return rc;
        *id = sqlite3_last_insert_rowid(in->db->h);
    }
    make_key(&in->key, v, n);
    intern_put(cache, in->key.data, in->key.len, *id);
    return DH_OK;
}

/* A C string as a struct str (NULL stays absent). */
static struct str
cstr(const char *s)
{
    struct str v = { s, s ? strlen(s) : 0 };

    return v;
}

static enum dh_status
answers_id(struct ingest *in, const struct dns_query *q, int64_t *id,
           char *err, size_t errlen)
{
    sqlite3_stmt *st;
    int64_t hash;
    enum dh_status rc;

    *id = 0;
    if (q->n_answers == 0)
        return DH_OK;
    *id = intern_get(in->answers, q->answers.text, q->answers.len);
    if (*id)
        return DH_OK;
    hash = (int64_t)intern_hash(q->answers.text, q->answers.len);
    st = in->st[S_FIND_ANSWERS];
    sqlite3_bind_int64(st, 1, hash);
    bind_str(st, 2, q->answers);
    if ((rc = run_id(in, st, id, err, errlen)) != DH_OK)
        return rc;
    if (!*id) {
        st = in->st[S_INSERT_ANSWERS];
        sqlite3_bind_int64(st, 1, hash);
        sqlite3_bind_int(st, 2, q->n_answers);
        sqlite3_bind_int(st, 3, q->answer_bytes);
        bind_str(st, 4, q->answers);
        if ((rc = run(in, st, err, errlen)) != DH_OK)
            return rc;
        *id = sqlite3_last_insert_rowid(in->db->h);
    }
    intern_put(in->answers, q->answers.text, q->answers.len, *id);
    return DH_OK;
}

/* Code of a type or rcode mnemonic; unknown ones get a code >= 1e6. */
static enum dh_status
code_of(struct ingest *in, const char *name, int known, int find,
        int insert, int64_t *code, char *err, size_t errlen)
{
    struct str v[2] = { cstr(find == S_FIND_TYPE ? "T" :
                             find == S_FIND_RCODE ? "R" : "C"), cstr(name) };
    int64_t id;
    enum dh_status rc;

    if (known >= 0) {
        *code = known;
        return DH_OK;
    }
    make_key(&in->key, v, 2);
    id = intern_get(in->misc, in->key.data, in->key.len);
    if (id) {
        *code = id;
        return DH_OK;
    }
    bind_text(in->st[find], 1, name);
    if ((rc = run_id(in, in->st[find], code, err, errlen)) != DH_OK)
        return rc;
    if (!*code) {
        bind_text(in->st[insert], 1, name);
        if ((rc = run(in, in->st[insert], err, errlen)) != DH_OK)
            return rc;
        bind_text(in->st[find], 1, name);
        if ((rc = run_id(in, in->st[find], code, err, errlen)) != DH_OK)
            return rc;
    }
    make_key(&in->key, v, 2);
    intern_put(in->misc, in->key.data, in->key.len, *code);
    return DH_OK;
}

/* --- Records --- */

/* The ids of a query's name, origin, answers, type, rcode and class. */
struct query_ids {
    int64_t name, org, ans, qtype, rcode, qclass;
};

static enum dh_status
query_ids(struct ingest *in, const struct dns_query *q, struct query_ids *id,
          char *err, size_t errlen)
{
    const struct str origin[8] = {
        cstr(q->srcaddr), cstr(q->instance), cstr(q->vpc_id),
        cstr(q->account_id), cstr(q->region), cstr(q->resolver_endpoint),
        cstr(q->resolver_eni), cstr(q->version),
    };
    enum dh_status rc;

    id->qclass = 0;
    if ((rc = name_id(in, q->name, &id->name, err, errlen)) ||
        (rc = tuple_id(in, in->origins, S_FIND_ORIGIN, S_INSERT_ORIGIN,
                       origin, 8, &id->org, err, errlen)) ||
        (rc = answers_id(in, q, &id->ans, err, errlen)) ||
        (rc = code_of(in, q->qtype, dns_type_code(q->qtype), S_FIND_TYPE,
                      S_INSERT_TYPE, &id->qtype, err, errlen)) ||
        (rc = code_of(in, q->rcode, dns_rcode_code(q->rcode),
                      S_FIND_RCODE, S_INSERT_RCODE, &id->rcode, err,
                      errlen)))
        return rc;
    if (q->qclass)
        rc = code_of(in, q->qclass, dns_class_code(q->qclass), S_FIND_CLASS,
                     S_INSERT_CLASS, &id->qclass, err, errlen);
    return rc;
}

enum dh_status
ingest_query_group(struct ingest *in, const struct dns_query *q,
                   const struct query_group *g, char *err, size_t errlen)
{
    sqlite3_stmt *st = in->st[S_INSERT_GROUP];
    struct query_ids id;
    enum dh_status rc;

    if ((rc = query_ids(in, q, &id, err, errlen)) != DH_OK)
        return rc;
    sqlite3_bind_int64(st, 1, in->import_id);
    sqlite3_bind_int64(st, 2, id.name);
    sqlite3_bind_int64(st, 3, id.org);
    sqlite3_bind_int64(st, 4, id.qtype);
    sqlite3_bind_int64(st, 5, id.rcode);
    if (id.ans)
        sqlite3_bind_int64(st, 6, id.ans);
    else
        sqlite3_bind_null(st, 6);
    sqlite3_bind_int64(st, 7, (sqlite3_int64)g->queries);
    sqlite3_bind_int64(st, 8, g->first_ms);
    sqlite3_bind_int64(st, 9, g->last_ms);
    sqlite3_bind_text(st, 10, g->times.text, (int)g->times.len,
                      SQLITE_TRANSIENT);
    return run(in, st, err, errlen);
}

enum dh_status
ingest_query(struct ingest *in, const struct dns_query *q, char *err,
             size_t errlen)
{
    const struct str fw[3] = { cstr(q->fw_rule_group), cstr(q->fw_action),
                               cstr(q->fw_domain_list) };
    struct query_ids id;
    int64_t fwid = 0, name, org, ans, qtype, rcode, qclass;
    struct batch *b = &in->queries;
    enum dh_status rc;

    if ((rc = query_ids(in, q, &id, err, errlen)) != DH_OK)
        return rc;
    name = id.name;
    org = id.org;
    ans = id.ans;
    qtype = id.qtype;
    rcode = id.rcode;
    qclass = id.qclass;
    if ((q->fw_rule_group || q->fw_action || q->fw_domain_list) &&
        (rc = tuple_id(in, in->misc, S_FIND_FW, S_INSERT_FW, fw, 3, &fwid,
                       err, errlen)))
        return rc;
    batch_int(b, in->import_id);
    batch_int(b, q->ts_ms);
    batch_int(b, name);
    batch_int(b, org);
    batch_int(b, qtype);
    batch_int(b, rcode);
    if (q->srcport >= 0)
        batch_int(b, q->srcport);
    else
        batch_null(b);
    if (q->transport >= 0)
        batch_int(b, q->transport);
    else
        batch_null(b);
    if (ans)
        batch_int(b, ans);
    else
        batch_null(b);
    if (fwid)
        batch_int(b, fwid);
    else
        batch_null(b);
    if (q->qclass)
        batch_int(b, qclass);
    else
        batch_null(b);
    return batch_row(b, in->db, err, errlen);
}

/*
 * JSON object of the fields stored in no column, or NULL: those without
 * a column of their own, and for a health record (with_row) also the
 * traffic fields that only flows have columns for.
 */
static const char *
flow_extra(struct ingest *in, const struct flow_rec *f, int with_row)
{
    buf_reset(&in->key);
    /* Fields below FF_FIRST_EXTRA have columns; extras come after. */
    for (int i = with_row ? 0 : FF_FIRST_EXTRA; i < FF_COUNT; i++) {
        if (!f->val[i].text || i == FF_START || i == FF_END)
            continue;                   /* absent: most are */
        int where = flowfield_where(i);
        if (where != FW_EXTRA && !(with_row && where == FW_ROW))
            continue;
        buf_addc(&in->key, in->key.len ? ',' : '{');
        buf_printf(&in->key, "\"%s\":", flowfield_def(i)->column);
        buf_add_json_string(&in->key, f->val[i].text, f->val[i].len);
    }
    for (int k = 0; k < f->n_unk; k++) {    /* fields added by AWS later */
        buf_addc(&in->key, in->key.len ? ',' : '{');
        buf_add_json_string(&in->key, f->unk_name[k].text,
                            f->unk_name[k].len);
        buf_addc(&in->key, ':');
        buf_add_json_string(&in->key, f->unk_val[k].text, f->unk_val[k].len);
    }
    if (!in->key.len)
        return NULL;
    buf_addc(&in->key, '}');
    return in->key.data;
}

static void
bind_field(sqlite3_stmt *st, int col, const struct flow_rec *f, int i)
{
    if (!f->val[i].text)
        sqlite3_bind_null(st, col);
    else if (flowfield_def(i)->kind == FK_INT)
        sqlite3_bind_int64(st, col, f->num[i]);
    else
        bind_str(st, col, f->val[i]);
}

static void
batch_field(struct batch *b, const struct flow_rec *f, int i)
{
    if (!f->val[i].text)
        batch_null(b);
    else if (flowfield_def(i)->kind == FK_INT)
        batch_int(b, f->num[i]);
    else
        batch_text(b, f->val[i].text, f->val[i].len);
}

/* The flow_interfaces row of a record's per-interface fields. */
static enum dh_status
interface_id(struct ingest *in, const struct flow_rec *f, int64_t *id,
             char *err, size_t errlen)
{
    static const int fields[10] = {
        FF_VERSION, FF_ACCOUNT_ID, FF_INTERFACE_ID, FF_VPC_ID, FF_SUBNET_ID,
        FF_INSTANCE_ID, FF_REGION, FF_AZ_ID, FF_SUBLOCATION_TYPE,
        FF_SUBLOCATION_ID,
    };
    struct str v[10];

    for (int i = 0; i < 10; i++)
        v[i] = f->val[fields[i]];
    return tuple_id(in, in->ifaces, S_FIND_IFACE, S_INSERT_IFACE, v, 10, id,
                    err, errlen);
}

enum dh_status
ingest_flow(struct ingest *in, const struct flow_rec *f, char *err,
            size_t errlen)
{
    struct batch *b = &in->flows;
    const char *extra;
    int64_t iface;
    enum dh_status rc = interface_id(in, f, &iface, err, errlen);

    if (rc != DH_OK)
        return rc;
    batch_int(b, in->import_id);
    batch_int(b, iface);
    for (int i = 0; i < in->n_row_fields; i++)
        batch_field(b, f, in->row_fields[i]);
    extra = flow_extra(in, f, 0);
    batch_text(b, extra, extra ? strlen(extra) : 0);
    return batch_row(b, in->db, err, errlen);
}

enum dh_status
ingest_health(struct ingest *in, uint64_t line, const struct flow_rec *f,
              char *err, size_t errlen)
{
    sqlite3_stmt *st = in->st[S_INSERT_HEALTH];
    int64_t iface;
    enum dh_status rc = interface_id(in, f, &iface, err, errlen);

    if (rc != DH_OK)
        return rc;
    sqlite3_bind_int64(st, 1, in->import_id);
    sqlite3_bind_int64(st, 2, (sqlite3_int64)line);
    bind_str(st, 3, f->val[FF_LOG_STATUS]);
    sqlite3_bind_int64(st, 4, iface);
    bind_field(st, 5, f, FF_START);
    bind_field(st, 6, f, FF_END);
    bind_text(st, 7, flow_extra(in, f, 1));
    return run(in, st, err, errlen);
}
