/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The machine's CPUs as the monitor numbers them (struct monitor_boot's cpu_apic_id): the
 * firmware's MP-services order, the boot CPU first. Plain C: the EFI app fills the firmware's
 * answers in, the host tests check the order.
 */
#ifndef TWINMON_MONITOR_CPU_LIST_H
#define TWINMON_MONITOR_CPU_LIST_H

#include <stddef.h>
#include <stdint.h>

/* StatusFlag bits of EFI_PROCESSOR_INFORMATION (UEFI PI spec, MP services). */
#define CPU_LIST_BSP		(1u << 0)
#define CPU_LIST_ENABLED	(1u << 1)
#define CPU_LIST_HEALTHY	(1u << 2)

/* One CPU as the firmware reports it. */
struct cpu_list_fw {
	uint64_t apic_id;
	uint32_t status;	/* CPU_LIST_* */
};

/*
 * Keep the usable CPUs of fw[0..n) (enabled and healthy; the boot CPU always) in their
 * order, except that the boot CPU goes first, into ids[0..max). Returns how many were kept
 * (extra CPUs beyond max are left out), or -EINVAL: no CPU or several flagged as the boot CPU,
 * an APIC ID above 32 bits, or two CPUs with the same APIC ID.
 */
int cpu_list_build(const struct cpu_list_fw *fw, size_t n, uint32_t *ids, size_t max);
/*
 * The list for the log, "0, 1, 2", NUL-terminated in buf; a list that does not fit ends in
 * "..." (size >= 4). Returns the length written.
 */
size_t cpu_list_format(char *buf, size_t size, const uint32_t *ids, size_t n);

#endif
