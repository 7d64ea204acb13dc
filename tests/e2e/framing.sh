# Framing: a UTF-8 byte-order mark, CRLF line ends, blank and
# whitespace-only lines, runs of blanks between flow fields and a last
# line without a newline change nothing in what is stored; line numbers
# still count every physical line.
. "$TOP/tests/e2e/lib.sh"

BOM=$(printf '\357\273\277')
crlf() { sed 's/$/\r/' "$@"; }
R="$FIX/r53_fields.jsonl"
C="$FIX/flow_custom.log"
QCOLS="time, srcaddr, instance, hex(query_name), query_type, rcode,
       srcport, transport, answers, firewall_action"
FCOLS="version, account_id, interface_id, srcaddr, dstaddr, srcport, dstport,
       protocol, packets, bytes, start, end, action, vpc_id, subnet_id,
       instance_id, tcp_flags, type, pkt_srcaddr, pkt_dstaddr, region, az_id,
       sublocation_type, sublocation_id, pkt_src_aws_service,
       pkt_dst_aws_service, flow_direction, traffic_path, reject_reason, extra"

# Reference: the plain fixtures.
fresh
run import "$R" "$C"
ref_q=$(sqln "SELECT $QCOLS FROM query_log ORDER BY id")
ref_f=$(sqln "SELECT $FCOLS FROM flow_log ORDER BY id")
ref_h=$(sqln "SELECT line, log_status FROM health_records ORDER BY id")

# --- Route 53: BOM, CRLF, blank lines, trailing blanks ----------------
{
    printf '%s\r\n\r\n' "$BOM"
    sed -n 1,3p "$R" | crlf
    printf '   \r\n\t\r\n\r\n'
    sed -n 4,6p "$R" | sed 's/$/  \t\r/'
    printf '\r\n'
    sed -n 7,9p "$R" | crlf
    printf '\r\n \r\n'
} >"$WORK/bom-crlf.jsonl"
fresh
run import "$WORK/bom-crlf.jsonl"
eq "r53 BOM+CRLF+blanks: exit 0" "$(rc)" 0
eq "r53 BOM+CRLF+blanks: summary" "$(out)" \
   "1 file: 1 ok, 0 partial, 0 failed, 0 empty, 0 skipped; 9 rows kept, 0 rejected"
eq "r53 BOM+CRLF+blanks: same rows as the plain file" \
   "$(sqln "SELECT $QCOLS FROM query_log ORDER BY id")" "$ref_q"
eq "r53 BOM+CRLF+blanks: no carriage return stored in a name" \
   "$(sql "SELECT count(*) FROM names WHERE instr(logged, x'0d') > 0
           OR instr(norm, char(13)) > 0")" 0

# BOM directly before the first record, then a last line without newline.
{ printf '%s' "$BOM"; sed -n 1,8p "$R"; sed -n 9p "$R" | tr -d '\n'; } \
    >"$WORK/bom-nonl.jsonl"
fresh
run import "$WORK/bom-nonl.jsonl"
eq "r53 BOM at byte 0 and no final newline: all 9 rows" \
   "$(sql "SELECT rows_kept, rows_rejected, status FROM imports")" "9|0|ok"

# Gzip'd with BOM and CRLF.
fresh
gzip -n -c "$WORK/bom-crlf.jsonl" >"$WORK/bom-crlf.jsonl.gz"
run import "$WORK/bom-crlf.jsonl.gz"
eq "r53 BOM+CRLF inside gzip: same rows" \
   "$(sqln "SELECT $QCOLS FROM query_log ORDER BY id")" "$ref_q"

# Line numbers count blank lines.
{
    printf '\r\n\r\n'
    sed -n 1p "$R" | crlf
    printf '\r\n'
    printf 'not json\r\n'
    printf '\n'
    printf '{"query_timestamp":"2024-04-02T10:00:00Z"}\r\n'
} >"$WORK/numbers.jsonl"
fresh
run import "$WORK/numbers.jsonl"
eq "r53 CRLF: reject line numbers count blank lines" \
   "$(sql "SELECT line || ' ' || reason || ' [' || excerpt || ']'
           FROM rejected_rows ORDER BY line")" \
   "5 malformed JSON: expected a JSON object [not json]
7 required field missing: query_name [{\"query_timestamp\":\"2024-04-02T10:00:00Z\"}]"

# --- Flow: BOM, CRLF, blank lines, runs of blanks ---------------------
{
    printf '%s' "$BOM"
    sed -n 1,2p "$C" | crlf
    printf '\r\n  \r\n'
    sed -n 3p "$C" | sed 's/ /  /g; s/$/\r/'
    sed -n 4,5p "$C" | crlf
    printf '\t\r\n'
    sed -n 6,7p "$C" | sed 's/ /\t/g; s/$/ \r/'
    sed -n 8p "$C" | tr -d '\n'
} >"$WORK/bom-crlf.log"
fresh
run import "$WORK/bom-crlf.log"
eq "flow BOM+CRLF+blanks: exit 0" "$(rc)" 0
eq "flow BOM+CRLF+blanks: summary" "$(out)" \
   "1 file: 1 ok, 0 partial, 0 failed, 0 empty, 0 skipped; 5 rows kept, 0 rejected"
eq "flow BOM+CRLF+blanks: header after the BOM still maps the fields" \
   "$(sqln "SELECT $FCOLS FROM flow_log ORDER BY id")" "$ref_f"
eq "flow BOM+CRLF+blanks: NODATA line number counts blank lines" \
   "$(sqln "SELECT line, log_status FROM health_records")" "7|NODATA"
eq "flow BOM+CRLF+blanks: no carriage return stored in the last field" \
   "$(sql "SELECT count(*) FROM flows WHERE instr(pkt_dstaddr, char(13)) > 0
           OR instr(action, char(13)) > 0")" 0

# Headerless default format with a BOM before the first field.
fresh
{ printf '%s' "$BOM"; crlf "$FIX/flow_default.log"; } >"$WORK/bom-v2.log"
run import "$WORK/bom-v2.log"
eq "flow v2 with BOM+CRLF: all rows" \
   "$(sql "SELECT format, rows_kept, rows_rejected, status FROM imports")" \
   "flow|6|0|ok"
eq "flow v2 with BOM+CRLF: first field read as the version" \
   "$(sql "SELECT version, account_id, bytes FROM flow_log
           ORDER BY id LIMIT 1")" "2|000011112222|4820"
