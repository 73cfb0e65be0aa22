// SPDX-License-Identifier: GPL-2.0-only
/* Timed phases (see phase.h). */
#include "guests/probe/phase.h"

#include "guests/lib/cpu.h"
#include "guests/lib/out.h"

volatile uint64_t probe_irqs;
volatile uint64_t probe_phase_end;

uint64_t probe_us(const struct probe_run *r, uint64_t cycles)
{
	/* cycles * 1000 / kHz without overflow for any run shorter than years. */
	return cycles / r->tsc_khz * 1000 + cycles % r->tsc_khz * 1000 / r->tsc_khz;
}

void probe_phase(struct probe_run *r, const char *label, void (*step)(void *arg), void *arg,
		 struct probe_phase *out)
{
	struct probe_phase p = { .irqs = probe_irqs };
	uint64_t until;

	p.start = rdtsc();
	until = p.start + r->opt->phase_ms * r->tsc_khz;
	probe_phase_end = until;
	cpu_irq_on();
	/* Busy, never halting: a neighbour that halts gives its time away. */
	do {
		if (step)
			step(arg);
		p.loops++;
	} while (rdtsc() < until);
	cpu_irq_off();
	p.end = rdtsc();
	p.irqs = probe_irqs - p.irqs;
	out_log("attack %u: phase %s: tsc %llu..%llu (%llu ms), %llu loops, %llu interrupts",
		r->number, label, (unsigned long long)p.start, (unsigned long long)p.end,
		(unsigned long long)probe_us(r, p.end - p.start) / 1000,
		(unsigned long long)p.loops, (unsigned long long)p.irqs);
	if (out)
		*out = p;
}

void probe_wait_us(struct probe_run *r, uint64_t us)
{
	uint64_t until = rdtsc() + us * r->tsc_khz / 1000;

	cpu_irq_on();
	/* No PAUSE: the monitor may intercept it, and this is the probe's own time. */
	while (rdtsc() < until)
		;
	cpu_irq_off();
}
