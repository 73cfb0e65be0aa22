// SPDX-License-Identifier: GPL-2.0-only
#include "efi/identmap.h"

#include <string.h>

#define IDM_PAGE 4096ULL
#define IDM_GIB (1ULL << 30)
#define IDM_P 0x1ULL
#define IDM_RW 0x2ULL
#define IDM_PS 0x80ULL

static uint64_t identmap_gib(uint64_t limit)
{
	uint64_t gib = (limit + IDM_GIB - 1) / IDM_GIB;
	return gib ? gib : 1;
}

size_t identmap_pages(uint64_t limit, int use_1g)
{
	uint64_t gib = identmap_gib(limit);
	uint64_t pdpts = (gib + 511) / 512;

	return (size_t)(1 + pdpts + (use_1g ? 0 : gib));
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

uint64_t identmap_build(void *pool, size_t pages, uint64_t limit, int use_1g)
{
	uint64_t gib = identmap_gib(limit);
	uint64_t pdpts = (gib + 511) / 512;
	uint64_t *pml4 = pool;
	uint8_t *base = pool;

	if (pdpts > 512 || pages < identmap_pages(limit, use_1g))
		return 0;
	memset(pool, 0, identmap_pages(limit, use_1g) * IDM_PAGE);

	for (uint64_t i = 0; i < pdpts; i++) {
		uint64_t *pdpt = (uint64_t *)(base + (1 + i) * IDM_PAGE);
		pml4[i] = (uint64_t)(uintptr_t)pdpt | IDM_P | IDM_RW;
	}
	for (uint64_t g = 0; g < gib; g++) {
		uint64_t *pdpt = (uint64_t *)(base + (1 + g / 512) * IDM_PAGE);
		if (use_1g) {
			pdpt[g % 512] = g * IDM_GIB | IDM_P | IDM_RW | IDM_PS;
			continue;
		}
		uint64_t *pd = (uint64_t *)(base + (1 + pdpts + g) * IDM_PAGE);
		pdpt[g % 512] = (uint64_t)(uintptr_t)pd | IDM_P | IDM_RW;
		for (uint64_t j = 0; j < 512; j++)
			pd[j] = (g * IDM_GIB + j * (2ULL << 20)) | IDM_P | IDM_RW | IDM_PS;
	}
	return (uint64_t)(uintptr_t)pml4;
}
