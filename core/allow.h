/* SPDX-License-Identifier: MIT
 *
 * Allow-list entries as scoring and the views apply them: which names
 * and hosts an entry covers, and in what scope.
 *
 *   exact NAME        that name only
 *   suffix NAME       NAME and every name below it
 *   registrable NAME  every name whose registrable domain is NAME
 *   host ADDR         everything that host does
 *   cidr NET/LEN      every host in the network (IPv4 or IPv6)
 *   resolver ADDR     a DNS server of the organisation's: DNS flows to it
 *                     are no bypass
 *   asn AS16509       every domain whose answers all lie in that
 *                     autonomous system (from the [network] asn_database
 *                     of the configuration); scope lexical only
 *
 * Scope `all` hides what it covers from every signal; scope `lexical`
 * only silences the DGA signal, so a tunnel under an allow-listed parent
 * still shows. Expired entries do not apply.
 */
#ifndef DNSHUNT_ALLOW_H
#define DNSHUNT_ALLOW_H

#include <stddef.h>
#include <stdint.h>

#include "core/status.h"
#include "storage/db.h"

enum allow_kind { AK_EXACT, AK_SUFFIX, AK_REGISTRABLE, AK_HOST, AK_CIDR,
                  AK_RESOLVER, AK_ASN, AK_COUNT };

enum allow_scope { AS_ALL, AS_LEXICAL };

/* One entry in force. */
struct allow_item {
    int64_t          id;
    enum allow_kind  kind;
    enum allow_scope scope;
    char            *value;     /* normalised */
    unsigned char    net[16];   /* cidr: the network, v4 in the first 4 */
    int              bits, v6;
    uint32_t         asn;       /* asn: the number */
};

struct allow_list {
    struct allow_item *v;
    size_t             n;
};

/* The kind's name ("suffix"), or "?". */
const char *allow_kind_name(enum allow_kind k);

/*
 * Check and normalise an entry: kind and scope by name, value lower-
 * cased without a trailing dot (names), or an address or network in
 * canonical form. Fills *out, whose value points at norm (cap bytes).
 * Returns 0, or -1 with why in err.
 */
int allow_parse(const char *kind, const char *value, const char *scope,
                struct allow_item *out, char *norm, size_t cap, char *err,
                size_t errlen);

/* Load the entries in force at now_ms. DH_OK or DH_DB. */
enum dh_status allow_load(struct db *db, int64_t now_ms,
                          struct allow_list *l, char *err, size_t errlen);

/* Free the list. */
void allow_free(struct allow_list *l);

/*
 * The entry covering the name norm (with its registrable domain, which
 * may be NULL), the broadest scope first; NULL if none.
 */
const struct allow_item *allow_name(const struct allow_list *l,
                                    const char *norm,
                                    const char *registrable);

/* The entry covering host address addr (host or cidr), or NULL. */
const struct allow_item *allow_host(const struct allow_list *l,
                                    const char *addr);

/* 1 when addr is a resolver entry. */
int allow_resolver(const struct allow_list *l, const char *addr);

/* How many entries of kind k the list holds. */
int allow_has_kind(const struct allow_list *l, enum allow_kind k);

/* The asn entry for autonomous system asn, or NULL. */
const struct allow_item *allow_asn(const struct allow_list *l,
                                   uint32_t asn);

#endif
