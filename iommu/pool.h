/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Pages for the IOMMU's tables: a bump allocator over memory the monitor reserved, addressed
 * both physically (what the hardware reads) and through a pointer (the identity map in the
 * EFI app, a heap buffer in the host tests). Pages come zeroed. Pure C (amdvi_table.c).
 */
#ifndef TWINMON_IOMMU_POOL_H
#define TWINMON_IOMMU_POOL_H

#include <stddef.h>
#include <stdint.h>

#define IOMMU_PAGE	4096u

struct iommu_pool {
	uint64_t pa;		/* 4 KiB aligned */
	uint8_t *va;
	size_t pages;
	size_t used;
};

void iommu_pool_init(struct iommu_pool *p, uint64_t pa, void *va, size_t pages);
/* n zeroed, contiguous pages: their physical address, 0 when the pool is used up. */
uint64_t iommu_pool_alloc(struct iommu_pool *p, size_t n);
/* The pointer to a physical address inside the pool, NULL outside it. */
void *iommu_pool_va(const struct iommu_pool *p, uint64_t pa);

#endif
