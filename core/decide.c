/* SPDX-License-Identifier: MIT
 *
 * Decisions: allow-list entries, their text form, verdicts (see
 * decide.h).
 */
#include "core/decide.h"

#include <pwd.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/isotime.h"
#include "core/names.h"
#include "core/util.h"
#include "storage/decisions.h"
#include "storage/results.h"

int64_t
decide_now(void)
{
    const char *fixed = getenv("DNSHUNT_NOW");
    int64_t ms;

    if (fixed && *fixed && isotime_parse(fixed, strlen(fixed), &ms) == 0)
        return ms;
    return now_ms();
}

const char *
decide_who(void)
{
    const char *u = getenv("USER");
    struct passwd *pw;

    if (u && *u)
        return u;
    if ((u = getenv("LOGNAME")) && *u)
        return u;
    if ((pw = getpwuid(getuid())) && pw->pw_name)
        return pw->pw_name;
    return "unknown";
}

/* --- Previews --- */

struct preview {
    struct allow_item     it;   /* a copy, as a list of one */
    struct allow_preview *p;
};

static int
preview_domain(void *arg, const struct domain_row *d,
               const struct host_domain_row *hd)
{
    struct preview *pv = arg;
    struct allow_list one = { &pv->it, 1 };

    (void)hd;
    if (pv->it.kind == AK_ASN) {
        char tag[24];
        const char *at;
        snprintf(tag, sizeof tag, "asn:AS%u", pv->it.asn);
        at = d->noise ? strstr(d->noise, tag) : NULL;
        if (at && (at[strlen(tag)] == '\0' || at[strlen(tag)] == ',')) {
            pv->p->domains++;
            pv->p->queries += (uint64_t)d->queries;
        }
        return 0;
    }
    if (allow_name(&one, d->domain, d->registrable)) {
        pv->p->domains++;
        pv->p->queries += (uint64_t)d->queries;
    }
    return 0;
}

static int
preview_host(void *arg, const struct host_row *h)
{
    struct preview *pv = arg;
    struct allow_list one = { &pv->it, 1 };

    if (allow_host(&one, h->addr)) {
        pv->p->hosts++;
        pv->p->alerts += (uint64_t)h->alert;
        pv->p->queries += (uint64_t)h->queries;
    }
    return 0;
}

enum dh_status
decide_preview(struct db *db, const struct allow_item *it,
               struct allow_preview *p, char *err, size_t errlen)
{
    struct preview pv = { *it, p };

    memset(p, 0, sizeof *p);
    if (it->kind == AK_HOST || it->kind == AK_CIDR)
        return results_hosts(db, 0, 0, preview_host, &pv, err, errlen);
    if (it->kind == AK_RESOLVER)
        return DH_OK;
    return results_domains(db, 0, 0, preview_domain, &pv, err, errlen);
}

/* --- Entries --- */

/* 1 with why in err when a suffix or registrable entry is a public
 * suffix: it would hide every name under it. */
static int
too_wide(const struct allow_item *it, const char *norm, char *err,
         size_t errlen)
{
    struct name_parts parts;

    if (it->kind != AK_SUFFIX && it->kind != AK_REGISTRABLE)
        return 0;
    names_split(NULL, norm, &parts);
    if (parts.domain || names_is_ip_literal(norm))
        return 0;
    snprintf(err, errlen, "%.100s is a public suffix: the entry would hide "
             "every name under it", norm);
    return 1;
}

enum dh_status
decide_allow(struct db *db, const char *kind, const char *value,
             const char *scope, const char *reason, int64_t expires_ms,
             int64_t *id, char *err, size_t errlen)
{
    struct allow_item it;
    char norm[300];
    struct allow_entry e;

    if (allow_parse(kind, value, scope, &it, norm, sizeof norm, err,
                    errlen) != 0 || too_wide(&it, norm, err, errlen))
        return DH_USAGE;
    if (expires_ms && expires_ms <= decide_now()) {
        snprintf(err, errlen, "that expiry is already past");
        return DH_USAGE;
    }
    if (reason && strlen(reason) > 500) {
        snprintf(err, errlen, "a reason of 500 bytes at most");
        return DH_USAGE;
    }
    e = (struct allow_entry){ 0, kind, norm, scope, reason, decide_who(),
                              decide_now(), expires_ms };
    return decisions_allow_add(db, &e, id, err, errlen);
}

int
decide_expiry(const char *s, int64_t *ms)
{
    char buf[40], *end;
    long days = strtol(s, &end, 10);

    if (end != s && strcmp(end, "d") == 0 && days > 0 && days < 36600) {
        *ms = decide_now() + days * 86400000LL;
        return 0;
    }
    if (strlen(s) == 10) {
        snprintf(buf, sizeof buf, "%sT00:00:00Z", s);
        s = buf;
    }
    return isotime_parse(s, strlen(s), ms);
}

/* --- The text form --- */

struct exporting {
    FILE *out;
};

/* --- The text forms --- */

/* The length of the valid UTF-8 sequence at s that is no C1 control
 * (U+0080..U+009F), or 0. */
static size_t
utf8_ok(const unsigned char *s)
{
    unsigned cp;
    size_t n;

    if (s[0] >= 0xc2 && s[0] <= 0xdf)
        n = 2, cp = s[0] & 0x1fu;
    else if (s[0] >= 0xe0 && s[0] <= 0xef)
        n = 3, cp = s[0] & 0x0fu;
    else if (s[0] >= 0xf0 && s[0] <= 0xf4)
        n = 4, cp = s[0] & 0x07u;
    else
        return 0;
    for (size_t i = 1; i < n; i++) {
        if ((s[i] & 0xc0) != 0x80)
            return 0;
        cp = cp << 6 | (s[i] & 0x3fu);
    }
    if ((n == 3 && cp < 0x800) || (n == 4 && (cp < 0x10000 ||
        cp > 0x10ffff)) || (cp >= 0xd800 && cp <= 0xdfff) || cp < 0xa0)
        return 0;
    return n;
}

/*
 * Write s on one line of a text form so that text_decode() gives it
 * back byte for byte: valid UTF-8 as it is; a backslash doubled;
 * control bytes, other high bytes (and in a word, blanks and '#') as
 * \xNN. No byte can drive a terminal the file is printed on.
 */
static void
put_text(FILE *out, const char *s, int word)
{
    for (const unsigned char *p = (const unsigned char *)s; *p;) {
        size_t n;
        if (*p == '\\') {
            fputs("\\\\", out);
            p++;
        } else if (*p < ' ' || *p == 0x7f ||
                   (word && (*p == ' ' || *p == '#'))) {
            fprintf(out, "\\x%02x", *p++);
        } else if (*p < 0x80) {
            fputc(*p++, out);
        } else if ((n = utf8_ok(p))) {
            fwrite(p, 1, n, out);
            p += n;
        } else {
            fprintf(out, "\\x%02x", *p++);
        }
    }
}

static int
hexval(char c)
{
    return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 87
         : c >= 'A' && c <= 'F' ? c - 55 : -1;
}

/* Undo put_text() in place: \\ and \xNN; other text stays. */
static void
text_decode(char *s)
{
    char *o = s;

    for (const char *p = s; *p;) {
        if (p[0] == '\\' && p[1] == '\\') {
            *o++ = '\\';
            p += 2;
        } else if (p[0] == '\\' && p[1] == 'x' && hexval(p[2]) >= 0 &&
                   hexval(p[3]) >= 0 && (hexval(p[2]) || hexval(p[3]))) {
            *o++ = (char)(hexval(p[2]) * 16 + hexval(p[3]));
            p += 4;
        } else {
            *o++ = *p++;
        }
    }
    *o = '\0';
}

static int
export_one(void *arg, const struct allow_entry *e)
{
    struct exporting *x = arg;
    char when[32], safe[600];

    snprintf(safe, sizeof safe, "%s", e->value);
    for (char *p = safe; *p; p++)       /* a store edited by hand */
        if ((unsigned char)*p <= ' ' || *p == '#' || *p == 127)
            *p = '?';
    fprintf(x->out, "%s %s %s", e->kind, safe, e->scope);
    if (e->expires_at) {
        isotime_format(e->expires_at, when, sizeof when);
        fprintf(x->out, " expires=%s", when);
    }
    isotime_format(e->added_at, when, sizeof when);
    fputs(" by=", x->out);
    put_text(x->out, e->added_by, 1);
    fprintf(x->out, " at=%s", when);
    if (e->reason && *e->reason) {      /* as typed, on one line */
        fputs(" # ", x->out);
        put_text(x->out, e->reason, 0);
    }
    fputc('\n', x->out);
    return 0;
}

enum dh_status
decide_export(struct db *db, FILE *out, char *err, size_t errlen)
{
    struct exporting x = { out };

    fprintf(out, "# dnshunt allow-list: KIND VALUE SCOPE [expires=] [by=] "
            "[at=] [# reason]\n");
    return decisions_allow_list(db, export_one, &x, err, errlen);
}

/* One parsed line of the text form. */
struct entry_line {
    char *kind, *value, *scope, *reason, *by;
    int64_t expires, at;
};

/* Split line (modified) into e; 1 for an entry, 0 for a comment, -1
 * with why for a wrong line. */
static int
parse_line(char *line, struct entry_line *e, char *why, size_t whylen)
{
    char *hash = strchr(line, '#'), *w[8], *save = NULL;
    int n = 0;

    memset(e, 0, sizeof *e);
    if (hash) {
        *hash = '\0';
        e->reason = hash + 1;
        if (*e->reason == ' ')          /* the one the export writes */
            e->reason++;
        e->reason[strcspn(e->reason, "\r\n")] = '\0';
    }
    for (char *t = strtok_r(line, " \t\r\n", &save); t && n < 8;
         t = strtok_r(NULL, " \t\r\n", &save))
        w[n++] = t;
    if (n == 0)
        return 0;
    if (n < 3) {
        snprintf(why, whylen, "expected KIND VALUE SCOPE");
        return -1;
    }
    e->kind = w[0];
    e->value = w[1];
    e->scope = w[2];
    for (int i = 3; i < n; i++) {
        int twice = 0;
        if (strncmp(w[i], "expires=", 8) == 0 &&
            !(twice = e->expires != 0) &&
            decide_expiry(w[i] + 8, &e->expires) == 0)
            continue;
        if (strncmp(w[i], "at=", 3) == 0 && !(twice = e->at) &&
            isotime_parse(w[i] + 3, strlen(w[i] + 3), &e->at) == 0)
            continue;
        if (strncmp(w[i], "by=", 3) == 0 && w[i][3] && !(twice = !!e->by)) {
            e->by = w[i] + 3;
            continue;
        }
        snprintf(why, whylen, twice ? "'%.40s' given twice"
                 : "unknown field '%.40s'", w[i]);
        return -1;
    }
    return 1;
}

/* Check a verdict's words; its value normalised into norm. 0, or -1
 * with why in err. */
static int
verdict_check(const char *subject, const char *value, const char *verdict,
              const char *note, char *norm, size_t cap, char *err,
              size_t errlen)
{
    struct allow_item it;

    if (strcmp(subject, "domain") && strcmp(subject, "host")) {
        snprintf(err, errlen, "a verdict is on a domain or a host");
        return -1;
    }
    if (strcmp(verdict, "tp") && strcmp(verdict, "fp") &&
        strcmp(verdict, "benign")) {
        snprintf(err, errlen, "the verdicts are tp, fp and benign");
        return -1;
    }
    if (allow_parse(*subject == 'd' ? "exact" : "host", value, "all", &it,
                    norm, cap, err, errlen) != 0)
        return -1;
    if (note && strlen(note) > 1000) {
        snprintf(err, errlen, "a note of 1000 bytes at most");
        return -1;
    }
    return 0;
}

/* One line of either text form: 0 when it is right, -1 with why. */
static int
check_line(int verdicts, const struct entry_line *e, char *why,
           size_t whylen)
{
    struct allow_item it;
    char norm[300];

    if (!verdicts && e->reason && strlen(e->reason) > 500) {
        snprintf(why, whylen, "a reason of 500 bytes at most");
        return -1;
    }
    if (!verdicts)
        return allow_parse(e->kind, e->value, e->scope, &it, norm,
                           sizeof norm, why, whylen) != 0 ||
               too_wide(&it, norm, why, whylen) ? -1 : 0;
    if (e->expires) {
        snprintf(why, whylen, "a verdict does not expire");
        return -1;
    }
    return verdict_check(e->kind, e->value, e->scope, e->reason, norm,
                         sizeof norm, why, whylen);
}

/* The lines of a text form, checked, each kept in its own copy. */
struct form_lines {
    struct entry_line *v;
    char             **keep;
    size_t             n;
};

static void
form_free(struct form_lines *f)
{
    for (size_t i = 0; i < f->n; i++)
        free(f->keep[i]);
    free(f->keep);
    free(f->v);
}

/* Read every line of in; stop at the first wrong one with
 * "NAME:LINE: why" in err and DH_USAGE. */
static enum dh_status
read_form(FILE *in, const char *shown, int verdicts, struct form_lines *f,
          char *err, size_t errlen)
{
    char *line = NULL, why[160];
    size_t cap = 0;
    ssize_t got;
    unsigned long no = 0;
    enum dh_status rc = DH_OK;

    memset(f, 0, sizeof *f);
    while (rc == DH_OK && (got = getline(&line, &cap, in)) >= 0) {
        struct entry_line e;
        size_t len = (size_t)got;
        int r;
        no++;
        if (no == 1 && len >= 3 && memcmp(line, "\xef\xbb\xbf", 3) == 0) {
            memmove(line, line + 3, len - 2);   /* a byte-order mark */
            len -= 3;
        }
        if (memchr(line, '\0', len)) {
            snprintf(err, errlen, "%s:%lu: a NUL byte in the line", shown,
                     no);
            rc = DH_USAGE;
            break;
        }
        if (len > 16384 && line[0] != '#') {
            snprintf(err, errlen, "%s:%lu: line too long", shown, no);
            rc = DH_USAGE;
            break;
        }
        r = parse_line(line, &e, why, sizeof why);
        if (r == 1) {
            if (e.reason)
                text_decode(e.reason);
            if (e.by)
                text_decode(e.by);
            if (check_line(verdicts, &e, why, sizeof why) != 0)
                r = -1;
        }
        if (r < 0) {
            snprintf(err, errlen, "%s:%lu: %s", shown, no, why);
            rc = DH_USAGE;
            break;
        }
        if (r == 0)
            continue;
        f->keep = xrealloc(f->keep, (f->n + 1) * sizeof *f->keep);
        f->keep[f->n] = xmalloc(len + 1);       /* line is reused */
        memcpy(f->keep[f->n], line, len + 1);
        f->v = xrealloc(f->v, (f->n + 1) * sizeof *f->v);
        f->v[f->n] = e;
        f->v[f->n].kind = f->keep[f->n] + (e.kind - line);
        f->v[f->n].value = f->keep[f->n] + (e.value - line);
        f->v[f->n].scope = f->keep[f->n] + (e.scope - line);
        f->v[f->n].reason = e.reason ? f->keep[f->n] + (e.reason - line)
                                     : NULL;
        f->v[f->n].by = e.by ? f->keep[f->n] + (e.by - line) : NULL;
        f->n++;
    }
    free(line);
    if (rc == DH_OK && ferror(in)) {
        snprintf(err, errlen, "%s: cannot be read (a directory?)", shown);
        rc = DH_USAGE;
    }
    return rc;
}

/* One line of a file, to find the newest for each name. */
struct incoming {
    char        subject[32];    /* domain, host; or "KIND SCOPE" */
    char        norm[300];
    int64_t     at;
    size_t      line;       /* index in the form's lines */
};

static int
by_name_then_age(const void *a, const void *b)
{
    const struct incoming *x = a, *y = b;
    int c = strcmp(x->subject, y->subject);

    if (!c)
        c = strcmp(x->norm, y->norm);
    if (!c)
        c = x->at < y->at ? -1 : x->at > y->at;
    if (!c)
        c = x->line < y->line ? -1 : x->line > y->line;
    return c;
}

/*
 * The lines of f with their names normalised, the newest line of each
 * entry only (an entry twice in a file: its newest line counts); *n
 * gets how many. NULL when there are none.
 */
static struct incoming *
newest_lines(const struct form_lines *f, int verdicts, size_t *n)
{
    struct incoming *v = f->n ? xcalloc(f->n, sizeof *v) : NULL;
    int64_t now = decide_now();
    size_t k = 0;
    char why[160];

    for (size_t i = 0; i < f->n; i++) {
        const struct entry_line *e = &f->v[i];
        struct allow_item it;
        if (verdicts) {
            verdict_check(e->kind, e->value, e->scope, e->reason,
                          v[i].norm, sizeof v[i].norm, why, sizeof why);
            snprintf(v[i].subject, sizeof v[i].subject, "%s", e->kind);
        } else {
            allow_parse(e->kind, e->value, e->scope, &it, v[i].norm,
                        sizeof v[i].norm, why, sizeof why);
            snprintf(v[i].subject, sizeof v[i].subject, "%s %s", e->kind,
                     e->scope);
        }
        v[i].at = e->at ? e->at : now;
        v[i].line = i;
    }
    if (v)
        qsort(v, f->n, sizeof *v, by_name_then_age);
    for (size_t i = 0; i < f->n; i++)
        if (i + 1 == f->n || strcmp(v[i].subject, v[i + 1].subject) ||
            strcmp(v[i].norm, v[i + 1].norm))
            v[k++] = v[i];
    *n = k;
    return v;
}

enum dh_status
decide_import(struct db *db, FILE *in, const char *shown, size_t *added,
              char *err, size_t errlen)
{
    struct form_lines f;
    enum dh_status rc = read_form(in, shown, 0, &f, err, errlen);
    size_t n = 0;
    struct incoming *v = rc == DH_OK ? newest_lines(&f, 0, &n) : NULL;

    *added = 0;
    for (size_t k = 0; rc == DH_OK && k < n; k++) {
        const struct entry_line *l = &f.v[v[k].line];
        int64_t id;
        struct allow_entry e = {
            0, l->kind, v[k].norm, l->scope, l->reason,
            l->by ? l->by : decide_who(), v[k].at, l->expires,
        };
        rc = decisions_allow_add(db, &e, &id, err, errlen);
        *added += rc == DH_OK;
    }
    free(v);
    form_free(&f);
    return rc;
}

/* --- Verdicts --- */

enum dh_status
decide_mark(struct db *db, const char *subject, const char *value,
            const char *verdict, const char *note, char *err, size_t errlen)
{
    char norm[300];

    if (verdict_check(subject, value, verdict, note, norm, sizeof norm, err,
                      errlen) != 0)
        return DH_USAGE;
    struct verdict_row v = { subject, norm, verdict, note, decide_who(),
                             decide_now() };
    return decisions_mark(db, &v, err, errlen);
}

static int
export_verdict(void *arg, const struct verdict_row *v)
{
    FILE *out = arg;
    char when[32], safe[600];

    snprintf(safe, sizeof safe, "%s", v->value);
    for (char *p = safe; *p; p++)       /* a store edited by hand */
        if ((unsigned char)*p <= ' ' || *p == '#' || *p == 127)
            *p = '?';
    fprintf(out, "%s %s %s", v->subject, safe, v->verdict);
    isotime_format(v->at, when, sizeof when);
    fputs(" by=", out);
    put_text(out, v->analyst, 1);
    fprintf(out, " at=%s", when);
    if (v->note && *v->note) {          /* as typed, on one line */
        fputs(" # ", out);
        put_text(out, v->note, 0);
    }
    fputc('\n', out);
    return 0;
}

/* A verdict copied out of the store, to be sorted. */
struct verdict_copy {
    char   *subject, *value, *verdict, *note, *analyst;
    int64_t at;
};

struct verdict_copies {
    struct verdict_copy *v;
    size_t               n;
};

static int
copy_verdict(void *arg, const struct verdict_row *r)
{
    struct verdict_copies *c = arg;

    c->v = xrealloc(c->v, (c->n + 1) * sizeof *c->v);
    c->v[c->n++] = (struct verdict_copy){
        xstrdup(r->subject), xstrdup(r->value), xstrdup(r->verdict),
        r->note ? xstrdup(r->note) : NULL, xstrdup(r->analyst), r->at };
    return 0;
}

static int
by_subject_value(const void *a, const void *b)
{
    const struct verdict_copy *x = a, *y = b;
    int c = strcmp(x->subject, y->subject);

    return c ? c : strcmp(x->value, y->value);
}

enum dh_status
decide_export_verdicts(struct db *db, FILE *out, char *err, size_t errlen)
{
    struct verdict_copies c = { NULL, 0 };
    enum dh_status rc = decisions_verdicts(db, copy_verdict, &c, err,
                                           errlen);

    /* sorted, so that two analysts' files merge line by line */
    if (c.n)
        qsort(c.v, c.n, sizeof *c.v, by_subject_value);
    fprintf(out, "# dnshunt verdicts: SUBJECT VALUE VERDICT [by=] [at=] "
            "[# note]\n");
    for (size_t i = 0; i < c.n; i++) {
        struct verdict_copy *v = &c.v[i];
        struct verdict_row r = { v->subject, v->value, v->verdict, v->note,
                                 v->analyst, v->at };
        if (rc == DH_OK)
            export_verdict(out, &r);
        free(v->subject);
        free(v->value);
        free(v->verdict);
        free(v->note);
        free(v->analyst);
    }
    free(c.v);
    return rc;
}

enum dh_status
decide_import_verdicts(struct db *db, FILE *in, const char *shown,
                       size_t *added, char *err, size_t errlen)
{
    struct form_lines f;
    enum dh_status rc = read_form(in, shown, 1, &f, err, errlen);
    size_t n = 0;
    struct incoming *v = rc == DH_OK ? newest_lines(&f, 1, &n) : NULL;

    *added = 0;
    for (size_t k = 0; rc == DH_OK && k < n; k++) {
        const struct entry_line *e = &f.v[v[k].line];
        struct verdict_row r = { e->kind, v[k].norm, e->scope, e->reason,
                                 e->by ? e->by : decide_who(), v[k].at };
        int changed = 0;
        rc = decisions_import_verdict(db, &r, &changed, err, errlen);
        *added += rc == DH_OK && changed;
    }
    free(v);
    form_free(&f);
    return rc;
}

enum dh_status
decide_unmark(struct db *db, const char *subject, const char *value,
              int *removed, char *err, size_t errlen)
{
    char norm[300];

    *removed = 0;
    if (verdict_check(subject, value, "tp", NULL, norm, sizeof norm, err,
                      errlen) != 0)
        return DH_USAGE;
    return decisions_unmark(db, subject, norm, decide_who(), removed, err,
                            errlen);
}

const char *
decide_entry_status(struct db *db, const struct allow_entry *e, int64_t now,
                    struct allow_preview *p)
{
    struct allow_item it;
    char norm[300], err[256];

    memset(p, 0, sizeof *p);
    if (allow_parse(e->kind, e->value, e->scope, &it, norm, sizeof norm, err,
                    sizeof err) != 0)
        return "invalid";
    if (e->expires_at && e->expires_at <= now)
        return "expired";
    if (decide_preview(db, &it, p, err, sizeof err) == DH_OK &&
        !p->domains && !p->hosts && it.kind != AK_RESOLVER)
        return "unused";
    return "active";
}
