/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Starting the other CPUs (application processors, APs) once boot services are gone: INIT,
 * then two startup IPIs into the start page (monitor/ap_start.h), which takes the AP to long
 * mode on the monitor's page tables and into smp's C entry on a stack of its own. There the
 * AP takes its own GDT and TSS (and the shared IDT), the boot CPU's FPU settings and its local
 * APIC, flags that it is up and runs the function its struct smp_cpu names (the vendor
 * backend's per-CPU part is the caller's: vcpu_ops.init_cpu). CPUs the monitor does not use get INIT alone and
 * stay in wait-for-SIPI ("parked").
 *
 * Everything here runs on the boot CPU except smp_cpu_init and the run function. APs start
 * one at a time (one start page).
 */
#ifndef TWINMON_MONITOR_SMP_H
#define TWINMON_MONITOR_SMP_H

#include <stdint.h>

#include "irq/lapic.h"
#include "monitor/core.h"
#include "monitor/desc.h"

#define SMP_STACK_SIZE		(32 * 1024)	/* as the boot CPU's: the same exit paths */
/* How long a started AP has to reach its C entry (generous: emulators under load). */
#define SMP_START_TIMEOUT_MS	1000

/* One AP: everything it needs is allocated by the boot CPU before it starts. */
struct smp_cpu {
	struct monitor *m;
	unsigned index;			/* in the boot's CPU list; 0 is the boot CPU */
	uint32_t apic_id;
	struct desc_cpu *desc;		/* its GDT and TSS (IST stacks) */
	uint64_t stack_top;		/* SMP_STACK_SIZE bytes from the pool, 16-byte aligned */
	struct lapic_info apic;		/* as lapic_init found it, on the AP */
	/* What the AP does once up (after smp_cpu_init); must not return. */
	void (*run)(struct smp_cpu *c);
	void *ctx;			/* the run function's */
};

/*
 * Copy the start code to the page at page_pa (below 1 MiB, owned by no guest, identity
 * mapped) and write the CPU state the APs load: this CPU's CR3 (the monitor's identity map,
 * below 4 GiB), CR0, CR4.PAE/PGE/LA57 and EFER.LME/NXE/SCE. 0 or -EINVAL/-E2BIG (logged).
 */
int smp_install(struct monitor *m, uint64_t page_pa);
/* An AP's struct, stack, GDT/TSS with IST stacks from the pool. 0 or -ENOMEM. */
int smp_cpu_alloc(struct monitor *m, unsigned index, uint32_t apic_id, struct smp_cpu **out);
/*
 * Start c (c->run set) through the installed page: INIT, 10 ms, SIPI, 200 us, SIPI (timed
 * with the TSC: m->tsc_khz must be known), then wait up to SMP_START_TIMEOUT_MS for it to
 * flag that it runs C code past smp_cpu_init. 0, -ETIMEDOUT (logged; the AP is sent INIT
 * again so that a late start cannot run on the reused page), or an IPI error (logged).
 */
int smp_start_cpu(struct monitor *m, uint64_t page_pa, struct smp_cpu *c);
/* INIT: the CPU waits for a SIPI that never comes. 0 or an IPI error. */
int smp_park_cpu(uint32_t apic_id);
/*
 * On the AP (smp's entry calls it first): load c's GDT/TSS and the IDT, FPU bits and XCR0
 * (fpu_init_cpu), the local APIC (lapic_init with the monitor's timer and spurious vectors).
 * A CPU brought up some other way needs the same before guests.
 */
void smp_cpu_init(struct smp_cpu *c);

#endif
