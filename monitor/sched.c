// SPDX-License-Identifier: GPL-2.0-only
#include "monitor/sched.h"

#include <errno.h>
#include <string.h>

void sched_init(struct sched *s)
{
	memset(s, 0, sizeof(*s));
	s->current = SCHED_NONE;
	s->last_run = SCHED_NONE;
	share_init(&s->share);
}

int sched_add(struct sched *s, unsigned id, uint64_t slice)
{
	if (id >= SCHED_MAX || s->e[id].present || slice == 0 || share_add(&s->share, id, slice))
		return -EINVAL;
	s->e[id] = (struct sched_entity){ .present = true, .slice = slice };
	return 0;
}

bool sched_alive(const struct sched *s, unsigned id)
{
	return id < SCHED_MAX && s->e[id].present && !s->e[id].stopped;
}

bool sched_runnable(const struct sched *s, unsigned id)
{
	return sched_alive(s, id) && !s->e[id].halted;
}

/* The first guest after `from` in rotation (from itself last) that passes the test. */
static int sched_after(const struct sched *s, int from, bool need_runnable)
{
	for (unsigned k = 1; k <= SCHED_MAX; k++) {
		unsigned id = (unsigned)((from < 0 ? SCHED_MAX - 1 : from) + k) % SCHED_MAX;

		if (need_runnable ? sched_runnable(s, id) : sched_alive(s, id))
			return (int)id;
	}
	return SCHED_NONE;
}

void sched_gang(struct sched *s, uint64_t epoch)
{
	s->gang = true;
	s->epoch = epoch;
}

int sched_gang_slot(const struct sched *s, uint64_t now, uint64_t *end, uint64_t *slot,
		    uint64_t *start)
{
	uint64_t cycle = 0, alive = 0, phase, from, n;

	for (unsigned id = 0; id < SCHED_MAX; id++)
		if (sched_alive(s, id)) {
			cycle += s->e[id].slice;
			alive++;
		}
	if (!cycle)
		return SCHED_NONE;
	/* Before the epoch (a CPU that read the clock early) counts as its start. */
	phase = now > s->epoch ? (now - s->epoch) % cycle : 0;
	n = (now > s->epoch ? (now - s->epoch) / cycle : 0) * alive;
	from = now - phase;
	for (unsigned id = 0; id < SCHED_MAX; id++) {
		if (!sched_alive(s, id))
			continue;
		if (phase < s->e[id].slice) {
			*end = from + s->e[id].slice;
			*slot = n;
			*start = from;
			return (int)id;
		}
		phase -= s->e[id].slice;
		from += s->e[id].slice;
		n++;
	}
	return SCHED_NONE;	/* not reached: the phases cover the cycle */
}

int sched_gang_owner(const struct sched *s, uint64_t now, uint64_t *end)
{
	uint64_t slot, start;

	return sched_gang_slot(s, now, end, &slot, &start);
}

bool sched_gang_in_slot(const struct sched *s, unsigned id, uint64_t now)
{
	uint64_t end;
	int owner = sched_gang_owner(s, now, &end);

	return owner == (int)id || (owner >= 0 && !sched_runnable(s, (unsigned)owner));
}

/* Every guest added is alive: the slot numbering is the one every CPU of the set uses. */
static bool sched_all_alive(const struct sched *s)
{
	for (unsigned id = 0; id < SCHED_MAX; id++)
		if (s->e[id].present && s->e[id].stopped)
			return false;
	return true;
}

/* The current owner's slot, if one is open, ends now: its length goes to the statistics. */
static void sched_slot_close(struct sched *s, uint64_t now)
{
	struct sched_entity *e;

	if (s->current < 0)
		return;
	e = &s->e[s->current];
	if (!e->slot_open)
		return;
	hist_add(&e->slot_len, now >= e->slot_begin ? now - e->slot_begin : 0);
	e->slot_open = false;
}

static struct sched_decision sched_run(struct sched *s, unsigned id, bool new_slot,
				       uint64_t now)
{
	struct sched_decision d = { SCHED_RUN, id, 0, new_slot, false, 0, 0 };

	if (new_slot) {
		sched_slot_close(s, now);
		s->e[id].slot_begin = now;
		s->e[id].slot_open = true;
	}
	if (new_slot && s->gang) {
		uint64_t slot;

		/* The boundary is the clock's, whoever runs up to it. */
		s->current = (int)id;
		sched_gang_slot(s, now, &s->slot_end, &slot, &d.slot_start);
		d.crossed = (!s->gang_in_slot || slot != s->gang_slot) && sched_all_alive(s);
		d.slot = slot;
		s->gang_in_slot = true;
		s->gang_slot = slot;
		s->e[id].halted = false;
		s->e[id].slots++;
		s->yielded = false;
	} else if (new_slot) {
		struct sched_entity *e = &s->e[id];
		uint64_t len = e->slice + e->credit;
		uint64_t least = e->slice / SCHED_MIN_SLOT_DIV ? e->slice / SCHED_MIN_SLOT_DIV : 1;
		uint64_t pay = e->debt < len - least ? e->debt : len - least;

		/* Time it kept past its last slot comes off this one (never all of it). */
		e->debt -= pay;
		s->current = (int)id;
		s->slot_end = now + len - pay;
		s->e[id].credit = 0;
		s->e[id].halted = false;
		s->e[id].slots++;
		s->yielded = false;
	}
	if (s->last_run != (int)id)
		s->e[id].switches_in++;
	s->last_run = (int)id;
	d.until = s->slot_end;
	return d;
}

struct sched_decision sched_next(struct sched *s, uint64_t now)
{
	int cur = s->current;
	int next;

	if (sched_after(s, SCHED_NONE, false) == SCHED_NONE)
		return (struct sched_decision){ .kind = SCHED_DONE };

	/* A stopped owner's slot is over. */
	if (cur >= 0 && !sched_alive(s, (unsigned)cur))
		s->slot_end = now;
	/* Gang: the slot's owner, awake again, takes back what another guest borrowed. */
	if (s->gang && cur >= 0 && now < s->slot_end) {
		uint64_t end;
		int owner = sched_gang_owner(s, now, &end);

		if (owner >= 0 && owner != cur && sched_runnable(s, (unsigned)owner))
			return sched_run(s, (unsigned)owner, true, now);
	}

	if (cur >= 0 && now < s->slot_end) {
		if (sched_runnable(s, (unsigned)cur) && !s->yielded)
			return sched_run(s, (unsigned)cur, false, now);
		/* Halted or yielding: hand the rest over to a guest that can use it. */
		next = sched_after(s, cur, true);
		if (next >= 0 && next != cur)
			return sched_run(s, (unsigned)next, true, now);
		if (sched_runnable(s, (unsigned)cur)) {
			s->yielded = false;	/* nobody to yield to: go on */
			return sched_run(s, (unsigned)cur, false, now);
		}
		s->last_run = SCHED_IDLE_OWNER;
		sched_slot_close(s, now);
		return (struct sched_decision){ .kind = SCHED_IDLE, .until = s->slot_end };
	}

	/*
	 * The slot is over (or none began): rotation, waking the next guest. An owner that was
	 * running when its slot ended and came back late (a slow exit, its restart) owes the
	 * overrun to the next guest's share.
	 */
	if (s->gang) {
		uint64_t end;

		next = sched_gang_owner(s, now, &end);
		return sched_run(s, (unsigned)next, true, now);
	}
	if (cur >= 0 && s->last_run == cur && now > s->slot_end && sched_alive(s, (unsigned)cur)) {
		struct sched_entity *e = &s->e[cur];
		uint64_t cap = SCHED_MAX_DEBT_SLICES * e->slice;

		e->debt = now - s->slot_end >= cap - e->debt ? cap : e->debt + (now - s->slot_end);
		e->overrun += now - s->slot_end;
	}
	next = sched_after(s, cur, false);
	return sched_run(s, (unsigned)next, true, now);
}

void sched_halt(struct sched *s, unsigned id)
{
	if (sched_alive(s, id))
		s->e[id].halted = true;
}

void sched_yield_slot(struct sched *s, unsigned id)
{
	if (sched_alive(s, id) && s->current == (int)id)
		s->yielded = true;
}

void sched_preempt(struct sched *s, unsigned id, uint64_t now)
{
	struct sched_entity *e;

	if (!sched_alive(s, id) || s->current != (int)id || s->gang)
		return;
	e = &s->e[id];
	/* What it loses now it gets back with its next slot, at most one slice of it. */
	if (s->slot_end > now)
		e->credit += s->slot_end - now;
	if (e->credit > e->slice)
		e->credit = e->slice;
	s->yielded = true;
}

void sched_wake(struct sched *s, unsigned id)
{
	if (sched_alive(s, id))
		s->e[id].halted = false;
}

void sched_stop(struct sched *s, unsigned id)
{
	if (id < SCHED_MAX && s->e[id].present) {
		s->e[id].stopped = true;
		s->e[id].halted = false;
	}
}

void sched_charge(struct sched *s, uint64_t now, int ran)
{
	bool contended = false;

	for (unsigned id = 0; id < SCHED_MAX; id++)
		if ((int)id != ran && sched_runnable(s, id))
			contended = true;
	share_update(&s->share, now, ran, contended);
}

bool sched_may_preempt(const struct sched *s, unsigned id)
{
	return sched_alive(s, id) && !s->gang && share_may_preempt(&s->share, id);
}

uint64_t sched_preempt_at(const struct sched *s, unsigned id, uint64_t now)
{
	return sched_alive(s, id) && !s->gang ? share_preempt_at(&s->share, id, now) : UINT64_MAX;
}
