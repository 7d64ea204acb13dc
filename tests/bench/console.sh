#!/bin/sh
# SPDX-License-Identifier: MIT
#
# console.sh: how long each view of the console takes to open and to
# scroll on a large store, through a scripted session with
# DNSHUNT_TIMINGS. Run by `make bench` as
#   sh tests/bench/console.sh ./dnshunt
# The store is a simulated day of BENCH_CONSOLE_HOSTS (7000) hosts at
# BENCH_CONSOLE_SCALE (5.1), query logs only: about 10 million queries
# from 5,000 hosts (those behind the VPC's own resolver appear only in
# flow logs).
# Prints the store's figures, then each step's milliseconds (the step
# and its redraw) and the slowest.
set -u

BIN=$1
T=$(mktemp -d /tmp/dnshunt-bench-console.XXXXXX) || exit 2
trap 'rm -rf "$T"' EXIT
HOSTS=${BENCH_CONSOLE_HOSTS:-7000}
SCALE=${BENCH_CONSOLE_SCALE:-5.1}

echo "== console: views on a day of $HOSTS hosts at scale $SCALE"
"$BIN" simulate --out "$T/day" --hosts "$HOSTS" --scale "$SCALE" \
    >/dev/null || exit 1
"$BIN" --db "$T/s.db" import --quiet "$T"/day/AWSLogs/*/vpcdnsquerylogs ||
    exit 1
rm -rf "$T/day"
"$BIN" --db "$T/s.db" score || exit 1
top=$(sqlite3 "$T/s.db" "SELECT addr FROM hosts ORDER BY score DESC LIMIT 1")
dom=$(sqlite3 "$T/s.db" "SELECT domain FROM domains ORDER BY queries DESC
                         LIMIT 1")
cat >"$T/script" <<EOS
j
PgDn
PgDn
G
g
Enter
PgDn
G
q
/critical
n
:host $top
q
:domain $dom
PgDn
G
q
Tab
PgDn
Tab
PgDn
G
Tab
Tab
s
s
:view review
PgDn
G
EOS
LINES=50 COLUMNS=160 TERM=xterm DNSHUNT_TIMINGS="$T/times" \
    DNSHUNT_SCRIPT="$T/script" "$BIN" --db "$T/s.db" console || exit 1
printf '%8s  %s\n' ms step
awk -F'\t' '{ printf "%8d  %s\n", $1, $2 }' "$T/times"
awk -F'\t' '$1 >= m { m = $1; s = $2 } END {
    printf "slowest step: %d ms (%s)\n", m, s }' "$T/times"
