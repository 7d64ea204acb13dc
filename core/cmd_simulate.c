/* SPDX-License-Identifier: MIT
 *
 * `dnshunt simulate`: write a labelled VPC day (see core/simulate.h).
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/cli.h"
#include "core/isotime.h"
#include "core/simulate.h"
#include "core/util.h"

static const char usage[] =
"usage: dnshunt simulate --out DIR [--seed S] [--hosts N] [--hours H]\n"
"                        [--scale F] [--attacks LIST] [--date YYYY-MM-DD]\n"
"\n"
"Write one simulated VPC day as `aws s3 sync` would bring it down:\n"
"Route 53 Resolver query logs under DIR/AWSLogs/<account>/vpcdnsquerylogs/\n"
"and VPC Flow Logs under DIR/AWSLogs/<account>/vpcflowlogs/, in gzip'd\n"
"ten-minute objects, and DIR/truth.json naming every attacked host,\n"
"attack and malicious name. Hosts play benign roles (application\n"
"servers, Kubernetes nodes, CI runners, a mail relay, security agents,\n"
"backup hosts, workstations behind the VPC's own resolver); the attacks\n"
"run on hosts of their own. The same options give the same bytes. DIR\n"
"must be new or empty; import DIR/AWSLogs.\n"
"\n"
"Defaults: seed 1, 200 hosts (at most 57600), 24 hours from\n"
"2024-05-01T00:00Z, scale 1 (benign activity, up to 100; memory grows\n"
"with it, about 180 MB at 100), every attack.\n"
"Exit status: 0 done, 2 usage error, 3 the directory could not be\n"
"written (or is not empty).\n"
"--attacks takes a comma-separated list, or 'none':\n";

static void
print_usage(FILE *f)
{
    fputs(usage, f);
    for (int k = 0; k < SA_COUNT; k++)
        fprintf(f, "  %-9s %s\n", sim_attack_key((enum sim_attack)k),
                sim_attack_text((enum sim_attack)k));
}

static int
parse_attacks(const char *arg, unsigned *out)
{
    char *list = xstrdup(arg), *save = NULL;
    int bad = 0;

    *out = 0;
    if (strcmp(arg, "none") == 0) {
        free(list);
        return 0;
    }
    if (!strchr(arg, ',') && !*arg)
        bad = 1;
    for (char *t = strtok_r(list, ",", &save); t && !bad;
         t = strtok_r(NULL, ",", &save)) {
        int k;
        for (k = 0; k < SA_COUNT; k++)
            if (strcmp(t, sim_attack_key((enum sim_attack)k)) == 0)
                break;
        if (k == SA_COUNT)
            bad = 1;
        else
            *out |= 1u << k;
    }
    free(list);
    return bad || !*out ? -1 : 0;       /* "" and "," name no attack */
}

/* A whole number in [lo, hi]. */
static int
whole(const char *arg, long long lo, long long hi, long long *v)
{
    char *end;

    errno = 0;
    *v = strtoll(arg, &end, 10);
    return !*arg || *end || errno || *v < lo || *v > hi ? -1 : 0;
}

static int
parse_date(const char *arg, int64_t *ms)
{
    char iso[40];

    if (strlen(arg) != 10)
        return -1;
    snprintf(iso, sizeof iso, "%sT00:00:00Z", arg);
    return isotime_parse(iso, strlen(iso), ms);
}

int
cmd_simulate(const char *db_path, int argc, char **argv)
{
    static const struct option opts[] = {
        { "out", required_argument, NULL, 'o' },
        { "seed", required_argument, NULL, 's' },
        { "hosts", required_argument, NULL, 'n' },
        { "hours", required_argument, NULL, 'H' },
        { "scale", required_argument, NULL, 'x' },
        { "attacks", required_argument, NULL, 'a' },
        { "date", required_argument, NULL, 'd' },
        { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 },
    };
    struct sim_opts o;
    struct sim_stats st;
    char err[600], *end;
    long long v;
    int ch;

    (void)db_path;
    sim_defaults(&o);
    optind = 1;
    opterr = 0;
    while ((ch = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        int bad = 0;
        switch (ch) {
        case 'o': o.out = optarg, bad = !*optarg; break;
        case 's':
            bad = whole(optarg, 0, 9007199254740991LL, &v);
            o.seed = (uint64_t)v;
            break;
        case 'n':
            bad = whole(optarg, 16, 57600, &v), o.hosts = (int)v;
            break;
        case 'H':
            bad = whole(optarg, 1, 24, &v), o.hours = (int)v;
            break;
        case 'x':
            o.scale = strtod(optarg, &end);
            bad = !*optarg || *end || !(o.scale > 0.0) || o.scale > 100.0;
            break;
        case 'a': bad = parse_attacks(optarg, &o.attacks); break;
        case 'd': bad = parse_date(optarg, &o.start_ms); break;
        case 'h':
            print_usage(stdout);
            return EXIT_CLEAN;
        default:
            bad = 1;
        }
        if (bad) {
            char shown[128];
            const struct option *op = opts;
            while (op->name && op->val != ch)
                op++;
            if (op->name && optarg)
                fprintf(stderr, "dnshunt: bad value for --%s: '%s'\n",
                        op->name, escape_bytes(shown, sizeof shown, optarg,
                                               strlen(optarg)));
            else
                fprintf(stderr, "dnshunt: unknown option or missing "
                        "value\n");
            print_usage(stderr);
            return EXIT_USAGE;
        }
    }
    if (!o.out || optind < argc) {
        print_usage(stderr);
        return EXIT_USAGE;
    }
    if (simulate(&o, &st, err, sizeof err) != 0) {
        fprintf(stderr, "dnshunt: %s\n", err);
        return EXIT_FATAL;
    }
    printf("%llu queries and %llu flow records in %llu files "
           "(%llu queries by attacks)\n", (unsigned long long)st.queries,
           (unsigned long long)st.flows, (unsigned long long)st.files,
           (unsigned long long)st.attack_queries);
    return EXIT_CLEAN;
}
