/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * kexec's indirection list: a chain of 4 KiB pages of 64-bit entries, each a page address
 * with a flag in its low bits.
 *
 *   IND_DESTINATION  following sources are copied to this address, page after page
 *   IND_INDIRECTION  continue reading entries from this page
 *   IND_DONE         end of the list
 *   IND_SOURCE       copy this page to the current destination, then advance it by a page
 *
 * The builder copies every segment into source pages taken from the caller's page
 * allocator, so the staged buffers and the image file may sit anywhere, even on a
 * destination. It keeps kexec's rule that makes copying in list order safe: every source
 * page is either outside all destination ranges or already at its own destination. When the
 * allocator hands out a page that is some later page's destination, that page is parked
 * (or, when that destination already has a source, the source's content is moved into it
 * and the old source page reused), exactly as kernel/kexec_core.c's kimage_alloc_page does.
 * Indirection pages are never on a destination. Zero tails all use one shared zero page.
 *
 * The list is walked by loader/trampoline.asm on the machine and by loader_relocate_sim()
 * (same semantics) in host tests.
 */
#ifndef TWINMON_LOADER_INDIRECTION_H
#define TWINMON_LOADER_INDIRECTION_H

#include <stddef.h>
#include <stdint.h>

#include "loader/loader.h"

#define LOADER_IND_DESTINATION	0x1ULL
#define LOADER_IND_INDIRECTION	0x2ULL
#define LOADER_IND_DONE		0x4ULL
#define LOADER_IND_SOURCE	0x8ULL
#define LOADER_IND_PER_PAGE	(LOADER_PAGE_SIZE / sizeof(uint64_t))
#define LOADER_NO_PAGE		UINT64_MAX

struct loader_range {
	uint64_t base;
	uint64_t size;
};

/*
 * The caller's page allocator. alloc returns one page-aligned 4 KiB page in *pa, or a
 * negative errno. avoid lists the destination ranges: an allocator that can should return
 * pages outside them (the EFI app: memory outside every guest partition), but the builder
 * copes with any free page. free takes back a page alloc gave. va maps such a page for the
 * builder to write (the EFI app: (void *)pa; host tests: a simulated memory).
 */
struct loader_page_ops {
	void *ctx;
	int (*alloc)(void *ctx, const struct loader_range *avoid, size_t navoid, uint64_t *pa);
	void (*free)(void *ctx, uint64_t pa);
	void *(*va)(void *ctx, uint64_t pa);
};

struct loader_reloc {
	uint64_t head;		/* first entry for the walker: first page | IND_INDIRECTION */

	/* What the list holds, for reports and tests. */
	size_t ind_pages;	/* indirection pages */
	size_t src_pages;	/* source pages with content (the zero page not counted) */
	size_t zero_entries;	/* sources that point at the shared zero page */
	size_t moved;		/* sources moved onto their destination (kexec's swap) */
	size_t parked;		/* allocated pages that sat on a destination, set aside */

	/* Builder state. */
	const struct loader_page_ops *ops;
	struct loader_range dest[LOADER_MAX_SEGMENTS];
	size_t ndest;
	uint64_t *entry;	/* next free slot */
	uint64_t *last;		/* the current page's last slot, kept for the link */
	uint64_t parked_list;	/* parked pages, chained through their first word */
	uint64_t zero_page;
};

/*
 * Build the list for every segment of plan. On failure every page is given back and
 * r->head is 0. The plan's buffers are read now and not needed afterwards.
 */
int loader_reloc_build(struct loader_reloc *r, const struct loader_plan *plan,
		       const struct loader_page_ops *ops, struct loader_err *err);

/* Give every page of the list back to the allocator (after a failed start, or in tests). */
void loader_reloc_release(struct loader_reloc *r);

/* A simulated physical memory: physical [base, base + size) lives at mem. */
struct loader_sim {
	uint8_t *mem;
	uint64_t base;
	uint64_t size;
};

/* Host pointer for [pa, pa + len) of a simulated memory, NULL when outside (loader_phys_fn). */
const void *loader_sim_phys(void *sim, uint64_t pa, uint64_t len);

/*
 * The reference walker: do in sim what loader/trampoline.asm's loader_tramp_relocate does
 * on the machine. *pages gets the number of pages copied. Fails (instead of faulting)
 * on addresses outside sim, a list without an indirection head, or a list that loops.
 */
int loader_relocate_sim(const struct loader_sim *sim, uint64_t head, uint64_t *pages,
			struct loader_err *err);

#endif
