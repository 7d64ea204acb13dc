-- dnshunt athena ddl: the tables the queries of `dnshunt athena sql` read.
CREATE DATABASE IF NOT EXISTS `dnshunt`;

-- Route 53 Resolver query logs delivered to S3 (JSON lines).
-- Lines Athena cannot parse are skipped without a word: run
-- `dnshunt import` on a sample to see them counted.
CREATE EXTERNAL TABLE IF NOT EXISTS `dnshunt`.resolver_queries (
  `version` string,
  `account_id` string,
  `region` string,
  `vpc_id` string,
  `query_timestamp` string,
  `query_name` string,
  `query_type` string,
  `query_class` string,
  `rcode` string,
  `answers` array<struct<`Rdata`:string,`Type`:string,`Class`:string>>,
  `srcaddr` string,
  `srcport` string,
  `transport` string,
  `srcids` struct<`instance`:string,`resolver_endpoint`:string>,
  `firewall_rule_action` string,
  `firewall_rule_group_id` string,
  `firewall_domain_list_id` string
)
PARTITIONED BY (`vpc` string, `day` string)
ROW FORMAT SERDE 'org.openx.data.jsonserde.JsonSerDe'
WITH SERDEPROPERTIES ('ignore.malformed.json' = 'true')
LOCATION 's3://my-logs/logs/AWSLogs/123456789012/vpcdnsquerylogs/'
TBLPROPERTIES (
  'projection.enabled' = 'true',
  'projection.vpc.type' = 'enum',
  'projection.vpc.values' = 'vpc-0abc1234def567890',
  'projection.day.type' = 'date',
  'projection.day.format' = 'yyyy/MM/dd',
  'projection.day.range' = '2020/01/01,NOW',
  'projection.day.interval' = '1',
  'projection.day.interval.unit' = 'DAYS',
  'storage.location.template' = 's3://my-logs/logs/AWSLogs/123456789012/vpcdnsquerylogs/${vpc}/${day}/'
);

-- VPC Flow Logs delivered to S3 (text with a header line).
CREATE EXTERNAL TABLE IF NOT EXISTS `dnshunt`.vpc_flows (
  `version` int,
  `account_id` string,
  `interface_id` string,
  `srcaddr` string,
  `dstaddr` string,
  `srcport` int,
  `dstport` int,
  `protocol` int,
  `packets` bigint,
  `bytes` bigint,
  `start` bigint,
  `end` bigint,
  `action` string,
  `log_status` string
)
PARTITIONED BY (`day` string)
ROW FORMAT DELIMITED FIELDS TERMINATED BY ' '
LOCATION 's3://my-logs/logs/AWSLogs/123456789012/vpcflowlogs/us-east-1/'
TBLPROPERTIES (
  'skip.header.line.count' = '1',
  'projection.enabled' = 'true',
  'projection.day.type' = 'date',
  'projection.day.format' = 'yyyy/MM/dd',
  'projection.day.range' = '2020/01/01,NOW',
  'projection.day.interval' = '1',
  'projection.day.interval.unit' = 'DAYS',
  'storage.location.template' = 's3://my-logs/logs/AWSLogs/123456789012/vpcflowlogs/us-east-1/${day}/'
);
