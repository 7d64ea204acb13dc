/* SPDX-License-Identifier: MIT
 *
 * Commands of the dnshunt program. Each takes the store path chosen by
 * --db, DNSHUNT_DB or the default, and its own arguments (argv[0] is the
 * command name), and returns the process exit status.
 */
#ifndef DNSHUNT_CLI_H
#define DNSHUNT_CLI_H

/* Exit statuses shared by every command. */
enum {
    EXIT_CLEAN = 0,    /* done, nothing rejected */
    EXIT_REJECTS = 1,  /* done, but rows or files were rejected */
    EXIT_USAGE = 2,    /* bad command line */
    EXIT_FATAL = 3     /* the store could not be opened or written */
};

/* `dnshunt import`. */
int cmd_import(const char *db_path, int argc, char **argv);
/* `dnshunt stats`. */
int cmd_stats(const char *db_path, int argc, char **argv);

#endif
