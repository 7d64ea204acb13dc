/* SPDX-License-Identifier: MIT
 *
 * The line reader (core/reader.c) on real files: plain, gzip written by
 * zlib's own gzip writer, several members, truncated and corrupt
 * streams, BOM and CRLF, long lines.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>

#include "core/reader.h"

static char dir[] = "/tmp/dnshunt-reader.XXXXXX";
static char path[256];

static int
setup(void **state)
{
    (void)state;
    return mkdtemp(dir) ? 0 : -1;
}

static int
teardown(void **state)
{
    char cmd[300];

    (void)state;
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    return system(cmd);
}

static const char *
write_plain(const char *name, const void *data, size_t n)
{
    FILE *f;

    snprintf(path, sizeof path, "%s/%s", dir, name);
    f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(data, 1, n, f), n);
    fclose(f);
    return path;
}

/* Append one gzip member holding text to the file at path. */
static void
add_member(const char *p, const char *text)
{
    gzFile g = gzopen(p, "ab");

    assert_non_null(g);
    assert_int_equal(gzputs(g, text), (int)strlen(text));
    gzclose(g);
}

/* Read every line; returns the count and the lines joined by '|'. */
static int
read_all(const char *p, char *joined, size_t cap, enum dh_status *st)
{
    struct reader *r;
    struct line ln;
    char err[128];
    int n = 0;

    joined[0] = '\0';
    assert_int_equal(reader_open(&r, p, 64, err, sizeof err), DH_OK);
    while (reader_next(r, &ln)) {
        size_t o = strlen(joined);
        snprintf(joined + o, cap - o, "%s%.*s%s", n ? "|" : "",
                 (int)ln.len, ln.text, ln.too_long ? "(long)" : "");
        assert_int_equal(ln.no, (uint64_t)n + 1);
        n++;
    }
    *st = reader_status(r);
    reader_close(r);
    return n;
}

static void
plain_bom_crlf(void **state)
{
    static const char text[] = "\xef\xbb\xbf" "one\r\ntwo\r\n\r\nthree";
    char got[512];
    enum dh_status st;

    (void)state;
    write_plain("bom.log", text, sizeof text - 1);
    assert_int_equal(read_all(path, got, sizeof got, &st), 4);
    assert_string_equal(got, "one|two||three");
    assert_int_equal(st, DH_OK);
}

static void
gzip_members(void **state)
{
    char got[512];
    enum dh_status st;

    (void)state;
    snprintf(path, sizeof path, "%s/multi.log.gz", dir);
    add_member(path, "first\n");
    add_member(path, "second\nthird\n");
    add_member(path, "");
    assert_int_equal(read_all(path, got, sizeof got, &st), 3);
    assert_string_equal(got, "first|second|third");
    assert_int_equal(st, DH_OK);
}

static void
gzip_truncated_and_corrupt(void **state)
{
    char got[512], buf[4096], p2[300];
    enum dh_status st;
    size_t n;
    FILE *f;

    (void)state;
    snprintf(path, sizeof path, "%s/whole.log.gz", dir);
    add_member(path, "alpha\nbeta\ngamma\n");
    f = fopen(path, "rb");
    n = fread(buf, 1, sizeof buf, f);
    fclose(f);
    snprintf(p2, sizeof p2, "%s", path);
    /* Cut off the 8-byte trailer: the text is all there, the end is not. */
    write_plain("cut.log.gz", buf, n - 8);
    assert_int_equal(read_all(path, got, sizeof got, &st), 3);
    assert_int_equal(st, DH_GZIP_TRUNCATED);
    /* Cut into the data: only whole lines come out, never a fragment. */
    for (size_t cut = 11; cut < n - 8; cut++) {
        write_plain("cut2.log.gz", buf, cut);
        int lines = read_all(path, got, sizeof got, &st);
        assert_true(lines <= 3);
        assert_int_equal(st, DH_GZIP_TRUNCATED);
        assert_true(strcmp(got, "") == 0 || strcmp(got, "alpha") == 0 ||
                    strcmp(got, "alpha|beta") == 0 ||
                    strcmp(got, "alpha|beta|gamma") == 0);
    }
    /* Trailing garbage after a complete member. */
    memcpy(buf + n, "garbage", 7);
    write_plain("garbage.log.gz", buf, n + 7);
    assert_int_equal(read_all(path, got, sizeof got, &st), 3);
    assert_int_equal(st, DH_GZIP_CORRUPT);
    /* Zero padding after the member is fine. */
    memset(buf + n, 0, 16);
    write_plain("padded.log.gz", buf, n + 16);
    assert_int_equal(read_all(path, got, sizeof got, &st), 3);
    assert_int_equal(st, DH_OK);
    /* A flipped byte inside the deflate data. */
    f = fopen(p2, "rb");
    n = fread(buf, 1, sizeof buf, f);
    fclose(f);
    buf[12] ^= 0x55;
    write_plain("corrupt.log.gz", buf, n);
    read_all(path, got, sizeof got, &st);
    assert_int_not_equal(st, DH_OK);
}

static void
empty_inputs(void **state)
{
    char got[64];
    enum dh_status st;

    (void)state;
    write_plain("zero.log.gz", "", 0);
    assert_int_equal(read_all(path, got, sizeof got, &st), 0);
    assert_int_equal(st, DH_OK);
    snprintf(path, sizeof path, "%s/emptymember.gz", dir);
    add_member(path, "");
    assert_int_equal(read_all(path, got, sizeof got, &st), 0);
    assert_int_equal(st, DH_OK);
}

static void
long_lines(void **state)
{
    char text[400], got[1024];
    enum dh_status st;

    (void)state;
    /* Limit 64 (see read_all): a 200-byte line is cut, its tail skipped. */
    strcpy(text, "short\n");
    memset(text + 6, 'x', 200);
    strcpy(text + 206, "\nafter\n");
    write_plain("long.log", text, strlen(text));
    assert_int_equal(read_all(path, got, sizeof got, &st), 3);
    assert_string_equal(got, "short|xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
                        "xxxxxxxxxxxxxxxxxxxxxxxx(long)|after");
    assert_int_equal(st, DH_OK);
}

static void
hash_of_raw_bytes(void **state)
{
    struct reader *r;
    struct line ln;
    char a[65], b[65], err[64];
    uint64_t size;

    (void)state;
    write_plain("hash.log", "abc", 3);
    assert_int_equal(file_sha256(path, a, &size, err, sizeof err), DH_OK);
    assert_int_equal(size, 3);
    assert_string_equal(a, "ba7816bf8f01cfea414140de5dae2223"
                        "b00361a396177a9cb410ff61f20015ad");
    assert_int_equal(reader_open(&r, path, 0, err, sizeof err), DH_OK);
    while (reader_next(r, &ln))
        ;
    reader_sha256(r, b);
    assert_string_equal(a, b);
    assert_int_equal(reader_raw_bytes(r), 3);
    reader_close(r);
}

/* Raw bytes read and hashed in steps (reader_drain_to), as a Parquet
 * file's are beside its rows: never past the bound asked for (those
 * bytes may not have been used yet), and the same hash at the end. */
static void
drain_in_steps(void **state)
{
    struct reader *r;
    char a[65], b[65], err[64];
    uint64_t size;
    char *data = malloc(1u << 20);

    (void)state;
    assert_non_null(data);
    for (size_t i = 0; i < 1u << 20; i++)
        data[i] = (char)('a' + i % 26);
    write_plain("steps.bin", data, 1u << 20);
    free(data);
    assert_int_equal(file_sha256(path, a, &size, err, sizeof err), DH_OK);
    assert_int_equal(reader_open(&r, path, 0, err, sizeof err), DH_OK);
    assert_int_equal(reader_raw_bytes(r), 262144);      /* the sniff */
    reader_drain_to(r, 1);
    assert_int_equal(reader_raw_bytes(r), 262144);      /* had it */
    reader_drain_to(r, 300000);
    assert_int_equal(reader_raw_bytes(r), 300000);
    reader_drain_to(r, 300001);
    assert_int_equal(reader_raw_bytes(r), 300001);
    reader_drain_to(r, 900000);             /* over a whole chunk */
    assert_int_equal(reader_raw_bytes(r), 900000);
    reader_drain_to(r, UINT64_MAX);
    assert_int_equal(reader_raw_bytes(r), 1048576);
    reader_sha256(r, b);
    assert_string_equal(a, b);
    reader_close(r);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(plain_bom_crlf),
        cmocka_unit_test(gzip_members),
        cmocka_unit_test(gzip_truncated_and_corrupt),
        cmocka_unit_test(empty_inputs),
        cmocka_unit_test(long_lines),
        cmocka_unit_test(hash_of_raw_bytes),
        cmocka_unit_test(drain_in_steps),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
