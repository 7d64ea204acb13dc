#!/usr/bin/env python3
"""Route 53 query log lines whose answer sets all share one hash.

usage: colliding_answers.py N [MINUTE]

Prints N JSON lines, each a TXT query whose answer holds a different
printable Rdata, chosen so that the answers as the store keeps them
('[["TXT","<rdata>"]]', 40 bytes) all have the same intern_hash() (see
storage/intern.c, mirrored below). Such a file is what an attacker who
controls a DNS zone can make a resolver log; a store that found answer
sets by their hash alone would scan every earlier one for each new one.
MINUTE (0) sets the minute of the timestamps, so that two runs make two
files of the same answers. Deterministic: the same N gives the same lines.
"""
import json
import random
import sys

M64 = (1 << 64) - 1
K1 = 0xFF51AFD7ED558CCD
K1_INV = pow(K1, -1, 1 << 64)
PREFIX = b'[["TXT",'          # the first 8 bytes of every answer set
TARGET = 0x1234567890ABCDEF   # the state after the chosen block
TAIL = "QRSTU"
LENGTH = 40


def mix(x):
    t = (x * K1) & M64
    return t ^ (t >> 32)


def unmix(y):
    t = y ^ (y >> 32)
    return (t * K1_INV) & M64


def intern_hash(b):
    n = len(b)
    h = 0x9E3779B97F4A7C15 ^ n
    i = 0
    while n - i >= 8:
        h = mix(h ^ int.from_bytes(b[i:i + 8], "little"))
        i += 8
    w = int.from_bytes(b[i:] + bytes(8 - (n - i)), "little")
    h = ((h ^ w) * 0xC4CEB9FE1A85EC53) & M64
    h ^= h >> 29
    return h or 1


def main():
    n = int(sys.argv[1])
    minute = int(sys.argv[2]) if len(sys.argv) > 2 else 0
    ok = set(range(0x21, 0x7F)) - {ord('"'), ord("\\")}
    alphabet = [chr(c) for c in sorted(ok)]
    rnd = random.Random(20261205)
    start = mix((0x9E3779B97F4A7C15 ^ LENGTH) ^
                int.from_bytes(PREFIX, "little"))
    found, hashes = [], set()
    while len(found) < n:
        # Bytes 8-23: a quote and 15 free characters; 24-31 solved so
        # that the state after them is TARGET; then the same tail.
        head = "".join(rnd.choice(alphabet) for _ in range(15))
        b = ('"' + head).encode()
        st = mix(mix(start ^ int.from_bytes(b[:8], "little")) ^
                 int.from_bytes(b[8:], "little"))
        chosen = (unmix(TARGET) ^ st).to_bytes(8, "little")
        if all(c in ok for c in chosen):
            rdata = head + chosen.decode() + TAIL
            text = ('[["TXT","%s"]]' % rdata).encode()
            assert len(text) == LENGTH
            hashes.add(intern_hash(text))
            found.append(rdata)
    assert len(hashes) == 1
    for i, rdata in enumerate(found):
        print(json.dumps({
            "version": "1.100000",
            "query_timestamp": "2024-04-02T13:%02d:%02d.%03dZ"
                               % (minute, i // 1000 % 60, i % 1000),
            "query_name": "t%d.collide.example." % i,
            "query_type": "TXT", "query_class": "IN", "rcode": "NOERROR",
            "srcaddr": "10.0.0.5", "srcport": "40000",
            "answers": [{"Rdata": rdata, "Type": "TXT", "Class": "IN"}]}))


if __name__ == "__main__":
    main()
