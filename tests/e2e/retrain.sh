#!/bin/sh
# Retraining from analysts' verdicts: labelled names move toward their
# verdicts, tunnels' tp names are not taught as DGA names, the model is
# kept in the store and used by scoring, and can be rolled back.
. "$(dirname "$0")/lib.sh"

M="$TOP/tests/fixtures/model"
BASE="--benign $M/benign.txt --dga $M/dga --words $M/words.txt"
F="$WORK/fx"
mkdir -p "$F"
awk -v out="$F" -f "$TOP/tests/e2e/score_fixture.awk"
"$DNSHUNT" import --quiet "$F/dns.jsonl" "$F/flow.log"
"$DNSHUNT" score --quiet

run retrain $BASE
eq "no verdicts yet: exit 2" "$(rc)" 2
has "no verdicts yet: how to give some" "$WORK/err" \
    "mark domain NAME tp|fp|benign"
run retrain --rollback
eq "nothing to roll back: exit 2" "$(rc)" 2

"$DNSHUNT" mark domain quietgardenlamp.com tp >/dev/null 2>&1
"$DNSHUNT" mark domain xkqzvbtrwpyd.com fp >/dev/null 2>&1
"$DNSHUNT" mark domain kalemurkiness.net benign >/dev/null 2>&1
"$DNSHUNT" mark domain tunnel-example.com tp >/dev/null 2>&1
run retrain $BASE --copies 200
eq "retrain: exit 0" "$(rc)" 0
has "a tunnel's tp name is not taught as a DGA name" "$WORK/err" \
    "1 tp domain without the DGA technique (tunnels, beacons) left out"
has "three labelled names" "$WORK/err" \
    "3 labelled domains, each learned 200 times"
awk '/^labelled names:/ { on = 1 }
     on && ($1 == "tp" || $1 == "fp" || $1 == "benign") {
        up = $3 > $2; print $1, $4, ($1 == "tp" ? up : !up) }' \
    "$WORK/out" >"$WORK/moves"
eq "each labelled name moves toward its verdict" "$(cat "$WORK/moves")" \
"tp quietgardenlamp.com 1
benign kalemurkiness.net 1
fp xkqzvbtrwpyd.com 1"
# The tp name rises from 0.02 to 0.89, short of the new threshold that
# the 110 validation names set (0.92): two of three cross.
has "how many land on their verdict's side of the threshold" "$WORK/out" \
    "2 of 3 scored labelled names on their verdict's side of the new threshold"
has "the old and new models side by side" "$WORK/out" \
    "(before: built-in)"
has "the new model is active" "$WORK/out" "model 1 is now active"
eq "the model is in the store, audited" \
   "$(sql "SELECT id, labels, active, length(data) > 100000 FROM models;
           SELECT action, detail FROM audit_log WHERE action = 'retrain'")" \
   "1|3|1|1
retrain|model 1 from 3 labels"
"$DNSHUNT" score --quiet
eq "scoring uses the store's model" \
   "$(sql "SELECT model FROM score_runs ORDER BY id DESC LIMIT 1")" \
   "store model 1"
eq "verdicts survive retraining and scoring" \
   "$(sql "SELECT count(*) FROM verdicts")" 4

# A second retraining compares with the first.
"$DNSHUNT" mark domain wolfsbanetoast.net tp >/dev/null 2>&1
run retrain $BASE --copies 200
has "a second model compares with the store's" "$WORK/out" \
    "(before: store model 1)"
run retrain --list
eq "retrain --list: both, the second active" \
   "$(awk 'NR > 1 { print $1, $2 == "active" }' "$WORK/out")" "1 0
2 1"
run retrain --rollback
has "rollback to the first" "$WORK/out" "model 1 is active again (was 2)"
run retrain --rollback
has "rollback to the built-in model" "$WORK/out" \
    "the built-in model is active again (was model 1)"
"$DNSHUNT" score --quiet
eq "scoring uses the built-in model again" \
   "$(sql "SELECT model FROM score_runs ORDER BY id DESC LIMIT 1")" \
   "built-in"
run retrain --use 2
eq "retrain --use 2" "$(sql "SELECT id FROM models WHERE active")" 2
run retrain --use 9
eq "retrain --use of no model: exit 2" "$(rc)" 2
run retrain --use x
eq "retrain --use of a word: exit 2" "$(rc)" 2
DNSHUNT_MODEL="$WORK/nosuch" run score --quiet
eq "DNSHUNT_MODEL still wins over the store's model: exit 3" "$(rc)" 3

# A damaged model in the store is refused, and the one before stays.
sql "UPDATE models SET data = substr(data, 1, 1000) WHERE id = 1"
run retrain --use 1
eq "a damaged stored model: exit 3" "$(rc)" 3
has "a damaged stored model: why" "$WORK/err" "store model 1:"
eq "the model before stays active" \
   "$(sql "SELECT group_concat(id) FROM models WHERE active")" 2
run retrain --rollback
eq "a rollback onto a damaged model: exit 3" "$(rc)" 3
eq "and the model before stays active" \
   "$(sql "SELECT group_concat(id) FROM models WHERE active")" 2
DNSHUNT_MODEL="$TOP/model/dnshunt.model" run retrain --use 1
eq "\$DNSHUNT_MODEL does not vouch for a stored model: exit 3" "$(rc)" 3
