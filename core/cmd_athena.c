/* SPDX-License-Identifier: MIT
 *
 * `dnshunt athena ddl|sql`: the Athena tables over the S3 log buckets and
 * the aggregation queries for a time window (see core/athena.h).
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "core/cli.h"
#include "core/config.h"
#include "core/util.h"
#include "storage/athena.h"
#include "storage/db.h"

static const char usage[] =
"usage: dnshunt athena ddl --bucket B --account ID --region R --vpc VPC...\n"
"                          [--prefix P] [--database D] [--from DAY]\n"
"                          [--flow-format FIELDS] [--parquet] [--hive]\n"
"       dnshunt athena sql --since TIME --until TIME [--database D]\n"
"                          [--flow-format FIELDS] [--hive] [--config FILE]\n"
"                          [--dialect trino|sqlite]\n"
"       dnshunt athena local --out DIR [--since TIME] [--until TIME]\n"
"                          [--config FILE]\n"
"\n"
"For fleets too large to import raw: Amazon Athena reads the logs where\n"
"they lie in S3 and reduces them to per-host aggregates.\n"
"\n"
"ddl prints CREATE EXTERNAL TABLE statements for Route 53 Resolver query\n"
"logs (resolver_queries) and VPC Flow Logs (vpc_flows), with partition\n"
"projection over the key layout AWS writes, so no crawler or MSCK run is\n"
"needed. sql prints the aggregation queries, in Trino's dialect, for the\n"
"window [--since, --until): each is headed by the CSV file name to save\n"
"its result as, and `dnshunt import` reads those files. local runs the\n"
"same queries, rendered for SQLite, on the raw logs in the store and\n"
"writes the CSV files Athena would into DIR (a check of the fleet path\n"
"on logs at hand).\n"
"\n"
"  --bucket B        the S3 bucket both log types are delivered to\n"
"  --prefix P        the key prefix before AWSLogs/, if any\n"
"  --account ID      the 12-digit account id in the keys\n"
"  --region R        the flow logs' region, e.g. us-east-1\n"
"  --vpc VPC         a VPC id with query logging; repeat, or separate\n"
"                    with commas\n"
"  --database D      the Glue database (default dnshunt)\n"
"  --from DAY        first day the partitions cover (default 2020-01-01)\n"
"  --flow-format S   the flow log's custom format, field names in order\n"
"                    (default: the 14 fields of version 2)\n"
"  --parquet         the flow logs are delivered as Parquet\n"
"  --hive            the flow logs use Hive-compatible partitions\n"
"  --since, --until  the window: a day (midnight UTC) or an ISO 8601 time\n"
"  --config FILE     the DoH resolvers from this configuration\n"
"  --dialect D       trino (Athena, the default) or sqlite: the same\n"
"                    queries over a dnshunt store of raw logs\n"
"  --out DIR         where local writes host_queries.csv and dns_flows.csv\n"
"  --db PATH         the store local reads (default ./dnshunt.db)\n"
"\n"
"Exit status: 0 done, 2 usage error, 3 the store or a file failed.\n";

enum { OPT_BUCKET = 256, OPT_PREFIX, OPT_ACCOUNT, OPT_REGION, OPT_VPC,
       OPT_DATABASE, OPT_FROM, OPT_FLOWFMT, OPT_PARQUET, OPT_HIVE,
       OPT_SINCE, OPT_UNTIL, OPT_CONFIG, OPT_DB, OPT_OUT, OPT_DIALECT };

#define MAX_VPCS 64

/* Add the comma-separated VPC ids of arg to o; -1 when too many. */
static int
add_vpcs(struct athena_opts *o, const char **vpcs, char *arg)
{
    for (char *save = NULL, *v = strtok_r(arg, ",", &save); v;
         v = strtok_r(NULL, ",", &save)) {
        if (o->n_vpcs == MAX_VPCS)
            return -1;
        vpcs[o->n_vpcs++] = v;
    }
    return 0;
}

/* The window and DoH resolvers from the options; 0, or an exit status
 * after saying what is wrong. cfg is loaded (free it either way). */
static int
window(struct athena_opts *o, const char *since, const char *until,
       const char *config, struct config *cfg, struct athena_window *w,
       const char *cmd)
{
    char err[512];

    w->since_ms = 86400000;                     /* 1970-01-02 */
    w->until_ms = 253402128000000LL;            /* 9999-12-30 */
    if (config_load(cfg, config, err, sizeof err) != 0) {
        fprintf(stderr, "dnshunt: %s\n", err);
        return EXIT_USAGE;
    }
    if ((since && cli_parse_time("since", since, &w->since_ms)) ||
        (until && cli_parse_time("until", until, &w->until_ms)))
        return EXIT_USAGE;
    w->doh = cfg->list[CL_DOH].v;
    w->n_doh = cfg->list[CL_DOH].n;
    if (athena_check(o, w, err, sizeof err) != 0) {
        fprintf(stderr, "dnshunt athena %s: %s\n", cmd, err);
        return EXIT_USAGE;
    }
    return EXIT_CLEAN;
}

static int
sql(struct athena_opts *o, const char *since, const char *until,
    const char *config, enum athena_dialect d)
{
    struct athena_window w = { 0 };
    struct config cfg;
    int rc;

    if (!since || !until) {
        fputs("dnshunt athena sql: --since and --until are needed\n",
              stderr);
        return EXIT_USAGE;
    }
    rc = window(o, since, until, config, &cfg, &w, "sql");
    if (rc == EXIT_CLEAN)
        athena_sql(o, &w, d, stdout);
    config_free(&cfg);
    return rc;
}

/* One CSV file of a local run. */
struct csv_out {
    struct db                  *db;
    int                         query;
    const struct athena_opts   *o;
    const struct athena_window *w;
    FILE                       *f;
    uint64_t                    rows;
};

/* Write one value as Athena does: quoted, quotes doubled; NULL empty. */
static void
csv_value(FILE *f, const char *v, int len)
{
    if (!v)
        return;
    fputc('"', f);
    for (int i = 0; i < len; i++) {
        if (v[i] == '"')
            fputc('"', f);
        fputc(v[i], f);
    }
    fputc('"', f);
}

static int
csv_row(void *arg, int n, const char *const *names, const char *const *vals,
        const int *lens)
{
    struct csv_out *c = arg;

    if (!vals) {
        for (int k = 0; k < n; k++) {
            fputs(k ? "," : "", c->f);
            csv_value(c->f, names[k], (int)strlen(names[k]));
        }
        fputc('\n', c->f);
        return 0;
    }
    for (int k = 0; k < n; k++) {
        fputs(k ? "," : "", c->f);
        csv_value(c->f, vals[k], lens[k]);
    }
    fputc('\n', c->f);
    c->rows++;
    return 0;
}

static int
write_csv(FILE *f, void *arg, char *err, size_t errlen)
{
    struct csv_out *c = arg;

    c->f = f;
    return athena_local(c->db, c->query, c->o, c->w, csv_row, c, err,
                        errlen) == DH_OK ? 0 : -1;
}

static int
local(const char *db_path, struct athena_opts *o, const char *since,
      const char *until, const char *config, const char *out_dir)
{
    struct athena_window w = { 0 };
    struct config cfg;
    struct db *db = NULL;
    char err[512], path[4096];
    struct stat st;
    int rc;

    if (!out_dir) {
        fputs("dnshunt athena local: --out DIR is needed\n", stderr);
        return EXIT_USAGE;
    }
    if (stat(out_dir, &st) != 0 || !S_ISDIR(st.st_mode)) {
        escape_bytes(path, sizeof path, out_dir, strlen(out_dir));
        fprintf(stderr, "dnshunt athena local: %s is not a directory\n",
                path);
        return EXIT_USAGE;
    }
    rc = window(o, since, until, config, &cfg, &w, "local");
    if (rc == EXIT_CLEAN)
        rc = cli_open_store(db_path, 1, &db);
    if (rc == EXIT_CLEAN && db_snapshot_begin(db, err, sizeof err) != DH_OK) {
        fprintf(stderr, "dnshunt athena local: %s\n", err);
        rc = EXIT_FATAL;
    }
    for (int i = 0; rc == EXIT_CLEAN && i < ATHENA_N_QUERIES; i++) {
        struct csv_out c = { db, i, o, &w, NULL, 0 };
        snprintf(path, sizeof path, "%s/%s", out_dir, athena_query_file(i));
        if (write_file(path, write_csv, &c, err, sizeof err) != 0) {
            fprintf(stderr, "dnshunt athena local: %s\n", err);
            rc = EXIT_FATAL;
        } else {
            printf("%s: %llu rows\n", athena_query_file(i),
                   (unsigned long long)c.rows);
        }
    }
    if (db)
        db_snapshot_end(db);
    db_close(db);
    config_free(&cfg);
    return rc;
}

int
cmd_athena(const char *db_path, int argc, char **argv)
{
    static const struct option longopts[] = {
        { "bucket", required_argument, NULL, OPT_BUCKET },
        { "prefix", required_argument, NULL, OPT_PREFIX },
        { "account", required_argument, NULL, OPT_ACCOUNT },
        { "region", required_argument, NULL, OPT_REGION },
        { "vpc", required_argument, NULL, OPT_VPC },
        { "database", required_argument, NULL, OPT_DATABASE },
        { "from", required_argument, NULL, OPT_FROM },
        { "flow-format", required_argument, NULL, OPT_FLOWFMT },
        { "parquet", no_argument, NULL, OPT_PARQUET },
        { "hive", no_argument, NULL, OPT_HIVE },
        { "since", required_argument, NULL, OPT_SINCE },
        { "until", required_argument, NULL, OPT_UNTIL },
        { "config", required_argument, NULL, OPT_CONFIG },
        { "db", required_argument, NULL, OPT_DB },
        { "out", required_argument, NULL, OPT_OUT },
        { "dialect", required_argument, NULL, OPT_DIALECT },
        { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 },
    };
    const char *vpcs[MAX_VPCS], *since = NULL, *until = NULL,
               *config = NULL, *out_dir = NULL;
    enum athena_dialect dialect = ATHENA_TRINO;
    struct athena_opts o = { .database = "dnshunt", .prefix = "",
                             .from_day = "2020-01-01", .vpcs = vpcs };
    char err[512];
    int c;

    if (argc > 1 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))) {
        fputs(usage, stdout);
        return EXIT_CLEAN;
    }
    if (argc < 2 || (strcmp(argv[1], "ddl") && strcmp(argv[1], "sql") &&
                     strcmp(argv[1], "local"))) {
        fputs(usage, stderr);
        return EXIT_USAGE;
    }
    optind = 2;
    while ((c = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
        switch (c) {
        case OPT_BUCKET: o.bucket = optarg; break;
        case OPT_PREFIX: o.prefix = optarg; break;
        case OPT_ACCOUNT: o.account = optarg; break;
        case OPT_REGION: o.region = optarg; break;
        case OPT_VPC:
            if (add_vpcs(&o, vpcs, optarg) != 0) {
                fprintf(stderr, "dnshunt athena: at most %d VPCs\n",
                        MAX_VPCS);
                return EXIT_USAGE;
            }
            break;
        case OPT_DATABASE: o.database = optarg; break;
        case OPT_FROM: o.from_day = optarg; break;
        case OPT_FLOWFMT: o.flow_fields = optarg; break;
        case OPT_PARQUET: o.parquet = 1; break;
        case OPT_HIVE: o.hive = 1; break;
        case OPT_SINCE: since = optarg; break;
        case OPT_UNTIL: until = optarg; break;
        case OPT_CONFIG: config = optarg; break;
        case OPT_DB: db_path = optarg; break;
        case OPT_OUT: out_dir = optarg; break;
        case OPT_DIALECT:
            if (strcmp(optarg, "trino") && strcmp(optarg, "sqlite")) {
                fputs("dnshunt athena: --dialect takes trino or sqlite\n",
                      stderr);
                return EXIT_USAGE;
            }
            dialect = strcmp(optarg, "trino") ? ATHENA_SQLITE : ATHENA_TRINO;
            break;
        case 'h': fputs(usage, stdout); return EXIT_CLEAN;
        default: fputs(usage, stderr); return EXIT_USAGE;
        }
    }
    if (optind < argc) {
        fputs(usage, stderr);
        return EXIT_USAGE;
    }
    if (strcmp(argv[1], "local") == 0)
        return local(db_path, &o, since, until, config, out_dir);
    if (strcmp(argv[1], "sql") == 0)
        return sql(&o, since, until, config, dialect);
    if (athena_check(&o, NULL, err, sizeof err) != 0) {
        fprintf(stderr, "dnshunt athena ddl: %s\n", err);
        return EXIT_USAGE;
    }
    athena_ddl(&o, stdout);
    return EXIT_CLEAN;
}
