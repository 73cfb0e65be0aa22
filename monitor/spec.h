/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Speculation controls between the guests. Both guests share one CPU, so its branch
 * predictors carry what one guest trained into the other's run:
 *
 *   IBPB     when the CPU has it (CPUID 7.0 EDX bit 26, or 0x80000008 EBX bit 12), the monitor
 *            writes PRED_CMD = 1 each time the CPU goes from one guest to the other, never
 *            when a guest is entered again after its own exit (or its own restart).
 *   SPEC_CTRL when the CPU has it (IBRS, STIBP or SSBD in either leaf), it is each guest's own:
 *            reads and writes run natively (no exit), and on a change of guest the monitor
 *            saves the CPU's value into the guest that leaves and loads the other's. A guest
 *            starts, and restarts, with 0.
 *   PRED_CMD when the CPU has IBPB, guests write it natively; a read exits and gets #GP, as
 *            on hardware.
 *
 * Without the feature the MSR exits and gets #GP (monitor/exit_msr.c), and the CPUID bits
 * the guest sees say so, since they are the CPU's (monitor/cpuid.c).
 *
 * Pure C: the CPU is reached through CPUID and MSR callbacks, the real ones in the EFI build
 * (monitor/platform.c), a fake in the tests.
 */
#ifndef TWINMON_MONITOR_SPEC_H
#define TWINMON_MONITOR_SPEC_H

#include <stdbool.h>
#include <stdint.h>

#include "monitor/core.h"

#define SPEC_CTRL_IBRS		(1u << 0)
#define SPEC_CTRL_STIBP		(1u << 1)
#define SPEC_CTRL_SSBD		(1u << 2)
#define PRED_CMD_IBPB		1u

struct spec_caps {
	bool ibpb;		/* PRED_CMD.IBPB */
	uint32_t ctrl;		/* SPEC_CTRL bits the CPU names (IBRS, STIBP, SSBD); 0: no MSR */
};

/* The capabilities from CPUID 7.0 EDX and 0x80000008 EBX (0 for a leaf the CPU lacks). */
void spec_caps_decode(uint32_t leaf7_edx, uint32_t leaf88_ebx, struct spec_caps *c);
/* Ask cpuid (the platform's) for those leaves, within its maximum leaves. */
void spec_caps_probe(void (*cpuid)(void *ctx, uint32_t leaf, uint32_t subleaf,
				   struct cpuid_regs *out),
		     void *ctx, struct spec_caps *c);
/* "monitor: speculation controls: ..." */
void spec_log(struct monitor *m, const struct spec_caps *c);

/* The CPU's side: its capabilities, how to reach its MSRs, whose predictions it holds. */
struct spec_cpu {
	struct spec_caps caps;
	uint64_t (*rdmsr)(void *ctx, uint32_t msr);
	void (*wrmsr)(void *ctx, uint32_t msr, uint64_t val);
	void *ctx;
	const struct vcpu *last;	/* the vCPU that ran last on this CPU, or NULL */
	uint64_t barriers;		/* IBPBs issued */
};

/*
 * The CPU goes from running from (NULL: nobody's state is in the CPU, as after a restart)
 * to running to: SPEC_CTRL saved into from and loaded from to; an IBPB if another guest
 * ran last, whatever from says.
 */
void spec_switch(struct spec_cpu *s, struct vcpu *from, struct vcpu *to);
/* Its two halves, in this order: from's SPEC_CTRL saved; to's loaded, the IBPB. */
void spec_save(struct spec_cpu *s, struct vcpu *from);
void spec_load(struct spec_cpu *s, struct vcpu *to);

#endif
