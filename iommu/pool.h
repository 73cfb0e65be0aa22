/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Pages for the IOMMU's tables: a bump allocator over memory the monitor reserved, addressed
 * both physically (what the hardware reads) and through a pointer (the identity map in the
 * EFI app, a heap buffer in the host tests). Pages come zeroed. Pure C, small enough to live
 * here whole.
 */
#ifndef TWINMON_IOMMU_POOL_H
#define TWINMON_IOMMU_POOL_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#define IOMMU_PAGE	4096u

struct iommu_pool {
	uint64_t pa;		/* 4 KiB aligned */
	uint8_t *va;
	size_t pages;
	size_t used;
};

static inline void iommu_pool_init(struct iommu_pool *p, uint64_t pa, void *va, size_t pages)
{
	*p = (struct iommu_pool){ .pa = pa, .va = va, .pages = pages };
}

/* n zeroed, contiguous pages: their physical address, 0 when the pool is used up. */
static inline uint64_t iommu_pool_alloc(struct iommu_pool *p, size_t n)
{
	uint64_t pa;

	if (!n || n > p->pages - p->used)
		return 0;
	pa = p->pa + (uint64_t)p->used * IOMMU_PAGE;
	memset(p->va + p->used * IOMMU_PAGE, 0, n * IOMMU_PAGE);
	p->used += n;
	return pa;
}

/* The pointer to a physical address inside the pool, NULL outside it. */
static inline void *iommu_pool_va(const struct iommu_pool *p, uint64_t pa)
{
	if (pa < p->pa || pa - p->pa >= (uint64_t)p->pages * IOMMU_PAGE)
		return NULL;
	return p->va + (pa - p->pa);
}

#endif
