// SPDX-License-Identifier: GPL-2.0-only
/*
 * heartbeat: the well-behaved test guest. It does measurable work units and, after every
 * one, checks that nothing it owns changed behind its back: its descriptor-table and
 * control registers, EFER, a RAM region it filled at the start, and the result of the work
 * itself (a register lost across a world switch shows there). Progress goes to its UART;
 * under twinmon it also reports through hypercalls. It runs the same on bare QEMU.
 *
 * Verdict codes: 0 pass, 1 CPU state changed, 2 region changed, 3 work result wrong,
 * 4 bad command line, 5 no room for the region (exceptions: 0x100 + vector, setup: 0x200).
 */
#include <stdbool.h>

#include "guests/abi/twinmon_abi.h"
#include "guests/heartbeat/options.h"
#include "guests/lib/cpu.h"
#include "guests/lib/cpustate.h"
#include "guests/lib/hypercall.h"
#include "guests/lib/out.h"
#include "guests/lib/setup.h"
#include "guests/lib/work.h"
#include "lib/fmt.h"

#define HB_PASS			0
#define HB_FAIL_CPU		1
#define HB_FAIL_REGION		2
#define HB_FAIL_WORK		3
#define HB_FAIL_CMDLINE		4
#define HB_FAIL_NO_ROOM		5

#define HB_DEBUG_EXIT_PORT	0xf4
#define HB_DEBUG_EXIT_PASS	0x20
#define HB_DEBUG_EXIT_FAIL	0x21
#define HB_REGION_MIN_ADDR	(1ull << 20)	/* keep out of the BIOS-era low megabyte */

struct heartbeat {
	struct guest_env *env;
	struct hb_options opt;
	uint64_t units_done;
	uint64_t tsc_khz;		/* from the monitor; 0 without one */
	uint64_t deadline;		/* TSC at which seconds= ends the run; 0: none */
	uint64_t work_start;		/* TSC when the first unit began */
	uint64_t *region;
	size_t region_words;
	uint64_t region_sum;
	struct cpu_state cpu;
	uint64_t lcg;
};

static struct heartbeat hb;
static uint32_t work_buf[WORK_BUF_WORDS];
static struct tm_guest_stats hb_stats;
static uint64_t hb_samples[HB_SAMPLES_MAX];	/* nullcalls=, gaps= (make bench) */
static uint64_t hb_runs[HB_SAMPLES_MAX];

static const char *const exit_reason_names[TM_EXIT_REASONS] = {
	[TM_EXIT_IO] = "io",		[TM_EXIT_MSR] = "msr",
	[TM_EXIT_CPUID] = "cpuid",	[TM_EXIT_NPF] = "npf",
	[TM_EXIT_VMMCALL] = "vmmcall",	[TM_EXIT_HLT] = "hlt",
	[TM_EXIT_INTR] = "intr",	[TM_EXIT_NMI] = "nmi",
	[TM_EXIT_SVM_INSN] = "svm",	[TM_EXIT_SHUTDOWN] = "shutdown",
	[TM_EXIT_EXCEPTION] = "exception", [TM_EXIT_OTHER] = "other",
	[TM_EXIT_UNKNOWN] = "unknown",	[TM_EXIT_VINTR] = "vintr",
	[TM_EXIT_CR] = "cr",		[TM_EXIT_PAUSE] = "pause",
};

void guest_program_prefix(char *buf, size_t size, const char *letter)
{
	fmt_snprintf(buf, size, "heartbeat %s: ", letter);
}

static uint64_t hb_cycles_to_us(uint64_t cycles)
{
	/* cycles * 1000 / kHz, without overflowing for runs of up to days at 10 GHz. */
	return cycles / hb.tsc_khz * 1000 + cycles % hb.tsc_khz * 1000 / hb.tsc_khz;
}

static void hb_print_stats(void)
{
	char line[OUT_LINE_MAX];
	size_t len = 0;
	int64_t rc;

	rc = tm_hc_stats(&hb_stats, sizeof(hb_stats));
	if (rc < 0) {
		out_log("stats: TM_HC_STATS failed (%lld)", (long long)rc);
		return;
	}
	if ((uint64_t)rc < sizeof(hb_stats) || hb_stats.version < TM_STATS_VERSION) {
		out_log("stats: short answer (%lld bytes, version %llu)", (long long)rc,
			(unsigned long long)hb_stats.version);
		return;
	}
	out_log("stats: switches_in=%llu exits=%llu slice=%lluus",
		(unsigned long long)hb_stats.switches_in, (unsigned long long)hb_stats.exits_total,
		(unsigned long long)hb_stats.slice_us);
	if (hb.tsc_khz)
		out_log("stats: in guest %lluus, in monitor %lluus",
			(unsigned long long)hb_cycles_to_us(hb_stats.cycles_in_guest),
			(unsigned long long)hb_cycles_to_us(hb_stats.cycles_in_monitor));
	for (int i = 0; i < TM_EXIT_REASONS && len < sizeof(line); i++)
		if (hb_stats.exits_by_reason[i])
			len += (size_t)fmt_snprintf(line + len, sizeof(line) - len, " %s=%llu",
						    exit_reason_names[i],
						    (unsigned long long)hb_stats.exits_by_reason[i]);
	out_log("stats: exits by reason:%s", len ? line : " none");
}

/*
 * The whole run's pace, for comparing a run alone with one beside a neighbour (rate alone
 * over rate beside it): the same figure the unit lines give over any window, here over the
 * whole run in one line. Milli-units per second keep three decimals without floating point.
 */
static void hb_print_rate(uint64_t cycles)
{
	uint64_t us = hb_cycles_to_us(cycles);
	uint64_t mps = us ? hb.units_done * 1000000000ull / us : 0;

	out_log("rate: %llu units in %llu us, %llu.%03llu units/s",
		(unsigned long long)hb.units_done, (unsigned long long)us, (unsigned long long)(mps / 1000),
		(unsigned long long)(mps % 1000));
}

/* The end, pass or fail: summary, stats, then what exit= asked for. */
static __attribute__((noreturn)) void hb_finish(uint64_t code, const char *why)
{
	out_log("done: %llu units, %s%s%s", (unsigned long long)hb.units_done,
		code == HB_PASS ? "pass" : "FAIL", why[0] ? ": " : "", why);
	if (hb.tsc_khz && hb.work_start)
		hb_print_rate(rdtsc() - hb.work_start);
	if (out_monitor())
		hb_print_stats();
	switch (hb.opt.exit) {
	case HB_EXIT_DEBUG:
		out_line("exit: isa-debug-exit 0x%x", code == HB_PASS ? HB_DEBUG_EXIT_PASS :
			 HB_DEBUG_EXIT_FAIL);
		outb(HB_DEBUG_EXIT_PORT, code == HB_PASS ? HB_DEBUG_EXIT_PASS : HB_DEBUG_EXIT_FAIL);
		out_line("exit: still running after isa-debug-exit (no such device here)");
		break;
	case HB_EXIT_VERDICT:
		if (!out_monitor())
			out_line("exit: no twinmon to report the verdict to; it is only shown here");
		out_verdict(code, "heartbeat: %llu units%s%s", (unsigned long long)hb.units_done,
			    why[0] ? ", " : "", why);
		break;
	case HB_EXIT_HALT:
		break;
	}
	out_line("halted");
	cpu_halt_forever();
}

/* Fill the region: the highest free RAM above 1 MiB that holds none of our own data. */
static void hb_region_setup(void)
{
	struct guest_env *env = hb.env;
	const struct ram_range avoid[] = {
		{ env->image_base, env->image_end },
		/* The zero page and the command line were copied, but leaving them intact
		 * keeps them readable for whoever debugs this guest. */
		{ env->boot.bp_pa, env->boot.bp_pa + 4096 },
		{ env->boot.cmdline_pa, env->boot.cmdline_pa + BOOTINFO_CMDLINE_MAX },
	};
	uint64_t base;

	if (ram_pick(env->ram, env->nram, hb.opt.region, HB_REGION_MIN_ADDR, avoid,
		     sizeof(avoid) / sizeof(avoid[0]), &base)) {
		out_log("no %llu KiB of free RAM above 1 MiB for the checked region",
			(unsigned long long)hb.opt.region >> 10);
		hb_finish(HB_FAIL_NO_ROOM, "no room for the region");
	}
	hb.region = (uint64_t *)(uintptr_t)base;
	hb.region_words = hb.opt.region / sizeof(uint64_t);
	work_pattern_fill(hb.region, hb.region_words, base ^ (uint64_t)env->letter[0]);
	hb.region_sum = work_checksum(hb.region, hb.region_words);
}

static void hb_check(uint64_t lcg_before)
{
	struct cpu_state_change ch[9];
	struct cpu_state now;
	uint64_t want, sum;
	size_t n;

	want = work_expect(lcg_before, hb.opt.work);
	if (hb.lcg != want) {
		out_log("STATE CHANGED work result was 0x%llx now 0x%llx", (unsigned long long)want,
			(unsigned long long)hb.lcg);
		hb_finish(HB_FAIL_WORK, "work result wrong");
	}
	cpu_state_read(&now);
	n = cpu_state_diff(&hb.cpu, &now, ch, sizeof(ch) / sizeof(ch[0]));
	for (size_t i = 0; i < n && i < sizeof(ch) / sizeof(ch[0]); i++)
		out_log("STATE CHANGED %s was 0x%llx now 0x%llx", ch[i].what,
			(unsigned long long)ch[i].was, (unsigned long long)ch[i].now);
	if (n)
		hb_finish(HB_FAIL_CPU, "CPU state changed");
	sum = work_checksum(hb.region, hb.region_words);
	if (sum != hb.region_sum) {
		out_log("STATE CHANGED region checksum was 0x%llx now 0x%llx",
			(unsigned long long)hb.region_sum, (unsigned long long)sum);
		hb_finish(HB_FAIL_REGION, "region changed");
	}
}

/* Median of n samples, sorted in place (insertion sort: n <= HB_SAMPLES_MAX, runs once). */
static uint64_t hb_median(uint64_t *v, size_t n)
{
	for (size_t i = 1; i < n; i++) {
		uint64_t x = v[i];
		size_t j = i;

		for (; j && v[j - 1] > x; j--)
			v[j] = v[j - 1];
		v[j] = x;
	}
	return n ? v[n / 2] : 0;
}

/*
 * For `make bench` (docs/measuring.md). Medians, not means: a slot end or a host hiccup
 * landing inside one sample must not move the result.
 *   nullcalls=N: cycles of one TM_HC_NOP round trip (guest -> monitor -> same guest);
 *   gaps=N: spin on RDTSC; a step longer than half a slice is a slot of the other guest
 *   (with both world switches around it), the time between two gaps one slot of ours.
 *   Comparing the two guests' lines gives the switch cost without trusting the timer.
 */
static void hb_measure(void)
{
	uint64_t nullcall = 0, threshold, t, prev, resumed = 0, limit;
	size_t n = 0;

	for (uint64_t i = 0; i < hb.opt.nullcalls; i++) {
		t = rdtsc();
		tm_hc_nop();
		hb_samples[i] = rdtsc() - t;
	}
	if (hb.opt.nullcalls) {
		nullcall = hb_median(hb_samples, hb.opt.nullcalls);
		out_log("nullcall %llu cycles (median of %llu, min %llu)",
			(unsigned long long)nullcall, (unsigned long long)hb.opt.nullcalls,
			(unsigned long long)hb_samples[0]);
	}
	if (!hb.opt.gaps)
		return;
	/* Half a slice: shorter stalls (the host, TCG itself) are not the other guest's turn. */
	if (!hb.tsc_khz || tm_hc_stats(&hb_stats, sizeof(hb_stats)) < (int64_t)sizeof(hb_stats)) {
		out_log("gap: no TSC frequency or slice from the monitor");
		return;
	}
	threshold = hb_stats.slice_us * hb.tsc_khz / 2000;
	limit = hb.tsc_khz * 30000;	/* 30 s: never spin for ever when no one else runs */
	for (uint64_t start = prev = rdtsc(); n < hb.opt.gaps && prev - start < limit; prev = t) {
		t = rdtsc();
		if (t - prev <= threshold)
			continue;
		/* The run before the first gap started with our measurement: not a whole slot. */
		if (n)
			hb_runs[n - 1] = prev - resumed;
		hb_samples[n++] = t - prev;
		resumed = t;
	}
	out_log("gap %llu cycles, run %llu cycles (medians of %llu gaps, %llu runs)",
		(unsigned long long)hb_median(hb_samples, n),
		(unsigned long long)(n > 1 ? hb_median(hb_runs, n - 1) : 0), (unsigned long long)n,
		(unsigned long long)(n ? n - 1 : 0));
}

void guest_program_main(struct guest_env *env)
{
	char err[OUT_LINE_MAX], limit[32] = "";

	hb.env = env;
	if (hb_options_parse(env->boot.cmdline, &hb.opt, err, sizeof(err))) {
		out_log("bad command line: %s", err);
		hb_finish(HB_FAIL_CMDLINE, "bad command line");
	}
	if (hb_options_unknown(env->boot.cmdline, err, sizeof(err)))
		out_log("warning: unknown option '%s' ignored", err);
	if (out_monitor()) {
		int64_t khz = tm_hc_tsc_khz();

		hb.tsc_khz = khz > 0 ? (uint64_t)khz : 0;
		out_line("monitor: TSC %llu kHz", (unsigned long long)hb.tsc_khz);
	}
	if (out_monitor())
		hb_measure();
	hb_region_setup();
	cpu_state_read(&hb.cpu);
	if (hb.opt.seconds)
		fmt_snprintf(limit, sizeof(limit), " seconds=%llu",
			     (unsigned long long)hb.opt.seconds);
	out_log("running: units=%llu%s%s work=%llu every=%llu yield=%llu exit=%s, region "
		"0x%llx-0x%llx checksum 0x%llx", (unsigned long long)hb.opt.units,
		hb.opt.units || hb.opt.seconds ? "" : " (forever)", limit,
		(unsigned long long)hb.opt.work,
		(unsigned long long)hb.opt.every, (unsigned long long)hb.opt.yield,
		hb_exit_name(hb.opt.exit), (unsigned long long)(uintptr_t)hb.region,
		(unsigned long long)((uintptr_t)hb.region + hb.opt.region - 1),
		(unsigned long long)hb.region_sum);

	if (hb.opt.seconds && !hb.tsc_khz)
		out_log("warning: seconds=%llu needs the monitor's TSC frequency; ignored",
			(unsigned long long)hb.opt.seconds);
	if (hb.opt.seconds && hb.tsc_khz)
		hb.deadline = rdtsc() + hb.opt.seconds * 1000 * hb.tsc_khz;
	hb.lcg = (uint64_t)env->letter[0];
	hb.work_start = rdtsc();
	while ((!hb.opt.units || hb.units_done < hb.opt.units) &&
	       (!hb.deadline || rdtsc() < hb.deadline)) {
		uint64_t before = hb.lcg;

		hb.lcg = work_unit(before, work_buf, hb.opt.work);
		hb.units_done++;
		hb_check(before);
		if (hb.units_done % hb.opt.every == 0)
			out_line("unit %llu tsc=%llu checks=ok", (unsigned long long)hb.units_done,
				 (unsigned long long)rdtsc());
		if (hb.opt.yield && out_monitor() && hb.units_done % hb.opt.yield == 0)
			tm_hc_yield();
	}
	hb_finish(HB_PASS, "");
}
