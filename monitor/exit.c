// SPDX-License-Identifier: GPL-2.0-only
/*
 * SVM exit dispatch: a table from exit code to handler, statistics class and name. An exit
 * code the table does not list is never ignored: the guest's state is dumped and the guest
 * stopped; the other guest runs on. Handlers move RIP past the instruction themselves
 * (fixed lengths, or EXITINFO2 for IOIO: QEMU's TCG has no NRIP save) and never when they
 * inject a fault, whose RIP is the faulting instruction's.
 */
#include <stddef.h>

#include "lib/fmt.h"

#include "monitor/cpuid.h"
#include "monitor/hypercall.h"
#include "monitor/io.h"
#include "monitor/msr.h"
#include "monitor/stats.h"
#include "monitor/svm.h"
#include "monitor/vipi.h"
#include "monitor/virq.h"

#define NPF_RESET_VECTOR 0xffff0ULL

typedef enum exit_action (*exit_fn)(struct monitor *m, struct vcpu *vc, struct svm_vcpu *v);

struct exit_handler {
	uint64_t code;
	uint8_t reason;		/* TM_EXIT_* */
	const char *name;
	exit_fn fn;
};

static void exit_inject(struct svm_vcpu *v, uint8_t vector, bool has_error, uint32_t error)
{
	struct vcpu_event ev = { VCPU_EVENT_EXCEPTION, vector, has_error, error };

	svm_vmcb_inject(v->vmcb, &ev);
}

static enum exit_action exit_intr(struct monitor *m, struct vcpu *vc, struct svm_vcpu *v)
{
	/* The interrupt is still pending: let the host's IDT take it now. */
	m->plat->take_interrupts(m->plat->ctx);
	return EXIT_RESUME;
}

static enum exit_action exit_reflect(struct monitor *m, struct vcpu *vc, struct svm_vcpu *v)
{
	uint8_t vector = (uint8_t)(v->vmcb->control.exit_code - SVM_EXIT_EXCP_BASE);

	/* #AC pushes an error code (always 0); EXITINFO1 holds it. #DB has none; the CPU has
	 * already updated the guest's DR6 in the VMCB. */
	exit_inject(v, vector, vector == VCPU_VEC_AC, (uint32_t)v->vmcb->control.exit_info1);
	return EXIT_RESUME;
}

static enum exit_action exit_cpuid(struct monitor *m, struct vcpu *vc, struct svm_vcpu *v)
{
	struct guest *g = vc->g;
	uint32_t leaf = (uint32_t)vc->regs.rax, subleaf = (uint32_t)vc->regs.rcx;
	struct cpuid_regs raw, out;

	m->plat->cpuid(m->plat->ctx, leaf, subleaf, &raw);
	cpuid_filter(leaf, subleaf, &raw, v->vmcb->save.cr4, g->boot && g->boot->x2apic,
		     vc->lapic.id, &out);
	vc->regs.rax = out.eax;
	vc->regs.rbx = out.ebx;
	vc->regs.rcx = out.ecx;
	vc->regs.rdx = out.edx;
	svm_vmcb_skip(v, SVM_LEN_CPUID);
	return EXIT_RESUME;
}

static enum exit_action exit_nop2(struct monitor *m, struct vcpu *vc, struct svm_vcpu *v)
{
	/* INVD would drop dirty lines of the whole machine: the guest gets a no-op. */
	svm_vmcb_skip(v, SVM_LEN_INVD);
	return EXIT_RESUME;
}

static enum exit_action exit_hlt(struct monitor *m, struct vcpu *vc, struct svm_vcpu *v)
{
	struct guest *g = vc->g;

	svm_vmcb_skip(v, SVM_LEN_HLT);
	/*
	 * With interrupts off nothing can wake it (the monitor injects no NMI): on hardware
	 * the CPU would sleep for good. Stop it, so a finished test guest ends its part of
	 * the run instead of idling through its slices forever.
	 */
	if (!(v->vmcb->save.rflags & RFLAGS_IF)) {
		/* In an SMP guest a CPU parks this way while the others run on (a reboot). */
		if (g->nr_vcpus > 1 && !vipi_park_halted(vc))
			return EXIT_HALT;
		monitor_guest_stop(m, g, "halted with interrupts off (it can never wake)");
		return EXIT_STOP;
	}
	/* An interrupt that is already due wakes it at once: no need to give up the slot. */
	if (virq_pending(vc, m->plat->now(m->plat->ctx)))
		return EXIT_RESUME;
	return EXIT_HALT;
}

static enum exit_action exit_ud(struct monitor *m, struct vcpu *vc, struct svm_vcpu *v)
{
	/* SVM and MONITOR/MWAIT are not the guest's (CPUID hides them): #UD, as on a CPU
	 * without them. */
	exit_inject(v, VCPU_VEC_UD, false, 0);
	return EXIT_RESUME;
}

static enum exit_action exit_ioio(struct monitor *m, struct vcpu *vc, struct svm_vcpu *v)
{
	struct guest *g = vc->g;
	struct vmcb *vmcb = v->vmcb;
	struct io_access a;
	struct io_cpu cpu = {
		.regs = &vc->regs,
		.rflags = vmcb->save.rflags,
		.es_base = svm_vmcb_long_mode(vmcb) ? 0 : vmcb->save.es.base,
		.default_addr_size = svm_vmcb_long_mode(vmcb) ? 8
				     : (vmcb->save.cs.attrib & (1u << 10)) ? 4 : 2,
		.paging = { vmcb->save.cr0, vmcb->save.cr3, vmcb->save.cr4, vmcb->save.efer,
			    vmcb->save.cpl },
	};

	if (io_decode_svm(vmcb->control.exit_info1, &a) < 0) {
		monitor_guest_stop(m, g, "IOIO exit with an impossible EXITINFO1 0x%llx",
				   (unsigned long long)vmcb->control.exit_info1);
		return EXIT_STOP;
	}
	switch (io_emulate(m, g, &a, &cpu)) {
	case IO_DONE:
		svm_vmcb_set_rip(v, vmcb->control.exit_info2);
		return EXIT_RESUME;
	case IO_AGAIN:
		return EXIT_RESUME;
	case IO_FAULT:
		return EXIT_STOP;
	case IO_RESET:
		svm_vmcb_set_rip(v, vmcb->control.exit_info2);
		return monitor_guest_reset(m, g, true, g->reset_why);
	}
	monitor_guest_stop(m, g, "IOIO: no result");
	return EXIT_STOP;
}

static enum exit_action exit_msr(struct monitor *m, struct vcpu *vc, struct svm_vcpu *v)
{
	struct vmcb *vmcb = v->vmcb;
	uint32_t msr = (uint32_t)vc->regs.rcx;
	struct msr_guest st = { vmcb->save.efer, vmcb->save.g_pat, vmcb->save.cr0 };
	uint64_t val;

	if (vmcb->control.exit_info1 == 0) {
		if (msr_read(m, vc, msr, &st, &val) < 0) {
			exit_inject(v, VCPU_VEC_GP, true, 0);
			return EXIT_RESUME;
		}
		vc->regs.rax = (uint32_t)val;
		vc->regs.rdx = val >> 32;
		svm_vmcb_skip(v, SVM_LEN_RDMSR);
		return EXIT_RESUME;
	}
	val = (vc->regs.rdx << 32) | (uint32_t)vc->regs.rax;
	if (msr_write(m, vc, msr, &st, val) < 0) {
		exit_inject(v, VCPU_VEC_GP, true, 0);
		return EXIT_RESUME;
	}
	vmcb->save.efer = st.efer;
	vmcb->save.g_pat = st.pat;
	svm_vmcb_skip(v, SVM_LEN_WRMSR);
	return EXIT_RESUME;
}

static enum exit_action exit_shutdown(struct monitor *m, struct vcpu *vc, struct svm_vcpu *v)
{
	struct guest *g = vc->g;
	char why[64];

	fmt_snprintf(why, sizeof(why), "shutdown (triple fault) at rip 0x%llx",
		     (unsigned long long)v->vmcb->save.rip);
	return monitor_guest_reset(m, g, false, why);
}

static enum exit_action exit_vintr(struct monitor *m, struct vcpu *vc, struct svm_vcpu *v)
{
	/* The guest can take an interrupt now: the next entry injects it. */
	svm_vmcb_irq_window(v->vmcb, false);
	return EXIT_RESUME;
}

static enum exit_action exit_vmmcall(struct monitor *m, struct vcpu *vc, struct svm_vcpu *v)
{
	enum exit_action a = EXIT_RESUME;

	/* Hypercalls are the guest kernel's, not its applications'. */
	if (v->vmcb->save.cpl != 0)
		vc->regs.rax = (uint64_t)-TM_EPERM;
	else
		a = hypercall_handle(m, vc);

	svm_vmcb_skip(v, SVM_LEN_VMMCALL);
	return a;
}

static enum exit_action exit_npf(struct monitor *m, struct vcpu *vc, struct svm_vcpu *v)
{
	struct guest *g = vc->g;
	uint64_t info = v->vmcb->control.exit_info1;
	uint64_t event = v->vmcb->control.exit_int_info;

	/*
	 * The fault came while the CPU delivered an event (pushing its frame, reading the IDT):
	 * the instruction at RIP did not cause it, so emulating that would be wrong, and the
	 * delivery itself cannot be emulated. Its IDT, GDT or stack lies on a page it may not
	 * use as memory.
	 */
	if (event & VMCB_EVENT_VALID) {
		monitor_guest_stop(m, g, "nested page fault at gpa 0x%llx (%s) while delivering "
					 "vector %llu (EXITINTINFO 0x%llx), rip 0x%llx: its IDT, GDT "
					 "or stack is not its RAM",
				   (unsigned long long)v->vmcb->control.exit_info2,
				   (info & SVM_NPF_W) ? "write" : "read",
				   (unsigned long long)(event & VMCB_EVENT_VECTOR_MASK),
				   (unsigned long long)event, (unsigned long long)v->vmcb->save.rip);
		return EXIT_STOP;
	}
	if (svm_npf_emulate(m, vc, v))
		return EXIT_RESUME;
	/* Real mode at F000:FFF0 is a PC's reset entry: an OS jumps there to reboot. */
	if ((info & SVM_NPF_ID) && v->vmcb->control.exit_info2 == NPF_RESET_VECTOR &&
	    !(v->vmcb->save.cr0 & CR0_PE))
		return monitor_guest_reset(m, g, false, "jump to the reset vector");
	monitor_guest_stop(m, g, "isolation violation: nested page fault at gpa 0x%llx (%s%s%s%s) "
				 "rip 0x%llx",
			   (unsigned long long)v->vmcb->control.exit_info2,
			   (info & SVM_NPF_ID) ? "fetch" : (info & SVM_NPF_W) ? "write" : "read",
			   (info & SVM_NPF_P) ? ", protection" : ", not mapped",
			   (info & SVM_NPF_TABLES) ? ", guest page table" : "",
			   (info & SVM_NPF_U) ? ", user" : "",
			   (unsigned long long)v->vmcb->save.rip);
	return EXIT_STOP;
}

static enum exit_action exit_invalid(struct monitor *m, struct vcpu *vc, struct svm_vcpu *v)
{
	struct guest *g = vc->g;

	svm_dump(m, vc);
	monitor_guest_stop(m, g, "VMRUN refused the guest state (VMEXIT_INVALID)");
	return EXIT_STOP;
}

static const struct exit_handler exit_table[] = {
	{ SVM_EXIT_EXCP_BASE + VCPU_VEC_DB, TM_EXIT_EXCEPTION, "#DB", exit_reflect },
	{ SVM_EXIT_EXCP_BASE + VCPU_VEC_AC, TM_EXIT_EXCEPTION, "#AC", exit_reflect },
	{ SVM_EXIT_INTR, TM_EXIT_INTR, "intr", exit_intr },
	{ SVM_EXIT_VINTR, TM_EXIT_VINTR, "vintr", exit_vintr },
	{ SVM_EXIT_NMI, TM_EXIT_NMI, "nmi", exit_intr },
	{ SVM_EXIT_CPUID, TM_EXIT_CPUID, "cpuid", exit_cpuid },
	{ SVM_EXIT_INVD, TM_EXIT_OTHER, "invd", exit_nop2 },
	{ SVM_EXIT_HLT, TM_EXIT_HLT, "hlt", exit_hlt },
	{ SVM_EXIT_INVLPGA, TM_EXIT_SVM_INSN, "invlpga", exit_ud },
	{ SVM_EXIT_IOIO, TM_EXIT_IO, "ioio", exit_ioio },
	{ SVM_EXIT_MSR, TM_EXIT_MSR, "msr", exit_msr },
	{ SVM_EXIT_SHUTDOWN, TM_EXIT_SHUTDOWN, "shutdown", exit_shutdown },
	{ SVM_EXIT_VMRUN, TM_EXIT_SVM_INSN, "vmrun", exit_ud },
	{ SVM_EXIT_VMMCALL, TM_EXIT_VMMCALL, "vmmcall", exit_vmmcall },
	{ SVM_EXIT_VMLOAD, TM_EXIT_SVM_INSN, "vmload", exit_ud },
	{ SVM_EXIT_VMSAVE, TM_EXIT_SVM_INSN, "vmsave", exit_ud },
	{ SVM_EXIT_STGI, TM_EXIT_SVM_INSN, "stgi", exit_ud },
	{ SVM_EXIT_CLGI, TM_EXIT_SVM_INSN, "clgi", exit_ud },
	{ SVM_EXIT_SKINIT, TM_EXIT_SVM_INSN, "skinit", exit_ud },
	{ SVM_EXIT_WBINVD, TM_EXIT_OTHER, "wbinvd", svm_exit_wbinvd },
	{ SVM_EXIT_MONITOR, TM_EXIT_OTHER, "monitor", exit_ud },
	{ SVM_EXIT_MWAIT, TM_EXIT_OTHER, "mwait", exit_ud },
	{ SVM_EXIT_MWAIT_COND, TM_EXIT_OTHER, "mwait-cond", exit_ud },
	{ SVM_EXIT_NPF, TM_EXIT_NPF, "npf", exit_npf },
	{ SVM_EXIT_INVALID, TM_EXIT_UNKNOWN, "invalid", exit_invalid },
};

static const struct exit_handler *exit_lookup(uint64_t code)
{
	for (size_t i = 0; i < sizeof(exit_table) / sizeof(exit_table[0]); i++)
		if (exit_table[i].code == code)
			return &exit_table[i];
	return NULL;
}

const char *svm_exit_name(uint64_t code)
{
	const struct exit_handler *h = exit_lookup(code);

	return h ? h->name : "unknown";
}

/*
 * An event the exit interrupted (its delivery hit an intercept) is delivered again.
 * Software interrupts and INT3/INTO are not: RIP still points at the instruction, which
 * raises them again when it re-executes.
 */
static void exit_reinject(struct vmcb *vmcb)
{
	uint64_t info = vmcb->control.exit_int_info;
	uint64_t type = info & VMCB_EVENT_TYPE_MASK;
	uint64_t vector = info & VMCB_EVENT_VECTOR_MASK;

	vmcb->control.event_inj = 0;
	if (!(info & VMCB_EVENT_VALID) || type == VMCB_EVENT_TYPE_SOFT)
		return;
	if (type == VMCB_EVENT_TYPE_EXCEPT && (vector == 3 || vector == 4))
		return;
	vmcb->control.event_inj = info;
}

enum exit_action svm_exit_dispatch(struct monitor *m, struct vcpu *vc)
{
	struct guest *g = vc->g;
	struct svm_vcpu *v = vc->arch;
	struct vmcb *vmcb = v->vmcb;
	const struct exit_handler *h = exit_lookup(vmcb->control.exit_code);
	enum exit_action action;

	vc->regs.rax = vmcb->save.rax;
	exit_reinject(vmcb);
	stats_count_exit(vc, h ? h->reason : TM_EXIT_UNKNOWN);
	if (h) {
		action = h->fn(m, vc, v);
	} else {
		monitor_log(m, "svm: guest %c: unknown exit code 0x%llx (exitinfo1 0x%llx, "
			       "exitinfo2 0x%llx)",
			    g->letter, (unsigned long long)vmcb->control.exit_code,
			    (unsigned long long)vmcb->control.exit_info1,
			    (unsigned long long)vmcb->control.exit_info2);
		svm_dump(m, vc);
		monitor_guest_stop(m, g, "unknown exit code 0x%llx",
				   (unsigned long long)vmcb->control.exit_code);
		action = EXIT_STOP;
	}
	vmcb->save.rax = vc->regs.rax;
	return action;
}
