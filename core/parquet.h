/* SPDX-License-Identifier: MIT
 *
 * A Parquet reader for flat tables such as the VPC Flow Logs AWS writes
 * to S3 in Parquet: the footer (Thrift compact protocol), row groups one
 * at a time, column chunks of data pages v1 and v2 and dictionary pages;
 * PLAIN, dictionary (RLE/bit-packed indices), DELTA_BINARY_PACKED,
 * DELTA_LENGTH_BYTE_ARRAY, DELTA_BYTE_ARRAY and BYTE_STREAM_SPLIT values;
 * definition levels of optional columns; UNCOMPRESSED, GZIP (ISA-L's
 * igzip), SNAPPY and ZSTD pages. Unsigned, DECIMAL, FLOAT and DOUBLE
 * columns read as their values. A compressed page of PLAIN text is
 * inflated into its column's text, where the values then stay.
 *
 * Every size and offset in the file is checked against the file and the
 * limits below before anything is allocated, so a damaged or hostile file
 * gives a message, never a crash. Memory: per workspace (pq_rowgroup),
 * the chunks and values of the selected columns of one row group, at
 * most about 1 GiB; the importer keeps two.
 *
 * Not read: nested or repeated columns (skipped), INT96 values (read as
 * NULL), column chunks in other files, the LZO, BROTLI and LZ4 codecs
 * (the row group is refused with a message).
 */
#ifndef DNSHUNT_PARQUET_H
#define DNSHUNT_PARQUET_H

#include <stddef.h>
#include <stdint.h>

#include "core/status.h"

/* Limits: a footer, a column chunk, a page once inflated. */
#define PQ_MAX_FOOTER (64u << 20)
#define PQ_MAX_CHUNK  (1024u << 20)
#define PQ_MAX_PAGE   (256u << 20)

struct pq_file;

/* What null[] says of a row: a value, NULL, or a text value holding a
 * blank or a control byte. */
enum { PQ_VALUE, PQ_NULL, PQ_BLANK };

/* One decoded column of a row group: a value or NULL per row. */
struct pq_column {
    int       is_text;      /* text: BYTE_ARRAY, FIXED_LEN_BYTE_ARRAY, and
                             * numbers no int64 holds (unsigned 64-bit,
                             * DECIMAL, FLOAT, DOUBLE) */
    uint8_t  *null;         /* per row: PQ_VALUE, PQ_NULL or PQ_BLANK */
    int64_t  *num;          /* per row, numeric columns */
    uint32_t *off, *len;    /* per row, text columns: into text, or into
                             * dict when off has PQ_DICT set */
    char     *text;         /* values stored in the pages */
    size_t    text_len, text_cap;
    char     *dict;         /* the dictionary's values */
    size_t    cap;          /* rows the arrays hold */
};

/* The bit of pq_column.off that points into the dictionary. */
#define PQ_DICT 0x80000000u

/* The text of row of column c (len[row] bytes). */
static inline const char *
pq_text(const struct pq_column *c, uint64_t row)
{
    return (c->off[row] & PQ_DICT ? c->dict : c->text) +
           (c->off[row] & ~PQ_DICT);
}

/* Open the Parquet file at path (or the n bytes at mem when path is
 * NULL, kept by the caller) and read its footer. DH_OK, or why in err. */
enum dh_status pq_open(struct pq_file **out, const char *path,
                       const void *mem, size_t n, char *err, size_t errlen);

/* pq_open() of the file open on fd (a duplicate of fd is kept), so that
 * the file read is the one already open even if its path now names
 * another. */
enum dh_status pq_open_fd(struct pq_file **out, int fd, char *err,
                          size_t errlen);

/*
 * 1 when the footer of f (opened on a file, not memory) is still what it
 * was when f was opened: the file's size and last bytes, read again. A
 * footer read before the file was hashed is checked so once it is.
 */
int pq_footer_same(const struct pq_file *f);

/*
 * From now on read no byte of the file at or past *ready (read
 * atomically) until another thread raises it; give up (a failed read)
 * once *cancel is set. NULL, NULL reads freely. So a file can be read
 * while another thread hashes it, each byte only once hashed.
 */
void pq_gate(struct pq_file *f, const uint64_t *ready, const int *cancel);

/* The end of row group g's column chunks in the file (0 when none). */
uint64_t pq_group_end(const struct pq_file *f, size_t g);

/* Close f; NULL is fine. */
void pq_close(struct pq_file *f);

/* The flat columns of the file, and the name of column i (NULL for a
 * nested or repeated one). */
size_t pq_columns(const struct pq_file *f);
const char *pq_column_name(const struct pq_file *f, size_t i);

/* The codec of the file's column chunks in lower case ("gzip",
 * "snappy", "zstd", "none"), or "mixed". */
const char *pq_codec(const struct pq_file *f);

/* The size of the file in bytes. */
uint64_t pq_size(const struct pq_file *f);

/* The row groups of the file, and the rows of group g. */
size_t pq_row_groups(const struct pq_file *f);
uint64_t pq_group_rows(const struct pq_file *f, size_t g);

struct pq_rowgroup;

/* Space to decode row groups of f into, one at a time. */
struct pq_rowgroup *pq_rowgroup_new(const struct pq_file *f);
/* Free w; NULL is fine. */
void pq_rowgroup_free(struct pq_rowgroup *w);

/*
 * Decode the columns of row group g for which want[i] is nonzero into w,
 * with cols[i] pointing at each (valid until w's next use). f is only
 * read. DH_OK, or why in err, naming the column.
 */
enum dh_status pq_read_group(const struct pq_file *f, size_t g,
                             const int *want, struct pq_rowgroup *w,
                             struct pq_column **cols, char *err,
                             size_t errlen);

/*
 * pq_read_group() a column at a time, so that the reading of one row
 * group can be spread over the use of another (two workspaces): begin
 * sets up w and cols (as pq_read_group) and reads nothing; each step
 * decodes one more wanted column and sets *done once all are. A failure
 * of either gives why in err and ends the row group.
 */
enum dh_status pq_group_begin(const struct pq_file *f, size_t g,
                              const int *want, struct pq_rowgroup *w,
                              struct pq_column **cols, char *err,
                              size_t errlen);
enum dh_status pq_group_step(const struct pq_file *f, struct pq_rowgroup *w,
                             int *done, char *err, size_t errlen);

/*
 * The lowest file offset that reading from w on may still read: the
 * start of the first column chunk of w's row group not read yet, or of
 * any later row group's (the size of the file when none is left). Every
 * byte below it has been read already or is never read, so a hash of
 * the file may take it now and still cover what the rows came from.
 */
uint64_t pq_read_from(const struct pq_file *f, const struct pq_rowgroup *w);

#endif
