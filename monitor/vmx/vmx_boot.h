/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * What the EFI app asks of VMX before the monitor runs: whether this CPU can run the VMX
 * backend, and the page-table builder's flags for its EPT (partition/npt.h). EFI build only
 * (vmx.c).
 */
#ifndef TWINMON_MONITOR_VMX_VMX_BOOT_H
#define TWINMON_MONITOR_VMX_VMX_BOOT_H

#include <stddef.h>

/* 0 with *flags the EPT builder's NPT_NO_2M/NPT_NO_1G; -ENODEV with why (a "vmx: " line). */
int vmx_boot_pt_flags(unsigned *flags, char *why, size_t len);

#endif
