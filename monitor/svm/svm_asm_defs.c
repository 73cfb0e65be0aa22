// SPDX-License-Identifier: GPL-2.0-only
/*
 * Constants for svm_switch.asm: its argument block's offsets, generated the same way as
 * monitor/asm-defs.c (build/gen/monitor/svm/svm_asm_defs.inc). The general registers'
 * offsets are the core's (struct vcpu_regs, monitor/asm-defs.inc).
 */
#include <stddef.h>

#include "monitor/svm/svm_switch.h"

#define DEFINE(sym, val) asm volatile("\n.ascii \"->" #sym " %0\"" : : "i"(val))
#define OFFSET(sym, type, field) DEFINE(sym, offsetof(type, field))

void svm_asm_defs(void);

void svm_asm_defs(void)
{
	OFFSET(SW_VMCB_PA, struct svm_switch, vmcb_pa);
	OFFSET(SW_HOST_PA, struct svm_switch, host_pa);
	OFFSET(SW_REGS, struct svm_switch, regs);
}
