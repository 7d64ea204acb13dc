/* SPDX-License-Identifier: MIT
 *
 * Messages for enum dh_status, generated from the table in status.h.
 */
#include "core/status.h"

static const char *const status_texts[] = {
#define DH_TEXT(name, text) text,
    DH_STATUS_TABLE(DH_TEXT)
#undef DH_TEXT
};

const char *
dh_status_text(enum dh_status st)
{
    if ((unsigned)st >= DH_STATUS_COUNT)
        return "unknown status";
    return status_texts[st];
}
