/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * What an IDT vector that reached the monitor is. Anything can send the CPU an interrupt
 * message with any vector from 16 up: a guest's device through an MSI it programmed, for
 * instance. Vectors 0-31 are shared with the CPU's exceptions, and the one thing that tells
 * them apart is the physical local APIC's in-service bit: an interrupt it delivered sets it,
 * an exception never does. So:
 *
 *   vector                  ISR bit   class        what the monitor does
 *   2                       -         NMI          counted
 *   0-31 (not 2)            clear     exception    fatal report, halt (its own fault)
 *   0-31 (not 2)            set       reserved     EOI, counted ("exception-range")
 *   IRQ_TIMER_VECTOR        -         timer        EOI, counted
 *   IRQ_DEVICE_VECTOR(pin)  -         device       noted for the loop, EOI
 *   IRQ_MSI_VECTOR(g, n)    -         msi          noted for the loop, EOI (monitor/vmsi.h)
 *   IRQ_SPURIOUS_VECTOR     clear     spurious     counted, no EOI (nothing is in service)
 *   IRQ_SPURIOUS_VECTOR     set       other        EOI, counted: a message that used the
 *                                                  spurious vector would otherwise block
 *                                                  every lower vector, the timer's included
 *   anything else           -         other        EOI, counted; never given to a guest
 *
 * Pure C (host-tested); the ISR read is irq/lapic.c's, trap.c and irq.c act on the class.
 */
#ifndef TWINMON_IRQ_VECTOR_H
#define TWINMON_IRQ_VECTOR_H

#include <stdbool.h>

#define IRQ_VECTOR_NMI_NUMBER	2
#define IRQ_VECTOR_FIRST_IRQ	32	/* the first vector that is never an exception */

enum irq_vector_class {
	IRQ_CLASS_EXCEPTION,
	IRQ_CLASS_NMI,
	IRQ_CLASS_RESERVED,
	IRQ_CLASS_TIMER,
	IRQ_CLASS_KICK,
	IRQ_CLASS_DEVICE,
	IRQ_CLASS_MSI,
	IRQ_CLASS_SPURIOUS,
	IRQ_CLASS_OTHER,
};

/* Whether the class of vector depends on its in-service bit (so it is worth reading). */
bool irq_vector_needs_isr(unsigned vector);
/* The class of vector (0-255), given whether its bit is set in the local APIC's ISR. */
enum irq_vector_class irq_vector_classify(unsigned vector, bool in_service);

#endif
