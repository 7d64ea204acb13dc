#!/bin/sh
# The man page matches the program: every command has its section, and
# every option a command's --help names is in the page; the page
# renders without warnings.
. "$(dirname "$0")/lib.sh"

MAN="$TOP/docs/dnshunt.1"
cmds=$("$DNSHUNT" help | awk '/^commands:/ { on = 1; next }
                              on && /^  [a-z]/ { print $1 }')
eq "the program lists 18 commands" "$(echo "$cmds" | wc -l)" 18
missing=""
for c in $cmds; do
    grep -q "^\.SS $c\$" "$MAN" || missing="$missing $c"
done
eq "every command has a section in the man page" "$missing" ""
missing=""
for c in $cmds; do
    for o in $("$DNSHUNT" "$c" --help 2>&1 | grep -o -- '--[a-z][a-z-]*' |
               sort -u); do
        man_o=$(printf '%s' "$o" | sed 's/-/\\\\-/g')
        grep -q -- "$man_o" "$MAN" || missing="$missing $c:$o"
    done
done
eq "every option of every --help is in the man page" "$missing" ""
if command -v groff >/dev/null; then
    groff -man -Tutf8 -ww "$MAN" >/dev/null 2>"$WORK/groff.err"
    eq "the page renders without warnings" "$(cat "$WORK/groff.err")" ""
fi
