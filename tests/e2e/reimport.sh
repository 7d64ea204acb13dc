# Re-import: content already in the store is skipped (whatever its name),
# --force replaces it without doubling anything, standard input too; two
# imports running at once both land.
. "$TOP/tests/e2e/lib.sh"

counts() {
    sql "SELECT (SELECT count(*) FROM imports) || ' ' ||
                (SELECT count(*) FROM queries) || ' ' ||
                (SELECT count(*) FROM flows) || ' ' ||
                (SELECT count(*) FROM health_records) || ' ' ||
                (SELECT count(*) FROM rejected_rows) || ' ' ||
                (SELECT count(*) FROM names) || ' ' ||
                (SELECT count(*) FROM origins) || ' ' ||
                (SELECT count(*) FROM answer_sets) || ' ' ||
                (SELECT count(*) FROM firewall_hits)"
}
orphans() {
    sql "SELECT (SELECT count(*) FROM queries WHERE import_id NOT IN
                 (SELECT id FROM imports)) +
                (SELECT count(*) FROM flows WHERE import_id NOT IN
                 (SELECT id FROM imports)) +
                (SELECT count(*) FROM health_records WHERE import_id NOT IN
                 (SELECT id FROM imports)) +
                (SELECT count(*) FROM rejected_rows WHERE import_id NOT IN
                 (SELECT id FROM imports))"
}

R="$FIX/r53_fields.jsonl"
B="$FIX/r53_bad.jsonl"
L="$FIX/flow_default.log"
fresh
run import "$R" "$B" "$L"
eq "first import: 3 files" "$(out)" \
   "3 files: 3 ok, 0 partial, 0 failed, 0 empty, 0 skipped; 19 rows kept, 14 rejected"
first=$(counts)
eq "first import: table counts" "$first" "3 13 4 2 14 12 9 5 2"

run import "$R" "$B" "$L"
eq "same files again: exit 0" "$(rc)" 0
eq "same files again: all skipped, 0 new rows" "$(out)" \
   "3 files: 0 ok, 0 partial, 0 failed, 0 empty, 3 skipped; 0 rows kept, 0 rejected"
eq "same files again: stderr says why" "$(err)" \
   "$R: already imported as $R; skipped (--force replaces it)
$B: already imported as $B; skipped (--force replaces it)
$L: already imported as $L; skipped (--force replaces it)"
eq "same files again: no table grew" "$(counts)" "$first"

# Same content under another name and compressed differently is new
# content (the hash is of the file); same bytes under another name is not.
cp "$R" "$WORK/renamed.jsonl"
run import "$WORK/renamed.jsonl"
eq "renamed copy: skipped by content" "$(rc) $(out)" \
   "0 1 file: 0 ok, 0 partial, 0 failed, 0 empty, 1 skipped; 0 rows kept, 0 rejected"
eq "renamed copy: message names the earlier path" "$(err)" \
   "$WORK/renamed.jsonl: already imported as $R; skipped (--force replaces it)"
eq "renamed copy: nothing added" "$(counts)" "$first"

# --force replaces.
old_ids=$(sql "SELECT group_concat(id) FROM imports")
run import --force "$R" "$B" "$L"
eq "--force: exit 1 (r53_bad still has rejects)" "$(rc)" 1
eq "--force: summary" "$(out)" \
   "3 files: 3 ok, 0 partial, 0 failed, 0 empty, 0 skipped; 19 rows kept, 14 rejected"
eq "--force: table counts unchanged, nothing doubled" "$(counts)" "$first"
eq "--force: the earlier imports are gone" \
   "$(sql "SELECT count(*) FROM imports WHERE id IN ($old_ids)")" 0
eq "--force: no row left pointing at a deleted import" "$(orphans)" 0
eq "--force: per-file counts" \
   "$(sql "SELECT path || ' ' || rows_kept || ' ' || rows_rejected
           FROM imports ORDER BY id")" \
   "$R 9 0
$B 4 14
$L 6 0"

# --force with a renamed copy replaces the import of the same content.
run import --force "$WORK/renamed.jsonl"
eq "--force renamed copy: one import of that content, new path" \
   "$(sql "SELECT path FROM imports WHERE sha256 =
           '$(sha256sum "$R" | cut -c1-64)'")" "$WORK/renamed.jsonl"
eq "--force renamed copy: counts unchanged" "$(counts)" "$first"
eq "--force renamed copy: no orphans" "$(orphans)" 0

# --- Standard input ---------------------------------------------------
fresh
"$DNSHUNT" import - <"$R" >"$WORK/out" 2>"$WORK/err"
"$DNSHUNT" import - <"$R" >"$WORK/out" 2>"$WORK/err"
eq "stdin twice: exit 0" "$?" 0
eq "stdin twice: second one skipped" "$(out)" \
   "1 file: 0 ok, 0 partial, 0 failed, 0 empty, 1 skipped; 0 rows kept, 0 rejected"
eq "stdin twice: 9 queries" "$(sql "SELECT count(*) FROM queries")" 9
run import "$R"
eq "file after the same bytes on stdin: skipped" "$(out)" \
   "1 file: 0 ok, 0 partial, 0 failed, 0 empty, 1 skipped; 0 rows kept, 0 rejected"
"$DNSHUNT" import --force - <"$R" >"$WORK/out" 2>"$WORK/err"
eq "stdin --force: replaced" "$(out)" \
   "1 file: 1 ok, 0 partial, 0 failed, 0 empty, 0 skipped; 9 rows kept, 0 rejected"
eq "stdin --force: still 9 queries, 1 import" \
   "$(sql "SELECT count(*) FROM queries") $(sql "SELECT count(*) FROM imports")" \
   "9 1"

# --- A failed file is not in the store: running again imports it -----
NAT="instance-id interface-id srcaddr dstaddr dstport srcport"
fresh
run import "$FIX/flow_headerless_custom.log"
eq "failed file: failed without the format" \
   "$(sql "SELECT status FROM imports")" failed
run import --format flow --flow-format "$NAT" "$FIX/flow_headerless_custom.log"
eq "failed file: a second run with the right format imports its rows" \
   "$(sql "SELECT count(*) FROM flows")" 2

# --- Two imports at once ------------------------------------------------
# Both files share most names; the store's busy timeout serialises them.
awk 'BEGIN { for (i = 0; i < 40000; i++)
    printf "{\"query_timestamp\":\"2024-04-03T%02d:%02d:%02dZ\",\"query_name\":\"n%d.shared.example.com.\",\"query_type\":\"A\",\"rcode\":\"NOERROR\",\"srcaddr\":\"10.30.%d.%d\",\"srcport\":\"%d\"}\n", int(i / 3600), int(i / 60) % 60, i % 60, i % 5000, int(i / 250) % 250, i % 250, 1024 + i }' \
    >"$WORK/c1.jsonl"
sed 's/2024-04-03/2024-04-04/' "$WORK/c1.jsonl" >"$WORK/c2.jsonl"
# (The store exists first: creating a store from two processes at once is
# a separate race, see the report.)
fresh
run stats
"$DNSHUNT" import --quiet "$WORK/c1.jsonl" >/dev/null 2>"$WORK/e1" &
p1=$!
"$DNSHUNT" import --quiet "$WORK/c2.jsonl" >/dev/null 2>"$WORK/e2" &
p2=$!
wait $p1
s1=$?
wait $p2
s2=$?
eq "concurrent: both exit 0" "$s1 $s2" "0 0"
eq "concurrent: no errors" "$(cat "$WORK/e1" "$WORK/e2")" ""
eq "concurrent: every row of both files" \
   "$(sql "SELECT count(*) FROM queries")" 80000
eq "concurrent: shared names stored once" \
   "$(sql "SELECT count(*) FROM names")" 5000
eq "concurrent: both imports recorded" \
   "$(sql "SELECT rows_kept FROM imports ORDER BY rows_kept")" "40000
40000"
eq "concurrent: integrity" "$(sql "PRAGMA integrity_check")" ok

# The same file from two imports at once: one imports it, the other finds
# it there (skipped); neither fails, nothing is doubled.
fresh
run stats
"$DNSHUNT" import --quiet "$WORK/c1.jsonl" >/dev/null 2>"$WORK/e1" &
p1=$!
"$DNSHUNT" import --quiet "$WORK/c1.jsonl" >/dev/null 2>"$WORK/e2" &
p2=$!
wait $p1
s1=$?
wait $p2
s2=$?
eq "same file twice at once: both exit 0" "$s1 $s2" "0 0"
eq "same file twice at once: no store error" \
   "$(cat "$WORK/e1" "$WORK/e2" | grep -c 'database error')" 0
eq "same file twice at once: imported once, not doubled" \
   "$(sql "SELECT count(*) FROM imports") $(sql "SELECT count(*) FROM queries")" \
   "1 40000"

# A store imported before the dynamic DNS and provider zones split their
# names into sites gets them split again, once, when it is opened.
fresh
for n in a1b2c3d4e5.execute-api.us-east-1.amazonaws.com www.ep1.azureedge.net \
         kq7x.mooo.com x-1.z01.azurefd.net plain.example.com; do
    printf '{"query_timestamp":"2024-04-02T13:00:00Z","query_name":"%s.","query_type":"A","rcode":"NOERROR","srcaddr":"10.1.1.1"}\n' "$n"
done >"$WORK/zones.jsonl"
run import "$WORK/zones.jsonl"
sites() { sql "SELECT norm || ' ' || ifnull(site, '-') || ' ' ||
                      ifnull(subdomain, '-') FROM names ORDER BY norm"; }
new=$(sites)
eq "zones: each endpoint and customer label is its own site" "$new" \
"a1b2c3d4e5.execute-api.us-east-1.amazonaws.com a1b2c3d4e5.execute-api.us-east-1.amazonaws.com a1b2c3d4e5.execute-api.us-east-1
kq7x.mooo.com kq7x.mooo.com kq7x
plain.example.com example.com plain
www.ep1.azureedge.net ep1.azureedge.net www.ep1
x-1.z01.azurefd.net x-1.z01.azurefd.net x-1.z01"
run score
eq "zones: scored" "$(rc)" 0
# The sites as a schema 8 store kept them: the zones themselves. One name
# has an id below 1, as only an edited store would.
sql "UPDATE names SET site = 'execute-api.us-east-1.amazonaws.com'
       WHERE norm LIKE '%.execute-api.%';
     UPDATE names SET site = domain WHERE norm NOT LIKE '%.execute-api.%';
     UPDATE names SET id = -5 WHERE norm = 'kq7x.mooo.com';
     PRAGMA user_version = 8"
eq "zones: the old store's sites are the zones" \
   "$(sql "SELECT group_concat(site, ' ') FROM (SELECT DISTINCT site
           FROM names ORDER BY site)")" \
   "azureedge.net azurefd.net example.com execute-api.us-east-1.amazonaws.com mooo.com"
run stats
eq "zones: opening the old store: exit 0" "$(rc)" 0
eq "zones: its names are split as a new import splits them" \
   "$(sql "PRAGMA user_version"; sites)" "9
$new"
run hosts
eq "zones: the scores from before are due again: exit 1, and why" \
   "$(rc) $(cat "$WORK/err")" "1 dnshunt: an upgrade split the names into \
sites anew after the last scoring; run \`dnshunt score\` again"
printf 'dump upgraded.screen\n' >"$WORK/upgraded.script"
(cd "$WORK" && LINES=30 COLUMNS=120 TERM=xterm LC_ALL=C \
    DNSHUNT_SCRIPT="$WORK/upgraded.script" "$DNSHUNT" console >/dev/null)
eq "zones: and so does the console" \
   "$(grep -c 'an upgrade split the names into sites anew: press r' \
      "$WORK/upgraded.screen")" 1
run score
run hosts
eq "zones: scored again: exit 0, no word" "$(rc) $(cat "$WORK/err")" "0 "
