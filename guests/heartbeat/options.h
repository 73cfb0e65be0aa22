/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The heartbeat's command line (besides uart=, see guests/lib/setup.h):
 *   units=N     stop after N work units; 0 (the default) runs forever
 *   exit=halt|debug|verdict
 *               at the end: halt (default); write 0x20 (pass) or 0x21 (fail) to QEMU's
 *               isa-debug-exit port 0xf4 (the guest must own that port); or report the
 *               verdict to twinmon with TM_HC_VERDICT. Every choice halts afterwards.
 *   every=K     a progress line every K units
 *   work=N      LCG steps per work unit
 *   region=SIZE RAM filled with a pattern at the start and checksummed after every unit
 *               (4K multiple, 4K..256M; default 1M)
 *   yield=N     under twinmon, TM_HC_YIELD after every N units (0, the default: never)
 *   nullcalls=N under twinmon, before the work: time N TM_HC_NOP round trips (make bench)
 *   gaps=N      under twinmon, before the work: spin on RDTSC until N gaps (the other
 *               guest's slots, longer than half a slice) seen; print median gap and run
 *   seconds=S   under twinmon, also stop once S seconds of TSC time have passed since the
 *               work began (0, the default: no time limit); whichever of units= and
 *               seconds= comes first ends the run. A test's length then does not depend on
 *               how fast the machine is, nor on how much of the CPU a neighbour leaves.
 * Pure C: the host tests parse with the very same code.
 */
#ifndef TWINMON_GUESTS_HEARTBEAT_OPTIONS_H
#define TWINMON_GUESTS_HEARTBEAT_OPTIONS_H

#include <stddef.h>
#include <stdint.h>

enum hb_exit {
	HB_EXIT_HALT,
	HB_EXIT_DEBUG,
	HB_EXIT_VERDICT,
};

/*
 * Defaults sized for QEMU TCG (measured on a 2.1 GHz EPYC host): 200000 LCG steps take about
 * 0.75 ms and checking a 1 MiB region 0.25 ms, so a unit is about a millisecond and a
 * progress line comes four to five times a second alone, about twice sharing the CPU.
 */
#define HB_DEFAULT_WORK		200000
#define HB_DEFAULT_EVERY	200
#define HB_DEFAULT_REGION	(1u << 20)
#define HB_WORK_MAX		1000000000ull
#define HB_REGION_MAX		(256ull << 20)
#define HB_SAMPLES_MAX		4096	/* nullcalls=, gaps=: samples kept for the median */
#define HB_SECONDS_MAX		86400

struct hb_options {
	uint64_t units;
	enum hb_exit exit;
	uint64_t every;
	uint64_t work;
	uint64_t region;
	uint64_t yield;
	uint64_t nullcalls;
	uint64_t gaps;
	uint64_t seconds;
};

/*
 * Fill *o from cl, defaults for what is absent. 0, or -EINVAL with a message in err (and *o
 * holding what was parsed, so exit= still applies). Unknown keys are not errors (the
 * command line may carry options for someone else): see hb_options_unknown().
 */
int hb_options_parse(const char *cl, struct hb_options *o, char *err, size_t errlen);

/* The first word of cl that is no heartbeat option, as "key" text into buf; 0 if none. */
int hb_options_unknown(const char *cl, char *buf, size_t size);

const char *hb_exit_name(enum hb_exit e);

#endif
