/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Sorted, disjoint lists of half-open address ranges in caller-owned arrays: the
 * bookkeeping under the planner (free RAM, each guest's RAM, MMIO). Adjacent ranges are
 * merged, so a list is always in its shortest form and two lists compare with memcmp.
 */
#ifndef TWINMON_PARTITION_RANGESET_H
#define TWINMON_PARTITION_RANGESET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "partition/partition.h"

/* Add [base, end), merging with what it touches. -E2BIG when cap would be exceeded. */
int rangeset_add(struct partition_range *r, size_t *n, size_t cap, uint64_t base, uint64_t end);

/* Remove [base, end). Splitting a range needs one more slot: -E2BIG when there is none. */
int rangeset_remove(struct partition_range *r, size_t *n, size_t cap, uint64_t base,
		    uint64_t end);

/* Bytes of the list inside [base, end). */
uint64_t rangeset_bytes_in(const struct partition_range *r, size_t n, uint64_t base,
			   uint64_t end);

/* Index of the first range overlapping [base, end), or -1. */
long rangeset_find_overlap(const struct partition_range *r, size_t n, uint64_t base,
			   uint64_t end);

bool rangeset_contains(const struct partition_range *r, size_t n, uint64_t addr);

/* Round [base, base + size) out to whole pages, clamped so it cannot wrap. */
void rangeset_page_out(uint64_t base, uint64_t size, uint64_t *pbase, uint64_t *pend);
/* Round it in (the whole pages inside it). *pend <= *pbase when there are none. */
void rangeset_page_in(uint64_t base, uint64_t size, uint64_t *pbase, uint64_t *pend);

#endif
