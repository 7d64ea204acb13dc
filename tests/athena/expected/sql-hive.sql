-- dnshunt athena sql: 2024-05-01T00:00:00Z to 2024-05-02T00:00:00Z.
-- Run each query in Athena and download its result as the CSV file
-- its comment names; `dnshunt import` reads them.

-- dnshunt: host_queries.csv
-- A host's queries for one name, type, rcode and answer, with the
-- time of each (ms since 1970), at most 5000 to a row.
SELECT host, instance, name, type, rcode, answers,
       count(*) AS queries,
       min(ts_ms) AS first_ms,
       max(ts_ms) AS last_ms,
       array_join(array_agg(ts_ms ORDER BY ts_ms), ' ') AS times
FROM (
  SELECT q.*,
         (row_number() OVER (PARTITION BY host, instance, name, type,
                                          rcode, answers
                             ORDER BY ts_ms) - 1) / 5000 AS part
  FROM (
    SELECT srcaddr AS host,
           srcids.instance AS instance,
           query_name AS name,
           query_type AS type,
           rcode,
           CASE WHEN cardinality(answers) > 0 THEN json_format(CAST(
             transform(answers, a -> CASE
               WHEN a.Class IS NULL OR a.Class = 'IN'
               THEN ARRAY[a.Type, a.Rdata]
               ELSE ARRAY[a.Type, a.Rdata, a.Class] END) AS JSON))
           END AS answers,
           CAST(to_unixtime(try(from_iso8601_timestamp(
                query_timestamp))) * 1000 AS bigint) AS ts_ms
    FROM "fleet".resolver_queries
    WHERE day BETWEEN '2024/04/30' AND '2024/05/02'
      AND try(from_iso8601_timestamp(query_timestamp))
          >= from_iso8601_timestamp('2024-05-01T00:00:00Z')
      AND try(from_iso8601_timestamp(query_timestamp))
          < from_iso8601_timestamp('2024-05-02T00:00:00Z')
      AND srcaddr IS NOT NULL AND query_name IS NOT NULL
  ) AS q
) AS g
GROUP BY host, instance, name, type, rcode, answers, part
ORDER BY host, name, type, rcode, first_ms;

-- dnshunt: dns_flows.csv
-- The flow records of DNS: ports 53 and 853 either way, 443 with
-- a DoH resolver.
SELECT srcaddr, dstaddr, srcport, dstport, protocol, packets, bytes,
       "start", "end", action
FROM (
  SELECT srcaddr, dstaddr, srcport, dstport, protocol, packets, bytes,
         "start", "end", action
  FROM "fleet".vpc_flows
  WHERE year BETWEEN '2024' AND '2024'
    AND year || '/' || month || '/' || day
        BETWEEN '2024/04/30' AND '2024/05/02'
    AND "start" >= 1714521600 AND "start" < 1714608000
    AND log_status = 'OK'
) AS f
WHERE (dstport IN (53, 853) OR srcport IN (53, 853)
       OR (dstport = 443 AND dstaddr IN (
         '1.1.1.1', '1.0.0.1', '8.8.8.8',
         '8.8.4.4', '9.9.9.9', '149.112.112.112',
         '104.16.248.249', '104.16.249.249', '208.67.222.222',
         '208.67.220.220', '94.140.14.14', '94.140.15.15',
         '45.90.28.0', '45.90.30.0', '185.228.168.9',
         '76.76.2.0', '2606:4700:4700::1111', '2606:4700:4700::1001',
         '2001:4860:4860::8888', '2001:4860:4860::8844', '2620:fe::fe'))
       OR (srcport = 443 AND srcaddr IN (
         '1.1.1.1', '1.0.0.1', '8.8.8.8',
         '8.8.4.4', '9.9.9.9', '149.112.112.112',
         '104.16.248.249', '104.16.249.249', '208.67.222.222',
         '208.67.220.220', '94.140.14.14', '94.140.15.15',
         '45.90.28.0', '45.90.30.0', '185.228.168.9',
         '76.76.2.0', '2606:4700:4700::1111', '2606:4700:4700::1001',
         '2001:4860:4860::8888', '2001:4860:4860::8844', '2620:fe::fe')))
  AND srcaddr <> dstaddr
  AND (action IS NULL OR action <> 'REJECT')
ORDER BY "start", srcaddr, dstaddr, srcport, dstport;
