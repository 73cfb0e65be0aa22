// SPDX-License-Identifier: GPL-2.0-only
/*
 * Constants for vmx_switch.asm, generated as monitor/asm-defs.c's are
 * (build/gen/monitor/vmx/vmx_asm_defs.inc): its argument block's offsets, RAX's place in
 * struct vcpu_regs (the SVM switch leaves RAX to the VMCB, VMX has no field for it), the
 * VMCS encodings it writes and the switch's results.
 */
#include <stddef.h>

#include "monitor/vmx/vmx_switch.h"
#include "monitor/vmx/vmx_vmcs.h"

#define DEFINE(sym, val) asm volatile("\n.ascii \"->" #sym " %0\"" : : "i"(val))
#define OFFSET(sym, type, field) DEFINE(sym, offsetof(type, field))

void vmx_asm_defs(void);

void vmx_asm_defs(void)
{
	OFFSET(VSW_REGS, struct vmx_switch, regs);
	OFFSET(VSW_LAUNCHED, struct vmx_switch, launched);
	OFFSET(VREG_RAX, struct vcpu_regs, rax);
	DEFINE(VMCS_ENC_HOST_RSP, VMCS_HOST_RSP);
	DEFINE(VMCS_ENC_HOST_RIP, VMCS_HOST_RIP);
	DEFINE(VSW_EXITED, VMX_SWITCH_EXITED);
	DEFINE(VSW_FAIL_VALID, VMX_SWITCH_FAIL_VALID);
	DEFINE(VSW_FAIL_INVALID, VMX_SWITCH_FAIL_INVALID);
}
