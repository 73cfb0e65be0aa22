/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Guest MSR accesses. The MSR permission map (APM vol. 2, 15.11: 8 KiB, two bits per MSR,
 * read then write, for 0-0x1fff, 0xc0000000-0xc0001fff and 0xc0010000-0xc0011fff; every
 * other MSR always exits) lets through only what the world switch exchanges itself:
 *
 *   FS_BASE, GS_BASE, KERNEL_GS_BASE, STAR, LSTAR, CSTAR, SFMASK     VMLOAD/VMSAVE
 *   SYSENTER_CS, SYSENTER_ESP, SYSENTER_EIP                          VMLOAD/VMSAVE
 *   TSC (read only)                                                  shared clock
 *   SPEC_CTRL, PRED_CMD (write only), when the CPU has them          monitor/spec.h
 *
 * Emulated on their exit: the guest's virtual LAPIC (IA32_APIC_BASE, IA32_TSC_DEADLINE, the
 * x2APIC range 0x800-0x8ff: irq/vlapic.h), EFER (EFER.SVME is the monitor's and is hidden),
 * PAT (the guest's copy lives in the VMCB's G_PAT), and MTRRCAP, MTRR_DEF_TYPE and the K8
 * interrupt-pending MSR, which read 0 (no MTRRs, no C1E). Every other RDMSR/WRMSR gets #GP,
 * logged once per MSR per guest.
 */
#ifndef TWINMON_MONITOR_MSR_H
#define TWINMON_MONITOR_MSR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "monitor/core.h"

#define MSRPM_SIZE		(2 * 4096)

#define MSR_TSC			0x00000010
#define MSR_SPEC_CTRL		0x00000048
#define MSR_PRED_CMD		0x00000049
#define MSR_SYSENTER_CS		0x00000174
#define MSR_SYSENTER_ESP	0x00000175
#define MSR_SYSENTER_EIP	0x00000176
#define MSR_MTRRCAP		0x000000fe
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

/* Fill an MSRPM: everything intercepted but the allow-list. -EINVAL if size is short. */
int msrpm_build(uint8_t *msrpm, size_t size);
/* Let the guest read and/or write msr without an exit. -EINVAL: the map has no bit for it. */
int msrpm_allow(uint8_t *msrpm, uint32_t msr, bool read, bool write);
/* Whether a guest RDMSR (write false) or WRMSR of msr exits with this map. */
bool msrpm_intercepts(const uint8_t *msrpm, uint32_t msr, bool write);

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
