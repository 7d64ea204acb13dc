# The lexical DGA model from the command line: train, eval, classify and
# explain on the project's own small corpus (tests/fixtures/model), the
# built-in model on a few names, hostile names, damaged model files.
. "$TOP/tests/e2e/lib.sh"

M="$FIX/model"
TRAIN="--benign $M/benign.txt --dga $M/dga --words $M/words.txt --trees 8"

# --- train: output, determinism ----------------------------------------
run train $TRAIN --out "$WORK/a.model"
eq "train: exit 0" "$(rc)" 0
has "train: describes the forest" "$WORK/out" \
    "forest: 8 trees, depth 16, min leaf 3, seed 1;"
# benign.txt's comment lines hold commas and dots; they are not names.
has "train: counts the names" "$WORK/out" \
    "benign names: 210 markov, 179 train, 110 validation; 0 dropped"
has "train: families" "$WORK/out" "dga training names: 622 over 3 families"
run train $TRAIN --out "$WORK/b.model"
eq "train: same inputs, same bytes" \
   "$(cmp "$WORK/a.model" "$WORK/b.model" && echo same)" same
run train $TRAIN --threads 1 --out "$WORK/c.model"
eq "train: one thread or two, same bytes" \
   "$(cmp "$WORK/a.model" "$WORK/c.model" && echo same)" same
run train $TRAIN --seed 2 --out "$WORK/d.model"
eq "train: another seed, another forest" \
   "$(cmp -s "$WORK/a.model" "$WORK/d.model" || echo differs)" differs

# --- eval: exact figures on the held-out parts --------------------------
run eval --model "$WORK/a.model" --benign "$M/benign.txt" --dga "$M/dga" \
    --dictionary wordy --false-positives 2
eq "eval: exit 0" "$(rc)" 0
has "eval: benign parts" "$WORK/out" \
    "benign: 100 test names, 110 validation names"
has "eval: hexy" "$WORK/out" \
    "hexy                            98    0.9388    0.9388  1.00000"
has "eval: randlet" "$WORK/out" \
    "randlet                         92    0.5000    0.5000  0.99886"
has "eval: wordy is a dictionary family" "$WORK/out" \
    "wordy                           88    0.7727    0.7727  1.00000  dictionary"
has "eval: dictionary group" "$WORK/out" \
    "macro, dictionary families (1)        0.7727    0.7727  1.00000"
has "eval: character group" "$WORK/out" \
    "macro, character families (2)         0.7194    0.7194  0.99943"
has "eval: too few validation names for the rates" "$WORK/out" \
    "(110 validation names cannot resolve FPR 1e-3 or 1e-4: below 1000 names"
has "eval: highest-scoring benign name" "$WORK/out" \
    " 0.935714  pussgulfs.com"

# --- classify: forms, one line out per line in --------------------------
run classify --model "$WORK/a.model" 10.0.0.1 wpad 1.0.0.10.in-addr.arpa \
    host.ec2.internal co.uk d2x7kq9w3zb1vf.cloudfront.net
eq "classify: reasons" "$(out)" "-       10.0.0.1  (ip-literal)
-       wpad  (single-label)
-       1.0.0.10.in-addr.arpa  (reverse-lookup)
-       host.ec2.internal  (internal-zone)
-       co.uk  (no-registrable-domain)
-       d2x7kq9w3zb1vf.cloudfront.net  (provider-label)"
printf 'db.corp.example.com\n' >"$WORK/one"
"$DNSHUNT" classify --model "$WORK/a.model" --internal-zone corp.example.com \
    <"$WORK/one" >"$WORK/out"
eq "classify: --internal-zone" "$(out)" \
   "-       db.corp.example.com  (internal-zone)"
run classify --model "$WORK/a.model" --format tsv --header example.com
eq "tsv: header and one row" "$(wc -l <"$WORK/out")" 2
eq "tsv: 39 columns" "$(awk -F'\t' '{print NF}' "$WORK/out" | sort -u)" 39
eq "tsv: header starts" "$(head -1 "$WORK/out" | cut -f1-4)" \
   "name	dga_score	length	entropy"
eq "tsv: label length, reason last" "$(tail -1 "$WORK/out" | cut -f1,3,39)" \
   "example.com	7	scored"
run classify --model "$WORK/a.model" --format json "a.b.example.com" 10.1.2.3
eq "json: two valid lines" "$(while read -r l; do
    sqlite3 :memory: "SELECT json_valid('$l')"; done <"$WORK/out" | tr -d '\n')" 11
eq "json: unscored has a null score" \
   "$(tail -1 "$WORK/out" | cut -c1-60)" \
   '{"name":"10.1.2.3","dga_score":null,"reason":"ip-literal","d'
eq "json: subdomain labels" "$(head -1 "$WORK/out" | sed 's/.*"sub_labels":\([0-9]*\).*/\1/')" 2

# --- hostile names -------------------------------------------------------
{
    printf 'a\000b.example.com\n'
    printf '\033[31mred\033[0m.example.com\n'
    printf '%0300d.com\n' 0
    printf '\n...\n.\nexample.123\nex\\046ample.com\n'
    printf 'xn--bcher-kva.example\n\\255\\000.com\n'
    printf '%s\n' "$(head -c 2000 /dev/zero | tr '\0' 'q')"
} >"$WORK/hostile"
"$DNSHUNT" classify --model "$WORK/a.model" --format tsv <"$WORK/hostile" \
    >"$WORK/out" 2>"$WORK/err"
eq "hostile: exit 0" "$?" 0
eq "hostile: one line out per line in" "$(wc -l <"$WORK/out")" \
   "$(wc -l <"$WORK/hostile")"
nobyte "hostile: no raw ESC reaches the terminal" "$WORK/out" 033
nobyte "hostile: no raw NUL" "$WORK/out" 000
hasnt "hostile: no NaN" "$WORK/out" "nan"
has "hostile: NUL shown escaped" "$WORK/out" 'a\x00b.example.com'
has "hostile: only dots are malformed" "$WORK/out" 'NA	NA	malformed-name'
eq "hostile: only dots" "$(grep -c '^\.\.\.	NA	.*malformed-name$' "$WORK/out")" 1
eq "hostile: empty line" "$(grep -c '^	NA	.*empty-name$' "$WORK/out")" 1
run classify --model "$WORK/a.model" --format json www.xn--bcher-kva.com \
    example.com
eq "json: punycode marked" "$(grep -o '"punycode":[a-z]*' "$WORK/out" | tr '\n' ' ')" \
   '"punycode":true "punycode":false '

{ head -c 5000000 /dev/zero | tr '\0' q; printf '\nlast.com'; } |
    "$DNSHUNT" classify --model "$WORK/a.model" >"$WORK/out"
eq "hostile: a 5 MB line is one line out, then the last line" \
   "$(wc -l <"$WORK/out") $(tail -1 "$WORK/out" | cut -c9-)" "2 last.com"

{ head -c 5000 /dev/zero | tr '\0' a; printf '\n'; } |
    "$DNSHUNT" classify --model "$WORK/a.model" --format json >"$WORK/out"
has "hostile: a cut line says so in JSON" "$WORK/out" \
    ',"cut":true,"dga_score":null,"reason":"malformed-name"'
run classify --model "$WORK/a.model" \
    "$(printf 'x%.0s' $(seq 240)).example.com"
eq "hostile: a label over 63 bytes is malformed" "$(cut -c1-9,249- "$WORK/out")" \
   "-       x.example.com  (malformed-name)"
mkfifo "$WORK/fifo"
run classify --model "$WORK/fifo" a.com
eq "model that is a FIFO: refused at once" "$(rc) $(err)" \
   "3 dnshunt: $WORK/fifo: not a regular file"
run classify a.com
"$DNSHUNT" classify a.com >/dev/full 2>"$WORK/err"
eq "classify to a full disk: exit 3, one message" "$? $(wc -l <"$WORK/err")" \
   "3 1"

# --- empty sides ----------------------------------------------------------
: >"$WORK/empty.txt"
run train --benign "$WORK/empty.txt" --dga "$M/dga" --out "$WORK/e.model"
eq "train with no benign names: exit 3, no model" \
   "$(rc) $(tail -1 "$WORK/err") $(ls "$WORK/e.model" 2>&1 | grep -c 'No such')" \
   "3 dnshunt: too few names: 0 benign to learn from, 0 for validation, 622 DGA to learn from; no model written 1"
run eval --model "$WORK/a.model" --benign "$WORK/empty.txt" --dga "$M/dga"
eq "eval with no benign names: exit 3" "$(rc) $(err)" \
   "3 dnshunt: no benign names in the validation and test parts to measure with"
printf 'x.com\n' >"$WORK/one.txt"
run train $TRAIN --words "$WORK/one.txt" --out "$WORK/x.model"
eq "train with a word list of no words: exit 3" "$(rc) $(err)" \
   "3 dnshunt: $WORK/one.txt: holds no words"
mkdir -p "$WORK/esc"
cp "$M/dga/hexy.txt" "$WORK/esc/$(printf 'ev\033[31mil')".txt
run train --benign "$M/benign.txt" --dga "$WORK/esc" --trees 2 \
    --out "$WORK/esc.model"
nobyte "train: a family name with ESC is shown escaped" "$WORK/out" 033

# --- explain: the parts add up to the score -----------------------------
run explain --model "$WORK/a.model" www.qzkxwvjtrmp.net
eq "explain: exit 0" "$(rc)" 0
has "explain: label" "$WORK/out" "label         qzkxwvjtrmp"
has "explain: subdomain" "$WORK/out" "subdomain     www"
eq "explain: base rate + effects = score" "$(awk '
    /^dga_score/ { s = $2 } /^base rate/ { b = $3 }
    /^[a-z_0-9]+ +-?[0-9.]+ +[0-9. ]+%? +[-+][0-9.]+  / { e += $4 }
    END { d = b + e - s; print (d < 0.001 && d > -0.001) ? "adds up" : d }
    ' "$WORK/out")" "adds up"
eq "explain: one row per feature" \
   "$(grep -cE '^[a-z_0-9]+ +-?[0-9.]+ +([0-9.]+%|-) +[-+][0-9.]+  ' "$WORK/out")" 26
run explain --model "$WORK/a.model" 192.168.0.1
has "explain: not scored" "$WORK/out" "not scored    ip-literal"

# --- the built-in model ---------------------------------------------------
run classify google.com wikipedia.org xkqwpzrtvbnmhj.biz
eq "built-in: exit 0" "$(rc)" 0
eq "built-in: benign names score low, a random .biz high" \
   "$(awk '{ print ($1 < 0.2) ? "low" : ($1 > 0.9) ? "high" : $1 }' "$WORK/out" | tr '\n' ' ')" \
   "low low high "
DNSHUNT_MODEL="$WORK/a.model" "$DNSHUNT" classify --format tsv example.com \
    >"$WORK/env"
"$DNSHUNT" classify --model "$WORK/a.model" --format tsv example.com \
    >"$WORK/opt"
eq "DNSHUNT_MODEL picks the model" "$(cmp "$WORK/env" "$WORK/opt" && echo same)" same

printf ' spaced.com\nspaced.com\t\nspaced.com\n' |
    "$DNSHUNT" classify --model "$WORK/a.model" >"$WORK/out"
eq "blanks around a name are ignored" "$(sort -u "$WORK/out" | wc -l)" 1
run explain --model "$WORK/a.model" a.com b.com
eq "explain with two names: exit 2, says why" "$(rc) $(head -1 "$WORK/err")" \
   "2 dnshunt: explain takes one name"

# --- damaged and wrong model files ----------------------------------------
head -c 1000 "$WORK/a.model" >"$WORK/cut.model"
run classify --model "$WORK/cut.model" example.com
eq "cut model: exit 3" "$(rc)" 3
eq "cut model: says so" "$(err)" \
   "dnshunt: $WORK/cut.model: bad checksum (damaged or cut file)"
printf 'hello' >"$WORK/junk.model"
run classify --model "$WORK/junk.model" example.com
eq "junk model: says so" "$(err)" \
   "dnshunt: $WORK/junk.model: not a dnshunt model file"
run explain --model "$WORK/missing.model" example.com
eq "missing model: exit 3 and names the file" "$(rc) $(err)" \
   "3 dnshunt: $WORK/missing.model: No such file or directory"

# --- usage errors -------------------------------------------------------
run train --benign "$M/benign.txt" --dga "$M/dga"
eq "train without --out: exit 2" "$(rc)" 2
run train --benign "$WORK/nope.txt" --dga "$M/dga" --out "$WORK/x.model"
eq "train with a missing list: exit 3, names it" "$(rc) $(err)" \
   "3 dnshunt: $WORK/nope.txt: No such file or directory"
run eval --benign "$M/benign.txt"
eq "eval without DGA lists: exit 2" "$(rc)" 2
run train --benign "$M/benign.txt" --dga "$M/dga" --trees 0 --out "$WORK/x"
eq "train --trees 0: exit 2, says which" "$(rc) $(head -1 "$WORK/err")" \
   "2 dnshunt: bad value for --trees: '0'"
run train --benign "$M/benign.txt" --dga "$M/dga" --split 60,30,15,70 \
    --out "$WORK/x"
eq "train --split over 100%: exit 2" "$(rc) $(head -1 "$WORK/err")" \
   "2 dnshunt: bad value for --split: '60,30,15,70'"
run train --benign "$M/benign.txt" --dga "$M/dga" --words "$WORK/none" \
    --out "$WORK/x"
eq "train with a missing word list: exit 3, names it" "$(rc) $(err)" \
   "3 dnshunt: $WORK/none: No such file or directory"
run explain
eq "explain without a name: exit 2" "$(rc)" 2
run classify --format xml example.com
eq "classify --format xml: exit 2" "$(rc)" 2
