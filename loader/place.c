// SPDX-License-Identifier: GPL-2.0-only
#include "loader/place.h"

#include <errno.h>

#include "lib/fmt.h"
#include "loader/internal.h"

static void place_sort(struct loader_hole *h, size_t n)
{
	for (size_t i = 1; i < n; i++) {
		struct loader_hole key = h[i];
		size_t j = i;

		while (j > 0 && h[j - 1].first > key.first) {
			h[j] = h[j - 1];
			j--;
		}
		h[j] = key;
	}
}

/* Describe the partition (as given, before limits) and the limits, for every message. */
static void place_describe(struct loader_place *pl, const struct loader_hole *merged, size_t n,
			   const struct loader_params *p)
{
	size_t len = 0, cap = sizeof(pl->where);

	len += fmt_snprintf(pl->where, cap, "partition ");
	for (size_t i = 0; i < n && len < cap; i++) {
		if (i == 3) {
			len += fmt_snprintf(pl->where + len, cap - len, ",... (%zu ranges)", n);
			break;
		}
		len += fmt_snprintf(pl->where + len, cap - len, "%s0x%llx-0x%llx", i ? "," : "",
				    (unsigned long long)merged[i].first,
				    (unsigned long long)merged[i].last);
	}
	if (!n && len < cap)
		len += fmt_snprintf(pl->where + len, cap - len, "(empty)");
	if (p->mem_min && len < cap)
		len += fmt_snprintf(pl->where + len, cap - len, " above mem-min 0x%llx",
				    (unsigned long long)p->mem_min);
	if (p->mem_max && len < cap)
		fmt_snprintf(pl->where + len, cap - len, " below mem-max 0x%llx",
			     (unsigned long long)p->mem_max);
}

int loader_place_init(struct loader_place *pl, const char *name, const struct loader_params *p,
		      struct loader_err *err)
{
	struct loader_hole *merged = pl->hole;	/* scratch until the holes are final */
	size_t n = 0;

	pl->npart = pl->nhole = 0;
	pl->mem_min = p->mem_min;
	pl->mem_max = p->mem_max ? p->mem_max : UINT64_MAX;
	if (p->map_count > LOADER_MAX_MAP)
		return loader_fail(err, -E2BIG,
				   "%s: guest memory map has %zu entries, more than %d", name,
				   p->map_count, LOADER_MAX_MAP);
	if (p->map_count && !p->map)
		return loader_fail(err, -EINVAL, "%s: no guest memory map", name);

	for (size_t i = 0; i < p->map_count; i++) {
		const struct memmap_entry *e = &p->map[i];

		if (e->type != MEMMAP_USABLE || !e->size)
			continue;
		merged[n].first = e->base;
		/* A range running past the top of the address space ends there. */
		merged[n].last = e->size - 1 > UINT64_MAX - e->base ? UINT64_MAX
								     : e->base + (e->size - 1);
		n++;
	}
	place_sort(merged, n);
	size_t m = 0;
	for (size_t i = 0; i < n; i++) {
		if (m && (merged[m - 1].last == UINT64_MAX ||
			  merged[i].first <= merged[m - 1].last + 1)) {
			if (merged[i].last > merged[m - 1].last)
				merged[m - 1].last = merged[i].last;
			continue;
		}
		merged[m++] = merged[i];
	}
	place_describe(pl, merged, m, p);

	/* Only whole pages inside the limits can hold a segment. */
	for (size_t i = 0; i < m; i++) {
		uint64_t first = merged[i].first, last = merged[i].last;

		if (first < pl->mem_min)
			first = pl->mem_min;
		if (last > pl->mem_max)
			last = pl->mem_max;
		if (first > last || first > UINT64_MAX - (LOADER_PAGE_SIZE - 1))
			continue;
		first = (first + LOADER_PAGE_SIZE - 1) & LOADER_PAGE_MASK;
		if (last != UINT64_MAX)
			last = ((last + 1) & LOADER_PAGE_MASK) - 1;
		if (first > last || last - first < LOADER_PAGE_SIZE - 1)
			continue;
		pl->part[pl->npart++] = (struct loader_hole){ first, last };
	}
	for (size_t i = 0; i < pl->npart; i++)
		pl->hole[i] = pl->part[i];
	pl->nhole = pl->npart;
	if (!pl->nhole)
		return loader_fail(err, -ENOSPC, "%s: no usable page in %s", name, pl->where);
	return 0;
}

/* Cut [first, last] out of hole i, which contains it. */
static void place_take(struct loader_place *pl, size_t i, uint64_t first, uint64_t last)
{
	struct loader_hole h = pl->hole[i];

	if (h.first < first && h.last > last) {
		/* LOADER_MAX_HOLES leaves room: one split per segment. */
		for (size_t j = pl->nhole; j > i + 1; j--)
			pl->hole[j] = pl->hole[j - 1];
		pl->nhole++;
		pl->hole[i].last = first - 1;
		pl->hole[i + 1] = (struct loader_hole){ last + 1, h.last };
	} else if (h.first < first) {
		pl->hole[i].last = first - 1;
	} else if (h.last > last) {
		pl->hole[i].first = last + 1;
	} else {
		for (size_t j = i; j + 1 < pl->nhole; j++)
			pl->hole[j] = pl->hole[j + 1];
		pl->nhole--;
	}
}

/* Lowest (or highest) aligned base of size bytes inside hole h and below max. */
static int place_fit(const struct loader_hole *h, const struct loader_place_req *req,
		     uint64_t *base)
{
	uint64_t hi = h->last < req->max ? h->last : req->max;
	uint64_t mask = ~(req->align - 1);

	if (hi < h->first || hi - h->first < req->size - 1)
		return -1;
	if (req->top_down) {
		uint64_t start = (hi - (req->size - 1)) & mask;

		if (start < h->first)
			return -1;
		*base = start;
		return 0;
	}
	if (h->first > UINT64_MAX - (req->align - 1))
		return -1;
	uint64_t start = (h->first + req->align - 1) & mask;
	if (start > hi || hi - start < req->size - 1)
		return -1;
	*base = start;
	return 0;
}

int loader_place_find(struct loader_place *pl, const struct loader_place_req *req,
		      uint64_t *base, struct loader_err *err)
{
	char sz[32], al[32];

	if (!req->size || req->size % LOADER_PAGE_SIZE || req->align < LOADER_PAGE_SIZE ||
	    (req->align & (req->align - 1)))
		return loader_fail(err, -EINVAL,
				   "%s: bad placement request (size 0x%llx, align 0x%llx)",
				   req->what, (unsigned long long)req->size,
				   (unsigned long long)req->align);
	for (size_t k = 0; k < pl->nhole; k++) {
		size_t i = req->top_down ? pl->nhole - 1 - k : k;

		if (place_fit(&pl->hole[i], req, base) == 0) {
			place_take(pl, i, *base, *base + (req->size - 1));
			return 0;
		}
	}
	return loader_fail(err, -ENOSPC, "%s: no %s-aligned hole of %s in %s%s%s", req->what,
			   loader_fmt_size(al, sizeof(al), req->align),
			   loader_fmt_size(sz, sizeof(sz), req->size), pl->where,
			   req->max_why ? " " : "", req->max_why ? req->max_why : "");
}

int loader_place_fixed(struct loader_place *pl, const char *what, uint64_t base, uint64_t size,
		       uint64_t max, struct loader_err *err)
{
	uint64_t last;
	bool in_partition = false;

	if (!size || size - 1 > UINT64_MAX - base)
		return loader_fail(err, -ENOSPC, "%s: 0x%llx + 0x%llx wraps around", what,
				   (unsigned long long)base, (unsigned long long)size);
	last = base + (size - 1);
	for (size_t i = 0; i < pl->nhole; i++) {
		if (base >= pl->hole[i].first && last <= pl->hole[i].last) {
			if (last > max)
				break;
			place_take(pl, i, base, last);
			return 0;
		}
	}
	for (size_t i = 0; i < pl->npart; i++)
		if (base >= pl->part[i].first && last <= pl->part[i].last)
			in_partition = true;
	if (in_partition && last > max)
		return loader_fail(err, -ENOSPC, "%s: 0x%llx-0x%llx ends above 0x%llx", what,
				   (unsigned long long)base, (unsigned long long)last,
				   (unsigned long long)max);
	if (in_partition)
		return loader_fail(err, -ENOSPC, "%s: 0x%llx-0x%llx overlaps another segment", what,
				   (unsigned long long)base, (unsigned long long)last);
	return loader_fail(err, -ENOSPC, "%s: 0x%llx-0x%llx is not inside %s", what,
			   (unsigned long long)base, (unsigned long long)last, pl->where);
}
