# Helpers for end-to-end tests; sourced by tests/e2e/*.sh. Each check
# prints a TAP line ("ok - NAME" or "not ok - NAME" with details) that
# tests/run.sh counts. $DNSHUNT is the binary under test, $TOP the tree.
set -u
: "${DNSHUNT:?run through tests/run.sh}"
FIX="$TOP/tests/fixtures"
WORK=$(mktemp -d "${TMPDIR:-/tmp}/dnshunt-e2e.XXXXXX")
trap 'rm -rf "$WORK"' EXIT
DB="$WORK/store.db"
export DNSHUNT_DB="$DB"

# ok NAME / notok NAME DETAIL
ok() { echo "ok - $1"; }
notok() { echo "not ok - $1"; shift; printf '%s\n' "$@" | sed 's/^/#   /'; }

# eq NAME ACTUAL EXPECTED: exact string comparison.
eq() {
    if [ "$2" = "$3" ]; then ok "$1"; else
        notok "$1" "expected: $3" "actual:   $2"; fi
}

# sql QUERY: one query against the test store, '|'-separated output.
sql() { sqlite3 -batch "$DB" "$1"; }

# has NAME FILE TEXT: FILE contains the fixed string TEXT.
has() {
    if grep -qF -- "$3" "$2"; then ok "$1"; else
        notok "$1" "missing: $3" "in: $(head -c 600 "$2")"; fi
}

# hasnt NAME FILE TEXT: FILE does not contain TEXT.
hasnt() {
    if grep -qF -- "$3" "$2"; then
        notok "$1" "unexpected: $3" "in: $(head -c 600 "$2")"
    else ok "$1"; fi
}

# fresh: start again with an empty store.
fresh() { rm -f "$DB" "$DB-wal" "$DB-shm"; }

# run ARGS...: run dnshunt, keep stdout, stderr and status in $WORK.
run() {
    "$DNSHUNT" "$@" >"$WORK/out" 2>"$WORK/err"
    echo $? >"$WORK/rc"
}
rc() { cat "$WORK/rc"; }

# sqln QUERY: like sql, but NULL prints as NULL (not as an empty string).
sqln() { sqlite3 -batch -nullvalue NULL "$DB" "$1"; }

# nobyte NAME FILE OCTAL: FILE holds no byte with that value, e.g. 033
# for ESC: terminal escape sequences never reach the user's terminal.
nobyte() {
    _nb=$(tr -dc "\\$3" <"$2" | wc -c)
    if [ "$_nb" -eq 0 ]; then ok "$1"; else
        notok "$1" "$_nb raw \\$3 byte(s) in output" \
            "in: $(head -c 600 "$2" | od -c | head -8)"; fi
}

# out / err: what the last run printed.
out() { cat "$WORK/out"; }
err() { cat "$WORK/err"; }
