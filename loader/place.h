/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Placement of segments inside a guest partition: the free part of the partition is a
 * sorted list of holes (inclusive bounds, so a hole may end at the top of the address space),
 * and every placed segment is cut out of it, which is what keeps segments from overlapping.
 */
#ifndef TWINMON_LOADER_PLACE_H
#define TWINMON_LOADER_PLACE_H

#include <stdbool.h>
#include <stdint.h>

#include "loader/loader.h"

struct loader_hole {
	uint64_t first;
	uint64_t last;		/* inclusive */
};

/* Each placed segment splits at most one hole in two. */
#define LOADER_MAX_HOLES (LOADER_MAX_MAP + LOADER_MAX_SEGMENTS)

struct loader_place {
	struct loader_hole part[LOADER_MAX_MAP];	/* usable RAM, merged, within limits */
	size_t npart;
	struct loader_hole hole[LOADER_MAX_HOLES];	/* what is still free */
	size_t nhole;
	uint64_t mem_min;
	uint64_t mem_max;	/* inclusive; UINT64_MAX when unlimited */
	char where[192];	/* "partition 0x0-0x1fffffff above mem-min 0x1000" */
};

struct loader_place_req {
	const char *what;	/* segment name for the message */
	uint64_t size;		/* bytes, a page multiple, > 0 */
	uint64_t align;		/* power of two, >= LOADER_PAGE_SIZE */
	uint64_t max;		/* highest byte the format allows (UINT64_MAX: no limit) */
	const char *max_why;	/* NULL, or "below initrd_addr_max 0x7fffffff" for the message */
	bool top_down;		/* highest fitting address instead of the lowest */
};

/*
 * Collect the usable entries of p->map, merge them, trim them to whole pages inside
 * [mem_min, mem_max]. name is the image name for the message when nothing is left.
 */
int loader_place_init(struct loader_place *pl, const char *name, const struct loader_params *p,
		      struct loader_err *err);

/* Find a hole for req, take it, return its base. -ENOSPC says which segment and why. */
int loader_place_find(struct loader_place *pl, const struct loader_place_req *req,
		      uint64_t *base, struct loader_err *err);

/*
 * Take exactly [base, base + size) if all of it is free and below max. -ENOSPC otherwise;
 * err may be NULL when the caller only tries (a preferred address).
 */
int loader_place_fixed(struct loader_place *pl, const char *what, uint64_t base, uint64_t size,
		       uint64_t max, struct loader_err *err);

#endif
