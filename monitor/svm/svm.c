// SPDX-License-Identifier: GPL-2.0-only
/*
 * The SVM backend's privileged half: is SVM there and allowed, EFER.SVME and NXE, the host
 * save area, a VMCB per vCPU, and the world switch around VMRUN. Exits are decoded by
 * svm_exit.c and handled by the core's shared handlers (monitor/exit.c).
 */
#include "monitor/svm/svm.h"

#include <errno.h>

#include "monitor/cpu.h"
#include "monitor/cpuid.h"
#include "monitor/msr.h"
#include "monitor/platform.h"
#include "monitor/spec.h"
#include "monitor/svm/svm_switch.h"

/* MONITOR_POOL_PER_CPU (monitor/monitor.h) counts a host save area, a host state page and a
 * VMCB per vCPU of a CPU, each one page. */
_Static_assert(VMCB_SIZE == MONITOR_PAGE_SIZE && MONITOR_CPU_SVM == 2 * MONITOR_PAGE_SIZE &&
	       MONITOR_CPU_VCPU == MONITOR_PAGE_SIZE + MONITOR_CPU_FPU,
	       "the per-CPU pool counts the SVM pages");

static struct svm_cpu svm_cpu_state;

/* On the CPU pc itself: SVM on, its host save area. svm_init checked the boot CPU; the
 * others are of the same model (a mixed machine fails here, on EFER.SVME). */
static int svm_init_cpu(struct monitor *m, struct pcpu *pc)
{
	struct svm_cpu *c = m->arch;
	struct svm_pcpu *h = &c->pcpu[pc->index];
	uint64_t pa;
	int err;

	if (cpu_rdmsr(MSR_VM_CR) & VM_CR_SVMDIS) {
		monitor_log(m, "svm: cpu %u: SVM is disabled by the firmware (VM_CR.SVMDIS)",
			    pc->index);
		return -ENODEV;
	}
	/* The nested tables' NX bit (the zero page below 1 MiB is never executable) is
	 * honoured only with the host's EFER.NXE; without it the bit is reserved. Whatever
	 * the firmware chose, it is set here. */
	cpu_wrmsr(MSR_EFER, cpu_rdmsr(MSR_EFER) | EFER_NXE | EFER_SVME);
	if (!h->hsave_pa) {
		err = monitor_pool_alloc(m, MONITOR_PAGE_SIZE, MONITOR_PAGE_SIZE, &h->hsave_pa,
					 NULL);
		if (!err)
			err = monitor_pool_alloc(m, MONITOR_PAGE_SIZE, MONITOR_PAGE_SIZE, &pa,
						 NULL);
		if (err) {
			h->hsave_pa = 0;
			cpu_wrmsr(MSR_EFER, cpu_rdmsr(MSR_EFER) & ~EFER_SVME);
			return err;
		}
		h->host_pa = pa;
	}
	cpu_wrmsr(MSR_VM_HSAVE_PA, h->hsave_pa);
	h->host_cr3 = cpu_read_cr3();
	/* The host's FS, GS, TR, LDTR and syscall MSRs never change: save them once. */
	svm_vmsave(h->host_pa);
	pc->arch = h;
	return 0;
}

static void svm_fini(struct monitor *m)
{
	cpu_wrmsr(MSR_VM_HSAVE_PA, 0);
	cpu_wrmsr(MSR_EFER, cpu_rdmsr(MSR_EFER) & ~EFER_SVME);
}

static int svm_init(struct monitor *m)
{
	struct svm_cpu *c = &svm_cpu_state;
	struct cpuid_regs r;
	void *va;
	int err;

	cpu_cpuid(0x80000000, 0, &r);
	if (r.eax < 0x8000000a) {
		monitor_log(m, "svm: CPUID has no leaf 0x8000000a: no SVM");
		return -ENODEV;
	}
	cpu_cpuid(0x80000001, 0, &r);
	if (!(r.ecx & CPUID_81_ECX_SVM)) {
		monitor_log(m, "svm: this CPU has no SVM (CPUID 0x80000001 ECX bit 2)");
		return -ENODEV;
	}
	if (!(r.edx & CPUID_81_EDX_PAGE1GB)) {
		monitor_log(m, "svm: this CPU has no 1 GiB pages (the guests' boot tables use "
			       "them)");
		return -ENODEV;
	}
	if (!(r.edx & CPUID_81_EDX_NX)) {
		monitor_log(m, "svm: this CPU has no NX (the nested page tables use it)");
		return -ENODEV;
	}
	if (cpu_rdmsr(MSR_VM_CR) & VM_CR_SVMDIS) {
		monitor_log(m, "svm: SVM is disabled by the firmware (VM_CR.SVMDIS)");
		return -ENODEV;
	}
	cpu_cpuid(0x8000000a, 0, &r);
	if (!(r.edx & CPUID_8A_EDX_NP)) {
		monitor_log(m, "svm: this CPU has no nested paging (CPUID 0x8000000a EDX bit 0)");
		return -ENODEV;
	}
	if (r.ebx <= MONITOR_MAX_GUESTS) {
		monitor_log(m, "svm: only %u ASIDs", r.ebx);
		return -ENODEV;
	}
	c->nr_asids = r.ebx;
	c->nrips = r.edx & CPUID_8A_EDX_NRIPS;
	m->arch = c;
	if ((err = svm_init_cpu(m, &m->cpu[0])) < 0)
		return err;
	/* One MSR map for every guest: the policy table (monitor/policy.h) for this CPU. */
	if ((err = monitor_pool_alloc(m, MSRPM_SIZE, MONITOR_PAGE_SIZE, &c->msrpm_pa, &va)) < 0 ||
	    (err = svm_msrpm_encode(va, MSRPM_SIZE, policy_msrs, policy_nr_msrs,
				    platform_spec_caps())) < 0) {
		svm_fini(m);
		return err;
	}
	monitor_log(m, "svm: SVM revision %u, %u ASIDs, nested paging, NRIP save %s, "
		       "decode assists %s",
		    r.eax & 0xff, r.ebx, c->nrips ? "yes" : "no",
		    (r.edx & (1u << 7)) ? "yes" : "no");
	spec_log(m, platform_spec_caps());
	return 0;
}

static int svm_create(struct monitor *m, struct vcpu *vc, const struct vcpu_start *st)
{
	struct svm_cpu *c = m->arch;
	struct guest *g = vc->g;
	struct svm_vcpu *v = &c->vcpu[g->id][vc->index];
	void *va;
	int err;

	/* A restart reuses the vCPU's VMCB. */
	if (!v->vmcb) {
		err = monitor_pool_alloc(m, VMCB_SIZE, VMCB_SIZE, &v->vmcb_pa, &va);
		if (err)
			return err;
		v->vmcb = va;
	}
	/* 0 is the host's. A CPU runs one vCPU of a guest at most: the guest's vCPUs can share
	 * its tag. */
	v->asid = g->id + 1;
	v->nrips = c->nrips;
	err = svm_vmcb_init(v->vmcb, v->asid, c->msrpm_pa, st);
	if (err)
		return err;
	vc->arch = v;
	vc->regs = (struct vcpu_regs){ .rax = st->rax, .rsi = st->rsi };
	return 0;
}

/*
 * The guest's CR3 after an exit is the monitor's: the VMCB holds a copy of the host state
 * VMRUN saved (RIP after VMRUN, the monitor's CR3), so the guest ran as the monitor. A guest
 * cannot use that CR3 (the monitor's tables lie outside every guest's RAM): its next page
 * walk faults, and the isolation-violation stop follows. Said once per vCPU, with what tells
 * the ways there apart: the VMCB and host save area addresses (the same page?), the MSR's
 * value, the host save area's RIP, RSP and CR3, and what the VMCB held at the entry and the
 * exit before.
 */
static void svm_run_host_state(struct monitor *m, struct vcpu *vc, uint64_t host_cr3)
{
	struct svm_pcpu *h = vc->cpu->arch;
	struct svm_vcpu *v = vc->arch;
	const struct vmcb_save *hs = &((const struct vmcb *)(uintptr_t)h->hsave_pa)->save;

	if (v->told_host_state)
		return;
	v->told_host_state = true;
	monitor_log(m, "svm: guest %c: exit 0x%llx brought back the host's state (cr3 0x%llx, "
		       "rip 0x%llx, rsp 0x%llx) on cpu %u: VMCB 0x%llx, host save area 0x%llx "
		       "(VM_HSAVE_PA 0x%llx) with rip 0x%llx rsp 0x%llx cr3 0x%llx",
		    vc->g->letter, (unsigned long long)v->vmcb->control.exit_code,
		    (unsigned long long)host_cr3, (unsigned long long)v->vmcb->save.rip,
		    (unsigned long long)v->vmcb->save.rsp, vc->cpu->index,
		    (unsigned long long)v->vmcb_pa, (unsigned long long)h->hsave_pa,
		    (unsigned long long)cpu_rdmsr(MSR_VM_HSAVE_PA),
		    (unsigned long long)hs->rip, (unsigned long long)hs->rsp,
		    (unsigned long long)hs->cr3);
	monitor_log(m, "svm: guest %c: entered with rip 0x%llx cr3 0x%llx; the exit before: "
		       "0x%llx at rip 0x%llx cr3 0x%llx",
		    vc->g->letter, (unsigned long long)v->entry_rip,
		    (unsigned long long)v->entry_cr3, (unsigned long long)v->prev_code,
		    (unsigned long long)v->prev_rip, (unsigned long long)v->prev_cr3);
}

static void svm_run(struct monitor *m, struct vcpu *vc)
{
	struct svm_pcpu *h = vc->cpu->arch;
	struct svm_vcpu *v = vc->arch;
	struct svm_switch sw = { v->vmcb_pa, h->host_pa, &vc->regs };

	v->entry_rip = v->vmcb->save.rip;
	v->entry_cr3 = v->vmcb->save.cr3;
	vc->entry_tsc = cpu_rdtsc();
	svm_world_switch(&sw);
	vc->exit_tsc = cpu_rdtsc();
	if (v->vmcb->save.cr3 == h->host_cr3)
		svm_run_host_state(m, vc, h->host_cr3);
	v->prev_code = v->vmcb->control.exit_code;
	v->prev_rip = v->vmcb->save.rip;
	v->prev_cr3 = v->vmcb->save.cr3;
	/* Each guest has its own ASID: nothing to flush after the first run. */
	v->vmcb->control.tlb_control = VMCB_TLB_NOTHING;
}

const struct vcpu_ops svm_vcpu_ops = {
	.name = "svm",
	.init = svm_init,
	.init_cpu = svm_init_cpu,
	.create = svm_create,
	.run = svm_run,
	.handle_exit = svm_exit_dispatch,
	.inject = svm_vcpu_inject,
	.interruptible = svm_vcpu_interruptible,
	.event_queued = svm_vcpu_event_queued,
	.irq_window = svm_vcpu_irq_window,
	.dump = svm_dump,
	.fini = svm_fini,
	.get = svm_vcpu_get,
	.set = svm_vcpu_set,
	.advance = svm_vcpu_advance,
	.exit_name = svm_vcpu_exit_name,
};
