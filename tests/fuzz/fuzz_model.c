/* SPDX-License-Identifier: MIT
 *
 * Fuzz target: model file bytes through the loader's checks; a model
 * that loads must score a name.
 */
#include <stddef.h>
#include <stdint.h>

#include "core/lexname.h"
#include "model/model_io.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct model m;
    struct lex_result r;
    char err[256];

    if (model_read(data, size, &m, err, sizeof err) != 0)
        return 0;
    if (m.markov && m.dict && m.forest.n_trees && m.features) {
        struct lexctx *lx = lexctx_new(&m);
        lexname_classify(lx, "qwzkxjvbtrpl.com", 16, 1, &r);
        lexctx_free(lx);
    }
    model_free(&m);
    return 0;
}
