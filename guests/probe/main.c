// SPDX-License-Identifier: GPL-2.0-only
/*
 * probe: the hostile test guest. Under twinmon it tries what a partition must not be able
 * to do (see attacks.h), reports how many of its attacks were contained as its verdict,
 * then, as its last act, spins with interrupts off, triple-faults or, with neither in its
 * list, halts with interrupts off (which ends it under the monitor). Without twinmon it
 * refuses (force=1 overrides: the attacks then hit the real machine).
 *
 * Verdict code: the number of attacks NOT CONTAINED (0 is pass); 4 bad command line,
 * 0x300 not under twinmon (exceptions: 0x100 + vector, setup: 0x200).
 */
#include "guests/lib/cpu.h"
#include "guests/lib/hypercall.h"
#include "guests/lib/out.h"
#include "guests/lib/setup.h"
#include "guests/probe/attacks.h"
#include "guests/probe/options.h"
#include "lib/fmt.h"

#define PROBE_FAIL_CMDLINE	4
#define PROBE_FAIL_NO_MONITOR	0x300

static struct probe_options probe_opt;

void guest_program_prefix(char *buf, size_t size, const char *letter)
{
	/* The attack lines read "probe: attack N: ..." on either guest's UART. */
	(void)letter;
	fmt_snprintf(buf, size, "probe: ");
}

static void probe_list(char *buf, size_t size, unsigned mask)
{
	size_t len = 0;

	buf[0] = '\0';
	for (unsigned a = 0; a < PROBE_ATTACKS && len < size; a++)
		if (mask & PROBE_BIT(a))
			len += (size_t)fmt_snprintf(buf + len, size - len, "%s%s", len ? "," : "",
						    probe_attack_name(a));
	if (!mask)
		fmt_snprintf(buf, size, "none");
}

void guest_program_main(struct guest_env *env)
{
	struct probe_run run = { .env = env, .opt = &probe_opt };
	char text[OUT_LINE_MAX], mon[24] = "not given";
	unsigned mask;

	if (probe_options_parse(env->boot.cmdline, &probe_opt, text, sizeof(text)))
		guest_stop(PROBE_FAIL_CMDLINE, "bad command line: %s", text);
	if (probe_options_unknown(env->boot.cmdline, text, sizeof(text)))
		out_log("warning: unknown option '%s' ignored", text);
	if (!env->tm.twinmon && !probe_opt.force)
		guest_stop(PROBE_FAIL_NO_MONITOR, "not under twinmon: no attacks (force=1 runs "
			   "them on whatever this is)");
	if (!probe_opt.victim_set && env->nram)
		probe_opt.victim = env->ram[env->nram - 1].end;
	/* The timed attacks measure phases in TSC time; only the monitor says how fast it is. */
	if (env->tm.twinmon) {
		int64_t khz = tm_hc_tsc_khz();

		run.tsc_khz = khz > 0 ? (uint64_t)khz : 0;
	}
	mask = probe_opt.attacks;
	probe_list(text, sizeof(text), mask);
	if (probe_opt.monitor_set)
		fmt_snprintf(mon, sizeof(mon), "0x%llx", (unsigned long long)probe_opt.monitor);
	out_log("attacks %s; victim 0x%llx%s, monitor %s", text,
		(unsigned long long)probe_opt.victim,
		probe_opt.victim_set ? "" : " (just above this guest's RAM)", mon);

	if (mask & PROBE_BIT(PROBE_MEM))
		probe_mem(&run, "mem (the other guest's RAM)", probe_opt.victim);
	if (mask & PROBE_BIT(PROBE_MONITOR)) {
		if (probe_opt.monitor_set) {
			probe_mem(&run, "monitor (the monitor's RAM)", probe_opt.monitor);
		} else {
			out_log("attack %u: monitor: skipped: no monitor= address given",
				++run.number);
			run.skipped++;
		}
	}
	if (mask & PROBE_BIT(PROBE_PORTS))
		probe_ports(&run);
	if (mask & PROBE_BIT(PROBE_PCI))
		probe_pci(&run);
	if (mask & PROBE_BIT(PROBE_VMRUN))
		probe_vmrun(&run);
	if (mask & PROBE_BIT(PROBE_VMX))
		probe_vmx(&run);
	if (mask & PROBE_BIT(PROBE_CONSOLE_FLOOD))
		probe_console_flood(&run);
	if (mask & PROBE_BIT(PROBE_DEADLINE_STORM))
		probe_deadline_storm(&run);
	if (mask & PROBE_BIT(PROBE_PERIODIC_STORM))
		probe_periodic_storm(&run);
	if (mask & PROBE_BIT(PROBE_LEVEL_STORM))
		probe_level_storm(&run);
	if (mask & PROBE_BIT(PROBE_DMA))
		probe_dma(&run);
	if (mask & PROBE_BIT(PROBE_BAD_VECTOR))
		probe_bad_vector(&run);
	if (mask & PROBE_BIT(PROBE_MSI))
		probe_msi(&run);
	if (mask & PROBE_BIT(PROBE_MSIX))
		probe_msix(&run);
	if (mask & PROBE_BIT(PROBE_IPI_STORM))
		probe_ipi_storm(&run);

	/* The verdict comes before the final attack, which never returns. */
	out_verdict(run.not_contained, "probe: %u contained, %u NOT CONTAINED, %u survived, "
		    "%u skipped", run.contained, run.not_contained, run.survived, run.skipped);
	if (mask & PROBE_BIT(PROBE_SPIN))
		probe_spin(&run);
	if (mask & PROBE_BIT(PROBE_TRIPLE))
		probe_triple(&run);
	out_line("halted");
	cpu_halt_forever();
}
