/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Where the monitor's part of a world switch goes: per CPU, the TSC cycles of each phase of
 * the switches from one guest to another, summed, with their count, and the same for the
 * resumes of a guest after its own exit (the null call's path), to set them side by side
 * (docs/measuring.md, "P2x"). The loop (monitor/core.c) stamps the TSC at each phase boundary
 * of an entry that follows an exit directly. The hardware's part (VMEXIT, VMRUN and the
 * world-switch code around them) is outside: from the guest's last instruction to exit_tsc
 * and from entry_tsc to its first. Plain C, one writer: the CPU itself.
 */
#ifndef TWINMON_MONITOR_SW_METER_H
#define TWINMON_MONITOR_SW_METER_H

#include <stdint.h>

#include "monitor/hist.h"

/* The phases in their order; phase k lasts from stamp k to stamp k + 1. */
enum sw_phase {
	SW_PHASE_EXIT,		/* exit_tsc -> the loop's next look: decode, handler (an INTR exit:
				 * the host's interrupt handler and its EOI), statistics */
	SW_PHASE_SCHED,		/* events (device lines, sibling IPIs, wakes), scheduler decision */
	SW_PHASE_SAVE,		/* the old vCPU's FPU/XSAVE, XCR0, DR0-3 and SPEC_CTRL saved */
	SW_PHASE_LOAD,		/* the new vCPU's loaded, IBPB */
	SW_PHASE_VIRQ,		/* its vLAPIC catching up, an interrupt injected */
	SW_PHASE_TIMER,		/* the alarm chosen, the LAPIC timer armed */
	SW_PHASE_ENTRY,		/* the backend up to entry_tsc (VMX: VMPTRLD, syscall MSRs) */
	SW_PHASES
};

/*
 * An entry whose total (exit_tsc to entry_tsc) is more than this many times the shortest of
 * its kind so far is long: an interrupt, an SMI, the emulator's host stalling. Long ones are
 * counted but left out of the phases' sums, which they would swamp (one stall of 10 ms
 * weighs as much as a hundred switches).
 */
#define SW_METER_LONG	16

/* One kind of entry: switches, or resumes. */
struct sw_sums {
	uint64_t count;			/* entries in the sums */
	uint64_t cycles[SW_PHASES];	/* their cycles per phase, summed */
	uint64_t longs;			/* entries left out: long ones */
	uint64_t min;			/* the shortest total (0: none yet) */
};

struct sw_meter {
	struct sw_sums sw;		/* the vCPU changed: save and load phases */
	struct sw_sums rs;		/* the same vCPU again: save and load are empty */
	struct hist total;		/* exit_tsc -> entry_tsc of each switch, long ones too */
	uint64_t skipped;		/* stamps out of order: not counted */
	/* Set by the platform's switch_state between the save and the load (0: it does not
	 * say; then the load phase has it all). */
	uint64_t saved_at;
};

/* One switch (resume): stamps t[0] (the exit_tsc of the run before) to t[SW_PHASES] (the
 * entry_tsc of this one), each no earlier than the one before (else only counted as
 * skipped). A resume's save and load stamps are equal. */
void sw_meter_switch(struct sw_meter *s, const uint64_t t[SW_PHASES + 1]);
void sw_meter_resume(struct sw_meter *s, const uint64_t t[SW_PHASES + 1]);
/* The phase's name in the statistics keys ("exit": sw_exit_cycles, rs_exit_cycles). */
const char *sw_meter_phase_name(unsigned phase);

#endif
