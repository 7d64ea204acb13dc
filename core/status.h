/* SPDX-License-Identifier: MIT
 *
 * One status enum for the whole program and one table of messages. Every
 * function that can fail returns an enum dh_status; detail (file, line,
 * the offending value) goes into a caller-owned buffer beside it. The same
 * texts are stored as the reason of a rejected row, so analysts can group
 * rejects by reason with plain SQL.
 */
#ifndef DNSHUNT_STATUS_H
#define DNSHUNT_STATUS_H

#define DH_STATUS_TABLE(X) \
    X(OK,             "ok") \
    X(NOMEM,          "out of memory") \
    X(IO,             "read error") \
    X(USAGE,          "usage error") \
    X(DB,             "database error") \
    X(GZIP_TRUNCATED, "gzip stream truncated") \
    X(GZIP_CORRUPT,   "gzip stream corrupt") \
    X(GZIP_RATIO,     "gzip stream inflates too far") \
    X(LINE_TOO_LONG,  "line too long") \
    X(UNKNOWN_FORMAT, "unrecognised file format") \
    X(BAD_JSON,       "malformed JSON") \
    X(NOT_OBJECT,     "JSON value is not an object") \
    X(MISSING_FIELD,  "required field missing") \
    X(BAD_TYPE,       "field has the wrong JSON type") \
    X(BAD_TIMESTAMP,  "malformed timestamp") \
    X(BAD_NAME,       "malformed query name") \
    X(BAD_ADDRESS,    "malformed IP address") \
    X(BAD_NUMBER,     "malformed number") \
    X(BAD_VALUE,      "unexpected field value") \
    X(FIELD_COUNT,    "wrong number of fields") \
    X(NO_HEADER,      "flow record without a header") \
    X(BAD_HEADER,     "malformed flow log header") \
    X(DUPLICATE,      "already imported") \
    X(CANCELLED,      "cancelled")

/* Status codes; DH_OK is zero. */
enum dh_status {
#define DH_ENUM(name, text) DH_ ## name,
    DH_STATUS_TABLE(DH_ENUM)
#undef DH_ENUM
    DH_STATUS_COUNT
};

/* The message for a status; never NULL, static storage. */
const char *dh_status_text(enum dh_status st);

#endif
