// SPDX-License-Identifier: GPL-2.0-only
/* The local APIC in either mode (see apic.h). */
#include "guests/lib/apic.h"

#include <errno.h>

#include "guests/lib/cpu.h"

#define APIC_X2_MSR(reg)	(0x800u + ((reg) >> 4))

static struct {
	bool x2apic;
	uint64_t base;		/* IA32_APIC_BASE as apic_setup() found it */
	volatile uint32_t *mmio;
} apic;

int apic_setup(struct guest_env *env)
{
	uint64_t pa;
	int rc;

	apic.base = rdmsr(MSR_APIC_BASE);
	if (!(apic.base & APIC_BASE_EN))
		return -ENODEV;
	apic.x2apic = (apic.base & APIC_BASE_EXTD) != 0;
	if (apic.x2apic)
		return 0;
	pa = apic.base & APIC_BASE_ADDR;
	if ((rc = guest_map(env, pa)) < 0)
		return rc;
	apic.mmio = (volatile uint32_t *)(uintptr_t)pa;
	return 0;
}

bool apic_x2apic(void)
{
	return apic.x2apic;
}

uint32_t apic_read(uint32_t reg)
{
	if (apic.x2apic)
		return (uint32_t)rdmsr(APIC_X2_MSR(reg));
	/* A plain 32-bit load: the monitor emulates only MOV forms. */
	return apic.mmio[reg / 4];
}

void apic_write(uint32_t reg, uint32_t val)
{
	if (apic.x2apic)
		wrmsr(APIC_X2_MSR(reg), val);
	else
		apic.mmio[reg / 4] = val;
}

uint32_t apic_id(void)
{
	uint32_t id = apic_read(APIC_ID);

	return apic.x2apic ? id : id >> 24;
}

void apic_eoi(void)
{
	apic_write(APIC_EOI, 0);
}

void apic_send_ipi(uint32_t icr, uint32_t dest)
{
	if (apic.x2apic) {
		/* One write: the whole 64-bit ICR, the destination in the high half. */
		wrmsr(APIC_X2_MSR(APIC_ICR), (uint64_t)dest << 32 | icr);
		return;
	}
	/* The write to the low word is what sends: the destination goes first. */
	apic.mmio[APIC_ICR2 / 4] = dest << 24;
	apic.mmio[APIC_ICR / 4] = icr;
}

void apic_self_ipi(uint8_t vector)
{
	/* Fixed delivery, edge, physical: only the vector and the shorthand are set. */
	apic_write(APIC_ICR, APIC_ICR_SELF | vector);
}

void apic_sw_enable(uint8_t spurious)
{
	apic_write(APIC_SVR, APIC_SVR_ENABLE | spurious);
}

void apic_sw_disable(void)
{
	apic_write(APIC_SVR, apic_read(APIC_SVR) & ~APIC_SVR_ENABLE);
}

void apic_hw_disable(void)
{
	wrmsr(MSR_APIC_BASE, apic.base & ~(APIC_BASE_EN | APIC_BASE_EXTD));
}

void apic_hw_enable(void)
{
	/* Disabled -> x2APIC is an illegal transition: through xAPIC first. */
	wrmsr(MSR_APIC_BASE, apic.base & ~APIC_BASE_EXTD);
	if (apic.x2apic)
		wrmsr(MSR_APIC_BASE, apic.base);
}
