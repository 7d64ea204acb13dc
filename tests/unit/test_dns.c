/* SPDX-License-Identifier: MIT
 *
 * Route 53 record conversion (core/import_dns.c): the fast scanner and
 * the jansson path give the same record, and each bad field is refused
 * with its own reason.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "core/import_dns.h"

static const char full[] =
    "{\"version\":\"1.100000\",\"account_id\":\"111122223333\","
    "\"region\":\"us-east-1\",\"vpc_id\":\"vpc-0a1\","
    "\"query_timestamp\":\"2024-05-01T12:00:00.250Z\","
    "\"query_name\":\"WwW.Example.COM.\",\"query_type\":\"TXT\","
    "\"query_class\":\"IN\",\"rcode\":\"NOERROR\","
    "\"answers\":[{\"Rdata\":\"\\\"v=spf1 -all\\\"\",\"Type\":\"TXT\","
    "\"Class\":\"IN\"},{\"Rdata\":\"x.example.\",\"Type\":\"CNAME\","
    "\"Class\":\"CH\"}],"
    "\"srcaddr\":\"2001:0db8::0001\",\"srcport\":\"53124\","
    "\"transport\":\"TCP\",\"srcids\":{\"instance\":\"i-0abc\","
    "\"resolver_endpoint\":\"rslvr-out-1\","
    "\"resolver_network_interface\":\"rni-2\"},"
    "\"firewall_rule_group_id\":\"rslvr-frg-1\","
    "\"firewall_rule_action\":\"BLOCK\","
    "\"firewall_domain_list_id\":\"rslvr-fdl-1\","
    "\"future_field\":{\"nested\":[1,2.5,true,null]}}";

/* Kept between calls so that records stay valid for the assertions. */
static struct dns_scratch s1, s2;
static json_t *obj;

static int
release(void **state)
{
    (void)state;
    dns_scratch_free(&s1);
    dns_scratch_free(&s2);
    json_decref(obj);
    obj = NULL;
    return 0;
}

/* Convert line by both paths; the two records must agree field by field. */
static enum dh_status
both(const char *line, struct dns_query *q, char *err, int want_fast)
{
    struct r53_fields f;
    struct dns_query q2;
    char err2[200];
    json_error_t je;
    enum dh_status rc1, rc2;

    json_decref(obj);
    obj = json_loads(line, JSON_ALLOW_NUL, &je);
    assert_non_null(obj);
    dns_from_json(obj, &s2, &f);
    rc2 = dns_convert(&f, &s2, &q2, err2, sizeof err2);
    assert_int_equal(dns_scan(line, strlen(line), &s1, &f), want_fast);
    if (!want_fast) {
        rc1 = rc2;
        *q = q2;
        strcpy(err, err2);
        return rc1;
    }
    rc1 = dns_convert(&f, &s1, q, err, 200);
    assert_int_equal(rc1, rc2);
    if (rc1 == DH_OK) {
        assert_int_equal(q->ts_ms, q2.ts_ms);
        assert_memory_equal(q->name.text, q2.name.text, q->name.len);
        assert_string_equal(q->srcaddr, q2.srcaddr);
        assert_int_equal(q->srcport, q2.srcport);
        assert_int_equal(q->n_answers, q2.n_answers);
        assert_int_equal(q->answers.len, q2.answers.len);
        if (q->answers.len)
            assert_memory_equal(q->answers.text, q2.answers.text,
                                q->answers.len);
    } else {
        assert_string_equal(err, err2);
    }
    return rc1;
}

static void
every_field(void **state)
{
    struct dns_query q;
    char err[200];

    (void)state;
    assert_int_equal(both(full, &q, err, 1), DH_OK);
    assert_int_equal(q.ts_ms, 1714564800250LL);
    assert_int_equal(q.name.len, 16);
    assert_memory_equal(q.name.text, "WwW.Example.COM.", 16);
    assert_string_equal(q.qtype, "TXT");
    assert_string_equal(q.qclass, "IN");
    assert_string_equal(q.rcode, "NOERROR");
    assert_string_equal(q.srcaddr, "2001:db8::1");
    assert_int_equal(q.srcport, 53124);
    assert_int_equal(q.transport, 6);
    assert_string_equal(q.version, "1.100000");
    assert_string_equal(q.account_id, "111122223333");
    assert_string_equal(q.vpc_id, "vpc-0a1");
    assert_string_equal(q.instance, "i-0abc");
    assert_string_equal(q.resolver_endpoint, "rslvr-out-1");
    assert_string_equal(q.resolver_eni, "rni-2");
    assert_string_equal(q.fw_action, "BLOCK");
    assert_string_equal(q.fw_rule_group, "rslvr-frg-1");
    assert_string_equal(q.fw_domain_list, "rslvr-fdl-1");
    assert_int_equal(q.n_answers, 2);
    assert_int_equal(q.answer_bytes, 13 + 10);
    const char *want = "[[\"TXT\",\"\\\"v=spf1 -all\\\"\"],"
                       "[\"CNAME\",\"x.example.\",\"CH\"]]";
    assert_int_equal(q.answers.len, strlen(want));
    assert_memory_equal(q.answers.text, want, q.answers.len);
}

static void
minimal_and_variants(void **state)
{
    struct dns_query q;
    char err[200];

    (void)state;
    /* Missing optional keys, single answer object, integer srcport. */
    assert_int_equal(both("{\"query_timestamp\":\"2021-02-04T17:51:55Z\","
                          "\"query_name\":\"a.b.\",\"query_type\":\"A\","
                          "\"rcode\":\"NXDOMAIN\",\"srcaddr\":\"10.0.0.1\","
                          "\"srcport\":5353,\"answers\":{\"Rdata\":\"1.2.3.4\","
                          "\"Type\":\"A\",\"Class\":\"IN\"}}", &q, err, 1),
                     DH_OK);
    assert_int_equal(q.srcport, 5353);
    assert_int_equal(q.n_answers, 1);
    assert_null(q.instance);
    assert_null(q.version);
    assert_int_equal(q.transport, -1);          /* absent */
    /* Mnemonics in lower case mean the same; other transports are 0. */
    assert_int_equal(both("{\"query_timestamp\":\"2021-02-04T17:51:55Z\","
                          "\"query_name\":\"a.\",\"query_type\":\"txt\","
                          "\"rcode\":\"nxDomain\",\"srcaddr\":\"10.0.0.1\","
                          "\"transport\":\"DoH\"}", &q, err, 1), DH_OK);
    assert_string_equal(q.qtype, "TXT");
    assert_string_equal(q.rcode, "NXDOMAIN");
    assert_int_equal(q.transport, 0);
    /* Pretty spacing is fine for the scanner too. */
    assert_int_equal(both("{ \"query_timestamp\" : \"2021-02-04T17:51:55Z\" ,"
                          "\n \"query_name\":\"a.\", \"query_type\":\"A\","
                          "\"rcode\":\"NOERROR\",\"srcaddr\":\"10.0.0.1\","
                          "\"answers\":[],\"srcids\":{}}", &q, err, 1),
                     DH_OK);
    assert_int_equal(q.n_answers, 0);
    assert_int_equal(q.answers.len, 0);
}

static void
declined_by_the_scanner(void **state)
{
    struct dns_query q;
    char err[200];

    (void)state;
    /* \u escapes, non-ASCII and duplicate keys go to jansson. */
    assert_int_equal(both("{\"query_timestamp\":\"2021-02-04T17:51:55Z\","
                          "\"query_name\":\"caf\\u00e9.example.\","
                          "\"query_type\":\"A\",\"rcode\":\"NOERROR\","
                          "\"srcaddr\":\"10.0.0.1\"}", &q, err, 0), DH_OK);
    assert_int_equal(q.name.len, 14);
    assert_int_equal(both("{\"query_timestamp\":\"2021-02-04T17:51:55Z\","
                          "\"query_name\":\"a\\u0000b.\","
                          "\"query_type\":\"A\",\"rcode\":\"NOERROR\","
                          "\"srcaddr\":\"10.0.0.1\"}", &q, err, 0),
                     DH_BAD_NAME);
    assert_string_equal(err, "field query_name: contains a NUL byte");
    assert_int_equal(both("{\"query_timestamp\":\"2021-02-04T17:51:55Z\","
                          "\"query_name\":\"a.\",\"query_name\":\"b.\","
                          "\"query_type\":\"A\",\"rcode\":\"NOERROR\","
                          "\"srcaddr\":\"10.0.0.1\"}", &q, err, 0), DH_OK);
    assert_memory_equal(q.name.text, "b.", 2);
}

/* Every length and position of a quote, escape or odd byte in a name. */
static void
string_edges(void **state)
{
    static const char *const inserts[] = { "", "\\\"", "\\\\", "\\n",
                                           "\\u0041", "\\/" };
    char name[64], line[512], err[200];
    struct dns_query q;

    (void)state;
    for (size_t k = 0; k < sizeof inserts / sizeof inserts[0]; k++) {
        for (int len = 1; len <= 24; len++) {
            for (int at = 0; at <= len; at++) {
                memset(name, 'a', (size_t)len);
                name[len] = '\0';
                snprintf(line, sizeof line, "{\"query_name\":\"%.*s%s%s\","
                         "\"query_timestamp\":\"2021-02-04T17:51:55Z\","
                         "\"query_type\":\"A\",\"rcode\":\"NOERROR\","
                         "\"srcaddr\":\"10.0.0.1\"}", at, name, inserts[k],
                         name + at);
                /* \\u escapes are left to jansson. */
                assert_int_equal(both(line, &q, err, k != 4), DH_OK);
            }
        }
    }
}

struct bad_case {
    const char    *json;
    enum dh_status want;
    const char    *detail;
};

static void
refusals(void **state)
{
    static const struct bad_case cases[] = {
        { "\"query_name\":\"a.\",\"query_type\":\"A\",\"rcode\":\"NOERROR\","
          "\"srcaddr\":\"10.0.0.1\"", DH_MISSING_FIELD, "query_timestamp" },
        { "\"query_timestamp\":\"yesterday\",\"query_name\":\"a.\","
          "\"query_type\":\"A\",\"rcode\":\"NOERROR\",\"srcaddr\":\"10.0.0.1\"",
          DH_BAD_TIMESTAMP, "field query_timestamp: not an ISO 8601 time" },
        { "\"query_timestamp\":\"2021-02-04T17:51:55Z\",\"query_name\":42,"
          "\"query_type\":\"A\",\"rcode\":\"NOERROR\",\"srcaddr\":\"10.0.0.1\"",
          DH_BAD_TYPE, "field query_name: expected a string" },
        { "\"query_timestamp\":\"2021-02-04T17:51:55Z\",\"query_name\":\"\","
          "\"query_type\":\"A\",\"rcode\":\"NOERROR\",\"srcaddr\":\"10.0.0.1\"",
          DH_BAD_NAME, "field query_name: empty" },
        { "\"query_timestamp\":\"2021-02-04T17:51:55Z\",\"query_name\":\"a.\","
          "\"query_type\":\"A;DROP\",\"rcode\":\"NOERROR\","
          "\"srcaddr\":\"10.0.0.1\"", DH_BAD_VALUE,
          "field query_type: not a DNS mnemonic" },
        { "\"query_timestamp\":\"2021-02-04T17:51:55Z\",\"query_name\":\"a.\","
          "\"query_type\":\"A\",\"rcode\":\"NOERROR\",\"srcaddr\":\"10.0.0\"",
          DH_BAD_ADDRESS, "field srcaddr: not an IP address" },
        { "\"query_timestamp\":\"2021-02-04T17:51:55Z\",\"query_name\":\"a.\","
          "\"query_type\":\"A\",\"rcode\":\"NOERROR\",\"srcaddr\":\"10.0.0.1\","
          "\"srcport\":\"99999\"", DH_BAD_NUMBER,
          "field srcport: not a port number" },
        { "\"query_timestamp\":\"2021-02-04T17:51:55Z\",\"query_name\":\"a.\","
          "\"query_type\":\"A\",\"rcode\":\"NOERROR\",\"srcaddr\":\"10.0.0.1\","
          "\"version\":\"2.0\"", DH_BAD_VALUE,
          "field version: unsupported major version" },
        { "\"query_timestamp\":\"2021-02-04T17:51:55Z\",\"query_name\":\"a.\","
          "\"query_type\":\"A\",\"rcode\":\"NOERROR\",\"srcaddr\":\"10.0.0.1\","
          "\"answers\":\"none\"", DH_BAD_TYPE,
          "field answers: expected an array" },
        { "\"query_timestamp\":\"2021-02-04T17:51:55Z\",\"query_name\":\"a.\","
          "\"query_type\":\"A\",\"rcode\":\"NOERROR\",\"srcaddr\":\"10.0.0.1\","
          "\"answers\":[{\"Rdata\":7}]", DH_BAD_TYPE,
          "field answers: Rdata is not a string" },
        { "\"query_timestamp\":\"2021-02-04T17:51:55Z\",\"query_name\":\"a.\","
          "\"query_type\":\"A\",\"rcode\":\"NOERROR\",\"srcaddr\":\"10.0.0.1\","
          "\"srcids\":[]", DH_BAD_TYPE, "field srcids: expected an object" },
        { "\"query_timestamp\":\"2021-02-04T17:51:55Z\",\"query_name\":\"a.\","
          "\"query_type\":\"A\",\"rcode\":\"NOERROR\",\"srcaddr\":\"10.0.0.1\","
          "\"srcids\":{\"instance\":1}", DH_BAD_TYPE,
          "field srcids.instance: expected a string" },
    };
    char line[1024], err[200];
    struct dns_query q;

    (void)state;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        snprintf(line, sizeof line, "{%s}", cases[i].json);
        assert_int_equal(both(line, &q, err, 1), cases[i].want);
        assert_string_equal(err, cases[i].detail);
    }
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(every_field),
        cmocka_unit_test(minimal_and_variants),
        cmocka_unit_test(declined_by_the_scanner),
        cmocka_unit_test(refusals),
        cmocka_unit_test(string_edges),
    };
    return cmocka_run_group_tests(tests, NULL, release);
}
