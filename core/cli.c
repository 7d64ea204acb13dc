/* SPDX-License-Identifier: MIT
 *
 * What the commands share: opening the store with messages a person can
 * act on.
 */
#include "core/cli.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "core/isotime.h"
#include "core/util.h"
#include "storage/db.h"

/* Said when a command waits for another process's write. */
static void
say_waiting(void *arg)
{
    (void)arg;
    fprintf(stderr, "dnshunt: waiting for another process writing the "
            "store (an import or scoring run) ...\n");
}

int
cli_open_store(const char *path, int must_exist, struct db **db)
{
    char where[512], err[512];

    if (!*path) {
        fprintf(stderr, "dnshunt: --db needs a file name\n");
        return EXIT_USAGE;
    }
    escape_bytes(where, sizeof where, path, strlen(path));
    if (must_exist && access(path, F_OK) != 0) {
        fprintf(stderr, "dnshunt: no store at %s; `dnshunt import` makes "
                "one\n", where);
        return EXIT_FATAL;
    }
    if (db_open(db, path, err, sizeof err) != DH_OK) {
        fprintf(stderr, "dnshunt: %s: %s\n", where, err);
        return EXIT_FATAL;
    }
    db_on_long_wait(*db, say_waiting, NULL);
    return EXIT_CLEAN;
}

int
cli_parse_time(const char *opt, const char *s, int64_t *ms)
{
    char buf[40];

    if (strlen(s) == 10) {
        snprintf(buf, sizeof buf, "%sT00:00:00Z", s);
        s = buf;
    }
    if (isotime_parse(s, strlen(s), ms) != 0) {
        char shown[64];
        escape_bytes(shown, sizeof shown, s, strlen(s));
        fprintf(stderr, "dnshunt: --%s: not a time: '%s' (use "
                "2024-05-01 or 2024-05-01T06:00:00Z)\n", opt, shown);
        return -1;
    }
    return 0;
}
