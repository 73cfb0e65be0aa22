/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * A budget for log output a guest causes: every line goes out synchronously to the log port
 * (a UART at 115200 baud takes about 87 us a byte), so text a guest can produce at will must
 * not be able to hold the CPU. A token bucket in bytes: it refills at LOG_BUDGET_RATE bytes a
 * second up to LOG_BUDGET_BURST; a line that does not fit is dropped and counted, and the
 * count is reported (log_budget_take_dropped()) once output fits again or the guest stops.
 * Pure C on the TSC clock.
 */
#ifndef TWINMON_MONITOR_LOG_BUDGET_H
#define TWINMON_MONITOR_LOG_BUDGET_H

#include <stdbool.h>
#include <stdint.h>

#define LOG_BUDGET_RATE		2048	/* bytes per second */
#define LOG_BUDGET_BURST	8192	/* bytes */
/* What one line costs besides its text: the "guest a: " prefix and the line end. */
#define LOG_BUDGET_LINE_COST	10

struct log_budget {
	uint64_t tokens;	/* bytes that may go out now */
	uint64_t last;		/* TSC of the last refill */
	bool started;
	uint64_t dropped;	/* bytes dropped and not yet reported */
	uint64_t dropped_lines;	/* lines dropped and not yet reported */
	uint64_t dropped_total;	/* bytes, all told */
};

/* A full bucket. */
void log_budget_init(struct log_budget *b);
/*
 * May a line of len text bytes go out at TSC now (tsc_khz: the TSC's frequency)? If so its
 * cost is taken from the bucket; if not, len is added to the dropped count.
 */
bool log_budget_take(struct log_budget *b, uint64_t len, uint64_t now, uint64_t tsc_khz);
/* Drop len bytes without asking (over a per-exit limit): counted like a refusal. */
void log_budget_drop(struct log_budget *b, uint64_t len);
/* The bytes dropped since the last call, and forget them and the lines (dropped_lines: read it
 * first; 0 lines: nothing to report). */
uint64_t log_budget_take_dropped(struct log_budget *b);

#endif
