// SPDX-License-Identifier: GPL-2.0-only
#include "irq/timer.h"

/* (hi:lo) / c for hi < c, by shift and subtract: no __udivti3 needed. */
static uint64_t timer_div128(uint64_t hi, uint64_t lo, uint64_t c)
{
	uint64_t q = 0;

	for (int i = 0; i < 64; i++) {
		uint64_t top = hi >> 63;

		hi = hi << 1 | lo >> 63;
		lo <<= 1;
		q <<= 1;
		if (top || hi >= c) {
			hi -= c;
			q |= 1;
		}
	}
	return q;
}

uint64_t timer_muldiv(uint64_t a, uint64_t b, uint64_t c)
{
	unsigned __int128 p = (unsigned __int128)a * b;
	uint64_t hi = (uint64_t)(p >> 64), lo = (uint64_t)p;

	if (c == 0 || hi >= c)
		return UINT64_MAX;
	if (hi == 0)
		return lo / c;
	return timer_div128(hi, lo, c);
}

uint64_t timer_us_to_cycles(uint64_t us, uint64_t khz)
{
	uint64_t c = timer_muldiv(us, khz, 1000);

	return (c == 0 && us && khz) ? 1 : c;
}

uint64_t timer_cycles_to_us(uint64_t cycles, uint64_t khz)
{
	return timer_muldiv(cycles, 1000, khz);
}

uint32_t timer_tsc_to_apic(uint64_t tsc_delta, uint64_t tsc_khz, uint64_t apic_khz)
{
	uint64_t n;

	if (tsc_khz == 0)
		return 0xffffffffu;
	n = timer_muldiv(tsc_delta, apic_khz, tsc_khz);
	/* Round up: an alarm that fires early only costs an extra exit, but one that never
	 * covers the deadline would leave the slot running until something else exits. */
	if (n != UINT64_MAX && timer_muldiv(n, tsc_khz, apic_khz) < tsc_delta)
		n++;
	if (n == 0)
		return 1;
	return n > 0xffffffffULL ? 0xffffffffu : (uint32_t)n;
}

uint64_t timer_khz_from_pit(uint64_t counted, uint64_t pit_ticks)
{
	if (pit_ticks == 0)
		return 0;
	return timer_muldiv(counted, TIMER_PIT_HZ, pit_ticks * 1000);
}

uint64_t timer_median3(uint64_t a, uint64_t b, uint64_t c)
{
	if ((a <= b && b <= c) || (c <= b && b <= a))
		return b;
	if ((b <= a && a <= c) || (c <= a && a <= b))
		return a;
	return c;
}
