/* SPDX-License-Identifier: MIT
 *
 * `dnshunt train` and `dnshunt eval`: build the lexical DGA model from
 * lists of names, and measure a model per family at the false-positive
 * rates a resolver can live with, including on families it never saw.
 */
#include <dirent.h>
#include <getopt.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/cli.h"
#include "core/decide.h"
#include "core/indicators.h"
#include "core/isotime.h"
#include "core/lexname.h"
#include "core/modelfile.h"
#include "core/train.h"
#include "core/util.h"
#include "storage/decisions.h"
#include "storage/models.h"

static const char train_usage[] =
"usage: dnshunt train --benign FILE... --dga FILE_OR_DIR... --out MODEL\n"
"                     [--words FILE] [--exclude FILE]... [--trees N]\n"
"                     [--seed S] [--depth N] [--min-leaf N]\n"
"                     [--per-family N] [--threads N] [--split M,T,V,D]\n"
"                     [--salt S] [--dump-features DIR]\n"
"\n"
"Train the lexical DGA model. Lists hold one name per line, or\n"
"'rank,name' as top lists come; '#' starts a comment line. Benign names\n"
"that a DGA list holds are dropped. Each DGA file is one family, named\n"
"after the file (gozi.txt is gozi) unless given as FAMILY=FILE; a\n"
"directory adds each of its .txt files. Arguments after the options are\n"
"more DGA files. --words names an English word list (default\n"
"/usr/share/dict/words when present). Names on an --exclude list are\n"
"left out of the benign side. Defaults: 64 trees, depth 16, min leaf 3,\n"
"seed 1, at most 2000 training names per family, 2 threads. --split\n"
"M,T,V,D sets the percentages of benign names for the Markov part, the\n"
"forest part and validation (the rest is test) and of DGA names for\n"
"training; --salt S changes which names fall where. The same inputs and\n"
"options give the same model, byte for byte. --dump-features DIR writes\n"
"the forest's training rows (train.tsv) and held-out test rows with\n"
"this model's scores (test.tsv), to compare with other learners.\n";

static const char eval_usage[] =
"usage: dnshunt eval [--model FILE] --benign FILE... --dga FILE_OR_DIR...\n"
"                    [--exclude FILE]... [--all] [--false-positives N]\n"
"                    [--dictionary FAMILY,...]\n"
"                    [--leave-family-out [--folds K] [train options]]\n"
"\n"
"Measure a model per DGA family: the share of the family's names\n"
"flagged (TPR) at the thresholds that flag 1e-3 and 1e-4 of benign\n"
"validation names, and the AUC against the benign test names; then the\n"
"macro average over families, with dictionary families as their own\n"
"group (gozi, suppobox, rovnix, matsnu, pizd, charbot, nymaim2,\n"
"ngioweb, bigviktor, manuelita, and those --dictionary names).\n"
"\n"
"Only names in the parts the model never learned from count; give the\n"
"lists the model was trained with, and the same --exclude lists. --all\n"
"counts every name, for lists the model never saw, with the model's own\n"
"thresholds. --false-positives N lists the N benign names that score\n"
"highest. Names fall into parts by the split the model records; --split\n"
"and --salt matter only to --leave-family-out.\n"
"\n"
"--leave-family-out trains new models (with the train options: --words,\n"
"--trees, --seed, ...) each without a group of families, K groups in\n"
"all (default 10), and measures each model on the families it lacked.\n";

struct sources {
    const char         **benign;
    size_t               n_benign;
    struct train_source *dga;
    size_t               n_dga;
    struct buf           names;     /* storage for family names */
    char               **owned;
    size_t               n_owned;
};

static char *
keep(struct sources *s, char *p)
{
    s->owned = xrealloc(s->owned, (s->n_owned + 1) * sizeof *s->owned);
    return s->owned[s->n_owned++] = p;
}

static void
add_dga(struct sources *s, const char *family, const char *path)
{
    s->dga = xrealloc(s->dga, (s->n_dga + 1) * sizeof *s->dga);
    s->dga[s->n_dga++] = (struct train_source){ family, path };
}

static int
by_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* A DGA argument: FAMILY=FILE, a file, or a directory of .txt files. */
static int
add_dga_arg(struct sources *s, const char *arg)
{
    const char *eq = strchr(arg, '=');
    struct stat st;
    char shown[300];

    const char *slash = strchr(arg, '/');

    if (eq && eq > arg && (!slash || eq < slash)) {
        add_dga(s, keep(s, xstrndup(arg, (size_t)(eq - arg))), eq + 1);
        return 0;
    }
    if (stat(arg, &st) == 0 && S_ISDIR(st.st_mode)) {
        DIR *d = opendir(arg);
        struct dirent *e;
        char **v = NULL;
        size_t n = 0;
        while (d && (e = readdir(d))) {
            size_t len = strlen(e->d_name);
            if (len > 4 && strcmp(e->d_name + len - 4, ".txt") == 0) {
                v = xrealloc(v, (n + 1) * sizeof *v);
                v[n++] = xstrdup(e->d_name);
            }
        }
        if (d)
            closedir(d);
        qsort(v, n, sizeof *v, by_name);
        for (size_t i = 0; i < n; i++) {
            struct buf p = { 0 };
            buf_printf(&p, "%s/%s", arg, v[i]);
            v[i][strlen(v[i]) - 4] = '\0';
            add_dga(s, keep(s, v[i]), keep(s, p.data));
        }
        free(v);
        if (n)
            return 0;
        fprintf(stderr, "dnshunt: %s: no .txt lists in the directory\n",
                escape_bytes(shown, sizeof shown, arg, strlen(arg)));
        return -1;
    }
    const char *base = strrchr(arg, '/');
    char *fam = xstrdup(base ? base + 1 : arg);
    char *dot = strrchr(fam, '.');
    if (dot && dot != fam)
        *dot = '\0';
    add_dga(s, keep(s, fam), arg);
    return 0;
}

static void
sources_free(struct sources *s)
{
    for (size_t i = 0; i < s->n_owned; i++)
        free(s->owned[i]);
    free(s->owned);
    free(s->benign);
    free(s->dga);
}

enum {
    OPT_BENIGN = 256, OPT_DGA, OPT_OUT, OPT_WORDS, OPT_TREES, OPT_SEED,
    OPT_DEPTH, OPT_MINLEAF, OPT_PERFAM, OPT_THREADS, OPT_MODEL, OPT_ALL,
    OPT_LOFO, OPT_FOLDS, OPT_SHOW, OPT_SALT, OPT_EXCLUDE, OPT_SPLIT,
    OPT_DICT, OPT_DUMP, OPT_COPIES
};

static const struct option long_opts[] = {
    { "benign", required_argument, NULL, OPT_BENIGN },
    { "dga", required_argument, NULL, OPT_DGA },
    { "out", required_argument, NULL, OPT_OUT },
    { "words", required_argument, NULL, OPT_WORDS },
    { "trees", required_argument, NULL, OPT_TREES },
    { "seed", required_argument, NULL, OPT_SEED },
    { "depth", required_argument, NULL, OPT_DEPTH },
    { "min-leaf", required_argument, NULL, OPT_MINLEAF },
    { "per-family", required_argument, NULL, OPT_PERFAM },
    { "threads", required_argument, NULL, OPT_THREADS },
    { "model", required_argument, NULL, OPT_MODEL },
    { "all", no_argument, NULL, OPT_ALL },
    { "leave-family-out", no_argument, NULL, OPT_LOFO },
    { "folds", required_argument, NULL, OPT_FOLDS },
    { "false-positives", required_argument, NULL, OPT_SHOW },
    { "salt", required_argument, NULL, OPT_SALT },
    { "exclude", required_argument, NULL, OPT_EXCLUDE },
    { "split", required_argument, NULL, OPT_SPLIT },
    { "dictionary", required_argument, NULL, OPT_DICT },
    { "dump-features", required_argument, NULL, OPT_DUMP },
    { "copies", required_argument, NULL, OPT_COPIES },
    { "help", no_argument, NULL, 'h' },
    { NULL, 0, NULL, 0 },
};

struct args {
    struct sources    src;
    struct train_opts o;
    const char       *out, *model;
    int               all, lofo, folds, show, copies;
};

static void
args_free(struct args *a)
{
    sources_free(&a->src);
    free(a->o.exclude);
}

static int
number(const char *s, long lo, long hi, long *v)
{
    char *end;

    *v = strtol(s, &end, 10);
    return *s && !*end && *v >= lo && *v <= hi ? 0 : -1;
}

/* The numeric options: where each goes and the values it may take. */
static const struct {
    int    opt;
    size_t at;          /* offset in struct args */
    int    wide;        /* uint64_t rather than int */
    long   lo, hi;
} numbers[] = {
    { OPT_TREES, offsetof(struct args, o.trees), 0, 1, 10000 },
    { OPT_SEED, offsetof(struct args, o.seed), 1, 0, 2147483647L },
    { OPT_DEPTH, offsetof(struct args, o.depth), 0, 1, 64 },
    { OPT_MINLEAF, offsetof(struct args, o.min_leaf), 0, 1, 100000 },
    { OPT_PERFAM, offsetof(struct args, o.per_family), 0, 1, 100000000 },
    { OPT_THREADS, offsetof(struct args, o.threads), 0, 1, 64 },
    { OPT_SALT, offsetof(struct args, o.split.salt), 1, 0, 2147483647L },
    { OPT_SHOW, offsetof(struct args, show), 0, 0, 100000 },
    { OPT_FOLDS, offsetof(struct args, folds), 0, 2, 1000 },
    { OPT_COPIES, offsetof(struct args, copies), 0, 1, 1000 },
};

/* A numeric option: 0 when set, -1 when out of range, 1 when not one. */
static int
number_option(struct args *a, int ch, const char *arg)
{
    long v;

    for (size_t i = 0; i < sizeof numbers / sizeof *numbers; i++) {
        if (numbers[i].opt != ch)
            continue;
        if (number(arg, numbers[i].lo, numbers[i].hi, &v))
            return -1;
        if (numbers[i].wide)
            *(uint64_t *)(void *)((char *)a + numbers[i].at) = (uint64_t)v;
        else
            *(int *)(void *)((char *)a + numbers[i].at) = (int)v;
        return 0;
    }
    return 1;
}

static int
split_option(struct args *a, const char *arg)
{
    unsigned mk, tr, va, dg;
    char end;

    if (sscanf(arg, "%u,%u,%u,%u%c", &mk, &tr, &va, &dg, &end) != 4 ||
        mk > 99 || tr > 99 || va > 99 || mk + tr + va > 99 || !mk ||
        !tr || !va || !dg || dg > 99)
        return -1;
    a->o.split.markov = mk, a->o.split.train = tr;
    a->o.split.valid = va, a->o.split.dga_train = dg;
    return 0;
}

static void
add_path(const char ***v, size_t *n, const char *path)
{
    *v = xrealloc(*v, (*n + 1) * sizeof **v);
    (*v)[(*n)++] = path;
}

/* Any other option: 0 when taken, -1 when bad. */
static int
other_option(struct args *a, int ch, const char *arg)
{
    switch (ch) {
    case OPT_BENIGN: add_path(&a->src.benign, &a->src.n_benign, arg); break;
    case OPT_EXCLUDE: add_path(&a->o.exclude, &a->o.n_exclude, arg); break;
    case OPT_DGA: return add_dga_arg(&a->src, arg);
    case OPT_OUT: a->out = arg; break;
    case OPT_MODEL: a->model = arg; break;
    case OPT_WORDS: a->o.words = *arg ? arg : NULL; break;
    case OPT_ALL: a->all = 1; break;
    case OPT_LOFO: a->lofo = 1; break;
    case OPT_DUMP: a->o.dump_dir = arg; break;
    case OPT_SPLIT: return split_option(a, arg);
    case OPT_DICT: {
        char *list = xstrdup(arg), *save = NULL;
        for (char *t = strtok_r(list, ",", &save); t;
             t = strtok_r(NULL, ",", &save))
            family_add_dictionary(t);
        free(list);
        break;
    }
    default:
        return -1;
    }
    return 0;
}

/* Say which option was wrong, then how to use the command. */
static void
complain(int ch, const char *arg, const char *usage)
{
    char shown[256];

    for (const struct option *o = long_opts; o->name; o++) {
        if (o->val != ch)
            continue;
        fprintf(stderr, "dnshunt: bad value for --%s: '%s'\n%s", o->name,
                escape_bytes(shown, sizeof shown, arg ? arg : "",
                             arg ? strlen(arg) : 0), usage);
        return;
    }
    fprintf(stderr, "dnshunt: unknown option or missing value\n%s", usage);
}

/* Parse the options of both commands; 1 for --help, -1 for errors. */
static int
parse_args(int argc, char **argv, const char *usage, struct args *a)
{
    int ch;

    train_defaults(&a->o);
    if (access("/usr/share/dict/words", R_OK) == 0)
        a->o.words = "/usr/share/dict/words";
    a->folds = 10;
    a->copies = 20;
    optind = 1;
    opterr = 0;
    while ((ch = getopt_long(argc, argv, "h", long_opts, NULL)) != -1) {
        int rc = ch == 'h' ? 0 : number_option(a, ch, optarg);
        if (ch == 'h') {
            fputs(usage, stdout);
            return 1;
        }
        if (rc > 0)
            rc = other_option(a, ch, optarg);
        if (rc) {
            complain(ch, optarg, usage);
            return -1;
        }
    }
    for (int i = optind; i < argc; i++)
        if (add_dga_arg(&a->src, argv[i]))
            return -1;
    a->o.benign = a->src.benign;
    a->o.n_benign = a->src.n_benign;
    a->o.dga = a->src.dga;
    a->o.n_dga = a->src.n_dga;
    if (!a->src.n_benign || !a->src.n_dga) {
        fprintf(stderr, "dnshunt: give benign and DGA lists\n%s", usage);
        return -1;
    }
    return 0;
}

static int
load_corpus(struct args *a, struct corpus *c)
{
    char err[600];

    if (corpus_load(&a->o, c, err, sizeof err) != 0) {
        fprintf(stderr, "dnshunt: %s\n", err);
        return -1;
    }
    return 0;
}

int
cmd_train(const char *db_path, int argc, char **argv)
{
    struct args a = { 0 };
    struct corpus c;
    struct model m;
    char err[600];
    int rc = parse_args(argc, argv, train_usage, &a);

    (void)db_path;
    if (rc == 0 && !a.out) {
        fprintf(stderr, "dnshunt: --out MODEL is required\n");
        rc = -1;
    }
    if (rc) {
        args_free(&a);
        return rc > 0 ? EXIT_CLEAN : EXIT_USAGE;
    }
    if (load_corpus(&a, &c) != 0) {
        args_free(&a);
        return EXIT_FATAL;
    }
    rc = EXIT_CLEAN;
    if (train_model(&c, &a.o, NULL, &m, stderr, err, sizeof err) != 0) {
        fprintf(stderr, "dnshunt: %s; no model written\n", err);
        rc = EXIT_FATAL;
    } else {
        if (modelfile_save(a.out, &m, err, sizeof err) != 0) {
            fprintf(stderr, "dnshunt: %s\n", err);
            rc = EXIT_FATAL;
        } else {
            fputs(m.meta, stdout);
        }
        model_free(&m);
    }
    corpus_free(&c);
    args_free(&a);
    return rc;
}

/* --- eval --- */

struct famres {
    size_t n;
    double tpr3, tpr4, auc;
};

static int
by_float(const void *a, const void *b)
{
    float x = *(const float *)a, y = *(const float *)b;

    return (x > y) - (x < y);
}

/* Scores of the corpus names of family fam in part (any part if -1). */
static size_t
scores_of(struct lexctx *lx, const struct corpus *c, uint32_t fam,
          int part, struct lex_result *r, float **out)
{
    size_t k = 0;

    *out = xmalloc((c->n + 1) * sizeof **out);
    for (size_t i = 0; i < c->n; i++) {
        const struct sample *s = &c->v[i];
        if (s->family != fam || (part >= 0 && s->part != part))
            continue;
        if (lexname_classify(lx, s->norm, strlen(s->norm), 1, r) ==
            LR_SCORED)
            (*out)[k++] = (float)r->score;
    }
    return k;
}

/* AUC of scores x against benign (sorted ascending), ties half. */
static double
auc(const float *x, size_t n, const float *benign, size_t nb)
{
    double sum = 0.0;

    if (!n || !nb)
        return 0.0;
    for (size_t i = 0; i < n; i++) {
        size_t lo = 0, hi = nb;
        while (lo < hi) {               /* first benign >= x[i] */
            size_t mid = (lo + hi) / 2;
            if (benign[mid] < x[i])
                lo = mid + 1;
            else
                hi = mid;
        }
        size_t below = lo, eq = 0;
        while (lo + eq < nb && benign[lo + eq] == x[i])
            eq++;
        sum += ((double)below + eq / 2.0) / (double)nb;
    }
    return sum / (double)n;
}

static double
share_above(const float *x, size_t n, float t)
{
    size_t k = 0;

    for (size_t i = 0; i < n; i++)
        k += x[i] > t;
    return n ? (double)k / (double)n : 0.0;
}

struct bench {
    float  *benign;         /* test scores, ascending */
    size_t  nb;
    float   thr3, thr4;
    size_t  nvalid;
};

/* The benign side: thresholds from validation, test scores for AUC. */
static void
benign_side(struct lexctx *lx, const struct corpus *c,
            const struct model *m, int all, struct lex_result *r,
            struct bench *b)
{
    float *v;

    if (all) {
        b->nb = scores_of(lx, c, 0, -1, r, &b->benign);
        b->thr3 = m->split.thr3;
        b->thr4 = m->split.thr4;
        b->nvalid = 0;
    } else {
        b->nb = scores_of(lx, c, 0, PART_TEST, r, &b->benign);
        b->nvalid = scores_of(lx, c, 0, PART_VALID, r, &v);
        qsort(v, b->nvalid, sizeof *v, by_float);
        for (size_t i = 0; i < b->nvalid / 2; i++) {   /* descending */
            float t = v[i];
            v[i] = v[b->nvalid - 1 - i];
            v[b->nvalid - 1 - i] = t;
        }
        b->thr3 = threshold_for(v, b->nvalid, 1e-3);
        b->thr4 = threshold_for(v, b->nvalid, 1e-4);
        free(v);
    }
    qsort(b->benign, b->nb, sizeof *b->benign, by_float);
}

static struct famres
measure(struct lexctx *lx, const struct corpus *c, uint32_t fam, int all,
        const struct bench *b, struct lex_result *r)
{
    float *x;
    struct famres f;

    f.n = scores_of(lx, c, fam, all ? -1 : PART_TEST, r, &x);
    f.tpr3 = share_above(x, f.n, b->thr3);
    f.tpr4 = share_above(x, f.n, b->thr4);
    f.auc = auc(x, f.n, b->benign, b->nb);
    free(x);
    return f;
}

static void
print_header(const struct bench *b, const char *title)
{
    printf("%s\n", title);
    printf("benign: %zu test names, %zu validation names\n", b->nb,
           b->nvalid);
    printf("threshold at FPR 1e-3: %.6f (benign test FPR %.5f)\n",
           (double)b->thr3, share_above(b->benign, b->nb, b->thr3));
    printf("threshold at FPR 1e-4: %.6f (benign test FPR %.5f)\n",
           (double)b->thr4, share_above(b->benign, b->nb, b->thr4));
    if (b->nvalid && b->nvalid < 10000)
        printf("(%zu validation names cannot resolve FPR %s: below %.0f "
               "names a threshold is just the top benign score)\n",
               b->nvalid, b->nvalid < 1000 ? "1e-3 or 1e-4" : "1e-4",
               b->nvalid < 1000 ? 1000.0 : 10000.0);
    putchar('\n');
    printf("%-26s %7s %9s %9s %8s\n", "family", "names", "TPR@1e-3",
           "TPR@1e-4", "AUC");
}

/* Macro averages over the families of each group (dictionary or not). */
static void
print_macro(const struct corpus *c, const struct famres *res)
{
    static const char *const label[3] = { "macro, character families",
                                          "macro, dictionary families",
                                          "macro, all families" };
    double s[3][3] = { { 0 } };
    size_t n[3] = { 0 };

    for (size_t f = 1; f < c->n_families; f++) {
        if (!res[f].n)
            continue;
        int grp[2] = { family_is_dictionary(c->families[f]), 2 };
        for (int k = 0; k < 2; k++) {
            s[grp[k]][0] += res[f].tpr3;
            s[grp[k]][1] += res[f].tpr4;
            s[grp[k]][2] += res[f].auc;
            n[grp[k]]++;
        }
    }
    printf("\n");
    for (int g = 0; g < 3; g++) {
        char what[64];
        if (!n[g])
            continue;
        snprintf(what, sizeof what, "%s (%zu)", label[g], n[g]);
        printf("%-34s %9.4f %9.4f %8.5f\n", what, s[g][0] / n[g],
               s[g][1] / n[g], s[g][2] / n[g]);
    }
}

static void
print_family(const struct corpus *c, size_t f, const struct famres *r)
{
    char shown[64];

    escape_bytes(shown, sizeof shown, c->families[f],
                 strlen(c->families[f]));
    if (!r->n) {        /* no names of this family in the parts measured */
        printf("%-26s %7d %9s %9s %8s\n", shown, 0, "n/a", "n/a", "n/a");
        return;
    }
    printf("%-26s %7zu %9.4f %9.4f %8.5f%s\n", shown, r->n, r->tpr3,
           r->tpr4, r->auc,
           family_is_dictionary(c->families[f]) ? "  dictionary" : "");
}

struct scored {
    float       score;
    const char *name;
};

static int
by_score_desc(const void *a, const void *b)
{
    float x = ((const struct scored *)a)->score;
    float y = ((const struct scored *)b)->score;

    if (x != y)
        return x < y ? 1 : -1;
    return strcmp(((const struct scored *)a)->name,
                  ((const struct scored *)b)->name);
}

/* The benign names that score highest: what an analyst would see. */
static void
show_false_positives(struct lexctx *lx, const struct corpus *c, int all,
                     int n, struct lex_result *r)
{
    struct scored *v = xmalloc((c->n + 1) * sizeof *v);
    size_t k = 0;
    char shown[300];

    for (size_t i = 0; i < c->n; i++) {
        const struct sample *s = &c->v[i];
        if (s->family || (!all && s->part != PART_TEST && s->part !=
                          PART_VALID))
            continue;
        if (lexname_classify(lx, s->norm, strlen(s->norm), 1, r) ==
            LR_SCORED)
            v[k++] = (struct scored){ (float)r->score, s->norm };
    }
    qsort(v, k, sizeof *v, by_score_desc);
    printf("\nhighest-scoring benign names (%s):\n",
           all ? "all" : "validation and test");
    for (size_t i = 0; i < k && i < (size_t)n; i++)
        printf("%9.6f  %s\n", (double)v[i].score,
               escape_bytes(shown, sizeof shown, v[i].name,
                            strlen(v[i].name)));
    free(v);
}

static int
load_model_file(const char *path, struct model *m)
{
    char err[600];

    if (!path)
        path = getenv("DNSHUNT_MODEL");
    if (modelfile_load(path && *path ? path : NULL, m, err, sizeof err)) {
        fprintf(stderr, "dnshunt: %s\n", err);
        return -1;
    }
    return 0;
}

static int
eval_model(struct args *a, const struct corpus *c, struct model *mp)
{
    struct model m = *mp;
    struct lexctx *lx;
    struct lex_result *r = xmalloc(sizeof *r);
    struct famres *res = xcalloc(c->n_families, sizeof *res);
    struct bench b;

    lx = lexctx_new(&m);
    benign_side(lx, c, &m, a->all, r, &b);
    if (!b.nb || (!a->all && !b.nvalid)) {
        fprintf(stderr, "dnshunt: no benign names in the %s to measure "
                "with\n", a->all ? "lists" : "validation and test parts");
        free(b.benign);
        free(res);
        free(r);
        lexctx_free(lx);
        return EXIT_FATAL;
    }
    if (c->excluded || c->dropped_dga)
        printf("(benign names left out: %zu on a DGA list, %zu on an "
               "exclusion list)\n", c->dropped_dga, c->excluded);
    print_header(&b, a->all ? "every name counts (--all)"
                            : "names of the held-out parts only");
    for (size_t f = 1; f < c->n_families; f++) {
        res[f] = measure(lx, c, (uint32_t)f, a->all, &b, r);
        print_family(c, f, &res[f]);
    }
    print_macro(c, res);
    if (a->show)
        show_false_positives(lx, c, a->all, a->show, r);
    free(b.benign);
    free(res);
    free(r);
    lexctx_free(lx);
    return EXIT_CLEAN;
}

/* Train without each group of families in turn; measure on them. */
static int
leave_family_out(struct args *a, const struct corpus *c)
{
    size_t fams = c->n_families - 1;
    int k = a->folds < (int)fams ? a->folds : (int)fams;
    struct famres *res = xcalloc(c->n_families, sizeof *res);
    unsigned char *skip = xcalloc(c->n_families, 1);
    struct lex_result *r = xmalloc(sizeof *r);
    char err[300];

    printf("leave-family-out: %d groups of families, each measured by a\n"
           "model trained without it (thresholds from that model's\n"
           "benign validation names)\n\n", k);
    for (int g = 0; g < k; g++) {
        struct model m;
        struct bench b;
        for (size_t f = 1; f < c->n_families; f++)
            skip[f] = (int)((f - 1) % (size_t)k) == g;
        fprintf(stderr, "dnshunt: group %d of %d\n", g + 1, k);
        if (train_model(c, &a->o, skip, &m, NULL, err, sizeof err) != 0) {
            fprintf(stderr, "dnshunt: group %d: %s\n", g + 1, err);
            continue;
        }
        struct lexctx *lx = lexctx_new(&m);
        benign_side(lx, c, &m, 0, r, &b);
        for (size_t f = 1; f < c->n_families; f++)
            if (skip[f])
                res[f] = measure(lx, c, (uint32_t)f, 0, &b, r);
        free(b.benign);
        lexctx_free(lx);
        model_free(&m);
    }
    printf("%-26s %7s %9s %9s %8s\n", "family", "names", "TPR@1e-3",
           "TPR@1e-4", "AUC");
    for (size_t f = 1; f < c->n_families; f++)
        print_family(c, f, &res[f]);
    print_macro(c, res);
    free(res);
    free(skip);
    free(r);
    return EXIT_CLEAN;
}

int
cmd_eval(const char *db_path, int argc, char **argv)
{
    struct args a = { 0 };
    struct corpus c;
    struct model m;
    int rc = parse_args(argc, argv, eval_usage, &a);

    (void)db_path;
    if (rc) {
        args_free(&a);
        return rc > 0 ? EXIT_CLEAN : EXIT_USAGE;
    }
    /* Names fall into the parts the model was trained with. */
    if (!a.lofo && load_model_file(a.model, &m) != 0) {
        args_free(&a);
        return EXIT_FATAL;
    }
    if (!a.lofo && (m.split.markov || m.split.train))
        a.o.split = m.split;
    if (load_corpus(&a, &c) != 0) {
        if (!a.lofo)
            model_free(&m);
        args_free(&a);
        return EXIT_FATAL;
    }
    rc = a.lofo ? leave_family_out(&a, &c) : eval_model(&a, &c, &m);
    if (!a.lofo)
        model_free(&m);
    corpus_free(&c);
    args_free(&a);
    if (rc == EXIT_CLEAN && (fflush(stdout) != 0 || ferror(stdout)))
        rc = EXIT_FATAL;        /* main says so when it closes stdout */
    return rc;
}

/* --- retrain --- */

static const char retrain_usage[] =
"usage: dnshunt retrain --benign FILE... --dga FILE_OR_DIR... [--copies N]\n"
"                       [--model FILE] [train options]\n"
"       dnshunt retrain --list\n"
"       dnshunt retrain --rollback\n"
"       dnshunt retrain --use ID|built-in\n"
"\n"
"Train a new DGA model from the base lists (those the current model was\n"
"trained with; model/train.sh names the default model's) plus the\n"
"store's verdicts on domains: tp ones as DGA names (family analyst-tp),\n"
"fp and benign ones as benign names, each taken out of whatever list\n"
"held it and learned N times (--copies, default 20). Prints the old and\n"
"the new model side by side on the held-out names and on the labelled\n"
"names, then keeps the new model in the store as the active one: score,\n"
"the console, classify, explain and export sigma use it for this store.\n"
"A tp domain the last scoring found as a tunnel or beacon is left out:\n"
"its name is no DGA name. --model FILE compares with that\n"
"model instead of the store's. --list shows the stored models; --rollback\n"
"makes the one before the active one active again (the built-in model\n"
"before the first); --use makes the model ID (or built-in) active; both\n"
"check that it loads. Run `dnshunt score` afterwards to apply it. Exit\n"
"status: 0 done, 2 usage error or no verdicts, 3 the store, a list,\n"
"the training or the model failed.\n";

struct labels {
    struct label *v;            /* names owned through names[] */
    char        **names;
    char        **verdict;
    size_t        n;
};

static void
add_label(struct labels *l, const char *name, const char *verdict, int dga)
{
    l->v = xrealloc(l->v, (l->n + 1) * sizeof *l->v);
    l->verdict = xrealloc(l->verdict, (l->n + 1) * sizeof *l->verdict);
    l->names = xrealloc(l->names, (l->n + 1) * sizeof *l->names);
    l->names[l->n] = xstrdup(name);
    l->v[l->n].norm = l->names[l->n];
    l->v[l->n].dga = dga;
    l->verdict[l->n++] = xstrdup(verdict);
}

/* fp and benign verdicts on domains: benign names. */
static int
got_label(void *arg, const struct verdict_row *r)
{
    if (strcmp(r->subject, "domain") == 0 && strcmp(r->verdict, "tp") != 0)
        add_label(arg, r->value, r->verdict, 0);
    return 0;
}

/*
 * The labels: tp domains whose name is the evidence (the last scoring
 * gave them the DGA technique) as DGA names, fp and benign ones as
 * benign names. A tp tunnel or beacon domain is no DGA name: *skipped
 * counts those left out.
 */
static enum dh_status
gather_labels(struct db *db, struct labels *l, size_t *skipped, char *err,
              size_t errlen)
{
    struct confirmed_list tp;

    *skipped = 0;
    if (confirmed_gather(db, &tp, err, errlen) != DH_OK) {
        confirmed_free(&tp);
        return DH_DB;
    }
    for (size_t i = 0; i < tp.n; i++) {
        const struct confirmed *c = &tp.v[i];
        /* tech_table: 0 DGA; 2 DNS C2, 4 tunnelling, 5 exfiltration */
        int other = (c->found & (1u << 2 | 1u << 4 | 1u << 5)) ||
                    c->tunnel >= 0.5;
        if ((c->found & 1u) || !other)
            add_label(l, c->name, "tp", 1);
        else
            ++*skipped;
    }
    confirmed_free(&tp);
    return decisions_verdicts(db, got_label, l, err, errlen);
}

static void
labels_free(struct labels *l)
{
    for (size_t i = 0; i < l->n; i++) {
        free(l->names[i]);
        free(l->verdict[i]);
    }
    free(l->names);
    free(l->v);
    free(l->verdict);
}

/* One model's figures on the held-out names, the analysts' family left
 * out of the macro average. */
struct summary {
    double thr3, fpr3, tpr3, tpr4, auc;
    size_t families;
};

static struct summary
summarise(const struct corpus *c, const struct model *m)
{
    struct model copy = *m;
    struct lexctx *lx = lexctx_new(&copy);
    struct lex_result *r = xmalloc(sizeof *r);
    struct summary s = { 0 };
    struct bench b;

    benign_side(lx, c, &copy, 0, r, &b);
    s.thr3 = b.thr3;
    s.fpr3 = share_above(b.benign, b.nb, b.thr3);
    for (size_t f = 1; f < c->n_families; f++) {
        if (strcmp(c->families[f], "analyst-tp") == 0)
            continue;
        struct famres x = measure(lx, c, (uint32_t)f, 0, &b, r);
        if (!x.n)
            continue;
        s.tpr3 += x.tpr3, s.tpr4 += x.tpr4, s.auc += x.auc;
        s.families++;
    }
    if (s.families)
        s.tpr3 /= (double)s.families, s.tpr4 /= (double)s.families,
        s.auc /= (double)s.families;
    free(b.benign);
    free(r);
    lexctx_free(lx);
    return s;
}

static double
score_of(const struct model *m, const char *name)
{
    struct model copy = *m;
    struct lexctx *lx = lexctx_new(&copy);
    struct lex_result *r = xmalloc(sizeof *r);
    double v = lexname_classify(lx, name, strlen(name), 1, r) == LR_SCORED
             ? r->score : -1;

    free(r);
    lexctx_free(lx);
    return v;
}

/* Print the comparison into out (also kept as the model's summary). */
static void
compare(struct buf *out, const struct corpus *c, const struct model *old,
        const char *old_name, const struct model *new,
        const struct labels *l)
{
    struct summary a = summarise(c, old), b = summarise(c, new);
    size_t right = 0, scored = 0;

    buf_printf(out, "held-out names (%zu families, macro average):\n"
               "%-22s %12s %12s\n", a.families, "", "before", "after");
    buf_printf(out, "%-22s %12.4f %12.4f\n", "threshold at 1e-3", a.thr3,
               b.thr3);
    buf_printf(out, "%-22s %12.5f %12.5f\n", "benign test FPR", a.fpr3,
               b.fpr3);
    buf_printf(out, "%-22s %12.4f %12.4f\n", "TPR@1e-3", a.tpr3, b.tpr3);
    buf_printf(out, "%-22s %12.4f %12.4f\n", "TPR@1e-4", a.tpr4, b.tpr4);
    buf_printf(out, "%-22s %12.5f %12.5f\n", "AUC", a.auc, b.auc);
    buf_printf(out, "(before: %s)\n\nlabelled names:\n%-8s %8s %8s  %s\n",
               old_name, "verdict", "before", "after", "domain");
    for (size_t i = 0; i < l->n; i++) {
        char shown[300];
        double x = score_of(old, l->v[i].norm);
        double y = score_of(new, l->v[i].norm);
        escape_bytes(shown, sizeof shown, l->v[i].norm,
                     strlen(l->v[i].norm));
        if (y < 0) {
            buf_printf(out, "%-8s %8s %8s  %s (not a DGA candidate)\n",
                       l->verdict[i], "-", "-", shown);
            continue;
        }
        scored++;
        right += l->v[i].dga ? y > b.thr3 : y <= b.thr3;
        buf_printf(out, "%-8s %8.4f %8.4f  %s\n", l->verdict[i], x, y,
                   shown);
    }
    buf_printf(out, "%zu of %zu scored labelled names on their verdict's "
               "side of the new threshold\n", right, scored);
}

static int
list_model(void *arg, const struct model_row *r)
{
    char when[32], by[64];

    (void)arg;
    isotime_format(r->created_at, when, sizeof when);
    escape_bytes(by, sizeof by, r->created_by, strlen(r->created_by));
    printf("%4lld %-6s %-20s %-12s %6lld %9lld\n", (long long)r->id,
           r->active ? "active" : "", when, by, (long long)r->labels,
           (long long)r->bytes);
    return 0;
}

struct prev {
    int64_t active, before;
};

static int
find_prev(void *arg, const struct model_row *r)
{
    struct prev *p = arg;

    if (r->active)
        p->active = r->id;
    else if (!p->active)
        p->before = r->id;
    return 0;
}

/* The model just made active must load; if not, model before (0: the
 * built-in one) becomes active again. 0, or -1 after saying why. */
static int
check_active(struct db *db, int64_t before)
{
    struct model m;
    char which[64], why[512], err[512];
    int found;

    if (modelfile_stored(db, &m, which, sizeof which, why,
                         sizeof why) == 0) {
        model_free(&m);
        return 0;
    }
    models_activate(db, before, decide_who(), &found, err, sizeof err);
    fprintf(stderr, "dnshunt: %s; the model before stays active\n", why);
    return -1;
}

static int
retrain_admin(struct db *db, const char *what, const char *arg)
{
    char err[512];
    struct prev p = { 0, 0 };
    int found = 0;

    if (strcmp(what, "--list") == 0) {
        printf("%4s %-6s %-20s %-12s %6s %9s\n", "id", "", "created",
               "by", "labels", "bytes");
        if (models_list(db, list_model, NULL, err, sizeof err) != DH_OK)
            goto fail;
        return EXIT_CLEAN;
    }
    if (strcmp(what, "--use") == 0) {
        long id = 0;
        if (strcmp(arg, "built-in") && number(arg, 1, 2147483647L, &id)) {
            fprintf(stderr, "dnshunt: --use takes a model id from "
                    "`dnshunt retrain --list`, or built-in\n");
            return EXIT_USAGE;
        }
        if (models_list(db, find_prev, &p, err, sizeof err) != DH_OK ||
            models_activate(db, id, decide_who(), &found, err,
                            sizeof err) != DH_OK)
            goto fail;
        if (!found) {
            fprintf(stderr, "dnshunt: no model %ld in the store\n", id);
            return EXIT_USAGE;
        }
        if (id && check_active(db, p.active) != 0)
            return EXIT_FATAL;
        if (id)
            printf("model %ld is active; `dnshunt score` applies it\n", id);
        else
            printf("the built-in model is active; `dnshunt score` applies "
                   "it\n");
        return EXIT_CLEAN;
    }
    if (models_list(db, find_prev, &p, err, sizeof err) != DH_OK)
        goto fail;
    if (!p.active) {
        fprintf(stderr, "dnshunt: the built-in model is active; nothing "
                "to roll back\n");
        return EXIT_USAGE;
    }
    if (models_activate(db, p.before, decide_who(), &found, err,
                        sizeof err) != DH_OK)
        goto fail;
    if (p.before && check_active(db, p.active) != 0)
        return EXIT_FATAL;
    if (p.before)
        printf("model %lld is active again (was %lld); `dnshunt score` "
               "applies it\n", (long long)p.before, (long long)p.active);
    else
        printf("the built-in model is active again (was model %lld); "
               "`dnshunt score` applies it\n", (long long)p.active);
    return EXIT_CLEAN;
fail:
    fprintf(stderr, "dnshunt: %s\n", err);
    return EXIT_FATAL;
}

static int
retrain_with(struct db *db, struct args *a, struct labels *l)
{
    struct model old, new;
    struct corpus c;
    struct buf b = { 0 }, bytes = { 0 };
    char err[600], which[300];
    int64_t id;
    int rc = EXIT_FATAL;

    if (modelfile_for_store(db, a->model, &old, which, sizeof which, err,
                            sizeof err) != 0) {
        fprintf(stderr, "dnshunt: %s\n", err);
        return EXIT_FATAL;
    }
    {
        size_t scored = 0;
        for (size_t i = 0; i < l->n; i++)
            scored += score_of(&old, l->v[i].norm) >= 0;
        if (!scored) {
            fprintf(stderr, "dnshunt: none of the %zu labelled domains is "
                    "a DGA candidate (IP literals, single labels, reverse "
                    "or internal names): nothing to learn; the active "
                    "model is unchanged\n", l->n);
            model_free(&old);
            return EXIT_USAGE;
        }
    }
    if (old.split.markov || old.split.train)
        a->o.split = old.split;         /* the same held-out names */
    if (load_corpus(a, &c) != 0) {
        model_free(&old);
        return EXIT_FATAL;
    }
    {
        size_t benign = 0;
        for (size_t i = 0; i < c.n; i++)
            benign += c.v[i].family == 0;
        if (benign < 10000)
            fprintf(stderr, "dnshunt: warning: only %zu benign names to "
                    "learn from (the built-in model had about 100,000): "
                    "the new model and its thresholds rest on few names; "
                    "retrain with the lists the current model was trained "
                    "with (`make retrain`)\n", benign);
    }
    corpus_add_labels(&c, l->v, l->n, a->copies);
    fprintf(stderr, "dnshunt: %zu labelled domains, each learned %d "
            "times\n", l->n, a->copies);
    if (train_model(&c, &a->o, NULL, &new, stderr, err, sizeof err) != 0) {
        fprintf(stderr, "dnshunt: %s; the active model is unchanged\n",
                err);
    } else {
        compare(&b, &c, &old, which, &new, l);
        fputs(b.data, stdout);
        model_write(&new, &bytes);
        if (models_add(db, bytes.data, bytes.len, (int64_t)l->n, b.data,
                       decide_who(), &id, err, sizeof err) != DH_OK) {
            fprintf(stderr, "dnshunt: %s\n", err);
        } else {
            struct prev p = { 0, 0 };
            char back[64] = "the built-in model";
            models_list(db, find_prev, &p, err, sizeof err);
            if (p.before)
                snprintf(back, sizeof back, "model %lld",
                         (long long)p.before);
            printf("\nmodel %lld is now active for this store; `dnshunt "
                   "score` applies it, `dnshunt retrain --rollback` makes "
                   "%s active again\n", (long long)id, back);
            rc = EXIT_CLEAN;
        }
        model_free(&new);
    }
    buf_free(&b);
    buf_free(&bytes);
    corpus_free(&c);
    model_free(&old);
    return rc;
}

int
cmd_retrain(const char *db_path, int argc, char **argv)
{
    struct args a = { 0 };
    struct labels l = { 0 };
    struct db *db;
    char err[512];
    size_t skipped;
    int rc;

    if ((argc == 2 && (strcmp(argv[1], "--list") == 0 ||
                       strcmp(argv[1], "--rollback") == 0)) ||
        (argc == 3 && strcmp(argv[1], "--use") == 0)) {
        if ((rc = cli_open_store(db_path, 1, &db)) != EXIT_CLEAN)
            return rc;
        rc = retrain_admin(db, argv[1], argv[2]);
        db_close(db);
        return rc;
    }
    rc = parse_args(argc, argv, retrain_usage, &a);
    if (rc) {
        args_free(&a);
        return rc > 0 ? EXIT_CLEAN : EXIT_USAGE;
    }
    if ((rc = cli_open_store(db_path, 1, &db)) != EXIT_CLEAN) {
        args_free(&a);
        return rc;
    }
    if (gather_labels(db, &l, &skipped, err, sizeof err) != DH_OK) {
        fprintf(stderr, "dnshunt: %s\n", err);
        rc = EXIT_FATAL;
    } else {
        if (skipped)
            fprintf(stderr, "dnshunt: %zu tp domain%s without the DGA "
                    "technique (tunnels, beacons) left out: their names "
                    "are no DGA names\n", skipped, skipped == 1 ? "" : "s");
        if (l.n) {
            rc = retrain_with(db, &a, &l);
        } else {
            fprintf(stderr, "dnshunt: no verdicts on domains to learn "
                    "from; `dnshunt mark domain NAME tp|fp|benign` gives "
                    "some\n");
            rc = EXIT_USAGE;
        }
    }
    labels_free(&l);
    db_close(db);
    args_free(&a);
    return rc;
}
