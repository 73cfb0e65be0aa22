// SPDX-License-Identifier: GPL-2.0-only
/* The monitor's log: one formatted line at a time through the function the EFI app gave. */
#include <stdarg.h>
#include <string.h>

#include "lib/fmt.h"
#include "monitor/core.h"

#define MONITOR_LOG_LINE 320
/* Attempts at the lock before a line goes out without it (about a second of pauses). */
#define MONITOR_LOG_SPINS 50000000u

/*
 * Several CPUs log; the lock keeps their lines whole. A CPU that faults while it holds the
 * lock (its fatal report logs too) must not wait on itself forever: after a long bounded
 * wait the line goes out unlocked, which at worst interleaves it with another.
 */
static bool monitor_log_lock(struct monitor *m)
{
	for (uint32_t i = 0; i < MONITOR_LOG_SPINS; i++) {
		if (spinlock_trylock(&m->log_lock))
			return true;
		spinlock_relax();
	}
	return false;
}

void monitor_vlog(struct monitor *m, const char *fmt, va_list ap)
{
	char line[MONITOR_LOG_LINE];
	bool locked;

	if (!m->log)
		return;
	fmt_vsnprintf(line, sizeof(line), fmt, ap);
	locked = monitor_log_lock(m);
	m->log(m->log_ctx, line);
	if (locked)
		spinlock_unlock(&m->log_lock);
}

void monitor_log(struct monitor *m, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	monitor_vlog(m, fmt, ap);
	va_end(ap);
}

void monitor_guest_log(struct monitor *m, struct guest *g, const char *fmt, ...)
{
	char text[MONITOR_LOG_LINE];
	va_list ap;

	va_start(ap, fmt);
	fmt_vsnprintf(text, sizeof(text), fmt, ap);
	va_end(ap);
	monitor_log(m, "guest %c: %s", g->letter, text);
}

/* Report what the guest's event budget dropped since the last report. */
static void monitor_event_dropped(struct monitor *m, struct guest *g)
{
	uint64_t lines = g->event_budget.dropped_lines;

	log_budget_take_dropped(&g->event_budget);
	if (lines)
		monitor_log(m, "monitor: guest %c: log over budget: %llu lines dropped", g->letter,
			    (unsigned long long)lines);
}

void monitor_guest_event(struct monitor *m, struct guest *g, const char *fmt, ...)
{
	char line[MONITOR_LOG_LINE];
	uint64_t now = m->plat ? m->plat->now(m->plat->ctx) : 0;
	va_list ap;

	va_start(ap, fmt);
	fmt_vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	if (!log_budget_take(&g->event_budget, strlen(line), now, m->tsc_khz))
		return;
	monitor_event_dropped(m, g);
	monitor_log(m, "%s", line);
}

void monitor_guest_events_flush(struct monitor *m, struct guest *g)
{
	monitor_event_dropped(m, g);
}
