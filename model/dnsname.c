/* SPDX-License-Identifier: MIT
 *
 * Name normalisation and flagging (see dnsname.h).
 */
#include "model/dnsname.h"

#include <string.h>

static int
is_ldh(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
           c == '_';
}

/* Decode an escape at name[i] (the backslash). Returns bytes consumed. */
static size_t
decode_escape(const char *name, size_t len, size_t i, int *byte,
              unsigned *flags)
{
    const unsigned char *s = (const unsigned char *)name;

    if (i + 1 >= len) {
        *flags |= DN_BAD_ESCAPE;
        *byte = '\\';
        return 1;
    }
    if (s[i + 1] >= '0' && s[i + 1] <= '9') {
        int v = 0;
        size_t k;

        for (k = 1; k <= 3 && i + k < len && s[i + k] >= '0' &&
             s[i + k] <= '9'; k++)
            v = v * 10 + (s[i + k] - '0');
        if (k != 4 || v > 255) {
            *flags |= DN_BAD_ESCAPE;
            *byte = '\\';
            return 1;
        }
        *byte = v;
        return 4;
    }
    *byte = s[i + 1];
    return 2;
}

static size_t
put_byte(char *out, size_t o, size_t cap, int c)
{
    int keep_escaped = c < 0x20 || c > 0x7e || c == '.' || c == '\\';

    if (!keep_escaped) {
        if (o + 1 < cap)
            out[o] = (char)((c >= 'A' && c <= 'Z') ? c + 32 : c);
        return o + 1;
    }
    if (o + 4 < cap) {
        out[o] = '\\';
        out[o + 1] = (char)('0' + c / 100);
        out[o + 2] = (char)('0' + c / 10 % 10);
        out[o + 3] = (char)('0' + c % 10);
    }
    return o + 4;
}

/* Flags that depend on the label structure of the normalised name. */
static unsigned
label_flags(const char *norm, size_t n)
{
    unsigned flags = 0;
    size_t start = 0, labels = 0, wire = 0;

    for (size_t i = 0; i <= n; i++) {
        if (i < n && norm[i] != '.')
            continue;
        size_t lab = 0;
        for (size_t k = start; k < i; k++, lab++)
            if (norm[k] == '\\')
                k += 3;
        if (lab == 0)
            flags |= DN_EMPTY_LABEL;
        if (lab > DNSNAME_MAX_LABEL)
            flags |= DN_LABEL_LONG;
        if (i - start >= 4 && memcmp(norm + start, "xn--", 4) == 0)
            flags |= DN_PUNYCODE;
        if (lab > 0 && norm[start] == '_')
            flags |= DN_UNDERSCORE;
        wire += lab + 1;
        labels++;
        start = i + 1;
    }
    if (labels == 1)
        flags |= DN_SINGLE_LABEL;
    if (wire - 1 > DNSNAME_MAX)
        flags |= DN_TOO_LONG;
    return flags;
}

unsigned
dnsname_normalise(const char *name, size_t len, char *out, size_t outcap,
                  size_t *outlen)
{
    unsigned flags = 0;
    size_t o = 0;

    if (len == 1 && name[0] == '.') {
        if (outcap > 0)
            out[0] = '\0';
        *outlen = 0;
        return DN_ROOT;
    }
    if (len > 0 && name[len - 1] == '.' &&
        !(len >= 2 && name[len - 2] == '\\'))
        len--;
    for (size_t i = 0; i < len;) {
        int c = (unsigned char)name[i];
        int escaped = c == '\\';

        if (escaped) {
            flags |= DN_ESCAPED;
            i += decode_escape(name, len, i, &c, &flags);
        } else {
            i++;
        }
        if (c == '.' && !escaped) {
            if (o + 1 < outcap)
                out[o] = '.';
            o++;
            continue;
        }
        int low = (c >= 'A' && c <= 'Z') ? c + 32 : c;
        if (!is_ldh((unsigned char)low))
            flags |= DN_NON_LDH;
        o = put_byte(out, o, outcap, c);
    }
    if (o >= outcap)
        o = outcap ? outcap - 1 : 0;
    if (outcap > 0)
        out[o] = '\0';
    *outlen = o;
    if (o == 0)
        return flags | DN_ROOT;
    return flags | label_flags(out, o);
}

size_t
dnsname_labels(const char *norm)
{
    size_t n = 0;

    if (!*norm)
        return 0;
    for (const char *p = norm; *p; p++)
        if (*p == '.')
            n++;
    return n + 1;
}
