/* SPDX-License-Identifier: MIT
 *
 * Public-suffix splitting through libpsl (see names.h). The list is the
 * newer of the one built into libpsl and the system's copy.
 */
#include "core/names.h"

#include <arpa/inet.h>
#include <libpsl.h>
#include <string.h>

static const psl_ctx_t *
psl(void)
{
    static const psl_ctx_t *ctx;

    if (!ctx)
        ctx = psl_latest(NULL);
    if (!ctx)
        ctx = psl_builtin();
    return ctx;
}

static int
is_ip_literal(const char *s)
{
    unsigned char b[16];

    return inet_pton(AF_INET, s, b) == 1 || inet_pton(AF_INET6, s, b) == 1;
}

/* Longest suffix of norm (at a label start) that is an ICANN suffix. */
static const char *
icann_domain(const psl_ctx_t *ctx, const char *norm)
{
    const char *prev = NULL;

    for (const char *p = norm; p; ) {
        if (psl_is_public_suffix2(ctx, p, PSL_TYPE_ICANN))
            return prev;
        prev = p;
        p = strchr(p, '.');
        if (p)
            p++;
    }
    return NULL;
}

void
names_split(const char *norm, struct name_parts *parts)
{
    const psl_ctx_t *ctx = psl();

    parts->domain = parts->site = NULL;
    parts->sub_len = 0;
    if (!ctx || !*norm || is_ip_literal(norm) || strstr(norm, ".."))
        return;
    parts->domain = icann_domain(ctx, norm);
    parts->site = psl_registrable_domain(ctx, norm);
    if (parts->domain && parts->domain > norm)
        parts->sub_len = (size_t)(parts->domain - norm) - 1;
}
