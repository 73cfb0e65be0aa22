// SPDX-License-Identifier: GPL-2.0-only
/*
 * Fuzz the bzImage probe and the whole load path behind it (placement, boot_params,
 * digests) on arbitrary bytes. Partitions are small, so a hostile init_size cannot make one
 * input hash gigabytes. Whatever loads must satisfy the plan invariants and carry the image
 * bytes the probe said it would.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "loader/bootparams.h"
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

static void fz_load(const uint8_t *data, size_t size, const struct memmap_entry *map, size_t n)
{
	static const uint8_t initrd[5000];
	struct loader_params p = {
		.name = "fuzz", .image = data, .image_size = size, .initrd = initrd,
		.initrd_size = sizeof(initrd), .cmdline = "console=ttyS0", .map = map,
		.map_count = n, .staging = &fz_staging,
	};
	struct loader_plan plan;
	struct loader_err err;

	if (loader_load(&p, &plan, &err))
		return;
	if (loader_plan_check(&plan, &p, &err))
		abort();
	const struct loader_segment *k = &plan.seg[0];
	const struct linux_boot_params *bp = NULL;
	for (size_t i = 0; i < plan.nseg; i++)
		if (!strcmp(plan.seg[i].what, "boot_params"))
			bp = plan.seg[i].buf;
	if (!bp || strcmp(k->what, "kernel") || k->buf != data + plan.image.bz.setup_size ||
	    plan.entry != k->mem + LINUX_ENTRY64_OFFSET || bp->hdr.header != LINUX_HDRS_MAGIC)
		abort();
	loader_plan_release(&plan);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const struct memmap_entry low[] = {
		{ 0x0, 0x9f000, MEMMAP_USABLE, 7 }, { 0x9f000, 0x61000, MEMMAP_RESERVED, 0 },
		{ 0x100000, 0x300000, MEMMAP_USABLE, 7 },
	};
	static const struct memmap_entry high[] = {
		{ 0x100000000ULL, 0x400000, MEMMAP_USABLE, 7 },
	};
	struct loader_image img;
	struct loader_err err;
	int rc = loader_formats[0].probe("fuzz", data, size, &img, &err);

	if (rc == 0) {
		if (img.bz.setup_size + img.bz.payload_size != size ||
		    img.bz.header_end > LINUX_SETUP_HEADER_LIMIT || img.bz.header_end > size ||
		    img.bz.version < LINUX_MIN_PROTOCOL)
			abort();
	} else if (strncmp(err.msg, "loader: fuzz: ", 14)) {
		abort();
	}
	fz_load(data, size, low, 3);
	fz_load(data, size, high, 1);
	return 0;
}
