/* SPDX-License-Identifier: MIT
 *
 * From a logged query name to its DGA score: normalise, split with the
 * Public Suffix List, decide whether the name is a DGA candidate at all,
 * compute the lexical features and run the forest.
 *
 * Names that are not candidates get a reason instead of a score: IP
 * literals, single labels, reverse-lookup (arpa) names, names under the
 * organisation's internal zones, names with no registrable domain, names
 * DNS cannot carry (empty labels, labels over 63 or names over 253
 * characters, broken escapes), and labels a cloud provider assigns
 * rather than its customer (CloudFront distributions, load balancers,
 * API Gateway ids), which look random but cannot be a DGA's choice.
 */
#ifndef DNSHUNT_LEXNAME_H
#define DNSHUNT_LEXNAME_H

#include <stddef.h>

#include "model/lexical.h"
#include "model/model_io.h"

#define LEXNAME_REASONS(X) \
    X(SCORED,        "scored") \
    X(EMPTY,         "empty-name") \
    X(MALFORMED,     "malformed-name") \
    X(IP_LITERAL,    "ip-literal") \
    X(SINGLE_LABEL,  "single-label") \
    X(ARPA,          "reverse-lookup") \
    X(INTERNAL,      "internal-zone") \
    X(NO_DOMAIN,     "no-registrable-domain") \
    X(PROVIDER,      "provider-label")

/* Why a name got a score or did not. */
enum lex_reason {
#define LR_ENUM(name, text) LR_ ## name,
    LEXNAME_REASONS(LR_ENUM)
#undef LR_ENUM
    LR_COUNT
};

/* The reason's short code ("ip-literal"); never NULL. */
const char *lex_reason_text(enum lex_reason r);

/* Everything known about one classified name. */
struct lex_result {
    enum lex_reason reason;
    unsigned        flags;        /* dnsname_flag bits */
    char            norm[1024];   /* normalised name */
    const char     *domain;       /* into norm: registrable (ICANN) */
    const char     *site;         /* into norm: with private suffixes */
    struct lex_name parts;        /* label, TLD, subdomain, into norm */
    float           x[LX_COUNT];  /* set when reason is LR_SCORED */
    float           sub[SB_COUNT];
    double          score;       /* dga_score; -1 when not scored */
};

struct lexctx;

/*
 * A classifier over model m (borrowed; it must outlive the context).
 * Names under "internal", "local", "localhost", "localdomain", "lan",
 * "intranet", "corp" and "home" are internal zones by default.
 */
struct lexctx *lexctx_new(const struct model *m);

/* Treat names at or below zone (e.g. "corp.example.com") as internal. */
void lexctx_add_zone(struct lexctx *c, const char *zone);

/*
 * Whether lexname_classify() computes the subdomain's features (r->sub;
 * on by default). They take no part in the score; a caller that never
 * reads them saves their time.
 */
void lexctx_subdomain_features(struct lexctx *c, int on);

/* Free the context; NULL is fine. */
void lexctx_free(struct lexctx *c);

/*
 * Classify name[0..len) (any bytes). Fills *r and returns r->reason.
 * With score == 0 the features are computed but the forest is not run
 * (r->score stays -1), as training needs.
 */
enum lex_reason lexname_classify(struct lexctx *c, const char *name,
                                 size_t len, int score,
                                 struct lex_result *r);

/*
 * The reason of name[0..len) alone: like lexname_classify, but no
 * features are computed (r->x and r->sub are left alone), for callers
 * that score each registrable domain once and its names many times.
 */
enum lex_reason lexname_reason(struct lexctx *c, const char *name,
                               size_t len, struct lex_result *r);

/*
 * Score the n results r[0..n) that lexname_classify left unscored
 * (score 0) and that are candidates: faster than one at a time, same
 * values.
 */
void lexname_score(struct lexctx *c, struct lex_result *r, size_t n);

#endif
