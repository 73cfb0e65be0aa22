/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The monitor's host interrupts. They stay pending while the monitor runs (IF = 0) and are
 * let in at chosen points: after an INTR or NMI exit (irq_take_pending) and while the CPU
 * idles (irq_idle). The timer interrupt only ends the wait: the scheduler reads the TSC.
 * Device vectors (irq/ioapic.h) are noted for the loop, which hands them to the guest that
 * owns the line; any other vector, an exception vector that came as an interrupt message
 * included, is counted and acknowledged, never handed to a guest (irq/vector.h).
 */
#ifndef TWINMON_IRQ_IRQ_H
#define TWINMON_IRQ_IRQ_H

#include <stdint.h>

#include "irq/vector.h"

#define IRQ_TIMER_VECTOR	0xec
/* One CPU of the monitor nudging another (a sibling vCPU's IPI was posted to a vCPU it runs):
 * the interrupt only makes that CPU leave its guest and look at its post boxes. */
#define IRQ_KICK_VECTOR		0xed
#define IRQ_SPURIOUS_VECTOR	0xff
/*
 * Remapped MSIs (monitor/vmsi.h): the only vectors a device is ever programmed with. Each
 * guest has IRQ_MSI_PER_GUEST of them, guest a from IRQ_MSI_BASE, guest b right after, so the
 * vector alone says whose device sent it. Clear of the device lines (0x30-0x47), the timer
 * and the spurious vector.
 */
#define IRQ_MSI_BASE		0x50
#define IRQ_MSI_PER_GUEST	64
#define IRQ_MSI_GUESTS		2
#define IRQ_MSI_COUNT		(IRQ_MSI_GUESTS * IRQ_MSI_PER_GUEST)
#define IRQ_MSI_WORDS		(IRQ_MSI_COUNT / 64)
#define IRQ_MSI_VECTOR(guest, slot)	(IRQ_MSI_BASE + (guest) * IRQ_MSI_PER_GUEST + (slot))

struct irq_counts {
	uint64_t timer;
	uint64_t spurious;
	uint64_t other;
	uint64_t device;	/* routed device lines (irq/ioapic.h) */
	uint64_t msi;		/* remapped MSIs (IRQ_MSI_BASE ...) */
	uint64_t kick;		/* other CPUs nudging this one (IRQ_KICK_VECTOR) */
	uint32_t last_other;	/* the vector of the last other interrupt */
	uint64_t reserved;	/* interrupt messages on exception vectors (16-31) */
	uint32_t last_reserved;	/* the vector of the last of them */
};

/* Called by trap_handle for every class but exceptions and NMIs (irq/vector.h). */
void irq_handle(unsigned vector, enum irq_vector_class cls);
/* Let pending interrupts in: STI; NOP; CLI. */
void irq_take_pending(void);
/* STI; HLT; CLI: until an interrupt arrives (arm the timer first). */
void irq_idle(void);
const struct irq_counts *irq_counts(void);
/* The device pins among `lines` (bit n: I/O APIC pin n) that fired since the last call. Any
 * CPU may have noted them (the one the I/O APIC sent them to). */
uint32_t irq_take_device(uint32_t lines);
/* The remapped MSI vectors of the guests in `guests` (bit n: guest n) that arrived since the
 * last call (bit n: IRQ_MSI_BASE + n; the other guests' words read 0 and stay noted). */
void irq_take_msi(uint64_t pending[IRQ_MSI_WORDS], uint32_t guests);
_Static_assert(IRQ_MSI_PER_GUEST == 64, "irq_take_msi takes a 64-bit word per guest");

/* ---- calibrate.c ---- */
/*
 * Measure the TSC and the local APIC timer (divide by 1) in kHz. With *tsc_khz already set
 * (nonzero) the APIC timer is measured against the TSC; otherwise both against PIT channel
 * 2 (median of three 10 ms windows). -ETIMEDOUT if the PIT does not count.
 */
int irq_calibrate(uint64_t *tsc_khz, uint64_t *apic_khz);

#endif
