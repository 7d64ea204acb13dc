/* SPDX-License-Identifier: MIT
 *
 * Fuzz target: lines of the CSV files Athena writes for dnshunt, each
 * through the header check, the host_queries.csv row reader and the
 * dns_flows.csv line converter. A group that reads must be whole: as
 * many times as queries, the first and last among them.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/import_csv.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct csv_scratch s = { 0 };
    struct buf out = { 0 };
    const char *p = (const char *)data, *end = p + size;
    char err[256];

    while (p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        size_t len = nl ? (size_t)(nl - p) : (size_t)(end - p);
        struct dns_query q;
        struct query_group g;
        csv_header_kind(p, len);
        if (csv_group(p, len, &s, &q, &g, err, sizeof err) == DH_OK) {
            uint64_t n = 1;
            for (size_t i = 0; i < g.times.len; i++)
                n += g.times.text[i] == ' ';
            if (n != g.queries || g.first_ms > g.last_ms || !q.srcaddr ||
                !q.qtype || !q.rcode || q.n_answers < 0)
                abort();
        }
        csv_flow_line(p, len, &s, &out, err, sizeof err);
        p += len + 1;
    }
    csv_scratch_free(&s);
    buf_free(&out);
    return 0;
}
