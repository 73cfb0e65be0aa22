// SPDX-License-Identifier: GPL-2.0-only
/* The C side of the monitor's IDT: fatal exceptions, NMIs, and host interrupts. */
#include "monitor/trap.h"

#include "irq/irq.h"
#include "irq/lapic.h"
#include "irq/vector.h"
#include "monitor/cpu.h"
#include "monitor/msr.h"
#include "monitor/svm.h"

static struct {
	struct monitor *m;
	void (*fatal)(void *ctx);
	void *ctx;
	uint64_t nmis;
	int in_fatal;
	bool reading_isr;	/* a fault there is one of the monitor's own */
} trap_state;

void trap_init(struct monitor *m, void (*fatal)(void *ctx), void *ctx)
{
	trap_state.m = m;
	trap_state.fatal = fatal;
	trap_state.ctx = ctx;
}

uint64_t trap_nmi_count(void)
{
	return trap_state.nmis;
}

static __attribute__((noreturn)) void trap_fatal(struct trap_frame *tf)
{
	struct trap_cregs cr;

	/* A fault while reporting a fault: stop at once. */
	if (trap_state.in_fatal++)
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
		if (trap_state.reading_isr)
			trap_fatal(tf);
		trap_state.reading_isr = true;
		in_service = lapic_in_service(vector);
		trap_state.reading_isr = false;
	}
	cls = irq_vector_classify(vector, in_service);
	if (cls == IRQ_CLASS_NMI) {
		/* An NMI reaches the monitor after an NMI exit (GIF set again) or while it
		 * runs: nothing to hand it to yet, so count it. */
		trap_state.nmis++;
		return;
	}
	if (cls == IRQ_CLASS_EXCEPTION)
		trap_fatal(tf);
	irq_handle(vector, cls);
}
