// SPDX-License-Identifier: GPL-2.0-only
/*
 * The exit handlers every backend shares. A backend decodes its exit into struct vcpu_exit
 * (monitor/vcpu_exit.h) and calls exit_handle(); what follows reads and changes the vCPU only
 * through the vendor interface. Handlers move RIP past the instruction themselves (where the
 * CPU said it ends, else its only encoding's length) and never when they inject a fault,
 * whose RIP is the faulting instruction's. An exit nobody knows is never ignored: the
 * guest's state is dumped and the guest stopped; the other guest runs on.
 */
#include "monitor/vcpu_exit.h"

#include "lib/fmt.h"

#include "monitor/cpuid.h"
#include "monitor/hypercall.h"
#include "monitor/msr.h"
#include "monitor/vipi.h"
#include "monitor/virq.h"

#define NPF_RESET_VECTOR 0xffff0ULL

static enum exit_action exit_intr(struct monitor *m, struct vcpu *vc)
{
	/* The interrupt is still pending: let the host's IDT take it now. */
	m->plat->take_interrupts(m->plat->ctx);
	return EXIT_RESUME;
}

static enum exit_action exit_reflect(struct monitor *m, struct vcpu *vc,
				     const struct vcpu_exit *x)
{
	/* #DB has no error code, and the CPU has already updated the guest's DR6; #AC's is
	 * always 0. */
	vcpu_inject_exception(m, vc, x->exc.vector, x->exc.has_error, x->exc.error);
	return EXIT_RESUME;
}

static enum exit_action exit_cpuid(struct monitor *m, struct vcpu *vc, const struct vcpu_exit *x)
{
	struct guest *g = vc->g;
	uint32_t leaf = (uint32_t)vc->regs.rax, subleaf = (uint32_t)vc->regs.rcx;
	struct cpuid_regs raw, out;

	m->plat->cpuid(m->plat->ctx, leaf, subleaf, &raw);
	cpuid_filter(leaf, subleaf, &raw, vcpu_get(m, vc, VCPU_REG_CR4),
		     g->boot && g->boot->x2apic, vc->lapic.id, &out);
	vc->regs.rax = out.eax;
	vc->regs.rbx = out.ebx;
	vc->regs.rcx = out.ecx;
	vc->regs.rdx = out.edx;
	vcpu_skip(m, vc, x, VCPU_LEN_CPUID);
	return EXIT_RESUME;
}

static enum exit_action exit_invd(struct monitor *m, struct vcpu *vc, const struct vcpu_exit *x)
{
	/* INVD would drop dirty lines of the whole machine: the guest gets a no-op. */
	vcpu_skip(m, vc, x, VCPU_LEN_INVD);
	return EXIT_RESUME;
}

static enum exit_action exit_hlt(struct monitor *m, struct vcpu *vc, const struct vcpu_exit *x)
{
	struct guest *g = vc->g;

	vcpu_skip(m, vc, x, VCPU_LEN_HLT);
	/*
	 * With interrupts off nothing can wake it (the monitor injects no NMI): on hardware
	 * the CPU would sleep for good. Stop it, so a finished test guest ends its part of
	 * the run instead of idling through its slices forever.
	 */
	if (!(vcpu_get(m, vc, VCPU_REG_RFLAGS) & RFLAGS_IF)) {
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

static enum exit_action exit_ud(struct monitor *m, struct vcpu *vc)
{
	/* Virtualization and MONITOR/MWAIT are not the guest's (CPUID hides them): #UD, as on
	 * a CPU without them. */
	vcpu_inject_exception(m, vc, VCPU_VEC_UD, false, 0);
	return EXIT_RESUME;
}

static enum exit_action exit_io(struct monitor *m, struct vcpu *vc, const struct vcpu_exit *x)
{
	struct guest *g = vc->g;
	bool long_mode = vcpu_long_mode(m, vc);
	struct io_cpu cpu = {
		.regs = &vc->regs,
		.rflags = vcpu_get(m, vc, VCPU_REG_RFLAGS),
		.es_base = long_mode ? 0 : vcpu_get(m, vc, VCPU_REG_ES_BASE),
		.default_addr_size = long_mode ? 8
				     : (vcpu_get(m, vc, VCPU_REG_CS_ATTR) & VCPU_SEG_DB) ? 4 : 2,
		.paging = vcpu_paging(m, vc),
	};

	switch (io_emulate(m, g, &x->io, &cpu)) {
	case IO_DONE:
		vcpu_advance(m, vc, x->next_rip);
		return EXIT_RESUME;
	case IO_AGAIN:
		return EXIT_RESUME;
	case IO_FAULT:
		return EXIT_STOP;
	case IO_RESET:
		vcpu_advance(m, vc, x->next_rip);
		return monitor_guest_reset(m, g, true, g->reset_why);
	}
	monitor_guest_stop(m, g, "IOIO: no result");
	return EXIT_STOP;
}

static enum exit_action exit_msr(struct monitor *m, struct vcpu *vc, const struct vcpu_exit *x)
{
	uint32_t msr = (uint32_t)vc->regs.rcx;
	struct msr_guest st = { vcpu_get(m, vc, VCPU_REG_EFER), vcpu_get(m, vc, VCPU_REG_PAT),
				vcpu_get(m, vc, VCPU_REG_CR0) };
	uint64_t val;

	if (!x->msr.write) {
		if (msr_read(m, vc, msr, &st, &val) < 0) {
			vcpu_inject_exception(m, vc, VCPU_VEC_GP, true, 0);
			return EXIT_RESUME;
		}
		vc->regs.rax = (uint32_t)val;
		vc->regs.rdx = val >> 32;
		vcpu_skip(m, vc, x, VCPU_LEN_RDMSR);
		return EXIT_RESUME;
	}
	val = (vc->regs.rdx << 32) | (uint32_t)vc->regs.rax;
	if (msr_write(m, vc, msr, &st, val) < 0) {
		vcpu_inject_exception(m, vc, VCPU_VEC_GP, true, 0);
		return EXIT_RESUME;
	}
	vcpu_set(m, vc, VCPU_REG_EFER, st.efer);
	vcpu_set(m, vc, VCPU_REG_PAT, st.pat);
	vcpu_skip(m, vc, x, VCPU_LEN_WRMSR);
	return EXIT_RESUME;
}

static enum exit_action exit_shutdown(struct monitor *m, struct vcpu *vc)
{
	char why[64];

	fmt_snprintf(why, sizeof(why), "shutdown (triple fault) at rip 0x%llx",
		     (unsigned long long)vcpu_get(m, vc, VCPU_REG_RIP));
	return monitor_guest_reset(m, vc->g, false, why);
}

static enum exit_action exit_irq_window(struct monitor *m, struct vcpu *vc)
{
	/* The guest can take an interrupt now: the next entry injects it. */
	m->vops->irq_window(m, vc, false);
	return EXIT_RESUME;
}

static enum exit_action exit_hypercall(struct monitor *m, struct vcpu *vc,
				       const struct vcpu_exit *x)
{
	enum exit_action a = EXIT_RESUME;

	/* Hypercalls are the guest kernel's, not its applications'. */
	if (vcpu_get(m, vc, VCPU_REG_CPL) != 0)
		vc->regs.rax = (uint64_t)-TM_EPERM;
	else
		a = hypercall_handle(m, vc);

	vcpu_skip(m, vc, x, VCPU_LEN_HYPERCALL);
	return a;
}

static enum exit_action exit_npf(struct monitor *m, struct vcpu *vc, const struct vcpu_exit *x)
{
	struct guest *g = vc->g;
	uint64_t rip = vcpu_get(m, vc, VCPU_REG_RIP);

	/*
	 * The fault came while the CPU delivered an event (pushing its frame, reading the IDT):
	 * the instruction at RIP did not cause it, so emulating that would be wrong, and the
	 * delivery itself cannot be emulated. Its IDT, GDT or stack lies on a page it may not
	 * use as memory.
	 */
	if (x->event.valid) {
		monitor_guest_stop(m, g, "nested page fault at gpa 0x%llx (%s) while delivering "
					 "vector %llu (EXITINTINFO 0x%llx), rip 0x%llx: its IDT, GDT "
					 "or stack is not its RAM",
				   (unsigned long long)x->npf.a.gpa, x->npf.a.write ? "write" : "read",
				   (unsigned long long)x->event.vector,
				   (unsigned long long)x->event.info, (unsigned long long)rip);
		return EXIT_STOP;
	}
	if (exit_npf_emulate(m, vc, x))
		return EXIT_RESUME;
	/* Real mode at F000:FFF0 is a PC's reset entry: an OS jumps there to reboot. */
	if (x->npf.a.fetch && x->npf.a.gpa == NPF_RESET_VECTOR &&
	    !(vcpu_get(m, vc, VCPU_REG_CR0) & CR0_PE))
		return monitor_guest_reset(m, g, false, "jump to the reset vector");
	/* Its state says whose access it was: the guest's, or one that ran with state not its
	 * own (the backend's dump). */
	m->vops->dump(m, vc);
	monitor_guest_stop(m, g, "isolation violation: nested page fault at gpa 0x%llx (%s%s%s%s) "
				 "rip 0x%llx",
			   (unsigned long long)x->npf.a.gpa,
			   x->npf.a.fetch ? "fetch" : x->npf.a.write ? "write" : "read",
			   x->npf.a.present ? ", protection" : ", not mapped",
			   x->npf.a.tables ? ", guest page table" : "", x->npf.user ? ", user" : "",
			   (unsigned long long)rip);
	return EXIT_STOP;
}

static enum exit_action exit_invalid(struct monitor *m, struct vcpu *vc,
				     const struct vcpu_exit *x)
{
	m->vops->dump(m, vc);
	monitor_guest_stop(m, vc->g, "%s", x->invalid.why);
	return EXIT_STOP;
}

static enum exit_action exit_unknown(struct monitor *m, struct vcpu *vc,
				     const struct vcpu_exit *x)
{
	m->vops->dump(m, vc);
	monitor_guest_stop(m, vc->g, "unknown exit code 0x%llx", (unsigned long long)x->code);
	return EXIT_STOP;
}

enum exit_action exit_handle(struct monitor *m, struct vcpu *vc, const struct vcpu_exit *x)
{
	switch (x->reason) {
	case VCPU_EXIT_EXCEPTION:
		return exit_reflect(m, vc, x);
	case VCPU_EXIT_INTR:
		return exit_intr(m, vc);
	case VCPU_EXIT_IRQ_WINDOW:
		return exit_irq_window(m, vc);
	case VCPU_EXIT_CPUID:
		return exit_cpuid(m, vc, x);
	case VCPU_EXIT_HLT:
		return exit_hlt(m, vc, x);
	case VCPU_EXIT_INVD:
		return exit_invd(m, vc, x);
	case VCPU_EXIT_WBINVD:
		return exit_wbinvd(m, vc, x);
	case VCPU_EXIT_UD:
		return exit_ud(m, vc);
	case VCPU_EXIT_IO:
		return exit_io(m, vc, x);
	case VCPU_EXIT_MSR:
		return exit_msr(m, vc, x);
	case VCPU_EXIT_HYPERCALL:
		return exit_hypercall(m, vc, x);
	case VCPU_EXIT_NPF:
		return exit_npf(m, vc, x);
	case VCPU_EXIT_SHUTDOWN:
		return exit_shutdown(m, vc);
	case VCPU_EXIT_INVALID:
		return exit_invalid(m, vc, x);
	case VCPU_EXIT_UNKNOWN:
		break;
	}
	return exit_unknown(m, vc, x);
}
