/* SPDX-License-Identifier: MIT
 *
 * `dnshunt import [options] PATH...`: option parsing, the progress bar
 * and the closing summary around import_run().
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/cli.h"
#include "core/import.h"
#include "core/util.h"
#include "storage/db.h"
#include "tui/progress.h"

static const char usage[] =
"usage: dnshunt import [--format auto|route53|flow] [--flow-format FIELDS]\n"
"                      [--force] [--quiet] [--threads 1|2] [--max-line N]\n"
"                      [--max-ratio N] PATH...\n"
"\n"
"Import Route 53 Resolver query logs and VPC Flow Logs into the store.\n"
"PATH is a file, a directory (read recursively, e.g. a synced\n"
"s3://bucket/AWSLogs/ prefix) or - for standard input. Files may be\n"
"gzip'd; the format is detected from the content of each file.\n"
"\n"
"  --format F        treat every file as F: route53 (JSON lines, also\n"
"                    CloudWatch Logs envelopes) or flow (flow log text)\n"
"  --flow-format S   field names, in order, for flow files without a\n"
"                    header line, e.g. \"version srcaddr dstaddr ...\"\n"
"  --force           import again files whose content is already in the\n"
"                    store, replacing the earlier import\n"
"  --quiet           no progress bar, no messages but errors\n"
"  --threads 1|2     read and parse on a second thread while the first\n"
"                    writes (2, the default), or do both on one\n"
"  --max-line N      longest line or JSON value read, in bytes (default\n"
"                    1048576, at most 67108864); memory grows with it\n"
"  --max-ratio N     stop reading a gzip file when 16 MiB of its text came\n"
"                    from under 1/N as many compressed bytes, a\n"
"                    decompression bomb (default 200; 0 for no limit)\n"
"  --db PATH         the store (default ./dnshunt.db or $DNSHUNT_DB)\n"
"\n"
"Exit status: 0 all imported, 1 some rows or files were rejected,\n"
"2 usage error, 3 the store failed.\n";

static void
summary(const struct import_totals *t)
{
    printf("%llu file%s: %llu ok, %llu partial, %llu failed, %llu empty, "
           "%llu skipped; %llu rows kept, %llu rejected\n",
           (unsigned long long)t->files, t->files == 1 ? "" : "s",
           (unsigned long long)t->ok, (unsigned long long)t->partial,
           (unsigned long long)t->failed, (unsigned long long)t->empty,
           (unsigned long long)t->skipped, (unsigned long long)t->rows,
           (unsigned long long)t->rejected);
}

int
cmd_import(const char *db_path, int argc, char **argv)
{
    static const struct option longopts[] = {
        { "format", required_argument, NULL, 'f' },
        { "flow-format", required_argument, NULL, 'F' },
        { "force", no_argument, NULL, 'x' },
        { "quiet", no_argument, NULL, 'q' },
        { "max-line", required_argument, NULL, 'm' },
        { "max-ratio", required_argument, NULL, 'r' },
        { "threads", required_argument, NULL, 't' },
        { "db", required_argument, NULL, 'd' },
        { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 },
    };
    struct import_opts o = { 0 };
    struct import_totals t;
    struct progress *bar = NULL;
    struct db *db;
    char err[512];
    int c;
    enum dh_status rc;

    optind = 1;
    while ((c = getopt_long(argc, argv, "qh", longopts, NULL)) != -1) {
        switch (c) {
        case 'f': o.format = optarg; break;
        case 'F': o.flow_format = optarg; break;
        case 'x': o.force = 1; break;
        case 'q': o.quiet = 1; break;
        case 't':
            if (strcmp(optarg, "1") && strcmp(optarg, "2")) {
                fprintf(stderr, "dnshunt import: --threads takes 1 or 2\n");
                return EXIT_USAGE;
            }
            o.threads = atoi(optarg);
            break;
        case 'm':
            o.max_line = strspn(optarg, "0123456789") == strlen(optarg) &&
                         strlen(optarg) < 10 ? (size_t)atol(optarg) : 0;
            if (o.max_line < 64 || o.max_line > (64u << 20)) {
                fprintf(stderr, "dnshunt import: --max-line takes 64 to "
                        "67108864 bytes\n");
                return EXIT_USAGE;
            }
            break;
        case 'r':
            o.max_ratio = strspn(optarg, "0123456789") == strlen(optarg) &&
                          strlen(optarg) < 8 && *optarg ? atol(optarg) : 1;
            if (o.max_ratio == 1) {
                fprintf(stderr, "dnshunt import: --max-ratio takes 0 (no "
                        "limit) or 2 to 9999999\n");
                return EXIT_USAGE;
            }
            if (o.max_ratio == 0)
                o.max_ratio = -1;
            break;
        case 'd': db_path = optarg; break;
        case 'h': fputs(usage, stdout); return EXIT_CLEAN;
        default: fputs(usage, stderr); return EXIT_USAGE;
        }
    }
    if (o.format && strcmp(o.format, "auto") && strcmp(o.format, "route53") &&
        strcmp(o.format, "flow")) {
        char shown[128];
        escape_bytes(shown, sizeof shown, o.format, strlen(o.format));
        fprintf(stderr, "dnshunt import: unknown format '%s'\n", shown);
        return EXIT_USAGE;
    }
    if (optind >= argc) {
        fputs(usage, stderr);
        return EXIT_USAGE;
    }
    if ((c = cli_open_store(db_path, 0, &db)) != EXIT_CLEAN)
        return c;
    if (!o.quiet && (bar = progress_new("importing")) != NULL) {
        o.progress = progress_update;
        o.progress_arg = bar;
    }
    rc = import_run(db, &o, argv + optind, argc - optind, &t, err,
                    sizeof err);
    progress_end(bar);
    db_close(db);
    if (rc == DH_BAD_HEADER) {
        fprintf(stderr, "dnshunt import: --flow-format: %s\n", err);
        return EXIT_USAGE;
    }
    if (rc != DH_OK) {
        fprintf(stderr, "dnshunt import: %s: %s\n", dh_status_text(rc), err);
        return EXIT_FATAL;
    }
    if (!o.quiet)
        summary(&t);
    return t.rejected || t.failed || t.partial ? EXIT_REJECTS : EXIT_CLEAN;
}
