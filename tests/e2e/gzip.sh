# Gzip: recognised by its magic bytes, never by name; every member of a
# multi-member file; 0-byte files and empty members are empty successes;
# truncated and corrupt streams keep exactly the rows before the damage
# and mark the file partial. Variants are made here with the real gzip.
. "$TOP/tests/e2e/lib.sh"

R="$FIX/r53_fields.jsonl"
gz() { gzip -n -c "$@"; }
names() { sql "SELECT query_name FROM query_log ORDER BY id"; }

# --- Magic bytes, not names -------------------------------------------
fresh
gz "$R" >"$WORK/gzip-content.log"
cp "$R" "$WORK/plain-content.log.gz"
run import "$WORK/gzip-content.log" "$WORK/plain-content.log.gz"
eq "magic: exit 0" "$(rc)" 0
eq "magic: gzip without .gz and plain text named .gz both import" "$(out)" \
   "2 files: 2 ok, 0 partial, 0 failed, 0 empty, 0 skipped; 18 rows kept, 0 rejected"
eq "magic: compression recorded from the content" \
   "$(sql "SELECT compression, format, rows_kept, status FROM imports
           ORDER BY id")" \
   "gzip|route53|9|ok
none|route53|9|ok"
eq "magic: size and sha256 are those of the raw (compressed) file" \
   "$(sql "SELECT size || ' ' || sha256 FROM imports ORDER BY id LIMIT 1")" \
   "$(wc -c <"$WORK/gzip-content.log" | tr -d ' ') $(sha256sum "$WORK/gzip-content.log" | cut -c1-64)"
eq "magic: gzip content gives the same rows as plain" \
   "$(sql "SELECT query_name, time, answers FROM query_log
           WHERE import_id = 1 ORDER BY id")" \
   "$(sql "SELECT query_name, time, answers FROM query_log
           WHERE import_id = 2 ORDER BY id")"

# --- Multi-member -------------------------------------------------------
sed -n 1,3p "$R" | gz >"$WORK/m1.gz"
sed -n 4,6p "$R" | gz >"$WORK/m2.gz"
sed -n 7,9p "$R" | gz >"$WORK/m3.gz"
printf '' | gz >"$WORK/empty-member.gz"
fresh
run import "$R"
expected_names=$(names)

fresh
cat "$WORK/m1.gz" "$WORK/m2.gz" "$WORK/m3.gz" >"$WORK/multi.log.gz"
run import "$WORK/multi.log.gz"
eq "multi-member: exit 0" "$(rc)" 0
eq "multi-member: rows of all three members" "$(out)" \
   "1 file: 1 ok, 0 partial, 0 failed, 0 empty, 0 skipped; 9 rows kept, 0 rejected"
eq "multi-member: rows in file order" "$(names)" "$expected_names"

fresh
cat "$WORK/empty-member.gz" "$WORK/m1.gz" "$WORK/empty-member.gz" \
    "$WORK/m2.gz" "$WORK/m3.gz" "$WORK/empty-member.gz" >"$WORK/holes.gz"
run import "$WORK/holes.gz"
eq "empty members between members: all rows" "$(out)" \
   "1 file: 1 ok, 0 partial, 0 failed, 0 empty, 0 skipped; 9 rows kept, 0 rejected"
eq "empty members between members: rows in order" "$(names)" \
   "$expected_names"

fresh
{ cat "$WORK/m1.gz" "$WORK/m2.gz" "$WORK/m3.gz"; head -c 1024 /dev/zero; } \
    >"$WORK/padded.gz"
run import "$WORK/padded.gz"
eq "zero padding after the last member: ok" \
   "$(sql "SELECT rows_kept, rows_rejected, status FROM imports")" "9|0|ok"

# Flow log: the header is in the first member only.
fresh
{ printf 'version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status\n'
  sed -n 1,2p "$FIX/flow_default.log"; } | gz >"$WORK/f1.gz"
sed -n 3,6p "$FIX/flow_default.log" | gz >"$WORK/f2.gz"
cat "$WORK/f1.gz" "$WORK/f2.gz" >"$WORK/flow-multi.log.gz"
run import "$WORK/flow-multi.log.gz"
eq "flow multi-member: 4 flows and 2 health records" \
   "$(sql "SELECT format, compression, rows_kept, rows_rejected, status
           FROM imports")" "flow|gzip|6|0|ok"

# --- Empty --------------------------------------------------------------
fresh
: >"$WORK/zero-byte.log.gz"
run import "$WORK/zero-byte.log.gz"
eq "0-byte: exit 0 (an empty success)" "$(rc)" 0
eq "0-byte: summary" "$(out)" \
   "1 file: 0 ok, 0 partial, 0 failed, 1 empty, 0 skipped; 0 rows kept, 0 rejected"
eq "0-byte: nothing on stderr" "$(err)" ""
eq "0-byte: imports row" \
   "$(sqln "SELECT size, compression, rows_kept, rows_rejected, status,
                   message FROM imports")" "0|none|0|0|empty|NULL"

fresh
run import "$WORK/empty-member.gz"
eq "empty member: exit 0" "$(rc)" 0
eq "empty member: empty, gzip" \
   "$(sqln "SELECT compression, rows_kept, status, message FROM imports")" \
   "gzip|0|empty|NULL"

fresh
printf '\n  \n\t\n' | gz >"$WORK/blank.gz"
run import "$WORK/blank.gz"
eq "only blank lines in gzip: empty" \
   "$(sql "SELECT status FROM imports")" "empty"

# --- Truncated ----------------------------------------------------------
# Hard-to-compress generated records, so a cut lands mid-stream.
awk 'BEGIN { x = 20240402
    for (i = 1; i <= 3000; i++) {
        h = ""
        for (k = 0; k < 6; k++) { x = (x * 16807) % 2147483647
                                  h = h sprintf("%08x", x) }
        printf "{\"query_timestamp\":\"2024-04-02T11:%02d:%02dZ\",\"query_name\":\"%s.t%d.example.com.\",\"query_type\":\"TXT\",\"rcode\":\"NOERROR\",\"srcaddr\":\"10.20.%d.%d\",\"srcport\":\"%d\"}\n", int(i / 60) % 60, i % 60, h, i, int(i / 250), i % 250, 1024 + i
    } }' >"$WORK/gen.jsonl"
gz "$WORK/gen.jsonl" >"$WORK/gen.jsonl.gz"
size=$(wc -c <"$WORK/gen.jsonl.gz")
head -c $((size / 2)) "$WORK/gen.jsonl.gz" >"$WORK/cut.jsonl.gz"
# Complete lines before the cut, as gzip itself decodes them.
K=$(gzip -dc "$WORK/cut.jsonl.gz" 2>/dev/null | wc -l | tr -d ' ')
fresh
run import "$WORK/cut.jsonl.gz"
eq "truncated: exit 1" "$(rc)" 1
eq "truncated: partial with a message naming the damage" \
   "$(sql "SELECT status, message FROM imports")" \
   "partial|gzip stream truncated after line $K: unexpected end of file inside a gzip member"
eq "truncated: every complete line before the cut is kept" \
   "$(sql "SELECT rows_kept FROM imports")" "$K"
eq "truncated: the cut-off fragment is not a rejected log row" \
   "$(sql "SELECT rows_rejected FROM imports")" 0
eq "truncated: summary" "$(out)" \
   "1 file: 0 ok, 1 partial, 0 failed, 0 empty, 0 skipped; $K rows kept, 0 rejected"
eq "truncated: the kept rows are the first lines, unchanged" \
   "$(sql "SELECT query_name FROM query_log ORDER BY id")" \
   "$(head -n "$K" "$WORK/gen.jsonl" | sed 's/.*"query_name":"\([^"]*\)".*/\1/')"
has "truncated: stderr names the file and the damage" "$WORK/err" \
   "$WORK/cut.jsonl.gz: gzip stream truncated after line"

# A flow file cut inside a number: the fragment of the last line must not
# become a row with a wrong value.
awk 'BEGIN { x = 7; print "srcaddr dstaddr bytes"
    for (i = 1; i <= 4000; i++) {
        x = (x * 16807) % 2147483647; a = x
        x = (x * 16807) % 2147483647
        printf "10.%d.%d.%d 192.0.2.%d %d\n", a % 250, int(a / 250) % 250,
               int(a / 62500) % 250, i % 250, 1000000000 + x % 1000000000
    } }' >"$WORK/gen-flow.log"
gz "$WORK/gen-flow.log" >"$WORK/gen-flow.log.gz"
size=$(wc -c <"$WORK/gen-flow.log.gz")
# Find a cut whose last fragment looks like a whole record with a shorter
# number (all the numbers have 10 digits).
n=$((size / 2))
frag=
while [ "$n" -lt "$size" ]; do
    head -c "$n" "$WORK/gen-flow.log.gz" >"$WORK/cut-flow.log.gz"
    frag=$(gzip -dc "$WORK/cut-flow.log.gz" 2>/dev/null | tail -c 80 |
           sed -n '$p')
    printf '%s\n' "$frag" | grep -qE '^[0-9.]+ [0-9.]+ [0-9]{1,9}$' && break
    n=$((n + 7))
done
K=$(gzip -dc "$WORK/cut-flow.log.gz" 2>/dev/null | wc -l | tr -d ' ')
fresh
run import "$WORK/cut-flow.log.gz"
eq "truncated flow: partial" "$(sql "SELECT status FROM imports")" partial
eq "truncated flow: only the complete records are kept" \
   "$(sql "SELECT rows_kept FROM imports")" "$((K - 1))"
eq "truncated flow: every stored row equals its line in the original" \
   "$(sql "SELECT srcaddr || ' ' || dstaddr || ' ' || bytes FROM flow_log
           ORDER BY id")" \
   "$(sed -n "2,$((K))p" "$WORK/gen-flow.log")"

# Cut inside the header: nothing readable, still reported.
fresh
head -c 10 "$WORK/gen.jsonl.gz" >"$WORK/cut-header.gz"
run import "$WORK/cut-header.gz"
eq "truncated header: exit 1" "$(rc)" 1
eq "truncated header: failed, nothing kept" \
   "$(sql "SELECT compression, rows_kept, rows_rejected, status, message
           FROM imports")" \
   "gzip|0|0|failed|gzip stream truncated after line 0: unexpected end of file inside a gzip member"

# --- Corrupt --------------------------------------------------------------
# Member 2 claims a compression method that is not deflate.
cp "$WORK/m2.gz" "$WORK/m2-bad.gz"
printf '\007' | dd of="$WORK/m2-bad.gz" bs=1 seek=2 conv=notrunc 2>/dev/null
cat "$WORK/m1.gz" "$WORK/m2-bad.gz" "$WORK/m3.gz" >"$WORK/corrupt-member.gz"
fresh
run import "$WORK/corrupt-member.gz"
eq "corrupt member: exit 1" "$(rc)" 1
eq "corrupt member: rows of the good first member kept" "$(names)" \
   "$(printf '%s\n' "$expected_names" | sed -n 1,3p)"
eq "corrupt member: partial with the reason" \
   "$(sql "SELECT rows_kept, rows_rejected, status, message FROM imports")" \
   "3|0|partial|gzip stream corrupt after line 3: not deflate compression"
eq "corrupt member: summary" "$(out)" \
   "1 file: 0 ok, 1 partial, 0 failed, 0 empty, 0 skipped; 3 rows kept, 0 rejected"

# A damaged CRC is found after the last line.
gz "$R" >"$WORK/bad-crc.gz"
size=$(wc -c <"$WORK/bad-crc.gz")
printf '\000\000\000\000' |
    dd of="$WORK/bad-crc.gz" bs=1 seek=$((size - 8)) conv=notrunc 2>/dev/null
fresh
run import "$WORK/bad-crc.gz"
eq "bad CRC: partial with the reason" \
   "$(sql "SELECT rows_kept, rows_rejected, status, message FROM imports")" \
   "9|0|partial|gzip stream corrupt after line 9: CRC or length check failed"

# Something that is not gzip after the last member.
{ gz "$R"; printf 'not gzip at all\n'; } >"$WORK/junk-after.gz"
fresh
run import "$WORK/junk-after.gz"
eq "junk after the last member: partial, rows kept" \
   "$(sql "SELECT rows_kept, rows_rejected, status, message FROM imports")" \
   "9|0|partial|gzip stream corrupt after line 9: unexpected data after the last member"

# --- Envelopes and standard input -------------------------------------
fresh
gz "$FIX/r53_cloudwatch.json" >"$WORK/cw.gz"
run import "$WORK/cw.gz"
eq "gzip'd CloudWatch envelopes" \
   "$(sql "SELECT format, compression, rows_kept, rows_rejected, status
           FROM imports")" "cloudwatch|gzip|4|0|ok"

fresh
gz "$R" | "$DNSHUNT" import - >"$WORK/out" 2>"$WORK/err"
eq "gzip on standard input: exit 0" "$?" 0
eq "gzip on standard input: imported" \
   "$(sql "SELECT path, compression, rows_kept, status FROM imports")" \
   "-|gzip|9|ok"

# --- Decompression bombs ------------------------------------------------
# 1 MiB of zero bytes deflates to about 1 KiB; 1024 copies of that member
# make 1 GiB of text from 1 MiB of file.
head -c 1048576 /dev/zero | gz -9 >"$WORK/zeros.gz"
bomb() {  # bomb MEMBERS > FILE: three lines, the zeros, six lines
    sed -n 1,3p "$R" | gz
    i=0
    while [ "$i" -lt "$1" ]; do cat "$WORK/zeros.gz"; i=$((i + 1)); done
    printf '\n' | gz
    sed -n 4,9p "$R" | gz
}
bomb 1024 >"$WORK/bomb.log.gz"
fresh
run import "$WORK/bomb.log.gz"
eq "gzip bomb: exit 1" "$(rc)" 1
eq "gzip bomb: stopped, the rows before it kept" \
   "$(sql "SELECT rows_kept, status, substr(message, 1, 42) FROM imports")" \
   "3|partial|gzip stream inflates too far after line 4:"
has "gzip bomb: the message names the file and the limit" "$WORK/err" \
    "bomb.log.gz: gzip stream inflates too far after line 4:"
has "gzip bomb: the message says how to lift the limit" "$WORK/err" \
    "over 200 times as many (--max-ratio)"
eq "gzip bomb: stopped early, not after inflating it all" \
   "$(sql "SELECT message FROM imports" |
      sed 's/.* made \([0-9]*\) bytes.*/\1/' |
      awk '{ print ($1 > 16777216 && $1 < 33554432) }')" 1

# The limit is a setting: off, the same kind of file is read through.
bomb 40 >"$WORK/small-bomb.log.gz"
fresh
run import --max-ratio 0 "$WORK/small-bomb.log.gz"
eq "--max-ratio 0: read through, the rows after the zeros kept too" \
   "$(sql "SELECT rows_kept, rows_rejected, status FROM imports")" \
   "9|1|ok"
fresh
run import "$WORK/small-bomb.log.gz"
eq "default limit: 40 MiB from 40 KiB is stopped" \
   "$(sql "SELECT rows_kept, status FROM imports")" "3|partial"

# Real logs inflate far less: 20 MiB of lines that differ as real ones
# do pass the default limit, and stop at a limit set below their ratio.
awk 'BEGIN { for (i = 0; i < 70000; i++)
    printf "{\"query_timestamp\":\"2024-04-02T%02d:%02d:%02dZ\",\"query_name\":\"host%d.example.com.\",\"query_type\":\"A\",\"rcode\":\"NOERROR\",\"srcaddr\":\"10.0.%d.%d\",\"srcport\":\"%d\",\"answers\":[],\"version\":\"1.100000\",\"account_id\":\"123456789012\",\"region\":\"us-east-1\",\"vpc_id\":\"vpc-0abc\",\"query_class\":\"IN\",\"transport\":\"UDP\",\"srcids\":{\"instance\":\"i-0123456789abcdef0\"}}\n",
        int(i / 3600) % 24, int(i / 60) % 60, i % 60, i % 977,
        i % 7, i % 251, 1024 + (i * 7919) % 64000 }' | gz >"$WORK/real.gz"
fresh
run import "$WORK/real.gz"
eq "20 MiB of varied lines: the default limit lets them through" \
   "$(sql "SELECT rows_kept, status FROM imports")" "70000|ok"
fresh
run import --max-ratio 5 "$WORK/real.gz"
eq "--max-ratio 5 stops the same file past 16 MiB" \
   "$(sql "SELECT status, rows_kept > 40000, rows_kept < 70000
           FROM imports")" "partial|1|1"
run import --max-ratio 1 "$WORK/real.gz"
eq "--max-ratio 1: a usage error" "$(rc)" 2

# Good data first cannot hide a bomb after it: each 16 MiB of text is
# checked on its own.
{ cat "$WORK/real.gz"; i=0
  while [ "$i" -lt 1024 ]; do cat "$WORK/zeros.gz"; i=$((i + 1)); done
} >"$WORK/good-then-bomb.gz"
fresh
run import "$WORK/good-then-bomb.gz"
eq "a bomb after 23 MB of good lines: stopped, the good rows kept" \
   "$(sql "SELECT rows_kept, status, substr(message, 1, 28) FROM imports")" \
   "70000|partial|gzip stream inflates too far"
eq "a bomb after good lines: caught in the window it starts in" \
   "$(sql "SELECT message FROM imports" |
      sed 's/.* made \([0-9]*\) bytes.*/\1/' |
      awk '{ print ($1 >= 16777216 && $1 < 33554432) }')" 1
