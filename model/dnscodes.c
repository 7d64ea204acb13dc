/* SPDX-License-Identifier: MIT
 *
 * Tables of DNS type, rcode and class mnemonics (see dnscodes.h).
 */
#include "model/dnscodes.h"

#include <stdlib.h>
#include <string.h>

static const struct dns_code types[] = {
    { "A", 1 }, { "NS", 2 }, { "CNAME", 5 }, { "SOA", 6 }, { "MB", 7 },
    { "MG", 8 }, { "MR", 9 }, { "NULL", 10 }, { "WKS", 11 },
    { "PTR", 12 }, { "HINFO", 13 }, { "MINFO", 14 }, { "MX", 15 },
    { "TXT", 16 }, { "RP", 17 }, { "AFSDB", 18 }, { "SIG", 24 },
    { "KEY", 25 }, { "AAAA", 28 }, { "LOC", 29 }, { "SRV", 33 },
    { "NAPTR", 35 }, { "KX", 36 }, { "CERT", 37 }, { "DNAME", 39 },
    { "OPT", 41 }, { "APL", 42 }, { "DS", 43 }, { "SSHFP", 44 },
    { "IPSECKEY", 45 }, { "RRSIG", 46 }, { "NSEC", 47 },
    { "DNSKEY", 48 }, { "DHCID", 49 }, { "NSEC3", 50 },
    { "NSEC3PARAM", 51 }, { "TLSA", 52 }, { "SMIMEA", 53 },
    { "HIP", 55 }, { "CDS", 59 }, { "CDNSKEY", 60 },
    { "OPENPGPKEY", 61 }, { "CSYNC", 62 }, { "ZONEMD", 63 },
    { "SVCB", 64 }, { "HTTPS", 65 }, { "SPF", 99 }, { "NID", 104 },
    { "L32", 105 }, { "L64", 106 }, { "LP", 107 }, { "EUI48", 108 },
    { "EUI64", 109 }, { "TKEY", 249 }, { "TSIG", 250 }, { "IXFR", 251 },
    { "AXFR", 252 }, { "MAILB", 253 }, { "MAILA", 254 }, { "ANY", 255 },
    { "URI", 256 }, { "CAA", 257 }, { "AVC", 258 }, { "DOA", 259 },
    { "AMTRELAY", 260 }, { "TA", 32768 }, { "DLV", 32769 },
};

static const struct dns_code rcodes[] = {
    { "NOERROR", 0 }, { "FORMERR", 1 }, { "SERVFAIL", 2 },
    { "NXDOMAIN", 3 }, { "NOTIMP", 4 }, { "REFUSED", 5 },
    { "YXDOMAIN", 6 }, { "YXRRSET", 7 }, { "NXRRSET", 8 },
    { "NOTAUTH", 9 }, { "NOTZONE", 10 }, { "DSOTYPENI", 11 },
    { "BADVERS", 16 }, { "BADKEY", 17 }, { "BADTIME", 18 },
    { "BADMODE", 19 }, { "BADNAME", 20 }, { "BADALG", 21 },
    { "BADTRUNC", 22 }, { "BADCOOKIE", 23 },
};

static const struct dns_code classes[] = {
    { "IN", 1 }, { "CH", 3 }, { "HS", 4 }, { "NONE", 254 }, { "ANY", 255 },
};

/* Parse PREFIXnnn (nnn in 0..65535) as in RFC 3597; -1 otherwise. */
static int
generic_code(const char *name, const char *prefix)
{
    size_t n = strlen(prefix);
    long v = 0;

    if (strncmp(name, prefix, n) != 0 || name[n] == '\0')
        return -1;
    for (const char *p = name + n; *p; p++) {
        if (*p < '0' || *p > '9' || p - (name + n) >= 5)
            return -1;
        v = v * 10 + (*p - '0');
    }
    return v <= 65535 ? (int)v : -1;
}

static int
lookup(const struct dns_code *t, size_t n, const char *name)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(t[i].name, name) == 0)
            return t[i].code;
    return -1;
}

int
dns_type_code(const char *name)
{
    int c = lookup(types, sizeof types / sizeof types[0], name);

    return c >= 0 ? c : generic_code(name, "TYPE");
}

int
dns_rcode_code(const char *name)
{
    int c = lookup(rcodes, sizeof rcodes / sizeof rcodes[0], name);

    return c >= 0 ? c : generic_code(name, "RCODE");
}

int
dns_class_code(const char *name)
{
    int c = lookup(classes, sizeof classes / sizeof classes[0], name);

    return c >= 0 ? c : generic_code(name, "CLASS");
}

const struct dns_code *
dns_type_table(size_t *n)
{
    *n = sizeof types / sizeof types[0];
    return types;
}

const struct dns_code *
dns_class_table(size_t *n)
{
    *n = sizeof classes / sizeof classes[0];
    return classes;
}

const struct dns_code *
dns_rcode_table(size_t *n)
{
    *n = sizeof rcodes / sizeof rcodes[0];
    return rcodes;
}
