// SPDX-License-Identifier: GPL-2.0-only
/*
 * The indirection list of every guest's segments (efi/prep_reloc.h), built from firmware pages
 * while boot services run; the trampoline follows it after ExitBootServices (efi/prep_start.c).
 */
#include "efi/prep_reloc.h"

#include <efilib.h>
#include <errno.h>

#include "efi/log.h"

#define PREP_REJECT_MAX 32

/* The loader's reasons, logged as soon as they are given. */
static struct loader_err prep_err;

/* Pages the allocator handed out inside a destination and set aside to try again. */
static struct {
	uint64_t pa[PREP_REJECT_MAX];
	size_t n;
} prep_rejects;

static bool prep_in_ranges(uint64_t pa, const struct loader_range *r, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (pa >= r[i].base && pa - r[i].base < r[i].size)
			return true;
	return false;
}

/*
 * Firmware pages for the list and its sources. Pages outside every destination are
 * preferred (fewer moves), but the list builder copes with any page, as kexec's does.
 */
static int prep_page_alloc(void *ctx, const struct loader_range *avoid, size_t navoid,
			   uint64_t *pa)
{
	EFI_PHYSICAL_ADDRESS addr;

	for (;;) {
		if (EFI_ERROR(BS->AllocatePages(AllocateAnyPages, EfiLoaderData, 1, &addr)))
			return -ENOMEM;
		if (!prep_in_ranges(addr, avoid, navoid) || prep_rejects.n == PREP_REJECT_MAX)
			break;
		prep_rejects.pa[prep_rejects.n++] = addr;
	}
	*pa = addr;
	return 0;
}

static void prep_page_free(void *ctx, uint64_t pa)
{
	BS->FreePages(pa, 1);
}

static void *prep_page_va(void *ctx, uint64_t pa)
{
	return (void *)(uintptr_t)pa;
}

/* One list for every guest: the builder then keeps each source clear of every destination. */
int prep_reloc(struct prep *p)
{
	static const struct loader_page_ops ops = { NULL, prep_page_alloc, prep_page_free,
						    prep_page_va };
	int err;

	p->all = (struct loader_plan){ 0 };
	for (unsigned gi = 0; gi < CONFIG_NR_GUESTS; gi++) {
		const struct loader_plan *lp = &p->guest[gi].lplan;
		if (!p->guest[gi].present)
			continue;
		if (p->all.nseg + lp->nseg > LOADER_MAX_SEGMENTS) {
			log_printf("loader: the guests have %zu segments together, more than %d",
				   p->all.nseg + lp->nseg, LOADER_MAX_SEGMENTS);
			return -E2BIG;
		}
		for (size_t i = 0; i < lp->nseg; i++)
			p->all.seg[p->all.nseg++] = lp->seg[i];
	}
	err = loader_reloc_build(&p->reloc, &p->all, &ops, &prep_err);
	for (size_t i = 0; i < prep_rejects.n; i++)
		BS->FreePages(prep_rejects.pa[i], 1);
	prep_rejects.n = 0;
	if (err < 0) {
		log_printf("%s", prep_err.msg);
		return err;
	}
	log_printf("loader: indirection list: %zu list pages, %zu source pages, %zu zero, "
		   "%zu moved onto their destination, %zu set aside",
		   p->reloc.ind_pages, p->reloc.src_pages, p->reloc.zero_entries, p->reloc.moved,
		   p->reloc.parked);
	return 0;
}
