// SPDX-License-Identifier: GPL-2.0-only
/* AMD-Vi device table entries and I/O page tables (see amdvi.h), in pool pages (pool.h). */
#include <errno.h>

#include "iommu/amdvi.h"

#define AMDVI_ENTRIES		512
#define AMDVI_2M		(1ULL << 21)

/* The index of addr in a table of level l (1: 4 KiB pages ... 4: 512 GiB each). */
static unsigned amdvi_index(uint64_t addr, unsigned l)
{
	return (unsigned)(addr >> (12 + 9 * (l - 1))) & (AMDVI_ENTRIES - 1);
}

static size_t amdvi_span(uint64_t base, uint64_t end, unsigned shift)
{
	return (size_t)(((end - 1) >> shift) - (base >> shift) + 1);
}

size_t amdvi_domain_pages(const struct partition_range *ram, size_t nr_ram)
{
	size_t pages = 1;

	for (size_t i = 0; i < nr_ram; i++) {
		if (ram[i].end <= ram[i].base)
			continue;
		pages += amdvi_span(ram[i].base, ram[i].end, 39) +
			 amdvi_span(ram[i].base, ram[i].end, 30) + 2;
	}
	return pages;
}

uint64_t amdvi_empty_table(struct iommu_pool *p)
{
	uint64_t pa = iommu_pool_alloc(p, 1);
	uint64_t *t = pa ? iommu_pool_va(p, pa) : NULL;

	if (!t)
		return 0;
	for (unsigned i = 0; i < AMDVI_ENTRIES; i++)
		t[i] = AMDVI_PTE_ABSENT;
	return pa;
}

/* The table an entry of level l points to, made when absent; NULL when the pool is used up
 * or the entry is a page already. */
static uint64_t *amdvi_next(struct iommu_pool *p, uint64_t *entry, unsigned l, int *err)
{
	uint64_t pa;

	if (*entry & AMDVI_PTE_PR) {
		if ((*entry & AMDVI_PTE_NEXT_MASK) != AMDVI_PTE_NEXT(l - 1)) {
			*err = -EEXIST;
			return NULL;
		}
		return iommu_pool_va(p, *entry & AMDVI_PTE_ADDR);
	}
	if (!(pa = amdvi_empty_table(p))) {
		*err = -ENOMEM;
		return NULL;
	}
	/* A table entry allows both directions; the leaf decides. */
	*entry = pa | AMDVI_PTE_NEXT(l - 1) | AMDVI_PTE_IR | AMDVI_PTE_IW | AMDVI_PTE_PR;
	return iommu_pool_va(p, pa);
}

/* One page of 2 MiB (leaf level 2) or 4 KiB (leaf level 1) at addr. */
static int amdvi_map_one(struct iommu_pool *p, uint64_t root_pa, uint64_t addr, unsigned leaf)
{
	uint64_t *t = iommu_pool_va(p, root_pa);
	int err = 0;

	for (unsigned l = AMDVI_LEVELS; l > leaf; l--)
		if (!(t = amdvi_next(p, &t[amdvi_index(addr, l)], l, &err)))
			return err ? err : -EINVAL;
	if (t[amdvi_index(addr, leaf)] & AMDVI_PTE_PR)
		return -EEXIST;
	t[amdvi_index(addr, leaf)] = addr | AMDVI_PTE_NEXT(0) | AMDVI_PTE_IR | AMDVI_PTE_IW |
				    AMDVI_PTE_PR;
	return 0;
}

int amdvi_map(struct iommu_pool *p, uint64_t root_pa, uint64_t base, uint64_t end)
{
	if ((base | end) & (IOMMU_PAGE - 1) || end < base || end > AMDVI_ADDR_LIMIT ||
	    !iommu_pool_va(p, root_pa))
		return -EINVAL;
	while (base < end) {
		bool big = !(base & (AMDVI_2M - 1)) && end - base >= AMDVI_2M;
		int err = amdvi_map_one(p, root_pa, base, big ? 2 : 1);

		if (err < 0)
			return err;
		base += big ? AMDVI_2M : IOMMU_PAGE;
	}
	return 0;
}

bool amdvi_lookup(const struct iommu_pool *p, uint64_t root_pa, uint64_t addr, uint64_t *pa,
		  bool *writable)
{
	const uint64_t *t = iommu_pool_va(p, root_pa);
	bool w = true;

	if (addr >= AMDVI_ADDR_LIMIT)
		return false;
	for (unsigned l = AMDVI_LEVELS; t && l >= 1; l--) {
		uint64_t e = t[amdvi_index(addr, l)];
		unsigned next = (unsigned)((e & AMDVI_PTE_NEXT_MASK) >> 9);

		if (!(e & AMDVI_PTE_PR) || !(e & AMDVI_PTE_IR))
			return false;
		w = w && (e & AMDVI_PTE_IW);
		if (next == 0) {
			uint64_t size = 1ULL << (12 + 9 * (l - 1));

			*pa = (e & AMDVI_PTE_ADDR & ~(size - 1)) | (addr & (size - 1));
			*writable = w;
			return true;
		}
		if (next != l - 1)
			return false;
		t = iommu_pool_va(p, e & AMDVI_PTE_ADDR);
	}
	return false;
}

void amdvi_dte_domain(uint64_t dte[4], uint64_t root_pa, uint16_t domid)
{
	dte[0] = (root_pa & AMDVI_PTE_ADDR) | AMDVI_DTE_MODE(AMDVI_LEVELS) | AMDVI_PTE_IR |
		 AMDVI_PTE_IW | AMDVI_DTE_TV | AMDVI_DTE_V;
	dte[1] = domid;
	dte[2] = 0;
	dte[3] = 0;
}

void amdvi_dte_blocked(uint64_t dte[4], uint64_t empty_root_pa)
{
	/* No IR, no IW: every access faults at the entry itself, whatever the tables say. */
	dte[0] = (empty_root_pa & AMDVI_PTE_ADDR) | AMDVI_DTE_MODE(AMDVI_LEVELS) | AMDVI_DTE_TV |
		 AMDVI_DTE_V;
	dte[1] = AMDVI_DOMID_BLOCKED;
	dte[2] = 0;
	dte[3] = 0;
}

void amdvi_dte_intr(uint64_t dte[4], enum amdvi_intr how, uint64_t irt_pa)
{
	/* SysMgt (dte[1] bits 41:40) 00b: system management messages target-aborted. */
	dte[1] &= ~(3ULL << 40);
	if (how == AMDVI_INTR_UNMAPPED) {
		dte[2] = 0;
		return;
	}
	dte[2] = AMDVI_DTE_INTCTL(how) | AMDVI_DTE_IV;
	if (how == AMDVI_INTR_REMAP)
		dte[2] |= (irt_pa & AMDVI_DTE_IRT_ADDR) | AMDVI_DTE_INTTABLEN(AMDVI_IRT_LOG2);
}

uint32_t amdvi_irte(uint8_t vector, uint8_t dest)
{
	/* IntType 000b (fixed), DM 0 (physical), RqEoi 0, SupIOPF 0: a refusal is logged. */
	return AMDVI_IRTE_VECTOR(vector) | AMDVI_IRTE_DEST(dest) | AMDVI_IRTE_REMAPEN;
}
