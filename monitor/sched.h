/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The time-slice scheduler: fixed slots in rotation, guest a, guest b, guest a, ... Pure C on
 * an abstract clock (the monitor feeds it TSC cycles), so the host tests drive it directly.
 *
 * Rules:
 *  - A guest owns the CPU for its slot, [start, start + slice). When the slot is over, the
 *    next guest in rotation that has not stopped gets a slot; that wakes it if it was halted.
 *    With one guest left it gets slot after slot.
 *  - HLT (sched_halt) gives up the rest of the slot: a guest that is neither halted nor
 *    stopped gets a fresh slot at once. If there is none the CPU idles until the halted
 *    slot would have ended, then rotation goes on (and wakes the next guest). So two halted
 *    guests cost one wake-up per slot, never a ping-pong.
 *  - YIELD (sched_yield_slot) ends the slot too, but only in favour of a guest that is neither
 *    halted nor stopped; otherwise the yielding guest goes on with its slot.
 *  - PREEMPT (sched_preempt) ends the slot like YIELD, for another guest's interrupt (the
 *    switch-on-interrupt policy), but the rest of the slot is not given away: it is added to
 *    the preempted guest's next slot (at most one slice), so preemption moves time, it does
 *    not take it. Only a guest within its share may preempt (sched_may_preempt, the account
 *    of monitor/share.h that sched_charge keeps): one that interrupts again and again waits
 *    for its turn like any other once it has used its share.
 *  - A slot owner that was running when its slot ended but whose exit came back late (the
 *    monitor's work for it, a restart) owes the overrun: it comes off its next slots, which
 *    keep at least 1/SCHED_MIN_SLOT_DIV of a slice; at most SCHED_MAX_DEBT_SLICES slices are
 *    remembered.
 *  - sched_wake ends a halt early (an event for the guest); it takes effect at the next
 *    sched_next: the slot owner resumes its slot, another guest takes over an idle slot.
 *  - A stopped guest is skipped for good; its slot ends at once. When every guest has
 *    stopped, sched_next says SCHED_DONE.
 *  - GANG (sched_gang): the CPUs a set of SMP guests time-share must switch together, so that
 *    a guest's vCPUs run at the same time (a spinlock holder or the target of a TLB shootdown
 *    is never switched out while a sibling waits for it). Each of those CPUs' schedulers then
 *    takes the slots from the clock alone: from the common epoch, cycles of the guests'
 *    slices in order (a, then b), so every CPU reaches the same owner at the same time
 *    without talking to the others. A stopped guest's part of the cycle goes to the others.
 *    HLT and YIELD hand the rest of the slot over as above, up to the same boundary; PREEMPT
 *    does nothing (an interrupt waits for its owner's slot: one CPU may not switch alone),
 *    and there is no credit or debt (the boundaries are absolute).
 */
#ifndef TWINMON_MONITOR_SCHED_H
#define TWINMON_MONITOR_SCHED_H

#include <stdbool.h>
#include <stdint.h>

#include "monitor/hist.h"
#include "monitor/share.h"

#define SCHED_MAX SHARE_MAX
#define SCHED_MIN_SLOT_DIV	8
#define SCHED_MAX_DEBT_SLICES	8
#define SCHED_NONE (-1)		/* no slot yet */
#define SCHED_IDLE_OWNER (-2)	/* last_run: the CPU idled */

struct sched_entity {
	bool present;
	bool stopped;
	bool halted;
	uint64_t slice;		/* clock units per slot, > 0 */
	uint64_t switches_in;	/* RUN decisions for it after someone else (or idle) ran */
	uint64_t slots;		/* slots started for it, renewals included */
	uint64_t credit;	/* slot time lost to preemption, added to its next slot */
	uint64_t debt;		/* time it kept past its slots, taken off the next ones */
	uint64_t overrun;	/* all the time it kept past its slots (statistics) */
	/* The slots it received (statistics): each from its start to the next decision that
	 * gave the CPU to another slot or to idling (its HLT, yield, preemption, its end). */
	struct hist slot_len;
	uint64_t slot_begin;
	bool slot_open;
};

struct sched {
	struct sched_entity e[SCHED_MAX];
	int current;		/* the slot owner, or SCHED_NONE */
	int last_run;		/* whom the previous decision ran, or SCHED_IDLE_OWNER */
	bool yielded;		/* the slot owner asked to yield */
	uint64_t slot_end;
	struct share share;	/* who used how much of the CPU */
	bool gang;		/* slots from the clock: sched_gang */
	uint64_t epoch;
	bool gang_in_slot;	/* gang_slot is the clock slot this CPU is in */
	uint64_t gang_slot;
};

enum sched_kind {
	SCHED_RUN,		/* run guest until `until` (or until it exits) */
	SCHED_IDLE,		/* nobody can run: wait until `until` or an interrupt */
	SCHED_DONE,		/* every guest has stopped */
};

struct sched_decision {
	enum sched_kind kind;
	unsigned guest;		/* SCHED_RUN */
	uint64_t until;		/* SCHED_RUN, SCHED_IDLE: the slot's end */
	bool new_slot;		/* SCHED_RUN: the slot started with this decision */
	/* Gang, SCHED_RUN: the decision took this CPU into another slot of the clock (not a
	 * handover within one), while every guest it runs is alive (the numbering is the same
	 * on every CPU of the set then): slot is its number from the epoch, slot_start its
	 * start. What monitor/gang_meter.h compares across CPUs. */
	bool crossed;
	uint64_t slot, slot_start;
};

void sched_init(struct sched *s);
/* Add guest id with a slot of slice clock units. -EINVAL on a bad id, a repeat or slice 0. */
int sched_add(struct sched *s, unsigned id, uint64_t slice);
/* What to do at time now. */
struct sched_decision sched_next(struct sched *s, uint64_t now);

/* Gang mode from now on (after every sched_add): slots begin at epoch + k * cycle. */
void sched_gang(struct sched *s, uint64_t epoch);
/* In gang mode: whose slot it is at now among the guests alive, and when that slot ends. */
int sched_gang_owner(const struct sched *s, uint64_t now, uint64_t *end);
/*
 * The same, with the slot's number (cycles since the epoch times the guests alive, plus the
 * owner's place among them) and its start.
 */
int sched_gang_slot(const struct sched *s, uint64_t now, uint64_t *end, uint64_t *slot,
		    uint64_t *start);
/*
 * In gang mode: whether running guest id at now keeps to the clock: it owns the slot, or the
 * owner cannot run (halted: id borrows the rest). What the monitor checks at each switch.
 */
bool sched_gang_in_slot(const struct sched *s, unsigned id, uint64_t now);

void sched_halt(struct sched *s, unsigned id);
void sched_yield_slot(struct sched *s, unsigned id);
void sched_preempt(struct sched *s, unsigned id, uint64_t now);
void sched_wake(struct sched *s, unsigned id);
void sched_stop(struct sched *s, unsigned id);

/*
 * The time up to now went to guest ran (SCHED_NONE: the CPU idled); it pays for it if another
 * guest that has not stopped was not halted either (it wanted the CPU).
 */
void sched_charge(struct sched *s, uint64_t now, int ran);
/* Whether guest id is within its share, so its interrupts may preempt the slot owner. */
bool sched_may_preempt(const struct sched *s, unsigned id);
/* When it may, if it does not run meanwhile (now if it may now; UINT64_MAX never). */
uint64_t sched_preempt_at(const struct sched *s, unsigned id, uint64_t now);

bool sched_runnable(const struct sched *s, unsigned id);	/* present, not stopped or halted */
bool sched_alive(const struct sched *s, unsigned id);		/* present and not stopped */

#endif
