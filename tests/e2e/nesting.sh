# Unclosed and nested pretty-printed JSON: every line is still accounted
# for, records inside are kept, and the work stays linear (a quadratic
# re-read of 100,000 lines would run into the time limit here).
. "$TOP/tests/e2e/lib.sh"

awk 'BEGIN { for (i = 0; i < 100000; i++) print "{" }' > "$WORK/open.json"
fresh
timeout 60 "$DNSHUNT" import --quiet "$WORK/open.json" >"$WORK/out" 2>"$WORK/err"
eq "100,000 lone braces: exit 1, in time" "$?" 1
eq "100,000 lone braces: every line rejected once" \
   "$(sql "SELECT count(*), count(DISTINCT line), min(line), max(line)
           FROM rejected_rows")" "100000|100000|1|100000"

rec='{"query_timestamp":"2024-05-01T00:00:00Z","query_name":"in.example.","query_type":"A","rcode":"NOERROR","srcaddr":"10.0.0.1"}'
awk -v rec="$rec" 'BEGIN {
    for (i = 0; i < 500; i++) print "{"
    for (i = 0; i < 3; i++) print rec
    for (i = 0; i < 400; i++) print "}"
}' > "$WORK/nested.json"
fresh
run import "$WORK/nested.json"
eq "nested: the three records inside are kept" \
   "$(sql "SELECT count(*) FROM queries")" 3
eq "nested: the other 900 lines are rejected" \
   "$(sql "SELECT count(*) FROM rejected_rows")" 900
