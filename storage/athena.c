/* SPDX-License-Identifier: MIT
 *
 * Athena table definitions and aggregation queries (see athena.h).
 */
#include "storage/athena.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/flowfields.h"
#include "core/isotime.h"
#include "storage/db_internal.h"

/* --- Checks ----------------------------------------------------------- */

/* 1 when s is 1 to max characters, each a lower-case letter, a digit or
 * one of extra. */
static int
only(const char *s, size_t max, const char *extra)
{
    size_t n = strlen(s);

    if (n == 0 || n > max)
        return 0;
    for (; *s; s++)
        if (!islower((unsigned char)*s) && !isdigit((unsigned char)*s) &&
            !strchr(extra, *s))
            return 0;
    return 1;
}

/* An S3 key prefix: printable, without quotes, backslashes, blanks,
 * "${" or a leading or doubled slash. */
static int
good_prefix(const char *p)
{
    if (*p == '/' || strstr(p, "//") || strstr(p, "${") || strlen(p) > 512)
        return 0;
    for (; *p; p++)
        if (*p <= ' ' || *p > '~' || *p == '\'' || *p == '"' ||
            *p == '\\' || *p == '`')
            return 0;
    return 1;
}

/* A Glue database name; it is quoted in the text, so a reserved word
 * such as select is fine. */
static int
good_database(const char *d)
{
    return only(d, 64, "_") && islower((unsigned char)d[0]);
}

static int
good_day(const char *d)
{
    char t[40];
    int64_t ms;

    if (!d || strlen(d) != 10)
        return 0;
    snprintf(t, sizeof t, "%sT00:00:00Z", d);
    return isotime_parse(t, strlen(t), &ms) == 0;
}

static int
check_opts(const struct athena_opts *o, char *err, size_t errlen)
{
    if (!o->bucket || !only(o->bucket, 63, ".-") || strlen(o->bucket) < 3 ||
        !isalnum((unsigned char)o->bucket[0]) ||
        !isalnum((unsigned char)o->bucket[strlen(o->bucket) - 1]) ||
        strstr(o->bucket, ".."))
        snprintf(err, errlen, "--bucket: an S3 bucket name (3 to 63 "
                 "lower-case letters, digits, dots and hyphens)");
    else if (!good_prefix(o->prefix))
        snprintf(err, errlen, "--prefix: printable, without blanks, quotes, "
                 "backslashes, \"${\" or a leading or doubled /");
    else if (!o->account || strlen(o->account) != 12 ||
             strspn(o->account, "0123456789") != 12)
        snprintf(err, errlen, "--account: the 12-digit AWS account id");
    else if (!o->region || !only(o->region, 32, "-"))
        snprintf(err, errlen, "--region: a region such as us-east-1");
    else if (!good_database(o->database))
        snprintf(err, errlen, "--database: a lower-case letter, then "
                 "letters, digits and _");
    else if (!good_day(o->from_day))
        snprintf(err, errlen, "--from: a day, YYYY-MM-DD");
    else if (o->n_vpcs == 0)
        snprintf(err, errlen, "--vpc: at least one VPC id with query logging");
    else {
        for (size_t i = 0; i < o->n_vpcs; i++)
            if (strncmp(o->vpcs[i], "vpc-", 4) != 0 ||
                !only(o->vpcs[i] + 4, 17, "")) {
                snprintf(err, errlen, "--vpc: a VPC id such as "
                         "vpc-0abc1234def567890");
                return -1;
            }
        return 0;
    }
    return -1;
}

/* The flow fields in order, from the custom format or the default. */
static int
flow_fields(const struct athena_opts *o, int *f, char *err, size_t errlen)
{
    const char *p = o->flow_fields;
    int n = 0;

    if (!p) {
        for (; n < 14; n++)
            f[n] = flowfield_default[n];
        return n;
    }
    while (*p) {
        size_t len = strcspn(p, " ");
        int k = len ? flowfield_lookup(p, len) : -2;
        if (k == -1 || n == FF_COUNT) {
            snprintf(err, errlen, "--flow-format: '%.*s' is not a flow log "
                     "field", (int)(len > 40 ? 40 : len), p);
            return -1;
        }
        for (int i = 0; k >= 0 && i < n; i++)
            if (f[i] == k) {
                snprintf(err, errlen, "--flow-format: '%.*s' twice",
                         (int)(len > 40 ? 40 : len), p);
                return -1;
            }
        if (k >= 0)
            f[n++] = k;
        p += len + (p[len] == ' ');
    }
    if (n == 0)
        snprintf(err, errlen, "--flow-format: no field names");
    return n ? n : -1;
}

/* The last time a window may reach: 9999-12-30, so the day after it
 * still has a four-digit year. */
#define LAST_MS 253402128000000LL

/* The flow fields the aggregation queries read. */
static const char *const needed_flow[] = {
    "srcaddr", "dstaddr", "srcport", "dstport", "protocol", "packets",
    "bytes", "start", "end", "action",
};

/* 1 when the flow format of o has the field name. */
static int
has_field(const struct athena_opts *o, const char *name)
{
    int f[FF_COUNT], n = flow_fields(o, f, NULL, 0);
    int k = flowfield_lookup(name, strlen(name));

    for (int i = 0; i < n; i++)
        if (f[i] == k)
            return 1;
    return 0;
}

int
athena_check(const struct athena_opts *o, const struct athena_window *w,
             char *err, size_t errlen)
{
    int f[FF_COUNT], n;

    if (!w)
        return check_opts(o, err, errlen) != 0 ||
               flow_fields(o, f, err, errlen) < 0 ? -1 : 0;
    if (!good_database(o->database)) {
        snprintf(err, errlen, "--database: a lower-case letter, then "
                 "letters, digits and _");
        return -1;
    }
    if ((n = flow_fields(o, f, err, errlen)) < 0)
        return -1;
    for (size_t i = 0; i < sizeof needed_flow / sizeof *needed_flow; i++) {
        int k = flowfield_lookup(needed_flow[i], strlen(needed_flow[i])), j;
        for (j = 0; j < n && f[j] != k; j++)
            ;
        if (j == n) {
            snprintf(err, errlen, "--flow-format: the queries need the "
                     "field %s", needed_flow[i]);
            return -1;
        }
    }
    if (w->until_ms <= w->since_ms) {
        snprintf(err, errlen, "--until must come after --since");
        return -1;
    }
    if (w->since_ms % 1000 || w->until_ms % 1000) {
        snprintf(err, errlen, "--since and --until take whole seconds, as "
                 "flow logs do");
        return -1;
    }
    if (w->since_ms < 86400000 || w->until_ms > LAST_MS) {
        snprintf(err, errlen, "--since and --until must lie between 1970-01-02 "
                 "and 9999-12-30");
        return -1;
    }
    for (size_t i = 0; i < w->n_doh; i++)
        if (!only(w->doh[i], 45, ".:abcdef")) {
            snprintf(err, errlen, "doh_resolvers: '%.45s' is not an "
                     "address", w->doh[i]);
            return -1;
        }
    return 0;
}

static void render(const char *tmpl, enum athena_dialect d,
                   const struct athena_opts *o,
                   const struct athena_window *w, const char *head,
                   FILE *out);

/* --- Table definitions ------------------------------------------------ */

/* The S3 location up to and including AWSLogs/. */
static void
logs_root(const struct athena_opts *o, FILE *out)
{
    fprintf(out, "s3://%s/%s%sAWSLogs/", o->bucket, o->prefix,
            *o->prefix && o->prefix[strlen(o->prefix) - 1] != '/' ? "/"
                                                                 : "");
}

/* 'yyyy/MM/dd' projection of a day partition from o->from_day. */
static void
day_projection(const struct athena_opts *o, const char *col, FILE *out)
{
    fprintf(out, "  'projection.%s.type' = 'date',\n"
            "  'projection.%s.format' = 'yyyy/MM/dd',\n"
            "  'projection.%s.range' = '%.4s/%.2s/%.2s,NOW',\n"
            "  'projection.%s.interval' = '1',\n"
            "  'projection.%s.interval.unit' = 'DAYS',\n",
            col, col, col, o->from_day, o->from_day + 5, o->from_day + 8,
            col, col);
}

static void
ddl_queries(const struct athena_opts *o, FILE *out)
{
    fprintf(out,
        "-- Route 53 Resolver query logs delivered to S3 (JSON lines).\n"
        "-- Lines Athena cannot parse are skipped without a word: run\n"
        "-- `dnshunt import` on a sample to see them counted.\n"
        "CREATE EXTERNAL TABLE IF NOT EXISTS `%s`.resolver_queries (\n"
        "  `version` string,\n"
        "  `account_id` string,\n"
        "  `region` string,\n"
        "  `vpc_id` string,\n"
        "  `query_timestamp` string,\n"
        "  `query_name` string,\n"
        "  `query_type` string,\n"
        "  `query_class` string,\n"
        "  `rcode` string,\n"
        "  `answers` array<struct<`Rdata`:string,`Type`:string,"
        "`Class`:string>>,\n"
        "  `srcaddr` string,\n"
        "  `srcport` string,\n"
        "  `transport` string,\n"
        "  `srcids` struct<`instance`:string,`resolver_endpoint`:string>,\n"
        "  `firewall_rule_action` string,\n"
        "  `firewall_rule_group_id` string,\n"
        "  `firewall_domain_list_id` string\n"
        ")\n"
        "PARTITIONED BY (`vpc` string, `day` string)\n"
        "ROW FORMAT SERDE 'org.openx.data.jsonserde.JsonSerDe'\n"
        "WITH SERDEPROPERTIES ('ignore.malformed.json' = 'true')\n"
        "LOCATION '", o->database);
    logs_root(o, out);
    fprintf(out, "%s/vpcdnsquerylogs/'\n"
            "TBLPROPERTIES (\n"
            "  'projection.enabled' = 'true',\n"
            "  'projection.vpc.type' = 'enum',\n"
            "  'projection.vpc.values' = '", o->account);
    for (size_t i = 0; i < o->n_vpcs; i++)
        fprintf(out, "%s%s", i ? "," : "", o->vpcs[i]);
    fputs("',\n", out);
    day_projection(o, "day", out);
    fputs("  'storage.location.template' = '", out);
    logs_root(o, out);
    fprintf(out, "%s/vpcdnsquerylogs/${vpc}/${day}/'\n);\n", o->account);
}

/* The Athena type of a flow field. */
static const char *
flow_type(int f)
{
    const struct flow_field_def *d = flowfield_def(f);

    if (d->kind != FK_INT)
        return "string";
    return d->max > 2147483647 ? "bigint" : "int";
}

static void
ddl_flows(const struct athena_opts *o, FILE *out)
{
    int f[FF_COUNT], n = flow_fields(o, f, NULL, 0);

    fprintf(out, "\n-- VPC Flow Logs delivered to S3 (%s%s).\n"
            "CREATE EXTERNAL TABLE IF NOT EXISTS `%s`.vpc_flows (\n",
            o->parquet ? "Parquet" : "text with a header line",
            o->hive ? ", Hive-compatible partitions" : "", o->database);
    for (int i = 0; i < n; i++) {
        fputs("  `", out);
        for (const char *p = flowfield_def(f[i])->name; *p; p++)
            fputc(*p == '-' ? '_' : *p, out);
        fprintf(out, "` %s%s\n", flow_type(f[i]), i + 1 < n ? "," : "");
    }
    fputs(")\n", out);
    if (o->hive)
        fputs("PARTITIONED BY (`year` string, `month` string, "
              "`day` string)\n", out);
    else
        fputs("PARTITIONED BY (`day` string)\n", out);
    if (o->parquet)
        fputs("STORED AS PARQUET\n", out);
    else
        fputs("ROW FORMAT DELIMITED FIELDS TERMINATED BY ' '\n", out);
    fputs("LOCATION '", out);
    logs_root(o, out);
    if (o->hive)
        fprintf(out, "aws-account-id=%s/aws-service=vpcflowlogs/"
                "aws-region=%s/'\n", o->account, o->region);
    else
        fprintf(out, "%s/vpcflowlogs/%s/'\n", o->account, o->region);
    fputs("TBLPROPERTIES (\n", out);
    if (!o->parquet)
        fputs("  'skip.header.line.count' = '1',\n", out);
    fputs("  'projection.enabled' = 'true',\n", out);
    if (o->hive)
        fprintf(out, "  'projection.year.type' = 'integer',\n"
                "  'projection.year.range' = '%.4s,2099',\n"
                "  'projection.month.type' = 'integer',\n"
                "  'projection.month.range' = '1,12',\n"
                "  'projection.month.digits' = '2',\n"
                "  'projection.day.type' = 'integer',\n"
                "  'projection.day.range' = '1,31',\n"
                "  'projection.day.digits' = '2',\n", o->from_day);
    else
        day_projection(o, "day", out);
    fputs("  'storage.location.template' = '", out);
    logs_root(o, out);
    if (o->hive)
        fprintf(out, "aws-account-id=%s/aws-service=vpcflowlogs/"
                "aws-region=%s/year=${year}/month=${month}/day=${day}/'\n"
                ");\n", o->account, o->region);
    else
        fprintf(out, "%s/vpcflowlogs/%s/${day}/'\n);\n", o->account,
                o->region);
}

void
athena_ddl(const struct athena_opts *o, FILE *out)
{
    fprintf(out, "-- dnshunt athena ddl: the tables the queries of `dnshunt "
            "athena sql` read.\nCREATE DATABASE IF NOT EXISTS `%s`;\n\n",
            o->database);
    ddl_queries(o, out);
    ddl_flows(o, out);
}

/* --- Aggregation queries ---------------------------------------------- */

/*
 * Each query is one template: the part both engines share, with {KEY}
 * marks for what differs between Trino and SQLite (where the rows come
 * from, list aggregation, the window). render() fills them in.
 */

/* Groups of a host's queries for one name, type, rcode and answer, with
 * the time of each query: scoring reads them back query by query, so
 * what it finds is what the raw logs give. At most QUERY_CHUNK times a
 * row keep lines short. */
static const char host_queries_sql[] =
    "{HEAD}"
    "SELECT host, instance, name, type, rcode, answers,\n"
    "       count(*) AS queries,\n"
    "       min(ts_ms) AS first_ms,\n"
    "       max(ts_ms) AS last_ms,\n"
    "       {TIMES} AS times\n"
    "FROM (\n"
    "  SELECT q.*,\n"
    "         (row_number() OVER (PARTITION BY host, instance, name, type,\n"
    "                                          rcode, answers\n"
    "                             ORDER BY ts_ms) - 1) / {CHUNK} AS part\n"
    "  FROM (\n"
    "{QUERIES}"
    "  ) AS q\n"
    ") AS g\n"
    "GROUP BY host, instance, name, type, rcode, answers, part\n"
    "ORDER BY host, name, type, rcode, first_ms;\n";

/* The flow records that touch DNS: port 53 or 853 either way, or 443 to
 * or from a DoH resolver; rejected and self-addressed flows left out, as
 * scoring leaves them. */
static const char dns_flows_sql[] =
    "{HEAD}"
    "SELECT srcaddr, dstaddr, srcport, dstport, protocol, packets, bytes,\n"
    "       \"start\", \"end\", action\n"
    "FROM (\n"
    "{FLOWS}"
    ") AS f\n"
    "WHERE (dstport IN (53, 853) OR srcport IN (53, 853)\n"
    "       OR (dstport = 443 AND dstaddr IN ({DOH}))\n"
    "       OR (srcport = 443 AND srcaddr IN ({DOH})))\n"
    "  AND srcaddr <> dstaddr\n"
    "  AND (action IS NULL OR action <> 'REJECT')\n"
    "ORDER BY \"start\", srcaddr, dstaddr, srcport, dstport;\n";

#define QUERY_CHUNK 5000

/* Where the query rows come from, per dialect. */
static const char trino_queries[] =
    "    SELECT srcaddr AS host,\n"
    "           srcids.instance AS instance,\n"
    "           query_name AS name,\n"
    "           query_type AS type,\n"
    "           rcode,\n"
    "           CASE WHEN cardinality(answers) > 0 THEN json_format(CAST(\n"
    "             transform(answers, a -> CASE\n"
    "               WHEN a.Class IS NULL OR a.Class = 'IN'\n"
    "               THEN ARRAY[a.Type, a.Rdata]\n"
    "               ELSE ARRAY[a.Type, a.Rdata, a.Class] END) AS JSON))\n"
    "           END AS answers,\n"
    "           CAST(to_unixtime(try(from_iso8601_timestamp(\n"
    "                query_timestamp))) * 1000 AS bigint) AS ts_ms\n"
    "    FROM \"{DB}\".resolver_queries\n"
    "    WHERE day BETWEEN '{FROM_DAY}' AND '{TO_DAY}'\n"
    "      AND try(from_iso8601_timestamp(query_timestamp))\n"
    "          >= from_iso8601_timestamp('{SINCE}')\n"
    "      AND try(from_iso8601_timestamp(query_timestamp))\n"
    "          < from_iso8601_timestamp('{UNTIL}')\n"
    "      AND srcaddr IS NOT NULL AND query_name IS NOT NULL\n";

static const char sqlite_queries[] =
    "    SELECT o.srcaddr AS host,\n"
    "           o.instance AS instance,\n"
    "           n.logged AS name,\n"
    "           coalesce(t.name, 'TYPE' || x.qtype) AS type,\n"
    "           coalesce(r.name, 'RCODE' || x.rcode) AS rcode,\n"
    "           a.answers AS answers,\n"
    "           x.ts_ms AS ts_ms\n"
    "    FROM queries x JOIN names n ON n.id = x.name_id\n"
    "      JOIN origins o ON o.id = x.origin_id\n"
    "      LEFT JOIN dns_types t ON t.code = x.qtype\n"
    "      LEFT JOIN dns_rcodes r ON r.code = x.rcode\n"
    "      LEFT JOIN answer_sets a ON a.id = x.answer_id\n"
    "    WHERE x.ts_ms >= {SINCE_MS} AND x.ts_ms < {UNTIL_MS}\n";

static const char trino_flows[] =
    "  SELECT srcaddr, dstaddr, srcport, dstport, protocol, packets, bytes,\n"
    "         \"start\", \"end\", action\n"
    "  FROM \"{DB}\".vpc_flows\n"
    "  WHERE {FLOW_PARTITIONS}\n"
    "    AND \"start\" >= {SINCE_S} AND \"start\" < {UNTIL_S}{STATUS}\n";

static const char sqlite_flows[] =
    "  SELECT srcaddr, dstaddr, srcport, dstport, protocol, packets, bytes,\n"
    "         \"start\", \"end\", action\n"
    "  FROM flows\n"
    "  WHERE \"start\" >= {SINCE_S} AND \"start\" < {UNTIL_S}\n";

/* The day partitions to read: one more on each side, since a file lands
 * in the partition of its delivery, minutes after its first record. */
static void
day_range(int64_t since_ms, int64_t until_ms, char from[11], char to[11])
{
    char a[40], b[40];

    isotime_format(since_ms - 86400000, a, sizeof a);
    isotime_format(until_ms - 1 + 86400000, b, sizeof b);
    snprintf(from, 11, "%.4s/%.2s/%.2s", a, a + 5, a + 8);
    snprintf(to, 11, "%.4s/%.2s/%.2s", b, b + 5, b + 8);
}

/* The SQL list of DoH resolver addresses. */
static void
doh_list(const struct athena_window *w, FILE *out)
{
    for (size_t i = 0; i < w->n_doh; i++)
        fprintf(out, "%s'%s'", !i ? "\n         " : i % 3 ? ", "
                                                   : ",\n         ",
                w->doh[i]);
    if (!w->n_doh)
        fputs("''", out);
}

/* Write the value of one {KEY} of tmpl for dialect d. */
static void
render_key(const char *key, size_t n, enum athena_dialect d,
           const struct athena_opts *o, const struct athena_window *w,
           const char *head, FILE *out)
{
    char from[11], to[11], t[40];
    int trino = d == ATHENA_TRINO;

#define IS(k) (n == sizeof k - 1 && memcmp(key, k, n) == 0)
    day_range(w->since_ms, w->until_ms, from, to);
    if (IS("HEAD"))
        fputs(head, out);
    else if (IS("TIMES"))
        fputs(trino ? "array_join(array_agg(ts_ms ORDER BY ts_ms), ' ')"
                    : "group_concat(ts_ms, ' ')", out);
    else if (IS("CHUNK"))
        fprintf(out, "%d", QUERY_CHUNK);
    else if (IS("QUERIES"))
        render(trino ? trino_queries : sqlite_queries, d, o, w, "", out);
    else if (IS("FLOWS"))
        render(trino ? trino_flows : sqlite_flows, d, o, w, "", out);
    else if (IS("DOH"))
        doh_list(w, out);
    else if (IS("DB"))
        fputs(o->database, out);
    else if (IS("FROM_DAY"))
        fputs(from, out);
    else if (IS("TO_DAY"))
        fputs(to, out);
    else if (IS("SINCE") || IS("UNTIL")) {
        isotime_format(IS("SINCE") ? w->since_ms : w->until_ms, t, sizeof t);
        fputs(t, out);
    } else if (IS("SINCE_MS"))
        fprintf(out, "%lld", (long long)w->since_ms);
    else if (IS("UNTIL_MS"))
        fprintf(out, "%lld", (long long)w->until_ms);
    else if (IS("SINCE_S"))
        fprintf(out, "%lld", (long long)(w->since_ms / 1000));
    else if (IS("UNTIL_S"))
        fprintf(out, "%lld", (long long)(w->until_ms / 1000));
    else if (IS("FLOW_PARTITIONS") && o->hive)
        fprintf(out, "year BETWEEN '%.4s' AND '%.4s'\n"
                "    AND year || '/' || month || '/' || day\n"
                "        BETWEEN '%s' AND '%s'", from, to, from, to);
    else if (IS("FLOW_PARTITIONS"))
        fprintf(out, "day BETWEEN '%s' AND '%s'", from, to);
    else if (IS("STATUS") && has_field(o, "log-status"))
        fputs("\n    AND log_status = 'OK'", out);
#undef IS
}

static void
render(const char *tmpl, enum athena_dialect d, const struct athena_opts *o,
       const struct athena_window *w, const char *head, FILE *out)
{
    const char *p = tmpl, *open;

    while ((open = strchr(p, '{'))) {
        const char *close = strchr(open, '}');
        fwrite(p, 1, (size_t)(open - p), out);
        render_key(open + 1, (size_t)(close - open - 1), d, o, w, head,
                   out);
        p = close + 1;
    }
    fputs(p, out);
}

/* The queries, in order, with the CSV file each result is saved as. */
static const struct {
    const char *file, *sql, *what;
} queries[ATHENA_N_QUERIES] = {
    { "host_queries.csv", host_queries_sql,
      "-- A host's queries for one name, type, rcode and answer, with the\n"
      "-- time of each (ms since 1970), at most 5000 to a row.\n" },
    { "dns_flows.csv", dns_flows_sql,
      "-- The flow records of DNS: ports 53 and 853 either way, 443 with\n"
      "-- a DoH resolver.\n" },
};

const char *
athena_query_file(int i)
{
    return queries[i].file;
}

void
athena_query(int i, enum athena_dialect d, const struct athena_opts *o,
             const struct athena_window *w, FILE *out)
{
    char head[300];

    snprintf(head, sizeof head, "-- dnshunt: %s\n%s", queries[i].file,
             queries[i].what);
    render(queries[i].sql, d, o, w, head, out);
}

void
athena_sql(const struct athena_opts *o, const struct athena_window *w,
           enum athena_dialect d, FILE *out)
{
    char a[40], b[40];

    isotime_format(w->since_ms, a, sizeof a);
    isotime_format(w->until_ms, b, sizeof b);
    if (d == ATHENA_TRINO)
        fprintf(out, "-- dnshunt athena sql: %s to %s.\n-- Run each query "
                "in Athena and download its result as the CSV file\n-- its "
                "comment names; `dnshunt import` reads them.\n", a, b);
    else
        fprintf(out, "-- dnshunt athena sql --dialect sqlite: %s to %s.\n"
                "-- The same queries over a dnshunt store of raw logs, as "
                "`dnshunt athena\n-- local` runs them.\n", a, b);
    for (int i = 0; i < ATHENA_N_QUERIES; i++) {
        fputc('\n', out);
        athena_query(i, d, o, w, out);
    }
}

/* --- Running the SQLite rendering --------------------------------------- */

enum dh_status
athena_local(struct db *db, int i, const struct athena_opts *o,
             const struct athena_window *w, athena_row_fn fn, void *arg,
             char *err, size_t errlen)
{
    char *sql = NULL;
    size_t len = 0;
    FILE *mem = open_memstream(&sql, &len);
    sqlite3_stmt *st;
    const char *names[16], *vals[16];
    int lens[16], n;
    enum dh_status prc;
    int rc;

    if (!mem) {
        snprintf(err, errlen, "out of memory");
        return DH_NOMEM;
    }
    athena_query(i, ATHENA_SQLITE, o, w, mem);
    fclose(mem);
    prc = db_prepare(db, sql, &st, err, errlen);
    free(sql);
    if (prc != DH_OK)
        return DH_DB;
    n = sqlite3_column_count(st) < 16 ? sqlite3_column_count(st) : 16;
    for (int k = 0; k < n; k++)
        names[k] = sqlite3_column_name(st, k);
    rc = fn(arg, n, names, NULL, NULL) ? SQLITE_DONE : SQLITE_ROW;
    while (rc == SQLITE_ROW && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        for (int k = 0; k < n; k++) {
            vals[k] = (const char *)sqlite3_column_text(st, k);
            lens[k] = sqlite3_column_bytes(st, k);
        }
        if (fn(arg, n, names, vals, lens))
            break;
    }
    return db_scan_end(db, st, rc, err, errlen);
}
