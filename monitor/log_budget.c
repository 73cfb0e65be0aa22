// SPDX-License-Identifier: GPL-2.0-only
#include "monitor/log_budget.h"

#include <string.h>

#include "irq/timer.h"

void log_budget_init(struct log_budget *b)
{
	memset(b, 0, sizeof(*b));
	b->tokens = LOG_BUDGET_BURST;
}

static void log_budget_refill(struct log_budget *b, uint64_t now, uint64_t tsc_khz)
{
	uint64_t earned;

	if (!b->started || now < b->last) {
		b->started = true;
		b->last = now;
		return;
	}
	earned = timer_muldiv(now - b->last, LOG_BUDGET_RATE, tsc_khz * 1000);
	if (!earned)
		return;	/* keep the fraction: last moves only when a byte was earned */
	/* The time the bytes earned stand for, so no fraction is lost either. */
	b->last += timer_muldiv(earned, tsc_khz * 1000, LOG_BUDGET_RATE);
	b->tokens = earned >= LOG_BUDGET_BURST - b->tokens ? LOG_BUDGET_BURST
							  : b->tokens + earned;
}

bool log_budget_take(struct log_budget *b, uint64_t len, uint64_t now, uint64_t tsc_khz)
{
	uint64_t cost = len + LOG_BUDGET_LINE_COST;

	log_budget_refill(b, now, tsc_khz);
	if (cost > b->tokens) {
		log_budget_drop(b, len);
		return false;
	}
	b->tokens -= cost;
	return true;
}

void log_budget_drop(struct log_budget *b, uint64_t len)
{
	b->dropped += len;
	b->dropped_lines++;
	b->dropped_total += len;
}

uint64_t log_budget_take_dropped(struct log_budget *b)
{
	uint64_t n = b->dropped;

	b->dropped = 0;
	b->dropped_lines = 0;
	return n;
}
