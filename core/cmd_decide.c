/* SPDX-License-Identifier: MIT
 *
 * `dnshunt allow` and `dnshunt mark`: the allow-list and verdicts from
 * the command line (core/decide.h). Every string read back from the
 * store is escaped before it is printed.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/cli.h"
#include "core/config.h"
#include "core/decide.h"
#include "core/isotime.h"
#include "core/util.h"
#include "storage/decisions.h"
#include "storage/results.h"

static const char allow_usage[] =
"usage: dnshunt allow add KIND VALUE [--scope all|lexical] [--reason TEXT]\n"
"                         [--expires DATE|Nd]\n"
"       dnshunt allow rm ID\n"
"       dnshunt allow list\n"
"       dnshunt allow export [--out FILE]\n"
"       dnshunt allow import FILE\n"
"\n"
"Allow-list entries hide what they cover from scoring: KIND is exact (a\n"
"name), suffix (a name and all below it), registrable (every name of a\n"
"registrable domain), host (an address), cidr (a network), resolver\n"
"(one of the organisation's DNS servers) or asn (AS16509: every domain\n"
"whose answers all lie in that autonomous system, by the asn_database\n"
"of the configuration, an MMDB or iptoasn TSV file; scope lexical\n"
"only, as a name's owner picks its addresses). Scope all (the default for\n"
"hosts) hides them from every signal; lexical (the default for names)\n"
"only from the DGA signal, so a tunnel under an allow-listed parent\n"
"still shows. add says what the entry covers in the last scoring;\n"
"`dnshunt score` applies it. list marks entries covering nothing as\n"
"unused and past their expiry as expired. export writes the text form\n"
"a team keeps in a repository (one entry a line: KIND VALUE SCOPE\n"
"[expires=] [by=] [at=] [# reason]); import reads it back. Every change\n"
"is in the store's audit_log. Exit status: 0 done, 2 usage error or a\n"
"wrong entry, 3 the store failed.\n";

static const char mark_usage[] =
"usage: dnshunt mark domain|host VALUE tp|fp|benign [--note TEXT]\n"
"       dnshunt mark rm domain|host VALUE\n"
"       dnshunt mark list\n"
"       dnshunt mark export [--out FILE]\n"
"       dnshunt mark import FILE\n"
"\n"
"Record an analyst's verdict on a domain or a host: tp (true positive:\n"
"malicious), fp (false positive) or benign (expected). Verdicts survive\n"
"imports, scoring and retraining; `dnshunt export stix` exports the\n"
"domains marked tp. export writes them in a text form a team keeps in\n"
"a repository (one a line: SUBJECT VALUE VERDICT [by=] [at=] [# note]);\n"
"import reads it back: a line newer than the store's verdict on its name\n"
"replaces it whole. Exit status: 0 done, 2 usage error, 3 the store\n"
"failed.\n";

static int
fail(enum dh_status st, const char *err)
{
    fprintf(stderr, "dnshunt: %s\n", err);
    return st == DH_USAGE ? EXIT_USAGE : EXIT_FATAL;
}

/* --- allow --- */

struct listing {
    struct db *db;
    int64_t    now;
};

static int
list_one(void *arg, const struct allow_entry *e)
{
    struct listing *L = arg;
    struct allow_preview p;
    char value[300], by[64], reason[300], a[32], b[32];
    const char *status = decide_entry_status(L->db, e, L->now, &p);

    escape_bytes(value, sizeof value, e->value, strlen(e->value));
    escape_bytes(by, sizeof by, e->added_by, strlen(e->added_by));
    escape_bytes(reason, sizeof reason, e->reason ? e->reason : "",
                 e->reason ? strlen(e->reason) : 0);
    printf("%4lld  %-11.11s %-40s %-7.7s %-7s %7llu %6llu  %-12s %-20s "
           "%-20s  %s\n",
           (long long)e->id, e->kind, value, e->scope, status,
           (unsigned long long)p.domains, (unsigned long long)p.hosts, by,
           isotime_or_dash(e->added_at, a, sizeof a), isotime_or_dash(e->expires_at, b, sizeof b),
           reason);
    return 0;
}

/* Say so when asn entries have no data to apply with. */
static void
asn_configured(void)
{
    struct config c;
    char err[512];

    if (config_load(&c, NULL, err, sizeof err) == 0 &&
        !c.list[CL_ASN_DB].n)
        fprintf(stderr, "dnshunt: note: the default configuration sets no "
                "asn_database, so asn entries apply only when `dnshunt "
                "score --config FILE` names one: set asn_database in "
                "[network] (`dnshunt config` prints the form) to an MMDB "
                "file such as GeoLite2-ASN or an iptoasn.com TSV\n");
    config_free(&c);
}

static int
allow_add(struct db *db, int argc, char **argv)
{
    static const struct option opts[] = {
        { "scope", required_argument, NULL, 's' },
        { "reason", required_argument, NULL, 'r' },
        { "expires", required_argument, NULL, 'e' },
        { NULL, 0, NULL, 0 },
    };
    const char *scope = NULL, *reason = NULL;
    int64_t expires = 0, id = 0;
    char err[512];
    struct allow_item it;
    char norm[300];
    struct allow_preview p;
    int c;

    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        if (c == 's')
            scope = optarg;
        else if (c == 'r')
            reason = optarg;
        else if (c == 'e' && decide_expiry(optarg, &expires) == 0)
            continue;
        else {
            fprintf(stderr, "dnshunt: allow add: bad option (--expires "
                    "takes a date or Nd)\n%s", allow_usage);
            return EXIT_USAGE;
        }
    }
    if (argc - optind != 2) {
        fputs(allow_usage, stderr);
        return EXIT_USAGE;
    }
    if (!scope)
        scope = strcmp(argv[optind], "host") == 0 ||
                strcmp(argv[optind], "cidr") == 0 ||
                strcmp(argv[optind], "resolver") == 0 ? "all" : "lexical";
    enum dh_status st = decide_allow(db, argv[optind], argv[optind + 1],
                                     scope, reason, expires, &id, err,
                                     sizeof err);
    if (st != DH_OK)
        return fail(st, err);
    allow_parse(argv[optind], argv[optind + 1], scope, &it, norm,
                sizeof norm, err, sizeof err);
    if (decide_preview(db, &it, &p, err, sizeof err) != DH_OK)
        return fail(DH_DB, err);
    printf("entry %lld: %s %s (%s). In the last scoring it covers ",
           (long long)id, it.kind == AK_CIDR ? "cidr" : argv[optind], norm,
           scope);
    if (it.kind == AK_HOST || it.kind == AK_CIDR)
        printf("%llu hosts (%llu queries, %llu alerting)",
               (unsigned long long)p.hosts, (unsigned long long)p.queries,
               (unsigned long long)p.alerts);
    else
        printf("%llu domains (%llu queries) and %llu hosts (%llu "
               "alerting)", (unsigned long long)p.domains,
               (unsigned long long)p.queries, (unsigned long long)p.hosts,
               (unsigned long long)p.alerts);
    printf("; `dnshunt score` applies it.\n");
    if (it.kind == AK_ASN)
        asn_configured();
    return EXIT_CLEAN;
}

/* The text forms of allow-lists and verdicts, written and read alike. */
struct text_form {
    const char *usage, *one, *what;
    enum dh_status (*write)(struct db *, FILE *, char *, size_t);
    enum dh_status (*read)(struct db *, FILE *, const char *, size_t *,
                           char *, size_t);
};

static const struct text_form allow_form = {
    allow_usage, "entry", "entries", decide_export, decide_import,
};
static const struct text_form verdict_form = {
    mark_usage, "verdict", "verdicts", decide_export_verdicts,
    decide_import_verdicts,
};

struct text_job {
    struct db              *db;
    const struct text_form *t;
    enum dh_status          rc;
};

static int
text_job(FILE *out, void *arg, char *err, size_t errlen)
{
    struct text_job *j = arg;

    j->rc = j->t->write(j->db, out, err, errlen);
    return j->rc == DH_OK ? 0 : -1;
}

/* `export [--out FILE]` or `import FILE` of form t. */
static int
text_io(struct db *db, const struct text_form *t, const char *verb,
        int argc, char **argv)
{
    char err[512];
    enum dh_status st;

    if (strcmp(verb, "export") == 0) {
        struct text_job j = { db, t, DH_OK };
        if (argc == 1) {
            st = t->write(db, stdout, err, sizeof err);
            return st == DH_OK ? EXIT_CLEAN : fail(st, err);
        }
        if (argc != 3 || strcmp(argv[1], "--out") != 0) {
            fputs(t->usage, stderr);
            return EXIT_USAGE;
        }
        if (would_clobber_store(argv[2], db_path(db)))
            return fail(DH_USAGE, "--out names the store itself");
        if (write_file(argv[2], text_job, &j, err, sizeof err) != 0) {
            char shown[300], msg[900];
            escape_bytes(shown, sizeof shown, argv[2], strlen(argv[2]));
            snprintf(msg, sizeof msg, "%s: %s", shown, err);
            return fail(j.rc != DH_OK ? j.rc : DH_IO, msg);
        }
        return EXIT_CLEAN;
    }
    if (argc != 2) {
        fputs(t->usage, stderr);
        return EXIT_USAGE;
    }
    FILE *in = strcmp(argv[1], "-") ? fopen(argv[1], "r") : stdin;
    char shown[300];
    size_t added = 0;
    escape_bytes(shown, sizeof shown, argv[1], strlen(argv[1]));
    if (!in) {
        fprintf(stderr, "dnshunt: cannot read %s\n", shown);
        return EXIT_FATAL;
    }
    st = t->read(db, in, shown, &added, err, sizeof err);
    if (in != stdin)
        fclose(in);
    if (st != DH_OK)
        return fail(st, err);
    printf("%zu %s imported from %s\n", added, added == 1 ? t->one : t->what,
           shown);
    return EXIT_CLEAN;
}

int
cmd_allow(const char *db_path, int argc, char **argv)
{
    struct db *db;
    int rc;
    const char *verb = argc > 1 ? argv[1] : "";

    if (argc < 2 || strcmp(verb, "--help") == 0) {
        fputs(allow_usage, argc < 2 ? stderr : stdout);
        return argc < 2 ? EXIT_USAGE : EXIT_CLEAN;
    }
    if (strcmp(verb, "add") && strcmp(verb, "rm") && strcmp(verb, "list") &&
        strcmp(verb, "export") && strcmp(verb, "import")) {
        fprintf(stderr, "dnshunt: allow add, rm, list, export or import\n%s",
                allow_usage);
        return EXIT_USAGE;
    }
    /* importing a team's file may start a store */
    if ((rc = cli_open_store(db_path, strcmp(verb, "import") != 0,
                             &db)) != EXIT_CLEAN)
        return rc;
    if (strcmp(verb, "add") == 0) {
        rc = allow_add(db, argc - 1, argv + 1);
    } else if (strcmp(verb, "rm") == 0) {
        char err[512], *end = NULL;
        long long id = argc == 3 ? strtoll(argv[2], &end, 10) : 0;
        int removed = 0;
        if (!end || *end || id <= 0) {
            fputs(allow_usage, stderr);
            rc = EXIT_USAGE;
        } else if (decisions_allow_rm(db, id, decide_who(), &removed, err,
                                      sizeof err) != DH_OK) {
            rc = fail(DH_DB, err);
        } else {
            printf(removed ? "entry %lld removed\n" : "no entry %lld\n", id);
            rc = removed ? EXIT_CLEAN : EXIT_USAGE;
        }
    } else if (strcmp(verb, "list") == 0) {
        struct listing L = { db, decide_now() };
        char err[512];
        printf("  id  kind        value                                    "
               "scope   status  domains  hosts  by           %-20s %-20s  "
               "reason\n", "added", "expires");
        rc = decisions_allow_list(db, list_one, &L, err, sizeof err) ==
             DH_OK ? EXIT_CLEAN : fail(DH_DB, err);
    } else {
        rc = text_io(db, &allow_form, verb, argc - 1, argv + 1);
    }
    db_close(db);
    return rc;
}

/* --- mark --- */

static int
verdict_line(void *arg, const struct verdict_row *v)
{
    char value[300], note[300], by[64], at[32];

    (void)arg;
    escape_bytes(value, sizeof value, v->value, strlen(v->value));
    escape_bytes(note, sizeof note, v->note ? v->note : "",
                 v->note ? strlen(v->note) : 0);
    escape_bytes(by, sizeof by, v->analyst, strlen(v->analyst));
    printf("%-6.6s %-40s %-6.6s %-12s %s  %s\n", v->subject, value,
           v->verdict, by, isotime_or_dash(v->at, at, sizeof at), note);
    return 0;
}

static int
seen_host(void *arg, const struct host_row *h)
{
    (void)arg;
    (void)h;
    return 0;
}

static int
seen_domain(void *arg, const struct domain_row *d,
            const struct host_domain_row *hd)
{
    (void)arg;
    (void)d;
    (void)hd;
    return 0;
}

/* Say so when a verdict names a host or domain the last scoring did not
 * see (a typo, or one from elsewhere): it is kept all the same. */
static void
warn_unseen(struct db *db, const char *subject, const char *value)
{
    char err[256], shown[300], norm[300];
    struct allow_item it;
    int found = 1;

    if (allow_parse(*subject == 'd' ? "exact" : "host", value, "all", &it,
                    norm, sizeof norm, err, sizeof err) != 0)
        return;                         /* as decide_mark stored it */
    if (*subject == 'h')
        results_host(db, norm, seen_host, NULL, &found, err, sizeof err);
    else
        results_domain(db, norm, seen_domain, NULL, &found, err,
                       sizeof err);
    if (found)
        return;
    escape_bytes(shown, sizeof shown, norm, strlen(norm));
    fprintf(stderr, "dnshunt: note: the last scoring has no %s %s; the "
            "verdict is kept\n", subject, shown);
}

int
cmd_mark(const char *db_path, int argc, char **argv)
{
    struct db *db;
    char err[512];
    int rc;

    if (argc < 2 || strcmp(argv[1], "--help") == 0) {
        fputs(mark_usage, argc < 2 ? stderr : stdout);
        return argc < 2 ? EXIT_USAGE : EXIT_CLEAN;
    }
    if ((rc = cli_open_store(db_path, strcmp(argv[1], "import") != 0,
                             &db)) != EXIT_CLEAN)
        return rc;
    if (strcmp(argv[1], "list") == 0 && argc == 2) {
        printf("on     value                                    "
               "verdict by           at                    note\n");
        rc = decisions_verdicts(db, verdict_line, NULL, err, sizeof err) ==
             DH_OK ? EXIT_CLEAN : fail(DH_DB, err);
    } else if (strcmp(argv[1], "export") == 0 ||
               strcmp(argv[1], "import") == 0) {
        rc = text_io(db, &verdict_form, argv[1], argc - 1, argv + 1);
    } else if (strcmp(argv[1], "rm") == 0 && argc == 4) {
        int removed = 0;
        enum dh_status st = decide_unmark(db, argv[2], argv[3], &removed,
                                          err, sizeof err);
        if (st != DH_OK)
            rc = fail(st, err);
        else
            rc = removed ? EXIT_CLEAN
                         : fail(DH_USAGE, "no such verdict");
    } else if (argc == 4 || (argc == 6 && strcmp(argv[4], "--note") == 0)) {
        enum dh_status st = decide_mark(db, argv[1], argv[2], argv[3],
                                        argc == 6 ? argv[5] : NULL, err,
                                        sizeof err);
        rc = st == DH_OK ? EXIT_CLEAN : fail(st, err);
        if (st == DH_OK)
            warn_unseen(db, argv[1], argv[2]);
    } else {
        fputs(mark_usage, stderr);
        rc = EXIT_USAGE;
    }
    db_close(db);
    return rc;
}
