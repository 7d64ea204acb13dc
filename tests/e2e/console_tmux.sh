#!/bin/sh
# The console in a real terminal (tmux), as a new user meets it: open
# it on a scored store, drill into the top host and its worst domain,
# mark it, allow-list a CDN parent, export, use the : line (readline,
# with its history saved), quit; then check the store and the file.
. "$(dirname "$0")/lib.sh"

F="$WORK/fx"
mkdir -p "$F"
awk -v out="$F" -f "$TOP/tests/e2e/score_fixture.awk"
"$DNSHUNT" import --quiet "$F/dns.jsonl" "$F/flow.log"
"$DNSHUNT" score --quiet

SOCK="dnshunt-test-$$"
T() { tmux -L "$SOCK" "$@"; }
trap 'tmux -L "$SOCK" kill-server 2>/dev/null; rm -rf "$WORK"' EXIT

# wait_for TEXT: until the screen shows TEXT (5 seconds at most).
wait_for() {
    i=0
    while [ $i -lt 50 ]; do
        T capture-pane -p -t t >"$WORK/screen" 2>/dev/null
        grep -qF -- "$1" "$WORK/screen" && return 0
        sleep 0.1
        i=$((i + 1))
    done
    return 1
}
shows() {   # shows NAME TEXT
    if wait_for "$2"; then ok "$1"; else
        notok "$1" "missing: $2" "$(cat "$WORK/screen")"; fi
}

T new-session -d -s t -x 120 -y 30 \
    "env TERM=xterm XDG_STATE_HOME='$WORK/state' DNSHUNT_DB='$DB' '$DNSHUNT'; sleep 3"
shows "dnshunt alone opens the console on the hosts" "dnshunt | Hosts | row 1 of"
shows "the top host first" "1.000 critical 10.0.0.21"
T send-keys -t t Enter
shows "Enter opens the top host" "dnshunt | Host 10.0.0.21"
shows "with its reasons and techniques" "dga              T1568.002"
T send-keys -t t / '^  [a-z]+\.biz' Enter
T send-keys -t t Enter
shows "its worst domain opens" "dnshunt | Domain "
shows "with the DGA model's explanation" "base rate"
T send-keys -t t t
shows "t asks for a note" "note for tp on"
T send-keys -t t 'the DGA' Enter
shows "t marks it" "marked tp"
T send-keys -t t q q
T send-keys -t t : 'domain d1a2b3c4d5e6f7.cloudfront.net' Enter
shows "a CDN name opens" "dnshunt | Domain d1a2b3c4d5e6f7.cloudfront.net"
T send-keys -t t a
shows "a asks how to allow-list" "as exact, suffix or registrable [suffix]"
T send-keys -t t 'suffix cloudfront.net' Enter Enter
shows "a says what the entry covers" "covers 41 domains (70 queries)"
T send-keys -t t y Enter 'CDN labels' Enter
shows "a adds it" "entry 1 added: suffix cloudfront.net (lexical)"
T send-keys -t t q e
shows "e asks which export" "export as stix, misp, alerts or sigma [stix]"
T send-keys -t t Enter
shows "e asks where" "write the stix export to [dnshunt-indicators.json]"
T send-keys -t t "$WORK/iocs.json" Enter
shows "e writes the bundle" "1 indicator written to"
shows "q goes back to the hosts" "dnshunt | Hosts"
T send-keys -t t : 'ho'
T send-keys -t t Tab
T send-keys -t t '10.0.0.2'
T send-keys -t t 3 Enter
shows "the : line with Tab completion opens a host" "dnshunt | Host 10.0.0.23"
T send-keys -t t Tab
shows "Tab goes to the next top view" "dnshunt | Alerts"
T send-keys -t t C-c
shows "Ctrl-C does not kill the console" "Ctrl-C does not quit"
# :import, cancelled by a q typed ahead: it is read at the first
# progress report (65,536 rows), and the file is rolled back.
awk 'BEGIN { for (i = 0; i < 100000; i++)
    printf "{\"version\":\"1.100000\",\"account_id\":\"1\",\"region\":" \
    "\"r\",\"vpc_id\":\"v\",\"query_timestamp\":\"2024-05-01T12:00:00Z\"," \
    "\"query_name\":\"n%d.example.com.\",\"query_type\":\"A\"," \
    "\"query_class\":\"IN\",\"rcode\":\"NOERROR\",\"answers\":[]," \
    "\"srcaddr\":\"10.0.9.9\",\"srcport\":\"1\",\"transport\":\"UDP\"," \
    "\"srcids\":{}}\n", i }' >"$WORK/many.jsonl"
n_before=$(sql "SELECT count(*) FROM queries")
T send-keys -t t : "import $WORK/many.jsonl" Enter q
shows ":import: q cancels it" "import cancelled: 0 files imported whole"
eq ":import cancelled: no row of the file kept" \
   "$(sql "SELECT count(*) FROM queries")" "$n_before"
# Another process imports and scores while the console sits idle: within
# a second or two, without a key, it reloads and says so.
sed -n 1,3p "$WORK/many.jsonl" | sed 's/10\.0\.9\.9/10.0.9.77/' >"$WORK/late.jsonl"
"$DNSHUNT" import --quiet "$WORK/late.jsonl"
shows "an idle console notices an import by another process" \
    "new data from another process, reloaded; files were imported after"
"$DNSHUNT" score --quiet
shows "and the scoring run after it" \
    "new data from another process, reloaded; ? for help"
T send-keys -t t Q
i=0
while T has-session -t t 2>/dev/null && ! T capture-pane -p -t t |
      grep -q '^\$\|^$' && [ $i -lt 30 ]; do sleep 0.1; i=$((i + 1)); done
sleep 0.3
has "the history is saved" "$WORK/state/dnshunt/history" "host 10.0.0.23"
eq "the store has the verdict" "$(sql "SELECT subject, verdict, note
    FROM verdicts")" "domain|tp|the DGA"
eq "and the allow-list entry" "$(sql "SELECT kind, value, scope, reason
    FROM allow_entries")" "suffix|cloudfront.net|lexical|CDN labels"
has "the bundle has the indicator" "$WORK/iocs.json" '"pattern_type":"stix"'


# A terminal type that curses does not know: a message, exit 2.
T new-session -d -s u -x 80 -y 24 \
    "env TERM=no-such-terminal DNSHUNT_DB='$DB' '$DNSHUNT' console \
     2>'$WORK/term.err'; echo \"exit \$?\" >'$WORK/term.rc'; sleep 3"
i=0
while [ ! -s "$WORK/term.rc" ] && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
eq "an unknown terminal type: exit 2" "$(cat "$WORK/term.rc")" "exit 2"
has "an unknown terminal type: says so" "$WORK/term.err" \
    "cannot drive the terminal type 'no-such-terminal'"
