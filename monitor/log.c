// SPDX-License-Identifier: GPL-2.0-only
/* The monitor's log: one formatted line at a time through the function the EFI app gave. */
#include <stdarg.h>

#include "lib/fmt.h"
#include "monitor/core.h"

#define MONITOR_LOG_LINE 320

void monitor_vlog(struct monitor *m, const char *fmt, va_list ap)
{
	char line[MONITOR_LOG_LINE];

	if (!m->log)
		return;
	fmt_vsnprintf(line, sizeof(line), fmt, ap);
	m->log(m->log_ctx, line);
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
