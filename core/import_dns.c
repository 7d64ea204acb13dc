/* SPDX-License-Identifier: MIT
 *
 * Route 53 Resolver query log record conversion (see import_dns.h).
 * Field notes: version is a float rendered as a string ("1.100000"); a
 * major version other than 1 is refused as an incompatible format.
 * srcport is a string in real logs; a JSON integer is accepted too.
 * answers may be an array or, after some pipelines, a single object.
 */
#include "core/import_dns.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/isotime.h"

/* Get key as a string without NUL bytes; NULL when absent or null. */
static enum dh_status
get_str(json_t *obj, const char *key, int required, const char **out,
        size_t *len, char *err, size_t errlen)
{
    json_t *v = json_object_get(obj, key);

    *out = NULL;
    if (len)
        *len = 0;
    if (!v || json_is_null(v)) {
        if (!required)
            return DH_OK;
        snprintf(err, errlen, "%s", key);
        return DH_MISSING_FIELD;
    }
    if (!json_is_string(v)) {
        snprintf(err, errlen, "field %s: expected a string", key);
        return DH_BAD_TYPE;
    }
    size_t n = json_string_length(v);
    const char *s = json_string_value(v);
    if (memchr(s, '\0', n)) {
        snprintf(err, errlen, "field %s: contains a NUL byte", key);
        return strcmp(key, "query_name") == 0 ? DH_BAD_NAME : DH_BAD_VALUE;
    }
    *out = s;
    if (len)
        *len = n;
    return DH_OK;
}

/* Mnemonics: 1 to 32 letters, digits, '-' or '_'. */
static int
is_mnemonic(const char *s)
{
    size_t n = 0;

    for (; s[n]; n++)
        if (!((s[n] >= 'A' && s[n] <= 'Z') || (s[n] >= 'a' && s[n] <= 'z') ||
              (s[n] >= '0' && s[n] <= '9') || s[n] == '-' || s[n] == '_'))
            return 0;
    return n >= 1 && n <= 32;
}

static enum dh_status
get_mnemonic(json_t *obj, const char *key, int required, const char **out,
             char *err, size_t errlen)
{
    enum dh_status rc = get_str(obj, key, required, out, NULL, err, errlen);

    if (rc == DH_OK && *out && !is_mnemonic(*out)) {
        snprintf(err, errlen, "field %s: not a DNS mnemonic", key);
        return DH_BAD_VALUE;
    }
    return rc;
}

static enum dh_status
get_srcaddr(json_t *obj, struct dns_scratch *s, struct dns_query *q,
            char *err, size_t errlen)
{
    unsigned char bin[16];
    const char *v;
    enum dh_status rc = get_str(obj, "srcaddr", 1, &v, NULL, err, errlen);

    if (rc != DH_OK)
        return rc;
    if (inet_pton(AF_INET, v, bin) == 1)
        inet_ntop(AF_INET, bin, s->addr, sizeof s->addr);
    else if (inet_pton(AF_INET6, v, bin) == 1)
        inet_ntop(AF_INET6, bin, s->addr, sizeof s->addr);
    else {
        snprintf(err, errlen, "field srcaddr: not an IP address");
        return DH_BAD_ADDRESS;
    }
    q->srcaddr = s->addr;
    return DH_OK;
}

static enum dh_status
get_srcport(json_t *obj, struct dns_query *q, char *err, size_t errlen)
{
    json_t *v = json_object_get(obj, "srcport");
    long port = -1;

    q->srcport = -1;
    if (!v || json_is_null(v))
        return DH_OK;
    if (json_is_integer(v)) {
        port = (long)json_integer_value(v);
    } else if (json_is_string(v)) {
        const char *s = json_string_value(v);
        size_t n = json_string_length(v);
        char *end;
        if (n == 0 || n > 5 || strspn(s, "0123456789") != n)
            goto bad;
        port = strtol(s, &end, 10);
    } else {
        snprintf(err, errlen, "field srcport: expected a string");
        return DH_BAD_TYPE;
    }
    if (port < 0 || port > 65535)
        goto bad;
    q->srcport = (int)port;
    return DH_OK;
bad:
    snprintf(err, errlen, "field srcport: not a port number");
    return DH_BAD_NUMBER;
}

static enum dh_status
get_version(json_t *obj, struct dns_query *q, char *err, size_t errlen)
{
    enum dh_status rc = get_str(obj, "version", 0, &q->version, NULL, err,
                                errlen);

    if (rc != DH_OK || !q->version)
        return rc;
    if (strtol(q->version, NULL, 10) != 1 || q->version[0] != '1') {
        snprintf(err, errlen, "field version: unsupported major version");
        return DH_BAD_VALUE;
    }
    return DH_OK;
}

/* One answer {Rdata, Type, Class} appended to the canonical JSON. */
static enum dh_status
add_answer(json_t *a, struct dns_scratch *s, struct dns_query *q, char *err,
           size_t errlen)
{
    static const char *const keys[] = { "Rdata", "Type", "Class" };
    const char *v;
    size_t n;
    enum dh_status rc;

    if (!json_is_object(a)) {
        snprintf(err, errlen, "field answers: entry is not an object");
        return DH_BAD_TYPE;
    }
    buf_addc(&s->answers, q->n_answers ? ',' : '[');
    for (int k = 0; k < 3; k++) {
        rc = get_str(a, keys[k], 0, &v, &n, err, errlen);
        if (rc != DH_OK)
            return rc;
        buf_addc(&s->answers, k ? ',' : '{');
        buf_printf(&s->answers, "\"%s\":", keys[k]);
        if (v)
            buf_add_json_string(&s->answers, v, n);
        else
            buf_adds(&s->answers, "null");
        if (k == 0)
            q->answer_bytes += (int)n;
    }
    buf_addc(&s->answers, '}');
    q->n_answers++;
    return DH_OK;
}

static enum dh_status
get_answers(json_t *obj, struct dns_scratch *s, struct dns_query *q,
            char *err, size_t errlen)
{
    json_t *v = json_object_get(obj, "answers"), *a;
    size_t i;
    enum dh_status rc = DH_OK;

    buf_reset(&s->answers);
    q->n_answers = q->answer_bytes = 0;
    if (!v || json_is_null(v))
        goto done;
    if (json_is_object(v)) {
        rc = add_answer(v, s, q, err, errlen);
        goto done;
    }
    if (!json_is_array(v)) {
        snprintf(err, errlen, "field answers: expected an array");
        return DH_BAD_TYPE;
    }
    json_array_foreach(v, i, a) {
        if ((rc = add_answer(a, s, q, err, errlen)) != DH_OK)
            return rc;
    }
done:
    if (q->n_answers)
        buf_addc(&s->answers, ']');
    q->answers.text = s->answers.data;
    q->answers.len = s->answers.len;
    return rc;
}

static enum dh_status
get_srcids(json_t *obj, struct dns_query *q, char *err, size_t errlen)
{
    json_t *ids = json_object_get(obj, "srcids");
    enum dh_status rc;

    if (!ids || json_is_null(ids))
        return DH_OK;
    if (!json_is_object(ids)) {
        snprintf(err, errlen, "field srcids: expected an object");
        return DH_BAD_TYPE;
    }
    if ((rc = get_str(ids, "instance", 0, &q->instance, NULL, err,
                      errlen)) ||
        (rc = get_str(ids, "resolver_endpoint", 0, &q->resolver_endpoint,
                      NULL, err, errlen)) ||
        (rc = get_str(ids, "resolver_network_interface", 0,
                      &q->resolver_eni, NULL, err, errlen)))
        return rc;
    return DH_OK;
}

static enum dh_status
get_time_and_name(json_t *obj, struct dns_query *q, char *err, size_t errlen)
{
    const char *ts;
    size_t n;
    enum dh_status rc;

    rc = get_str(obj, "query_timestamp", 1, &ts, &n, err, errlen);
    if (rc != DH_OK)
        return rc;
    if (isotime_parse(ts, n, &q->ts_ms) != 0) {
        snprintf(err, errlen, "field query_timestamp: not an ISO 8601 time");
        return DH_BAD_TIMESTAMP;
    }
    rc = get_str(obj, "query_name", 1, &q->name.text, &q->name.len, err,
                 errlen);
    if (rc == DH_OK && q->name.len == 0) {
        snprintf(err, errlen, "field query_name: empty");
        return DH_BAD_NAME;
    }
    return rc;
}

enum dh_status
dns_record(json_t *obj, struct dns_scratch *s, struct dns_query *q,
           char *err, size_t errlen)
{
    const char *transport;
    enum dh_status rc;

    memset(q, 0, sizeof *q);
    if ((rc = get_time_and_name(obj, q, err, errlen)) ||
        (rc = get_mnemonic(obj, "query_type", 1, &q->qtype, err, errlen)) ||
        (rc = get_mnemonic(obj, "query_class", 0, &q->qclass, err,
                           errlen)) ||
        (rc = get_mnemonic(obj, "rcode", 1, &q->rcode, err, errlen)) ||
        (rc = get_srcaddr(obj, s, q, err, errlen)) ||
        (rc = get_srcport(obj, q, err, errlen)) ||
        (rc = get_version(obj, q, err, errlen)) ||
        (rc = get_str(obj, "account_id", 0, &q->account_id, NULL, err,
                      errlen)) ||
        (rc = get_str(obj, "region", 0, &q->region, NULL, err, errlen)) ||
        (rc = get_str(obj, "vpc_id", 0, &q->vpc_id, NULL, err, errlen)) ||
        (rc = get_mnemonic(obj, "transport", 0, &transport, err, errlen)) ||
        (rc = get_srcids(obj, q, err, errlen)) ||
        (rc = get_answers(obj, s, q, err, errlen)) ||
        (rc = get_str(obj, "firewall_rule_group_id", 0, &q->fw_rule_group,
                      NULL, err, errlen)) ||
        (rc = get_str(obj, "firewall_rule_action", 0, &q->fw_action, NULL,
                      err, errlen)) ||
        (rc = get_str(obj, "firewall_domain_list_id", 0,
                      &q->fw_domain_list, NULL, err, errlen)))
        return rc;
    q->transport = !transport ? 0 : strcmp(transport, "UDP") == 0 ? 17 :
                   strcmp(transport, "TCP") == 0 ? 6 : 0;
    return DH_OK;
}
