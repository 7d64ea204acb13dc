#!/bin/sh
# VPC Flow Logs in Parquet, written by DuckDB (tests/parquet/make.mjs)
# from the text flow log tests/parquet/flows.log.gz: imported, every file
# gives the flows and health records the text gives, whatever its codec
# (GZIP, SNAPPY, ZSTD, none), pages (v1, v2), encodings (PLAIN,
# dictionary, DELTA_BINARY_PACKED, DELTA_LENGTH_BYTE_ARRAY) and row
# groups; then damaged and refused files.
. "$(dirname "$0")/lib.sh"

P="$TOP/tests/parquet"
flows() {
    sql "SELECT f.srcaddr, f.dstaddr, f.srcport, f.dstport, f.protocol,
                f.packets, f.bytes, f.start, f.end, f.action, f.tcp_flags,
                f.type, f.pkt_srcaddr, f.pkt_dstaddr, f.flow_direction,
                f.traffic_path, f.extra, i.interface_id, i.account_id,
                i.vpc_id, i.subnet_id, i.instance_id, i.region, i.az_id,
                i.version
         FROM flows f JOIN flow_interfaces i ON i.id = f.interface
         ORDER BY f.id"
}
health() {
    # without id, import and line (a row's number stands for its line)
    sql "SELECT * FROM health_records ORDER BY id" | cut -d'|' -f4-
}

fresh
"$DNSHUNT" import --quiet "$P/flows.log.gz"
flows >"$WORK/text.flows"
health >"$WORK/text.health"
eq "the text: 4,156 flows and 44 NODATA records" \
   "$(wc -l <"$WORK/text.flows") $(wc -l <"$WORK/text.health")" "4156 44"

for f in gzip-v1:gzip snappy-plain:snappy zstd-v2:zstd none-plain:none; do
    name=${f%%:*} codec=${f#*:}
    fresh
    cp "$P/$name.parquet" "$WORK/$name.log.parquet"
    run import "$WORK/$name.log.parquet"
    eq "$name: exit 0" "$(rc) $(err)" "0 "
    eq "$name: recorded as Parquet flow logs" \
       "$(sql "SELECT format, compression, status, rows_kept, rows_rejected
               FROM imports")" "flow-parquet|$codec|ok|4200|0"
    flows >"$WORK/pq.flows"
    if cmp -s "$WORK/text.flows" "$WORK/pq.flows"; then
        ok "$name: every flow as from the text"
    else notok "$name: every flow as from the text" \
        "$(diff "$WORK/text.flows" "$WORK/pq.flows" | head -6)"; fi
    eq "$name: every NODATA record as from the text" "$(health)" \
       "$(cat "$WORK/text.health")"
    eq "$name: the file's size and SHA-256" \
       "$(sql "SELECT size || ' ' || sha256 FROM imports")" \
       "$(wc -c <"$P/$name.parquet" | tr -d ' ') $(sha256sum "$P/$name.parquet" | cut -c1-64)"
done

# Hyphenated column names, an unknown column ignored, tcp_flags missing.
fresh
run import "$P/hyphens.parquet"
eq "hyphenated names: the 300 records" \
   "$(sql "SELECT rows_kept, status FROM imports")" "300|ok"
n=$(sql "SELECT count(*) FROM flows")
eq "hyphenated names: the fields there as from the text" \
   "$(flows | cut -d'|' -f1-10)" \
   "$(head -n "$n" "$WORK/text.flows" | cut -d'|' -f1-10)"
eq "hyphenated names: the missing ones NULL" \
   "$(sql "SELECT count(*) FROM flows WHERE tcp_flags IS NOT NULL OR
           pkt_srcaddr IS NOT NULL")" 0

# --- Refused and damaged files -----------------------------------------
fresh
run import "$P/lz4.parquet"
eq "a codec not built in: exit 1" "$(rc)" 1
has "a codec not built in: named" "$WORK/err" \
    "lz4.parquet: Parquet row group 1, column version: codec LZ4_RAW is not built in; its rows were left out"
eq "a codec not built in: nothing kept, failed" \
   "$(sql "SELECT status, rows_kept FROM imports")" "failed|0"

G="$P/gzip-v1.parquet"
size=$(wc -c <"$G")
fresh
head -c $((size - 100)) "$G" >"$WORK/cut.parquet"
run import "$WORK/cut.parquet"
eq "a cut Parquet file: exit 1, said" "$(rc) $(err)" \
   "1 $WORK/cut.parquet: not a whole Parquet file (no PAR1 at the end: cut short?)"
eq "a cut Parquet file: stored as failed, with why" \
   "$(sql "SELECT path = '$WORK/cut.parquet', status, rows_kept, message
           FROM imports")" \
   "1|failed|0|not a whole Parquet file (no PAR1 at the end: cut short?)"
run import "$WORK/cut.parquet"
eq "a cut Parquet file: read again on the next run, still one entry" \
   "$(rc) $(sql "SELECT count(*), status FROM imports")" "1 1|failed"

fresh
cp "$G" "$WORK/long-footer.parquet"
printf '\377\377\377\177' |
    dd of="$WORK/long-footer.parquet" bs=1 seek=$((size - 8)) conv=notrunc \
       2>/dev/null
run import "$WORK/long-footer.parquet"
has "a footer length beyond the file: said" "$WORK/err" \
    "long-footer.parquet: footer length 2147483647 is beyond the file or the limit"
eq "a footer length beyond the file: exit 1" "$(rc)" 1
eq "a footer length beyond the file: stored as failed" \
   "$(sql "SELECT status FROM imports")" "failed"

fresh
cp "$G" "$WORK/bad-footer.parquet"
printf 'XXXXXXXXXXXXXXXX' |
    dd of="$WORK/bad-footer.parquet" bs=1 seek=$((size - 40)) conv=notrunc \
       2>/dev/null
run import "$WORK/bad-footer.parquet"
has "a damaged footer: said" "$WORK/err" \
    "bad-footer.parquet: damaged footer (file metadata)"

# A Thrift field id of 2^31-1 (ids are 16-bit), then one more field.
fresh
cp "$TOP/tests/fuzz/regress/parquet/field-id-beyond-i16" "$WORK/id.parquet"
run import "$WORK/id.parquet"
has "a field id beyond 16 bits: a damaged footer" "$WORK/err" \
    "id.parquet: damaged footer (file metadata)"

# 64 bytes flipped in the second row group: its rows left out, the first
# and third kept.
python3 -c "
import sys
d = bytearray(open(sys.argv[1], 'rb').read())
o = len(d) // 2
for i in range(o, o + 64):
    d[i] ^= 0x5a
open(sys.argv[2], 'wb').write(d)" "$G" "$WORK/flipped.parquet"
fresh
run import "$WORK/flipped.parquet"
eq "a damaged page: exit 1" "$(rc)" 1
eq "a damaged page: partial, the other row groups kept" \
   "$(sql "SELECT status, rows_kept, message FROM imports")" \
   "partial|2152|Parquet row group 2, column protocol: damaged data page; its rows were left out"
eq "a damaged page: the kept rows are those of the first and third groups" \
   "$(flows | md5sum)" \
   "$(awk -F'|' '$8 < 1714557600 + 2048 * 7 || $8 >= 1714557600 + 4096 * 7' \
      "$WORK/text.flows" | md5sum)"

# A file changed while it is read, the way a sync still writing it would
# change it (tests/tools/change_on_read.c, before the reading thread's
# Nth read of the file: 25 column chunks a row group; the second row
# group is read only once the whole file is hashed and the import has
# begun, so read 27 comes after the first hash). A byte of the last row
# group changed then, before the reader used it, is caught by the second
# hash, taken only of bytes already used: nothing kept. A byte of the
# first row group changed after its use (at the last read) leaves the
# rows and the hash of what was read: kept as they were.
NP="$P/none-plain.parquet"
# shim_import FILE NAME=VALUE...: import FILE under the shim so set.
shim_import() {
    f=$1; shift
    env "$@" LD_PRELOAD="$WORK/change.so" \
        ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0" \
        "$DNSHUNT" import "$f" >"$WORK/out" 2>"$WORK/err"
}
# nothing_kept LABEL FILE: the import of FILE kept nothing, and said why.
nothing_kept() {
    eq "$1: nothing kept, said" \
       "$(sql "SELECT count(*) FROM imports") $(sql "SELECT count(*) FROM flows")|$(cat "$WORK/err")" \
       "0 0|$2: the file changed while it was read; nothing kept, import it again once it is complete"
}
# kept_as_read LABEL: the rows of none-plain.parquet kept, with its hash.
kept_as_read() {
    eq "$1: kept, with the hash of what was read" \
       "$(sql "SELECT status || ' ' || rows_kept || ' ' || sha256 FROM imports")" \
       "ok 4200 $(sha256sum "$NP" | cut -c1-64)"
    flows >"$WORK/pq.flows"
    if cmp -s "$WORK/text.flows" "$WORK/pq.flows"; then
        ok "$1: the flows of what was read"
    else notok "$1: the flows of what was read" \
        "$(diff "$WORK/text.flows" "$WORK/pq.flows" | head -4)"; fi
}
# changed A B: "changed" when files A and B differ.
changed() { cmp -s "$1" "$2" && echo same || echo changed; }
if ${CC:-cc} -shared -fPIC -o "$WORK/change.so" \
        "$TOP/tests/tools/change_on_read.c" -ldl 2>"$WORK/cc.err"; then
    at=$(python3 -c "import sys; d = open(sys.argv[1], 'rb').read()
print(d.rfind(b'10.1.5.23') + 8, d.find(b'10.1.1.11') + 8)" "$NP")
    last=${at% *} first=${at#* }
    C="$WORK/changing.parquet"
    for sc in "$last:27:changed" "$first:75:kept"; do
        byte=${sc%%:*} rest=${sc#*:}; call=${rest%%:*} want=${rest#*:}
        fresh
        cp "$NP" "$C"
        shim_import "$C" CHANGE_FILE="$C" CHANGE_AT=$byte CHANGE_BYTE=52 \
            CHANGE_CALL=$call
        eq "changed at byte $byte before read $call: the file did change" \
           "$(changed "$NP" "$C")" changed
        if [ "$want" = changed ]; then
            nothing_kept "changed before its use" "$C"
        else
            kept_as_read "changed after its use"
        fi
    done
    # A new copy renamed over the file while it is imported: the rows
    # and the hash are of the file that was opened, not of the new one.
    fresh
    cp "$NP" "$C"
    python3 -c "import sys; d = bytearray(open(sys.argv[1], 'rb').read())
d[int(sys.argv[2])] = 52; open(sys.argv[3], 'wb').write(d)" \
        "$NP" "$last" "$WORK/new-copy.parquet"
    shim_import "$C" CHANGE_FILE="$C" CHANGE_RENAME="$WORK/new-copy.parquet"
    eq "renamed over: the path names the new copy" "$(changed "$NP" "$C")" \
       changed
    kept_as_read "renamed over"
    # The file moved away and a directory in its place as soon as it is
    # opened, then a byte of its first row group changed after its use
    # and before the second hash took it (the first read of the second
    # row group comes before that): the file opened is still hashed
    # first, through its descriptor, not its path, so the two hashes
    # differ and nothing is kept. (With no first hash, the rows read
    # would be kept under the hash of the changed file.)
    fresh
    G2="$WORK/going.parquet"
    cp "$NP" "$G2"
    shim_import "$G2" CHANGE_FILE="$G2" CHANGE_AWAY="$WORK/gone.parquet" \
        CHANGE_AT=$first CHANGE_BYTE=52 CHANGE_CALL=26
    eq "moved away once opened: a directory in its place, the file changed" \
       "$([ -d "$G2" ] && echo dir) $(changed "$NP" "$WORK/gone.parquet")" \
       "dir changed"
    nothing_kept "moved away once opened, changed after its use" "$G2"
    rmdir "$G2"
else
    notok "the test shim builds" "$(cat "$WORK/cc.err")"
fi

fresh
"$DNSHUNT" import - <"$G" >"$WORK/out" 2>"$WORK/err"
has "Parquet on standard input: said" "$WORK/err" \
    "-: Parquet is read from a file, not from standard input"

fresh
"$DNSHUNT" import --quiet "$G"
run import "$G"
eq "the same Parquet file again: skipped" "$(out)" \
   "1 file: 0 ok, 0 partial, 0 failed, 0 empty, 1 skipped; 0 rows kept, 0 rejected"

# --- Names and values --------------------------------------------------
# Columns are mapped by name in any case, never by place: a capitalised
# Srcaddr among exactly 14 columns still lands in srcaddr.
fresh
run import "$P/edge-caps.parquet"
eq "a capitalised column name: mapped by name" \
   "$(rc) $(sql "SELECT srcaddr, dstaddr, srcport, dstport FROM flows")" \
   "0 10.0.0.1|10.0.0.2|1234|53"

# A row whose values look like a header is a row, not a new layout; a
# value with a blank (after a time-like value) is rejected, not shifted;
# '-' is no value, as in a line; a bare number is no address.
fresh
run import "$P/edge-values.parquet"
eq "header-like and blank values: rejected rows, the others in place" \
   "$(sql "SELECT group_concat(srcaddr || '>' || dstaddr || ':' || packets,
                               ' ') FROM flows")
$(sql "SELECT line || ' ' || reason FROM rejected_rows ORDER BY line")" \
   "10.0.0.1>10.0.0.2:1 10.0.0.3>10.0.0.2:4 10.0.0.5>10.0.0.2:5
2 malformed IP address: field srcaddr: not an IP address
3 unexpected field value: column srcaddr: a blank or control byte in the value
6 malformed IP address: field srcaddr: not an IP address"
eq "a '-' value: no interface-id, as from a text line" \
   "$(sql "SELECT f.packets || ' ' || quote(i.interface_id)
           FROM flows f JOIN flow_interfaces i ON i.id = f.interface
           ORDER BY f.id")" "1 'eni-0a1'
4 'eni-0a1'
5 NULL"

# Unsigned, FLOAT and DOUBLE columns read as their values, whole numbers
# only, as the text importer takes them: v1 pages and v2 pages
# (DELTA_BINARY_PACKED, BYTE_STREAM_SPLIT) alike.
for v in v1 v2; do
    fresh
    run import "$P/edge-types-$v.parquet"
    eq "types ($v): the row of whole numbers kept" \
       "$(sql "SELECT srcport, dstport, protocol, packets, bytes FROM flows")" \
       "1235|853|6|4|3000000000"
    eq "types ($v): out of range or fractional values rejected" \
       "$(sql "SELECT line || ' ' || reason FROM rejected_rows ORDER BY line")" \
       "1 malformed number: field srcport: '3000000000' is not a number in 0..65535
2 malformed number: field packets: '12.5' is not a number in 0..9223372036854775807
3 malformed number: field bytes: '18446744073709551615' is not a number in 0..9223372036854775807"
done

fresh
run import "$P/edge-dup.parquet"
eq "one field under two column names: refused" \
   "$(rc) $(sql "SELECT status, message FROM imports")" \
   "1 failed|malformed flow log header: columns pkt_srcaddr and pkt-srcaddr are the same flow log field"
