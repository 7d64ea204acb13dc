#!/bin/sh
# SPDX-License-Identifier: MIT
#
# model.sh: the DGA model benchmark, run by `make bench` as
#   sh tests/bench/model.sh ./dnshunt build/tests/bench_classify DATA
# Times scoring on one core (features only; features and forest; the
# forest alone on a feature table), `dnshunt classify` end to end, the
# training of the model on the corpus in DATA (../shared/data; the
# project's test corpus when DATA is missing) on 2 cores, and compares
# with scikit-learn's RandomForestClassifier trained on the same feature
# table. Prints figures only; never judges timing.
#
# Environment: BENCH_NAMES (1000000) names to score.
set -u

BIN=$1
BENCH=$2
DATA=$3
HERE=$(cd "$(dirname "$0")" && pwd)
TOP=$(cd "$HERE/../.." && pwd)
N=${BENCH_NAMES:-1000000}
T=$(mktemp -d /tmp/dnshunt-bench-model.XXXXXX) || exit 2
trap 'rm -rf "$T"' EXIT

echo "== DGA model: scoring on one core (built-in model, $N generated names)"
taskset -c 0 "$BENCH" - gen:100000 >/dev/null 2>&1    # warm the caches
taskset -c 0 "$BENCH" - "gen:$N" || exit 1
awk -v n="$N" 'BEGIN { srand(7); for (i = 0; i < n; i++) {
    s = ""; l = 6 + int(rand() * 10)
    for (j = 0; j < l; j++) s = s sprintf("%c", 97 + int(rand() * 26))
    print s ".com" } }' > "$T/names.txt"
# names/s of `dnshunt classify` on one core over the names in file $2.
classify_rate() {
    t0=$(date +%s.%N)
    taskset -c 0 "$BIN" classify < "$2" > /dev/null || exit 1
    t1=$(date +%s.%N)
    awk -v a="$t0" -v b="$t1" -v n="$N" -v what="$1" 'BEGIN {
        printf "dnshunt classify, end to end, %s: %.0f names/s\n", what,
               n / (b - a) }'
}
classify_rate "random-letter .com names (read, score, print)" "$T/names.txt"
# The mix bench_classify generates: a quarter under "www.", four in ten
# pronounceable, four in ten random letters, two in ten hex, 8 TLDs.
awk -v n="$N" 'BEGIN { srand(11); split("com net org biz info io de co.uk", t)
    c = "bcdfghjklmnprstvwz"; v = "aeiou"; h = "0123456789abcdef"
    for (i = 0; i < n; i++) {
        k = int(rand() * 10); s = ""; l = 6 + int(rand() * 11)
        if (rand() < 0.25) s = "www."
        for (j = 0; j < l; j++) {
            if (k >= 8) x = substr(h, 1 + int(rand() * 16), 1)
            else if (k >= 4) x = sprintf("%c", 97 + int(rand() * 26))
            else if (j % 2) x = substr(v, 1 + int(rand() * 5), 1)
            else x = substr(c, 1 + int(rand() * 18), 1)
            s = s x
        }
        print s "." t[1 + int(rand() * 8)] } }' > "$T/mixed.txt"
classify_rate "the mixed names" "$T/mixed.txt"

if [ -f "$DATA/top-domains.csv" ]; then
    corpus="the shared corpus"
    set -- --benign "$DATA/top-domains.csv" \
        --benign "$DATA/dga-lists/benign-opendns-random-looking.txt" \
        --exclude "$TOP/model/data/benign-exclusions.txt" \
        --dga "$DATA/dga" \
        --dga "rovnix=$DATA/dga-lists/andrewaeva-rovnix.txt" \
        --dga "conficker=$DATA/dga-lists/andrewaeva-conficker.txt" \
        --dga "cryptolocker=$DATA/dga-lists/andrewaeva-cryptolocker.txt" \
        --dga "goz=$DATA/dga-lists/andrewaeva-goz.txt" \
        --dga "newgoz=$DATA/dga-lists/andrewaeva-new_goz.txt" \
        --dga "orchard=$DATA/dga-lists/baderj-orchard-examples.txt" \
        --dga "ranbyus=$DATA/dga-lists/baderj-ranbyus-may-examples.txt"
else
    corpus="the test corpus ($DATA is missing)"
    set -- --benign "$TOP/tests/fixtures/model/benign.txt" \
        --dga "$TOP/tests/fixtures/model/dga"
fi
echo
echo "== DGA model: training on $corpus, 2 threads"
/usr/bin/time -f "train: %e s wall, %U s user, %M KB peak RSS" \
    "$BIN" train "$@" --out "$T/bench.model" --dump-features "$T" \
    > "$T/train.out" 2> "$T/train.err" || { cat "$T/train.err"; exit 1; }
grep -E "^(forest|words|dga training|benign names)" "$T/train.out"
tail -1 "$T/train.err"
echo
echo "== DGA model: forest alone on the held-out feature table, one core"
taskset -c 0 "$BENCH" "$T/bench.model" gen:1000 "$T/test.tsv" | tail -3

echo
echo "== scikit-learn RandomForestClassifier on the same feature tables"
# Debian's python3-sklearn lives under /usr/bin/python3, whatever else
# is first on PATH.
PY=python3
[ -x /usr/bin/python3 ] && PY=/usr/bin/python3
if "$PY" -c 'import sklearn' 2>/dev/null; then
    "$PY" "$HERE/sklearn_compare.py" "$T" 64 16 3
else
    echo "(python3-sklearn is not installed; skipped)"
fi
