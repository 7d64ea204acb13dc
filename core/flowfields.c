/* SPDX-License-Identifier: MIT
 *
 * The flow log field catalogue (see flowfields.h). Order matches enum
 * flow_field in records.h.
 */
#include "core/flowfields.h"

#include <string.h>

#define U16 65535
#define U8  255
#define I64 INT64_MAX
#define SECS 253402300799LL     /* 9999-12-31T23:59:59Z */

static const struct flow_field_def defs[FF_COUNT] = {
    [FF_VERSION]      = { "version", "version", FK_INT, U8 },
    [FF_ACCOUNT_ID]   = { "account-id", "account_id", FK_TEXT, 0 },
    [FF_INTERFACE_ID] = { "interface-id", "interface_id", FK_TEXT, 0 },
    [FF_SRCADDR]      = { "srcaddr", "srcaddr", FK_ADDR, 0 },
    [FF_DSTADDR]      = { "dstaddr", "dstaddr", FK_ADDR, 0 },
    [FF_SRCPORT]      = { "srcport", "srcport", FK_INT, U16 },
    [FF_DSTPORT]      = { "dstport", "dstport", FK_INT, U16 },
    [FF_PROTOCOL]     = { "protocol", "protocol", FK_INT, U8 },
    [FF_PACKETS]      = { "packets", "packets", FK_INT, I64 },
    [FF_BYTES]        = { "bytes", "bytes", FK_INT, I64 },
    [FF_START]        = { "start", "start", FK_INT, SECS },
    [FF_END]          = { "end", "end", FK_INT, SECS },
    [FF_ACTION]       = { "action", "action", FK_TEXT, 0 },
    [FF_LOG_STATUS]   = { "log-status", "log_status", FK_TEXT, 0 },
    [FF_VPC_ID]       = { "vpc-id", "vpc_id", FK_TEXT, 0 },
    [FF_SUBNET_ID]    = { "subnet-id", "subnet_id", FK_TEXT, 0 },
    [FF_INSTANCE_ID]  = { "instance-id", "instance_id", FK_TEXT, 0 },
    [FF_TCP_FLAGS]    = { "tcp-flags", "tcp_flags", FK_INT, U8 },
    [FF_TYPE]         = { "type", "type", FK_TEXT, 0 },
    [FF_PKT_SRCADDR]  = { "pkt-srcaddr", "pkt_srcaddr", FK_ADDR, 0 },
    [FF_PKT_DSTADDR]  = { "pkt-dstaddr", "pkt_dstaddr", FK_ADDR, 0 },
    [FF_REGION]       = { "region", "region", FK_TEXT, 0 },
    [FF_AZ_ID]        = { "az-id", "az_id", FK_TEXT, 0 },
    [FF_SUBLOCATION_TYPE] = { "sublocation-type", "sublocation_type",
                              FK_TEXT, 0 },
    [FF_SUBLOCATION_ID]   = { "sublocation-id", "sublocation_id",
                              FK_TEXT, 0 },
    [FF_PKT_SRC_AWS_SERVICE] = { "pkt-src-aws-service",
                                 "pkt_src_aws_service", FK_TEXT, 0 },
    [FF_PKT_DST_AWS_SERVICE] = { "pkt-dst-aws-service",
                                 "pkt_dst_aws_service", FK_TEXT, 0 },
    [FF_FLOW_DIRECTION] = { "flow-direction", "flow_direction", FK_TEXT, 0 },
    [FF_TRAFFIC_PATH]   = { "traffic-path", "traffic_path", FK_INT, U8 },
    [FF_REJECT_REASON]  = { "reject-reason", "reject_reason", FK_TEXT, 0 },
    [FF_RESOURCE_TYPE]  = { "resource-type", "resource_type", FK_TEXT, 0 },
    [FF_TGW_ID]         = { "tgw-id", "tgw_id", FK_TEXT, 0 },
    [FF_TGW_ATTACHMENT_ID] = { "tgw-attachment-id", "tgw_attachment_id",
                               FK_TEXT, 0 },
    [FF_TGW_SRC_VPC_ACCOUNT_ID] = { "tgw-src-vpc-account-id",
                                    "tgw_src_vpc_account_id", FK_TEXT, 0 },
    [FF_TGW_DST_VPC_ACCOUNT_ID] = { "tgw-dst-vpc-account-id",
                                    "tgw_dst_vpc_account_id", FK_TEXT, 0 },
    [FF_TGW_SRC_VPC_ID] = { "tgw-src-vpc-id", "tgw_src_vpc_id", FK_TEXT, 0 },
    [FF_TGW_DST_VPC_ID] = { "tgw-dst-vpc-id", "tgw_dst_vpc_id", FK_TEXT, 0 },
    [FF_TGW_SRC_SUBNET_ID] = { "tgw-src-subnet-id", "tgw_src_subnet_id",
                               FK_TEXT, 0 },
    [FF_TGW_DST_SUBNET_ID] = { "tgw-dst-subnet-id", "tgw_dst_subnet_id",
                               FK_TEXT, 0 },
    [FF_TGW_SRC_ENI]    = { "tgw-src-eni", "tgw_src_eni", FK_TEXT, 0 },
    [FF_TGW_DST_ENI]    = { "tgw-dst-eni", "tgw_dst_eni", FK_TEXT, 0 },
    [FF_TGW_SRC_AZ_ID]  = { "tgw-src-az-id", "tgw_src_az_id", FK_TEXT, 0 },
    [FF_TGW_DST_AZ_ID]  = { "tgw-dst-az-id", "tgw_dst_az_id", FK_TEXT, 0 },
    [FF_TGW_PAIR_ATTACHMENT_ID] = { "tgw-pair-attachment-id",
                                    "tgw_pair_attachment_id", FK_TEXT, 0 },
    [FF_PACKETS_LOST_NO_ROUTE] = { "packets-lost-no-route",
                                   "packets_lost_no_route", FK_INT, I64 },
    [FF_PACKETS_LOST_BLACKHOLE] = { "packets-lost-blackhole",
                                    "packets_lost_blackhole", FK_INT, I64 },
    [FF_PACKETS_LOST_MTU_EXCEEDED] = { "packets-lost-mtu-exceeded",
                                       "packets_lost_mtu_exceeded",
                                       FK_INT, I64 },
    [FF_PACKETS_LOST_TTL_EXPIRED] = { "packets-lost-ttl-expired",
                                      "packets_lost_ttl_expired",
                                      FK_INT, I64 },
    [FF_ECS_CLUSTER_ARN]  = { "ecs-cluster-arn", "ecs_cluster_arn",
                              FK_TEXT, 0 },
    [FF_ECS_CLUSTER_NAME] = { "ecs-cluster-name", "ecs_cluster_name",
                              FK_TEXT, 0 },
    [FF_ECS_CONTAINER_INSTANCE_ARN] = { "ecs-container-instance-arn",
                                        "ecs_container_instance_arn",
                                        FK_TEXT, 0 },
    [FF_ECS_CONTAINER_INSTANCE_ID] = { "ecs-container-instance-id",
                                       "ecs_container_instance_id",
                                       FK_TEXT, 0 },
    [FF_ECS_CONTAINER_ID] = { "ecs-container-id", "ecs_container_id",
                              FK_TEXT, 0 },
    [FF_ECS_SECOND_CONTAINER_ID] = { "ecs-second-container-id",
                                     "ecs_second_container_id", FK_TEXT, 0 },
    [FF_ECS_SERVICE_NAME] = { "ecs-service-name", "ecs_service_name",
                              FK_TEXT, 0 },
    [FF_ECS_TASK_DEFINITION_ARN] = { "ecs-task-definition-arn",
                                     "ecs_task_definition_arn", FK_TEXT, 0 },
    [FF_ECS_TASK_ARN]     = { "ecs-task-arn", "ecs_task_arn", FK_TEXT, 0 },
    [FF_ECS_TASK_ID]      = { "ecs-task-id", "ecs_task_id", FK_TEXT, 0 },
    [FF_RESOURCE_ID]      = { "resource-id", "resource_id", FK_TEXT, 0 },
    [FF_ENCRYPTION_STATUS] = { "encryption-status", "encryption_status",
                               FK_TEXT, 0 },
};

int
flowfield_where(enum flow_field f)
{
    switch (f) {
    case FF_VERSION: case FF_ACCOUNT_ID: case FF_INTERFACE_ID:
    case FF_VPC_ID: case FF_SUBNET_ID: case FF_INSTANCE_ID: case FF_REGION:
    case FF_AZ_ID: case FF_SUBLOCATION_TYPE: case FF_SUBLOCATION_ID:
        return FW_INTERFACE;
    case FF_LOG_STATUS:
        return FW_NONE;
    default:
        return f < FF_FIRST_EXTRA ? FW_ROW : FW_EXTRA;
    }
}

const int flowfield_default[14] = {
    FF_VERSION, FF_ACCOUNT_ID, FF_INTERFACE_ID, FF_SRCADDR, FF_DSTADDR,
    FF_SRCPORT, FF_DSTPORT, FF_PROTOCOL, FF_PACKETS, FF_BYTES, FF_START,
    FF_END, FF_ACTION, FF_LOG_STATUS,
};

const struct flow_field_def *
flowfield_def(enum flow_field f)
{
    return &defs[f];
}

/* Compare a token with a header name, taking '_' for '-'. */
static int
same_name(const char *tok, size_t len, const char *name)
{
    size_t i;

    for (i = 0; i < len && name[i]; i++) {
        char c = tok[i] == '_' ? '-' : tok[i];
        if (c >= 'A' && c <= 'Z')
            c = (char)(c + 32);
        if (c != name[i])
            return 0;
    }
    return i == len && name[i] == '\0';
}

int
flowfield_lookup(const char *tok, size_t len)
{
    for (int f = 0; f < FF_COUNT; f++)
        if (same_name(tok, len, defs[f].name))
            return f;
    return -1;
}
