// SPDX-License-Identifier: GPL-2.0-only
/* The I/O APIC's registers (see ioapic.h). */
#include "guests/lib/ioapic.h"

#define IOAPIC_REGSEL		0x00
#define IOAPIC_WINDOW		0x10
#define IOAPIC_EOI		0x40
#define IOAPIC_REG_VERSION	0x01
#define IOAPIC_REG_RTE(pin)	(0x10 + 2 * (pin))

static volatile uint32_t *ioapic_mmio;

int ioapic_setup(struct guest_env *env, uint64_t base)
{
	int rc = guest_map(env, base);

	if (rc == 0)
		ioapic_mmio = (volatile uint32_t *)(uintptr_t)base;
	return rc;
}

/* Plain 32-bit loads and stores: the monitor emulates only MOV forms. */
static uint32_t ioapic_read(uint32_t reg)
{
	ioapic_mmio[IOAPIC_REGSEL / 4] = reg;
	return ioapic_mmio[IOAPIC_WINDOW / 4];
}

static void ioapic_write(uint32_t reg, uint32_t val)
{
	ioapic_mmio[IOAPIC_REGSEL / 4] = reg;
	ioapic_mmio[IOAPIC_WINDOW / 4] = val;
}

unsigned ioapic_pins(void)
{
	return ((ioapic_read(IOAPIC_REG_VERSION) >> 16) & 0xff) + 1;
}

uint64_t ioapic_rte(unsigned pin)
{
	return (uint64_t)ioapic_read(IOAPIC_REG_RTE(pin) + 1) << 32 |
	       ioapic_read(IOAPIC_REG_RTE(pin));
}

void ioapic_set_rte(unsigned pin, uint64_t rte)
{
	ioapic_write(IOAPIC_REG_RTE(pin) + 1, (uint32_t)(rte >> 32));
	ioapic_write(IOAPIC_REG_RTE(pin), (uint32_t)rte);
}

void ioapic_eoi(uint8_t vector)
{
	ioapic_mmio[IOAPIC_EOI / 4] = vector;
}
