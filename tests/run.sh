#!/bin/sh
# Runs every test: the unit test programs in BUILD/tests (cmocka, TAP
# output) and the end-to-end scripts in tests/e2e (TAP lines from
# tests/e2e/lib.sh) against the real binary. Prints each failure and
# ends with the line "N passed, N failed"; exits 1 if anything failed.
#
# usage: tests/run.sh BUILD_DIR DNSHUNT_BINARY [PATTERN]
set -u
build=${1:?build dir}
bin=${2:?dnshunt binary}
pattern=${3:-}
top=$(cd "$(dirname "$0")/.." && pwd)
case $bin in /*) ;; *) bin="$top/$bin" ;; esac
export DNSHUNT="$bin" TOP="$top" CMOCKA_MESSAGE_OUTPUT=TAP
export TZ=UTC LC_ALL=C
passed=0
failed=0
out=$(mktemp)
trap 'rm -f "$out"' EXIT

count() {   # $1 = suite name; TAP output in $out; $2 = exit status
    p=$(grep -c '^ok ' "$out")
    f=$(grep -c '^not ok ' "$out")
    if [ "$2" -ne 0 ] && [ "$f" -eq 0 ]; then
        f=1
        echo "not ok - $1 exited with status $2" >>"$out"
    fi
    passed=$((passed + p))
    failed=$((failed + f))
    if [ "$f" -gt 0 ]; then
        echo "FAIL $1 ($p passed, $f failed)"
        grep -A8 '^not ok ' "$out" | sed 's/^/    /'
    else
        echo "pass $1 ($p)"
    fi
}

for t in "$build"/tests/test_*; do
    [ -x "$t" ] || continue
    name=$(basename "$t")
    case $name in *"$pattern"*) ;; *) continue ;; esac
    "$t" >"$out" 2>&1
    count "$name" $?
done

# The fuzz targets replay their corpora and the inputs that once failed.
for t in "$build"/tests/fuzz_*; do
    [ -x "$t" ] || continue
    name=$(basename "$t")
    case $name in *"$pattern"*) ;; *) continue ;; esac
    set -- "$top/tests/fuzz/corpus/${name#fuzz_}"/*
    [ -d "$top/tests/fuzz/regress/${name#fuzz_}" ] &&
        set -- "$@" "$top/tests/fuzz/regress/${name#fuzz_}"/*
    "$t" "$@" >"$out" 2>&1
    count "$name" $?
done

for t in "$top"/tests/e2e/*.sh; do
    name=$(basename "$t" .sh)
    [ "$name" = lib ] && continue
    case $name in *"$pattern"*) ;; *) continue ;; esac
    sh "$t" >"$out" 2>&1
    count "e2e/$name" $?
done

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
