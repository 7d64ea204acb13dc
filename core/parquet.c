/* SPDX-License-Identifier: MIT
 *
 * Parquet files, read column chunk by column chunk (see parquet.h). The
 * format: "PAR1", the column chunks, the footer (FileMetaData in Thrift's
 * compact protocol), its length (4 bytes, little-endian), "PAR1".
 */
#include "core/parquet.h"

#include <errno.h>
#include <fcntl.h>
#include <time.h>
#include <snappy-c.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <isa-l/igzip_lib.h>
#include <zstd.h>

#include "core/util.h"

/* Physical types, codecs, page types and encodings of the format. */
enum { T_BOOLEAN, T_INT32, T_INT64, T_INT96, T_FLOAT, T_DOUBLE,
       T_BYTE_ARRAY, T_FIXED };
enum { C_NONE, C_SNAPPY, C_GZIP, C_LZO, C_BROTLI, C_LZ4, C_ZSTD,
       C_LZ4_RAW };
enum { P_DATA, P_INDEX, P_DICT, P_DATA_V2 };
enum { E_PLAIN = 0, E_PLAIN_DICT = 2, E_RLE = 3, E_BIT_PACKED = 4,
       E_DELTA_BINARY = 5, E_DELTA_LENGTH = 6, E_DELTA_BYTES = 7,
       E_RLE_DICT = 8, E_BYTE_SPLIT = 9 };

#define MAX_COLUMNS 1024
#define MAX_GROUPS  100000
#define MAX_CHUNKS  (1u << 22)   /* row groups times columns */
#define MAX_DICT    (1u << 24)   /* dictionary entries */
/* Memory of one row group's selected columns, values and texts. */
#define MAX_GROUP_BYTES (1024ull << 20)
#define MAX_GROUP_ROWS  (64u << 20)
#define MAX_DEPTH   32           /* Thrift nesting */

/* A leaf column of the schema, and its chunk in each row group. */
struct chunk {
    int      codec;
    int64_t  values;
    int64_t  start, size;        /* bytes of the chunk in the file */
};

struct col {
    char    *name;
    int      type, type_len;
    int      optional;           /* max definition level 1, else 0 */
    int      flat;               /* top level, not repeated */
    int      converted;          /* ConvertedType, -1 when none */
    int      scale;              /* of a DECIMAL */
};

/* ConvertedType values that change how a number reads. */
enum { CT_DECIMAL = 5, CT_UINT_8 = 11, CT_UINT_16, CT_UINT_32, CT_UINT_64 };

struct group {
    uint64_t      rows;
    struct chunk *chunks;        /* one per column */
};

struct pq_file {
    int               fd;        /* -1 for memory */
    const uint8_t    *mem;
    uint64_t          size;
    struct col       *cols;
    size_t            n_cols;
    struct group     *groups;
    size_t            n_groups;
    uint8_t          *foot;      /* the footer as read, and its length */
    size_t            foot_len;  /* with the last 8 bytes */
    const uint64_t   *ready;     /* bytes that may be read, or NULL */
    const int        *cancel;    /* set: give up waiting for them */
};

/* A row group being decoded: its columns and working space. */
/* Arrays of the page being decoded, kept from page to page and from row
 * group to row group so a page costs no allocation: its definition
 * levels, the rows its values go to, its dictionary indexes. */
struct scratch {
    uint32_t *lev, *idx;
    uint64_t *at;
    size_t    lev_cap, idx_cap;
};

/* A column chunk's dictionary, kept from row group to row group so a
 * chunk costs no allocation once its arrays are large enough: the
 * entries' numbers or places in text, and whether each holds a blank or
 * a control byte. */
struct dict {
    int64_t  *num;
    uint32_t *off, *len;
    uint8_t  *blank;
    char     *text;
    size_t    cap, text_cap;
};

struct pq_rowgroup {
    struct scratch    tmp;
    struct dict      *dicts;     /* one per column of the file */
    struct pq_column *out;       /* one per column of the file */
    size_t            n;
    uint8_t          *raw, *page; /* the chunk read, a page inflated */
    size_t            raw_cap, page_cap;
    uint64_t          budget;    /* bytes the row group may still take */
    struct inflate_state *zs;    /* for GZIP pages */
    /* the row group begun, and its next column to read */
    size_t            group, next;
    const int        *want;
};

/* Room to allocate for need units of an array kept from row group to
 * row group: an eighth more, as writers vary the rows of a group and
 * the size of a chunk a little, and each new allocation is memory the
 * system must map and clear again. */
static size_t
roomy(size_t need)
{
    return need + need / 8 + 1;
}

/* --- Reading bytes --------------------------------------------------- */

/* Wait until the n bytes at off may be read (see pq_gate()); -1 when
 * told to give up. */
static int
wait_ready(const struct pq_file *f, uint64_t off, size_t n)
{
    long ns = 20000;                    /* 20 µs, doubling to 1.3 ms */

    while (f->ready && __atomic_load_n(f->ready, __ATOMIC_ACQUIRE) <
                       off + n) {
        struct timespec pause = { 0, ns };
        if (f->cancel && __atomic_load_n(f->cancel, __ATOMIC_RELAXED)) {
            errno = ECANCELED;
            return -1;
        }
        nanosleep(&pause, NULL);
        ns = ns < 1000000 ? ns * 2 : ns;
    }
    return 0;
}

/* The n bytes at off into dst, at once. */
static int
read_now(const struct pq_file *f, uint64_t off, size_t n, uint8_t *dst)
{
    size_t done = 0;

    if (off > f->size || n > f->size - off)
        return -1;
    if (!f->mem) {
        while (done < n) {
            ssize_t r = pread(f->fd, dst + done, n - done,
                              (off_t)(off + done));
            if (r < 0 && errno == EINTR)
                continue;
            if (r <= 0)
                return -1;
            done += (size_t)r;
        }
        return 0;
    }
    memcpy(dst, f->mem + off, n);
    return 0;
}

/* The n bytes at off into dst, once they may be read. */
static int
read_at(const struct pq_file *f, uint64_t off, size_t n, uint8_t *dst)
{
    if (off > f->size || n > f->size - off || wait_ready(f, off, n) != 0)
        return -1;
    return read_now(f, off, n, dst);
}

/* --- Thrift compact protocol ----------------------------------------- */

struct tc {
    const uint8_t *p, *end;
    int            bad;
    int            depth;
};

static uint64_t
varint(struct tc *t)
{
    uint64_t v = 0;

    for (int shift = 0; shift < 64; shift += 7) {
        if (t->p >= t->end) {
            t->bad = 1;
            return 0;
        }
        uint8_t b = *t->p++;
        v |= (uint64_t)(b & 0x7f) << shift;
        if (!(b & 0x80))
            return v;
    }
    t->bad = 1;
    return 0;
}

static int64_t
zigzag(struct tc *t)
{
    uint64_t v = varint(t);

    return (int64_t)(v >> 1) ^ -(int64_t)(v & 1);
}

/* The next field of a struct: its type (0 at the end) and id. */
static int
field(struct tc *t, int *id)
{
    uint8_t b;

    if (t->p >= t->end) {
        t->bad = 1;
        return 0;
    }
    b = *t->p++;
    if (b == 0)
        return 0;
    /* A delta from the last id, or the id itself; Thrift ids are i16. */
    int64_t v = b >> 4 ? (int64_t)*id + (b >> 4) : zigzag(t);
    if (v < INT16_MIN || v > INT16_MAX) {
        t->bad = 1;
        return 0;
    }
    *id = (int)v;
    return b & 15;
}

/* A list header: the element type, and the count into *n. */
static int
list(struct tc *t, uint64_t *n)
{
    uint8_t b;

    *n = 0;
    if (t->p >= t->end) {
        t->bad = 1;
        return 0;
    }
    b = *t->p++;
    *n = b >> 4 == 15 ? varint(t) : b >> 4;
    if (*n > (uint64_t)(t->end - t->p))     /* each takes a byte at least */
        t->bad = 1;
    return b & 15;
}

static void skip(struct tc *t, int type);

static void
skip_struct(struct tc *t)
{
    int id = 0, type;

    if (++t->depth > MAX_DEPTH)
        t->bad = 1;
    while (!t->bad && (type = field(t, &id)) != 0)
        skip(t, type);
    t->depth--;
}

/* Skip a value of compact type type. */
static void
skip(struct tc *t, int type)
{
    uint64_t n = 0;

    switch (type) {
    case 1: case 2: break;                       /* booleans in the header */
    case 3: t->p < t->end ? (void)t->p++ : (void)(t->bad = 1); break;
    case 4: case 5: case 6: varint(t); break;
    case 7:
        if (t->end - t->p < 8)
            t->bad = 1;
        else
            t->p += 8;
        break;
    case 8:
        n = varint(t);
        if (n > (uint64_t)(t->end - t->p))
            t->bad = 1;
        else
            t->p += n;
        break;
    case 9: case 10: {
        int et = list(t, &n);
        if (++t->depth > MAX_DEPTH)
            t->bad = 1;
        for (uint64_t i = 0; i < n && !t->bad; i++)
            skip(t, et == 1 || et == 2 ? 3 : et);
        t->depth--;
        break;
    }
    case 11:
        n = varint(t);
        if (n) {
            uint8_t kv = t->p < t->end ? *t->p++ : 0;
            if (++t->depth > MAX_DEPTH || n > (uint64_t)(t->end - t->p))
                t->bad = 1;
            for (uint64_t i = 0; i < n && !t->bad; i++) {
                skip(t, kv >> 4);
                skip(t, kv & 15);
            }
            t->depth--;
        }
        break;
    case 12: skip_struct(t); break;
    default: t->bad = 1;
    }
}

/* A binary field as a new C string (at most max bytes). */
static char *
binary(struct tc *t, size_t max)
{
    uint64_t n = varint(t);
    char *s;

    if (t->bad || n > (uint64_t)(t->end - t->p) || n > max) {
        t->bad = 1;
        return NULL;
    }
    s = xmalloc(n + 1);
    memcpy(s, t->p, n);
    s[n] = '\0';
    t->p += n;
    return s;
}

/* --- The footer ---------------------------------------------------- */

static void
schema_element(struct tc *t, struct col *c, int *children)
{
    int id = 0, type;

    c->type = c->converted = -1;
    *children = 0;
    while (!t->bad && (type = field(t, &id)) != 0) {
        if (id == 1 && type == 5)
            c->type = (int)zigzag(t);
        else if (id == 6 && type == 5)
            c->converted = (int)zigzag(t);
        else if (id == 7 && type == 5)
            c->scale = (int)zigzag(t);
        else if (id == 2 && type == 5)
            c->type_len = (int)zigzag(t);
        else if (id == 3 && type == 5)
            c->optional = (int)zigzag(t);        /* 0 required, 1, 2 */
        else if (id == 4 && type == 8 && !c->name)
            c->name = binary(t, 4096);
        else if (id == 5 && type == 5)
            *children = (int)zigzag(t);
        else
            skip(t, type);
    }
}

static void
column_meta(struct tc *t, struct chunk *ch)
{
    int id = 0, type;
    int64_t data = -1, dict = -1;

    if (++t->depth > MAX_DEPTH)
        t->bad = 1;
    while (!t->bad && (type = field(t, &id)) != 0) {
        if (id == 4 && type == 5)
            ch->codec = (int)zigzag(t);
        else if (id == 5 && type == 6)
            ch->values = zigzag(t);
        else if (id == 7 && type == 6)
            ch->size = zigzag(t);
        else if (id == 9 && type == 6)
            data = zigzag(t);
        else if (id == 11 && type == 6)
            dict = zigzag(t);
        else
            skip(t, type);
    }
    t->depth--;
    ch->start = dict > 0 && dict < data ? dict : data;
}

static void
column_chunk(struct tc *t, struct chunk *ch)
{
    int id = 0, type;

    ch->start = -1;
    while (!t->bad && (type = field(t, &id)) != 0) {
        if (id == 1 && type == 8) {
            skip(t, type);
            ch->start = -2;                     /* in another file */
        } else if (id == 3 && type == 12 && ch->start != -2) {
            column_meta(t, ch);
        } else {
            skip(t, type);
        }
    }
}

static void
row_group(struct tc *t, struct pq_file *f, struct group *g)
{
    int id = 0, type;
    uint64_t n;

    g->chunks = xcalloc(f->n_cols ? f->n_cols : 1, sizeof *g->chunks);
    while (!t->bad && (type = field(t, &id)) != 0) {
        if (id == 1 && type == 9) {
            if (list(t, &n) != 12 || n != f->n_cols)
                t->bad = 1;
            for (uint64_t i = 0; i < n && !t->bad; i++)
                column_chunk(t, &g->chunks[i]);
        } else if (id == 3 && type == 6) {
            int64_t rows = zigzag(t);
            g->rows = rows < 0 ? 0 : (uint64_t)rows;
        } else {
            skip(t, type);
        }
    }
}

/* The schema: a root, then a depth-first list; leaves are columns. Only
 * children of the root that have no children are read. */
static void
schema(struct tc *t, struct pq_file *f, uint64_t n)
{
    int left[MAX_DEPTH], depth = 0;

    if (t->bad || n > 4 * MAX_COLUMNS) {
        t->bad = 1;
        return;
    }
    f->cols = xcalloc(n ? n : 1, sizeof *f->cols);
    for (uint64_t i = 0; i < n && !t->bad; i++) {
        struct col c = { 0 };
        int children;
        schema_element(t, &c, &children);
        if (children < 0 || (uint64_t)children > n) {
            t->bad = 1;
            free(c.name);
            break;
        }
        if (i == 0) {                           /* the root */
            left[0] = children;
            depth = 1;
            free(c.name);
            continue;
        }
        while (depth > 0 && left[depth - 1] == 0)
            depth--;
        if (depth == 0) {
            t->bad = 1;
            free(c.name);
            break;
        }
        left[depth - 1]--;
        if (children > 0) {
            if (depth == MAX_DEPTH) {
                t->bad = 1;
                free(c.name);
                break;
            }
            left[depth++] = children;
            free(c.name);
            continue;
        }
        c.flat = depth == 1 && c.optional != 2 && c.name;
        if (f->n_cols == MAX_COLUMNS) {
            t->bad = 1;
            free(c.name);
            break;
        }
        f->cols[f->n_cols++] = c;
    }
}

static int
footer(struct pq_file *f, const uint8_t *b, size_t n)
{
    struct tc t = { b, b + n, 0, 0 };
    int id = 0, type, have_schema = 0;
    uint64_t count;

    while (!t.bad && (type = field(&t, &id)) != 0) {
        if (id == 2 && type == 9 && !have_schema) {
            if (list(&t, &count) != 12)
                t.bad = 1;
            schema(&t, f, count);
            have_schema = 1;
        } else if (id == 4 && type == 9 && have_schema && !f->groups) {
            if (list(&t, &count) != 12 || t.bad || count > MAX_GROUPS ||
                count * (f->n_cols ? f->n_cols : 1) > MAX_CHUNKS) {
                t.bad = 1;
                break;
            }
            f->groups = xcalloc(count ? count : 1, sizeof *f->groups);
            for (uint64_t i = 0; i < count && !t.bad; i++) {
                row_group(&t, f, &f->groups[i]);
                f->n_groups++;
            }
        } else {
            skip(&t, type);
        }
    }
    return t.bad || !have_schema ? -1 : 0;
}

/* Read the footer of f, whose fd or memory and size are set: *out = f,
 * or f closed and why in err. */
static enum dh_status
open_footer(struct pq_file **out, struct pq_file *f, char *err,
            size_t errlen)
{
    uint8_t tail[8], *meta = NULL;
    uint32_t len;

    if (f->size < 12 || read_at(f, f->size - 8, 8, tail) != 0 ||
        memcmp(tail + 4, "PAR1", 4) != 0) {
        snprintf(err, errlen, "not a whole Parquet file (no PAR1 at the "
                 "end: cut short?)");
        pq_close(f);
        return DH_UNKNOWN_FORMAT;
    }
    len = (uint32_t)tail[0] | (uint32_t)tail[1] << 8 |
          (uint32_t)tail[2] << 16 | (uint32_t)tail[3] << 24;
    if (len == 0 || len > PQ_MAX_FOOTER || len > f->size - 12) {
        snprintf(err, errlen, "footer length %u is beyond the file or the "
                 "limit", len);
        pq_close(f);
        return DH_BAD_VALUE;
    }
    meta = xmalloc((size_t)len + 8);
    if (read_at(f, f->size - 8 - len, len, meta) != 0 ||
        footer(f, meta, len) != 0) {
        snprintf(err, errlen, "damaged footer (file metadata)");
        free(meta);
        pq_close(f);
        return DH_BAD_VALUE;
    }
    memcpy(meta + len, tail, 8);
    f->foot = meta;                     /* for pq_footer_same() */
    f->foot_len = (size_t)len + 8;
    *out = f;
    return DH_OK;
}

/* Set f up to read the file open on its fd: its size. */
static enum dh_status
open_fd(struct pq_file *f, char *err, size_t errlen)
{
    struct stat st;

    if (f->fd < 0 || fstat(f->fd, &st) != 0) {
        snprintf(err, errlen, "%s", strerror(errno));
        pq_close(f);
        return DH_IO;
    }
    f->size = (uint64_t)st.st_size;
    return DH_OK;
}

enum dh_status
pq_open(struct pq_file **out, const char *path, const void *mem, size_t n,
        char *err, size_t errlen)
{
    struct pq_file *f = xcalloc(1, sizeof *f);

    *out = NULL;
    f->fd = -1;
    if (path) {
        f->fd = open(path, O_RDONLY | O_CLOEXEC);
        if (open_fd(f, err, errlen) != DH_OK)
            return DH_IO;
    } else {
        f->mem = mem;
        f->size = n;
    }
    return open_footer(out, f, err, errlen);
}

enum dh_status
pq_open_fd(struct pq_file **out, int fd, char *err, size_t errlen)
{
    struct pq_file *f = xcalloc(1, sizeof *f);

    *out = NULL;
    f->fd = fcntl(fd, F_DUPFD_CLOEXEC, 0);
    if (open_fd(f, err, errlen) != DH_OK)
        return DH_IO;
    return open_footer(out, f, err, errlen);
}

int
pq_footer_same(const struct pq_file *f)
{
    uint8_t *now = xmalloc(f->foot_len);
    struct stat st;
    int same = f->fd < 0 ||
               (fstat(f->fd, &st) == 0 && (uint64_t)st.st_size == f->size &&
                read_now(f, f->size - f->foot_len, f->foot_len, now) == 0 &&
                memcmp(now, f->foot, f->foot_len) == 0);

    free(now);
    return same;
}

void
pq_gate(struct pq_file *f, const uint64_t *ready, const int *cancel)
{
    f->ready = ready;
    f->cancel = cancel;
}

uint64_t
pq_group_end(const struct pq_file *f, size_t g)
{
    uint64_t end = 0;

    for (size_t i = 0; g < f->n_groups && i < f->n_cols; i++) {
        const struct chunk *ch = &f->groups[g].chunks[i];
        if (ch->start >= 0 && ch->size > 0 &&
            (uint64_t)ch->start + (uint64_t)ch->size > end)
            end = (uint64_t)ch->start + (uint64_t)ch->size;
    }
    return end;
}

void
pq_close(struct pq_file *f)
{
    if (!f)
        return;
    free(f->foot);
    if (f->fd >= 0)
        close(f->fd);
    for (size_t i = 0; i < f->n_cols; i++)
        free(f->cols[i].name);
    for (size_t i = 0; i < f->n_groups; i++)
        free(f->groups[i].chunks);
    free(f->cols);
    free(f->groups);
    free(f);
}

struct pq_rowgroup *
pq_rowgroup_new(const struct pq_file *f)
{
    struct pq_rowgroup *w = xcalloc(1, sizeof *w);

    w->n = f->n_cols;
    w->out = xcalloc(w->n ? w->n : 1, sizeof *w->out);
    w->dicts = xcalloc(w->n ? w->n : 1, sizeof *w->dicts);
    return w;
}

void
pq_rowgroup_free(struct pq_rowgroup *w)
{
    if (!w)
        return;
    for (size_t i = 0; i < w->n; i++) {
        free(w->out[i].null);
        free(w->out[i].num);
        free(w->out[i].off);
        free(w->out[i].len);
        free(w->out[i].text);
        free(w->dicts[i].num);
        free(w->dicts[i].off);
        free(w->dicts[i].len);
        free(w->dicts[i].blank);
        free(w->dicts[i].text);
    }
    free(w->out);
    free(w->dicts);
    free(w->raw);
    free(w->page);
    free(w->zs);
    free(w->tmp.lev);
    free(w->tmp.at);
    free(w->tmp.idx);
    free(w);
}

size_t
pq_columns(const struct pq_file *f)
{
    return f->n_cols;
}

const char *
pq_column_name(const struct pq_file *f, size_t i)
{
    return f->cols[i].flat ? f->cols[i].name : NULL;
}

const char *
pq_codec(const struct pq_file *f)
{
    static const char *const names[] = { "none", "snappy", "gzip", "lzo",
        "brotli", "lz4", "zstd", "lz4_raw" };
    int codec = -1;

    for (size_t g = 0; g < f->n_groups; g++)
        for (size_t i = 0; i < f->n_cols; i++) {
            int k = f->groups[g].chunks[i].codec;
            if (codec >= 0 && k != codec)
                return "mixed";
            codec = k;
        }
    return codec >= 0 && codec <= C_LZ4_RAW ? names[codec] : "none";
}

size_t
pq_row_groups(const struct pq_file *f)
{
    return f->n_groups;
}

uint64_t
pq_size(const struct pq_file *f)
{
    return f->size;
}

uint64_t
pq_group_rows(const struct pq_file *f, size_t g)
{
    return f->groups[g].rows;
}

/* --- Values ------------------------------------------------------------ */

/* Where decoded values of one column chunk go. */
struct sink {
    struct pq_column *c;
    const struct col *col;
    uint64_t          rows;     /* rows of the group */
    uint64_t         *budget;   /* bytes the group may still take */
    uint64_t          row;      /* next row to fill */
    /* the dictionary: where it is kept, whether the chunk has one, its
     * entries and the bytes of its text */
    struct dict      *d;
    int               has_dict;
    size_t            dn, dtext_len;
    struct scratch   *tmp;      /* the workspace's page arrays */
    int               in_text;  /* the page is in c->text: values stay */
};

/* 1 when the n bytes at s hold a blank or a control byte. */
static int
has_blank(const void *s, size_t n)
{
    const unsigned char *t = s;
    int blank = 0;

    for (size_t k = 0; k < n; k++)              /* no early exit: fast */
        blank |= (t[k] <= ' ') | (t[k] == 0x7f);
    return blank;
}

/* Room for n more bytes of the column's text, taken from the row
 * group's budget; -1 past the budget. */
static int
text_room(struct pq_column *c, uint64_t *budget, size_t n)
{
    if (n > *budget || c->text_len + n >= PQ_DICT) {
        *budget = 0;                    /* read_chunk() says why */
        return -1;
    }
    *budget -= n;
    if (c->text_len + n + 1 > c->text_cap) {
        c->text_cap = (c->text_len + n) * 2 + 256;
        c->text = xrealloc(c->text, c->text_cap);
    }
    return 0;
}

/* Keep n bytes at s as row's text; -1 past the row group's budget
 * (dictionary values repeated make far more text than the file holds). */
static int
add_text(struct pq_column *c, uint64_t *budget, uint64_t row, const void *s,
         size_t n)
{
    if (text_room(c, budget, n) != 0)
        return -1;
    if (n)
        memcpy(c->text + c->text_len, s, n);
    c->null[row] = has_blank(s, n) ? PQ_BLANK : 0;
    c->off[row] = (uint32_t)c->text_len;
    c->len[row] = (uint32_t)n;
    c->text_len += n;
    return 0;
}

/* Row's text is the n bytes at t, already in the column's text (a plain
 * page inflated there). */
static void
ref_text(struct pq_column *c, uint64_t row, const uint8_t *t, size_t n)
{
    c->null[row] = has_blank(t, n) ? PQ_BLANK : 0;
    c->off[row] = (uint32_t)((const char *)t - c->text);
    c->len[row] = (uint32_t)n;
}

/* Bits needed for values up to v. */
static int
bit_width(uint64_t v)
{
    int w = 0;

    while (v) {
        w++;
        v >>= 1;
    }
    return w;
}

/* A cursor over a page's bytes. */
struct buf_in {
    const uint8_t *p, *end;
    int            bad;
};

static uint64_t
in_varint(struct buf_in *b)
{
    struct tc t = { b->p, b->end, 0, 0 };
    uint64_t v = varint(&t);

    b->p = t.p;
    b->bad |= t.bad;
    return v;
}

/* RLE/bit-packed hybrid: n values of width w into out. */
static int
hybrid(struct buf_in *b, int w, uint32_t *out, size_t n)
{
    size_t k = 0;
    size_t bytes = (size_t)(w + 7) / 8;

    if (w > 32)
        return -1;
    while (k < n && !b->bad) {
        uint64_t h = in_varint(b);
        if (b->bad)
            return -1;
        if (h & 1) {                            /* bit-packed groups of 8 */
            uint64_t groups = h >> 1, count = groups * 8;
            size_t need = (size_t)groups * (size_t)w;
            if (groups > (1u << 28) || need > (size_t)(b->end - b->p))
                return -1;
            uint64_t acc = 0;
            int have = 0;
            const uint8_t *q = b->p;
            for (uint64_t i = 0; i < count && k < n; i++) {
                while (have < w) {
                    acc |= (uint64_t)*q++ << have;
                    have += 8;
                }
                out[k++] = (uint32_t)(acc & ((1ull << w) - 1));
                acc >>= w;
                have -= w;
            }
            b->p += need;
        } else {                                /* a run of one value */
            uint64_t count = h >> 1;
            uint32_t v = 0;
            if (bytes > (size_t)(b->end - b->p) || count == 0)
                return -1;
            for (size_t i = 0; i < bytes; i++)
                v |= (uint32_t)b->p[i] << (8 * i);
            b->p += bytes;
            for (uint64_t i = 0; i < count && k < n; i++)
                out[k++] = v;
        }
    }
    return k == n ? 0 : -1;
}

/* DELTA_BINARY_PACKED: up to n integers into out; *got says how many. */
static int
delta_ints(struct buf_in *b, int64_t *out, size_t n, size_t *got)
{
    uint64_t block = in_varint(b), minis = in_varint(b);
    uint64_t total = in_varint(b);
    int64_t v;
    size_t k = 0;

    {
        struct tc t = { b->p, b->end, 0, 0 };
        v = zigzag(&t);
        b->p = t.p;
        b->bad |= t.bad;
    }
    if (b->bad || block == 0 || block % 128 || minis == 0 ||
        block % minis || (block / minis) % 32 || block > 65536 ||
        total > n)
        return -1;
    if (total)
        out[k++] = v;
    while (k < total) {
        struct tc t = { b->p, b->end, 0, 0 };
        int64_t min = zigzag(&t);
        uint64_t per = block / minis;
        const uint8_t *widths;
        b->p = t.p;
        if (t.bad || minis > (uint64_t)(b->end - b->p))
            return -1;
        widths = b->p;
        b->p += minis;
        for (uint64_t m = 0; m < minis && k < total; m++) {
            int w = widths[m];
            size_t need = (size_t)(per * (uint64_t)w / 8);
            if (w > 64 || need > (size_t)(b->end - b->p))
                return -1;
            const uint8_t *q = b->p;
            unsigned __int128 acc = 0;
            int have = 0;
            for (uint64_t i = 0; i < per; i++) {
                uint64_t d = 0;
                if (w) {
                    while (have < w) {
                        acc |= (unsigned __int128)*q++ << have;
                        have += 8;
                    }
                    d = (uint64_t)(acc & (w == 64 ? ~0ull
                                                  : (1ull << w) - 1));
                    acc >>= w;
                    have -= w;
                }
                if (k < total) {
                    v = (int64_t)((uint64_t)v + (uint64_t)min + d);
                    out[k++] = v;
                }
            }
            b->p += need;
        }
    }
    *got = k;
    return 0;
}

/* 1 for columns whose numbers are kept as text: unsigned 64-bit, DECIMAL,
 * FLOAT and DOUBLE, which no integer of a flow field holds exactly. */
static int
number_as_text(const struct col *col)
{
    return col->type == T_FLOAT || col->type == T_DOUBLE ||
           ((col->type == T_INT32 || col->type == T_INT64) &&
            col->converted == CT_DECIMAL) ||
           (col->type == T_INT64 && col->converted == CT_UINT_64);
}

/* Store row's value from raw, the bits a page holds for it: INT32 wraps
 * to 32 bits (signed, or unsigned for UINT_8 to UINT_32), FLOAT and
 * DOUBLE are their bits, DECIMAL is scaled. -1 past the budget. */
static int
put_value(struct sink *s, uint64_t row, int64_t raw)
{
    const struct col *col = s->col;
    char t[48];
    int n;

    if (col->type == T_INT96) {
        s->c->null[row] = 1;
        return 0;
    }
    if (col->type == T_INT32)
        raw = col->converted >= CT_UINT_8 && col->converted <= CT_UINT_32
              ? (int64_t)(uint32_t)raw : (int64_t)(int32_t)raw;
    if (!number_as_text(col)) {
        s->c->num[row] = raw;
        return 0;
    }
    if (col->type == T_FLOAT) {
        uint32_t bits = (uint32_t)raw;
        float x;
        memcpy(&x, &bits, sizeof x);
        n = snprintf(t, sizeof t, "%.9g", (double)x);
    } else if (col->type == T_DOUBLE) {
        double x;
        memcpy(&x, &raw, sizeof x);
        n = snprintf(t, sizeof t, "%.17g", x);
    } else if (col->converted == CT_UINT_64) {
        n = snprintf(t, sizeof t, "%llu", (unsigned long long)raw);
    } else {                                    /* DECIMAL */
        uint64_t m = raw < 0 ? 0 - (uint64_t)raw : (uint64_t)raw, div = 1;
        int scale = col->scale < 0 ? 0 : col->scale > 18 ? 18 : col->scale;
        for (int i = 0; i < scale; i++)
            div *= 10;
        n = scale ? snprintf(t, sizeof t, "%s%llu.%0*llu", raw < 0 ? "-" : "",
                             (unsigned long long)(m / div), scale,
                             (unsigned long long)(m % div))
                  : snprintf(t, sizeof t, "%lld", (long long)raw);
    }
    return add_text(s->c, s->budget, row, t, (size_t)n);
}

/* The rows a page's values go to: at[i], or first + i when at is NULL
 * (no value of the page is NULL). */
struct rows {
    const uint64_t *at;
    uint64_t        first;
};

static inline uint64_t
row_of(struct rows r, size_t i)
{
    return r.at ? r.at[i] : r.first + i;
}

/* Plain values of the column's type: n of them into rows of sink (the
 * non-NULL rows, in order) or into the dictionary when dict. */
static int
plain(struct sink *s, struct buf_in *b, size_t n, int dict,
      struct rows rows)
{
    int type = s->col->type;

    for (size_t i = 0; i < n; i++) {
        int64_t v = 0;
        const uint8_t *text = NULL;
        size_t len = 0;
        switch (type) {
        case T_BOOLEAN:
            if (i / 8 >= (size_t)(b->end - b->p))
                return -1;
            v = (b->p[i / 8] >> (i % 8)) & 1;
            break;
        case T_INT32: case T_FLOAT:
            if (b->end - b->p < 4)
                return -1;
            v = (int32_t)((uint32_t)b->p[0] | (uint32_t)b->p[1] << 8 |
                          (uint32_t)b->p[2] << 16 | (uint32_t)b->p[3] << 24);
            b->p += 4;
            break;
        case T_INT64: case T_DOUBLE:
            if (b->end - b->p < 8)
                return -1;
            for (int k = 7; k >= 0; k--)
                v = (int64_t)((uint64_t)v << 8 | b->p[k]);
            b->p += 8;
            break;
        case T_INT96:
            if (b->end - b->p < 12)
                return -1;
            b->p += 12;
            break;
        case T_BYTE_ARRAY:
            if (b->end - b->p < 4)
                return -1;
            len = (size_t)b->p[0] | (size_t)b->p[1] << 8 |
                  (size_t)b->p[2] << 16 | (size_t)b->p[3] << 24;
            b->p += 4;
            if (len > (size_t)(b->end - b->p))
                return -1;
            text = b->p;
            b->p += len;
            break;
        case T_FIXED:
            len = s->col->type_len < 0 ? 0 : (size_t)s->col->type_len;
            if (len > (size_t)(b->end - b->p))
                return -1;
            text = b->p;
            b->p += len;
            break;
        default:
            return -1;
        }
        if (dict) {
            if (text) {
                s->d->off[i] = (uint32_t)s->dtext_len;
                s->d->len[i] = (uint32_t)len;
                if (len)
                    memcpy(s->d->text + s->dtext_len, text, len);
                s->dtext_len += len;
            } else {
                s->d->num[i] = v;
            }
        } else if (text && s->in_text) {
            ref_text(s->c, row_of(rows, i), text, len);
        } else if (text) {
            if (add_text(s->c, s->budget, row_of(rows, i), text, len) != 0)
                return -1;
        } else if (put_value(s, row_of(rows, i), v) != 0) {
            return -1;
        }
    }
    if (type == T_BOOLEAN)
        b->p += (n + 7) / 8;
    return 0;
}

/* The dictionary page: n plain values. */
static int
dictionary(struct sink *s, const uint8_t *p, size_t size, size_t n)
{
    struct buf_in b = { p, p + size, 0 };

    struct dict *d = s->d;

    if (s->has_dict || n > MAX_DICT || n > size * 8 + 8 ||
        (s->col->type == T_FIXED && s->col->type_len <= 0))
        return -1;
    s->has_dict = 1;
    s->dn = n;
    if (n > d->cap || !d->num) {
        d->cap = roomy(n);
        d->num = xrealloc(d->num, d->cap * sizeof *d->num);
        d->off = xrealloc(d->off, d->cap * sizeof *d->off);
        d->len = xrealloc(d->len, d->cap * sizeof *d->len);
        d->blank = xrealloc(d->blank, d->cap);
    }
    if (size + 1 > d->text_cap) {
        d->text_cap = roomy(size + 1);
        d->text = xrealloc(d->text, d->text_cap);
    }
    memset(d->num, 0, n * sizeof *d->num);      /* as new, for every type */
    memset(d->off, 0, n * sizeof *d->off);
    memset(d->len, 0, n * sizeof *d->len);
    memset(d->blank, 0, n);
    if (plain(s, &b, n, 1, (struct rows){ NULL, 0 }) != 0)
        return -1;
    for (size_t i = 0; i < n && s->c->is_text; i++)
        d->blank[i] = (uint8_t)has_blank(d->text + d->off[i], d->len[i]);
    return 0;
}

/* DELTA_LENGTH_BYTE_ARRAY and DELTA_BYTE_ARRAY texts of the rows. */
static int
delta_texts(struct sink *s, struct buf_in *b, size_t n, int prefixed,
            struct rows rows)
{
    int64_t *pre = NULL, *len = xcalloc(n ? n : 1, sizeof *len);
    char *last = NULL;
    size_t got = 0, last_len = 0;
    int rc = -1;

    if (prefixed) {
        pre = xcalloc(n ? n : 1, sizeof *pre);
        if (delta_ints(b, pre, n, &got) != 0 || got != n)
            goto done;
    }
    if (delta_ints(b, len, n, &got) != 0 || got != n)
        goto done;
    last = xmalloc(1);
    for (size_t i = 0; i < n; i++) {
        size_t p = prefixed ? (size_t)pre[i] : 0;
        if (len[i] < 0 || (prefixed && (pre[i] < 0 || p > last_len)) ||
            (uint64_t)len[i] > (uint64_t)(b->end - b->p))
            goto done;
        char *v = xmalloc(p + (size_t)len[i] + 1);
        if (p)
            memcpy(v, last, p);
        if (len[i])
            memcpy(v + p, b->p, (size_t)len[i]);
        b->p += len[i];
        free(last);
        last = v;
        if (add_text(s->c, s->budget, row_of(rows, i), v,
                     p + (size_t)len[i]) != 0)
            goto done;
        last_len = p + (size_t)len[i];
    }
    rc = 0;
done:
    free(pre);
    free(len);
    free(last);
    return rc;
}

/* The values of a data page: n of them, for the given rows. */
static int
page_values(struct sink *s, struct buf_in *b, int enc, size_t n,
            struct rows rows)
{
    if (enc == E_PLAIN)
        return plain(s, b, n, 0, rows);
    if (enc == E_PLAIN_DICT || enc == E_RLE_DICT) {
        uint32_t *idx;
        int w, rc = 0;
        if (!s->dn && n)
            return -1;
        if (b->p >= b->end)
            return n ? -1 : 0;
        w = *b->p++;
        if (s->tmp->idx_cap < n) {
            s->tmp->idx_cap = roomy(n);
            s->tmp->idx = xrealloc(s->tmp->idx,
                                   s->tmp->idx_cap * sizeof *idx);
        }
        idx = s->tmp->idx;
        if (hybrid(b, w, idx, n) != 0)
            rc = -1;
        for (size_t i = 0; i < n && rc == 0; i++) {
            if (idx[i] >= s->dn) {
                rc = -1;
                break;
            }
            if (s->c->is_text && !number_as_text(s->col)) {
                /* the dictionary's own text, kept with the column */
                s->c->off[row_of(rows, i)] = s->d->off[idx[i]] | PQ_DICT;
                s->c->len[row_of(rows, i)] = s->d->len[idx[i]];
                s->c->null[row_of(rows, i)] = s->d->blank[idx[i]] ? PQ_BLANK
                                                         : PQ_VALUE;
            } else if (put_value(s, row_of(rows, i), s->d->num[idx[i]]) != 0) {
                rc = -1;
            }
        }
        return rc;
    }
    if (enc == E_DELTA_BINARY &&
        (s->col->type == T_INT32 || s->col->type == T_INT64)) {
        int64_t *v = xcalloc(n ? n : 1, sizeof *v);
        size_t got = 0;
        int rc = delta_ints(b, v, n, &got) == 0 && got == n ? 0 : -1;
        for (size_t i = 0; i < n && rc == 0; i++)
            rc = put_value(s, row_of(rows, i), v[i]);
        free(v);
        return rc;
    }
    if (enc == E_BYTE_SPLIT) {                  /* byte k of value i at k*n+i */
        size_t w = s->col->type == T_FLOAT || s->col->type == T_INT32 ? 4
                 : s->col->type == T_DOUBLE || s->col->type == T_INT64 ? 8
                 : 0;
        if (!w || n > (size_t)(b->end - b->p) / w)
            return w ? -1 : -2;
        for (size_t i = 0; i < n; i++) {
            uint64_t raw = 0;
            for (size_t k = 0; k < w; k++)
                raw |= (uint64_t)b->p[k * n + i] << (8 * k);
            if (put_value(s, row_of(rows, i), (int64_t)raw) != 0)
                return -1;
        }
        b->p += w * n;
        return 0;
    }
    if ((enc == E_DELTA_LENGTH || enc == E_DELTA_BYTES) && s->c->is_text)
        return delta_texts(s, b, n, enc == E_DELTA_BYTES, rows);
    return -2;                                  /* not supported */
}

/* --- Pages --------------------------------------------------------- */


static const char *const codec_names[] = {
    "UNCOMPRESSED", "SNAPPY", "GZIP", "LZO", "BROTLI", "LZ4", "ZSTD",
    "LZ4_RAW",
};

/* The page header at t: what the page is and how big. */
struct page_head {
    int     type;
    int64_t usize, csize;
    int64_t values;             /* data or dictionary values */
    int     enc, def_enc;
    int64_t def_len, rep_len;   /* v2 */
    int     compressed;         /* v2: the values are compressed */
};

static void
sub_header(struct tc *t, struct page_head *h, int v2)
{
    int id = 0, type;

    if (++t->depth > MAX_DEPTH)
        t->bad = 1;
    while (!t->bad && (type = field(t, &id)) != 0) {
        if (id == 1 && type == 5)
            h->values = zigzag(t);
        else if (id == 2 && type == 5 && !v2)
            h->enc = (int)zigzag(t);
        else if (id == 3 && type == 5 && !v2)
            h->def_enc = (int)zigzag(t);
        else if (id == 4 && type == 5 && v2)
            h->enc = (int)zigzag(t);
        else if (id == 5 && type == 5 && v2)
            h->def_len = zigzag(t);
        else if (id == 6 && type == 5 && v2)
            h->rep_len = zigzag(t);
        else if (id == 7 && v2 && (type == 1 || type == 2))
            h->compressed = type == 1;
        else
            skip(t, type);
    }
    t->depth--;
}

static int
page_header(struct tc *t, struct page_head *h)
{
    int id = 0, type;

    memset(h, 0, sizeof *h);
    h->type = -1;
    h->compressed = 1;
    h->def_enc = E_RLE;
    while (!t->bad && (type = field(t, &id)) != 0) {
        if (id == 1 && type == 5)
            h->type = (int)zigzag(t);
        else if (id == 2 && type == 5)
            h->usize = zigzag(t);
        else if (id == 3 && type == 5)
            h->csize = zigzag(t);
        else if ((id == 5 || id == 7) && type == 12)
            sub_header(t, h, 0);
        else if (id == 8 && type == 12)
            sub_header(t, h, 1);
        else
            skip(t, type);
    }
    if (t->bad || h->usize < 0 || h->csize < 0 || h->usize > PQ_MAX_PAGE ||
        h->values < 0 || h->def_len < 0 || h->rep_len < 0)
        return -1;
    return 0;
}

/* Inflate a GZIP page: a gzip member, or zlib data as some writers give
 * (ISA-L's igzip, as for gzip'd logs). 0 or -1. */
static int
gunzip_page(struct pq_rowgroup *w, const uint8_t *src, size_t n,
            uint8_t *dst, size_t want)
{
    struct inflate_state *z;

    if (!w->zs)
        w->zs = xmalloc(sizeof *w->zs);
    z = w->zs;
    isal_inflate_init(z);
    z->crc_flag = n >= 2 && src[0] == 0x1f && src[1] == 0x8b ? ISAL_GZIP
                                                              : ISAL_ZLIB;
    z->next_in = (uint8_t *)(uintptr_t)src;
    z->avail_in = (uint32_t)n;
    z->next_out = dst;
    z->avail_out = (uint32_t)want;
    if (n > UINT32_MAX || want > UINT32_MAX ||
        isal_inflate(z) != ISAL_DECOMP_OK ||
        z->block_state != ISAL_BLOCK_FINISH || z->avail_out != 0)
        return -1;
    return 0;
}

/* Inflate n compressed bytes at src into want bytes at dst; 0 or -1. */
static int
inflate_to(struct pq_rowgroup *w, int codec, const uint8_t *src, size_t n,
           uint8_t *dst, size_t want)
{
    size_t got = 0;

    if (codec == C_SNAPPY) {
        size_t len = 0;
        if (snappy_uncompressed_length((const char *)src, n, &len) !=
            SNAPPY_OK || len != want)
            return -1;
        got = want;
        if (snappy_uncompress((const char *)src, n, (char *)dst, &got)
            != SNAPPY_OK)
            return -1;
    } else if (codec == C_ZSTD) {
        got = ZSTD_decompress(dst, want, src, n);
        if (ZSTD_isError(got))
            return -1;
    } else if (codec == C_GZIP) {
        return gunzip_page(w, src, n, dst, want);
    } else {
        return -1;
    }
    return got == want ? 0 : -1;
}

/* Inflate n compressed bytes at src into w->page (want bytes). */
static const uint8_t *
inflate_page(struct pq_rowgroup *w, int codec, const uint8_t *src, size_t n,
             size_t want)
{
    if (codec == C_NONE)
        return n == want ? src : NULL;
    if (w->page_cap < want + 1) {
        w->page_cap = roomy(want + 1);
        w->page = xrealloc(w->page, w->page_cap);
    }
    return inflate_to(w, codec, src, n, w->page, want) == 0 ? w->page
                                                            : NULL;
}

/*
 * Inflate a compressed page of plain text values straight into the
 * column's text, where its values then stay without a copy (levels and
 * lengths stay too; the page's size counts against the budget). Other
 * pages go to w->page. Sets s->in_text when the page is in the text.
 */
static const uint8_t *
inflate_values(struct pq_rowgroup *w, struct sink *s, int codec, int enc,
               const uint8_t *src, size_t n, size_t want)
{
    struct pq_column *c = s->c;
    uint8_t *dst;

    s->in_text = 0;
    if (codec == C_NONE || enc != E_PLAIN || !c->is_text ||
        s->col->type != T_BYTE_ARRAY || number_as_text(s->col))
        return inflate_page(w, codec, src, n, want);
    if (text_room(c, s->budget, want) != 0)
        return NULL;
    dst = (uint8_t *)c->text + c->text_len;
    if (inflate_to(w, codec, src, n, dst, want) != 0)
        return NULL;
    c->text_len += want;
    s->in_text = 1;
    return dst;
}

/* A data page's values: levels first, then the defined values. */
/* 1 when the levels at lb say every one of values is defined: one RLE
 * run of 1s, as writers give a page without NULLs. */
static int
all_defined(struct buf_in lb, size_t values)
{
    uint64_t h = in_varint(&lb);

    return !lb.bad && !(h & 1) && (h >> 1) >= values && lb.p < lb.end &&
           *lb.p == 1;
}

static int
data_page(struct sink *s, const struct page_head *h, const uint8_t *lv,
          size_t lv_len, const uint8_t *p, size_t n)
{
    struct buf_in b = { p, p + n, 0 };
    size_t k = 0, values = (size_t)h->values;
    struct rows rows = { NULL, s->row };

    if ((uint64_t)h->values > s->rows - s->row)
        return -1;
    if (s->col->optional) {
        struct buf_in lb = { lv, lv ? lv + lv_len : NULL, 0 };
        if (!lv) {                              /* v1: a length first */
            if (h->def_enc != E_RLE || b.end - b.p < 4)
                return -1;
            size_t len = (size_t)b.p[0] | (size_t)b.p[1] << 8 |
                         (size_t)b.p[2] << 16 | (size_t)b.p[3] << 24;
            b.p += 4;
            if (len > (size_t)(b.end - b.p))
                return -1;
            lb.p = b.p;
            lb.end = b.p + len;
            b.p += len;
        }
        if (!all_defined(lb, values)) {
            struct scratch *t = s->tmp;
            if (t->lev_cap < values) {
                t->lev_cap = roomy(values);
                t->lev = xrealloc(t->lev, t->lev_cap * sizeof *t->lev);
                t->at = xrealloc(t->at, t->lev_cap * sizeof *t->at);
            }
            if (hybrid(&lb, bit_width(1), t->lev, values) != 0)
                return -1;
            for (size_t i = 0; i < values; i++) {
                if (t->lev[i] == 1) {
                    t->at[k++] = s->row + i;
                    continue;
                }
                s->c->null[s->row + i] = PQ_NULL;
                if (s->c->is_text)
                    s->c->len[s->row + i] = 0;
            }
            rows.at = t->at;
            values = k;
        }
    }
    s->row += (uint64_t)h->values;
    return page_values(s, &b, h->enc, values, rows);
}

/* Why a data page could not be read. */
static void
page_error(const struct pq_rowgroup *w, int rc, int enc, const char *v2,
           char *why, size_t whylen)
{
    if (rc == -2)
        snprintf(why, whylen, "encoding %d is not read", enc);
    else if (w->budget == 0)
        snprintf(why, whylen, "its values pass the memory limit of a row "
                 "group (1 GiB)");
    else
        snprintf(why, whylen, "damaged data page%s", v2);
}

/* Read the pages of one column chunk into s. */
static int
read_chunk(const struct pq_file *f, struct pq_rowgroup *w,
           const struct chunk *ch, struct sink *s, char *why, size_t whylen)
{
    size_t pos = 0, size = (size_t)ch->size;

    if (ch->start == -2) {
        snprintf(why, whylen, "its data is in another file");
        return -1;
    }
    if (ch->codec < 0 || ch->codec > C_LZ4_RAW ||
        (ch->codec != C_NONE && ch->codec != C_SNAPPY &&
         ch->codec != C_GZIP && ch->codec != C_ZSTD)) {
        snprintf(why, whylen, "codec %s is not built in",
                 ch->codec >= 0 && ch->codec <= C_LZ4_RAW
                 ? codec_names[ch->codec] : "unknown");
        return -1;
    }
    if (ch->start < 4 || ch->size <= 0 || ch->size > PQ_MAX_CHUNK ||
        (uint64_t)ch->start + (uint64_t)ch->size > f->size - 8) {
        snprintf(why, whylen, "chunk offset or size beyond the file");
        return -1;
    }
    if (w->raw_cap < size) {
        w->raw_cap = roomy(size);
        w->raw = xrealloc(w->raw, w->raw_cap);
    }
    if (read_at(f, (uint64_t)ch->start, size, w->raw) != 0) {
        snprintf(why, whylen, "cannot read the chunk: %s", strerror(errno));
        return -1;
    }
    while (s->row < s->rows && pos < size) {
        struct tc t = { w->raw + pos, w->raw + size, 0, 0 };
        struct page_head h;
        const uint8_t *body, *data;
        if (page_header(&t, &h) != 0 ||
            (size_t)h.csize > size - (size_t)(t.p - w->raw)) {
            snprintf(why, whylen, "damaged page header");
            return -1;
        }
        body = t.p;
        pos = (size_t)(t.p - w->raw) + (size_t)h.csize;
        if (h.type == P_DICT) {
            data = inflate_page(w, ch->codec, body, (size_t)h.csize,
                                (size_t)h.usize);
            if (!data || dictionary(s, data, (size_t)h.usize,
                                    (size_t)h.values) != 0) {
                snprintf(why, whylen, "damaged dictionary page");
                return -1;
            }
        } else if (h.type == P_DATA) {
            data = inflate_values(w, s, ch->codec, h.enc, body,
                                  (size_t)h.csize, (size_t)h.usize);
            int rc = data ? data_page(s, &h, NULL, 0, data,
                                      (size_t)h.usize) : -1;
            if (rc != 0) {
                page_error(w, rc, h.enc, "", why, whylen);
                return -1;
            }
        } else if (h.type == P_DATA_V2) {
            size_t lv = (size_t)(h.def_len + h.rep_len);
            if (h.rep_len != 0 || lv > (size_t)h.csize ||
                lv > (size_t)h.usize) {
                snprintf(why, whylen, "damaged data page (v2)");
                return -1;
            }
            s->in_text = 0;
            data = h.compressed
                   ? inflate_values(w, s, ch->codec, h.enc, body + lv,
                                    (size_t)h.csize - lv,
                                    (size_t)h.usize - lv)
                   : ((size_t)h.csize == (size_t)h.usize ? body + lv
                                                          : NULL);
            int rc = data ? data_page(s, &h, body, (size_t)h.def_len, data,
                                      (size_t)h.usize - lv) : -1;
            if (rc != 0) {
                page_error(w, rc, h.enc, " (v2)", why, whylen);
                return -1;
            }
        }                                       /* index pages: skipped */
    }
    if (s->row != s->rows) {
        snprintf(why, whylen, "its pages hold %llu values, the row group "
                 "%llu rows", (unsigned long long)s->row,
                 (unsigned long long)s->rows);
        return -1;
    }
    return 0;
}

/* Empty column c for rows rows. */
static void
reset_column(struct pq_column *c, const struct col *col, uint64_t rows)
{
    size_t n = rows ? (size_t)rows : 1;

    c->dict = NULL;
    c->text_len = 0;
    c->is_text = col->type == T_BYTE_ARRAY || col->type == T_FIXED ||
                 number_as_text(col);
    if (n > c->cap || c->is_text != (c->off != NULL)) {
        free(c->null);          /* kept from row group to row group */
        free(c->num);
        free(c->off);
        free(c->len);
        c->cap = roomy(n);
        c->null = xmalloc(c->cap);
        c->num = c->is_text ? NULL : xmalloc(c->cap * sizeof *c->num);
        c->off = c->is_text ? xmalloc(c->cap * sizeof *c->off) : NULL;
        c->len = c->is_text ? xmalloc(c->cap * sizeof *c->len) : NULL;
    }
    memset(c->null, PQ_VALUE, n);
}
enum dh_status
pq_group_begin(const struct pq_file *f, size_t g, const int *want,
               struct pq_rowgroup *w, struct pq_column **cols, char *err,
               size_t errlen)
{
    const struct group *gr = &f->groups[g];
    uint64_t wanted = 0, arrays;

    w->group = g;
    w->want = want;
    w->next = f->n_cols;                /* nothing to read on failure */
    for (size_t i = 0; i < f->n_cols; i++)
        wanted += want[i] != 0;
    /* a NULL flag and 8 bytes of value (or text offset and length) */
    arrays = gr->rows * 9 * wanted;
    if (gr->rows > MAX_GROUP_ROWS || arrays > MAX_GROUP_BYTES / 2) {
        snprintf(err, errlen, "row group %zu: %llu rows of %llu columns, "
                 "over the memory limit", g + 1,
                 (unsigned long long)gr->rows, (unsigned long long)wanted);
        return DH_BAD_VALUE;
    }
    w->budget = MAX_GROUP_BYTES - arrays;
    for (size_t i = 0; i < f->n_cols; i++) {
        cols[i] = NULL;
        if (!want[i])
            continue;
        reset_column(&w->out[i], &f->cols[i], gr->rows);
        cols[i] = &w->out[i];
        if (!f->cols[i].flat) {
            memset(w->out[i].null, PQ_NULL, gr->rows);
            if (w->out[i].is_text)
                memset(w->out[i].len, 0, gr->rows * sizeof *w->out[i].len);
        }
    }
    w->next = 0;
    return DH_OK;
}

enum dh_status
pq_group_step(const struct pq_file *f, struct pq_rowgroup *w, int *done,
              char *err, size_t errlen)
{
    const struct group *gr = &f->groups[w->group];
    char why[160];

    while (w->next < f->n_cols &&
           (!w->want[w->next] || !f->cols[w->next].flat))
        w->next++;
    *done = w->next >= f->n_cols;
    if (*done)
        return DH_OK;
    size_t i = w->next++;
    struct sink s = { .c = &w->out[i], .col = &f->cols[i],
                      .rows = gr->rows, .budget = &w->budget,
                      .tmp = &w->tmp, .d = &w->dicts[i] };
    int rc = gr->rows ? read_chunk(f, w, &gr->chunks[i], &s, why,
                                   sizeof why) : 0;
    w->out[i].dict = s.has_dict ? s.d->text : NULL; /* rows point in */
    if (rc != 0) {
        w->next = f->n_cols;            /* the group is done for */
        *done = 1;
        snprintf(err, errlen, "row group %zu, column %s: %s", w->group + 1,
                 f->cols[i].name, why);
        return DH_BAD_VALUE;
    }
    return DH_OK;
}

uint64_t
pq_read_from(const struct pq_file *f, const struct pq_rowgroup *w)
{
    uint64_t low = f->size;

    if (!w->want)
        return 0;                       /* nothing begun: nothing read */
    for (size_t g = w->group; g < f->n_groups; g++) {
        for (size_t i = g == w->group ? w->next : 0; i < f->n_cols; i++) {
            const struct chunk *ch = &f->groups[g].chunks[i];
            if (w->want[i] && f->cols[i].flat && ch->start >= 0 &&
                (uint64_t)ch->start < low)
                low = (uint64_t)ch->start;
        }
    }
    return low;
}

enum dh_status
pq_read_group(const struct pq_file *f, size_t g, const int *want,
              struct pq_rowgroup *w, struct pq_column **cols, char *err,
              size_t errlen)
{
    enum dh_status rc = pq_group_begin(f, g, want, w, cols, err, errlen);
    int done = 0;

    while (rc == DH_OK && !done)
        rc = pq_group_step(f, w, &done, err, errlen);
    return rc;
}
