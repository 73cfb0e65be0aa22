// SPDX-License-Identifier: GPL-2.0-only
/*
 * Filling a guest's VMCB: which exits the monitor wants, nested paging, the permission maps,
 * and the start state translated from the vendor-neutral struct vcpu_start.
 */
#include <errno.h>
#include <string.h>

#include "monitor/svm/svm.h"


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

	c->intercept_exceptions = POLICY_EXCEPTIONS;
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

void svm_vcpu_inject(struct monitor *m, struct vcpu *vc, const struct vcpu_event *ev)
{
	svm_vmcb_inject(((struct svm_vcpu *)vc->arch)->vmcb, ev);
}

bool svm_vcpu_interruptible(struct monitor *m, struct vcpu *vc)
{
	return svm_vmcb_interruptible(((struct svm_vcpu *)vc->arch)->vmcb);
}

bool svm_vcpu_event_queued(struct monitor *m, struct vcpu *vc)
{
	return ((struct svm_vcpu *)vc->arch)->vmcb->control.event_inj & VMCB_EVENT_VALID;
}

void svm_vcpu_irq_window(struct monitor *m, struct vcpu *vc, bool on)
{
	svm_vmcb_irq_window(((struct svm_vcpu *)vc->arch)->vmcb, on);
}

/* VMCB segment attributes are descriptor bits 47:40 and 55:52, as struct vcpu_reg's CS_ATTR. */
_Static_assert(VCPU_SEG_L == 1u << 9 && VCPU_SEG_DB == 1u << 10,
	       "the VMCB packs segment attributes as the core does");

uint64_t svm_vcpu_get(struct vcpu *vc, enum vcpu_reg r)
{
	const struct vmcb_save *s = &((struct svm_vcpu *)vc->arch)->vmcb->save;

	switch (r) {
	case VCPU_REG_RIP:
		return s->rip;
	case VCPU_REG_RSP:
		return s->rsp;
	case VCPU_REG_RFLAGS:
		return s->rflags;
	case VCPU_REG_CR0:
		return s->cr0;
	case VCPU_REG_CR3:
		return s->cr3;
	case VCPU_REG_CR4:
		return s->cr4;
	case VCPU_REG_EFER:
		return s->efer & ~EFER_SVME;
	case VCPU_REG_PAT:
		return s->g_pat;
	case VCPU_REG_CPL:
		return s->cpl;
	case VCPU_REG_CS_BASE:
		return s->cs.base;
	case VCPU_REG_CS_ATTR:
		return s->cs.attrib;
	case VCPU_REG_ES_BASE:
		return s->es.base;
	}
	return 0;
}

void svm_vcpu_set(struct vcpu *vc, enum vcpu_reg r, uint64_t val)
{
	struct vmcb_save *s = &((struct svm_vcpu *)vc->arch)->vmcb->save;

	switch (r) {
	case VCPU_REG_RIP:
		s->rip = val;
		break;
	case VCPU_REG_RSP:
		s->rsp = val;
		break;
	case VCPU_REG_RFLAGS:
		s->rflags = val;
		break;
	case VCPU_REG_EFER:
		s->efer = val | EFER_SVME;
		break;
	case VCPU_REG_PAT:
		s->g_pat = val;
		break;
	default:
		/* The others are not the shared handlers' to change. */
		break;
	}
}

void svm_vcpu_advance(struct vcpu *vc, uint64_t next)
{
	struct vmcb *vmcb = ((struct svm_vcpu *)vc->arch)->vmcb;

	vmcb->save.rip = svm_vmcb_long_mode(vmcb) ? next : (uint32_t)next;
	vmcb->control.int_state &= ~VMCB_INT_SHADOW;
}
