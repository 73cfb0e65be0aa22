/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Per-guest e820 tables in the layout of Linux's boot_params.e820_table, so the loader can
 * copy them into the zero page as they are.
 */
#ifndef TWINMON_PARTITION_E820_H
#define TWINMON_PARTITION_E820_H

#include <stddef.h>
#include <stdint.h>

#include "partition/partition.h"

#define E820_MAX_ENTRIES 128	/* what boot_params.e820_table holds */

enum e820_type {
	E820_RAM = 1,
	E820_RESERVED = 2,
	E820_ACPI = 3,
	E820_NVS = 4,
	E820_UNUSABLE = 5,
};

struct e820_entry {
	uint64_t addr;
	uint64_t size;
	uint32_t type;
} __attribute__((packed));

_Static_assert(sizeof(struct e820_entry) == 20, "boot_params e820 entries are 20 bytes");

struct e820_table {
	uint32_t nr;
	struct e820_entry entry[E820_MAX_ENTRIES];
};

/* The e820 type a memory map type is shown as to guests (usable: E820_RAM). */
uint32_t e820_type_of(uint32_t memmap_type);
const char *e820_type_name(uint32_t type);

/*
 * Take bytes (a page multiple) off the top of the highest RAM entry at or above 1 MiB that
 * holds them, and list them as reserved instead: memory in the guest's partition that the
 * guest (and the loader, which places segments in the RAM entries) leaves alone, e.g. the
 * monitor's boot page tables for it. *base gets the first byte. -ENOSPC when no entry is
 * large enough, -E2BIG when the table is full.
 */
int e820_carve_top(struct e820_table *t, uint64_t bytes, uint64_t *base);

/* Back from an e820 type to the memory-map type the loader reads (E820_RAM: usable). */
uint32_t e820_memmap_type(uint32_t e820_type);

/*
 * A guest's e820 table as memory-map entries, the form loader_params.map takes: its RAM is
 * the partition the loader places segments in. Returns the number written (at most cap).
 */
size_t e820_to_memmap(const struct e820_table *t, struct memmap_entry *out, size_t cap);

/*
 * Guest g's table: its RAM as E820_RAM, and every non-usable range of the firmware's map
 * with its own type (MMIO and persistent memory as reserved), sorted, merged, without
 * overlaps. Where firmware entries overlap, the more restrictive type wins: unusable over
 * NVS over reserved over ACPI. The other guest's RAM and the monitor's memory are left out,
 * or shown as reserved when the guest asked for e820_foreign_reserved. When more than
 * E820_MAX_ENTRIES are needed, reserved entries are stretched over the gaps between them
 * (the gaps are no RAM of the guest); -E2BIG if that is not enough.
 */
int partition_build_e820(struct partition_plan *plan, unsigned g, struct e820_table *out);

#endif
