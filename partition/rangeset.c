// SPDX-License-Identifier: GPL-2.0-only
#include "partition/rangeset.h"

#include <errno.h>
#include <string.h>

/* First index whose end is past base: the first range that base could touch. */
static size_t rangeset_lower(const struct partition_range *r, size_t n, uint64_t base)
{
	size_t lo = 0, hi = n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (r[mid].end <= base)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

int rangeset_add(struct partition_range *r, size_t *n, size_t cap, uint64_t base, uint64_t end)
{
	if (end <= base)
		return 0;
	/* Start one early so a range ending exactly at base merges too. */
	size_t i = rangeset_lower(r, *n, base);

	if (i > 0 && r[i - 1].end == base)
		i--;
	size_t j = i;

	while (j < *n && r[j].base <= end) {
		if (r[j].base < base)
			base = r[j].base;
		if (r[j].end > end)
			end = r[j].end;
		j++;
	}
	if (j == i) {
		if (*n >= cap)
			return -E2BIG;
		memmove(&r[i + 1], &r[i], (*n - i) * sizeof(*r));
		(*n)++;
	} else if (j > i + 1) {
		memmove(&r[i + 1], &r[j], (*n - j) * sizeof(*r));
		*n -= j - i - 1;
	}
	r[i].base = base;
	r[i].end = end;
	return 0;
}

int rangeset_remove(struct partition_range *r, size_t *n, size_t cap, uint64_t base,
		    uint64_t end)
{
	if (end <= base)
		return 0;
	size_t i = rangeset_lower(r, *n, base);

	if (i < *n && r[i].base < base && r[i].end > end) {
		/* Strictly inside one range: split it in two. */
		if (*n >= cap)
			return -E2BIG;
		memmove(&r[i + 1], &r[i], (*n - i) * sizeof(*r));
		(*n)++;
		r[i].end = base;
		r[i + 1].base = end;
		return 0;
	}
	if (i < *n && r[i].base < base) {
		r[i].end = base;
		i++;
	}
	size_t j = i;

	while (j < *n && r[j].end <= end)
		j++;
	if (j < *n && r[j].base < end)
		r[j].base = end;
	memmove(&r[i], &r[j], (*n - j) * sizeof(*r));
	*n -= j - i;
	return 0;
}

uint64_t rangeset_bytes_in(const struct partition_range *r, size_t n, uint64_t base,
			   uint64_t end)
{
	uint64_t sum = 0;

	for (size_t i = rangeset_lower(r, n, base); i < n && r[i].base < end; i++) {
		uint64_t b = r[i].base > base ? r[i].base : base;
		uint64_t e = r[i].end < end ? r[i].end : end;

		if (e > b)
			sum += e - b;
	}
	return sum;
}

long rangeset_find_overlap(const struct partition_range *r, size_t n, uint64_t base,
			   uint64_t end)
{
	size_t i = rangeset_lower(r, n, base);

	if (end > base && i < n && r[i].base < end)
		return (long)i;
	return -1;
}

bool rangeset_contains(const struct partition_range *r, size_t n, uint64_t addr)
{
	size_t i = rangeset_lower(r, n, addr);

	return i < n && r[i].base <= addr;
}

void rangeset_page_out(uint64_t base, uint64_t size, uint64_t *pbase, uint64_t *pend)
{
	uint64_t end = size > UINT64_MAX - base ? UINT64_MAX : base + size;

	*pbase = base & ~(PARTITION_PAGE_SIZE - 1);
	/* The last page of the address space cannot be rounded up to: stop just below it. */
	*pend = end > UINT64_MAX - (PARTITION_PAGE_SIZE - 1) ? UINT64_MAX & ~(PARTITION_PAGE_SIZE - 1)
							    : (end + PARTITION_PAGE_SIZE - 1) &
								      ~(PARTITION_PAGE_SIZE - 1);
}

void rangeset_page_in(uint64_t base, uint64_t size, uint64_t *pbase, uint64_t *pend)
{
	uint64_t end = size > UINT64_MAX - base ? UINT64_MAX : base + size;

	*pbase = base > UINT64_MAX - (PARTITION_PAGE_SIZE - 1) ? UINT64_MAX
							      : (base + PARTITION_PAGE_SIZE - 1) &
									~(PARTITION_PAGE_SIZE - 1);
	*pend = end & ~(PARTITION_PAGE_SIZE - 1);
}
