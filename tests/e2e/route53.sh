# Route 53 Resolver query logs: every documented field lands where the
# store says, keys in any order, with and without the fast path, the
# pretty-printed form and the CloudWatch Logs subscription envelope.
. "$TOP/tests/e2e/lib.sh"

# Columns of the one query logged at TS (ms since the epoch).
name_of() {
    sqln "SELECT n.logged, n.norm, n.domain, n.site, n.subdomain, n.flags
          FROM queries q JOIN names n ON n.id = q.name_id
          WHERE q.ts_ms = $1"
}
codes_of() {
    sqln "SELECT qtype, rcode, qclass, srcport, transport FROM queries
          WHERE ts_ms = $1"
}
origin_of() {
    sqln "SELECT o.srcaddr, o.instance, o.vpc_id, o.account_id, o.region,
                 o.resolver_endpoint, o.resolver_eni, o.log_version
          FROM queries q JOIN origins o ON o.id = q.origin_id
          WHERE q.ts_ms = $1"
}
answers_of() {
    sqln "SELECT a.answers FROM queries q
          LEFT JOIN answer_sets a ON a.id = q.answer_id WHERE q.ts_ms = $1"
}
fw_of() {
    sqln "SELECT f.rule_group_id, f.action, f.domain_list_id FROM queries q
          LEFT JOIN firewall_hits f ON f.id = q.firewall_id
          WHERE q.ts_ms = $1"
}
view_of() {
    sqln "SELECT l.time, l.query_type, l.rcode, l.transport,
                 l.firewall_action
          FROM query_log l JOIN queries q ON q.id = l.id WHERE q.ts_ms = $1"
}

# --- One record per line, every field ---------------------------------
fresh
F="$FIX/r53_fields.jsonl"
run import "$F"
eq "r53: exit status 0 when every row is kept" "$(rc)" 0
eq "r53: summary line" "$(out)" \
   "1 file: 1 ok, 0 partial, 0 failed, 0 empty, 0 skipped; 9 rows kept, 0 rejected"
eq "r53: nothing on stderr" "$(err)" ""
eq "r53: imports row" \
   "$(sqln "SELECT path, format, compression, rows_kept, rows_rejected,
                   status, message FROM imports")" \
   "$F|route53|none|9|0|ok|NULL"
eq "r53: imports size is the file size" "$(sql "SELECT size FROM imports")" \
   "$(wc -c <"$F" | tr -d ' ')"
eq "r53: imports sha256 is the content hash" \
   "$(sql "SELECT sha256 FROM imports")" "$(sha256sum "$F" | cut -c1-64)"
eq "r53: imports start and finish times, Unix seconds, now" \
   "$(sql "SELECT started_at <= finished_at,
                  abs(finished_at - $(date +%s)) < 3600 FROM imports")" "1|1"
eq "r53: 9 queries" "$(sql "SELECT count(*) FROM queries")" 9
eq "r53: every query belongs to the import" \
   "$(sql "SELECT count(*) FROM queries WHERE import_id =
           (SELECT id FROM imports)")" 9
eq "r53: no rejected rows" "$(sql "SELECT count(*) FROM rejected_rows")" 0

# Line 1: the usual AWS key order, whole-second time, trailing dot, case.
T=1712045730000
eq "r53 l1: name kept as logged, normalised, split by the PSL" \
   "$(name_of $T)" "Mail.Example.COM.|mail.example.com|example.com|example.com|mail|0"
eq "r53 l1: qtype A=1, NOERROR=0, class IN=1, srcport string, UDP=17" \
   "$(codes_of $T)" "1|0|1|53124|17"
eq "r53 l1: origin with instance, VPC, account (leading zeros), region, version" \
   "$(origin_of $T)" \
   "10.20.30.40|i-0aa00000000000001|vpc-0f00d0001|000011112222|eu-central-1|NULL|NULL|1.100000"
eq "r53 l1: CNAME chain answers in order, class IN left out" \
   "$(answers_of $T)" '[["CNAME","mx-edge.example.net."],["A","198.51.100.25"]]'
eq "r53 l1: no firewall hit" "$(fw_of $T)" "NULL|NULL|NULL"
eq "r53 l1: query_log view" "$(view_of $T)" \
   "2024-04-02T08:15:30.000Z|A|NOERROR|UDP|NULL"

# Line 2: keys reversed, millisecond fraction, no trailing dot, IPv6, TCP,
# inbound endpoint and resolver network interface.
T=1712045731250
eq "r53 l2: fraction .250 gives ts_ms ...250" \
   "$(sql "SELECT count(*) FROM queries WHERE ts_ms = $T")" 1
eq "r53 l2: name without trailing dot" "$(name_of $T)" \
   "api.internal.example.org|api.internal.example.org|example.org|example.org|api.internal|0"
eq "r53 l2: AAAA=28, TCP=6" "$(codes_of $T)" "28|0|1|853|6"
eq "r53 l2: IPv6 source, resolver_endpoint and resolver_network_interface" \
   "$(origin_of $T)" \
   "2001:db8:4:5::53|NULL|vpc-0f00d0001|000011112222|eu-central-1|rslvr-in-0bb0000000000002|rni-0bb00000000000002|1.100000"
eq "r53 l2: answers with keys in another order" "$(answers_of $T)" \
   '[["AAAA","2001:db8:ffff::1"]]'
eq "r53 l2: query_log view" "$(view_of $T)" \
   "2024-04-02T08:15:31.250Z|AAAA|NOERROR|TCP|NULL"

# Line 3: six-digit fraction, answers as a single object, empty srcids.
T=1712045732123
eq "r53 l3: fraction .123456 gives ts_ms ...123" \
   "$(sql "SELECT count(*) FROM queries WHERE ts_ms = $T")" 1
eq "r53 l3: single answer object stored like an array of one" \
   "$(answers_of $T)" '[["TXT","\"v=spf1 -all\""]]'
eq "r53 l3: empty srcids and no version give NULLs" "$(origin_of $T)" \
   "10.20.30.41|NULL|NULL|NULL|NULL|NULL|NULL|NULL"
eq "r53 l3: TXT=16" "$(codes_of $T)" "16|0|1|40000|17"

# Line 4: DNS Firewall BLOCK, instance plus outbound endpoint, unknown keys.
T=1712045733000
eq "r53 l4: firewall fields" "$(fw_of $T)" \
   "rslvr-frg-0dd0000000000004|BLOCK|rslvr-fdl-0ee0000000000005"
eq "r53 l4: PTR=12, NXDOMAIN=3" "$(codes_of $T)" "12|3|1|33333|17"
eq "r53 l4: instance and resolver_endpoint together" "$(origin_of $T)" \
   "10.20.30.42|i-0aa00000000000003|vpc-0f00d0001|000011112222|eu-central-1|rslvr-out-0cc0000000000003|NULL|1.100000"
eq "r53 l4: empty answers array is no answer set" "$(answers_of $T)" NULL
eq "r53 l4: query_log view shows the firewall action" "$(view_of $T)" \
   "2024-04-02T08:15:33.000Z|PTR|NXDOMAIN|UDP|BLOCK"
eq "r53 l4: reverse name" "$(name_of $T)" \
   "25.100.51.198.in-addr.arpa.|25.100.51.198.in-addr.arpa|198.in-addr.arpa|198.in-addr.arpa|25.100.51|0"

# Line 5: \DDD escape and mixed case, unknown TYPE, duplicate answers, ALERT.
T=1712045734000
eq "r53 l5: escape kept in logged, decoded in norm, flagged escaped+non-LDH" \
   "$(name_of $T)" \
   'Odd\032Name.Example.com.|odd name.example.com|example.com|example.com|odd name|40'
eq "r53 l5: TYPE65399 stored as 65399" "$(codes_of $T)" "65399|0|1|1024|17"
eq "r53 l5: duplicate answers both kept" "$(answers_of $T)" \
   '[["A","203.0.113.7"],["A","203.0.113.7"]]'
eq "r53 l5: firewall ALERT" "$(fw_of $T)" \
   "rslvr-frg-0dd0000000000004|ALERT|rslvr-fdl-0ee0000000000005"
eq "r53 l5: query_log view renders TYPE65399" "$(view_of $T)" \
   "2024-04-02T08:15:34.000Z|TYPE65399|NOERROR|UDP|ALERT"

# Line 6: same name in another spelling, class CH, REFUSED.
T=1712045735000
eq "r53 l6: other spelling is another logged name with the same norm" \
   "$(name_of $T)" "mail.example.com|mail.example.com|example.com|example.com|mail|0"
eq "r53 l6: class CH=3, REFUSED=5" "$(codes_of $T)" "16|5|3|53125|17"
eq "r53 l6: answer class other than IN is kept" "$(answers_of $T)" \
   '[["TXT","hostname.bind","CH"]]'

# Line 7: keys shuffled, \u escape (full JSON parser), minor version 1.2.
T=1712045736000
eq "r53 l7: UTF-8 name bytes kept exactly" \
   "$(sql "SELECT hex(n.logged) FROM queries q JOIN names n
           ON n.id = q.name_id WHERE q.ts_ms = $T")" \
   "636166C3A92E4578616D706C652E636F6D2E"
eq "r53 l7: non-ASCII normalised to \\DDD and flagged non-LDH" \
   "$(sql "SELECT n.norm, n.flags FROM queries q JOIN names n
           ON n.id = q.name_id WHERE q.ts_ms = $T")" \
   'caf\195\169.example.com|32'
eq "r53 l7: MX=15, SERVFAIL=2" "$(codes_of $T)" "15|2|1|53126|17"
eq "r53 l7: unknown minor version 1.200000 accepted and kept" \
   "$(origin_of $T)" \
   "10.20.30.40|i-0aa00000000000001|vpc-0f00d0001|000011112222|eu-central-1|NULL|NULL|1.200000"

# Line 8: the root name, no srcport, no transport.
T=1712045737000
eq "r53 l8: root name" "$(name_of $T)" ".||NULL|NULL|NULL|64"
eq "r53 l8: NS=2, srcport NULL, transport NULL (absent)" "$(codes_of $T)" "2|0|1|NULL|NULL"
eq "r53 l8: query_log transport NULL" "$(view_of $T)" \
   "2024-04-02T08:15:37.000Z|NS|NOERROR|NULL|NULL"

# Line 9: the name of line 1 again.
eq "r53 l9: a repeated name is stored once" \
   "$(sql "SELECT count(DISTINCT name_id) FROM queries
           WHERE ts_ms IN (1712045730000, 1712045738000)")" 1
eq "r53: 8 distinct logged names for 9 queries" \
   "$(sql "SELECT count(*) FROM names")" 8

# --- The same records through the full JSON parser ---------------------
# An unknown key holding a \u escape sends every line past the fast path;
# the stored result must be the same.
sed 's/}$/,"zz_unknown":"\\u0041"}/' "$F" >"$WORK/slow.jsonl"
run import "$WORK/slow.jsonl"
eq "r53 slow path: exit 0" "$(rc)" 0
eq "r53 slow path: summary" "$(out)" \
   "1 file: 1 ok, 0 partial, 0 failed, 0 empty, 0 skipped; 9 rows kept, 0 rejected"
cols="time, srcaddr, instance, vpc_id, account_id, region, resolver_endpoint,
      hex(query_name), norm, domain, subdomain, query_type, rcode, srcport,
      transport, answers, firewall_action"
eq "r53 slow path: same rows as the fast path" \
   "$(sqln "SELECT $cols FROM query_log WHERE import_id = 2 ORDER BY id")" \
   "$(sqln "SELECT $cols FROM query_log WHERE import_id = 1 ORDER BY id")"
eq "r53 slow path: no new names" "$(sql "SELECT count(*) FROM names")" 8

# --- Pretty-printed JSON ------------------------------------------------
fresh
run import "$FIX/r53_pretty.json"
eq "pretty: exit 0" "$(rc)" 0
eq "pretty: summary" "$(out)" \
   "1 file: 1 ok, 0 partial, 0 failed, 0 empty, 0 skipped; 3 rows kept, 0 rejected"
eq "pretty: the three records in order" \
   "$(sql "SELECT query_name || ' ' || time FROM query_log ORDER BY id")" \
   "pretty-one.example.com. 2024-04-02T09:00:00.000Z
between.example.com. 2024-04-02T09:00:01.000Z
pretty-two.example.com. 2024-04-02T09:00:02.007Z"
T=1712048400000
eq "pretty: nested answers" "$(answers_of $T)" '[["A","192.0.2.80"]]'
eq "pretty: nested srcids and every top-level field" "$(origin_of $T)" \
   "10.20.30.50|i-0pp00000000000001|vpc-0f00d0001|000011112222|eu-central-1|NULL|NULL|1.100000"
eq "pretty: codes" "$(codes_of $T)" "1|0|1|45000|17"
eq "pretty: indented object with braces inside strings" \
   "$(codes_of 1712048402007)" "28|3|NULL|NULL|NULL"

# A pretty-printed array of records (jq, python -m json.tool).
fresh
run import "$FIX/r53_pretty_array.json"
eq "pretty array: exit 0" "$(rc)" 0
eq "pretty array: both records" \
   "$(sql "SELECT query_name || ' ' || time || ' ' || coalesce(answers, '-')
           FROM query_log ORDER BY id")" \
   'array-one.example.com. 2024-04-02T09:30:00.000Z [["A","192.0.2.90"]]
array-two.example.com. 2024-04-02T09:30:01.000Z -'

# A broken pretty-printed object costs that object only.
fresh
run import "$FIX/r53_pretty_broken.json"
eq "pretty broken: exit 1" "$(rc)" 1
eq "pretty broken: the record after the broken object is kept" \
   "$(sql "SELECT query_name FROM query_log")" "after-broken.example.com."
eq "pretty broken: rejects" \
   "$(sql "SELECT line || ' ' || reason FROM rejected_rows ORDER BY line")" \
   "4 malformed JSON: '}' expected near '\"query_type\"'
7 malformed JSON: JSON value not closed at end of file
8 malformed JSON: expected a JSON object
9 malformed JSON: expected a JSON object"
eq "pretty broken: import counts" \
   "$(sql "SELECT rows_kept, rows_rejected, status FROM imports")" "1|4|ok"

# --- CloudWatch Logs subscription envelopes ----------------------------
fresh
F="$FIX/r53_cloudwatch.json"
run import "$F"
eq "cloudwatch: exit 0" "$(rc)" 0
eq "cloudwatch: summary (2 queries, 1 flow, 1 health record)" "$(out)" \
   "1 file: 1 ok, 0 partial, 0 failed, 0 empty, 0 skipped; 4 rows kept, 0 rejected"
eq "cloudwatch: CONTROL_MESSAGE skipped without a reject" "$(err)" ""
eq "cloudwatch: imports row" \
   "$(sqln "SELECT format, compression, rows_kept, rows_rejected, status,
                   message FROM imports")" "cloudwatch|none|4|0|ok|NULL"
eq "cloudwatch: Route 53 messages" \
   "$(sql "SELECT query_name, time, query_type, rcode FROM query_log
           ORDER BY id")" \
   "cw-one.example.com.|2024-04-02T09:00:00.000Z|A|NOERROR
cw-two.example.com.|2024-04-02T09:00:01.000Z|TXT|NXDOMAIN"
eq "cloudwatch: message fields" "$(origin_of 1712048400000)" \
   "10.20.30.60|i-0cw00000000000001|vpc-0f00d0001|000011112222|eu-central-1|NULL|NULL|1.100000"
eq "cloudwatch: flow message" \
   "$(sql "SELECT version, account_id, interface_id, srcaddr, dstaddr,
                  srcport, dstport, protocol, packets, bytes, start, end,
                  action FROM flow_log")" \
   "2|000011112222|eni-0cw00000000000009|10.20.30.60|192.0.2.81|41000|443|6|5|900|1712048400|1712048460|ACCEPT"
eq "cloudwatch: NODATA message is a health record" \
   "$(sql "SELECT h.line, h.log_status, i.interface_id, h.start, h.end
           FROM health_records h JOIN flow_interfaces i
           ON i.id = h.interface")" \
   "3|NODATA|eni-0cw00000000000009|1712048460|1712048520"

fresh
run import "$FIX/r53_cloudwatch_bad.json"
eq "cloudwatch bad: exit 1" "$(rc)" 1
eq "cloudwatch bad: good events around the bad ones kept" \
   "$(sql "SELECT query_name FROM query_log ORDER BY id")" \
   "cw-ok.example.com.
cw-ok2.example.com."
eq "cloudwatch bad: each bad event and envelope rejected with a reason" \
   "$(sql "SELECT line || ' ' || reason FROM rejected_rows ORDER BY id")" \
   "1 malformed timestamp: logEvents[0]: field query_timestamp: not an ISO 8601 time
1 required field missing: logEvents[1]: no message string
2 unexpected field value: messageType: expected DATA_MESSAGE or CONTROL_MESSAGE"
eq "cloudwatch bad: counts" \
   "$(sql "SELECT format, rows_kept, rows_rejected, status FROM imports")" \
   "cloudwatch|2|3|ok"
