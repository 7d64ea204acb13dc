/* SPDX-License-Identifier: MIT
 *
 * Lexical feature vectors (see lexical.h).
 */
#include "model/lexical.h"

#include <math.h>
#include <string.h>

#include "model/features.h"

static const struct {
    const char *name;
    const char *help;
} lx[LX_COUNT] = {
    [LX_LENGTH] = { "length", "characters in the registrable label" },
    [LX_ENTROPY] = { "entropy", "Shannon entropy of the label, bits" },
    [LX_ENTROPY_NORM] = { "entropy_norm",
                          "entropy over the most the length allows" },
    [LX_VOWEL_RATIO] = { "vowel_ratio", "share of a, e, i, o, u" },
    [LX_DIGIT_RATIO] = { "digit_ratio", "share of digits" },
    [LX_CONSONANT_RUN] = { "consonant_run", "longest run of consonants" },
    [LX_DIGIT_RUN] = { "digit_run", "longest run of digits" },
    [LX_REPEAT_RATIO] = { "repeat_ratio",
                          "share of characters that occur again" },
    [LX_DISTINCT_RATIO] = { "distinct_ratio",
                            "distinct characters over length" },
    [LX_HEX_ONLY] = { "hex_only", "1 when only 0-9 and a-f" },
    [LX_HYPHENS] = { "hyphens", "hyphens in the label" },
    [LX_SWITCHES] = { "letter_digit_switches",
                      "changes between letters and digits" },
    [LX_MARKOV] = { "markov", "mean log-probability per character "
                              "transition under benign names" },
    [LX_MARKOV_MIN] = { "markov_min", "log-probability of the least "
                                      "likely transition" },
    [LX_MARKOV_RARE] = { "markov_rare", "share of transitions rarer "
                                        "than 1 in 1000" },
    [LX_MARKOV_LLR] = { "markov_llr", "mean log-likelihood ratio per "
                        "transition, DGA labels over benign" },
    [LX_GRAM4] = { "gram4", "share of 4-letter windows common in "
                            "benign names" },
    [LX_GRAM5] = { "gram5", "share of 5-letter windows common in "
                            "benign names" },
    [LX_WORD_COVER] = { "word_cover", "share of the label covered by "
                                      "English and benign-name words" },
    [LX_WORDS] = { "words", "words in that split" },
    [LX_WORD_MEAN] = { "word_mean", "mean word length in that split" },
    [LX_WORD_SPREAD] = { "word_spread",
                         "standard deviation of the word lengths" },
    [LX_DGA_WORD_COVER] = { "dga_word_cover", "share covered by words "
                            "that known dictionary DGAs reuse" },
    [LX_DGA_WORDS] = { "dga_words", "DGA-vocabulary words in that split" },
    [LX_TLD_PRIOR] = { "tld_prior", "log-odds of DGA under this "
                                    "top-level domain in training" },
    [LX_PRIVATE_SUFFIX] = { "private_suffix", "1 when the label sits "
                            "under a private suffix (ddns.net)" },
};

static const char *const sub_names[SB_COUNT] = {
    [SB_LENGTH] = "sub_length", [SB_LABELS] = "sub_labels",
    [SB_LONGEST_LABEL] = "sub_longest_label", [SB_ENTROPY] = "sub_entropy",
    [SB_VOWEL_RATIO] = "sub_vowel_ratio", [SB_DIGIT_RATIO] = "sub_digit_ratio",
    [SB_CONSONANT_RUN] = "sub_consonant_run", [SB_HEX_ONLY] = "sub_hex_only",
    [SB_MARKOV] = "sub_markov", [SB_WORD_COVER] = "sub_word_cover",
};

const char *
lex_feature_name(int f)
{
    return f >= 0 && f < LX_COUNT ? lx[f].name : "?";
}

const char *
lex_feature_help(int f)
{
    return f >= 0 && f < LX_COUNT ? lx[f].help : "?";
}

const char *
sub_feature_name(int f)
{
    return f >= 0 && f < SB_COUNT ? sub_names[f] : "?";
}

const char *
lex_feature_list(void)
{
    static char list[LX_COUNT * 32];

    if (!list[0]) {
        for (int f = 0; f < LX_COUNT; f++) {
            if (f)
                strcat(list, ",");
            strcat(list, lx[f].name);
        }
    }
    return list;
}

float
lex_tld_prior(const struct model *m, const char *tld)
{
    size_t lo = 0, hi = m->n_tlds;

    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        const char *name = m->tlds[mid].name;
        /* most steps differ in the first letter: no call for those */
        int c = (unsigned char)name[0] - (unsigned char)tld[0];
        if (c == 0 && name[0])
            c = strcmp(name + 1, tld + 1);
        if (c == 0)
            return m->tlds[mid].logodds;
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    /* The default sorts first: "" is below every name. */
    return m->n_tlds && !m->tlds[0].name[0] ? m->tlds[0].logodds : 0.0f;
}

/* Copy up to cap bytes of s without dots into out; returns the length. */
static size_t
undotted(const char *s, size_t n, char *out, size_t cap)
{
    size_t k = 0;

    for (size_t i = 0; i < n && k < cap; i++)
        if (s[i] != '.')
            out[k++] = s[i];
    return k;
}

void
lex_features(const struct model *m, const struct lex_name *n,
             float out[LX_COUNT])
{
    double ft[FT_COUNT];
    struct mc_stats mc = { 0, 0, 0 };
    struct dict_cover w = { 0, 0, 0, 0, 0 }, g = { 0, 0, 0, 0, 0 };
    size_t len = n->label_len;

    features_of(n->label, len, ft);
    if (m->markov)
        mc_stats(m->markov, n->label, len, &mc);
    struct dict_scan sc;

    if (m->dict) {
        dict_scan(m->dict, n->label, len, &sc);
        dict_cover_scan(&sc, DICT_WORD, &w);
        dict_cover_scan(&sc, DICT_DGA, &g);
    }
    out[LX_LENGTH] = (float)ft[FT_LENGTH];
    out[LX_ENTROPY] = (float)ft[FT_ENTROPY];
    out[LX_ENTROPY_NORM] = len > 1 ? (float)(ft[FT_ENTROPY] /
                                             log2((double)len)) : 0.0f;
    out[LX_VOWEL_RATIO] = (float)ft[FT_VOWEL_RATIO];
    out[LX_DIGIT_RATIO] = (float)ft[FT_DIGIT_RATIO];
    out[LX_CONSONANT_RUN] = (float)ft[FT_CONSONANT_RUN];
    out[LX_DIGIT_RUN] = (float)ft[FT_DIGIT_RUN];
    out[LX_REPEAT_RATIO] = (float)ft[FT_REPEAT_RATIO];
    out[LX_DISTINCT_RATIO] = (float)ft[FT_DISTINCT_RATIO];
    out[LX_HEX_ONLY] = (float)ft[FT_HEX_ONLY];
    out[LX_HYPHENS] = (float)ft[FT_HYPHENS];
    out[LX_SWITCHES] = (float)ft[FT_LETTER_DIGIT_SWITCHES];
    out[LX_MARKOV] = (float)mc.mean;
    out[LX_MARKOV_MIN] = (float)mc.min;
    out[LX_MARKOV_RARE] = (float)mc.rare;
    out[LX_MARKOV_LLR] = m->markov_dga && len
                             ? (float)(mc_score(m->markov_dga, n->label, len) -
                                       mc.mean)
                             : 0.0f;
    out[LX_GRAM4] = m->dict ? (float)dict_window_share_scan(&sc, DICT_GRAM, 4)
                            : 0.0f;
    out[LX_GRAM5] = m->dict ? (float)dict_window_share_scan(&sc, DICT_GRAM, 5)
                            : 0.0f;
    out[LX_WORD_COVER] = (float)w.covered;
    out[LX_WORDS] = (float)w.words;
    out[LX_WORD_MEAN] = (float)w.mean_len;
    out[LX_WORD_SPREAD] = (float)w.spread;
    out[LX_DGA_WORD_COVER] = (float)g.covered;
    out[LX_DGA_WORDS] = (float)g.words;
    out[LX_TLD_PRIOR] = lex_tld_prior(m, n->tld ? n->tld : "");
    out[LX_PRIVATE_SUFFIX] = n->private_suffix ? 1.0f : 0.0f;
}

void
lex_sub_features(const struct model *m, const struct lex_name *n,
                 float out[SB_COUNT])
{
    char flat[256];
    double ft[FT_COUNT];
    size_t k = undotted(n->sub, n->sub_len, flat, sizeof flat);
    size_t labels = n->sub_len > 0, run = 0, longest = 0;
    struct dict_cover w = { 0, 0, 0, 0, 0 };

    for (size_t i = 0; i < n->sub_len; i++) {
        run = n->sub[i] == '.' ? 0 : run + 1;
        labels += n->sub[i] == '.';
        longest = run > longest ? run : longest;
    }
    features_of(flat, k, ft);
    if (m->dict)
        dict_cover(m->dict, DICT_WORD, flat, k, &w);
    out[SB_LENGTH] = (float)n->sub_len;
    out[SB_LABELS] = (float)labels;
    out[SB_LONGEST_LABEL] = (float)longest;
    out[SB_ENTROPY] = (float)ft[FT_ENTROPY];
    out[SB_VOWEL_RATIO] = (float)ft[FT_VOWEL_RATIO];
    out[SB_DIGIT_RATIO] = (float)ft[FT_DIGIT_RATIO];
    out[SB_CONSONANT_RUN] = (float)ft[FT_CONSONANT_RUN];
    out[SB_HEX_ONLY] = (float)ft[FT_HEX_ONLY];
    out[SB_MARKOV] = m->markov && k ? (float)mc_score(m->markov, flat, k)
                                    : 0.0f;
    out[SB_WORD_COVER] = (float)w.covered;
}

double
lex_benign_rank(const struct model *m, int f, float v)
{
    const float *q;
    uint32_t k = m->q_points, below = 0;

    if (!m->quantiles || f < 0 || (uint32_t)f >= m->q_features)
        return -1.0;
    q = m->quantiles + (size_t)f * k;
    for (uint32_t i = 0; i < k; i++)
        below += q[i] < v;
    /* Share of the quantile points strictly below v. */
    return (double)below / (double)k;
}
