/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Timed phases of the storms and floods. The probe keeps the CPU busy for the configured
 * phase length (phase=, in TSC time), interrupts on, and logs the window when it ends:
 *
 *   probe: attack N: phase LABEL: tsc START..END (MS ms), L loops, I interrupts
 *
 * Both guests read the same TSC, so a test can take the other guest's own progress lines
 * that fall inside the window and compute its rate there. The first phase of every attack is
 * "baseline": a neighbour that uses its whole share without attacking, the fair comparison
 * (a neighbour that halted would give its time away). L, how often the loop went round, is
 * the probe's own progress; I counts the interrupts its handlers took.
 */
#ifndef TWINMON_GUESTS_PROBE_PHASE_H
#define TWINMON_GUESTS_PROBE_PHASE_H

#include <stdint.h>

#include "guests/probe/attacks.h"

/* Each of the probe's interrupt handlers adds one. */
extern volatile uint64_t probe_irqs;
/*
 * The TSC at which the running phase ends. A storm's handler stops re-arming its source
 * there: a source faster than its own handler leaves the probe's loop no instruction at all,
 * and only the handler can still see the time.
 */
extern volatile uint64_t probe_phase_end;

/* What a phase measured, for the attack's outcome. */
struct probe_phase {
	uint64_t start, end;	/* TSC */
	uint64_t loops, irqs;
};

/*
 * Spin with interrupts on for one phase, calling step(arg) on every round if given, then
 * turn interrupts off and log the window. *out (may be NULL) gets the numbers.
 */
void probe_phase(struct probe_run *r, const char *label, void (*step)(void *arg), void *arg,
		 struct probe_phase *out);

/* Spin with interrupts on for us microseconds (letting an interrupt arrive), then off. */
void probe_wait_us(struct probe_run *r, uint64_t us);

/* TSC cycles to microseconds at r->tsc_khz. */
uint64_t probe_us(const struct probe_run *r, uint64_t cycles);

#endif
