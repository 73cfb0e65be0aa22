// SPDX-License-Identifier: GPL-2.0-only
/* A guest's state on the log, for unknown exits and refused guest states. */
#include "monitor/svm/svm.h"

static void svm_dump_seg(struct monitor *m, struct guest *g, const char *name,
			 const struct vmcb_seg *s)
{
	monitor_log(m, "svm: guest %c: %-4s sel 0x%04x attr 0x%03x limit 0x%08x base 0x%llx",
		    g->letter, name, s->selector, s->attrib, s->limit,
		    (unsigned long long)s->base);
}

void svm_dump(struct monitor *m, struct vcpu *vc)
{
	struct guest *g = vc->g;
	const struct svm_vcpu *v = vc->arch;
	const struct vmcb *vmcb = v->vmcb;
	const struct vmcb_save *s = &vmcb->save;
	const struct vmcb_control *c = &vmcb->control;
	const struct vcpu_regs *r = &vc->regs;

	monitor_log(m, "svm: guest %c: exit 0x%llx (%s) info1 0x%llx info2 0x%llx intinfo 0x%llx",
		    g->letter, (unsigned long long)c->exit_code, svm_exit_name(c->exit_code),
		    (unsigned long long)c->exit_info1, (unsigned long long)c->exit_info2,
		    (unsigned long long)c->exit_int_info);
	monitor_log(m, "svm: guest %c: rip 0x%016llx rsp 0x%016llx rflags 0x%08llx cpl %u",
		    g->letter, (unsigned long long)s->rip, (unsigned long long)s->rsp,
		    (unsigned long long)s->rflags, s->cpl);
	monitor_log(m, "svm: guest %c: rax 0x%016llx rbx 0x%016llx rcx 0x%016llx rdx 0x%016llx",
		    g->letter, (unsigned long long)s->rax, (unsigned long long)r->rbx,
		    (unsigned long long)r->rcx, (unsigned long long)r->rdx);
	monitor_log(m, "svm: guest %c: rsi 0x%016llx rdi 0x%016llx rbp 0x%016llx r8  0x%016llx",
		    g->letter, (unsigned long long)r->rsi, (unsigned long long)r->rdi,
		    (unsigned long long)r->rbp, (unsigned long long)r->r8);
	monitor_log(m, "svm: guest %c: r9  0x%016llx r10 0x%016llx r11 0x%016llx r12 0x%016llx",
		    g->letter, (unsigned long long)r->r9, (unsigned long long)r->r10,
		    (unsigned long long)r->r11, (unsigned long long)r->r12);
	monitor_log(m, "svm: guest %c: r13 0x%016llx r14 0x%016llx r15 0x%016llx",
		    g->letter, (unsigned long long)r->r13, (unsigned long long)r->r14,
		    (unsigned long long)r->r15);
	monitor_log(m, "svm: guest %c: cr0 0x%llx cr2 0x%llx cr3 0x%llx cr4 0x%llx efer 0x%llx",
		    g->letter, (unsigned long long)s->cr0, (unsigned long long)s->cr2,
		    (unsigned long long)s->cr3, (unsigned long long)s->cr4,
		    (unsigned long long)s->efer);
	svm_dump_seg(m, g, "cs", &s->cs);
	svm_dump_seg(m, g, "ss", &s->ss);
	svm_dump_seg(m, g, "ds", &s->ds);
	svm_dump_seg(m, g, "tr", &s->tr);
	monitor_log(m, "svm: guest %c: gdtr 0x%llx/0x%x idtr 0x%llx/0x%x asid %u n_cr3 0x%llx",
		    g->letter, (unsigned long long)s->gdtr.base, s->gdtr.limit,
		    (unsigned long long)s->idtr.base, s->idtr.limit, c->asid,
		    (unsigned long long)c->n_cr3);
}
