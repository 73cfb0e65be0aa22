/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The VMX MSR bitmap (SDM vol. 3C, "VM-Execution Control Fields", MSR-bitmap address): one
 * 4 KiB page, a bit per MSR (set = exit) in four 1 KiB quarters: reads of 0-0x1fff, reads of
 * 0xc0000000-0xc0001fff, writes of the low range, writes of the high range. Every other MSR
 * always exits. Its content is the VMX encoding of the neutral policy table
 * (monitor/policy.h), as svm_msrpm.c is the SVM one. Plain C: host-tested.
 */
#ifndef TWINMON_MONITOR_VMX_MSRBITMAP_H
#define TWINMON_MONITOR_VMX_MSRBITMAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "monitor/policy.h"

#define VMX_MSR_BITMAP_SIZE	4096

/* Fill a bitmap from the policy table t[0..n) on a CPU with the capabilities c: everything
 * exits but what applies. -EINVAL if size is short or a range is reversed. */
int vmx_msrbitmap_encode(uint8_t *bm, size_t size, const struct policy_msr *t, size_t n,
			 const struct spec_caps *c);
/* Let the guest read and/or write msr without an exit. -EINVAL: the bitmap has no bit for it. */
int vmx_msrbitmap_allow(uint8_t *bm, uint32_t msr, bool read, bool write);
/* Whether a guest RDMSR (write false) or WRMSR of msr exits with this bitmap. */
bool vmx_msrbitmap_intercepts(const uint8_t *bm, uint32_t msr, bool write);

#endif
