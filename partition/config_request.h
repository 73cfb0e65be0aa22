/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * From a validated config and a boot menu choice to the partitioner's request. The one place
 * where the config's vocabulary (memory kinds, UART names, log ports) meets the planner's, so
 * twinmon-check and the EFI app build exactly the same plan.
 */
#ifndef TWINMON_PARTITION_CONFIG_REQUEST_H
#define TWINMON_PARTITION_CONFIG_REQUEST_H

#include "guest-config/config.h"
#include "partition/partition.h"

/*
 * Fill req for the guests that menu entry boot (enum config_boot) starts. Returns 0, or
 * -EINVAL when cfg lacks a guest the entry needs (err, if given, says which).
 */
int partition_request_from_config(const struct twin_config *cfg, uint32_t boot,
				  struct partition_request *req, char *err, size_t errlen);

#endif
