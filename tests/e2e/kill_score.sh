#!/bin/sh
# SIGKILL in the middle of a scoring run or a retraining leaves the store
# whole: it opens, integrity_check is ok, the previous results (or the
# previous model) stay as they were, the analysts' verdicts and
# allow-list entries are intact, and the next run completes. The kill
# points are spread over each run's length as measured first.
. "$(dirname "$0")/lib.sh"

"$DNSHUNT" simulate --out "$WORK/day" --hosts 60 >/dev/null
"$DNSHUNT" import --quiet "$WORK/day/AWSLogs"
"$DNSHUNT" score --quiet
"$DNSHUNT" mark domain woozier15.com tp --note "kept" >/dev/null 2>&1
"$DNSHUNT" allow add suffix cloudfront.net >/dev/null 2>&1
results() {
    sql "SELECT (SELECT count(*) FROM score_runs) || ' ' ||
                (SELECT count(*) FROM hosts) || ' ' ||
                (SELECT count(*) FROM domains) || ' ' ||
                (SELECT count(*) FROM host_reasons) || ' ' ||
                (SELECT group_concat(addr || ':' || alert) FROM
                 (SELECT addr, alert FROM hosts ORDER BY addr))"
}
decisions() {
    sql "SELECT (SELECT group_concat(value || verdict || note) FROM
                 verdicts) || ' ' || (SELECT group_concat(kind || value)
                 FROM allow_entries)"
}
before=$(results | cut -d' ' -f2-)
kept=$(decisions)

# ms_of CMD...: how long a run takes, in milliseconds.
ms_of() {
    t0=$(date +%s%N)
    "$@" >/dev/null 2>&1
    echo $((($(date +%s%N) - t0) / 1000000))
}
total=$(ms_of "$DNSHUNT" score --quiet)
killed=0 trials=10
for i in $(seq 1 $trials); do
    at=$((total * i / (trials + 1)))
    "$DNSHUNT" score --quiet >/dev/null 2>&1 &
    pid=$!
    sleep "$(awk -v ms=$at 'BEGIN { printf "%.3f", ms / 1000 }')"
    kill -9 $pid 2>/dev/null && killed=$((killed + 1))
    wait $pid 2>/dev/null
    ok=$(sql "PRAGMA integrity_check")
    now=$(results | cut -d' ' -f2-)
    if [ "$ok" = ok ] && [ "$now" = "$before" ] &&
       [ "$(decisions)" = "$kept" ]; then
        ok "score killed at ${at} ms: the store and the last results whole"
    else
        notok "score killed at ${at} ms: the store and the last results whole" \
            "integrity: $ok" "results: $now" "expected: $before"
    fi
done
if [ "$killed" -ge $((trials / 2)) ]; then ok "scoring killed mid-run $killed times"
else notok "scoring killed mid-run" "only $killed of $trials kills landed"; fi
run score --quiet
eq "scoring after the kills completes" "$(rc)" 0
eq "and gives the same results" "$(results | cut -d' ' -f2-)" "$before"

# Retraining: the old model stays in force until the new one is stored.
M="$TOP/tests/fixtures/model"
"$DNSHUNT" mark domain qzvkwjxrplmbt.com fp >/dev/null 2>&1
total=$(ms_of "$DNSHUNT" retrain --benign "$M/benign.txt" --dga "$M/dga" \
        --words "$M/words.txt")
"$DNSHUNT" retrain --rollback >/dev/null 2>&1   # back to the built-in one
for i in 1 2 3 4 5; do
    at=$((total * i / 6))
    "$DNSHUNT" retrain --benign "$M/benign.txt" --dga "$M/dga" \
        --words "$M/words.txt" >/dev/null 2>&1 &
    pid=$!
    sleep "$(awk -v ms=$at 'BEGIN { printf "%.3f", ms / 1000 }')"
    kill -9 $pid 2>/dev/null
    wait $pid 2>/dev/null
    eq "retrain killed at ${at} ms: integrity_check" \
       "$(sql "PRAGMA integrity_check")" ok
    active=$(sql "SELECT count(*) FROM models WHERE active")
    n=$(sql "SELECT count(*) FROM models")
    # either nothing new (the built-in model still scores) or a whole
    # model stored and active
    if [ "$active" = 0 ] || [ "$(sql "SELECT length(data) > 100000 FROM
                                    models WHERE active")" = 1 ]; then
        ok "retrain killed at ${at} ms: no half model in force ($n stored)"
    else
        notok "retrain killed at ${at} ms: no half model in force"
    fi
    "$DNSHUNT" retrain --use built-in >/dev/null 2>&1
done
run score --quiet
eq "scoring with the built-in model after the kills" "$(rc)" 0
eq "the verdicts and entries are intact" \
   "$(sql "SELECT count(*) FROM verdicts") $(sql "SELECT count(*) FROM allow_entries")" "2 1"
