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
#include "core/config.h"
#include "core/decide.h"
#include "core/misp.h"
#include "core/modelfile.h"
#include "core/show.h"
#include "core/sigma.h"
#include "core/stix.h"
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

/* The options of every form; each form takes some of them. */
struct opts {
    const char *out, *tlp, *config, *model;
    int ttl, csv;
};

/* What each form writes and which options it takes. */
enum form { F_STIX, F_MISP, F_ALERTS, F_SIGMA };

static const struct {
    const char *name;
    const char *takes;      /* option names, space-separated */
} forms[] = {
    [F_STIX] = { "stix", " --out --ttl " },
    [F_MISP] = { "misp", " --out --tlp " },
    [F_ALERTS] = { "alerts", " --out --format " },
    [F_SIGMA] = { "sigma", " --out --config --model " },
};

static int
takes(enum form f, const char *opt)
{
    char key[40];

    snprintf(key, sizeof key, " %s ", opt);
    return strlen(opt) < 30 && strstr(forms[f].takes, key) != NULL;
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
option(struct opts *o, const char *opt, const char *v)
{
    char *end;

    if (strcmp(opt, "--out") == 0) {
        o->out = v;
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
parse(enum form f, int argc, char **argv, struct opts *o)
{
    o->ttl = 7;
    o->tlp = "amber";
    for (int i = 2; i < argc; i += 2) {
        if (i + 1 >= argc || !takes(f, argv[i])) {
            fprintf(stderr, "dnshunt: export %s: unknown option or missing "
                    "value\n%s", forms[f].name, usage);
            return -1;
        }
        if (option(o, argv[i], argv[i + 1]))
            return -1;
    }
    return 0;
}

/* The sigma form: configuration and the model's threshold. */
static enum dh_status
sigma(struct db *db, FILE *f, const struct opts *o, int *n, char *err,
      size_t errlen)
{
    struct config cfg;
    struct model m;
    char which[300];
    double thr;

    if (config_load(&cfg, o->config, err, errlen) != 0) {
        config_free(&cfg);
        return DH_USAGE;
    }
    if (modelfile_for_store(db, o->model, &m, which, sizeof which, err,
                            errlen)) {
        config_free(&cfg);
        return DH_IO;
    }
    thr = cfg.rules.dga_threshold > 0 ? cfg.rules.dga_threshold
        : m.split.thr3 > 0 ? m.split.thr3 : 0.9;
    model_free(&m);
    if (sigma_export(f, &cfg, thr, decide_now(), n) != 0) {
        snprintf(err, errlen, "cannot write the rules");
        config_free(&cfg);
        return DH_IO;
    }
    config_free(&cfg);
    return DH_OK;
}

static int
run(struct db *db, enum form f, const struct opts *o)
{
    FILE *out = stdout;
    char err[700];
    size_t n = 0;
    int rules = 0;
    enum dh_status rc = DH_OK;

    if (o->out && would_clobber_store(o->out, db_path(db))) {
        fprintf(stderr, "dnshunt: --out names the store itself\n");
        return EXIT_USAGE;
    }
    /* alerts are printed on standard output, which --out redirects */
    if (f == F_ALERTS && o->out && !freopen(o->out, "w", stdout)) {
        fprintf(stderr, "dnshunt: cannot write the alerts file\n");
        return EXIT_FATAL;
    }
    if (f != F_ALERTS && o->out && !(out = fopen(o->out, "w"))) {
        fprintf(stderr, "dnshunt: cannot write the %s file\n",
                forms[f].name);
        return EXIT_FATAL;
    }
    switch (f) {
    case F_STIX:
        rc = stix_export(db, out, decide_now(), o->ttl, &n, err,
                         sizeof err);
        break;
    case F_MISP:
        rc = misp_export(db, out, decide_now(), o->tlp, &n, err,
                         sizeof err);
        break;
    case F_ALERTS:
        rc = show_hosts(db, o->csv ? SHOW_CSV : SHOW_JSON, 0, 1, err,
                        sizeof err);
        break;
    case F_SIGMA:
        rc = sigma(db, out, o, &rules, err, sizeof err);
        break;
    }
    if (out != stdout && fclose(out) != 0 && rc == DH_OK) {
        snprintf(err, sizeof err, "cannot write the %s file", forms[f].name);
        rc = DH_IO;
    }
    if (rc != DH_OK) {
        fprintf(stderr, "dnshunt: %s\n", err);
        return rc == DH_USAGE ? EXIT_USAGE : EXIT_FATAL;
    }
    if (f == F_STIX || f == F_MISP)
        fprintf(stderr, "dnshunt: %zu indicator%s exported\n", n,
                n == 1 ? "" : "s");
    else if (f == F_SIGMA)
        fprintf(stderr, "dnshunt: %d Sigma rules exported\n", rules);
    return EXIT_CLEAN;
}

int
cmd_export(const char *db_path, int argc, char **argv)
{
    struct opts o = { 0 };
    struct db *db;
    size_t f = 0;
    int rc;

    if (argc < 2 || strcmp(argv[1], "--help") == 0) {
        fputs(usage, argc < 2 ? stderr : stdout);
        return argc < 2 ? EXIT_USAGE : EXIT_CLEAN;
    }
    while (f < sizeof forms / sizeof *forms && strcmp(argv[1],
                                                      forms[f].name))
        f++;
    if (f == sizeof forms / sizeof *forms) {
        fprintf(stderr, "dnshunt: export stix, misp, alerts or sigma\n%s",
                usage);
        return EXIT_USAGE;
    }
    if (parse((enum form)f, argc, argv, &o))
        return EXIT_USAGE;
    if ((rc = cli_open_store(db_path, 1, &db)) != EXIT_CLEAN)
        return rc;
    rc = run(db, (enum form)f, &o);
    db_close(db);
    return rc;
}
