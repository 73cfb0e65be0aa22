/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The firmware's memory map in a form free of UEFI types, so the partitioner and its host
 * tests read the same thing the EFI app captured. efi/memmap.c converts EFI descriptors into
 * it (and classifies which UEFI types are free once boot services are gone).
 */
#ifndef TWINMON_PARTITION_MEMMAP_H
#define TWINMON_PARTITION_MEMMAP_H

#include <stddef.h>
#include <stdint.h>

#define MEMMAP_PAGE_SIZE 4096ULL

enum memmap_type {
	MEMMAP_USABLE = 1,	/* free after ExitBootServices: conventional, BS code/data, loader */
	MEMMAP_RESERVED,	/* firmware reserved, runtime services code/data, unusable */
	MEMMAP_ACPI,		/* ACPI reclaimable tables */
	MEMMAP_NVS,		/* ACPI NVS */
	MEMMAP_MMIO,		/* memory-mapped I/O, MMIO port space */
	MEMMAP_UNUSABLE,	/* memory with errors */
	MEMMAP_PERSISTENT,	/* persistent memory: never handed out as RAM */
	MEMMAP_TYPE_MAX,
};

struct memmap_entry {
	uint64_t base;
	uint64_t size;		/* bytes; may be 0 in adversarial maps */
	uint32_t type;		/* enum memmap_type */
	uint32_t efi_type;	/* the original UEFI type (0..15), kept for reports */
};

struct memmap {
	struct memmap_entry *entries;
	size_t count;
	size_t capacity;
};

struct memmap_summary {
	uint64_t usable_bytes;		/* sum of MEMMAP_USABLE sizes (overlaps counted once) */
	uint64_t largest_base;		/* largest contiguous usable range after merging */
	uint64_t largest_size;
	uint64_t highest_usable_end;	/* one past the last usable byte */
	size_t usable_ranges;		/* usable ranges after merging adjacent ones */
};

const char *memmap_type_name(uint32_t type);

/*
 * Summarise the usable RAM of a map. Entries may be unsorted, adjacent or overlapping;
 * the result counts every usable byte once. scratch must hold map->count entries.
 */
int memmap_summarize(const struct memmap *map, struct memmap_entry *scratch,
		     struct memmap_summary *out);

/* Sort by base (insertion sort: maps are short and this must not need libc qsort). */
void memmap_sort(struct memmap_entry *e, size_t n);

#endif
