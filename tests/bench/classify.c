/* SPDX-License-Identifier: MIT
 *
 * classify.c: how fast names are scored, on one core, inside the
 * process (no reading or printing). Run by tests/bench/model.sh as
 *
 *   bench_classify MODEL|- NAMES [TEST_TSV]
 *
 * MODEL "-" is the built-in model. NAMES is a file of names, one per
 * line, or gen:N for N generated names (random letters, hex strings,
 * pronounceable strings, some under www.). TEST_TSV is a table written
 * by `dnshunt train --dump-features`: the forest alone is timed on its
 * rows, and its scores are checked against the table's. Prints figures.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/lexname.h"
#include "core/modelfile.h"
#include "core/util.h"
#include "model/rng.h"

#define BATCH 256

static double
now(void)
{
    struct timespec t;

    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static void
gen_name(struct rng *r, struct buf *b)
{
    static const char *const tld[] = { "com", "net", "org", "biz", "info",
                                       "io", "de", "co.uk" };
    static const char cons[] = "bcdfghjklmnprstvwz", vow[] = "aeiou";
    unsigned kind = (unsigned)rng_below(r, 10), len;

    buf_reset(b);
    if (rng_below(r, 4) == 0)
        buf_adds(b, "www.");
    len = 6 + (unsigned)rng_below(r, 11);
    for (unsigned i = 0; i < len; i++) {
        if (kind < 4)           /* pronounceable */
            buf_addc(b, i % 2 ? vow[rng_below(r, 5)]
                              : cons[rng_below(r, sizeof cons - 1)]);
        else if (kind < 8)      /* random letters */
            buf_addc(b, (char)('a' + rng_below(r, 26)));
        else                    /* hex */
            buf_addc(b, "0123456789abcdef"[rng_below(r, 16)]);
    }
    buf_printf(b, ".%s", tld[rng_below(r, 8)]);
}

static char **
load_names(const char *spec, size_t *n)
{
    char **v = NULL, *line = NULL;
    size_t cap = 0, k = 0;
    ssize_t got;

    if (strncmp(spec, "gen:", 4) == 0) {
        struct rng r = { 20261204 };
        struct buf b = { 0 };
        *n = (size_t)strtoul(spec + 4, NULL, 10);
        v = xmalloc((*n + 1) * sizeof *v);
        for (size_t i = 0; i < *n; i++) {
            gen_name(&r, &b);
            v[i] = xstrdup(b.data);
        }
        buf_free(&b);
        return v;
    }
    FILE *f = fopen(spec, "r");
    if (!f) {
        perror(spec);
        exit(2);
    }
    while ((got = getline(&line, &cap, f)) > 0) {
        line[strcspn(line, "\r\n")] = '\0';
        if (k % 4096 == 0)
            v = xrealloc(v, (k + 4096) * sizeof *v);
        v[k++] = xstrdup(line);
    }
    free(line);
    fclose(f);
    *n = k;
    return v;
}

static void
report(const char *what, size_t n, double secs)
{
    printf("%-34s %9zu names %8.3f s %11.0f names/s %7.3f us/name\n", what,
           n, secs, (double)n / secs, secs * 1e6 / (double)n);
}

/* The forest alone on the rows of a --dump-features test table. */
static void
forest_only(const struct model *m, const char *path)
{
    FILE *f = fopen(path, "r");
    char *line = NULL;
    size_t cap = 0, rows = 0, mismatch = 0;
    float *X = NULL;
    double *want = NULL, *got, t0, best;
    struct rf_flat fl;

    if (!f) {
        perror(path);
        exit(2);
    }
    if (getline(&line, &cap, f) <= 0)       /* the header */
        exit(2);
    while (getline(&line, &cap, f) > 0) {
        char *p = line, *end;
        if (rows % 4096 == 0) {
            X = xrealloc(X, (rows + 4096) * LX_COUNT * sizeof *X);
            want = xrealloc(want, (rows + 4096) * sizeof *want);
        }
        strtol(p, &end, 10);                /* the label */
        want[rows] = strtod(end, &end);
        for (int k = 0; k < LX_COUNT; k++)
            X[rows * LX_COUNT + (size_t)k] = strtof(end, &end);
        rows++;
    }
    free(line);
    fclose(f);
    got = xmalloc((rows + 1) * sizeof *got);
    if (rf_compile(&m->forest, &fl) != 0) {
        fprintf(stderr, "bench_classify: the forest does not lay out flat\n");
        exit(2);
    }
    best = 1e9;
    for (int round = 0; round < 3; round++) {   /* the best of three */
        t0 = now();
        rf_flat_predict(&fl, X, rows, got);
        t0 = now() - t0;
        best = t0 < best ? t0 : best;
    }
    report("forest only, batched (best of 3)", rows, best);
    for (size_t i = 0; i < rows; i++)
        mismatch += got[i] - want[i] > 1e-6 || want[i] - got[i] > 1e-6;
    t0 = now();
    for (size_t i = 0; i < rows; i++)
        got[i] = rf_predict(&m->forest, X + i * LX_COUNT);
    report("forest only, one name at a time", rows, now() - t0);
    for (size_t i = 0; i < rows; i++)
        mismatch += got[i] - want[i] > 1e-6 || want[i] - got[i] > 1e-6;
    printf("scores differing from the table (both ways): %zu of %zu\n",
           mismatch, 2 * rows);
    rf_flat_free(&fl);
    free(X);
    free(want);
    free(got);
}

/* The forest alone on the features of the names: each walk this
 * processor has (AVX-512, AVX2, portable), turn about, the best of three
 * of each. */
static void
forest_walks(const struct model *m, struct lexctx *lx, char **names,
             size_t n)
{
    static const char *const walk[] = {
        "forest only, batched, portable walk",
        "forest only, batched, AVX2 walk",
        "forest only, batched, AVX-512 walk",
    };
    float *X = xmalloc((n + 1) * LX_COUNT * sizeof *X);
    double *y = xmalloc((n + 1) * sizeof *y), best[3] = { 1e9, 1e9, 1e9 };
    struct lex_result r;
    struct rf_flat fl;
    size_t rows = 0;
    int top = rf_flat_use_simd(2);

    for (size_t i = 0; i < n; i++)
        if (lexname_classify(lx, names[i], strlen(names[i]), 0, &r) ==
            LR_SCORED)
            memcpy(X + rows++ * LX_COUNT, r.x, sizeof r.x);
    if (rf_compile(&m->forest, &fl) != 0)
        exit(2);
    for (int round = 0; round < 3 * (top + 1); round++) {
        int level = top - round % (top + 1);
        rf_flat_use_simd(level);
        double t0 = now();
        rf_flat_predict(&fl, X, rows, y);
        t0 = now() - t0;
        if (t0 < best[level])
            best[level] = t0;
    }
    rf_flat_use_simd(2);
    for (int level = top; level >= 0; level--)
        report(walk[level], rows, best[level]);
    rf_flat_free(&fl);
    free(X);
    free(y);
}

int
main(int argc, char **argv)
{
    struct model m;
    char err[512];
    size_t n;
    char **names;
    struct lex_result *r;
    struct lexctx *lx;
    double t0, sum = 0.0;

    if (argc < 3) {
        fprintf(stderr, "usage: bench_classify MODEL|- NAMES [TEST_TSV]\n");
        return 2;
    }
    if (modelfile_load(strcmp(argv[1], "-") ? argv[1] : NULL, &m, err,
                       sizeof err) != 0) {
        fprintf(stderr, "bench_classify: %s\n", err);
        return 2;
    }
    names = load_names(argv[2], &n);
    r = xmalloc(BATCH * sizeof *r);
    lx = lexctx_new(&m);
    t0 = now();
    for (size_t i = 0; i < n; i++)
        lexname_classify(lx, names[i], strlen(names[i]), 0, &r[0]);
    report("features only", n, now() - t0);
    t0 = now();
    for (size_t i = 0; i < n; i += BATCH) {
        size_t k = n - i < BATCH ? n - i : BATCH;
        for (size_t j = 0; j < k; j++)
            lexname_classify(lx, names[i + j], strlen(names[i + j]), 0,
                             &r[j]);
        lexname_score(lx, r, k);
        for (size_t j = 0; j < k; j++)
            sum += r[j].score;
    }
    report("features + forest (dga_score)", n, now() - t0);
    printf("mean dga_score %.4f\n", sum / (double)n);
    forest_walks(&m, lx, names, n);
    if (argc > 3)
        forest_only(&m, argv[3]);
    for (size_t i = 0; i < n; i++)
        free(names[i]);
    free(names);
    free(r);
    lexctx_free(lx);
    model_free(&m);
    return 0;
}
