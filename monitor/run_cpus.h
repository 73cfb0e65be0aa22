/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * monitor_run()'s CPUs (monitor/run_cpus.c): which physical CPUs there are, starting those
 * the guests use, each running its own scheduling loop, and waiting for all of them.
 */
#ifndef TWINMON_MONITOR_RUN_CPUS_H
#define TWINMON_MONITOR_RUN_CPUS_H

#include "monitor/core.h"
#include "monitor/platform.h"

/* The CPU list from the boot description (the boot CPU's APIC ID if it has none); logged. */
void run_cpus_setup(struct monitor *m, const struct monitor_boot *boot, uint32_t bsp_apic_id,
		    struct platform_clock *clock);
/*
 * Start every other CPU that runs a guest, each into its loop; park the CPUs no guest uses.
 * A guest whose CPU does not start is stopped (logged); the others run on.
 */
void run_cpus_start(struct monitor *m, const struct monitor_boot *boot);
/* The boot CPU's own loop (if a guest runs on it), then wait until every CPU's has ended. */
int run_cpus_loop(struct monitor *m);

#endif
