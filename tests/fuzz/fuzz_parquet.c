/* SPDX-License-Identifier: MIT
 *
 * Fuzz target: the bytes of a Parquet file, through the footer and every
 * column of every row group.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "core/parquet.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct pq_file *f;
    char err[256];

    if (pq_open(&f, NULL, data, size, err, sizeof err) != DH_OK)
        return 0;
    size_t n = pq_columns(f);
    int *want = calloc(n ? n : 1, sizeof *want);
    struct pq_column **cols = calloc(n ? n : 1, sizeof *cols);
    struct pq_rowgroup *w = pq_rowgroup_new(f);
    for (size_t i = 0; i < n; i++)
        want[i] = 1;
    for (size_t g = 0; g < pq_row_groups(f) && g < 16; g++)
        if (pq_read_group(f, g, want, w, cols, err, sizeof err) == DH_OK)
            for (size_t i = 0; i < n; i++)
                for (uint64_t r = 0; r < pq_group_rows(f, g); r++)
                    if (cols[i] && cols[i]->is_text &&
                        cols[i]->null[r] != PQ_NULL &&
                        !(cols[i]->off[r] & PQ_DICT) &&
                        (uint64_t)cols[i]->off[r] + cols[i]->len[r] >
                        cols[i]->text_len)
                        abort();
    pq_rowgroup_free(w);
    free(want);
    free(cols);
    pq_close(f);
    return 0;
}
