// SPDX-License-Identifier: GPL-2.0-only
/*
 * The VMX backend's privileged half: is VMX there and allowed (CPUID, IA32_FEATURE_CONTROL),
 * the capability MSRs into struct vmx_caps, CR0/CR4 fixed bits and a VMXON region per CPU,
 * a VMCS per vCPU set up on the CPU that runs it, and the world switch around
 * VMLAUNCH/VMRESUME. Exits are decoded by vmx_exit.c and handled by the core's shared
 * handlers (monitor/exit.c).
 */
#include "monitor/vmx/vmx.h"

#include <errno.h>
#include <string.h>

#include "lib/fmt.h"
#include "monitor/cpu.h"
#include "monitor/cpuid.h"
#include "monitor/desc.h"
#include "monitor/msr.h"
#include "monitor/platform.h"
#include "monitor/policy.h"
#include "monitor/spec.h"
#include "monitor/vmx/vmx_boot.h"
#include "monitor/vmx/vmx_msrbitmap.h"
#include "monitor/vmx/vmx_switch.h"
#include "partition/npt.h"

struct vmx_cpu vmx_cpu_state;

int vmx_probe(struct vmx_caps *c)
{
	struct vmx_msrs r = { 0 };
	struct cpuid_regs id;

	memset(c, 0, sizeof(*c));
	cpu_cpuid(1, 0, &id);
	if (!(id.ecx & CPUID_1_ECX_VMX)) {
		fmt_snprintf(c->error, sizeof(c->error),
			     "vmx: this CPU has no VMX (CPUID 1 ECX bit 5)");
		return -ENODEV;
	}
	r.basic = cpu_rdmsr(MSR_IA32_VMX_BASIC);
	r.pinbased = cpu_rdmsr(MSR_IA32_VMX_PINBASED_CTLS);
	r.procbased = cpu_rdmsr(MSR_IA32_VMX_PROCBASED_CTLS);
	r.exit = cpu_rdmsr(MSR_IA32_VMX_EXIT_CTLS);
	r.entry = cpu_rdmsr(MSR_IA32_VMX_ENTRY_CTLS);
	if (r.basic & VMX_BASIC_TRUE_CTLS) {
		r.true_pinbased = cpu_rdmsr(MSR_IA32_VMX_TRUE_PINBASED_CTLS);
		r.true_procbased = cpu_rdmsr(MSR_IA32_VMX_TRUE_PROCBASED_CTLS);
		r.true_exit = cpu_rdmsr(MSR_IA32_VMX_TRUE_EXIT_CTLS);
		r.true_entry = cpu_rdmsr(MSR_IA32_VMX_TRUE_ENTRY_CTLS);
	}
	if ((r.procbased >> 32) & VMX_PROC_SECONDARY) {
		r.procbased2 = cpu_rdmsr(MSR_IA32_VMX_PROCBASED_CTLS2);
		if ((r.procbased2 >> 32) & (VMX_PROC2_EPT | VMX_PROC2_VPID))
			r.ept_vpid_cap = cpu_rdmsr(MSR_IA32_VMX_EPT_VPID_CAP);
	}
	r.misc = cpu_rdmsr(MSR_IA32_VMX_MISC);
	r.cr0_fixed0 = cpu_rdmsr(MSR_IA32_VMX_CR0_FIXED0);
	r.cr0_fixed1 = cpu_rdmsr(MSR_IA32_VMX_CR0_FIXED1);
	r.cr4_fixed0 = cpu_rdmsr(MSR_IA32_VMX_CR4_FIXED0);
	r.cr4_fixed1 = cpu_rdmsr(MSR_IA32_VMX_CR4_FIXED1);
	return vmx_caps_derive(&r, c);
}

/* On the CPU pc itself: IA32_FEATURE_CONTROL, the fixed CR bits, VMXON. vmx_init checked
 * the boot CPU; the others are of the same model. */
static int vmx_init_cpu(struct monitor *m, struct pcpu *pc)
{
	struct vmx_cpu *c = m->arch;
	struct vmx_pcpu *h = &c->pcpu[pc->index];
	uint64_t fc = cpu_rdmsr(MSR_IA32_FEATURE_CONTROL), value, cr0, cr4;
	char err[160];
	bool write;
	void *va;
	int e;

	if (vmx_feature_control(fc, &write, &value, err, sizeof(err)) < 0) {
		monitor_log(m, "%s (cpu %u)", err, pc->index);
		return -ENODEV;
	}
	if (write)
		cpu_wrmsr(MSR_IA32_FEATURE_CONTROL, value);
	if (!h->vmxon_pa) {
		if ((e = monitor_pool_alloc(m, MONITOR_PAGE_SIZE, MONITOR_PAGE_SIZE, &h->vmxon_pa,
					    &va)) < 0)
			return e;
		memset(va, 0, MONITOR_PAGE_SIZE);
		memcpy(va, &c->caps.revision, sizeof(c->caps.revision));
	}
	/* The EPT tables' NX needs nothing of the host (EPT has its own X bit); the monitor's
	 * own tables may use NX, as under SVM. */
	cpu_wrmsr(MSR_EFER, cpu_rdmsr(MSR_EFER) | EFER_NXE);
	vmx_vmxon_crs(&c->caps, cpu_read_cr0(), cpu_read_cr4(), &cr0, &cr4);
	cpu_write_cr0(cr0);
	cpu_write_cr4(cr4);
	if (!vmx_vmxon(h->vmxon_pa)) {
		monitor_log(m, "vmx: cpu %u: VMXON failed (CR0 0x%llx, CR4 0x%llx)", pc->index,
			    (unsigned long long)cr0, (unsigned long long)cr4);
		cpu_write_cr4(cpu_read_cr4() & ~(1ULL << 13));
		return -ENODEV;
	}
	h->on = true;
	h->current = NULL;
	h->loaded = NULL;
	/* Nothing cached from the EPT tables' making may survive. */
	vmx_invept(VMX_INVEPT_ALL, 0);
	pc->arch = h;
	return 0;
}

static void vmx_fini(struct monitor *m)
{
	struct vmx_cpu *c = m->arch;
	struct pcpu *pc = monitor_this_cpu(m);
	struct vmx_pcpu *h = c ? &c->pcpu[pc->index] : NULL;

	if (!h || !h->on)
		return;
	vmx_vmxoff();
	cpu_write_cr4(cpu_read_cr4() & ~(1ULL << 13));	/* CR4.VMXE */
	h->on = false;
	h->current = NULL;
}

static int vmx_init(struct monitor *m)
{
	struct vmx_cpu *c = &vmx_cpu_state;
	void *va;
	int err;

	if (vmx_probe(&c->caps) < 0) {
		monitor_log(m, "%s", c->caps.error);
		return -ENODEV;
	}
	m->arch = c;
	if ((err = vmx_init_cpu(m, &m->cpu[0])) < 0)
		return err;
	/* One MSR bitmap for every guest: the policy table (monitor/policy.h) for this CPU. */
	if ((err = monitor_pool_alloc(m, VMX_MSR_BITMAP_SIZE, MONITOR_PAGE_SIZE,
				      &c->msr_bitmap_pa, &va)) < 0 ||
	    (err = vmx_msrbitmap_encode(va, VMX_MSR_BITMAP_SIZE, policy_msrs, policy_nr_msrs,
					platform_spec_caps())) < 0) {
		vmx_fini(m);
		return err;
	}
	monitor_log(m, "vmx: VMX revision 0x%x, EPT (2M %s, 1G %s), VPID, unrestricted guest, "
		       "preemption timer %s (rate %u), %s controls",
		    c->caps.revision, c->caps.ept_2m ? "yes" : "no", c->caps.ept_1g ? "yes" : "no",
		    c->caps.preemption_timer ? "yes" : "no", c->caps.timer_rate,
		    c->caps.true_ctls ? "TRUE" : "legacy");
	spec_log(m, platform_spec_caps());
	return 0;
}

/* The VMCS access rights of a GDT descriptor: bits 47:40 in 7:0, 55:52 in 15:12. VM entry
 * wants usable code and data segments accessed; a descriptor that is not present is an
 * unusable segment. */
static uint32_t vmx_seg_ar(uint64_t desc)
{
	if (!(desc & (1ULL << 47)))
		return VMX_AR_UNUSABLE;
	return (uint32_t)(((desc >> 40) & 0xff) | (((desc >> 52) & 0xf) << 12)) | 1u;
}

static uint32_t vmx_seg_limit(uint64_t desc)
{
	return (desc & (1ULL << 55)) ? 0xffffffffu
				     : (uint32_t)((desc & 0xffff) | ((desc >> 32) & 0xf0000));
}

static uint64_t vmx_seg_base(uint64_t desc)
{
	return ((desc >> 16) & 0xffffff) | ((desc >> 32) & 0xff000000ULL);
}

/* Segment register n (0 ES ... 5 GS) of the guest from a selector and descriptor. */
static void vmx_guest_seg(unsigned n, uint16_t sel, uint64_t desc)
{
	vmx_write(VMCS_GUEST_ES_SEL + 2 * n, sel);
	vmx_write(VMCS_GUEST_ES_LIMIT + 2 * n, vmx_seg_limit(desc));
	vmx_write(VMCS_GUEST_ES_AR + 2 * n, vmx_seg_ar(desc));
	vmx_write(VMCS_GUEST_ES_BASE + 2 * n, vmx_seg_base(desc));
}

struct vmx_dtr {
	uint16_t limit;
	uint64_t base;
} __attribute__((packed));

/* The host state: this CPU's own GDT, TSS and IDT (monitor/desc.c), CR3, EFER, PAT. */
static void vmx_host_state(void)
{
	struct vmx_dtr gdtr, idtr;
	const uint64_t *gdt;
	uint64_t tss;

	__asm__ volatile("sgdt %0" : "=m"(gdtr));
	__asm__ volatile("sidt %0" : "=m"(idtr));
	gdt = (const uint64_t *)(uintptr_t)gdtr.base;
	tss = vmx_seg_base(gdt[DESC_TSS / 8]) | gdt[DESC_TSS / 8 + 1] << 32;
	vmx_write(VMCS_HOST_CR0, cpu_read_cr0());
	vmx_write(VMCS_HOST_CR3, cpu_read_cr3());
	vmx_write(VMCS_HOST_CR4, cpu_read_cr4());
	vmx_write(VMCS_HOST_CS_SEL, DESC_CS);
	vmx_write(VMCS_HOST_SS_SEL, DESC_DS);
	vmx_write(VMCS_HOST_DS_SEL, DESC_DS);
	vmx_write(VMCS_HOST_ES_SEL, DESC_DS);
	vmx_write(VMCS_HOST_FS_SEL, DESC_DS);
	vmx_write(VMCS_HOST_GS_SEL, DESC_DS);
	vmx_write(VMCS_HOST_TR_SEL, DESC_TSS);
	vmx_write(VMCS_HOST_FS_BASE, cpu_rdmsr(MSR_FS_BASE));
	vmx_write(VMCS_HOST_GS_BASE, cpu_rdmsr(MSR_GS_BASE));
	vmx_write(VMCS_HOST_TR_BASE, tss);
	vmx_write(VMCS_HOST_GDTR_BASE, gdtr.base);
	vmx_write(VMCS_HOST_IDTR_BASE, idtr.base);
	vmx_write(VMCS_HOST_SYSENTER_CS, cpu_rdmsr(MSR_SYSENTER_CS));
	vmx_write(VMCS_HOST_SYSENTER_ESP, cpu_rdmsr(MSR_SYSENTER_ESP));
	vmx_write(VMCS_HOST_SYSENTER_EIP, cpu_rdmsr(MSR_SYSENTER_EIP));
	vmx_write(VMCS_HOST_EFER, cpu_rdmsr(MSR_EFER));
	vmx_write(VMCS_HOST_PAT, cpu_rdmsr(MSR_PAT));
}

/* The controls, the maps and the guest's start state into the current VMCS. */
static void vmx_setup(struct vmx_cpu *c, struct vmx_vcpu *v)
{
	const struct vmx_caps *k = &c->caps;
	const struct vcpu_start *st = &v->start;
	uint64_t efer = st->efer;

	if ((efer & EFER_LME) && (st->cr0 & CR0_PG))
		efer |= EFER_LMA;
	v->proc = k->proc.value;
	v->entry = k->entry.value | ((efer & EFER_LMA) ? VMX_ENTRY_CTL_IA32E_GUEST : 0);
	vmx_write(VMCS_PIN_CTLS, k->pin.value |
				 (k->preemption_timer ? VMX_PIN_PREEMPTION_TIMER : 0));
	vmx_write(VMCS_PROC_CTLS, v->proc);
	vmx_write(VMCS_PROC_CTLS2, k->proc2.value);
	vmx_write(VMCS_EXIT_CTLS, k->exit.value);
	vmx_write(VMCS_ENTRY_CTLS, v->entry);
	vmx_write(VMCS_EXCEPTION_BITMAP, POLICY_EXCEPTIONS);
	vmx_write(VMCS_PF_ERROR_MASK, 0);
	vmx_write(VMCS_PF_ERROR_MATCH, 0);
	vmx_write(VMCS_CR3_TARGET_COUNT, 0);
	vmx_write(VMCS_EXIT_MSR_STORE_COUNT, 0);
	vmx_write(VMCS_EXIT_MSR_LOAD_COUNT, 0);
	vmx_write(VMCS_ENTRY_MSR_LOAD_COUNT, 0);
	vmx_write(VMCS_ENTRY_INTR_INFO, 0);
	vmx_write(VMCS_VPID, v->vpid);
	vmx_write(VMCS_EPTP, v->eptp);
	/* The SVM I/O map's first 8 KiB are bitmaps A (ports 0-0x7fff) and B, bit for bit. */
	vmx_write(VMCS_IO_BITMAP_A, st->iopm_pa);
	vmx_write(VMCS_IO_BITMAP_B, st->iopm_pa + 4096);
	vmx_write(VMCS_MSR_BITMAP, c->msr_bitmap_pa);
	vmx_write(VMCS_TSC_OFFSET, 0);
	vmx_write(VMCS_CR0_MASK, k->cr0_mask);
	vmx_write(VMCS_CR4_MASK, k->cr4_mask);
	vmx_write(VMCS_CR0_SHADOW, st->cr0);
	vmx_write(VMCS_CR4_SHADOW, st->cr4);
	vmx_host_state();

	vmx_write(VMCS_GUEST_CR0, vmx_guest_cr0(k, st->cr0));
	vmx_write(VMCS_GUEST_CR3, st->cr3);
	vmx_write(VMCS_GUEST_CR4, vmx_guest_cr4(k, st->cr4));
	vmx_write(VMCS_GUEST_DR7, st->dr7);
	vmx_write(VMCS_GUEST_DEBUGCTL, 0);
	vmx_write(VMCS_GUEST_EFER, efer);
	vmx_write(VMCS_GUEST_PAT, st->pat);
	vmx_write(VMCS_GUEST_RIP, st->rip);
	vmx_write(VMCS_GUEST_RSP, st->rsp);
	vmx_write(VMCS_GUEST_RFLAGS, st->rflags | 2);
	vmx_guest_seg(1, st->cs, st->cs_desc);
	for (unsigned n = 0; n < 6; n++)
		if (n != 1)
			vmx_guest_seg(n, st->ds, st->ds_desc);
	/* An empty LDT; a busy TSS, so the state is one the CPU could have produced. */
	vmx_write(VMCS_GUEST_LDTR_SEL, 0);
	vmx_write(VMCS_GUEST_LDTR_BASE, 0);
	vmx_write(VMCS_GUEST_LDTR_LIMIT, 0);
	vmx_write(VMCS_GUEST_LDTR_AR, VMX_AR_UNUSABLE);
	vmx_write(VMCS_GUEST_TR_SEL, 0);
	vmx_write(VMCS_GUEST_TR_BASE, 0);
	vmx_write(VMCS_GUEST_TR_LIMIT, 0x67);
	vmx_write(VMCS_GUEST_TR_AR, 0x8b);
	vmx_write(VMCS_GUEST_GDTR_BASE, st->gdt_base);
	vmx_write(VMCS_GUEST_GDTR_LIMIT, st->gdt_limit);
	vmx_write(VMCS_GUEST_IDTR_BASE, st->idt_base);
	vmx_write(VMCS_GUEST_IDTR_LIMIT, st->idt_limit);
	vmx_write(VMCS_GUEST_SYSENTER_CS, 0);
	vmx_write(VMCS_GUEST_SYSENTER_ESP, 0);
	vmx_write(VMCS_GUEST_SYSENTER_EIP, 0);
	vmx_write(VMCS_GUEST_INTERRUPTIBILITY, 0);
	vmx_write(VMCS_GUEST_ACTIVITY, VMX_ACTIVITY_ACTIVE);
	vmx_write(VMCS_GUEST_PENDING_DBG, 0);
	vmx_write(VMCS_LINK_POINTER, ~0ULL);
	v->dr6 = st->dr6;
	v->cr2 = 0;
	v->star = v->lstar = v->cstar = v->sfmask = v->kernel_gs_base = 0;
}

void vmx_load(struct vcpu *vc)
{
	struct vmx_vcpu *v = vc->arch;
	struct vmx_pcpu *h = vc->cpu->arch;

	if (!v->ready) {
		/* A fresh start (or a restart): the VMCS from scratch, launched anew. */
		vmx_vmclear(v->vmcs_pa);
		vmx_vmptrld(v->vmcs_pa);
		h->current = v;
		vmx_setup(&vmx_cpu_state, v);
		v->ready = true;
		v->launched = false;
		return;
	}
	if (h->current != v) {
		vmx_vmptrld(v->vmcs_pa);
		h->current = v;
	}
}

static int vmx_create(struct monitor *m, struct vcpu *vc, const struct vcpu_start *st)
{
	struct vmx_cpu *c = m->arch;
	struct guest *g = vc->g;
	struct vmx_vcpu *v = &c->vcpu[g->id][vc->index];
	int err;

	if ((st->iopm_pa & 0xfff) || (st->npt_root & 0xfff))
		return -EINVAL;
	/* A restart reuses the vCPU's VMCS. */
	if (!v->vmcs) {
		err = monitor_pool_alloc(m, MONITOR_PAGE_SIZE, MONITOR_PAGE_SIZE, &v->vmcs_pa,
					 &v->vmcs);
		if (err)
			return err;
		memset(v->vmcs, 0, MONITOR_PAGE_SIZE);
		memcpy(v->vmcs, &c->caps.revision, sizeof(c->caps.revision));
	}
	/* 0 is the host's. A CPU runs one vCPU of a guest at most: the guest's vCPUs can share
	 * its tag, as they share its EPT tables. */
	v->vpid = (uint16_t)(g->id + 1);
	v->eptp = st->npt_root | EPTP_MT_WB | EPTP_WALK_4;
	v->start = *st;
	v->ready = false;
	v->entry_error = 0;
	/* Whatever of an earlier run is still in a CPU belongs to that run. */
	for (unsigned i = 0; i < MONITOR_MAX_CPUS; i++)
		if (c->pcpu[i].loaded == v)
			c->pcpu[i].loaded = NULL;
	vc->arch = v;
	vc->regs = (struct vcpu_regs){ .rax = st->rax, .rsi = st->rsi };
	return 0;
}

/* What VMX leaves in the CPU across an entry and exit: the previous vCPU's out, v's in. */
static void vmx_switch_leftovers(struct vmx_pcpu *h, struct vmx_vcpu *v)
{
	struct vmx_vcpu *o = h->loaded;
	uint64_t dr6;

	if (o == v)
		return;
	if (o) {
		o->star = cpu_rdmsr(MSR_STAR);
		o->lstar = cpu_rdmsr(MSR_LSTAR);
		o->cstar = cpu_rdmsr(MSR_CSTAR);
		o->sfmask = cpu_rdmsr(MSR_SFMASK);
		o->kernel_gs_base = cpu_rdmsr(MSR_KERNEL_GS_BASE);
		o->cr2 = cpu_read_cr2();
		__asm__ volatile("mov %%db6, %0" : "=r"(dr6));
		o->dr6 = dr6;
	}
	cpu_wrmsr(MSR_STAR, v->star);
	cpu_wrmsr(MSR_LSTAR, v->lstar);
	cpu_wrmsr(MSR_CSTAR, v->cstar);
	cpu_wrmsr(MSR_SFMASK, v->sfmask);
	cpu_wrmsr(MSR_KERNEL_GS_BASE, v->kernel_gs_base);
	cpu_write_cr2(v->cr2);
	__asm__ volatile("mov %0, %%db6" : : "r"(v->dr6));
	h->loaded = v;
}

static void vmx_run(struct monitor *m, struct vcpu *vc)
{
	struct vmx_cpu *c = m->arch;
	struct vmx_pcpu *h = vc->cpu->arch;
	struct vmx_vcpu *v = vc->arch;
	struct vmx_switch sw = { &vc->regs, 0 };
	int rc;

	vmx_load(vc);
	vmx_switch_leftovers(h, v);
	/*
	 * The slot's end as a preemption timer too: the LAPIC timer's interrupt exits the guest
	 * as well, but an emulator may hold a host interrupt back while the guest's IF is clear
	 * (Bochs 2.7 does), and the timer needs no interrupt at all.
	 */
	if (c->caps.preemption_timer) {
		uint64_t now = cpu_rdtsc(), end = platform_timer_deadline(vc->cpu->index);
		uint64_t ticks = end > now ? (end - now) >> c->caps.timer_rate : 0;

		vmx_write(VMCS_PREEMPTION_TIMER, ticks > 0xffffffffULL ? 0xffffffffULL : ticks);
	}
	sw.launched = v->launched;
	vc->entry_tsc = cpu_rdtsc();
	rc = vmx_world_switch(&sw);
	vc->exit_tsc = cpu_rdtsc();
	v->entry_error = rc;
	v->insn_error = rc == VMX_SWITCH_FAIL_VALID ? (uint32_t)vmx_read(VMCS_INSN_ERROR) : 0;
	if (rc == VMX_SWITCH_EXITED)
		v->launched = true;
}

const struct vcpu_ops vmx_vcpu_ops = {
	.name = "vmx",
	.init = vmx_init,
	.init_cpu = vmx_init_cpu,
	.create = vmx_create,
	.run = vmx_run,
	.handle_exit = vmx_exit_dispatch,
	.inject = vmx_vcpu_inject,
	.interruptible = vmx_vcpu_interruptible,
	.event_queued = vmx_vcpu_event_queued,
	.irq_window = vmx_vcpu_irq_window,
	.dump = vmx_dump,
	.fini = vmx_fini,
	.get = vmx_vcpu_get,
	.set = vmx_vcpu_set,
	.advance = vmx_vcpu_advance,
	.exit_name = vmx_vcpu_exit_name,
};

int vmx_boot_pt_flags(unsigned *flags, char *why, size_t len)
{
	struct vmx_caps *c = &vmx_cpu_state.caps;

	if (vmx_probe(c) < 0) {
		fmt_snprintf(why, len, "%s", c->error);
		return -ENODEV;
	}
	*flags = c->pt_flags;
	return 0;
}
