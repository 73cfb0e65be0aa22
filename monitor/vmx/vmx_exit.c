// SPDX-License-Identifier: GPL-2.0-only
/*
 * VMX exit decoding: a table from basic exit reason to the shared handler's reason
 * (monitor/vcpu_exit.h), statistics class and name; the exit qualification, instruction
 * length and interruption information decoded (vmx_exitqual.c) into struct vcpu_exit. What
 * only VMX exits on is handled here: CR0/CR4 writes to the bits the monitor owns, XSETBV,
 * EPT misconfigurations, the preemption timer, INIT and SIPI, NMIs, failed entries.
 */
#include <errno.h>
#include <stddef.h>

#include "lib/fmt.h"
#include "monitor/cpu.h"
#include "monitor/stats.h"
#include "monitor/vmx/vmx.h"
#include "monitor/vmx/vmx_exitqual.h"
#include "monitor/vmx/vmx_switch.h"

/* Handled here, not by the shared handlers. */
#define VMX_OWN (-1)

struct vmx_exit_kind {
	uint16_t basic;
	uint8_t stat;		/* TM_EXIT_* */
	bool has_len;		/* the exit reports the instruction's length */
	const char *name;
	int reason;		/* enum vcpu_exit_reason, or VMX_OWN */
};

static const struct vmx_exit_kind vmx_exit_table[] = {
	{ VMX_EXIT_EXCEPTION_NMI, TM_EXIT_EXCEPTION, false, "exception-nmi", VMX_OWN },
	{ VMX_EXIT_EXT_INTR, TM_EXIT_INTR, false, "intr", VCPU_EXIT_INTR },
	{ VMX_EXIT_TRIPLE_FAULT, TM_EXIT_SHUTDOWN, false, "triple-fault", VCPU_EXIT_SHUTDOWN },
	{ VMX_EXIT_INIT, TM_EXIT_NMI, false, "init", VMX_OWN },
	{ VMX_EXIT_SIPI, TM_EXIT_NMI, false, "sipi", VMX_OWN },
	{ VMX_EXIT_INTR_WINDOW, TM_EXIT_VINTR, false, "intr-window", VCPU_EXIT_IRQ_WINDOW },
	{ VMX_EXIT_CPUID, TM_EXIT_CPUID, true, "cpuid", VCPU_EXIT_CPUID },
	{ VMX_EXIT_GETSEC, TM_EXIT_SVM_INSN, false, "getsec", VCPU_EXIT_UD },
	{ VMX_EXIT_HLT, TM_EXIT_HLT, true, "hlt", VCPU_EXIT_HLT },
	{ VMX_EXIT_INVD, TM_EXIT_OTHER, true, "invd", VCPU_EXIT_INVD },
	{ VMX_EXIT_VMCALL, TM_EXIT_VMMCALL, true, "vmcall", VCPU_EXIT_HYPERCALL },
	{ VMX_EXIT_VMCLEAR, TM_EXIT_SVM_INSN, false, "vmclear", VCPU_EXIT_UD },
	{ VMX_EXIT_VMLAUNCH, TM_EXIT_SVM_INSN, false, "vmlaunch", VCPU_EXIT_UD },
	{ VMX_EXIT_VMPTRLD, TM_EXIT_SVM_INSN, false, "vmptrld", VCPU_EXIT_UD },
	{ VMX_EXIT_VMPTRST, TM_EXIT_SVM_INSN, false, "vmptrst", VCPU_EXIT_UD },
	{ VMX_EXIT_VMREAD, TM_EXIT_SVM_INSN, false, "vmread", VCPU_EXIT_UD },
	{ VMX_EXIT_VMRESUME, TM_EXIT_SVM_INSN, false, "vmresume", VCPU_EXIT_UD },
	{ VMX_EXIT_VMWRITE, TM_EXIT_SVM_INSN, false, "vmwrite", VCPU_EXIT_UD },
	{ VMX_EXIT_VMXOFF, TM_EXIT_SVM_INSN, false, "vmxoff", VCPU_EXIT_UD },
	{ VMX_EXIT_VMXON, TM_EXIT_SVM_INSN, false, "vmxon", VCPU_EXIT_UD },
	{ VMX_EXIT_CR_ACCESS, TM_EXIT_CR, true, "cr-access", VMX_OWN },
	{ VMX_EXIT_IO, TM_EXIT_IO, true, "io", VCPU_EXIT_IO },
	{ VMX_EXIT_RDMSR, TM_EXIT_MSR, true, "rdmsr", VCPU_EXIT_MSR },
	{ VMX_EXIT_WRMSR, TM_EXIT_MSR, true, "wrmsr", VCPU_EXIT_MSR },
	{ VMX_EXIT_BAD_GUEST_STATE, TM_EXIT_UNKNOWN, false, "bad-guest-state", VCPU_EXIT_INVALID },
	{ VMX_EXIT_BAD_MSR_LOAD, TM_EXIT_UNKNOWN, false, "bad-msr-load", VCPU_EXIT_INVALID },
	{ VMX_EXIT_MWAIT, TM_EXIT_OTHER, false, "mwait", VCPU_EXIT_UD },
	{ VMX_EXIT_MONITOR, TM_EXIT_OTHER, false, "monitor", VCPU_EXIT_UD },
	{ VMX_EXIT_MACHINE_CHECK, TM_EXIT_UNKNOWN, false, "machine-check", VCPU_EXIT_INVALID },
	{ VMX_EXIT_EPT_VIOLATION, TM_EXIT_NPF, false, "ept-violation", VCPU_EXIT_NPF },
	{ VMX_EXIT_EPT_MISCONFIG, TM_EXIT_NPF, false, "ept-misconfig", VMX_OWN },
	{ VMX_EXIT_INVEPT, TM_EXIT_SVM_INSN, false, "invept", VCPU_EXIT_UD },
	{ VMX_EXIT_PREEMPTION_TIMER, TM_EXIT_INTR, false, "preemption-timer", VCPU_EXIT_INTR },
	{ VMX_EXIT_INVVPID, TM_EXIT_SVM_INSN, false, "invvpid", VCPU_EXIT_UD },
	{ VMX_EXIT_WBINVD, TM_EXIT_OTHER, true, "wbinvd", VCPU_EXIT_WBINVD },
	{ VMX_EXIT_XSETBV, TM_EXIT_OTHER, true, "xsetbv", VMX_OWN },
	{ VMX_EXIT_VMFUNC, TM_EXIT_SVM_INSN, false, "vmfunc", VCPU_EXIT_UD },
};

static const struct vmx_exit_kind *vmx_exit_lookup(uint32_t basic)
{
	for (size_t i = 0; i < sizeof(vmx_exit_table) / sizeof(vmx_exit_table[0]); i++)
		if (vmx_exit_table[i].basic == basic)
			return &vmx_exit_table[i];
	return NULL;
}

const char *vmx_exit_name(uint32_t basic)
{
	const struct vmx_exit_kind *k = vmx_exit_lookup(basic);

	return k ? k->name : "unknown";
}

/* A general register in the CPU's numbering (0 RAX ... 15 R15); RSP is the VMCS's. */
static uint64_t *vmx_gpr(struct vcpu *vc, unsigned n)
{
	struct vcpu_regs *r = &vc->regs;
	uint64_t *regs[16] = { &r->rax, &r->rcx, &r->rdx, &r->rbx, NULL, &r->rbp, &r->rsi,
			       &r->rdi, &r->r8, &r->r9, &r->r10, &r->r11, &r->r12, &r->r13,
			       &r->r14, &r->r15 };

	return regs[n & 15];
}

/* The event an exit interrupted (its delivery hit an exit) is delivered again at entry. */
static void vmx_exit_reinject(struct vcpu_exit *x)
{
	uint32_t info = (uint32_t)vmx_read(VMCS_IDT_VECTORING_INFO);
	uint32_t type = (info & VMX_INTR_TYPE_MASK) >> VMX_INTR_TYPE_SHIFT;

	x->event.valid = info & VMX_INTR_VALID;
	x->event.vector = (uint8_t)(info & VMX_INTR_VECTOR_MASK);
	x->event.info = info;
	if (!x->event.valid)
		return;
	if (info & VMX_INTR_ERROR_VALID)
		vmx_write(VMCS_ENTRY_EXCEPTION_ERROR, vmx_read(VMCS_IDT_VECTORING_ERROR));
	/* Software events need their instruction's length again. */
	if (type == VMX_INTR_SW_INT || type == VMX_INTR_PRIV_SW_EXCEPTION ||
	    type == VMX_INTR_SW_EXCEPTION)
		vmx_write(VMCS_ENTRY_INSN_LEN, vmx_read(VMCS_EXIT_INSN_LEN));
	vmx_write(VMCS_ENTRY_INTR_INFO, info & ~VMX_INTR_NMI_UNBLOCK);
}

/* MOV to CR0 or CR4 that changed a bit the monitor owns (the guest/host masks). */
static enum exit_action vmx_exit_cr(struct monitor *m, struct vcpu *vc, uint64_t next_rip)
{
	const struct vmx_caps *k = &((struct vmx_cpu *)m->arch)->caps;
	struct vmx_vcpu *v = vc->arch;
	struct vmx_cr_access a;
	uint64_t val, efer;

	if (vmx_cr_decode(vmx_read(VMCS_EXIT_QUALIFICATION), &a) < 0 ||
	    a.type != VMX_CR_MOV_TO || (a.cr != 0 && a.cr != 4)) {
		vmx_dump(m, vc);
		monitor_guest_stop(m, vc->g, "control-register exit the monitor never asked for "
					     "(qualification 0x%llx)",
				   (unsigned long long)vmx_read(VMCS_EXIT_QUALIFICATION));
		return EXIT_STOP;
	}
	val = a.gpr == 4 ? vmx_read(VMCS_GUEST_RSP) : *vmx_gpr(vc, a.gpr);
	if (a.cr == 4) {
		/* CR4.VMXE is reserved on the CPU the guest sees; so is what the CPU lacks. */
		if (val & ~(k->cr4_fixed1 & ~(1ULL << 13))) {
			vcpu_inject_exception(m, vc, VCPU_VEC_GP, true, 0);
			return EXIT_RESUME;
		}
		vmx_write(VMCS_CR4_SHADOW, val);
		vmx_write(VMCS_GUEST_CR4, vmx_guest_cr4(k, val));
	} else {
		if ((val >> 32) || ((val & CR0_PG) && !(val & CR0_PE)) ||
		    (val & ~(k->cr0_fixed1 | CR0_PE | CR0_PG))) {
			vcpu_inject_exception(m, vc, VCPU_VEC_GP, true, 0);
			return EXIT_RESUME;
		}
		vmx_write(VMCS_CR0_SHADOW, val);
		vmx_write(VMCS_GUEST_CR0, vmx_guest_cr0(k, val));
		/* Paging on or off with EFER.LME: the CPU would switch LMA. */
		efer = vmx_read(VMCS_GUEST_EFER);
		if ((efer & EFER_LME) && (val & CR0_PG))
			efer |= EFER_LMA;
		else
			efer &= ~EFER_LMA;
		vmx_write(VMCS_GUEST_EFER, efer);
		vmx_sync_entry(v);
	}
	vcpu_advance(m, vc, next_rip);
	return EXIT_RESUME;
}

/* XSETBV: the guest's XCR0 is the CPU's while it runs (monitor/fpu.c switches it). */
static enum exit_action vmx_exit_xsetbv(struct monitor *m, struct vcpu *vc, uint64_t next_rip)
{
	uint64_t val = (vc->regs.rdx & 0xffffffffULL) << 32 | (vc->regs.rax & 0xffffffffULL);
	struct cpuid_regs r;
	uint64_t all;

	cpu_cpuid(0xd, 0, &r);
	all = (uint64_t)r.edx << 32 | r.eax;
	/* What the CPU would refuse with #GP: CPL > 0, another XCR, x87 off, AVX without SSE,
	 * half of MPX or of AVX-512, or a component it lacks. */
	if (vcpu_get(m, vc, VCPU_REG_CPL) != 0 || (uint32_t)vc->regs.rcx != 0 || !(val & 1) ||
	    (val & ~all) || ((val & 4) && !(val & 2)) || (((val >> 3) & 3) == 1) ||
	    (((val >> 3) & 3) == 2) || ((val & 0xe0) && (val & 0xe0) != 0xe0) ||
	    ((val & 0xe0) && !(val & 4))) {
		vcpu_inject_exception(m, vc, VCPU_VEC_GP, true, 0);
		return EXIT_RESUME;
	}
	cpu_xsetbv(0, val);
	vcpu_advance(m, vc, next_rip);
	return EXIT_RESUME;
}

/* Exception or NMI exits: the NMI is the host's, an intercepted exception the guest's. */
static int vmx_exit_exception(struct monitor *m, struct vcpu *vc, struct vcpu_exit *x)
{
	struct vmx_event_info e;
	uint64_t dr6;

	if (vmx_event_decode((uint32_t)vmx_read(VMCS_EXIT_INTR_INFO),
			     (uint32_t)vmx_read(VMCS_EXIT_INTR_ERROR), &e) < 0 || !e.valid)
		return -EINVAL;
	if (e.type == VMX_INTR_NMI) {
		/* NMI exiting took it from the host: hand it to the monitor's own handler. */
		__asm__ volatile("int $2");
		x->reason = VCPU_EXIT_INTR;
		return 0;
	}
	if (e.type != VMX_INTR_HW_EXCEPTION && e.type != VMX_INTR_PRIV_SW_EXCEPTION &&
	    e.type != VMX_INTR_SW_EXCEPTION)
		return -EINVAL;
	if (e.vector == VCPU_VEC_DB) {
		/* A #DB exit leaves DR6 alone and reports its bits in the qualification. */
		__asm__ volatile("mov %%db6, %0" : "=r"(dr6));
		dr6 = (dr6 & ~0xfULL) | (vmx_read(VMCS_EXIT_QUALIFICATION) & 0x600f);
		__asm__ volatile("mov %0, %%db6" : : "r"(dr6));
	}
	x->reason = VCPU_EXIT_EXCEPTION;
	x->exc.vector = e.vector;
	x->exc.has_error = e.has_error;
	x->exc.error = e.error;
	return 0;
}

enum exit_action vmx_exit_dispatch(struct monitor *m, struct vcpu *vc)
{
	const struct vmx_cpu *c = m->arch;
	struct vmx_vcpu *v = vc->arch;
	const struct vmx_exit_kind *k;
	struct vmx_io_exit io;
	struct vmx_ept_violation ept;
	struct vcpu_exit x;
	uint32_t reason, basic;
	uint64_t next_rip = 0;
	char why[160];

	if (v->entry_error) {
		stats_count_exit(vc, TM_EXIT_UNKNOWN);
		vmx_dump(m, vc);
		monitor_guest_stop(m, vc->g, "VM entry failed (%s, VM-instruction error %u)",
				   v->entry_error == VMX_SWITCH_FAIL_VALID ? "VMfailValid"
									   : "VMfailInvalid",
				   v->insn_error);
		return EXIT_STOP;
	}
	vmx_load(vc);
	reason = (uint32_t)vmx_read(VMCS_EXIT_REASON);
	basic = VMX_EXIT_REASON_BASIC(reason);
	k = vmx_exit_lookup(basic);
	stats_count_exit(vc, k ? k->stat : TM_EXIT_UNKNOWN);
	x = (struct vcpu_exit){ .reason = k && k->reason != VMX_OWN ? k->reason
								   : VCPU_EXIT_UNKNOWN,
				.code = reason };
	/* A failed entry reports its reason and qualification only. */
	if (reason & VMX_EXIT_REASON_ENTRY_FAIL) {
		fmt_snprintf(why, sizeof(why), "VM entry refused the guest state (exit reason %u "
					       "%s, qualification 0x%llx)",
			     basic, k ? k->name : "unknown",
			     (unsigned long long)vmx_read(VMCS_EXIT_QUALIFICATION));
		x.reason = VCPU_EXIT_INVALID;
		x.invalid.why = why;
		return exit_handle(m, vc, &x);
	}
	if (k && k->has_len)
		next_rip = vmx_read(VMCS_GUEST_RIP) + vmx_read(VMCS_EXIT_INSN_LEN);
	x.next_rip = next_rip;
	vmx_exit_reinject(&x);
	vmx_sync_entry(v);
	switch (basic) {
	case VMX_EXIT_EXCEPTION_NMI:
		if (vmx_exit_exception(m, vc, &x) < 0)
			break;
		return exit_handle(m, vc, &x);
	case VMX_EXIT_INIT:
	case VMX_EXIT_SIPI:
		/* Nothing sends the monitor's CPUs INIT or SIPI while guests run: drop it. */
		monitor_log(m, "vmx: guest %c: %s signal ignored", vc->g->letter, k->name);
		return EXIT_RESUME;
	case VMX_EXIT_CR_ACCESS:
		return vmx_exit_cr(m, vc, next_rip);
	case VMX_EXIT_XSETBV:
		return vmx_exit_xsetbv(m, vc, next_rip);
	case VMX_EXIT_EPT_MISCONFIG:
		vmx_dump(m, vc);
		monitor_guest_stop(m, vc->g, "EPT misconfiguration at gpa 0x%llx (the monitor's "
					     "tables are wrong)",
				   (unsigned long long)vmx_read(VMCS_GUEST_PHYS_ADDR));
		return EXIT_STOP;
	case VMX_EXIT_IO:
		if (vmx_io_decode(vmx_read(VMCS_EXIT_QUALIFICATION),
				  (uint32_t)vmx_read(VMCS_EXIT_INSN_INFO), c->caps.ins_outs_info,
				  &io) < 0) {
			monitor_guest_stop(m, vc->g, "I/O exit with an impossible qualification "
						     "0x%llx",
					   (unsigned long long)vmx_read(VMCS_EXIT_QUALIFICATION));
			return EXIT_STOP;
		}
		x.io = io.a;
		break;
	case VMX_EXIT_RDMSR:
	case VMX_EXIT_WRMSR:
		x.msr.write = basic == VMX_EXIT_WRMSR;
		break;
	case VMX_EXIT_EPT_VIOLATION:
		vmx_ept_decode(vmx_read(VMCS_EXIT_QUALIFICATION), vmx_read(VMCS_GUEST_PHYS_ADDR),
			       vmx_read(VMCS_GUEST_LINEAR_ADDR), &ept);
		x.npf.a = ept.a;
		x.npf.user = false;
		/* IRET unblocked NMIs before the fault: blocked again, as the CPU would. */
		if (ept.nmi_unblock && !x.event.valid)
			vmx_write(VMCS_GUEST_INTERRUPTIBILITY,
				  vmx_read(VMCS_GUEST_INTERRUPTIBILITY) | VMX_INTERRUPTIBILITY_NMI);
		break;
	default:
		break;
	}
	if (x.reason == VCPU_EXIT_UNKNOWN)
		monitor_log(m, "vmx: guest %c: unknown exit reason %u (%s, qualification 0x%llx)",
			    vc->g->letter, basic, k ? k->name : "unknown",
			    (unsigned long long)vmx_read(VMCS_EXIT_QUALIFICATION));
	return exit_handle(m, vc, &x);
}
