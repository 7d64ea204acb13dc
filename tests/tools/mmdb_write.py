#!/usr/bin/python3
"""Write a small MaxMind DB (MMDB 2.0) file of autonomous systems for tests.

Usage: python3 tests/tools/mmdb_write.py IN.tsv OUT.mmdb

IN.tsv holds lines "CIDR<TAB>ASN<TAB>ORGANISATION" (IPv4 or IPv6 CIDR);
blank lines and lines starting with '#' are ignored.

Why: dnshunt's tests need a real .mmdb that libmaxminddb opens, and Debian
ships readers (libmaxminddb, mmdb-bin) but no writer. This script is written
from the format specification (https://maxmind.github.io/MaxMind-DB/) and uses
the Python standard library only.

What it writes (deterministic: same input, same bytes):
  * search tree: ip_version 6, record_size 24 (28 if records need more bits).
    IPv4 networks are stored at ::a.b.c.d/(len+96), where libmaxminddb looks
    up IPv4 addresses. As in GeoLite2, ::ffff:0:0/96 (IPv4-mapped) is aliased
    to that IPv4 subtree, unless the input itself has networks there.
    Overlapping CIDRs: the more specific network wins.
    Records: < node_count = node, == node_count = no data,
    node_count + 16 + offset = data at offset in the data section.
  * 16 zero bytes (data section separator).
  * data section: one map per distinct (asn, org), no pointers:
    {"autonomous_system_number": uint32, "autonomous_system_organization": str}
  * "\\xAB\\xCD\\xEFMaxMind.com" and the metadata map (database_type
    "dnshunt-test-ASN", languages [], fixed build_epoch, format 2.0,
    description {"en": "dnshunt test ASN data"}).
"""
import ipaddress
import struct
import sys

MARKER = b"\xab\xcd\xefMaxMind.com"
# Fixed, so output is deterministic. Not 0: libmaxminddb (1.7.1) treats a
# zero build_epoch as missing and refuses to open the file.
BUILD_EPOCH = 1704067200  # 2024-01-01T00:00:00Z
T_STR, T_U16, T_U32, T_MAP, T_U64, T_ARR = 2, 5, 6, 7, 9, 11


def ctrl(typ, size):
    """Control byte(s) for a field of type typ with payload size (or count)."""
    if size < 29:
        first, extra = size, b""
    elif size < 285:
        first, extra = 29, bytes([size - 29])
    elif size < 65821:
        first, extra = 30, struct.pack(">H", size - 285)
    else:
        first, extra = 31, struct.pack(">I", size - 65821)[1:]
    if typ <= 7:
        return bytes([(typ << 5) | first]) + extra
    return bytes([first, typ - 7]) + extra  # extended type


def enc(typ, value):
    """Encode one value of the given MMDB type."""
    if typ == T_STR:
        raw = value.encode("utf-8")
        return ctrl(T_STR, len(raw)) + raw
    if typ in (T_U16, T_U32, T_U64):
        raw = value.to_bytes(8, "big").lstrip(b"\0")  # 0 has length 0
        return ctrl(typ, len(raw)) + raw
    if typ == T_ARR:
        return ctrl(T_ARR, len(value)) + b"".join(enc(t, v) for t, v in value)
    if typ == T_MAP:  # value: list of (key, type, value), keys are strings
        return ctrl(T_MAP, len(value)) + b"".join(
            enc(T_STR, k) + enc(t, v) for k, t, v in value)
    raise ValueError("unsupported type %r" % typ)


def read_tsv(path):
    """Return [(IPv6Network, asn, org, cidr text)] in file order."""
    out = []
    with open(path, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            line = line.rstrip("\r\n")
            if not line.strip() or line.lstrip().startswith("#"):
                continue
            parts = line.split("\t")
            if len(parts) != 3:
                sys.exit("%s:%d: want CIDR<TAB>ASN<TAB>ORG" % (path, n))
            try:
                net = ipaddress.ip_network(parts[0].strip(), strict=True)
                asn = int(parts[1].strip())
            except ValueError as e:
                sys.exit("%s:%d: %s" % (path, n, e))
            if not 0 <= asn <= 0xFFFFFFFF:
                sys.exit("%s:%d: ASN out of uint32 range" % (path, n))
            if net.version == 4:  # ::a.b.c.d/(len+96)
                net = ipaddress.IPv6Network(
                    (int(net.network_address), net.prefixlen + 96))
            out.append((net, asn, parts[2], parts[0].strip()))
    return out


def insert(root, net, val):
    """Set the subtree for net to val; nodes are [left, right] lists,
    leaves are None (no data) or an int data offset."""
    bits, plen = int(net.network_address), net.prefixlen
    if plen == 0:
        root[0] = root[1] = val
        return
    cur = root
    for i in range(plen - 1):
        b = (bits >> (127 - i)) & 1
        if not isinstance(cur[b], list):
            cur[b] = [cur[b], cur[b]]  # split a leaf into two equal halves
        cur = cur[b]
    cur[(bits >> (128 - plen)) & 1] = val


def build(entries):
    data, offsets, root = bytearray(), {}, [None, None]
    for _, asn, org, _ in entries:
        if (asn, org) not in offsets:
            offsets[(asn, org)] = len(data)
            data += enc(T_MAP, [("autonomous_system_number", T_U32, asn),
                                ("autonomous_system_organization", T_STR, org)])
    seen = set()
    # Stable sort by prefix length: less specific first, so more specific
    # networks (inserted later) overwrite them; duplicates: last line wins.
    for net, asn, org, text in sorted(entries, key=lambda e: e[0].prefixlen):
        if net in seen:
            print("warning: %s listed twice, last wins" % text, file=sys.stderr)
        seen.add(net)
        insert(root, net, offsets[(asn, org)])
    mapped = ipaddress.IPv6Network("::ffff:0:0/96")
    if entries and not any(e[0].subnet_of(mapped) for e in entries):
        v4 = root
        for _ in range(96):  # the IPv4 subtree: 96 zero bits from the root
            if not isinstance(v4, list):
                break
            v4 = v4[0]
        insert(root, mapped, v4)  # shares the node: the tree becomes a DAG
    return root, bytes(data)


def number(root):
    """Breadth-first node numbering (shared nodes numbered once)."""
    order, ids, i = [root], {id(root): 0}, 0
    while i < len(order):
        for child in order[i]:
            if isinstance(child, list) and id(child) not in ids:
                ids[id(child)] = len(order)
                order.append(child)
        i += 1
    return order, ids


def write(entries, out_path):
    root, data = build(entries)
    order, ids = number(root)
    count = len(order)

    def rec(x):
        if isinstance(x, list):
            return ids[id(x)]
        return count if x is None else count + 16 + x

    top = count + 16 + len(data)
    size = 24 if top < 1 << 24 else 28 if top < 1 << 28 else None
    if size is None:
        sys.exit("tree/data too large for record_size 28")
    tree = bytearray()
    for node in order:
        left, right = rec(node[0]), rec(node[1])
        tree += left.to_bytes(4, "big")[1:]
        if size == 28:
            tree.append(((left >> 24) << 4) | (right >> 24))
        tree += (right & 0xFFFFFF).to_bytes(3, "big")
    meta = enc(T_MAP, [
        ("binary_format_major_version", T_U16, 2),
        ("binary_format_minor_version", T_U16, 0),
        ("build_epoch", T_U64, BUILD_EPOCH),
        ("database_type", T_STR, "dnshunt-test-ASN"),
        ("description", T_MAP, [("en", T_STR, "dnshunt test ASN data")]),
        ("ip_version", T_U16, 6),
        ("languages", T_ARR, []),
        ("node_count", T_U32, count),
        ("record_size", T_U16, size),
    ])
    with open(out_path, "wb") as f:
        f.write(bytes(tree) + b"\0" * 16 + data + MARKER + meta)


def main(argv):
    if len(argv) != 3:
        sys.exit("usage: %s IN.tsv OUT.mmdb" % argv[0])
    write(read_tsv(argv[1]), argv[2])


if __name__ == "__main__":
    main(sys.argv)
