// SPDX-License-Identifier: GPL-2.0-only
#include "iommu/pool.h"

#include <string.h>

void iommu_pool_init(struct iommu_pool *p, uint64_t pa, void *va, size_t pages)
{
	*p = (struct iommu_pool){ .pa = pa, .va = va, .pages = pages };
}

uint64_t iommu_pool_alloc(struct iommu_pool *p, size_t n)
{
	uint64_t pa;

	if (!n || n > p->pages - p->used)
		return 0;
	pa = p->pa + (uint64_t)p->used * IOMMU_PAGE;
	memset(p->va + p->used * IOMMU_PAGE, 0, n * IOMMU_PAGE);
	p->used += n;
	return pa;
}

void *iommu_pool_va(const struct iommu_pool *p, uint64_t pa)
{
	if (pa < p->pa || pa - p->pa >= (uint64_t)p->pages * IOMMU_PAGE)
		return NULL;
	return p->va + (pa - p->pa);
}
