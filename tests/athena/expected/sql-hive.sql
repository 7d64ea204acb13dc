-- dnshunt athena sql: 2024-05-01T00:00:00Z to 2024-05-02T00:00:00Z.
-- Run each query in Athena and download its result as the CSV file
-- its comment names.

-- dnshunt: host_hours.csv (one row per host and hour)
SELECT srcaddr AS host,
       CAST(to_unixtime(date_trunc('hour',
           from_iso8601_timestamp(query_timestamp))) AS bigint) AS hour,
       count(*) AS queries,
       count_if(rcode = 'NXDOMAIN') AS nxdomain,
       count_if(query_type = 'TXT') AS txt,
       count_if(query_type = 'NULL') AS null_queries,
       count_if(query_type NOT IN ('A', 'AAAA', 'CNAME', 'HTTPS', 'SVCB',
                                   'PTR', 'MX', 'TXT', 'NULL', 'SRV',
                                   'SOA', 'NS', 'CAA', 'DS', 'DNSKEY'))
           AS rare_types,
       count_if(length(query_name) > 100) AS long_names,
       count(DISTINCT regexp_replace(lower(query_name), '^[^.]*[.]', ''))
           AS parents
FROM "fleet".resolver_queries
WHERE day BETWEEN '2024/04/30' AND '2024/05/02'
  AND from_iso8601_timestamp(query_timestamp)
      >= from_iso8601_timestamp('2024-05-01T00:00:00Z')
  AND from_iso8601_timestamp(query_timestamp)
      < from_iso8601_timestamp('2024-05-02T00:00:00Z')
GROUP BY 1, 2
ORDER BY 1, 2;

-- dnshunt: host_names.csv (one row per host and name asked)
SELECT srcaddr AS host,
       max(srcids.instance) AS instance,
       query_name AS name,
       count(*) AS queries,
       count_if(rcode = 'NXDOMAIN') AS nxdomain,
       count_if(rcode = 'NOERROR') AS noerror,
       count_if(query_type = 'TXT') AS txt,
       count_if(query_type = 'NULL') AS null_queries,
       count_if(cardinality(answers) > 0) AS answered,
       CAST(to_unixtime(min(from_iso8601_timestamp(query_timestamp)))
            * 1000 AS bigint) AS first_ms,
       CAST(to_unixtime(max(from_iso8601_timestamp(query_timestamp)))
            * 1000 AS bigint) AS last_ms
FROM "fleet".resolver_queries
WHERE day BETWEEN '2024/04/30' AND '2024/05/02'
  AND from_iso8601_timestamp(query_timestamp)
      >= from_iso8601_timestamp('2024-05-01T00:00:00Z')
  AND from_iso8601_timestamp(query_timestamp)
      < from_iso8601_timestamp('2024-05-02T00:00:00Z')
GROUP BY srcaddr, query_name
ORDER BY 1, 3;

-- dnshunt: names.csv (the distinct names to classify; reverse
-- look-ups and single labels are never DGA candidates)
SELECT lower(query_name) AS name,
       count(*) AS queries,
       count(DISTINCT srcaddr) AS hosts
FROM "fleet".resolver_queries
WHERE day BETWEEN '2024/04/30' AND '2024/05/02'
  AND from_iso8601_timestamp(query_timestamp)
      >= from_iso8601_timestamp('2024-05-01T00:00:00Z')
  AND from_iso8601_timestamp(query_timestamp)
      < from_iso8601_timestamp('2024-05-02T00:00:00Z')
  AND lower(query_name) NOT LIKE '%.arpa.'
  AND strpos(rtrim(query_name, '.'), '.') > 0
GROUP BY 1
ORDER BY 1;

-- dnshunt: host_flows.csv (one row per host, DNS server, port,
-- protocol and direction: out from the host, in to it)
SELECT host, server, port, protocol, direction,
       count(*) AS flows,
       sum(packets) AS packets,
       sum(bytes) AS bytes,
       min("start") AS first_start,
       max("end") AS last_end
FROM (
  SELECT CASE WHEN outbound THEN srcaddr ELSE dstaddr END AS host,
         CASE WHEN outbound THEN dstaddr ELSE srcaddr END AS server,
         CASE WHEN outbound THEN dstport ELSE srcport END AS port,
         protocol,
         CASE WHEN outbound THEN 'out' ELSE 'in' END AS direction,
         packets, bytes, "start", "end"
  FROM (
    SELECT *,
           dstport IN (53, 853) OR (dstport = 443 AND dstaddr IN (
            '1.1.1.1', '1.0.0.1', '8.8.8.8', '8.8.4.4',
            '9.9.9.9', '149.112.112.112', '104.16.248.249', '104.16.249.249',
            '208.67.222.222', '208.67.220.220', '94.140.14.14', '94.140.15.15',
            '45.90.28.0', '45.90.30.0', '185.228.168.9', '76.76.2.0',
            '2606:4700:4700::1111', '2606:4700:4700::1001', '2001:4860:4860::8888', '2001:4860:4860::8844',
            '2620:fe::fe')) AS outbound,
           srcport IN (53, 853) OR (srcport = 443 AND srcaddr IN (
            '1.1.1.1', '1.0.0.1', '8.8.8.8', '8.8.4.4',
            '9.9.9.9', '149.112.112.112', '104.16.248.249', '104.16.249.249',
            '208.67.222.222', '208.67.220.220', '94.140.14.14', '94.140.15.15',
            '45.90.28.0', '45.90.30.0', '185.228.168.9', '76.76.2.0',
            '2606:4700:4700::1111', '2606:4700:4700::1001', '2001:4860:4860::8888', '2001:4860:4860::8844',
            '2620:fe::fe')) AS inbound
    FROM "fleet".vpc_flows
    WHERE year BETWEEN '2024' AND '2024'
      AND year || '/' || month || '/' || day
          BETWEEN '2024/04/30' AND '2024/05/02'
      AND "start" >= 1714521600 AND "start" < 1714608000
      AND log_status = 'OK'
  ) AS f
  WHERE outbound OR inbound
) AS dns
GROUP BY 1, 2, 3, 4, 5
ORDER BY 1, 2, 3, 4, 5;
