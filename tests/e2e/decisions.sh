#!/bin/sh
# Allow-lists, verdicts and the STIX export: entries and what they hide,
# their text form round trip, scoring with them, verdicts, and a bundle
# with every required property and patterns escaped for hostile names.
. "$(dirname "$0")/lib.sh"

F="$WORK/fx"
mkdir -p "$F"
awk -v out="$F" -f "$TOP/tests/e2e/score_fixture.awk"
"$DNSHUNT" import --quiet "$F/dns.jsonl" "$F/flow.log"
"$DNSHUNT" score --quiet
before=$(sql "SELECT count(*) FROM queries")

# --- Allow-list entries ---
run allow add suffix CloudFront.NET. --reason "CDN labels"
eq "allow add: exit 0" "$(rc)" 0
has "allow add: what it covers, lexical for names by default" "$WORK/out" \
    "entry 1: suffix cloudfront.net (lexical). In the last scoring it covers 41 domains (70 queries) and 0 hosts (0 alerting)"
run allow add host 10.0.0.27 --reason "our DoH proxy" --expires 2099-01-01
has "allow add host: the alerting host it would hide" "$WORK/out" \
    "covers 1 hosts (1 queries, 1 alerting)"
run allow add cidr 10.0.1.7/24
has "allow add cidr: the network, canonical" "$WORK/out" "cidr 10.0.1.0/24 (all)"
run allow add registrable docker-hub.io --scope all
run allow add exact stale.example.org --expires 2001-01-01
eq "an expiry already past: exit 2" "$(rc)" 2
has "an expiry already past: why" "$WORK/err" "that expiry is already past"
# an entry made back then, now expired
DNSHUNT_NOW=2000-06-01T00:00:00Z "$DNSHUNT" allow add exact \
    stale.example.org --expires 2001-01-01 >/dev/null
run allow add suffix 'bad name'
eq "a name with a space: exit 2" "$(rc)" 2
run allow add cidr 10.0.0.0/33
eq "a network too long: exit 2" "$(rc)" 2
run allow add nonsense x
has "an unknown kind: the kinds" "$WORK/err" "the kinds are exact, suffix"
run allow list
eq "allow list: five entries" "$(sed 1d "$WORK/out" | wc -l)" 5
has "allow list: expired" "$WORK/out" "stale.example.org                        lexical expired"
has "allow list: active with what it covers" "$WORK/out" "cloudfront.net                           lexical active       41"
eq "every change is audited" "$(sql "SELECT count(*) FROM audit_log")" 5

# --- Scoring with them ---
run score --quiet
eq "the allow-listed host is held at 0" \
   "$(sql "SELECT score, alert, top_reason FROM hosts WHERE addr = '10.0.0.27'")" \
   "0.0|0|allow-listed by entry 2 (host 10.0.0.27): its score is held at 0"
eq "its evidence is kept" \
   "$(sql "SELECT count(*) FROM host_reasons r JOIN hosts h ON h.id = r.host_id
           WHERE h.addr = '10.0.0.27' AND code = 'doh'")" 1
eq "the network's hosts are held at 0" \
   "$(sql "SELECT max(score) FROM hosts WHERE addr LIKE '10.0.1.%'")" "0.0"
eq "an all-signals domain is gone from scoring" \
   "$(sql "SELECT count(*) FROM domains WHERE domain = 'docker-hub.io'")" 0
eq "a lexical one stays, marked" \
   "$(sql "SELECT noise FROM domains WHERE domain = 'd1a2b3c4d5e6f7.cloudfront.net'")" \
   "lexical-allow"
eq "the logs are untouched" "$(sql "SELECT count(*) FROM queries")" "$before"

# --- The text form round trip ---
run allow export --out "$WORK/allow.txt"
eq "allow export: exit 0" "$(rc)" 0
has "allow export: one line an entry" "$WORK/allow.txt" \
    "suffix cloudfront.net lexical by="
has "allow export: the reason" "$WORK/allow.txt" "# CDN labels"
DNSHUNT_DB="$WORK/other.db" "$DNSHUNT" import --quiet "$F/dns.jsonl"
DNSHUNT_DB="$WORK/other.db" run allow import "$WORK/allow.txt"
has "allow import: all back" "$WORK/out" "5 entries imported"
DNSHUNT_DB="$WORK/other.db" run allow export
eq "the round trip is exact" "$(out)" "$(cat "$WORK/allow.txt")"
printf 'suffix ok.example lexical\nhost 999.1.1.1 all\n' >"$WORK/bad.txt"
DNSHUNT_DB="$WORK/other.db" run allow import "$WORK/bad.txt"
eq "a wrong line: exit 2" "$(rc)" 2
has "a wrong line: file and line" "$WORK/err" "bad.txt:2: an IPv4 or IPv6 address"
eq "a wrong file adds nothing" \
   "$(sqlite3 "$WORK/other.db" "SELECT count(*) FROM allow_entries")" 5
run allow rm 5
has "allow rm" "$WORK/out" "entry 5 removed"
run allow rm 5
eq "allow rm of nothing: exit 2" "$(rc)" 2

# --- Verdicts ---
run mark domain Tunnel-Example.com. tp --note "iodine on 10.0.0.23"
eq "mark: exit 0" "$(rc)" 0
run mark domain "it's.x_y.evil-example.com" tp --note 'quote "and" backslash'
run mark domain "$(printf 'a%.0s' $(seq 63)).$(printf 'b%.0s' $(seq 63)).$(printf 'c%.0s' $(seq 63)).$(printf 'd%.0s' $(seq 57)).com" tp
run mark domain sophosxl.net fp
run mark host 10.0.0.23 tp
run mark domain x.com maybe
eq "a wrong verdict: exit 2" "$(rc)" 2
run mark list
eq "mark list: five verdicts" "$(sed 1d "$WORK/out" | wc -l)" 5
run mark domain sophosxl.net benign
eq "a verdict replaced, not added" "$(sql "SELECT verdict FROM verdicts
    WHERE value = 'sophosxl.net'")" benign
"$DNSHUNT" score --quiet
eq "verdicts survive scoring" "$(sql "SELECT count(*) FROM verdicts")" 5

# --- The verdicts' text form round trip ---
run mark export --out "$WORK/verdicts.txt"
eq "mark export: exit 0" "$(rc)" 0
has "mark export: the note after #" "$WORK/verdicts.txt" \
    "domain tunnel-example.com tp by="
has "mark export: a hostile note kept on its line" "$WORK/verdicts.txt" \
    '# quote "and" backslash'
DNSHUNT_DB="$WORK/other.db" run mark import "$WORK/verdicts.txt"
has "mark import: all back" "$WORK/out" "5 verdicts imported"
DNSHUNT_DB="$WORK/other.db" run mark export
eq "the verdicts' round trip is exact" "$(out)" "$(cat "$WORK/verdicts.txt")"
# Byte for byte: odd analyst names, tabs, backslashes, invalid UTF-8.
USER='jane doe\corp#1' "$DNSHUNT" mark domain odd.example.com fp --note \
    "$(printf 'tab\there \\x41 back\\slash \377\376 \303\251 end')" \
    2>/dev/null
"$DNSHUNT" mark export --out "$WORK/odd.txt"
rm -f "$WORK/odd.db"
DNSHUNT_DB="$WORK/odd.db" "$DNSHUNT" mark import "$WORK/odd.txt" >/dev/null
eq "notes and analysts come back byte for byte" \
   "$(sqlite3 "$WORK/odd.db" "SELECT hex(note), analyst FROM verdicts
                              WHERE value = 'odd.example.com'")" \
   "$(sql "SELECT hex(note), analyst FROM verdicts
           WHERE value = 'odd.example.com'")"
has "the file line carries no raw control byte" "$WORK/odd.txt" \
    'by=jane\x20doe\\corp\x231'
# A line older than the store's verdict changes nothing; a newer one
# replaces it whole, note included.
printf 'domain odd.example.com tp by=old at=2001-01-01T00:00:00Z # old\n' \
    >"$WORK/older.txt"
DNSHUNT_DB="$WORK/odd.db" run mark import "$WORK/older.txt"
has "an older line is left out" "$WORK/out" "0 verdicts imported"
printf 'domain odd.example.com tp by=new at=2099-01-01T00:00:00Z\n' \
    >"$WORK/newer.txt"
DNSHUNT_DB="$WORK/odd.db" run mark import "$WORK/newer.txt"
eq "a newer line replaces the verdict, and its missing note clears it" \
   "$(sqlite3 "$WORK/odd.db" "SELECT verdict, coalesce(note, '-'), analyst
                              FROM verdicts WHERE value = 'odd.example.com'")" \
   "tp|-|new"
"$DNSHUNT" mark rm domain odd.example.com >/dev/null

printf 'domain ok.example tp\nhost 10.0.0.1 maybe\n' >"$WORK/badv.txt"
DNSHUNT_DB="$WORK/other.db" run mark import "$WORK/badv.txt"
eq "a wrong verdict line: exit 2" "$(rc)" 2
has "a wrong verdict line: file and line" "$WORK/err" \
    "badv.txt:2: the verdicts are tp, fp and benign"
printf 'domain ok.example tp expires=30d\n' >"$WORK/badv.txt"
DNSHUNT_DB="$WORK/other.db" run mark import "$WORK/badv.txt"
has "a verdict does not expire" "$WORK/err" "badv.txt:1: a verdict does not expire"
eq "wrong files add nothing" \
   "$(sqlite3 "$WORK/other.db" "SELECT count(*) FROM verdicts")" 5

# --- STIX ---
run export stix --out "$WORK/b.json" --ttl 3
eq "export stix: exit 0" "$(rc)" 0
has "export stix: three indicators" "$WORK/err" "3 indicators exported"
j() { sqlite3 -batch :memory: "$1" 2>&1; }
B="readfile('$WORK/b.json')"
eq "the bundle is valid JSON" "$(j "SELECT json_valid($B)")" 1
eq "a bundle of the right objects" \
   "$(j "SELECT json_extract($B, '\$.type'), group_concat(t || '=' || n, ' ')
         FROM (SELECT json_extract(value, '\$.type') AS t, count(*) AS n
         FROM json_each(json_extract($B, '\$.objects')) GROUP BY t)")" \
   "bundle|attack-pattern=2 domain-name=2 identity=1 indicator=3 relationship=3"
ind="FROM json_each(json_extract($B, '\$.objects')) WHERE json_extract(value, '\$.type') = 'indicator'"
eq "every indicator has the required properties" \
   "$(j "SELECT count(*) $ind AND json_extract(value, '\$.spec_version') = '2.1'
         AND json_extract(value, '\$.id') LIKE 'indicator--%'
         AND json_extract(value, '\$.created') LIKE '____-__-__T__:__:__.___Z'
         AND json_extract(value, '\$.modified') = json_extract(value, '\$.created')
         AND json_extract(value, '\$.pattern_type') = 'stix'
         AND json_extract(value, '\$.valid_from') IS NOT NULL
         AND julianday(json_extract(value, '\$.valid_until')) -
             julianday(json_extract(value, '\$.valid_from')) = 3
         AND json_extract(value, '\$.created_by_ref') LIKE 'identity--%'")" 3
eq "the pattern escapes quotes" \
   "$(j "SELECT json_extract(value, '\$.pattern') $ind AND
         json_extract(value, '\$.name') LIKE '%it''s%'")" \
   "[domain-name:value = 'it\\'s.x_y.evil-example.com']"
eq "no domain-name object for a name that is no hostname" \
   "$(j "SELECT count(*) FROM json_each(json_extract($B, '\$.objects'))
         WHERE json_extract(value, '\$.value') LIKE 'it%'")" 0
eq "a 253-character hostname gets one" \
   "$(j "SELECT length(json_extract(value, '\$.value')) FROM
         json_each(json_extract($B, '\$.objects')) WHERE
         json_extract(value, '\$.type') = 'domain-name' AND
         json_extract(value, '\$.value') LIKE 'aaa%'")" 253
eq "the tunnel's indicator: its technique and a confidence from its score" \
   "$(j "SELECT json_extract(value, '\$.external_references[0].external_id'),
         json_extract(value, '\$.kill_chain_phases[0].phase_name'),
         json_extract(value, '\$.confidence') $ind AND
         json_extract(value, '\$.pattern') LIKE '%tunnel-example.com%'")" \
   "T1572|command-and-control|88"
eq "the domain-name id is the UUIDv5 STIX gives" \
   "$(j "SELECT json_extract(value, '\$.id') FROM json_each(json_extract($B,
         '\$.objects')) WHERE json_extract(value, '\$.value') =
         'tunnel-example.com'")" \
   "domain-name--1942ffeb-c27b-508a-a726-a929b9e3dcad"  # Python's uuid.uuid5 of the same
eq "relationships point at objects in the bundle" \
   "$(j "SELECT count(*) FROM json_each(json_extract($B, '\$.objects')) r
         WHERE json_extract(r.value, '\$.type') = 'relationship' AND
         (SELECT count(*) FROM json_each(json_extract($B, '\$.objects')) o
          WHERE json_extract(o.value, '\$.id') IN
          (json_extract(r.value, '\$.source_ref'),
           json_extract(r.value, '\$.target_ref'))) = 2")" 3

# --- Alerts for a SIEM ---
run export alerts --format jsonl
eq "export alerts: one line per alert" "$(wc -l <"$WORK/out")" \
   "$(sql "SELECT count(*) FROM hosts WHERE alert")"
run export alerts --format csv --out "$WORK/alerts.csv"
has "export alerts csv: the header" "$WORK/alerts.csv" "rank,host,instance_id"

# --- Entries that would hide too much, and files that are not ---
run allow add suffix com
eq "a public suffix: exit 2" "$(rc)" 2
has "a public suffix: why" "$WORK/err" "com is a public suffix"
run allow add suffix '*.example.com'
eq "a wildcard: exit 2" "$(rc)" 2
run allow add cidr 10.0.0.0/4
eq "a network shorter than /8: exit 2" "$(rc)" 2
run allow add cidr 2001:db8::/12
eq "an IPv6 network shorter than /16: exit 2" "$(rc)" 2
run allow add exact 'a\046b.example.com'
eq "a name with a \\DDD escape: exit 0" "$(rc)" 0
run export stix --out "$DB"
eq "export onto the store: exit 2" "$(rc)" 2
has "export onto the store: refused" "$WORK/err" "the output names the store itself"
eq "the store is still a store" "$(sql "SELECT count(*) FROM queries")" \
   "$before"
run allow export --out "$DB-wal"
eq "allow export onto the store's journal: exit 2" "$(rc)" 2
printf '\357\273\277suffix\tbom.example.net\tlexical\t\t\n' >"$WORK/bom.txt"
run allow import "$WORK/bom.txt"
has "allow import: a byte-order mark is skipped" "$WORK/out" \
    "1 entry imported"
run allow import "$WORK"
eq "allow import of a directory: exit 2" "$(rc)" 2
has "allow import of a directory: said" "$WORK/err" "cannot be read"
run mark domain tunnel-example.com tp --note "first note"
run mark domain tunnel-example.com tp
eq "mark again without --note keeps the note" \
   "$(sql "SELECT note FROM verdicts WHERE value = 'tunnel-example.com'")" \
   "first note"
run mark host 10.9.9.9 fp
eq "a verdict on a host never seen: kept" "$(rc)" 0
has "a verdict on a host never seen: said" "$WORK/err" \
    "the last scoring has no host 10.9.9.9; the verdict is kept"
run explain nosuch-zz.example
has "explain of a name never seen: said" "$WORK/err" \
    "nosuch-zz.example is not in the last scoring"
printf 'suffix\tcom\tall\t\t\n' >"$WORK/wide.txt"
run allow import "$WORK/wide.txt"
eq "allow import of a public suffix: exit 2" "$(rc)" 2
has "allow import of a public suffix: file, line and why" "$WORK/err" \
    "wide.txt:1: com is a public suffix"
run mark domain TUNNEL-EXAMPLE.COM. tp
eq "mark in capitals: no note, the domain is known" "$(err)" ""
