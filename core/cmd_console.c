/* SPDX-License-Identifier: MIT
 *
 * `dnshunt console`: the hunting console (tui/console.h).
 */
#include <stdio.h>
#include <string.h>

#include "core/cli.h"
#include "tui/console.h"

static const char usage[] =
"usage: dnshunt console\n"
"\n"
"Open the hunting console on the store: the ranked hosts first; Enter\n"
"opens a host, then one of its domains; Tab goes through hosts, alerts,\n"
"domains, verdicts, allow-list, imports and the review queue; t and x\n"
"mark, a allow-lists, e exports; / searches, f filters, s sorts, r scores again,\n"
": opens the command line, ? lists every key. `dnshunt` alone on a\n"
"terminal does the same. DNSHUNT_SCRIPT=FILE runs a script of keys\n"
"without a terminal (for tests). Exit status: 0 done, 2 usage error or\n"
"no terminal, 3 no store or it cannot be read.\n";

int
cmd_console(const char *db_path, int argc, char **argv)
{
    if (argc > 1 && (strcmp(argv[1], "--help") == 0 ||
                     strcmp(argv[1], "-h") == 0)) {
        fputs(usage, stdout);
        return EXIT_CLEAN;
    }
    if (argc > 1) {
        fprintf(stderr, "dnshunt: console takes no argument\n%s", usage);
        return EXIT_USAGE;
    }
    return console_run(db_path);
}
