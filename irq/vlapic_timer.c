// SPDX-License-Identifier: GPL-2.0-only
/*
 * The virtual local APIC's timer (irq/vlapic.h): one-shot, periodic and TSC-deadline, counted
 * in TSC cycles from the bus frequency and the divider.
 */
#include "irq/timer.h"
#include "irq/vlapic_internal.h"

static uint64_t sat_add(uint64_t a, uint64_t b)
{
	return a > UINT64_MAX - b ? UINT64_MAX : a + b;
}

static uint32_t vlapic_divide(uint32_t tdcr)
{
	uint32_t e = (tdcr & 3) | ((tdcr >> 1) & 4);

	return e == 7 ? 1 : 2u << e;
}

static void vlapic_timer_stop(struct vlapic *v)
{
	v->timer_expiry = UINT64_MAX;
	v->tsc_deadline = 0;
}

/* TMICT written: count from now. The period is rounded up to whole TSC cycles. */
void vlapic_timer_start(struct vlapic *v, uint64_t now)
{
	uint64_t ticks, q;

	v->timer_expiry = UINT64_MAX;
	if (!v->tmict)
		return;
	v->timer_div = vlapic_divide(v->tdcr);
	ticks = (uint64_t)v->tmict * v->timer_div;
	q = timer_muldiv(ticks, v->tsc_khz, v->bus_khz);
	if (q != UINT64_MAX && timer_muldiv(q, v->bus_khz, v->tsc_khz) < ticks)
		q++;
	v->timer_period = q ? q : 1;
	/*
	 * A periodic timer re-arms itself without the guest: a period of a few cycles would be
	 * an interrupt storm the monitor pays for. Like KVM, a floor (min_period).
	 */
	if ((v->lvt[VLAPIC_LVT_TIMER_I] & VLAPIC_TIMER_MODE) == VLAPIC_TIMER_PERIODIC &&
	    v->timer_period < v->min_period)
		v->timer_period = v->min_period;
	v->timer_start = now;
	v->timer_expiry = sat_add(now, v->timer_period);
}

uint32_t vlapic_tmcct(const struct vlapic *v, uint64_t now)
{
	bool periodic = vlapic_timer_mode(v) == VLAPIC_TIMER_PERIODIC;
	uint64_t elapsed, ticks;

	if (v->timer_expiry == UINT64_MAX || vlapic_timer_mode(v) == VLAPIC_TIMER_DEADLINE ||
	    now < v->timer_start)
		return 0;
	elapsed = now - v->timer_start;
	/* Periods the timer has not been caught up with yet (vlapic_update) still reload. */
	if (periodic && v->timer_period)
		elapsed %= v->timer_period;
	ticks = timer_muldiv(elapsed, v->bus_khz, v->tsc_khz) / v->timer_div;
	if (ticks < v->tmict)
		return v->tmict - (uint32_t)ticks;
	/* A periodic count below the floor runs for the floor's period: it still runs. */
	return periodic ? 1 : 0;
}

void vlapic_update(struct vlapic *v, uint64_t now)
{
	uint32_t lvt = v->lvt[VLAPIC_LVT_TIMER_I];

	if (!vlapic_enabled(v) || now < v->timer_expiry)
		return;
	v->timer_fired++;
	if (!(lvt & VLAPIC_LVT_MASKED) && vlapic_sw_enabled(v) &&
	    vlapic_raise(v, lvt & 0xff, false) == 0 && !v->timer_due_pending) {
		v->timer_due = v->timer_expiry;
		v->timer_due_vector = lvt & 0xff;
		v->timer_due_pending = true;
	}
	if (vlapic_timer_mode(v) == VLAPIC_TIMER_PERIODIC) {
		uint64_t late = now - v->timer_expiry;

		v->timer_start = v->timer_expiry + late / v->timer_period * v->timer_period;
		v->timer_expiry = sat_add(v->timer_start, v->timer_period);
	} else {
		vlapic_timer_stop(v);
	}
}

uint64_t vlapic_next_event(const struct vlapic *v)
{
	if (!vlapic_enabled(v) || (v->lvt[VLAPIC_LVT_TIMER_I] & VLAPIC_LVT_MASKED))
		return UINT64_MAX;
	return v->timer_expiry;
}

/* LVT timer written: switching to or from TSC-deadline (or to the reserved mode) disarms
 * (SDM 10.5.4.1). Between one-shot and periodic the SDM only says the write does not start the
 * timer; a running count goes on in the new mode, as KVM does. */
void vlapic_set_lvtt(struct vlapic *v, uint32_t val)
{
	uint32_t from = vlapic_timer_mode(v), to = val & VLAPIC_TIMER_MODE;

	if (from != to && (from == VLAPIC_TIMER_DEADLINE || to == VLAPIC_TIMER_DEADLINE ||
			   to == VLAPIC_TIMER_MODE)) {
		vlapic_timer_stop(v);
		v->tmict = 0;
	}
	v->lvt[VLAPIC_LVT_TIMER_I] = val;
	/* A count started one-shot goes on periodic: the floor applies to it too. */
	if (to == VLAPIC_TIMER_PERIODIC && v->timer_period < v->min_period)
		v->timer_period = v->min_period;
}
