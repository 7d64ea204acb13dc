/* SPDX-License-Identifier: MIT
 *
 * The import driver (see import.h): finds the files, sniffs each one's
 * format from the first line that shows one, feeds lines to the Route 53
 * or flow parser on a reading thread, and writes the records through
 * storage/ingest on this one (see "Two threads").
 *
 * JSON framing: one object per line is the normal case; several objects
 * back to back on one line, a top-level array of objects, and the
 * pretty-printed form (an object whose "{" stands alone on its line, up
 * to the line limit) are accepted too. A broken pretty-printed object is
 * rejected at its first line and the lines after it are read again one
 * by one, so a record that follows is not lost.
 */
#include "core/import.h"

#include <dirent.h>
#include <errno.h>
#include <jansson.h>
#include <stddef.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "core/import_csv.h"
#include "core/import_dns.h"
#include "core/flowfields.h"
#include "core/import_flow.h"
#include "core/parquet.h"
#include "core/isotime.h"
#include "core/reader.h"
#include "core/util.h"
#include "storage/ingest.h"

#define MAX_REPORTS   10        /* rejected rows printed per file */
#define PROGRESS_ROWS 65536     /* rows between progress calls */

#define SNIFF_LINES   100       /* lines read before giving up on format */
#define SNIFF_BYTES   (4u << 20) /* and bytes held while reading them */

enum mode { MODE_UNKNOWN, MODE_JSON, MODE_FLOW, MODE_GROUPS, MODE_CSV_FLOW,
            MODE_FAILED };

/* A line held while the format is not known yet. */
struct held {
    uint64_t no;
    size_t   off;        /* in held_text */
    size_t   len;
    int      too_long;
};

/* Incremental bracket matcher for pretty-printed JSON. */
struct scan {
    int depth;
    int in_string;
    int escape;
};

struct chunk;
struct pipe;

struct file_ctx {
    const struct import_opts *opts;
    struct ingest     *in;
    const char        *path;
    char               shown[512];  /* path escaped for messages */
    enum mode          mode;
    const char        *format;      /* for the imports table */
    uint64_t           kept;
    uint64_t           rejected;
    struct flow_parser fp;
    struct dns_scratch scratch;
    struct csv_scratch csv;         /* Athena's CSV files */
    struct pq_file    *pq;          /* a Parquet file, or NULL */
    const char        *compression; /* when not the reader's */
    char               damage[400]; /* why rows were left out, or "" */
    int                csv_open;    /* inside a quoted CSV value that goes
                                     * on to the next line */
    struct buf         csv_line;    /* a CSV flow row as a flow log line */
    struct buf         csv_header;  /* the CSV flow file's header */
    struct r53_fields  fields;      /* of the record being read */
    struct buf         acc;         /* pretty-printed value so far */
    uint64_t           acc_line;    /* its first line, 0 when none */
    int                refeeding;   /* depth of acc_fail() re-reads */
    int                acc_level;   /* refeeding when acc started */
    struct scan        sc;
    enum dh_status     fatal;       /* store error: stop the run */
    char               fatal_msg[256];
    char               format_msg[256]; /* why the format is unknown */
    uint64_t           bytes_before;/* raw bytes of earlier files */
    struct held        held[SNIFF_LINES]; /* lines before the format */
    size_t             n_held;
    struct buf         held_text;
    struct reader     *rd;
    uint64_t           raw_seen;    /* raw bytes read, when piped */
    uint64_t           ready;       /* a Parquet file's bytes hashed and
                                     * so free to read (atomic), */
    uint64_t           ready_cap;   /* at most these before the import
                                     * begins */
    int                piped;       /* a reader thread owns rd */
    struct chunk      *chunk;       /* reader thread: items go here */
    struct pipe       *pipe;        /* reader thread: its pipe */
    /* While piped, the reader thread owns mode, format, fp, scratch, acc
     * and held; the writer owns kept, rejected, fatal and the store. */
    struct import_totals *totals;
};

/* Parked items and their chunks (see "Two threads" below). */

#define PIPE_ITEMS 2048
#define PIPE_BYTES (4u << 20)   /* hand a chunk over past this much text */

enum item_kind { IT_QUERY, IT_GROUP, IT_FLOW, IT_HEALTH, IT_REJECT };

/* The C strings of a dns_query, moved into the arena and back. */
static const size_t dq_strings[] = {
    offsetof(struct dns_query, qtype), offsetof(struct dns_query, qclass),
    offsetof(struct dns_query, rcode), offsetof(struct dns_query, srcaddr),
    offsetof(struct dns_query, version),
    offsetof(struct dns_query, account_id),
    offsetof(struct dns_query, region), offsetof(struct dns_query, vpc_id),
    offsetof(struct dns_query, instance),
    offsetof(struct dns_query, resolver_endpoint),
    offsetof(struct dns_query, resolver_eni),
    offsetof(struct dns_query, fw_rule_group),
    offsetof(struct dns_query, fw_action),
    offsetof(struct dns_query, fw_domain_list),
};
#define DQ_STRINGS (sizeof dq_strings / sizeof dq_strings[0])
#define NO_TEXT UINT32_MAX
_Static_assert(FF_COUNT <= UINT8_MAX, "a flow item counts fields in a byte");

/* One parked record or reject; texts are offsets into the arena. */
struct item {
    enum item_kind kind;
    uint64_t       line;
    size_t         a, b, c;      /* QUERY and GROUP: name, answers, (GROUP)
                                    times; FLOW: the text its fields are
                                    in; REJECT: reason, excerpt */
    union {
        struct {
            struct dns_query   q;
            struct query_group g;
            uint32_t           off[DQ_STRINGS];
        } dns;
        /* Only the fields a record has, so that the writer reads a
         * few hundred bytes of a flow, not every field there could be. */
        struct {
            uint8_t  n, n_unk;              /* fields, unknown fields */
            uint8_t  field[FF_COUNT];       /* which, in line order */
            uint32_t off[FF_COUNT];         /* text in the arena, or
                                             * NO_TEXT for none needed */
            uint32_t len[FF_COUNT];
            int64_t  num[FF_COUNT];         /* value of a number */
            uint32_t unk[8][4];             /* name, its length, value,
                                             * its length */
        } flow;
    } u;
};

struct chunk {
    struct item items[PIPE_ITEMS];
    size_t      n;
    struct buf  arena;
    uint64_t    raw_bytes;       /* read from the file so far */
    int         last;            /* nothing follows this chunk */
};

/* Chunks a pipe may have: one the reader fills, one the writer
 * empties, the rest waiting for the writer. */
#define PIPE_MAX 8

struct pipe {
    pthread_mutex_t  mu;
    pthread_cond_t   cv;
    struct chunk    *all[PIPE_MAX];
    int              chunks;     /* in all[] */
    struct chunk    *full[PIPE_MAX];     /* waiting for the writer, */
    int              first, n_full;      /* in order from full[first] */
    struct chunk    *empty[PIPE_MAX];    /* waiting for the reader */
    int              n_empty;
    int              stop;       /* the writer gave up: reader, stop */
    struct file_ctx *c;
    pthread_t        tid;        /* the reader */
    uint64_t         lines;      /* last line number read */
};

/* --- Reporting --- */

/*
 * 1 when reading should stop: the store failed, or the file is skipped.
 * The reader thread may not look at the writer's c->fatal; the writer
 * stops it through the pipe, whose stop flag it sees at once, and whose
 * next hand-over sets the reader's mode to MODE_FAILED.
 */
static int
stopped(const struct file_ctx *c)
{
    if (!c->piped)
        return c->fatal != DH_OK;
    return c->mode == MODE_FAILED ||
           __atomic_load_n(&c->pipe->stop, __ATOMIC_RELAXED);
}

static void park_reject(struct file_ctx *c, uint64_t line,
                        const char *reason, const char *excerpt);

/* Count, print (the first few) and store one rejected row. */
static void
store_reject(struct file_ctx *c, uint64_t line, const char *reason,
             const char *excerpt)
{
    c->rejected++;
    if (!c->opts->quiet && c->rejected <= MAX_REPORTS)
        fprintf(stderr, "%s:%llu: %s\n", c->shown, (unsigned long long)line,
                reason);
    if (c->fatal == DH_OK &&
        ingest_reject(c->in, line, reason, excerpt, c->fatal_msg,
                      sizeof c->fatal_msg) != DH_OK)
        c->fatal = DH_DB;
}

static void
reject(struct file_ctx *c, uint64_t line, enum dh_status st,
       const char *detail, const char *text, size_t len)
{
    char raw[320], reason[400], excerpt[128];

    /* Details quote the input (jansson's "near ..." too): escape them. */
    snprintf(raw, sizeof raw, "%s%s%s", dh_status_text(st),
             detail && *detail ? ": " : "", detail ? detail : "");
    escape_bytes(reason, sizeof reason, raw, strlen(raw));
    escape_bytes(excerpt, sizeof excerpt, text, len);
    if (c->piped)
        park_reject(c, line, reason, excerpt);
    else
        store_reject(c, line, reason, excerpt);
}

static void
kept(struct file_ctx *c, enum dh_status rc)
{
    if (rc != DH_OK) {
        c->fatal = DH_DB;
        return;
    }
    c->kept++;
    if (c->opts->progress && (c->kept % PROGRESS_ROWS) == 0 &&
        c->opts->progress(c->opts->progress_arg, c->bytes_before +
                          (c->piped ? c->raw_seen : reader_raw_bytes(c->rd)),
                          c->totals->bytes_total, c->totals->rows + c->kept)) {
        c->fatal = DH_CANCELLED;
        snprintf(c->fatal_msg, sizeof c->fatal_msg, "cancelled: nothing "
                 "of this file kept");
    }
}

/* --- Records --- */

static struct item *new_item(struct file_ctx *c, int kind, uint64_t line);
static void park_flow(struct file_ctx *c, uint64_t line, enum flow_kind kind,
                      const struct flow_rec *rec, const char *text,
                      size_t len);
static void park_query(struct file_ctx *c, uint64_t line,
                       const struct dns_query *q);

static void
flow_line(struct file_ctx *c, const char *s, size_t n, uint64_t no,
          const char *where)
{
    struct flow_rec rec;
    enum flow_kind kind;
    char err[200], detail[240];
    enum dh_status rc = flow_parse(&c->fp, s, n, &rec, &kind, err,
                                   sizeof err);

    if (rc != DH_OK) {
        snprintf(detail, sizeof detail, "%s%s", where, err);
        reject(c, no, rc, detail, s, n);
        return;
    }
    if (kind == FLOW_HEADER)
        return;
    if (c->piped)
        park_flow(c, no, kind, &rec, s, n);
    else if (kind == FLOW_RECORD)
        kept(c, ingest_flow(c->in, &rec, c->fatal_msg, sizeof c->fatal_msg));
    else
        kept(c, ingest_health(c->in, no, &rec, c->fatal_msg,
                              sizeof c->fatal_msg));
}

/* Check and store one record whose fields were found. */
static void
dns_fields(struct file_ctx *c, const struct r53_fields *f, uint64_t no,
           const char *where, const char *text, size_t len)
{
    struct dns_query q;
    char err[200], detail[240];
    enum dh_status rc = dns_convert(f, &c->scratch, &q, err, sizeof err);

    if (rc != DH_OK) {
        snprintf(detail, sizeof detail, "%s%s", where, err);
        reject(c, no, rc, detail, text, len);
        return;
    }
    if (c->piped)
        park_query(c, no, &q);
    else
        kept(c, ingest_query(c->in, &q, c->fatal_msg, sizeof c->fatal_msg));
}

static void
dns_object(struct file_ctx *c, json_t *obj, uint64_t no, const char *where,
           const char *text, size_t len)
{
    struct r53_fields f;

    dns_from_json(obj, &c->scratch, &f);
    dns_fields(c, &f, no, where, text, len);
}

/* One logEvents[] entry of a CloudWatch Logs envelope. */
static void
log_event(struct file_ctx *c, json_t *ev, size_t i, uint64_t no)
{
    char where[48], err[240];
    json_t *msg = json_is_object(ev) ? json_object_get(ev, "message") : NULL;
    json_error_t e;

    snprintf(where, sizeof where, "logEvents[%zu]: ", i);
    if (!json_is_string(msg)) {
        snprintf(err, sizeof err, "%sno message string", where);
        reject(c, no, DH_MISSING_FIELD, err, "", 0);
        return;
    }
    const char *s = json_string_value(msg);
    size_t n = json_string_length(msg);
    while (n && (*s == ' ' || *s == '\t')) {
        s++;
        n--;
    }
    while (n && (s[n - 1] == '\n' || s[n - 1] == '\r'))
        n--;                            /* some shippers keep the newline */
    if (n && s[0] == '{') {
        json_t *obj = json_loadb(s, n, JSON_ALLOW_NUL, &e);
        if (!obj) {
            snprintf(err, sizeof err, "%s%s", where, e.text);
            reject(c, no, DH_BAD_JSON, err, s, n);
            return;
        }
        if (json_is_object(obj))
            dns_object(c, obj, no, where, s, n);
        else
            reject(c, no, DH_NOT_OBJECT, where, s, n);
        json_decref(obj);
        return;
    }
    flow_line(c, s, n, no, where);
}

static void
envelope(struct file_ctx *c, json_t *obj, uint64_t no, const char *text,
         size_t len)
{
    json_t *type = json_object_get(obj, "messageType");
    json_t *events = json_object_get(obj, "logEvents"), *ev;
    size_t i;

    c->format = "cloudwatch";
    if (json_is_string(type) &&
        strcmp(json_string_value(type), "CONTROL_MESSAGE") == 0) {
        return;                         /* a health check of the feed */
    }
    if (!json_is_string(type) ||
        strcmp(json_string_value(type), "DATA_MESSAGE") != 0) {
        reject(c, no, DH_BAD_VALUE, "messageType: expected DATA_MESSAGE or "
               "CONTROL_MESSAGE", text, len);
        return;
    }
    if (!json_is_array(events)) {
        reject(c, no, DH_MISSING_FIELD, "logEvents", text, len);
        return;
    }
    json_array_foreach(events, i, ev) {
        log_event(c, ev, i, no);
        if (stopped(c))
            return;
    }
}

static void
json_record(struct file_ctx *c, json_t *v, uint64_t no, const char *text,
            size_t len)
{
    if (!json_is_object(v)) {
        reject(c, no, DH_NOT_OBJECT, NULL, text, len);
        return;
    }
    if (json_object_get(v, "messageType")) {
        envelope(c, v, no, text, len);
        return;
    }
    if (!c->format || strcmp(c->format, "cloudwatch") != 0)
        c->format = "route53";
    dns_object(c, v, no, "", text, len);
}

/* Every JSON value in s[0..n), one after the other. */
static void
json_values(struct file_ctx *c, const char *s, size_t n, uint64_t no)
{
    size_t pos = 0, i;
    json_t *v, *el;
    json_error_t e;

    while (pos < n && !stopped(c)) {
        v = json_loadb(s + pos, n - pos, JSON_DISABLE_EOF_CHECK |
                       JSON_ALLOW_NUL, &e);
        if (!v) {
            reject(c, no + (uint64_t)e.line - 1, DH_BAD_JSON, e.text,
                   s + pos, n - pos);
            return;
        }
        if (json_is_array(v)) {
            json_array_foreach(v, i, el)
                json_record(c, el, no, s + pos, n - pos);
        } else {
            json_record(c, v, no, s + pos, n - pos);
        }
        json_decref(v);
        pos += e.position ? (size_t)e.position : n - pos;
        while (pos < n && (s[pos] == ' ' || s[pos] == '\t' ||
                           s[pos] == '\n'))
            pos++;
    }
}

/* --- Pretty-printed JSON --- */

static void
scan_text(struct scan *sc, const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        char ch = s[i];
        if (sc->in_string) {
            if (sc->escape)
                sc->escape = 0;
            else if (ch == '\\')
                sc->escape = 1;
            else if (ch == '"')
                sc->in_string = 0;
        } else if (ch == '"') {
            sc->in_string = 1;
        } else if (ch == '{' || ch == '[') {
            sc->depth++;
        } else if (ch == '}' || ch == ']') {
            sc->depth--;
        }
    }
}

static void json_line(struct file_ctx *c, const char *s, size_t n,
                      uint64_t no);

/* Give up on the value being gathered; read its lines again alone. */
static void
acc_fail(struct file_ctx *c, enum dh_status st, const char *detail)
{
    struct buf lines = c->acc;
    uint64_t no = c->acc_line;
    size_t start, i;

    memset(&c->acc, 0, sizeof c->acc);
    c->acc_line = 0;
    reject(c, no, st, detail, lines.data, lines.len);
    /*
     * Lines read again may gather a value of their own, but not a third
     * time: nested broken values must not read the block over and over.
     */
    int saved = c->refeeding;
    c->refeeding = c->acc_level + 1;
    start = strcspn(lines.data, "\n") + 1;
    for (i = start; i < lines.len; i++) {
        if (lines.data[i] != '\n')
            continue;
        json_line(c, lines.data + start, i - start, ++no);
        start = i + 1;
    }
    c->refeeding = saved;
    buf_free(&lines);
}

static void
acc_add(struct file_ctx *c, const char *s, size_t n)
{
    size_t limit = c->opts->max_line ? c->opts->max_line : READER_MAX_LINE;

    buf_add(&c->acc, s, n);
    buf_addc(&c->acc, '\n');
    scan_text(&c->sc, s, n);
    if (c->sc.depth <= 0) {
        uint64_t no = c->acc_line;
        struct buf whole = c->acc;

        memset(&c->acc, 0, sizeof c->acc);
        c->acc_line = 0;
        json_values(c, whole.data, whole.len, no);
        buf_free(&whole);
    } else if (c->acc.len > limit) {
        acc_fail(c, DH_LINE_TOO_LONG, "JSON value longer than the limit");
    }
}

/* --- Lines --- */

/*
 * Length of a CloudWatch Logs export prefix ("2024-05-01T12:00:59.000Z ")
 * before a JSON record, or 0. Exports to S3 write one before each event.
 */
static size_t
export_prefix(const char *s, size_t n)
{
    size_t i = 0;

    if (!isotime_looks_like(s, n))
        return 0;
    while (i < n && s[i] != ' ' && s[i] != '\t')
        i++;
    while (i < n && (s[i] == ' ' || s[i] == '\t'))
        i++;
    return i < n && s[i] == '{' ? i : 0;
}

static void
json_line(struct file_ctx *c, const char *s, size_t n, uint64_t no)
{
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\t'))
        n--;
    while (n && (*s == ' ' || *s == '\t')) {
        s++;
        n--;
    }
    if (c->acc_line) {
        acc_add(c, s, n);
        return;
    }
    if (n == 0)
        return;
    size_t skip = export_prefix(s, n);
    s += skip;
    n -= skip;
    if (s[0] != '{' && s[0] != '[') {
        reject(c, no, DH_BAD_JSON, "expected a JSON object", s, n);
        return;
    }
    if (n == 1 && c->refeeding < 2) {
        c->acc_line = no;
        c->acc_level = c->refeeding;
        memset(&c->sc, 0, sizeof c->sc);
        acc_add(c, s, n);
        return;
    }
    if (c->format && strcmp(c->format, "route53") == 0 &&
        dns_scan(s, n, &c->scratch, &c->fields)) {
        dns_fields(c, &c->fields, no, "", s, n);
        return;
    }
    json_values(c, s, n, no);
}

static void park_group(struct file_ctx *c, uint64_t line,
                       const struct dns_query *q,
                       const struct query_group *g);

/* One line of an Athena CSV file: a header (again, after files were
 * joined) or a row. */
static void
csv_line(struct file_ctx *c, const char *s, size_t n, uint64_t no)
{
    struct dns_query q;
    struct query_group g;
    char err[200];
    enum dh_status rc;

    size_t quotes = 0;

    for (size_t i = 0; i < n; i++)
        quotes += s[i] == '"';
    if (c->csv_open) {          /* the rest of a record rejected already */
        c->csv_open = !(quotes & 1);
        return;
    }
    if (quotes & 1) {           /* a quoted value holds a line break */
        c->csv_open = 1;
        reject(c, no, DH_BAD_VALUE, "a value holds a line break; the "
               "record is left out up to the line that closes it", s, n);
        return;
    }
    if (n == 0)
        return;
    if (c->mode == MODE_CSV_FLOW) {
        if (c->fp.fixed && csv_header_kind(s, n) == CSV_FLOWS) {
            /* files joined: their header again, which must not move
             * the columns of the rows after it */
            if (n != c->csv_header.len ||
                memcmp(s, c->csv_header.data, n) != 0)
                reject(c, no, DH_BAD_HEADER, "a second header line with "
                       "other columns; import such files one by one", s, n);
            return;
        }
        rc = csv_flow_line(s, n, &c->csv, &c->csv_line, err, sizeof err);
        if (rc == DH_OK)
            flow_line(c, c->csv_line.data, c->csv_line.len, no, "");
        else
            reject(c, no, rc, err, s, n);
        if (!c->fp.fixed && c->fp.n > 0) {
            c->fp.fixed = 1;
            buf_add(&c->csv_header, s, n);
        }
        return;
    }
    if (csv_header_kind(s, n) == CSV_GROUPS)
        return;
    rc = csv_group(s, n, &c->csv, &q, &g, err, sizeof err);
    if (rc != DH_OK)
        reject(c, no, rc, err, s, n);
    else if (c->piped)
        park_group(c, no, &q, &g);
    else
        kept(c, ingest_query_group(c->in, &q, &g, c->fatal_msg,
                                   sizeof c->fatal_msg));
}

static int
blank(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (s[i] != ' ' && s[i] != '\t')
            return 0;
    return 1;
}

/*
 * The format of a line on its own, or MODE_UNKNOWN when the line says
 * nothing (garbage, a comment). --format and --flow-format decide alone.
 */
static enum mode
line_format(const struct import_opts *o, const struct line *ln)
{
    const char *s = ln->text;
    size_t n = ln->len;

    while (n && (*s == ' ' || *s == '\t')) {
        s++;
        n--;
    }
    s += export_prefix(s, n);
    n = ln->len - (size_t)(s - ln->text);
    if (o->format && strcmp(o->format, "flow") == 0)
        return MODE_FLOW;
    if ((!o->format || strcmp(o->format, "auto") == 0) && n && s[0] == '"') {
        enum csv_kind k = csv_header_kind(s, n);
        if (k != CSV_NONE)
            return k == CSV_GROUPS ? MODE_GROUPS : MODE_CSV_FLOW;
    }
    if ((o->format && strcmp(o->format, "auto") != 0) ||
        (n && (s[0] == '{' || s[0] == '[')))
        return MODE_JSON;
    if (o->flow_format || (!ln->too_long && flow_sniff(s, n)))
        return MODE_FLOW;
    return MODE_UNKNOWN;
}

/* Keep a line that came before the format was known (bounded). */
static int
hold_line(struct file_ctx *c, const struct line *ln)
{
    struct held h = { ln->no, c->held_text.len, ln->len, ln->too_long };

    if (c->n_held == SNIFF_LINES || c->held_text.len + ln->len > SNIFF_BYTES)
        return 0;
    buf_add(&c->held_text, ln->text, ln->len);
    c->held[c->n_held++] = h;
    return 1;
}

static void one_line(struct file_ctx *c, const struct line *ln);

/* The format is known: read the held lines with it (they are rejected). */
static void
replay_held(struct file_ctx *c)
{
    for (size_t i = 0; i < c->n_held && !stopped(c); i++) {
        struct line ln = { c->held_text.data + c->held[i].off,
                           c->held[i].len, c->held[i].no,
                           c->held[i].too_long };
        one_line(c, &ln);
    }
    c->n_held = 0;
    buf_free(&c->held_text);
}

/* Decide the file's format from the first line that shows one. */
static void
sniff(struct file_ctx *c, const struct line *ln)
{
    char ex[80];

    static const char *const formats[] = {
        [MODE_JSON] = "route53", [MODE_FLOW] = "flow",
        [MODE_GROUPS] = "athena-queries", [MODE_CSV_FLOW] = "athena-flows",
    };

    c->mode = line_format(c->opts, ln);
    if (c->mode != MODE_UNKNOWN) {
        c->format = formats[c->mode];
        return;
    }
    if (c->n_held == 0) {
        escape_bytes(ex, sizeof ex, ln->text, ln->len);
        snprintf(c->format_msg, sizeof c->format_msg, "%s: neither a Route "
                 "53 query log nor a VPC flow log (line %llu: %s)",
                 dh_status_text(DH_UNKNOWN_FORMAT),
                 (unsigned long long)ln->no, ex);
    }
    if (!hold_line(c, ln))
        c->mode = MODE_FAILED;
}

static void
one_line(struct file_ctx *c, const struct line *ln)
{
    char detail[64];

    if (c->mode == MODE_UNKNOWN) {
        if (blank(ln->text, ln->len))
            return;
        sniff(c, ln);
        if (c->mode == MODE_UNKNOWN || c->mode == MODE_FAILED)
            return;
        replay_held(c);
    }
    if (ln->too_long) {
        snprintf(detail, sizeof detail, "over %zu bytes",
                 c->opts->max_line ? c->opts->max_line : READER_MAX_LINE);
        if (c->acc_line)
            acc_fail(c, DH_LINE_TOO_LONG, detail);
        reject(c, ln->no, DH_LINE_TOO_LONG, detail, ln->text, ln->len);
        return;
    }
    if (c->mode == MODE_JSON)
        json_line(c, ln->text, ln->len, ln->no);
    else if (c->mode == MODE_GROUPS || c->mode == MODE_CSV_FLOW)
        csv_line(c, ln->text, ln->len, ln->no);
    else if (!blank(ln->text, ln->len))
        flow_line(c, ln->text, ln->len, ln->no, "");
}

/* --- Two threads ---
 *
 * A second thread reads, inflates and parses a file's lines while this
 * one writes the records: each side is about half of the work. What the
 * parser would store (a query, a flow or health record, a rejected row)
 * is parked as an item in a chunk, with every text it points at copied
 * into the chunk; chunks take turns between the threads, so items keep
 * their order and a file's rows, rejects and line numbers are what one
 * thread gives. The reader never touches the store, the writer never the
 * file. Only the writer counts and prints.
 */

/* Reader side: give a filled chunk away; an empty one back, or NULL. */
static struct chunk *
pipe_swap(struct pipe *p, struct chunk *ch)
{
    struct chunk *next = NULL;

    pthread_mutex_lock(&p->mu);
    p->full[(p->first + p->n_full++) % PIPE_MAX] = ch;   /* always room */
    pthread_cond_broadcast(&p->cv);
    while (!ch->last && !p->n_empty &&
           !__atomic_load_n(&p->stop, __ATOMIC_RELAXED))
        pthread_cond_wait(&p->cv, &p->mu);
    if (!ch->last && !__atomic_load_n(&p->stop, __ATOMIC_RELAXED))
        next = p->empty[--p->n_empty];
    pthread_mutex_unlock(&p->mu);
    if (next) {
        next->n = 0;
        buf_reset(&next->arena);
    }
    return next;
}

/* Writer side: the next filled chunk, in order, waiting for it. */
static struct chunk *
pipe_take(struct pipe *p)
{
    struct chunk *ch;

    pthread_mutex_lock(&p->mu);
    while (!p->n_full)
        pthread_cond_wait(&p->cv, &p->mu);
    ch = p->full[p->first];
    p->first = (p->first + 1) % PIPE_MAX;
    p->n_full--;
    pthread_mutex_unlock(&p->mu);
    return ch;
}

/* Writer side: ch is written; the reader may fill it again. */
static void
pipe_give_back(struct pipe *p, struct chunk *ch, int stop)
{
    pthread_mutex_lock(&p->mu);
    p->empty[p->n_empty++] = ch;
    __atomic_store_n(&p->stop, stop, __ATOMIC_RELAXED);
    pthread_cond_broadcast(&p->cv);
    pthread_mutex_unlock(&p->mu);
}

/* The next free item, handing the chunk over when full; NULL to stop. */
static struct item *
new_item(struct file_ctx *c, int kind, uint64_t line)
{
    struct item *it;

    if (!c->chunk)
        return NULL;            /* the writer stopped: drop the rest */
    /* Bounded by items and by text, so memory stays near one line's. */
    if (c->chunk->n == PIPE_ITEMS || c->chunk->arena.len > PIPE_BYTES) {
        c->chunk->raw_bytes = reader_raw_bytes(c->rd);
        c->chunk = pipe_swap(c->pipe, c->chunk);
        if (!c->chunk) {
            c->mode = MODE_FAILED;      /* ends the reading loop */
            return NULL;
        }
    }
    it = &c->chunk->items[c->chunk->n++];
    it->kind = kind;
    it->line = line;
    return it;
}

/* Copy n bytes and a NUL into the arena; returns their offset. */
static size_t
park_text(struct chunk *ch, const char *s, size_t n)
{
    size_t off = ch->arena.len;

    buf_add(&ch->arena, s, n);
    buf_addc(&ch->arena, '\0');
    return off;
}

static void
park_reject(struct file_ctx *c, uint64_t line, const char *reason,
            const char *excerpt)
{
    struct item *it = new_item(c, IT_REJECT, line);

    if (!it)
        return;
    it->a = park_text(c->chunk, reason, strlen(reason));
    it->b = park_text(c->chunk, excerpt, strlen(excerpt));
}

static void
park_query(struct file_ctx *c, uint64_t line, const struct dns_query *q)
{
    struct item *it = new_item(c, IT_QUERY, line);

    if (!it)
        return;
    it->u.dns.q = *q;
    it->a = park_text(c->chunk, q->name.text, q->name.len);
    it->b = park_text(c->chunk, q->answers.text ? q->answers.text : "",
                      q->answers.len);
    for (size_t i = 0; i < DQ_STRINGS; i++) {
        const char *v = *(const char *const *)((const char *)q +
                                               dq_strings[i]);
        it->u.dns.off[i] = v ? (uint32_t)park_text(c->chunk, v, strlen(v))
                             : NO_TEXT;
    }
}

static void
park_group(struct file_ctx *c, uint64_t line, const struct dns_query *q,
           const struct query_group *g)
{
    struct item *it;

    park_query(c, line, q);
    if (!c->chunk || !c->chunk->n)
        return;
    it = &c->chunk->items[c->chunk->n - 1];
    it->kind = IT_GROUP;
    it->u.dns.g = *g;
    it->c = park_text(c->chunk, g->times.text, g->times.len);
}

/* A parsed flow record parked: the line, and its fields as offsets into
 * it (or into the arena, for the texts the parser made). */
static void
park_flow(struct file_ctx *c, uint64_t line, enum flow_kind kind,
          const struct flow_rec *rec, const char *text, size_t len)
{
    struct item *it = new_item(c, kind == FLOW_HEALTH ? IT_HEALTH : IT_FLOW,
                               line);
    int n = 0;

    if (!it)
        return;
    it->a = park_text(c->chunk, text, len);
    for (int f = 0; f < FF_COUNT; f++) {
        const char *t = rec->val[f].text;
        size_t k = rec->val[f].len;
        if (!t)
            continue;
        it->u.flow.field[n] = (uint8_t)f;
        it->u.flow.off[n] = t >= text && t < text + len
                            ? (uint32_t)(it->a + (size_t)(t - text))
                            : k ? (uint32_t)park_text(c->chunk, t, k)
                                : NO_TEXT;
        it->u.flow.len[n] = (uint32_t)k;
        it->u.flow.num[n++] = rec->num[f];
    }
    it->u.flow.n = (uint8_t)n;
    it->u.flow.n_unk = (uint8_t)rec->n_unk;
    for (int k = 0; k < rec->n_unk; k++) {   /* names live in the parser */
        uint32_t *u = it->u.flow.unk[k];
        u[0] = (uint32_t)park_text(c->chunk, rec->unk_name[k].text,
                                   rec->unk_name[k].len);
        u[1] = (uint32_t)rec->unk_name[k].len;
        u[2] = (uint32_t)(it->a + (size_t)(rec->unk_val[k].text - text));
        u[3] = (uint32_t)rec->unk_val[k].len;
    }
}

/* Writer side: the flow record of item it, its texts in arena. */
static void
unpark_flow(const struct item *it, const char *arena, struct flow_rec *rec)
{
    memset(rec->val, 0, sizeof rec->val);
    rec->n_addr = 0;
    for (int k = 0; k < it->u.flow.n; k++) {
        int f = it->u.flow.field[k];
        uint32_t off = it->u.flow.off[k];
        rec->val[f].text = off == NO_TEXT ? "" : arena + off;
        rec->val[f].len = it->u.flow.len[k];
        rec->num[f] = it->u.flow.num[k];
    }
    rec->n_unk = it->u.flow.n_unk;
    for (int k = 0; k < rec->n_unk; k++) {
        const uint32_t *u = it->u.flow.unk[k];
        rec->unk_name[k] = (struct str){ arena + u[0], u[1] };
        rec->unk_val[k] = (struct str){ arena + u[2], u[3] };
    }
}

/* Writer side: give one item its texts back and store it. */
static void
write_item(struct file_ctx *c, const struct chunk *ch, struct item *it)
{
    const char *arena = ch->arena.data;

    switch (it->kind) {
    case IT_REJECT:
        store_reject(c, it->line, arena + it->a, arena + it->b);
        break;
    case IT_QUERY:
    case IT_GROUP: {
        struct dns_query *q = &it->u.dns.q;
        q->name.text = arena + it->a;
        q->answers.text = arena + it->b;
        for (size_t i = 0; i < DQ_STRINGS; i++)
            *(const char **)((char *)q + dq_strings[i]) =
                it->u.dns.off[i] == NO_TEXT ? NULL
                                            : arena + it->u.dns.off[i];
        if (it->kind == IT_QUERY) {
            kept(c, ingest_query(c->in, q, c->fatal_msg,
                                 sizeof c->fatal_msg));
            break;
        }
        it->u.dns.g.times.text = arena + it->c;
        kept(c, ingest_query_group(c->in, q, &it->u.dns.g, c->fatal_msg,
                                   sizeof c->fatal_msg));
        break;
    }
    default: {
        struct flow_rec rec;
        unpark_flow(it, arena, &rec);
        kept(c, it->kind == IT_FLOW
                ? ingest_flow(c->in, &rec, c->fatal_msg, sizeof c->fatal_msg)
                : ingest_health(c->in, it->line, &rec, c->fatal_msg,
                                sizeof c->fatal_msg));
        break;
    }
    }
}

static void read_to_end(struct file_ctx *c, uint64_t *lines);

static void *
pipe_reader(void *arg)
{
    struct pipe *p = arg;
    struct file_ctx *c = p->c;

    read_to_end(c, &p->lines);
    if (c->chunk) {
        c->chunk->raw_bytes = reader_raw_bytes(c->rd);
        c->chunk->last = 1;
        pipe_swap(p, c->chunk);
    }
    return NULL;
}

/*
 * Start reading c's file on a reader thread into p, before the writer
 * is ready for it: the file is hashed meanwhile. Nothing starts when
 * asked to stay on one thread, or when no thread can be started:
 * read_piped() then reads alone.
 */
static void
pipe_open(struct file_ctx *c, struct pipe *p)
{
    memset(p, 0, sizeof *p);
    p->c = c;
    if (c->opts->threads == 1)          /* asked to stay on one thread */
        return;
    /* A Parquet file is read a column chunk at a time: the writer needs
     * more rows in hand to go on meanwhile. */
    p->chunks = c->pq ? PIPE_MAX : 2;
    for (int i = 0; i < p->chunks; i++)
        p->all[i] = xcalloc(1, sizeof *p->all[i]);
    for (int i = 1; i < p->chunks; i++)
        p->empty[p->n_empty++] = p->all[i];
    pthread_mutex_init(&p->mu, NULL);
    pthread_cond_init(&p->cv, NULL);
    c->chunk = p->all[0];
    c->pipe = p;
    c->piped = 1;
    if (pthread_create(&p->tid, NULL, pipe_reader, p) != 0) {
        c->chunk = NULL;                /* no thread: go on alone */
        c->pipe = NULL;
        c->piped = 0;
    }
}

/* Wait for the reader thread of p to end, and free p. */
static void
pipe_close(struct file_ctx *c, struct pipe *p)
{
    if (c->piped)
        pthread_join(p->tid, NULL);
    c->piped = 0;
    c->chunk = NULL;
    c->pipe = NULL;
    if (!p->chunks)
        return;
    pthread_mutex_destroy(&p->mu);
    pthread_cond_destroy(&p->cv);
    for (int i = 0; i < p->chunks; i++) {
        buf_free(&p->all[i]->arena);
        free(p->all[i]);
    }
    p->chunks = 0;
}

/* Stop the reader of p with nothing stored (the file is skipped). */
static void
pipe_cancel(struct file_ctx *c, struct pipe *p)
{
    if (c->piped) {
        pthread_mutex_lock(&p->mu);
        __atomic_store_n(&p->stop, 1, __ATOMIC_RELAXED);
        pthread_cond_broadcast(&p->cv);
        pthread_mutex_unlock(&p->mu);
    }
    pipe_close(c, p);
}

/*
 * Ask for what storing item i of ch reads, ahead of its turn. The reader
 * wrote the items on the other core, up to a few chunks earlier, so they
 * are rarely still in a near cache, and the writer, which sets the pace
 * of an import, would wait for memory on every item. Item i + 4: its
 * header and the arrays of its first 32 fields (no load, so no wait);
 * item i + 2, whose header is in by then: its texts.
 */
static void
prefetch_item(const struct chunk *ch, size_t i)
{
    const size_t used = offsetof(struct item, u.flow.num) +
                        32 * sizeof ch->items[0].u.flow.num[0];

    if (i + 4 < ch->n) {
        const char *p = (const char *)&ch->items[i + 4];
        for (size_t k = 0; k < used; k += 64)
            prefetch_line(p + k);
    }
    if (i + 2 < ch->n) {
        size_t a = ch->items[i + 2].a, n = ch->arena.len - a;
        for (size_t k = 0; k < 320 && k < n; k += 64)
            prefetch_line(ch->arena.data + a + k);
    }
}

/*
 * Store the whole file: what the reader thread of p parks, or on this
 * thread alone when p has none. Returns the last line number read.
 */
static uint64_t
read_piped(struct file_ctx *c, struct pipe *p)
{
    int last = !c->piped;

    if (last)
        read_to_end(c, &p->lines);
    while (!last) {
        struct chunk *ch = pipe_take(p);
        for (size_t i = 0; i < ch->n && !c->fatal; i++) {
            prefetch_item(ch, i);
            write_item(c, ch, &ch->items[i]);
        }
        c->raw_seen = ch->raw_bytes;
        last = ch->last || c->fatal;
        pipe_give_back(p, ch, c->fatal != DH_OK);
    }
    pipe_close(c, p);
    return p->lines;
}

/* --- Files --- */

/* Status and message of a file once its lines are read. */
static const char *
file_status(struct file_ctx *c, uint64_t lines, char *msg, size_t msglen)
{
    enum dh_status st = reader_status(c->rd);

    msg[0] = '\0';
    if (c->mode == MODE_FAILED) {
        snprintf(msg, msglen, "%s", c->format_msg);
        return "failed";
    }
    if (st != DH_OK) {
        snprintf(msg, msglen, "%s after line %llu: %s", dh_status_text(st),
                 (unsigned long long)lines, reader_error(c->rd));
        /* Nothing kept: failed, so that the next run tries it again. */
        return c->kept ? "partial" : "failed";
    }
    if (c->damage[0]) {
        snprintf(msg, msglen, "%s", c->damage);
        return c->kept ? "partial" : "failed";
    }
    if (c->mode == MODE_UNKNOWN)
        return "empty";
    if (c->kept == 0 && c->rejected > 0) {
        snprintf(msg, msglen, "no valid record (%llu rejected)",
                 (unsigned long long)c->rejected);
        return "failed";
    }
    return "ok";
}

/* n as decimal digits at p; returns the end. */
static char *
put_decimal(char *p, long long n)
{
    char tmp[24], *q = tmp + sizeof tmp;
    unsigned long long u = n < 0 ? 0ULL - (unsigned long long)n
                                 : (unsigned long long)n;

    do {
        *--q = (char)('0' + u % 10);
        u /= 10;
    } while (u);
    if (n < 0)
        *p++ = '-';
    memcpy(p, q, (size_t)(tmp + sizeof tmp - q));
    return p + (tmp + sizeof tmp - q);
}

/* Rows turned into flow log lines a block at a time, column by column,
 * so each column's arrays are read in order. */
#define PQ_BLOCK 256

struct pq_block {
    struct buf text;            /* the lines, one after another */
    size_t     start[PQ_BLOCK], end[PQ_BLOCK];
    size_t     bad[PQ_BLOCK];   /* column of a value with a blank, or -1 */
};

/* Rows [first, first + n) of the selected columns as lines in b: values
 * separated by blanks, NULL or empty as "-". */
static void
parquet_lines(struct pq_column **cols, size_t ncols, uint64_t first,
              size_t n, struct pq_block *b)
{
    size_t total = 0;

    for (size_t r = 0; r < n; r++) {
        b->start[r] = total;
        b->bad[r] = (size_t)-1;
        for (size_t i = 0; i < ncols; i++)
            if (cols[i])
                total += 22 + (cols[i]->is_text ? cols[i]->len[first + r]
                                                : 0);
        b->end[r] = b->start[r];
    }
    buf_reset(&b->text);
    buf_reserve(&b->text, total + 1);
    for (size_t i = 0; i < ncols; i++) {
        const struct pq_column *col = cols[i];
        if (!col)
            continue;
        for (size_t r = 0; r < n; r++) {
            uint64_t row = first + r;
            char *p = b->text.data + b->end[r];
            if (p != b->text.data + b->start[r])
                *p++ = ' ';
            if (col->null[row] == PQ_BLANK && b->bad[r] == (size_t)-1)
                b->bad[r] = i;
            if (col->null[row] == PQ_NULL ||
                (col->is_text && !col->len[row])) {
                *p++ = '-';
            } else if (col->is_text) {
                memcpy(p, pq_text(col, row), col->len[row]);
                p += col->len[row];
            } else {
                p = put_decimal(p, (long long)col->num[row]);
            }
            b->end[r] = (size_t)(p - b->text.data);
        }
    }
}

/* The flow log header for the Parquet file's columns: want[i] set for
 * each column named as a flow log field (underscores or hyphens, any
 * case), the field's own name in the header. 0, or -1 when a field has
 * two columns or none is there, with why in c->format_msg. */
static int
parquet_header(struct file_ctx *c, int *want, struct buf *line)
{
    size_t n = pq_columns(c->pq);
    int seen[FF_COUNT];
    char a[80];

    for (int f = 0; f < FF_COUNT; f++)
        seen[f] = -1;
    for (size_t i = 0; i < n; i++) {
        const char *name = pq_column_name(c->pq, i);
        int f = name ? flowfield_lookup(name, strlen(name)) : -1;
        if (f < 0)
            continue;
        if (seen[f] >= 0) {
            escape_bytes(a, sizeof a, name, strlen(name));
            snprintf(c->format_msg, sizeof c->format_msg, "%s: columns %s "
                     "and %s are the same flow log field",
                     dh_status_text(DH_BAD_HEADER),
                     pq_column_name(c->pq, (size_t)seen[f]), a);
            return -1;
        }
        seen[f] = (int)i;
        want[i] = 1;
        buf_printf(line, "%s%s", line->len ? " " : "",
                   flowfield_def((enum flow_field)f)->name);
    }
    if (!line->len) {
        snprintf(c->format_msg, sizeof c->format_msg, "%s: a Parquet file "
                 "without VPC flow log columns",
                 dh_status_text(DH_UNKNOWN_FORMAT));
        return -1;
    }
    return 0;
}

/* Dictionary values of an address column already found to be IPv4, by
 * their place in the dictionary: a row group repeats a few thousand
 * addresses over its rows. */
#define PQ_SEEN 512

/* The selected columns of a Parquet file with their flow log fields, for
 * rows parked without a line. */
struct pq_fields {
    const struct pq_column *col[FF_COUNT];
    int                     field[FF_COUNT];
    unsigned char           text[FF_COUNT]; /* a number kept as text too */
    int                     n;
    uint32_t                seen[FF_COUNT][PQ_SEEN]; /* address columns */
};

/* Whether the value of address column k in row is IPv4. */
static int
pq_ipv4(struct pq_fields *s, int k, uint64_t row)
{
    const struct pq_column *col = s->col[k];
    uint32_t off = col->off[row];
    uint32_t *slot = &s->seen[k][(off * 2654435761u) >> 23];

    if (!(off & PQ_DICT))
        return flow_ipv4(pq_text(col, row), col->len[row]);
    if (*slot == off)
        return 1;
    if (!flow_ipv4(pq_text(col, row), col->len[row]))
        return 0;
    *slot = off;
    return 1;
}

/* The value of column k in row as the next field of item it, its text
 * at *p, which is arena offset at; -1 when the row needs the line
 * parser. */
static int
park_field(struct pq_fields *s, int k, uint64_t row, struct item *it,
           char **p, size_t at)
{
    const struct pq_column *col = s->col[k];
    const struct flow_field_def *d = flowfield_def(s->field[k]);
    int f = s->field[k], i = it->u.flow.n;

    if (col->null[row] != PQ_VALUE)
        return col->null[row] == PQ_NULL ? 0 : -1;
    it->u.flow.field[i] = (uint8_t)f;
    if (col->is_text) {
        const char *t = pq_text(col, row);
        size_t n = col->len[row];
        if (n == 0 || (n == 1 && t[0] == '-'))
            return 0;                   /* as in a line: no value */
        if (d->kind == FK_INT || (d->kind == FK_ADDR && !pq_ipv4(s, k, row)) ||
            (f == FF_LOG_STATUS && (n != 2 || memcmp(t, "OK", 2))))
            return -1;
        it->u.flow.off[i] = (uint32_t)at;
        it->u.flow.len[i] = (uint32_t)n;
        memcpy(*p, t, n);
        *p += n;
        it->u.flow.n++;
        return 0;
    }
    if (d->kind != FK_INT || col->num[row] < 0 || col->num[row] > d->max)
        return -1;
    it->u.flow.num[i] = col->num[row];
    it->u.flow.off[i] = NO_TEXT;            /* present; no text needed */
    it->u.flow.len[i] = 0;
    if (s->text[k]) {
        it->u.flow.off[i] = (uint32_t)at;
        it->u.flow.len[i] = (uint32_t)(put_decimal(*p, col->num[row]) - *p);
        *p += it->u.flow.len[i];
    }
    it->u.flow.n++;
    return 0;
}

/*
 * Park row as a flow record straight from the columns, without making a
 * line to parse: numbers in range, IPv4 addresses, log-status OK or none,
 * no blank in a value (nearly every row). Returns 0 when parked (or
 * dropped after the writer stopped), -1 with nothing parked otherwise.
 */
static int
parquet_park(struct file_ctx *c, struct pq_fields *s, uint64_t row,
             uint64_t no)
{
    struct item *it = new_item(c, IT_FLOW, no);
    struct buf *a;
    size_t most = 1;
    char *p, *base;

    if (!it)
        return 0;
    a = &c->chunk->arena;
    for (int k = 0; k < s->n; k++)
        most += s->col[k]->is_text ? s->col[k]->len[row] : 24;
    buf_reserve(a, most);
    base = p = a->data + a->len;
    it->u.flow.n = 0;
    it->u.flow.n_unk = 0;
    for (int k = 0; k < s->n; k++) {
        if (park_field(s, k, row, it, &p, a->len + (size_t)(p - base))
            != 0) {
            c->chunk->n--;              /* give the item back */
            return -1;
        }
    }
    *p++ = '\0';
    it->a = a->len;
    a->len += (size_t)(p - base);
    return 0;
}

/* Ask for the column values of row (and the 7 after it) ahead of their
 * use: a row reads every column, more streams than the processor follows
 * by itself. */
static void
pq_prefetch(const struct pq_fields *s, uint64_t row, uint64_t rows)
{
    if (row >= rows)
        return;
    for (int k = 0; k < s->n; k++) {
        const struct pq_column *col = s->col[k];
        if ((row & 63) == 0)
            prefetch_line(col->null + row);
        if (col->is_text) {
            prefetch_line(col->off + row);
            prefetch_line(col->len + row);
        } else {
            prefetch_line(col->num + row);
        }
    }
}

/* Set up s for the columns cols of the layout the header set in c. */
static void
parquet_fields(struct file_ctx *c, struct pq_column **cols, size_t ncols,
               struct pq_fields *s)
{
    s->n = 0;
    memset(s->seen, 0, sizeof s->seen);     /* a new dictionary */
    for (size_t i = 0; i < ncols && s->n < FF_COUNT; i++) {
        if (!cols[i])
            continue;
        int f = c->fp.map[s->n];
        s->col[s->n] = cols[i];
        s->field[s->n] = f;
        s->text[s->n] = flowfield_where(f) != FW_ROW;
        s->n++;
    }
}

/* A row group being read a column at a time while the rows of the one
 * before it are parked, so the writer is never left waiting for a whole
 * row group to be decoded. */
struct pq_ahead {
    struct pq_rowgroup *w;
    struct pq_column  **cols;
    enum dh_status      rc;
    int                 done;       /* every column read, or failed */
    int                 begun;      /* a row group is being read */
    size_t              per_step;   /* rows parked between two steps */
    char                err[240];
};

/* Begin reading row group g into a (nothing when past the last). */
static void
ahead_begin(struct file_ctx *c, struct pq_ahead *a, size_t g,
            const int *want)
{
    a->rc = DH_OK;
    a->done = 1;
    a->begun = g < pq_row_groups(c->pq);
    if (!a->begun)
        return;
    a->rc = pq_group_begin(c->pq, g, want, a->w, a->cols, a->err,
                           sizeof a->err);
    a->done = a->rc != DH_OK;
}

/* Read one more column of a's row group. */
static void
ahead_step(struct file_ctx *c, struct pq_ahead *a)
{
    if (!a->done)
        a->rc = pq_group_step(c->pq, a->w, &a->done, a->err, sizeof a->err);
}

/*
 * The file's bytes read and hashed (for the check that it did not change
 * while read) as far as the Parquet reader has read them, next being the
 * row group it reads ahead: a byte is hashed only after its use, so a
 * change after the hash taken first shows in this one. Spread over the
 * reading thread, this costs the writer no pass over the whole file at
 * the end.
 */
static void
hash_along(struct file_ctx *c, const struct pq_ahead *next)
{
    reader_drain_to(c->rd, next->begun ? pq_read_from(c->pq, next->w)
                                       : pq_size(c->pq));
}

/* The rows [0, rows) of the decoded columns cols as flow records (or
 * lines through the parser, for rows out of the common run), a block at
 * a time, reading next's columns on the way; a row with a blank in a
 * value is rejected. */
static void
parquet_rows(struct file_ctx *c, struct pq_column **cols, size_t n,
             uint64_t rows, struct pq_block *b, uint64_t *lines,
             struct pq_ahead *next)
{
    char err[240];
    struct pq_fields *s = xmalloc(sizeof *s);
    uint64_t step_at = next->per_step;

    parquet_fields(c, cols, n, s);
    for (uint64_t r = 0; r < rows && !stopped(c) && c->mode == MODE_FLOW;
         r += PQ_BLOCK) {
        size_t k = rows - r < PQ_BLOCK ? (size_t)(rows - r) : PQ_BLOCK;
        int lined = 0;                  /* b holds the block's lines */
        for (; r >= step_at; step_at += next->per_step) {
            ahead_step(c, next);
            hash_along(c, next);
        }
        for (size_t j = 0; j < k && !stopped(c) && c->mode == MODE_FLOW;
             j++) {
            ++*lines;
            if ((j & 7) == 0)
                pq_prefetch(s, r + j + 64, rows);
            size_t x = j;                   /* the row's line in b */
            if (c->piped) {
                if (parquet_park(c, s, r + j, *lines) == 0)
                    continue;
                parquet_lines(cols, n, r + j, 1, b);    /* this row's */
                x = 0;
            } else if (!lined++) {
                parquet_lines(cols, n, r, k, b);        /* every row's */
            }
            if (b->bad[x] == (size_t)-1) {
                flow_line(c, b->text.data + b->start[x],
                          b->end[x] - b->start[x], *lines, "");
                continue;
            }
            snprintf(err, sizeof err, "column %s: a blank or control byte "
                     "in the value", pq_column_name(c->pq, b->bad[x]));
            reject(c, *lines, DH_BAD_VALUE, err, "", 0);
        }
    }
    free(s);
}

/* Start the flow layout of the Parquet file's columns; -1 when it has
 * none (c->mode failed). */
static int
parquet_layout(struct file_ctx *c, int *want)
{
    struct buf line = { 0 };

    if (parquet_header(c, want, &line) != 0) {
        c->mode = MODE_FAILED;
        buf_free(&line);
        return -1;
    }
    c->mode = MODE_FLOW;
    c->format = "flow-parquet";
    flow_line(c, line.data, line.len, 0, "");
    c->fp.fixed = 1;
    buf_free(&line);
    return 0;
}

/*
 * The rows of a Parquet file, a row group at a time, through the flow
 * log parser with the layout its columns fix. A damaged row group is left
 * out with a message; the others are kept. A row's number stands for its
 * line. Two row groups are in memory at a time: the one whose rows are
 * parked and the next, read meanwhile a column at a time.
 */
static void
parquet_to_end(struct file_ctx *c, uint64_t *lines)
{
    size_t n = pq_columns(c->pq), groups = pq_row_groups(c->pq), left = 0;
    int *want = xcalloc(n ? n : 1, sizeof *want);
    struct pq_ahead a[2], *cur = &a[0], *next = &a[1];
    struct pq_block *b = xcalloc(1, sizeof *b);
    size_t wanted = 0;

    for (int i = 0; i < 2; i++) {
        a[i].w = pq_rowgroup_new(c->pq);
        a[i].cols = xcalloc(n ? n : 1, sizeof *a[i].cols);
    }
    if (parquet_layout(c, want) == 0) {
        for (size_t i = 0; i < n; i++)
            wanted += want[i] != 0;
        ahead_begin(c, cur, 0, want);
        while (!cur->done && !stopped(c))
            ahead_step(c, cur);
    }
    for (size_t g = 0; g < groups && c->mode == MODE_FLOW && !stopped(c);
         g++) {
        struct pq_ahead *t;
        uint64_t rows = pq_group_rows(c->pq, g);
        ahead_begin(c, next, g + 1, want);
        next->per_step = rows / (wanted + 1) + 1;
        if (cur->rc == DH_OK) {
            parquet_rows(c, cur->cols, n, rows, b, lines, next);
        } else {
            if (!c->damage[0])
                snprintf(c->damage, sizeof c->damage, "Parquet %s; its "
                         "rows were left out", cur->err);
            left++;
            *lines += rows;
        }
        while (!next->done && !stopped(c))
            ahead_step(c, next);
        hash_along(c, next);
        t = cur;
        cur = next;
        next = t;
    }
    if (left > 1) {
        size_t k = strlen(c->damage);
        snprintf(c->damage + k, sizeof c->damage - k, " (%zu row groups "
                 "of %zu damaged)", left, groups);
    }
    for (int i = 0; i < 2; i++) {
        pq_rowgroup_free(a[i].w);
        free(a[i].cols);
    }
    buf_free(&b->text);
    free(b);
    free(want);
}

/* Read every line of the open file (on whichever thread reads). */
static void
read_to_end(struct file_ctx *c, uint64_t *lines)
{
    struct line ln;

    if (c->pq) {
        parquet_to_end(c, lines);
        return;
    }
    while (!stopped(c) && c->mode != MODE_FAILED &&
           reader_next(c->rd, &ln)) {
        *lines = ln.no;
        one_line(c, &ln);
    }
    while (c->acc_line && !stopped(c))  /* re-reading may open another */
        acc_fail(c, DH_BAD_JSON, "JSON value not closed at end of file");
    if (c->mode == MODE_UNKNOWN && c->n_held)
        c->mode = MODE_FAILED;          /* no line showed a format */
}

static void
count_file(struct import_totals *t, const char *status, uint64_t kept,
           uint64_t rejected)
{
    t->rows += kept;
    t->rejected += rejected;
    if (strcmp(status, "ok") == 0)
        t->ok++;
    else if (strcmp(status, "partial") == 0)
        t->partial++;
    else if (strcmp(status, "empty") == 0)
        t->empty++;
    else
        t->failed++;
}

static void
say(const struct import_opts *o, const char *fmt, const char *path,
    const char *what)
{
    if (!o->quiet)
        fprintf(stderr, fmt, path, what);
}

/* Skip check for a regular file; sets *replace when forced. */
static int
already_there(struct ingest *in, const struct import_opts *o,
              const char *path, const char *sha, int64_t *replace,
              enum dh_status *rc, char *err, size_t errlen)
{
    int64_t id;
    char *old = NULL;

    *replace = 0;
    *rc = ingest_find(in, sha, &id, &old, err, errlen);
    if (*rc != DH_OK || !id) {
        free(old);
        return 0;
    }
    if (o->force) {
        *replace = id;
        free(old);
        return 0;
    }
    char was[512];
    escape_bytes(was, sizeof was, old, strlen(old));
    say(o, "%s: already imported as %s; skipped (--force replaces it)\n",
        path, was);
    free(old);
    return 1;
}

/*
 * Before reading a regular file: hash it and look for the same content
 * in the store. Returns 1 when the file is to be skipped (already there,
 * or unreadable: counted), 0 to import it (info->replace_id set when
 * forced), or -1 on a store error (rc set).
 */
static int
check_file(struct ingest *in, struct file_ctx *c,
           struct import_info *info, char sha[65], struct import_totals *t,
           enum dh_status *rc, char *err, size_t errlen)
{
    char msg[256];

    struct stat sb;

    *rc = DH_OK;
    /* Pipes and devices can be read once only: hashed as they are read. */
    if (strcmp(c->path, "-") == 0 || (c->rd && !reader_regular(c->rd)) ||
        (!c->rd && stat(c->path, &sb) == 0 && !S_ISREG(sb.st_mode)))
        return 0;
    /* The file the reader has open, even if the path names another now. */
    if ((c->rd ? reader_hash_file(c->rd, sha, &info->size, &c->ready,
                                  c->ready_cap, msg, sizeof msg)
               : file_sha256(c->path, sha, &info->size, msg, sizeof msg))
        != DH_OK) {
        fprintf(stderr, "%s: %s\n", c->shown, msg);
        t->failed++;
        return 1;
    }
    info->sha256 = sha;
    if (already_there(in, c->opts, c->shown, sha, &info->replace_id, rc,
                      err, errlen)) {
        t->skipped++;
        return 1;
    }
    return *rc == DH_OK ? 0 : -1;
}

/* After the lines: write the outcome, commit, report, count. */
static enum dh_status
finish_file(struct file_ctx *c, const struct import_info *info,
            uint64_t lines, struct import_totals *t, char *err,
            size_t errlen)
{
    const struct import_opts *o = c->opts;
    struct import_outcome out = { 0 };
    char sha[65], msg[440];
    enum dh_status rc;

    /* The hash and size of the whole input, even if reading stopped. */
    reader_drain(c->rd);
    reader_sha256(c->rd, sha);
    out.size = reader_raw_bytes(c->rd);
    if (info->sha256 && strcmp(sha, info->sha256) != 0) {
        /* Still being written (a sync in progress?): try again later. */
        ingest_abort(c->in);
        fprintf(stderr, "%s: the file changed while it was read; nothing "
                "kept, import it again once it is complete\n", c->shown);
        t->failed++;
        return DH_OK;
    }
    out.format = c->format ? c->format : "unknown";
    out.compression = c->compression ? c->compression
                    : reader_is_gzip(c->rd) ? "gzip" : "none";
    out.status = file_status(c, lines, msg, sizeof msg);
    out.message = msg[0] ? msg : NULL;
    out.sha256 = sha;
    out.kept = c->mode == MODE_FAILED ? 0 : c->kept;
    out.rejected = c->rejected;
    out.replace_duplicate = o->force;
    rc = ingest_finish(c->in, &out, err, errlen);
    if (rc == DH_DUPLICATE) {
        say(o, "%s: %s; skipped (--force replaces it)\n", c->shown,
            "content already imported");
        t->skipped++;
        return DH_OK;
    }
    if (rc != DH_OK)
        return rc;
    if (out.message)
        fprintf(stderr, "%s: %s\n", c->shown, out.message);
    if (c->rejected > MAX_REPORTS && !o->quiet)
        fprintf(stderr, "%s: %llu more rejected rows not shown (dnshunt "
                "stats lists them)\n", c->shown,
                (unsigned long long)(c->rejected - MAX_REPORTS));
    count_file(t, out.status, out.kept, out.rejected);
    return DH_OK;
}

/* A Parquet file: its footer is read now, its rows by read_to_end().
 * Returns 0, or -1 with why in msg when it cannot be read at all. */
static int
open_parquet(struct file_ctx *c, const char *path, char *msg,
             size_t msglen)
{
    if (strcmp(path, "-") == 0) {
        snprintf(msg, msglen, "Parquet is read from a file, not from "
                 "standard input");
        return -1;
    }
    if (pq_open_fd(&c->pq, reader_fd(c->rd), msg, msglen) != DH_OK)
        return -1;
    if (reader_rewind(c->rd) != 0) {    /* hashed again once used */
        snprintf(msg, msglen, "cannot read the file again from its start");
        pq_close(c->pq);
        c->pq = NULL;
        return -1;
    }
    c->compression = pq_codec(c->pq);
    return 0;
}

/* Open c's file for reading; -1 with why in msg when it cannot be. */
static int
open_file(struct file_ctx *c, char *msg, size_t msglen)
{
    const struct import_opts *o = c->opts;

    if (reader_open(&c->rd, c->path, o->max_line, msg, msglen) != DH_OK)
        return -1;
    if (o->max_ratio)
        reader_set_max_ratio(c->rd, o->max_ratio < 0 ? 0 :
                             (unsigned)o->max_ratio);
    if (o->flow_format)
        flow_set_format(&c->fp, o->flow_format, msg, msglen);
    return 0;
}

/*
 * Import one file. A regular file starts being read on the reader thread
 * at once, while this thread hashes it to look for it in the store; a
 * file found there stops the reader with nothing stored. A text file's
 * reader hashes each byte as it reads it. A Parquet file's reader reads
 * a byte only once this thread has hashed it (pq_gate()), and only its
 * first row group before the import begins; its footer, read before, is
 * read again once hashed; its bytes are hashed again only after their use
 * (hash_along()). So a change while the file is read shows as two
 * hashes that differ, and nothing of it is kept.
 */
static enum dh_status
import_file(struct ingest *in, const struct import_opts *o,
            const char *path, struct import_totals *t, char *err,
            size_t errlen)
{
    struct file_ctx c = { .opts = o, .in = in, .path = path, .totals = t };
    struct import_info info = { .path = path };
    struct pipe p = { 0 };
    char sha[65], msg[256] = "";
    uint64_t lines;
    enum dh_status rc = DH_OK;
    int opened, early, counted = 0;

    escape_bytes(c.shown, sizeof c.shown, path, strlen(path));
    c.bytes_before = t->bytes_read;
    opened = open_file(&c, msg, sizeof msg) == 0;
    if (opened && reader_starts_with(c.rd, "PAR1", 4) &&
        open_parquet(&c, path, msg, sizeof msg) != 0) {
        /* A damaged footer: a regular file is stored as failed, with
         * why, like a file of no known format; nothing else can be. */
        opened = reader_regular(c.rd);
        c.mode = MODE_FAILED;
        snprintf(c.format_msg, sizeof c.format_msg, "%s", msg);
    }
    early = opened && reader_regular(c.rd);
    c.ready_cap = UINT64_MAX;
    if (early && c.pq) {
        c.ready_cap = pq_group_end(c.pq, 0);
        pq_gate(c.pq, &c.ready, &p.stop);
    }
    if (early)
        pipe_open(&c, &p);
    if (check_file(in, &c, &info, sha, t, &rc, err, errlen) != 0)
        goto done;
    counted = c.rd != NULL;             /* its bytes count as read */
    if (c.pq && !info.sha256) {         /* never without the first hash */
        snprintf(msg, sizeof msg, "Parquet is read from a regular file");
        opened = 0;
    }
    if (opened && c.pq && !pq_footer_same(c.pq)) {
        pipe_cancel(&c, &p);
        reader_drain(c.rd);             /* counted whole, as when read */
        fprintf(stderr, "%s: the file changed while it was read; nothing "
                "kept, import it again once it is complete\n", c.shown);
        t->failed++;
        goto done;
    }
    if (!opened) {
        fprintf(stderr, "%s: %s\n", c.shown, msg);
        t->failed++;
        goto done;
    }
    rc = ingest_begin(in, &info, err, errlen);
    if (rc == DH_DUPLICATE) {
        say(o, "%s: %s; skipped (--force replaces it)\n", c.shown,
            "content imported meanwhile by another process");
        t->skipped++;
        rc = DH_OK;
        goto done;
    }
    if (rc != DH_OK)
        goto done;
    __atomic_store_n(&c.ready, UINT64_MAX, __ATOMIC_RELEASE);
    if (!early)
        pipe_open(&c, &p);
    lines = read_piped(&c, &p);
    if (c.fatal) {
        snprintf(err, errlen, "%s: %s", c.shown, c.fatal_msg);
        ingest_abort(in);
        rc = c.fatal;
        goto done;
    }
    rc = finish_file(&c, &info, lines, t, err, errlen);
done:
    pipe_cancel(&c, &p);                /* a reader still going: stop it */
    if (counted)
        t->bytes_read = c.bytes_before + reader_raw_bytes(c.rd);
    reader_close(c.rd);
    pq_close(c.pq);
    buf_free(&c.acc);
    buf_free(&c.held_text);
    dns_scratch_free(&c.scratch);
    csv_scratch_free(&c.csv);
    buf_free(&c.csv_line);
    buf_free(&c.csv_header);
    return rc;
}

/* --- Paths --- */

struct path_list {
    char   **v;
    size_t   n;
    size_t   cap;
};

static void
list_add(struct path_list *l, char *p)
{
    if (l->n == l->cap) {
        l->cap = l->cap ? l->cap * 2 : 64;
        l->v = xrealloc(l->v, l->cap * sizeof *l->v);
    }
    l->v[l->n++] = p;
}

static int
by_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Add the regular files below dir, in name order. */
static void
walk(const char *dir, struct path_list *out, int depth)
{
    struct path_list here = { 0 };
    struct dirent *de;
    struct stat sb;
    DIR *d = opendir(dir);

    if (!d) {
        char shown[512];
        escape_bytes(shown, sizeof shown, dir, strlen(dir));
        fprintf(stderr, "%s: %s\n", shown, strerror(errno));
        return;
    }
    while ((de = readdir(d)) != NULL) {
        if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
            continue;
        struct buf p = { 0 };
        buf_printf(&p, "%s/%s", dir, de->d_name);
        list_add(&here, p.data);
    }
    closedir(d);
    if (here.n)
        qsort(here.v, here.n, sizeof *here.v, by_name);
    for (size_t i = 0; i < here.n; i++) {
        if (lstat(here.v[i], &sb) == 0 && S_ISDIR(sb.st_mode) && depth < 64) {
            walk(here.v[i], out, depth + 1);
            free(here.v[i]);
        } else if (stat(here.v[i], &sb) == 0 && S_ISREG(sb.st_mode)) {
            list_add(out, here.v[i]);
        } else {
            free(here.v[i]);
        }
    }
    free(here.v);
}

/* 1 when path is the store or its -wal or -shm file. */
static int
is_store_file(const char *path, const char *store)
{
    static const char *const ends[] = { "", "-wal", "-shm" };
    struct stat a, b;
    char name[4096];

    if (stat(path, &a) != 0)
        return 0;
    for (size_t i = 0; i < 3; i++) {
        snprintf(name, sizeof name, "%s%s", store, ends[i]);
        if (stat(name, &b) == 0 && a.st_dev == b.st_dev &&
            a.st_ino == b.st_ino)
            return 1;
    }
    return 0;
}

/*
 * The files to import: paths as given, directories walked. Files found
 * in a walk that are the store itself are left out (`import .` next to
 * dnshunt.db); a store named explicitly is read and rejected like any
 * other unrecognised file.
 */
static void
expand(char *const *paths, int n, const char *store, struct path_list *out,
       uint64_t *bytes)
{
    struct stat sb;

    for (int i = 0; i < n; i++) {
        if (strcmp(paths[i], "-") != 0 && stat(paths[i], &sb) == 0 &&
            S_ISDIR(sb.st_mode)) {
            size_t first = out->n, kept = first;
            walk(paths[i], out, 0);
            for (size_t k = first; k < out->n; k++) {
                if (is_store_file(out->v[k], store))
                    free(out->v[k]);
                else
                    out->v[kept++] = out->v[k];
            }
            out->n = kept;
        } else {
            list_add(out, xstrdup(paths[i]));
        }
    }
    for (size_t i = 0; i < out->n; i++)
        if (strcmp(out->v[i], "-") != 0 && stat(out->v[i], &sb) == 0)
            *bytes += (uint64_t)sb.st_size;
}

enum dh_status
import_run(struct db *db, const struct import_opts *opts,
           char *const *paths, int n, struct import_totals *totals,
           char *err, size_t errlen)
{
    struct path_list files = { 0 };
    struct flow_parser probe = { 0 };
    struct ingest *in = NULL;
    uint64_t total_bytes = 0;
    enum dh_status rc;

    memset(totals, 0, sizeof *totals);
    if (opts->flow_format &&
        (rc = flow_set_format(&probe, opts->flow_format, err, errlen)))
        return rc;
    if ((rc = ingest_open(db, &in, err, errlen)) != DH_OK)
        return rc;
    expand(paths, n, db_path(db), &files, &total_bytes);
    totals->bytes_total = total_bytes;
    for (size_t i = 0; i < files.n && rc == DH_OK; i++) {
        totals->files++;
        rc = import_file(in, opts, files.v[i], totals, err, errlen);
        if (opts->progress && rc == DH_OK &&
            opts->progress(opts->progress_arg, totals->bytes_read,
                           total_bytes, totals->rows)) {
            snprintf(err, errlen, "cancelled after %s",
                     files.v[i]);
            rc = DH_CANCELLED;
        }
    }
    for (size_t i = 0; i < files.n; i++)
        free(files.v[i]);
    free(files.v);
    ingest_close(in);
    return rc;
}
