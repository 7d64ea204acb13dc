#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
#
# Check a STIX 2.1 bundle from `dnshunt export stix` against the OASIS
# JSON schemas, with format checking on as the official validator does.
# A development check, not part of `make test` (the schemas are not
# shipped): python3 tests/stix/validate.py SCHEMA_DIR BUNDLE.json
# Needs Debian's python3-jsonschema. Exit status 0 when every object
# validates.
import json
import os
import sys

import jsonschema
from jsonschema import Draft202012Validator, RefResolver

if len(sys.argv) != 3:
    sys.exit("usage: validate.py SCHEMA_DIR BUNDLE.json\n"
             "SCHEMA_DIR holds the OASIS STIX 2.1 JSON schemas "
             "(github.com/oasis-open/cti-stix2-json-schemas)")
schemas, bundle = sys.argv[1], sys.argv[2]
store = {}
for root, _, files in os.walk(schemas):
    for f in files:
        if f.endswith(".json"):
            path = os.path.join(root, f)
            with open(path) as fh:
                doc = json.load(fh)
            store[doc.get("$id", "file://" + path)] = doc
            store["file://" + path] = doc


def validate(kind_dir, kind, obj):
    path = os.path.join(schemas, kind_dir, kind + ".json")
    with open(path) as fh:
        schema = json.load(fh)
    resolver = RefResolver(base_uri=schema.get("$id", "file://" + path),
                           referrer=schema, store=store)
    cls = jsonschema.validators.validator_for(schema)
    cls(schema, resolver=resolver,
        format_checker=cls.FORMAT_CHECKER).validate(obj)


with open(bundle) as fh:
    b = json.load(fh)
bad = 0
if b.get("type") != "bundle" or not b.get("id", "").startswith("bundle--") \
        or not b.get("objects"):
    print("not a bundle")
    bad += 1
for o in b["objects"]:
    kind_dir = {"domain-name": "observables", "relationship": "sros"}.get(
        o["type"], "sdos")
    try:
        validate(kind_dir, o["type"], o)
    except jsonschema.ValidationError as e:
        bad += 1
        print("invalid %s %s: %s" % (o["type"], o["id"], e.message))
print("%d objects, %d invalid" % (len(b["objects"]), bad))
sys.exit(1 if bad else 0)
