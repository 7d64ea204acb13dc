/* SPDX-License-Identifier: MIT
 *
 * dnshunt: hunt DGA callbacks and DNS tunnels in AWS Route 53 Resolver
 * query logs and VPC Flow Logs. This file picks the store and dispatches
 * to a command from one table, which also prints the help.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/cli.h"
#include "core/util.h"

#define DEFAULT_DB "./dnshunt.db"

/* One command: name, handler and one line of help. */
struct command {
    const char *name;
    int       (*run)(const char *db_path, int argc, char **argv);
    const char *summary;
};

static const struct command commands[] = {
    { "console", cmd_console, "the hunting console (dnshunt alone on a "
      "terminal)" },
    { "import", cmd_import, "import Route 53 query logs and VPC flow logs" },
    { "stats", cmd_stats, "rows, time range and files in the store" },
    { "classify", cmd_classify, "DGA score of names" },
    { "explain", cmd_explain, "why a host, domain or name scores as it does" },
    { "train", cmd_train, "train the DGA model from lists of names" },
    { "eval", cmd_eval, "measure the DGA model per family" },
    { "retrain", cmd_retrain, "a new DGA model from the analysts' verdicts" },
    { "simulate", cmd_simulate, "write a labelled VPC day with attacks" },
    { "score", cmd_score, "score hosts and domains from the stored logs" },
    { "hosts", cmd_hosts, "scored hosts, highest first" },
    { "domains", cmd_domains, "scored domains, most suspicious first" },
    { "alerts", cmd_alerts, "hosts whose score reached the alert level" },
    { "config", cmd_config, "print the effective scoring configuration" },
    { "allow", cmd_allow, "allow-list entries: add, rm, list, export, "
      "import" },
    { "mark", cmd_mark, "verdicts on domains and hosts: tp, fp, benign" },
    { "athena", cmd_athena, "Athena tables and aggregation queries for "
      "fleets too large to import" },
    { "export", cmd_export, "confirmed indicators as STIX 2.1 or MISP; "
      "alerts; Sigma rules" },
};

static void
help(FILE *out)
{
    fprintf(out, "usage: dnshunt [--db PATH] [COMMAND [ARGS]]\n"
            "       dnshunt --version | --help\n\ncommands:\n");
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        fprintf(out, "  %-10s %s\n", commands[i].name, commands[i].summary);
    fprintf(out, "\nThe store is ./dnshunt.db unless --db PATH or "
            "$DNSHUNT_DB names another.\n`dnshunt COMMAND --help` "
            "describes a command.\n");
}

int
main(int argc, char **argv)
{
    const char *db_path = getenv("DNSHUNT_DB");
    int i = 1;

    if (!db_path || !*db_path)
        db_path = DEFAULT_DB;
    while (i < argc && argv[i][0] == '-') {
        if (strcmp(argv[i], "--version") == 0) {
            printf("dnshunt %s\n", DNSHUNT_VERSION);
            return EXIT_CLEAN;
        } else if (strcmp(argv[i], "--help") == 0 ||
                   strcmp(argv[i], "-h") == 0) {
            help(stdout);
            return EXIT_CLEAN;
        } else if (strcmp(argv[i], "--db") == 0) {
            if (i + 1 >= argc) {
                fprintf(stderr, "dnshunt: --db needs a file name\n");
                return EXIT_USAGE;
            }
            db_path = argv[i + 1];
            i += 2;
        } else if (strncmp(argv[i], "--db=", 5) == 0) {
            db_path = argv[i] + 5;
            i++;
        } else {
            char shown[256];
            escape_bytes(shown, sizeof shown, argv[i], strlen(argv[i]));
            fprintf(stderr, "dnshunt: unknown option '%s'\n", shown);
            help(stderr);
            return EXIT_USAGE;
        }
    }
    if (!*db_path) {
        fprintf(stderr, "dnshunt: --db needs a file name\n");
        return EXIT_USAGE;
    }
    if (i >= argc) {                    /* no command */
        if (isatty(0) && isatty(1))
            return cmd_console(db_path, 0, NULL);
        help(stderr);
        return EXIT_USAGE;
    }
    if (strcmp(argv[i], "help") == 0) {
        if (i + 1 < argc) {             /* help CMD is CMD --help */
            static char help_opt[] = "--help";
            char *args[] = { argv[i + 1], help_opt, NULL };
            for (size_t k = 0; k < sizeof commands / sizeof commands[0]; k++)
                if (strcmp(argv[i + 1], commands[k].name) == 0)
                    return commands[k].run(db_path, 2, args);
        }
        help(stdout);
        return EXIT_CLEAN;
    }
    /* --db PATH may also come after the command: take it out of the
     * command's arguments (up to a "--"). */
    int n = i + 1;
    for (int j = i + 1; j < argc; j++) {
        if (strcmp(argv[j], "--") == 0) {
            while (j < argc)
                argv[n++] = argv[j++];
            break;
        }
        if (strcmp(argv[j], "--db") == 0 && j + 1 < argc) {
            db_path = argv[++j];
        } else if (strncmp(argv[j], "--db=", 5) == 0) {
            db_path = argv[j] + 5;
        } else {
            argv[n++] = argv[j];
        }
    }
    argc = n;
    argv[argc] = NULL;
    if (!*db_path) {
        fprintf(stderr, "dnshunt: --db needs a file name\n");
        return EXIT_USAGE;
    }
    for (size_t k = 0; k < sizeof commands / sizeof commands[0]; k++) {
        if (strcmp(argv[i], commands[k].name) != 0)
            continue;
        int rc = commands[k].run(db_path, argc - i, argv + i);
        if (fflush(stdout) != 0 || ferror(stdout)) {
            fprintf(stderr, "dnshunt: writing the output failed\n");
            return EXIT_FATAL;
        }
        return rc;
    }
    char shown[256];
    escape_bytes(shown, sizeof shown, argv[i], strlen(argv[i]));
    fprintf(stderr, "dnshunt: unknown command '%s'\n", shown);
    help(stderr);
    return EXIT_USAGE;
}
