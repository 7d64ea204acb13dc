/* SPDX-License-Identifier: MIT
 *
 * Subdomain shapes and the tunnel score (see tunnel.h).
 */
#include "model/tunnel.h"

#include <math.h>
#include <stdint.h>

static const char *const alpha_names[SA_COUNT] = {
    [SA_NONE] = "none", [SA_TEXT] = "text", [SA_HEX] = "hex",
    [SA_BASE32] = "base32", [SA_ALNUM] = "alnum", [SA_BASE64] = "base64",
    [SA_8BIT] = "8bit", [SA_OTHER] = "other", [SA_HOST] = "hostname",
};

/* Bits one symbol of each alphabet can carry. */
static const double alpha_bits[SA_COUNT] = {
    [SA_NONE] = 0, [SA_TEXT] = 4.7, [SA_HEX] = 4, [SA_BASE32] = 5,
    [SA_ALNUM] = 5.17, [SA_BASE64] = 6, [SA_8BIT] = 7, [SA_OTHER] = 6,
    [SA_HOST] = 5.2,
};

/* Symbols of each alphabet, for the entropy a random string reaches. */
static const double alpha_size[SA_COUNT] = {
    [SA_NONE] = 1, [SA_TEXT] = 26, [SA_HEX] = 16, [SA_BASE32] = 32,
    [SA_ALNUM] = 36, [SA_BASE64] = 64, [SA_8BIT] = 128, [SA_OTHER] = 64,
    [SA_HOST] = 37,
};

const char *
tn_alphabet_name(enum sub_alphabet a)
{
    return (unsigned)a < SA_COUNT ? alpha_names[a] : "?";
}

/* Which kinds of byte a subdomain holds. */
struct census {
    uint32_t count[256];
    unsigned symbols, labels, longest, run;
    int upper, lower, digit, low_digit, high_digit, hexletter, b64punct,
        hyphen,
        high, other, underscore_label, all_numeric_labels, label_value;
    int label_numeric, label_len_nibble;
    unsigned nibble_labels;
};

static void
end_label(struct census *c)
{
    if (c->run == 0)
        return;
    c->labels++;
    if (c->run > c->longest)
        c->longest = c->run;
    if (!c->label_numeric || c->run > 3 || c->label_value > 255)
        c->all_numeric_labels = 0;
    if (c->label_len_nibble && c->run == 1)
        c->nibble_labels++;
    c->run = 0;
    c->label_numeric = 1;
    c->label_value = 0;
    c->label_len_nibble = 1;
}

static void
add_byte(struct census *c, unsigned b)
{
    if (c->run == 0 && b == '_')
        c->underscore_label = 1;
    c->count[b]++;
    c->symbols++;
    c->run++;
    if (b >= '0' && b <= '9') {
        c->digit = 1;
        c->low_digit |= b >= '2' && b <= '7';
        c->high_digit |= b == '0' || b == '1' || b == '8' || b == '9';
        if (c->label_value <= 255)  /* beyond it, no octet anyway */
            c->label_value = c->label_value * 10 + (int)(b - '0');
    } else {
        c->label_numeric = 0;
    }
    if (!((b >= '0' && b <= '9') || (b >= 'a' && b <= 'f') ||
          (b >= 'A' && b <= 'F')))
        c->label_len_nibble = 0;
    if (b >= 'A' && b <= 'Z')
        c->upper = 1;
    else if (b >= 'a' && b <= 'z')
        c->lower = 1;
    if ((b >= 'a' && b <= 'f') || (b >= 'A' && b <= 'F'))
        c->hexletter = 1;
    if (b == '-')
        c->hyphen = 1;              /* hostnames have them too */
    else if (b == '_' || b == '+' || b == '/' || b == '=')
        c->b64punct = 1;
    else if (b >= 128)
        c->high = 1;
    else if (!((b >= '0' && b <= '9') || (b >= 'a' && b <= 'z') ||
               (b >= 'A' && b <= 'Z')))
        c->other = 1;
}

/* Read one \DDD or \X escape at s[i]; returns bytes consumed. */
static size_t
escape_at(const char *s, size_t n, size_t i, unsigned *b)
{
    if (i + 3 < n && s[i + 1] >= '0' && s[i + 1] <= '9' &&
        s[i + 2] >= '0' && s[i + 2] <= '9' && s[i + 3] >= '0' &&
        s[i + 3] <= '9') {
        unsigned v = (unsigned)(s[i + 1] - '0') * 100 +
                     (unsigned)(s[i + 2] - '0') * 10 +
                     (unsigned)(s[i + 3] - '0');
        *b = v > 255 ? 255 : v;
        return 4;
    }
    if (i + 1 < n) {
        *b = (unsigned char)s[i + 1];
        return 2;
    }
    *b = '\\';
    return 1;
}

static enum sub_alphabet
alphabet_of(const struct census *c)
{
    int letters = c->upper || c->lower;

    if (c->high)
        return SA_8BIT;
    if (c->other)
        return SA_OTHER;
    if (c->b64punct || (c->upper && c->lower))
        return letters || c->digit ? SA_BASE64 : SA_OTHER;
    /* Letters of one case, digits and hyphens: words and hostnames. */
    if (c->hyphen)
        return SA_HOST;
    if (!c->digit)
        return SA_TEXT;
    for (unsigned b = 'g'; b <= 'z'; b++)
        if (c->count[b] || c->count[b - 32])
            goto not_hex;
    return SA_HEX;
not_hex:
    if (!letters)
        return SA_HEX;          /* digits only: at most hex */
    if (!c->high_digit || (c->count['8'] == 0 && c->count['9'] == 0 &&
                           c->count['6'] == 0 && c->count['7'] == 0))
        return SA_BASE32;       /* a-z2-7, or iodine's a-z0-5 */
    return SA_ALNUM;
}

static double
entropy_of(const struct census *c)
{
    double h = 0.0;

    for (unsigned b = 0; b < 256; b++) {
        if (!c->count[b])
            continue;
        double p = (double)c->count[b] / (double)c->symbols;
        h -= p * log2(p);
    }
    return h > 0.0 ? h : 0.0;
}

/*
 * A random string of n symbols over an alphabet of a symbols has an
 * entropy close to log2(min(a, n)); data is encoded when the string is
 * long enough and reaches most of that.
 */
static int
looks_encoded(const struct sub_shape *s)
{
    double a = alpha_size[s->alpha], n = (double)s->symbols;
    double ceiling = log2(a < n ? a : n);

    if (s->symbols < 20 || s->ip_labels)
        return 0;
    if (s->alpha == SA_TEXT || s->alpha == SA_HOST)
        return 0;               /* words or data: tn_text_encoded() */
    return s->entropy >= 0.75 * ceiling;
}

void
tn_shape(const char *s, size_t n, struct sub_shape *out)
{
    struct census c = { .all_numeric_labels = 1, .label_numeric = 1,
                        .label_len_nibble = 1 };

    for (size_t i = 0; i < n;) {
        unsigned b = (unsigned char)s[i];
        size_t used = 1;
        if (b == '.') {
            end_label(&c);
            i++;
            continue;
        }
        if (b == '\\')
            used = escape_at(s, n, i, &b);
        add_byte(&c, b);
        i += used;
    }
    end_label(&c);
    out->symbols = c.symbols;
    out->labels = c.labels;
    out->longest = c.longest;
    out->alpha = c.symbols ? alphabet_of(&c) : SA_NONE;
    out->entropy = c.symbols ? entropy_of(&c) : 0.0;
    out->payload_bits = (c.symbols - c.count['-']) * alpha_bits[out->alpha];
    out->ip_labels = (c.labels == 4 && c.all_numeric_labels) ||
                     (c.labels >= 32 && c.nibble_labels >= 32);
    out->distinct = 0;
    for (unsigned b = 0; b < 256; b++)
        out->distinct += c.count[b] != 0;
    out->service_label = c.underscore_label;
    out->encoded = looks_encoded(out);
    if (!out->encoded)
        out->payload_bits = 0.0;
}

void
tn_text_encoded(struct sub_shape *s, double markov)
{
    if (s->encoded || (s->alpha != SA_TEXT && s->alpha != SA_HOST) ||
        s->symbols < 24 || markov >= TN_TEXT_MARKOV)
        return;
    s->encoded = 1;
    s->payload_bits = s->symbols * log2(s->distinct > 2 ? s->distinct : 2);
}

double
tn_score(const struct tunnel_stats *t)
{
    if (t->encoded <= 0 || t->unique <= 0 || t->queries <= 0)
        return 0.0;
    double share = t->encoded / t->unique;
    double volume = 1.0 - pow(2.0, -t->encoded / TN_HALF_VOLUME);
    double bytes = t->payload_bits / 8.0 / t->encoded;
    double size = 0.5 + 0.5 * fmin(1.0, bytes / TN_FULL_PAYLOAD);
    double odd = fmax(t->rare_types, t->empty) / t->queries;
    double types = 0.6 + 0.4 * fmin(1.0, odd);
    double s = (share > 1.0 ? 1.0 : share) * volume * size * types;

    return s < 0.0 ? 0.0 : s > 1.0 ? 1.0 : s;
}

int
tn_upstream_only(const struct tunnel_stats *t)
{
    return t->queries <= 0 || t->answered_data < 0.2 * t->queries;
}
