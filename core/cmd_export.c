/* SPDX-License-Identifier: MIT
 *
 * `dnshunt export`: confirmed indicators as a STIX 2.1 bundle, and the
 * alerts as JSON lines or CSV for a SIEM.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/cli.h"
#include "core/show.h"
#include "core/stix.h"
#include "core/decide.h"
#include "core/util.h"
#include "storage/db.h"

static const char usage[] =
"usage: dnshunt export stix [--out FILE] [--ttl DAYS]\n"
"       dnshunt export alerts [--format jsonl|csv] [--out FILE]\n"
"\n"
"stix writes a STIX 2.1 bundle of the domains marked tp (`dnshunt mark`):\n"
"an identity for dnshunt, and for each domain an indicator valid for\n"
"DAYS (7) with its ATT&CK techniques and a confidence from its scores,\n"
"a domain-name object, attack-patterns and `indicates` relationships.\n"
"alerts writes one alerting host a line (the fields of `dnshunt hosts\n"
"--format json`, docs/data-model.md), or CSV. Output goes to standard\n"
"output unless --out. Exit status: 0 done, 2 usage error, 3 the store or\n"
"the file failed.\n";

static int
stix(struct db *db, int argc, char **argv)
{
    const char *out = NULL;
    int ttl = 7;
    FILE *f = stdout;
    size_t n = 0;
    char err[512];

    for (int i = 2; i < argc; i += 2) {
        char *end;
        if (i + 1 >= argc) {
            fputs(usage, stderr);
            return EXIT_USAGE;
        }
        if (strcmp(argv[i], "--out") == 0) {
            out = argv[i + 1];
        } else if (strcmp(argv[i], "--ttl") == 0) {
            ttl = (int)strtol(argv[i + 1], &end, 10);
            if (*end || ttl < 1 || ttl > 3650) {
                fprintf(stderr, "dnshunt: --ttl takes 1 to 3650 days\n");
                return EXIT_USAGE;
            }
        } else {
            fputs(usage, stderr);
            return EXIT_USAGE;
        }
    }
    if (out && would_clobber_store(out, db_path(db))) {
        fprintf(stderr, "dnshunt: --out names the store itself\n");
        return EXIT_USAGE;
    }
    if (out && !(f = fopen(out, "w"))) {
        fprintf(stderr, "dnshunt: cannot write the bundle file\n");
        return EXIT_FATAL;
    }
    enum dh_status rc = stix_export(db, f, decide_now(), ttl, &n, err,
                                    sizeof err);
    if (f != stdout && fclose(f) != 0 && rc == DH_OK) {
        snprintf(err, sizeof err, "cannot write the bundle file");
        rc = DH_IO;
    }
    if (rc != DH_OK) {
        fprintf(stderr, "dnshunt: %s\n", err);
        return EXIT_FATAL;
    }
    fprintf(stderr, "dnshunt: %zu indicators exported\n", n);
    return EXIT_CLEAN;
}

static int
alerts(struct db *db, int argc, char **argv)
{
    enum show_format f = SHOW_JSON;
    char err[512];

    for (int i = 2; i < argc; i += 2) {
        if (i + 1 >= argc) {
            fputs(usage, stderr);
            return EXIT_USAGE;
        }
        if (strcmp(argv[i], "--format") == 0 &&
            (strcmp(argv[i + 1], "jsonl") == 0 ||
             strcmp(argv[i + 1], "csv") == 0)) {
            f = argv[i + 1][0] == 'j' ? SHOW_JSON : SHOW_CSV;
        } else if (strcmp(argv[i], "--out") == 0) {
            if (would_clobber_store(argv[i + 1], db_path(db))) {
                fprintf(stderr, "dnshunt: --out names the store itself\n");
                return EXIT_USAGE;
            }
            if (!freopen(argv[i + 1], "w", stdout)) {
                fprintf(stderr, "dnshunt: cannot write the alerts file\n");
                return EXIT_FATAL;
            }
        } else {
            fputs(usage, stderr);
            return EXIT_USAGE;
        }
    }
    if (show_hosts(db, f, 0, 1, err, sizeof err) != DH_OK) {
        fprintf(stderr, "dnshunt: %s\n", err);
        return EXIT_FATAL;
    }
    return EXIT_CLEAN;
}

int
cmd_export(const char *db_path, int argc, char **argv)
{
    struct db *db;
    int rc;

    if (argc < 2 || strcmp(argv[1], "--help") == 0) {
        fputs(usage, argc < 2 ? stderr : stdout);
        return argc < 2 ? EXIT_USAGE : EXIT_CLEAN;
    }
    if (strcmp(argv[1], "stix") && strcmp(argv[1], "alerts")) {
        fprintf(stderr, "dnshunt: export stix or alerts\n%s", usage);
        return EXIT_USAGE;
    }
    if ((rc = cli_open_store(db_path, 1, &db)) != EXIT_CLEAN)
        return rc;
    rc = argv[1][0] == 's' ? stix(db, argc, argv) : alerts(db, argc, argv);
    db_close(db);
    return rc;
}
