// SPDX-License-Identifier: GPL-2.0-only
/*
 * Fuzz the ELF64 probe and loader on arbitrary bytes. What loads must satisfy the plan
 * invariants, and every segment's bytes must be what the PT_LOADs put at that address.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "loader/loader.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void *fz_alloc(void *ctx, size_t n)
{
	return calloc(1, n ? n : 1);
}

static void fz_free(void *ctx, void *p, size_t n)
{
	free(p);
}

static const struct loader_staging fz_staging = { NULL, fz_alloc, fz_free };

/* The byte the image's PT_LOADs put at addr (0 in bss and gaps). */
static uint8_t fz_expected(const struct loader_elf_info *elf, const uint8_t *data, uint64_t addr)
{
	for (size_t i = 0; i < elf->nload; i++) {
		const struct loader_elf_load *l = &elf->load[i];

		if (addr >= l->paddr && addr - l->paddr < l->filesz)
			return data[l->offset + (addr - l->paddr)];
	}
	return 0;
}

static void fz_load(const uint8_t *data, size_t size, const struct memmap_entry *map, size_t n)
{
	struct loader_params p = {
		.name = "fuzz", .image = data, .image_size = size, .cmdline = "x", .map = map,
		.map_count = n, .staging = &fz_staging,
	};
	struct loader_plan plan;
	struct loader_err err;

	if (loader_load(&p, &plan, &err))
		return;
	if (loader_plan_check(&plan, &p, &err))
		abort();
	for (size_t i = 0; i < plan.nseg; i++) {
		const struct loader_segment *s = &plan.seg[i];
		const uint8_t *b = s->buf;

		if (strncmp(s->what, "load", 4))
			continue;
		for (uint64_t off = 0; off < s->memsz; off++)
			if ((off < s->bufsz ? b[off] : 0) !=
			    fz_expected(&plan.image.elf, data, s->mem + off))
				abort();
	}
	loader_plan_release(&plan);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const struct memmap_entry low[] = { { 0x0, 0x400000, MEMMAP_USABLE, 7 } };
	static const struct memmap_entry mid[] = {
		{ 0x100000, 0x100000, MEMMAP_USABLE, 7 }, { 0x200000, 0x1000, MEMMAP_ACPI, 9 },
		{ 0x201000, 0x1ff000, MEMMAP_USABLE, 7 },
	};
	struct loader_image img;
	struct loader_err err;
	int rc = loader_formats[1].probe("fuzz", data, size, &img, &err);

	if (rc == 0) {
		if (!img.elf.nload || img.elf.nload > LOADER_ELF_MAX_LOADS)
			abort();
		for (size_t i = 0; i < img.elf.nload; i++)
			if (img.elf.load[i].offset + img.elf.load[i].filesz > size ||
			    img.elf.load[i].filesz > img.elf.load[i].memsz)
				abort();
	} else if (strncmp(err.msg, "loader: fuzz: ", 14)) {
		abort();
	}
	fz_load(data, size, low, 1);
	fz_load(data, size, mid, 3);
	return 0;
}
