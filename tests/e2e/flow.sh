# VPC Flow Logs: the default format without a header, custom formats
# mapped by their header (repeated, changed mid-file), CloudWatch export
# prefixes, "-" as NULL, NODATA/SKIPDATA as health records, IPv4/IPv6,
# 64-bit counters, --flow-format, and a headerless 29-field line.
. "$TOP/tests/e2e/lib.sh"

# flow_log columns, in the order of the default format then the rest.
V2="version, account_id, interface_id, srcaddr, dstaddr, srcport, dstport,
    protocol, packets, bytes, start, end, action"
V5="version, srcaddr, dstaddr, srcport, dstport, protocol, start, end, type,
    packets, bytes, account_id, vpc_id, subnet_id, instance_id,
    interface_id, region, az_id, sublocation_type, sublocation_id, action,
    tcp_flags, pkt_srcaddr, pkt_dstaddr, pkt_src_aws_service,
    pkt_dst_aws_service, traffic_path, flow_direction"
health() {
    sqln "SELECT h.line, h.log_status, i.version, i.account_id,
                 i.interface_id, h.start, h.end
          FROM health_records h JOIN flow_interfaces i ON i.id = h.interface
          ORDER BY h.id"
}

# --- Default format, no header ------------------------------------------
fresh
F="$FIX/flow_default.log"
run import "$F"
eq "flow v2: exit 0" "$(rc)" 0
eq "flow v2: summary (4 flows + 2 health records)" "$(out)" \
   "1 file: 1 ok, 0 partial, 0 failed, 0 empty, 0 skipped; 6 rows kept, 0 rejected"
eq "flow v2: nothing on stderr" "$(err)" ""
eq "flow v2: imports row" \
   "$(sqln "SELECT path, format, compression, rows_kept, rows_rejected,
                   status, message FROM imports")" \
   "$F|flow|none|6|0|ok|NULL"
eq "flow v2: 4 flows" "$(sql "SELECT count(*) FROM flow_log")" 4
eq "flow v2: accepted IPv4 flow, every field" \
   "$(sqln "SELECT $V2 FROM flow_log ORDER BY id LIMIT 1")" \
   "2|000011112222|eni-0f10000000000001|10.20.30.40|203.0.113.10|53124|443|6|12|4820|1712045700|1712045760|ACCEPT"
eq "flow v2: rejected flow" \
   "$(sqln "SELECT $V2 FROM flow_log WHERE action = 'REJECT'")" \
   "2|000011112222|eni-0f10000000000001|198.51.100.77|10.20.30.40|61000|22|6|3|180|1712045700|1712045760|REJECT"
eq "flow v2: IPv6 flow" \
   "$(sqln "SELECT $V2 FROM flow_log WHERE protocol = 17")" \
   "2|000011112222|eni-0f10000000000001|2001:db8:4:5::10|2001:db8:ffff::1|40404|53|17|1|76|1712045761|1712045761|ACCEPT"
eq "flow v2: 64-bit counters stored exactly as integers, ICMP ports 0" \
   "$(sqln "SELECT srcport, dstport, packets, bytes, typeof(bytes),
                   bytes - 1 FROM flow_log WHERE protocol = 1")" \
   "0|0|4294967296|9223372036854775807|integer|9223372036854775806"
eq "flow v2: NODATA and SKIPDATA are health records with their line" \
   "$(health)" \
   "3|NODATA|2|000011112222|eni-0f10000000000002|1712045700|1712045760
4|SKIPDATA|2|000011112222|eni-0f10000000000003|1712045700|1712045760"
eq "flow v2: health records are not flows" \
   "$(sql "SELECT count(*) FROM flow_log WHERE interface_id IN
           ('eni-0f10000000000002', 'eni-0f10000000000003')")" 0
eq "flow v2: health records belong to the import" \
   "$(sql "SELECT count(*) FROM health_records WHERE import_id =
           (SELECT id FROM imports)")" 2

# --- Custom formats by header -------------------------------------------
fresh
F="$FIX/flow_custom.log"
run import "$F"
eq "flow custom: exit 0" "$(rc)" 0
eq "flow custom: summary (4 flows + 1 health record, headers not rows)" \
   "$(out)" \
   "1 file: 1 ok, 0 partial, 0 failed, 0 empty, 0 skipped; 5 rows kept, 0 rejected"
eq "flow custom: no rejects for the repeated and the changed header" \
   "$(sql "SELECT count(*) FROM rejected_rows")" 0
eq "flow custom: egress row mapped by the header (v3-v5 fields)" \
   "$(sqln "SELECT $V5 FROM flow_log WHERE flow_direction = 'egress'")" \
   "5|10.20.30.40|52.94.5.10|34210|443|6|1712045700|1712045760|IPv4|7|1471|000011112222|vpc-0f00d0001|subnet-0f20000000000001|i-0aa00000000000001|eni-0f10000000000001|eu-central-1|euc1-az2|NULL|NULL|ACCEPT|19|10.20.30.40|52.94.5.10|NULL|S3|8|egress"
eq "flow custom: ingress row, '-' traffic-path is NULL" \
   "$(sqln "SELECT $V5 FROM flow_log WHERE flow_direction = 'ingress'")" \
   "5|52.94.5.10|10.20.30.40|443|34210|6|1712045700|1712045760|IPv4|9|15044|000011112222|vpc-0f00d0001|subnet-0f20000000000001|i-0aa00000000000001|eni-0f10000000000001|eu-central-1|euc1-az2|NULL|NULL|ACCEPT|18|52.94.5.10|10.20.30.40|S3|NULL|NULL|ingress"
eq "flow custom: NODATA after the repeated header" \
   "$(health)" \
   "5|NODATA|5|000011112222|eni-0f10000000000004|1712045760|1712045820"
eq "flow custom: NODATA keeps its interface's VPC, subnet, region, sublocation" \
   "$(sqln "SELECT i.vpc_id, i.subnet_id, i.instance_id, i.region, i.az_id,
                   i.sublocation_type, i.sublocation_id
            FROM health_records h JOIN flow_interfaces i
            ON i.id = h.interface")" \
   "vpc-0f00d0001|subnet-0f20000000000001|NULL|eu-central-1|NULL|wavelength|wlz-0f30000000000001"
eq "flow custom: rows after a header change use the new header" \
   "$(sqln "SELECT instance_id, interface_id, srcaddr, dstaddr, pkt_srcaddr,
                   pkt_dstaddr, version, srcport, action FROM flow_log
            WHERE interface_id = 'eni-0f10000000000005' ORDER BY id")" \
   "NULL|eni-0f10000000000005|10.20.40.5|10.20.0.220|10.20.40.5|203.0.113.55|NULL|NULL|NULL
NULL|eni-0f10000000000005|10.20.0.220|203.0.113.55|10.20.0.220|203.0.113.55|NULL|NULL|NULL"

# --- Transit Gateway (v6), ECS (v7) and reject-reason (v8) -------------
fresh
run import "$FIX/flow_tgw_ecs.log"
eq "flow v6-v8: exit 0" "$(rc)" 0
eq "flow v6-v8: summary" "$(out)" \
   "1 file: 1 ok, 0 partial, 0 failed, 0 empty, 0 skipped; 2 rows kept, 0 rejected"
eq "flow v6: TGW row without interface-id or action" \
   "$(sqln "SELECT $V2 FROM flow_log WHERE version = 6")" \
   "6|000011112222|NULL|10.20.30.40|10.30.0.9|40000|5432|6|20|3000|1712045700|1712045760|NULL"
eq "flow v6: TGW fields in extra" \
   "$(sqln "SELECT extra FROM flow_log WHERE version = 6")" \
   '{"resource_type":"TransitGateway","tgw_id":"tgw-0f40000000000001","tgw_attachment_id":"tgw-attach-0f50000000000001","tgw_src_vpc_account_id":"000011112222","tgw_dst_vpc_account_id":"000033334444","tgw_src_vpc_id":"vpc-0f00d0001","tgw_dst_vpc_id":"vpc-0f00d0002","packets_lost_no_route":"0","packets_lost_blackhole":"2"}'
eq "flow v7/v8: ECS fields in extra, reject-reason in its column" \
   "$(sqln "SELECT interface_id, action, reject_reason, extra FROM flow_log
            WHERE version = 8")" \
   'eni-0f10000000000006|REJECT|BPA|{"ecs_cluster_name":"cluster-blue","ecs_service_name":"web-svc","ecs_task_id":"0f60task"}'

# --- CloudWatch export: a leading ISO timestamp -------------------------
fresh
run import "$FIX/flow_cwexport.log"
eq "flow cw export: exit 0" "$(rc)" 0
eq "flow cw export: summary" "$(out)" \
   "1 file: 1 ok, 0 partial, 0 failed, 0 empty, 0 skipped; 3 rows kept, 0 rejected"
eq "flow cw export: timestamp prefix dropped, fields read" \
   "$(sqln "SELECT $V2 FROM flow_log ORDER BY id")" \
   "2|000011112222|eni-0f10000000000001|10.20.30.40|203.0.113.10|53124|443|6|12|4820|1712045700|1712045760|ACCEPT
2|000011112222|eni-0f10000000000001|10.20.30.40|198.51.100.53|5353|53|17|2|150|1712045820|1712045880|REJECT"
eq "flow cw export: NODATA line" "$(health)" \
   "2|NODATA|2|000011112222|eni-0f10000000000001|1712045760|1712045820"

# --- "-" as NULL in any field --------------------------------------------
fresh
printf '%s\n' \
 '2 - - - - - - - - - - - - OK' \
 '2 000011112222 eni-0f10000000000001 10.20.30.40 203.0.113.10 - - 6 - - 1712045700 1712045760 ACCEPT -' \
 >"$WORK/dashes.log"
run import "$WORK/dashes.log"
eq "flow dashes: exit 0" "$(rc)" 0
eq "flow dashes: every '-' is NULL" \
   "$(sqln "SELECT $V2 FROM flow_log ORDER BY id")" \
   "2|NULL|NULL|NULL|NULL|NULL|NULL|NULL|NULL|NULL|NULL|NULL|NULL
2|000011112222|eni-0f10000000000001|10.20.30.40|203.0.113.10|NULL|NULL|6|NULL|NULL|1712045700|1712045760|ACCEPT"
eq "flow dashes: no health record for OK or '-' status" \
   "$(sql "SELECT count(*) FROM health_records")" 0

# --- Headerless custom format: --flow-format ---------------------------
NAT="instance-id interface-id srcaddr dstaddr dstport srcport"
fresh
run import --flow-format "$NAT" "$FIX/flow_headerless_custom.log"
eq "flow-format: exit 0" "$(rc)" 0
eq "flow-format: summary" "$(out)" \
   "1 file: 1 ok, 0 partial, 0 failed, 0 empty, 0 skipped; 2 rows kept, 0 rejected"
eq "flow-format: values mapped by the given names" \
   "$(sqln "SELECT instance_id, interface_id, srcaddr, dstaddr, srcport,
                   dstport, version FROM flow_log ORDER BY id")" \
   "i-0aa00000000000001|eni-0f10000000000001|10.20.30.40|203.0.113.10|34000|443|NULL
i-0aa00000000000001|eni-0f10000000000001|10.20.30.40|203.0.113.11|NULL|NULL|NULL"

fresh
run import --format flow --flow-format "$NAT" "$FIX/flow_headerless_custom.log"
eq "flow-format with --format flow: exit 0" "$(rc)" 0
eq "flow-format with --format flow: 2 flows" \
   "$(sql "SELECT count(*) FROM flow_log")" 2

# A header in the file wins over --flow-format.
fresh
run import --flow-format "$NAT" "$FIX/flow_custom.log"
eq "flow-format: a file's own header still maps it" \
   "$(sql "SELECT rows_kept, rows_rejected FROM imports")" "5|0"

# The 29 fields of the AWS table, without a header: rejected, not guessed.
fresh
F="$FIX/flow_v29_headerless.log"
run import "$F"
eq "flow 29 headerless: exit 1" "$(rc)" 1
eq "flow 29 headerless: rejected with the reason" \
   "$(sql "SELECT line || ' ' || reason FROM rejected_rows")" \
   "1 flow record without a header: 29 fields and no header line (the default format has 14; see --flow-format)"
eq "flow 29 headerless: reported on stderr" "$(err)" \
   "$F:1: flow record without a header: 29 fields and no header line (the default format has 14; see --flow-format)
$F: no valid record (1 rejected)"
eq "flow 29 headerless: file failed, nothing kept" \
   "$(sqln "SELECT format, rows_kept, rows_rejected, status, message
            FROM imports")" "flow|0|1|failed|no valid record (1 rejected)"
eq "flow 29 headerless: no flow stored" "$(sql "SELECT count(*) FROM flows")" 0

fresh
ALL="version account-id interface-id srcaddr dstaddr srcport dstport"
ALL="$ALL protocol packets bytes start end action log-status vpc-id"
ALL="$ALL subnet-id instance-id tcp-flags type pkt-srcaddr pkt-dstaddr"
ALL="$ALL region az-id sublocation-type sublocation-id pkt-src-aws-service"
ALL="$ALL pkt-dst-aws-service flow-direction traffic-path"
run import --flow-format "$ALL" "$F"
eq "flow 29 with --flow-format: exit 0" "$(rc)" 0
eq "flow 29 with --flow-format: every field" \
   "$(sqln "SELECT $V5 FROM flow_log")" \
   "5|10.20.30.40|203.0.113.10|53124|443|6|1712045700|1712045760|IPv4|12|4820|000011112222|vpc-0f00d0001|subnet-0f20000000000001|i-0aa00000000000001|eni-0f10000000000001|eu-central-1|euc1-az2|NULL|NULL|ACCEPT|2|10.20.30.40|203.0.113.10|NULL|NULL|8|egress"

# Bad --flow-format values are usage errors and import nothing.
fresh
run import --flow-format "version bogus-field" "$FIX/flow_default.log"
eq "flow-format unknown name: exit 2" "$(rc)" 2
eq "flow-format unknown name: message" "$(err)" \
   "dnshunt import: --flow-format: unknown field name 'bogus-field'"
eq "flow-format unknown name: nothing imported" \
   "$(sql "SELECT count(*) FROM imports")" 0
run import --flow-format "srcaddr dstaddr srcaddr" "$FIX/flow_default.log"
eq "flow-format repeated name: exit 2" "$(rc)" 2
eq "flow-format repeated name: message" "$(err)" \
   "dnshunt import: --flow-format: field srcaddr appears twice"
