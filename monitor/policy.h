/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * What a guest reaches without an exit, vendor neutral: one table that every backend encodes
 * into its own hardware format (SVM: the MSR permission map, monitor/svm/svm_msrpm.c; VMX:
 * the MSR bitmap). Only what the world switch exchanges, or what is harmless to share, passes:
 *
 *   FS_BASE, GS_BASE, KERNEL_GS_BASE, STAR, LSTAR, CSTAR, SFMASK     both ways
 *   SYSENTER_CS, SYSENTER_ESP, SYSENTER_EIP                          both ways
 *   TSC                                                              read only (shared clock)
 *   SPEC_CTRL when the CPU has it                                    both ways (monitor/spec.h)
 *   PRED_CMD when the CPU has IBPB                                   write only
 *
 * Every other MSR exits both ways (monitor/msr.h emulates or refuses it). The exceptions
 * every backend intercepts are POLICY_EXCEPTIONS. The ports follow
 * the partition plan (partition/iopm.h: a guest's own ports pass, the rest and the 8042's
 * command port trap); the CPUID faces are monitor/cpuid.h's filter.
 */
#ifndef TWINMON_MONITOR_POLICY_H
#define TWINMON_MONITOR_POLICY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "monitor/spec.h"
#include "monitor/vcpu.h"

/*
 * Exceptions intercepted and reflected (a bit per vector): #DB and #AC. A guest whose #DB or
 * #AC delivery raises the same exception again would otherwise never leave the CPU, not even
 * for the timer (CVE-2015-8104, CVE-2015-5307).
 */
#define POLICY_EXCEPTIONS	((1u << VCPU_VEC_DB) | (1u << VCPU_VEC_AC))

/* When an entry applies: on every CPU, or only on one with that speculation control. */
enum policy_when {
	POLICY_ALWAYS,
	POLICY_SPEC_CTRL,	/* spec_caps.ctrl: the CPU has IA32_SPEC_CTRL */
	POLICY_IBPB,		/* spec_caps.ibpb: the CPU has IA32_PRED_CMD.IBPB */
};

/* MSRs first..last (inclusive) pass without an exit for reads and/or writes. */
struct policy_msr {
	uint32_t first, last;
	bool read, write;
	enum policy_when when;
};

/* The monitor's table, and its length. */
extern const struct policy_msr policy_msrs[];
extern const size_t policy_nr_msrs;

/* Whether entry p applies on a CPU with the capabilities c. */
bool policy_msr_applies(const struct policy_msr *p, const struct spec_caps *c);
/* Whether a guest's RDMSR (write false) or WRMSR of msr passes under table t[0..n) on c. */
bool policy_msr_passes(const struct policy_msr *t, size_t n, uint32_t msr, bool write,
		       const struct spec_caps *c);
/*
 * Encode table t[0..n) on c into a vendor's MSR map of size bytes, where every MSR starts
 * intercepted (all bits set): allow(map, msr, read, write) clears that MSR's bits, or fails
 * for an MSR the map has no bit for (it always exits: nothing to open). -EINVAL for a map
 * shorter than need bytes or an entry whose range runs backwards.
 */
int policy_msr_encode(uint8_t *map, size_t size, size_t need, const struct policy_msr *t,
		      size_t n, const struct spec_caps *c,
		      int (*allow)(uint8_t *map, uint32_t msr, bool read, bool write));

#endif
