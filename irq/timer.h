/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Time arithmetic for the monitor's clock: the TSC is the time base, the local APIC timer
 * the alarm. Pure C (host tested): conversions and the calibration maths, overflow-safe
 * without 128-bit division (no libgcc helpers in the EFI build).
 */
#ifndef TWINMON_IRQ_TIMER_H
#define TWINMON_IRQ_TIMER_H

#include <stdint.h>

/* The PIT's input clock, Hz. */
#define TIMER_PIT_HZ 1193182ULL

/* floor(a * b / c), saturating at UINT64_MAX; c == 0 gives UINT64_MAX. */
uint64_t timer_muldiv(uint64_t a, uint64_t b, uint64_t c);

/* Microseconds to cycles of a clock of khz kHz, at least 1 when us > 0. */
uint64_t timer_us_to_cycles(uint64_t us, uint64_t khz);
/* Cycles of a clock of khz kHz to microseconds. */
uint64_t timer_cycles_to_us(uint64_t cycles, uint64_t khz);

/*
 * Local APIC timer count for a TSC interval: rounded up so the alarm never fires before the
 * deadline, at least 1, at most 0xffffffff (the count register is 32 bits).
 */
uint32_t timer_tsc_to_apic(uint64_t tsc_delta, uint64_t tsc_khz, uint64_t apic_khz);

/*
 * A clock's frequency in kHz from `counted` of its cycles over `pit_ticks` ticks of the
 * 1.193182 MHz PIT. 0 if pit_ticks is 0.
 */
uint64_t timer_khz_from_pit(uint64_t counted, uint64_t pit_ticks);

/* The median of three measurements (calibration runs). */
uint64_t timer_median3(uint64_t a, uint64_t b, uint64_t c);

#endif
