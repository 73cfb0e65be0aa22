// SPDX-License-Identifier: GPL-2.0-only
/*
 * Measuring the TSC and the local APIC timer once at start. PIT channel 2 counts 10 ms in
 * mode 0 with its gate (port 0x61 bit 0) on and the speaker off; its output (port 0x61 bit
 * 5) goes high at the end. The APIC timer counts down from its maximum meanwhile.
 */
#include <errno.h>

#include "efi/port.h"
#include "irq/irq.h"
#include "irq/lapic.h"
#include "irq/timer.h"
#include "monitor/cpu.h"

#define CAL_PIT_TICKS	11932		/* 10 ms of 1.193182 MHz */
#define CAL_MS		10
#define CAL_SPINS	50000000u	/* port reads before the PIT counts as dead */
#define PIT_CH2		0x42
#define PIT_CMD		0x43
#define PIT_GATE	0x61
#define PIT_CH2_MODE0	0xb0		/* channel 2, lobyte/hibyte, mode 0, binary */
#define PIT_OUT2	0x20

static int calibrate_pit_window(uint64_t *tsc, uint64_t *apic)
{
	uint64_t t0, t1;
	uint32_t a1;
	unsigned spins = 0;

	port_outb(PIT_GATE, (uint8_t)((port_inb(PIT_GATE) & ~0x02) | 0x01));
	port_outb(PIT_CMD, PIT_CH2_MODE0);
	port_outb(PIT_CH2, CAL_PIT_TICKS & 0xff);
	port_outb(PIT_CH2, CAL_PIT_TICKS >> 8);
	lapic_timer_oneshot(0xffffffffu);
	t0 = cpu_rdtsc();
	while (!(port_inb(PIT_GATE) & PIT_OUT2))
		if (++spins == CAL_SPINS)
			return -ETIMEDOUT;
	t1 = cpu_rdtsc();
	a1 = lapic_timer_current();
	lapic_timer_oneshot(0);
	*tsc = t1 - t0;
	*apic = 0xffffffffu - a1;
	return 0;
}

static uint64_t calibrate_apic_on_tsc(uint64_t tsc_khz)
{
	uint64_t end, start = cpu_rdtsc();
	uint32_t left;

	lapic_timer_oneshot(0xffffffffu);
	end = start + tsc_khz * CAL_MS;
	while (cpu_rdtsc() < end)
		;
	left = lapic_timer_current();
	lapic_timer_oneshot(0);
	return (0xffffffffu - left) / CAL_MS;
}

int irq_calibrate(uint64_t *tsc_khz, uint64_t *apic_khz)
{
	uint64_t tsc[3], apic[3];
	int err;

	lapic_timer_mask(true);
	if (*tsc_khz) {
		*apic_khz = calibrate_apic_on_tsc(*tsc_khz);
	} else {
		for (int i = 0; i < 3; i++)
			if ((err = calibrate_pit_window(&tsc[i], &apic[i])) < 0)
				return err;
		*tsc_khz = timer_khz_from_pit(timer_median3(tsc[0], tsc[1], tsc[2]),
					      CAL_PIT_TICKS);
		*apic_khz = timer_khz_from_pit(timer_median3(apic[0], apic[1], apic[2]),
					       CAL_PIT_TICKS);
	}
	lapic_timer_mask(false);
	return *tsc_khz && *apic_khz ? 0 : -ERANGE;
}
