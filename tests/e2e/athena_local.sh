#!/bin/sh
# The fleet path against the raw path on the simulated day: the queries
# of `dnshunt athena sql`, rendered for SQLite, run on a store of the raw
# logs (`athena local`) and give the CSV files Athena would; a new store
# that imports only those files must score every host and domain exactly
# as the raw store does. Then hand-written CSV in Athena's own forms, and
# broken rows.
. "$(dirname "$0")/lib.sh"

"$DNSHUNT" simulate --out "$WORK/sim" >/dev/null
"$DNSHUNT" import --quiet --db "$WORK/raw.db" "$WORK/sim/AWSLogs"
"$DNSHUNT" score --quiet --db "$WORK/raw.db"
raw() { "$DNSHUNT" --db "$WORK/raw.db" "$@"; }

mkdir "$WORK/csv"
raw athena local --out "$WORK/csv" >"$WORK/out" 2>"$WORK/err"
eq "athena local: exit 0, quiet" "$? $(err)" "0 "
eq "athena local: the rows of each file" "$(out)" \
   "host_queries.csv: 98231 rows
dns_flows.csv: 349114 rows"
eq "host_queries.csv: Athena's header" "$(head -1 "$WORK/csv/host_queries.csv")" \
   '"host","instance","name","type","rcode","answers","queries","first_ms","last_ms","times"'
eq "dns_flows.csv: Athena's header" "$(head -1 "$WORK/csv/dns_flows.csv")" \
   '"srcaddr","dstaddr","srcport","dstport","protocol","packets","bytes","start","end","action"'

run import "$WORK/csv"
eq "the CSV files import: exit 0" "$(rc)" 0
eq "the CSV files import as what they are" \
   "$(sql "SELECT format, status, rows_kept, rows_rejected FROM imports
           ORDER BY path")" \
   "athena-flows|ok|349114|0
athena-queries|ok|98231|0"
eq "every query of the raw logs is in a group" \
   "$(sql "SELECT sum(queries) FROM query_groups") $(sql "SELECT count(*)
           FROM queries")" \
   "$(sqlite3 "$WORK/raw.db" "SELECT count(*) FROM queries") 0"
run score --quiet
eq "scoring the groups: exit 0" "$(rc)" 0

# Exactly the same results.
for what in "hosts --format json --limit 100000" \
            "domains --format csv --limit 100000" "alerts --format json"; do
    raw $what >"$WORK/a" 2>&1
    "$DNSHUNT" $what >"$WORK/b" 2>&1
    if cmp -s "$WORK/a" "$WORK/b"; then
        ok "$what: the same as from the raw logs ($(wc -l <"$WORK/a") lines)"
    else notok "$what: the same as from the raw logs" \
        "$(diff "$WORK/a" "$WORK/b" | head -10)"; fi
done
top=$(raw hosts --format csv --limit 1 | sed -n '2p' | cut -d, -f2)
eq "explain of the top host: the same" "$("$DNSHUNT" explain "$top")" \
   "$(raw explain "$top")"
eq "the ranking has the seven attacked hosts on top" \
   "$("$DNSHUNT" hosts --format csv --limit 7 | sed 1d | wc -l)" 7

# Both renderings come from one template: the shared lines match.
"$DNSHUNT" athena sql --since 2024-05-01 --until 2024-05-02 >"$WORK/trino.sql"
"$DNSHUNT" athena sql --since 2024-05-01 --until 2024-05-02 \
    --dialect sqlite >"$WORK/sqlite.sql"
shared() { grep -E '^(SELECT|FROM|GROUP|ORDER|WHERE|  AND|       (count|min|max))' "$1"; }
eq "the Trino and SQLite renderings share their template" \
   "$(shared "$WORK/trino.sql")" "$(shared "$WORK/sqlite.sql")"

# --- Athena's own forms ------------------------------------------------
# A group as Athena writes it (raw UTF-8 in the answers, a CH class, a
# quote doubled in the name) stores what the raw line of the same query
# stores.
fresh
printf '%s\n' '{"query_timestamp":"2024-05-01T10:00:00Z","query_name":"we\"ird.example.com.","query_type":"TXT","rcode":"NOERROR","srcaddr":"10.9.0.1","srcids":{"instance":"i-1"},"answers":[{"Rdata":"caf\u00e9","Type":"TXT","Class":"IN"},{"Rdata":"x","Type":"A","Class":"CH"}]}' \
    >"$WORK/one.jsonl"
"$DNSHUNT" import --quiet "$WORK/one.jsonl"
from_raw=$(sql "SELECT n, bytes, answers FROM answer_sets")
fresh
{
    printf '"host","instance","name","type","rcode","answers","queries","first_ms","last_ms","times"\n'
    printf '"10.9.0.1","i-1","we""ird.example.com.","TXT","NOERROR","[[""TXT"",""caf\303\251""],[""A"",""x"",""CH""]]","2","1714557600000","1714557601500","1714557601500 1714557600000"\n'
} >"$WORK/athena.csv"
run import "$WORK/athena.csv"
eq "a group in Athena's form: imported" "$(rc) $(sql "SELECT queries,
    first_ms, times FROM query_groups")" \
   "0 2|1714557600000|1714557600000 1500"
eq "its answers are stored as the raw line's are" \
   "$(sql "SELECT n, bytes, answers FROM answer_sets")" "$from_raw"
eq "its name is kept as logged" "$(sql "SELECT logged FROM names")" \
   'we"ird.example.com.'

# Broken rows are rejected with the file and line; the others are kept.
fresh
{
    printf '"host","instance","name","type","rcode","answers","queries","first_ms","last_ms","times"\n'
    good() { printf '"10.9.0.%s",,"ok%s.example.com.","A","NOERROR",,"1","1714557600000","1714557600000","1714557600000"\n' "$1" "$1"; }
    good 1
    printf '"10.9.0.2","i","short","A"\n'
    printf '"10.9.0.3",,"x.example.com.","A","NOERROR",,"2","1714557600000","1714557600000","1714557600000"\n'
    printf '"10.9.0.4",,"x.example.com.","A","NOERROR",,"1","1714557600000","1714557600009","1714557600000"\n'
    printf '"not-an-ip",,"x.example.com.","A","NOERROR",,"1","1714557600000","1714557600000","1714557600000"\n'
    printf '"10.9.0.6",,"x.example.com.","A","NOERROR","[[""A""","1","1714557600000","1714557600000","1714557600000"\n'
    printf '"10.9.0.7",,"x.example.com.","A","NOERROR",,"1","1714557600000","1714557600000","17145576000x0"\n'
    printf '"10.9.0.8"x,,"a.example.com."\n'
    printf '"10.9.0.9",,"x.example.com.","A","NOERROR",,"-1","1714557600000","1714557600000","1714557600000"\n'
    good 10
} >"$WORK/bad.csv"
run import "$WORK/bad.csv"
eq "broken rows: exit 1" "$(rc)" 1
eq "broken rows: the good ones kept" \
   "$(sql "SELECT group_concat(logged, ' ') FROM (SELECT logged FROM names
           ORDER BY logged)")" "ok1.example.com. ok10.example.com."
eq "broken rows: each rejected with its reason" \
   "$(sql "SELECT line || ' ' || reason FROM rejected_rows ORDER BY line")" \
   "3 wrong number of fields: 4 values, not 10
4 unexpected field value: times: 1, but queries says 2
5 unexpected field value: times: first_ms and last_ms are not the first and last of them
6 malformed IP address: host: not an IP address
7 malformed JSON: answers: not a JSON array of [type, data]
8 malformed number: times: value 1 is not a time in ms
9 unexpected field value: value 1: text after the closing quote
10 malformed number: queries: -1 is out of range"
has "broken rows: the message names the file and line" "$WORK/err" \
    "bad.csv:6: malformed IP address: host: not an IP address"

# A flows file with a value holding a blank.
fresh
printf '"srcaddr","dstaddr","srcport","dstport","protocol","packets","bytes","start","end","action"\n"10.9.0.1","10.9.0.2","5000","53","17","1","70","1714557600","1714557601","ACCEPT"\n"10.9.0.1","10.9.0.2 x","5001","53","17","1","70","1714557600","1714557601","ACCEPT"\n' \
    >"$WORK/flows.csv"
run import "$WORK/flows.csv"
eq "flows CSV: the good row kept, the blank refused" \
   "$(sql "SELECT count(*) FROM flows") $(sql "SELECT line || ' ' || reason
           FROM rejected_rows")" \
   "1 3 unexpected field value: value 2: holds a blank or a NUL byte"

# --- The console says where a host's queries came from -------------------
fresh
"$DNSHUNT" import --quiet "$WORK/csv"
"$DNSHUNT" score --quiet
printf ':host %s\ndump %s\n' "$top" "$WORK/agg.screen" >"$WORK/s1"
LINES=40 COLUMNS=100 DNSHUNT_SCRIPT="$WORK/s1" "$DNSHUNT" console
has "console: a host from aggregates says so" "$WORK/agg.screen" \
    "Source: Athena aggregates"
has "console: with the Athena query that fetches its log lines" \
    "$WORK/agg.screen" "SELECT * FROM \"dnshunt\".resolver_queries WHERE srcaddr = '$top'"
printf ':host %s\ndump %s\n' "$top" "$WORK/raw.screen" >"$WORK/s2"
LINES=40 COLUMNS=100 DNSHUNT_SCRIPT="$WORK/s2" "$DNSHUNT" --db "$WORK/raw.db" \
    console
hasnt "console: a host from raw logs does not" "$WORK/raw.screen" \
    "Athena aggregates"

# stats counts grouped queries with the others.
run stats
has "stats: grouped queries counted as queries" "$WORK/out" \
    "queries               196742   2024-05-01T00:00:03Z .. 2024-05-01T23:59:59Z"
has "stats: and how many came grouped" "$WORK/out" \
    "  grouped             196742   in 98231 groups from Athena"

# --- Order does not matter -------------------------------------------------
# On another day, two beacons of one host tie; the reason names the same
# one from raw logs and from groups (imported in another order).
"$DNSHUNT" simulate --out "$WORK/sim3" --seed 3 --hosts 500 --hours 6 \
    >/dev/null
"$DNSHUNT" import --quiet --db "$WORK/raw3.db" "$WORK/sim3/AWSLogs"
"$DNSHUNT" score --quiet --db "$WORK/raw3.db"
mkdir "$WORK/csv3"
"$DNSHUNT" --db "$WORK/raw3.db" athena local --out "$WORK/csv3" >/dev/null
"$DNSHUNT" import --quiet --db "$WORK/agg3.db" "$WORK/csv3"
"$DNSHUNT" score --quiet --db "$WORK/agg3.db"
for what in "hosts --format json --limit 100000" "explain 10.0.1.10"; do
    "$DNSHUNT" --db "$WORK/raw3.db" $what >"$WORK/a" 2>&1
    "$DNSHUNT" --db "$WORK/agg3.db" $what >"$WORK/b" 2>&1
    if cmp -s "$WORK/a" "$WORK/b"; then ok "seed 3, $what: the same"
    else notok "seed 3, $what: the same" \
        "$(diff "$WORK/a" "$WORK/b" | head -10)"; fi
done

# --- A record over several lines -------------------------------------------
# A value holding a line break (a forged name) is one rejected record; no
# row is made of what lies inside it.
fresh
{
    printf '"host","instance","name","type","rcode","answers","queries","first_ms","last_ms","times"\n'
    printf '"10.9.0.1",,"a.example.com.","A","NOERROR",,"1","1714557600000","1714557600000","1714557600000"\n'
    printf '"10.9.0.5",,"x.\n10.6.6.6,i-evil,evil.com.,TXT,NOERROR,,1,1714525200000,1714525200000,1714525200000\nz.","A","NOERROR",,"1","1714557600000","1714557600000","1714557600000"\n'
    printf '"10.9.0.2",,"b.example.com.","A","NOERROR",,"1","1714557600000","1714557600000","1714557600000"\n'
} >"$WORK/multi.csv"
run import "$WORK/multi.csv"
eq "a record over three lines: one reject, the rows around it kept" \
   "$(sql "SELECT group_concat(srcaddr, ' ') FROM (SELECT srcaddr FROM origins
           ORDER BY srcaddr)") | $(sql "SELECT line || ' ' || reason
           FROM rejected_rows")" \
   "10.9.0.1 10.9.0.2 | 3 unexpected field value: a value holds a line break; the record is left out up to the line that closes it"

# Surrogate pairs in answers decode as the raw importer decodes them.
fresh
printf '%s\n' '{"query_timestamp":"2024-05-01T10:00:00Z","query_name":"s.example.com.","query_type":"TXT","rcode":"NOERROR","srcaddr":"10.9.0.1","answers":[{"Rdata":"\ud83d\ude00","Type":"TXT","Class":"IN"}]}' \
    >"$WORK/sur.jsonl"
"$DNSHUNT" import --quiet "$WORK/sur.jsonl"
from_raw=$(sql "SELECT answers FROM answer_sets")
fresh
{
    printf '"host","instance","name","type","rcode","answers","queries","first_ms","last_ms","times"\n'
    printf '"10.9.0.1",,"s.example.com.","TXT","NOERROR","[[""TXT"",""\\ud83d\\ude00""]]","1","1714557600000","1714557600000","1714557600000"\n'
    printf '"10.9.0.1",,"t.example.com.","TXT","NOERROR","[[""TXT"",""\\udc00""]]","1","1714557600000","1714557600000","1714557600000"\n'
} >"$WORK/sur.csv"
run import "$WORK/sur.csv"
eq "a surrogate pair: stored as from the raw log" \
   "$(sql "SELECT answers FROM answer_sets")" "$from_raw"
eq "a lone surrogate: rejected" "$(sql "SELECT line || ' ' || reason
    FROM rejected_rows")" \
   "3 malformed JSON: answers: not a JSON array of [type, data]"

run athena local --out "$WORK/nowhere"
eq "athena local into a missing directory: exit 2, named" \
   "$(rc) $(err)" "2 dnshunt athena local: $WORK/nowhere is not a directory"
