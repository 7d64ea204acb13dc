#!/bin/sh
# dnshunt score and its views on hostile logs, configurations and hand-
# edited stores: no crash, no wrapped sums, valid JSON, clear errors.
. "$(dirname "$0")/lib.sh"

F="$WORK/fx"
mkdir -p "$F"
awk -v out="$F" -f "$TOP/tests/e2e/score_fixture.awk"

r53() {     # r53 TIME NAME SRC: one resolver log line
    printf '{"version":"1.100000","account_id":"1","region":"r","vpc_id":"v","query_timestamp":"%s","query_name":"%s","query_type":"A","query_class":"IN","rcode":"NXDOMAIN","answers":[],"srcaddr":"%s","srcport":"1","transport":"UDP","srcids":{"instance":"%s"}}\n' "$1" "$2" "$3" "${4:-i-0}"
}

# One record from the far future, imported before the day: the time
# base must not follow it.
r53 9999-01-01T00:00:00Z far.example.com. 10.9.9.9 >"$F/far.jsonl"
"$DNSHUNT" import --quiet "$F/far.jsonl"
"$DNSHUNT" import --quiet "$F/dns.jsonl" "$F/flow.log"
run score --quiet
eq "a far-future record first: score exits 0" "$(rc)" 0
eq "a far-future record first: the attacks still alert" \
   "$(sql "SELECT count(*) FROM hosts WHERE alert")" 10
eq "a far-future record first: attribution still works" \
   "$(sql "SELECT attributed_from FROM host_domains WHERE attributed_from
           IS NOT NULL")" "10.0.0.53"

# Labels of many digits, an instance id in UTF-8 and one that is
# another host's address, hostile flows.
{
    r53 2024-05-01T10:00:00Z 12345678901234567890.example.com. 10.0.0.50 \
        'i-caf\u00e9'
    r53 2024-05-01T10:00:01Z 99999999999.88888888888.example.org. 10.0.0.51 \
        10.0.0.21
} >"$F/odd.jsonl"
{
    echo "2 1 eni-1 10.0.0.60 203.0.113.9 40000 53 17 1 9223372036854775807 1714550000 1714550001 ACCEPT OK"
    echo "2 1 eni-1 10.0.0.60 203.0.113.9 40001 53 17 1 9223372036854775807 1714550000 1714550001 ACCEPT OK"
    echo "2 1 eni-1 10.0.0.61 10.0.0.61 40000 53 17 5 500 1714550000 1714550001 ACCEPT OK"
    echo "2 1 eni-1 10.0.0.62 203.0.113.9 40000 53 17 500 100000 1714550000 1714550001 REJECT OK"
    echo "2 1 eni-1 2600:1f18:abcd::5 2606:4700:4700::1111 40000 443 6 20 3000 1714550000 1714550001 ACCEPT OK"
} >"$F/odd.log"
"$DNSHUNT" import --quiet "$F/odd.jsonl" "$F/odd.log"
run score --quiet
eq "odd input: score exits 0" "$(rc)" 0
eq "huge byte counts do not wrap" \
   "$(sql "SELECT dns_bytes > 0, bypass_flows FROM hosts WHERE addr = '10.0.0.60'")" \
   "1|2"
eq "a flow to itself is no bypass" \
   "$(sql "SELECT count(*) FROM hosts WHERE addr = '10.0.0.61'")" 0
eq "a rejected flow carried nothing" \
   "$(sql "SELECT count(*) FROM hosts WHERE addr = '10.0.0.62'")" 0
eq "a global IPv6 client of a public DoH resolver is a host" \
   "$(sql "SELECT h.addr, r.code FROM hosts h JOIN host_reasons r ON
           r.host_id = h.id WHERE h.addr = '2600:1f18:abcd::5'")" \
   "2600:1f18:abcd::5|doh"
run hosts --format json --limit 0
grep -F '"host":"10.0.0.50"' "$WORK/out" >"$WORK/cafe.json"
has "UTF-8 in JSON as code points" "$WORK/cafe.json" '"instance_id":"i-caf\u00e9"'
run domains --host 10.0.0.21 --format csv
eq "an instance id equal to an address: the address wins" \
   "$(sed 1d "$WORK/out" | grep -c '\.biz,')|$(grep -c example.org "$WORK/out")" \
   "30|0"
run domains --host nosuch
eq "domains of an unknown host: exit 2" "$(rc)" 2
has "domains of an unknown host: says so" "$WORK/err" "no scored host is nosuch"

# Configurations that are wrong.
for bad in "[rules]|spike_fleet = 1.01|share" "[rules]|alert = 16|share" \
           "[weights]|doh = 5|between 0 and 1" "[r]|alert = 1|unknown section" \
           "[rules]|min_queries = -1|not a number" \
           "[noise]|lexical_allow = caf$(printf '\303\251').com|ASCII"; do
    printf '%s\n' "$bad" | cut -d'|' -f1,2 | tr '|' '\n' >"$WORK/bad.cfg"
    run score --config "$WORK/bad.cfg"
    eq "bad config '$bad': exit 3" "$(rc)" 3
    has "bad config '$bad': line 2 and why" "$WORK/err" \
        "bad.cfg:$( [ "${bad#\[r\]}" != "$bad" ] && echo 1 || echo 2):"
done
printf '\357\273\277[rules]\nmin_queries = 0\n' >"$WORK/bom.cfg"
run score --config "$WORK/bom.cfg" --quiet
eq "a byte-order mark, and min_queries 0: score exits 0" "$(rc)" 0
printf '[rules]\nalert = 0.123456789\n' >"$WORK/exact.cfg"
run config --config "$WORK/exact.cfg"
has "config prints numbers exactly" "$WORK/out" "alert = 0.123456789"
run score --since 2024-05-02 --until 2024-05-01
eq "an empty window: exit 2" "$(rc)" 2

# A store edited by hand: infinite numbers, a missing reason, absurd
# times. The views stay valid and escaped.
run score --quiet
sql "UPDATE hosts SET score = 9e999, bytes_per_query = -9e999,
     last_seen = -9223372036854775808 WHERE addr = '10.0.0.21';
     UPDATE domains SET dga_score = 9e999, first_seen = 9223372036854775807;
     DELETE FROM host_reasons WHERE rank = 1 AND host_id =
       (SELECT id FROM hosts WHERE addr = '10.0.0.23');
     UPDATE host_hours SET hour = 9223372036854775807 WHERE host_id =
       (SELECT id FROM hosts WHERE addr = '10.0.0.23');
     UPDATE host_reasons SET evidence = '{\"a\": [' WHERE rank = 2"
run hosts --format json --limit 0
eq "edited store: hosts json exits 0" "$(rc)" 0
n=0
bad=0
while IFS= read -r line; do
    n=$((n + 1))
    printf '%s' "$line" >"$WORK/line.json"
    v=$(sqlite3 :memory: "SELECT json_valid(readfile('$WORK/line.json'))")
    [ "$v" = 1 ] || bad=$((bad + 1))
done <"$WORK/out"
eq "edited store: every one of $n JSON lines is valid" "$bad" 0
run domains --format json --limit 0
printf '%s' "$(head -1 "$WORK/out")" >"$WORK/line.json"
eq "edited store: domains json is valid" \
   "$(sqlite3 :memory: "SELECT json_valid(readfile('$WORK/line.json'))")" 1
run explain 10.0.0.23
eq "edited store: explain exits 0" "$(rc)" 0
run explain 10.0.0.21
has "edited store: an absurd time shows as -" "$WORK/out" ".. -"
run hosts --format csv --limit 0
eq "edited store: hosts csv exits 0" "$(rc)" 0

# Two domains with one 64-bit hash as the scorer computes it (fnv1a()
# in core/util.c; found by a cycle search, as an attacker could to hide
# a name in another's entry): each is its own domain, with its own
# queries and hosts.
fresh
{
    for t in 01 02 03; do
        r53 2024-05-01T10:00:${t}Z www.orfvr6uri6opa.com. 10.0.0.71
    done
    for t in 04 05; do
        r53 2024-05-01T10:00:${t}Z www.4o35cqxtmkvwa.com. 10.0.0.72
    done
} >"$WORK/fnv.jsonl"
"$DNSHUNT" import --quiet "$WORK/fnv.jsonl"
run score --quiet
eq "one hash, two domains: score exits 0" "$(rc)" 0
eq "one hash, two domains: each kept apart" \
   "$(sql "SELECT domain, queries, hosts FROM domains ORDER BY domain")" \
   "4o35cqxtmkvwa.com|2|1
orfvr6uri6opa.com|3|1"
eq "one hash, two domains: each host asked its own" \
   "$(sql "SELECT h.addr, d.domain FROM host_domains x
           JOIN hosts h ON h.id = x.host_id
           JOIN domains d ON d.id = x.domain_id ORDER BY h.addr")" \
   "10.0.0.71|orfvr6uri6opa.com
10.0.0.72|4o35cqxtmkvwa.com"

# Two hosts whose addresses share that hash: two hosts.
fresh
a6=fd00:99da:9ee2:8342:9b5f:86e9:8000:8000
b6=fd00:94f3:9672:8766:9e11:8798:8000:8000
{
    for t in 01 02 03; do r53 2024-05-01T10:00:${t}Z a.example.com. $a6; done
    for t in 04 05; do r53 2024-05-01T10:00:${t}Z b.example.com. $b6; done
} >"$WORK/fnv6.jsonl"
"$DNSHUNT" import --quiet "$WORK/fnv6.jsonl"
run score --quiet
eq "one hash, two hosts: each kept apart" \
   "$(sql "SELECT addr, queries FROM hosts ORDER BY addr")" "$b6|2
$a6|3"
run explain "$b6"
has "one hash, two hosts: the second explained as a host" "$WORK/out" \
    "queries       2 (NXDOMAIN 2, TXT 0), 1 domains"
