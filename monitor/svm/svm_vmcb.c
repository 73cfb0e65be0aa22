// SPDX-License-Identifier: GPL-2.0-only
/*
 * Filling a guest's VMCB: which exits the monitor wants, nested paging, the permission maps,
 * and the start state translated from the vendor-neutral struct vcpu_start.
 */
#include <errno.h>
#include <string.h>

#include "monitor/svm/svm.h"

/* Exceptions the monitor intercepts: #DB and #AC, reflected (a guest whose #DB or #AC
 * delivery raises the same exception again would otherwise never leave the CPU, not even for
 * the timer: CVE-2015-8104, CVE-2015-5307). */
#define SVM_EXCEPTIONS ((1u << VCPU_VEC_DB) | (1u << VCPU_VEC_AC))

#define SVM_MISC1 (VMCB_I1_INTR | VMCB_I1_NMI | VMCB_I1_CPUID | VMCB_I1_INVD | VMCB_I1_HLT | \
		   VMCB_I1_INVLPGA | VMCB_I1_IOIO_PROT | VMCB_I1_MSR_PROT | VMCB_I1_SHUTDOWN)
#define SVM_MISC2 (VMCB_I2_VMRUN | VMCB_I2_VMMCALL | VMCB_I2_VMLOAD | VMCB_I2_VMSAVE | \
		   VMCB_I2_STGI | VMCB_I2_CLGI | VMCB_I2_SKINIT | VMCB_I2_WBINVD | \
		   VMCB_I2_MONITOR | VMCB_I2_MWAIT | VMCB_I2_MWAIT_COND)

uint16_t svm_seg_attrib(uint64_t desc)
{
	return (uint16_t)(((desc >> 40) & 0xff) | (((desc >> 52) & 0xf) << 8));
}

static void svm_seg(struct vmcb_seg *s, uint16_t sel, uint64_t desc)
{
	s->selector = sel;
	s->attrib = svm_seg_attrib(desc);
	/* Flat: the limit in pages with G set covers 4 GiB. */
	s->limit = (desc & (1ULL << 55)) ? 0xffffffffu
					 : (uint32_t)((desc & 0xffff) | ((desc >> 32) & 0xf0000));
	/* 0 for the flat 64-bit start; a real-mode start has CS.base = vector << 12. */
	s->base = ((desc >> 16) & 0xffffff) | ((desc >> 32) & 0xff000000ULL);
}

int svm_vmcb_init(struct vmcb *vmcb, uint32_t asid, uint64_t msrpm_pa,
		  const struct vcpu_start *st)
{
	struct vmcb_control *c = &vmcb->control;
	struct vmcb_save *s = &vmcb->save;

	if (asid == 0 || (msrpm_pa & 0xfff) || (st->iopm_pa & 0xfff) || (st->npt_root & 0xfff))
		return -EINVAL;
	memset(vmcb, 0, sizeof(*vmcb));

	c->intercept_exceptions = SVM_EXCEPTIONS;
	c->intercept_misc1 = SVM_MISC1;
	c->intercept_misc2 = SVM_MISC2;
	c->iopm_base_pa = st->iopm_pa;
	c->msrpm_base_pa = msrpm_pa;
	c->asid = asid;
	c->tlb_control = VMCB_TLB_FLUSH_ALL;	/* the first run; svm.c resets it after */
	/* The guest's IF masks only virtual interrupts: the timer always gets through. */
	c->int_ctl = VMCB_INT_V_INTR_MASKING;
	c->nested_ctl = VMCB_NP_ENABLE;
	c->n_cr3 = st->npt_root;

	svm_seg(&s->cs, st->cs, st->cs_desc);
	svm_seg(&s->ds, st->ds, st->ds_desc);
	s->es = s->ss = s->fs = s->gs = s->ds;
	s->gdtr.base = st->gdt_base;
	s->gdtr.limit = st->gdt_limit;
	s->idtr.base = st->idt_base;
	s->idtr.limit = st->idt_limit;
	/* The 64-bit start has no IDT yet (the guest loads its own with interrupts off), a
	 * real-mode start the reset IVT; an empty LDT; a busy TSS descriptor so the state is
	 * one the CPU could have produced. */
	s->ldtr.attrib = 0x82;
	s->tr.attrib = 0x8b;
	s->tr.limit = 0x67;
	s->cpl = 0;
	s->efer = st->efer | EFER_SVME;
	s->cr0 = st->cr0;
	s->cr3 = st->cr3;
	s->cr4 = st->cr4;
	s->dr6 = st->dr6;
	s->dr7 = st->dr7;
	s->rflags = st->rflags;
	s->rip = st->rip;
	s->rsp = st->rsp;
	s->rax = st->rax;
	s->g_pat = st->pat;
	return 0;
}

void svm_vmcb_inject(struct vmcb *vmcb, const struct vcpu_event *ev)
{
	uint64_t e = ev->vector | VMCB_EVENT_VALID;

	switch (ev->type) {
	case VCPU_EVENT_EXCEPTION:
		e |= VMCB_EVENT_TYPE_EXCEPT;
		break;
	case VCPU_EVENT_NMI:
		e |= VMCB_EVENT_TYPE_NMI;
		break;
	case VCPU_EVENT_INTR:
		e |= VMCB_EVENT_TYPE_INTR;
		break;
	}
	if (ev->has_error)
		e |= VMCB_EVENT_EV | (uint64_t)ev->error << VMCB_EVENT_ERR_SHIFT;
	vmcb->control.event_inj = e;
}

bool svm_vmcb_interruptible(const struct vmcb *vmcb)
{
	return (vmcb->save.rflags & RFLAGS_IF) && !(vmcb->control.int_state & VMCB_INT_SHADOW) &&
	       !(vmcb->control.event_inj & VMCB_EVENT_VALID);
}

void svm_vmcb_irq_window(struct vmcb *vmcb, bool on)
{
	/* A virtual interrupt that ignores V_TPR: the CPU exits (VINTR) the moment it could
	 * deliver it, and the monitor injects the real vector then. */
	const uint32_t vint = VMCB_INT_V_IRQ | (0xfu << VMCB_INT_V_PRIO_SHIFT) | VMCB_INT_V_IGN_TPR;

	if (on) {
		vmcb->control.int_ctl |= vint;
		vmcb->control.intercept_misc1 |= VMCB_I1_VINTR;
	} else {
		vmcb->control.int_ctl &= ~vint;
		vmcb->control.intercept_misc1 &= ~VMCB_I1_VINTR;
	}
}

bool svm_vmcb_long_mode(const struct vmcb *vmcb)
{
	/* attrib bit 9 is the descriptor's L bit (bit 53). */
	return (vmcb->save.efer & EFER_LMA) && (vmcb->save.cs.attrib & (1u << 9));
}

void svm_vmcb_set_rip(struct svm_vcpu *v, uint64_t next)
{
	v->vmcb->save.rip = svm_vmcb_long_mode(v->vmcb) ? next : (uint32_t)next;
	v->vmcb->control.int_state &= ~VMCB_INT_SHADOW;
}

void svm_vmcb_skip(struct svm_vcpu *v, unsigned len)
{
	/* With NRIP save the CPU knows best (prefixes included); without, the length of the
	 * instruction's only encoding. */
	if (v->nrips && v->vmcb->control.next_rip)
		svm_vmcb_set_rip(v, v->vmcb->control.next_rip);
	else
		svm_vmcb_set_rip(v, v->vmcb->save.rip + len);
}
