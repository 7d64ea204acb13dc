#!/bin/sh
# The MISP event and the Sigma rules: every property MISP's core format
# asks for, hostile names kept intact and typed right, TLP levels, and
# Sigma rules that parse as YAML with the thresholds in force.
. "$(dirname "$0")/lib.sh"

F="$WORK/fx"
mkdir -p "$F"
awk -v out="$F" -f "$TOP/tests/e2e/score_fixture.awk"
"$DNSHUNT" import --quiet "$F/dns.jsonl" "$F/flow.log"
"$DNSHUNT" score --quiet
export DNSHUNT_NOW=2024-05-02T10:00:00Z
long="$(printf 'a%.0s' $(seq 63)).$(printf 'b%.0s' $(seq 63)).$(printf 'c%.0s' $(seq 63)).$(printf 'd%.0s' $(seq 57)).com"
"$DNSHUNT" mark domain tunnel-example.com tp --note 'iodine "x" \ y' \
    >/dev/null
"$DNSHUNT" mark domain "it's.x_y.evil-example.com" tp >/dev/null
"$DNSHUNT" mark domain "$long" tp >/dev/null
"$DNSHUNT" mark domain sophosxl.net fp >/dev/null

# --- MISP ---
run export misp --out "$WORK/e.json"
eq "export misp: exit 0" "$(rc)" 0
has "export misp: three indicators" "$WORK/err" "3 indicators exported"
j() { sqlite3 -batch :memory: "$1" 2>&1; }
E="readfile('$WORK/e.json')"
eq "the event is valid JSON" "$(j "SELECT json_valid($E)")" 1
eq "the event's required properties, as strings" \
   "$(j "SELECT json_type($E, '\$.Event.uuid'), json_extract($E,
         '\$.Event.info'), json_extract($E, '\$.Event.date'),
         json_type($E, '\$.Event.timestamp'), json_extract($E,
         '\$.Event.timestamp'), json_type($E, '\$.Event.published'),
         json_extract($E, '\$.Event.threat_level_id'),
         json_extract($E, '\$.Event.Orgc.name')")" \
   "text|dnshunt: 3 DNS indicators confirmed by analysts|2024-05-02|text|1714644000|false|2|dnshunt"
eq "the uuid is a version 4 UUID" \
   "$(j "SELECT json_extract($E, '\$.Event.uuid') GLOB
         '[0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f]-[0-9a-f][0-9a-f][0-9a-f][0-9a-f]-4*'")" 1
eq "the event's tags: TLP amber, then the techniques" \
   "$(j "SELECT group_concat(json_extract(value, '\$.name'), ' | ') FROM
         json_each($E, '\$.Event.Tag')")" \
   'tlp:amber | misp-galaxy:mitre-attack-pattern="Protocol Tunneling - T1572"'
eq "a name the last scoring never saw: no technique guessed, said so" \
   "$(j "SELECT json_array_length(value, '\$.Tag') || ' ' ||
         json_extract(value, '\$.comment') FROM json_each($E,
         '\$.Event.Attribute') WHERE json_extract(value, '\$.value') LIKE
         'it%'")" \
   "0 Marked a true positive by $(id -un). Not in the last scoring of this store; not a valid hostname, kept as text."
cp "$WORK/e.json" "$WORK/e1.json"
"$DNSHUNT" export misp --out "$WORK/e.json" 2>/dev/null
eq "attribute ids stay the same from one export to the next" \
   "$(j "SELECT group_concat(json_extract(value, '\$.uuid')) FROM
         json_each(readfile('$WORK/e1.json'), '\$.Event.Attribute')")" \
   "$(j "SELECT group_concat(json_extract(value, '\$.uuid')) FROM
         json_each($E, '\$.Event.Attribute')")"
A="FROM json_each($E, '\$.Event.Attribute') WHERE 1"
eq "attributes: type by what the name is" \
   "$(j "SELECT group_concat(json_extract(value, '\$.type') || ' ' ||
         json_extract(value, '\$.to_ids') || ' ' ||
         substr(json_extract(value, '\$.value'), 1, 20), ' | ') $A")" \
   "hostname 1 aaaaaaaaaaaaaaaaaaaa | text 0 it's.x_y.evil-exampl | domain 1 tunnel-example.com"
eq "the 253-character name is kept whole" \
   "$(j "SELECT length(json_extract(value, '\$.value')) $A AND
         json_extract(value, '\$.value') LIKE 'aaa%'")" 253
eq "the analyst's note, quotes and backslash intact" \
   "$(j "SELECT json_extract(value, '\$.comment') $A AND
         json_extract(value, '\$.value') = 'tunnel-example.com'")" \
   "Marked a true positive by $(id -un): iodine \"x\" \\ y. dga_score 0.005, tunnel_score 0.875, 60 queries from 1 host."
eq "every attribute: category, distribution, uuid, seen times" \
   "$(j "SELECT count(*) $A AND json_extract(value, '\$.category') =
         'Network activity' AND json_extract(value, '\$.distribution') =
         '5' AND length(json_extract(value, '\$.uuid')) = 36 AND
         (json_extract(value, '\$.first_seen') IS NULL OR
          json_extract(value, '\$.first_seen') <=
          json_extract(value, '\$.last_seen'))")" 3
eq "the tunnel's attribute: first and last seen from the logs" \
   "$(j "SELECT json_extract(value, '\$.first_seen') || ' ' ||
         json_extract(value, '\$.last_seen') $A AND
         json_extract(value, '\$.value') = 'tunnel-example.com'")" \
   "$(sql "SELECT strftime('%Y-%m-%dT%H:%M:%S.000Z', first_seen / 1000,
           'unixepoch') || ' ' || strftime('%Y-%m-%dT%H:%M:%S.000Z',
           last_seen / 1000, 'unixepoch') FROM domains
           WHERE domain = 'tunnel-example.com'")"
run export misp --tlp red
eq "--tlp red" "$(j "SELECT json_extract('$(out | sed "s/'/''/g")',
                 '\$.Event.Tag[0].name')")" "tlp:red"
run export misp --tlp purple
eq "an unknown TLP level: exit 2" "$(rc)" 2
has "an unknown TLP level: the levels" "$WORK/err" \
    "clear, green, amber, amber+strict or red"
run export misp --ttl 3
eq "an option of another form: exit 2" "$(rc)" 2

# --- Sigma ---
printf '[rules]\ndns_bytes_day = 2500000\ntunnel_score = 0.6\ndga_threshold = 0.95\n[network]\nresolvers = 10.0.0.2 10.0.0.3\n' \
    >"$WORK/cfg"
run export sigma --config "$WORK/cfg" --out "$WORK/rules.yml"
eq "export sigma: exit 0" "$(rc)" 0
has "export sigma: six rules" "$WORK/err" "6 Sigma rules exported"
/usr/bin/python3 - "$WORK/rules.yml" >"$WORK/py" 2>&1 <<'PY'
import sys, yaml
docs = list(yaml.safe_load_all(open(sys.argv[1])))
for d in docs:
    for key in ("title", "id", "name", "status", "description", "level",
                "tags", "date"):
        assert key in d, (d.get("name"), key)
    assert "detection" in d or "correlation" in d, d["name"]
    assert "logsource" in d or "correlation" in d, d["name"]
    if "detection" in d:
        assert "condition" in d["detection"], d["name"]
    print(d["name"], d["level"], " ".join(d["tags"]))
by = {d["name"]: d for d in docs}
c = by["dnshunt_dns_volume"]["correlation"]
print("volume", c["type"], c["rules"], c["group-by"], c["timespan"],
      c["condition"])
b = by["dnshunt_resolver_bypass"]["detection"]
print("bypass", b["condition"], b["to_resolver"]["dstaddr"])
print("dga", by["dnshunt_dga_domain"]["detection"]["selection"])
print("tunnel", by["dnshunt_dns_tunnel_domain"]["detection"]["selection"])
print("ids", len(set(d["id"] for d in docs)))
PY
eq "the rules parse as YAML with the thresholds in force" "$(cat "$WORK/py")" \
"dnshunt_dns_flows informational attack.command-and-control attack.t1071.004
dnshunt_dns_volume high attack.exfiltration attack.t1048.003
dnshunt_resolver_bypass medium attack.command-and-control attack.t1071.004 attack.t1090
dnshunt_doh low attack.command-and-control attack.t1071.001 attack.t1090
dnshunt_dga_domain high attack.command-and-control attack.t1568.002
dnshunt_dns_tunnel_domain high attack.command-and-control attack.t1572
volume value_sum ['dnshunt_dns_flows'] ['srcaddr'] 1d {'field': 'bytes', 'gt': 2500000}
bypass dns and not to_resolver and not from_resolver ['10.0.0.2', '10.0.0.3']
dga {'dga_score|gte': 0.95}
tunnel {'tunnel_score|gte': 0.6}
ids 6"
run export sigma --out "$WORK/rules2.yml" --config "$WORK/cfg"
eq "the same configuration gives the same rules" \
   "$(cmp "$WORK/rules.yml" "$WORK/rules2.yml" && echo same)" same
run export sigma --config "$WORK/nosuch"
eq "a missing configuration file: exit 2" "$(rc)" 2
