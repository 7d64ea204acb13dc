/* SPDX-License-Identifier: MIT
 *
 * Allocation wrappers, the growable buffer and byte escaping.
 */
#include "core/util.h"

#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static void
oom(size_t n)
{
    fprintf(stderr, "dnshunt: out of memory (%zu bytes)\n", n);
    exit(3);
}

void *
xmalloc(size_t n)
{
    void *p = malloc(n ? n : 1);

    if (!p)
        oom(n);
    return p;
}

void *
xcalloc(size_t n, size_t size)
{
    void *p = calloc(n ? n : 1, size ? size : 1);

    if (!p)
        oom(n * size);
    return p;
}

void *
xrealloc(void *p, size_t n)
{
    void *q = realloc(p, n ? n : 1);

    if (!q)
        oom(n);
    return q;
}

char *
xstrndup(const char *s, size_t n)
{
    char *p = xmalloc(n + 1);

    memcpy(p, s, n);
    p[n] = '\0';
    return p;
}

char *
xstrdup(const char *s)
{
    return xstrndup(s, strlen(s));
}

void
buf_reserve(struct buf *b, size_t extra)
{
    size_t need = b->len + extra + 1;

    if (need <= b->cap)
        return;
    size_t cap = b->cap ? b->cap : 64;
    while (cap < need)
        cap *= 2;
    b->data = xrealloc(b->data, cap);
    b->cap = cap;
}

void
buf_add(struct buf *b, const void *p, size_t n)
{
    buf_reserve(b, n);
    if (n)
        memcpy(b->data + b->len, p, n);
    b->len += n;
    b->data[b->len] = '\0';
}

void
buf_adds(struct buf *b, const char *s)
{
    buf_add(b, s, strlen(s));
}

void
buf_addc(struct buf *b, char c)
{
    buf_reserve(b, 1);
    b->data[b->len++] = c;
    b->data[b->len] = '\0';
}

void
buf_printf(struct buf *b, const char *fmt, ...)
{
    va_list ap;
    char small[256];

    va_start(ap, fmt);
    int n = vsnprintf(small, sizeof small, fmt, ap);
    va_end(ap);
    if (n < 0)
        return;
    if ((size_t)n < sizeof small) {
        buf_add(b, small, (size_t)n);
        return;
    }
    buf_reserve(b, (size_t)n);
    va_start(ap, fmt);
    vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    b->len += (size_t)n;
}

void
buf_reset(struct buf *b)
{
    b->len = 0;
    if (b->data)
        b->data[0] = '\0';
}

void
buf_free(struct buf *b)
{
    free(b->data);
    b->data = NULL;
    b->len = b->cap = 0;
}

static size_t
escaped_width(unsigned char c)
{
    return (c >= 0x20 && c < 0x7f && c != '\\') ? 1 : 4;
}

char *
escape_bytes(char *dst, size_t dstlen, const char *src, size_t n)
{
    static const char hex[] = "0123456789abcdef";
    size_t total = 0, limit, o = 0, i;

    if (dstlen == 0)
        return dst;
    /* Each byte takes at least one place: past dstlen it will not fit. */
    for (i = 0; i < n && total < dstlen; i++)
        total += escaped_width((unsigned char)src[i]);
    limit = dstlen - 1;
    if (total > limit)
        limit = limit >= 3 ? limit - 3 : 0;
    for (i = 0; i < n; i++) {
        unsigned char c = (unsigned char)src[i];

        if (o + escaped_width(c) > limit)
            break;
        if (escaped_width(c) == 1) {
            dst[o++] = (char)c;
            continue;
        }
        dst[o++] = '\\';
        dst[o++] = 'x';
        dst[o++] = hex[c >> 4];
        dst[o++] = hex[c & 15];
    }
    if (i < n)
        for (int k = 0; k < 3 && o < dstlen - 1; k++)
            dst[o++] = '.';
    dst[o] = '\0';
    return dst;
}

char *
sanitize_ascii(char *s)
{
    for (unsigned char *p = (unsigned char *)s; *p; p++)
        if (*p < 0x20 || *p > 0x7e)
            *p = '?';
    return s;
}

int64_t
now_ms(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

void
buf_add_json_string(struct buf *b, const char *s, size_t n)
{
    static const char hex[] = "0123456789abcdef";
    size_t i = 0, run;

    buf_reserve(b, n + 2);
    b->data[b->len++] = '"';
    while (i < n) {
        /* Copy a run of bytes that need no escape in one go. */
        for (run = i; run < n; run++) {
            unsigned char c = (unsigned char)s[run];
            if (c < 0x20 || c >= 0x7f || c == '"' || c == '\\')
                break;
        }
        buf_add(b, s + i, run - i);
        if (run == n)
            break;
        unsigned char c = (unsigned char)s[run];
        if (c == '"' || c == '\\') {
            char esc[2] = { '\\', (char)c };
            buf_add(b, esc, 2);
        } else {
            char esc[6] = { '\\', 'u', '0', '0', hex[c >> 4], hex[c & 15] };
            buf_add(b, esc, 6);
        }
        i = run + 1;
    }
    buf_addc(b, '"');
}

uint64_t
fnv1a(const void *p, size_t n)
{
    const unsigned char *b = p;
    uint64_t h = 1469598103934665603ull;

    for (size_t i = 0; i < n; i++)
        h = (h ^ b[i]) * 1099511628211ull;
    return h;
}

char *
fmt_fixed4(char *p, double v)
{
    int e;
    double f;
    unsigned __int128 q;
    int s;
    uint64_t k = 0;

    if (!(v >= 0.0 && v <= 1.0) || signbit(v))     /* NaN, -0, beyond */
        return p + snprintf(p, 32, "%.4f", v);
    f = frexp(v, &e);                   /* v = f * 2^e, f in [0.5, 1) */
    /* v * 10^4 = q / 2^s exactly, q below 2^68 */
    q = (unsigned __int128)(uint64_t)ldexp(f, 53) * 10000;
    s = 53 - e;
    if (v > 0 && s < 128) {
        unsigned __int128 half = (unsigned __int128)1 << (s - 1);
        unsigned __int128 rest = q & ((half << 1) - 1);
        k = (uint64_t)(q >> s);
        k += rest > half || (rest == half && (k & 1));
    }
    *p++ = (char)('0' + k / 10000);
    *p++ = '.';
    for (uint64_t d = 1000; d; d /= 10)
        *p++ = (char)('0' + k / d % 10);
    return p;
}

const char *
fmt_thousands(double v)
{
    static char ring[8][48];
    static int k;
    char *out = ring[k++ & 7], tmp[32];
    int n, o = 0;

    if (!(v > -1e15 && v < 1e15))   /* NaN and the absurd */
        return v < 0 ? "-inf" : "inf";
    n = snprintf(tmp, sizeof tmp, "%.0f", v);
    for (int i = 0; i < n; i++) {
        out[o++] = tmp[i];
        if (tmp[i] != '-' && (n - i - 1) % 3 == 0 && i < n - 1)
            out[o++] = ',';
    }
    out[o] = '\0';
    return out;
}

int
would_clobber_store(const char *path, const char *db_path)
{
    static const char *const tails[] = { "", "-wal", "-shm", "-journal" };
    struct stat out, st;
    struct buf b = { 0 };
    int same = 0;

    if (!path || !db_path || stat(path, &out) != 0)
        return 0;
    for (size_t i = 0; i < sizeof tails / sizeof *tails && !same; i++) {
        buf_reset(&b);
        buf_printf(&b, "%s%s", db_path, tails[i]);
        same = stat(b.data, &st) == 0 && st.st_dev == out.st_dev &&
               st.st_ino == out.st_ino;
    }
    buf_free(&b);
    return same;
}

size_t
utf8_at(const unsigned char *p, size_t n, unsigned long *cp)
{
    size_t len = p[0] >= 0xf0 && p[0] <= 0xf4 ? 4 : p[0] >= 0xe0 &&
                 p[0] <= 0xef ? 3 : p[0] >= 0xc2 && p[0] <= 0xdf ? 2 : 0;
    unsigned long v;

    if (!len || len > n)
        return 0;
    v = p[0] & (0x3f >> (len - 1));
    for (size_t i = 1; i < len; i++) {
        if ((p[i] & 0xc0) != 0x80)
            return 0;
        v = v << 6 | (p[i] & 0x3f);
    }
    if ((len == 3 && (v < 0x800 || (v >= 0xd800 && v <= 0xdfff))) ||
        (len == 4 && (v < 0x10000 || v > 0x10ffff)))
        return 0;
    *cp = v;
    return len;
}

void
buf_add_json_text(struct buf *b, const char *s)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t n = strlen(s);

    buf_addc(b, '"');
    for (size_t i = 0; i < n;) {
        unsigned long cp;
        size_t len = p[i] >= 0x80 ? utf8_at(p + i, n - i, &cp) : 0;
        if (len) {
            if (cp > 0xffff)
                buf_printf(b, "\\u%04lx\\u%04lx",
                           0xd800 + ((cp - 0x10000) >> 10),
                           0xdc00 + ((cp - 0x10000) & 0x3ff));
            else
                buf_printf(b, "\\u%04lx", cp);
            i += len;
        } else if (p[i] < 0x20 || p[i] >= 0x7f) {
            buf_printf(b, "\\u%04x", p[i++]);
        } else {
            if (p[i] == '"' || p[i] == '\\')
                buf_addc(b, '\\');
            buf_addc(b, (char)p[i++]);
        }
    }
    buf_addc(b, '"');
}


int
write_file(const char *path, int (*fn)(FILE *, void *, char *, size_t),
           void *arg, char *err, size_t errlen)
{
    struct stat st;
    const char *base = strrchr(path, '/');
    int exists = lstat(path, &st) == 0;
    struct buf tmp = { 0 };
    FILE *out;
    int fd = -1, rc;

    base = base ? base + 1 : path;
    /* A FIFO, a device or a symbolic link is written to, not replaced;
     * so is a name too long for a temporary one beside it. */
    if ((exists && !S_ISREG(st.st_mode)) || strlen(base) > 240) {
        if (!(out = fopen(path, "w"))) {
            snprintf(err, errlen, "cannot write it: %s", strerror(errno));
            return -1;
        }
        rc = fn(out, arg, err, errlen);
        if (fclose(out) != 0 && rc == 0) {
            snprintf(err, errlen, "cannot write it: %s", strerror(errno));
            rc = -1;
        }
        return rc;
    }
    /* Ctrl-C waits until the file is in place or gone, so no
     * temporary file is left behind. */
    sigset_t block, old;
    sigemptyset(&block);
    sigaddset(&block, SIGINT);
    sigaddset(&block, SIGTERM);
    sigaddset(&block, SIGHUP);
    sigprocmask(SIG_BLOCK, &block, &old);
    buf_printf(&tmp, "%s.XXXXXX", path);
    if ((fd = mkstemp(tmp.data)) < 0) {
        snprintf(err, errlen, "cannot write beside it: %s",
                 strerror(errno));
        buf_free(&tmp);
        sigprocmask(SIG_SETMASK, &old, NULL);
        return -1;
    }
    if (exists) {
        fchmod(fd, st.st_mode & 07777);
    } else {
        mode_t mask = umask(0);
        umask(mask);
        fchmod(fd, 0666 & ~mask);
    }
    if (!(out = fdopen(fd, "w"))) {
        snprintf(err, errlen, "cannot write it: %s", strerror(errno));
        close(fd);
        unlink(tmp.data);
        buf_free(&tmp);
        sigprocmask(SIG_SETMASK, &old, NULL);
        return -1;
    }
    rc = fn(out, arg, err, errlen);
    if (fclose(out) != 0 && rc == 0) {
        snprintf(err, errlen, "cannot write it: %s", strerror(errno));
        rc = -1;
    }
    if (rc == 0 && rename(tmp.data, path) != 0) {
        snprintf(err, errlen, "cannot put it in place: %s",
                 strerror(errno));
        rc = -1;
    }
    if (rc != 0)
        unlink(tmp.data);
    buf_free(&tmp);
    sigprocmask(SIG_SETMASK, &old, NULL);
    return rc;
}
