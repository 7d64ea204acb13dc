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
        snprintf(err, errlen, "a reason of 500 characters at most");
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
    escape_bytes(safe, sizeof safe, e->added_by, strlen(e->added_by));
    for (char *p = safe; *p; p++)       /* one word */
        if (*p == ' ' || *p == '#')
            *p = '_';
    isotime_format(e->added_at, when, sizeof when);
    fprintf(x->out, " by=%s at=%s", safe, when);
    if (e->reason && *e->reason) {     /* as typed, on one line */
        snprintf(safe, sizeof safe, "%s", e->reason);
        for (char *p = safe; *p; p++)
            if ((unsigned char)*p < ' ' || *p == 127)
                *p = ' ';
        fprintf(x->out, " # %s", safe);
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
        while (*e->reason == ' ')
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
    if (e->reason && strlen(e->reason) > 500) {
        snprintf(why, whylen, "a reason of 500 characters at most");
        return -1;
    }
    return 1;
}

enum dh_status
decide_import(struct db *db, FILE *in, const char *shown, size_t *added,
              char *err, size_t errlen)
{
    char line[2048], why[160];
    unsigned long no = 0;
    struct entry_line *all = NULL;
    char **keep = NULL;
    size_t n = 0;
    enum dh_status rc = DH_OK;

    *added = 0;
    while (rc == DH_OK && fgets(line, sizeof line, in)) {
        struct entry_line e;
        struct allow_item it;
        char norm[300];
        int r;
        size_t len = strlen(line);
        no++;
        if (no == 1 && memcmp(line, "\xef\xbb\xbf", 3) == 0) {
            memmove(line, line + 3, len - 2);   /* a byte-order mark */
            len -= 3;
        }
        if (len && line[len - 1] != '\n' && !feof(in)) {
            snprintf(err, errlen, "%s:%lu: line too long", shown, no);
            rc = DH_USAGE;
            break;
        }
        r = parse_line(line, &e, why, sizeof why);
        if (r == 1 && (allow_parse(e.kind, e.value, e.scope, &it, norm,
                                   sizeof norm, why, sizeof why) != 0 ||
                       too_wide(&it, norm, why, sizeof why)))
            r = -1;
        if (r < 0) {
            snprintf(err, errlen, "%s:%lu: %s", shown, no, why);
            rc = DH_USAGE;
        } else if (r == 1) {        /* keep copies: line is reused */
            keep = xrealloc(keep, (n + 1) * sizeof *keep);
            keep[n] = xmalloc(sizeof line);
            memcpy(keep[n], line, sizeof line);
            all = xrealloc(all, (n + 1) * sizeof *all);
            all[n] = e;
            all[n].kind = keep[n] + (e.kind - line);
            all[n].value = keep[n] + (e.value - line);
            all[n].scope = keep[n] + (e.scope - line);
            all[n].reason = e.reason ? keep[n] + (e.reason - line) : NULL;
            all[n].by = e.by ? keep[n] + (e.by - line) : NULL;
            n++;
        }
    }
    if (rc == DH_OK && ferror(in)) {
        snprintf(err, errlen, "%s: cannot be read (a directory?)", shown);
        rc = DH_USAGE;
    }
    for (size_t i = 0; rc == DH_OK && i < n; i++) {
        struct allow_item it;
        char norm[300];
        int64_t id;
        allow_parse(all[i].kind, all[i].value, all[i].scope, &it, norm,
                    sizeof norm, why, sizeof why);
        struct allow_entry e = {
            0, all[i].kind, norm, all[i].scope, all[i].reason,
            all[i].by ? all[i].by : decide_who(),
            all[i].at ? all[i].at : decide_now(), all[i].expires,
        };
        rc = decisions_allow_add(db, &e, &id, err, errlen);
        *added += rc == DH_OK;
    }
    for (size_t i = 0; i < n; i++)
        free(keep[i]);
    free(keep);
    free(all);
    return rc;
}

/* --- Verdicts --- */

enum dh_status
decide_mark(struct db *db, const char *subject, const char *value,
            const char *verdict, const char *note, char *err, size_t errlen)
{
    struct allow_item it;
    char norm[300];

    if (strcmp(subject, "domain") && strcmp(subject, "host")) {
        snprintf(err, errlen, "a verdict is on a domain or a host");
        return DH_USAGE;
    }
    if (strcmp(verdict, "tp") && strcmp(verdict, "fp") &&
        strcmp(verdict, "benign")) {
        snprintf(err, errlen, "the verdicts are tp, fp and benign");
        return DH_USAGE;
    }
    if (allow_parse(*subject == 'd' ? "exact" : "host", value, "all", &it,
                    norm, sizeof norm, err, errlen) != 0)
        return DH_USAGE;
    if (note && strlen(note) > 1000) {
        snprintf(err, errlen, "a note of 1000 characters at most");
        return DH_USAGE;
    }
    struct verdict_row v = { subject, norm, verdict, note, decide_who(),
                             decide_now() };
    return decisions_mark(db, &v, err, errlen);
}
