/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Guest-virtual to guest-physical translation by walking the guest's own page tables (AMD64
 * long mode, 4 or 5 levels), for the few exits that name guest-virtual memory (string I/O
 * today, instruction fetch for an MMIO decoder later). Table reads go through the guest's
 * RAM only: a table outside it is a failed walk. Accessed and dirty bits are not set.
 */
#ifndef TWINMON_MONITOR_GVA_H
#define TWINMON_MONITOR_GVA_H

#include <stdbool.h>
#include <stdint.h>

#include "monitor/core.h"

struct gva_paging {
	uint64_t cr0, cr3, cr4, efer;
	unsigned cpl;
};

/* The error code a page fault for this walk would carry (P, W, U bits). */
#define GVA_PF_P	(1u << 0)
#define GVA_PF_W	(1u << 1)
#define GVA_PF_U	(1u << 2)

/*
 * Translate gva for a data access (write or read). 0 and *gpa; -EFAULT when the walk fails
 * (*pf_error says why, as the CPU's #PF error code would); -ENOTSUP in a legacy paging
 * mode (protected mode with paging but without long mode), which the monitor does not walk.
 */
int gva_translate(struct monitor *m, const struct guest *g, const struct gva_paging *p,
		  uint64_t gva, bool write, uint64_t *gpa, uint32_t *pf_error);

#endif
