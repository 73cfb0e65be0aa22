// SPDX-License-Identifier: GPL-2.0-only
#include "irq/lapic.h"

#include <errno.h>

#include "monitor/cpu.h"

#define LAPIC_X2APIC_MSR(reg)	(0x800 + ((reg) >> 4))
#define LAPIC_BASE_BSP		(1ULL << 8)
/* Polls of the delivery status before an IPI counts as lost (microseconds on hardware). */
#define LAPIC_ICR_POLLS		1000000u

static struct {
	bool ready;		/* lapic_init ran: the registers can be read */
	bool x2apic;
	volatile uint32_t *mmio;
	uint8_t timer_vector;
} lapic;

uint32_t lapic_read(uint32_t reg)
{
	if (lapic.x2apic)
		return (uint32_t)cpu_rdmsr(LAPIC_X2APIC_MSR(reg));
	return lapic.mmio[reg / 4];
}

void lapic_write(uint32_t reg, uint32_t val)
{
	if (lapic.x2apic)
		cpu_wrmsr(LAPIC_X2APIC_MSR(reg), val);
	else
		lapic.mmio[reg / 4] = val;
}

/*
 * Another CPU after the boot CPU's lapic_init: every CPU speaks to its APIC the way the shared
 * state says (x2APIC MSRs or the MMIO page), so this one is brought to the same mode. INIT
 * resets an APIC to xAPIC mode at the default base; x2APIC is entered from xAPIC mode.
 */
static uint64_t lapic_match_mode(uint64_t base)
{
	uint64_t want = (base & LAPIC_BASE_BSP) | LAPIC_BASE_ENABLE;

	if (lapic.x2apic) {
		want |= base & 0x000ffffffffff000ULL;
		if (!(base & LAPIC_BASE_ENABLE))
			cpu_wrmsr(MSR_APIC_BASE, want);
		want |= LAPIC_BASE_X2APIC;
	} else {
		want |= (uint64_t)(uintptr_t)lapic.mmio;
	}
	if (want != base)
		cpu_wrmsr(MSR_APIC_BASE, want);
	return want;
}

void lapic_init(uint8_t timer_vector, uint8_t spurious_vector, struct lapic_info *info)
{
	uint64_t base = cpu_rdmsr(MSR_APIC_BASE);

	if (lapic.ready) {
		base = lapic_match_mode(base);
	} else {
		if (!(base & LAPIC_BASE_ENABLE)) {
			base |= LAPIC_BASE_ENABLE;
			cpu_wrmsr(MSR_APIC_BASE, base);
		}
		lapic.x2apic = base & LAPIC_BASE_X2APIC;
		lapic.mmio = (volatile uint32_t *)(uintptr_t)(base & 0x000ffffffffff000ULL);
		lapic.timer_vector = timer_vector;
	}

	lapic_write(LAPIC_TMICT, 0);
	lapic_write(LAPIC_LVT_TIMER, LAPIC_LVT_MASKED | timer_vector);
	lapic_write(LAPIC_TDCR, LAPIC_TDCR_DIV1);
	lapic_write(LAPIC_TPR, 0);
	lapic_write(LAPIC_SVR, LAPIC_SVR_ENABLE | spurious_vector);
	/* The monitor takes nothing from the 8259s. A guest that owns their ports could
	 * otherwise aim them at an exception vector, and an ExtINT sets no ISR bit. */
	lapic_write(LAPIC_LVT_LINT0, lapic_read(LAPIC_LVT_LINT0) | LAPIC_LVT_MASKED);
	lapic.ready = true;

	info->x2apic = lapic.x2apic;
	info->base = base & 0x000ffffffffff000ULL;
	info->id = lapic_read(LAPIC_ID);
	info->version = lapic_read(LAPIC_VERSION);
	if (!lapic.x2apic)
		info->id >>= 24;
}

uint32_t lapic_id(void)
{
	uint32_t id = lapic_read(LAPIC_ID);

	return lapic.x2apic ? id : id >> 24;
}

void lapic_eoi(void)
{
	lapic_write(LAPIC_EOI, 0);
}

bool lapic_in_service(unsigned vector)
{
	/* An exception before lapic_init must not fault again on the APIC page. */
	if (!lapic.ready || vector > 0xff)
		return false;
	return (lapic_read(LAPIC_ISR + 0x10 * (vector / 32)) >> (vector % 32)) & 1;
}

void lapic_timer_mask(bool masked)
{
	lapic_write(LAPIC_LVT_TIMER, (masked ? LAPIC_LVT_MASKED : 0) | lapic.timer_vector);
}

void lapic_timer_oneshot(uint32_t count)
{
	lapic_write(LAPIC_TMICT, count);
}

uint32_t lapic_timer_current(void)
{
	return lapic_read(LAPIC_TMCCT);
}

int lapic_send_ipi(uint32_t apic_id, uint32_t mode, uint8_t vector)
{
	uint32_t low;

	switch (mode) {
	case LAPIC_ICR_FIXED:
		low = mode | LAPIC_ICR_ASSERT | vector;
		break;
	case LAPIC_ICR_NMI:
		low = mode | LAPIC_ICR_ASSERT;
		break;
	case LAPIC_ICR_INIT:
		/* Level-triggered assert: the form every APIC generation accepts. */
		low = mode | LAPIC_ICR_ASSERT | LAPIC_ICR_LEVEL;
		break;
	case LAPIC_ICR_SIPI:
		low = mode | LAPIC_ICR_ASSERT | vector;
		break;
	default:
		return -EINVAL;
	}
	if (lapic.x2apic) {
		/* One write sends it; x2APIC has no delivery status to wait for. */
		cpu_wrmsr(LAPIC_X2APIC_ICR, (uint64_t)apic_id << 32 | low);
		return 0;
	}
	if (apic_id > 0xff)
		return -EINVAL;
	lapic.mmio[LAPIC_ICR_HIGH / 4] = apic_id << 24;
	lapic.mmio[LAPIC_ICR_LOW / 4] = low;	/* this write sends it */
	for (uint32_t i = 0; i < LAPIC_ICR_POLLS; i++) {
		if (!(lapic.mmio[LAPIC_ICR_LOW / 4] & LAPIC_ICR_PENDING))
			return 0;
		__asm__ volatile("pause");
	}
	return -ETIMEDOUT;
}
