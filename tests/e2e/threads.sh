# One thread or two: the same input gives the same store, row for row,
# rejects and line numbers included (the second thread only reads and
# parses; the order of what it hands over is kept).
. "$TOP/tests/e2e/lib.sh"

# A mixed bag over several parser chunks: Route 53 lines with bad ones,
# CloudWatch envelopes holding flow records, a flow file.
awk 'BEGIN {
    for (i = 1; i <= 6000; i++) {
        if (i % 997 == 0) { print "{\"query_name\": broken"; continue }
        printf "{\"query_timestamp\":\"2024-05-01T00:%02d:%02dZ\",\"query_name\":\"h%d.t%d.example.net.\",\"query_type\":\"%s\",\"rcode\":\"%s\",\"srcaddr\":\"10.0.%d.%d\",\"answers\":[{\"Rdata\":\"\\\"x%d\\\"\",\"Type\":\"TXT\",\"Class\":\"IN\"}]}\n", (i / 60) % 60, i % 60, i, i % 7, (i % 3 ? "TXT" : "A"), (i % 5 ? "NOERROR" : "NXDOMAIN"), i % 200, i % 250, i
    }
}' >"$WORK/dns.jsonl"
cat "$FIX/r53_cloudwatch.json" "$FIX/r53_cloudwatch_bad.json" >"$WORK/cw.json"
dump() {
    sql "SELECT time, srcaddr, query_name, query_type, rcode, answers FROM query_log ORDER BY id;
         SELECT * FROM flow_log ORDER BY id;
         SELECT * FROM health_records ORDER BY id;
         SELECT line, reason, excerpt FROM rejected_rows ORDER BY id;
         SELECT path, status, rows_kept, rows_rejected, message FROM imports ORDER BY id" | sha256sum
}
for n in 1 2; do
    fresh
    run import --threads $n "$WORK/dns.jsonl" "$WORK/cw.json" "$FIX/flow_custom.log" \
        "$FIX/flow_bad.log"
    echo "$(rc)|$(out)" >"$WORK/summary$n"
    dump >"$WORK/dump$n"
done
eq "threads: same summary" "$(cat "$WORK/summary1")" "$(cat "$WORK/summary2")"
eq "threads: same store, row for row" "$(cat "$WORK/dump1")" "$(cat "$WORK/dump2")"
eq "threads: the rejects are the ones expected" \
   "$(sql "SELECT count(*) FROM rejected_rows r JOIN imports i ON i.id = r.import_id
           WHERE i.path LIKE '%dns.jsonl'")" 6
# Flow records whose texts are not all in their line (an IPv6 address is
# stored in its canonical form), fields AWS may add later (kept by their
# header name), health records, extras, and Parquet rows.
cat >"$WORK/flow_odd.log" <<'EOF'
version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status next-field tgw-id
5 123456789012 eni-0a1 2001:DB8:0:0::1 10.0.0.9 443 50000 6 3 300 1712000000 1712000060 ACCEPT OK v1 tgw-1
5 123456789012 eni-0a1 - - - - - - - 1712000000 1712000060 - NODATA - -
5 123456789012 eni-0a2 10.0.0.7 FD00:0::A 53 40000 17 1 90 1712000000 1712000060 REJECT OK - tgw-2
EOF
for n in 1 2; do
    fresh
    run import --threads $n "$WORK/flow_odd.log" "$FIX/flow_tgw_ecs.log" \
        "$FIX/flow_default.log" "$TOP/tests/parquet/edge-values.parquet"
    echo "$(rc)|$(out)" >"$WORK/summary$n"
    dump >"$WORK/dump$n"
done
eq "threads, odd flows: same summary" "$(cat "$WORK/summary1")" \
   "$(cat "$WORK/summary2")"
eq "threads, odd flows: same store, row for row" "$(cat "$WORK/dump1")" \
   "$(cat "$WORK/dump2")"
eq "threads, odd flows: canonical IPv6, later fields kept by name" \
   "$(sql "SELECT srcaddr, dstaddr, extra FROM flow_log f JOIN imports i
           ON i.id = f.import_id WHERE i.path LIKE '%flow_odd.log'
           ORDER BY f.id")" \
   '2001:db8::1|10.0.0.9|{"tgw_id":"tgw-1","next_field":"v1"}
10.0.0.7|fd00::a|{"tgw_id":"tgw-2"}'
eq "threads, odd flows: the health record" \
   "$(sql "SELECT log_status, line, coalesce(extra, 'none') FROM health_records h JOIN imports i
           ON i.id = h.import_id WHERE i.path LIKE '%flow_odd.log'")" \
   "NODATA|3|none"

run import --threads 3 "$WORK/dns.jsonl"
eq "--threads 3: usage error" "$(rc)|$(err)" "2|dnshunt import: --threads takes 1 or 2"
