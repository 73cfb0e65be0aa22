/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * CPU shares: how much of the CPU each guest has used against what it is owed. The scheduler
 * (monitor/sched.h) gives slots in rotation; this account decides whether a guest's interrupt
 * may cut another guest's slot short (irq-policy = switch), so that preemption can move time
 * but never take a guest's configured share away. Pure C on an abstract clock (TSC cycles).
 *
 * Each guest has a weight (its slice); its share is weight / total, total being the sum of the
 * weights. Its balance, in clock units, earns its share of all the time that passes and pays
 * for the time it used while another guest wanted the CPU (time nobody else wanted is free).
 * The balance is kept within [-total, weight]: a guest that was idle can bank at most one
 * slice of preemption, and one that used more than its share is back in credit after at most
 * total * total / weight of time (two windows of both slices with equal slices), so the account
 * forgets what lies further back. (A floor of -weight would forget sooner, but then a guest
 * with a small share could overrun it by a whole slot on every preemption.) A guest may
 * preempt only while its balance is positive: then it has used less than its share recently.
 */
#ifndef TWINMON_MONITOR_SHARE_H
#define TWINMON_MONITOR_SHARE_H

#include <stdbool.h>
#include <stdint.h>

#define SHARE_MAX 2

struct share {
	uint64_t weight[SHARE_MAX];	/* 0: no such guest */
	uint64_t total;			/* sum of the weights */
	int64_t balance[SHARE_MAX];
	uint64_t last;			/* the clock at the last update */
	bool started;			/* last is valid */
};

void share_init(struct share *s);
/* Add guest id with weight w > 0; it starts with a full balance (w). -EINVAL if invalid. */
int share_add(struct share *s, unsigned id, uint64_t w);
/*
 * The clock is now `now`: every guest earns its share of the time since the last update; ran
 * (a guest id, or -1 when the CPU idled) used that time, and pays for it if `contended`
 * (another guest wanted the CPU meanwhile). The first call only starts the clock.
 */
void share_update(struct share *s, uint64_t now, int ran, bool contended);
/* Whether guest id is within its share (balance > 0): its interrupts may preempt. */
bool share_may_preempt(const struct share *s, unsigned id);
/* When guest id may preempt again if it does not run meanwhile: now if it may now. */
uint64_t share_preempt_at(const struct share *s, unsigned id, uint64_t now);

#endif
