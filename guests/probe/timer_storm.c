// SPDX-License-Identifier: GPL-2.0-only
/*
 * deadline-storm and periodic-storm (see attacks.h): the probe's own local APIC timer as
 * fast as the monitor lets it run. Under irq-policy = switch every expiry is an interrupt
 * for a guest that may be switched out, which can end the other guest's slot; the monitor
 * must keep the configured shares anyway. The timer's vector is the probe's own (0x40).
 */
#include "guests/lib/apic.h"
#include "guests/lib/cpu.h"
#include "guests/lib/out.h"
#include "guests/lib/trap.h"
#include "guests/probe/attacks.h"
#include "guests/probe/phase.h"

#define STORM_DEADLINE_DELTA	2000	/* TSC cycles from now: always already due */
/*
 * The second deadline phase re-arms this far ahead instead. Under an emulator the handler
 * (an injection, a WRMSR and an EOI, each an exit) takes about 100 us, so with 2000 cycles
 * the probe spends its time inside it, interrupts off, and a monitor rightly ignores a timer
 * it cannot take yet. A millisecond leaves the probe in its loop, interruptible, whenever
 * its slot ends, with its next deadline less than a millisecond away.
 */
#define STORM_DEADLINE_SLOW_US	1000
/*
 * The shortest period the monitor promises a periodic vLAPIC timer (docs/monitor.md); a
 * majority of intervals below 90 % of it means the floor was not applied. Under an emulator
 * one interrupt costs the probe about as much as the floor, so a missing floor shows only
 * weakly in the intervals there; the other guest's share is the measure that counts.
 */
#define STORM_FLOOR_US		200
#define STORM_TRY_STEP_US	10	/* one-shot count for the mode switch: 190 us, 180 us, ... */
#define STORM_TRY_SWEEPS	32	/* a busy emulator host stalls now and then: many tries */
#define STORM_DRAIN_US		1000

static volatile bool storm_rearm;
static volatile uint64_t storm_delta;
static volatile uint64_t tick_last, tick_short, tick_short_cycles;

/*
 * Re-armed only while the phase lasts: a deadline that is due again before the handler
 * returns leaves the probe's loop no instruction, so only the handler sees the phase end.
 */
static void storm_deadline_tick(struct trap_frame *f)
{
	uint64_t now = rdtsc();

	probe_irqs++;
	if (storm_rearm && now < probe_phase_end)
		wrmsr(MSR_TSC_DEADLINE, now + storm_delta);
	apic_eoi();
}

/* Counts the intervals shorter than the floor allows; masks the timer when the phase ends. */
static void storm_periodic_tick(struct trap_frame *f)
{
	uint64_t now = rdtsc();

	if (tick_last && now - tick_last < tick_short_cycles)
		tick_short++;
	tick_last = now;
	probe_irqs++;
	if (now >= probe_phase_end)
		apic_write(APIC_LVT_TIMER, APIC_LVT_MASKED | APIC_TIMER_PERIODIC | PROBE_VEC_TIMER);
	apic_eoi();
}

/* Timer off, masked, and any expiry already pending taken before the handler goes. */
static void storm_timer_off(struct probe_run *r)
{
	storm_rearm = false;
	apic_write(APIC_TMICT, 0);
	/* Leaving TSC-deadline mode disarms the deadline too. */
	apic_write(APIC_LVT_TIMER, APIC_LVT_MASKED | APIC_TIMER_ONESHOT | PROBE_VEC_TIMER);
	probe_wait_us(r, STORM_DRAIN_US);
	trap_set_handler(PROBE_VEC_TIMER, NULL);
}

static bool storm_ready(struct probe_run *r)
{
	if (!r->tsc_khz) {
		probe_outcome(r, PROBE_SKIPPED, "needs the monitor's TSC frequency");
		return false;
	}
	return probe_use_apic(r);
}

/* One deadline phase with the handler re-arming delta cycles ahead. */
static void storm_deadline_phase(struct probe_run *r, const char *label, uint64_t delta)
{
	struct probe_phase p;

	trap_set_handler(PROBE_VEC_TIMER, storm_deadline_tick);
	storm_delta = delta;
	storm_rearm = true;
	apic_write(APIC_LVT_TIMER, APIC_TIMER_DEADLINE | PROBE_VEC_TIMER);
	wrmsr(MSR_TSC_DEADLINE, rdtsc() + delta);
	probe_phase(r, label, NULL, NULL, &p);
	storm_timer_off(r);
	probe_outcome(r, PROBE_SURVIVED, "now + %llu cycles: %llu timer interrupts in %llu ms, "
		      "%llu loops; the other guest's share is the test's to judge",
		      (unsigned long long)delta, (unsigned long long)p.irqs,
		      (unsigned long long)probe_us(r, p.end - p.start) / 1000,
		      (unsigned long long)p.loops);
}

void probe_deadline_storm(struct probe_run *r)
{
	probe_announce(r, "deadline-storm: TSC-deadline timer (vector 0x%x) re-armed by its own "
		       "handler to now + %u cycles, then to now + %u us; interrupts on, busy",
		       PROBE_VEC_TIMER, STORM_DEADLINE_DELTA, STORM_DEADLINE_SLOW_US);
	if (!storm_ready(r))
		return;
	probe_phase(r, "baseline", NULL, NULL, NULL);
	storm_deadline_phase(r, "deadline", STORM_DEADLINE_DELTA);
	storm_deadline_phase(r, "deadline-1ms", STORM_DEADLINE_SLOW_US * r->tsc_khz / 1000);
}

/* APIC timer ticks per millisecond at divide-by-1, measured against the TSC. */
static uint64_t storm_apic_ticks_per_ms(struct probe_run *r)
{
	uint64_t t0, t1;
	uint32_t left;

	apic_write(APIC_LVT_TIMER, APIC_LVT_MASKED | APIC_TIMER_ONESHOT | PROBE_VEC_TIMER);
	apic_write(APIC_TDCR, APIC_TDCR_DIV1);
	apic_write(APIC_TMICT, 0xffffffffu);
	t0 = rdtsc();
	while (rdtsc() - t0 < r->tsc_khz)
		;
	left = apic_read(APIC_TMCCT);
	t1 = rdtsc();
	apic_write(APIC_TMICT, 0);
	return (0xffffffffull - left) * r->tsc_khz / (t1 - t0);
}

/* One periodic phase; its intervals judged against the floor. Each case has an outcome. */
static void storm_periodic_phase(struct probe_run *r, const char *label, const char *how)
{
	struct probe_phase p;
	uint64_t intervals;

	tick_last = tick_short = 0;
	probe_phase(r, label, NULL, NULL, &p);
	storm_timer_off(r);
	intervals = p.irqs ? p.irqs - 1 : 0;
	if (intervals && tick_short * 2 > intervals)
		probe_outcome(r, PROBE_NOT_CONTAINED, "%s: %llu of %llu intervals shorter than "
			      "%u us: no periodic floor", how, (unsigned long long)tick_short,
			      (unsigned long long)intervals, STORM_FLOOR_US * 9 / 10);
	else
		probe_outcome(r, PROBE_SURVIVED, "%s: %llu interrupts, %llu of the intervals "
			      "shorter than %u us; the other guest's share is the test's to judge",
			      how, (unsigned long long)p.irqs, (unsigned long long)tick_short,
			      STORM_FLOOR_US * 9 / 10);
}

void probe_periodic_storm(struct probe_run *r)
{
	uint64_t per_ms, count = 0, us;

	probe_announce(r, "periodic-storm: periodic APIC timer (vector 0x%x) with initial count "
		       "1, then a one-shot count under the floor switched to periodic; interrupts "
		       "on, busy", PROBE_VEC_TIMER);
	if (!storm_ready(r))
		return;
	tick_short_cycles = STORM_FLOOR_US * 9 / 10 * r->tsc_khz / 1000;
	per_ms = storm_apic_ticks_per_ms(r);
	out_log("attack %u: APIC timer: %llu ticks per ms at divide-by-1", r->number,
		(unsigned long long)per_ms);
	probe_phase(r, "baseline", NULL, NULL, NULL);

	trap_set_handler(PROBE_VEC_TIMER, storm_periodic_tick);
	apic_write(APIC_TDCR, APIC_TDCR_DIV1);
	apic_write(APIC_LVT_TIMER, APIC_TIMER_PERIODIC | PROBE_VEC_TIMER);
	apic_write(APIC_TMICT, 1);
	storm_periodic_phase(r, "periodic", "periodic, initial count 1");

	/*
	 * A count started in one-shot mode keeps running when the LVT switches to periodic: the
	 * period then comes from a count nobody checked against the floor. The count must still
	 * be running at the switch, so the first tries may be too short for the exits between.
	 */
	trap_set_handler(PROBE_VEC_TIMER, storm_periodic_tick);
	/* The longest counts under the floor first: under an emulator the two exits between
	 * the writes can outlast a short one. A few sweeps, as a slot may end in between. */
	us = 0;
	for (unsigned sweep = 0; sweep < STORM_TRY_SWEEPS && !us; sweep++) {
		for (us = STORM_FLOOR_US - STORM_TRY_STEP_US; us; us -= STORM_TRY_STEP_US) {
			count = per_ms * us / 1000 ? per_ms * us / 1000 : 1;
			apic_write(APIC_LVT_TIMER, APIC_TIMER_ONESHOT | PROBE_VEC_TIMER);
			apic_write(APIC_TMICT, (uint32_t)count);
			apic_write(APIC_LVT_TIMER, APIC_TIMER_PERIODIC | PROBE_VEC_TIMER);
			if (apic_read(APIC_TMCCT))
				break;
			apic_write(APIC_TMICT, 0);
		}
	}
	if (!us) {
		storm_timer_off(r);
		probe_outcome(r, PROBE_SKIPPED, "one-shot switched to periodic: the count always "
			      "ran out before the switch");
		return;
	}
	out_log("attack %u: one-shot count %llu (%llu us) switched to periodic while running",
		r->number, (unsigned long long)count, (unsigned long long)us);
	storm_periodic_phase(r, "periodic-via-oneshot", "one-shot switched to periodic");
}
