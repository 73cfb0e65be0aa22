/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The SVM backend's own state and the pieces of it that are plain C: VMCB set-up, event
 * injection and the vendor interface's accessors (svm_vmcb.c), the exit decoder
 * (svm_exit.c), the state dump (svm_dump.c). The privileged half (CPU checks, EFER.SVME,
 * VMRUN) is svm.c and svm_switch.asm. Only monitor/svm/ includes this header.
 */
#ifndef TWINMON_MONITOR_SVM_SVM_H
#define TWINMON_MONITOR_SVM_SVM_H

#include <stdbool.h>
#include <stdint.h>

#include "monitor/core.h"
#include "monitor/io.h"
#include "monitor/policy.h"
#include "monitor/vcpu_exit.h"
#include "monitor/svm/vmcb.h"
#include "monitor/x86.h"

#define MSR_VM_CR		0xc0010114
#define MSR_VM_HSAVE_PA		0xc0010117
#define VM_CR_SVMDIS		(1ULL << 4)


#define MSRPM_SIZE		(2 * 4096)

/* One vCPU's SVM state. */
struct svm_vcpu {
	struct vmcb *vmcb;
	uint64_t vmcb_pa;
	uint32_t asid;
	bool nrips;		/* the CPU fills vmcb->control.next_rip */
	/* For the log when an exit brings back the monitor's own state (svm_run): what the
	 * VMCB held at the last entry, and the exit before this one. */
	bool told_host_state;
	uint64_t entry_rip, entry_cr3;
	uint64_t prev_code, prev_rip, prev_cr3;
};

/* What SVM keeps per physical CPU (pcpu.arch in the EFI build). */
struct svm_pcpu {
	uint64_t hsave_pa;	/* VM_HSAVE_PA: where VMRUN keeps the host state */
	uint64_t host_pa;	/* VMSAVE/VMLOAD image of the host's FS, GS, TR, LDTR, ... */
	uint64_t host_cr3;	/* the monitor's CR3, set before SVM starts and never after */
};

/* The SVM state of the machine (m->arch in the EFI build). */
struct svm_cpu {
	uint32_t nr_asids;
	bool nrips;
	uint64_t msrpm_pa;	/* the MSR permission map all guests share (svm_msrpm.c) */
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
/* Whether an interrupt injected now would be taken (IF, no shadow, no queued event). */
bool svm_vmcb_interruptible(const struct vmcb *vmcb);
/* Open or close the interrupt window (V_IRQ + the VINTR intercept). */
void svm_vmcb_irq_window(struct vmcb *vmcb, bool on);
/* Whether the guest runs 64-bit code (EFER.LMA and CS.L). */
bool svm_vmcb_long_mode(const struct vmcb *vmcb);

/* The vendor interface's plain-C entries (monitor/vcpu.h) on a vCPU whose arch is a
 * struct svm_vcpu: svm.c's table has them, and so can a host test's. */
void svm_vcpu_inject(struct monitor *m, struct vcpu *vc, const struct vcpu_event *ev);
bool svm_vcpu_interruptible(struct monitor *m, struct vcpu *vc);
bool svm_vcpu_event_queued(struct monitor *m, struct vcpu *vc);
void svm_vcpu_irq_window(struct monitor *m, struct vcpu *vc, bool on);
/* EFER without SVME on get; set keeps SVME (VMRUN refuses a guest without it). */
uint64_t svm_vcpu_get(struct vcpu *vc, enum vcpu_reg r);
void svm_vcpu_set(struct vcpu *vc, enum vcpu_reg r, uint64_t val);
/* RIP to next (cut to 32 bits outside 64-bit code); clears the interrupt shadow. */
void svm_vcpu_advance(struct vcpu *vc, uint64_t next);
const char *svm_vcpu_exit_name(struct vcpu *vc, uint64_t *code);

/* ---- svm_msrpm.c ---- */
/* Fill an MSRPM from the policy table t[0..n) on a CPU with the capabilities c: everything
 * intercepted but what applies. -EINVAL if size is short or a range is reversed. */
int svm_msrpm_encode(uint8_t *msrpm, size_t size, const struct policy_msr *t, size_t n,
		     const struct spec_caps *c);
/* Let the guest read and/or write msr without an exit. -EINVAL: the map has no bit for it. */
int svm_msrpm_allow(uint8_t *msrpm, uint32_t msr, bool read, bool write);
/* Whether a guest RDMSR (write false) or WRMSR of msr exits with this map. */
bool svm_msrpm_intercepts(const uint8_t *msrpm, uint32_t msr, bool write);

/* ---- svm_exit.c ---- */
/* Decode an IOIO EXITINFO1. -EINVAL unless exactly one size bit is set. */
int io_decode_svm(uint64_t info1, struct io_access *a);
/* Decode an SVM #NPF: EXITINFO1 (an error code plus where the walk was), EXITINFO2 (gpa). */
void npf_decode_svm(uint64_t info1, uint64_t info2, struct npf_access *a);
/* The exit in the vCPU's VMCB as the shared handlers see it (EXITINFO1/2, EXITINTINFO, NRIP);
 * -EINVAL: an impossible one (the guest is stopped, logged). */
int svm_exit_decode(struct monitor *m, struct vcpu *vc, struct vcpu_exit *x);
/* Decode the exit in the vCPU's VMCB, count it and hand it to the shared handlers
 * (monitor/vcpu_exit.h): the backend's handle_exit. */
enum exit_action svm_exit_dispatch(struct monitor *m, struct vcpu *vc);
/* The name of an exit code ("ioio", "npf", "unknown"). */
const char *svm_exit_name(uint64_t code);

/* ---- svm_dump.c ---- */
/* The vCPU's registers and VMCB essentials to the log, prefixed "svm: guest a: ". */
void svm_dump(struct monitor *m, struct vcpu *vc);

#endif
