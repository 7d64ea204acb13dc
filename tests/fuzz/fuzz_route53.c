/* SPDX-License-Identifier: MIT
 *
 * Fuzz target: one Route 53 Resolver query log line, through the fast
 * flat scanner or, when it declines, jansson, then the field checks
 * that build a query record.
 */
#include <jansson.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "core/import_dns.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static struct dns_scratch s;
    struct r53_fields f;
    struct dns_query q;
    char err[256];
    json_t *obj = NULL;

    memset(&f, 0, sizeof f);
    if (!dns_scan((const char *)data, size, &s, &f)) {
        json_error_t e;
        obj = json_loadb((const char *)data, size, JSON_ALLOW_NUL, &e);
        if (!obj || !json_is_object(obj)) {
            json_decref(obj);
            return 0;
        }
        dns_from_json(obj, &s, &f);
    }
    dns_convert(&f, &s, &q, err, sizeof err);
    json_decref(obj);
    return 0;
}
