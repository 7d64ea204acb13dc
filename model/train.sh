#!/bin/sh
# Rebuild the default DGA model from the shared corpora and record how it
# was made. Usage: model/train.sh DNSHUNT DATA_DIR OUT_MODEL
# or, to retrain from the verdicts of the store $DNSHUNT_DB (default
# ./dnshunt.db) on the same corpora: model/train.sh --retrain DNSHUNT
# DATA_DIR
#
# DATA_DIR holds top-domains.csv (Tranco), dga/ (one file per family) and
# dga-lists/ (further labelled lists); see docs/model.md. Writes
# OUT_MODEL and, beside it, OUT_MODEL.txt: the model's own description
# followed by its measurement on the names it never learned from.
set -eu

retrain=
if [ "${1:-}" = --retrain ]; then
    retrain=1
    shift
fi
bin=$1
data=$2
out=${3:-}
here=$(dirname "$0")
lists=$data/dga-lists

for f in "$data/top-domains.csv" "$data/dga" "$lists"; do
    if [ ! -e "$f" ]; then
        echo "model/train.sh: $f is missing; the corpora live in" \
             "../shared/data (set DATA=...)" >&2
        exit 1
    fi
done

# Every input, in a fixed order: the same inputs give the same model.
set -- \
    --benign "$data/top-domains.csv" \
    --benign "$lists/benign-opendns-random-looking.txt" \
    --exclude "$here/data/benign-exclusions.txt" \
    --dga "$data/dga" \
    --dga "rovnix=$lists/andrewaeva-rovnix.txt" \
    --dga "conficker=$lists/andrewaeva-conficker.txt" \
    --dga "cryptolocker=$lists/andrewaeva-cryptolocker.txt" \
    --dga "goz=$lists/andrewaeva-goz.txt" \
    --dga "newgoz=$lists/andrewaeva-new_goz.txt" \
    --dga "orchard=$lists/baderj-orchard-examples.txt" \
    --dga "ranbyus=$lists/baderj-ranbyus-may-examples.txt"

words=/usr/share/dict/words
if [ -n "$retrain" ]; then
    exec "$bin" retrain "$@" --words "$words"
fi
"$bin" train "$@" --words "$words" --out "$out.new" > "$out.txt.new"
{
    echo
    echo "== dnshunt eval on the held-out parts"
    "$bin" eval --model "$out.new" "$@" --false-positives 30
} >> "$out.txt.new"
mv "$out.new" "$out"
mv "$out.txt.new" "$out.txt"
echo "model/train.sh: wrote $out and $out.txt"
