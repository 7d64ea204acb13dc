/* SPDX-License-Identifier: MIT
 *
 * Athena table definitions and aggregation queries (see athena.h).
 */
#include "core/athena.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "core/flowfields.h"
#include "core/isotime.h"

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
    "bytes", "start", "end", "log-status",
};

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
    if (w->long_name < 1 || w->long_name > 100000) {
        snprintf(err, errlen, "long_name: 1 to 100000 characters");
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

/* WHERE clause of the resolver query table for w. */
static void
where_queries(const struct athena_window *w, FILE *out)
{
    char from[11], to[11], a[40], b[40];

    day_range(w->since_ms, w->until_ms, from, to);
    isotime_format(w->since_ms, a, sizeof a);
    isotime_format(w->until_ms, b, sizeof b);
    fprintf(out, "WHERE day BETWEEN '%s' AND '%s'\n"
            "  AND from_iso8601_timestamp(query_timestamp)\n"
            "      >= from_iso8601_timestamp('%s')\n"
            "  AND from_iso8601_timestamp(query_timestamp)\n"
            "      < from_iso8601_timestamp('%s')\n", from, to, a, b);
}

static void
sql_host_hours(const struct athena_opts *o, const struct athena_window *w,
               FILE *out)
{
    fprintf(out,
        "-- dnshunt: host_hours.csv (one row per host and hour)\n"
        "SELECT srcaddr AS host,\n"
        "       CAST(to_unixtime(date_trunc('hour',\n"
        "           from_iso8601_timestamp(query_timestamp))) AS bigint)"
        " AS hour,\n"
        "       count(*) AS queries,\n"
        "       count_if(rcode = 'NXDOMAIN') AS nxdomain,\n"
        "       count_if(query_type = 'TXT') AS txt,\n"
        "       count_if(query_type = 'NULL') AS null_queries,\n"
        "       count_if(query_type NOT IN ('A', 'AAAA', 'CNAME', 'HTTPS',"
        " 'SVCB',\n"
        "                                   'PTR', 'MX', 'TXT', 'NULL',"
        " 'SRV',\n"
        "                                   'SOA', 'NS', 'CAA', 'DS',"
        " 'DNSKEY'))\n"
        "           AS rare_types,\n"
        "       count_if(length(query_name) > %d) AS long_names,\n"
        "       count(DISTINCT regexp_replace(lower(query_name),"
        " '^[^.]*[.]', ''))\n"
        "           AS parents\n"
        "FROM \"%s\".resolver_queries\n", w->long_name, o->database);
    where_queries(w, out);
    fputs("GROUP BY 1, 2\nORDER BY 1, 2;\n", out);
}

static void
sql_host_names(const struct athena_opts *o, const struct athena_window *w,
               FILE *out)
{
    fprintf(out,
        "\n-- dnshunt: host_names.csv (one row per host and name asked)\n"
        "SELECT srcaddr AS host,\n"
        "       max(srcids.instance) AS instance,\n"
        "       query_name AS name,\n"
        "       count(*) AS queries,\n"
        "       count_if(rcode = 'NXDOMAIN') AS nxdomain,\n"
        "       count_if(rcode = 'NOERROR') AS noerror,\n"
        "       count_if(query_type = 'TXT') AS txt,\n"
        "       count_if(query_type = 'NULL') AS null_queries,\n"
        "       count_if(cardinality(answers) > 0) AS answered,\n"
        "       CAST(to_unixtime(min(from_iso8601_timestamp("
        "query_timestamp)))\n"
        "            * 1000 AS bigint) AS first_ms,\n"
        "       CAST(to_unixtime(max(from_iso8601_timestamp("
        "query_timestamp)))\n"
        "            * 1000 AS bigint) AS last_ms\n"
        "FROM \"%s\".resolver_queries\n", o->database);
    where_queries(w, out);
    fputs("GROUP BY srcaddr, query_name\nORDER BY 1, 3;\n", out);
}

static void
sql_names(const struct athena_opts *o, const struct athena_window *w,
          FILE *out)
{
    fprintf(out,
        "\n-- dnshunt: names.csv (the distinct names to classify; reverse\n"
        "-- look-ups and single labels are never DGA candidates)\n"
        "SELECT lower(query_name) AS name,\n"
        "       count(*) AS queries,\n"
        "       count(DISTINCT srcaddr) AS hosts\n"
        "FROM \"%s\".resolver_queries\n", o->database);
    where_queries(w, out);
    fputs("  AND lower(query_name) NOT LIKE '%.arpa.'\n"
          "  AND strpos(rtrim(query_name, '.'), '.') > 0\n"
          "GROUP BY 1\nORDER BY 1;\n", out);
}

/* The SQL list of DoH resolver addresses. */
static void
doh_list(const struct athena_window *w, FILE *out)
{
    for (size_t i = 0; i < w->n_doh; i++)
        fprintf(out, "%s'%s'", !i ? "" : i % 4 ? ", " : ",\n            ",
                w->doh[i]);
    if (!w->n_doh)
        fputs("''", out);
}

static void
sql_host_flows(const struct athena_opts *o, const struct athena_window *w,
               FILE *out)
{
    char from[11], to[11];

    day_range(w->since_ms, w->until_ms, from, to);
    fputs("\n-- dnshunt: host_flows.csv (one row per host, DNS server, port,\n"
          "-- protocol and direction: out from the host, in to it)\n"
          "SELECT host, server, port, protocol, direction,\n"
          "       count(*) AS flows,\n"
          "       sum(packets) AS packets,\n"
          "       sum(bytes) AS bytes,\n"
          "       min(\"start\") AS first_start,\n"
          "       max(\"end\") AS last_end\n"
          "FROM (\n"
          "  SELECT CASE WHEN outbound THEN srcaddr ELSE dstaddr END"
          " AS host,\n"
          "         CASE WHEN outbound THEN dstaddr ELSE srcaddr END"
          " AS server,\n"
          "         CASE WHEN outbound THEN dstport ELSE srcport END"
          " AS port,\n"
          "         protocol,\n"
          "         CASE WHEN outbound THEN 'out' ELSE 'in' END"
          " AS direction,\n"
          "         packets, bytes, \"start\", \"end\"\n"
          "  FROM (\n"
          "    SELECT *,\n"
          "           dstport IN (53, 853) OR (dstport = 443 AND dstaddr IN"
          " (\n            ", out);
    doh_list(w, out);
    fputs(")) AS outbound,\n"
          "           srcport IN (53, 853) OR (srcport = 443 AND srcaddr IN"
          " (\n            ", out);
    doh_list(w, out);
    fprintf(out, ")) AS inbound\n"
            "    FROM \"%s\".vpc_flows\n", o->database);
    if (o->hive)
        fprintf(out, "    WHERE year BETWEEN '%.4s' AND '%.4s'\n"
                "      AND year || '/' || month || '/' || day\n"
                "          BETWEEN '%s' AND '%s'\n", from, to, from, to);
    else
        fprintf(out, "    WHERE day BETWEEN '%s' AND '%s'\n", from, to);
    fprintf(out, "      AND \"start\" >= %lld AND \"start\" < %lld\n"
            "      AND log_status = 'OK'\n"
            "  ) AS f\n"
            "  WHERE outbound OR inbound\n"
            ") AS dns\n"
            "GROUP BY 1, 2, 3, 4, 5\n"
            "ORDER BY 1, 2, 3, 4, 5;\n",
            (long long)(w->since_ms / 1000), (long long)(w->until_ms / 1000));
}

void
athena_sql(const struct athena_opts *o, const struct athena_window *w,
           FILE *out)
{
    char a[40], b[40];

    isotime_format(w->since_ms, a, sizeof a);
    isotime_format(w->until_ms, b, sizeof b);
    fprintf(out, "-- dnshunt athena sql: %s to %s.\n-- Run each query in "
            "Athena and download its result as the CSV file\n-- its "
            "comment names.\n\n", a, b);
    sql_host_hours(o, w, out);
    sql_host_names(o, w, out);
    sql_names(o, w, out);
    sql_host_flows(o, w, out);
}
