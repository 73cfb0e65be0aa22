/* SPDX-License-Identifier: GPL-2.0-only */
/* The privileged services of struct monitor_platform, for the EFI build (platform.c). */
#ifndef TWINMON_MONITOR_PLATFORM_H
#define TWINMON_MONITOR_PLATFORM_H

#include "monitor/core.h"
#include "monitor/spec.h"

struct platform_clock {
	uint64_t tsc_khz;
	uint64_t apic_khz;
	/* The CPUs' APIC IDs in MP-services order: cpu_index looks the running one up. */
	unsigned nr_cpus;
	uint32_t apic_id[MONITOR_MAX_CPUS];
};

/* The table, with clock as its context (filled by irq_calibrate); probes the CPU's
 * speculation controls, which switch_state applies (monitor/spec.h). */
void platform_ops_init(struct monitor_platform *p, struct platform_clock *clock);
/* The TSC deadline arm_timer last set on CPU cpu (a backend's own slice timer follows it:
 * the VMX preemption timer). */
uint64_t platform_timer_deadline(unsigned cpu);
/* What platform_ops_init found: the MSR map and the log follow it. */
const struct spec_caps *platform_spec_caps(void);

#endif
