#!/bin/sh
# SPDX-License-Identifier: MIT
#
# Real tunnel tools against dnshunt: iodine and dns2tcp (from Debian)
# run between two network namespaces made here (10.99.0.1 the server,
# 10.99.0.2 the client; no other network is touched), tshark captures
# the client's DNS, tests/real/pcap2logs.py turns the capture into
# Route 53 query log lines (the tunnel through the VPC's resolver) and
# flow records (the tunnel straight to an outside server), and the
# first minute of each is scored: the client must alert, through the
# resolver and around it.
#
# usage: tests/real/run.sh DNSHUNT [KEEP_DIR]
# Needs root (namespaces, a tun device for iodine) and the packages
# iodine, dns2tcp and tshark; says why and exits 0 when it cannot run.
# Prints TAP lines like the other tests and the figures of each run.
set -u
BIN=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
HERE=$(cd "$(dirname "$0")" && pwd)
W=${2:-$(mktemp -d /tmp/dnshunt-real.XXXXXX)}
mkdir -p "$W"
SRV=dnshunt-real-s
CLI=dnshunt-real-c
DOMAIN=tunlab-example.com

skip() { echo "ok - skipped: $*"; exit 0; }
[ "$(id -u)" -eq 0 ] || skip "needs root for network namespaces"
for t in iodine iodined dns2tcpc dns2tcpd tshark ip python3; do
    command -v "$t" >/dev/null || skip "$t is not installed"
done
[ -c /dev/net/tun ] || skip "no /dev/net/tun for iodine"

cleanup() {
    ip netns pids "$SRV" 2>/dev/null | xargs -r kill 2>/dev/null
    ip netns pids "$CLI" 2>/dev/null | xargs -r kill 2>/dev/null
    ip netns del "$SRV" 2>/dev/null
    ip netns del "$CLI" 2>/dev/null
}
trap cleanup EXIT
cleanup
ip netns add "$SRV" && ip netns add "$CLI" ||
    skip "cannot make network namespaces here"
ip link add dhr-s type veth peer name dhr-c
ip link set dhr-s netns "$SRV"
ip link set dhr-c netns "$CLI"
ip -n "$SRV" addr add 10.99.0.1/24 dev dhr-s
ip -n "$CLI" addr add 10.99.0.2/24 dev dhr-c
for ns in "$SRV" "$CLI"; do
    ip -n "$ns" link set lo up
done
ip -n "$SRV" link set dhr-s up
ip -n "$CLI" link set dhr-c up

# sink NS ADDR PORT: count the bytes one TCP connection brings.
sink() {
    ip netns exec "$1" timeout 100 python3 -c "
import socket, sys
s = socket.socket()
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(('$2', $3)); s.listen(1)
c, _ = s.accept(); n = 0
while True:
    d = c.recv(65536)
    if not d: break
    n += len(d)
print(n)" >"$W/$4.received" 2>&1 &
}

# send ADDR PORT BYTES SECONDS: send random bytes over TCP, evenly.
send() {
    ip netns exec "$CLI" timeout 70 python3 -c "
import os, socket, time
s = socket.create_connection(('$1', $2))
for i in range($4):
    s.sendall(os.urandom($3 // $4)); time.sleep(1)
s.close()" 2>>"$W/send.err"
}

# capture NAME: tshark on the client side, UDP port 53, for 80 s.
capture() {
    ip netns exec "$CLI" timeout 80 tshark -q -F pcap -i dhr-c \
        -f "udp port 53" -w "$W/$1.pcap" >"$W/$1.tshark" 2>&1 &
    sleep 3
}

# check NAME: convert, import the first minute both ways, score, judge.
check() {
    python3 "$HERE/pcap2logs.py" "$W/$1.pcap" "$W/$1" \
        --server-as 198.51.100.53 >"$W/$1.convert" || {
        echo "not ok - $1: the capture converts"; return; }
    first=$(head -1 "$W/$1/dns.jsonl" | sed 's/.*"query_timestamp":"\([^"]*\)".*/\1/')
    until=$(date -u -d "$first 60 seconds" +%Y-%m-%dT%H:%M:%SZ)
    for view in dns.jsonl flow.log; do
        db="$W/$1-$view.db"
        rm -f "$db"
        "$BIN" --db "$db" import --quiet "$W/$1/$view"
        "$BIN" --db "$db" score --quiet --since "$first" --until "$until"
        row=$(sqlite3 "$db" "SELECT alert, printf('%.3f', score),
              top_reason FROM hosts WHERE addr = '10.99.0.2'")
        q=$(sqlite3 "$db" "SELECT count(*) FROM queries")
        f=$(sqlite3 "$db" "SELECT count(*) FROM flows")
        echo "# $1 $view: $q queries, $f flow records in the first minute"
        echo "#   alert|score|top reason: $row"
        case $row in
        1\|*) echo "ok - $1 through $view: alerts on its first minute" ;;
        *) echo "not ok - $1 through $view: alerts on its first minute" ;;
        esac
    done
}

# iodine: a tun device over DNS, NULL records, autoprobed encodings.
ip netns exec "$SRV" timeout 100 iodined -f -c -P dnshunt-test -l 10.99.0.1 \
    192.168.99.1/27 "t.$DOMAIN" >"$W/iodined.log" 2>&1 &
sleep 1
capture iodine
ip netns exec "$CLI" timeout 75 iodine -f -r -P dnshunt-test 10.99.0.1 \
    "t.$DOMAIN" >"$W/iodine.log" 2>&1 &
up=0
for i in $(seq 30); do
    if ip -n "$CLI" addr show 2>/dev/null | grep -q 192.168.99.; then
        up=1; break; fi
    sleep 1
done
if [ "$up" = 1 ]; then
    sink "$SRV" 192.168.99.1 9000 iodine
    sleep 1
    send 192.168.99.1 9000 80000 40
    wait
    echo "# iodine: $(cat "$W/iodine.received" 2>/dev/null) bytes through"
    check iodine
else
    echo "not ok - iodine: the tunnel comes up"
    tail -5 "$W/iodine.log" | sed 's/^/#   /'
fi

# dns2tcp: TCP over TXT records.
cat >"$W/dns2tcpd.conf" <<EOC
listen = 10.99.0.1
port = 53
user = nobody
chroot = /tmp
domain = d.$DOMAIN
resources = sink:127.0.0.1:9001
EOC
sink "$SRV" 127.0.0.1 9001 dns2tcp
ip netns exec "$SRV" timeout 100 dns2tcpd -F -f "$W/dns2tcpd.conf" \
    >"$W/dns2tcpd.log" 2>&1 &
sleep 1
capture dns2tcp
ip netns exec "$CLI" timeout 75 dns2tcpc -z "d.$DOMAIN" -r sink -l 4444 \
    10.99.0.1 >"$W/dns2tcpc.log" 2>&1 &
sleep 3
send 127.0.0.1 4444 30000 30
wait
echo "# dns2tcp: $(cat "$W/dns2tcp.received" 2>/dev/null) bytes through"
check dns2tcp
