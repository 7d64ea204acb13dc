#!/bin/sh
# SPDX-License-Identifier: MIT
#
# score.sh: how fast `dnshunt score` ranks a simulated day, and how much
# memory it takes. Run by `make bench` as
#   sh tests/bench/score.sh ./dnshunt
# For each scale of BENCH_SCORE_SCALES ("6 62": just over 1 and 10 million
# queries) it simulates a day, imports it (the flow logs too, unless the
# scale is in BENCH_SCORE_NO_FLOWS, "62" by default: 51 million flow
# records take minutes and gigabytes to import), scores it and prints
# the queries, flows, seconds, queries per second, peak memory and the
# memory of scoring's own tables. Prints figures only.
set -u

BIN=$1
T=$(mktemp -d /tmp/dnshunt-bench-score.XXXXXX) || exit 2
trap 'rm -rf "$T"' EXIT
NO_FLOWS=${BENCH_SCORE_NO_FLOWS-62}

echo "== score: a simulated day, 200 hosts, every attack"
printf '%-6s %11s %11s %8s %12s %10s %10s %7s\n' scale queries "DNS flows" \
    seconds "queries/s" "peak RSS" tables alerts
for scale in ${BENCH_SCORE_SCALES:-6 62}; do
    "$BIN" simulate --out "$T/day" --scale "$scale" >/dev/null || exit 1
    what="$T/day/AWSLogs"
    case " $NO_FLOWS " in *" $scale "*)
        what=$(echo "$T"/day/AWSLogs/*/vpcdnsquerylogs) ;; esac
    "$BIN" --db "$T/s.db" import --quiet "$what" || exit 1
    rm -rf "$T/day"
    DNSHUNT_SCORE_MEMORY=1 /usr/bin/time -f "%e %M" "$BIN" --db "$T/s.db" \
        score > "$T/out" 2> "$T/err" || { cat "$T/err"; exit 1; }
    q=$(sed -n 's/^scored \([0-9]*\) queries.*/\1/p' "$T/out")
    f=$(sed -n 's/.* and \([0-9]*\) DNS flows.*/\1/p' "$T/out")
    a=$(sed -n 's/.* \([0-9]*\) alerts.*/\1/p' "$T/out")
    set -- $(tail -1 "$T/err")
    tables=$(sed -n 's/.*tables held \(.*\) MB/\1/p' "$T/err")
    printf '%-6s %11s %11s %8s %12.0f %7.0f MB %7s MB %7s\n' "$scale" "$q" \
        "$f" "$1" "$(echo "$q $1" | awk '{ print $1 / ($2 > 0 ? $2 : 1) }')" \
        "$(echo "$2" | awk '{ print $1 / 1024 }')" "$tables" "$a"
    case " $NO_FLOWS " in *" $scale "*)
        echo "       (scale $scale: query logs only; its flows not imported)" ;;
    esac
    rm -f "$T/s.db" "$T/s.db-wal" "$T/s.db-shm"
done
