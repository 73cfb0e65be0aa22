// SPDX-License-Identifier: GPL-2.0-only
/* The monitor's log: one formatted line at a time through the function the EFI app gave. */
#include <stdarg.h>
#include <string.h>

#include "lib/fmt.h"
#include "monitor/core.h"

#define MONITOR_LOG_LINE 320

void monitor_vlog(struct monitor *m, const char *fmt, va_list ap)
{
	char line[MONITOR_LOG_LINE];

	if (!m->log)
		return;
	fmt_vsnprintf(line, sizeof(line), fmt, ap);
	/* Lines from several CPUs: whole, one after the other. */
	spinlock_lock(&m->log_lock);
	m->log(m->log_ctx, line);
	spinlock_unlock(&m->log_lock);
}

void monitor_log_seize(struct monitor *m)
{
	/* Long enough for another CPU to finish a line at any serial speed. */
	for (unsigned long i = 0; i < 100000000UL; i++) {
		if (spinlock_trylock(&m->log_lock)) {
			spinlock_unlock(&m->log_lock);
			return;
		}
		spinlock_relax();
	}
	spinlock_init(&m->log_lock);
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
