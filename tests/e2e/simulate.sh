# dnshunt simulate: the same seed gives the same bytes, the day imports
# without a rejected row, the truth file matches what the logs hold, and
# the properties of real AWS delivery hold (ten-minute objects, no flows
# to the Amazon-provided resolver, hosts behind the VPC's own resolver
# seen under its address, the resolver cache).
. "$TOP/tests/e2e/lib.sh"

SIM="--hosts 24 --hours 3 --seed 7"
run simulate --out "$WORK/a" $SIM
eq "simulate: exit 0" "$(rc)" 0
SIMQ=$(sed -n 's/^\([0-9]*\) queries.*/\1/p' "$WORK/out")
run simulate --out "$WORK/b" $SIM
eq "simulate: same seed, same files" \
   "$(cd "$WORK/a" && find . -type f | sort | xargs sha256sum | sha256sum)" \
   "$(cd "$WORK/b" && find . -type f | sort | xargs sha256sum | sha256sum)"
run simulate --out "$WORK/c" --hosts 24 --hours 3 --seed 8
eq "simulate: another seed, other files" \
   "$(cmp -s "$WORK/a/truth.json" "$WORK/c/truth.json" || echo differs)" \
   differs

# --- layout --------------------------------------------------------------
T="$WORK/a/truth.json"
tj() { sqlite3 :memory: "SELECT json_extract(readfile('$T'), '$1')"; }
ACC=$(tj '$.account')
VPC=$(tj '$.vpc')
eq "layout: 18 resolver objects, one per ten minutes" \
   "$(find "$WORK/a/AWSLogs/$ACC/vpcdnsquerylogs/$VPC/2024/05/01" -name \
      "${VPC}_vpcdnsquerylogs_${ACC}_20240501T0[0-2][0-5]0Z_*.log.gz" | wc -l)" 18
eq "layout: 18 flow objects" \
   "$(find "$WORK/a/AWSLogs/$ACC/vpcflowlogs/us-east-1/2024/05/01" -name \
      "${ACC}_vpcflowlogs_us-east-1_fl-*_20240501T0[0-2][0-5]0Z_*.log.gz" | wc -l)" 18
eq "layout: gzip files with a flow header line" \
   "$(zcat "$(find "$WORK/a" -name '*vpcflowlogs*T0100Z*')" | head -1)" \
   "version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status"

# --- import: not one rejected row --------------------------------------------
run import "$WORK/a/AWSLogs"
eq "import: exit 0" "$(rc)" 0
has "import: every file ok, nothing rejected" "$WORK/out" \
    "36 files: 36 ok, 0 partial, 0 failed, 0 empty, 0 skipped;"
has "import: 0 rejected" "$WORK/out" " 0 rejected"
eq "import: as many queries as simulate wrote" \
   "$(sql 'SELECT count(*) FROM query_log')" "$SIMQ"

# --- truth: every attack's queries, and nothing else from its names --------
for k in 0 1 2 3 4 5 6; do
    a=$(tj "\$.attacks[$k].attack")
    from=$(tj "\$.attacks[$k].queries_from")
    want=$(tj "\$.attacks[$k].queries")
    case $a in
    dga | dictdga | beacon)
        got=$(sql "SELECT count(*) FROM query_log WHERE srcaddr = '$from'
                   AND norm IN (SELECT value FROM
                   json_each(json_extract(readfile('$T'),
                   '\$.attacks[$k].names')))")
        all=$(sql "SELECT count(*) FROM query_log WHERE norm IN
                   (SELECT value FROM json_each(json_extract(readfile('$T'),
                   '\$.attacks[$k].names')))") ;;
    tunnel | txtexfil)
        zone=$(tj "\$.attacks[$k].names[0]")
        got=$(sql "SELECT count(*) FROM query_log WHERE srcaddr = '$from'
                   AND norm LIKE '%.$zone'")
        all=$(sql "SELECT count(*) FROM query_log WHERE norm LIKE '%.$zone'") ;;
    bypass | doh)
        host=$(tj "\$.attacks[$k].host")
        got=$(sql "SELECT count(DISTINCT dstaddr) FROM flow_log
                   WHERE srcaddr = '$host' AND dstaddr IN (SELECT value FROM
                   json_each(json_extract(readfile('$T'),
                   '\$.attacks[$k].peers')))")
        want=$(sqlite3 :memory: "SELECT json_array_length(json_extract(
               readfile('$T'), '\$.attacks[$k].peers'))")
        all=$got ;;
    esac
    eq "truth: $a, as many as the truth says" "$got" "$want"
    eq "truth: $a, from no other host" "$all" "$got"
done
eq "truth: seven attacks" \
   "$(sqlite3 :memory: "SELECT json_array_length(json_extract(readfile('$T'), '\$.attacks'))")" 7
eq "truth: the DGA's resolving name answered" \
   "$(sql "SELECT rcode FROM query_log WHERE norm = '$(tj '$.attacks[0].resolving')'")" \
   NOERROR
eq "truth: the other DGA names are NXDOMAIN" \
   "$(sql "SELECT DISTINCT rcode FROM query_log WHERE srcaddr = '$(tj '$.attacks[0].queries_from')'
           AND norm <> '$(tj '$.attacks[0].resolving')' AND norm IN (SELECT value FROM
           json_each(json_extract(readfile('$T'), '\$.attacks[0].names')))")" NXDOMAIN

# --- what real delivery looks like ---------------------------------------------
RES=$(tj '$.resolver')
eq "flows never show the Amazon-provided resolver" \
   "$(sql "SELECT count(*) FROM flow_log WHERE dstaddr = '10.0.0.2' OR srcaddr = '10.0.0.2'")" 0
eq "flows do show DNS to the VPC's own resolver" \
   "$(sql "SELECT count(*) > 0 FROM flow_log WHERE dstaddr = '$RES' AND dstport = 53")" 1
BH=$(sqlite3 :memory: "SELECT json_extract(readfile('$T'), '\$.attacks[5].host')")
eq "a host behind our resolver: its queries come from the resolver" \
   "$(sql "SELECT count(*) FROM query_log WHERE srcaddr = '$BH'") $(tj '$.attacks[5].queries_from')" \
   "0 $RES"
eq "the cache: no name and type logged twice within 60 s" \
   "$(sql "SELECT count(*) FROM (SELECT norm, query_type, time,
           lag(time) OVER (PARTITION BY norm, query_type ORDER BY time) AS prev
           FROM query_log WHERE norm LIKE '%.amazonaws.com')
           WHERE prev IS NOT NULL AND
           (julianday(time) - julianday(prev)) * 86400 < 60")" 0
eq "every query in its object's ten minutes" \
   "$(sql "SELECT count(*) FROM queries q JOIN imports i ON i.id = q.import_id
           WHERE strftime('%H%M', q.ts_ms / 1000, 'unixepoch') / 10 <>
           CAST(substr(i.path, instr(i.path, 'T0') + 1, 4) AS INTEGER) / 10")" 0
eq "flow records in both directions" \
   "$(sql "SELECT count(*) > 0 FROM flow_log a JOIN flow_log b ON
           a.srcaddr = b.dstaddr AND a.dstaddr = b.srcaddr AND
           a.srcport = b.dstport AND a.dstport = b.srcport
           AND a.interface_id = b.interface_id")" 1

# --- options ---------------------------------------------------------------------
run simulate --out "$WORK/n" --hosts 16 --hours 1 --attacks none
eq "--attacks none: no attacks in the truth" \
   "$(sqlite3 :memory: "SELECT json_array_length(json_extract(readfile('$WORK/n/truth.json'), '\$.attacks'))")" 0
run simulate --out "$WORK/x" --attacks dga,nosuch
eq "--attacks with an unknown name: exit 2" "$(rc)" 2
run simulate --hosts 20
eq "without --out: exit 2" "$(rc)" 2
run simulate --out "$WORK/x" --hours 25
eq "--hours 25: exit 2, says which" "$(rc) $(head -1 "$WORK/err")" \
   "2 dnshunt: bad value for --hours: '25'"
run simulate --out "$WORK/x" --hosts 4294967312
eq "--hosts too big: exit 2" "$(rc)" 2
run simulate --out "$WORK/x" --attacks ,
eq "--attacks naming none: exit 2" "$(rc)" 2
run simulate --out ''
eq "--out '': exit 2" "$(rc)" 2
run simulate --out "$WORK/a" --hours 1
eq "into a directory that is not empty: exit 3, says so" "$(rc) $(err)" \
   "3 dnshunt: $WORK/a: not empty; give a new or empty directory"

# --- a larger day: the cache and the windows hold --------------------------
fresh
run simulate --out "$WORK/d" --hosts 60 --scale 0.5 --attacks dictdga,beacon
run import "$WORK/d/AWSLogs"
eq "larger day: no answered name logged twice within 30 s" \
   "$(sql "SELECT count(*) FROM (SELECT norm, query_type, time,
           lag(time) OVER (PARTITION BY norm, query_type ORDER BY time) AS prev
           FROM query_log WHERE rcode = 'NOERROR')
           WHERE prev IS NOT NULL AND
           (julianday(time) - julianday(prev)) * 86400 < 30")" 0
eq "larger day: every query in its object's ten minutes" \
   "$(sql "SELECT count(*) FROM queries q JOIN imports i ON i.id = q.import_id
           WHERE strftime('%H', q.ts_ms / 1000, 'unixepoch') * 6 +
                 strftime('%M', q.ts_ms / 1000, 'unixepoch') / 10 <>
           CAST(substr(i.path, instr(i.path, '_2024') + 10, 2) AS INTEGER) * 6 +
           CAST(substr(i.path, instr(i.path, '_2024') + 12, 2) AS INTEGER) / 10")" 0
eq "larger day: no host talks to itself" \
   "$(sql "SELECT count(*) FROM flow_log WHERE srcaddr = dstaddr")" 0
D=$(sqlite3 :memory: "SELECT 10 * json_array_length(json_extract(readfile('$WORK/d/truth.json'), '\$.attacks[0].names')) >= 9 * json_extract(readfile('$WORK/d/truth.json'), '\$.attacks[0].queries')")
eq "larger day: the dictionary DGA moves on (nine in ten names new)" "$D" 1

# --- the tunnel's encodings ------------------------------------------------
fresh
run simulate --out "$WORK/t" --hosts 16 --attacks tunnel --scale 0.1
run import "$WORK/t/AWSLogs"
Z=$(sqlite3 :memory: "SELECT json_extract(readfile('$WORK/t/truth.json'), '\$.attacks[0].names[0]')")
eq "tunnel: base32, base64, hex and 8-bit labels all seen" \
   "$(sql "SELECT sum(l GLOB '[a-z0-5]*' AND l NOT GLOB '*[^a-z0-5]*'
                  AND l GLOB '*[g-z]*'),
                  sum(l GLOB '*[A-Z]*') > 0,
                  sum(l NOT GLOB '*[^0-9a-f]*') > 0,
                  sum(l GLOB '*\\[0-9][0-9][0-9]*') > 0
           FROM (SELECT CAST(substr(query_name, 1, instr(query_name, '.') - 1)
                 AS TEXT) AS l FROM query_log WHERE norm LIKE '%.$Z')" |
     sed 's/^[1-9][0-9]*|/some|/')" \
   "some|1|1|1"
eq "tunnel: NULL and TXT queries" \
   "$(sql "SELECT group_concat(query_type) FROM (SELECT DISTINCT query_type
           FROM query_log WHERE norm LIKE '%.$Z' ORDER BY 1)")" "NULL,TXT"
eq "tunnel: labels of 57 characters at most" \
   "$(sql "SELECT max(length(substr(norm, 1, instr(norm, '.') - 1)))
           FROM query_log WHERE norm LIKE '%.$Z' AND norm NOT LIKE '%\\%'")" 57
