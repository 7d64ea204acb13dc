#!/bin/sh
# SPDX-License-Identifier: MIT
#
# run.sh: the dnshunt benchmark, run by `make bench` as
#   sh tests/bench/run.sh ./dnshunt
# Builds tests/bench/gen.c, generates one synthetic day of Route 53
# Resolver query logs and of VPC Flow Logs, times `dnshunt import` on
# them (wall seconds, rows/s, peak RSS), measures the store's size per
# resolver row, streams a 4x larger day through stdin to show whether
# memory stays flat, and times reference tools on the same rows: zcat,
# jq, the sqlite3 shell's .import and DuckDB's read_json; and imports the
# flow rows again as Parquet (written by DuckDB) with three codecs, then
# text and Parquet turn about BENCH_PQ_ROUNDS times (3). It prints
# figures only and never judges timing. Exit status is non-zero only when
# dnshunt itself fails (or the generator cannot be built); a missing
# reference tool is reported and skipped.
#
# Environment: BENCH_DNS_ROWS (1000000), BENCH_FLOW_ROWS (2000000),
# BENCH_BIG_ROWS (4000000), BENCH_SEED (20240501), BENCH_NPM_DIR
# (tests/bench/.npm), BENCH_DUCKDB (the npm spec to install,
# @duckdb/node-api@1.5.6-r.1), BENCH_NO_DUCKDB=1 skips DuckDB,
# BENCH_PQ_ROUNDS (3) rounds of text against Parquet, 0 for none.

set -u

BIN=${1:-./dnshunt}
HERE=$(cd "$(dirname "$0")" && pwd)
DNS_ROWS=${BENCH_DNS_ROWS:-1000000}
FLOW_ROWS=${BENCH_FLOW_ROWS:-2000000}
BIG_ROWS=${BENCH_BIG_ROWS:-4000000}
SEED=${BENCH_SEED:-20240501}
NPM_DIR=${BENCH_NPM_DIR:-$HERE/.npm}
DUCKDB_SPEC=${BENCH_DUCKDB:-@duckdb/node-api@1.5.6-r.1}

for v in "$DNS_ROWS" "$FLOW_ROWS" "$BIG_ROWS" "$SEED"; do
    case $v in
    '' | *[!0-9]*)
        echo "bench: row counts and seed must be numbers, got '$v'" >&2
        exit 2 ;;
    esac
done

case $BIN in
/*) ;;
*) BIN=$(cd "$(dirname "$BIN")" 2>/dev/null && pwd)/$(basename "$BIN") ;;
esac

T=$(mktemp -d /tmp/dnshunt-bench.XXXXXX) || exit 2
trap 'rm -rf "$T"' EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

FAILED=0            # set when dnshunt fails
NOTES=$T/notes      # lines printed under the table
: > "$NOTES"

say() {
    echo "bench: $*" >&2
}

note() {
    echo "$*" >> "$NOTES"
}

have() {
    command -v "$1" >/dev/null 2>&1
}

# timed OUT CMD...: runs CMD, writes "SECONDS PEAK_KB" to OUT, returns
# CMD's status. Peak KB is "-" without GNU time.
timed() {
    _out=$1
    shift
    if [ -x /usr/bin/time ]; then
        /usr/bin/time -f '%e %M' -o "$_out" "$@"
        _rc=$?
        # GNU time prefixes a line when the command failed.
        tail -n 1 "$_out" > "$_out.l" && mv "$_out.l" "$_out"
        return $_rc
    fi
    _t0=$(date +%s.%N)
    "$@"
    _rc=$?
    _t1=$(date +%s.%N)
    echo "$_t0 $_t1" | awk '{ printf "%.2f -\n", $2 - $1 }' > "$_out"
    return $_rc
}

# row LABEL ROWS TIMEFILE: one line of the table.
row() {
    read -r _secs _kb < "$3"
    awk -v l="$1" -v n="$2" -v s="$_secs" -v k="$_kb" 'BEGIN {
        rps = (s + 0 > 0 && n ~ /^[0-9]+$/) ? sprintf("%.0f", n / s) : "-"
        mb = (k ~ /^[0-9]+$/) ? sprintf("%.0f", k / 1024) : "-"
        printf "%-40s %9s %9s %10s %8s\n", l, n, s, rps, mb
    }'
}

row_na() {
    printf "%-40s %9s %9s %10s %8s\n" "$1" "-" "-" "-" "-"
}

# stat_field DB NAME: one number from `dnshunt stats --format json`,
# or from a count(*) on the table when stats cannot tell.
stat_field() {
    _v=""
    if "$BIN" --db "$1" stats --format json > "$T/stats.json" \
            2> "$T/stats.err" && have jq; then
        _v=$(jq -r --arg k "$2" '.[$k] // empty' "$T/stats.json" \
             2>/dev/null)
    fi
    case $_v in
    '' | *[!0-9]*)
        _v=$(sqlite3 "$1" "SELECT count(*) FROM $2" 2>/dev/null)
        [ -n "$_v" ] && note "note: $2 counted with sqlite3;" \
            "'stats --format json' gave no number"
        ;;
    esac
    echo "${_v:--}"
}

# import_run LABEL DB FILE|- [OPTION]: times one dnshunt import into a
# fresh db. Reads stdin when FILE is "-". Returns dnshunt's status; may
# run in a pipeline's subshell, so the caller sets FAILED.
import_run() {
    rm -f "$2" "$2-wal" "$2-shm"
    timed "$T/time" "$BIN" --db "$2" import --quiet ${4:-} "$3" \
        > "$T/import.out" 2> "$T/import.err"
    _rc=$?
    if [ $_rc -ne 0 ]; then
        note "FAILED: $1: dnshunt import exited $_rc; its stderr ends:"
        tail -n 5 "$T/import.err" | sed 's/^/    /' >> "$NOTES"
    elif [ -s "$T/import.err" ] || [ -s "$T/import.out" ]; then
        note "note: $1: 'import --quiet' printed" \
            "$(cat "$T/import.out" "$T/import.err" | wc -l) line(s), e.g.:"
        cat "$T/import.out" "$T/import.err" | head -n 2 \
            | cut -c 1-150 | sed 's/^/    /' >> "$NOTES"
    fi
    return $_rc
}

# checkpoint DB: folds the WAL back into the db file.
checkpoint() {
    sqlite3 "$1" 'PRAGMA wal_checkpoint(TRUNCATE);' > /dev/null 2>&1
}

file_bytes() {
    if [ -f "$1" ]; then wc -c < "$1" | tr -d ' '; else echo 0; fi
}

# store_report DB ROWS WHAT: bytes per row of the store, names apart.
store_report() {
    _db=$1
    _rows=$2
    checkpoint "$_db"
    _file=$(file_bytes "$_db")
    _wal=$(file_bytes "$_db-wal")
    case $_rows in
    '' | *[!0-9]* | 0) note "store ($3): no rows to divide by"; return ;;
    esac
    note "$(awk -v f="$_file" -v w="$_wal" -v n="$_rows" -v x="$3" \
        'BEGIN { printf "store (%s): db file %.1f MB after " \
                 "wal_checkpoint(TRUNCATE) (wal %d bytes), " \
                 "%.1f bytes per row overall\n", x, f / 1048576, w, f / n }')"
    if [ "$3" != route53 ]; then
        return
    fi
    _ex="'names','sqlite_autoindex_names_1','names_domain'"
    if sqlite3 "$_db" "SELECT count(*) FROM dbstat LIMIT 1" \
            > /dev/null 2>&1; then
        _rest=$(sqlite3 "$_db" "SELECT sum(pgsize) FROM dbstat
                                WHERE name NOT IN ($_ex)")
        _nm=$(sqlite3 "$_db" "SELECT sum(pgsize) FROM dbstat
                              WHERE name IN ($_ex)")
        _how="dbstat, sum(pgsize) of every table and index but names"
    else
        # No dbstat: drop names and its indexes from a copy, VACUUM it
        # and take page_count * page_size.
        cp "$_db" "$T/copy.db"
        sqlite3 "$T/copy.db" "PRAGMA foreign_keys=OFF; DROP VIEW IF
            EXISTS query_log; DROP TABLE names; VACUUM;" > /dev/null 2>&1
        _rest=$(sqlite3 "$T/copy.db" "SELECT page_count * page_size FROM
            pragma_page_count, pragma_page_size")
        _nm=$((_file - _rest))
        rm -f "$T/copy.db"
        _how="no dbstat: page_count*page_size of a VACUUMed copy"
        _how="$_how without names"
    fi
    _names=$(sqlite3 "$_db" "SELECT count(*) FROM names" 2>/dev/null)
    awk -v r="${_rest:-0}" -v n="$_rows" -v m="${_nm:-0}" \
        -v k="${_names:-0}" -v how="$_how" 'BEGIN {
        printf "store bytes per resolver row (excl. names): %.1f\n", r / n
        printf "  (%s)\n", how
        if (k > 0)
            printf "  names: %d distinct, %.1f MB, %.1f bytes per name\n",
                   k, m / 1048576, m / k
    }' >> "$NOTES"
    if sqlite3 "$_db" "SELECT count(*) FROM dbstat LIMIT 1" \
            > /dev/null 2>&1; then
        echo "  by table and index (MB):" >> "$NOTES"
        sqlite3 -separator ' ' "$_db" "SELECT name,
            printf('%.1f', sum(pgsize) / 1048576.0) FROM dbstat
            GROUP BY name HAVING sum(pgsize) > 65536
            ORDER BY sum(pgsize) DESC" | awk '{ printf "    %-28s %8s\n",
            $1, $2 }' >> "$NOTES"
    fi
}

# ---- setup ------------------------------------------------------------

if [ ! -x "$BIN" ]; then
    echo "bench: $BIN not found or not executable; build it with make" >&2
    exit 1
fi
# Run a copy, so that a rebuild during the bench cannot mix two builds.
ORIG_BIN=$BIN
cp "$BIN" "$T/dnshunt" || exit 2
BIN=$T/dnshunt

for t in cc gzip zcat sqlite3; do
    have "$t" || { echo "bench: $t is required" >&2; exit 2; }
done
[ -x /usr/bin/time ] || note "note: /usr/bin/time missing: no peak RSS" \
    "figures (install Debian's 'time')"

say "building gen"
cc -O2 -o "$T/gen" "$HERE/gen.c" || { echo "bench: gen.c failed" >&2;
                                      exit 2; }
GEN=$T/gen

say "generating $DNS_ROWS Route 53 rows and $FLOW_ROWS flow rows"
DNS=$T/route53.log.gz
FLOW=$T/flow.log.gz
"$GEN" route53 --rows "$DNS_ROWS" --seed "$SEED" | gzip -1 > "$DNS" &
p1=$!
"$GEN" flow --rows "$FLOW_ROWS" --seed "$SEED" | gzip -1 > "$FLOW" &
p2=$!
wait $p1 || { echo "bench: generating Route 53 rows failed" >&2; exit 2; }
wait $p2 || { echo "bench: generating flow rows failed" >&2; exit 2; }
NODATA=$(zcat "$FLOW" | grep -c ' NODATA ')
DNS_RAW=$(zcat "$DNS" | wc -c | tr -d ' ')
FLOW_RAW=$(zcat "$FLOW" | wc -c | tr -d ' ')

echo "dnshunt benchmark  $(date -u +%Y-%m-%dT%H:%M:%SZ)  $(nproc) cores" \
    " $(uname -m)"
echo "dnshunt: $ORIG_BIN" \
    "$("$BIN" --version 2>/dev/null | head -n 1 | cut -c 1-60)"
echo "sqlite3 $(sqlite3 --version | cut -d' ' -f1)," \
    "$(jq --version 2>/dev/null || echo 'no jq')," \
    "node $(node --version 2>/dev/null || echo 'missing')"
awk -v a="$DNS_ROWS" -v b="$(file_bytes "$DNS")" -v c="$DNS_RAW" \
    -v d="$FLOW_ROWS" -v e="$(file_bytes "$FLOW")" -v f="$FLOW_RAW" \
    -v s="$SEED" -v nd="$NODATA" 'BEGIN {
    printf "input (seed %s): route53 %d rows, %.1f MB gz (%.1f MB raw);" \
           " flow %d rows, %.1f MB gz (%.1f MB raw), %d NODATA\n",
           s, a, b / 1048576, c / 1048576, d, e / 1048576, f / 1048576, nd
}'
echo
printf "%-40s %9s %9s %10s %8s\n" benchmark rows seconds rows/s "peak MB"

# ---- dnshunt ----------------------------------------------------------

DB=$T/bench.db
if import_run "route53 (gz)" "$DB" "$DNS"; then
    n=$(stat_field "$DB" queries)
    rj=$(stat_field "$DB" rejected_rows)
    row "dnshunt import route53 (gz)" "$n" "$T/time"
    [ "$n" = "$DNS_ROWS" ] || note "CHECK: route53: $n queries stored," \
        "$DNS_ROWS generated"
    [ "$rj" = 0 ] || note "CHECK: route53: $rj rejected rows" \
        "(the generator writes none that should be rejected)"
    store_report "$DB" "$n" route53
else
    FAILED=1
    row_na "dnshunt import route53 (gz)"
fi
rm -f "$DB" "$DB-wal" "$DB-shm"

# The same files on one thread: the figure for single-threaded parsing.
for kind in route53 flow; do
    file=$DNS table=queries
    [ $kind = flow ] && file=$FLOW table=flows
    if import_run "$kind (gz, 1 thread)" "$DB" "$file" "--threads 1"; then
        row "dnshunt import $kind (gz, 1 thread)" \
            "$(stat_field "$DB" $table)" "$T/time"
    else
        FAILED=1
        row_na "dnshunt import $kind (gz, 1 thread)"
    fi
    rm -f "$DB" "$DB-wal" "$DB-shm"
done

if import_run "flow (gz)" "$DB" "$FLOW"; then
    n=$(stat_field "$DB" flows)
    hr=$(stat_field "$DB" health_records)
    rj=$(stat_field "$DB" rejected_rows)
    row "dnshunt import flow (gz)" "$n" "$T/time"
    note "flow: $n flows and $hr health records stored" \
        "(generated: $((FLOW_ROWS - NODATA)) + $NODATA NODATA)," \
        "$rj rejected"
    if [ "$n" != "$((FLOW_ROWS - NODATA))" ] || [ "$hr" != "$NODATA" ]
    then
        note "CHECK: flow: stored counts differ from generated ones"
    fi
    store_report "$DB" "$n" flow
else
    FAILED=1
    row_na "dnshunt import flow (gz)"
fi
rm -f "$DB" "$DB-wal" "$DB-shm"

# The same day and a 4x larger one streamed through stdin, uncompressed:
# peak RSS should not grow with the input.
for n_rows in "$DNS_ROWS" "$BIG_ROWS"; do
    label="dnshunt import route53 (stdin)"
    [ "$n_rows" = "$DNS_ROWS" ] || label="dnshunt import route53 (stdin, big)"
    if "$GEN" route53 --rows "$n_rows" --seed "$SEED" \
            | import_run "$label" "$DB" -; then
        n=$(stat_field "$DB" queries)
        row "$label" "$n" "$T/time"
        read -r _ kb < "$T/time"
        echo "$n_rows $kb $(stat_field "$DB" names)" >> "$T/rss"
        [ "$n" = "$n_rows" ] || note "CHECK: $label: $n queries stored," \
            "$n_rows generated"
        checkpoint "$DB"
        [ "$n_rows" = "$DNS_ROWS" ] || note "$(awk -v f="$(file_bytes \
            "$DB")" -v n="$n_rows" 'BEGIN { printf "store (route53 big):" \
            " db file %.1f MB, %.1f bytes per row overall\n",
            f / 1048576, f / n }')"
    else
        FAILED=1
        row_na "$label"
    fi
    rm -f "$DB" "$DB-wal" "$DB-shm"
done

if [ -s "$T/rss" ]; then
    note "$(awk '{ n[NR] = $1; k[NR] = $2; d[NR] = $3 } END {
        s = "peak RSS through stdin:"
        for (i = 1; i <= NR; i++)
            s = s sprintf(" %s MB at %d rows (%s names)%s",
                          k[i] ~ /^[0-9]+$/ ? sprintf("%.1f", k[i] / 1024) \
                          : "-", n[i], d[i], i < NR ? "," : "")
        if (NR == 2 && k[1] + 0 > 0)
            s = s sprintf(" (x%.2f for x%.1f rows)", k[2] / k[1],
                          n[2] / n[1])
        print s }' "$T/rss")"
fi

# ---- reference points -------------------------------------------------

timed "$T/time" sh -c '"$1" route53 --rows "$2" --seed "$3" > /dev/null' \
    sh "$GEN" "$DNS_ROWS" "$SEED"
row "ref: gen route53 > /dev/null" "$DNS_ROWS" "$T/time"
timed "$T/time" sh -c 'zcat "$1" > /dev/null' sh "$DNS"
row "ref: zcat route53 > /dev/null" "$DNS_ROWS" "$T/time"

if have jq; then
    if timed "$T/time" sh -c 'zcat "$1" | jq -c . > /dev/null' sh "$DNS"
    then
        row "ref: zcat | jq -c . (route53)" "$DNS_ROWS" "$T/time"
    else
        row_na "ref: zcat | jq -c . (route53)"
        note "note: jq failed on the route53 file"
    fi
else
    row_na "ref: zcat | jq -c . (route53)"
    note "note: jq missing: no jq reference and no route53 CSV"
fi

# sqlite3 .import of the main route53 fields as CSV (converted untimed).
COLS="ts, query_name, query_type, query_class, rcode, srcaddr, srcport,
      transport, vpc_id, account_id, region, version, instance, answers"
if have jq && zcat "$DNS" | jq -r '[.query_timestamp, .query_name,
        .query_type, .query_class, .rcode, .srcaddr, .srcport, .transport,
        .vpc_id, .account_id, .region, .version, (.srcids.instance // ""),
        (.answers | tojson)] | @csv' > "$T/route53.csv"; then
    rm -f "$T/ref.db"
    sqlite3 "$T/ref.db" "CREATE TABLE q($COLS);"
    if timed "$T/time" sqlite3 "$T/ref.db" ".import --csv $T/route53.csv q"
    then
        n=$(sqlite3 "$T/ref.db" "SELECT count(*) FROM q")
        row "ref: sqlite3 .import --csv (route53)" "$n" "$T/time"
        note "$(awk -v f="$(file_bytes "$T/ref.db")" -v n="$n" 'BEGIN {
            printf "ref: sqlite3 .import route53 (14 text columns, no" \
                   " index): %.1f bytes per row\n", f / n }')"
    else
        row_na "ref: sqlite3 .import --csv (route53)"
    fi
    rm -f "$T/ref.db" "$T/route53.csv"
else
    row_na "ref: sqlite3 .import --csv (route53)"
fi

# The flow file as CSV: the header row names the table's columns.
zcat "$FLOW" | awk 'NR == 1 { gsub(/-/, "_") } { gsub(/ /, ",") } 1' \
    > "$T/flow.csv"
rm -f "$T/ref.db"
if timed "$T/time" sqlite3 "$T/ref.db" ".import --csv $T/flow.csv f"; then
    n=$(sqlite3 "$T/ref.db" "SELECT count(*) FROM f")
    row "ref: sqlite3 .import --csv (flow)" "$n" "$T/time"
else
    row_na "ref: sqlite3 .import --csv (flow)"
fi
rm -f "$T/ref.db" "$T/flow.csv"

# DuckDB's read_json through its npm package, cached in $NPM_DIR.
duck=""
if [ -n "${BENCH_NO_DUCKDB:-}" ]; then
    note "note: DuckDB reference skipped (BENCH_NO_DUCKDB)"
elif ! have node || ! have npm; then
    note "note: DuckDB reference unavailable: node or npm missing"
else
    if [ ! -f "$NPM_DIR/node_modules/@duckdb/node-api/package.json" ]; then
        say "installing $DUCKDB_SPEC into $NPM_DIR"
        mkdir -p "$NPM_DIR"
        npm install --prefix "$NPM_DIR" --no-audit --no-fund \
            --loglevel=error "$DUCKDB_SPEC" > "$T/npm.log" 2>&1 \
            || { note "note: DuckDB reference unavailable: npm install" \
                     "$DUCKDB_SPEC failed:"
                 tail -n 3 "$T/npm.log" | sed 's/^/    /' >> "$NOTES"; }
    fi
    [ -f "$NPM_DIR/node_modules/@duckdb/node-api/package.json" ] && duck=1
fi
if [ -n "$duck" ]; then
    if timed "$T/time" node "$HERE/duckdb_load.mjs" "$NPM_DIR" "$DNS" \
            > "$T/duck.out" 2> "$T/duck.err"; then
        read -r n secs threads < "$T/duck.out"
        row "ref: duckdb read_json ($threads threads)" "$n" "$T/time"
        ver=$(sed -n 's/.*"version": *"\([^"]*\)".*/\1/p' \
              "$NPM_DIR/node_modules/@duckdb/node-api/package.json")
        note "ref: duckdb (@duckdb/node-api $ver, in-memory table):" \
            "CREATE TABLE alone took ${secs}s with $threads threads;" \
            "the row's seconds include starting node"
    else
        row_na "ref: duckdb read_json"
        note "note: DuckDB reference failed:"
        tail -n 3 "$T/duck.err" | sed 's/^/    /' >> "$NOTES"
    fi
else
    row_na "ref: duckdb read_json"
fi

# The flow rows again as Parquet (written by DuckDB), beside the text.
if [ -n "$duck" ]; then
    for codec in gzip snappy zstd; do
        pq=$T/flow-$codec.parquet
        if ! node "$HERE/parquet_write.mjs" "$NPM_DIR" "$FLOW" "$pq" $codec \
                > "$T/pq.err" 2>&1; then
            row_na "dnshunt import flow (parquet $codec)"
            note "note: writing Parquet with DuckDB failed:"
            tail -n 3 "$T/pq.err" | sed 's/^/    /' >> "$NOTES"
            continue
        fi
        if import_run "flow (parquet $codec)" "$DB" "$pq"; then
            n=$(stat_field "$DB" flows)
            row "dnshunt import flow (parquet $codec)" "$n" "$T/time"
            note "flow (parquet $codec): $(wc -c < "$pq" | tr -d ' ') bytes," \
                "$n flows and $(stat_field "$DB" health_records) health" \
                "records stored"
        else
            FAILED=1
            row_na "dnshunt import flow (parquet $codec)"
            rm -f "$pq"
        fi
        rm -f "$DB" "$DB-wal" "$DB-shm"
    done
else
    row_na "dnshunt import flow (parquet)"
fi

# Text and Parquet side by side: one run of each is at the mercy of
# whatever else the machine does, so each format is imported
# BENCH_PQ_ROUNDS times, turn about, and the median compared.
ROUNDS=${BENCH_PQ_ROUNDS:-3}
if [ -n "$duck" ] && [ "$ROUNDS" -gt 0 ]; then
    : > "$T/rounds"
    for r in $(seq "$ROUNDS"); do
        for f in text:$FLOW gzip:$T/flow-gzip.parquet \
                 snappy:$T/flow-snappy.parquet zstd:$T/flow-zstd.parquet; do
            [ -f "${f#*:}" ] || continue
            if import_run "flow (${f%%:*}, round $r)" "$DB" "${f#*:}"; then
                read -r secs _ < "$T/time"
                echo "${f%%:*} $secs" >> "$T/rounds"
            else
                FAILED=1
            fi
            rm -f "$DB" "$DB-wal" "$DB-shm"
        done
    done
    echo
    echo "== flow import, text and Parquet turn about, $ROUNDS rounds" \
         "(wall seconds)"
    sort -k1,1 -k2n "$T/rounds" | awk '
        { t[$1] = t[$1] " " $2; n[$1]++; v[$1, n[$1]] = $2 }
        END {
            base = v["text", int((n["text"] + 1) / 2)]
            split("text gzip snappy zstd", order, " ")
            for (i = 1; i <= 4; i++) {
                k = order[i]
                if (!n[k]) continue
                med = v[k, int((n[k] + 1) / 2)]
                printf "%-8s median %6.2f  vs text %+5.1f%%   runs:%s\n",
                       k, med, (base > 0 ? 100 * (med - base) / base : 0),
                       t[k]
            }
        }'
fi
rm -f "$T"/flow-*.parquet

echo
cat "$NOTES"
if [ "$FAILED" -ne 0 ]; then
    echo "bench: dnshunt failed (see above)" >&2
    exit 1
fi
exit 0
