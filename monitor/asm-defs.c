// SPDX-License-Identifier: GPL-2.0-only
/*
 * Constants for the monitor's assembly (entry.asm, ap_start.asm, and the general registers
 * for the world switches: monitor/svm/svm_asm_defs.c has the SVM one's own). Only compiled to
 * assembly: each DEFINE leaves "->NAME value", which the Makefile's $(BUILD)/gen/%.inc rule
 * turns into "%define NAME value" in build/gen/monitor/asm-defs.inc. Struct offsets and
 * sizes are therefore the compiler's, never copies.
 */
#include <stddef.h>

#include "monitor/ap_start.h"
#include "monitor/guest.h"
#include "monitor/msr.h"
#include "monitor/x86.h"
#include "monitor/trap.h"

#define DEFINE(sym, val) asm volatile("\n.ascii \"->" #sym " %0\"" : : "i"(val))
#define OFFSET(sym, type, field) DEFINE(sym, offsetof(type, field))
/* A field of the APs' parameter block, as an offset in their start page. */
#define AP_PARAM(sym, field) \
	DEFINE(sym, AP_START_PARAMS_OFF + offsetof(struct ap_start_params, field))

void monitor_asm_defs(void);

void monitor_asm_defs(void)
{
	OFFSET(REG_RBX, struct vcpu_regs, rbx);
	OFFSET(REG_RCX, struct vcpu_regs, rcx);
	OFFSET(REG_RDX, struct vcpu_regs, rdx);
	OFFSET(REG_RSI, struct vcpu_regs, rsi);
	OFFSET(REG_RDI, struct vcpu_regs, rdi);
	OFFSET(REG_RBP, struct vcpu_regs, rbp);
	OFFSET(REG_R8, struct vcpu_regs, r8);
	OFFSET(REG_R9, struct vcpu_regs, r9);
	OFFSET(REG_R10, struct vcpu_regs, r10);
	OFFSET(REG_R11, struct vcpu_regs, r11);
	OFFSET(REG_R12, struct vcpu_regs, r12);
	OFFSET(REG_R13, struct vcpu_regs, r13);
	OFFSET(REG_R14, struct vcpu_regs, r14);
	OFFSET(REG_R15, struct vcpu_regs, r15);

	OFFSET(TF_RAX, struct trap_frame, rax);
	OFFSET(TF_RBX, struct trap_frame, rbx);
	OFFSET(TF_RCX, struct trap_frame, rcx);
	OFFSET(TF_RDX, struct trap_frame, rdx);
	OFFSET(TF_RSI, struct trap_frame, rsi);
	OFFSET(TF_RDI, struct trap_frame, rdi);
	OFFSET(TF_RBP, struct trap_frame, rbp);
	OFFSET(TF_R8, struct trap_frame, r8);
	OFFSET(TF_R9, struct trap_frame, r9);
	OFFSET(TF_R10, struct trap_frame, r10);
	OFFSET(TF_R11, struct trap_frame, r11);
	OFFSET(TF_R12, struct trap_frame, r12);
	OFFSET(TF_R13, struct trap_frame, r13);
	OFFSET(TF_R14, struct trap_frame, r14);
	OFFSET(TF_R15, struct trap_frame, r15);
	/* The stub pushes error and vector; the GPRs go below them. */
	OFFSET(TF_GPRS, struct trap_frame, vector);
	OFFSET(TF_VECTOR, struct trap_frame, vector);
	OFFSET(TF_ERROR, struct trap_frame, error);
	OFFSET(TF_RIP, struct trap_frame, rip);
	DEFINE(TRAP_STUB_SIZE, TRAP_STUB_SIZE);
	DEFINE(TRAP_VECTORS, TRAP_VECTORS);

	AP_PARAM(AP_P_GDTR, gdt_limit);
	AP_PARAM(AP_P_TO_PM32, to_pm32);
	AP_PARAM(AP_P_TO_LM64, to_lm64);
	AP_PARAM(AP_P_CR3, cr3);
	AP_PARAM(AP_P_CR4, cr4);
	AP_PARAM(AP_P_CR0, cr0);
	AP_PARAM(AP_P_EFER, efer);
	AP_PARAM(AP_P_STACK, stack_top);
	AP_PARAM(AP_P_ENTRY, entry);
	AP_PARAM(AP_P_ARG, arg);
	AP_PARAM(AP_P_STARTED, started);
	DEFINE(AP_SEL_DATA, AP_START_SEL_DATA);
	DEFINE(AP_CR0_PE, CR0_PE);
	DEFINE(AP_MSR_EFER, MSR_EFER);
}
