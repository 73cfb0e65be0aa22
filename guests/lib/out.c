// SPDX-License-Identifier: GPL-2.0-only
/* Prefixed lines to the UART and the monitor's log (see out.h). */
#include "guests/lib/out.h"

#include <stdarg.h>

#include "guests/lib/hypercall.h"
#include "guests/lib/uart.h"
#include "lib/fmt.h"

static const char *out_prefix = "";
static bool out_use_monitor;

void out_init(const char *prefix, bool monitor)
{
	out_prefix = prefix;
	out_use_monitor = monitor;
}

bool out_monitor(void)
{
	return out_use_monitor;
}

static size_t out_clamp(int n, size_t max)
{
	return n < 0 ? 0 : (size_t)n > max ? max : (size_t)n;
}

/* "<prefix><text>\n" into buf, cut to fit; returns the length. */
static size_t out_format(char *buf, size_t size, const char *fmt, va_list ap)
{
	size_t room = size - 2;	/* the newline and the NUL */
	size_t len = out_clamp(fmt_snprintf(buf, room + 1, "%s", out_prefix), room);

	len += out_clamp(fmt_vsnprintf(buf + len, room + 1 - len, fmt, ap), room - len);
	buf[len++] = '\n';
	buf[len] = '\0';
	return len;
}

void out_line(const char *fmt, ...)
{
	char buf[OUT_LINE_MAX + 2];
	va_list ap;
	size_t len;

	va_start(ap, fmt);
	len = out_format(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	uart_write(buf, len);
}

void out_log(const char *fmt, ...)
{
	char buf[OUT_LINE_MAX + 2];
	va_list ap;
	size_t len;

	va_start(ap, fmt);
	len = out_format(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	uart_write(buf, len);
	if (out_use_monitor)
		tm_hc_console_write(buf, len);
}

void out_verdict(uint64_t code, const char *fmt, ...)
{
	char msg[TM_VERDICT_MAX];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = fmt_vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (n < 0)
		n = 0;
	if ((size_t)n >= sizeof(msg))
		n = sizeof(msg) - 1;
	if (code == TM_VERDICT_PASS)
		out_line("verdict pass: %s", msg);
	else
		out_line("verdict fail(%llu): %s", (unsigned long long)code, msg);
	if (out_use_monitor)
		tm_hc_verdict(code, msg, (uint64_t)n);
}
