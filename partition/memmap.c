// SPDX-License-Identifier: GPL-2.0-only
#include "partition/memmap.h"

#include <errno.h>

static const char *const memmap_names[MEMMAP_TYPE_MAX] = {
	[MEMMAP_USABLE] = "usable",	[MEMMAP_RESERVED] = "reserved",
	[MEMMAP_ACPI] = "acpi",		[MEMMAP_NVS] = "acpi-nvs",
	[MEMMAP_MMIO] = "mmio",		[MEMMAP_UNUSABLE] = "unusable",
	[MEMMAP_PERSISTENT] = "persistent",
};

const char *memmap_type_name(uint32_t type)
{
	if (type < MEMMAP_TYPE_MAX && memmap_names[type])
		return memmap_names[type];
	return "unknown";
}

void memmap_sort(struct memmap_entry *e, size_t n)
{
	for (size_t i = 1; i < n; i++) {
		struct memmap_entry key = e[i];
		size_t j = i;
		while (j > 0 && (e[j - 1].base > key.base ||
				 (e[j - 1].base == key.base && e[j - 1].size > key.size))) {
			e[j] = e[j - 1];
			j--;
		}
		e[j] = key;
	}
}

/* End of a range, clamped so a range touching the top of the address space cannot wrap. */
static uint64_t memmap_end(const struct memmap_entry *e)
{
	return e->size > UINT64_MAX - e->base ? UINT64_MAX : e->base + e->size;
}

int memmap_summarize(const struct memmap *map, struct memmap_entry *scratch,
		     struct memmap_summary *out)
{
	size_t n = 0;

	if (!map || !out || (map->count && (!map->entries || !scratch)))
		return -EINVAL;
	*out = (struct memmap_summary){ 0 };

	for (size_t i = 0; i < map->count; i++)
		if (map->entries[i].type == MEMMAP_USABLE && map->entries[i].size)
			scratch[n++] = map->entries[i];
	memmap_sort(scratch, n);

	size_t i = 0;
	while (i < n) {
		uint64_t base = scratch[i].base;
		uint64_t end = memmap_end(&scratch[i]);
		for (i++; i < n && scratch[i].base <= end; i++) {
			uint64_t e = memmap_end(&scratch[i]);
			if (e > end)
				end = e;
		}
		uint64_t size = end - base;
		out->usable_bytes += size;
		out->usable_ranges++;
		if (size > out->largest_size) {
			out->largest_size = size;
			out->largest_base = base;
		}
		if (end > out->highest_usable_end)
			out->highest_usable_end = end;
	}
	return 0;
}
