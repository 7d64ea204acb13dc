/* SPDX-License-Identifier: MIT
 *
 * Timestamp parsing and formatting without the C library's time zone
 * machinery: days from the civil date by the usual era arithmetic.
 */
#include "core/isotime.h"

#include <stdio.h>

static int
digits(const char *s, size_t n, int *v)
{
    *v = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return -1;
        *v = *v * 10 + (s[i] - '0');
    }
    return 0;
}

/* Days since 1970-01-01 of a proleptic Gregorian date. */
static int64_t
days_from_civil(int64_t y, int m, int d)
{
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    int64_t yoe = y - era * 400;
    int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;

    return era * 146097 + doe - 719468;
}

static int
days_in_month(int y, int m)
{
    static const int dm[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
    int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;

    return dm[m - 1] + (m == 2 && leap);
}

int
isotime_looks_like(const char *s, size_t len)
{
    int v;

    return len >= 16 && digits(s, 4, &v) == 0 && s[4] == '-' &&
           s[7] == '-' && (s[10] == 'T' || s[10] == ' ') && s[13] == ':';
}

static int
parse_zone(const char *s, size_t len, size_t i, int64_t *offset_ms)
{
    int hh, mm;

    *offset_ms = 0;
    if (i == len)
        return 0;
    if (s[i] == 'Z' || s[i] == 'z')
        return i + 1 == len ? 0 : -1;
    if ((s[i] != '+' && s[i] != '-') || len - i != 6 || s[i + 3] != ':' ||
        digits(s + i + 1, 2, &hh) || digits(s + i + 4, 2, &mm) ||
        hh > 23 || mm > 59)
        return -1;
    *offset_ms = ((int64_t)hh * 60 + mm) * 60000 * (s[i] == '-' ? -1 : 1);
    return 0;
}

int
isotime_parse(const char *s, size_t len, int64_t *ms)
{
    int y, mo, d, h, mi, se, frac = 0;
    size_t i = 19;
    int64_t off;

    if (len < 19 || digits(s, 4, &y) || s[4] != '-' ||
        digits(s + 5, 2, &mo) || s[7] != '-' || digits(s + 8, 2, &d) ||
        (s[10] != 'T' && s[10] != 't' && s[10] != ' ') ||
        digits(s + 11, 2, &h) || s[13] != ':' || digits(s + 14, 2, &mi) ||
        s[16] != ':' || digits(s + 17, 2, &se))
        return -1;
    /* A leap second (:60) would roll 9999-12-31 into year 10000. */
    if (y < 1970 || mo < 1 || mo > 12 || d < 1 ||
        d > days_in_month(y, mo) || h > 23 || mi > 59 || se > 60 ||
        (se == 60 && y == 9999 && mo == 12 && d == 31 && h == 23 &&
         mi == 59))
        return -1;
    if (i < len && s[i] == '.') {
        int scale = 100, n = 0;
        for (i++; i < len && s[i] >= '0' && s[i] <= '9'; i++, n++) {
            frac += (s[i] - '0') * scale;
            scale /= 10;
        }
        if (n == 0)
            return -1;
    }
    if (parse_zone(s, len, i, &off))
        return -1;
    *ms = ((days_from_civil(y, mo, d) * 24 + h) * 60 + mi) * 60000 +
          (int64_t)se * 1000 + frac - off;
    return 0;
}

void
isotime_format(int64_t ms, char *out, size_t outlen)
{
    int64_t secs = ms >= 0 ? ms / 1000 : (ms - 999) / 1000;
    int64_t days = secs >= 0 ? secs / 86400 : (secs - 86399) / 86400;
    int64_t rem = secs - days * 86400;
    int64_t z = days + 719468;
    int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    int64_t doe = z - era * 146097;
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int64_t mp = (5 * doy + 2) / 153;
    int d = (int)(doy - (153 * mp + 2) / 5 + 1);
    int m = (int)(mp < 10 ? mp + 3 : mp - 9);
    int64_t y = yoe + era * 400 + (m <= 2);

    snprintf(out, outlen, "%04lld-%02d-%02dT%02d:%02d:%02dZ", (long long)y,
             m, d, (int)(rem / 3600), (int)(rem / 60 % 60), (int)(rem % 60));
}

const char *
isotime_or_dash(int64_t ms, char *buf, size_t n)
{
    if (ms <= 0 || ms > 253402300799999LL)
        return "-";
    isotime_format(ms, buf, n);
    return buf;
}
