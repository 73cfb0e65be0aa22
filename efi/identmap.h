/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * An identity map of the low physical address space in pages twinmon owns, so the last
 * steps of a start keep running when the firmware's page tables (boot-services memory) are
 * overwritten by a guest's segments.
 */
#ifndef TWINMON_EFI_IDENTMAP_H
#define TWINMON_EFI_IDENTMAP_H

#include <stddef.h>
#include <stdint.h>

/*
 * Pages needed to map [0, limit) (limit rounded up to 1 GiB), with [uc_base, uc_end) uncached
 * (empty when uc_end <= uc_base).
 */
size_t identmap_pages(uint64_t limit, int use_1g, uint64_t uc_base, uint64_t uc_end);

/* Whether the CPU has 1 GiB pages (CPUID 0x80000001 EDX bit 26). */
int identmap_has_1g(void);

/*
 * Build the tables in pages [pool, pool + pages * 4 KiB) (identity mapped, writable) and
 * return the PML4's physical address, or 0 when the pool is too small. Memory is write-back
 * (the firmware's MTRRs decide for MMIO), except the 2 MiB pages that overlap [uc_base,
 * uc_end), which are PCD|PWT (uncached with the power-on PAT): the host's ECAM window, which
 * the monitor reads and writes as configuration registers whatever the MTRRs say.
 */
uint64_t identmap_build(void *pool, size_t pages, uint64_t limit, int use_1g, uint64_t uc_base,
			uint64_t uc_end);

#endif
