/* SPDX-License-Identifier: GPL-2.0-only */
/* The VMX world switch (vmx_switch.asm): its argument block and prototype. */
#ifndef TWINMON_MONITOR_VMX_VMX_SWITCH_H
#define TWINMON_MONITOR_VMX_VMX_SWITCH_H

#include <stdint.h>

#include "monitor/guest.h"

struct vmx_switch {
	struct vcpu_regs *regs;		/* the guest's GPRs but RSP (the VMCS has RSP) */
	uint64_t launched;		/* 0: VMLAUNCH (after VMCLEAR), else VMRESUME */
};

/* What vmx_world_switch returns. */
#define VMX_SWITCH_EXITED	0	/* the guest ran and a VM exit came back */
#define VMX_SWITCH_FAIL_VALID	1	/* VMfailValid: VMCS_INSN_ERROR says why */
#define VMX_SWITCH_FAIL_INVALID	2	/* VMfailInvalid: no current VMCS */

/*
 * Enter the guest of the current VMCS with the GPRs of sw->regs until its next VM exit, or
 * fail the entry. Entered with interrupts off; a VM exit returns with RFLAGS = 2 (IF clear).
 * Writes the VMCS's host RSP and RIP itself.
 */
int vmx_world_switch(struct vmx_switch *sw);

#endif
