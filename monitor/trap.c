// SPDX-License-Identifier: GPL-2.0-only
/* The C side of the monitor's IDT: fatal exceptions, NMIs, and host interrupts. */
#include "monitor/trap.h"

#include "irq/irq.h"
#include "irq/lapic.h"
#include "irq/vector.h"
#include "monitor/cpu.h"
#include "monitor/msr.h"
#include "monitor/x86.h"

static struct {
	struct monitor *m;
	void (*fatal)(void *ctx);
	void *ctx;
	uint64_t nmis;
	int in_fatal;
	/* Per CPU (MP-services index): a fault while it reads its ISR is the monitor's own. */
	bool reading_isr[MONITOR_MAX_CPUS];
} trap_state;

static unsigned trap_cpu(void)
{
	return trap_state.m ? monitor_this_cpu(trap_state.m)->index : 0;
}

void trap_init(struct monitor *m, void (*fatal)(void *ctx), void *ctx)
{
	trap_state.m = m;
	trap_state.fatal = fatal;
	trap_state.ctx = ctx;
}

uint64_t trap_nmi_count(void)
{
	return __atomic_load_n(&trap_state.nmis, __ATOMIC_RELAXED);
}

static __attribute__((noreturn)) void trap_fatal(struct trap_frame *tf)
{
	struct trap_cregs cr;

	/* A fault while reporting a fault: stop at once. */
	if (__atomic_fetch_add(&trap_state.in_fatal, 1, __ATOMIC_ACQ_REL))
		cpu_halt_forever();
	cr.cr0 = cpu_read_cr0();
	cr.cr2 = cpu_read_cr2();
	cr.cr3 = cpu_read_cr3();
	cr.cr4 = cpu_read_cr4();
	cr.efer = cpu_rdmsr(MSR_EFER);
	if (trap_state.m)
		fault_report(trap_state.m, tf, &cr);
	if (trap_state.fatal)
		trap_state.fatal(trap_state.ctx);
	/* With SVM on, hold NMIs off too. */
	if (cr.efer & EFER_SVME)
		__asm__ volatile("clgi");
	cpu_halt_forever();
	__builtin_unreachable();
}

void trap_handle(struct trap_frame *tf)
{
	unsigned vector = (unsigned)tf->vector;
	bool in_service = false;
	enum irq_vector_class cls;

	if (irq_vector_needs_isr(vector)) {
		unsigned cpu = trap_cpu();

		if (trap_state.reading_isr[cpu])
			trap_fatal(tf);
		trap_state.reading_isr[cpu] = true;
		in_service = lapic_in_service(vector);
		trap_state.reading_isr[cpu] = false;
	}
	cls = irq_vector_classify(vector, in_service);
	if (cls == IRQ_CLASS_NMI) {
		/* An NMI reaches the monitor after an NMI exit (GIF set again) or while it
		 * runs: nothing to hand it to yet, so count it. */
		__atomic_fetch_add(&trap_state.nmis, 1, __ATOMIC_RELAXED);
		return;
	}
	if (cls == IRQ_CLASS_EXCEPTION)
		trap_fatal(tf);
	irq_handle(vector, cls);
}
