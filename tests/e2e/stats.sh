# dnshunt stats (text and JSON), --help and --version, exit statuses,
# choosing the store, the store's own settings, and the progress bar.
. "$TOP/tests/e2e/lib.sh"

VERSION=$(sed -n 's/^VERSION *:= *//p' "$TOP/Makefile")
# jx PATH: a value from the JSON that the last run printed.
jx() { sqlite3 :memory: "SELECT json_extract(readfile('$WORK/out'), '$1')"; }

# --- stats without a store, and on an empty one --------------------------
fresh
run stats
eq "stats without a store: exit 3" "$(rc)" 3
eq "stats without a store: says so, creates nothing" \
   "$(err)|$(ls "$DB" 2>/dev/null)" \
   "dnshunt: no store at $DB; \`dnshunt import\` makes one|"
mkdir -p "$WORK/emptydir"
run import "$WORK/emptydir"
run stats --format json
eq "stats empty: exit 0" "$(rc)" 0
eq "stats empty: valid JSON" \
   "$(sqlite3 :memory: "SELECT json_valid(readfile('$WORK/out'))")" 1
eq "stats empty: counts are 0 and files is []" \
   "$(jx '$.queries') $(jx '$.flows') $(jx '$.health_records') $(jx '$.rejected_rows') $(jx '$.files')" \
   "0 0 0 0 []"

# --- stats after imports of every outcome ------------------------------
fresh
: >"$WORK/empty.log"
printf 'one\ntwo three\n' >"$WORK/junk.txt"
gzip -n -c "$FIX/r53_fields.jsonl" | head -c 300 >"$WORK/cut.gz"
run import "$FIX/r53_fields.jsonl" "$FIX/flow_default.log" \
    "$FIX/r53_bad.jsonl" "$WORK/empty.log" "$WORK/junk.txt" "$WORK/cut.gz"
eq "mixed outcomes: exit 1" "$(rc)" 1
eq "mixed outcomes: summary" "$(out)" \
   "6 files: 3 ok, 0 partial, 2 failed, 1 empty, 0 skipped; 19 rows kept, 14 rejected"
run stats --format json
eq "stats json: exit 0" "$(rc)" 0
eq "stats json: valid JSON" \
   "$(sqlite3 :memory: "SELECT json_valid(readfile('$WORK/out'))")" 1
eq "stats json: queries" "$(jx '$.queries')" 13
eq "stats json: flows" "$(jx '$.flows')" 4
eq "stats json: health_records" "$(jx '$.health_records')" 2
eq "stats json: rejected_rows" "$(jx '$.rejected_rows')" 14
eq "stats json: 6 files" \
   "$(sqlite3 :memory: "SELECT json_array_length(readfile('$WORK/out'),
                        '\$.files')")" 6
eq "stats json: path, status, rows, rejected of each file" \
   "$(sqlite3 :memory: "SELECT json_extract(value, '\$.path') || ' ' ||
        json_extract(value, '\$.status') || ' ' ||
        json_extract(value, '\$.rows') || ' ' ||
        json_extract(value, '\$.rejected')
      FROM json_each(json_extract(readfile('$WORK/out'), '\$.files'))")" \
   "$FIX/r53_fields.jsonl ok 9 0
$FIX/flow_default.log ok 6 0
$FIX/r53_bad.jsonl ok 4 14
$WORK/empty.log empty 0 0
$WORK/junk.txt failed 0 0
$WORK/cut.gz failed 0 0"

run stats
eq "stats text: exit 0" "$(rc)" 0
eq "stats text: queries with the time range covered" \
   "$(grep -E '^queries ' "$WORK/out" | tr -s ' ')" \
   "queries 13 2024-04-02T08:15:30Z .. 2024-04-02T10:00:18Z"
eq "stats text: flows with the time range covered" \
   "$(grep -E '^flows ' "$WORK/out" | tr -s ' ')" \
   "flows 4 2024-04-02T08:15:00Z .. 2024-04-02T08:16:01Z"
eq "stats text: health records and rejected rows" \
   "$(grep -E '^(health_records|rejected_rows) ' "$WORK/out" | tr -s ' ')" \
   "health_records 2
rejected_rows 14"
eq "stats text: per-file status, rows and rejects" \
   "$(grep -E '^  [a-z]+ ' "$WORK/out" | tr -s ' ')" \
   " ok route53 9 rows 0 rejected $FIX/r53_fields.jsonl
 ok flow 6 rows 0 rejected $FIX/flow_default.log
 ok route53 4 rows 14 rejected $FIX/r53_bad.jsonl
 empty unknown 0 rows 0 rejected $WORK/empty.log
 failed unknown 0 rows 0 rejected $WORK/junk.txt
 failed unknown 0 rows 0 rejected $WORK/cut.gz"
has "stats text: first rejected rows of a file" "$WORK/out" \
   "line 2: malformed JSON: expected a JSON object"
has "stats text: why a file failed" "$WORK/out" \
   "unrecognised file format: neither a Route 53 query log nor a VPC flow log (line 1: one)"

# --- --help and --version ------------------------------------------------
run --version
eq "--version: exit 0" "$(rc)" 0
eq "--version: name and the Makefile's version" "$(out)" "dnshunt $VERSION"
for args in "--help" "-h" "help"; do
    run $args
    eq "dnshunt $args: exit 0" "$(rc)" 0
    eq "dnshunt $args: usage on stdout, nothing on stderr" \
       "$(sed -n 1p "$WORK/out") $(err)" "usage: dnshunt [--db PATH] [COMMAND [ARGS]] "
    has "dnshunt $args: lists import" "$WORK/out" "  import "
    has "dnshunt $args: lists stats" "$WORK/out" "  stats "
done
for cmd in import stats; do
    run $cmd --help
    eq "$cmd --help: exit 0" "$(rc)" 0
    eq "$cmd --help: its usage on stdout" "$(sed -n 1p "$WORK/out" | cut -d' ' -f1-3)" \
       "usage: dnshunt $cmd"
    eq "$cmd --help: nothing on stderr" "$(err)" ""
done
run import --help
has "import --help: documents --format" "$WORK/out" "--format"
has "import --help: documents --flow-format" "$WORK/out" "--flow-format"
has "import --help: documents --force" "$WORK/out" "--force"
has "import --help: documents the exit statuses" "$WORK/out" "Exit status"

# --- Exit statuses --------------------------------------------------------
fresh
usage() {   # usage NAME ARGS...: exit 2, message on stderr, nothing on stdout
    name=$1
    shift
    run "$@"
    eq "usage error ($name): exit 2" "$(rc)" 2
    eq "usage error ($name): nothing on stdout" "$(out)" ""
    if [ -s "$WORK/err" ]; then ok "usage error ($name): says why on stderr"
    else notok "usage error ($name): says why on stderr" "stderr empty"; fi
}
usage "no command"
usage "unknown command" frobnicate
usage "unknown option" --frobnicate import "$FIX/r53_fields.jsonl"
usage "import without a path" import
usage "import --format xml" import --format xml "$FIX/r53_fields.jsonl"
usage "import unknown option" import --frobnicate "$FIX/r53_fields.jsonl"
usage "stats --format xml" stats --format xml
usage "stats extra argument" stats extra
eq "usage errors do not create the store" \
   "$(test -e "$DB" && echo present || echo absent)" absent

fresh
run import "$FIX/r53_fields.jsonl"
eq "exit 0 when everything imported" "$(rc)" 0
run import "$FIX/r53_fields.jsonl"
eq "exit 0 when everything was skipped" "$(rc)" 0
run import "$WORK/empty.log"
eq "exit 0 for an empty file" "$(rc)" 0
run import "$FIX/r53_bad.jsonl"
eq "exit 1 when rows were rejected" "$(rc)" 1
run import "$WORK/junk.txt"
eq "exit 1 when a file failed" "$(rc)" 1
run import "$WORK/cut.gz"
eq "exit 1 when a file is partial" "$(rc)" 1

printf 'this is not a database, keep me\n' >"$WORK/not-a-db"
cp "$WORK/not-a-db" "$WORK/not-a-db.orig"
run --db "$WORK/not-a-db" import "$FIX/r53_fields.jsonl"
eq "store not a database: exit 3" "$(rc)" 3
eq "store not a database: message" "$(err)" \
   "dnshunt: $WORK/not-a-db: file is not a database"
run --db "$WORK/not-a-db" stats
eq "store not a database: stats exit 3" "$(rc)" 3
eq "store not a database: the file is left alone" \
   "$(cmp "$WORK/not-a-db" "$WORK/not-a-db.orig" && echo same)" same
run --db "$WORK/no/such/dir/store.db" import "$FIX/r53_fields.jsonl"
eq "store cannot be created: exit 3" "$(rc)" 3
eq "store cannot be created: message" "$(err)" \
   "dnshunt: $WORK/no/such/dir/store.db: unable to open database file"

# A store from a newer dnshunt is refused, not damaged.
fresh
run import "$WORK/emptydir"
schema=$(sql "PRAGMA user_version")
sql "PRAGMA user_version = 999"
run import "$FIX/r53_fields.jsonl"
eq "newer store: exit 3" "$(rc)" 3
eq "newer store: message" "$(err)" \
   "dnshunt: $DB: store schema version 999 is newer than this dnshunt understands ($schema)"
eq "newer store: nothing written" "$(sql "SELECT count(*) FROM imports")" 0

# --- Choosing the store, and its settings ------------------------------
mkdir "$WORK/cwd"
( cd "$WORK/cwd" && unset DNSHUNT_DB &&
  "$DNSHUNT" import --quiet "$FIX/flow_default.log" )
eq "default store is ./dnshunt.db" \
   "$(sqlite3 "$WORK/cwd/dnshunt.db" "SELECT count(*) FROM flows")" 4
fresh
DNSHUNT_DB="$WORK/env.db" "$DNSHUNT" import --quiet "$FIX/flow_default.log"
eq "DNSHUNT_DB chooses the store" \
   "$(sqlite3 "$WORK/env.db" "SELECT count(*) FROM flows")" 4
DNSHUNT_DB="$WORK/env.db" "$DNSHUNT" --db "$WORK/opt.db" import --quiet \
    "$FIX/r53_fields.jsonl"
eq "--db wins over DNSHUNT_DB" \
   "$(sqlite3 "$WORK/opt.db" "SELECT count(*) FROM queries") $(sqlite3 "$WORK/env.db" "SELECT count(*) FROM queries")" \
   "9 0"
"$DNSHUNT" --db="$WORK/eq.db" import --quiet "$FIX/r53_fields.jsonl"
eq "--db=PATH form" "$(sqlite3 "$WORK/eq.db" "SELECT count(*) FROM queries")" 9
"$DNSHUNT" import --db "$WORK/sub.db" --quiet "$FIX/r53_fields.jsonl"
eq "import --db PATH" "$(sqlite3 "$WORK/sub.db" "SELECT count(*) FROM queries")" 9
eq "the test store was not created by the others" \
   "$(test -e "$DB" && echo present || echo absent)" absent
eq "store: WAL journal" "$(sqlite3 "$WORK/sub.db" "PRAGMA journal_mode")" wal
eq "store: schema versioned with user_version" \
   "$(sqlite3 "$WORK/sub.db" "SELECT user_version > 0 FROM pragma_user_version")" 1
run --db "$WORK/sub.db" stats --format json
eq "stats json: schema is the store's user_version" "$(jx '$.schema')" \
   "$(sqlite3 "$WORK/sub.db" "PRAGMA user_version")"

# --- Progress bar ---------------------------------------------------------
# Only on a terminal (script(1) gives one), never with --quiet.
if command -v script >/dev/null 2>&1; then
    fresh
    script -qec "'$DNSHUNT' --db '$DB' import '$FIX/r53_fields.jsonl'" \
        /dev/null >"$WORK/tty" 2>&1 </dev/null
    has "progress: drawn on a terminal" "$WORK/tty" "importing ["
    has "progress: rows per second" "$WORK/tty" "rows/s"
    nobyte "progress: no escape sequences" "$WORK/tty" 033
    fresh
    script -qec "'$DNSHUNT' --db '$DB' import --quiet '$FIX/r53_fields.jsonl'" \
        /dev/null >"$WORK/tty" 2>&1 </dev/null
    eq "progress: nothing at all with --quiet" "$(cat "$WORK/tty")" ""
fi
fresh
run import "$FIX/r53_fields.jsonl"
hasnt "progress: not drawn when stderr is not a terminal" "$WORK/err" \
   "importing"
