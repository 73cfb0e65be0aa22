// SPDX-License-Identifier: GPL-2.0-only
/*
 * Fuzz the MCFG walk: the input is physical memory from address 0x1000 on, the RSDP at its
 * start. Whatever the bytes, the walk reads only inside them, and a window it returns is
 * aligned, ordered and does not wrap.
 */
#include <stdlib.h>

#include "partition/acpi_mcfg.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct fz_mem {
	const uint8_t *data;
	size_t size;
};

#define FZ_BASE 0x1000u

static const void *fz_map(void *ctx, uint64_t pa, uint64_t len)
{
	const struct fz_mem *m = ctx;

	if (pa < FZ_BASE || pa - FZ_BASE > m->size || len > m->size - (pa - FZ_BASE))
		return NULL;
	return m->data + (pa - FZ_BASE);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fz_mem m = { data, size };
	struct acpi_ecam e = { 0 };

	if (acpi_mcfg_find(fz_map, &m, FZ_BASE, &e) == 0) {
		if (!e.base || (e.base & ((1u << ACPI_ECAM_BUS_SHIFT) - 1)) ||
		    e.bus_start > e.bus_end ||
		    e.base + (((uint64_t)e.bus_end + 1) << ACPI_ECAM_BUS_SHIFT) < e.base)
			abort();
	}
	if (acpi_mcfg_parse(data, size, &e) == 0 && e.bus_start > e.bus_end)
		abort();
	return 0;
}
