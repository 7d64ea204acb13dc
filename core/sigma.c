/* SPDX-License-Identifier: MIT
 *
 * The Sigma rules (see sigma.h). Every string is written single-quoted
 * (a quote doubled), and every number in a form YAML reads as a number.
 */
#include "core/sigma.h"

#include <string.h>
#include <time.h>

#include "core/indicators.h"
#include "core/stix.h"
#include "core/util.h"

/* The namespace of the rules' UUIDv5 ids. */
static const unsigned char rule_ns[16] = {
    0x64, 0x6e, 0x73, 0x68, 0x75, 0x6e, 0x74, 0x2d,
    0x73, 0x69, 0x67, 0x6d, 0x61, 0x2d, 0x72, 0x31,
};

struct out {
    struct buf b;
    const struct config *c;
    char date[16];
    int n;
};

static void
quoted(struct buf *b, const char *s)
{
    buf_addc(b, '\'');
    for (; *s; s++) {
        if (*s == '\'')
            buf_addc(b, '\'');
        if ((unsigned char)*s < 0x20 || *s == 0x7f)
            buf_addc(b, '?');       /* no control byte in a scalar */
        else
            buf_addc(b, *s);
    }
    buf_addc(b, '\'');
}

/* A number YAML 1.1 and 1.2 both read as one: 5000000, 0.873. */
static void
number(struct buf *b, double v)
{
    char t[64];

    if (v == (double)(long long)v && v > -1e15 && v < 1e15) {
        snprintf(t, sizeof t, "%lld", (long long)v);
    } else {
        /* seven significant digits (a model's thresholds are floats),
         * in plain notation: YAML 1.1 reads 4e-07 as a string */
        snprintf(t, sizeof t, "%.7g", v);
        if (strchr(t, 'e')) {
            size_t n = (size_t)snprintf(t, sizeof t, "%.15f", v);
            while (n > 2 && t[n - 1] == '0' && t[n - 2] != '.')
                t[--n] = '\0';
        }
    }
    buf_adds(b, t);
}

/* The tactics once each, then the techniques, as Sigma writes them. */
static void
tags(struct buf *b, const char *const *tech)
{
    unsigned mask = 0;

    for (const char *const *t = tech; *t; t++)
        for (size_t k = 0; k < TECH_COUNT; k++)
            if (strcmp(*t, tech_table[k].id) == 0)
                mask |= 1u << k;
    for (size_t k = 0; k < TECH_COUNT; k++) {
        int seen = 0;
        for (size_t j = 0; j < k; j++)
            seen |= (mask >> j & 1) &&
                    strcmp(tech_table[j].phase, tech_table[k].phase) == 0;
        if ((mask >> k & 1) && !seen)
            buf_printf(b, "  - attack.%s\n", tech_table[k].phase);
    }
    for (size_t k = 0; k < TECH_COUNT; k++) {
        char low[16];
        size_t i = 0;
        if (!(mask >> k & 1))
            continue;
        for (; tech_table[k].id[i] && i < sizeof low - 1; i++)
            low[i] = (char)(tech_table[k].id[i] | 0x20);
        low[i] = '\0';
        buf_printf(b, "  - attack.%s\n", low);
    }
}

/* The head every rule has, up to its tags. */
static void
head(struct out *o, const char *name, const char *title,
     const char *description, const char *const *tech, const char *level)
{
    char id[37];

    stix_uuid5(rule_ns, name, id);
    buf_adds(&o->b, o->n ? "---\ntitle: " : "title: ");
    quoted(&o->b, title);
    buf_printf(&o->b, "\nid: %s\nname: %s\nstatus: experimental\n"
               "description: ", id, name);
    quoted(&o->b, description);
    buf_printf(&o->b, "\nauthor: dnshunt\ndate: %s\nlevel: %s\n", o->date,
               level);
    buf_adds(&o->b, "references:\n");
    for (const char *const *t = tech; *t; t++)
        for (size_t k = 0; k < TECH_COUNT; k++)
            if (strcmp(*t, tech_table[k].id) == 0) {
                char url[96];
                tech_url(&tech_table[k], url, sizeof url);
                buf_printf(&o->b, "  - %s\n", url);
            }
    buf_adds(&o->b, "tags:\n");
    tags(&o->b, tech);
    o->n++;
}

static void
flows_source(struct out *o)
{
    buf_adds(&o->b, "logsource:\n  product: aws\n  service: vpcflowlogs\n");
}

static void
address_list(struct out *o, const char *field, enum config_list l)
{
    const struct strlist *s = &o->c->list[l];

    buf_printf(&o->b, "    %s:\n", field);
    for (size_t i = 0; i < s->n; i++) {
        buf_adds(&o->b, "      - ");
        quoted(&o->b, s->v[i]);
        buf_addc(&o->b, '\n');
    }
}

static void
base_rule(struct out *o)
{
    static const char *const tech[] = { "T1071.004", NULL };

    head(o, "dnshunt_dns_flows", "DNS flows in VPC Flow Logs",
         "Accepted flows to port 53 or 853. Flow logs never record the "
         "Amazon-provided resolver, so these are flows to custom "
         "resolvers or around them. The base of the DNS volume rule.",
         tech, "informational");
    flows_source(o);
    buf_adds(&o->b, "detection:\n  dns:\n    dstport:\n      - 53\n"
             "      - 853\n    action: ACCEPT\n  condition: dns\n"
             "falsepositives:\n  - 'Every DNS flow matches: this rule "
             "only feeds the correlation'\n");
}

static void
volume_rule(struct out *o)
{
    static const char *const tech[] = { "T1048.003", NULL };
    struct buf d = { 0 };

    buf_printf(&d, "A host sending more than %.0f bytes of DNS in a day, "
               "counted from its DNS flows (dnshunt rule dns_bytes_day).",
               o->c->rules.dns_bytes_day);
    head(o, "dnshunt_dns_volume", "DNS volume of a host over its daily "
         "limit", d.data, tech, "high");
    buf_adds(&o->b, "correlation:\n  type: value_sum\n  rules:\n"
             "    - dnshunt_dns_flows\n  group-by:\n    - srcaddr\n"
             "  timespan: 1d\n  condition:\n    field: bytes\n    gt: ");
    number(&o->b, o->c->rules.dns_bytes_day);
    buf_adds(&o->b, "\nfalsepositives:\n  - 'Custom resolvers and mail "
             "relays: list resolvers in the configuration'\n");
    buf_free(&d);
}

static void
bypass_rule(struct out *o)
{
    static const char *const tech[] = { "T1071.004", "T1090", NULL };
    int have = o->c->list[CL_RESOLVERS].n > 0;

    head(o, "dnshunt_resolver_bypass", "DNS around the organisation's "
         "resolvers",
         have ? "A DNS flow to a server that is not one of the "
                "organisation's resolvers (dnshunt [network] resolvers), "
                "from a host that is not one of them."
              : "A DNS flow to any server: no resolvers are configured "
                "in dnshunt ([network] resolvers), so every flow to port "
                "53 or 853 leaves the Amazon-provided resolver aside.",
         tech, "medium");
    flows_source(o);
    buf_adds(&o->b, "detection:\n  dns:\n    dstport:\n      - 53\n"
             "      - 853\n    action: ACCEPT\n");
    if (have) {
        buf_adds(&o->b, "  to_resolver:\n");
        address_list(o, "dstaddr", CL_RESOLVERS);
        buf_adds(&o->b, "  from_resolver:\n");
        address_list(o, "srcaddr", CL_RESOLVERS);
        buf_adds(&o->b, "  condition: dns and not to_resolver and not "
                 "from_resolver\n");
    } else {
        buf_adds(&o->b, "  condition: dns\n");
    }
    buf_adds(&o->b, "falsepositives:\n  - 'Resolvers not yet in the "
             "configuration'\n");
}

static void
doh_rule(struct out *o)
{
    static const char *const tech[] = { "T1071.001", "T1090", NULL };

    if (!o->c->list[CL_DOH].n)
        return;
    head(o, "dnshunt_doh", "DNS over HTTPS to a public resolver",
         "HTTPS flows to the public DNS-over-HTTPS resolvers dnshunt "
         "knows ([network] doh_resolvers): DNS the organisation's "
         "resolvers never see.", tech, "low");
    flows_source(o);
    buf_adds(&o->b, "detection:\n  doh:\n    dstport: 443\n"
             "    action: ACCEPT\n");
    address_list(o, "dstaddr", CL_DOH);
    buf_adds(&o->b, "  condition: doh\nfalsepositives:\n  - 'Browsers "
             "with secure DNS switched on'\n");
}

/* A rule over the domain lines dnshunt exports. */
static void
score_rule(struct out *o, const char *name, const char *title,
           const char *what, const char *field, double thr,
           const char *tech0, const char *level)
{
    const char *tech[] = { tech0, NULL };
    struct buf d = { 0 };

    buf_printf(&d, "%s: the lines of `dnshunt domains --format json` with "
               "%s at or over %.7g, the threshold in force when exported.", what,
               field, thr);
    head(o, name, title, d.data, tech, level);
    buf_printf(&o->b, "logsource:\n  product: dnshunt\n"
               "  category: dns-domains\ndetection:\n  selection:\n"
               "    %s|gte: ", field);
    number(&o->b, thr);
    buf_adds(&o->b, "\n  condition: selection\nfields:\n  - domain\n"
             "  - registrable\n  - hosts\n  - queries\n  - first_seen\n"
             "  - last_seen\nfalsepositives:\n  - 'Names an analyst has "
             "not yet allow-listed'\n");
    buf_free(&d);
}

int
sigma_export(FILE *out, const struct config *c, double dga_threshold,
             int64_t now_ms, int *n)
{
    struct out o = { .c = c };
    time_t t = (time_t)(now_ms / 1000);
    struct tm tm;
    int rc = 0;

    gmtime_r(&t, &tm);
    strftime(o.date, sizeof o.date, "%Y-%m-%d", &tm);
    base_rule(&o);
    volume_rule(&o);
    bypass_rule(&o);
    doh_rule(&o);
    score_rule(&o, "dnshunt_dga_domain", "Machine-generated domain",
               "A domain whose name looks machine-generated", "dga_score",
               dga_threshold, "T1568.002", "high");
    score_rule(&o, "dnshunt_dns_tunnel_domain", "DNS tunnel domain",
               "A domain whose queries carry data like a tunnel",
               "tunnel_score", c->rules.tunnel_score, "T1572", "high");
    if (fwrite(o.b.data, 1, o.b.len, out) != o.b.len)
        rc = -1;
    *n = o.n;
    buf_free(&o.b);
    return rc;
}
