/* SPDX-License-Identifier: MIT
 *
 * Fuzz target: a domain name as a STIX pattern and JSON strings. The
 * pattern must keep every quote and backslash escaped, and the JSON
 * text must be printable ASCII that jansson reads back.
 */
#include <jansson.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/stix.h"
#include "core/util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *name = malloc(size + 1);
    struct buf p = { 0 }, j = { 0 };
    json_error_t e;
    json_t *v;

    memcpy(name, data, size);
    name[size] = '\0';
    stix_pattern(&p, name);
    /* inside the quotes, every ' and \ comes escaped */
    for (size_t i = 22; p.data && i + 2 < p.len; i++)
        if (p.data[i] == '\\')
            i++;
        else if (p.data[i] == '\'')
            abort();
    stix_hostname(name);
    buf_add_json_text(&j, name);
    for (size_t i = 0; i < j.len; i++)
        if ((unsigned char)j.data[i] < 0x20 || (unsigned char)j.data[i] > 0x7e)
            abort();
    if (!(v = json_loadb(j.data, j.len, JSON_DECODE_ANY | JSON_ALLOW_NUL,
                         &e)) || !json_is_string(v))
        abort();
    json_decref(v);
    buf_free(&p);
    buf_free(&j);
    free(name);
    return 0;
}
