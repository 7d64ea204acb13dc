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

struct export_job {
    struct db                *db;
    enum export_form          f;
    const struct export_opts *o;
    size_t                   *n;
    enum dh_status            rc;
};

static int
export_job(FILE *out, void *arg, char *err, size_t errlen)
{
    struct export_job *j = arg;

    j->rc = export_write(j->db, j->f, j->o, out, j->n, err, errlen);
    return j->rc == DH_OK ? 0 : -1;
}

/* The configuration and model the export reads, as files. */
static void
inputs(const struct export_opts *o, const char **config, const char **model)
{
    const char *c = o->config ? o->config : getenv("DNSHUNT_CONFIG");
    const char *m = o->model ? o->model : getenv("DNSHUNT_MODEL");

    *config = c && *c ? c : NULL;
    *model = m && *m ? m : NULL;
}

enum dh_status
export_to_path(struct db *db, enum export_form f,
               const struct export_opts *o, const char *path, size_t *n,
               char *err, size_t errlen)
{
    struct export_job j = { db, f, o, n, DH_IO };
    const char *config, *model;
    char *xdg = config_default_path();      /* (NULL when none) */

    inputs(o, &config, &model);
    if (would_clobber_store(path, db_path(db))) {
        snprintf(err, errlen, "the output names the store itself");
        free(xdg);
        return DH_USAGE;
    }
    if (same_file(path, config) || same_file(path, xdg) ||
        same_file(path, model)) {
        snprintf(err, errlen, "the output names the %s the export reads",
                 same_file(path, model) ? "model" : "configuration");
        free(xdg);
        return DH_USAGE;
    }
    free(xdg);
    if (write_file(path, export_job, &j, err, errlen) != 0)
        return j.rc == DH_OK ? DH_IO : j.rc;
    return DH_OK;
}
