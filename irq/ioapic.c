// SPDX-License-Identifier: GPL-2.0-only
#include "irq/ioapic.h"

#include <errno.h>

#include "lib/spinlock.h"

#define IOAPIC_REGSEL		0x00
#define IOAPIC_WINDOW		0x10
#define IOAPIC_REG_VERSION	0x01
#define IOAPIC_REG_RTE(pin)	(0x10 + 2 * (pin))
#define IOAPIC_RTE_ACTIVE_LOW	(1u << 13)
#define IOAPIC_RTE_LEVEL	(1u << 15)
#define IOAPIC_RTE_MASKED	(1u << 16)
#define IOAPIC_ISA_PINS		16

/*
 * Registers are reached through a select register and a window: a pair no other CPU may
 * split. Every CPU masks and unmasks lines (its guests', from the loop and from its interrupt
 * handler; the monitor runs with interrupts off, so a CPU never waits on itself).
 */
static struct {
	volatile uint32_t *mmio;
	unsigned pins;
	struct spinlock lock;
} ioapic;

static uint32_t ioapic_read(uint32_t reg)
{
	ioapic.mmio[IOAPIC_REGSEL / 4] = reg;
	return ioapic.mmio[IOAPIC_WINDOW / 4];
}

static void ioapic_write(uint32_t reg, uint32_t val)
{
	ioapic.mmio[IOAPIC_REGSEL / 4] = reg;
	ioapic.mmio[IOAPIC_WINDOW / 4] = val;
}

int ioapic_init(uint64_t base)
{
	uint32_t version;

	ioapic.mmio = (volatile uint32_t *)(uintptr_t)base;
	version = ioapic_read(IOAPIC_REG_VERSION);
	/* Floating MMIO reads all ones: no I/O APIC there. */
	if (version == 0xffffffffu) {
		ioapic.pins = 0;
		return -ENODEV;
	}
	ioapic.pins = ((version >> 16) & 0xff) + 1;
	if (ioapic.pins > IOAPIC_MAX_PINS)
		ioapic.pins = IOAPIC_MAX_PINS;
	for (unsigned pin = 0; pin < ioapic.pins; pin++) {
		ioapic_write(IOAPIC_REG_RTE(pin), IOAPIC_RTE_MASKED);
		ioapic_write(IOAPIC_REG_RTE(pin) + 1, 0);
	}
	return (int)ioapic.pins;
}

bool ioapic_level(unsigned pin)
{
	return pin >= IOAPIC_ISA_PINS;
}

int ioapic_route(unsigned pin, uint32_t apic_id)
{
	/* Masked: the line's guest unmasks it once it can take the interrupt (and it must
	 * not reach a CPU that has not started yet). */
	uint32_t lo = IRQ_DEVICE_VECTOR(pin) | IOAPIC_RTE_MASKED;

	if (pin >= ioapic.pins)
		return -EINVAL;
	if (ioapic_level(pin))
		lo |= IOAPIC_RTE_LEVEL | IOAPIC_RTE_ACTIVE_LOW;
	/* Fixed delivery, physical destination: the CPU that runs the line's guest. */
	spinlock_lock(&ioapic.lock);
	ioapic_write(IOAPIC_REG_RTE(pin) + 1, (apic_id & 0xff) << 24);
	ioapic_write(IOAPIC_REG_RTE(pin), lo);
	spinlock_unlock(&ioapic.lock);
	return 0;
}

void ioapic_mask(unsigned pin, bool masked)
{
	uint32_t lo;

	if (pin >= ioapic.pins)
		return;
	spinlock_lock(&ioapic.lock);
	lo = ioapic_read(IOAPIC_REG_RTE(pin));
	lo = masked ? lo | IOAPIC_RTE_MASKED : lo & ~IOAPIC_RTE_MASKED;
	ioapic_write(IOAPIC_REG_RTE(pin), lo);
	spinlock_unlock(&ioapic.lock);
}
