# SIGKILL in the middle of an import leaves a consistent store: the file
# being imported is absent (no imports row, no rows of any kind), the
# files finished before it are intact, and importing again completes with
# the exact row count. The kill points are chosen by how much of the big
# file the process has read (/proc/PID/io), so they fall mid-import at any
# speed.
. "$TOP/tests/e2e/lib.sh"

N=200000
BIG="$WORK/big.jsonl"
awk -v n=$N 'BEGIN { for (i = 0; i < n; i++)
    printf "{\"query_timestamp\":\"2024-04-05T%02d:%02d:%02d.%03dZ\",\"query_name\":\"h%d.k%d.example.com.\",\"query_type\":\"A\",\"rcode\":\"NOERROR\",\"srcaddr\":\"10.40.%d.%d\",\"srcport\":\"%d\",\"transport\":\"UDP\",\"answers\":[{\"Rdata\":\"192.0.2.%d\",\"Type\":\"A\",\"Class\":\"IN\"}]}\n", int(i / 3600) % 24, int(i / 60) % 60, i % 60, i % 1000, i, i % 97, int(i / 250) % 250, i % 250, 1024 + i % 60000, i % 250 }' \
    >"$BIG"
gzip -1 -n -c "$BIG" >"$BIG.gz"

counts() {
    sql "SELECT (SELECT count(*) FROM imports) || ' ' ||
                (SELECT count(*) FROM queries) || ' ' ||
                (SELECT count(*) FROM flows) || ' ' ||
                (SELECT count(*) FROM health_records) || ' ' ||
                (SELECT count(*) FROM rejected_rows)"
}
leftovers() {
    sql "SELECT (SELECT count(*) FROM queries WHERE import_id NOT IN
                 (SELECT id FROM imports)) || ' ' ||
                (SELECT count(*) FROM flows WHERE import_id NOT IN
                 (SELECT id FROM imports)) || ' ' ||
                (SELECT count(*) FROM health_records WHERE import_id NOT IN
                 (SELECT id FROM imports)) || ' ' ||
                (SELECT count(*) FROM names WHERE id NOT IN
                 (SELECT name_id FROM queries)) || ' ' ||
                (SELECT count(*) FROM origins WHERE id NOT IN
                 (SELECT origin_id FROM queries)) || ' ' ||
                (SELECT count(*) FROM imports WHERE status NOT IN
                 ('ok', 'partial', 'failed', 'empty'))"
}
rchar() { sed -n 's/^rchar: //p' "/proc/$1/io" 2>/dev/null; }

# kill_at LABEL SMALL BIGFILE FRACTION: import SMALL then BIGFILE; SIGKILL
# once the process has read (hash pass + FRACTION of the parse pass) of
# BIGFILE; check the store.
kill_at() {
    label=$1 small=$2 bigf=$3 frac=$4
    size=$(wc -c <"$bigf")
    target=$((size + size * frac / 100))
    "$DNSHUNT" import --quiet "$small" "$bigf" >/dev/null 2>&1 &
    pid=$!
    running=yes
    while :; do
        r=$(rchar $pid)
        if [ -z "$r" ] || ! kill -0 $pid 2>/dev/null; then running=no; break; fi
        [ "$r" -ge "$target" ] && break
        sleep 0.005
    done
    kill -9 $pid 2>/dev/null
    wait $pid
    status=$?
    eq "kill $label: the import was killed mid-file (still running: $running)" \
       "$running $status" "yes 137"
    eq "kill $label: integrity_check" "$(sql "PRAGMA integrity_check")" ok
    eq "kill $label: the interrupted file is absent from imports" \
       "$(sql "SELECT count(*) FROM imports WHERE path = '$bigf'")" 0
    eq "kill $label: the file imported before it is intact" \
       "$(sql "SELECT status || ' ' || rows_kept FROM imports
               WHERE path = '$small'")" "ok $(cat "$WORK/expect-$label")"
    eq "kill $label: no row of the interrupted file, nothing left over" \
       "$(leftovers)" "0 0 0 0 0 0"
}

fresh
# Rows each small file brings (imported alone in a scratch store).
for f in r53_fields.jsonl flow_default.log r53_pretty.json; do
    "$DNSHUNT" --db "$WORK/scratch.db" import --quiet "$FIX/$f"
done
i=0
for f in r53_fields.jsonl flow_default.log r53_pretty.json; do
    i=$((i + 1))
    sqlite3 "$WORK/scratch.db" "SELECT rows_kept FROM imports WHERE id = $i" \
        >"$WORK/expect-$i"
done

kill_at 1 "$FIX/r53_fields.jsonl" "$BIG" 10
eq "kill 1: store holds exactly the small file" "$(counts)" "1 9 0 0 0"
kill_at 2 "$FIX/flow_default.log" "$BIG.gz" 45
eq "kill 2: store holds exactly the two small files" "$(counts)" "2 9 4 2 0"
kill_at 3 "$FIX/r53_pretty.json" "$BIG" 80
eq "kill 3: store holds exactly the three small files" "$(counts)" "3 12 4 2 0"

# Ten more kills at points drawn from a fixed seed, plain and gzip in
# turn, with an analyst's verdicts and allow-list entries in the store:
# each leaves the store as it was, decisions included.
"$DNSHUNT" mark domain h1.k1.example.com tp --note "before the kills" \
    >/dev/null
"$DNSHUNT" mark host 10.40.0.1 fp >/dev/null
"$DNSHUNT" allow add suffix example.org --reason "partner" >/dev/null
"$DNSHUNT" allow add cidr 10.99.0.0/16 --scope lexical >/dev/null
decisions() {
    sql "SELECT subject, value, verdict, coalesce(note, '') FROM verdicts
         ORDER BY 1, 2; SELECT kind, value, scope, reason FROM allow_entries
         ORDER BY id; SELECT count(*) FROM audit_log"
}
before=$(decisions)
t=3
for frac in $(awk 'BEGIN { srand(9)
                           for (i = 0; i < 10; i++)
                               printf "%d ", 3 + int(rand() * 94) }'); do
    t=$((t + 1))
    if [ $((t % 2)) -eq 0 ]; then f=$BIG; else f=$BIG.gz; fi
    cp "$WORK/expect-3" "$WORK/expect-$t"
    kill_at "$t" "$FIX/r53_pretty.json" "$f" "$frac"
    eq "kill $t (at $frac%): store holds exactly the three small files" \
       "$(counts)" \
       "3 12 4 2 0"
    eq "kill $t: verdicts and allow-list entries intact" "$(decisions)" \
       "$before"
done

# Importing again completes with the exact count.
run import "$FIX/r53_fields.jsonl" "$FIX/flow_default.log" \
    "$FIX/r53_pretty.json" "$BIG"
eq "after the kills: exit 0" "$(rc)" 0
eq "after the kills: earlier files skipped, the big one complete" "$(out)" \
   "4 files: 1 ok, 0 partial, 0 failed, 0 empty, 3 skipped; $N rows kept, 0 rejected"
eq "after the kills: exact totals" "$(counts)" "4 $((N + 12)) 4 2 0"
eq "after the kills: the big file's rows" \
   "$(sql "SELECT count(*) FROM queries q JOIN imports i ON i.id = q.import_id
           WHERE i.path = '$BIG'")" "$N"
eq "after the kills: its first and last rows" \
   "$(sql "SELECT min(ts_ms) || ' ' || max(ts_ms) FROM queries q
           JOIN imports i ON i.id = q.import_id WHERE i.path = '$BIG'")" \
   "1712275200000 1712361599799"
eq "after the kills: integrity_check" "$(sql "PRAGMA integrity_check")" ok
eq "after the kills: nothing left over" "$(leftovers)" "0 0 0 0 0 0"
