/* SPDX-License-Identifier: MIT
 *
 * Model files (see modelfile.h).
 */
#include "core/modelfile.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/util.h"
#include "model/lexical.h"
#include "storage/models.h"

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

/*
 * Read a whole model file into b. Only a regular file of at most
 * MODEL_MAX_BYTES is read: a FIFO, a device or a directory is refused
 * before any read (opened without blocking), a huge file by its size.
 */
static int
read_whole(const char *path, const char *shown, struct buf *b, char *err,
           size_t errlen)
{
    struct stat st;
    char chunk[65536];
    ssize_t got;
    int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);

    if (fd < 0) {
        snprintf(err, errlen, "%s: %s", shown, strerror(errno));
        return -1;
    }
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) ||
        (uint64_t)st.st_size > MODEL_MAX_BYTES) {
        snprintf(err, errlen, "%s: %s", shown,
                 !S_ISREG(st.st_mode) ? "not a regular file"
                                      : "larger than a model can be");
        close(fd);
        return -1;
    }
    while ((got = read(fd, chunk, sizeof chunk)) > 0 &&
           b->len + (size_t)got <= MODEL_MAX_BYTES)
        buf_add(b, chunk, (size_t)got);
    if (got != 0) {
        snprintf(err, errlen, "%s: %s", shown, got < 0 ? strerror(errno)
                 : "grew past the size a model can be while read");
        close(fd);
        buf_free(b);
        return -1;
    }
    close(fd);
    return 0;
}

int
modelfile_load(const char *path, struct model *m, char *err, size_t errlen)
{
    char shown[300];
    struct buf b = { 0 };
    size_t blob = (size_t)(dnshunt_model_end - dnshunt_model_start);
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
    if (read_whole(path, shown, &b, err, errlen) != 0)
        return -1;
    rc = from_bytes(b.data ? b.data : "", b.len, shown, m, err, errlen);
    buf_free(&b);
    return rc;
}

int
modelfile_for_store(struct db *db, const char *path, struct model *m,
                    char *which, size_t cap, char *err, size_t errlen)
{
    if (!path || !*path)
        path = getenv("DNSHUNT_MODEL");
    if (path && *path) {
        snprintf(which, cap, "%s", path);
        return modelfile_load(path, m, err, errlen);
    }
    return modelfile_stored(db, m, which, cap, err, errlen);
}

int
modelfile_stored(struct db *db, struct model *m, char *which, size_t cap,
                 char *err, size_t errlen)
{
    void *data = NULL;
    size_t len = 0;
    int64_t id = 0;
    char shown[64];
    int rc;

    if (db && models_active(db, &data, &len, &id, err, errlen) != DH_OK)
        return -1;
    if (!data) {
        snprintf(which, cap, "built-in");
        return modelfile_load(NULL, m, err, errlen);
    }
    snprintf(shown, sizeof shown, "store model %lld", (long long)id);
    snprintf(which, cap, "%s", shown);
    memset(m, 0, sizeof *m);
    rc = from_bytes(data, len, shown, m, err, errlen);
    free(data);
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
