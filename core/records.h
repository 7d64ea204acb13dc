/* SPDX-License-Identifier: MIT
 *
 * Parsed log records as the importers hand them to the store. Strings are
 * borrowed from the parser and valid only during the call that receives
 * the record; the store copies what it keeps.
 */
#ifndef DNSHUNT_RECORDS_H
#define DNSHUNT_RECORDS_H

#include <stddef.h>
#include <stdint.h>

/* A byte string that may hold any byte; NULL text means absent. */
struct str {
    const char *text;
    size_t      len;
};

/* One Route 53 Resolver query log record. */
struct dns_query {
    int64_t     ts_ms;          /* query_timestamp, ms since the epoch */
    struct str  name;           /* query_name exactly as logged */
    const char *qtype;          /* query_type mnemonic, e.g. "A" */
    const char *qclass;         /* query_class, NULL when absent */
    const char *rcode;          /* rcode mnemonic, e.g. "NXDOMAIN" */
    const char *srcaddr;        /* client or resolver address, canonical */
    int         srcport;        /* -1 when absent */
    int         transport;      /* 17 UDP, 6 TCP, 0 other, -1 absent */
    const char *version;        /* log format version, e.g. "1.100000" */
    const char *account_id;
    const char *region;
    const char *vpc_id;
    const char *instance;       /* srcids.instance */
    const char *resolver_endpoint;  /* srcids.resolver_endpoint */
    const char *resolver_eni;   /* srcids.resolver_network_interface */
    struct str  answers;        /* canonical compact JSON array, or empty */
    int         n_answers;      /* entries in answers */
    int         answer_bytes;   /* sum of Rdata lengths */
    const char *fw_rule_group;  /* firewall_rule_group_id, or NULL */
    const char *fw_action;      /* firewall_rule_action, or NULL */
    const char *fw_domain_list; /* firewall_domain_list_id, or NULL */
};

/* Queries that came grouped: how many, the first and last, and the time
 * of each as stored (first_ms, then the gap to each next one in ms). */
struct query_group {
    uint64_t    queries;
    int64_t     first_ms, last_ms;
    struct str  times;
};

/* Fields of VPC Flow Logs, versions 2 to 10 (see core/flowfields.c). */
enum flow_field {
    FF_VERSION, FF_ACCOUNT_ID, FF_INTERFACE_ID, FF_SRCADDR, FF_DSTADDR,
    FF_SRCPORT, FF_DSTPORT, FF_PROTOCOL, FF_PACKETS, FF_BYTES, FF_START,
    FF_END, FF_ACTION, FF_LOG_STATUS, FF_VPC_ID, FF_SUBNET_ID,
    FF_INSTANCE_ID, FF_TCP_FLAGS, FF_TYPE, FF_PKT_SRCADDR, FF_PKT_DSTADDR,
    FF_REGION, FF_AZ_ID, FF_SUBLOCATION_TYPE, FF_SUBLOCATION_ID,
    FF_PKT_SRC_AWS_SERVICE, FF_PKT_DST_AWS_SERVICE, FF_FLOW_DIRECTION,
    FF_TRAFFIC_PATH, FF_REJECT_REASON,
    FF_FIRST_EXTRA,             /* fields below have no column of their own */
    FF_RESOURCE_TYPE = FF_FIRST_EXTRA, FF_TGW_ID, FF_TGW_ATTACHMENT_ID,
    FF_TGW_SRC_VPC_ACCOUNT_ID, FF_TGW_DST_VPC_ACCOUNT_ID, FF_TGW_SRC_VPC_ID,
    FF_TGW_DST_VPC_ID, FF_TGW_SRC_SUBNET_ID, FF_TGW_DST_SUBNET_ID,
    FF_TGW_SRC_ENI, FF_TGW_DST_ENI, FF_TGW_SRC_AZ_ID, FF_TGW_DST_AZ_ID,
    FF_TGW_PAIR_ATTACHMENT_ID, FF_PACKETS_LOST_NO_ROUTE,
    FF_PACKETS_LOST_BLACKHOLE, FF_PACKETS_LOST_MTU_EXCEEDED,
    FF_PACKETS_LOST_TTL_EXPIRED, FF_ECS_CLUSTER_ARN, FF_ECS_CLUSTER_NAME,
    FF_ECS_CONTAINER_INSTANCE_ARN, FF_ECS_CONTAINER_INSTANCE_ID,
    FF_ECS_CONTAINER_ID, FF_ECS_SECOND_CONTAINER_ID, FF_ECS_SERVICE_NAME,
    FF_ECS_TASK_DEFINITION_ARN, FF_ECS_TASK_ARN, FF_ECS_TASK_ID,
    FF_RESOURCE_ID, FF_ENCRYPTION_STATUS,
    FF_COUNT
};

/* One flow record or health record: a value per field, or absent. */
struct flow_rec {
    struct str val[FF_COUNT];   /* text; NULL text when absent or "-" */
    int64_t    num[FF_COUNT];   /* parsed value of numeric fields */
    char       addr[4][48];     /* IPv6 addresses in canonical form */
    int        n_addr;          /* slots of addr in use */
    struct str unk_name[8];     /* fields the catalogue does not know: */
    struct str unk_val[8];      /* their header names and values */
    int        n_unk;
};

#endif
