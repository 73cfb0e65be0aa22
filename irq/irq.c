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
		__atomic_fetch_add(&irq_count.spurious, 1, __ATOMIC_RELAXED);
		return;
	case IRQ_CLASS_TIMER:
		__atomic_fetch_add(&irq_count.timer, 1, __ATOMIC_RELAXED);
		break;
	case IRQ_CLASS_KICK:
		/* Its work is the loop's: the exit it caused is the point. */
		__atomic_fetch_add(&irq_count.kick, 1, __ATOMIC_RELAXED);
		break;
	case IRQ_CLASS_DEVICE: {
		unsigned pin = vector - IRQ_DEVICE_BASE;

		/* A level line stays masked until its guest has serviced it. */
		if (ioapic_level(pin))
			ioapic_mask(pin, true);
		/* Any CPU may note it; the one that runs the line's guest takes it. */
		__atomic_fetch_or(&irq_device_pending, 1u << pin, __ATOMIC_RELEASE);
		__atomic_fetch_add(&irq_count.device, 1, __ATOMIC_RELAXED);
		break;
	}
	case IRQ_CLASS_MSI: {
		unsigned n = vector - IRQ_MSI_BASE;

		/* An MSI is an edge: noted once, EOI at once; whose it is the loop decides. */
		__atomic_fetch_or(&irq_msi_pending[n / 64], 1ULL << (n % 64), __ATOMIC_RELEASE);
		__atomic_fetch_add(&irq_count.msi, 1, __ATOMIC_RELAXED);
		break;
	}
	case IRQ_CLASS_RESERVED:
		/* A message aimed at an exception vector: nobody's interrupt. */
		__atomic_fetch_add(&irq_count.reserved, 1, __ATOMIC_RELAXED);
		irq_count.last_reserved = vector;
		break;
	default:
		__atomic_fetch_add(&irq_count.other, 1, __ATOMIC_RELAXED);
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

uint32_t irq_take_device(uint32_t lines)
{
	/* Other CPUs note lines meanwhile: take only these, in one atomic step. */
	return __atomic_fetch_and(&irq_device_pending, ~lines, __ATOMIC_ACQUIRE) & lines;
}

void irq_take_msi(uint64_t pending[IRQ_MSI_WORDS], uint32_t guests)
{
	/* A word per guest: IRQ_MSI_PER_GUEST is 64. */
	for (unsigned i = 0; i < IRQ_MSI_WORDS; i++)
		pending[i] = (guests >> i) & 1 ? __atomic_exchange_n(&irq_msi_pending[i], 0,
								     __ATOMIC_ACQUIRE)
					       : 0;
}

const struct irq_counts *irq_counts(void)
{
	return &irq_count;
}
