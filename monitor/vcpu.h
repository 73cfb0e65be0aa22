/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The vendor interface: what the monitor core asks of a virtualization backend. AMD SVM
 * (monitor/svm/svm.c) implements it, and Intel VMX (monitor/vmx/vmx.c) with the same
 * contract. The core never looks inside vcpu.arch, m->arch or pcpu.arch. It works on virtual
 * CPUs (struct vcpu, monitor/guest.h): v->g is the guest.
 *
 *   init(m)             once, on the boot CPU: check the CPU can (CPUID, firmware locks),
 *                       then init_cpu for it. -ENODEV when it cannot.
 *   init_cpu(m, pc)     on each other CPU pc that runs guests, on that CPU: enable the
 *                       extension, set up its host save area.
 *   create(m, v, st)    the vCPU's control structure with its guest's address-space tag,
 *                       nested paging root, I/O and MSR maps, intercepts, and start state *st.
 *   run(m, v)           enter the vCPU until its next exit; sets v->entry_tsc/exit_tsc.
 *   handle_exit(m, v)   decode and handle that exit; tells the core what follows.
 *   inject(m, v, ev)    deliver an exception or interrupt at the next entry.
 *   interruptible(m, v) whether an external interrupt injected now would be taken at entry
 *                       (RFLAGS.IF set, no interrupt shadow, no other event queued).
 *   event_queued(m, v)  whether an event (injected, or re-queued after an exit during its
 *                       delivery) waits for the next entry: an NMI must not replace it.
 *   irq_window(m, v, on) ask for (or stop asking for) an exit as soon as the vCPU can take
 *                       an interrupt.
 *   dump(m, v)          the vCPU's state to the log (unknown exits, stops).
 *   fini(m)             leave the extension on this CPU when its guests have stopped.
 *
 * What the shared exit handlers (monitor/exit.c) read and change of a stopped vCPU, in the
 * vendor's control structure; they never look inside it:
 *   get(v, r), set(v, r, val)  one register of enum vcpu_reg (set: RIP, RSP, RFLAGS, EFER,
 *                       PAT; EFER as the guest sees it, vendor bits kept by the backend).
 *   advance(v, next)    RIP to next, past an emulated or skipped instruction (cut to 32 bits
 *                       outside 64-bit code), and the interrupt shadow cleared.
 *   exit_name(v, code)  the vendor's code and name of the vCPU's last exit (fault reports).
 */
#ifndef TWINMON_MONITOR_VCPU_H
#define TWINMON_MONITOR_VCPU_H

#include <stdbool.h>
#include <stdint.h>

struct monitor;
struct vcpu;
struct pcpu;

enum exit_action {
	EXIT_RESUME,		/* run the guest on (the scheduler may still switch) */
	EXIT_HALT,		/* the guest executed HLT: give up the slot */
	EXIT_YIELD,		/* the guest asked to yield the slot */
	EXIT_STOP,		/* the guest is stopped for good (already logged) */
};

/* The architectural start state, vendor neutral (docs/monitor.md, "Guest start state"). */
struct vcpu_start {
	uint64_t rip, rsp, rflags;
	uint64_t rax, rsi;
	uint64_t cr0, cr3, cr4, efer;
	uint64_t gdt_base;
	uint16_t gdt_limit;
	uint64_t idt_base;
	uint16_t idt_limit;
	uint16_t cs, ds;		/* selectors; DS is also ES, SS, FS, GS */
	uint64_t cs_desc, ds_desc;	/* descriptors the hidden parts (base, limit, attributes)
					 * come from: the GDT's, or made up for real mode */
	uint64_t pat;
	uint64_t dr6, dr7;
	uint64_t npt_root;
	uint64_t iopm_pa;
};

/* Exception vectors the monitor injects. */
#define VCPU_VEC_DB	1
#define VCPU_VEC_UD	6
#define VCPU_VEC_GP	13
#define VCPU_VEC_PF	14
#define VCPU_VEC_AC	17

enum vcpu_event_type {
	VCPU_EVENT_EXCEPTION,
	VCPU_EVENT_INTR,	/* an external interrupt vector */
	VCPU_EVENT_NMI,
};

struct vcpu_event {
	enum vcpu_event_type type;
	uint8_t vector;
	bool has_error;
	uint32_t error;
};

/*
 * A guest register the shared handlers use, vendor neutral. CS_ATTR is the code segment's
 * descriptor attributes packed as descriptor bits 47:40 in 7:0 and 55:52 in 11:8 (VCPU_SEG_*).
 */
enum vcpu_reg {
	VCPU_REG_RIP,
	VCPU_REG_RSP,
	VCPU_REG_RFLAGS,
	VCPU_REG_CR0,
	VCPU_REG_CR3,
	VCPU_REG_CR4,
	VCPU_REG_EFER,
	VCPU_REG_PAT,
	VCPU_REG_CPL,
	VCPU_REG_CS_BASE,
	VCPU_REG_CS_ATTR,
	VCPU_REG_ES_BASE,
};

#define VCPU_SEG_L	(1u << 9)	/* 64-bit code */
#define VCPU_SEG_DB	(1u << 10)	/* 32-bit default operand and address size */

struct vcpu_ops {
	const char *name;
	int (*init)(struct monitor *m);
	int (*init_cpu)(struct monitor *m, struct pcpu *pc);
	int (*create)(struct monitor *m, struct vcpu *v, const struct vcpu_start *st);
	void (*run)(struct monitor *m, struct vcpu *v);
	enum exit_action (*handle_exit)(struct monitor *m, struct vcpu *v);
	void (*inject)(struct monitor *m, struct vcpu *v, const struct vcpu_event *ev);
	bool (*interruptible)(struct monitor *m, struct vcpu *v);
	bool (*event_queued)(struct monitor *m, struct vcpu *v);
	void (*irq_window)(struct monitor *m, struct vcpu *v, bool on);
	void (*dump)(struct monitor *m, struct vcpu *v);
	void (*fini)(struct monitor *m);
	uint64_t (*get)(struct vcpu *v, enum vcpu_reg r);
	void (*set)(struct vcpu *v, enum vcpu_reg r, uint64_t val);
	void (*advance)(struct vcpu *v, uint64_t next);
	const char *(*exit_name)(struct vcpu *v, uint64_t *code);
};

/* The SVM backend (monitor/svm/svm.c) and the VMX one (monitor/vmx/vmx.c), EFI build only;
 * run.c picks one by the CPU's vendor. */
extern const struct vcpu_ops svm_vcpu_ops;
extern const struct vcpu_ops vmx_vcpu_ops;

#endif
