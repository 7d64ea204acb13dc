/* SPDX-License-Identifier: MIT
 *
 * Fuzz target: the line reader on any bytes (gzip or not, whole or
 * cut), through a memory file, with a small line limit.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/mman.h>
#include <unistd.h>

#include "core/reader.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    int fd = memfd_create("fuzz", 0);
    char path[64], err[256];
    struct reader *r;
    struct line ln;

    if (fd < 0)
        return 0;
    if (write(fd, data, size) != (ssize_t)size) {
        close(fd);
        return 0;
    }
    snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
    if (reader_open(&r, path, 4096, err, sizeof err) == DH_OK) {
        while (reader_next(r, &ln))
            ;
        reader_status(r);
        reader_close(r);
    }
    close(fd);
    return 0;
}
