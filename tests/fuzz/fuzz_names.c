/* SPDX-License-Identifier: MIT
 *
 * Fuzz target: a query name through normalisation, the public-suffix
 * split, every lexical feature and the forest of the built-in model,
 * and the subdomain shape tunnel scoring reads. No NaN may come out.
 */
#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "core/lexname.h"
#include "core/modelfile.h"
#include "model/tunnel.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct model m;
static struct lexctx *lx;
static struct lex_result r;

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct sub_shape sh;
    char err[256];

    if (!lx) {
        if (modelfile_load(NULL, &m, err, sizeof err) != 0)
            abort();
        lx = lexctx_new(&m);
    }
    if (lexname_classify(lx, (const char *)data, size, 1, &r) == LR_SCORED)
        if (isnan(r.score) || r.score < 0 || r.score > 1)
            abort();
    for (int f = 0; f < LX_COUNT && r.reason == LR_SCORED; f++)
        if (isnan(r.x[f]))
            abort();
    tn_shape((const char *)data, size, &sh);
    if (isnan(sh.entropy) || isnan(sh.payload_bits))
        abort();
    return 0;
}
