/* SPDX-License-Identifier: MIT
 *
 * The `:` command line and the questions the console asks (search,
 * filter), through GNU readline drawn on the status line: its history
 * is kept in $XDG_STATE_HOME/dnshunt/history (~/.local/state), Tab
 * completes commands, hosts and domains. Commands run from one table,
 * one handler each (see app.h).
 */
#include <curses.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <readline/history.h>
#include <readline/readline.h>

#include "core/decide.h"
#include "core/export.h"
#include "core/import.h"
#include "core/util.h"
#include "storage/results.h"
#include "tui/app.h"

/* The console whose line readline is editing: readline's callbacks take
 * no argument, so the one console of the process is kept here. */
static struct app *editing;
/* 1 while the : line is read; 0 for other questions, which complete
 * nothing and stay out of the history. */
static int command_line;


/* --- Commands --- */

static void
run_quit(struct app *a, const char *arg)
{
    (void)arg;
    a->quit = 1;
}

static void
run_host(struct app *a, const char *arg)
{
    console_push(a, &host_view_ops, arg);
}

static void
run_domain(struct app *a, const char *arg)
{
    console_push(a, &domain_view_ops, arg);
}

static void
run_view(struct app *a, const char *arg)
{
    static const struct view_ops *const tops[] = {
        &hosts_view_ops, &alerts_view_ops, &domains_view_ops,
        &imports_view_ops, &verdicts_view_ops, &allow_view_ops,
        &review_view_ops,
    };

    if (strcmp(arg, "help") == 0) {
        console_push(a, &help_view_ops, NULL);
        return;
    }
    for (size_t i = 0; i < sizeof tops / sizeof *tops; i++)
        if (strcmp(arg, tops[i]->name) == 0) {
            console_top(a, tops[i]);    /* like Tab: q then quits */
            return;
        }
    display_status(a, 1, "no view called '%.40s': hosts, alerts, domains, "
                   "imports, verdicts, allow, review, help", arg);
}

static void
run_score(struct app *a, const char *arg)
{
    (void)arg;
    console_rescore(a);
}

static void
run_sql(struct app *a, const char *arg)
{
    console_push(a, &table_view_ops, arg);
}

/* Show how far the import is; q, Esc or C-c cancels it. */
static int
import_progress(void *arg, uint64_t done, uint64_t total, uint64_t rows)
{
    struct app *a = arg;
    int k = ERR;

    display_status(a, 0, "importing: %s of %s bytes, %s rows (q cancels)",
                   fmt_thousands((double)done), fmt_thousands((double)total),
                   fmt_thousands((double)rows));
    display_draw(a);
    if (!a->script) {
        nodelay(stdscr, TRUE);
        k = getch();
        nodelay(stdscr, FALSE);
    }
    return console_interrupted() || k == 'q' || k == 27 || k == 3;
}

/* Point stderr at /dev/null; returns the old descriptor or -1. */
static int
quiet_stderr(void)
{
    int old = dup(2), null = open("/dev/null", O_WRONLY);

    if (old >= 0 && null >= 0)
        dup2(null, 2);
    if (null >= 0)
        close(null);
    return old;
}

static void
restore_stderr(int old)
{
    if (old < 0)
        return;
    dup2(old, 2);
    close(old);
}

static void
run_import(struct app *a, const char *arg)
{
    struct import_opts o = { .quiet = 1, .progress = import_progress,
                             .progress_arg = a };
    struct import_totals t;
    char err[512], *path;
    struct stat st;
    int saved;

    if (strcmp(arg, "-") == 0 || stat(arg, &st) != 0 ||
        !(S_ISREG(st.st_mode) || S_ISDIR(st.st_mode))) {
        display_status(a, 1, "import: '%.60s' is not a file or directory",
                       arg);
        return;
    }
    path = xstrdup(arg);
    /* Per-line messages go to stderr, which is the screen: hide them
     * while importing; the totals say what was rejected. */
    fflush(stderr);
    saved = quiet_stderr();
    enum dh_status rc = import_run(a->db, &o, &path, 1, &t, err, sizeof err);
    restore_stderr(saved);
    flushinp();
    if (rc == DH_CANCELLED)
        display_status(a, 1, "import cancelled: %llu files imported whole "
                       "stay (%s rows); one cut short is rolled back",
                       (unsigned long long)t.ok,
                       fmt_thousands((double)t.rows));
    else if (rc != DH_OK)
        display_status(a, 1, "import failed: %s", err);
    else
        display_status(a, t.rejected || t.failed || t.partial, "imported "
                       "%llu files whole, %llu in part (%llu skipped, %llu "
                       "failed): %s rows, %s rejected%s",
                       (unsigned long long)t.ok,
                       (unsigned long long)t.partial,
                       (unsigned long long)t.skipped,
                       (unsigned long long)t.failed,
                       fmt_thousands((double)t.rows),
                       fmt_thousands((double)t.rejected),
                       t.rows ? "; press r to score" : "; nothing new");
    free(path);
    for (int i = 0; i < a->depth; i++)
        view_reload(a, a->stack[i]);
}

static void
run_allow(struct app *a, const char *arg)
{
    char kind[16] = "", value[300] = "", scope[16] = "", err[512];
    int64_t id;

    if (sscanf(arg, "%15s %299s %15s", kind, value, scope) < 2) {
        display_status(a, 1, ":allow KIND VALUE [all|lexical]");
        return;
    }
    if (!*scope)
        snprintf(scope, sizeof scope, "%s", strcmp(kind, "host") == 0 ||
                 strcmp(kind, "cidr") == 0 || strcmp(kind, "resolver") == 0
                 ? "all" : "lexical");
    if (decide_allow(a->db, kind, value, scope, NULL, 0, &id, err,
                     sizeof err) != DH_OK) {
        display_status(a, 1, "not added: %s", err);
        return;
    }
    for (int i = 0; i < a->depth; i++)
        view_reload(a, a->stack[i]);
    display_status(a, 0, "entry %lld added (%s); press r to score with it",
                   (long long)id, scope);
}

static void
run_mark(struct app *a, const char *arg)
{
    char verdict[16] = "";

    sscanf(arg, "%15s", verdict);
    if (strcmp(verdict, "tp") && strcmp(verdict, "fp") &&
        strcmp(verdict, "benign")) {
        display_status(a, 1, ":mark tp|fp|benign marks the host or domain "
                       "under the cursor");
        return;
    }
    action_mark(a, verdict);
}

static void
run_export(struct app *a, const char *arg)
{
    action_export(a, arg);
}

static void
run_set(struct app *a, const char *arg)
{
    if (strcmp(arg, "colour off") == 0 || strcmp(arg, "color off") == 0)
        a->colour = 0;
    else if (strcmp(arg, "colour on") == 0 || strcmp(arg, "color on") == 0)
        display_init(a);
    else
        display_status(a, 1, ":set colour on|off");
}

static void
run_dump(struct app *a, const char *arg)
{
    display_draw(a);
    if (display_dump(a, arg) != 0)
        display_status(a, 1, "cannot write the screen to %.200s", arg);
}

static void
run_help(struct app *a, const char *arg)
{
    (void)arg;
    console_push(a, &help_view_ops, NULL);
}

static const struct command {
    const char *name;
    void      (*run)(struct app *, const char *);
    int         needs_arg;
} commands[] = {
    { "quit", run_quit, 0 },     { "q", run_quit, 0 },
    { "host", run_host, 1 },     { "domain", run_domain, 1 },
    { "view", run_view, 1 },     { "score", run_score, 0 },
    { "sql", run_sql, 1 },       { "dump", run_dump, 1 },
    { "import", run_import, 1 }, { "set", run_set, 1 },
    { "allow", run_allow, 1 },   { "mark", run_mark, 1 },
    { "export", run_export, 0 },
    { "help", run_help, 0 },
};

#define N_COMMANDS (sizeof commands / sizeof *commands)

void
prompt_run(struct app *a, const char *line)
{
    char name[32], *args;
    size_t n;

    while (*line == ' ' || *line == '\t' || *line == ':')
        line++;
    n = strcspn(line, " \t");
    if (!n)
        return;
    snprintf(name, sizeof name, "%.*s", (int)(n < 31 ? n : 31), line);
    line += n;
    while (*line == ' ' || *line == '\t')
        line++;
    /* without the blanks at the end that Tab completion leaves */
    n = strlen(line);
    while (n && (line[n - 1] == ' ' || line[n - 1] == '\t'))
        n--;
    args = xstrndup(line, n);
    for (size_t i = 0; i < N_COMMANDS; i++) {
        if (strcmp(name, commands[i].name) != 0)
            continue;
        if (commands[i].needs_arg && !*args)
            display_status(a, 1, ":%s needs an argument (:help)", name);
        else
            commands[i].run(a, args);
        free(args);
        return;
    }
    free(args);
    display_status(a, 1, "no command :%.31s (:help lists them)", name);
}

/* --- Readline on the status line --- */

static void
prep_noop(int meta)
{
    (void)meta;
}

static void
deprep_noop(void)
{
}

/* Set when the question is cancelled (Esc, C-g, C-c). */
static int cancelled;

/* Keys from curses as readline knows them: arrows and the like become
 * their Emacs bindings, a resize redraws and reads on, Esc cancels. */
static int
getc_curses(FILE *in)
{
    (void)in;
    for (;;) {
        int c = getch();
        switch (c) {
        case KEY_RESIZE:
            getmaxyx(stdscr, editing->rows, editing->cols);
            display_draw(editing);
            rl_forced_update_display();
            continue;
        case KEY_BACKSPACE: return 127;
        case KEY_LEFT: return 2;        /* C-b */
        case KEY_RIGHT: return 6;       /* C-f */
        case KEY_UP: return 16;         /* C-p */
        case KEY_DOWN: return 14;       /* C-n */
        case KEY_HOME: return 1;        /* C-a */
        case KEY_END: return 5;         /* C-e */
        case KEY_DC: return 4;          /* C-d */
        case 27:                        /* Esc */
        case 3:                         /* C-c */
        case 7:                         /* C-g */
        case ERR:
            cancelled = 1;
            rl_done = 1;
            return '\n';
        default:
            if (c > 255)
                continue;               /* a function key: nothing */
            return c;
        }
    }
}

/* Matches shown on the status line, not printed over the screen. */
static void
show_matches(char **matches, int n, int longest)
{
    struct app *a = editing;
    struct buf b = { 0 };

    (void)longest;
    buf_printf(&b, "%d matches:", n);
    for (int i = 1; i <= n && b.len < (size_t)a->cols; i++)
        buf_printf(&b, " %s", matches[i]);
    display_status(a, 0, "%.*s", a->cols > 1 ? a->cols - 1 : 1, b.data);
    display_draw(a);
    buf_free(&b);
    rl_forced_update_display();
}

/* Draw the prompt and the line being edited on the status line. */
static void
redisplay(void)
{
    struct app *a = editing;
    char line[1024];
    int y = a->rows - 1;

    escape_bytes(line, sizeof line, rl_line_buffer ? rl_line_buffer : "",
                 rl_line_buffer ? strlen(rl_line_buffer) : 0);
    move(y, 0);
    clrtoeol();
    mvaddnstr(y, 0, rl_display_prompt ? rl_display_prompt : "", a->cols);
    addnstr(line, a->cols - (int)strlen(rl_display_prompt ?
                                        rl_display_prompt : "") - 1);
    move(y, (int)strlen(rl_display_prompt ? rl_display_prompt : "") +
         (rl_point < a->cols ? rl_point : a->cols - 1));
    refresh();
}

static char **completions;
static size_t n_completions;

static int
add_completion(void *arg, const char *s)
{
    (void)arg;
    completions = xrealloc(completions, (n_completions + 1) *
                           sizeof *completions);
    completions[n_completions++] = xstrdup(s);
    return 0;
}

/* readline's generator: the state-th match of text. */
static char *
generate(const char *text, int state)
{
    static size_t next;

    if (!state)
        next = 0;
    while (next < n_completions) {
        const char *c = completions[next++];
        if (strncmp(c, text, strlen(text)) == 0)
            return xstrdup(c);
    }
    return NULL;
}

static char **
complete(const char *text, int start, int end)
{
    char err[256];

    (void)end;
    for (size_t i = 0; i < n_completions; i++)
        free(completions[i]);
    n_completions = 0;
    rl_attempted_completion_over = 1;
    if (!command_line)
        return NULL;
    if (start == 0) {
        for (size_t i = 0; i < N_COMMANDS; i++)
            add_completion(NULL, commands[i].name);
    } else if (strncmp(rl_line_buffer, "host ", 5) == 0) {
        results_complete(editing->db, 'h', text, add_completion, NULL, err,
                         sizeof err);
    } else if (strncmp(rl_line_buffer, "domain ", 7) == 0) {
        results_complete(editing->db, 'd', text, add_completion, NULL, err,
                         sizeof err);
    } else if (strncmp(rl_line_buffer, "view ", 5) == 0) {
        static const char *const names[] = { "hosts", "alerts", "domains",
                                             "imports", "verdicts", "allow",
                                             "review", "help" };
        for (size_t i = 0; i < sizeof names / sizeof *names; i++)
            add_completion(NULL, names[i]);
    } else if (strncmp(rl_line_buffer, "export ", 7) == 0) {
        for (int f = 0; f < EX_COUNT; f++)
            add_completion(NULL, export_name((enum export_form)f));
    }
    return rl_completion_matches(text, generate);
}

/* The history file, created with its directory when missing. */
static char *
history_path(void)
{
    const char *state = getenv("XDG_STATE_HOME"), *home = getenv("HOME");
    struct buf b = { 0 };

    if (state && *state)
        buf_printf(&b, "%s/dnshunt", state);
    else if (home && *home)
        buf_printf(&b, "%s/.local/state/dnshunt", home);
    else
        return NULL;
    for (char *p = b.data + 1; *p; p++)     /* mkdir -p */
        if (*p == '/') {
            *p = '\0';
            mkdir(b.data, 0700);
            *p = '/';
        }
    mkdir(b.data, 0700);
    buf_adds(&b, "/history");
    return b.data;
}

static void
start_readline(struct app *a)
{
    static int started;
    char *path;

    editing = a;
    if (started)
        return;
    started = 1;
    rl_readline_name = "dnshunt";
    rl_catch_signals = 0;
    rl_catch_sigwinch = 0;
    rl_change_environment = 0;
    rl_prep_term_function = prep_noop;
    rl_deprep_term_function = deprep_noop;
    rl_getc_function = getc_curses;
    rl_redisplay_function = redisplay;
    rl_attempted_completion_function = complete;
    rl_completion_display_matches_hook = show_matches;
    rl_completion_query_items = 100000;
    rl_variable_bind("page-completions", "off");
    using_history();
    stifle_history(1000);
    if ((path = history_path())) {
        read_history(path);
        free(path);
    }
}

char *
prompt_ask(struct app *a, const char *question)
{
    char *line;
    HIST_ENTRY *last;
    int is_command = command_line;

    if (a->script) {            /* the script's next line answers */
        char answer[1024];
        if (!fgets(answer, sizeof answer, a->script))
            return NULL;
        a->script_line++;
        answer[strcspn(answer, "\r\n")] = '\0';
        return xstrdup(answer);
    }
    start_readline(a);
    curs_set(1);
    cancelled = 0;
    line = readline(question);
    curs_set(0);
    if (cancelled) {
        free(line);
        display_status(a, 0, "cancelled");
        return NULL;
    }
    if (line && !is_command) {          /* no blanks around answers */
        size_t n = strlen(line);
        while (n && (line[n - 1] == ' ' || line[n - 1] == '\t'))
            line[--n] = '\0';
    }
    if (is_command && line && *line &&
        (!(last = history_get(history_length)) ||
         strcmp(last->line, line) != 0))
        add_history(line);
    return line;
}

void
prompt_read(struct app *a)
{
    char *line;

    command_line = 1;
    line = prompt_ask(a, ":");
    command_line = 0;

    if (line)
        prompt_run(a, line);
    free(line);
}

void
prompt_done(struct app *a)
{
    char *path;

    if (a->script || !editing)
        return;
    if ((path = history_path())) {
        if (write_history(path) != 0)
            fprintf(stderr, "dnshunt: cannot save the history: %s\n",
                    strerror(errno));
        free(path);
    }
}
