/* SPDX-License-Identifier: MIT
 *
 * Reading and printing the scoring configuration (see config.h).
 */
#include "core/config.h"

#include <errno.h>
#include <fcntl.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/util.h"

/* A number of [rules]: where it lives in struct rules and what it is. */
struct rule_key {
    const char *key;
    size_t      off;
    const char *help;
    double      max;        /* largest value that makes sense */
};

#define RK(name, help) { #name, offsetof(struct rules, name), help, 1e12 }
#define RS(name, help) { #name, offsetof(struct rules, name), help, 1.0 }
static const struct rule_key rule_keys[] = {
    RS(alert, "host score at which it alerts"),
    RS(dga_threshold, "dga_score of a DGA candidate (0: the model's "
       "1e-3 threshold)"),
    RS(dga_fpr, "share of benign names above that threshold"),
    RK(min_queries, "queries a host needs before ratio rules apply"),
    RK(bytes_per_query, "mean estimated bytes per query"),
    RK(bytes_per_query_strong, "the same, for a strong signal"),
    RS(txt_share, "share of TXT queries (SPF, DKIM, DMARC apart)"),
    RS(nxdomain_ratio, "share of NXDOMAIN answers (search path, "
       "blocklists, single labels apart)"),
    RK(max_resolvers, "distinct DNS servers a host may use"),
    RK(long_name, "characters of a long name"),
    RK(dns_bytes_day, "DNS bytes a host may send and receive in a day"),
    RS(tunnel_score, "tunnel score of a host and domain that is a "
       "reason"),
    RK(doh_flows_day, "4 times the ordinary DoH connections a day, when "
       "few hosts use DoH"),
    RK(bypass_packets, "packets to an outside DNS server for full "
       "strength"),
    RK(beacon_min, "queries of a beacon, at least"),
    RK(beacon_cv, "coefficient of variation of a beacon's gaps, at most"),
    RK(beacon_min_gap, "seconds between a beacon's queries, at least"),
    RK(beacon_max_hosts, "hosts asking for a beacon's domain, at most"),
    RK(beacon_fleet, "active hosts before a lone beacon counts more"),
    RK(spike_mads, "MADs above the host's own median for a spike"),
    RS(spike_fleet, "fleet percentile a spike must also pass"),
    RK(flux_addresses, "distinct answer addresses of fast flux"),
    RK(flux_nets, "distinct /16 networks of fast flux"),
    RK(attribution_lag, "seconds a flow record may trail its packet"),
    RK(attribution_slack, "seconds of clock slack either way"),
    RS(attribution_match, "share of a domain's queries a client must "
       "explain"),
};
#undef RK
#undef RS

static const char *const list_names[CL_COUNT] = {
    [CL_RESOLVERS] = "resolvers", [CL_DOH] = "doh_resolvers",
    [CL_INTERNAL] = "internal_zones", [CL_SEARCH] = "search_domains",
    [CL_ASN_DB] = "asn_database",
    [CL_LEXICAL_ALLOW] = "lexical_allow", [CL_AGENTS] = "security_agents",
    [CL_DNSBL] = "dnsbl_zones",
};

static const char *const list_section[CL_COUNT] = {
    [CL_RESOLVERS] = "network", [CL_DOH] = "network",
    [CL_INTERNAL] = "network", [CL_SEARCH] = "network",
    [CL_ASN_DB] = "network",
    [CL_LEXICAL_ALLOW] = "noise", [CL_AGENTS] = "noise",
    [CL_DNSBL] = "noise",
};

static const char *const list_help[CL_COUNT] = {
    [CL_RESOLVERS] = "the organisation's own DNS servers (DNS flows to "
        "others are a bypass);\n# servers that forward to the VPC "
        "resolver are found from the logs as well",
    [CL_DOH] = "public DNS-over-HTTPS resolvers (port 443 to them is DoH)",
    [CL_INTERNAL] = "the organisation's own zones (never DGA candidates)",
    [CL_SEARCH] = "search-path suffixes: NXDOMAIN under them is counted "
        "apart",
    [CL_ASN_DB] = "IP-to-ASN data for asn allow-list entries: the path of "
        "an MMDB file\n# (GeoLite2-ASN, DB-IP ASN Lite) or of an "
        "iptoasn.com TSV table",
    [CL_LEXICAL_ALLOW] = "parents whose labels look random (CDNs, cloud "
        "endpoints):\n# no DGA signal; tunnel volume under them still "
        "counts",
    [CL_AGENTS] = "hashed look-up zones of security agents and tools "
        "(Sophos, McAfee GTI,\n# Team Cymru's malware hashes, which Zeek "
        "asks): encoded names there\n# count only at tunnel volume",
    [CL_DNSBL] = "blocklist zones: reversed-address look-ups are not "
        "tunnels",
};

static const char *const default_lists[CL_COUNT] = {
    [CL_RESOLVERS] = "",
    [CL_DOH] = "1.1.1.1 1.0.0.1 8.8.8.8 8.8.4.4 9.9.9.9 149.112.112.112 "
        "104.16.248.249 104.16.249.249 "
        "208.67.222.222 208.67.220.220 94.140.14.14 94.140.15.15 "
        "45.90.28.0 45.90.30.0 185.228.168.9 76.76.2.0 "
        "2606:4700:4700::1111 2606:4700:4700::1001 "
        "2001:4860:4860::8888 2001:4860:4860::8844 2620:fe::fe",
    [CL_INTERNAL] = "",
    [CL_ASN_DB] = "",
    [CL_SEARCH] = "ec2.internal compute.internal cluster.local "
        "svc.cluster.local",
    [CL_LEXICAL_ALLOW] = "cloudfront.net akamaiedge.net akamai.net "
        "akamaihd.net edgekey.net edgesuite.net akamaized.net r2.dev "
        "r2.cloudflarestorage.com blob.core.windows.net azurefd.net "
        "azureedge.net trafficmanager.net cloudapp.azure.com "
        "windows.net amazonaws.com aws awsglobalaccelerator.com "
        "elasticbeanstalk.com googlevideo.com gvt1.com "
        "googleusercontent.com 1e100.net fastly.net fastlylb.net "
        "cdn77.org llnwd.net herokuapp.com",
    [CL_AGENTS] = "sophosxl.net avqs.mcafee.com avts.mcafee.com "
        "hash.cymru.com",
    [CL_DNSBL] = "zen.spamhaus.org sbl.spamhaus.org xbl.spamhaus.org "
        "dq.spamhaus.net "
        "pbl.spamhaus.org dbl.spamhaus.org bl.spamcop.net "
        "b.barracudacentral.org dnsbl.sorbs.net cbl.abuseat.org "
        "psbl.surriel.com bl.mailspike.net dnsbl-1.uceprotect.net "
        "ix.dnsbl.manitu.net dnsbl.dronebl.org multi.surbl.org "
        "multi.uribl.com list.dnswl.org bl.score.senderscore.com",
};

const char *
config_list_name(enum config_list l)
{
    return (unsigned)l < CL_COUNT ? list_names[l] : "?";
}

/* --- Lists --- */

static void
list_add(struct strlist *l, const char *w, size_t n)
{
    char *s = xstrndup(w, n);

    for (char *p = s; *p; p++)         /* names compare in lower case */
        if (*p >= 'A' && *p <= 'Z')
            *p = (char)(*p + 32);
    if (n > 1 && s[n - 1] == '.')
        s[n - 1] = '\0';
    for (size_t i = 0; i < l->n; i++)
        if (strcmp(l->v[i], s) == 0) {
            free(s);
            return;
        }
    l->v = xrealloc(l->v, (l->n + 1) * sizeof *l->v);
    l->v[l->n++] = s;
}

static void
list_remove(struct strlist *l, const char *w, size_t n)
{
    for (size_t i = 0; i < l->n; i++)
        if (strlen(l->v[i]) == n && strncasecmp(l->v[i], w, n) == 0) {
            free(l->v[i]);
            memmove(l->v + i, l->v + i + 1, (l->n - i - 1) * sizeof *l->v);
            l->n--;
            return;
        }
}

static void
list_clear(struct strlist *l)
{
    for (size_t i = 0; i < l->n; i++)
        free(l->v[i]);
    free(l->v);
    l->v = NULL;
    l->n = 0;
}

/* Apply the words of text to l: op '=' sets, '+' adds, '-' removes. */
static void
list_apply(struct strlist *l, int op, const char *text)
{
    if (op == '=')
        list_clear(l);
    for (const char *p = text; *p;) {
        while (*p == ' ' || *p == '\t' || *p == ',')
            p++;
        size_t n = strcspn(p, " \t,");
        if (n && op == '-')
            list_remove(l, p, n);
        else if (n)
            list_add(l, p, n);
        p += n;
    }
}

/* --- Reading --- */

static char *
trim(char *s)
{
    char *e;

    while (*s == ' ' || *s == '\t')
        s++;
    e = s + strlen(s);
    while (e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r' ||
                     e[-1] == '\n'))
        *--e = '\0';
    return s;
}

static int
set_number(struct config *c, const char *section, const char *key,
           const char *val, char *why, size_t whylen)
{
    char *end;
    double v;

    errno = 0;
    v = strtod(val, &end);
    if (errno || end == val || *trim(end) || v != v || v < 0 || v > 1e12) {
        snprintf(why, whylen, "not a number >= 0: '%.40s'", val);
        return -1;
    }
    if (strcmp(section, "weights") == 0) {
        enum reason_code r = verdict_lookup(key);
        if (r == RC_COUNT) {
            snprintf(why, whylen, "no reason is called '%.40s'", key);
            return -1;
        }
        if (v > 1) {
            snprintf(why, whylen, "a weight is between 0 and 1");
            return -1;
        }
        c->rules.weight[r] = v;
        return 0;
    }
    for (size_t i = 0; i < sizeof rule_keys / sizeof *rule_keys; i++)
        if (strcmp(key, rule_keys[i].key) == 0) {
            if (v > rule_keys[i].max) {
                snprintf(why, whylen, "%s is a share, between 0 and 1", key);
                return -1;
            }
            *(double *)((char *)&c->rules + rule_keys[i].off) = v;
            return 0;
        }
    snprintf(why, whylen, "unknown key '%.40s' in [rules]", key);
    return -1;
}

/* 1 when every item of a list's text is a name or address: printable
 * ASCII only (internationalised names go in punycode). */
static int
ascii_items(const char *text)
{
    for (const unsigned char *p = (const unsigned char *)text; *p; p++)
        if (*p < 0x20 || *p > 0x7e || *p == '"' || *p == '\\')
            return 0;
    return 1;
}

/* Apply one "key op value" line of section; -1 with why on error. */
static int
apply_line(struct config *c, const char *section, char *line, char *why,
           size_t whylen)
{
    char *eq = strchr(line, '=');
    int op = '=';

    if (!eq) {
        snprintf(why, whylen, "expected 'key = value'");
        return -1;
    }
    if (eq > line && (eq[-1] == '+' || eq[-1] == '-')) {
        op = eq[-1];
        eq[-1] = '\0';
    }
    *eq = '\0';
    char *key = trim(line), *val = trim(eq + 1);
    if (strcmp(section, "rules") == 0 || strcmp(section, "weights") == 0) {
        if (op != '=') {
            snprintf(why, whylen, "'%c=' only applies to lists", op);
            return -1;
        }
        return set_number(c, section, key, val, why, whylen);
    }
    for (int l = 0; l < CL_COUNT; l++)
        if (strcmp(section, list_section[l]) == 0 &&
            strcmp(key, list_names[l]) == 0) {
            if (l == CL_ASN_DB) {       /* one path, as written */
                list_clear(&c->list[l]);
                if (op != '-' && *val) {
                    c->list[l].v = xmalloc(sizeof *c->list[l].v);
                    c->list[l].v[c->list[l].n++] = xstrdup(val);
                }
                return 0;
            }
            if (!ascii_items(val)) {
                snprintf(why, whylen, "%s takes names and addresses in "
                         "ASCII (punycode for others)", key);
                return -1;
            }
            list_apply(&c->list[l], op, val);
            return 0;
        }
    snprintf(why, whylen, "unknown key '%.40s' in [%.20s]", key, section);
    return -1;
}

static int
known_section(const char *s, size_t n)
{
    static const char *const names[] = { "rules", "weights", "network",
                                         "noise" };

    for (size_t i = 0; i < sizeof names / sizeof *names; i++)
        if (strlen(names[i]) == n && memcmp(s, names[i], n) == 0)
            return 1;
    return 0;
}

/* One line of the file; -1 with the message in err. */
static int
read_line(struct config *c, char *line, char *section, size_t seclen,
          const char *shown, unsigned long no, char *err, size_t errlen)
{
    char why[160], *s, *hash;

    if ((hash = strchr(line, '#')))
        *hash = '\0';
    s = trim(line);
    if (!*s)
        return 0;
    if (*s == '[') {
        char *close = strchr(s, ']');
        size_t n = close ? (size_t)(close - s - 1) : 0;
        if (!close || n >= seclen || *trim(close + 1) ||
            !known_section(s + 1, n)) {
            snprintf(err, errlen, "%s:%lu: unknown section (rules, "
                     "weights, network or noise)", shown, no);
            return -1;
        }
        memcpy(section, s + 1, n);
        section[n] = '\0';
        return 0;
    }
    if (!*section) {
        snprintf(err, errlen, "%s:%lu: a setting before any [section]",
                 shown, no);
        return -1;
    }
    if (apply_line(c, section, s, why, sizeof why) != 0) {
        char safe[200];
        snprintf(err, errlen, "%s:%lu: %s", shown, no,
                 escape_bytes(safe, sizeof safe, why, strlen(why)));
        return -1;
    }
    return 0;
}

static int
read_file(struct config *c, FILE *f, const char *shown, char *err,
          size_t errlen)
{
    char *line = NULL, section[32] = "";
    size_t cap = 0;
    ssize_t len;
    unsigned long no = 0;
    int rc = 0;

    while (rc == 0 && (len = getline(&line, &cap, f)) >= 0) {
        char *start = line;
        no++;
        if (len > 8192) {
            snprintf(err, errlen, "%s:%lu: line too long", shown, no);
            rc = -1;
        } else if (memchr(line, '\0', (size_t)len)) {
            snprintf(err, errlen, "%s:%lu: a NUL byte", shown, no);
            rc = -1;
        } else {
            if (no == 1 && memcmp(line, "\xef\xbb\xbf", 3) == 0)
                start += 3;             /* a UTF-8 byte-order mark */
            rc = read_line(c, start, section, sizeof section, shown, no,
                           err, errlen);
        }
    }
    if (rc == 0 && ferror(f)) {
        snprintf(err, errlen, "%s: read error", shown);
        rc = -1;
    }
    free(line);
    return rc;
}

char *
config_default_path(void)
{
    const char *env = getenv("DNSHUNT_CONFIG"), *xdg, *home;
    struct buf b = { 0 };
    struct stat st;

    if (env && *env)
        return xstrdup(env);
    xdg = getenv("XDG_CONFIG_HOME");
    home = getenv("HOME");
    if (xdg && *xdg)
        buf_printf(&b, "%s/dnshunt/config", xdg);
    else if (home && *home)
        buf_printf(&b, "%s/.config/dnshunt/config", home);
    else
        return NULL;
    if (stat(b.data, &st) != 0) {
        buf_free(&b);
        return NULL;
    }
    return b.data;
}

int
config_load(struct config *c, const char *path, char *err, size_t errlen)
{
    char shown[300];
    FILE *f;
    int rc;

    memset(c, 0, sizeof *c);
    verdict_defaults(&c->rules);
    for (int l = 0; l < CL_COUNT; l++)
        list_apply(&c->list[l], '=', default_lists[l]);
    c->path = path ? xstrdup(path) : config_default_path();
    if (!c->path)
        return 0;
    escape_bytes(shown, sizeof shown, c->path, strlen(c->path));
    /* a FIFO or a device would hang: regular files only */
    int fd = open(c->path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
    struct stat st;
    if (fd < 0 || fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) ||
        !(f = fdopen(fd, "r"))) {
        snprintf(err, errlen, "%s: %s", shown, fd < 0 ? strerror(errno)
                 : "not a regular file");
        if (fd >= 0)
            close(fd);
        return -1;
    }
    rc = read_file(c, f, shown, err, errlen);
    fclose(f);
    return rc;
}

void
config_free(struct config *c)
{
    for (int l = 0; l < CL_COUNT; l++)
        list_clear(&c->list[l]);
    free(c->path);
    c->path = NULL;
}

/* --- Printing and look-ups --- */

/* v in the shortest form that reads back the same. */
static const char *
exact(double v)
{
    static char out[40];

    snprintf(out, sizeof out, "%g", v);
    if (strtod(out, NULL) != v)
        snprintf(out, sizeof out, "%.17g", v);
    return out;
}

/* A path as written when it is printable UTF-8 (so the output reads
 * back as the same path), else escaped. */
static void
print_path(const char *p, FILE *out)
{
    const unsigned char *u = (const unsigned char *)p;
    size_t n = strlen(p);
    char safe[600];

    for (size_t i = 0; i < n;) {
        unsigned long cp;
        size_t len = u[i] >= 0x80 ? utf8_at(u + i, n - i, &cp) : 1;
        if (!len || (len == 1 && (u[i] < 0x20 || u[i] == 0x7f)) ||
            (len > 1 && cp < 0xa0)) {
            fprintf(out, " %s", escape_bytes(safe, sizeof safe, p, n));
            return;
        }
        i += len;
    }
    fprintf(out, " %s", p);
}

static void
print_list(const struct config *c, enum config_list l, FILE *out)
{
    size_t col;

    fprintf(out, "# %s\n%s =", list_help[l], list_names[l]);
    if (l == CL_ASN_DB) {               /* one path, on one line */
        const char *p = c->list[l].n ? c->list[l].v[0] : NULL;
        const char *slash = c->path ? strrchr(c->path, '/') : NULL;
        struct buf b = { 0 };
        if (p && p[0] != '/' && c->path) {  /* as scoring reads it, */
            char *dir = xstrndup(c->path, slash ? (size_t)(slash - c->path)
                                                : 0);
            char *abs = realpath(*dir ? dir : ".", NULL);  /* absolute */
            buf_printf(&b, "%s/%s", abs ? abs : dir, p);
            free(abs);
            free(dir);
            p = b.data;
        }
        if (p)
            print_path(p, out);
        buf_free(&b);
        fputs("\n\n", out);
        return;
    }
    col = strlen(list_names[l]) + 2;
    for (size_t i = 0; i < c->list[l].n; i++) {
        char safe[300];
        const char *w = escape_bytes(safe, sizeof safe, c->list[l].v[i],
                                     strlen(c->list[l].v[i]));
        if (col + strlen(w) + 1 > 76) {
            fprintf(out, "\n%s +=", list_names[l]);
            col = strlen(list_names[l]) + 3;
        }
        fprintf(out, " %s", w);
        col += strlen(w) + 1;
    }
    fputs("\n\n", out);
}

void
config_print(const struct config *c, FILE *out)
{
    char safe[300];

    fprintf(out, "# dnshunt scoring configuration (%s)\n\n[rules]\n",
            c->path ? escape_bytes(safe, sizeof safe, c->path,
                                   strlen(c->path))
                    : "built-in defaults");
    for (size_t i = 0; i < sizeof rule_keys / sizeof *rule_keys; i++) {
        double v = *(const double *)((const char *)&c->rules +
                                     rule_keys[i].off);
        fprintf(out, "# %s\n%s = %s\n", rule_keys[i].help, rule_keys[i].key,
                exact(v));
    }
    fputs("\n[weights]\n# each reason's strength is multiplied by its "
          "weight\n", out);
    for (int r = 0; r < RC_COUNT; r++)
        fprintf(out, "%s = %s\n", verdict_code((enum reason_code)r),
                exact(c->rules.weight[r]));
    fputs("\n[network]\n", out);
    for (int l = 0; l < CL_COUNT; l++) {
        if (l == CL_LEXICAL_ALLOW)
            fputs("[noise]\n", out);
        print_list(c, (enum config_list)l, out);
    }
}

int
config_under(const struct config *c, enum config_list l, const char *norm)
{
    size_t n = strlen(norm);

    for (size_t i = 0; i < c->list[l].n; i++) {
        const char *z = c->list[l].v[i];
        size_t k = strlen(z);
        if (n >= k && memcmp(norm + n - k, z, k) == 0 &&
            (n == k || norm[n - k - 1] == '.'))
            return 1;
    }
    return 0;
}

int
config_has(const struct config *c, enum config_list l, const char *addr)
{
    for (size_t i = 0; i < c->list[l].n; i++)
        if (strcasecmp(c->list[l].v[i], addr) == 0)
            return 1;
    return 0;
}

unsigned long long
config_digest(const struct config *c)
{
    char *text = NULL;
    size_t n = 0;
    FILE *f = open_memstream(&text, &n);
    unsigned long long h;
    struct config copy = *c;

    copy.path = NULL;                   /* the content, not the place */
    config_print(&copy, f);
    fclose(f);
    h = fnv1a(text, n);
    free(text);
    return h;
}
