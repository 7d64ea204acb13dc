/* SPDX-License-Identifier: MIT
 *
 * Model files (see modelfile.h).
 */
#include "core/modelfile.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/util.h"
#include "model/lexical.h"

/* The bytes of model/dnshunt.model, from core/model_blob.S. */
extern const unsigned char dnshunt_model_start[], dnshunt_model_end[];

#define MODEL_MAX_BYTES (512u << 20)

static int
check(struct model *m, const char *shown, char *err, size_t errlen)
{
    const char *why = NULL;

    if (!m->markov || !m->dict || !m->forest.n_trees)
        why = "lacks the Markov table, the words or the forest";
    else if (!m->features || strcmp(m->features, lex_feature_list()) != 0 ||
             m->forest.n_features != LX_COUNT)
        why = "was built for other features";
    else if (m->q_points && m->q_features != LX_COUNT)
        why = "has quantiles for other features";
    if (!why)
        return 0;
    snprintf(err, errlen, "%s: model %s", shown, why);
    model_free(m);
    return -1;
}

static int
from_bytes(const void *p, size_t n, const char *shown, struct model *m,
           char *err, size_t errlen)
{
    char why[200];

    if (model_read(p, n, m, why, sizeof why) != 0) {
        snprintf(err, errlen, "%s: %s", shown, why);
        return -1;
    }
    return check(m, shown, err, errlen);
}

int
modelfile_load(const char *path, struct model *m, char *err, size_t errlen)
{
    char shown[300];
    FILE *f;
    struct buf b = { 0 };
    char chunk[65536];
    size_t got, blob = (size_t)(dnshunt_model_end - dnshunt_model_start);
    int rc;

    memset(m, 0, sizeof *m);
    if (!path && blob == 0) {
        snprintf(err, errlen, "this dnshunt was built without a model "
                 "(model/dnshunt.model); give --model FILE");
        return -1;
    }
    if (!path)
        return from_bytes(dnshunt_model_start, blob, "built-in model", m,
                          err, errlen);
    escape_bytes(shown, sizeof shown, path, strlen(path));
    if (!(f = fopen(path, "rb"))) {
        snprintf(err, errlen, "%s: %s", shown, strerror(errno));
        return -1;
    }
    while ((got = fread(chunk, 1, sizeof chunk, f)) > 0) {
        if (b.len + got > MODEL_MAX_BYTES) {
            snprintf(err, errlen, "%s: larger than %u MiB, not a model",
                     shown, MODEL_MAX_BYTES >> 20);
            fclose(f);
            buf_free(&b);
            return -1;
        }
        buf_add(&b, chunk, got);
    }
    if (ferror(f)) {
        snprintf(err, errlen, "%s: read error", shown);
        fclose(f);
        buf_free(&b);
        return -1;
    }
    fclose(f);
    rc = from_bytes(b.data ? b.data : "", b.len, shown, m, err, errlen);
    buf_free(&b);
    return rc;
}

int
modelfile_save(const char *path, const struct model *m, char *err,
               size_t errlen)
{
    struct buf b = { 0 }, tmp = { 0 };
    char shown[300];
    FILE *f;
    int ok;

    escape_bytes(shown, sizeof shown, path, strlen(path));
    model_write(m, &b);
    buf_printf(&tmp, "%s.tmp%ld", path, (long)getpid());
    f = fopen(tmp.data, "wb");
    ok = f && fwrite(b.data, 1, b.len, f) == b.len;
    ok = f && fflush(f) == 0 && fsync(fileno(f)) == 0 && ok;
    if (f && fclose(f) != 0)
        ok = 0;
    if (ok && rename(tmp.data, path) != 0)
        ok = 0;
    if (!ok) {
        snprintf(err, errlen, "%s: cannot write: %s", shown,
                 strerror(errno));
        unlink(tmp.data);
    }
    buf_free(&b);
    buf_free(&tmp);
    return ok ? 0 : -1;
}
