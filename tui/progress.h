/* SPDX-License-Identifier: MIT
 *
 * A one-line progress bar on standard error for long imports: bytes done
 * of the total, rows per second and the time left. Draws nothing unless
 * stderr is a terminal; redraws at most five times a second.
 */
#ifndef DNSHUNT_PROGRESS_H
#define DNSHUNT_PROGRESS_H

#include <stdint.h>

struct progress;

/* A bar, or NULL when stderr is not a terminal (all calls accept NULL). */
struct progress *progress_new(const char *label);

/* Update with bytes done, bytes in all (0 if unknown) and rows so far;
 * returns 0 (the command line is cancelled by its signal). */
int progress_update(void *p, uint64_t done, uint64_t total, uint64_t rows);

/* Erase the bar and free it. */
void progress_end(struct progress *p);

#endif
