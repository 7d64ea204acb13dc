# Writes the hand-built day of tests/e2e/score.sh: one host per noise
# case and per attack shape, as Route 53 Resolver query log lines (to
# OUT/dns.jsonl) and default-format VPC flow records (to OUT/flow.log).
# Random strings come from a Park-Miller generator so every awk gives
# the same bytes. usage: awk -v out=DIR -f score_fixture.awk
BEGIN {
    seed = 42
    t0 = 1714521600                     # 2024-05-01T00:00:00Z
    dns = out "/dns.jsonl"
    flow = out "/flow.log"
    b32 = "abcdefghijklmnopqrstuvwxyz234567"
    hexd = "0123456789abcdef"
    abc = "abcdefghijklmnopqrstuvwxyz"
    nw = split("apple river stone cloud tiger maple ocean silver " \
               "garden rocket planet copper meadow falcon winter " \
               "harbor lantern velvet summit canyon", words, " ")

    # --- Noise that must not alert ---
    # CDN and cloud names with random labels (lexical allow-list).
    for (i = 0; i < 40; i++) {
        q("10.0.0.11", 60 * i, "d" rs(hexd, 13) ".cloudfront.net", "A",
          "NOERROR", "[]")
        q("10.0.0.11", 60 * i + 1, rs(abc, 3) rs(hexd, 12) \
          ".blob.core.windows.net", "A", "NOERROR", "[]")
        q("10.0.0.11", 60 * i + 2, "rr" (i % 9) "---sn-" rs(abc, 8) \
          ".googlevideo.com", "A", "NOERROR", "[]")
    }
    # Browser start-up canaries: random single labels, all NXDOMAIN.
    for (i = 0; i < 20; i++)
        for (k = 0; k < 3; k++)
            q("10.0.0.12", 3600 * i + k, rs(abc, 7 + k * 3), "A",
              "NXDOMAIN", "[]")
    # A mail relay: MX, SPF, DMARC, DKIM and blocklist look-ups.
    for (i = 0; i < 100; i++) {
        d = words[i % nw + 1] words[(i * 7) % nw + 1] ".com"
        q("10.0.0.13", 300 * i, d, "MX", "NOERROR", "[]")
        q("10.0.0.13", 300 * i + 1, d, "TXT", "NOERROR", "[]")
        q("10.0.0.13", 300 * i + 2, "_dmarc." d, "TXT", "NOERROR", "[]")
        q("10.0.0.13", 300 * i + 3, "s1._domainkey." d, "TXT", "NOERROR",
          "[]")
        q("10.0.0.13", 300 * i + 4, rn(256) "." rn(256) "." rn(256) "." \
          rn(256) ".zen.spamhaus.org", "A", "NXDOMAIN", "[]")
    }
    # Reverse look-ups.
    for (i = 0; i < 200; i++)
        q("10.0.0.14", 100 * i, rn(256) "." rn(256) ".0.10.in-addr.arpa",
          "PTR", "NOERROR", "[]")
    # Kubernetes search path: NXDOMAIN under internal suffixes.
    for (i = 0; i < 150; i++) {
        d = words[i % nw + 1] ".default"
        q("10.0.0.15", 200 * i, d ".svc.cluster.local", "A", "NXDOMAIN",
          "[]")
        q("10.0.0.15", 200 * i, d ".ec2.internal", "AAAA", "NXDOMAIN", "[]")
        q("10.0.0.15", 200 * i + 1, "registry." words[i % nw + 1] ".io",
          "A", "NOERROR", "[]")
    }
    # A security agent: hashed look-ups under its vendor's zone.
    for (i = 0; i < 500; i++)
        q("10.0.0.16", 150 * i, rs(hexd, 16) "." rs(hexd, 16) \
          ".sxl.sophosxl.net", "A", "NOERROR", ans("A", "127.0.0.1"))
    # A busy server: many queries for a few ordinary names.
    for (i = 0; i < 3000; i++)
        q("10.0.0.17", 20 * i, (i % 2 ? "www." : "api.") \
          words[i % nw + 1] "-shop.com", "A", "NOERROR",
          ans("A", "192.0.2.10"))
    # An application server that asks an outside resolver now and then,
    # and a workstation whose browser uses DNS over HTTPS.
    for (i = 0; i < 24; i++) {
        f("10.0.0.18", "8.8.8.8", 53, 17, 1, 74, 3600 * i)
        q("10.0.0.18", 3600 * i + 5, "api.github.com", "A", "NOERROR", "[]")
        f("10.0.0.19", "1.1.1.1", 443, 6, 14, 2200, 3600 * i + 30)
        q("10.0.0.19", 3600 * i + 9, "www.wikipedia.org", "A", "NOERROR",
          "[]")
    }

    # Zeek asking Team Cymru about file hashes: TXT, NXDOMAIN.
    for (i = 0; i < 300; i++)
        q("10.0.0.32", 250 * i + rn(100), rs(hexd, 40) \
          ".malware.hash.cymru.com", "TXT", "NXDOMAIN", "[]")
    # A health check polling one partner every minute, to the second.
    for (i = 0; i < 300; i++)
        q("10.0.0.33", 60 * i, "status.partner-payments.com", "A",
          "NOERROR", "[]")
    # A registry behind a load balancer: a CNAME and eight addresses.
    for (i = 0; i < 100; i++)
        q("10.0.0.34", 600 * i + rn(300), "registry-" i % 5 ".docker-hub.io",
          "A", "NOERROR", "[{\"Rdata\":\"elb-1234.us-east-1.elb." \
          "amazonaws.com.\",\"Type\":\"CNAME\",\"Class\":\"IN\"}" \
          addrs(8) "]")
    # Hyphenated service hostnames under one parent.
    for (i = 0; i < 100; i++)
        q("10.0.0.35", 700 * i + rn(300), "internal-orders-prod-" \
          (100000000 + i * 7919) ".us-east-1.api-example.com", "A",
          "NOERROR", "[]")

    # A fleet of 50 ordinary hosts asking for popular names now and
    # then, so that "only one host asks for it" means something.
    for (h = 100; h < 150; h++)
        for (i = 0; i < 20; i++) {
            k = rn(4)
            d = k == 0 ? "api.github.com" : k == 1 ? "www.wikipedia.org" \
              : k == 2 ? "www." words[rn(nw) + 1] "-shop.com" \
              : "www." words[rn(nw) + 1] "-news.com"
            q("10.0.1." h, rn(86000), d, "A", "NOERROR", "[]")
        }

    # --- Attacks that must alert ---
    # A random-letter DGA: 30 names, NXDOMAIN.
    for (i = 0; i < 30; i++)
        q("10.0.0.21", 1200 * i, rs(abc, 12 + i % 5) ".biz", "A",
          "NXDOMAIN", "[]")
    # A dictionary DGA: 40 names of two words, NXDOMAIN.
    for (i = 0; i < 40; i++)
        q("10.0.0.22", 900 * i, words[rn(nw) + 1] words[rn(nw) + 1] ".net",
          "A", "NXDOMAIN", "[]")
    # A tunnel's first minute: one base32 query a second, NULL answers.
    for (i = 0; i < 60; i++)
        q("10.0.0.23", 21600 + i, rs(b32, 57) "." rs(b32, 50) \
          ".t.tunnel-example.com", "NULL", "NOERROR",
          ans("NULL", rs(b32, 40)))
    # TXT exfiltration under a shop everybody uses: hex, NXDOMAIN.
    for (i = 0; i < 200; i++)
        q("10.0.0.24", 64800 + 5 * i, rs(hexd, 40) "." i \
          ".d.apple-shop.com", "TXT", "NXDOMAIN", "[]")
    # A tunnel under a parent the configuration allow-lists (lexically).
    for (i = 0; i < 100; i++)
        q("10.0.0.25", 30000 + i, rs(b32, 60) ".x.allowed-example.net",
          "TXT", "NOERROR", ans("TXT", "\\\"" rs(b32, 100) "\\\""))
    # Exfiltration in A queries of 40 base32 symbols, no answers.
    for (i = 0; i < 300; i++)
        q("10.0.0.36", 40000 + 2 * i, rs(b32, 40) ".x7-exfil.io", "A",
          "NOERROR", "[]")
    # A tunnel in nibbles written as the letters a-p, TXT.
    for (i = 0; i < 100; i++)
        q("10.0.0.37", 50000 + i, rs("abcdefghijklmnop", 60) \
          ".cdnsync-example.net", "TXT", "NOERROR",
          ans("TXT", rs(b32, 60)))
    # A tunnel behind a service-like '_' label.
    for (i = 0; i < 100; i++)
        q("10.0.0.38", 52000 + i, "_x." rs(b32, 57) ".t.underscore-example.net",
          "TXT", "NOERROR", ans("TXT", rs(b32, 60)))
    # DNS straight to an outside server, tunnel-sized packets.
    for (i = 0; i < 10; i++)
        f("10.0.0.26", "203.0.113.53", 53, 17, 60, 60 * 230,
          43200 + 60 * i)
    q("10.0.0.26", 43100, "api.github.com", "A", "NOERROR", "[]")
    # DNS over HTTPS all day, to two public resolvers.
    for (i = 0; i < 144; i++)
        f("10.0.0.27", i % 2 ? "8.8.8.8" : "1.1.1.1", 443, 6, 20, 3000,
          600 * i + 7)
    q("10.0.0.27", 100, "www.wikipedia.org", "A", "NOERROR", "[]")
    # Fast flux: one name answered from 30 addresses in 30 networks,
    # and a CDN name answered the same way (allow-listed lexically).
    for (i = 0; i < 30; i++) {
        ip = (20 + i * 7) "." (rn(250) + 1) "." rn(256) "." (rn(250) + 1)
        t = rn(86000)
        q("10.0.0.31", t, "www.flux-example.org", "A", "NOERROR",
          ans("A", ip))
        q("10.0.0.11", t + 9, "d1a2b3c4d5e6f7.cloudfront.net", "A",
          "NOERROR", ans("A", ip))
    }
    # A beacon behind the custom resolver 10.0.0.53, every 5 minutes
    # (+-1), while two other hosts use the same resolver.
    for (i = 0; i < 96; i++) {
        t = 300 * i + rn(121) - 60 + 120
        f("10.0.0.28", "10.0.0.53", 53, 17, 1, 80, t)
        q("10.0.0.53", t, "cdn.velvet-harbor.net", "A", "NOERROR",
          ans("A", "198.51.100.7"))
    }
    for (i = 0; i < 400; i++) {
        t = 200 * i + 13
        h = i % 2 ? "10.0.0.29" : "10.0.0.30"
        f(h, "10.0.0.53", 53, 17, 1, 70, t)
        q("10.0.0.53", t, "www." words[rn(nw) + 1] "-news.com", "A",
          "NOERROR", "[]")
    }
}

# Park-Miller: the next number in [0, n).
function rn(n) {
    seed = (seed * 16807) % 2147483647
    return seed % n
}

# A random string of n characters of alphabet a.
function rs(a, n,    s, i) {
    s = ""
    for (i = 0; i < n; i++)
        s = s substr(a, rn(length(a)) + 1, 1)
    return s
}

# The time t0 + sec as ISO 8601 (the day has 86400 seconds).
function iso(sec,    h, m, s) {
    h = int(sec / 3600)
    m = int((sec % 3600) / 60)
    s = sec % 60
    return sprintf("2024-05-01T%02d:%02d:%02dZ", h, m, s)
}

# An answers array of one record, as AWS writes it.
function ans(type, rdata) {
    return "[{\"Rdata\":\"" rdata "\",\"Type\":\"" type \
           "\",\"Class\":\"IN\"}]"
}

# n A records from a load balancer's pool of 16 addresses in two
# networks, each with a leading comma.
function addrs(n,    s, i) {
    s = ""
    for (i = 0; i < n; i++)
        s = s ",{\"Rdata\":\"" (rn(2) ? "52.1.7." : "54.2.9.") \
            (rn(8) + 10) "\",\"Type\":\"A\",\"Class\":\"IN\"}"
    return s
}

# One resolver log line.
function q(src, sec, name, type, rcode, answers) {
    printf "{\"version\":\"1.100000\",\"account_id\":\"111122223333\"," \
           "\"region\":\"us-east-1\",\"vpc_id\":\"vpc-0a1b2c3d\"," \
           "\"query_timestamp\":\"%s\",\"query_name\":\"%s.\"," \
           "\"query_type\":\"%s\",\"query_class\":\"IN\",\"rcode\":\"%s\"," \
           "\"answers\":%s,\"srcaddr\":\"%s\",\"srcport\":\"%d\"," \
           "\"transport\":\"UDP\",\"srcids\":{}}\n", iso(sec), name, type,
           rcode, answers, src, 30000 + rn(30000) > dns
}

# One flow from src to dst:port and its answer, default format.
function f(src, dst, port, proto, packets, bytes, sec,    sp) {
    sp = 32768 + rn(28000)
    printf "2 111122223333 eni-0001 %s %s %d %d %d %d %d %d %d ACCEPT OK\n",
           src, dst, sp, port, proto, packets, bytes, t0 + sec,
           t0 + sec > flow
    printf "2 111122223333 eni-0001 %s %s %d %d %d %d %d %d %d ACCEPT OK\n",
           dst, src, port, sp, proto, packets, bytes + 16 * packets,
           t0 + sec, t0 + sec > flow
}
