/* SPDX-License-Identifier: MIT
 *
 * DGA models kept in the store: each model retrained from the analysts'
 * verdicts is stored whole (its model file's bytes) with who made it,
 * when, from how many labels and a summary of its measurement. At most
 * one is active: it scores this store. Older ones stay, so a retraining
 * can be rolled back; with none active the built-in model scores.
 */
#ifndef DNSHUNT_MODELS_H
#define DNSHUNT_MODELS_H

#include <stddef.h>
#include <stdint.h>

#include "core/status.h"
#include "storage/db.h"

/* One stored model, without its bytes. */
struct model_row {
    int64_t     id;
    int64_t     created_at;     /* ms */
    const char *created_by;
    int64_t     labels;         /* verdicts it learned from */
    const char *summary;
    int64_t     bytes;
    int         active;
};

/* Store a model's bytes and make it the active one; *id gets its id.
 * Written to the audit log as who. DH_OK or DH_DB. */
enum dh_status models_add(struct db *db, const void *data, size_t len,
                          int64_t labels, const char *summary,
                          const char *who, int64_t *id, char *err,
                          size_t errlen);

/*
 * The active model's bytes: *data (malloc'd, free it) and *len, and its
 * id in *id; *id is 0 and *data NULL when none is active. DH_OK or
 * DH_DB.
 */
enum dh_status models_active(struct db *db, void **data, size_t *len,
                             int64_t *id, char *err, size_t errlen);

/* Make model id active (0: none, the built-in model). *found is 0 when
 * there is no such model. Audited as who. DH_OK or DH_DB. */
enum dh_status models_activate(struct db *db, int64_t id, const char *who,
                               int *found, char *err, size_t errlen);

/* Call fn for every stored model, oldest first. */
enum dh_status models_list(struct db *db,
                           int (*fn)(void *, const struct model_row *),
                           void *arg, char *err, size_t errlen);

#endif
