#!/bin/sh
# The console driven by scripts of keys, as an analyst would use it, on
# the hand-built day of score_fixture.awk: every screen is compared with
# the one checked in under tests/tui/expected (a 30 x 120 terminal, C
# locale, UTC). DNSHUNT_UPDATE_SCREENS=1 writes the screens there
# instead, to review with git diff.
. "$(dirname "$0")/lib.sh"

F="$WORK/fx"
mkdir -p "$F"
awk -v out="$F" -f "$TOP/tests/e2e/score_fixture.awk"
printf '%s\n' '{"version":"1.100000","account_id":"1","region":"r","vpc_id":"v","query_timestamp":"2024-05-01T12:00:00Z","query_name":"\u001b]0;owned\u0007x.evil-title.com.","query_type":"A","query_class":"IN","rcode":"NXDOMAIN","answers":[],"srcaddr":"10.0.0.40","srcport":"1","transport":"UDP","srcids":{"instance":"i-\u001b[31mred"}}' >"$F/hostile.jsonl"
printf '[noise]\nlexical_allow += allowed-example.net\n' >"$F/cfg"
# Relative paths, so that the imports screen is the same anywhere.
(cd "$WORK" && "$DNSHUNT" import --quiet fx/dns.jsonl fx/flow.log \
    fx/hostile.jsonl)
"$DNSHUNT" score --quiet --config "$F/cfg"

export LINES=30 COLUMNS=120 TERM=xterm TZ=UTC LC_ALL=C USER=analyst \
    DNSHUNT_NOW=2024-05-02T09:00:00Z
unset NO_COLOR
EXP="$TOP/tests/tui/expected"
cd "$WORK" || exit 1

for s in hosts navigate decide review; do
    DNSHUNT_SCRIPT="$TOP/tests/tui/$s.script" "$DNSHUNT" console \
        >"$WORK/out" 2>"$WORK/err"
    eq "script $s: exit 0" "$?" 0
    eq "script $s: nothing on stderr" "$(err)" ""
done
for f in *.screen; do
    if [ "${DNSHUNT_UPDATE_SCREENS:-}" = 1 ]; then
        mkdir -p "$EXP" && cp "$f" "$EXP/$f"
    fi
    if diff -u "$EXP/$f" "$f" >"$WORK/diff" 2>&1; then ok "screen $f"
    else notok "screen $f" "$(head -40 "$WORK/diff")"; fi
done

# What the decisions script left in the store.
eq "t marked the top host and its worst domain" \
   "$(sql "SELECT subject, verdict, coalesce(note, '') FROM verdicts
           WHERE coalesce(note, '') <> 'queue label'
           ORDER BY subject, value" | head -3 | tr '\n' ' ')" \
   "domain|tp| host|tp|iodine seen on it host|fp|shared DoH by design "
eq "a added the CDN parent, declined the network" \
   "$(sql "SELECT kind, value, scope, reason FROM allow_entries")" \
   "suffix|cloudfront.net|lexical|CDN labels"
eq "the audit log has every change" \
   "$(sql "SELECT group_concat(action, ',') FROM audit_log")" \
   "mark,mark,allow add,mark,mark"
has "e exported the true positives" "$WORK/iocs.json" \
    '"type":"indicator"'
has ":export misp wrote an event" "$WORK/event.json" '{"Event":{"uuid":'
has ":export sigma wrote the rules" "$WORK/rules.yml" \
    "name: dnshunt_dga_domain"
eq "t in the review queue labelled its first name" \
   "$(sql "SELECT verdict || ' ' || note FROM verdicts
           WHERE note = 'queue label'")" "tp queue label"

# Hostile bytes in names and instance ids never reach the screen.
printf ':host 10.0.0.40\ndump hostile-host.txt\n:domain evil-title.com\nG\ndump hostile-domain.txt\n:view domains\n/evil\ndump hostile-list.txt\n' >"$WORK/hostile.script"
DNSHUNT_SCRIPT="$WORK/hostile.script" "$DNSHUNT" console >/dev/null 2>&1
eq "hostile script: exit 0" "$?" 0
for f in hostile-host.txt hostile-domain.txt hostile-list.txt; do
    nobyte "no ESC on the screen: $f" "$f" 033
    nobyte "no BEL on the screen: $f" "$f" 007
done
has "the escaped name is shown" hostile-domain.txt '\x1b]0;owned\x07x.evil-title.com'
has "the escaped instance is shown" hostile-host.txt 'i-\x1b[31mred'

# Errors.
printf 'j\nnot-a-key\n' >"$WORK/bad.script"
DNSHUNT_SCRIPT="$WORK/bad.script" run console
eq "a bad script line: exit 2" "$(rc)" 2
has "a bad script line: file and line" "$WORK/err" "bad.script:2: cannot run 'not-a-key'"
DNSHUNT_DB="$WORK/none.db" run console
eq "no store: exit 3" "$(rc)" 3
has "no store: says how to make one" "$WORK/err" "dnshunt import PATH"
eq "no store: none made" "$(ls "$WORK/none.db" 2>/dev/null)" ""
run console </dev/null
eq "no terminal: exit 2" "$(rc)" 2
has "no terminal: says what to use" "$WORK/err" "dnshunt hosts"
run console extra
eq "console takes no argument: exit 2" "$(rc)" 2

# Guards: a bad filter keeps the one shown, back-references are refused,
# Esc does not leave the top view, keys do nothing while the terminal
# is too small, and the decision views open by name.
printf '%s\n' 'filter 10.0.0.2' 'filter (a' 'dump guard-filter.txt' \
    '/(a)\1' 'dump guard-backref.txt' 'Esc' 'resize 8 40' 'j' \
    'resize 30 120' 'dump guard-small.txt' ':view verdicts' \
    'dump guard-verdicts.txt' >"$WORK/guard.script"
DNSHUNT_SCRIPT="$WORK/guard.script" run console
eq "guards: exit 0" "$(rc)" 0
has "a bad filter: the old one stays" guard-filter.txt \
    "Hosts (filtered) | row 1 of 9"
has "a bad filter: why" guard-filter.txt \
    "bad regular expression: Unmatched ( or \\("
has "a back-reference: refused" guard-backref.txt \
    "back-references (\\1 to \\9) are not allowed"
has "Esc and a key while too small: still on the first host" \
    guard-small.txt "Hosts (filtered) | row 1 of 9"
has ":view verdicts" guard-verdicts.txt "Verdicts | row 1 of 4"
printf 'resize 0 5000\n' >"$WORK/resize.script"
DNSHUNT_SCRIPT="$WORK/resize.script" run console
eq "a resize out of range: exit 2" "$(rc)" 2
DNSHUNT_SCRIPT="$WORK" run console
eq "a script that is a directory: exit 2" "$(rc)" 2
has "a script that is a directory: said" "$WORK/err" "cannot read the script"

# :sql reads and nothing else, and stops at 10,000 rows.
printf '%s\n' ':sql DELETE FROM queries' 'dump sql-delete.txt' \
    ":sql ATTACH '$WORK/other.db' AS x" 'dump sql-attach.txt' \
    ':sql WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c LIMIT 20000) SELECT x FROM c' \
    'G' 'dump sql-many.txt' >"$WORK/sql.script"
n=$(sql "SELECT count(*) FROM queries")
DNSHUNT_SCRIPT="$WORK/sql.script" run console
eq ":sql script: exit 0" "$(rc)" 0
has ":sql DELETE: refused" sql-delete.txt "sql: not authorized"
eq ":sql DELETE: nothing deleted" "$(sql "SELECT count(*) FROM queries")" "$n"
has ":sql ATTACH: refused" sql-attach.txt "sql: not authorized"
eq ":sql ATTACH: no file made" "$(ls "$WORK/other.db" 2>/dev/null)" ""
has ":sql: the first 10,000 rows only" sql-many.txt \
    "(the first 10000 rows only)"

# A filter keeps the cursor on its line (or the next one shown) and
# fills the screen; :view replaces the views open, so q then quits.
printf '%s\n' ':view domains' 'G' 'filter cloudfront' 'dump filter-end.txt' \
    'filter' 'dump filter-none.txt' ':view alerts' ':host 10.0.0.21' \
    ':view domains' 'q' 'dump after-q.txt' >"$WORK/fv.script"
DNSHUNT_SCRIPT="$WORK/fv.script" run console
eq "filter and :view script: exit 0" "$(rc)" 0
eq "a filter from the last line: the cursor on the last match" \
   "$(sed -n 1p filter-end.txt | grep -o 'row [0-9]* of [0-9]*')" \
   "row 41 of 41"
eq "a filter from the last line: a full screen of matches" \
   "$(grep -c '^~' filter-end.txt)" 0
has "the filter's count" filter-end.txt "lines matching 'cloudfront'"
has "clearing it: the count with separators" filter-none.txt "showing all "
eq "q after :view leaves the console" "$(ls after-q.txt 2>/dev/null)" ""

# :import from the console: what it did, and nothing new said so.
printf '%s\n' ":import $F/hostile.jsonl" 'dump import-again.txt' \
    ':import -' 'dump import-stdin.txt' >"$WORK/imp.script"
DNSHUNT_SCRIPT="$WORK/imp.script" run console
eq ":import script: exit 0" "$(rc)" 0
has ":import of a file already in: nothing new" import-again.txt \
    "imported 0 files whole, 0 in part (1 skipped, 0 failed): 0 rows, 0 rejected; nothing new"
has ":import -: refused" import-stdin.txt \
    "import: '-' is not a file or directory"

# A name that reads "busy" is not a busy store; reloading a :sql view
# (R, or an import) keeps its rows and the message.
printf '%s\n' ':allow suffix busy' 'dump busy.txt' \
    ':sql SELECT addr FROM hosts ORDER BY addr' 'j' 'j' 'R' 'dump sql-reload.txt' \
    ":import $F/hostile.jsonl" 'dump sql-import.txt' >"$WORK/busy.script"
DNSHUNT_SCRIPT="$WORK/busy.script" run console
eq "busy script: exit 0" "$(rc)" 0
has "a name with 'busy' in it: refused, not waited on" busy.txt \
    "not added: busy is a public suffix"
has "R on a :sql view: the cursor stays" sql-reload.txt \
    "SQL SELECT addr FROM hosts ORDER BY addr | row 3 of"
has "an import under a :sql view: its message stays" sql-import.txt \
    "imported 0 files whole"
