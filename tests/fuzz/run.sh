#!/bin/sh
# SPDX-License-Identifier: MIT
#
# Runs every libFuzzer target in BUILD/fuzz for SECONDS each, from a copy
# of its corpus in tests/fuzz/corpus (new inputs go to the copy), and
# prints the runs, seconds and crashes of each. A crash's input is kept
# in BUILD/crashes/TARGET; copy it to tests/fuzz/regress/TARGET once
# fixed, and `make test` replays it from then on.
# usage: tests/fuzz/run.sh BUILD SECONDS
set -u
build=$1
secs=$2
top=$(cd "$(dirname "$0")/../.." && pwd)
crashes=0
printf '%-10s %12s %8s %8s\n' target runs seconds crashes
for t in "$build"/fuzz/fuzz_*; do
    name=$(basename "$t" | sed 's/^fuzz_//')
    work="$build/corpus/$name"
    out="$build/crashes/$name"
    mkdir -p "$work" "$out"
    cp -n "$top/tests/fuzz/corpus/$name"/* "$work"/ 2>/dev/null
    [ -d "$top/tests/fuzz/regress/$name" ] &&
        cp -n "$top/tests/fuzz/regress/$name"/* "$work"/ 2>/dev/null
    log="$build/$name.log"
    ASAN_OPTIONS=detect_leaks=1 "$t" -max_total_time="$secs" -rss_limit_mb=2048 \
        -max_len=65536 -artifact_prefix="$out/" -print_final_stats=1 \
        "$work" >"$log" 2>&1
    runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
    time=$(sed -n 's/^Done [0-9]* runs in \([0-9]*\) second.*/\1/p' "$log" |
           tail -1)
    n=$(find "$out" -type f | wc -l)
    crashes=$((crashes + n))
    printf '%-10s %12s %8s %8s\n' "$name" "${runs:-?}" "${time:-$secs}" "$n"
    [ "$n" -gt 0 ] && grep -m3 'ERROR\|SUMMARY' "$log" | sed 's/^/    /'
done
echo "$crashes crashes"
[ "$crashes" -eq 0 ]
