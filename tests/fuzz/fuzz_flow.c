/* SPDX-License-Identifier: MIT
 *
 * Fuzz target: flow log text, one line at a time through one parser,
 * so headers change the layout of the records after them. The first
 * line, when it starts with "#fmt ", is a --flow-format list instead.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "core/import_flow.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct flow_parser p;
    const char *s = (const char *)data, *end = s + size;
    char err[256];

    memset(&p, 0, sizeof p);
    flow_reset(&p);
    while (s < end) {
        const char *nl = memchr(s, '\n', (size_t)(end - s));
        size_t len = nl ? (size_t)(nl - s) : (size_t)(end - s);
        struct flow_rec rec;
        enum flow_kind kind;
        if (s == (const char *)data && len > 5 && !memcmp(s, "#fmt ", 5)) {
            char names[1024];
            size_t k = len - 5 < sizeof names - 1 ? len - 5
                                                  : sizeof names - 1;
            memcpy(names, s + 5, k);
            names[k] = '\0';
            flow_set_format(&p, names, err, sizeof err);
        } else if (len) {
            flow_sniff(s, len);
            flow_parse(&p, s, len, &rec, &kind, err, sizeof err);
        }
        s += len + 1;
    }
    return 0;
}
