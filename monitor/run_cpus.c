// SPDX-License-Identifier: GPL-2.0-only
/*
 * The monitor on several CPUs. Every CPU that runs a guest runs monitor_loop() over its own
 * guests (struct pcpu); the boot CPU starts the others (monitor/smp.h) once the guests are set
 * up, runs its own loop if it has guests, then waits until every loop has ended. CPUs no
 * guest uses are parked in wait-for-SIPI for good. See docs/monitor.md, "CPUs".
 */
#include "monitor/run_cpus.h"

#include <errno.h>

#include "irq/lapic.h"
#include "monitor/cpu.h"
#include "monitor/smp.h"

#define RUN_CPUS_WAIT_US	1000	/* the boot CPU's look at the others' end */

void run_cpus_setup(struct monitor *m, const struct monitor_boot *boot, uint32_t bsp_apic_id,
		    struct platform_clock *clock)
{
	unsigned n = boot->nr_cpus ? boot->nr_cpus : 1;

	if (n > MONITOR_MAX_CPUS)
		n = MONITOR_MAX_CPUS;
	/*
	 * The list must name this CPU first and no other entry may: an INIT sent to the boot
	 * CPU would end the monitor. A list that does not is ignored: this CPU alone.
	 */
	for (unsigned i = 0; i < n && n > 1; i++) {
		if ((i == 0) == (boot->cpu_apic_id[i] == bsp_apic_id))
			continue;
		monitor_log(m, "monitor: the CPU list (%u CPUs) has APIC ID %u at %u, this CPU is "
			       "%u: no other CPU is used",
			    n, boot->cpu_apic_id[i], i, bsp_apic_id);
		n = 1;
	}
	m->nr_cpus = n;
	clock->nr_cpus = n;
	for (unsigned i = 0; i < n; i++) {
		uint32_t id = i ? boot->cpu_apic_id[i] : bsp_apic_id;

		m->cpu[i].m = m;
		m->cpu[i].index = i;
		m->cpu[i].apic_id = id;
		clock->apic_id[i] = id;
	}
}

/* Every guest of pc: stopped, with why (its CPU never ran them). */
static void run_cpus_fail(struct monitor *m, struct pcpu *pc, const char *why, int err)
{
	for (unsigned i = 0; i < MONITOR_MAX_GUESTS; i++)
		if (pcpu_runs(pc, i) && m->guest[i].present)
			monitor_guest_stop(m, &m->guest[i], "its CPU %u %s (error %d)", pc->index,
					   why, err);
	pc->status = err;
	__atomic_store_n(&pc->done, true, __ATOMIC_RELEASE);
}

/* An application processor, once smp.c has it on its own tables: its guests' loop. */
static void run_cpus_ap(struct smp_cpu *c)
{
	struct pcpu *pc = c->ctx;
	struct monitor *m = pc->m;
	int err;

	if ((err = m->vops->init_cpu(m, pc)) < 0) {
		run_cpus_fail(m, pc, "cannot run guests", err);
		return;
	}
	monitor_log(m, "monitor: cpu %u (APIC ID %u) up", pc->index, pc->apic_id);
	pc->status = monitor_loop(m, pc);
	lapic_timer_oneshot(0);
	m->vops->fini(m);
	__atomic_store_n(&pc->done, true, __ATOMIC_RELEASE);
}

/* The start page, once, if any other CPU runs a guest: 0, or why none can start. */
static int run_cpus_install(struct monitor *m, const struct monitor_boot *boot, unsigned wanted)
{
	if (!wanted)
		return 0;
	if (boot->pool_size < MONITOR_POOL_SIZE + (uint64_t)wanted * MONITOR_POOL_PER_CPU) {
		monitor_log(m, "monitor: the pool (%llu KiB) has no room for %u more CPUs (%llu KiB "
			       "each)",
			    (unsigned long long)(boot->pool_size >> 10), wanted,
			    (unsigned long long)(MONITOR_POOL_PER_CPU >> 10));
		return -ENOMEM;
	}
	if (!boot->ap_start_page) {
		monitor_log(m, "monitor: no start page below 1 MiB: no other CPU can start");
		return -ENODEV;
	}
	return smp_install(m, boot->ap_start_page);
}

static int run_cpus_start_one(struct monitor *m, const struct monitor_boot *boot,
			      struct pcpu *pc)
{
	struct smp_cpu *c;
	int err;

	if ((err = smp_cpu_alloc(m, pc->index, pc->apic_id, &c)) < 0)
		return err;
	c->run = run_cpus_ap;
	c->ctx = pc;
	return smp_start_cpu(m, boot->ap_start_page, c);
}

void run_cpus_start(struct monitor *m, const struct monitor_boot *boot)
{
	unsigned wanted = 0, up = 0, parked = 0;
	int installed;

	for (unsigned i = 1; i < m->nr_cpus; i++)
		wanted += m->cpu[i].guests != 0;
	installed = run_cpus_install(m, boot, wanted);
	for (unsigned i = 1; i < m->nr_cpus; i++) {
		struct pcpu *pc = &m->cpu[i];
		int err;

		if (!pc->guests) {
			if (smp_park_cpu(pc->apic_id) < 0)
				monitor_log(m, "monitor: cpu %u (APIC ID %u): INIT not delivered", i,
					    pc->apic_id);
			pc->done = true;
			parked++;
			continue;
		}
		err = installed < 0 ? installed : run_cpus_start_one(m, boot, pc);
		if (err < 0)
			run_cpus_fail(m, pc, "did not start", err);
		else
			up++;
	}
	if (m->nr_cpus > 1)
		monitor_log(m, "monitor: %u CPUs: the boot CPU, %u started, %u parked", m->nr_cpus,
			    up, parked);
}

static bool run_cpus_all_done(struct monitor *m)
{
	for (unsigned i = 1; i < m->nr_cpus; i++)
		if (!__atomic_load_n(&m->cpu[i].done, __ATOMIC_ACQUIRE))
			return false;
	return true;
}

int run_cpus_loop(struct monitor *m)
{
	const struct monitor_platform *p = m->plat;
	int err = 0;

	if (m->cpu[0].guests)
		err = monitor_loop(m, &m->cpu[0]);
	/* Halted between looks, not spinning: an emulator runs the other CPUs on the host
	 * cores this one would otherwise burn. */
	while (!run_cpus_all_done(m))
		p->idle(p->ctx, p->now(p->ctx) + RUN_CPUS_WAIT_US * m->tsc_khz / 1000);
	return err;
}
