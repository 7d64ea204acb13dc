/* SPDX-License-Identifier: MIT
 *
 * The import progress bar (see progress.h). Plain text and a carriage
 * return; no curses, so it works in any terminal and in scrollback.
 */
#include "tui/progress.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/util.h"

struct progress {
    const char *label;
    int64_t     started;   /* ms */
    int64_t     drawn;     /* ms of the last redraw */
    int         width;     /* characters drawn last time */
};

struct progress *
progress_new(const char *label)
{
    struct progress *p;

    if (!isatty(2))
        return NULL;
    p = xcalloc(1, sizeof *p);
    p->label = label;
    p->started = now_ms();
    return p;
}

static void
human(char *out, size_t n, double v)
{
    const char *u = "KMGT";
    int i = -1;

    while (v >= 1024 && i < 3) {
        v /= 1024;
        i++;
    }
    if (i < 0)
        snprintf(out, n, "%.0fB", v);
    else
        snprintf(out, n, "%.1f%cB", v, u[i]);
}

int
progress_update(void *arg, uint64_t done, uint64_t total, uint64_t rows)
{
    struct progress *p = arg;
    char bar[32], a[16], b[16], eta[32] = "";
    int64_t now = now_ms();
    double secs, frac;
    int fill;

    if (!p || now - p->drawn < 200)
        return 0;
    p->drawn = now;
    secs = (double)(now - p->started) / 1000.0;
    frac = total ? (double)done / (double)total : 0.0;
    if (frac > 1.0)
        frac = 1.0;
    fill = (int)(frac * 20.0);
    memset(bar, '#', (size_t)fill);
    memset(bar + fill, '.', (size_t)(20 - fill));
    bar[20] = '\0';
    human(a, sizeof a, (double)done);
    human(b, sizeof b, (double)total);
    if (frac > 0.01 && secs > 1.0)
        snprintf(eta, sizeof eta, ", %.0fs left",
                 secs / frac - secs);
    p->width = fprintf(stderr, "\r%s [%s] %s/%s, %.0f rows/s%s   ",
                       p->label, bar, a, b, secs > 0 ? rows / secs : 0.0,
                       eta);
    return 0;
}

void
progress_end(struct progress *p)
{
    if (!p)
        return;
    if (p->width > 0)
        fprintf(stderr, "\r%*s\r", p->width, "");
    free(p);
}
