/* SPDX-License-Identifier: MIT
 *
 * Training the lexical DGA model (see train.h).
 *
 * Words. The dictionary holds two kinds of word. Ordinary words: the
 * English list (four letters or more; three-letter words only when at
 * least MIN_BENIGN3 benign Markov-part labels contain them) and strings
 * of five to twelve letters found in at least MIN_MINED such labels
 * (brands, "shop", "online"). DGA words: strings of four to twelve
 * letters that at least MIN_DGA training names of one family contain,
 * at a rate DGA_RATIO times their rate among benign labels; dictionary
 * DGAs draw from small word lists, so their words come back again and
 * again, while random families almost never repeat four letters.
 * Grams: the strings of four and five letters that at least MIN_GRAM
 * benign labels contain; random labels are mostly made of others.
 */
#include "core/train.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/lexname.h"
#include "core/reader.h"
#include "core/util.h"
#include "model/lexical.h"
#include "model/rng.h"

#define MIN_SUB      3
#define MAX_SUB      12
#define MIN_BENIGN3  10
#define MIN_MINED    8
#define MIN_GRAM     2
#define MIN_DGA      3
#define DGA_RATIO    20.0
#define MARKOV_ALPHA 0.05
#define QUANT_POINTS 101
#define TLD_CLIP     6.0

static const char *const dictionary_families[] = {
    "gozi", "suppobox", "rovnix", "matsnu", "pizd", "charbot", "nymaim2",
    "ngioweb", "bigviktor", "manuelita",
};

static char **extra_dictionary;
static size_t  n_extra_dictionary;

void
family_add_dictionary(const char *family)
{
    extra_dictionary = xrealloc(extra_dictionary, (n_extra_dictionary + 1) *
                                                  sizeof *extra_dictionary);
    extra_dictionary[n_extra_dictionary++] = xstrdup(family);
}

int
family_is_dictionary(const char *family)
{
    for (size_t i = 0; i < sizeof dictionary_families /
                           sizeof *dictionary_families; i++)
        if (strcmp(family, dictionary_families[i]) == 0)
            return 1;
    for (size_t i = 0; i < n_extra_dictionary; i++)
        if (strcmp(family, extra_dictionary[i]) == 0)
            return 1;
    return 0;
}

void
train_defaults(struct train_opts *o)
{
    memset(o, 0, sizeof *o);
    o->trees = 64;
    o->depth = 16;
    o->min_leaf = 3;
    o->threads = 2;
    o->per_family = 2000;
    o->seed = 1;
    o->split = (struct model_split){ .salt = 0x646e7368756e74ull,
                                     .markov = 40, .train = 30,
                                     .valid = 15, .dga_train = 70 };
}

static uint64_t
hash_str(uint64_t salt, const char *s)
{
    uint64_t h = 1469598103934665603ull ^ salt;

    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211ull;
    h ^= h >> 33;
    h *= 0xff51afd7ed558ccdull;
    h ^= h >> 33;
    return h;
}

enum part
model_part(const struct model_split *s, const char *norm, int dga)
{
    uint32_t h = (uint32_t)(hash_str(s->salt, norm) % 100);

    if (dga)
        return h < s->dga_train ? PART_TRAIN : PART_TEST;
    if (h < s->markov)
        return PART_MARKOV;
    if (h < s->markov + s->train)
        return PART_TRAIN;
    if (h < s->markov + s->train + s->valid)
        return PART_VALID;
    return PART_TEST;
}

/* --- A set of strings, for de-duplication --- */

struct strset {
    const char **slot;
    size_t       cap, n;
};

/* Add s (borrowed); returns 1 when it was new. */
static int
strset_add(struct strset *t, const char *s)
{
    if ((t->n + 1) * 2 > t->cap) {
        struct strset g = { NULL, t->cap ? t->cap * 2 : 1024, 0 };
        g.slot = xcalloc(g.cap, sizeof *g.slot);
        for (size_t i = 0; i < t->cap; i++)
            if (t->slot[i])
                strset_add(&g, t->slot[i]);
        free(t->slot);
        *t = g;
    }
    size_t mask = t->cap - 1;

    for (size_t i = hash_str(0, s) & mask;; i = (i + 1) & mask) {
        if (!t->slot[i]) {
            t->slot[i] = s;
            t->n++;
            return 1;
        }
        if (strcmp(t->slot[i], s) == 0)
            return 0;
    }
}

static int
strset_has(const struct strset *t, const char *s)
{
    if (!t->cap)
        return 0;
    size_t mask = t->cap - 1;

    for (size_t i = hash_str(0, s) & mask;; i = (i + 1) & mask) {
        if (!t->slot[i])
            return 0;
        if (strcmp(t->slot[i], s) == 0)
            return 1;
    }
}

/* --- Counting substrings: in how many labels each one occurs --- */

struct subcount {
    char     s[MAX_SUB + 1];
    uint32_t labels;        /* labels containing it */
    uint32_t last;          /* id of the last label counted */
};

struct subtab {
    struct subcount *slot;
    size_t           cap, n;
};

static struct subcount *
sub_find(struct subtab *t, const char *s, size_t n, int create)
{
    uint64_t h = fnv1a(s, n);

    if (create && (t->n + 1) * 2 > t->cap) {
        struct subtab g = { NULL, t->cap ? t->cap * 2 : 4096, 0 };
        g.slot = xcalloc(g.cap, sizeof *g.slot);
        for (size_t i = 0; i < t->cap; i++) {
            if (!t->slot[i].s[0])
                continue;
            *sub_find(&g, t->slot[i].s, strlen(t->slot[i].s), 1) =
                t->slot[i];
        }
        free(t->slot);
        *t = g;
    }
    if (!t->cap)
        return NULL;
    for (size_t i = h & (t->cap - 1);; i = (i + 1) & (t->cap - 1)) {
        struct subcount *e = &t->slot[i];
        if (!e->s[0]) {
            if (!create)
                return NULL;
            memcpy(e->s, s, n);
            e->s[n] = '\0';
            e->last = UINT32_MAX;
            t->n++;
            return e;
        }
        if (strncmp(e->s, s, n) == 0 && e->s[n] == '\0')
            return e;
    }
}

/* Count each letter-only substring of label (MIN..MAX long) once. */
static void
sub_count(struct subtab *t, const char *label, size_t n, uint32_t id,
          size_t min)
{
    for (size_t i = 0; i < n; i++) {
        for (size_t len = min; len <= MAX_SUB && i + len <= n; len++) {
            char c = label[i + len - 1];
            if (c < 'a' || c > 'z')
                break;
            if (len == min) {
                size_t k;
                for (k = i; k < i + len - 1; k++)
                    if (label[k] < 'a' || label[k] > 'z')
                        break;
                if (k < i + len - 1)
                    break;
            }
            struct subcount *e = sub_find(t, label + i, len, 1);
            if (e->last != id) {
                e->last = id;
                e->labels++;
            }
        }
    }
}

static uint32_t
sub_labels(struct subtab *t, const char *s, size_t n)
{
    struct subcount *e = sub_find(t, s, n, 0);

    return e ? e->labels : 0;
}

/* --- Reading lists --- */

/* The name on a list line: the field after the last comma, trimmed. */
static char *
list_name(char *line, size_t *n)
{
    char *p = strrchr(line, ',');
    char *s = p ? p + 1 : line, *e;

    while (*s == ' ' || *s == '\t')
        s++;
    e = s + strlen(s);
    while (e > s && (e[-1] == '\n' || e[-1] == '\r' || e[-1] == ' ' ||
                     e[-1] == '\t'))
        e--;
    *n = (size_t)(e - s);
    return s;
}

struct loader {
    struct corpus      *c;
    struct lexctx      *lx;
    struct strset       seen;       /* names of the current family */
    const struct train_opts *o;
    struct buf          inputs;
};

static void
add_sample(struct loader *L, const char *name, size_t n, uint32_t family)
{
    struct lex_result *r = xmalloc(sizeof *r);
    struct corpus *c = L->c;

    if (lexname_classify(L->lx, name, n, 0, r) != LR_SCORED) {
        c->unscored++;
        free(r);
        return;
    }
    char *norm = xstrdup(r->norm);
    free(r);
    if (!strset_add(&L->seen, norm)) {
        free(norm);
        return;
    }
    if (c->n % 4096 == 0)
        c->v = xrealloc(c->v, (c->n + 4096) * sizeof *c->v);
    c->v[c->n++] = (struct sample){
        norm, family, (uint8_t)model_part(&L->o->split, norm, family != 0)
    };
}

/* The SHA-256 of a file in hex, "?" when it cannot be read; static. */
static const char *
hash_of(const char *path)
{
    static char hex[65];
    char err[256];
    uint64_t size;

    if (file_sha256(path, hex, &size, err, sizeof err) != DH_OK)
        return "?";
    return hex;
}

/* The word list must be readable; its lines and hash go on record. */
static int
check_words(struct loader *L, const char *path, char *err, size_t errlen)
{
    FILE *f = fopen(path, "r");
    char shown[256];
    size_t lines = 0;
    int ch;

    size_t words = 0, len = 0;
    int letters = 1;

    escape_bytes(shown, sizeof shown, path, strlen(path));
    if (!f) {
        snprintf(err, errlen, "%s: %s", shown, strerror(errno));
        return -1;
    }
    /* Count lines that could be words: letters only, 3 to 24 of them. */
    while ((ch = getc(f)) != EOF) {
        if (ch == '\n' || ch == '\r') {
            words += letters && len >= DICT_MIN_WORD && len <= DICT_MAX_WORD;
            lines += ch == '\n';
            len = 0, letters = 1;
            continue;
        }
        len++;
        letters &= (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z');
    }
    if (ferror(f) || !words) {
        snprintf(err, errlen, "%s: %s", shown, ferror(f)
                 ? "cannot be read as a word list" : "holds no words");
        fclose(f);
        return -1;
    }
    fclose(f);
    buf_printf(&L->inputs, "  words %s: %zu lines, %zu words, sha256 %s\n",
               shown, lines, words, hash_of(path));
    return 0;
}

/* Read one list; family 0 is benign. */
static int
load_list(struct loader *L, const char *path, uint32_t family, char *err,
          size_t errlen)
{
    FILE *f = fopen(path, "r");
    char *line = NULL, shown[256];
    size_t cap = 0, before = L->c->n, lines = 0;

    if (!f) {
        snprintf(err, errlen, "%s: %s",
                 escape_bytes(shown, sizeof shown, path, strlen(path)),
                 strerror(errno));
        return -1;
    }
    while (getline(&line, &cap, f) > 0) {
        size_t n;
        const char *lead = line + strspn(line, " \t");
        char *name = list_name(line, &n);
        lines++;
        if (n == 0 || *lead == '#')   /* a comment may hold commas */
            continue;
        add_sample(L, name, n, family);
    }
    free(line);
    if (ferror(f)) {
        snprintf(err, errlen, "%s: read error",
                 escape_bytes(shown, sizeof shown, path, strlen(path)));
        fclose(f);
        return -1;
    }
    fclose(f);
    buf_printf(&L->inputs, "  %s %s: %zu lines, %zu names, sha256 %s\n",
               family == UINT32_MAX ? "exclude" :
               family ? L->c->families[family] : "benign",
               escape_bytes(shown, sizeof shown, path, strlen(path)),
               lines, L->c->n - before, hash_of(path));
    return 0;
}

/* The index of a family; its name is kept escaped, printable ASCII. */
static uint32_t
family_index(struct corpus *c, const char *raw)
{
    char name[128];

    escape_bytes(name, sizeof name, raw, strlen(raw));
    for (size_t i = 1; i < c->n_families; i++)
        if (strcmp(c->families[i], name) == 0)
            return (uint32_t)i;
    c->families = xrealloc(c->families,
                           (c->n_families + 1) * sizeof *c->families);
    c->families[c->n_families] = xstrdup(name);
    return (uint32_t)c->n_families++;
}

/*
 * Drop benign names that a DGA list or an exclusion list holds (the
 * exclusions are the samples of family UINT32_MAX); keep the order.
 */
static void
drop_dga_names(struct corpus *c)
{
    struct strset dga = { 0 }, ex = { 0 };
    size_t k = 0;

    for (size_t i = 0; i < c->n; i++)
        if (c->v[i].family)
            strset_add(c->v[i].family == UINT32_MAX ? &ex : &dga,
                       c->v[i].norm);
    /* The sets borrow the names: mark first, free afterwards. */
    for (size_t i = 0; i < c->n; i++) {
        struct sample *s = &c->v[i];
        if (!s->family && strset_has(&ex, s->norm))
            s->part = UINT8_MAX, c->excluded++;
        else if (!s->family && strset_has(&dga, s->norm))
            s->part = UINT8_MAX, c->dropped_dga++;
    }
    free(dga.slot);
    free(ex.slot);
    for (size_t i = 0; i < c->n; i++) {
        if (c->v[i].family == UINT32_MAX || c->v[i].part == UINT8_MAX) {
            free(c->v[i].norm);
            continue;
        }
        c->v[k++] = c->v[i];
    }
    c->n = k;
}

void
corpus_add_labels(struct corpus *c, const struct label *l, size_t n,
                  int copies)
{
    struct strset names = { 0 };
    uint32_t fam = 0;
    size_t k = 0;

    for (size_t i = 0; i < n; i++)
        strset_add(&names, l[i].norm);
    for (size_t i = 0; i < c->n; i++) {     /* wherever the lists had it */
        if (strset_has(&names, c->v[i].norm)) {
            free(c->v[i].norm);
            continue;
        }
        c->v[k++] = c->v[i];
    }
    c->n = k;
    free(names.slot);
    for (size_t i = 0; i < n; i++) {
        if (l[i].dga && !fam)
            fam = family_index(c, "analyst-tp");
        c->v = xrealloc(c->v, (c->n + (size_t)copies) * sizeof *c->v);
        for (int j = 0; j < copies; j++)
            c->v[c->n++] = (struct sample){ xstrdup(l[i].norm),
                                            l[i].dga ? fam : 0,
                                            PART_TRAIN };
    }
}

int
corpus_load(const struct train_opts *o, struct corpus *c, char *err,
            size_t errlen)
{
    struct model empty = { 0 };
    struct loader L = { .c = c, .o = o };
    int rc = 0;

    memset(c, 0, sizeof *c);
    c->families = xcalloc(1, sizeof *c->families);
    c->families[0] = xstrdup("benign");
    c->n_families = 1;
    L.lx = lexctx_new(&empty);
    if (o->words)
        rc = check_words(&L, o->words, err, errlen);
    for (size_t i = 0; i < o->n_dga && !rc; i++) {
        uint32_t fam = family_index(c, o->dga[i].family);
        free(L.seen.slot);
        L.seen = (struct strset){ 0 };
        /* A family may span files: reload its names into the set. */
        for (size_t j = 0; j < c->n; j++)
            if (c->v[j].family == fam)
                strset_add(&L.seen, c->v[j].norm);
        rc = load_list(&L, o->dga[i].path, fam, err, errlen);
    }
    for (size_t i = 0; i < o->n_exclude && !rc; i++) {
        free(L.seen.slot);
        L.seen = (struct strset){ 0 };
        rc = load_list(&L, o->exclude[i], UINT32_MAX, err, errlen);
    }
    free(L.seen.slot);
    L.seen = (struct strset){ 0 };
    for (size_t i = 0; i < o->n_benign && !rc; i++)
        rc = load_list(&L, o->benign[i], 0, err, errlen);
    free(L.seen.slot);
    lexctx_free(L.lx);
    c->inputs = L.inputs.data ? L.inputs.data : xstrdup("");
    if (rc) {
        corpus_free(c);
        return -1;
    }
    drop_dga_names(c);
    return 0;
}

void
corpus_free(struct corpus *c)
{
    for (size_t i = 0; i < c->n; i++)
        free(c->v[i].norm);
    free(c->v);
    for (size_t i = 0; i < c->n_families; i++)
        free(c->families[i]);
    free(c->families);
    free(c->inputs);
    memset(c, 0, sizeof *c);
}

/* --- Training --- */

/* A benign name the model learns from (not validation or test). */
static int
learns(const struct sample *s)
{
    return s->part == PART_MARKOV || s->part == PART_TRAIN;
}

/* The names the forest and the DGA words learn from. */
struct chosen {
    unsigned char *use;         /* per sample */
    size_t        *per_family;  /* chosen DGA names per family */
    size_t         markov, train, valid, dga;
};

static void
choose(const struct corpus *c, const struct train_opts *o,
       const unsigned char *skip, struct chosen *ch)
{
    ch->use = xcalloc(c->n ? c->n : 1, 1);
    ch->per_family = xcalloc(c->n_families, sizeof *ch->per_family);
    for (size_t i = 0; i < c->n; i++) {
        const struct sample *s = &c->v[i];
        if (!s->family) {
            ch->use[i] = learns(s);
            ch->markov += s->part == PART_MARKOV;
            ch->train += s->part == PART_TRAIN;
            ch->valid += s->part == PART_VALID;
        } else if (s->part == PART_TRAIN && !(skip && skip[s->family]) &&
                   ch->per_family[s->family] < (size_t)o->per_family) {
            ch->use[i] = 1;
            ch->per_family[s->family]++;
            ch->dga++;
        }
    }
}

/* Parts of sample i under an empty or partial model. */
static int
parts_of(struct lexctx *lx, const struct sample *s, struct lex_result *r)
{
    return lexname_classify(lx, s->norm, strlen(s->norm), 0, r) ==
           LR_SCORED ? 0 : -1;
}

static void
learn_markov(const struct corpus *c, const struct chosen *ch,
             struct lexctx *lx, struct lex_result *r, struct model *m,
             struct subtab *benign)
{
    struct markov_counts *mc = xcalloc(1, sizeof *mc);

    for (size_t i = 0; i < c->n; i++) {
        const struct sample *s = &c->v[i];
        if (s->family || !ch->use[i] ||
            parts_of(lx, s, r))
            continue;
        mc_count(mc, r->parts.label, r->parts.label_len);
        sub_count(benign, r->parts.label, r->parts.label_len,
                  (uint32_t)i, MIN_SUB);
    }
    m->markov = xmalloc(sizeof *m->markov);
    mc_train(mc, MARKOV_ALPHA, m->markov);
    memset(mc, 0, sizeof *mc);
    for (size_t i = 0; i < c->n; i++) {
        const struct sample *s = &c->v[i];
        if (!s->family || !ch->use[i] || parts_of(lx, s, r))
            continue;
        mc_count(mc, r->parts.label, r->parts.label_len);
    }
    m->markov_dga = xmalloc(sizeof *m->markov_dga);
    mc_train(mc, MARKOV_ALPHA, m->markov_dga);
    free(mc);
}

/* English words, then strings common in benign labels. */
static size_t
learn_words(const struct train_opts *o, struct subtab *benign,
            struct dict *d)
{
    FILE *f = o->words ? fopen(o->words, "r") : NULL;
    char *line = NULL;
    size_t cap = 0, english = 0;

    while (f && getline(&line, &cap, f) > 0) {
        size_t n = strcspn(line, "\r\n");
        for (size_t i = 0; i < n; i++)
            if (line[i] >= 'A' && line[i] <= 'Z')
                line[i] = (char)(line[i] + 32);
        if (n == 3 && sub_labels(benign, line, n) < MIN_BENIGN3)
            continue;
        english += (size_t)dict_add(d, line, n, DICT_WORD);
    }
    free(line);
    if (f)
        fclose(f);
    for (size_t i = 0; i < benign->cap; i++) {
        const struct subcount *e = &benign->slot[i];
        size_t n = strlen(e->s);
        if (e->s[0] && n >= 5 && e->labels >= MIN_MINED)
            dict_add(d, e->s, n, DICT_WORD);
        if ((n == 4 || n == 5) && e->labels >= MIN_GRAM)
            dict_add(d, e->s, n, DICT_GRAM);
    }
    return english;
}

/* Strings one DGA family keeps reusing, far more than benign names do. */
static size_t
learn_dga_words(const struct corpus *c, const struct chosen *ch,
                struct lexctx *lx, struct lex_result *r,
                struct subtab *benign, struct dict *d)
{
    size_t added = 0;

    for (uint32_t fam = 1; fam < c->n_families; fam++) {
        struct subtab t = { 0 };
        size_t n = ch->per_family[fam];
        for (size_t i = 0; i < c->n && n; i++)
            if (c->v[i].family == fam && ch->use[i] &&
                !parts_of(lx, &c->v[i], r))
                sub_count(&t, r->parts.label, r->parts.label_len,
                          (uint32_t)i, MIN_SUB + 1);
        for (size_t i = 0; i < t.cap; i++) {
            const struct subcount *e = &t.slot[i];
            if (!e->s[0] || e->labels < MIN_DGA)
                continue;
            double rate = (double)e->labels / (double)n;
            double brate = (sub_labels(benign, e->s, strlen(e->s)) + 1.0) /
                           (double)(ch->markov + ch->train + 1);
            if (rate >= DGA_RATIO * brate)
                added += dict_kinds(d, e->s, strlen(e->s)) & DICT_DGA ? 0 :
                         (dict_add(d, e->s, strlen(e->s), DICT_DGA), 1);
        }
        free(t.slot);
    }
    return added;
}

struct tld_seen {
    char tld[64];
    int  dga;
};

static int
by_tld(const void *a, const void *b)
{
    return strcmp(((const struct tld_seen *)a)->tld,
                  ((const struct tld_seen *)b)->tld);
}

/* Log-odds of DGA per TLD, from the Markov part and the DGA train part. */
static void
learn_tlds(const struct corpus *c, const struct chosen *ch,
           struct lexctx *lx, struct lex_result *r, struct model *m)
{
    struct tld_seen *v = xmalloc((c->n + 1) * sizeof *v);
    size_t k = 0, b = 0, d = 0, kinds = 0;

    for (size_t i = 0; i < c->n; i++) {
        const struct sample *s = &c->v[i];
        if (!ch->use[i] ||
            parts_of(lx, s, r) || strlen(r->parts.tld) > 63)
            continue;
        snprintf(v[k].tld, sizeof v[k].tld, "%s", r->parts.tld);
        v[k].dga = s->family != 0;
        b += !v[k].dga;
        d += (size_t)v[k].dga;
        k++;
    }
    qsort(v, k, sizeof *v, by_tld);
    m->tlds = xcalloc(k + 1, sizeof *m->tlds);
    size_t *dg = xcalloc(k + 1, sizeof *dg), *all = xcalloc(k + 1,
                                                           sizeof *all);
    for (size_t i = 0; i < k; i++) {
        if (i == 0 || strcmp(v[i].tld, v[i - 1].tld) != 0)
            memcpy(m->tlds[++kinds].name, v[i].tld, sizeof v[i].tld);
        dg[kinds] += (size_t)v[i].dga;
        all[kinds]++;
    }
    /* Entry 0, the empty name, is every TLD training never saw. */
    double K = (double)kinds + 1.0;
    for (size_t t = 0; t <= kinds; t++) {
        double lo = log((dg[t] + 1.0) / ((double)d + K)) -
                    log((all[t] - dg[t] + 1.0) / ((double)b + K));
        m->tlds[t].logodds = (float)(lo > TLD_CLIP ? TLD_CLIP :
                                     lo < -TLD_CLIP ? -TLD_CLIP : lo);
    }
    free(dg);
    free(all);
    m->n_tlds = kinds + 1;
    free(v);
}

/* Which half of the names a sample is in, for cross-fitting. */
static int
fold_of(const struct train_opts *o, const struct sample *s)
{
    return (int)(hash_str(o->split.salt + 1, s->norm) & 1);
}

/*
 * Features of the forest's names into X, labels in y. A name of fold k
 * gets its features from lx[k], whose Markov chains, words and TLD
 * priors learned only from the other fold, so the forest sees every
 * feature as it will be on names never seen, and every name the model
 * learns from is a training row.
 */
static size_t
feature_rows(const struct corpus *c, const struct train_opts *o,
             const struct chosen *ch, struct lexctx *lx[2],
             struct lex_result *r, float **X, uint8_t **y)
{
    size_t rows = 0;

    size_t cap = ch->markov + ch->train + ch->dga + 1;

    *X = xmalloc(cap * LX_COUNT * sizeof **X);
    *y = xmalloc(cap);
    for (size_t i = 0; i < c->n; i++) {
        const struct sample *s = &c->v[i];
        if (!ch->use[i])
            continue;
        if (lexname_classify(lx[fold_of(o, s)], s->norm, strlen(s->norm), 0,
                             r) != LR_SCORED)
            continue;
        memcpy(*X + rows * LX_COUNT, r->x, sizeof r->x);
        (*y)[rows++] = s->family != 0;
    }
    return rows;
}

static int
by_float(const void *a, const void *b)
{
    float x = *(const float *)a, y = *(const float *)b;

    return (x > y) - (x < y);
}

/* Benign quantiles of every feature, for explanations. */
static void
learn_quantiles(const float *X, const uint8_t *y, size_t rows,
                struct model *m)
{
    float *col = xmalloc((rows + 1) * sizeof *col);

    m->q_features = LX_COUNT;
    m->q_points = QUANT_POINTS;
    m->quantiles = xcalloc(LX_COUNT * QUANT_POINTS, sizeof *m->quantiles);
    for (int f = 0; f < LX_COUNT; f++) {
        size_t k = 0;
        for (size_t i = 0; i < rows; i++)
            if (!y[i])
                col[k++] = X[i * LX_COUNT + (size_t)f];
        if (!k)
            continue;
        qsort(col, k, sizeof *col, by_float);
        for (int q = 0; q < QUANT_POINTS; q++)
            m->quantiles[f * QUANT_POINTS + q] =
                col[(size_t)((double)q / (QUANT_POINTS - 1) * (double)(k - 1))];
    }
    free(col);
}

static int
by_float_desc(const void *a, const void *b)
{
    return by_float(b, a);
}

/*
 * The threshold that at most rate of the scores exceed: the score at
 * rank floor(rate * n) from the top.
 */
float
threshold_for(const float *desc, size_t n, double rate)
{
    size_t i = (size_t)(rate * (double)n);

    if (n == 0)
        return 1.0f;
    return desc[i < n ? i : n - 1];
}

static void
learn_thresholds(const struct corpus *c, struct lexctx *lx,
                 struct lex_result *r, struct model *m)
{
    float *s = xmalloc((c->n + 1) * sizeof *s);
    size_t k = 0;

    for (size_t i = 0; i < c->n; i++)
        if (!c->v[i].family && c->v[i].part == PART_VALID &&
            lexname_classify(lx, c->v[i].norm, strlen(c->v[i].norm), 1,
                             r) == LR_SCORED)
            s[k++] = (float)r->score;
    qsort(s, k, sizeof *s, by_float_desc);
    m->split.thr3 = threshold_for(s, k, 1e-3);
    m->split.thr4 = threshold_for(s, k, 1e-4);
    free(s);
}

static size_t
forest_nodes(const struct forest *f)
{
    size_t n = 0;

    for (int t = 0; t < f->n_trees; t++)
        n += (size_t)f->trees[t].n;
    return n;
}

static void
describe(const struct corpus *c, const struct train_opts *o,
         const struct chosen *ch, size_t english, size_t dga_words,
         const unsigned char *skip, struct model *m)
{
    struct buf b = { 0 };

    buf_printf(&b, "dnshunt lexical DGA model\nfeatures: %s\n",
               lex_feature_list());
    buf_printf(&b, "inputs:\n%s", c->inputs);
    buf_printf(&b, "benign names: %zu markov, %zu train, %zu validation;"
               " %zu dropped as in a DGA list, %zu as excluded\n",
               ch->markov, ch->train, ch->valid, c->dropped_dga,
               c->excluded);
    buf_printf(&b, "dga training names: %zu over %zu families\n", ch->dga,
               c->n_families - 1);
    for (size_t f = 1; f < c->n_families; f++)
        if (skip && skip[f])
            buf_printf(&b, "left out: %s\n", c->families[f]);
    buf_printf(&b, "words: %zu English (%s), %zu in all, %zu from DGAs\n",
               english, o->words ? o->words : "none",
               dict_size(m->dict), dga_words);
    buf_printf(&b, "forest: %d trees, depth %d, min leaf %d, seed %llu;"
               " %zu nodes\n", o->trees, o->depth, o->min_leaf,
               (unsigned long long)o->seed, forest_nodes(&m->forest));
    buf_printf(&b, "split: salt %llx, benign %u/%u/%u/%u%%, dga %u/%u%%\n",
               (unsigned long long)o->split.salt, o->split.markov,
               o->split.train, o->split.valid,
               100 - o->split.markov - o->split.train - o->split.valid,
               o->split.dga_train, 100 - o->split.dga_train);
    buf_printf(&b, "thresholds: %.6f at FPR 1e-3, %.6f at FPR 1e-4\n",
               (double)m->split.thr3, (double)m->split.thr4);
    m->meta = b.data;
}

static void
dump_header(FILE *f, const char *first)
{
    fputs(first, f);
    for (int k = 0; k < LX_COUNT; k++)
        fprintf(f, "\t%s", lex_feature_name(k));
    fputc('\n', f);
}

static void
dump_row(FILE *f, const float *x)
{
    for (int k = 0; k < LX_COUNT; k++)
        fprintf(f, "\t%.9g", (double)x[k]);
    fputc('\n', f);
}

/*
 * For comparing with other forests: the rows the forest learned from
 * (train.tsv: label, features) and the held-out test names, at most
 * per_family of each family (test.tsv: label, this model's score,
 * features). Returns 0 or -1 when a file cannot be written.
 */
static int
dump_features(const struct corpus *c, const struct train_opts *o,
              const float *X, const uint8_t *y, size_t rows,
              const struct model *m, char *err, size_t errlen)
{
    char path[4096];
    FILE *f;
    int ok;
    size_t *seen = xcalloc(c->n_families, sizeof *seen);
    struct lexctx *lx = lexctx_new(m);
    struct lex_result *r = xmalloc(sizeof *r);

    snprintf(path, sizeof path, "%s/train.tsv", o->dump_dir);
    if ((f = fopen(path, "w"))) {
        dump_header(f, "label");
        for (size_t i = 0; i < rows; i++) {
            fprintf(f, "%u", y[i]);
            dump_row(f, X + i * LX_COUNT);
        }
        ok = fclose(f) == 0;
    } else {
        ok = 0;
    }
    snprintf(path, sizeof path, "%s/test.tsv", o->dump_dir);
    if (ok && (f = fopen(path, "w"))) {
        dump_header(f, "label\tscore");
        for (size_t i = 0; i < c->n; i++) {
            const struct sample *s = &c->v[i];
            if (s->part != PART_TEST || (s->family &&
                seen[s->family] >= (size_t)o->per_family) ||
                lexname_classify(lx, s->norm, strlen(s->norm), 1, r) !=
                LR_SCORED)
                continue;
            seen[s->family]++;
            fprintf(f, "%d\t%.9g", s->family != 0, r->score);
            dump_row(f, r->x);
        }
        ok = fclose(f) == 0;
    } else {
        ok = 0;
    }
    if (!ok) {
        char shown[300];
        snprintf(err, errlen, "%s: %s", escape_bytes(shown, sizeof shown,
                 path, strlen(path)), strerror(errno));
    }
    free(seen);
    free(r);
    lexctx_free(lx);
    return ok ? 0 : -1;
}

/* The choice without the names of fold k. */
static void
without_fold(const struct corpus *c, const struct train_opts *o,
             const struct chosen *ch, int k, struct chosen *out)
{
    *out = *ch;
    out->use = xmalloc(c->n ? c->n : 1);
    out->per_family = xcalloc(c->n_families, sizeof *out->per_family);
    out->dga = 0;
    out->markov = out->train = 0;
    for (size_t i = 0; i < c->n; i++) {
        const struct sample *s = &c->v[i];
        out->use[i] = ch->use[i];
        if (!ch->use[i])
            continue;
        if (k >= 0 && fold_of(o, s) == k)
            out->use[i] = 0;
        else if (s->family)
            out->per_family[s->family]++, out->dga++;
        else
            out->markov += s->part == PART_MARKOV,
            out->train += s->part == PART_TRAIN;
    }
}

static void
chosen_free(struct chosen *ch)
{
    free(ch->use);
    free(ch->per_family);
}

/* Everything but the forest, from the names ch chooses. */
static void
learn_parts(const struct corpus *c, const struct train_opts *o,
            const struct chosen *ch, struct model *m, size_t *english,
            size_t *dga_words)
{
    struct model empty = { 0 };
    struct lexctx *lx = lexctx_new(&empty);
    struct lex_result *r = xmalloc(sizeof *r);
    struct subtab benign = { 0 };

    m->split = o->split;
    learn_markov(c, ch, lx, r, m, &benign);
    m->dict = dict_new();
    *english = learn_words(o, &benign, m->dict);
    *dga_words = learn_dga_words(c, ch, lx, r, &benign, m->dict);
    free(benign.slot);
    dict_freeze(m->dict);
    learn_tlds(c, ch, lx, r, m);
    m->features = xstrdup(lex_feature_list());
    free(r);
    lexctx_free(lx);
}

int
train_model(const struct corpus *c, const struct train_opts *o,
            const unsigned char *skip, struct model *m, FILE *log,
            char *err, size_t errlen)
{
    struct chosen ch = { 0 }, half[2];
    struct model part[2];
    struct lexctx *lx[2];
    struct lex_result *r = xmalloc(sizeof *r);
    float *X;
    uint8_t *y;
    size_t english, dga_words, rows, unused;
    struct rf_params p = { o->trees, o->depth, o->min_leaf, 0, o->threads,
                           o->seed };
    int rc = 0;

    memset(m, 0, sizeof *m);
    choose(c, o, skip, &ch);
    if (!ch.markov || !ch.train || !ch.valid || !ch.dga) {
        snprintf(err, errlen, "too few names: %zu benign to learn from, "
                 "%zu for validation, %zu DGA to learn from",
                 ch.markov + ch.train, ch.valid, ch.dga);
        chosen_free(&ch);
        free(r);
        return -1;
    }
    for (int k = 0; k < 2; k++) {
        memset(&part[k], 0, sizeof part[k]);
        without_fold(c, o, &ch, k, &half[k]);
        learn_parts(c, o, &half[k], &part[k], &unused, &unused);
        lx[k] = lexctx_new(&part[k]);
    }
    rows = feature_rows(c, o, &ch, lx, r, &X, &y);
    for (int k = 0; k < 2; k++) {
        lexctx_free(lx[k]);
        model_free(&part[k]);
        chosen_free(&half[k]);
    }
    learn_parts(c, o, &ch, m, &english, &dga_words);
    learn_quantiles(X, y, rows, m);
    if (log)
        fprintf(log, "dnshunt: %zu words (%zu from DGAs); growing %d trees "
                "on %zu names\n", dict_size(m->dict), dga_words, o->trees,
                rows);
    if (rf_train(&m->forest, X, y, rows, LX_COUNT, &p) != 0) {
        snprintf(err, errlen, "the forest cannot grow on %zu rows", rows);
        model_free(m);
        rc = -1;
    } else {
        struct lexctx *full = lexctx_new(m);
        learn_thresholds(c, full, r, m);
        describe(c, o, &ch, english, dga_words, skip, m);
        lexctx_free(full);
        if (o->dump_dir && dump_features(c, o, X, y, rows, m, err,
                                         errlen) != 0) {
            model_free(m);
            rc = -1;
        }
    }
    free(X);
    free(y);
    free(r);
    chosen_free(&ch);
    return rc;
}
