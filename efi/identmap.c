// SPDX-License-Identifier: GPL-2.0-only
#include "efi/identmap.h"

#include <string.h>

#define IDM_PAGE 4096ULL
#define IDM_GIB (1ULL << 30)
#define IDM_P 0x1ULL
#define IDM_RW 0x2ULL
#define IDM_PS 0x80ULL
#define IDM_PWT 0x8ULL
#define IDM_PCD 0x10ULL	/* with PWT: PAT entry 3, UC with the power-on PAT */
#define IDM_2M (2ULL << 20)

static uint64_t identmap_gib(uint64_t limit)
{
	uint64_t gib = (limit + IDM_GIB - 1) / IDM_GIB;
	return gib ? gib : 1;
}

static int identmap_overlaps(uint64_t base, uint64_t size, uint64_t uc_base, uint64_t uc_end)
{
	return base < uc_end && uc_base < base + size;
}

/* GiBs that get a page directory: all of them without 1 GiB pages, else those with UC. */
static uint64_t identmap_pds(uint64_t gib, int use_1g, uint64_t uc_base, uint64_t uc_end)
{
	uint64_t n = 0;

	for (uint64_t g = 0; g < gib; g++)
		n += !use_1g || identmap_overlaps(g * IDM_GIB, IDM_GIB, uc_base, uc_end);
	return n;
}

size_t identmap_pages(uint64_t limit, int use_1g, uint64_t uc_base, uint64_t uc_end)
{
	uint64_t gib = identmap_gib(limit);
	uint64_t pdpts = (gib + 511) / 512;

	return (size_t)(1 + pdpts + identmap_pds(gib, use_1g, uc_base, uc_end));
}

int identmap_has_1g(void)
{
	uint32_t a, b, c, d;

	__asm__ volatile("cpuid" : "=a"(a), "=b"(b), "=c"(c), "=d"(d) : "a"(0x80000000u), "c"(0));
	if (a < 0x80000001u)
		return 0;
	__asm__ volatile("cpuid" : "=a"(a), "=b"(b), "=c"(c), "=d"(d) : "a"(0x80000001u), "c"(0));
	return (d >> 26) & 1;
}

uint64_t identmap_build(void *pool, size_t pages, uint64_t limit, int use_1g, uint64_t uc_base,
			uint64_t uc_end)
{
	uint64_t gib = identmap_gib(limit);
	uint64_t pdpts = (gib + 511) / 512;
	uint64_t *pml4 = pool;
	uint8_t *base = pool;
	uint64_t next = 0;

	if (pdpts > 512 || pages < identmap_pages(limit, use_1g, uc_base, uc_end))
		return 0;
	memset(pool, 0, identmap_pages(limit, use_1g, uc_base, uc_end) * IDM_PAGE);

	for (uint64_t i = 0; i < pdpts; i++) {
		uint64_t *pdpt = (uint64_t *)(base + (1 + i) * IDM_PAGE);
		pml4[i] = (uint64_t)(uintptr_t)pdpt | IDM_P | IDM_RW;
	}
	for (uint64_t g = 0; g < gib; g++) {
		uint64_t *pdpt = (uint64_t *)(base + (1 + g / 512) * IDM_PAGE);
		if (use_1g && !identmap_overlaps(g * IDM_GIB, IDM_GIB, uc_base, uc_end)) {
			pdpt[g % 512] = g * IDM_GIB | IDM_P | IDM_RW | IDM_PS;
			continue;
		}
		uint64_t *pd = (uint64_t *)(base + (1 + pdpts + next++) * IDM_PAGE);
		pdpt[g % 512] = (uint64_t)(uintptr_t)pd | IDM_P | IDM_RW;
		for (uint64_t j = 0; j < 512; j++) {
			uint64_t pa = g * IDM_GIB + j * IDM_2M;

			pd[j] = pa | IDM_P | IDM_RW | IDM_PS;
			if (identmap_overlaps(pa, IDM_2M, uc_base, uc_end))
				pd[j] |= IDM_PCD | IDM_PWT;
		}
	}
	return (uint64_t)(uintptr_t)pml4;
}
