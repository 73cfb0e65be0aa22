// SPDX-License-Identifier: GPL-2.0-only
/*
 * Building a guest's e820: the table is filled in order of precedence, and each range only
 * fills what nothing before it claimed, so overlaps in the firmware's map resolve to the
 * earlier (more restrictive) type and the guest's RAM is never covered by anything.
 */
#include "partition/e820.h"

#include <errno.h>
#include <string.h>

uint32_t e820_type_of(uint32_t memmap_type)
{
	switch (memmap_type) {
	case MEMMAP_USABLE:
		return E820_RAM;
	case MEMMAP_ACPI:
		return E820_ACPI;
	case MEMMAP_NVS:
		return E820_NVS;
	case MEMMAP_UNUSABLE:
		return E820_UNUSABLE;
	}
	return E820_RESERVED;	/* reserved, MMIO, persistent, unknown */
}

uint32_t e820_memmap_type(uint32_t e820_type)
{
	switch (e820_type) {
	case E820_RAM:
		return MEMMAP_USABLE;
	case E820_ACPI:
		return MEMMAP_ACPI;
	case E820_NVS:
		return MEMMAP_NVS;
	case E820_UNUSABLE:
		return MEMMAP_UNUSABLE;
	}
	return MEMMAP_RESERVED;
}

size_t e820_to_memmap(const struct e820_table *t, struct memmap_entry *out, size_t cap)
{
	size_t n = 0;

	for (uint32_t i = 0; i < t->nr && n < cap; i++) {
		out[n].base = t->entry[i].addr;
		out[n].size = t->entry[i].size;
		out[n].type = e820_memmap_type(t->entry[i].type);
		out[n].efi_type = 0;
		n++;
	}
	return n;
}

int e820_carve_top(struct e820_table *t, uint64_t bytes, uint64_t *base)
{
	int best = -1;

	if (!bytes || (bytes & (PARTITION_PAGE_SIZE - 1)))
		return -EINVAL;
	for (uint32_t i = 0; i < t->nr; i++) {
		const struct e820_entry *e = &t->entry[i];
		if (e->type != E820_RAM || e->addr < PARTITION_HIGH_START || e->size < bytes)
			continue;
		if (best < 0 || e->addr > t->entry[best].addr)
			best = (int)i;
	}
	if (best < 0)
		return -ENOSPC;
	if (t->nr >= E820_MAX_ENTRIES)
		return -E2BIG;
	struct e820_entry *e = &t->entry[best];
	e->size -= bytes;
	*base = e->addr + e->size;
	/* Keep the table sorted: the carved part follows its RAM entry. */
	memmove(&t->entry[best + 2], &t->entry[best + 1],
		(t->nr - (uint32_t)best - 1) * sizeof(t->entry[0]));
	t->entry[best + 1] = (struct e820_entry){ *base, bytes, E820_RESERVED };
	t->nr++;
	if (e->size == 0) {
		memmove(&t->entry[best], &t->entry[best + 1],
			(t->nr - (uint32_t)best - 1) * sizeof(t->entry[0]));
		t->nr--;
	}
	return 0;
}

const char *e820_type_name(uint32_t type)
{
	static const char *const names[] = {
		[E820_RAM] = "ram",	  [E820_RESERVED] = "reserved", [E820_ACPI] = "acpi",
		[E820_NVS] = "acpi-nvs", [E820_UNUSABLE] = "unusable",
	};

	return type < sizeof(names) / sizeof(names[0]) && names[type] ? names[type] : "?";
}

static uint64_t e820_end(const struct e820_entry *e)
{
	return e->addr + e->size;
}

/* Insert [b, e) of type at index i, merging with same-typed neighbours it touches. */
static int e820_insert(struct e820_table *t, size_t i, uint64_t b, uint64_t e, uint32_t type)
{
	bool left = i > 0 && t->entry[i - 1].type == type && e820_end(&t->entry[i - 1]) == b;
	bool right = i < t->nr && t->entry[i].type == type && t->entry[i].addr == e;

	if (left && right) {
		t->entry[i - 1].size = e820_end(&t->entry[i]) - t->entry[i - 1].addr;
		memmove(&t->entry[i], &t->entry[i + 1], (t->nr - i - 1) * sizeof(t->entry[0]));
		t->nr--;
		return 0;
	}
	if (left) {
		t->entry[i - 1].size = e - t->entry[i - 1].addr;
		return 0;
	}
	if (right) {
		t->entry[i].size = e820_end(&t->entry[i]) - b;
		t->entry[i].addr = b;
		return 0;
	}
	if (t->nr >= E820_MAX_ENTRIES) {
		/*
		 * Full: a reserved range may swallow the gap to a reserved neighbour instead.
		 * RAM went in first, so a gap between two neighbours holds none of it.
		 */
		if (type != E820_RESERVED)
			return -E2BIG;
		if (i > 0 && t->entry[i - 1].type == type) {
			t->entry[i - 1].size = e - t->entry[i - 1].addr;
			return 0;
		}
		if (i < t->nr && t->entry[i].type == type) {
			t->entry[i].size = e820_end(&t->entry[i]) - b;
			t->entry[i].addr = b;
			return 0;
		}
		return -E2BIG;
	}
	memmove(&t->entry[i + 1], &t->entry[i], (t->nr - i) * sizeof(t->entry[0]));
	t->entry[i] = (struct e820_entry){ .addr = b, .size = e - b, .type = type };
	t->nr++;
	return 0;
}

/* Add the parts of [b, e) no entry covers yet. */
static int e820_fill(struct e820_table *t, uint64_t b, uint64_t e, uint32_t type)
{
	size_t i = 0;
	int err;

	while (i < t->nr && e820_end(&t->entry[i]) <= b)
		i++;
	while (b < e) {
		if (i < t->nr && t->entry[i].addr <= b) {
			b = e820_end(&t->entry[i]);
			i++;
			continue;
		}
		uint64_t gap_end = i < t->nr && t->entry[i].addr < e ? t->entry[i].addr : e;
		size_t before = t->nr;

		err = e820_insert(t, i, b, gap_end, type);
		if (err)
			return err;
		b = gap_end;
		/* A new entry sits at i; a merge left the count alone. Step past what covers b. */
		if (t->nr > before)
			i++;
		while (i < t->nr && e820_end(&t->entry[i]) <= b)
			i++;
		if (i > 0 && e820_end(&t->entry[i - 1]) > b)
			b = e820_end(&t->entry[i - 1]);
	}
	return 0;
}

static int e820_fill_map_type(struct e820_table *t, const struct partition_plan *plan,
			      uint32_t type)
{
	const struct memmap *map = plan->map;

	for (size_t i = 0; i < map->count; i++) {
		const struct memmap_entry *me = &map->entries[i];
		uint64_t b = me->base, e;

		if (me->type == MEMMAP_USABLE || !me->size || e820_type_of(me->type) != type)
			continue;
		if (b >= plan->phys_limit)
			continue;
		e = me->size > plan->phys_limit - b ? plan->phys_limit : b + me->size;
		int err = e820_fill(t, b, e, type);

		if (err)
			return err;
	}
	return 0;
}

int partition_build_e820(struct partition_plan *plan, unsigned g, struct e820_table *out)
{
	static const uint32_t order[] = { E820_UNUSABLE, E820_NVS, E820_RESERVED, E820_ACPI };
	const struct partition_guest *pg;
	int err = 0;

	if (g >= PARTITION_NR_GUESTS || !plan->guest[g].present)
		return partition_fail(plan, -EINVAL, "e820: no guest %u", g);
	pg = &plan->guest[g];
	memset(out, 0, sizeof(*out));
	for (size_t i = 0; i < pg->nr_ram && !err; i++)
		err = e820_fill(out, pg->ram[i].base, pg->ram[i].end, E820_RAM);
	for (size_t k = 0; k < sizeof(order) / sizeof(order[0]) && !err; k++)
		err = e820_fill_map_type(out, plan, order[k]);
	if (pg->e820_foreign_reserved) {
		const struct partition_guest *og = &plan->guest[g ^ 1];

		for (size_t i = 0; i < og->nr_ram && !err; i++)
			err = e820_fill(out, og->ram[i].base, og->ram[i].end, E820_RESERVED);
		for (size_t i = 0; i < plan->nr_monitor && !err; i++)
			err = e820_fill(out, plan->monitor[i].r.base, plan->monitor[i].r.end,
					E820_RESERVED);
	}
	if (err)
		return partition_fail(plan, err, "guest %c: e820 needs more than %d entries",
				      pg->letter, E820_MAX_ENTRIES);
	return 0;
}
