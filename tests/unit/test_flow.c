/* SPDX-License-Identifier: MIT
 *
 * The flow log line parser (core/import_flow.c): mapping by header,
 * the default format, health records, bad values.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "core/import_flow.h"

static enum dh_status
parse(struct flow_parser *p, const char *line, struct flow_rec *rec,
      enum flow_kind *kind, char *err)
{
    return flow_parse(p, line, strlen(line), rec, kind, err, 200);
}

static void
expect_text(const struct flow_rec *rec, int f, const char *want)
{
    if (!want) {
        assert_null(rec->val[f].text);
        return;
    }
    assert_non_null(rec->val[f].text);
    assert_int_equal(rec->val[f].len, strlen(want));
    assert_memory_equal(rec->val[f].text, want, strlen(want));
}

static void
default_format_without_header(void **state)
{
    struct flow_parser p = { 0 };
    struct flow_rec rec;
    enum flow_kind kind;
    char err[200];

    (void)state;
    assert_int_equal(parse(&p, "2 123456789010 eni-1235b8ca123456789 "
                           "172.31.16.139 172.31.16.21 20641 22 6 20 4249 "
                           "1418530010 1418530070 ACCEPT OK", &rec, &kind,
                           err), DH_OK);
    assert_int_equal(kind, FLOW_RECORD);
    expect_text(&rec, FF_SRCADDR, "172.31.16.139");
    assert_int_equal(rec.num[FF_DSTPORT], 22);
    assert_int_equal(rec.num[FF_BYTES], 4249);
    assert_int_equal(rec.num[FF_START], 1418530010);
    expect_text(&rec, FF_ACTION, "ACCEPT");
    expect_text(&rec, FF_VPC_ID, NULL);
    /* 29 fields and no header: refused, with a hint. */
    assert_int_equal(parse(&p, "5 1 eni-1 10.0.0.1 10.0.0.2 1 2 6 1 1 1 1 "
                           "ACCEPT OK a b c 3 IPv4 - - r z - - - - egress 8",
                           &rec, &kind, err), DH_NO_HEADER);
    assert_non_null(strstr(err, "29 fields"));
}

static void
header_maps_columns(void **state)
{
    struct flow_parser p = { 0 };
    struct flow_rec rec;
    enum flow_kind kind;
    char err[200];

    (void)state;
    assert_int_equal(parse(&p, "version srcaddr dstaddr srcport dstport "
                           "protocol start end type packets bytes "
                           "flow-direction traffic-path", &rec, &kind, err),
                     DH_OK);
    assert_int_equal(kind, FLOW_HEADER);
    assert_int_equal(parse(&p, "5 10.0.0.71 52.95.128.179 34210 80 6 "
                           "1616729292 1616729349 IPv4 7 471 egress 8",
                           &rec, &kind, err), DH_OK);
    assert_int_equal(kind, FLOW_RECORD);
    expect_text(&rec, FF_DSTADDR, "52.95.128.179");
    assert_int_equal(rec.num[FF_PACKETS], 7);
    assert_int_equal(rec.num[FF_BYTES], 471);
    assert_int_equal(rec.num[FF_TRAFFIC_PATH], 8);
    expect_text(&rec, FF_FLOW_DIRECTION, "egress");
    expect_text(&rec, FF_ACCOUNT_ID, NULL);
    /* Wrong field count for this header. */
    assert_int_equal(parse(&p, "5 10.0.0.71 52.95.128.179", &rec, &kind,
                           err), DH_FIELD_COUNT);
    /* A new header mid-stream changes the map; '_' spellings too. */
    assert_int_equal(parse(&p, "log_status interface_id", &rec, &kind, err),
                     DH_OK);
    assert_int_equal(parse(&p, "NODATA eni-9", &rec, &kind, err), DH_OK);
    assert_int_equal(kind, FLOW_HEALTH);
    expect_text(&rec, FF_INTERFACE_ID, "eni-9");
}

static void
unknown_header_names_are_skipped(void **state)
{
    struct flow_parser p = { 0 };
    struct flow_rec rec;
    enum flow_kind kind;
    char err[200];

    (void)state;
    assert_int_equal(parse(&p, "srcaddr future-field dstport", &rec, &kind,
                           err), DH_OK);
    assert_int_equal(p.unknown_names, 1);
    assert_int_equal(parse(&p, "10.1.1.1 whatever 53", &rec, &kind, err),
                     DH_OK);
    assert_int_equal(rec.num[FF_DSTPORT], 53);
    assert_int_equal(parse(&p, "srcaddr srcaddr", &rec, &kind, err),
                     DH_BAD_HEADER);
    /* After a bad header no layout is guessed, not even the default. */
    assert_int_equal(parse(&p, "2 1 eni-1 10.0.0.5 10.0.0.6 1 2 6 3 4 5 6 "
                           "ACCEPT OK", &rec, &kind, err), DH_NO_HEADER);
    assert_string_equal(err, "the header line before this one was "
                        "rejected");
}

static void
values_checked(void **state)
{
    struct flow_parser p = { 0 };
    struct flow_rec rec;
    enum flow_kind kind;
    char err[200];

    (void)state;
    parse(&p, "srcaddr dstport bytes log-status", &rec, &kind, err);
    assert_int_equal(parse(&p, "10.1.1.1 65536 1 OK", &rec, &kind, err),
                     DH_BAD_NUMBER);
    assert_non_null(strstr(err, "dstport"));
    assert_int_equal(parse(&p, "10.1.1.300 53 1 OK", &rec, &kind, err),
                     DH_BAD_ADDRESS);
    /* IPv4 read as inet_pton reads it. */
    static const char *const bad[] = { "01.2.3.4", "1.2.3", "1.2.3.4.",
                                       ".1.2.3", "1.2.3.4.5", "1..2.3",
                                       "256.1.1.1", "1.2.3.x", "1.2.3.-" };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        char line[64];
        snprintf(line, sizeof line, "%s 53 1 OK", bad[i]);
        assert_int_equal(parse(&p, line, &rec, &kind, err), DH_BAD_ADDRESS);
    }
    assert_int_equal(parse(&p, "0.0.0.0 53 1 OK", &rec, &kind, err), DH_OK);
    assert_int_equal(parse(&p, "255.255.255.255 53 1 OK", &rec, &kind, err),
                     DH_OK);
    assert_int_equal(parse(&p, "::ffff:192.0.2.42 53 1 OK", &rec, &kind,
                           err), DH_OK);
    /* IPv6 in the canonical form, as Route 53 addresses are stored. */
    assert_int_equal(parse(&p, "2001:DB8:0:0::0001 53 1 OK", &rec, &kind,
                           err), DH_OK);
    expect_text(&rec, FF_SRCADDR, "2001:db8::1");
    assert_int_equal(parse(&p, "10.1.1.1 53 9223372036854775807 OK", &rec,
                           &kind, err), DH_OK);
    assert_int_equal(rec.num[FF_BYTES], INT64_MAX);
    assert_int_equal(parse(&p, "10.1.1.1 53 9223372036854775808 OK", &rec,
                           &kind, err), DH_BAD_NUMBER);
    /* Times past the year 9999 are not times. */
    struct flow_parser q = { 0 };
    parse(&q, "start end", &rec, &kind, err);
    assert_int_equal(parse(&q, "253402300799 1", &rec, &kind, err), DH_OK);
    assert_int_equal(parse(&q, "253402300800 1", &rec, &kind, err),
                     DH_BAD_NUMBER);
    assert_int_equal(parse(&p, "2001:db8::1 53 - SKIPDATA", &rec, &kind,
                           err), DH_OK);
    assert_int_equal(kind, FLOW_HEALTH);
    expect_text(&rec, FF_BYTES, NULL);
    assert_int_equal(parse(&p, "10.1.1.1 53 1 MAYBE", &rec, &kind, err),
                     DH_BAD_VALUE);
    assert_int_equal(flow_parse(&p, "10.1.1.1 5\0003 1 OK", 16, &rec, &kind,
                                err, 200), DH_BAD_VALUE);
}

static void
cloudwatch_prefix_and_given_format(void **state)
{
    struct flow_parser p = { 0 };
    struct flow_rec rec;
    enum flow_kind kind;
    char err[200];

    (void)state;
    assert_int_equal(parse(&p, "2024-05-01T12:00:59.000Z 2 111122223333 "
                           "eni-1 10.0.1.23 198.51.100.7 51514 443 6 12 "
                           "4312 1714564800 1714564859 ACCEPT OK", &rec,
                           &kind, err), DH_OK);
    assert_int_equal(rec.num[FF_SRCPORT], 51514);
    assert_int_equal(flow_set_format(&p, "srcaddr dstaddr bytes", err, 200),
                     DH_OK);
    assert_int_equal(parse(&p, "10.0.0.1 10.0.0.2 99", &rec, &kind, err),
                     DH_OK);
    assert_int_equal(rec.num[FF_BYTES], 99);
    /* A 14-field line is still the default format beside --flow-format. */
    assert_int_equal(parse(&p, "2 1 eni-1 10.0.0.5 10.0.0.6 1 2 6 3 4 5 6 "
                           "ACCEPT OK", &rec, &kind, err), DH_OK);
    assert_int_equal(rec.num[FF_BYTES], 4);
    assert_int_equal(flow_set_format(&p, "srcaddr nonsense", err, 200),
                     DH_BAD_HEADER);
    assert_int_equal(flow_sniff("version srcaddr", 15), 1);
    assert_int_equal(flow_sniff("# comment line", 14), 0);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(default_format_without_header),
        cmocka_unit_test(header_maps_columns),
        cmocka_unit_test(unknown_header_names_are_skipped),
        cmocka_unit_test(values_checked),
        cmocka_unit_test(cloudwatch_prefix_and_given_format),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
