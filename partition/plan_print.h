/* SPDX-License-Identifier: GPL-2.0-only */
/* A plan as a text table, one line at a time, for twinmon-check and the monitor's log. */
#ifndef TWINMON_PARTITION_PLAN_PRINT_H
#define TWINMON_PARTITION_PLAN_PRINT_H

#include "partition/partition.h"

/* Receives each line without its newline. */
typedef void (*partition_emit_fn)(void *ctx, const char *line);

/*
 * Print the monitor's reservation, each guest's RAM, e820, ports, UARTs, IRQs, PCI
 * functions with their BARs and MMIO, and the RAM nobody got. Returns 0, or the error of
 * building an e820 (the table then says so and goes on).
 */
int partition_plan_print(struct partition_plan *plan, partition_emit_fn emit, void *ctx);

#endif
