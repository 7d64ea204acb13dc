/* SPDX-License-Identifier: MIT
 *
 * Runs a fuzz target without libFuzzer, on every file named on the
 * command line: how `make test` replays the corpora and the inputs
 * that once crashed. Prints one TAP line per target.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
main(int argc, char **argv)
{
    int n = 0;

    for (int i = 1; i < argc; i++) {
        FILE *f = fopen(argv[i], "rb");
        unsigned char *b = NULL;
        size_t len = 0, cap = 0, got;
        if (!f) {
            printf("not ok - cannot read %s\n", argv[i]);
            return 1;
        }
        do {
            if (len == cap)
                b = realloc(b, cap = cap ? cap * 2 : 65536);
            got = fread(b + len, 1, cap - len, f);
            len += got;
        } while (got);
        fclose(f);
        LLVMFuzzerTestOneInput(b, len);
        free(b);
        n++;
    }
    printf("ok - %s: %d inputs replayed\n", argv[0], n);
    return 0;
}
