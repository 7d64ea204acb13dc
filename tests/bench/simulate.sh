#!/bin/sh
# SPDX-License-Identifier: MIT
#
# simulate.sh: how fast `dnshunt simulate` writes a day, and whether its
# memory stays flat as the day grows. Run by `make bench` as
#   sh tests/bench/simulate.sh ./dnshunt
# Prints figures only. Environment: BENCH_SIM_SCALES ("1 10").
set -u

BIN=$1
T=$(mktemp -d /tmp/dnshunt-bench-sim.XXXXXX) || exit 2
trap 'rm -rf "$T"' EXIT

echo "== simulate: one day, 200 hosts, every attack"
for scale in ${BENCH_SIM_SCALES:-1 10}; do
    /usr/bin/time -f "%e s wall, %M KB peak RSS" "$BIN" simulate \
        --out "$T/day" --scale "$scale" > "$T/out" 2> "$T/time" || exit 1
    printf 'scale %-4s %s; %s; %s on disk\n' "$scale" "$(cat "$T/out")" \
        "$(tail -1 "$T/time")" "$(du -sh "$T/day" | cut -f1)"
    rm -rf "$T/day"
done
