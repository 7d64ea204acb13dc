# A flow file much longer than the parser's chunks (2,048 lines): bad
# lines, a new header and health records on both sides of chunk edges
# keep their order and line numbers, and every good record is stored.
. "$TOP/tests/e2e/lib.sh"

F="$WORK/long.log"
awk 'BEGIN {
    print "version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status"
    for (i = 2; i <= 9000; i++) {
        if (i == 2049 || i == 4097 || i == 8191)
            print "2 123456789012 eni-0a1 not-an-address 10.0.0.2 1 2 6 1 1 1700000000 1700000060 ACCEPT OK"
        else if (i == 6000)
            print "interface-id bytes log-status"
        else if (i > 6000)
            print "eni-0b2 " i " OK"
        else if (i % 1000 == 0)
            print "2 123456789012 eni-0a1 - - - - - - - 1700000000 1700000060 - NODATA"
        else
            printf "2 123456789012 eni-0a1 10.1.%d.%d 10.0.0.2 %d 53 17 1 %d 1700000000 1700000060 ACCEPT OK\n", int(i / 256), i % 256, 1024 + i, i
    }
}' > "$F"
gzip -k "$F"
fresh
run import "$F.gz"
eq "long flow: exit 1 (three lines rejected)" "$(rc)" 1
eq "long flow: summary" "$(out)" \
   "1 file: 1 ok, 0 partial, 0 failed, 0 empty, 0 skipped; 8995 rows kept, 3 rejected"
eq "long flow: rejects at the chunk edges, by line" \
   "$(sql "SELECT group_concat(line, ' ') FROM (SELECT line FROM rejected_rows ORDER BY id)")" \
   "2049 4097 8191"
eq "long flow: flows and health records" \
   "$(sql "SELECT (SELECT count(*) FROM flows), (SELECT count(*) FROM health_records)")" \
   "8990|5"
eq "long flow: records before the new header, in file order" \
   "$(sql "SELECT count(*), sum(bytes), min(id) < max(id) FROM flows WHERE srcport IS NOT NULL")" \
   "5991|17975853|1"
eq "long flow: records after the new header mapped by it" \
   "$(sql "SELECT count(*), min(bytes), max(bytes) FROM flow_log WHERE interface_id = 'eni-0b2'")" \
   "2999|6001|9000"
eq "long flow: rows are stored in line order" \
   "$(sql "SELECT count(*) FROM flows a JOIN flows b ON b.id = a.id + 1 WHERE b.bytes < a.bytes")" 0
eq "long flow: health record lines" \
   "$(sql "SELECT group_concat(line, ' ') FROM health_records")" \
   "1000 2000 3000 4000 5000"
