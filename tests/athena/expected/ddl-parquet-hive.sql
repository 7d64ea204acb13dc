-- dnshunt athena ddl: the tables the queries of `dnshunt athena sql` read.
CREATE DATABASE IF NOT EXISTS `fleet`;

-- Route 53 Resolver query logs delivered to S3 (JSON lines).
-- Lines Athena cannot parse are skipped without a word: run
-- `dnshunt import` on a sample to see them counted.
CREATE EXTERNAL TABLE IF NOT EXISTS `fleet`.resolver_queries (
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
LOCATION 's3://my-logs/AWSLogs/123456789012/vpcdnsquerylogs/'
TBLPROPERTIES (
  'projection.enabled' = 'true',
  'projection.vpc.type' = 'enum',
  'projection.vpc.values' = 'vpc-0abc1234def567890,vpc-0fed,vpc-11',
  'projection.day.type' = 'date',
  'projection.day.format' = 'yyyy/MM/dd',
  'projection.day.range' = '2024/01/01,NOW',
  'projection.day.interval' = '1',
  'projection.day.interval.unit' = 'DAYS',
  'storage.location.template' = 's3://my-logs/AWSLogs/123456789012/vpcdnsquerylogs/${vpc}/${day}/'
);

-- VPC Flow Logs delivered to S3 (Parquet, Hive-compatible partitions).
CREATE EXTERNAL TABLE IF NOT EXISTS `fleet`.vpc_flows (
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
  `log_status` string,
  `vpc_id` string,
  `instance_id` string,
  `tcp_flags` int,
  `flow_direction` string,
  `traffic_path` int,
  `pkt_srcaddr` string
)
PARTITIONED BY (`year` string, `month` string, `day` string)
STORED AS PARQUET
LOCATION 's3://my-logs/AWSLogs/aws-account-id=123456789012/aws-service=vpcflowlogs/aws-region=eu-west-1/'
TBLPROPERTIES (
  'projection.enabled' = 'true',
  'projection.year.type' = 'integer',
  'projection.year.range' = '2024,2099',
  'projection.month.type' = 'integer',
  'projection.month.range' = '1,12',
  'projection.month.digits' = '2',
  'projection.day.type' = 'integer',
  'projection.day.range' = '1,31',
  'projection.day.digits' = '2',
  'storage.location.template' = 's3://my-logs/AWSLogs/aws-account-id=123456789012/aws-service=vpcflowlogs/aws-region=eu-west-1/year=${year}/month=${month}/day=${day}/'
);
