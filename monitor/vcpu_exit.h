/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * An exit as the shared handlers (monitor/exit.c) see it, whichever extension caused it. A
 * backend decodes its own exit record (the VMCB's EXITCODE/EXITINFO, a VMCS's exit reason and
 * qualification) into struct vcpu_exit, then calls exit_handle(); the handlers act on the
 * vCPU only through the vendor interface's accessors (monitor/vcpu.h) and the helpers below.
 *
 * Where the hardware says where the next instruction starts (NRIP save, IOIO's EXITINFO2,
 * VMX's instruction length), next_rip holds it; else it is 0 and a handler that skips an
 * instruction uses the length of its only encoding (VCPU_LEN_*).
 */
#ifndef TWINMON_MONITOR_VCPU_EXIT_H
#define TWINMON_MONITOR_VCPU_EXIT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "monitor/core.h"
#include "monitor/gva.h"
#include "monitor/io.h"
#include "monitor/npf.h"
#include "monitor/x86.h"

/* The length of an intercepted instruction's only encoding, when the CPU does not say. */
#define VCPU_LEN_CPUID		2	/* 0f a2 */
#define VCPU_LEN_RDMSR		2	/* 0f 32 */
#define VCPU_LEN_WRMSR		2	/* 0f 30 */
#define VCPU_LEN_HLT		1	/* f4 */
#define VCPU_LEN_HYPERCALL	3	/* VMMCALL 0f 01 d9, VMCALL 0f 01 c1 */
#define VCPU_LEN_INVD		2	/* 0f 08 */

enum vcpu_exit_reason {
	VCPU_EXIT_EXCEPTION,	/* an intercepted exception: reflected to the guest */
	VCPU_EXIT_INTR,		/* a physical interrupt or NMI: the host takes it */
	VCPU_EXIT_IRQ_WINDOW,	/* the guest can take an interrupt now */
	VCPU_EXIT_CPUID,
	VCPU_EXIT_HLT,
	VCPU_EXIT_INVD,
	VCPU_EXIT_WBINVD,	/* WBINVD or WBNOINVD */
	VCPU_EXIT_UD,		/* an instruction the guest does not have (virtualization, MWAIT) */
	VCPU_EXIT_IO,
	VCPU_EXIT_MSR,
	VCPU_EXIT_HYPERCALL,
	VCPU_EXIT_NPF,		/* nested page fault / EPT violation */
	VCPU_EXIT_SHUTDOWN,	/* triple fault */
	VCPU_EXIT_INVALID,	/* the entry refused the guest state */
	VCPU_EXIT_UNKNOWN,	/* nothing the monitor knows: dump and stop the guest */
};

struct vcpu_exit {
	enum vcpu_exit_reason reason;
	uint64_t code;		/* the vendor's exit code, for the log */
	uint64_t next_rip;	/* where the next instruction starts, 0: the CPU did not say */
	/* The exit came while the CPU delivered an event (an interrupt, an exception). */
	struct {
		bool valid;
		uint8_t vector;
		uint64_t info;		/* the vendor's record of it, for the log */
	} event;
	union {
		struct {
			uint8_t vector;
			bool has_error;
			uint32_t error;
		} exc;
		struct io_access io;
		struct {
			bool write;	/* WRMSR; the MSR index is in RCX */
		} msr;
		struct {
			struct npf_access a;	/* monitor/npf.h */
			bool user;	/* a user-mode access (SVM says; VMX does not) */
		} npf;
		struct {
			const char *why;	/* the entry's refusal, in the vendor's words */
		} invalid;
	};
};

/* Handle a decoded exit; the backend has counted it (stats_count_exit). */
enum exit_action exit_handle(struct monitor *m, struct vcpu *vc, const struct vcpu_exit *x);

static inline uint64_t vcpu_get(struct monitor *m, struct vcpu *v, enum vcpu_reg r)
{
	return m->vops->get(v, r);
}

static inline void vcpu_set(struct monitor *m, struct vcpu *v, enum vcpu_reg r, uint64_t val)
{
	m->vops->set(v, r, val);
}

/* RIP to next (an emulated instruction's end); clears the interrupt shadow. */
static inline void vcpu_advance(struct monitor *m, struct vcpu *v, uint64_t next)
{
	m->vops->advance(v, next);
}

/* RIP past the exit's instruction: where the CPU said it ends, else len bytes on. */
static inline void vcpu_skip(struct monitor *m, struct vcpu *v, const struct vcpu_exit *x,
			     unsigned len)
{
	vcpu_advance(m, v, x->next_rip ? x->next_rip : vcpu_get(m, v, VCPU_REG_RIP) + len);
}

static inline void vcpu_inject_exception(struct monitor *m, struct vcpu *v, uint8_t vector,
					 bool has_error, uint32_t error)
{
	struct vcpu_event ev = { VCPU_EVENT_EXCEPTION, vector, has_error, error };

	m->vops->inject(m, v, &ev);
}

/* Whether the vCPU runs 64-bit code (EFER.LMA and CS.L). */
static inline bool vcpu_long_mode(struct monitor *m, struct vcpu *v)
{
	return (vcpu_get(m, v, VCPU_REG_EFER) & EFER_LMA) &&
	       (vcpu_get(m, v, VCPU_REG_CS_ATTR) & VCPU_SEG_L);
}

/* What a walk of the vCPU's page tables needs. */
static inline struct gva_paging vcpu_paging(struct monitor *m, struct vcpu *v)
{
	return (struct gva_paging){ vcpu_get(m, v, VCPU_REG_CR0), vcpu_get(m, v, VCPU_REG_CR3),
				    vcpu_get(m, v, VCPU_REG_CR4), vcpu_get(m, v, VCPU_REG_EFER),
				    (unsigned)vcpu_get(m, v, VCPU_REG_CPL) };
}

/* The bytes at the vCPU's RIP through its page tables, up to DECODE_MAX_LEN (buf holds that
 * many), stopping at unmapped memory: how many were readable (monitor/exit_npf.c). */
size_t vcpu_fetch_insn(struct monitor *m, struct vcpu *v, uint8_t *buf);

/* ---- exit_wbinvd.c ---- */
/* The length of the WBINVD or WBNOINVD (prefixes, 0f 09) at code[0..n), or 0: not one. */
size_t exit_wbinvd_length(const uint8_t *code, size_t n, bool long_mode);
/* The WBINVD/WBNOINVD exit: a no-op, RIP moved past it, logged once per guest. */
enum exit_action exit_wbinvd(struct monitor *m, struct vcpu *vc, const struct vcpu_exit *x);

/* ---- exit_npf.c ---- */
/* Emulate a nested page fault on the vLAPIC page, the I/O APIC page, an MSI-X table, the
 * ECAM window or the low zero page; false: not ours. */
bool exit_npf_emulate(struct monitor *m, struct vcpu *vc, const struct vcpu_exit *x);

#endif
