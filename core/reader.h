/* SPDX-License-Identifier: MIT
 *
 * Line reader over a file or standard input, plain or gzip. Gzip is
 * recognised by its magic bytes, never by the file name; every member of
 * a multi-member file is read, zero padding after the last member is
 * ignored. A UTF-8 byte-order mark before the first line and the \r of
 * CRLF line ends are removed. Lines longer than the limit are cut: the
 * caller gets the first bytes with too_long set, the rest is skipped
 * without being held in memory.
 *
 * A damaged stream (truncated or corrupt gzip, read error) ends the lines
 * early; reader_status() then says what happened, and every line returned
 * before is good: the text after the last newline before the damage is
 * dropped, since the damage cut it short. Memory: two fixed buffers plus
 * the line limit.
 */
#ifndef DNSHUNT_READER_H
#define DNSHUNT_READER_H

#include <stddef.h>
#include <stdint.h>

#include "core/status.h"

#define READER_MAX_LINE (1u << 20)   /* default line limit: 1 MiB */
/*
 * Default inflation limit: text over this many times the compressed bytes
 * read is a decompression bomb. Real logs inflate 7 to 50 times, a file
 * of one line repeated about 230 times, deflate at most 1032 times.
 */
#define READER_MAX_RATIO 200u
/* The ratio is checked over each window of this many bytes of text, so
 * tiny files never trip it. */
#define READER_RATIO_FLOOR (16u << 20)

struct reader;

/* A line handed out by reader_next(); valid until the next call. */
struct line {
    const char *text;     /* not NUL-terminated; may contain NUL bytes */
    size_t      len;      /* bytes in text */
    uint64_t    no;       /* 1-based line number in the decompressed text */
    int         too_long; /* line exceeded the limit; text is its start */
};

/*
 * Open path ("-" is standard input) for reading. On success *out is a new
 * reader; on failure returns DH_IO with the reason in err.
 */
enum dh_status reader_open(struct reader **out, const char *path,
                           size_t max_line, char *err, size_t errlen);

/*
 * Stop a gzip stream once a window of READER_RATIO_FLOOR bytes of its
 * text came from fewer than 1/ratio as many compressed bytes; the reader
 * then ends as if damaged, with DH_GZIP_RATIO. 0 turns the check off.
 */
void reader_set_max_ratio(struct reader *r, unsigned ratio);

/* 1 when the input's first n bytes (n <= 4) are magic, before any line
 * is read: how Parquet files are known. */
int reader_starts_with(const struct reader *r, const char *magic, size_t n);

/* Returns 1 and fills *ln with the next line, or 0 at the end. */
int reader_next(struct reader *r, struct line *ln);

/*
 * How the stream ended: DH_OK, DH_GZIP_TRUNCATED, DH_GZIP_CORRUPT,
 * DH_GZIP_RATIO or DH_IO. The detail (zlib's message, errno text) is in reader_error().
 */
enum dh_status reader_status(const struct reader *r);
/* Detail for a non-OK status; never NULL, owned by the reader. */
const char *reader_error(const struct reader *r);

/* Compressed (raw) bytes consumed so far, for progress. */
uint64_t reader_raw_bytes(const struct reader *r);
/* 1 when the input is gzip. */
int reader_is_gzip(const struct reader *r);
/*
 * SHA-256 of every raw byte read so far as 64 lowercase hex digits plus
 * NUL into hex[65]. Call at the end for the hash of the whole input.
 */
void reader_sha256(struct reader *r, char hex[65]);

/*
 * Read and hash the rest of the raw input without decompressing it, so
 * that reader_sha256() and reader_raw_bytes() cover the whole input
 * after the lines stopped early.
 */
void reader_drain(struct reader *r);

/*
 * reader_drain() until upto raw bytes are read, no further (or the input
 * ends), so that a file whose contents are read some other way (a
 * Parquet file's column chunks) is hashed a part at a time alongside.
 */
void reader_drain_to(struct reader *r, uint64_t upto);

/* The descriptor the reader reads, so that the file can be read some
 * other way too (the same file, even if its path now names another). */
int reader_fd(const struct reader *r);

/*
 * Start the raw bytes and their hash over from the beginning of the file
 * (not standard input), for a file whose contents are read some other
 * way and hashed with reader_drain_to() only once used. 0, or -1 when
 * the file cannot be rewound.
 */
int reader_rewind(struct reader *r);

/* Close the file (not standard input) and free the reader. */
void reader_close(struct reader *r);

/*
 * Hash a whole regular file without parsing it, into hex[65]. Returns
 * DH_OK or DH_IO with the reason in err. Also sets *size.
 */
enum dh_status file_sha256(const char *path, char hex[65], uint64_t *size,
                           char *err, size_t errlen);

/*
 * file_sha256() of the file r has open (the one it reads, even if its
 * path now names another), from its first byte, without moving r. After
 * each part, *done (when given; stored atomically, for another thread)
 * is the bytes hashed so far, at most cap.
 */
enum dh_status reader_hash_file(struct reader *r, char hex[65],
                                uint64_t *size, uint64_t *done,
                                uint64_t cap, char *err, size_t errlen);

/* 1 when r reads a regular file (not standard input, a pipe, a device),
 * whatever its path names now. */
int reader_regular(const struct reader *r);

#endif
