/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Guest MSR accesses. Which MSRs exit is the policy table's (monitor/policy.h), which each
 * backend encodes for its CPU (SVM: monitor/svm/svm_msrpm.c).
 *
 * Emulated on their exit: the guest's virtual LAPIC (IA32_APIC_BASE, IA32_TSC_DEADLINE, the
 * x2APIC range 0x800-0x8ff: irq/vlapic.h), EFER (a backend's own bits, SVM's EFER.SVME,
 * never reach it), PAT (the guest's copy lives in the backend's state), and MTRRCAP,
 * MTRR_DEF_TYPE and the K8 interrupt-pending MSR, which read 0 (no MTRRs, no C1E). Every other RDMSR/WRMSR gets #GP,
 * logged once per MSR per guest.
 */
#ifndef TWINMON_MONITOR_MSR_H
#define TWINMON_MONITOR_MSR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "monitor/core.h"

#define MSR_TSC			0x00000010
#define MSR_SPEC_CTRL		0x00000048
#define MSR_PRED_CMD		0x00000049
#define MSR_SYSENTER_CS		0x00000174
#define MSR_SYSENTER_ESP	0x00000175
#define MSR_SYSENTER_EIP	0x00000176
#define MSR_MTRRCAP		0x000000fe
#define MSR_MISC_ENABLE		0x000001a0	/* Intel's IA32_MISC_ENABLE */
/* What a guest reads there: fast strings on, BTS and PEBS unavailable, nothing else (no
 * XD disable, no CPUID limit, no thermal or SpeedStep controls). */
#define MSR_MISC_ENABLE_GUEST	((1ULL << 0) | (1ULL << 11) | (1ULL << 12))
#define MSR_PAT			0x00000277
#define MSR_MTRR_DEF_TYPE	0x000002ff
#define MSR_K8_INT_PENDING	0xc0010055
#define MSR_EFER		0xc0000080
#define MSR_STAR		0xc0000081
#define MSR_LSTAR		0xc0000082
#define MSR_CSTAR		0xc0000083
#define MSR_SFMASK		0xc0000084
#define MSR_FS_BASE		0xc0000100
#define MSR_GS_BASE		0xc0000101
#define MSR_KERNEL_GS_BASE	0xc0000102

/* The guest state the emulated MSRs live in (read and written back through the vendor
 * interface, monitor/vcpu.h). */
struct msr_guest {
	uint64_t efer;		/* as the guest sees it: no EFER.SVME */
	uint64_t pat;		/* the guest's PAT (the VMCB's G_PAT) */
	uint64_t cr0;		/* to refuse EFER.LME changes while paging is on */
};

/* 0 with *val, or -EPERM: the guest gets #GP. Refusals are logged once per MSR. */
int msr_read(struct monitor *m, struct vcpu *v, uint32_t msr, const struct msr_guest *st,
	     uint64_t *val);
/* 0 (st updated), or -EPERM: #GP. */
int msr_write(struct monitor *m, struct vcpu *v, uint32_t msr, struct msr_guest *st,
	      uint64_t val);

#endif
