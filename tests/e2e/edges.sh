# Edges found in review: the store is not read as input, a pipe is
# imported once and its content hash still guards a re-import, a foreign
# SQLite file is not turned into a store, output errors are reported.
. "$TOP/tests/e2e/lib.sh"

# `import .` next to the store leaves the store's own files alone.
mkdir -p "$WORK/here"
cp "$FIX/flow_default.log" "$WORK/here/"
fresh
(cd "$WORK/here" && "$DNSHUNT" --db ./dnshunt.db import . >"$WORK/out" 2>"$WORK/err";
 echo $? >"$WORK/rc"; "$DNSHUNT" --db ./dnshunt.db import . >"$WORK/out2" 2>&1)
eq "import . : exit 0" "$(rc)" 0
eq "import . : only the log file" "$(out)" \
   "1 file: 1 ok, 0 partial, 0 failed, 0 empty, 0 skipped; 6 rows kept, 0 rejected"
eq "import . again: the store files are still not read" "$(cat "$WORK/out2" | tail -1)" \
   "1 file: 0 ok, 0 partial, 0 failed, 0 empty, 1 skipped; 0 rows kept, 0 rejected"

# A named pipe is read once, while hashing; the same content from a
# regular file afterwards is recognised.
fresh
mkfifo "$WORK/fifo"
cat "$FIX/r53_fields.jsonl" >"$WORK/fifo" &
run import "$WORK/fifo"
wait
eq "fifo: all records" "$(out)" \
   "1 file: 1 ok, 0 partial, 0 failed, 0 empty, 0 skipped; 9 rows kept, 0 rejected"
eq "fifo: size and hash of what went through" \
   "$(sql "SELECT size, sha256 FROM imports")" \
   "$(wc -c <"$FIX/r53_fields.jsonl" | tr -d ' ')|$(sha256sum "$FIX/r53_fields.jsonl" | cut -d' ' -f1)"
run import "$FIX/r53_fields.jsonl"
eq "fifo then file: skipped by content" "$(sql "SELECT count(*) FROM queries")" 9

# A SQLite file that is not a store is refused and left as it was.
rm -f "$WORK/other.db"
sqlite3 "$WORK/other.db" "CREATE TABLE t(x); INSERT INTO t VALUES (1)"
run --db "$WORK/other.db" stats
eq "foreign SQLite file: exit 3" "$(rc)" 3
eq "foreign SQLite file: message" "$(err)" \
   "dnshunt: $WORK/other.db: not a dnshunt store (an SQLite file with other tables); nothing was changed"
eq "foreign SQLite file: untouched" \
   "$(sqlite3 "$WORK/other.db" "SELECT group_concat(name) FROM sqlite_schema; PRAGMA journal_mode")" \
   "t
delete"

# Output that cannot be written is an error, not a silent success.
run stats
"$DNSHUNT" stats >/dev/full 2>"$WORK/err"
eq "stats to a full disk: exit 3" "$?" 3
eq "stats to a full disk: says so" "$(err)" "dnshunt: writing the output failed"

# --db needs a name.
run --db "" stats
eq "empty --db: usage error" "$(rc)|$(err)" "2|dnshunt: --db needs a file name"

# --max-line lets a large CloudWatch envelope (here 2.3 MB) through.
awk 'BEGIN {
    printf "{\"messageType\":\"DATA_MESSAGE\",\"logEvents\":["
    for (i = 0; i < 12000; i++)
        printf "%s{\"id\":\"%d\",\"timestamp\":1,\"message\":\"{\\\"query_timestamp\\\":\\\"2024-05-01T00:00:00Z\\\",\\\"query_name\\\":\\\"n%d.example.\\\",\\\"query_type\\\":\\\"A\\\",\\\"rcode\\\":\\\"NOERROR\\\",\\\"srcaddr\\\":\\\"10.0.0.1\\\"}\"}", (i ? "," : ""), i, i
    print "]}"
}' >"$WORK/big-envelope.json"
fresh
run import "$WORK/big-envelope.json"
eq "big envelope, default limit: one reject" "$(rc)|$(sql "SELECT reason FROM rejected_rows")" \
   "1|line too long: over 1048576 bytes"
run import --max-line 4194304 "$WORK/big-envelope.json"
eq "big envelope, --max-line 4194304: every event" \
   "$(rc)|$(sql "SELECT count(*), count(DISTINCT name_id) FROM queries")" "0|12000|12000"
run import --max-line 12 "$WORK/big-envelope.json"
eq "--max-line out of range" "$(rc)|$(err)" \
   "2|dnshunt import: --max-line takes 64 to 67108864 bytes"

# A header field this version does not know (one AWS adds later) is kept
# in extra under its header name, with either number of threads.
printf 'version srcaddr new-aws-field dstaddr bytes log-status\n5 10.0.0.1 hello 10.0.0.2 10 OK\n5 10.0.0.1 - 10.0.0.2 11 OK\n5 10.0.0.3 x"y 10.0.0.4 12 NODATA\n' >"$WORK/unknown-field.log"
for n in 1 2; do
    fresh
    run import --threads $n "$WORK/unknown-field.log"
    eq "unknown field ($n thread(s)): kept in extra" \
       "$(rc)|$(sql "SELECT group_concat(coalesce(extra, 'NULL'), ' ') FROM flows")|$(sql "SELECT extra FROM health_records")" \
       '0|{"new_aws_field":"hello"} NULL|{"srcaddr":"10.0.0.3","dstaddr":"10.0.0.4","bytes":"12","new_aws_field":"x\"y"}'
done
