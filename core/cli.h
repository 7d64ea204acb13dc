/* SPDX-License-Identifier: MIT
 *
 * Commands of the dnshunt program. Each takes the store path chosen by
 * --db, DNSHUNT_DB or the default, and its own arguments (argv[0] is the
 * command name), and returns the process exit status.
 */
#ifndef DNSHUNT_CLI_H
#define DNSHUNT_CLI_H

#include <stdint.h>

/* Exit statuses shared by every command. */
enum {
    EXIT_CLEAN = 0,    /* done, nothing rejected */
    EXIT_REJECTS = 1,  /* done, but rows or files were rejected */
    EXIT_USAGE = 2,    /* bad command line */
    EXIT_FATAL = 3     /* the store, a model or an input list could not
                          be opened, read or written */
};

struct db;

/*
 * Open the store for a command, reporting any failure on stderr with the
 * path escaped: an empty path (EXIT_USAGE), a missing store when
 * must_exist (EXIT_FATAL), a store that cannot be opened (EXIT_FATAL).
 * Returns EXIT_CLEAN with *db set, or the exit status to return.
 */
int cli_open_store(const char *path, int must_exist, struct db **db);

/*
 * The time option --opt given as s: ISO 8601, or a date meaning its
 * midnight UTC, into *ms. Returns 0, or -1 after saying what is wrong.
 */
int cli_parse_time(const char *opt, const char *s, int64_t *ms);

/* `dnshunt athena`. */
int cmd_athena(const char *db_path, int argc, char **argv);
/* `dnshunt import`. */
int cmd_import(const char *db_path, int argc, char **argv);
/* `dnshunt stats`. */
int cmd_stats(const char *db_path, int argc, char **argv);

/* `dnshunt classify`. */
int cmd_classify(const char *db_path, int argc, char **argv);
/* `dnshunt explain`. */
int cmd_explain(const char *db_path, int argc, char **argv);
/* `dnshunt train`. */
int cmd_train(const char *db_path, int argc, char **argv);
/* `dnshunt simulate`. */
int cmd_simulate(const char *db_path, int argc, char **argv);
/* `dnshunt eval`. */
int cmd_eval(const char *db_path, int argc, char **argv);

/* `dnshunt retrain`: a model from the base lists and the verdicts. */
int cmd_retrain(const char *db_path, int argc, char **argv);
/* `dnshunt score`. */
int cmd_score(const char *db_path, int argc, char **argv);
/* `dnshunt hosts`. */
int cmd_hosts(const char *db_path, int argc, char **argv);
/* `dnshunt domains`. */
int cmd_domains(const char *db_path, int argc, char **argv);
/* `dnshunt alerts`. */
int cmd_alerts(const char *db_path, int argc, char **argv);
/* `dnshunt console`, and `dnshunt` alone on a terminal. */
int cmd_console(const char *db_path, int argc, char **argv);
/* `dnshunt allow`. */
int cmd_allow(const char *db_path, int argc, char **argv);
/* `dnshunt mark`. */
int cmd_mark(const char *db_path, int argc, char **argv);
/* `dnshunt export`. */
int cmd_export(const char *db_path, int argc, char **argv);
/* `dnshunt config`. */
int cmd_config(const char *db_path, int argc, char **argv);

/*
 * Explain what, a host (address or instance id) or a domain of the last
 * scoring run in the store at db_path. Returns EXIT_CLEAN when a host
 * was explained, -2 when a domain was (the caller adds the lexical
 * explanation), -1 when what is neither or the store was never scored,
 * or EXIT_FATAL when the store failed. Never creates a store.
 */
int explain_stored(const char *db_path, const char *what);

#endif
