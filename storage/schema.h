/* SPDX-License-Identifier: MIT
 *
 * The store's schema as numbered migrations. Migration N brings a store
 * from user_version N-1 to N; storage/db.c runs the missing ones in order
 * in one transaction, so a store is never left between two versions.
 * Never edit a released migration: add one.
 * docs/data-model.md explains every table for analysts.
 */
#ifndef DNSHUNT_SCHEMA_H
#define DNSHUNT_SCHEMA_H

/* Migration 1: imports, names, origins, queries, flows, health, rejects. */
#define SCHEMA_V1 \
"CREATE TABLE imports(\n" \
"  id            INTEGER PRIMARY KEY,\n" \
"  path          TEXT NOT NULL,\n" \
"  size          INTEGER,\n" \
"  sha256        TEXT NOT NULL,\n" \
"  format        TEXT NOT NULL,\n" \
"  compression   TEXT NOT NULL,\n" \
"  rows_kept     INTEGER NOT NULL DEFAULT 0,\n" \
"  rows_rejected INTEGER NOT NULL DEFAULT 0,\n" \
"  status        TEXT NOT NULL CHECK(status IN\n" \
"                  ('importing','ok','partial','failed','empty')),\n" \
"  message       TEXT,\n" \
"  started_at    INTEGER NOT NULL,\n" \
"  finished_at   INTEGER);\n" \
"CREATE UNIQUE INDEX imports_sha256 ON imports(sha256);\n" \
"CREATE TABLE names(\n" \
"  id         INTEGER PRIMARY KEY,\n" \
"  logged     BLOB NOT NULL UNIQUE,\n" \
"  norm       TEXT NOT NULL,\n" \
"  domain     TEXT,\n" \
"  site       TEXT,\n" \
"  subdomain  TEXT,\n" \
"  flags      INTEGER NOT NULL DEFAULT 0);\n" \
"CREATE INDEX names_domain ON names(domain);\n" \
"CREATE TABLE origins(\n" \
"  id            INTEGER PRIMARY KEY,\n" \
"  srcaddr       TEXT NOT NULL,\n" \
"  instance      TEXT,\n" \
"  vpc_id        TEXT,\n" \
"  account_id    TEXT,\n" \
"  region        TEXT,\n" \
"  resolver_endpoint TEXT,\n" \
"  resolver_eni  TEXT,\n" \
"  log_version   TEXT,\n" \
"  UNIQUE(srcaddr, instance, vpc_id, account_id, region,\n" \
"         resolver_endpoint, resolver_eni, log_version));\n" \
"CREATE TABLE answer_sets(\n" \
"  id      INTEGER PRIMARY KEY,\n" \
"  hash    INTEGER NOT NULL,\n" \
"  n       INTEGER NOT NULL,\n" \
"  bytes   INTEGER NOT NULL,\n" \
"  answers TEXT NOT NULL);\n" \
"CREATE INDEX answer_sets_hash ON answer_sets(hash);\n" \
"CREATE TABLE firewall_hits(\n" \
"  id             INTEGER PRIMARY KEY,\n" \
"  rule_group_id  TEXT,\n" \
"  action         TEXT,\n" \
"  domain_list_id TEXT,\n" \
"  UNIQUE(rule_group_id, action, domain_list_id));\n" \
"CREATE TABLE dns_types(\n" \
"  code INTEGER PRIMARY KEY,\n" \
"  name TEXT NOT NULL UNIQUE);\n" \
"CREATE TABLE dns_rcodes(\n" \
"  code INTEGER PRIMARY KEY,\n" \
"  name TEXT NOT NULL UNIQUE);\n" \
"CREATE TABLE dns_classes(\n" \
"  code INTEGER PRIMARY KEY,\n" \
"  name TEXT NOT NULL UNIQUE);\n" \
"CREATE TABLE queries(\n" \
"  id        INTEGER PRIMARY KEY,\n" \
"  import_id INTEGER NOT NULL,\n" \
"  ts_ms     INTEGER NOT NULL,\n" \
"  name_id   INTEGER NOT NULL,\n" \
"  origin_id INTEGER NOT NULL,\n" \
"  qtype     INTEGER NOT NULL,\n" \
"  rcode     INTEGER NOT NULL,\n" \
"  srcport   INTEGER,\n" \
"  transport INTEGER,\n" \
"  answer_id INTEGER,\n" \
"  firewall_id INTEGER,\n" \
"  qclass    INTEGER);\n" \
"CREATE TABLE flow_interfaces(\n" \
"  id           INTEGER PRIMARY KEY,\n" \
"  version      INTEGER,\n" \
"  account_id   TEXT,\n" \
"  interface_id TEXT,\n" \
"  vpc_id       TEXT,\n" \
"  subnet_id    TEXT,\n" \
"  instance_id  TEXT,\n" \
"  region       TEXT,\n" \
"  az_id        TEXT,\n" \
"  sublocation_type TEXT,\n" \
"  sublocation_id   TEXT);\n" \
"CREATE INDEX flow_interfaces_eni ON flow_interfaces(interface_id);\n" \
"CREATE TABLE flows(\n" \
"  id           INTEGER PRIMARY KEY,\n" \
"  import_id    INTEGER NOT NULL,\n" \
"  interface    INTEGER NOT NULL,\n" \
"  srcaddr      TEXT,\n" \
"  dstaddr      TEXT,\n" \
"  srcport      INTEGER,\n" \
"  dstport      INTEGER,\n" \
"  protocol     INTEGER,\n" \
"  packets      INTEGER,\n" \
"  bytes        INTEGER,\n" \
"  start        INTEGER,\n" \
"  end          INTEGER,\n" \
"  action       TEXT,\n" \
"  tcp_flags    INTEGER,\n" \
"  type         TEXT,\n" \
"  pkt_srcaddr  TEXT,\n" \
"  pkt_dstaddr  TEXT,\n" \
"  pkt_src_aws_service TEXT,\n" \
"  pkt_dst_aws_service TEXT,\n" \
"  flow_direction TEXT,\n" \
"  traffic_path INTEGER,\n" \
"  reject_reason TEXT,\n" \
"  extra        TEXT);\n" \
"CREATE TABLE health_records(\n" \
"  id           INTEGER PRIMARY KEY,\n" \
"  import_id    INTEGER NOT NULL REFERENCES imports(id) ON DELETE CASCADE,\n" \
"  line         INTEGER NOT NULL,\n" \
"  log_status   TEXT NOT NULL,\n" \
"  interface    INTEGER NOT NULL REFERENCES flow_interfaces(id),\n" \
"  start        INTEGER,\n" \
"  end          INTEGER,\n" \
"  extra        TEXT);\n" \
"CREATE INDEX health_import ON health_records(import_id);\n" \
"CREATE TABLE rejected_rows(\n" \
"  id        INTEGER PRIMARY KEY,\n" \
"  import_id INTEGER NOT NULL REFERENCES imports(id) ON DELETE CASCADE,\n" \
"  line      INTEGER NOT NULL,\n" \
"  reason    TEXT NOT NULL,\n" \
"  excerpt   TEXT);\n" \
"CREATE INDEX rejected_import ON rejected_rows(import_id);\n" \
"CREATE VIEW query_log AS SELECT\n" \
"  q.id, q.import_id,\n" \
"  strftime('%Y-%m-%dT%H:%M:%fZ', q.ts_ms / 1000.0, 'unixepoch') AS time,\n" \
"  o.srcaddr, o.instance, o.vpc_id, o.account_id, o.region,\n" \
"  o.resolver_endpoint, n.logged AS query_name, n.norm, n.domain,\n" \
"  n.subdomain, coalesce(t.name, 'TYPE' || q.qtype) AS query_type,\n" \
"  coalesce(r.name, 'RCODE' || q.rcode) AS rcode, q.srcport,\n" \
"  CASE q.transport WHEN 17 THEN 'UDP' WHEN 6 THEN 'TCP'\n" \
"    WHEN 0 THEN 'other' END AS transport,\n" \
"  coalesce(c.name, 'CLASS' || q.qclass) AS query_class,\n" \
"  a.answers, f.action AS firewall_action\n" \
"FROM queries q JOIN names n ON n.id = q.name_id\n" \
"  JOIN origins o ON o.id = q.origin_id\n" \
"  LEFT JOIN dns_types t ON t.code = q.qtype\n" \
"  LEFT JOIN dns_rcodes r ON r.code = q.rcode\n" \
"  LEFT JOIN dns_classes c ON c.code = q.qclass\n" \
"  LEFT JOIN answer_sets a ON a.id = q.answer_id\n" \
"  LEFT JOIN firewall_hits f ON f.id = q.firewall_id;\n" \
"CREATE VIEW flow_log AS SELECT\n" \
"  fl.id, fl.import_id, i.version, i.account_id, i.interface_id,\n" \
"  fl.srcaddr, fl.dstaddr, fl.srcport, fl.dstport, fl.protocol,\n" \
"  fl.packets, fl.bytes, fl.start, fl.end, fl.action, i.vpc_id,\n" \
"  i.subnet_id, i.instance_id, fl.tcp_flags, fl.type, fl.pkt_srcaddr,\n" \
"  fl.pkt_dstaddr, i.region, i.az_id, i.sublocation_type,\n" \
"  i.sublocation_id, fl.pkt_src_aws_service, fl.pkt_dst_aws_service,\n" \
"  fl.flow_direction, fl.traffic_path, fl.reject_reason, fl.extra\n" \
"FROM flows fl JOIN flow_interfaces i ON i.id = fl.interface;\n"

/* Migration 2: the results of `dnshunt score`, replaced by each run. */
#define SCHEMA_V2 \
"CREATE TABLE score_runs(\n" \
"  id          INTEGER PRIMARY KEY,\n" \
"  started_at  INTEGER NOT NULL,\n" \
"  finished_at INTEGER NOT NULL,\n" \
"  since_ms    INTEGER,\n" \
"  until_ms    INTEGER,\n" \
"  last_import INTEGER NOT NULL,\n" \
"  config      TEXT NOT NULL,\n" \
"  model       TEXT NOT NULL,\n" \
"  queries     INTEGER NOT NULL,\n" \
"  flows       INTEGER NOT NULL,\n" \
"  names       INTEGER NOT NULL,\n" \
"  hosts       INTEGER NOT NULL,\n" \
"  alerts      INTEGER NOT NULL);\n" \
"CREATE TABLE hosts(\n" \
"  id          INTEGER PRIMARY KEY,\n" \
"  addr        TEXT NOT NULL UNIQUE,\n" \
"  instance    TEXT,\n" \
"  role        TEXT,\n" \
"  queries     INTEGER NOT NULL,\n" \
"  nxdomain    INTEGER NOT NULL,\n" \
"  txt         INTEGER NOT NULL,\n" \
"  bytes_per_query REAL,\n" \
"  domains     INTEGER NOT NULL,\n" \
"  dga_hits    INTEGER NOT NULL,\n" \
"  tunnel_hits INTEGER NOT NULL,\n" \
"  dns_flows   INTEGER NOT NULL,\n" \
"  dns_bytes   INTEGER NOT NULL,\n" \
"  doh_flows   INTEGER NOT NULL,\n" \
"  bypass_flows INTEGER NOT NULL,\n" \
"  dns_servers INTEGER NOT NULL,\n" \
"  attributed  INTEGER NOT NULL,\n" \
"  first_seen  INTEGER,\n" \
"  last_seen   INTEGER,\n" \
"  score       REAL NOT NULL,\n" \
"  severity    TEXT NOT NULL,\n" \
"  alert       INTEGER NOT NULL,\n" \
"  alert_first INTEGER,\n" \
"  alert_last  INTEGER,\n" \
"  top_reason  TEXT);\n" \
"CREATE INDEX hosts_score ON hosts(score DESC);\n" \
"CREATE TABLE host_reasons(\n" \
"  host_id   INTEGER NOT NULL REFERENCES hosts(id) ON DELETE CASCADE,\n" \
"  rank      INTEGER NOT NULL,\n" \
"  code      TEXT NOT NULL,\n" \
"  technique TEXT,\n" \
"  strength  REAL NOT NULL,\n" \
"  text      TEXT NOT NULL,\n" \
"  evidence  TEXT NOT NULL,\n" \
"  domain    TEXT,\n" \
"  first_seen INTEGER,\n" \
"  last_seen INTEGER,\n" \
"  PRIMARY KEY(host_id, rank));\n" \
"CREATE TABLE domains(\n" \
"  id          INTEGER PRIMARY KEY,\n" \
"  domain      TEXT NOT NULL UNIQUE,\n" \
"  registrable TEXT,\n" \
"  reason      TEXT NOT NULL,\n" \
"  dga_score   REAL,\n" \
"  noise       TEXT,\n" \
"  queries     INTEGER NOT NULL,\n" \
"  hosts       INTEGER NOT NULL,\n" \
"  nxdomain    INTEGER NOT NULL,\n" \
"  unique_subdomains INTEGER NOT NULL,\n" \
"  mean_sub_len REAL,\n" \
"  p95_sub_len REAL,\n" \
"  longest_label INTEGER,\n" \
"  sub_entropy REAL,\n" \
"  alphabet    TEXT,\n" \
"  txt         INTEGER NOT NULL,\n" \
"  null_q      INTEGER NOT NULL,\n" \
"  key_q       INTEGER NOT NULL,\n" \
"  private_q   INTEGER NOT NULL,\n" \
"  any_q       INTEGER NOT NULL,\n" \
"  cname_q     INTEGER NOT NULL,\n" \
"  bytes_per_query REAL,\n" \
"  peak_qpm    INTEGER NOT NULL,\n" \
"  answer_addrs INTEGER NOT NULL,\n" \
"  tunnel_score REAL NOT NULL,\n" \
"  first_seen  INTEGER,\n" \
"  last_seen   INTEGER);\n" \
"CREATE INDEX domains_suspicion ON domains(\n" \
"  max(coalesce(dga_score, 0), tunnel_score) DESC, queries DESC, domain);\n" \
"CREATE TABLE host_domains(\n" \
"  host_id   INTEGER NOT NULL REFERENCES hosts(id) ON DELETE CASCADE,\n" \
"  domain_id INTEGER NOT NULL REFERENCES domains(id) ON DELETE CASCADE,\n" \
"  queries   INTEGER NOT NULL,\n" \
"  nxdomain  INTEGER NOT NULL,\n" \
"  unique_subdomains INTEGER NOT NULL,\n" \
"  tunnel_score REAL NOT NULL,\n" \
"  median_gap REAL,\n" \
"  gap_cv    REAL,\n" \
"  attributed_from TEXT,\n" \
"  first_seen INTEGER,\n" \
"  last_seen INTEGER,\n" \
"  PRIMARY KEY(host_id, domain_id));\n" \
"CREATE INDEX host_domains_domain ON host_domains(domain_id);\n" \
"CREATE TABLE host_hours(\n" \
"  host_id   INTEGER NOT NULL REFERENCES hosts(id) ON DELETE CASCADE,\n" \
"  hour      INTEGER NOT NULL,\n" \
"  queries   INTEGER NOT NULL,\n" \
"  peak_qpm  INTEGER NOT NULL,\n" \
"  nxdomain  INTEGER NOT NULL,\n" \
"  nx_names  INTEGER NOT NULL,\n" \
"  searchpath_nx INTEGER NOT NULL,\n" \
"  txt       INTEGER NOT NULL,\n" \
"  parents   INTEGER NOT NULL,\n" \
"  long_names INTEGER NOT NULL,\n" \
"  dga       INTEGER NOT NULL,\n" \
"  tunnel    INTEGER NOT NULL,\n" \
"  PRIMARY KEY(host_id, hour));\n" \
"CREATE TABLE fleet_hours(\n" \
"  feature TEXT PRIMARY KEY,\n" \
"  p50     REAL NOT NULL,\n" \
"  p90     REAL NOT NULL,\n" \
"  p99     REAL NOT NULL);\n" \
"CREATE TABLE dns_peers(\n" \
"  host_id   INTEGER NOT NULL REFERENCES hosts(id) ON DELETE CASCADE,\n" \
"  peer      TEXT NOT NULL,\n" \
"  port      INTEGER NOT NULL,\n" \
"  protocol  INTEGER NOT NULL,\n" \
"  kind      TEXT NOT NULL CHECK(kind IN ('resolver','bypass','doh')),\n" \
"  flows     INTEGER NOT NULL,\n" \
"  packets   INTEGER NOT NULL,\n" \
"  bytes_out INTEGER NOT NULL,\n" \
"  bytes_in  INTEGER NOT NULL,\n" \
"  bpp_mean  REAL,\n" \
"  bpp_p95   REAL,\n" \
"  median_gap REAL,\n" \
"  gap_cv    REAL,\n" \
"  first_seen INTEGER,\n" \
"  last_seen INTEGER,\n" \
"  PRIMARY KEY(host_id, peer, port, protocol));\n"

/* Migration 3: the analysts' decisions, kept across imports and runs. */
#define SCHEMA_V3 \
"CREATE TABLE allow_entries(\n" \
"  id         INTEGER PRIMARY KEY,\n" \
"  kind       TEXT NOT NULL CHECK(kind IN\n" \
"               ('exact','suffix','registrable','host','cidr','resolver')),\n" \
"  value      TEXT NOT NULL,\n" \
"  scope      TEXT NOT NULL CHECK(scope IN ('all','lexical')),\n" \
"  reason     TEXT,\n" \
"  added_by   TEXT NOT NULL,\n" \
"  added_at   INTEGER NOT NULL,\n" \
"  expires_at INTEGER,\n" \
"  UNIQUE(kind, value, scope));\n" \
"CREATE TABLE verdicts(\n" \
"  id      INTEGER PRIMARY KEY,\n" \
"  subject TEXT NOT NULL CHECK(subject IN ('domain','host')),\n" \
"  value   TEXT NOT NULL,\n" \
"  verdict TEXT NOT NULL CHECK(verdict IN ('tp','fp','benign')),\n" \
"  note    TEXT,\n" \
"  analyst TEXT NOT NULL,\n" \
"  at      INTEGER NOT NULL,\n" \
"  UNIQUE(subject, value));\n" \
"CREATE TABLE audit_log(\n" \
"  id     INTEGER PRIMARY KEY,\n" \
"  at     INTEGER NOT NULL,\n" \
"  who    TEXT NOT NULL,\n" \
"  action TEXT NOT NULL,\n" \
"  detail TEXT NOT NULL);\n"

/* Migration 4: domains ranked by suspicion band (the larger of the DGA
 * and tunnel scores: 0.8 and above, 0.5 and above, the rest; known
 * noise in the last), then by queries, so a tunnel with thousands of
 * queries is not listed below every one-query DGA name.
 * storage/results.c orders by the same. */
#define SCHEMA_V4 \
"DROP INDEX IF EXISTS domains_suspicion;\n" \
"CREATE INDEX domains_suspicion ON domains(\n" \
"  CASE WHEN coalesce(noise, '') <> '' THEN 0\n" \
"       WHEN max(coalesce(dga_score, 0), tunnel_score) >= 0.8 THEN 2\n" \
"       WHEN max(coalesce(dga_score, 0), tunnel_score) >= 0.5 THEN 1\n" \
"       ELSE 0 END DESC, queries DESC,\n" \
"  max(coalesce(dga_score, 0), tunnel_score) DESC, domain);\n"

/* Migration 5: allow-list entries by autonomous system, and the models
 * retrained from analysts' verdicts (the active one scores this store;
 * none active: the built-in model). */
#define SCHEMA_V5 \
"CREATE TABLE allow_entries_v5(\n" \
"  id         INTEGER PRIMARY KEY,\n" \
"  kind       TEXT NOT NULL CHECK(kind IN\n" \
"               ('exact','suffix','registrable','host','cidr','resolver',\n" \
"                'asn')),\n" \
"  value      TEXT NOT NULL,\n" \
"  scope      TEXT NOT NULL CHECK(scope IN ('all','lexical')),\n" \
"  reason     TEXT,\n" \
"  added_by   TEXT NOT NULL,\n" \
"  added_at   INTEGER NOT NULL,\n" \
"  expires_at INTEGER,\n" \
"  UNIQUE(kind, value, scope));\n" \
"INSERT INTO allow_entries_v5 SELECT * FROM allow_entries;\n" \
"DROP TABLE allow_entries;\n" \
"ALTER TABLE allow_entries_v5 RENAME TO allow_entries;\n" \
"CREATE TABLE models(\n" \
"  id         INTEGER PRIMARY KEY,\n" \
"  created_at INTEGER NOT NULL,\n" \
"  created_by TEXT NOT NULL,\n" \
"  labels     INTEGER NOT NULL,\n" \
"  summary    TEXT NOT NULL,\n" \
"  data       BLOB NOT NULL,\n" \
"  active     INTEGER NOT NULL DEFAULT 0);\n"

/* Migration 6: queries that arrive grouped (the host_queries.csv Athena
 * writes): one row per host, name, type, rcode and answer, with the time
 * of each query as text, first_ms then the gap to each next one in ms,
 * space-separated. Scoring reads them back query by query. */
#define SCHEMA_V6 \
"CREATE TABLE query_groups(\n" \
"  id        INTEGER PRIMARY KEY,\n" \
"  import_id INTEGER NOT NULL,\n" \
"  name_id   INTEGER NOT NULL,\n" \
"  origin_id INTEGER NOT NULL,\n" \
"  qtype     INTEGER NOT NULL,\n" \
"  rcode     INTEGER NOT NULL,\n" \
"  answer_id INTEGER,\n" \
"  queries   INTEGER NOT NULL,\n" \
"  first_ms  INTEGER NOT NULL,\n" \
"  last_ms   INTEGER NOT NULL,\n" \
"  times     TEXT NOT NULL);\n" \
"CREATE INDEX query_groups_import ON query_groups(import_id);\n"

/* Migration 7: an interface is looked up by all ten fields of its tuple
 * for every new one an import meets; indexed by the ENI alone, a file
 * whose tuples share one ENI (or have none) made each look-up scan all
 * the interfaces before it. The new index leads with the ENI, so what
 * looked up by the ENI alone still can. */
#define SCHEMA_V7 \
"DROP INDEX IF EXISTS flow_interfaces_eni;\n" \
"CREATE INDEX IF NOT EXISTS flow_interfaces_tuple ON flow_interfaces(\n" \
"  interface_id, instance_id, subnet_id, vpc_id, account_id, version,\n" \
"  region, az_id, sublocation_type, sublocation_id);\n"

/* Migration 8: an answer set was found through an index on its 64-bit
 * hash alone, which answers chosen to share one hash (an attacker with
 * a zone can make a resolver log them) turned into a scan of every set
 * with that hash. The new index holds the answers too, at the cost of
 * a second copy of their text. */
#define SCHEMA_V8 \
"DROP INDEX IF EXISTS answer_sets_hash;\n" \
"CREATE INDEX IF NOT EXISTS answer_sets_key ON answer_sets(hash, answers);\n"

/* Version 9 changes no table: its migration splits the stored names again
 * (db.c), for the dynamic DNS zones and provider endpoints. */
#define SCHEMA_V9 ""

#endif
