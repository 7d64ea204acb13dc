/* SPDX-License-Identifier: MIT
 *
 * `dnshunt classify` and `dnshunt explain`: the DGA score of names given
 * on the command line or standard input, and the reasons behind one
 * score. Names are attacker-controlled: every output form escapes them.
 */
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/cli.h"
#include "core/lexname.h"
#include "core/modelfile.h"
#include "core/util.h"
#include "model/dnsname.h"
#include "model/forest.h"

static const char classify_usage[] =
"usage: dnshunt classify [--model FILE] [--format text|tsv|json]\n"
"                        [--header] [--internal-zone ZONE]... [NAME...]\n"
"\n"
"Score each NAME, or each line of standard input when none is given,\n"
"with the lexical DGA model: one line out for each name in, in order.\n"
"Blanks around a name are ignored. A name that is not a DGA candidate\n"
"(an IP address, a single label, a reverse lookup, a name under an\n"
"internal zone, a name without a registrable domain, a name DNS cannot\n"
"carry, a label a cloud provider assigned such as a CloudFront\n"
"distribution) gets a reason instead of a score.\n"
"\n"
"  text  the score (or '-'), the name, and the reason when not scored\n"
"  tsv   name, dga_score (NA when not scored), every feature of the\n"
"        registrable label and of the subdomain part, then the reason;\n"
"        --header prints the column names first\n"
"  json  one object per line: name, dga_score (null when not scored),\n"
"        reason, domain, site, punycode, features, subdomain\n"
"\n"
"The model is --model FILE, else $DNSHUNT_MODEL, else the model the\n"
"store has from `dnshunt retrain` (when the store exists), else the\n"
"built-in one. Names under internal, local, localhost, localdomain, lan,\n"
"intranet, corp and home are internal; --internal-zone adds more.\n"
"Only the first 4096 bytes of an input line are read; the JSON form\n"
"then says \"cut\":true. Exit status: 0 done, 2 usage error, 3 the model\n"
"could not be loaded or the output could not be written.\n";

static const char explain_usage[] =
"usage: dnshunt explain [--model FILE] [--internal-zone ZONE]... HOST|NAME\n"
"\n"
"When the store was scored (`dnshunt score`), a HOST (address or\n"
"instance id) shows its score, every reason with its ATT&CK technique\n"
"and evidence, its domains, hours and DNS flows; a scored domain shows\n"
"its tunnel figures, the hosts that asked and sample names first.\n"
"For a name, show how its DGA score comes about: its parts, every feature's\n"
"value, where that value sits among benign training names (the share\n"
"of them below it), and the feature's contribution to the score (the\n"
"changes in the trees' values along the name's path, averaged over the\n"
"trees; the base rate plus the contributions is the score). Exit\n"
"status: 0 done, 2 usage error, 3 the model could not be loaded.\n";

enum format { FMT_TEXT, FMT_TSV, FMT_JSON };

#define BATCH 64
#define MAX_LINE 4096

struct classify {
    struct model      m;
    struct lexctx    *lx;
    enum format       format;
    struct lex_result r;            /* explain */
    struct lex_result batch[BATCH]; /* classify: names waiting */
    char             *name[BATCH];  /* their bytes as given */
    size_t            len[BATCH];
    int               cut[BATCH];   /* the line was longer */
    size_t            n;
};

/* Load the model: --model, $DNSHUNT_MODEL, the store's (when db_path
 * names an existing store), or the built-in one. */
static int
load_model(const char *db_path, const char *path, struct model *m)
{
    char err[512], which[300];
    struct db *db = NULL;
    int rc;

    if (!path || !*path)
        path = getenv("DNSHUNT_MODEL");
    if ((!path || !*path) && db_path && access(db_path, F_OK) == 0 &&
        db_open(&db, db_path, err, sizeof err) != DH_OK) {
        fprintf(stderr, "dnshunt: %s\n", err);
        return -1;
    }
    rc = modelfile_for_store(db, path, m, which, sizeof which, err,
                             sizeof err);
    db_close(db);
    if (rc != 0) {
        fprintf(stderr, "dnshunt: %s\n", err);
        return -1;
    }
    return 0;
}

static void
print_tsv_header(void)
{
    printf("name\tdga_score");
    for (int f = 0; f < LX_COUNT; f++)
        printf("\t%s", lex_feature_name(f));
    for (int f = 0; f < SB_COUNT; f++)
        printf("\t%s", sub_feature_name(f));
    printf("\treason\n");
}

static void
print_tsv(const struct lex_result *r, const char *shown)
{
    int scored = r->reason == LR_SCORED;

    printf("%s\t", shown);
    if (r->score >= 0)
        printf("%.6f", r->score);
    else
        fputs("NA", stdout);
    for (int f = 0; f < LX_COUNT; f++)
        scored ? printf("\t%.6g", (double)r->x[f]) : printf("\tNA");
    for (int f = 0; f < SB_COUNT; f++)
        scored ? printf("\t%.6g", (double)r->sub[f]) : printf("\tNA");
    printf("\t%s\n", lex_reason_text(r->reason));
}

static void
json_part(struct buf *b, const char *key, const char *s)
{
    buf_printf(b, ",\"%s\":", key);
    if (s)
        buf_add_json_string(b, s, strlen(s));
    else
        buf_adds(b, "null");
}

static void
print_json(const struct lex_result *r, const char *name, size_t len,
           int cut)
{
    struct buf b = { 0 };

    buf_adds(&b, "{\"name\":");
    buf_add_json_string(&b, name, len);
    if (cut)
        buf_adds(&b, ",\"cut\":true");
    if (r->score >= 0)
        buf_printf(&b, ",\"dga_score\":%.6f", r->score);
    else
        buf_adds(&b, ",\"dga_score\":null");
    buf_printf(&b, ",\"reason\":\"%s\"", lex_reason_text(r->reason));
    json_part(&b, "domain", r->domain);
    json_part(&b, "site", r->site);
    buf_printf(&b, ",\"punycode\":%s",
               r->flags & DN_PUNYCODE ? "true" : "false");
    if (r->reason == LR_SCORED) {
        buf_adds(&b, ",\"features\":{");
        for (int f = 0; f < LX_COUNT; f++)
            buf_printf(&b, "%s\"%s\":%.6g", f ? "," : "",
                       lex_feature_name(f), (double)r->x[f]);
        buf_adds(&b, "},\"subdomain\":{");
        for (int f = 0; f < SB_COUNT; f++)
            buf_printf(&b, "%s\"%s\":%.6g", f ? "," : "",
                       sub_feature_name(f), (double)r->sub[f]);
        buf_adds(&b, "}");
    }
    buf_adds(&b, "}\n");
    fwrite(b.data, 1, b.len, stdout);
    buf_free(&b);
}

static void
print_one(struct classify *c, const struct lex_result *r, const char *name,
          size_t len, int cut)
{
    char shown[1100], line[1200];

    if (c->format == FMT_JSON) {
        print_json(r, name, len, cut);
        return;
    }
    escape_bytes(shown, sizeof shown, name, len);
    if (c->format == FMT_TSV) {
        print_tsv(r, shown);
    } else if (r->score >= 0) {         /* "%.4f  %s\n", without printf */
        char *p = fmt_fixed4(line, r->score);
        size_t k = strlen(shown);
        memcpy(p, "  ", 2);
        memcpy(p + 2, shown, k);
        p[2 + k] = '\n';
        fwrite(line, 1, (size_t)(p + 3 + k - line), stdout);
    } else {
        printf("-       %s  (%s)\n", shown, lex_reason_text(r->reason));
    }
}

/* Score the waiting names together and print them in order. */
static void
flush_batch(struct classify *c)
{
    lexname_score(c->lx, c->batch, c->n);
    for (size_t i = 0; i < c->n; i++) {
        print_one(c, &c->batch[i], c->name[i], c->len[i], c->cut[i]);
        free(c->name[i]);
    }
    c->n = 0;
}

static void
classify_one(struct classify *c, const char *name, size_t len, int cut)
{
    /* Blanks around a name are layout, not part of it. */
    while (len && (*name == ' ' || *name == '\t'))
        name++, len--;
    while (len && (name[len - 1] == ' ' || name[len - 1] == '\t'))
        len--;
    c->cut[c->n] = cut;
    lexname_classify(c->lx, name, len, 0, &c->batch[c->n]);
    c->name[c->n] = xstrndup(name, len);    /* copies NUL bytes too */
    c->len[c->n++] = len;
    if (c->n == BATCH)
        flush_batch(c);
}

/*
 * One line of f into line[0..MAX_LINE) without its end of line; the
 * rest of a longer line is skipped (a DNS name has at most 253
 * characters, its escaped form four times that) and *cut set. Returns
 * the length, or -1 at the end of the input.
 */
static long
read_line(FILE *f, char *line, int *cut)
{
    size_t n = 0;
    int ch;

    *cut = 0;
    while ((ch = getc_unlocked(f)) != EOF && ch != '\n') {
        if (n < MAX_LINE)
            line[n++] = (char)ch;
        else
            *cut = 1;
    }
    if (ch == EOF && n == 0)
        return -1;
    while (n && line[n - 1] == '\r')
        n--;
    return (long)n;
}

/* Options shared by both commands; returns the index of the first name. */
static int
parse(int argc, char **argv, const char *usage, const char **model,
      enum format *format, int *header, char ***zones, size_t *n_zones)
{
    static const struct option opts[] = {
        { "model", required_argument, NULL, 'm' },
        { "format", required_argument, NULL, 'f' },
        { "header", no_argument, NULL, 'H' },
        { "internal-zone", required_argument, NULL, 'z' },
        { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 },
    };
    int ch;

    optind = 1;
    opterr = 0;
    while ((ch = getopt_long(argc, argv, "+h", opts, NULL)) != -1) {
        switch (ch) {
        case 'm':
            *model = optarg;
            break;
        case 'f':
            if (!format || (strcmp(optarg, "text") != 0 &&
                            strcmp(optarg, "tsv") != 0 &&
                            strcmp(optarg, "json") != 0))
                goto bad;
            *format = optarg[0] == 't' ? (optarg[1] == 'e' ? FMT_TEXT
                                                           : FMT_TSV)
                                       : FMT_JSON;
            break;
        case 'H':
            if (!header)
                goto bad;
            *header = 1;
            break;
        case 'z':
            *zones = xrealloc(*zones, (*n_zones + 1) * sizeof **zones);
            (*zones)[(*n_zones)++] = optarg;
            break;
        case 'h':
            fputs(usage, stdout);
            return -1;
        default:
            goto bad;
        }
    }
    return optind;
bad:
    fputs(usage, stderr);
    return -2;
}

/*
 * After parsing (first is parse()'s answer): load the model and make the
 * classifier with the extra zones, which are freed. Returns -1 to go
 * on, or the exit status to return at once.
 */
static int
start(struct classify *c, const char *db_path, int first, const char *model,
      char **zones, size_t n_zones)
{
    if (first < 0 || load_model(db_path, model, &c->m) != 0) {
        free(zones);
        return first == -1 ? EXIT_CLEAN : first == -2 ? EXIT_USAGE
                                                      : EXIT_FATAL;
    }
    c->lx = lexctx_new(&c->m);
    for (size_t i = 0; i < n_zones; i++)
        lexctx_add_zone(c->lx, zones[i]);
    free(zones);
    return -1;
}

/* Write errors are reported once, by main, when it closes stdout. */
static int
finish(void)
{
    return fflush(stdout) != 0 || ferror(stdout) ? EXIT_FATAL : EXIT_CLEAN;
}

int
cmd_classify(const char *db_path, int argc, char **argv)
{
    struct classify *c = xcalloc(1, sizeof *c);
    const char *model = NULL;
    char **zones = NULL, *line = NULL;
    size_t n_zones = 0;
    int header = 0, first, rc, cut;
    long got;

    (void)db_path;
    first = parse(argc, argv, classify_usage, &model, &c->format, &header,
                  &zones, &n_zones);
    if ((rc = start(c, db_path, first, model, zones, n_zones)) >= 0) {
        free(c);
        return rc;
    }
    if (header && c->format == FMT_TSV)
        print_tsv_header();
    /* the plain list shows scores only */
    lexctx_subdomain_features(c->lx, c->format != FMT_TEXT);
    for (int i = first; i < argc; i++)
        classify_one(c, argv[i], strlen(argv[i]), 0);
    line = xmalloc(MAX_LINE + 1);
    while (first >= argc && (got = read_line(stdin, line, &cut)) >= 0)
        classify_one(c, line, (size_t)got, cut);
    flush_batch(c);
    rc = finish();
    free(line);
    lexctx_free(c->lx);
    model_free(&c->m);
    free(c);
    return rc;
}

/* --- explain --- */

struct row {
    int    f;
    double value, rank, contrib;
};

static int
by_effect(const void *a, const void *b)
{
    double x = fabs(((const struct row *)a)->contrib);
    double y = fabs(((const struct row *)b)->contrib);

    if (x != y)
        return x < y ? 1 : -1;
    return ((const struct row *)a)->f - ((const struct row *)b)->f;
}

static void
print_parts(const struct lex_result *r, const char *shown)
{
    char a[300];

    printf("name          %s\n", shown);
    printf("normalised    %s\n",
           escape_bytes(a, sizeof a, r->norm, strlen(r->norm)));
    if (r->domain)
        printf("domain        %s\n", escape_bytes(a, sizeof a, r->domain,
                                                  strlen(r->domain)));
    if (r->site && r->domain && strcmp(r->site, r->domain) != 0)
        printf("site          %s  (under a private suffix)\n",
               escape_bytes(a, sizeof a, r->site, strlen(r->site)));
    if (r->reason == LR_SCORED) {
        printf("label         %s\n", escape_bytes(a, sizeof a,
               r->parts.label, r->parts.label_len));
        if (r->parts.sub_len)
            printf("subdomain     %s\n", escape_bytes(a, sizeof a,
                   r->parts.sub, r->parts.sub_len));
    }
}

static void
print_explanation(const struct classify *c, const struct lex_result *r)
{
    struct row rows[LX_COUNT];
    double bias, contrib[LX_COUNT];

    rf_contributions(&c->m.forest, r->x, &bias, contrib);
    printf("dga_score     %.4f", r->score);
    if (c->m.split.thr3 > 0)
        printf("  (flagged above %.4f at 1e-3 false positives, %.4f at "
               "1e-4)", (double)c->m.split.thr3, (double)c->m.split.thr4);
    printf("\nbase rate     %.4f\n\n", bias);
    printf("%-22s %10s %8s %9s  %s\n", "feature", "value", "benign<",
           "effect", "meaning");
    for (int f = 0; f < LX_COUNT; f++)
        rows[f] = (struct row){ f, r->x[f],
                                lex_benign_rank(&c->m, f, r->x[f]),
                                contrib[f] };
    qsort(rows, LX_COUNT, sizeof *rows, by_effect);
    for (int i = 0; i < LX_COUNT; i++) {
        char rank[16] = "-";
        if (rows[i].rank >= 0)
            snprintf(rank, sizeof rank, "%5.1f%%", rows[i].rank * 100);
        printf("%-22s %10.4f %8s %+9.4f  %s\n", lex_feature_name(rows[i].f),
               rows[i].value, rank, rows[i].contrib,
               lex_feature_help(rows[i].f));
    }
}

int
cmd_explain(const char *db_path, int argc, char **argv)
{
    struct classify *c = xcalloc(1, sizeof *c);
    const char *model = NULL;
    char **zones = NULL, shown[1100];
    size_t n_zones = 0;
    int first, rc;

    first = parse(argc, argv, explain_usage, &model, NULL, NULL, &zones,
                  &n_zones);
    if (first >= 0 && first != argc - 1) {
        fprintf(stderr, "dnshunt: explain takes one name\n%s",
                explain_usage);
        first = -2;
    }
    if (first >= 0 && (rc = explain_stored(db_path, argv[first])) >= 0) {
        free(zones);
        free(c);
        return rc;
    }
    if ((rc = start(c, db_path, first, model, zones, n_zones)) >= 0) {
        free(c);
        return rc;
    }
    lexname_classify(c->lx, argv[first], strlen(argv[first]), 1, &c->r);
    escape_bytes(shown, sizeof shown, argv[first], strlen(argv[first]));
    print_parts(&c->r, shown);
    if (c->r.reason != LR_SCORED)
        printf("not scored    %s\n", lex_reason_text(c->r.reason));
    else
        print_explanation(c, &c->r);
    rc = finish();
    lexctx_free(c->lx);
    model_free(&c->m);
    free(c);
    return rc;
}
