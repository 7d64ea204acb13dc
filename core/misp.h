/* SPDX-License-Identifier: MIT
 *
 * MISP export of confirmed indicators: one MISP event (the core JSON
 * format, root key "Event") with a TLP tag and an ATT&CK galaxy tag per
 * technique, and an attribute in category "Network activity" per
 * domain marked a true positive: type domain for a registrable domain,
 * hostname for a name below one, with to_ids set, a comment giving the
 * analyst's note and the scores, and first and last seen.
 */
#ifndef DNSHUNT_MISP_H
#define DNSHUNT_MISP_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "core/status.h"
#include "storage/db.h"

/* The TLP levels an event may carry; NULL-terminated. */
extern const char *const misp_tlp_levels[];

/*
 * Write the event of the store's tp domains to out, dated now_ms and
 * tagged tlp:TLP (one of misp_tlp_levels). *n gets the number of
 * attributes. DH_OK, DH_DB or DH_IO.
 */
enum dh_status misp_export(struct db *db, FILE *out, int64_t now_ms,
                           const char *tlp, size_t *n, char *err,
                           size_t errlen);

#endif
