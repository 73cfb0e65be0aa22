// SPDX-License-Identifier: GPL-2.0-only
/*
 * Building nested page tables, in either entry format (npt_format.c). Guest-physical equals
 * host-physical for twinmon's guests, but the builder keeps the two apart so a mistake that
 * mixes them up shows in tests.
 */
#include "partition/npt.h"

#include <errno.h>
#include <string.h>

static int npt_pool_alloc(void *ctx, uint64_t *pa, void **va)
{
	struct npt_pool *pool = ctx;

	if (pool->used >= pool->pages)
		return -ENOMEM;
	*pa = pool->pa_base + pool->used * NPT_SIZE_4K;
	*va = pool->va_base + pool->used * NPT_SIZE_4K;
	pool->used++;
	memset(*va, 0, NPT_SIZE_4K);
	return 0;
}

static void *npt_pool_virt(void *ctx, uint64_t pa)
{
	struct npt_pool *pool = ctx;

	if (pa < pool->pa_base || (pa - pool->pa_base) / NPT_SIZE_4K >= pool->used ||
	    (pa & (NPT_SIZE_4K - 1)))
		return NULL;
	return pool->va_base + (pa - pool->pa_base);
}

void npt_pool_init(struct npt_pool *pool, uint64_t pa_base, void *va_base, size_t pages)
{
	pool->pa_base = pa_base;
	pool->va_base = va_base;
	pool->pages = pages;
	pool->used = 0;
}

void npt_pool_ops(struct npt_pool *pool, struct npt_ops *ops)
{
	ops->alloc_page = npt_pool_alloc;
	ops->phys_to_virt = npt_pool_virt;
	ops->ctx = pool;
}

static int npt_alloc_table(struct npt *npt, uint64_t *pa, uint64_t **va)
{
	void *p = NULL;
	int err = npt->ops.alloc_page(npt->ops.ctx, pa, &p);

	if (err)
		return err < 0 ? err : -ENOMEM;
	if (!p || (*pa & (NPT_SIZE_4K - 1)) || (*pa & ~NPT_ADDR_MASK))
		return -EFAULT;
	/* The callback promises a zeroed page; a stale entry here would map anything. */
	memset(p, 0, NPT_SIZE_4K);
	*va = p;
	npt->tables++;
	return 0;
}

int npt_init_format(struct npt *npt, const struct npt_ops *ops, unsigned flags,
		    const struct npt_format *fmt)
{
	memset(npt, 0, sizeof(*npt));
	if (!ops || !ops->alloc_page || !ops->phys_to_virt || !fmt)
		return -EINVAL;
	npt->ops = *ops;
	npt->fmt = fmt;
	npt->flags = flags;
	return npt_alloc_table(npt, &npt->root_pa, &npt->root);
}

int npt_init(struct npt *npt, const struct npt_ops *ops, unsigned flags)
{
	return npt_init_format(npt, ops, flags, &npt_format_amd);
}

/* The table behind *entry, created if the entry is empty. */
static int npt_next(struct npt *npt, uint64_t *entry, uint64_t **table)
{
	uint64_t pa;
	int err;

	if (*entry & npt->fmt->present) {
		if (*entry & NPT_PS)
			return -EEXIST;	/* a large page already maps this region */
		*table = npt->ops.phys_to_virt(npt->ops.ctx, *entry & NPT_ADDR_MASK);
		return *table ? 0 : -EFAULT;
	}
	err = npt_alloc_table(npt, &pa, table);
	if (err)
		return err;
	*entry = pa | npt->fmt->table;
	return 0;
}

static unsigned npt_index(uint64_t gpa, int level)
{
	return (unsigned)(gpa >> (12 + 9 * (level - 1))) & (NPT_ENTRIES - 1);
}

int npt_map_range(struct npt *npt, uint64_t gpa, uint64_t hpa, uint64_t size, unsigned attr)
{
	uint64_t leaf, present;
	int err;

	if (!npt->root || !npt->fmt || !size || ((gpa | hpa | size) & (NPT_SIZE_4K - 1)))
		return -EINVAL;
	leaf = npt->fmt->leaf(attr);
	present = npt->fmt->present;
	if (size > NPT_GPA_LIMIT || gpa > NPT_GPA_LIMIT - size ||
	    hpa > (NPT_ADDR_MASK | (NPT_SIZE_4K - 1)) - size + 1)
		return -ERANGE;
	while (size) {
		uint64_t *pdpt, *pd, *pt, *e;
		uint64_t step;

		err = npt_next(npt, &npt->root[npt_index(gpa, 4)], &pdpt);
		if (err)
			return err;
		e = &pdpt[npt_index(gpa, 3)];
		if (!(npt->flags & NPT_NO_1G) && !((gpa | hpa) & (NPT_SIZE_1G - 1)) &&
		    size >= NPT_SIZE_1G) {
			step = NPT_SIZE_1G;
			if (*e & present)
				return -EEXIST;
			*e = hpa | leaf | NPT_PS;
			npt->leaves[2]++;
			goto next;
		}
		err = npt_next(npt, e, &pd);
		if (err)
			return err;
		e = &pd[npt_index(gpa, 2)];
		if (!(npt->flags & NPT_NO_2M) && !((gpa | hpa) & (NPT_SIZE_2M - 1)) &&
		    size >= NPT_SIZE_2M) {
			step = NPT_SIZE_2M;
			if (*e & present)
				return -EEXIST;
			*e = hpa | leaf | NPT_PS;
			npt->leaves[1]++;
			goto next;
		}
		err = npt_next(npt, e, &pt);
		if (err)
			return err;
		e = &pt[npt_index(gpa, 1)];
		step = NPT_SIZE_4K;
		if (*e & present)
			return -EEXIST;
		*e = hpa | leaf;
		npt->leaves[0]++;
next:
		gpa += step;
		hpa += step;
		size -= step;
	}
	return 0;
}

/*
 * Distinct tables needed at one level: chunks of span bytes that a region touches without
 * covering them whole (or every touched chunk, when large pages of that span are off). A
 * chunk inside a block of `above` bytes that one region covers whole needs no table: a page
 * of the level above maps it (above is 0 when that level has no large pages).
 * Regions are sorted, so the chunks come in order and last dedupes them.
 */
static size_t npt_count_level(const struct npt_region *r, size_t n, uint64_t span, bool large,
			      uint64_t above)
{
	uint64_t last = UINT64_MAX;
	size_t count = 0;

	for (size_t i = 0; i < n; i++) {
		uint64_t first = r[i].base / span, final = (r[i].end - 1) / span;

		if (r[i].end <= r[i].base)
			continue;
		for (uint64_t c = first; c <= final; c++) {
			bool whole = r[i].base <= c * span && r[i].end >= (c + 1) * span;
			uint64_t block = above ? c * span / above : 0;

			if (large && whole) {
				/* Only the two edge chunks can be partial: skip the middle. */
				if (c < final && c + 1 < final)
					c = final - 1;
				continue;
			}
			if (above && r[i].base <= block * above && r[i].end >= (block + 1) * above) {
				c = (block + 1) * (above / span) - 1;	/* the rest of the block */
				continue;
			}
			if (last == UINT64_MAX || c > last) {
				count++;
				last = c;
			}
		}
	}
	return count;
}

size_t npt_count_tables_flags(const struct npt_region *r, size_t n, unsigned flags)
{
	bool has_1g = !(flags & NPT_NO_1G), has_2m = !(flags & NPT_NO_2M);

	return 1 + npt_count_level(r, n, 1ULL << 39, false, 0) +
	       npt_count_level(r, n, NPT_SIZE_1G, has_1g, 0) +
	       npt_count_level(r, n, NPT_SIZE_2M, has_2m, has_1g ? NPT_SIZE_1G : 0);
}

size_t npt_count_tables(const struct npt_region *r, size_t n, bool no_1g)
{
	return npt_count_tables_flags(r, n, no_1g ? NPT_NO_1G : 0);
}

size_t npt_tables_bound_flags(size_t n, uint64_t max_end, unsigned flags)
{
	size_t pts = (flags & NPT_NO_2M) ? (size_t)((max_end + NPT_SIZE_2M - 1) >> 21) : 4 * n;

	return 1 + (size_t)((max_end + (1ULL << 39) - 1) >> 39) +
	       (size_t)((max_end + NPT_SIZE_1G - 1) >> 30) + pts;
}

size_t npt_tables_bound(size_t n, uint64_t max_end)
{
	return npt_tables_bound_flags(n, max_end, 0);
}
