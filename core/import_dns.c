/* SPDX-License-Identifier: MIT
 *
 * Route 53 Resolver query log records (see import_dns.h).
 *
 * Field notes: version is a float rendered as a string ("1.100000"); a
 * major version other than 1 is refused as an incompatible format.
 * srcport is a string in real logs; a JSON integer is accepted too.
 * answers may be an array or, after some pipelines, a single object.
 * Identifiers and mnemonics are limited to 255 bytes; the query name and
 * answer data only by the line limit.
 */
#include "core/import_dns.h"

#include <arpa/inet.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/isotime.h"

static const char *const key_names[K_COUNT] = {
    [K_VERSION] = "version", [K_ACCOUNT_ID] = "account_id",
    [K_REGION] = "region", [K_VPC_ID] = "vpc_id",
    [K_QUERY_TIMESTAMP] = "query_timestamp", [K_QUERY_NAME] = "query_name",
    [K_QUERY_TYPE] = "query_type", [K_QUERY_CLASS] = "query_class",
    [K_RCODE] = "rcode", [K_SRCADDR] = "srcaddr", [K_SRCPORT] = "srcport",
    [K_TRANSPORT] = "transport", [K_FW_GROUP] = "firewall_rule_group_id",
    [K_FW_ACTION] = "firewall_rule_action",
    [K_FW_LIST] = "firewall_domain_list_id", [K_SRCIDS] = "srcids",
    [K_ANSWERS] = "answers",
};

static const char *const srcid_names[SID_COUNT] = {
    [SID_INSTANCE] = "instance", [SID_ENDPOINT] = "resolver_endpoint",
    [SID_ENI] = "resolver_network_interface",
};

/* Index of key k[0..n) in names, or -1. k holds no NUL byte. */
static int
key_index(const char *const *names, int count, const char *k, size_t n)
{
    for (int i = 0; i < count; i++)
        if (names[i][0] == k[0] && strncmp(names[i], k, n) == 0 &&
            names[i][n] == '\0')
            return i;
    return -1;
}

/*
 * Top-level key index by the key's length and first letters, then one
 * comparison; every Route 53 key has a distinct (length, k[0], k[6]).
 */
static int
top_key(const char *k, size_t n)
{
    int i = -1;

    switch (n) {
    case 5: i = K_RCODE; break;
    case 6: i = k[0] == 'r' ? K_REGION : k[0] == 'v' ? K_VPC_ID : K_SRCIDS;
        break;
    case 7: i = k[0] == 'v' ? K_VERSION : k[0] == 'a' ? K_ANSWERS :
                k[6] == 'r' ? K_SRCADDR : K_SRCPORT;
        break;
    case 9: i = K_TRANSPORT; break;
    case 10: i = k[0] == 'a' ? K_ACCOUNT_ID : k[6] == 'n' ? K_QUERY_NAME :
                 K_QUERY_TYPE;
        break;
    case 11: i = K_QUERY_CLASS; break;
    case 15: i = K_QUERY_TIMESTAMP; break;
    case 20: i = K_FW_ACTION; break;
    case 22: i = K_FW_GROUP; break;
    case 23: i = K_FW_LIST; break;
    default: return -1;
    }
    return memcmp(key_names[i], k, n) == 0 ? i : -1;
}

static struct r53_answer *
new_answer(struct dns_scratch *s, struct r53_fields *f)
{
    if (f->n_answers == s->answers_cap) {
        s->answers_cap = s->answers_cap ? s->answers_cap * 2 : 8;
        s->answers = xrealloc(s->answers,
                              s->answers_cap * sizeof *s->answers);
        f->answers = s->answers;
    }
    struct r53_answer *a = &s->answers[f->n_answers++];
    memset(a, 0, sizeof *a);
    return a;
}

/* --- Fast scanner --- */

struct scanner {
    const char *p;
    const char *end;
    char       *arena;   /* decoded strings; as long as the line */
    size_t      used;
};

static void
ws(struct scanner *sc)
{
    while (sc->p < sc->end && (*sc->p == ' ' || *sc->p == '\t' ||
                               *sc->p == '\n' || *sc->p == '\r'))
        sc->p++;
}

static int
eat(struct scanner *sc, char c)
{
    ws(sc);
    if (sc->p < sc->end && *sc->p == c) {
        sc->p++;
        return 1;
    }
    return 0;
}

/* Rest of a string with escapes, decoded into the arena. */
static int
scan_escaped(struct scanner *sc, const char *start, const char **s,
             size_t *n)
{
    char *out = sc->arena + sc->used;
    size_t o = (size_t)(sc->p - start);

    memcpy(out, start, o);
    while (sc->p < sc->end) {
        unsigned char c = (unsigned char)*sc->p++;
        if (c == '"') {
            *s = out;
            *n = o;
            sc->used += o;
            return 1;
        }
        if (c < 0x20 || c >= 0x80)
            return 0;
        if (c == '\\') {
            if (sc->p >= sc->end)
                return 0;
            switch (*sc->p++) {
            case '"': c = '"'; break;
            case '\\': c = '\\'; break;
            case '/': c = '/'; break;
            case 'b': c = '\b'; break;
            case 'f': c = '\f'; break;
            case 'n': c = '\n'; break;
            case 'r': c = '\r'; break;
            case 't': c = '\t'; break;
            default: return 0;          /* \u and errors: jansson */
            }
        }
        out[o++] = (char)c;
    }
    return 0;
}

#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
#define LITTLE_ENDIAN_WORDS 1   /* the first byte in memory is the lowest */
#else
#define LITTLE_ENDIAN_WORDS 0
#endif

/*
 * Bit mask with the high bit set in the first byte of w (in memory order)
 * that is '"', '\\', below 0x20 or above 0x7f, and possibly in later
 * bytes; 0 when there is none. The "has a zero byte" bit trick, three
 * times; the lowest set bit is always exact.
 */
static uint64_t
word_stops(uint64_t w)
{
    const uint64_t ones = 0x0101010101010101ull, highs = ones * 0x80;
    uint64_t q = w ^ (ones * '"'), b = w ^ (ones * '\\');

    return (((q - ones) & ~q) | ((b - ones) & ~b) | (w - ones * 0x20) | w) &
           highs;
}

/* A string of ASCII; simple escapes decoded. 0 to decline. */
static int
scan_string(struct scanner *sc, const char **s, size_t *n)
{
    const char *start;
    uint64_t w, stop;

    ws(sc);
    if (sc->p >= sc->end || *sc->p != '"')
        return 0;
    start = ++sc->p;
    /* Eight bytes at a time to the first byte that needs a look. */
    while (LITTLE_ENDIAN_WORDS && sc->end - sc->p >= 8) {
        memcpy(&w, sc->p, 8);
        stop = word_stops(w);
        if (stop) {
            sc->p += __builtin_ctzll(stop) / 8;
            break;
        }
        sc->p += 8;
    }
    while (sc->p < sc->end) {
        unsigned char c = (unsigned char)*sc->p;
        if (c == '"') {
            *s = start;
            *n = (size_t)(sc->p - start);
            sc->p++;
            return 1;
        }
        if (c == '\\')
            return scan_escaped(sc, start, s, n);
        if (c < 0x20 || c >= 0x80)
            return 0;
        sc->p++;
    }
    return 0;
}

static int
digits(struct scanner *sc)
{
    const char *start = sc->p;

    while (sc->p < sc->end && *sc->p >= '0' && *sc->p <= '9')
        sc->p++;
    return sc->p > start;
}

/* A JSON number; JV_INT when it is a plain integer of up to 18 digits. */
static int
scan_number(struct scanner *sc, struct jv *v)
{
    const char *start = sc->p;
    int plain = 1;

    if (sc->p < sc->end && *sc->p == '-')
        sc->p++;
    if (sc->p < sc->end && *sc->p == '0')
        sc->p++;
    else if (!digits(sc))
        return 0;
    if (sc->p < sc->end && *sc->p == '.') {
        sc->p++;
        plain = 0;
        if (!digits(sc))
            return 0;
    }
    if (sc->p < sc->end && (*sc->p == 'e' || *sc->p == 'E')) {
        sc->p++;
        plain = 0;
        if (sc->p < sc->end && (*sc->p == '+' || *sc->p == '-'))
            sc->p++;
        if (!digits(sc))
            return 0;
    }
    v->type = JV_OTHER;
    if (plain && sc->p - start <= 18) {     /* within the line only */
        const char *q = start;
        int neg = *q == '-';
        long long x = 0;
        for (q += neg; q < sc->p; q++)
            x = x * 10 + (*q - '0');
        v->type = JV_INT;
        v->i = neg ? -x : x;
    }
    return 1;
}

static int
scan_literal(struct scanner *sc, const char *lit, size_t n)
{
    if ((size_t)(sc->end - sc->p) < n || memcmp(sc->p, lit, n) != 0)
        return 0;
    sc->p += n;
    return 1;
}

static int scan_skip(struct scanner *sc, int depth);

/* A scalar into v, or skip a container (type recorded). */
static int
scan_value(struct scanner *sc, struct jv *v, int depth)
{
    ws(sc);
    if (sc->p >= sc->end)
        return 0;
    switch (*sc->p) {
    case '"':
        v->type = JV_STRING;
        return scan_string(sc, &v->s, &v->n);
    case 'n':
        v->type = JV_NULL;
        return scan_literal(sc, "null", 4);
    case 't':
        v->type = JV_OTHER;
        return scan_literal(sc, "true", 4);
    case 'f':
        v->type = JV_OTHER;
        return scan_literal(sc, "false", 5);
    case '{':
        v->type = JV_OBJECT;
        return scan_skip(sc, depth);
    case '[':
        v->type = JV_ARRAY;
        return scan_skip(sc, depth);
    default:
        return scan_number(sc, v);
    }
}

/* Skip an object or array, 8 levels at most. */
static int
scan_skip(struct scanner *sc, int depth)
{
    char close = *sc->p == '{' ? '}' : ']';
    int object = close == '}';
    struct jv v;
    const char *k;
    size_t n;

    if (depth > 8)
        return 0;
    sc->p++;
    if (eat(sc, close))
        return 1;
    do {
        if (object && (!scan_string(sc, &k, &n) || !eat(sc, ':')))
            return 0;
        if (!scan_value(sc, &v, depth + 1))
            return 0;
    } while (eat(sc, ','));
    return eat(sc, close);
}

/* An object of string fields named in names; others skipped. */
static int
scan_fields(struct scanner *sc, const char *const *names, int count,
            struct jv *out)
{
    const char *k;
    size_t n;
    struct jv tmp;

    if (!eat(sc, '{'))
        return 0;
    if (eat(sc, '}'))
        return 1;
    do {
        if (!scan_string(sc, &k, &n) || !eat(sc, ':'))
            return 0;
        int i = key_index(names, count, k, n);
        struct jv *v = i >= 0 ? &out[i] : &tmp;
        if (i >= 0 && v->type != JV_ABSENT)
            return 0;                           /* duplicate key */
        if (!scan_value(sc, v, 1))
            return 0;
    } while (eat(sc, ','));
    return eat(sc, '}');
}

static const char *const answer_names[3] = { "Rdata", "Type", "Class" };

/* One {Rdata, Type, Class} object. */
static int
scan_answer(struct scanner *sc, struct dns_scratch *s, struct r53_fields *f)
{
    struct jv v[3];
    struct r53_answer *a;

    ws(sc);
    if (sc->p >= sc->end || *sc->p != '{')
        return 0;                               /* jansson reports it */
    memset(v, 0, sizeof v);
    if (!scan_fields(sc, answer_names, 3, v))
        return 0;
    a = new_answer(s, f);
    a->type = JV_OBJECT;
    a->rdata = v[0];
    a->rtype = v[1];
    a->rclass = v[2];
    return 1;
}

/* An array of answers, or a single answer object. */
static int
scan_answers(struct scanner *sc, struct dns_scratch *s, struct r53_fields *f)
{
    if (f->f[K_ANSWERS].type == JV_OBJECT)
        return scan_answer(sc, s, f);
    if (!eat(sc, '['))
        return 0;
    if (eat(sc, ']'))
        return 1;
    do {
        if (!scan_answer(sc, s, f))
            return 0;
    } while (eat(sc, ','));
    return eat(sc, ']');
}

static int
scan_key(struct scanner *sc, struct dns_scratch *s, struct r53_fields *f)
{
    const char *k;
    size_t n;
    int i;

    if (!scan_string(sc, &k, &n) || !eat(sc, ':'))
        return 0;
    i = top_key(k, n);
    if (i < 0) {
        struct jv skip;
        if (n == 11 && memcmp(k, "messageType", 11) == 0)
            return 0;                   /* a CloudWatch Logs envelope */
        return scan_value(sc, &skip, 1);
    }
    if (f->f[i].type != JV_ABSENT)
        return 0;                               /* duplicate key */
    ws(sc);
    if (i == K_SRCIDS && sc->p < sc->end && *sc->p == '{') {
        f->f[i].type = JV_OBJECT;
        return scan_fields(sc, srcid_names, SID_COUNT, f->srcid);
    }
    if (i == K_ANSWERS && sc->p < sc->end && (*sc->p == '[' ||
                                              *sc->p == '{')) {
        f->f[i].type = *sc->p == '[' ? JV_ARRAY : JV_OBJECT;
        return scan_answers(sc, s, f);
    }
    return scan_value(sc, &f->f[i], 1);
}

int
dns_scan(const char *line, size_t n, struct dns_scratch *s,
         struct r53_fields *f)
{
    struct scanner sc = { line, line + n, NULL, 0 };

    buf_reset(&s->decoded);
    buf_reserve(&s->decoded, n);
    sc.arena = s->decoded.data;
    memset(f, 0, sizeof *f);
    f->answers = s->answers;
    if (!eat(&sc, '{'))
        return 0;
    if (!eat(&sc, '}')) {
        do {
            if (!scan_key(&sc, s, f))
                return 0;
        } while (eat(&sc, ','));
        if (!eat(&sc, '}'))
            return 0;
    }
    ws(&sc);
    return sc.p == sc.end;
}

/* --- From jansson --- */

static void
jv_from(json_t *v, struct jv *out)
{
    memset(out, 0, sizeof *out);
    if (!v)
        return;
    switch (json_typeof(v)) {
    case JSON_STRING:
        out->type = JV_STRING;
        out->s = json_string_value(v);
        out->n = json_string_length(v);
        break;
    case JSON_INTEGER:
        out->type = JV_INT;
        out->i = (long long)json_integer_value(v);
        break;
    case JSON_NULL:
        out->type = JV_NULL;
        break;
    case JSON_OBJECT:
        out->type = JV_OBJECT;
        break;
    case JSON_ARRAY:
        out->type = JV_ARRAY;
        break;
    default:
        out->type = JV_OTHER;
        break;
    }
}

static void
answer_from(json_t *v, struct dns_scratch *s, struct r53_fields *f)
{
    struct r53_answer *a = new_answer(s, f);

    jv_from(v, &a->rdata);
    a->type = a->rdata.type;
    if (a->type != JV_OBJECT)
        return;
    jv_from(json_object_get(v, "Rdata"), &a->rdata);
    jv_from(json_object_get(v, "Type"), &a->rtype);
    jv_from(json_object_get(v, "Class"), &a->rclass);
}

void
dns_from_json(json_t *obj, struct dns_scratch *s, struct r53_fields *f)
{
    json_t *ids, *ans, *el;
    size_t i;

    memset(f, 0, sizeof *f);
    f->answers = s->answers;
    for (int k = 0; k < K_COUNT; k++)
        jv_from(json_object_get(obj, key_names[k]), &f->f[k]);
    ids = json_object_get(obj, "srcids");
    if (json_is_object(ids))
        for (int k = 0; k < SID_COUNT; k++)
            jv_from(json_object_get(ids, srcid_names[k]), &f->srcid[k]);
    ans = json_object_get(obj, "answers");
    if (json_is_object(ans))
        answer_from(ans, s, f);
    else if (json_is_array(ans))
        json_array_foreach(ans, i, el)
            answer_from(el, s, f);
}

/* --- Checks --- */

/*
 * A string field as a NUL-terminated copy in the scratch (slot), or NULL
 * when absent or null.
 */
static enum dh_status
text(const struct jv *v, const char *name, int required, char *slot,
     const char **out, char *err, size_t errlen)
{
    *out = NULL;
    if (v->type == JV_ABSENT || v->type == JV_NULL) {
        if (!required)
            return DH_OK;
        snprintf(err, errlen, "%s", name);
        return DH_MISSING_FIELD;
    }
    if (v->type != JV_STRING) {
        snprintf(err, errlen, "field %s: expected a string", name);
        return DH_BAD_TYPE;
    }
    if (memchr(v->s, '\0', v->n)) {
        snprintf(err, errlen, "field %s: contains a NUL byte", name);
        return DH_BAD_VALUE;
    }
    if (v->n > 255) {
        snprintf(err, errlen, "field %s: longer than 255 bytes", name);
        return DH_BAD_VALUE;
    }
    memcpy(slot, v->s, v->n);
    slot[v->n] = '\0';
    *out = slot;
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
mnemonic(const struct r53_fields *f, int k, int required,
         struct dns_scratch *s, const char **out, char *err, size_t errlen)
{
    enum dh_status rc = text(&f->f[k], key_names[k], required, s->text[k],
                             out, err, errlen);

    if (rc != DH_OK || !*out)
        return rc;
    if (!is_mnemonic(*out)) {
        snprintf(err, errlen, "field %s: not a DNS mnemonic", key_names[k]);
        return DH_BAD_VALUE;
    }
    for (char *p = s->text[k]; *p; p++)     /* "txt" is TXT */
        if (*p >= 'a' && *p <= 'z')
            *p = (char)(*p - 32);
    return DH_OK;
}

static enum dh_status
get_srcaddr(const struct r53_fields *f, struct dns_scratch *s,
            struct dns_query *q, char *err, size_t errlen)
{
    unsigned char bin[16];
    const char *v;
    enum dh_status rc = text(&f->f[K_SRCADDR], "srcaddr", 1,
                             s->text[K_SRCADDR], &v, err, errlen);

    if (rc != DH_OK)
        return rc;
    if (inet_pton(AF_INET, v, bin) == 1)      /* already canonical */
        snprintf(s->addr, sizeof s->addr, "%s", v);
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
get_srcport(const struct jv *v, struct dns_query *q, char *err,
            size_t errlen)
{
    long long port = -1;

    q->srcport = -1;
    if (v->type == JV_ABSENT || v->type == JV_NULL)
        return DH_OK;
    if (v->type == JV_INT) {
        port = v->i;
    } else if (v->type == JV_STRING) {
        if (v->n == 0 || v->n > 5 || strspn(v->s, "0123456789") < v->n)
            goto bad;
        port = 0;
        for (size_t i = 0; i < v->n; i++)
            port = port * 10 + (v->s[i] - '0');
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
get_version(const struct r53_fields *f, struct dns_scratch *s,
            struct dns_query *q, char *err, size_t errlen)
{
    enum dh_status rc = text(&f->f[K_VERSION], "version", 0,
                             s->text[K_VERSION], &q->version, err, errlen);

    if (rc != DH_OK || !q->version)
        return rc;
    if (q->version[0] != '1' || (q->version[1] && q->version[1] != '.')) {
        snprintf(err, errlen, "field version: unsupported major version");
        return DH_BAD_VALUE;
    }
    return DH_OK;
}

/*
 * Append one answer to the stored form, a JSON array of [type, data] or
 * [type, data, class] when the class is not IN: compact, and still
 * readable with SQLite's json_each().
 */
static enum dh_status
add_answer(const struct r53_answer *a, struct dns_scratch *s,
           struct dns_query *q, char *err, size_t errlen)
{
    const struct jv *v[3] = { &a->rtype, &a->rdata, &a->rclass };
    static const char *const names[3] = { "Type", "Rdata", "Class" };
    int fields = 2;

    if (a->type != JV_OBJECT) {
        snprintf(err, errlen, "field answers: entry is not an object");
        return DH_BAD_TYPE;
    }
    if (a->rclass.type != JV_ABSENT && a->rclass.type != JV_NULL &&
        !(a->rclass.type == JV_STRING && a->rclass.n == 2 &&
          memcmp(a->rclass.s, "IN", 2) == 0))
        fields = 3;
    buf_adds(&s->answers_json, q->n_answers ? ",[" : "[[");
    for (int k = 0; k < fields; k++) {
        if (k)
            buf_addc(&s->answers_json, ',');
        if (v[k]->type == JV_STRING) {
            buf_add_json_string(&s->answers_json, v[k]->s, v[k]->n);
        } else if (v[k]->type == JV_ABSENT || v[k]->type == JV_NULL) {
            buf_adds(&s->answers_json, "null");
        } else {
            snprintf(err, errlen, "field answers: %s is not a string",
                     names[k]);
            return DH_BAD_TYPE;
        }
    }
    buf_addc(&s->answers_json, ']');
    q->answer_bytes += (int)a->rdata.n;
    q->n_answers++;
    return DH_OK;
}

static enum dh_status
get_answers(const struct r53_fields *f, struct dns_scratch *s,
            struct dns_query *q, char *err, size_t errlen)
{
    enum jv_type t = f->f[K_ANSWERS].type;
    enum dh_status rc;

    buf_reset(&s->answers_json);
    q->n_answers = q->answer_bytes = 0;
    if (t != JV_ABSENT && t != JV_NULL && t != JV_ARRAY && t != JV_OBJECT) {
        snprintf(err, errlen, "field answers: expected an array");
        return DH_BAD_TYPE;
    }
    for (size_t i = 0; i < f->n_answers; i++)
        if ((rc = add_answer(&f->answers[i], s, q, err, errlen)) != DH_OK)
            return rc;
    if (q->n_answers)
        buf_addc(&s->answers_json, ']');
    q->answers.text = s->answers_json.data;
    q->answers.len = s->answers_json.len;
    return DH_OK;
}

static enum dh_status
get_srcids(const struct r53_fields *f, struct dns_scratch *s,
           struct dns_query *q, char *err, size_t errlen)
{
    enum jv_type t = f->f[K_SRCIDS].type;
    static const char *const names[SID_COUNT] = {
        "srcids.instance", "srcids.resolver_endpoint",
        "srcids.resolver_network_interface",
    };
    const char **out[SID_COUNT] = { &q->instance, &q->resolver_endpoint,
                                    &q->resolver_eni };
    enum dh_status rc;

    if (t == JV_ABSENT || t == JV_NULL)
        return DH_OK;
    if (t != JV_OBJECT) {
        snprintf(err, errlen, "field srcids: expected an object");
        return DH_BAD_TYPE;
    }
    for (int k = 0; k < SID_COUNT; k++) {
        rc = text(&f->srcid[k], names[k], 0, s->text[K_COUNT + k], out[k], err,
                  errlen);
        if (rc != DH_OK)
            return rc;
    }
    return DH_OK;
}

static enum dh_status
get_time_and_name(const struct r53_fields *f, struct dns_query *q, char *err,
                  size_t errlen)
{
    const struct jv *ts = &f->f[K_QUERY_TIMESTAMP];
    const struct jv *nm = &f->f[K_QUERY_NAME];

    if (ts->type == JV_ABSENT || ts->type == JV_NULL) {
        snprintf(err, errlen, "query_timestamp");
        return DH_MISSING_FIELD;
    }
    if (ts->type != JV_STRING) {
        snprintf(err, errlen, "field query_timestamp: expected a string");
        return DH_BAD_TYPE;
    }
    if (isotime_parse(ts->s, ts->n, &q->ts_ms) != 0) {
        snprintf(err, errlen, "field query_timestamp: not an ISO 8601 time");
        return DH_BAD_TIMESTAMP;
    }
    if (nm->type == JV_ABSENT || nm->type == JV_NULL) {
        snprintf(err, errlen, "query_name");
        return DH_MISSING_FIELD;
    }
    if (nm->type != JV_STRING) {
        snprintf(err, errlen, "field query_name: expected a string");
        return DH_BAD_TYPE;
    }
    if (nm->n == 0 || memchr(nm->s, '\0', nm->n)) {
        snprintf(err, errlen, "field query_name: %s",
                 nm->n ? "contains a NUL byte" : "empty");
        return DH_BAD_NAME;
    }
    q->name.text = nm->s;
    q->name.len = nm->n;
    return DH_OK;
}

static enum dh_status
get_ids(const struct r53_fields *f, struct dns_scratch *s,
        struct dns_query *q, char *err, size_t errlen)
{
    static const int keys[] = { K_ACCOUNT_ID, K_REGION, K_VPC_ID,
                                K_FW_GROUP, K_FW_ACTION, K_FW_LIST };
    const char **out[] = { &q->account_id, &q->region, &q->vpc_id,
                           &q->fw_rule_group, &q->fw_action,
                           &q->fw_domain_list };
    enum dh_status rc;

    for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++) {
        int k = keys[i];
        rc = text(&f->f[k], key_names[k], 0, s->text[k], out[i], err,
                  errlen);
        if (rc != DH_OK)
            return rc;
    }
    return DH_OK;
}

enum dh_status
dns_convert(const struct r53_fields *f, struct dns_scratch *s,
            struct dns_query *q, char *err, size_t errlen)
{
    const char *transport;
    enum dh_status rc;

    memset(q, 0, sizeof *q);
    if ((rc = get_time_and_name(f, q, err, errlen)) ||
        (rc = mnemonic(f, K_QUERY_TYPE, 1, s, &q->qtype, err, errlen)) ||
        (rc = mnemonic(f, K_QUERY_CLASS, 0, s, &q->qclass, err, errlen)) ||
        (rc = mnemonic(f, K_RCODE, 1, s, &q->rcode, err, errlen)) ||
        (rc = get_srcaddr(f, s, q, err, errlen)) ||
        (rc = get_srcport(&f->f[K_SRCPORT], q, err, errlen)) ||
        (rc = get_version(f, s, q, err, errlen)) ||
        (rc = get_ids(f, s, q, err, errlen)) ||
        (rc = mnemonic(f, K_TRANSPORT, 0, s, &transport, err, errlen)) ||
        (rc = get_srcids(f, s, q, err, errlen)) ||
        (rc = get_answers(f, s, q, err, errlen)))
        return rc;
    q->transport = !transport ? -1 : strcmp(transport, "UDP") == 0 ? 17 :
                   strcmp(transport, "TCP") == 0 ? 6 : 0;
    return DH_OK;
}

void
dns_scratch_free(struct dns_scratch *s)
{
    buf_free(&s->answers_json);
    buf_free(&s->decoded);
    free(s->answers);
    s->answers = NULL;
    s->answers_cap = 0;
}
