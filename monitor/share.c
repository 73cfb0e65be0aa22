// SPDX-License-Identifier: GPL-2.0-only
#include "monitor/share.h"

#include <errno.h>
#include <string.h>

#include "irq/timer.h"

void share_init(struct share *s)
{
	memset(s, 0, sizeof(*s));
}

int share_add(struct share *s, unsigned id, uint64_t w)
{
	if (id >= SHARE_MAX || s->weight[id] || !w || w > (uint64_t)INT64_MAX / 4 ||
	    s->total > (uint64_t)INT64_MAX / 4)
		return -EINVAL;
	s->weight[id] = w;
	s->total += w;
	s->balance[id] = (int64_t)w;
	return 0;
}

void share_update(struct share *s, uint64_t now, int ran, bool contended)
{
	uint64_t dt;

	if (!s->started || now < s->last) {
		s->started = true;
		s->last = now;
		return;
	}
	dt = now - s->last;
	s->last = now;
	for (unsigned id = 0; id < SHARE_MAX; id++) {
		/* Unsigned room to each bound: no intermediate value can overflow. */
		uint64_t earned, up, down;

		if (!s->weight[id])
			continue;
		earned = timer_muldiv(dt, s->weight[id], s->total);
		up = (uint64_t)((int64_t)s->weight[id] - s->balance[id]);
		down = (uint64_t)(s->balance[id] + (int64_t)s->total);
		if ((int)id == ran && contended) {
			/* earned <= dt: a share is at most the whole CPU. */
			uint64_t lost = dt - earned;

			s->balance[id] = lost >= down ? -(int64_t)s->total
						      : s->balance[id] - (int64_t)lost;
		} else {
			s->balance[id] = earned >= up ? (int64_t)s->weight[id]
						      : s->balance[id] + (int64_t)earned;
		}
	}
}

bool share_may_preempt(const struct share *s, unsigned id)
{
	return id < SHARE_MAX && s->weight[id] && s->balance[id] > 0;
}

uint64_t share_preempt_at(const struct share *s, unsigned id, uint64_t now)
{
	uint64_t owed, wait;

	if (id >= SHARE_MAX || !s->weight[id])
		return UINT64_MAX;
	if (s->balance[id] > 0)
		return now;
	/* Earning weight/total per clock unit, it needs (owed + 1) * total / weight, rounded up. */
	owed = (uint64_t)(-s->balance[id]) + 1;
	wait = timer_muldiv(owed, s->total, s->weight[id]) + 1;
	return now > UINT64_MAX - wait ? UINT64_MAX : now + wait;
}
