/* SPDX-License-Identifier: MIT
 *
 * `dnshunt stats [--format text|json]`: rows per table, the time covered,
 * and every imported file with its status and rejected rows. Paths,
 * reasons and excerpts come from logs and file names, so the text form
 * escapes them before they reach the terminal.
 */
#include <getopt.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/cli.h"
#include "core/isotime.h"
#include "core/util.h"
#include "storage/db.h"
#include "storage/stats.h"

#define REJECTS_SHOWN 5

static const char usage[] =
"usage: dnshunt stats [--format text|json] [--rejects N] [--db PATH]\n"
"\n"
"Summarise the store: rows per table, the time range covered, and each\n"
"imported file with its status, rows kept and rows rejected. The text\n"
"form lists the first rejected rows of each file (5 unless --rejects\n"
"N); the JSON form has counts only (keys queries, grouped_queries,\n"
"flows, health_records, rejected_rows, files[] with path, status, rows,\n"
"rejected, ...). Queries include those that came grouped from Athena.\n"
"Exit status: 0 done, 2 usage error, 3 no store or the store failed.\n";

static void
print_reject(void *arg, int64_t line, const char *reason, const char *excerpt)
{
    char r[400];

    (void)arg;
    snprintf(r, sizeof r, "%s", reason);
    printf("      line %lld: %s\n", (long long)line, sanitize_ascii(r));
    if (excerpt && *excerpt) {
        snprintf(r, sizeof r, "%s", excerpt);
        printf("        %s\n", sanitize_ascii(r));
    }
}

static void
range(const char *label, int64_t n, int64_t first_ms, int64_t last_ms)
{
    char a[32], b[32];

    printf("%-15s %12lld", label, (long long)n);
    if (n) {
        isotime_format(first_ms, a, sizeof a);
        isotime_format(last_ms, b, sizeof b);
        printf("   %s .. %s", a, b);
    }
    putchar('\n');
}

static int
print_text(struct db *db, const struct store_stats *s, int shown)
{
    char esc[512], err[256];

    escape_bytes(esc, sizeof esc, db_path(db), strlen(db_path(db)));
    printf("store           %s (schema %d)\n", esc, s->schema);
    range("queries", s->queries, s->q_first_ms, s->q_last_ms);
    if (s->groups)
        printf("  %-13s %12lld   in %lld groups from Athena\n", "grouped",
               (long long)s->grouped, (long long)s->groups);
    range("flows", s->flows, s->f_first * 1000, s->f_last * 1000);
    printf("%-15s %12lld\n", "health_records", (long long)s->health);
    printf("%-15s %12lld\n", "rejected_rows", (long long)s->rejected);
    printf("%-15s %12lld   in %lld registrable domains\n", "names",
           (long long)s->names, (long long)s->domains);
    printf("%-15s %12lld\n", "origins", (long long)s->origins);
    printf("files           %12zu\n", s->n_files);
    for (size_t i = 0; i < s->n_files; i++) {
        const struct store_file *f = &s->files[i];
        char status[16], format[24];
        /* Even our own columns: anyone can edit the store. */
        escape_bytes(status, sizeof status, f->status, strlen(f->status));
        escape_bytes(format, sizeof format, f->format, strlen(f->format));
        escape_bytes(esc, sizeof esc, f->path, strlen(f->path));
        printf("  %-8s %-10s %10lld rows %8lld rejected  %s\n", status,
               format, (long long)f->rows, (long long)f->rejected, esc);
        if (f->message) {
            escape_bytes(esc, sizeof esc, f->message, strlen(f->message));
            printf("      %s\n", esc);
        }
        if (f->rejected && shown > 0 &&
            store_rejects(db, f->id, shown, print_reject, NULL, err,
                          sizeof err) != DH_OK) {
            fprintf(stderr, "dnshunt stats: %s\n", err);
            return EXIT_FATAL;
        }
    }
    return EXIT_CLEAN;
}

/* A JSON string, escaped to ASCII when the bytes are not UTF-8. */
static json_t *
jstr(const char *s)
{
    char esc[1024];
    json_t *v;

    if (!s)
        return json_null();
    v = json_string(s);
    if (v)
        return v;
    escape_bytes(esc, sizeof esc, s, strlen(s));
    return json_string(esc);
}

static json_t *
time_or_null(int64_t n, int64_t v)
{
    return n ? json_integer(v) : json_null();
}

static int
print_json(const struct store_stats *s)
{
    json_t *files = json_array(), *root;

    for (size_t i = 0; i < s->n_files; i++) {
        const struct store_file *f = &s->files[i];
        json_array_append_new(files, json_pack(
            "{s:I, s:o, s:o, s:o, s:o, s:o, s:o, s:I, s:I, s:I}",
            "id", (json_int_t)f->id, "path", jstr(f->path),
            "format", jstr(f->format), "compression", jstr(f->compression),
            "status", jstr(f->status), "message", jstr(f->message),
            "sha256", jstr(f->sha256), "size", (json_int_t)f->size,
            "rows", (json_int_t)f->rows, "rejected", (json_int_t)f->rejected));
    }
    root = json_pack("{s:i, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:o, "
                     "s:o, s:o, s:o, s:o}",
                     "schema", s->schema, "queries", (json_int_t)s->queries,
                     "grouped_queries", (json_int_t)s->grouped,
                     "flows", (json_int_t)s->flows,
                     "health_records", (json_int_t)s->health,
                     "rejected_rows", (json_int_t)s->rejected,
                     "names", (json_int_t)s->names,
                     "domains", (json_int_t)s->domains,
                     "origins", (json_int_t)s->origins,
                     "queries_first_ms",
                     time_or_null(s->queries, s->q_first_ms),
                     "queries_last_ms",
                     time_or_null(s->queries, s->q_last_ms),
                     "flows_first", time_or_null(s->flows, s->f_first),
                     "flows_last", time_or_null(s->flows, s->f_last),
                     "files", files);
    json_dumpf(root, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
    putchar('\n');
    json_decref(root);
    return EXIT_CLEAN;
}

int
cmd_stats(const char *db_path, int argc, char **argv)
{
    static const struct option longopts[] = {
        { "format", required_argument, NULL, 'f' },
        { "rejects", required_argument, NULL, 'r' },
        { "db", required_argument, NULL, 'd' },
        { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 },
    };
    const char *format = "text";
    char where[512];
    struct store_stats s;
    struct db *db;
    char err[512];
    int c, rc, shown = REJECTS_SHOWN;

    optind = 1;
    while ((c = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
        switch (c) {
        case 'f': format = optarg; break;
        case 'r':
            shown = strspn(optarg, "0123456789") == strlen(optarg) &&
                    *optarg ? atoi(optarg) : -1;
            break;
        case 'd': db_path = optarg; break;
        case 'h': fputs(usage, stdout); return EXIT_CLEAN;
        default: fputs(usage, stderr); return EXIT_USAGE;
        }
    }
    if (strcmp(format, "text") && strcmp(format, "json")) {
        escape_bytes(where, sizeof where, format, strlen(format));
        fprintf(stderr, "dnshunt stats: unknown format '%s'\n", where);
        return EXIT_USAGE;
    }
    if (optind < argc || shown < 0) {
        fputs(usage, stderr);
        return EXIT_USAGE;
    }
    if ((rc = cli_open_store(db_path, 1, &db)) != EXIT_CLEAN)
        return rc;
    if (store_stats(db, &s, err, sizeof err) != DH_OK) {
        fprintf(stderr, "dnshunt stats: %s\n", err);
        db_close(db);
        return EXIT_FATAL;
    }
    rc = strcmp(format, "json") == 0 ? print_json(&s)
                                     : print_text(db, &s, shown);
    store_stats_free(&s);
    db_close(db);
    return rc;
}
