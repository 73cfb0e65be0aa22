// SPDX-License-Identifier: GPL-2.0-only
/*
 * How the probe reports (see attacks.h): every attack announced before it happens, its
 * outcome after, both on the UART and in the monitor's log, and counted for the verdict.
 */
#include <stdarg.h>

#include "guests/lib/out.h"
#include "guests/lib/trap.h"
#include "guests/lib/try.h"
#include "guests/probe/attacks.h"
#include "lib/fmt.h"

void probe_announce(struct probe_run *r, const char *fmt, ...)
{
	char text[OUT_LINE_MAX];
	va_list ap;

	va_start(ap, fmt);
	fmt_vsnprintf(text, sizeof(text), fmt, ap);
	va_end(ap);
	out_log("attack %u: %s", ++r->number, text);
}

void probe_outcome(struct probe_run *r, enum probe_result res, const char *fmt, ...)
{
	static const char *const words[] = { "contained", "NOT CONTAINED", "survived",
					     "skipped" };
	char text[OUT_LINE_MAX];
	va_list ap;

	va_start(ap, fmt);
	fmt_vsnprintf(text, sizeof(text), fmt, ap);
	va_end(ap);
	out_log("attack %u: %s: %s", r->number, words[res], text);
	switch (res) {
	case PROBE_CONTAINED: r->contained++; break;
	case PROBE_NOT_CONTAINED: r->not_contained++; break;
	case PROBE_SURVIVED: r->survived++; break;
	case PROBE_SKIPPED: r->skipped++; break;
	}
}

const char *probe_fault_text(char *buf, size_t size)
{
	const struct try_fault *f = &guest_try_fault;

	if (f->vector == 14)
		fmt_snprintf(buf, size, "#PF error 0x%llx, cr2 0x%llx",
			     (unsigned long long)f->error, (unsigned long long)f->cr2);
	else
		fmt_snprintf(buf, size, "%s (vector %llu) error 0x%llx", trap_name(f->vector),
			     (unsigned long long)f->vector, (unsigned long long)f->error);
	return buf;
}
