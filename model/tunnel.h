/* SPDX-License-Identifier: MIT
 *
 * How much a subdomain looks like encoded data, and how much the names
 * one host sends under one domain look like a DNS tunnel or an
 * exfiltration channel. Pure computation.
 *
 * Tunnel tools put their data in the labels left of a domain they own:
 * hex (dnscat2, Cobalt Strike), base32 (iodine, Sliver), base64 with
 * '-' and '_' (DNSExfiltrator, iodine Base64u) or raw 8-bit bytes that
 * resolvers log as \DDD escapes (iodine Base128). Each name is unique,
 * so it misses every cache and is logged. The shape of one name says
 * whether it carries data; the count, size and query types of many
 * names under one domain say whether a channel is running.
 */
#ifndef DNSHUNT_TUNNEL_H
#define DNSHUNT_TUNNEL_H

#include <stddef.h>

/* The alphabet a subdomain is written in, from the narrowest up. */
enum sub_alphabet {
    SA_NONE,        /* no subdomain */
    SA_TEXT,        /* letters of one case, no digits: words or a label */
    SA_HEX,         /* 0-9 and a-f only */
    SA_BASE32,      /* a-z and 2-7 (or iodine's 0-5), one case */
    SA_ALNUM,       /* letters of one case and digits */
    SA_BASE64,      /* mixed case letters, digits, '-', '_', '+', '/', '=' */
    SA_8BIT,        /* bytes above 127 (logged as \DDD) */
    SA_OTHER,       /* anything else */
    SA_HOST,        /* letters of one case, digits and hyphens: a
                       hostname (or a UUID), not an encoding */
    SA_COUNT
};

/* The alphabet's short name ("hex", "base32", ...); never NULL. */
const char *tn_alphabet_name(enum sub_alphabet a);

/* What one subdomain looks like. */
struct sub_shape {
    unsigned symbols;       /* data bytes: characters without dots, an
                               escape counts as one */
    unsigned labels;        /* labels of the subdomain */
    unsigned longest;       /* longest label, in bytes */
    enum sub_alphabet alpha;
    double   entropy;       /* Shannon entropy per symbol, bits */
    double   payload_bits;  /* data it could carry: symbols times the
                               alphabet's bits per symbol */
    int      encoded;       /* 1 when it looks like encoded data */
    int      ip_labels;     /* 1 for a reversed IPv4 or IPv6 address
                               (blocklist and reverse look-ups) */
    int      service_label; /* 1 when a label starts with '_' (_dmarc,
                               _domainkey, SRV): a protocol, not data */
    unsigned distinct;      /* distinct byte values */
};

/*
 * Describe the subdomain s[0..n) as logged (case kept, \DDD escapes
 * as written, dots between labels). n == 0 gives alpha SA_NONE.
 */
void tn_shape(const char *s, size_t n, struct sub_shape *out);

/* Mean log-probability per transition, under the benign character
 * model, below which letters of one case are random, not words: random
 * strings score about -4, English and hostnames -2 to -3. */
#define TN_TEXT_MARKOV -3.5

/*
 * A subdomain in letters of one case (SA_TEXT, or SA_HOST with its
 * digits and hyphens) of 24 symbols or more whose letters the benign
 * Markov chain finds this unlikely (markov < TN_TEXT_MARKOV) is data
 * too, however few letters it uses (a-p for nibbles): mark it encoded,
 * log2(distinct) bits a symbol.
 */
void tn_text_encoded(struct sub_shape *s, double markov);

/* What the names from one host under one domain add up to. */
struct tunnel_stats {
    double queries;         /* queries */
    double unique;          /* distinct names with a subdomain */
    double encoded;         /* of those, names that look like data */
    double payload_bits;    /* data carried by the encoded names */
    double rare_types;      /* TXT, NULL, KEY, PRIVATE, ANY, CNAME, MX,
                               SRV queries */
    double answered_data;   /* queries whose answer carried records of a
                               data type (TXT, NULL, CNAME, MX, ...) */
    double empty;           /* queries answered with no record (NXDOMAIN,
                               NODATA): a channel that only sends */
    double longest;         /* longest subdomain label seen */
};

/* Bytes of data per encoded name at which the size factor is full. */
#define TN_FULL_PAYLOAD 40.0
/* Encoded names that make the volume factor one half. */
#define TN_HALF_VOLUME  20.0

/*
 * The tunnel score in [0, 1]: the share of names that carry data, times
 * a volume factor (1 - 2^(-encoded / 20)), times a size factor
 * (0.5 + 0.5 * min(1, bytes per encoded name / 40)), times a type
 * factor (0.6 + 0.4 * the larger of the shares of rare query types and
 * of empty answers). Zero without encoded names.
 */
double tn_score(const struct tunnel_stats *t);

/*
 * 1 when the channel sends data upstream only (exfiltration, ATT&CK
 * T1048.003): few of its answers carry records; 0 when answers carry
 * data back (a two-way tunnel, T1572).
 */
int tn_upstream_only(const struct tunnel_stats *t);

#endif
