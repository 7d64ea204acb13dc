/* SPDX-License-Identifier: MIT
 *
 * What the files of the console share: the application state, views
 * made of lines, the requests keys map to, colour roles. Each view is
 * one file (hosts.c, host.c, domain.c, imports.c, help.c) ending with
 * its ops table; view.c moves through lines, display.c draws them,
 * keys.c maps keys, prompt.c runs the `:` line.
 *
 * Every line's text is printable ASCII, escaped when the line is made
 * (escape_bytes), so drawing never sends a byte from a log to the
 * terminal.
 */
#ifndef DNSHUNT_TUI_APP_H
#define DNSHUNT_TUI_APP_H

#include <regex.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "core/allow.h"
#include "model/model_io.h"
#include "storage/db.h"

/* Semantic colours; display.c maps them to a theme. */
enum role {
    ROLE_NORMAL, ROLE_TITLE, ROLE_HEADER, ROLE_SECTION, ROLE_STATUS,
    ROLE_ERROR, ROLE_CURSOR, ROLE_CRITICAL, ROLE_HIGH, ROLE_MEDIUM,
    ROLE_LOW, ROLE_DIM, ROLE_MATCH, ROLE_COUNT
};

/* What Enter on a line opens. */
enum target { TG_NONE, TG_HOST, TG_DOMAIN, TG_IMPORT };

/* One line of a view. */
struct line {
    char       *text;       /* printable ASCII, owned */
    int         role;
    int         target;     /* enum target */
    char       *arg;        /* the host, domain or import id; owned */
    char       *detail;     /* printable; the status line shows it while
                             * the cursor is on the line; owned or NULL */
    double      key[6];     /* sort keys of table views */
};

struct app;
struct view;

/* A kind of view. */
struct view_ops {
    const char *name;       /* "hosts": for :view and the title */
    const char *title;      /* "Hosts" */
    /* Fill v's lines (and header); 0, or -1 with a message set. */
    int       (*load)(struct app *a, struct view *v);
    const char *const *sorts; /* names of the sort keys, NULL-ended */
};

/* One open view. */
struct view {
    const struct view_ops *ops;
    char        *arg;       /* the host or domain shown, or NULL */
    char        *header;    /* column header, or NULL */
    struct line *lines;
    size_t       n_lines, cap;
    size_t      *shown;     /* lines passing the filter, in order */
    size_t       n_shown;
    size_t       cursor;    /* index into shown */
    size_t       top;       /* first shown line on screen */
    int          sort;      /* index into ops->sorts */
    regex_t      filter;
    int          has_filter;
    char         filter_text[128];
};

#define MAX_DEPTH 16

/* One verdict, as the views show it. */
struct mark {
    int   host;             /* 1 for a host, 0 for a domain */
    char *value;
    char  verdict[8];       /* tp, fp or benign */
};

struct app {
    struct db   *db;
    const char  *db_path;
    struct model model;     /* for the domain view's explanation */
    int          has_model;
    char         model_name[300]; /* what loaded it: modelfile_for_store */
    char         model_err[300];  /* why there is none */
    struct view *stack[MAX_DEPTH];
    int          depth;
    int          rows, cols;
    int          colour;    /* colours in use */
    int          colour_ready; /* the colour pairs are set up */
    char         status[512];
    int          status_error;
    regex_t      search;
    int          has_search;
    char         search_text[128];
    FILE        *script;    /* DNSHUNT_SCRIPT, or NULL for a terminal */
    const char  *script_path;
    unsigned long script_line;
    struct allow_list allow; /* the entries in force */
    struct mark *marks;     /* the verdicts */
    size_t       n_marks;
    int          quit;
    int          bad_script;
    int64_t      opened_ms; /* how long the first view took */
    int64_t      seen_change; /* db_change_count() when last looked */
};

/* Requests a key can make; keys.c binds keys to them. */
#define REQUESTS(X) \
    X(DOWN,      "move down a line") \
    X(UP,        "move up a line") \
    X(PAGE_DOWN, "move down a page") \
    X(PAGE_UP,   "move up a page") \
    X(FIRST,     "go to the first line") \
    X(LAST,      "go to the last line") \
    X(ENTER,     "open the host or domain on this line") \
    X(BACK,      "go back to the previous view") \
    X(NEXT_VIEW, "next view: hosts, alerts, domains, verdicts, allow-list, "\
                 "imports, review") \
    X(SEARCH,    "search lines (regular expression)") \
    X(NEXT,      "next match") \
    X(PREV,      "previous match") \
    X(FILTER,    "show only lines matching a regular expression") \
    X(SORT,      "sort by the next column") \
    X(RESCORE,   "score the store again") \
    X(ALLOW,     "allow-list the host or domain (shows what it hides)") \
    X(MARK_TP,   "mark the host or domain a true positive") \
    X(MARK_FP,   "mark the host or domain a false positive") \
    X(EXPORT,    "export: STIX 2.1, MISP, alerts or Sigma rules") \
    X(PROMPT,    "command line (:help lists the commands)") \
    X(REFRESH,   "reload the view from the store") \
    X(HELP,      "this help") \
    X(QUIT,      "quit")

enum request {
#define REQ_ENUM(name, help) REQ_ ## name,
    REQUESTS(REQ_ENUM)
#undef REQ_ENUM
    REQ_COUNT, REQ_NONE
};

/* --- keys.c --- */

/* The request bound to key (a curses key code), or REQ_NONE. */
enum request keys_request(int key);

/* The key code named name ("j", "Enter", "PgDn", "C-l"), or -1. */
int keys_parse(const char *name);

/* Fill v with the help: every binding, generated from the table. */
void keys_help(struct view *v);

/* --- view.c --- */

/* A new view of kind ops about arg (may be NULL), loaded. NULL with a
 * status message when it cannot be loaded. */
struct view *view_open(struct app *a, const struct view_ops *ops,
                       const char *arg);

/* Reload v from the store in its sort order, keeping the cursor on the
 * same host, domain or import when it is still there (else on the same
 * row number). */
void view_reload(struct app *a, struct view *v);

/* Free v and its lines. */
void view_free(struct view *v);

/* Append a line of printf-formatted text to v; returns it. */
struct line *view_add(struct view *v, int role, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Add text (escaped already) as lines of at most width characters,
 * broken at spaces: the first line starts with lead, the others with
 * as many spaces as lead is long. */
void view_add_wrapped(struct view *v, int role, const char *lead,
                      const char *text, int width);

/* Recompute which lines pass v's filter. */
void view_apply_filter(struct view *v);

/* Move v's cursor by delta lines, clamped; page is the screen height. */
void view_move(struct view *v, long delta, size_t page);

/* Move to the next (dir 1) or previous (-1) line matching the search;
 * returns 0, or -1 when none does. */
int view_find(struct app *a, struct view *v, int dir);

/* The line under the cursor, or NULL. */
struct line *view_current(struct view *v);

/* Sort a table view by its next sort key. */
void view_sort_next(struct view *v);

/* --- display.c --- */

/* Set up colours (none with NO_COLOR or on a monochrome terminal). */
void display_init(struct app *a);

/* Draw the top view, its title and the status line. */
void display_draw(struct app *a);

/* Open a view on top of the stack (an error shows when it is full or
 * the view cannot load). */
void console_push(struct app *a, const struct view_ops *ops,
                  const char *arg);

/* Make ops the one view open, as Tab does (nothing changes when it
 * cannot load). */
void console_top(struct app *a, const struct view_ops *ops);

/* Nonzero once after Ctrl-C was pressed: it cancels long work. */
int console_interrupted(void);

/* Nonzero when the terminal is below the smallest size drawn. */
int display_too_small(const struct app *a);

/* Set the status line; error lines show in the error colour. */
void display_status(struct app *a, int error, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Write the screen as text (UTF-8 lines) to path; 0 or -1. */
int display_dump(struct app *a, const char *path);

/* Lines of the screen a view may use. */
size_t display_page(const struct app *a);

/* --- prompt.c --- */

/* Read one `:` command line (readline on a terminal) and run it. */
void prompt_read(struct app *a);

/* Run the command line cmd ("score", "sql SELECT ...", "quit"). */
void prompt_run(struct app *a, const char *cmd);

/* Save the history; call once at the end. */
void prompt_done(struct app *a);

/* Ask a question on the status line; the text typed, owned by the
 * caller, or NULL when cancelled. In a script the next line answers. */
char *prompt_ask(struct app *a, const char *question);

/* --- marks.c: the decisions as the views show them --- */

/* Reload the allow-list in force and the verdicts. */
void marks_load(struct app *a);

/* Free them. */
void marks_free(struct app *a);

/* The verdict on a host (host 1) or domain, or "". */
const char *marks_verdict(const struct app *a, int host, const char *value);

/* The tag of an allow-listed host, or "" ("allowed"). */
const char *marks_host_tag(const struct app *a, const char *addr);

/* The tag of an allow-listed domain: "allowed" (all signals),
 * "allowed-dga" (lexical only), or "". */
const char *marks_domain_tag(const struct app *a, const char *domain,
                             const char *registrable);

/* --- actions.c: what a, t, x and e do --- */

/* Allow-list the host or domain under the cursor, asking how. */
void action_allow(struct app *a);

/* Mark the host or domain under the cursor (verdict tp, fp, benign). */
void action_mark(struct app *a, const char *verdict);

/* Export in the form named by word (stix, misp, alerts, sigma; asked
 * when NULL or empty), asking where. */
void action_export(struct app *a, const char *word);

/*
 * After a write failed with err: when the store was busy (another
 * process writing), say so, wait a moment and return 1 to try again;
 * return 0 to give up (another error, or q pressed).
 */
int action_busy(struct app *a, const char *err);

/* --- the views --- */

extern const struct view_ops hosts_view_ops, alerts_view_ops,
       domains_view_ops, imports_view_ops, host_view_ops, domain_view_ops,
       help_view_ops, table_view_ops, allow_view_ops, verdicts_view_ops,
       review_view_ops;

/* Rescore the store, saying how it went on the status line. */
void console_rescore(struct app *a);

#endif
