/* SPDX-License-Identifier: MIT
 *
 * Sigma export: dnshunt's detections as rules a SIEM can run on its
 * own, carrying the thresholds of the configuration in force. Flow-log
 * rules (logsource aws/vpcflowlogs, the flow-log field names AWS
 * writes): the DNS flows as a base rule, a value_sum correlation for
 * DNS volume per host and day, resolver bypass and DNS over HTTPS to
 * known public resolvers. Score rules (logsource dnshunt/dns-domains,
 * the lines of `dnshunt domains --format json`): dga_score and
 * tunnel_score over their thresholds. Rules are separate YAML
 * documents; ids are UUIDv5 of the rule's name, so an export replaces
 * the same rules in a repository.
 */
#ifndef DNSHUNT_SIGMA_H
#define DNSHUNT_SIGMA_H

#include <stdint.h>
#include <stdio.h>

#include "core/config.h"

/*
 * Write the rules to out for configuration c, with dga_threshold the
 * dga_score of a DGA candidate in force, dated now_ms. *n gets the
 * number of rules. 0, or -1 when out cannot be written.
 */
int sigma_export(FILE *out, const struct config *c, double dga_threshold,
                 int64_t now_ms, int *n);

#endif
