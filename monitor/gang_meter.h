/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * How well the CPUs of a gang-scheduled set switch together (monitor/sched.h, GANG): each CPU
 * marks the clock slot it enters and when (sched_decision.crossed), and the meter pairs the
 * marks of one slot across the set. A slot is "together" when every CPU of the set entered
 * it; its spread is the time between the first and the last CPU's entry. Pure C on the TSC
 * (host tested); the marks come from every CPU of the set, under the meter's lock.
 *
 * The last GANG_METER_RING slots are kept open; a slot is closed (counted) when its place
 * is needed for a later one, or at the end (gang_meter_finish). A CPU that marks a slot
 * already closed (it came more than GANG_METER_RING slots late) adds nothing: the slot was
 * counted without it, not together.
 */
#ifndef TWINMON_MONITOR_GANG_METER_H
#define TWINMON_MONITOR_GANG_METER_H

#include <stdbool.h>
#include <stdint.h>

#include "lib/spinlock.h"

#define GANG_METER_RING		16
#define GANG_METER_US_MAX	1024	/* spreads from here on share the last bucket */

struct gang_meter {
	struct spinlock lock;
	uint64_t cpus;			/* bit c: CPU c is in the set; 0: no set */
	uint64_t tsc_khz;
	struct gang_meter_slot {
		bool open;
		uint64_t slot;
		uint64_t seen;		/* the CPUs that entered it */
		uint64_t first, last;	/* the earliest and latest entry (TSC) */
	} ring[GANG_METER_RING];
	uint64_t slots;			/* closed slots some CPU entered */
	uint64_t together;		/* of them, entered by every CPU of the set */
	uint64_t spread_max;		/* TSC cycles, over the together slots */
	uint32_t spread_us[GANG_METER_US_MAX];	/* together slots by spread, in whole us */
	/* Guest switches on the set's CPUs, and those to a guest that neither owned the clock's
	 * slot nor borrowed it from a halted owner (sched_gang_in_slot): 0 whatever the load. */
	uint64_t switches, off_slot;
};

/* No set yet; tsc_khz for the spreads in microseconds. */
void gang_meter_init(struct gang_meter *g, uint64_t cpus, uint64_t tsc_khz);
/* CPU cpu entered clock slot slot at TSC tsc. */
void gang_meter_mark(struct gang_meter *g, unsigned cpu, uint64_t slot, uint64_t tsc);
/* A guest switch on a CPU of the set; in_slot: sched_gang_in_slot() said so. */
void gang_meter_switch(struct gang_meter *g, bool in_slot);
/* Close every open slot (all CPUs are done). */
void gang_meter_finish(struct gang_meter *g);
/* The largest spread, and the 99th percentile of the spreads (whole us, at most
 * GANG_METER_US_MAX - 1 meaning that or more), of the together slots; 0 when none. */
uint64_t gang_meter_max_us(const struct gang_meter *g);
uint64_t gang_meter_p99_us(const struct gang_meter *g);

#endif
