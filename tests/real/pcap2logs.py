#!/usr/bin/python3
# SPDX-License-Identifier: MIT
#
# pcap2logs.py: turn a capture of DNS traffic (classic pcap, Ethernet,
# UDP port 53) into what AWS would have logged of it:
#
#   OUT/dns.jsonl  Route 53 Resolver query log lines, one per query
#                  answered in the capture (as if the client had asked
#                  the VPC's resolver: srcaddr is the client)
#   OUT/flow.log   VPC Flow Log records in the default format (version
#                  2), one per flow and 60-second window (as if the
#                  client had sent its DNS straight to the server)
#
# usage: pcap2logs.py CAPTURE.pcap OUT_DIR [--server-as ADDR]
#
# --server-as gives the server the address the flow records show (a
# tunnel server sits outside the VPC). Query names are written in DNS
# presentation form: bytes other than letters, digits, '-' and '_' as
# \DDD (decimal), a trailing dot. Rdata of types without a text form is
# written in the generic form of RFC 3597 ("\# LENGTH HEX").
import json
import os
import socket
import struct
import sys

TYPES = {1: "A", 2: "NS", 5: "CNAME", 6: "SOA", 10: "NULL", 12: "PTR",
         15: "MX", 16: "TXT", 28: "AAAA", 33: "SRV", 255: "ANY",
         65399: "PRIVATE"}
RCODES = {0: "NOERROR", 1: "FORMERR", 2: "SERVFAIL", 3: "NXDOMAIN",
          4: "NOTIMP", 5: "REFUSED"}
SAFE = set(b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
           b"0123456789-_")


def packets(path):
    """(time, src, dst, sport, dport, ip_len, dns bytes) of UDP packets."""
    with open(path, "rb") as f:
        head = f.read(24)
        magic = struct.unpack("<I", head[:4])[0]
        if magic not in (0xa1b2c3d4, 0xa1b23c4d):
            sys.exit("%s: not a classic pcap file (capture with -F pcap)"
                     % path)
        nano = magic == 0xa1b23c4d
        link = struct.unpack("<I", head[20:24])[0]
        if link != 1:
            sys.exit("%s: link type %d, not Ethernet" % (path, link))
        while True:
            rec = f.read(16)
            if len(rec) < 16:
                return
            sec, frac, incl, _ = struct.unpack("<IIII", rec)
            data = f.read(incl)
            t = sec + frac / (1e9 if nano else 1e6)
            if len(data) < 42 or data[12:14] != b"\x08\x00":
                continue                # IPv4 only
            ip = data[14:]
            ihl = (ip[0] & 15) * 4
            if ip[9] != 17:
                continue                # UDP only
            total = struct.unpack(">H", ip[2:4])[0]
            src = socket.inet_ntoa(ip[12:16])
            dst = socket.inet_ntoa(ip[16:20])
            udp = ip[ihl:]
            sport, dport = struct.unpack(">HH", udp[:4])
            yield t, src, dst, sport, dport, total, udp[8:]


def name_at(msg, off, depth=0):
    """The name at off as raw labels, and the offset after it."""
    labels, end = [], None
    while off < len(msg) and depth < 32:
        n = msg[off]
        if n & 0xc0 == 0xc0:
            if end is None:
                end = off + 2
            off = ((n & 0x3f) << 8) | msg[off + 1]
            depth += 1
            continue
        off += 1
        if n == 0:
            break
        labels.append(msg[off:off + n])
        off += n
    return labels, end if end is not None else off


def presentation(labels):
    out = []
    for lab in labels:
        out.append("".join(chr(b) if b in SAFE else "\\%03d" % b
                           for b in lab))
    return ".".join(out) + "."


def rdata_text(msg, rtype, off, rdlen):
    rd = msg[off:off + rdlen]
    if rtype == 1 and rdlen == 4:
        return socket.inet_ntoa(rd)
    if rtype in (2, 5, 12):
        return presentation(name_at(msg, off)[0])
    if rtype == 15:
        return "%d %s" % (struct.unpack(">H", rd[:2])[0],
                          presentation(name_at(msg, off + 2)[0]))
    if rtype == 16:
        parts, i = [], 0
        while i < len(rd):
            n = rd[i]
            parts.append('"%s"' % rd[i + 1:i + 1 + n].decode("latin-1"))
            i += 1 + n
        return " ".join(parts)
    return "\\# %d %s" % (rdlen, rd.hex())


def parse(msg):
    """id, is-response, rcode, qname labels, qtype, answers."""
    if len(msg) < 12:
        return None
    qid, flags, qd, an = struct.unpack(">HHHH", msg[:8])
    labels, off = name_at(msg, 12)
    if qd < 1 or off + 4 > len(msg):
        return None
    qtype = struct.unpack(">H", msg[off:off + 2])[0]
    off += 4
    answers = []
    for _ in range(an):
        _, off = name_at(msg, off)
        if off + 10 > len(msg):
            break
        rtype, _, _, rdlen = struct.unpack(">HHIH", msg[off:off + 10])
        off += 10
        answers.append({"Rdata": rdata_text(msg, rtype, off, rdlen),
                        "Type": TYPES.get(rtype, "TYPE%d" % rtype),
                        "Class": "IN"})
        off += rdlen
    return qid, flags >> 15, flags & 15, labels, qtype, answers


def stamp(t):
    import time
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(t))


def main():
    args = sys.argv[1:]
    server_as = None
    if "--server-as" in args:
        i = args.index("--server-as")
        server_as = args[i + 1]
        del args[i:i + 2]
    if len(args) != 2:
        sys.exit("usage: pcap2logs.py CAPTURE.pcap OUT_DIR "
                 "[--server-as ADDR]")
    cap, out = args
    os.makedirs(out, exist_ok=True)
    pending, lines, flows = {}, [], {}
    for t, src, dst, sport, dport, size, dns in packets(cap):
        if 53 not in (sport, dport):
            continue
        if server_as:
            src = server_as if sport == 53 else src
            dst = server_as if dport == 53 else dst
        key = (src, dst, sport, dport, int(t // 60))
        fl = flows.setdefault(key, [0, 0, t, t])
        fl[0] += 1
        fl[1] += size
        fl[3] = t
        m = parse(dns)
        if not m:
            continue
        qid, resp, rcode, labels, qtype, answers = m
        if not resp:
            pending[(src, sport, qid)] = (t, labels, qtype)
            continue
        q = pending.pop((dst, dport, qid), None)
        if not q:
            continue
        lines.append({
            "version": "1.100000", "account_id": "111122223333",
            "region": "us-east-1", "vpc_id": "vpc-0real00000000001",
            "query_timestamp": stamp(q[0]),
            "query_name": presentation(q[1]),
            "query_type": TYPES.get(q[2], "TYPE%d" % q[2]),
            "query_class": "IN", "rcode": RCODES.get(rcode, "SERVFAIL"),
            "answers": answers, "srcaddr": dst, "srcport": str(dport),
            "transport": "UDP",
            "srcids": {"instance": "i-0real000000000001"}})
    with open(os.path.join(out, "dns.jsonl"), "w") as f:
        for line in lines:
            f.write(json.dumps(line, separators=(",", ":")) + "\n")
    with open(os.path.join(out, "flow.log"), "w") as f:
        for (src, dst, sport, dport, _), (n, b, t0, t1) in sorted(
                flows.items(), key=lambda kv: kv[1][2]):
            f.write("2 111122223333 eni-0real0000000001 %s %s %d %d 17 %d "
                    "%d %d %d ACCEPT OK\n" % (src, dst, sport, dport, n, b,
                                              int(t0), int(t1) + 1))
    print("%d queries, %d flow records" % (len(lines), len(flows)))


main()
