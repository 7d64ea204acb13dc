#!/bin/sh
# Install the Debian packages named as arguments that are not installed
# yet. Uses sudo when not root. Prints nothing when all are present.
missing=""
for p in "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" \
        || missing="$missing $p"
done
[ -z "$missing" ] && exit 0
echo "dnshunt: installing missing packages:$missing" >&2
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
export DEBIAN_FRONTEND=noninteractive
if ! $SUDO apt-get install -y -q $missing >&2; then
    $SUDO apt-get update -q >&2 && $SUDO apt-get install -y -q $missing >&2 \
        || { echo "dnshunt: could not install:$missing" >&2; exit 1; }
fi
