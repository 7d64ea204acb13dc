#!/bin/sh
# Allow-list entries by autonomous system: a domain whose every answer
# lies in an allow-listed AS loses its DGA signal and no other; one with
# an address elsewhere or with no answers keeps it. The data comes from
# an MMDB (written by tests/tools/mmdb_write.py, read by libmaxminddb)
# or an iptoasn TSV table; without any, the entry says it cannot apply.
. "$(dirname "$0")/lib.sh"

export DNSHUNT_NOW=2024-05-02T10:00:00Z
# q SECOND NAME RCODE ANSWERS: one query of host 10.0.0.5.
q() {
    printf '{"version":"1.100000","account_id":"000011112222","region":"us-east-1","vpc_id":"vpc-1","query_timestamp":"2024-05-01T08:%02d:%02dZ","query_name":"%s.","query_type":"A","query_class":"IN","rcode":"%s","answers":%s,"srcaddr":"10.0.0.5","srcport":"5300","transport":"UDP","srcids":{"instance":"i-0000000000000aaaa"}}\n' \
        $(($1 / 60)) $(($1 % 60)) "$2" "$3" "$4"
}
a() { printf '{"Rdata":"%s","Type":"A","Class":"IN"}' "$1"; }
{
    for i in 1 2 3 4 5 6; do
        q $i xjwqzkvbtplm.com NOERROR "[$(a 13.32.5.5),$(a 13.33.0.9)]"
        q $((i + 10)) qzvkwjxrplm.net NOERROR "[$(a 13.32.6.6),$(a 198.51.100.7)]"
        q $((i + 20)) kqzvxjwbtpl.info NXDOMAIN "[]"
    done
} >"$WORK/dns.jsonl"
"$DNSHUNT" import --quiet "$WORK/dns.jsonl"

printf '13.32.0.0/15\t16509\tAMAZON-02\n198.51.100.0/24\t64500\tEXAMPLE\n' \
    >"$WORK/asn.tsv"
/usr/bin/python3 "$TOP/tests/tools/mmdb_write.py" "$WORK/asn.tsv" \
    "$WORK/asn.mmdb" 2>"$WORK/py.err"
eq "the test MMDB is written" "$?" 0

dga() {
    sql "SELECT domain || ' ' || coalesce(noise, '-') FROM domains
         WHERE dga_score > 0.873 ORDER BY domain"
}
"$DNSHUNT" score --quiet
eq "without entries: three DGA-looking domains" "$(dga)" \
"kqzvxjwbtpl.info -
qzvkwjxrplm.net -
xjwqzkvbtplm.com -"

run allow add asn AS16509 --scope all
eq "an asn entry of scope all: exit 2" "$(rc)" 2
has "an asn entry of scope all: why" "$WORK/err" "take scope lexical only"
run allow add asn ASX
eq "a wrong ASN: exit 2" "$(rc)" 2
run allow add asn 16509 --reason "CloudFront"
eq "allow add asn: exit 0" "$(rc)" 0
has "allow add asn: normalised, lexical" "$WORK/out" \
    "entry 1: asn AS16509 (lexical)"
has "no data configured: said at once" "$WORK/err" \
    "the default configuration sets no asn_database"
run score --quiet
has "no data configured: said at scoring" "$WORK/err" \
    "1 asn allow-list entry did not apply: no asn_database"
eq "no data: nothing hidden" "$(dga | wc -l)" 3

for form in mmdb tsv; do
    printf '[network]\nasn_database = asn.%s\n' "$form" >"$WORK/cfg"
    run score --config "$WORK/cfg"
    eq "$form: scoring exit 0" "$(rc)" 0
    has "$form: what the entries covered" "$WORK/out" \
        "asn allow-list entries covered 1 domains"
    eq "$form: only the domain with every answer in AS16509 loses its DGA signal" \
       "$(sql "SELECT domain || ' ' || coalesce(noise, '-') FROM domains
               ORDER BY domain")" \
"kqzvxjwbtpl.info -
qzvkwjxrplm.net -
xjwqzkvbtplm.com lexical-allow,asn:AS16509"
done
eq "the covered domain keeps its dga_score for the analyst" \
   "$(sql "SELECT dga_score > 0.9 FROM domains
           WHERE domain = 'xjwqzkvbtplm.com'")" 1
run allow list
has "allow list: the entry and what it covered" "$WORK/out" "AS16509"
run allow add asn AS16509 --reason "CloudFront again"
has "the preview counts what the last scoring covered" "$WORK/out" \
    "covers 1 domains (6 queries)"
run allow export
has "allow export: the asn entry" "$WORK/out" "asn AS16509 lexical"
printf 'not a table\n' >"$WORK/junk"
printf '[network]\nasn_database = junk\n' >"$WORK/cfg"
run score --config "$WORK/cfg"
eq "data that is neither: exit 3" "$(rc)" 3
has "data that is neither: why" "$WORK/err" \
    "not an MMDB file, and no line of it is an IPv4 range with an ASN"
printf '[network]\nasn_database = nosuch.mmdb\n' >"$WORK/cfg"
run score --config "$WORK/cfg"
eq "missing data: exit 3" "$(rc)" 3

# A store of schema 4 (before asn entries and models) keeps its entries.
old="$WORK/v4.db"
DNSHUNT_DB="$old" "$DNSHUNT" import --quiet "$WORK/dns.jsonl"
sqlite3 "$old" "DROP TABLE models; DROP TABLE query_groups; CREATE TABLE a4(id INTEGER PRIMARY KEY,
  kind TEXT NOT NULL CHECK(kind IN ('exact','suffix','registrable','host',
  'cidr','resolver')), value TEXT NOT NULL, scope TEXT NOT NULL CHECK(scope
  IN ('all','lexical')), reason TEXT, added_by TEXT NOT NULL, added_at
  INTEGER NOT NULL, expires_at INTEGER, UNIQUE(kind, value, scope));
  DROP TABLE allow_entries; ALTER TABLE a4 RENAME TO allow_entries;
  INSERT INTO allow_entries VALUES(7, 'suffix', 'cdn.example', 'lexical',
  'old entry', 'alice', 1, NULL); PRAGMA user_version = 4;"
DNSHUNT_DB="$old" run allow add asn AS13335
eq "a schema 4 store takes an asn entry: exit 0" "$(rc)" 0
eq "and keeps its entries" \
   "$(sqlite3 "$old" "PRAGMA user_version; SELECT id, kind, value, reason,
                      added_by FROM allow_entries ORDER BY id")" \
"9
7|suffix|cdn.example|old entry|alice
8|asn|AS13335||$(id -un)"
