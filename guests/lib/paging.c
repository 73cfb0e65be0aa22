// SPDX-License-Identifier: GPL-2.0-only
/* Identity page tables of 2 MiB pages (see paging.h). */
#include "guests/lib/paging.h"

#include <errno.h>

static uint64_t *pt_table(const struct pt *pt, uint64_t pa)
{
	return pt->pool + (pa - pt->pool_pa) / sizeof(uint64_t);
}

static int pt_alloc(struct pt *pt, uint64_t *pa)
{
	uint64_t *t;

	if (pt->used == pt->pages)
		return -ENOMEM;
	*pa = pt->pool_pa + pt->used * PT_PAGE;
	t = pt_table(pt, *pa);
	for (size_t i = 0; i < PT_PAGE / sizeof(uint64_t); i++)
		t[i] = 0;
	pt->used++;
	return 0;
}

int pt_init(struct pt *pt, void *pool, uint64_t pool_pa, size_t pages, bool la57)
{
	*pt = (struct pt){ .pool = pool, .pool_pa = pool_pa, .pages = pages,
			   .levels = la57 ? 5 : 4 };
	return pt_alloc(pt, &pt->root_pa);
}

/* Bits an identity address may use: the canonical lower half of 48 or 57 bits. */
static uint64_t pt_limit(const struct pt *pt)
{
	return pt->levels == 5 ? 1ull << 56 : 1ull << 47;
}

int pt_map_2m(struct pt *pt, uint64_t pa)
{
	uint64_t table = pt->root_pa, va = pa & ~(PT_LARGE - 1);

	if (pa >= pt_limit(pt))
		return -ERANGE;
	/* Walk down to the page directory (shift 21), creating tables on the way. */
	for (unsigned shift = 12 + 9 * (pt->levels - 1); shift > 21; shift -= 9) {
		uint64_t *e = &pt_table(pt, table)[(va >> shift) & 511];

		if (!(*e & PTE_P)) {
			uint64_t next;
			int rc = pt_alloc(pt, &next);

			if (rc)
				return rc;
			*e = next | PTE_P | PTE_RW;
		}
		table = *e & PTE_ADDR;
	}
	pt_table(pt, table)[(va >> 21) & 511] = va | PTE_P | PTE_RW | PTE_PS;
	return 0;
}

int pt_map_range(struct pt *pt, uint64_t base, uint64_t size)
{
	uint64_t pa = base & ~(PT_LARGE - 1);

	if (!size)
		return 0;
	if (size - 1 > UINT64_MAX - base)
		return -ERANGE;
	for (uint64_t last = base + size - 1; pa <= last; pa += PT_LARGE) {
		int rc = pt_map_2m(pt, pa);

		if (rc)
			return rc;
		if (pa > UINT64_MAX - PT_LARGE)
			break;
	}
	return 0;
}

bool pt_lookup(const struct pt *pt, uint64_t va, uint64_t *pa)
{
	uint64_t table = pt->root_pa;

	if (va >= pt_limit(pt))
		return false;
	for (unsigned shift = 12 + 9 * (pt->levels - 1);; shift -= 9) {
		uint64_t e = pt_table(pt, table)[(va >> shift) & 511];

		if (!(e & PTE_P))
			return false;
		if (shift == 12 || (e & PTE_PS)) {
			uint64_t mask = (1ull << shift) - 1;

			*pa = (e & PTE_ADDR & ~mask) | (va & mask);
			return true;
		}
		table = e & PTE_ADDR;
	}
}
