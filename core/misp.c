/* SPDX-License-Identifier: MIT
 *
 * The MISP event (see misp.h). As MISP's core format asks, every
 * scalar but the booleans is a JSON string; strings go through
 * buf_add_json_text, so any name or note gives valid JSON.
 */
#include "core/misp.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/indicators.h"
#include "core/names.h"
#include "core/stix.h"
#include "core/util.h"

const char *const misp_tlp_levels[] = {
    "clear", "green", "amber", "amber+strict", "red", NULL,
};

/* The namespace of attribute ids: UUIDv5 of the name, so exporting a
 * name again updates its attribute in MISP rather than adding one. */
static const unsigned char attr_ns[16] = {
    0x6d, 0x69, 0x73, 0x70, 0x2d, 0x61, 0x74, 0x74,
    0x72, 0x2d, 0x64, 0x6e, 0x73, 0x68, 0x75, 0x6e,
};

/* The colours MISP's TLP taxonomy gives its tags. */
static const char *const tlp_colours[] = {
    "#ffffff", "#339900", "#ffc000", "#ffc000", "#cc0033",
};

/* The galaxy tag of technique t: its short name and id, as MISP's
 * mitre-attack-pattern galaxy names its clusters. */
static void
galaxy_tag(struct buf *b, const struct technique *t)
{
    const char *colon = strchr(t->name, ':');
    const char *shortname = colon ? colon + 2 : t->name;
    struct buf v = { 0 };

    buf_printf(&v, "misp-galaxy:mitre-attack-pattern=\"%s - %s\"",
               shortname, t->id);
    buf_adds(b, "{\"name\":");
    buf_add_json_text(b, v.data);
    buf_adds(b, ",\"colour\":\"#0088cc\",\"exportable\":true}");
    buf_free(&v);
}

static void
tags(struct buf *b, unsigned tech, const char *tlp_tag)
{
    int first = 1;

    buf_adds(b, ",\"Tag\":[");
    if (tlp_tag) {
        buf_adds(b, tlp_tag);
        first = 0;
    }
    for (size_t k = 0; k < TECH_COUNT; k++) {
        if (!(tech & (1u << k)))
            continue;
        if (!first)
            buf_addc(b, ',');
        galaxy_tag(b, &tech_table[k]);
        first = 0;
    }
    buf_addc(b, ']');
}

static void
json_str(struct buf *b, const char *key, const char *s)
{
    buf_printf(b, ",\"%s\":", key);
    buf_add_json_text(b, s);
}

static void
attribute(struct buf *b, const struct confirmed *c, const char *ts)
{
    struct buf cm = { 0 };
    char id[37], seen[32];
    int host = stix_hostname(c->name);
    struct name_parts parts;
    int registrable;

    /* a registrable domain is a MISP domain, a name below one a
     * hostname: from the public suffix list, scored or not */
    names_split(NULL, c->name, &parts);
    registrable = parts.domain && strcmp(parts.domain, c->name) == 0;

    stix_uuid5(attr_ns, c->name, id);   /* the same name, the same id */
    buf_printf(b, "{\"uuid\":\"%s\",\"category\":\"Network activity\","
               "\"type\":\"%s\",\"to_ids\":%s,\"distribution\":\"5\","
               "\"timestamp\":\"%s\"", id,
               !host ? "text" : registrable ? "domain" : "hostname",
               host ? "true" : "false", ts);
    json_str(b, "value", c->name);
    buf_printf(&cm, "Marked a true positive by %s", c->analyst);
    if (c->note)
        buf_printf(&cm, ": %s", c->note);
    if (!c->queries && !c->hosts && c->dga < 0)
        buf_adds(&cm, ". Not in the last scoring of this store");
    else
        buf_printf(&cm, ". dga_score %.3f, tunnel_score %.3f, %lld quer%s "
                   "from %lld host%s", c->dga < 0 ? 0 : c->dga, c->tunnel,
                   (long long)c->queries, c->queries == 1 ? "y" : "ies",
                   (long long)c->hosts, c->hosts == 1 ? "" : "s");
    buf_adds(&cm, host ? "." : "; not a valid hostname, kept as text.");
    json_str(b, "comment", cm.data);
    if (c->first_seen > 0 && c->last_seen >= c->first_seen) {
        stix_stamp(c->first_seen, seen);
        json_str(b, "first_seen", seen);
        stix_stamp(c->last_seen, seen);
        json_str(b, "last_seen", seen);
    }
    tags(b, c->found, NULL);        /* what the scoring found, no guess */
    buf_addc(b, '}');
    buf_free(&cm);
}

enum dh_status
misp_export(struct db *db, FILE *out, int64_t now_ms, const char *tlp,
            size_t *n, char *err, size_t errlen)
{
    struct confirmed_list l;
    struct buf b = { 0 }, tt = { 0 };
    char id[37], ts[24], date[16], org[37];
    unsigned used = 0;
    size_t level = 0;
    time_t t = (time_t)(now_ms / 1000);
    struct tm tm;
    enum dh_status rc = confirmed_gather(db, &l, err, errlen);

    while (misp_tlp_levels[level] && strcmp(misp_tlp_levels[level], tlp))
        level++;
    if (!misp_tlp_levels[level])
        level = 2;
    if (rc == DH_OK) {
        gmtime_r(&t, &tm);
        strftime(date, sizeof date, "%Y-%m-%d", &tm);
        snprintf(ts, sizeof ts, "%lld", (long long)t);
        stix_uuid4(id);
        stix_uuid5((const unsigned char *)"dnshunt-misp-org", "dnshunt",
                   org);
        for (size_t i = 0; i < l.n; i++)
            used |= l.v[i].found;
        buf_printf(&tt, "{\"name\":\"tlp:%s\",\"colour\":\"%s\","
                   "\"exportable\":true}", misp_tlp_levels[level],
                   tlp_colours[level]);
        buf_printf(&b, "{\"Event\":{\"uuid\":\"%s\",\"info\":\"dnshunt: "
                   "%zu DNS indicator%s confirmed by analysts\","
                   "\"date\":\"%s\",\"threat_level_id\":\"2\","
                   "\"analysis\":\"2\",\"distribution\":\"0\","
                   "\"timestamp\":\"%s\",\"published\":false,"
                   "\"Orgc\":{\"uuid\":\"%s\",\"name\":\"dnshunt\"}", id,
                   l.n, l.n == 1 ? "" : "s", date, ts, org);
        tags(&b, used, tt.data);
        buf_adds(&b, ",\"Attribute\":[");
        for (size_t i = 0; i < l.n; i++) {
            if (i)
                buf_addc(&b, ',');
            attribute(&b, &l.v[i], ts);
        }
        buf_adds(&b, "]}}\n");
        if (fwrite(b.data, 1, b.len, out) != b.len) {
            snprintf(err, errlen, "cannot write the event");
            rc = DH_IO;
        }
        *n = l.n;
    }
    confirmed_free(&l);
    buf_free(&b);
    buf_free(&tt);
    return rc;
}
