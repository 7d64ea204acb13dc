/* SPDX-License-Identifier: MIT
 *
 * Order-2 character Markov model (see markov.h).
 */
#include "model/markov.h"

#include <math.h>

int
mc_symbol(unsigned char c)
{
    if (c >= 'A' && c <= 'Z')
        c = (unsigned char)(c + 32);
    if (c >= 'a' && c <= 'z')
        return 1 + (c - 'a');
    if (c >= '0' && c <= '9')
        return 27 + (c - '0');
    if (c == '-')
        return 37;
    if (c == '_')
        return 38;
    return 39;
}

/* Walk the framed label, calling fn for each transition (a, b) -> c. */
#define FOR_TRANSITIONS(s, n, a, b, c, body)                            \
    do {                                                                \
        int a = 0, b = 0;                                               \
        for (size_t i_ = 0; i_ <= (n); i_++) {                          \
            int c = i_ < (n) ? mc_symbol((unsigned char)(s)[i_]) : 0;   \
            body;                                                       \
            a = b;                                                      \
            b = c;                                                      \
        }                                                               \
    } while (0)

void
mc_count(struct markov_counts *c, const char *s, size_t n)
{
    FOR_TRANSITIONS(s, n, a, b, x, {
        if (c->n[a][b][x] < UINT32_MAX)
            c->n[a][b][x]++;
    });
}

void
mc_train(const struct markov_counts *c, double alpha, struct markov *m)
{
    for (int a = 0; a < MC_SYMBOLS; a++) {
        for (int b = 0; b < MC_SYMBOLS; b++) {
            double total = alpha * MC_SYMBOLS;
            for (int x = 0; x < MC_SYMBOLS; x++)
                total += c->n[a][b][x];
            for (int x = 0; x < MC_SYMBOLS; x++)
                /* Rounded to float: the model file stores floats. */
                m->logp[a][b][x] =
                    (float)log((c->n[a][b][x] + alpha) / total);
        }
    }
}

double
mc_score(const struct markov *m, const char *s, size_t n)
{
    double sum = 0.0;

    if (n == 0)
        return 0.0;
    FOR_TRANSITIONS(s, n, a, b, x, sum += m->logp[a][b][x]);
    return sum / (double)(n + 1);
}

void
mc_stats(const struct markov *m, const char *s, size_t n,
         struct mc_stats *out)
{
    const double rare = log(1e-3);
    double sum = 0.0, min = 0.0;
    size_t k = 0;

    out->mean = out->min = out->rare = 0.0;
    if (n == 0)
        return;
    FOR_TRANSITIONS(s, n, a, b, x, {
        double lp = m->logp[a][b][x];
        sum += lp;
        if (lp < min)
            min = lp;
        k += lp < rare;
    });
    out->mean = sum / (double)(n + 1);
    out->min = min;
    out->rare = (double)k / (double)(n + 1);
}
