/* SPDX-License-Identifier: MIT
 *
 * Memory and string helpers shared by every layer.
 *
 * Out-of-memory policy: the x* allocators print a message and exit(3).
 * An import holds at most one line, one record and bounded caches in
 * memory, so failing to allocate means the machine is in trouble and
 * nothing half-written survives: the open transaction is never committed.
 */
#ifndef DNSHUNT_UTIL_H
#define DNSHUNT_UTIL_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* malloc/calloc/realloc/strdup that never return NULL (see policy). */
void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);

/* A growable byte buffer, always NUL-terminated after len bytes. */
struct buf {
    char  *data;    /* NULL until the first append */
    size_t len;     /* bytes in use, excluding the terminating NUL */
    size_t cap;     /* bytes allocated */
};

/* Append n bytes (or a C string, or one byte) to b. */
void buf_add(struct buf *b, const void *p, size_t n);
void buf_adds(struct buf *b, const char *s);
void buf_addc(struct buf *b, char c);
/* Append printf-formatted text. */
void buf_printf(struct buf *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* Make room for n more bytes after len (cap >= len + n + 1). */
void buf_reserve(struct buf *b, size_t n);
/* Forget the content but keep the memory. */
void buf_reset(struct buf *b);
/* Release the memory; b is empty and reusable afterwards. */
void buf_free(struct buf *b);

/*
 * Write src[0..n) into dst as printable ASCII, at most dstlen-1 bytes plus
 * a NUL: bytes outside 0x20..0x7e and the backslash become \xHH, so no
 * terminal escape sequence, control byte or invalid UTF-8 passes through.
 * When the input does not fit, the output ends in "...". Returns dst.
 */
char *escape_bytes(char *dst, size_t dstlen, const char *src, size_t n);

/*
 * Replace in place every byte of s outside printable ASCII with '?', for
 * text that was escaped when stored but is read back from a file anyone
 * could have edited. Returns s.
 */
char *sanitize_ascii(char *s);

/*
 * v rounded to a whole number with thousands separators ("7,200"), in
 * one of 8 static buffers used in turn: valid until 8 more calls.
 */
const char *fmt_thousands(double v);

/*
 * v with four decimals as printf's "%.4f" writes it (rounded half to
 * even on its exact value), at p, which has room for 32 bytes; returns
 * the end (no NUL). Fast for v in [0, 1], as scores are printed many
 * times a second; anything else goes through printf.
 */
char *fmt_fixed4(char *p, double v);

/* The 64-bit FNV-1a hash of p[0..n), for hash tables. */
uint64_t fnv1a(const void *p, size_t n);

/*
 * 1 when writing to path would overwrite the store at db_path (the same
 * file, or its -wal or -shm companion). Missing files are never the
 * store.
 */
int would_clobber_store(const char *path, const char *db_path);

/* Wall-clock time in milliseconds since the epoch. */
int64_t now_ms(void);

/*
 * Append s[0..n) to b as a JSON string literal with quotes. Control bytes,
 * quote, backslash and bytes 0x7f..0xff are escaped as \u00XX, so the
 * result is ASCII and valid JSON whatever the input.
 */
void buf_add_json_string(struct buf *b, const char *s, size_t n);

/* The length of the UTF-8 sequence at p[0..n) and its code point in
 * *cp, or 0 when the bytes there are not valid UTF-8. */
size_t utf8_at(const unsigned char *p, size_t n, unsigned long *cp);

/*
 * Append s as a JSON string in ASCII: valid UTF-8 becomes \uXXXX of its
 * code points (surrogate pairs above U+FFFF), controls and other bytes
 * \u00XX, so text keeps its characters and nothing a terminal acts on
 * is written raw.
 */
void buf_add_json_text(struct buf *b, const char *s);

/*
 * Write a file through fn(out, arg, err, errlen), which returns 0 or -1
 * with why in err. A regular file (or a new one) is written beside its
 * name and renamed into place, keeping the old file's mode (a new one
 * gets the umask's), so a failure leaves the old file whole; a FIFO, a
 * device or a symbolic link's target is written in place. 0, or -1
 * with why in err.
 */
int write_file(const char *path, int (*fn)(FILE *, void *, char *, size_t),
               void *arg, char *err, size_t errlen);

/*
 * Ask the processor to bring the cache line holding p nearer; p need not
 * be valid. An asm statement where there is one: GCC 12 at -O2 dropped
 * every __builtin_prefetch() of core/import.c from the code it made.
 */
static inline void
prefetch_line(const void *p)
{
#if defined(__GNUC__) && defined(__x86_64__)
    __asm__ volatile("prefetcht0 (%0)" : : "r"(p));
#elif defined(__GNUC__) && defined(__aarch64__)
    __asm__ volatile("prfm pldl1keep, [%0]" : : "r"(p));
#else
    __builtin_prefetch(p);
#endif
}

#endif
