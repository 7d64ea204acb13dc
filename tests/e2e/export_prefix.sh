# CloudWatch Logs exports to S3 put an ISO time before each event, for
# Route 53 records as for flow records; health records keep the traffic
# fields they carry; IPv6 is stored in one canonical form everywhere.
. "$TOP/tests/e2e/lib.sh"

fresh
printf '%s\n' \
 '2024-05-01T12:00:59.000Z {"query_timestamp":"2024-05-01T12:00:58Z","query_name":"a.example.com.","query_type":"A","rcode":"NOERROR","srcaddr":"2001:DB8:0:0::0001"}' \
 '2024-05-01T12:01:00.000Z {"query_timestamp":"2024-05-01T12:00:59.5Z","query_name":"b.example.com.","query_type":"AAAA","rcode":"NXDOMAIN","srcaddr":"10.0.0.1"}' \
 '2024-05-01T12:01:01.000Z not json at all' \
 > "$WORK/r53-export.log"
run import "$WORK/r53-export.log"
eq "r53 export: exit 1 (one line rejected)" "$(rc)" 1
eq "r53 export: both records, times from the records" \
   "$(sql "SELECT time, query_name, srcaddr FROM query_log ORDER BY id")" \
   "2024-05-01T12:00:58.000Z|a.example.com.|2001:db8::1
2024-05-01T12:00:59.500Z|b.example.com.|10.0.0.1"
eq "r53 export: the garbage line is rejected by line" \
   "$(sql "SELECT line, reason FROM rejected_rows")" \
   "3|malformed JSON: expected a JSON object"

fresh
printf '%s\n' \
 'version interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status' \
 '3 eni-0a1 2001:DB8:0:0::0001 2001:db8::53 5353 53 17 2 120 1714564800 1714564859 ACCEPT OK' \
 '3 eni-0a1 10.1.2.3 1.128.0.0 42910 80 17 51 33615 1755678754 1755678775 REJECT NODATA' \
 > "$WORK/flow6.log"
run import "$WORK/flow6.log"
eq "flow ipv6: exit 0" "$(rc)" 0
eq "flow ipv6: addresses in canonical form" \
   "$(sql "SELECT srcaddr, dstaddr FROM flows")" "2001:db8::1|2001:db8::53"
eq "health record keeps its traffic fields in extra" \
   "$(sql "SELECT log_status, start, end, extra FROM health_records")" \
   'NODATA|1755678754|1755678775|{"srcaddr":"10.1.2.3","dstaddr":"1.128.0.0","srcport":"42910","dstport":"80","protocol":"17","packets":"51","bytes":"33615","action":"REJECT"}'
eq "health record: its interface" \
   "$(sql "SELECT i.interface_id, i.version FROM health_records h
           JOIN flow_interfaces i ON i.id = h.interface")" "eni-0a1|3"
