// SPDX-License-Identifier: GPL-2.0-only
#include "irq/irq.h"

#include "irq/lapic.h"

static struct irq_counts irq_count;

void irq_handle(unsigned vector)
{
	switch (vector) {
	case IRQ_SPURIOUS_VECTOR:
		/* Not in service: no EOI. */
		irq_count.spurious++;
		return;
	case IRQ_TIMER_VECTOR:
		irq_count.timer++;
		break;
	default:
		irq_count.other++;
		irq_count.last_other = vector;
		break;
	}
	lapic_eoi();
}

void irq_take_pending(void)
{
	__asm__ volatile("sti; nop; cli" : : : "memory");
}

void irq_idle(void)
{
	/* STI's one-instruction shadow covers HLT: an interrupt already pending wakes it. */
	__asm__ volatile("sti; hlt; cli" : : : "memory");
}

const struct irq_counts *irq_counts(void)
{
	return &irq_count;
}
