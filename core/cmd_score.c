/* SPDX-License-Identifier: MIT
 *
 * `dnshunt score`, `hosts`, `domains`, `alerts` and `config`: run the
 * scoring pipeline and show its results as a table, JSON lines or CSV.
 * Every string read back from the store is escaped before it is printed:
 * names come from logs, and anyone can edit the store.
 */
#include <arpa/inet.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/cli.h"
#include "core/config.h"
#include "core/isotime.h"
#include "core/modelfile.h"
#include "core/score.h"
#include "core/show.h"
#include "core/util.h"
#include "storage/results.h"

static const char score_usage[] =
"usage: dnshunt score [--since TIME] [--until TIME] [--config FILE]\n"
"                     [--model FILE] [--quiet]\n"
"\n"
"Score the store: every name and domain with the DGA model, then per\n"
"host, domain and hour the volumetric evidence of the queries and DNS\n"
"flows from TIME (inclusive) until TIME (exclusive), ISO 8601 or\n"
"YYYY-MM-DD, default all. Queries a custom resolver forwarded are\n"
"attributed to the hosts behind it when their DNS flows match in time.\n"
"Each host gets a score in [0, 1], a severity and reasons with ATT&CK\n"
"techniques; the results replace those of the previous run. See\n"
"`dnshunt hosts`, `domains`, `alerts`, `explain HOST|DOMAIN` and\n"
"`config` (thresholds, resolvers, noise lists; --config or\n"
"$DNSHUNT_CONFIG names the file). Exit status: 0 done, 2 usage error,\n"
"3 the store, model or configuration could not be read or written.\n";

static const char hosts_usage[] =
"usage: dnshunt hosts [--limit N] [--format table|json|csv]\n"
"\n"
"The scored hosts, highest score first: score, severity, address,\n"
"instance, queries, NXDOMAIN and TXT shares, estimated bytes per query,\n"
"DGA and tunnel domains, and the strongest reason. The table shows 20\n"
"unless --limit N (0 for all); JSON (one object per line, with every\n"
"reason and the top domains) and CSV show all unless --limit. Exit\n"
"status: 0 done, 1 the scores are older than the last import, 2 usage\n"
"error, 3 no store or never scored.\n";

static const char domains_usage[] =
"usage: dnshunt domains [--host HOST] [--limit N]\n"
"                       [--format table|json|csv]\n"
"\n"
"The domains queried (registrable domains, or sites under private\n"
"suffixes such as evil.ddns.net), most suspicious first: dga_score,\n"
"tunnel_score, hosts, queries, NXDOMAIN, unique subdomains and last\n"
"seen (JSON and CSV add their mean length, alphabet, first seen and\n"
"more). --host shows one host's domains with its own figures. Limits\n"
"and exit status as for hosts;\n"
"a HOST that was not scored is a usage error (2).\n";

static const char alerts_usage[] =
"usage: dnshunt alerts [--format table|json|csv]\n"
"\n"
"The hosts whose score reached the alert threshold (`dnshunt config`:\n"
"alert), with the time span of their evidence and every reason. Exit\n"
"status as for hosts.\n";

static const char config_usage[] =
"usage: dnshunt config [--config FILE]\n"
"\n"
"Print the effective scoring configuration: the built-in defaults\n"
"changed by FILE, $DNSHUNT_CONFIG or $XDG_CONFIG_HOME/dnshunt/config\n"
"(~/.config/dnshunt/config). The output is itself a valid file to\n"
"edit. Exit status: 0 done, 2 usage error, 3 the file is wrong.\n";

/* --- Options --- */

struct opts {
    const char *since, *until, *config, *model, *host;
    long        limit;
    int         has_limit, quiet;
    enum show_format format;
};

enum { OPT_SINCE = 256, OPT_UNTIL, OPT_CONFIG, OPT_MODEL, OPT_HOST,
       OPT_LIMIT, OPT_FORMAT, OPT_QUIET, OPT_HELP };

static const struct option long_opts[] = {
    { "since", required_argument, NULL, OPT_SINCE },
    { "until", required_argument, NULL, OPT_UNTIL },
    { "config", required_argument, NULL, OPT_CONFIG },
    { "model", required_argument, NULL, OPT_MODEL },
    { "host", required_argument, NULL, OPT_HOST },
    { "limit", required_argument, NULL, OPT_LIMIT },
    { "format", required_argument, NULL, OPT_FORMAT },
    { "quiet", no_argument, NULL, OPT_QUIET },
    { "help", no_argument, NULL, OPT_HELP },
    { NULL, 0, NULL, 0 },
};

/* Parse argv against the options in allowed (a string of OPT_ codes).
 * Returns -1 after --help, -2 on a usage error, else 0. */
static int
parse(int argc, char **argv, const char *usage, const int *allowed,
      struct opts *o)
{
    int c;

    memset(o, 0, sizeof *o);
    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, "", long_opts, NULL)) != -1) {
        int ok = 0;
        for (const int *a = allowed; *a; a++)
            ok |= *a == c;
        if (c == OPT_HELP) {
            fputs(usage, stdout);
            return -1;
        }
        if (!ok && c >= OPT_SINCE) {
            fprintf(stderr, "dnshunt: %s has no option --%s\n%s", argv[0],
                    long_opts[c - OPT_SINCE].name, usage);
            return -2;
        }
        if (!ok || c == '?' || c == ':') {
            char shown[64];
            const char *w = argv[optind - 1] ? argv[optind - 1] : "";
            escape_bytes(shown, sizeof shown, w, strlen(w));
            fprintf(stderr, "dnshunt: %s: unknown option or missing value "
                    "'%s'\n%s", argv[0], shown, usage);
            return -2;
        }
        switch (c) {
        case OPT_SINCE: o->since = optarg; break;
        case OPT_UNTIL: o->until = optarg; break;
        case OPT_CONFIG: o->config = optarg; break;
        case OPT_MODEL: o->model = optarg; break;
        case OPT_HOST: o->host = optarg; break;
        case OPT_QUIET: o->quiet = 1; break;
        case OPT_LIMIT: {
            char *end;
            o->limit = strtol(optarg, &end, 10);
            if (*end || end == optarg || o->limit < 0) {
                fprintf(stderr, "dnshunt: --limit takes a whole number "
                        ">= 0\n");
                return -2;
            }
            o->has_limit = 1;
            break;
        }
        case OPT_FORMAT:
            if (show_parse_format(optarg, &o->format) != 0) {
                fprintf(stderr, "dnshunt: --format is table, json or "
                        "csv\n");
                return -2;
            }
            break;
        }
    }
    if (optind < argc) {
        char shown[64];
        escape_bytes(shown, sizeof shown, argv[optind],
                     strlen(argv[optind]));
        fprintf(stderr, "dnshunt: %s takes no argument '%s'\n%s", argv[0],
                shown, usage);
        return -2;
    }
    return 0;
}

static int
load_config(const char *path, struct config *c)
{
    char err[512];

    if (config_load(c, path, err, sizeof err) != 0) {
        fprintf(stderr, "dnshunt: %s\n", err);
        config_free(c);
        return -1;
    }
    return 0;
}

/* --- score --- */

static int
score_progress(void *arg, const char *stage, double share)
{
    (void)share;
    if (arg)
        fprintf(stderr, "\rdnshunt: scoring: %-12s", stage);
    return 0;
}

int
cmd_score(const char *db_path, int argc, char **argv)
{
    static const int allowed[] = { OPT_SINCE, OPT_UNTIL, OPT_CONFIG,
                                   OPT_MODEL, OPT_QUIET, 0 };
    struct opts o;
    struct config cfg;
    struct model m;
    struct db *db;
    struct score_summary sum;
    struct score_opts so = { .since_ms = SCORE_NO_START,
                             .until_ms = SCORE_NO_END };
    char err[512], which[300];
    int rc = parse(argc, argv, score_usage, allowed, &o);
    int64_t t0 = now_ms();

    if (rc != 0)
        return rc == -1 ? EXIT_CLEAN : EXIT_USAGE;
    if ((o.since && cli_parse_time("since", o.since, &so.since_ms)) ||
        (o.until && cli_parse_time("until", o.until, &so.until_ms)))
        return EXIT_USAGE;
    if (so.since_ms >= so.until_ms) {
        fprintf(stderr, "dnshunt: --since must be before --until\n");
        return EXIT_USAGE;
    }
    if (load_config(o.config, &cfg))
        return EXIT_FATAL;
    if ((rc = cli_open_store(db_path, 1, &db)) != EXIT_CLEAN) {
        config_free(&cfg);
        return rc;
    }
    if (modelfile_for_store(db, o.model, &m, which, sizeof which, err,
                            sizeof err) != 0) {
        fprintf(stderr, "dnshunt: %s\n", err);
        config_free(&cfg);
        db_close(db);
        return EXIT_FATAL;
    }
    so.model = &m;
    so.model_id = which;
    so.cfg = &cfg;
    so.progress = score_progress;
    so.progress_arg = !o.quiet && isatty(2) ? (void *)1 : NULL;
    enum dh_status st = score_run(db, &so, &sum, err, sizeof err);
    if (st == DH_USAGE) {
        fprintf(stderr, "%sdnshunt: %s\n", so.progress_arg ? "\n" : "",
                err);
        rc = EXIT_USAGE;
    } else if (st != DH_OK) {
        char where[300];
        escape_bytes(where, sizeof where, db_path, strlen(db_path));
        fprintf(stderr, "%sdnshunt: %s: scoring failed: %s\n",
                so.progress_arg ? "\n" : "", where, err);
        rc = EXIT_FATAL;
    } else {
        if (so.progress_arg)
            fputs("\r\033[K", stderr);
        if (!o.quiet)
            printf("scored %llu queries and %llu DNS flows: %llu hosts, "
                   "%llu domains, %llu alerts (%llu queries attributed "
                   "through resolvers) in %.1f s\n",
                   (unsigned long long)sum.queries,
                   (unsigned long long)sum.flows,
                   (unsigned long long)sum.hosts,
                   (unsigned long long)sum.domains,
                   (unsigned long long)sum.alerts,
                   (unsigned long long)sum.attributed,
                   (double)(now_ms() - t0) / 1000.0);
        if (sum.asn_idle)
            fprintf(stderr, "dnshunt: %d asn allow-list entr%s did not "
                    "apply: no asn_database in [network] of the "
                    "configuration\n", sum.asn_idle,
                    sum.asn_idle == 1 ? "y" : "ies");
        if (sum.asn_bad)
            fprintf(stderr, "dnshunt: note: %zu line%s of the ASN table "
                    "%s not ranges (FIRST LAST ASN or CIDR ASN, "
                    "tab-separated) and %s skipped\n", sum.asn_bad,
                    sum.asn_bad == 1 ? "" : "s",
                    sum.asn_bad == 1 ? "is" : "are",
                    sum.asn_bad == 1 ? "was" : "were");
        if (!sum.asn_idle && sum.asn_domains && !o.quiet)
            printf("asn allow-list entries covered %llu domains\n",
                   (unsigned long long)sum.asn_domains);
        if (getenv("DNSHUNT_SCORE_MEMORY"))     /* for the benchmark */
            fprintf(stderr, "dnshunt: scoring tables held %.1f MB\n",
                    (double)sum.peak_bytes / 1048576.0);
        rc = EXIT_CLEAN;
    }
    db_close(db);
    model_free(&m);
    config_free(&cfg);
    return rc;
}

/* --- Showing results --- */

/* Open the store and check it was scored; returns EXIT_CLEAN with *db,
 * else the status to exit with. *stale is set when imports are newer. */
static int
open_scored(const char *db_path, struct db **db, int *stale)
{
    struct run_row run;
    int64_t last = 0;
    char err[512];
    int rc = cli_open_store(db_path, 1, db);

    if (rc != EXIT_CLEAN)
        return rc;
    if (results_last_run(*db, &run, err, sizeof err) ||
        results_last_import(*db, &last, err, sizeof err)) {
        fprintf(stderr, "dnshunt: %s\n", err);
        db_close(*db);
        return EXIT_FATAL;
    }
    if (!run.id) {
        fprintf(stderr, "dnshunt: the store was never scored; run "
                "`dnshunt score` first\n");
        db_close(*db);
        return EXIT_FATAL;
    }
    *stale = last > run.last_import;
    if (run.last_import == RUN_RESPLIT)
        fprintf(stderr, "dnshunt: an upgrade split the names into sites "
                "anew after the last scoring; run `dnshunt score` again\n");
    else if (*stale)
        fprintf(stderr, "dnshunt: files were imported after the last "
                "scoring; run `dnshunt score` again\n");
    return EXIT_CLEAN;
}

static int
finish_show(struct db *db, enum dh_status st, const char *err, int stale)
{
    db_close(db);
    if (st != DH_OK) {
        fprintf(stderr, "dnshunt: %s\n", err);
        return st == DH_USAGE ? EXIT_USAGE : EXIT_FATAL;
    }
    return stale ? EXIT_REJECTS : EXIT_CLEAN;
}

enum show_what { SW_HOSTS, SW_ALERTS, SW_DOMAINS };

/* hosts, alerts and domains: parse, open the scored store, show. */
static int
show_command(const char *db_path, int argc, char **argv, enum show_what w)
{
    static const int allowed[][4] = {
        [SW_HOSTS] = { OPT_LIMIT, OPT_FORMAT, 0 },
        [SW_ALERTS] = { OPT_FORMAT, 0 },
        [SW_DOMAINS] = { OPT_HOST, OPT_LIMIT, OPT_FORMAT, 0 },
    };
    static const char *const usage[] = {
        [SW_HOSTS] = hosts_usage, [SW_ALERTS] = alerts_usage,
        [SW_DOMAINS] = domains_usage,
    };
    struct opts o;
    struct db *db;
    char err[512] = "";
    int stale = 0, rc = parse(argc, argv, usage[w], allowed[w], &o);
    enum dh_status st;

    if (rc != 0)
        return rc == -1 ? EXIT_CLEAN : EXIT_USAGE;
    if ((rc = open_scored(db_path, &db, &stale)) != EXIT_CLEAN)
        return rc;
    if (!o.has_limit)
        o.limit = o.format == SHOW_TABLE && w != SW_ALERTS ? 20 : 0;
    if (w == SW_DOMAINS)
        st = show_domains(db, o.format, o.host, o.limit, err, sizeof err);
    else
        st = show_hosts(db, o.format, o.limit, w == SW_ALERTS, err,
                        sizeof err);
    return finish_show(db, st, err, stale);
}

int
cmd_hosts(const char *db_path, int argc, char **argv)
{
    return show_command(db_path, argc, argv, SW_HOSTS);
}

int
cmd_alerts(const char *db_path, int argc, char **argv)
{
    return show_command(db_path, argc, argv, SW_ALERTS);
}

int
cmd_domains(const char *db_path, int argc, char **argv)
{
    return show_command(db_path, argc, argv, SW_DOMAINS);
}

int
cmd_config(const char *db_path, int argc, char **argv)
{
    static const int allowed[] = { OPT_CONFIG, 0 };
    struct opts o;
    struct config cfg;
    int rc = parse(argc, argv, config_usage, allowed, &o);

    (void)db_path;
    if (rc != 0)
        return rc == -1 ? EXIT_CLEAN : EXIT_USAGE;
    if (load_config(o.config, &cfg))
        return EXIT_FATAL;
    config_print(&cfg, stdout);
    config_free(&cfg);
    return EXIT_CLEAN;
}

/* 1 when s is an IPv4 or IPv6 address (printable, so safe to echo). */
static int
looks_like_address(const char *s)
{
    unsigned char buf[16];

    return inet_pton(AF_INET, s, buf) == 1 || inet_pton(AF_INET6, s, buf) == 1;
}

int
explain_stored(const char *db_path, const char *what)
{
    struct db *db;
    struct run_row run;
    char err[512] = "";
    int found = 0;
    enum dh_status st;

    if (access(db_path, F_OK) != 0)
        return -1;
    if (db_open(&db, db_path, err, sizeof err) != DH_OK)
        return -1;
    if (results_last_run(db, &run, err, sizeof err) || !run.id) {
        db_close(db);
        return -1;
    }
    st = show_explain_host(db, what, &found, err, sizeof err);
    if (st == DH_OK && !found)
        st = show_explain_domain(db, what, &found, err, sizeof err);
    db_close(db);
    if (st != DH_OK) {
        fprintf(stderr, "dnshunt: %s\n", err);
        return EXIT_FATAL;
    }
    if (!found && looks_like_address(what)) {
        fprintf(stderr, "dnshunt: no scored host is %s; what follows is "
                "the name's DGA score\n", what);
    } else if (!found) {
        char shown[300];
        escape_bytes(shown, sizeof shown, what, strlen(what));
        fprintf(stderr, "dnshunt: %s is not in the last scoring; what "
                "follows is the model's view of the name alone\n", shown);
    }
    return found == 1 ? EXIT_CLEAN : found == 2 ? -2 : -1;
}
