/* SPDX-License-Identifier: MIT
 *
 * The console's decisions: allow-listing what is under the cursor after
 * showing what the entry would hide, marking it a true or false
 * positive with a note, exporting the true positives (see app.h).
 */
#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/decide.h"
#include "core/export.h"
#include "core/util.h"
#include "tui/app.h"

int
action_busy(struct app *a, const char *err)
{
    static const char *const busy[] = { "database is locked",
        "database table is locked", "database schema is locked" };
    static int tries;                   /* a script gives up after 20 */
    size_t n = strlen(err), i;
    int k = ERR;

    /* SQLite's message ends the text; a name quoted in it cannot
     * (names have no spaces) */
    for (i = 0; i < sizeof busy / sizeof *busy; i++)
        if (n >= strlen(busy[i]) &&
            strcmp(err + n - strlen(busy[i]), busy[i]) == 0)
            break;
    if (i == sizeof busy / sizeof *busy || (a->script && ++tries > 20)) {
        tries = 0;
        return 0;
    }
    display_status(a, 0, "the store is busy: another process is writing "
                   "(an import?); waiting ... q gives up");
    display_draw(a);
    if (!a->script) {
        nodelay(stdscr, TRUE);
        k = getch();
        nodelay(stdscr, FALSE);
    }
    if (k == 'q' || k == 27) {
        display_status(a, 1, "gave up: the store stayed busy");
        return 0;
    }
    napms(300);
    return 1;
}

/* The host (1) or domain (0) under the cursor into what; -1 if none. */
static int
subject(struct app *a, char *what, size_t cap)
{
    struct view *v = a->stack[a->depth - 1];
    struct line *l = view_current(v);

    if (l && l->arg && (l->target == TG_HOST || l->target == TG_DOMAIN)) {
        snprintf(what, cap, "%s", l->arg);
        return l->target == TG_HOST;
    }
    if (v->arg && (v->ops == &host_view_ops || v->ops == &domain_view_ops)) {
        snprintf(what, cap, "%s", v->arg);
        return v->ops == &host_view_ops;
    }
    display_status(a, 1, "no host or domain here: open one, or move to "
                   "its line");
    return -1;
}

/* 1 for y or yes in any case, and nothing else ("yr" is no). */
static int
is_yes(const char *s)
{
    return strcasecmp(s, "y") == 0 || strcasecmp(s, "yes") == 0;
}

/* Ask question; the answer, or dflt when it is empty. NULL when the
 * analyst cancelled. */
static char *
ask(struct app *a, const char *question, const char *dflt)
{
    char *t = prompt_ask(a, question);

    if (t && !*t && dflt) {
        free(t);
        t = xstrdup(dflt);
    }
    return t;
}

static void
refresh_all(struct app *a)
{
    for (int i = 0; i < a->depth; i++)
        view_reload(a, a->stack[i]);
}

void
action_allow(struct app *a)
{
    char what[300], q[512], err[512], norm[300], shown[320];
    int host = subject(a, what, sizeof what);
    char *kind = NULL, *value = NULL, *scope = NULL, *ok = NULL,
         *reason = NULL;
    struct allow_item it;
    struct allow_preview p;
    int64_t id;

    if (host < 0)
        return;
    escape_bytes(shown, sizeof shown, what, strlen(what));
    snprintf(q, sizeof q, host ? "allow-list %.200s as host, or cidr "
             "NET/LEN [host]: " : "allow-list %.200s as exact, suffix or "
             "registrable [suffix]: ", shown);
    if (!(kind = ask(a, q, host ? "host" : "suffix")))
        goto done;
    value = strchr(kind, ' ');
    if (value)
        *value++ = '\0';
    scope = ask(a, host ? "scope: all or lexical (DGA signal only) [all]: "
                : "scope: all or lexical (DGA signal only) [lexical]: ",
                host ? "all" : "lexical");
    if (!scope || allow_parse(kind, value ? value : what, scope, &it, norm,
                              sizeof norm, err, sizeof err) != 0) {
        if (scope)
            display_status(a, 1, "not added: %s", err);
        goto done;
    }
    if (decide_preview(a->db, &it, &p, err, sizeof err) != DH_OK) {
        display_status(a, 1, "%s", err);
        goto done;
    }
    if (it.kind == AK_HOST || it.kind == AK_CIDR)
        snprintf(q, sizeof q, "%s %.200s (%s) covers %llu hosts (%llu "
                 "queries, %llu alerting): add it? [y/N] ", kind, norm,
                 scope, (unsigned long long)p.hosts,
                 (unsigned long long)p.queries,
                 (unsigned long long)p.alerts);
    else
        snprintf(q, sizeof q, "%s %.200s (%s) covers %llu domains (%llu "
                 "queries) and %llu hosts (%llu alerting): add it? [y/N] ",
                 kind, norm, scope, (unsigned long long)p.domains,
                 (unsigned long long)p.queries, (unsigned long long)p.hosts,
                 (unsigned long long)p.alerts);
    if (!(ok = ask(a, q, "n")) || !is_yes(ok)) {
        display_status(a, 0, "nothing added");
        goto done;
    }
    reason = ask(a, "reason (Enter for none): ", "");
    enum dh_status rc;
    while ((rc = decide_allow(a->db, kind, norm, scope, reason && *reason
                              ? reason : NULL, 0, &id, err, sizeof err)) !=
           DH_OK && action_busy(a, err))
        ;
    if (rc != DH_OK) {
        display_status(a, 1, "not added: %s", err);
        goto done;
    }
    refresh_all(a);
    display_status(a, 0, "entry %lld added: %s %.200s (%s); press r to "
                   "score with it", (long long)id, kind, norm, scope);
done:
    free(kind);
    free(scope);
    free(ok);
    free(reason);
}

void
action_mark(struct app *a, const char *verdict)
{
    char what[300], q[400], err[512], shown[320];
    int host = subject(a, what, sizeof what);
    char *note;

    if (host < 0)
        return;
    escape_bytes(shown, sizeof shown, what, strlen(what));
    snprintf(q, sizeof q, "note for %s on %.200s (Enter for none): ",
             verdict, shown);
    if (!(note = ask(a, q, "")))
        return;
    enum dh_status rc;
    while ((rc = decide_mark(a->db, host ? "host" : "domain", what, verdict,
                             *note ? note : NULL, err, sizeof err)) !=
           DH_OK && action_busy(a, err))
        ;
    if (rc != DH_OK)
        display_status(a, 1, "not marked: %s", err);
    else {
        refresh_all(a);
        display_status(a, 0, "%s %.200s marked %s", host ? "host" : "domain",
                       shown, verdict);
    }
    free(note);
}

/* The form to export: from the : line's word, else asked. */
static int
export_form(struct app *a, const char *word, enum export_form *f)
{
    char *ans = NULL;

    if (!word || !*word)
        word = ans = ask(a, "export as stix, misp, alerts or sigma "
                         "[stix]: ", "stix");
    if (!word)
        return -1;
    *f = export_lookup(word);
    free(ans);
    if (*f == EX_COUNT) {
        display_status(a, 1, "exports are stix, misp, alerts and sigma");
        return -1;
    }
    return 0;
}

/* 1 when path may be written: not the store, and not an existing file
 * unless the analyst says so. */
static int
may_write(struct app *a, const char *path, const char *shown)
{
    char q[400], *yes;
    int ok;

    if (would_clobber_store(path, a->db_path)) {
        display_status(a, 1, "%s is the store itself: not written", shown);
        return 0;
    }
    struct stat st;
    if (stat(path, &st) == 0 && S_ISDIR(st.st_mode)) {
        display_status(a, 1, "%s is a directory: not written", shown);
        return 0;
    }
    if (access(path, F_OK) != 0)
        return 1;
    snprintf(q, sizeof q, "%.300s exists: overwrite it? [y/N] ", shown);
    yes = ask(a, q, "n");
    ok = yes && is_yes(yes);
    if (!ok)
        display_status(a, 0, "not written");
    free(yes);
    return ok;
}

void
action_export(struct app *a, const char *word)
{
    enum export_form f;
    struct export_opts o;
    char q[200], err[512], shown[300];
    char *path;
    size_t n = 0;

    if (export_form(a, word, &f) != 0)
        return;
    snprintf(q, sizeof q, "write the %s export to [%s]: ", export_name(f),
             export_default_file(f));
    if (!(path = ask(a, q, export_default_file(f))))
        return;
    escape_bytes(shown, sizeof shown, path, strlen(path));
    if (!may_write(a, path, shown)) {
        free(path);
        return;
    }
    export_defaults(&o);
    enum dh_status rc = export_to_path(a->db, f, &o, path, &n, err,
                                       sizeof err);
    if (rc != DH_OK)
        display_status(a, 1, "export failed: %s", err);
    else if (f == EX_ALERTS)
        display_status(a, 0, "the alerts written to %s", shown);
    else
        display_status(a, 0, "%zu %s written to %s", n, export_unit(f, n),
                       shown);
    free(path);
}
