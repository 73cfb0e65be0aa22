/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * A guest's RAM as its e820 map describes it: the only memory it may touch. Ranges are
 * half-open [base, end), page-aligned, sorted and merged.
 */
#ifndef TWINMON_GUESTS_RAM_H
#define TWINMON_GUESTS_RAM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "guests/lib/bootinfo.h"

#define RAM_PAGE	4096ull
#define RAM_MAX_RANGES	BOOTINFO_E820_MAX

struct ram_range {
	uint64_t base, end;
};

/*
 * The usable (type 1) entries of e[0..n), each trimmed inward to whole pages, sorted, with
 * overlapping and touching ones merged, into out[] (room for n entries is enough). Returns
 * the count.
 */
size_t ram_from_e820(const struct e820_entry *e, size_t n, struct ram_range *out);

/* Whether [base, base + size) lies inside the RAM (size 0: never). */
bool ram_contains(const struct ram_range *r, size_t n, uint64_t base, uint64_t size);

uint64_t ram_total(const struct ram_range *r, size_t n);

/*
 * The highest page-aligned [*base, *base + size) inside one RAM range, at or above min, and
 * disjoint from every range in avoid[0..navoid). 0, or -ENOSPC when there is none.
 */
int ram_pick(const struct ram_range *r, size_t n, uint64_t size, uint64_t min,
	     const struct ram_range *avoid, size_t navoid, uint64_t *base);

#endif
