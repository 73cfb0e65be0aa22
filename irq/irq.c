// SPDX-License-Identifier: GPL-2.0-only
#include "irq/irq.h"

#include "irq/ioapic.h"
#include "irq/lapic.h"

static struct irq_counts irq_count;
/* Device lines that fired and wait for the monitor loop (bit n: I/O APIC pin n). */
static volatile uint32_t irq_device_pending;
/* Remapped MSI vectors that arrived (bit n: IRQ_MSI_BASE + n), for the monitor loop. */
static volatile uint64_t irq_msi_pending[IRQ_MSI_WORDS];

void irq_handle(unsigned vector, enum irq_vector_class cls)
{
	switch (cls) {
	case IRQ_CLASS_SPURIOUS:
		/* Not in service: no EOI. */
		irq_count.spurious++;
		return;
	case IRQ_CLASS_TIMER:
		irq_count.timer++;
		break;
	case IRQ_CLASS_DEVICE: {
		unsigned pin = vector - IRQ_DEVICE_BASE;

		/* A level line stays masked until its guest has serviced it. */
		if (ioapic_level(pin))
			ioapic_mask(pin, true);
		irq_device_pending |= 1u << pin;
		irq_count.device++;
		break;
	}
	case IRQ_CLASS_MSI: {
		unsigned n = vector - IRQ_MSI_BASE;

		/* An MSI is an edge: noted once, EOI at once; whose it is the loop decides. */
		irq_msi_pending[n / 64] |= 1ULL << (n % 64);
		irq_count.msi++;
		break;
	}
	case IRQ_CLASS_RESERVED:
		/* A message aimed at an exception vector: nobody's interrupt. */
		irq_count.reserved++;
		irq_count.last_reserved = vector;
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

uint32_t irq_take_device(void)
{
	/* Interrupts are off in the monitor: nothing changes it between the read and the write. */
	uint32_t pins = irq_device_pending;

	irq_device_pending = 0;
	return pins;
}

void irq_take_msi(uint64_t pending[IRQ_MSI_WORDS])
{
	for (unsigned i = 0; i < IRQ_MSI_WORDS; i++) {
		pending[i] = irq_msi_pending[i];
		irq_msi_pending[i] = 0;
	}
}

const struct irq_counts *irq_counts(void)
{
	return &irq_count;
}
