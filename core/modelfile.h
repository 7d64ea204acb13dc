/* SPDX-License-Identifier: MIT
 *
 * Model files on disk, and the default model built into the program
 * (model/dnshunt.model, linked in at build time), so nobody has to
 * train before classifying.
 */
#ifndef DNSHUNT_MODELFILE_H
#define DNSHUNT_MODELFILE_H

#include <stddef.h>

#include "model/model_io.h"
#include "storage/db.h"

/*
 * Load the model at path, or the built-in one when path is NULL, and
 * check that it fits this program's features. Returns 0, or -1 with the
 * reason in err (the path escaped, "bad checksum", "built for other
 * features", ...).
 */
int modelfile_load(const char *path, struct model *m, char *err,
                   size_t errlen);

/*
 * The model that scores the store db: the file at path when given, else
 * the file $DNSHUNT_MODEL names, else the store's active retrained
 * model (`dnshunt retrain`), else the built-in one. which (cap bytes)
 * gets what was loaded: the path, "store model N" or "built-in".
 * Returns 0, or -1 with the reason in err.
 */
int modelfile_for_store(struct db *db, const char *path, struct model *m,
                        char *which, size_t cap, char *err, size_t errlen);

/* The store's active model, or the built-in one: modelfile_for_store
 * without --model or $DNSHUNT_MODEL. */
int modelfile_stored(struct db *db, struct model *m, char *which,
                     size_t cap, char *err, size_t errlen);

/*
 * Write m to path through a temporary file and a rename, so a crash
 * leaves the old file or the new one. Returns 0 or -1 with err set.
 */
int modelfile_save(const char *path, const struct model *m, char *err,
                   size_t errlen);

#endif
