// SPDX-License-Identifier: GPL-2.0-only
#include "monitor/gang_meter.h"

#include <string.h>

void gang_meter_init(struct gang_meter *g, uint64_t cpus, uint64_t tsc_khz)
{
	memset(g, 0, sizeof(*g));
	spinlock_init(&g->lock);
	g->cpus = cpus;
	g->tsc_khz = tsc_khz;
}

static uint64_t gang_meter_us(const struct gang_meter *g, uint64_t cycles)
{
	return g->tsc_khz ? cycles * 1000 / g->tsc_khz : 0;
}

static void gang_meter_close(struct gang_meter *g, struct gang_meter_slot *r)
{
	uint64_t spread, us;

	if (!r->open)
		return;
	r->open = false;
	g->slots++;
	if ((r->seen & g->cpus) != g->cpus)
		return;
	g->together++;
	spread = r->last - r->first;
	if (spread > g->spread_max)
		g->spread_max = spread;
	us = gang_meter_us(g, spread);
	g->spread_us[us < GANG_METER_US_MAX ? us : GANG_METER_US_MAX - 1]++;
}

void gang_meter_mark(struct gang_meter *g, unsigned cpu, uint64_t slot, uint64_t tsc)
{
	struct gang_meter_slot *r;

	if (cpu >= 64 || !(g->cpus >> cpu & 1))
		return;
	spinlock_lock(&g->lock);
	r = &g->ring[slot % GANG_METER_RING];
	if (r->open && r->slot > slot) {
		/* Closed long ago, counted without this CPU. */
		spinlock_unlock(&g->lock);
		return;
	}
	if (r->open && r->slot < slot)
		gang_meter_close(g, r);
	if (!r->open) {
		*r = (struct gang_meter_slot){ .open = true, .slot = slot, .first = tsc,
					       .last = tsc };
	}
	r->seen |= 1ULL << cpu;
	if (tsc < r->first)
		r->first = tsc;
	if (tsc > r->last)
		r->last = tsc;
	spinlock_unlock(&g->lock);
}

void gang_meter_switch(struct gang_meter *g, bool in_slot)
{
	__atomic_fetch_add(&g->switches, 1, __ATOMIC_RELAXED);
	if (!in_slot)
		__atomic_fetch_add(&g->off_slot, 1, __ATOMIC_RELAXED);
}

void gang_meter_finish(struct gang_meter *g)
{
	spinlock_lock(&g->lock);
	for (unsigned i = 0; i < GANG_METER_RING; i++)
		gang_meter_close(g, &g->ring[i]);
	spinlock_unlock(&g->lock);
}

uint64_t gang_meter_max_us(const struct gang_meter *g)
{
	return gang_meter_us(g, g->spread_max);
}

uint64_t gang_meter_p99_us(const struct gang_meter *g)
{
	/* The smallest spread that 99 % of the together slots do not exceed. */
	uint64_t want = g->together - g->together / 100, seen = 0;

	for (unsigned us = 0; g->together && us < GANG_METER_US_MAX; us++) {
		seen += g->spread_us[us];
		if (seen >= want)
			return us;
	}
	return 0;
}
