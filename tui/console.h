/* SPDX-License-Identifier: MIT
 *
 * The hunting console: a full-screen terminal program over the store.
 * It opens on the ranked hosts; Enter drills into a host, then into one
 * of its domains; `?` lists every key. The only part of dnshunt that
 * talks curses and readline. While no key is pressed it looks for new
 * data every second: when an import or scoring run in another process
 * has committed, the open views reload, the cursor staying on its host
 * or domain.
 *
 * For tests, DNSHUNT_SCRIPT=FILE runs the console without a terminal:
 * each line of FILE (a regular file or a FIFO, which a test can feed
 * step by step) is a key (`j`, `Enter`, `Down`, `PgDn`, `Tab`,
 * `Esc`...), `/REGEX` (search), `:COMMAND` (the command line), `dump
 * FILE` (write the screen as text) or `poll` (what an idle second does),
 * and the screen is LINES x COLUMNS from the environment (24 x 80 by
 * default).
 */
#ifndef DNSHUNT_CONSOLE_H
#define DNSHUNT_CONSOLE_H

/*
 * Run the console on the store at db_path until the analyst quits.
 * Returns the process exit status: 0, 2 for a bad script, 3 when the
 * store cannot be opened or the terminal cannot be used.
 */
int console_run(const char *db_path);

#endif
