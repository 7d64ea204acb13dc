# Paths: a synced-S3 AWSLogs tree walked recursively in name order, only
# regular files taken; standard input as "-"; files, directories and "-"
# mixed in one run; a missing path.
. "$TOP/tests/e2e/lib.sh"

ACCT=000011112222
VPC=vpc-0f00d0001
TOPDIR="$WORK/bucket/AWSLogs"
DNSDIR="$TOPDIR/$ACCT/vpcdnsquerylogs/$VPC/2024/04/02"
FLOWDIR="$TOPDIR/$ACCT/vpcflowlogs/eu-central-1/2024/04/02"
mkdir -p "$DNSDIR" "$FLOWDIR" "$TOPDIR/$ACCT/vpcdnsquerylogs/$VPC/2024/04/01"
HDR="version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status"

D1="$DNSDIR/${VPC}_vpcdnsquerylogs_${ACCT}_20240402T0815Z_0a1b2c3d.log.gz"
D2="$DNSDIR/${VPC}_vpcdnsquerylogs_${ACCT}_20240402T0820Z_1b2c3d4e.log.gz"
D0="$TOPDIR/$ACCT/vpcdnsquerylogs/$VPC/2024/04/01/${VPC}_vpcdnsquerylogs_${ACCT}_20240401T2355Z_9f8e7d6c.log.gz"
F1="$FLOWDIR/${ACCT}_vpcflowlogs_eu-central-1_fl-0f70000000000001_20240402T0815Z_4e5f6a7b.log.gz"
sed -n 1,5p "$FIX/r53_fields.jsonl" | gzip -n >"$D1"
sed -n 6,9p "$FIX/r53_fields.jsonl" | gzip -n >"$D2"
gzip -n -c "$FIX/r53_pretty.json" >"$D0"
{ printf '%s\n' "$HDR"; cat "$FIX/flow_default.log"; } | gzip -n >"$F1"
mkfifo "$DNSDIR/a-fifo-that-must-not-be-opened"

fresh
run import "$WORK/bucket"
eq "AWSLogs tree: exit 0" "$(rc)" 0
eq "AWSLogs tree: summary (4 files, the FIFO not counted)" "$(out)" \
   "4 files: 4 ok, 0 partial, 0 failed, 0 empty, 0 skipped; 18 rows kept, 0 rejected"
eq "AWSLogs tree: files imported in name order, recursively" \
   "$(sql "SELECT path FROM imports ORDER BY id")" \
   "$D0
$D1
$D2
$F1"
eq "AWSLogs tree: formats and compression detected per file" \
   "$(sql "SELECT format || ' ' || compression || ' ' || rows_kept
           FROM imports ORDER BY id")" \
   "route53 gzip 3
route53 gzip 5
route53 gzip 4
flow gzip 6"
eq "AWSLogs tree: 12 queries, 4 flows, 2 health records" \
   "$(sql "SELECT (SELECT count(*) FROM queries) || ' ' ||
                  (SELECT count(*) FROM flows) || ' ' ||
                  (SELECT count(*) FROM health_records)")" "12 4 2"
eq "AWSLogs tree: each query points at its own file" \
   "$(sql "SELECT i.path FROM queries q JOIN imports i ON i.id = q.import_id
           WHERE q.ts_ms = 1712045735000")" "$D2"

# Run again on the same tree: nothing new.
run import "$WORK/bucket"
eq "AWSLogs tree again: all skipped, exit 0" "$(rc) $(out)" \
   "0 4 files: 0 ok, 0 partial, 0 failed, 0 empty, 4 skipped; 0 rows kept, 0 rejected"

# --- Standard input ----------------------------------------------------
fresh
"$DNSHUNT" import - <"$FIX/r53_fields.jsonl" >"$WORK/out" 2>"$WORK/err"
eq "stdin: exit 0" "$?" 0
eq "stdin: summary" "$(out)" \
   "1 file: 1 ok, 0 partial, 0 failed, 0 empty, 0 skipped; 9 rows kept, 0 rejected"
eq "stdin: recorded as '-' with the size and hash of what was read" \
   "$(sql "SELECT path, size, sha256, format, compression, status FROM imports")" \
   "-|$(wc -c <"$FIX/r53_fields.jsonl" | tr -d ' ')|$(sha256sum "$FIX/r53_fields.jsonl" | cut -c1-64)|route53|none|ok"

fresh
"$DNSHUNT" import - <"$FIX/flow_custom.log" >"$WORK/out" 2>"$WORK/err"
eq "stdin flow: imported by its header" \
   "$(sql "SELECT format, rows_kept, rows_rejected FROM imports")" "flow|5|0"

fresh
"$DNSHUNT" import - </dev/null >"$WORK/out" 2>"$WORK/err"
eq "stdin empty: exit 0, empty" "$? $(sql "SELECT path, status FROM imports")" \
   "0 -|empty"

fresh
cat "$FIX/r53_bad.jsonl" | "$DNSHUNT" import - >"$WORK/out" 2>"$WORK/err"
eq "stdin with bad lines: exit 1" "$?" 1
has "stdin with bad lines: rejects name '-' as the file" "$WORK/err" \
   "-:2: malformed JSON: expected a JSON object"

# Files, a directory and standard input in one run, in argument order.
fresh
mkdir "$WORK/dir"
cp "$FIX/flow_default.log" "$WORK/dir/b.log"
cp "$FIX/r53_pretty.json" "$WORK/dir/a.json"
"$DNSHUNT" import "$FIX/flow_cwexport.log" "$WORK/dir" - \
    <"$FIX/r53_cloudwatch.json" >"$WORK/out" 2>"$WORK/err"
eq "mixed paths: exit 0" "$?" 0
eq "mixed paths: in argument order, the directory in name order" \
   "$(sql "SELECT path || ' ' || format FROM imports ORDER BY id")" \
   "$FIX/flow_cwexport.log flow
$WORK/dir/a.json route53
$WORK/dir/b.log flow
- cloudwatch"

# A missing path fails that path only.
fresh
run import "$WORK/no-such-file.log" "$FIX/flow_default.log"
eq "missing path: exit 1" "$(rc)" 1
eq "missing path: summary counts it failed, the other file imports" \
   "$(out)" \
   "2 files: 1 ok, 0 partial, 1 failed, 0 empty, 0 skipped; 6 rows kept, 0 rejected"
eq "missing path: reason on stderr" "$(err)" \
   "$WORK/no-such-file.log: No such file or directory"

# An empty sub-directory (an empty day) is walked past.
fresh
mkdir -p "$WORK/tree2/2024/04/01" "$WORK/tree2/2024/04/02"
cp "$FIX/flow_default.log" "$WORK/tree2/2024/04/02/f.log"
run import "$WORK/tree2"
eq "empty sub-directory: exit 0, the other file imported" "$(rc) $(out)" \
   "0 1 file: 1 ok, 0 partial, 0 failed, 0 empty, 0 skipped; 6 rows kept, 0 rejected"

# An empty directory is no file at all.
fresh
mkdir "$WORK/empty-dir"
run import "$WORK/empty-dir"
eq "empty directory: exit 0, no files" "$(rc) $(out)" \
   "0 0 files: 0 ok, 0 partial, 0 failed, 0 empty, 0 skipped; 0 rows kept, 0 rejected"
