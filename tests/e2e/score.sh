#!/bin/sh
# dnshunt score, hosts, domains, alerts, explain and config on a
# hand-built day (tests/e2e/score_fixture.awk): every noise case stays
# quiet, every attack shape alerts with its reason, and the scores are
# exact.
. "$(dirname "$0")/lib.sh"

F="$WORK/fx"
mkdir -p "$F"
awk -v out="$F" -f "$TOP/tests/e2e/score_fixture.awk"
# A name with a terminal escape sequence (ESC ] 0 ; title BEL).
printf '%s\n' '{"version":"1.100000","account_id":"111122223333","region":"us-east-1","vpc_id":"vpc-0a1b2c3d","query_timestamp":"2024-05-01T12:00:00Z","query_name":"\u001b]0;owned\u0007x.evil-title.com.","query_type":"A","query_class":"IN","rcode":"NXDOMAIN","answers":[],"srcaddr":"10.0.0.40","srcport":"5353","transport":"UDP","srcids":{}}' >"$F/hostile.jsonl"
printf '[noise]\nlexical_allow += allowed-example.net\n' >"$F/cfg"

"$DNSHUNT" import --quiet "$F/dns.jsonl" "$F/flow.log" "$F/hostile.jsonl"
eq "fixture imported" "$?" 0

run hosts
eq "hosts before scoring: exit 3" "$(rc)" 3
has "hosts before scoring says to score" "$WORK/err" "dnshunt score"

run score --config "$F/cfg"
eq "score exits 0" "$(rc)" 0
has "score summary" "$WORK/out" \
    "scored 8167 queries and 1396 DNS flows: 79 hosts, 207 domains, 10 alerts (96 queries attributed through resolvers)"

alert() { sql "SELECT alert FROM hosts WHERE addr = '$1'"; }
top() { sql "SELECT code FROM host_reasons r JOIN hosts h ON h.id = r.host_id
             WHERE h.addr = '$1' AND rank = 1"; }
codes() { sql "SELECT group_concat(code) FROM (SELECT code FROM host_reasons r
               JOIN hosts h ON h.id = r.host_id WHERE h.addr = '$1'
               ORDER BY rank)"; }

# --- Noise that must not alert ---
eq "CDN and cloud labels: no alert" "$(alert 10.0.0.11)" 0
eq "CDN and cloud labels: no reason at all" "$(codes 10.0.0.11)" ""
eq "browser canaries: no reason" "$(codes 10.0.0.12)" ""
eq "mail relay (SPF, DKIM, DMARC, blocklists): no reason" \
   "$(codes 10.0.0.13)" ""
eq "reverse look-ups: no reason" "$(codes 10.0.0.14)" ""
eq "search-path NXDOMAIN: no reason" "$(codes 10.0.0.15)" ""
eq "search-path NXDOMAIN counted apart" \
   "$(sql "SELECT sum(hh.searchpath_nx), sum(hh.nxdomain) FROM host_hours hh
           JOIN hosts h ON h.id = hh.host_id WHERE h.addr = '10.0.0.15'")" \
   "300|0"
eq "security agent hashed look-ups: no reason" "$(codes 10.0.0.16)" ""
eq "busy server: no reason" "$(codes 10.0.0.17)" ""
eq "occasional outside resolver: low, no alert" \
   "$(codes 10.0.0.18)|$(alert 10.0.0.18)" "resolver-bypass|0"
eq "browser DoH now and then: low, no alert" \
   "$(codes 10.0.0.19)|$(alert 10.0.0.19)" "doh|0"
eq "Zeek's hash look-ups at Team Cymru: no reason" "$(codes 10.0.0.32)" ""
eq "a health check to the second: a medium beacon, no alert" \
   "$(codes 10.0.0.33)|$(alert 10.0.0.33)" "dns-beacon|0"
eq "a load balancer's CNAME and addresses: no bytes-per-query" \
   "$(codes 10.0.0.34)|$(alert 10.0.0.34)" "dns-beacon|0"
eq "hyphenated service hostnames: no tunnel" \
   "$(sql "SELECT tunnel_hits, alert FROM hosts WHERE addr = '10.0.0.35'")" "0|0"
eq "the fleet: no alert" \
   "$(sql "SELECT count(*) FROM hosts WHERE addr LIKE '10.0.1.%' AND score > 0")" 0
eq "the custom resolver is recognised" \
   "$(sql "SELECT role, alert FROM hosts WHERE addr = '10.0.0.53'")" \
   "resolver|0"
eq "the noise lists mark domains" \
   "$(sql "SELECT noise FROM domains WHERE domain = 'sophosxl.net'")" \
   "security-agent"

# --- Attacks that must alert, each with its reason ---
for x in "10.0.0.21 dga" "10.0.0.22 nx-domains" "10.0.0.23 dns-tunnel" \
         "10.0.0.24 dns-exfil" "10.0.0.25 dns-tunnel" \
         "10.0.0.26 resolver-bypass" "10.0.0.27 doh" "10.0.0.36 dns-exfil" \
         "10.0.0.37 dns-tunnel" "10.0.0.38 dns-tunnel"
do
    set -- $x
    eq "attack $1 alerts with $2" "$(alert $1)|$(top $1)" "1|$2"
done
eq "a lone jittered beacon: medium, the top reason, no alert alone" \
   "$(top 10.0.0.28)|$(sql "SELECT severity, alert FROM hosts WHERE addr = '10.0.0.28'")" \
   "dns-beacon|medium|0"
eq "the tunnel under an allow-listed parent still alerts" \
   "$(sql "SELECT domain FROM host_reasons r JOIN hosts h ON h.id = r.host_id
           WHERE h.addr = '10.0.0.25' AND rank = 1")" "allowed-example.net"
eq "fast flux is reported, as a medium" \
   "$(codes 10.0.0.31)|$(sql "SELECT severity FROM hosts WHERE addr = '10.0.0.31'")" \
   "fast-flux|medium"
eq "fast flux evidence" \
   "$(sql "SELECT json_extract(evidence, '\$.addresses'),
           json_extract(evidence, '\$.networks_16') FROM host_reasons r
           JOIN hosts h ON h.id = r.host_id WHERE h.addr = '10.0.0.31'")" \
   "30|30"
eq "the beacon is attributed through the resolver" \
   "$(sql "SELECT hd.attributed_from, hd.queries FROM host_domains hd
           JOIN hosts h ON h.id = hd.host_id WHERE h.addr = '10.0.0.28'")" \
   "10.0.0.53|96"
eq "techniques of the reasons" \
   "$(sql "SELECT group_concat(code || '=' || technique, ' ') FROM
           (SELECT DISTINCT code, technique FROM host_reasons r JOIN hosts h
            ON h.id = r.host_id WHERE r.rank = 1 AND r.strength >= 0.5
            ORDER BY code)")" \
   "dga=T1568.002 dns-beacon=T1071.004 dns-exfil=T1048.003 dns-tunnel=T1572 doh=T1071.001 fast-flux=T1568.001 nx-domains=T1568.002 resolver-bypass=T1090"

# --- Exact scores ---
run hosts --format csv --limit 17
eq "hosts csv: exit 0" "$(rc)" 0
eq "scores, exact" "$(cut -d, -f2,5,6 "$WORK/out" | sed -n 2,18p | tr '\n' ' ')" \
   "10.0.0.21,1.0000,critical 10.0.0.25,0.9914,critical 10.0.0.22,0.9901,critical 10.0.0.26,0.9800,critical 10.0.0.38,0.9776,critical 10.0.0.23,0.9737,critical 10.0.0.37,0.9695,critical 10.0.0.24,0.9633,critical 10.0.0.27,0.8640,high 10.0.0.36,0.8125,high 10.0.0.28,0.6500,medium 10.0.0.34,0.6500,medium 10.0.0.35,0.6500,medium 10.0.0.33,0.5500,medium 10.0.0.31,0.5000,medium 10.0.0.19,0.3000,low 10.0.0.18,0.2000,low "
eq "bypass strength: 0.2 + 0.75 for 600 packets of 230 bytes" \
   "$(sql "SELECT code, strength FROM host_reasons r JOIN hosts h ON
           h.id = r.host_id WHERE h.addr = '10.0.0.26' ORDER BY rank")" \
   "resolver-bypass|0.95
bytes-per-query|0.6"
eq "dictionary DGA figures" \
   "$(sql "SELECT json_extract(evidence, '\$.nx_domains'),
           json_extract(evidence, '\$.domains') FROM host_reasons r JOIN hosts h
           ON h.id = r.host_id WHERE h.addr = '10.0.0.22' AND code = 'nx-domains'")" \
   "38|38"
eq "tunnel's first minute: 60 names of 108 base32 symbols, 4,050 bytes" \
   "$(sql "SELECT json_extract(evidence, '\$.encoded_names'),
           json_extract(evidence, '\$.payload_bytes') FROM host_reasons r
           JOIN hosts h ON h.id = r.host_id WHERE h.addr = '10.0.0.23'
           AND rank = 1")" "60|4050"

# --- Output forms ---
run hosts --format json
eq "hosts json: one line per host" "$(wc -l <"$WORK/out")" 79
head -1 "$WORK/out" >"$WORK/one.json"
eq "hosts json is valid JSON" \
   "$(sqlite3 :memory: "SELECT json_valid(readfile('$WORK/one.json'))")" 1
for k in '"host":"10.0.0.21"' '"instance_id":null' '"severity":"critical"' \
         '"alert":true' '"reasons":[{"code":"dga","technique":"T1568.002"' \
         '"evidence":{"dga_domains":30' '"domains":[{"domain":"' \
         '"tunnel_score":' '"first_seen":"2024-05-01T'; do
    has "hosts json has $k" "$WORK/one.json" "$k"
done
run domains --format json --limit 1
has "domains json: the most suspicious first (the busiest tunnel)" \
    "$WORK/out" '"domain":"x7-exfil.io"'
run domains --format csv --limit 12
eq "domains: busy tunnels first, then one-query DGA names" \
   "$(cut -d, -f2 "$WORK/out" | sed 1d | head -7 | tr '\n' ' ')" \
   "x7-exfil.io underscore-example.net cdnsync-example.net tunnel-example.com yjwtmnksgixo.biz nvnasppxmihqhc.biz fvhgpehnwxhckpc.biz "
eq "domains: an allow-listed tunnel parent is ranked with the noise" \
   "$(grep -c 'allowed-example.net' "$WORK/out")" 0
run domains --host 10.0.0.23 --format csv
eq "one host's domains" "$(sed -n 2p "$WORK/out" | cut -d, -f2,7,8)" \
   "tunnel-example.com,1,60"
run alerts
eq "alerts: 10 rows and a header" "$(wc -l <"$WORK/out")" 11
eq "alerts: the span of the evidence" \
   "$(sed -n 2p "$WORK/out" | cut -c1-99)" \
   "  1  1.000  critical  10.0.0.21       -                   2024-05-01T00:00:00Z 2024-05-01T09:40:00Z"
run alerts --format csv
eq "alerts csv: the span of the evidence" \
   "$(sed -n 2p "$WORK/out" | awk -F, '{ print $2 "," $(NF-1) "," $NF }')" \
   "10.0.0.21,2024-05-01T00:00:00Z,2024-05-01T09:40:00Z"
hasnt "no formula cells in CSV" "$WORK/out" ",="

# --- Explanations ---
run explain 10.0.0.28
eq "explain host: exit 0" "$(rc)" 0
has "explain host: the reason" "$WORK/out" "dns-beacon       T1071.004"
has "explain host: the resolver" "$WORK/out" \
    "seen through resolver 10.0.0.53, whose queries match this host's DNS flows 96 of 96 times"
run explain tunnel-example.com
has "explain domain: tunnel figures" "$WORK/out" \
    "tunnel_score  0.875: 60 unique subdomains, mean 108.0 characters"
has "explain domain: the host" "$WORK/out" "10.0.0.23"
has "explain domain: then the lexical model" "$WORK/out" "base rate"
run explain google.com
has "explain of an unknown name: the lexical model" "$WORK/out" "dga_score"

# --- Hostile names never reach the terminal raw ---
for c in "hosts --limit 0" "domains --limit 0" "explain 10.0.0.40" \
         "explain evil-title.com" "hosts --format csv" "domains --format json"
do
    run $c
    nobyte "no ESC in '$c'" "$WORK/out" 033
    nobyte "no BEL in '$c'" "$WORK/out" 007
done

# --- Configuration ---
run config
eq "config: exit 0" "$(rc)" 0
cp "$WORK/out" "$WORK/printed.cfg"
run config --config "$WORK/printed.cfg"
eq "printed config reads back the same" \
   "$(sed 1d "$WORK/out")" "$(sed 1d "$WORK/printed.cfg")"
printf '[rules]\nalert = 0.7\nbogus = 1\n' >"$WORK/bad.cfg"
run score --config "$WORK/bad.cfg"
eq "bad config: exit 3" "$(rc)" 3
has "bad config: file and line" "$WORK/err" "bad.cfg:3: unknown key 'bogus'"
printf '[rules]\nalert = 0.95\n' >"$WORK/strict.cfg"
run score --config "$WORK/strict.cfg" --quiet
eq "a stricter alert threshold alerts less" \
   "$(sql "SELECT count(*) FROM hosts WHERE alert")" 8
printf '[weights]\ndoh = 0\n' >"$WORK/w.cfg"
run score --config "$WORK/w.cfg" --quiet
eq "a weight of 0 silences a reason" "$(alert 10.0.0.27)" 0

# --- Windows, re-scoring, staleness ---
run score --since 2024-05-01T06:00:00Z --until 2024-05-01T06:01:00Z
eq "one minute: only the tunnel alerts" \
   "$(sql "SELECT group_concat(addr) FROM hosts WHERE alert")" "10.0.0.23"
run score --since yesterday
eq "bad time: exit 2" "$(rc)" 2
awk 'BEGIN { for (i = 0; i < 25; i++) {
    n = ""; s = i * 7 + 3
    for (k = 0; k < 14; k++) { s = (s * 16807) % 2147483647
        n = n substr("qwxzvkjhgfdpmnbc", s % 16 + 1, 1) }
    printf "{\"version\":\"1.100000\",\"account_id\":\"1\",\"region\":\"r\",\"vpc_id\":\"v\",\"query_timestamp\":\"2024-05-01T13:%02d:00Z\",\"query_name\":\"%s.info.\",\"query_type\":\"A\",\"query_class\":\"IN\",\"rcode\":\"NXDOMAIN\",\"answers\":[],\"srcaddr\":\"10.0.0.41\",\"srcport\":\"1\",\"transport\":\"UDP\",\"srcids\":{}}\n", i, n } }' \
    >"$F/later.jsonl"
"$DNSHUNT" import --quiet "$F/later.jsonl"
run hosts
eq "hosts after a new import: exit 1" "$(rc)" 1
has "hosts after a new import: says so" "$WORK/err" \
    "imported after the last scoring"
run score --quiet
eq "re-scoring picks up the new host" "$(alert 10.0.0.41)|$(top 10.0.0.41)" \
   "1|dga"
run hosts
eq "hosts after re-scoring: exit 0" "$(rc)" 0

# --- An empty store ---
DNSHUNT_DB="$WORK/empty.db" "$DNSHUNT" import --quiet /dev/null 2>/dev/null
DNSHUNT_DB="$WORK/empty.db" run score
has "empty store scores" "$WORK/out" "scored 0 queries and 0 DNS flows: 0 hosts"
DNSHUNT_DB="$WORK/empty.db" run hosts
has "empty store: no hosts" "$WORK/out" "(no hosts)"
