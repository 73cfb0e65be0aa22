/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The machine's CPUs for the monitor, while boot services still run: the list from the
 * firmware's EFI_MP_SERVICES_PROTOCOL (struct monitor_boot's nr_cpus and cpu_apic_id, the boot
 * CPU first), and the page below 1 MiB the monitor starts the other CPUs in.
 */
#ifndef TWINMON_EFI_CPUS_H
#define TWINMON_EFI_CPUS_H

#include <stdint.h>

#include "monitor/monitor.h"
#include "partition/partition.h"

/*
 * Fill b->nr_cpus and b->cpu_apic_id (see monitor/cpu_list.h for the order) and log
 * "efi: N CPUs (APIC IDs ...)". Without the protocol, or with an answer it cannot use: the
 * boot CPU alone, its APIC ID read from its local APIC.
 */
void cpus_enumerate(struct monitor_boot *b);
/*
 * Claim one page below 1 MiB from the firmware and keep it from every guest in the plan
 * (before the plan is built). *pa = its address, or 0 (logged) when there is none: the
 * monitor then parks the other CPUs. 0 or the plan's error.
 */
int cpus_claim_start_page(struct partition_plan *plan, uint64_t *pa);

#endif
