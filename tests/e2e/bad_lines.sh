# Bad lines: each is rejected with its line number and reason, counted,
# recorded in rejected_rows with an escaped excerpt, reported on stderr
# (the first 10 per file), and the good lines around it are all kept.
# Names over the DNS limits are kept and flagged; a NUL in a name is not.
. "$TOP/tests/e2e/lib.sh"

rejects() {
    sql "SELECT line || ' ' || reason FROM rejected_rows ORDER BY line, id"
}

# --- Route 53 -----------------------------------------------------------
fresh
F="$FIX/r53_bad.jsonl"
run import "$F"
eq "r53 bad: exit 1" "$(rc)" 1
eq "r53 bad: summary" "$(out)" \
   "1 file: 1 ok, 0 partial, 0 failed, 0 empty, 0 skipped; 4 rows kept, 14 rejected"
eq "r53 bad: the good lines before, between and after are all kept" \
   "$(sql "SELECT query_name FROM query_log ORDER BY id")" \
   "good-01.example.com.
good-03.example.com.
good-08.example.com.
good-18.example.com."
eq "r53 bad: import counts" \
   "$(sqln "SELECT rows_kept, rows_rejected, status, message
            FROM imports")" "4|14|ok|NULL"
eq "r53 bad: jansson's syntax error kept as the detail of line 4" \
   "$(sql "SELECT count(*) FROM rejected_rows WHERE line = 4 AND
           reason LIKE 'malformed JSON: premature end of input%'")" 1
eq "r53 bad: every reject, its line and its reason" \
   "$(rejects | grep -v '^4 ')" \
   "2 malformed JSON: expected a JSON object
5 required field missing: query_name
6 malformed timestamp: field query_timestamp: not an ISO 8601 time
7 malformed IP address: field srcaddr: not an IP address
9 field has the wrong JSON type: field query_name: expected a string
10 malformed query name: field query_name: contains a NUL byte
11 malformed number: field srcport: not a port number
12 JSON value is not an object
13 required field missing: srcaddr
14 unexpected field value: field query_type: not a DNS mnemonic
15 malformed query name: field query_name: empty
16 unexpected field value: field version: unsupported major version
17 field has the wrong JSON type: field srcids: expected an object"
eq "r53 bad: rejects belong to the import" \
   "$(sql "SELECT count(*) FROM rejected_rows WHERE import_id =
           (SELECT id FROM imports)")" 14
eq "r53 bad: excerpt of a plain line" \
   "$(sql "SELECT excerpt FROM rejected_rows WHERE line = 2")" \
   "this is not json"
eq "r53 bad: excerpt escapes the backslash" \
   "$(sql "SELECT substr(excerpt, 1, 82) FROM rejected_rows WHERE line = 10")" \
   '{"query_timestamp":"2024-04-02T10:00:10Z","query_name":"nul\x5cu0000.example.com."'
eq "r53 bad: a long excerpt is cut short and ends in ..." \
   "$(sql "SELECT length(excerpt) BETWEEN 64 AND 128, substr(excerpt, -3)
           FROM rejected_rows WHERE line = 10")" "1|..."
eq "r53 bad: the NUL name is not stored" \
   "$(sql "SELECT count(*) FROM names WHERE instr(logged, x'00') > 0
           OR logged LIKE 'nul%'")" 0
# stderr: the first 10 rejects as path:line: reason, then a count.
sed -n 1,10p "$WORK/err" | grep -v "^$F:4: " >"$WORK/err10"
eq "r53 bad: first 10 rejects on stderr as path:line: reason" \
   "$(cat "$WORK/err10")" \
   "$F:2: malformed JSON: expected a JSON object
$F:5: required field missing: query_name
$F:6: malformed timestamp: field query_timestamp: not an ISO 8601 time
$F:7: malformed IP address: field srcaddr: not an IP address
$F:9: field has the wrong JSON type: field query_name: expected a string
$F:10: malformed query name: field query_name: contains a NUL byte
$F:11: malformed number: field srcport: not a port number
$F:12: JSON value is not an object
$F:13: required field missing: srcaddr"
eq "r53 bad: then how many more" "$(sed -n '11,$p' "$WORK/err")" \
   "$F: 4 more rejected rows not shown (dnshunt stats lists them)"

# --quiet: same store, no per-row messages, same status.
fresh
run import --quiet "$F"
eq "r53 bad --quiet: exit 1" "$(rc)" 1
eq "r53 bad --quiet: nothing on stderr" "$(err)" ""
eq "r53 bad --quiet: nothing on stdout" "$(out)" ""
eq "r53 bad --quiet: same counts" \
   "$(sql "SELECT rows_kept, rows_rejected FROM imports")" "4|14"

# --- Flow -----------------------------------------------------------------
fresh
F="$FIX/flow_bad.log"
run import "$F"
eq "flow bad: exit 1" "$(rc)" 1
eq "flow bad: summary" "$(out)" \
   "1 file: 1 ok, 0 partial, 0 failed, 0 empty, 0 skipped; 4 rows kept, 10 rejected"
eq "flow bad: the good lines around the bad ones are kept" \
   "$(sql "SELECT srcport FROM flow_log ORDER BY id")" \
   "50001
50003
50009
50012"
eq "flow bad: every reject, its line and its reason" "$(rejects)" \
   "2 flow record without a header: 13 fields and no header line (the default format has 14; see --flow-format)
4 malformed IP address: field dstaddr: not an IP address
5 malformed number: field dstport: '70000' is not a number in 0..65535
6 unexpected field value: field log-status: unknown value 'WEIRD'
7 malformed number: field bytes: '18446744073709551616' is not a number in 0..9223372036854775807
8 malformed number: field packets: '-3' is not a number in 0..9223372036854775807
11 wrong number of fields: 15 fields, the format has 14
13 malformed number: field protocol: '256' is not a number in 0..255
14 malformed flow log header: field srcaddr appears twice
15 flow record without a header: the header line before this one was rejected"
eq "flow bad: stderr lists them" "$(err)" \
   "$F:2: flow record without a header: 13 fields and no header line (the default format has 14; see --flow-format)
$F:4: malformed IP address: field dstaddr: not an IP address
$F:5: malformed number: field dstport: '70000' is not a number in 0..65535
$F:6: unexpected field value: field log-status: unknown value 'WEIRD'
$F:7: malformed number: field bytes: '18446744073709551616' is not a number in 0..9223372036854775807
$F:8: malformed number: field packets: '-3' is not a number in 0..9223372036854775807
$F:11: wrong number of fields: 15 fields, the format has 14
$F:13: malformed number: field protocol: '256' is not a number in 0..255
$F:14: malformed flow log header: field srcaddr appears twice
$F:15: flow record without a header: the header line before this one was rejected"
eq "flow bad: no health record from a bad status" \
   "$(sql "SELECT count(*) FROM health_records")" 0

# A NUL byte inside a flow line.
fresh
{ sed -n 1p "$FIX/flow_default.log"
  printf '2 000011112222 eni-0f1\000 10.20.30.40 203.0.113.10 1 2 6 1 60 1712045700 1712045760 ACCEPT OK\n'
  sed -n 2p "$FIX/flow_default.log"; } >"$WORK/nul.log"
run import "$WORK/nul.log"
eq "flow NUL byte: line rejected, neighbours kept" \
   "$(sql "SELECT rows_kept || ' ' || rows_rejected FROM imports")" "2 1"
eq "flow NUL byte: reason" "$(rejects)" \
   "2 unexpected field value: line holds a NUL byte"

# --- A bad first line does not cost the file -------------------------
fresh
{ printf 'garbage before the records\n'; sed -n 1,3p "$FIX/r53_fields.jsonl"; } \
    >"$WORK/bad-first.jsonl"
run import "$WORK/bad-first.jsonl"
eq "r53 bad first line: the 3 records after it are kept" \
   "$(sql "SELECT rows_kept, rows_rejected FROM imports")" "3|1"
eq "r53 bad first line: the line is rejected like any other" \
   "$(rejects)" "1 malformed JSON: expected a JSON object"

fresh
{ printf 'oops, not a flow record\n'; cat "$FIX/flow_default.log"; } \
    >"$WORK/bad-first.log"
run import "$WORK/bad-first.log"
eq "flow bad first line: the 6 records after it are kept" \
   "$(sql "SELECT rows_kept, rows_rejected FROM imports")" "6|1"

# A file of bad lines only: failed, with a message; exit 1.
fresh
printf 'one\ntwo three\n' >"$WORK/junk.txt"
run import "$WORK/junk.txt"
eq "unrecognised file: exit 1" "$(rc)" 1
eq "unrecognised file: failed with the reason" \
   "$(sql "SELECT format, rows_kept, status, message FROM imports")" \
   "unknown|0|failed|unrecognised file format: neither a Route 53 query log nor a VPC flow log (line 1: one)"
eq "unrecognised file: summary" "$(out)" \
   "1 file: 0 ok, 0 partial, 1 failed, 0 empty, 0 skipped; 0 rows kept, 0 rejected"

# --format forces the reader: JSON read as flow lines is all rejects.
fresh
run import --format flow "$FIX/r53_fields.jsonl"
eq "--format flow on JSON: nothing kept, file failed" \
   "$(sql "SELECT format, rows_kept, rows_rejected, status FROM imports")" \
   "flow|0|9|failed"
fresh
run import --format route53 "$FIX/flow_default.log"
eq "--format route53 on flow text: nothing kept, file failed" \
   "$(sql "SELECT format, rows_kept, rows_rejected, status FROM imports")" \
   "route53|0|6|failed"

# --- Names over the DNS limits: stored and flagged -------------------
l50=$(printf '%050d' 0 | tr 0 a)
l49=$(printf '%049d' 0 | tr 0 b)
l63=$(printf '%063d' 0 | tr 0 c)
l64=$(printf '%064d' 0 | tr 0 d)
l200=$(printf '%0200d' 0 | tr 0 e)
n253="$l50.$l50.$l50.$l50.$l49"             # 253 characters
n254="$l50.$l50.$l50.$l50.$l50"             # 254 characters
n1000="$l200.$l200.$l200.$l200.$l200"       # 1004 characters
fresh
i=0
for name in "$n253." "$n254." "$l63.example.com." "$l64.example.com." \
            "$n1000"; do
    i=$((i + 1))
    printf '{"query_timestamp":"2024-04-02T12:00:0%dZ","query_name":"%s","query_type":"TXT","rcode":"NXDOMAIN","srcaddr":"10.20.30.80"}\n' "$i" "$name"
done >"$WORK/long-names.jsonl"
run import "$WORK/long-names.jsonl"
eq "long names: exit 0, none rejected" "$(rc)" 0
eq "long names: all 5 stored" "$(sql "SELECT count(*) FROM queries")" 5
eq "long names: stored whole, flagged by model/dnsname.h bits" \
   "$(sql "SELECT length(n.logged) || ' ' || length(n.norm) || ' ' || n.flags
           FROM queries q JOIN names n ON n.id = q.name_id ORDER BY q.ts_ms")" \
   "254 253 0
255 254 1
76 75 0
77 76 2
1004 1004 3"
eq "long names: logged bytes unchanged" \
   "$(sql "SELECT n.logged FROM queries q JOIN names n ON n.id = q.name_id
           WHERE q.ts_ms = 1712059205000")" "$n1000"
