# Hostile input: terminal escape sequences and control bytes in names,
# flow fields and file names never reach the terminal raw; SQL and printf
# metacharacters are stored verbatim; invalid UTF-8; lines of megabytes
# and deeply nested JSON cost only their own line, in bounded memory.
. "$TOP/tests/e2e/lib.sh"

ESC=$(printf '\033')
BEL=$(printf '\007')
q1() {  # a Route 53 line with the given (JSON-encoded) name and srcaddr
    printf '{"query_timestamp":"2024-04-02T13:00:%02dZ","query_name":"%s","query_type":"A","rcode":"NOERROR","srcaddr":"%s"}\n' "$1" "$2" "$3"
}
hexof() { printf '%s' "$1" | od -An -v -tx1 | tr -d ' \n' | tr 'a-f' 'A-F'; }
# Every output of the last run, and of stats in both forms.
all_output() {
    cat "$WORK/out" "$WORK/err" >"$WORK/all"
    "$DNSHUNT" stats --rejects 100 >>"$WORK/all" 2>&1
    "$DNSHUNT" stats --format json >>"$WORK/all" 2>&1
}

# --- Escape sequences and control bytes inside records ---------------
fresh
{
    q1 1 '\u001b[2J\u001b]0;owned\u0007x.example.com.' 10.20.30.90
    q1 2 'bell\u0007bs\u0008del\u007f.example.com.' 10.20.30.90
    q1 3 'c1\u009b31m.example.com.' 10.20.30.90
    # rejected, with escapes in the rejected values
    q1 4 'rej\u001b[2J.example.com.' '\u001b[31m10.0.0.1'
    printf '{"query_timestamp":"2024-04-02T13:00:05Z","query_name":"a.example.com.","query_type":"A","rcode":"\\u001b]0;t\\u0007","srcaddr":"10.20.30.90"}\n'
    # raw ESC and BEL bytes inside a JSON string: not valid JSON
    printf '{"query_timestamp":"2024-04-02T13:00:06Z","query_name":"raw%s[2J%s.example.com.","query_type":"A","rcode":"NOERROR","srcaddr":"10.20.30.90"}\n' "$ESC" "$BEL"
    printf '%s[2J%s]0;title%s not json\n' "$ESC" "$ESC" "$BEL"
    q1 8 'last.example.com.' 10.20.30.90
} >"$WORK/esc.jsonl"
run import "$WORK/esc.jsonl"
eq "escapes: exit 1" "$(rc)" 1
eq "escapes: 4 kept, 4 rejected" \
   "$(sql "SELECT rows_kept, rows_rejected FROM imports")" "4|4"
eq "escapes: names with control bytes stored byte for byte" \
   "$(sql "SELECT hex(n.logged) FROM queries q JOIN names n
           ON n.id = q.name_id ORDER BY q.ts_ms")" \
   "$(hexof "$(printf '\033[2J\033]0;owned\007x.example.com.')")
$(hexof "$(printf 'bell\007bs\010del\177.example.com.')")
$(hexof "$(printf 'c1\302\23331m.example.com.')")
$(hexof last.example.com.)"
eq "escapes: normalised names hold no control byte" \
   "$(sql "SELECT count(*) FROM names WHERE norm GLOB
           '*[$(printf '\001-\037\177')]*'")" 0
eq "escapes: normalised form escapes them as \\DDD" \
   "$(sql "SELECT n.norm FROM queries q JOIN names n ON n.id = q.name_id
           WHERE q.ts_ms = 1712062802000")" \
   'bell\007bs\008del\127.example.com'
eq "escapes: rejects and their reasons" \
   "$(sql "SELECT line || ' ' || CASE line WHEN 6 THEN substr(reason, 1, 38)
           ELSE reason END FROM rejected_rows ORDER BY line")" \
   "4 malformed IP address: field srcaddr: not an IP address
5 unexpected field value: field rcode: not a DNS mnemonic
6 malformed JSON: control character 0x1b
7 malformed JSON: expected a JSON object"
eq "escapes: no raw control byte in stored excerpts and reasons" \
   "$(sql "SELECT count(*) FROM rejected_rows WHERE
           (reason || excerpt) GLOB '*[$(printf '\001-\037\177')]*'")" 0
all_output
nobyte "escapes: no raw ESC in any output" "$WORK/all" 033
nobyte "escapes: no raw BEL in any output" "$WORK/all" 007
nobyte "escapes: no raw C1 CSI in any output" "$WORK/all" 233

# --- Flow fields --------------------------------------------------------
fresh
{
    printf '2 000011112222 eni-%s[2J 10.20.30.40 203.0.113.10 1 2 6 1 60 1712045700 1712045760 ACCEPT OK\n' "$ESC"
    printf '2 000011112222 eni-0f10000000000001 10.20.30.40 203.0.113.10 3 4 6 1 60 1712045700 1712045760 %s]0;x%s OK\n' "$ESC" "$BEL"
    printf '2 000011112222 eni-0f10000000000001 10.20.30.40 203.0.113.10 5 6 6 1 60 1712045700 1712045760 ACCEPT %s[31mOK\n' "$ESC"
    printf '2 000011112222 eni-0f10000000000001 10.20.30.40 %s[2J 7 8 6 1 60 1712045700 1712045760 ACCEPT OK\n' "$ESC"
    printf 'version %s[2J srcaddr\n' "$ESC"
} >"$WORK/esc.log"
run import "$WORK/esc.log"
eq "flow escapes: text fields kept verbatim" \
   "$(sql "SELECT hex(interface_id) || ' ' || hex(action) FROM flow_log
           ORDER BY id")" \
   "656E692D1B5B324A 414343455054
656E692D30663130303030303030303030303031 1B5D303B7807"
eq "flow escapes: bad status, address and header rejected" \
   "$(sql "SELECT line || ' ' || reason FROM rejected_rows ORDER BY line")" \
   "3 unexpected field value: field log-status: unknown value '\\x1b[31mOK'
4 malformed IP address: field dstaddr: not an IP address
5 flow record without a header: 3 fields and no header line (the default format has 14; see --flow-format)"
all_output
nobyte "flow escapes: no raw ESC in any output" "$WORK/all" 033
nobyte "flow escapes: no raw BEL in any output" "$WORK/all" 007

# --- File names -----------------------------------------------------------
fresh
mkdir "$WORK/hostile-names"
P1="$WORK/hostile-names/a${ESC}[2J${ESC}]0;pwned${BEL}.jsonl"
P2="$WORK/hostile-names/b${ESC}[31m.log"
{ q1 1 ok.example.com. 10.20.30.90; printf 'bad line\n'; } >"$P1"
printf 'junk\n' >"$P2"
run import "$WORK/hostile-names"
eq "escaped file names: exit 1" "$(rc)" 1
eq "escaped file names: paths stored as they are" \
   "$(sql "SELECT hex(path) FROM imports ORDER BY id")" \
   "$(hexof "$P1")
$(hexof "$P2")"
cat "$WORK/err" >"$WORK/import-err"
nobyte "escaped file names: no raw ESC on stderr of import" \
   "$WORK/import-err" 033
nobyte "escaped file names: no raw BEL on stderr of import" \
   "$WORK/import-err" 007
{ "$DNSHUNT" stats --rejects 100; "$DNSHUNT" stats --format json; } \
    >"$WORK/stats" 2>&1
nobyte "escaped file names: no raw ESC from stats" "$WORK/stats" 033
run import "$WORK/hostile-names"
nobyte "escaped file names: no raw ESC in 'already imported'" \
   "$WORK/err" 033

# --- SQL and printf metacharacters are data ----------------------------
fresh
{
    q1 1 "x'); DROP TABLE queries; --.example.com." 10.20.30.91
    q1 2 '\"; DELETE FROM names; --.example.com.' 10.20.30.91
    q1 3 '%n%s%s%s%p%x%%.example.com.' 10.20.30.91
    q1 4 "Robert'); DROP TABLE imports;--" 10.20.30.91
} >"$WORK/meta.jsonl"
printf "2 ';DROP_TABLE_flows;-- eni-%%n%%s 10.20.30.40 203.0.113.10 1 2 6 1 60 1712045700 1712045760 ACCEPT OK\n" \
    >"$WORK/meta%n%s'quote.log"
run import "$WORK/meta.jsonl" "$WORK/meta%n%s'quote.log"
eq "metacharacters: exit 0" "$(rc)" 0
eq "metacharacters: names stored verbatim" \
   "$(sql "SELECT n.logged FROM queries q JOIN names n ON n.id = q.name_id
           ORDER BY q.ts_ms")" \
   "x'); DROP TABLE queries; --.example.com.
\"; DELETE FROM names; --.example.com.
%n%s%s%s%p%x%%.example.com.
Robert'); DROP TABLE imports;--"
eq "metacharacters: flow fields verbatim" \
   "$(sql "SELECT account_id || '|' || interface_id FROM flow_log")" \
   "';DROP_TABLE_flows;--|eni-%n%s"
eq "metacharacters: file name verbatim" \
   "$(sql "SELECT path FROM imports ORDER BY id DESC LIMIT 1")" \
   "$WORK/meta%n%s'quote.log"
eq "metacharacters: every table still there" \
   "$(sql "SELECT count(*) FROM queries") $(sql "SELECT count(*) FROM imports")" \
   "4 2"

# --- Invalid UTF-8 --------------------------------------------------------
fresh
{
    q1 1 before-utf8.example.com. 10.20.30.92
    printf '{"query_timestamp":"2024-04-02T13:00:02Z","query_name":"bad\377\376utf8.example.com.","query_type":"A","rcode":"NOERROR","srcaddr":"10.20.30.92"}\n'
    q1 3 'after-utf8.example.com.' 10.20.30.92
} >"$WORK/utf8.jsonl"
printf '2 000011112222 eni-\377\376 10.20.30.40 203.0.113.10 1 2 6 1 60 1712045700 1712045760 ACCEPT OK\n' \
    >"$WORK/utf8.log"
P3="$WORK/bad-$(printf '\377')-name.log"
cp "$FIX/flow_default.log" "$P3"
run import "$WORK/utf8.jsonl" "$WORK/utf8.log" "$P3"
eq "invalid UTF-8: the record with it is rejected, neighbours kept" \
   "$(sql "SELECT query_name FROM query_log ORDER BY id")" \
   "before-utf8.example.com.
after-utf8.example.com."
eq "invalid UTF-8: reason" \
   "$(sql "SELECT line || ' ' || substr(reason, 1, 15) FROM rejected_rows")" \
   "2 malformed JSON:"
eq "invalid UTF-8: excerpt escaped" \
   "$(sql "SELECT instr(excerpt, 'bad\\xff\\xfeutf8') > 0 FROM rejected_rows")" 1
eq "invalid UTF-8 in a flow field: kept byte for byte" \
   "$(sql "SELECT hex(interface_id) FROM flow_log WHERE srcport = 1")" \
   "656E692DFFFE"
nobyte "invalid UTF-8: no raw 0xff in the reject message" "$WORK/err" 377
"$DNSHUNT" stats --format json >"$WORK/stats.json" 2>&1
eq "invalid UTF-8 in a path: stats --format json is still valid JSON" \
   "$(sqlite3 :memory: "SELECT json_valid(readfile('$WORK/stats.json'))")" 1
"$DNSHUNT" stats >"$WORK/stats.txt" 2>&1
nobyte "invalid UTF-8 in a path: not raw in stats text" "$WORK/stats.txt" 377

# --- Lines of megabytes ---------------------------------------------------
fresh
{
    q1 1 before-long.example.com. 10.20.30.93
    printf '{"query_timestamp":"2024-04-02T13:00:02Z","query_name":"'
    head -c 2097152 /dev/zero | tr '\0' 'a'
    printf '.example.com.","query_type":"A","rcode":"NOERROR","srcaddr":"10.20.30.93"}\n'
    q1 3 after-long.example.com. 10.20.30.93
    printf 'not json after the long line\n'
} >"$WORK/long.jsonl"
run import "$WORK/long.jsonl"
eq "2 MB JSON line: exit 1" "$(rc)" 1
eq "2 MB JSON line: neighbours kept" \
   "$(sql "SELECT query_name FROM query_log ORDER BY id")" \
   "before-long.example.com.
after-long.example.com."
eq "2 MB JSON line: rejected as too long, later lines numbered right" \
   "$(sql "SELECT line || ' ' || reason FROM rejected_rows ORDER BY line")" \
   "2 line too long: over 1048576 bytes
4 malformed JSON: expected a JSON object"
eq "2 MB JSON line: the excerpt stays short" \
   "$(sql "SELECT length(excerpt) <= 128 FROM rejected_rows WHERE line = 2")" 1

fresh
{
    sed -n 1p "$FIX/flow_default.log"
    head -c 2097152 /dev/zero | tr '\0' '7'
    printf '\n'
    sed -n 2p "$FIX/flow_default.log"
} >"$WORK/long.log"
run import "$WORK/long.log"
eq "2 MB flow line: rejected, neighbours kept" \
   "$(sql "SELECT rows_kept, rows_rejected FROM imports") $(sql "SELECT line || ' ' || reason FROM rejected_rows")" \
   "2|1 2 line too long: over 1048576 bytes"

# 64 KiB lines, under the limit: a 64 KiB query name is kept as logged
# (names are limited only by the line limit: a logged name's \DDD escapes
# make it longer than the wire name), and so is a record with 1,300
# answers.
fresh
{
    q1 1 before-64k.example.com. 10.20.30.97
    printf '{"query_timestamp":"2024-04-02T13:00:02Z","query_name":"'
    head -c 65536 /dev/zero | tr '\0' 'n'
    printf '.example.com.","query_type":"A","rcode":"NOERROR","srcaddr":"10.20.30.97"}\n'
    printf '{"query_timestamp":"2024-04-02T13:00:03Z","query_name":"many-answers.example.com.","query_type":"A","rcode":"NOERROR","srcaddr":"10.20.30.97","answers":['
    i=0
    while [ $i -lt 1300 ]; do
        [ $i -gt 0 ] && printf ','
        printf '{"Rdata":"192.0.2.%d","Type":"A","Class":"IN"}' $((i % 250))
        i=$((i + 1))
    done
    printf ']}\n'
    q1 4 after-64k.example.com. 10.20.30.97
} >"$WORK/64k.jsonl"
run import "$WORK/64k.jsonl"
eq "64 KiB lines: exit 0" "$(rc)" 0
eq "64 KiB lines: every row kept whole" \
   "$(sql "SELECT length(query_name) || ' ' ||
                  coalesce(json_array_length(answers), 0)
           FROM query_log ORDER BY id")" "23 0
65549 0
25 1300
22 0"
run score
eq "64 KiB lines: scoring takes them (exit 0)" "$(rc)" 0
run explain 10.20.30.97
eq "64 KiB lines: the host's explanation shortens the name (longest line)" \
   "$(rc) $(awk '{ if (length($0) > m) m = length($0) } END { print m < 200 }' \
      "$WORK/out")" "0 1"

# 64 MB on one line through a 60 MB address-space limit: streaming, not
# slurping. (Skipped under AddressSanitizer, which reserves terabytes.)
case $DNSHUNT in
*asan*) ;;
*)
    {
        q1 1 before-huge.example.com. 10.20.30.94
        head -c 67108864 /dev/zero | tr '\0' 'z'
        printf '\n'
        q1 3 after-huge.example.com. 10.20.30.94
    } >"$WORK/huge.jsonl"
    fresh
    run stats
    ( ulimit -v 60000; "$DNSHUNT" import "$WORK/huge.jsonl" \
        >"$WORK/out" 2>"$WORK/err"; echo $? >"$WORK/rc" )
    eq "64 MB line under a 60 MB memory limit: exit 1, not a crash" "$(rc)" 1
    eq "64 MB line under a 60 MB memory limit: neighbours kept" \
       "$(sql "SELECT rows_kept, rows_rejected FROM imports")" "2|1"
    rm -f "$WORK/huge.jsonl"

    # 1 GiB on one line, no newline at its end, streamed through a pipe:
    # never held, only skipped.
    fresh
    run stats
    ( ulimit -v 60000
      { q1 1 before-giant.example.com. 10.20.30.96
        head -c 1073741824 /dev/zero | tr '\0' 'g'; } |
      "$DNSHUNT" import - >"$WORK/out" 2>"$WORK/err"; echo $? >"$WORK/rc" )
    eq "1 GiB line without a newline under a 60 MB limit: exit 1" "$(rc)" 1
    eq "1 GiB line: the row before kept, the line rejected and counted" \
       "$(sql "SELECT rows_kept, rows_rejected, size FROM imports")
$(sql "SELECT line || ' ' || reason FROM rejected_rows")" \
       "1|1|$((1073741824 + $(q1 1 before-giant.example.com. 10.20.30.96 |
                              wc -c)))
2 line too long: over 1048576 bytes"
    has "1 GiB line: the message names the input and line" "$WORK/err" \
        "-:2: line too long"
    ;;
esac

# --- Deep nesting -----------------------------------------------------
fresh
{
    q1 1 before-deep.example.com. 10.20.30.95
    printf '{"query_timestamp":"2024-04-02T13:00:02Z","x":'
    head -c 200000 /dev/zero | tr '\0' '['
    head -c 200000 /dev/zero | tr '\0' ']'
    printf '}\n'
    head -c 100000 /dev/zero | tr '\0' '{'
    printf '\n'
    q1 4 after-deep.example.com. 10.20.30.95
} >"$WORK/deep.jsonl"
run import "$WORK/deep.jsonl"
eq "deep nesting: exit 1, no crash" "$(rc)" 1
eq "deep nesting: neighbours kept, both deep lines rejected" \
   "$(sql "SELECT rows_kept, rows_rejected FROM imports")" "2|2"

# --- Many interfaces under one ENI ------------------------------------
# Flow rows whose interface tuples differ only after the ENI (here the
# account), or that have no ENI at all: each new tuple is looked up by
# all of its fields through an index, not by the ENI alone (which made
# the lookups of 20,000 such rows take 20 s instead of 0.1 s).
fresh
flowhead='version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status'
awk -v h="$flowhead" 'BEGIN { print h
    for (i = 0; i < 4000; i++)
        printf "2 %.0f %s 10.0.%d.%d 10.1.0.1 %d 443 6 10 8400 " \
               "1700000000 1700000060 ACCEPT OK\n", 100000000000 + i % 2000,
               i < 2000 ? "eni-0one" : "-", i % 250, i % 200, 1024 + i }' \
    >"$WORK/one-eni.log"
run import "$WORK/one-eni.log"
eq "one ENI, 2,000 accounts; 2,000 with no ENI: exit 0" "$(rc)" 0
eq "one ENI: every row kept, one interface per tuple" \
   "$(sql "SELECT (SELECT count(*) FROM flows),
                  (SELECT count(*) FROM flow_interfaces),
                  (SELECT count(*) FROM flow_interfaces
                   WHERE interface_id IS NULL),
                  (SELECT count(DISTINCT interface) FROM flows)")" \
   "4000|4000|2000|4000"
plan="INDEX flow_interfaces_tuple (interface_id=? AND instance_id=? AND"
plan="$plan subnet_id=? AND vpc_id=? AND account_id=? AND version=? AND"
plan="$plan region=? AND az_id=? AND sublocation_type=? AND"
plan="$plan sublocation_id=?)"
eq "one ENI: the tuple lookup is a search on all ten fields" \
   "$(sql "EXPLAIN QUERY PLAN SELECT id FROM flow_interfaces WHERE
           version IS 2 AND account_id IS '1' AND interface_id IS NULL AND
           vpc_id IS NULL AND subnet_id IS NULL AND instance_id IS NULL AND
           region IS NULL AND az_id IS NULL AND sublocation_type IS NULL
           AND sublocation_id IS NULL" | grep -cF "$plan")" 1
run import "$WORK/one-eni.log"
eq "one ENI: imported again, skipped as seen" \
   "$(sql "SELECT count(*) FROM flows")" 4000
# older VERSION SQL: make the store one of schema VERSION, and open it.
older() { sql "$2; PRAGMA user_version = $1"; run stats; }
# A store of schema 6 had the index on the ENI alone: opening it swaps.
older 6 "DROP INDEX flow_interfaces_tuple;
         CREATE INDEX flow_interfaces_eni ON flow_interfaces(interface_id)"
eq "a schema 6 store: its interface index replaced on opening" \
   "$(sql "PRAGMA user_version; SELECT name FROM pragma_index_list(
           'flow_interfaces') ORDER BY name")" "9
flow_interfaces_tuple"

# --- Answer sets chosen to share one hash ------------------------------
# 64 TXT answers whose stored form has one 64-bit hash (an attacker with
# a zone can make a resolver log such answers): each is its own answer
# set, found again by hash and text through one index, never by a scan
# of the sets with that hash.
fresh
python3 "$TOP/tests/tools/colliding_answers.py" 64 0 >"$WORK/collide-a.jsonl"
python3 "$TOP/tests/tools/colliding_answers.py" 64 1 >"$WORK/collide-b.jsonl"
run import "$WORK/collide-a.jsonl"
eq "one hash: exit 0" "$(rc)" 0
eq "one hash: 64 answer sets, 64 answers, one hash" \
   "$(sql "SELECT count(*), count(DISTINCT answers), count(DISTINCT hash)
           FROM answer_sets")" "64|64|1"
run import "$WORK/collide-b.jsonl"
eq "one hash: the same answers again: no new set" \
   "$(sql "SELECT (SELECT count(*) FROM answer_sets), count(*),
                  count(DISTINCT answer_id) FROM queries")" "64|128|64"
eq "one hash: both queries of a name, one from each file, share its set" \
   "$(sql "SELECT count(*) FROM (SELECT n.logged FROM queries q
           JOIN names n ON n.id = q.name_id GROUP BY n.logged
           HAVING count(*) = 2 AND count(DISTINCT q.answer_id) = 1)")" 64
eq "one hash: the answer set look-up is a search on hash and text" \
   "$(sql "EXPLAIN QUERY PLAN SELECT id FROM answer_sets WHERE hash = 1
           AND answers = 'x'" |
      grep -cF "INDEX answer_sets_key (hash=? AND answers=?)")" 1
# A store of schema 7 had the index on the hash alone: opening it swaps.
older 7 "DROP INDEX answer_sets_key;
         CREATE INDEX answer_sets_hash ON answer_sets(hash)"
eq "a schema 7 store: its answer set index replaced on opening" \
   "$(sql "PRAGMA user_version; SELECT name FROM pragma_index_list(
           'answer_sets') ORDER BY name")" "9
answer_sets_key"
