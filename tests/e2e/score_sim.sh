#!/bin/sh
# The simulated day of `dnshunt simulate` ranked by `dnshunt score`:
# every attacked host (from truth.json) in the top 10, no other host
# alerts, the beacon behind the VPC's own resolver is attributed to its
# host, and the tunnel is flagged on its first minute of data.
. "$(dirname "$0")/lib.sh"

"$DNSHUNT" simulate --out "$WORK/day" >/dev/null
"$DNSHUNT" import --quiet "$WORK/day/AWSLogs"
run score
eq "score the simulated day: exit 0" "$(rc)" 0

# truth.json as rows of (attack, host) through SQLite's JSON functions.
truth() {
    sqlite3 -batch :memory: "SELECT json_extract(value, '\$.attack') || ' '
        || json_extract(value, '\$.host') FROM json_each(
        json_extract(readfile('$WORK/day/truth.json'), '\$.attacks'))"
}
truth >"$WORK/truth"
eq "seven attacks in the truth file" "$(wc -l <"$WORK/truth")" 7
hit=0
while read -r attack host; do
    r=$(sql "SELECT count(*) + 1 FROM hosts WHERE score >
             (SELECT score FROM hosts WHERE addr = '$host')")
    if [ "$r" -le 10 ]; then ok "$attack host $host ranks $r"
    else notok "$attack host $host in the top 10" "rank $r"; fi
    a=$(sql "SELECT alert FROM hosts WHERE addr = '$host'")
    eq "$attack host alerts" "$a" 1
    hit=$((hit + a))
done <"$WORK/truth"
q=$(sql "SELECT count(*) FROM queries")
all=$(sql "SELECT count(*) FROM hosts WHERE alert")
eq "false alerts: none in $q queries (target: 3 per million)" \
   "$((all - hit))" 0
beacon=$(awk '$1 == "beacon" { print $2 }' "$WORK/truth")
eq "the beacon is attributed to its host through the resolver" \
   "$(sql "SELECT count(*) FROM host_domains hd JOIN hosts h
           ON h.id = hd.host_id WHERE h.addr = '$beacon'
           AND hd.attributed_from = '10.0.1.10'")" 1
eq "the resolver is a resolver, and does not alert" \
   "$(sql "SELECT role, alert FROM hosts WHERE addr = '10.0.1.10'")" \
   "resolver|0"

# Each alert's span is that of the attack, where the truth file gives one.
sqlite3 -batch :memory: "SELECT json_extract(value, '\$.host') || ' ' ||
        json_extract(value, '\$.first') || ' ' ||
        json_extract(value, '\$.last') FROM json_each(json_extract(
        readfile('$WORK/day/truth.json'), '\$.attacks'))
        WHERE json_extract(value, '\$.first') IS NOT NULL" >"$WORK/spans"
while read -r host first last; do
    eq "the alert of $host spans its attack" \
       "$(sql "SELECT strftime('%Y-%m-%dT%H:%M:%SZ', alert_first / 1000,
               'unixepoch') || ' ' || strftime('%Y-%m-%dT%H:%M:%SZ',
               alert_last / 1000, 'unixepoch') FROM hosts
               WHERE addr = '$host'")" "$first $last"
done <"$WORK/spans"

# The tunnel's first minute alone.
tunnel=$(awk '$1 == "tunnel" { print $2 }' "$WORK/truth")
first=$(sqlite3 -batch :memory: "SELECT json_extract(value, '\$.first')
        FROM json_each(json_extract(readfile('$WORK/day/truth.json'),
        '\$.attacks')) WHERE json_extract(value, '\$.attack') = 'tunnel'")
until=$(sqlite3 -batch :memory: "SELECT strftime('%Y-%m-%dT%H:%M:%SZ',
        '$first', '+60 seconds')")
run score --since "$first" --until "$until"
eq "the tunnel's first minute: its host alerts" \
   "$(sql "SELECT group_concat(addr) FROM hosts WHERE alert")" "$tunnel"
eq "the tunnel's first minute: a tunnel reason" \
   "$(sql "SELECT code FROM host_reasons r JOIN hosts h ON h.id = r.host_id
           WHERE h.addr = '$tunnel' AND rank = 1")" "dns-tunnel"

# Another day, where the exfiltrating host also asks its domain plainly:
# the alert spans the encoded queries only.
"$DNSHUNT" simulate --seed 2 --out "$WORK/day2" >/dev/null
DNSHUNT_DB="$WORK/s2.db" "$DNSHUNT" import --quiet "$WORK/day2/AWSLogs"
DNSHUNT_DB="$WORK/s2.db" "$DNSHUNT" score --quiet
sqlite3 -batch :memory: "SELECT json_extract(value, '\$.host') || ' ' ||
        json_extract(value, '\$.first') || ' ' ||
        json_extract(value, '\$.last') FROM json_each(json_extract(
        readfile('$WORK/day2/truth.json'), '\$.attacks'))
        WHERE json_extract(value, '\$.attack') = 'txtexfil'" |
while read -r host first last; do
    eq "seed 2: the exfiltration alert of $host spans its attack" \
       "$(sqlite3 "$WORK/s2.db" "SELECT strftime('%Y-%m-%dT%H:%M:%SZ',
               alert_first / 1000, 'unixepoch') || ' ' ||
               strftime('%Y-%m-%dT%H:%M:%SZ', alert_last / 1000,
               'unixepoch') FROM hosts WHERE addr = '$host'")" \
       "$first $last"
done
