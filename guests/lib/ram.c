// SPDX-License-Identifier: GPL-2.0-only
/* RAM ranges from the e820 map, and picking a free region in them (see ram.h). */
#include "guests/lib/ram.h"

#include <errno.h>

size_t ram_from_e820(const struct e820_entry *e, size_t n, struct ram_range *out)
{
	size_t count = 0;

	for (size_t i = 0; i < n; i++) {
		uint64_t addr = e[i].addr, size = e[i].size, base, end;

		if (e[i].type != E820_RAM || !size)
			continue;
		/* Clamp an entry running past 2^64 rather than letting it wrap. */
		end = size > UINT64_MAX - addr ? UINT64_MAX : addr + size;
		base = addr > UINT64_MAX - (RAM_PAGE - 1) ? UINT64_MAX : addr + RAM_PAGE - 1;
		base &= ~(RAM_PAGE - 1);
		end &= ~(RAM_PAGE - 1);
		if (base >= end)
			continue;
		/* Insertion sort: at most 128 entries. */
		size_t j = count++;
		while (j > 0 && out[j - 1].base > base) {
			out[j] = out[j - 1];
			j--;
		}
		out[j] = (struct ram_range){ base, end };
	}
	/* Merge overlapping and touching neighbours. */
	size_t m = 0;
	for (size_t i = 0; i < count; i++) {
		if (m && out[i].base <= out[m - 1].end) {
			if (out[i].end > out[m - 1].end)
				out[m - 1].end = out[i].end;
		} else {
			out[m++] = out[i];
		}
	}
	return m;
}

bool ram_contains(const struct ram_range *r, size_t n, uint64_t base, uint64_t size)
{
	if (!size || size > UINT64_MAX - base)
		return false;
	/* Merged ranges never touch, so a region in RAM lies in one of them. */
	for (size_t i = 0; i < n; i++)
		if (base >= r[i].base && base + size <= r[i].end)
			return true;
	return false;
}

uint64_t ram_total(const struct ram_range *r, size_t n)
{
	uint64_t total = 0;

	for (size_t i = 0; i < n; i++)
		total += r[i].end - r[i].base;
	return total;
}

int ram_pick(const struct ram_range *r, size_t n, uint64_t size, uint64_t min,
	     const struct ram_range *avoid, size_t navoid, uint64_t *base)
{
	if (!size || size > UINT64_MAX - RAM_PAGE)
		return -ENOSPC;
	size = (size + RAM_PAGE - 1) & ~(RAM_PAGE - 1);
	for (size_t i = n; i-- > 0;) {
		uint64_t lo = r[i].base > min ? r[i].base : min, top = r[i].end;

		/* Slide down below every avoided range the candidate hits; top only falls. */
		while (top > lo && top - lo >= size) {
			uint64_t b = top - size;
			size_t k;

			for (k = 0; k < navoid; k++)
				if (avoid[k].base < b + size && b < avoid[k].end)
					break;
			if (k == navoid) {
				*base = b;
				return 0;
			}
			top = avoid[k].base & ~(RAM_PAGE - 1);
		}
	}
	return -ENOSPC;
}
