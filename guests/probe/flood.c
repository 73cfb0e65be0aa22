// SPDX-License-Identifier: GPL-2.0-only
/*
 * console-flood (see attacks.h): the console hypercall with the most lines one call can
 * carry, 4096 newlines, again and again for a phase. Each call is one exit; what the monitor
 * does with the text while the other guest waits is what the attack measures.
 */
#include <string.h>

#include "guests/lib/cpu.h"
#include "guests/lib/hypercall.h"
#include "guests/probe/attacks.h"
#include "guests/probe/phase.h"

static char flood_text[TM_CONSOLE_MAX];

struct flood {
	uint64_t calls, accepted, failed, longest;
	int64_t last_error;
};

static void flood_step(void *arg)
{
	struct flood *f = arg;
	uint64_t t0 = rdtsc(), t;
	int64_t rc = tm_hc_console_write(flood_text, sizeof(flood_text));

	t = rdtsc() - t0;
	if (t > f->longest)
		f->longest = t;
	f->calls++;
	if (rc < 0) {
		f->failed++;
		f->last_error = rc;
	} else {
		f->accepted += (uint64_t)rc;
	}
}

void probe_console_flood(struct probe_run *r)
{
	struct flood f = { 0 };
	struct probe_phase p;

	probe_announce(r, "console-flood: TM_HC_CONSOLE_WRITE of %u newlines, call after call, "
		       "for %llu ms", (unsigned)sizeof(flood_text),
		       (unsigned long long)r->opt->phase_ms);
	if (!r->tsc_khz) {
		probe_outcome(r, PROBE_SKIPPED, "needs the monitor's TSC frequency");
		return;
	}
	memset(flood_text, '\n', sizeof(flood_text));
	probe_phase(r, "baseline", NULL, NULL, NULL);
	probe_phase(r, "flood", flood_step, &f, &p);
	/* The longest call includes any time the other guest ran before this one resumed. */
	probe_outcome(r, PROBE_SURVIVED, "%llu calls, %llu bytes accepted, %llu failed (last "
		      "%lld), longest call %llu us; the other guest's gaps are the test's to judge",
		      (unsigned long long)f.calls, (unsigned long long)f.accepted,
		      (unsigned long long)f.failed, (long long)f.last_error,
		      (unsigned long long)probe_us(r, f.longest));
}
