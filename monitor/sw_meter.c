// SPDX-License-Identifier: GPL-2.0-only
#include "monitor/sw_meter.h"

#include <stdbool.h>

static const char *const sw_meter_names[SW_PHASES] = {
	[SW_PHASE_EXIT] = "exit",   [SW_PHASE_SCHED] = "sched", [SW_PHASE_SAVE] = "save",
	[SW_PHASE_LOAD] = "load",   [SW_PHASE_VIRQ] = "virq",	[SW_PHASE_TIMER] = "timer",
	[SW_PHASE_ENTRY] = "entry",
};

const char *sw_meter_phase_name(unsigned phase)
{
	return phase < SW_PHASES ? sw_meter_names[phase] : "unknown";
}

/* One CPU's TSC only goes forward: a stamp before its predecessor is a bug or a stamp never
 * taken, and must not add a wrapped-around phase. */
static bool sw_meter_ordered(struct sw_meter *s, const uint64_t t[SW_PHASES + 1])
{
	for (unsigned k = 0; k < SW_PHASES; k++)
		if (t[k + 1] < t[k]) {
			s->skipped++;
			return false;
		}
	return true;
}

static void sw_meter_add(struct sw_sums *x, const uint64_t t[SW_PHASES + 1])
{
	uint64_t total = t[SW_PHASES] - t[0];

	if (!x->count && !x->longs)
		x->min = total;
	else if (total < x->min)
		x->min = total;
	if (total / SW_METER_LONG > x->min) {
		x->longs++;
		return;
	}
	for (unsigned k = 0; k < SW_PHASES; k++)
		x->cycles[k] += t[k + 1] - t[k];
	x->count++;
}

void sw_meter_switch(struct sw_meter *s, const uint64_t t[SW_PHASES + 1])
{
	if (!sw_meter_ordered(s, t))
		return;
	hist_add(&s->total, t[SW_PHASES] - t[0]);
	sw_meter_add(&s->sw, t);
}

void sw_meter_resume(struct sw_meter *s, const uint64_t t[SW_PHASES + 1])
{
	if (sw_meter_ordered(s, t))
		sw_meter_add(&s->rs, t);
}
