/* SPDX-License-Identifier: MIT
 *
 * `dnshunt export`: confirmed indicators as a STIX 2.1 bundle or a MISP
 * event, the alerts as JSON lines or CSV for a SIEM, and the detections
 * as Sigma rules.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/cli.h"
#include "core/export.h"
#include "core/misp.h"
#include "core/util.h"
#include "storage/db.h"

static const char usage[] =
"usage: dnshunt export stix [--out FILE] [--ttl DAYS]\n"
"       dnshunt export misp [--out FILE] [--tlp LEVEL]\n"
"       dnshunt export alerts [--format jsonl|csv] [--out FILE]\n"
"       dnshunt export sigma [--out FILE] [--config FILE] [--model FILE]\n"
"\n"
"stix writes a STIX 2.1 bundle of the domains marked tp (`dnshunt mark`):\n"
"an identity for dnshunt, and for each domain an indicator valid for\n"
"DAYS (7) with its ATT&CK techniques and a confidence from its scores,\n"
"a domain-name object, attack-patterns and `indicates` relationships.\n"
"misp writes the same domains as one MISP event (core JSON format):\n"
"domain or hostname attributes with comments, ATT&CK galaxy tags and a\n"
"TLP tag, LEVEL one of clear, green, amber (default), amber+strict, red.\n"
"alerts writes one alerting host a line (the fields of `dnshunt hosts\n"
"--format json`, docs/data-model.md), or CSV. sigma writes Sigma rules\n"
"with the thresholds in force: DNS volume, resolver bypass and DoH over\n"
"VPC flow logs, and dga_score and tunnel_score over the lines of\n"
"`dnshunt domains --format json`. Output goes to standard output unless\n"
"--out. Exit status: 0 done, 2 usage error, 3 the store or the file\n"
"failed.\n";

/* The options each form takes, space-separated. */
static const char *const takes_opts[EX_COUNT] = {
    [EX_STIX] = " --out --ttl ",
    [EX_MISP] = " --out --tlp ",
    [EX_ALERTS] = " --out --format ",
    [EX_SIGMA] = " --out --config --model ",
};

static int
takes(enum export_form f, const char *opt)
{
    char key[40];

    snprintf(key, sizeof key, " %s ", opt);
    return strlen(opt) < 30 && strstr(takes_opts[f], key) != NULL;
}

static int
tlp_ok(const char *s)
{
    for (size_t i = 0; misp_tlp_levels[i]; i++)
        if (strcmp(s, misp_tlp_levels[i]) == 0)
            return 1;
    return 0;
}

/* One option and its value; 0, or -1 after saying what is wrong. */
static int
option(struct export_opts *o, const char **out, const char *opt,
       const char *v)
{
    char *end;

    if (strcmp(opt, "--out") == 0) {
        *out = v;
    } else if (strcmp(opt, "--ttl") == 0) {
        o->ttl = (int)strtol(v, &end, 10);
        if (*end || !*v || o->ttl < 1 || o->ttl > 3650) {
            fprintf(stderr, "dnshunt: --ttl takes 1 to 3650 days\n");
            return -1;
        }
    } else if (strcmp(opt, "--tlp") == 0) {
        if (!tlp_ok(v)) {
            fprintf(stderr, "dnshunt: --tlp takes clear, green, amber, "
                    "amber+strict or red\n");
            return -1;
        }
        o->tlp = v;
    } else if (strcmp(opt, "--format") == 0) {
        if (strcmp(v, "jsonl") && strcmp(v, "csv")) {
            fprintf(stderr, "dnshunt: --format takes jsonl or csv\n");
            return -1;
        }
        o->csv = v[0] == 'c';
    } else if (strcmp(opt, "--config") == 0) {
        o->config = v;
    } else if (strcmp(opt, "--model") == 0) {
        o->model = v;
    }
    return 0;
}

static int
parse(enum export_form f, int argc, char **argv, struct export_opts *o,
      const char **out)
{
    export_defaults(o);
    for (int i = 2; i < argc; i += 2) {
        if (i + 1 >= argc || !takes(f, argv[i])) {
            fprintf(stderr, "dnshunt: export %s: unknown option or missing "
                    "value\n%s", export_name(f), usage);
            return -1;
        }
        if (option(o, out, argv[i], argv[i + 1]))
            return -1;
    }
    return 0;
}

static int
run(struct db *db, enum export_form f, const struct export_opts *o,
    const char *path)
{
    char err[700], shown[300];
    size_t n = 0;
    enum dh_status rc;

    if (path) {
        rc = export_to_path(db, f, o, path, &n, err, sizeof err);
        escape_bytes(shown, sizeof shown, path, strlen(path));
    } else {
        rc = export_write(db, f, o, stdout, &n, err, sizeof err);
    }
    if (rc != DH_OK) {
        if (path)
            fprintf(stderr, "dnshunt: %s: %s\n", shown, err);
        else
            fprintf(stderr, "dnshunt: %s\n", err);
        return rc == DH_USAGE ? EXIT_USAGE : EXIT_FATAL;
    }
    if (f != EX_ALERTS)
        fprintf(stderr, "dnshunt: %zu %s exported\n", n, export_unit(f, n));
    return EXIT_CLEAN;
}

int
cmd_export(const char *db_path, int argc, char **argv)
{
    struct export_opts o;
    const char *path = NULL;
    enum export_form f;
    struct db *db;
    int rc;

    if (argc < 2 || strcmp(argv[1], "--help") == 0) {
        fputs(usage, argc < 2 ? stderr : stdout);
        return argc < 2 ? EXIT_USAGE : EXIT_CLEAN;
    }
    if ((f = export_lookup(argv[1])) == EX_COUNT) {
        fprintf(stderr, "dnshunt: export stix, misp, alerts or sigma\n%s",
                usage);
        return EXIT_USAGE;
    }
    if (parse(f, argc, argv, &o, &path))
        return EXIT_USAGE;
    if ((rc = cli_open_store(db_path, 1, &db)) != EXIT_CLEAN)
        return rc;
    rc = run(db, f, &o, path);
    db_close(db);
    return rc;
}
