// SPDX-License-Identifier: GPL-2.0-only
/* The report of a fatal exception in the monitor: plain formatting, host tested. */
#include "lib/fmt.h"
#include "monitor/core.h"
#include "monitor/trap.h"

static const char *const fault_names[32] = {
	"#DE", "#DB", "NMI", "#BP", "#OF", "#BR", "#UD", "#NM", "#DF", "#CSO", "#TS",
	"#NP", "#SS", "#GP", "#PF", NULL,  "#MF", "#AC", "#MC", "#XM", "#VE", "#CP",
	NULL,  NULL,  NULL,  NULL,  NULL,  NULL,  "#HV", "#VC", "#SX", NULL,
};

const char *fault_name(unsigned vector)
{
	if (vector < 32 && fault_names[vector])
		return fault_names[vector];
	return "vector";
}

void fault_report(struct monitor *m, const struct trap_frame *tf, const struct trap_cregs *cr)
{
	struct pcpu *pc = monitor_this_cpu(m);
	char name[16];

	if (tf->vector < 32 && fault_names[tf->vector])
		fmt_snprintf(name, sizeof(name), "%s", fault_names[tf->vector]);
	else
		fmt_snprintf(name, sizeof(name), "vector %llu", (unsigned long long)tf->vector);
	monitor_log(m, "monitor: exception %s at rip=0x%llx err=0x%llx", name,
		    (unsigned long long)tf->rip, (unsigned long long)tf->error);
	monitor_log(m, "monitor: rax 0x%016llx rbx 0x%016llx rcx 0x%016llx rdx 0x%016llx",
		    (unsigned long long)tf->rax, (unsigned long long)tf->rbx,
		    (unsigned long long)tf->rcx, (unsigned long long)tf->rdx);
	monitor_log(m, "monitor: rsi 0x%016llx rdi 0x%016llx rbp 0x%016llx rsp 0x%016llx",
		    (unsigned long long)tf->rsi, (unsigned long long)tf->rdi,
		    (unsigned long long)tf->rbp, (unsigned long long)tf->rsp);
	monitor_log(m, "monitor: r8  0x%016llx r9  0x%016llx r10 0x%016llx r11 0x%016llx",
		    (unsigned long long)tf->r8, (unsigned long long)tf->r9,
		    (unsigned long long)tf->r10, (unsigned long long)tf->r11);
	monitor_log(m, "monitor: r12 0x%016llx r13 0x%016llx r14 0x%016llx r15 0x%016llx",
		    (unsigned long long)tf->r12, (unsigned long long)tf->r13,
		    (unsigned long long)tf->r14, (unsigned long long)tf->r15);
	monitor_log(m, "monitor: rflags 0x%llx cs 0x%llx ss 0x%llx cr0 0x%llx cr2 0x%llx "
		       "cr3 0x%llx cr4 0x%llx efer 0x%llx",
		    (unsigned long long)tf->rflags, (unsigned long long)tf->cs,
		    (unsigned long long)tf->ss, (unsigned long long)cr->cr0,
		    (unsigned long long)cr->cr2, (unsigned long long)cr->cr3,
		    (unsigned long long)cr->cr4, (unsigned long long)cr->efer);
	if (pc->current && m->vops && m->vops->exit_name) {
		uint64_t code = 0;
		const char *exit = m->vops->exit_name(pc->current, &code);

		monitor_log(m, "monitor: cpu %u, while handling guest %c's exit 0x%llx (%s)",
			    pc->index, pc->current->g->letter, (unsigned long long)code, exit);
	}
	monitor_log(m, "monitor: a fault in the monitor is fatal: halting the CPU");
}
