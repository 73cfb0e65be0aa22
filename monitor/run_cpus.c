// SPDX-License-Identifier: GPL-2.0-only
/*
 * run.c's hook for the other CPUs (see smp.h): which CPUs of the boot's list start, which
 * are parked. For now a started AP reports and halts; the per-CPU scheduler is to run there.
 */
#include <stdbool.h>

#include "monitor/cpu.h"
#include "monitor/smp.h"

static struct smp_cpu *run_cpus[MONITOR_MAX_CPUS];

struct smp_cpu *run_cpus_get(unsigned index)
{
	return index < MONITOR_MAX_CPUS ? run_cpus[index] : NULL;
}

static void run_cpus_idle(struct smp_cpu *c)
{
	monitor_log(c->m, "monitor: cpu %u (APIC ID %u) up", c->index, c->apic_id);
	cpu_halt_forever();
}

static bool run_cpus_wanted(const struct monitor_boot *boot, unsigned i)
{
	return i < 64 && (boot->cpus_start >> i & 1);
}

/*
 * The list must name this CPU first, and no other entry may: an INIT sent to the boot CPU
 * would end the monitor.
 */
static bool run_cpus_list_ok(struct monitor *m, const struct monitor_boot *boot)
{
	if (boot->nr_cpus > MONITOR_MAX_CPUS || boot->cpu_apic_id[0] != m->apic_id) {
		monitor_log(m, "monitor: the CPU list (%u CPUs, first APIC ID %u) does not start "
			       "with this CPU (APIC ID %u): no other CPU is touched",
			    boot->nr_cpus, boot->cpu_apic_id[0], m->apic_id);
		return false;
	}
	for (unsigned i = 1; i < boot->nr_cpus; i++)
		if (boot->cpu_apic_id[i] == m->apic_id) {
			monitor_log(m, "monitor: CPU %u has the boot CPU's APIC ID %u: no "
				       "other CPU is touched", i, m->apic_id);
			return false;
		}
	return true;
}

/* Pool beyond MONITOR_POOL_SIZE for n APs: the EFI app sizes it by the CPUs it starts. */
static bool run_cpus_pool_ok(struct monitor *m, const struct monitor_boot *boot, unsigned n)
{
	if (boot->pool_size >= MONITOR_POOL_SIZE + (uint64_t)n * MONITOR_POOL_PER_CPU)
		return true;
	monitor_log(m, "monitor: the pool (%llu KiB) has no room for %u more CPUs (%llu KiB "
		       "each): they are parked",
		    (unsigned long long)(boot->pool_size >> 10), n,
		    (unsigned long long)(MONITOR_POOL_PER_CPU >> 10));
	return false;
}

unsigned run_start_cpus(struct monitor *m, const struct monitor_boot *boot)
{
	unsigned wanted = 0, up = 0, parked = 0;
	bool can_start;

	if (boot->nr_cpus <= 1 || !run_cpus_list_ok(m, boot))
		return 0;
	for (unsigned i = 1; i < boot->nr_cpus; i++)
		wanted += run_cpus_wanted(boot, i);
	can_start = wanted && run_cpus_pool_ok(m, boot, wanted);
	if (can_start && !boot->ap_start_page) {
		monitor_log(m, "monitor: no start page for the APs: they are parked");
		can_start = false;
	}
	if (can_start && smp_install(m, boot->ap_start_page) < 0)
		can_start = false;

	for (unsigned i = 1; i < boot->nr_cpus; i++) {
		uint32_t id = boot->cpu_apic_id[i];
		struct smp_cpu *c;

		if (can_start && run_cpus_wanted(boot, i)) {
			if (smp_cpu_alloc(m, i, id, &c) < 0) {
				monitor_log(m, "monitor: cpu %u: pool exhausted", i);
			} else {
				c->run = run_cpus_idle;
				if (smp_start_cpu(m, boot->ap_start_page, c) == 0) {
					run_cpus[i] = c;
					up++;
				} else {
					parked++;	/* smp_start_cpu sent it INIT */
				}
				continue;
			}
		}
		if (smp_park_cpu(id) < 0)
			monitor_log(m, "monitor: cpu %u (APIC ID %u): INIT not delivered", i, id);
		parked++;
	}
	monitor_log(m, "monitor: %u CPUs: the boot CPU, %u started, %u parked", boot->nr_cpus,
		    up, parked);
	return up;
}
