/* SPDX-License-Identifier: MIT
 *
 * IP-to-ASN tables: ranges and CIDRs, nesting (the most specific wins,
 * however many smaller ranges sit before an address), lines that are
 * not ranges, and files that are not tables.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/asn.h"

static char dir[] = "/tmp/dnshunt-asn.XXXXXX";

static const char *
table(const char *name, const char *text)
{
    static char path[256];
    FILE *f;

    snprintf(path, sizeof path, "%s/%s", dir, name);
    f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
    return path;
}

static uint32_t
ip(unsigned a, unsigned b, unsigned c, unsigned d)
{
    return a << 24 | b << 16 | c << 8 | d;
}

static void
ranges_and_nesting(void **state)
{
    char err[512];
    size_t bad = 0;
    struct asn_db *a;
    char *text = malloc(4096);

    (void)state;
    strcpy(text, "# iptoasn and CIDR lines\n"
           "13.0.0.0/8\t16509\tWIDE\n");
    for (int i = 0; i < 16; i++)        /* more than a few inside it */
        sprintf(text + strlen(text), "13.1.%d.0/24\t64500\tS\n", i);
    strcat(text, "13.200.0.0\t13.200.0.255\t64501\tUS\tRANGE\n"
           "20.0.0.0/16\t64502\tA\n"
           "20.0.0.0/8\t64503\tB\n"          /* same start, wider */
           "1.0.0.0\t1.0.0.255\t0\tNone\tNot routed\n"
           "2001:db8::/32\t64504\tV6\n"
           "192.0.2.0/\t64505\ttypo\n"        /* no length */
           "192.0.2.0/+8\t64505\ttypo\n"
           "30.0.0.0\t29.0.0.0\t64506\tX\n"   /* backwards */
           "garbage\n");
    a = asn_open(table("t.tsv", text), &bad, err, sizeof err);
    assert_non_null(a);
    assert_string_equal(asn_kind(a), "table");
    assert_int_equal(bad, 4);
    assert_int_equal(asn_lookup(a, ip(13, 9, 9, 9)), 16509);
    assert_int_equal(asn_lookup(a, ip(13, 1, 15, 7)), 64500);
    assert_int_equal(asn_lookup(a, ip(13, 1, 16, 7)), 16509);
    assert_int_equal(asn_lookup(a, ip(13, 255, 255, 255)), 16509);
    assert_int_equal(asn_lookup(a, ip(13, 200, 0, 255)), 64501);
    assert_int_equal(asn_lookup(a, ip(20, 0, 1, 1)), 64502);
    assert_int_equal(asn_lookup(a, ip(20, 9, 1, 1)), 64503);
    assert_int_equal(asn_lookup(a, ip(1, 0, 0, 1)), 0);
    assert_int_equal(asn_lookup(a, ip(192, 0, 2, 1)), 0);
    assert_int_equal(asn_lookup(a, ip(12, 255, 255, 255)), 0);
    assert_int_equal(asn_lookup(a, ip(14, 0, 0, 0)), 0);
    asn_close(a);
    free(text);
}

static void
long_lines_are_whole_lines(void **state)
{
    char err[512];
    size_t bad = 0;
    char *text = malloc(5000);
    struct asn_db *a;

    (void)state;
    text[0] = '#';
    memset(text + 1, 'x', 3000);
    strcpy(text + 3001, "0.0.0.0/0\t16509\tE\n10.0.0.0/8\t64500\tA\n");
    a = asn_open(table("long.tsv", text), &bad, err, sizeof err);
    assert_non_null(a);
    assert_int_equal(bad, 0);
    assert_int_equal(asn_lookup(a, ip(11, 0, 0, 1)), 0);
    assert_int_equal(asn_lookup(a, ip(10, 0, 0, 1)), 64500);
    asn_close(a);
    free(text);
}

static void
not_tables(void **state)
{
    char err[512], fifo[300];

    (void)state;
    assert_null(asn_open(table("junk.txt", "hello\n"), NULL, err,
                         sizeof err));
    assert_non_null(strstr(err, "no line of it is an IPv4 range"));
    assert_null(asn_open(dir, NULL, err, sizeof err));
    assert_non_null(strstr(err, "not a regular file"));
    snprintf(fifo, sizeof fifo, "%s/fifo", dir);
    assert_int_equal(mkfifo(fifo, 0600), 0);
    assert_null(asn_open(fifo, NULL, err, sizeof err));  /* no hang */
    assert_non_null(strstr(err, "not a regular file"));
    unlink(fifo);
    assert_null(asn_open("/nonexistent/asn.tsv", NULL, err, sizeof err));
    assert_non_null(strstr(err, "No such file"));
}

static void
asn_values(void **state)
{
    uint32_t v;

    (void)state;
    assert_int_equal(asn_parse("AS16509", &v), 0);
    assert_int_equal(v, 16509);
    assert_int_equal(asn_parse("as4294967295", &v), 0);
    assert_int_equal(v, 4294967295u);
    assert_int_equal(asn_parse("4294967296", &v), -1);
    assert_int_equal(asn_parse("AS0", &v), -1);
    assert_int_equal(asn_parse("AS-1", &v), -1);
    assert_int_equal(asn_parse("ASX", &v), -1);
    assert_int_equal(asn_parse("", &v), -1);
}

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
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    return system(cmd) == 0 ? 0 : -1;
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(ranges_and_nesting),
        cmocka_unit_test(long_lines_are_whole_lines),
        cmocka_unit_test(not_tables),
        cmocka_unit_test(asn_values),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
