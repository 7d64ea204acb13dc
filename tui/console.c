/* SPDX-License-Identifier: MIT
 *
 * The console's start, its loop from keys to requests, and scripted
 * runs without a terminal (see console.h).
 *
 * Limits: scoring from the console runs in the foreground with its
 * stage on the status line, and cannot be cancelled half-way; the
 * store being busy (an import committing) is waited for, saying so,
 * until the analyst gives up with q.
 */
#include "tui/console.h"

#include <curses.h>
#include <locale.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/config.h"
#include "core/modelfile.h"
#include "core/score.h"
#include "core/util.h"
#include "storage/results.h"
#include "tui/app.h"

/* How often an idle console looks for new data in the store. */
#define POLL_MS 1000

/* The views Tab goes through, in order. */
static const struct view_ops *const top_views[] = {
    &hosts_view_ops, &alerts_view_ops, &domains_view_ops, &verdicts_view_ops,
    &allow_view_ops, &imports_view_ops, &review_view_ops,
};
#define N_TOP (sizeof top_views / sizeof *top_views)

/* --- Views on the stack --- */

void
console_push(struct app *a, const struct view_ops *ops, const char *arg)
{
    struct view *v;

    if (a->depth >= MAX_DEPTH) {
        display_status(a, 1, "too many views open: go back first");
        return;
    }
    if ((v = view_open(a, ops, arg)))
        a->stack[a->depth++] = v;
}

static void
pop_view(struct app *a)
{
    if (a->depth <= 1) {
        a->quit = 1;
        return;
    }
    view_free(a->stack[--a->depth]);
}

void
console_top(struct app *a, const struct view_ops *ops)
{
    struct view *v = view_open(a, ops, NULL);

    if (!v)
        return;
    while (a->depth > 1)
        view_free(a->stack[--a->depth]);
    view_free(a->stack[0]);
    a->stack[0] = v;
}

static void
next_top_view(struct app *a)
{
    size_t at = 0;

    for (size_t i = 0; i < N_TOP; i++)
        if (a->stack[0]->ops == top_views[i])
            at = (i + 1) % N_TOP;
    console_top(a, top_views[at]);
}

static void
enter(struct app *a)
{
    struct line *l = view_current(a->stack[a->depth - 1]);

    if (!l || !l->arg)
        return;
    if (l->target == TG_HOST)
        console_push(a, &host_view_ops, l->arg);
    else if (l->target == TG_DOMAIN)
        console_push(a, &domain_view_ops, l->arg);
}

/* --- Scoring --- */

/* Set by Ctrl-C: it cancels what runs and never kills the console,
 * whose store and terminal would be left half-written. */
static volatile sig_atomic_t interrupted;

static void
on_interrupt(int sig)
{
    (void)sig;
    interrupted = 1;
}

int
console_interrupted(void)
{
    int was = interrupted;

    interrupted = 0;
    return was;
}

/* Show the stage; q, Esc or C-c cancels (a terminal only). */
static int
score_stage(void *arg, const char *stage, double share)
{
    struct app *a = arg;
    int k = ERR;

    (void)share;
    display_status(a, 0, "scoring: %s ... (q cancels)", stage);
    display_draw(a);
    if (!a->script) {
        nodelay(stdscr, TRUE);
        k = getch();
        nodelay(stdscr, FALSE);
    }
    return console_interrupted() || k == 'q' || k == 27 || k == 3;
}

void
console_rescore(struct app *a)
{
    struct config cfg;
    struct score_opts o = { .since_ms = SCORE_NO_START,
                            .until_ms = SCORE_NO_END };
    struct score_summary sum;
    char err[512];
    int64_t t0 = now_ms();

    if (!a->has_model) {
        display_status(a, 1, "no DGA model, so no scoring: %s",
                       a->model_err);
        return;
    }
    if (config_load(&cfg, NULL, err, sizeof err) != 0) {
        config_free(&cfg);
        display_status(a, 1, "%s", err);
        return;
    }
    o.model = &a->model;
    o.model_id = a->model_name;
    o.cfg = &cfg;
    o.progress = score_stage;
    o.progress_arg = a;
    display_status(a, 0, "scoring: starting ... (q cancels)");
    display_draw(a);
    enum dh_status rc;
    while ((rc = score_run(a->db, &o, &sum, err, sizeof err)) == DH_DB &&
           action_busy(a, err))
        ;
    if (rc != DH_OK && strstr(err, "cancelled"))
        display_status(a, 1, "scoring %s", err);
    else if (rc != DH_OK)
        display_status(a, 1, "scoring failed: %s", err);
    else
        display_status(a, 0, "scored %s queries: %s hosts, %s alerts, in "
                       "%.1f s", fmt_thousands((double)sum.queries),
                       fmt_thousands((double)sum.hosts),
                       fmt_thousands((double)sum.alerts),
                       (double)(now_ms() - t0) / 1000.0);
    config_free(&cfg);
    for (int i = 0; i < a->depth; i++)
        view_reload(a, a->stack[i]);
}

/* --- Requests --- */

/* Compile text as a search or filter: case-insensitive unless it has
 * an upper-case letter. Returns 0, or -1 with the error shown. */
static int
compile(struct app *a, regex_t *re, const char *text)
{
    int flags = REG_EXTENDED | REG_NOSUB, rc;
    char msg[128];

    for (const char *p = text; *p; p++)
        if (p[0] == '\\' && p[1] >= '1' && p[1] <= '9') {
            /* back-references make matching exponential */
            display_status(a, 1, "bad regular expression: back-references "
                           "(\\1 to \\9) are not allowed");
            return -1;
        }
    for (const char *p = text; *p; p++)
        if (*p >= 'A' && *p <= 'Z')
            goto compile;
    flags |= REG_ICASE;
compile:
    if ((rc = regcomp(re, text, flags)) != 0) {
        regerror(rc, re, msg, sizeof msg);
        display_status(a, 1, "bad regular expression: %s", msg);
        return -1;
    }
    return 0;
}

static void
set_search(struct app *a, const char *text)
{
    regex_t re;

    if (!*text) {
        if (a->has_search)
            regfree(&a->search);
        a->has_search = 0;
        return;
    }
    if (compile(a, &re, text) != 0)     /* the old search stays */
        return;
    if (a->has_search)
        regfree(&a->search);
    a->search = re;
    a->has_search = 1;
    snprintf(a->search_text, sizeof a->search_text, "%s", text);
    if (view_find(a, a->stack[a->depth - 1], 1) != 0)
        display_status(a, 1, "no line matches /%.60s", text);
    else
        display_status(a, 0, "/%.60s (n next, N previous)", text);
}

static void
set_filter(struct app *a, const char *text)
{
    struct view *v = a->stack[a->depth - 1];
    regex_t re;

    if (*text && compile(a, &re, text) != 0)
        return;                         /* the old filter stays */
    if (v->has_filter)
        regfree(&v->filter);
    v->has_filter = 0;
    if (*text) {
        v->filter = re;
        v->has_filter = 1;
        snprintf(v->filter_text, sizeof v->filter_text, "%s", text);
    }
    view_apply_filter(v);
    if (v->has_filter)
        display_status(a, 0, "showing %s lines matching '%.60s' (f and "
                       "Enter shows all)", fmt_thousands((double)v->n_shown),
                       text);
    else
        display_status(a, 0, "showing all %s lines",
                       fmt_thousands((double)v->n_shown));
}

static void
ask(struct app *a, const char *question, void (*then)(struct app *,
                                                      const char *))
{
    char *text = prompt_ask(a, question);

    if (text)
        then(a, text);
    free(text);
}

static void
handle(struct app *a, enum request r)
{
    struct view *v = a->stack[a->depth - 1];
    long page = (long)display_page(a);

    switch (r) {
    case REQ_DOWN: view_move(v, 1, (size_t)page); break;
    case REQ_UP: view_move(v, -1, (size_t)page); break;
    case REQ_PAGE_DOWN: view_move(v, page, (size_t)page); break;
    case REQ_PAGE_UP: view_move(v, -page, (size_t)page); break;
    case REQ_FIRST: view_move(v, -(long)v->n_shown, (size_t)page); break;
    case REQ_LAST: view_move(v, (long)v->n_shown, (size_t)page); break;
    case REQ_ENTER: enter(a); break;
    case REQ_BACK: pop_view(a); break;
    case REQ_NEXT_VIEW: next_top_view(a); break;
    case REQ_SEARCH: ask(a, "/", set_search); break;
    case REQ_NEXT:
    case REQ_PREV:
        if (view_find(a, v, r == REQ_NEXT ? 1 : -1) != 0)
            display_status(a, 1, a->has_search ? "no line matches"
                           : "no search yet: / starts one");
        break;
    case REQ_FILTER: ask(a, "filter: ", set_filter); break;
    case REQ_SORT:
        view_sort_next(v);
        break;
    case REQ_RESCORE: console_rescore(a); break;
    case REQ_ALLOW: action_allow(a); break;
    case REQ_MARK_TP: action_mark(a, "tp"); break;
    case REQ_MARK_FP: action_mark(a, "fp"); break;
    case REQ_EXPORT: action_export(a, NULL); break;
    case REQ_PROMPT: prompt_read(a); break;
    case REQ_REFRESH: view_reload(a, v); clearok(curscr, TRUE); break;
    case REQ_HELP: console_push(a, &help_view_ops, NULL); break;
    case REQ_QUIT: a->quit = 1; break;
    default: break;
    }
}

static void
key(struct app *a, int k)
{
    enum request r;

    if (k == KEY_RESIZE) {
        int cols = a->cols;
        getmaxyx(stdscr, a->rows, a->cols);
        if (a->cols != cols)            /* long lines wrap to the width */
            view_reload(a, a->stack[a->depth - 1]);
        return;
    }
    r = keys_request(k);
    if (display_too_small(a) && r != REQ_QUIT)
        return;                         /* nothing to act on is shown */
    if (r == REQ_BACK && a->depth <= 1 && k != 'q')
        return;                         /* only q leaves the console */
    if (r != REQ_NONE) {
        a->status[0] = '\0';
        a->status_error = 0;
        handle(a, r);
    }
}

/* --- Scripts --- */

static int poll_store(struct app *a);

/* Run one line of the script; -1 for a line it does not understand. */
static int
script_line(struct app *a, char *line)
{
    size_t n = strlen(line);
    int k, rows, cols;

    while (n && (line[n - 1] == '\n' || line[n - 1] == '\r' ||
                 line[n - 1] == ' '))
        line[--n] = '\0';
    if (!n || line[0] == '#')
        return 0;
    if (line[0] == ':') {
        prompt_run(a, line + 1);
    } else if (line[0] == '/') {
        set_search(a, line + 1);
    } else if (strncmp(line, "filter ", 7) == 0 ||
               strcmp(line, "filter") == 0) {
        set_filter(a, n > 7 ? line + 7 : "");
    } else if (strncmp(line, "dump ", 5) == 0) {
        display_draw(a);
        if (display_dump(a, line + 5) != 0)
            return -1;
    } else if (strcmp(line, "poll") == 0) {     /* what an idle second does */
        if (!poll_store(a))
            display_status(a, 0, "no new data in the store");
    } else if (sscanf(line, "resize %d %d", &rows, &cols) == 2) {
        if (rows < 1 || rows > 1000 || cols < 1 || cols > 1000)
            return -1;
        resizeterm(rows, cols);
        key(a, KEY_RESIZE);
    } else if ((k = keys_parse(line)) >= 0) {
        key(a, k);
    } else {
        return -1;
    }
    return 0;
}

static void
run_script(struct app *a)
{
    char line[4096];
    const char *tpath = getenv("DNSHUNT_TIMINGS");
    FILE *times = tpath && *tpath ? fopen(tpath, "w") : NULL;

    if (times)
        fprintf(times, "%lld\t(opening the console on the hosts)\n",
                (long long)a->opened_ms);
    while (!a->quit && fgets(line, sizeof line, a->script)) {
        int64_t t0 = now_ms();
        int bad;
        a->script_line++;
        bad = script_line(a, line);
        if (times && !bad) {            /* the step and its redraw */
            display_draw(a);
            fprintf(times, "%lld\t%s\n", (long long)(now_ms() - t0), line);
        }
        if (bad) {
            char shown[128];
            escape_bytes(shown, sizeof shown, line, strlen(line));
            fprintf(stderr, "dnshunt: %s:%lu: cannot run '%s'\n",
                    a->script_path, a->script_line, shown);
            a->bad_script = 1;
            break;
        }
    }
    if (times)
        fclose(times);
}

/* --- Start and end --- */

static int
start_curses(struct app *a)
{
    setlocale(LC_ALL, "");
    if (a->script) {
        const char *term = getenv("TERM");
        FILE *out = fopen("/dev/null", "w"), *in = fopen("/dev/null", "r");
        if (!out || !in || !newterm(term && *term ? term : "xterm", out,
                                    in)) {
            fprintf(stderr, "dnshunt: cannot start the screen\n");
            return -1;
        }
    } else if (!newterm(NULL, stdout, stdin)) {
        const char *term = getenv("TERM");
        char shown[64];
        escape_bytes(shown, sizeof shown, term ? term : "", term ?
                     strlen(term) : 0);
        fprintf(stderr, "dnshunt: cannot drive the terminal type '%s'; "
                "set TERM (xterm-256color, screen, linux)\n", shown);
        return -1;
    }
    cbreak();
    noecho();
    nonl();
    keypad(stdscr, TRUE);
    curs_set(0);
    set_escdelay(25);
    getmaxyx(stdscr, a->rows, a->cols);
    display_init(a);
    return 0;
}

/* The message that greets the analyst: how fresh the scores are,
 * after lead. */
static void
greeting(struct app *a, const char *lead)
{
    struct run_row run;
    int64_t last = 0;
    char err[256];

    if (results_last_run(a->db, &run, err, sizeof err) != DH_OK ||
        results_last_import(a->db, &last, err, sizeof err) != DH_OK)
        display_status(a, 1, "%s%s", lead, err);
    else if (!last)
        display_status(a, 0, "%sthe store is empty: quit (q) and run "
                       "`dnshunt import PATH`", lead);
    else if (!run.id)
        display_status(a, 0, "%snever scored: press r to score the store",
                       lead);
    else if (run.last_import == RUN_RESPLIT)
        display_status(a, 0, "%san upgrade split the names into sites "
                       "anew: press r to score again", lead);
    else if (last > run.last_import)
        display_status(a, 0, "%sfiles were imported after the last "
                       "scoring: press r to score again", lead);
    else
        display_status(a, 0, "%s? for help, Enter to open, q to go back",
                       lead);
}

/* When another process (an import, a scoring run) committed to the store
 * since the last look, reload every open view and say so. Returns 1 when
 * it did. */
static int
poll_store(struct app *a)
{
    int64_t n = db_change_count(a->db);

    if (n < 0 || n == a->seen_change)
        return 0;
    a->seen_change = n;
    for (int i = 0; i < a->depth; i++)
        view_reload(a, a->stack[i]);
    greeting(a, "new data from another process, reloaded; ");
    return 1;
}

static int
open_all(struct app *a, const char *db_path)
{
    char err[512], where[300];
    const char *script = getenv("DNSHUNT_SCRIPT");

    escape_bytes(where, sizeof where, db_path, strlen(db_path));
    if (access(db_path, F_OK) != 0) {
        fprintf(stderr, "dnshunt: no store at %s; `dnshunt import PATH` "
                "makes one\n", where);
        return 3;
    }
    if (db_open(&a->db, db_path, err, sizeof err) != DH_OK) {
        fprintf(stderr, "dnshunt: %s: %s\n", where, err);
        return 3;
    }
    db_busy_wait(a->db, 300);           /* short, to say what it waits for */
    a->has_model = modelfile_for_store(a->db, NULL, &a->model,
                                       a->model_name, sizeof a->model_name,
                                       a->model_err,
                                       sizeof a->model_err) == 0;
    if (script && *script) {
        a->script_path = script;
        struct stat st;
        if (stat(script, &st) != 0 ||
            !(S_ISREG(st.st_mode) || S_ISFIFO(st.st_mode)) ||
            !(a->script = fopen(script, "r"))) {
            fprintf(stderr, "dnshunt: cannot read the script %s\n", script);
            return 2;
        }
    } else if (!isatty(0) || !isatty(1)) {
        fprintf(stderr, "dnshunt: the console needs a terminal; `dnshunt "
                "hosts` prints the ranking\n");
        return 2;
    }
    return 0;
}

int
console_run(const char *db_path)
{
    struct app a = { .db_path = db_path };
    int rc = open_all(&a, db_path);

    if (rc == 0 && start_curses(&a) != 0)
        rc = 2;
    if (rc == 0) {
        int64_t t0 = now_ms();
        a.stack[a.depth++] = view_open(&a, &hosts_view_ops, NULL);
        if (!a.stack[0])
            a.stack[0] = view_open(&a, &help_view_ops, NULL);
        greeting(&a, "");
        a.seen_change = db_change_count(a.db);
        display_draw(&a);
        a.opened_ms = now_ms() - t0;
        if (a.script) {
            run_script(&a);
        } else {
            struct sigaction sa = { .sa_handler = on_interrupt };
            sigemptyset(&sa.sa_mask);
            sigaction(SIGINT, &sa, NULL);
            while (!a.quit) {
                int k;
                display_draw(&a);
                timeout(POLL_MS);
                k = getch();
                timeout(-1);
                if (k == ERR && !interrupted) {
                    poll_store(&a);
                    continue;
                }
                if (interrupted) {
                    interrupted = 0;
                    display_status(&a, 0, "Ctrl-C does not quit: q goes "
                                   "back, Q quits");
                    continue;
                }
                key(&a, k);
            }
        }
        endwin();
        prompt_done(&a);
        rc = a.bad_script ? 2 : 0;
    }
    while (a.depth > 0)
        view_free(a.stack[--a.depth]);
    if (a.has_search)
        regfree(&a.search);
    if (a.script)
        fclose(a.script);
    if (a.has_model)
        model_free(&a.model);
    marks_free(&a);
    db_close(a.db);
    return rc;
}
