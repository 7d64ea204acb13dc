/* SPDX-License-Identifier: MIT
 *
 * The exports (see export.h).
 */
#include "core/export.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/config.h"
#include "core/decide.h"
#include "core/misp.h"
#include "core/modelfile.h"
#include "core/show.h"
#include "core/sigma.h"
#include "core/stix.h"
#include "core/util.h"

static const struct {
    const char *name, *file, *unit, *units;
} forms[EX_COUNT] = {
    [EX_STIX] = { "stix", "dnshunt-indicators.json", "indicator",
                  "indicators" },
    [EX_MISP] = { "misp", "dnshunt-misp-event.json", "indicator",
                  "indicators" },
    [EX_ALERTS] = { "alerts", "dnshunt-alerts.jsonl", "alerting host",
                    "alerting hosts" },
    [EX_SIGMA] = { "sigma", "dnshunt-rules.yml", "Sigma rule",
                   "Sigma rules" },
};

void
export_defaults(struct export_opts *o)
{
    memset(o, 0, sizeof *o);
    o->ttl = 7;
    o->tlp = "amber";
}

const char *
export_name(enum export_form f)
{
    return (unsigned)f < EX_COUNT ? forms[f].name : "?";
}

enum export_form
export_lookup(const char *name)
{
    int f = 0;

    while (f < EX_COUNT && strcmp(name, forms[f].name) != 0)
        f++;
    return (enum export_form)f;
}

const char *
export_default_file(enum export_form f)
{
    return (unsigned)f < EX_COUNT ? forms[f].file : "dnshunt-export";
}

const char *
export_unit(enum export_form f, size_t n)
{
    if ((unsigned)f >= EX_COUNT)
        return "";
    return n == 1 ? forms[f].unit : forms[f].units;
}

/* Sigma: the configuration in force and the model's DGA threshold. */
static enum dh_status
sigma(struct db *db, const struct export_opts *o, FILE *out, size_t *n,
      char *err, size_t errlen)
{
    struct config cfg;
    struct model m;
    char which[300];
    double thr;
    int rules = 0;
    enum dh_status rc = DH_OK;

    if (config_load(&cfg, o->config, err, errlen) != 0) {
        config_free(&cfg);
        return DH_USAGE;
    }
    if (modelfile_for_store(db, o->model, &m, which, sizeof which, err,
                            errlen)) {
        config_free(&cfg);
        return DH_IO;
    }
    thr = cfg.rules.dga_threshold > 0 ? cfg.rules.dga_threshold
        : m.split.thr3 > 0 ? m.split.thr3 : 0.9;
    model_free(&m);
    if (sigma_export(out, &cfg, thr, decide_now(), &rules) != 0) {
        snprintf(err, errlen, "cannot write the rules");
        rc = DH_IO;
    }
    *n = (size_t)rules;
    config_free(&cfg);
    return rc;
}

enum dh_status
export_write(struct db *db, enum export_form f, const struct export_opts *o,
             FILE *out, size_t *n, char *err, size_t errlen)
{
    *n = 0;
    switch (f) {
    case EX_STIX:
        return stix_export(db, out, decide_now(), o->ttl, n, err, errlen);
    case EX_MISP:
        return misp_export(db, out, decide_now(), o->tlp, n, err, errlen);
    case EX_ALERTS:
        return show_hosts_to(out, db, o->csv ? SHOW_CSV : SHOW_JSON, 0, 1,
                             err, errlen);
    case EX_SIGMA:
        return sigma(db, o, out, n, err, errlen);
    default:
        snprintf(err, errlen, "no such export");
        return DH_USAGE;
    }
}

/* 1 when a and b name the same existing file. */
static int
same_file(const char *a, const char *b)
{
    struct stat x, y;

    return a && b && stat(a, &x) == 0 && stat(b, &y) == 0 &&
           x.st_dev == y.st_dev && x.st_ino == y.st_ino;
}

enum dh_status
export_to_path(struct db *db, enum export_form f,
               const struct export_opts *o, const char *path, size_t *n,
               char *err, size_t errlen)
{
    struct buf tmp = { 0 };
    enum dh_status rc;
    FILE *out;
    int fd;

    if (would_clobber_store(path, db_path(db))) {
        snprintf(err, errlen, "the output names the store itself");
        return DH_USAGE;
    }
    if (same_file(path, o->config) || same_file(path, o->model)) {
        snprintf(err, errlen, "the output names the %s the export reads",
                 same_file(path, o->config) ? "configuration" : "model");
        return DH_USAGE;
    }
    buf_printf(&tmp, "%s.tmp-XXXXXX", path);
    if ((fd = mkstemp(tmp.data)) < 0 || !(out = fdopen(fd, "w"))) {
        snprintf(err, errlen, "cannot write beside the output: %s",
                 strerror(errno));
        if (fd >= 0) {
            close(fd);
            unlink(tmp.data);
        }
        buf_free(&tmp);
        return DH_IO;
    }
    rc = export_write(db, f, o, out, n, err, errlen);
    if (fclose(out) != 0 && rc == DH_OK) {
        snprintf(err, errlen, "cannot write the output: %s",
                 strerror(errno));
        rc = DH_IO;
    }
    if (rc == DH_OK && rename(tmp.data, path) != 0) {
        snprintf(err, errlen, "cannot put the output in place: %s",
                 strerror(errno));
        rc = DH_IO;
    }
    if (rc != DH_OK)
        unlink(tmp.data);
    buf_free(&tmp);
    return rc;
}
