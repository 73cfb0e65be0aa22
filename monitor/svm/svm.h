/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The SVM backend's own state and the pieces of it that are plain C: VMCB set-up and event
 * injection (svm_vmcb.c), the exit dispatch (exit.c), the state dump (svm_dump.c). The
 * privileged half (CPU checks, EFER.SVME, VMRUN) is svm.c and svm_switch.asm.
 */
#ifndef TWINMON_MONITOR_SVM_SVM_H
#define TWINMON_MONITOR_SVM_SVM_H

#include <stdbool.h>
#include <stdint.h>

#include "monitor/core.h"
#include "monitor/x86.h"
#include "monitor/svm/vmcb.h"

#define MSR_VM_CR		0xc0010114
#define MSR_VM_HSAVE_PA		0xc0010117
#define VM_CR_SVMDIS		(1ULL << 4)


/* Fixed instruction lengths for the RIP advance (no NRIP save under QEMU TCG). */
#define SVM_LEN_CPUID		2	/* 0f a2 */
#define SVM_LEN_RDMSR		2	/* 0f 32 */
#define SVM_LEN_WRMSR		2	/* 0f 30 */
#define SVM_LEN_HLT		1	/* f4 */
#define SVM_LEN_VMMCALL		3	/* 0f 01 d9 */
#define SVM_LEN_INVD		2	/* 0f 08 */

/* One vCPU's SVM state. */
struct svm_vcpu {
	struct vmcb *vmcb;
	uint64_t vmcb_pa;
	uint32_t asid;
	bool nrips;		/* the CPU fills vmcb->control.next_rip */
};

/* What SVM keeps per physical CPU (pcpu.arch in the EFI build). */
struct svm_pcpu {
	uint64_t hsave_pa;	/* VM_HSAVE_PA: where VMRUN keeps the host state */
	uint64_t host_pa;	/* VMSAVE/VMLOAD image of the host's FS, GS, TR, LDTR, ... */
};

/* The SVM state of the machine (m->arch in the EFI build). */
struct svm_cpu {
	uint32_t nr_asids;
	bool nrips;
	struct svm_vcpu vcpu[MONITOR_MAX_GUESTS][MONITOR_MAX_VCPUS];
	struct svm_pcpu pcpu[MONITOR_MAX_CPUS];
};


/* ---- svm_vmcb.c ---- */
/* The VMCB attribute field of a GDT descriptor: bits 47:40 and 55:52. */
uint16_t svm_seg_attrib(uint64_t desc);
/*
 * Fill a zeroed VMCB for a guest: intercepts, ASID, nested paging, the I/O and MSR maps,
 * V_INTR_MASKING, and the start state (EFER.SVME added: VMRUN refuses a guest without it;
 * the guest never sees it, exit_msr.c hides it). -EINVAL on a bad ASID or unaligned maps.
 */
int svm_vmcb_init(struct vmcb *vmcb, uint32_t asid, uint64_t msrpm_pa,
		  const struct vcpu_start *st);
/* Queue an event for the next VMRUN (EVENTINJ). */
void svm_vmcb_inject(struct vmcb *vmcb, const struct vcpu_event *ev);
/* Whether the guest runs 64-bit code (EFER.LMA and CS.L). */
/* Whether an interrupt injected now would be taken (IF, no shadow, no queued event). */
bool svm_vmcb_interruptible(const struct vmcb *vmcb);
/* Open or close the interrupt window (V_IRQ + the VINTR intercept). */
void svm_vmcb_irq_window(struct vmcb *vmcb, bool on);
bool svm_vmcb_long_mode(const struct vmcb *vmcb);
/* RIP past an intercepted instruction of len bytes; clears the interrupt shadow. */
void svm_vmcb_skip(struct svm_vcpu *v, unsigned len);
/* Move RIP to next (IOIO's EXITINFO2); clears the interrupt shadow. */
void svm_vmcb_set_rip(struct svm_vcpu *v, uint64_t next);

/* ---- exit.c ---- */
/* Handle the exit in the vCPU's VMCB; counts it, and the backend's handle_exit. */
enum exit_action svm_exit_dispatch(struct monitor *m, struct vcpu *vc);
/* The name of an exit code ("ioio", "npf", "unknown"). */
const char *svm_exit_name(uint64_t code);

/* ---- exit_wbinvd.c ---- */
/* The bytes at the guest's RIP through its page tables, up to 15 (buf holds that many): how
 * many were readable. */
size_t svm_fetch_insn(struct monitor *m, struct guest *g, const struct vmcb *vmcb,
		      uint8_t *buf);
/* The length of the WBINVD or WBNOINVD (prefixes, 0f 09) at code[0..n), or 0: not one. */
size_t svm_wbinvd_length(const uint8_t *code, size_t n, bool long_mode);
/* The WBINVD/WBNOINVD exit: a no-op, RIP moved past it, logged once per guest. */
enum exit_action svm_exit_wbinvd(struct monitor *m, struct vcpu *vc, struct svm_vcpu *v);

/* ---- exit_npf.c ---- */
/* Emulate a nested page fault on the vLAPIC page or the low zero page; false: not ours. */
bool svm_npf_emulate(struct monitor *m, struct vcpu *vc, struct svm_vcpu *v);

/* ---- svm_dump.c ---- */
/* The vCPU's registers and VMCB essentials to the log, prefixed "svm: guest a: ". */
void svm_dump(struct monitor *m, struct vcpu *vc);

#endif
