#!/bin/sh
# The console open while an import and scoring runs work on the same store
# in other processes. The console is fed its keys through a FIFO, one at
# a time, so the test knows what it has done. It must never show a
# "database is locked" (nor any other error), must show the new data once
# it is committed (the idle poll), and nothing may be lost: the rows equal
# a serial import of the same files, the analyst's verdict made during
# the import is kept, and the store passes its integrity check.
. "$(dirname "$0")/lib.sh"

"$DNSHUNT" simulate --out "$WORK/sim" --hosts 120 --hours 12 >/dev/null
find "$WORK/sim/AWSLogs" -type f -name '*.gz' | sort >"$WORK/all"
# The first three hours first, the other nine while the console is open.
grep -E 'T0[0-2][0-9]{2}Z' "$WORK/all" >"$WORK/first"
grep -vE 'T0[0-2][0-9]{2}Z' "$WORK/all" >"$WORK/rest"

"$DNSHUNT" import --quiet --db "$WORK/serial.db" $(cat "$WORK/all")
serial() {
    sqlite3 -batch "$WORK/serial.db" "SELECT (SELECT count(*) FROM
        queries) || ' ' || (SELECT count(*) FROM flows)"
}

"$DNSHUNT" import --quiet $(cat "$WORK/first")
"$DNSHUNT" score --quiet

export LINES=30 COLUMNS=120 TERM=xterm TZ=UTC LC_ALL=C USER=analyst
cd "$WORK" || exit 1
mkfifo keys
DNSHUNT_SCRIPT=keys "$DNSHUNT" console >console.out 2>console.err &
console=$!
exec 3>keys
key() { printf '%s\n' "$@" >&3; }
# dump NAME: the screen, once the console has done every key before it.
dump() {
    key "dump $1"
    i=0
    while [ ! -s "$1" ] && [ "$i" -lt 600 ]; do
        sleep 0.05
        i=$((i + 1))
    done
}

dump before.screen
hosts_before=$(sed -n '1s/.* of \([0-9]*\) .*/\1/p' before.screen)

# The import and three scoring runs, each in its own process, at once.
( "$DNSHUNT" import --quiet $(cat rest) >import.out 2>import.err
  echo $? >import.rc ) &
writer=$!
( for i in 1 2 3; do
      "$DNSHUNT" score --quiet >>score.out 2>>score.err || echo $? >>score.rc
  done ) &
scorer=$!

# The analyst keeps working: moves, opens, switches views, polls, and
# marks the top host while the writers run.
n=0
while kill -0 "$writer" 2>/dev/null || kill -0 "$scorer" 2>/dev/null; do
    n=$((n + 1))
    key j Enter j q Tab Tab poll Tab Tab Tab Tab Tab g
    dump "during-$n.screen"
    [ "$n" -eq 2 ] && key t "marked during the import"
    [ "$n" -ge 400 ] && break
done
wait "$writer" "$scorer"
[ "$n" -lt 2 ] && key t "marked during the import"
"$DNSHUNT" score --quiet

key poll
dump after.screen
key Q
exec 3>&-
wait "$console"
eq "console: exit 0" "$?" 0
eq "console: nothing on stderr" "$(cat console.err)" ""
eq "import alongside the console and scoring: exit 0, quiet" \
   "$(cat import.rc) $(cat import.err)" "0 "
eq "scoring alongside the import and the console: every run exit 0" \
   "$(cat score.rc 2>/dev/null) $(cat score.err)" " "
if [ "$n" -ge 2 ]; then ok "the console worked through the writes ($n rounds)"
else notok "the console worked through the writes" "only $n rounds"; fi

# No screen ever showed an error or a lock.
cat before.screen during-*.screen after.screen >screens
hasnt "no screen says the store is locked" screens "locked"
hasnt "no screen shows an error" screens "cannot read"
hasnt "no screen gave up waiting" screens "gave up"

# The idle poll brought the new data: the screen is that of a console
# opened afresh, but for the status line saying it reloaded.
printf 'dump fresh.screen\n' >fresh.script
DNSHUNT_SCRIPT=fresh.script "$DNSHUNT" console >/dev/null 2>&1
eq "after the writes, the open console shows what a fresh one does" \
   "$(sed '$d' after.screen)" "$(sed '$d' fresh.screen)"
has "the status line says new data was loaded" after.screen \
    "new data from another process, reloaded"
hosts_after=$(sed -n '1s/.* of \([0-9]*\) .*/\1/p' after.screen)
if [ -n "$hosts_before" ] && [ "$hosts_after" -gt "$hosts_before" ]; then
    ok "the hosts of the later hours appeared ($hosts_before, then $hosts_after)"
else notok "the hosts of the later hours appeared" \
    "before: $hosts_before after: $hosts_after"; fi

# Nothing lost.
eq "queries and flows equal a serial import of the same files" \
   "$(sql "SELECT (SELECT count(*) FROM queries) || ' ' ||
                  (SELECT count(*) FROM flows)")" "$(serial)"
eq "every file imported once, whole" \
   "$(sql "SELECT count(*), sum(status = 'ok') FROM imports")" \
   "$(wc -l <all | tr -d ' ')|$(wc -l <all | tr -d ' ')"
eq "the verdict made during the import is kept" \
   "$(sql "SELECT count(*) FROM verdicts WHERE note =
           'marked during the import'")" 1
eq "integrity check" "$(sql "PRAGMA integrity_check")" ok
eq "the last scoring covers every import" \
   "$(sql "SELECT max(id) FROM imports") " \
   "$(sql "SELECT last_import FROM score_runs ORDER BY id DESC LIMIT 1") "

# A write lock held for 3 s (an analyst's sqlite3 session): the import
# says it waits, then completes.
( printf 'BEGIN IMMEDIATE;\nINSERT INTO audit_log(at, who, action, detail)
  VALUES (0, %s, %s, %s);\n' "'test'" "'held'" "''"; sleep 3
  printf 'COMMIT;\n' ) |
    sqlite3 -batch "$DB" &
holder=$!
sleep 0.5
printf '%s\n' '{"query_timestamp":"2024-05-01T13:00:00Z","query_name":"late.example.com.","query_type":"A","rcode":"NOERROR","srcaddr":"10.0.9.78"}' >late.jsonl
"$DNSHUNT" import --quiet late.jsonl >late.out 2>late.err
eq "an import behind a held write lock: exit 0" "$?" 0
has "it says it waits" late.err \
    "dnshunt: waiting for another process writing the store"
wait "$holder"
eq "both writes are in" \
   "$(sql "SELECT count(*) FROM audit_log WHERE action = 'held'")
$(sql "SELECT rows_kept FROM imports WHERE path = 'late.jsonl'")" "1
1"
