// SPDX-License-Identifier: GPL-2.0-only
#include "loader/indirection.h"

#include <errno.h>

#include "loader/internal.h"

static bool reloc_is_dest(const struct loader_reloc *r, uint64_t pa)
{
	for (size_t i = 0; i < r->ndest; i++)
		if (pa >= r->dest[i].base && pa - r->dest[i].base < r->dest[i].size)
			return true;
	return false;
}

static uint64_t *reloc_va(const struct loader_reloc *r, uint64_t pa)
{
	return r->ops->va(r->ops->ctx, pa);
}

/* The list entry whose source will be copied to dest, or NULL. Walks what is built so far. */
static uint64_t *reloc_find_source(const struct loader_reloc *r, uint64_t dest)
{
	uint64_t *e = (uint64_t *)&r->head, at = 0;

	for (;;) {
		uint64_t v = *e;

		if (v & LOADER_IND_DESTINATION) {
			at = v & LOADER_PAGE_MASK;
		} else if (v & LOADER_IND_INDIRECTION) {
			e = reloc_va(r, v & LOADER_PAGE_MASK);
			continue;
		} else if ((v & LOADER_IND_DONE) || !v) {
			/* Slots past the last entry written are still zero. */
			return NULL;
		} else if (v & LOADER_IND_SOURCE) {
			if (at == dest)
				return e;
			at += LOADER_PAGE_SIZE;
		}
		e++;
	}
}

static void reloc_park(struct loader_reloc *r, uint64_t pa)
{
	*reloc_va(r, pa) = r->parked_list;
	r->parked_list = pa;
	r->parked++;
}

static bool reloc_unpark(struct loader_reloc *r, uint64_t pa)
{
	uint64_t *link = &r->parked_list;

	while (*link != LOADER_NO_PAGE) {
		if (*link == pa) {
			*link = *reloc_va(r, pa);
			return true;
		}
		link = reloc_va(r, *link);
	}
	return false;
}

/*
 * A page to hold the content of destination page dest, or (dest == LOADER_NO_PAGE) a page
 * outside every destination, for the list itself and the zero page. This is where the
 * "copy in list order is safe" rule is kept; see indirection.h.
 */
static int reloc_get_page(struct loader_reloc *r, uint64_t dest, uint64_t *out,
			  struct loader_err *err)
{
	const struct loader_page_ops *ops = r->ops;

	if (dest != LOADER_NO_PAGE && reloc_unpark(r, dest)) {
		*out = dest;
		return 0;
	}
	for (;;) {
		uint64_t pa, *old;
		int rc = ops->alloc(ops->ctx, r->dest, r->ndest, &pa);

		if (rc)
			return loader_fail(err, rc < 0 ? rc : -ENOMEM,
					   "relocation: out of pages (%zu list, %zu source so far)",
					   r->ind_pages, r->src_pages);
		if (pa % LOADER_PAGE_SIZE || !reloc_va(r, pa)) {
			ops->free(ops->ctx, pa);
			return loader_fail(err, -EINVAL, "relocation: allocator gave page 0x%llx",
					   (unsigned long long)pa);
		}
		if (pa == dest || !reloc_is_dest(r, pa)) {
			*out = pa;
			return 0;
		}
		old = reloc_find_source(r, pa);
		if (!old) {
			/* Its destination comes later: keep it for then. */
			reloc_park(r, pa);
			continue;
		}
		/* pa is where an earlier source goes: move that content home now. */
		uint64_t old_pa = *old & LOADER_PAGE_MASK;
		memcpy(reloc_va(r, pa), reloc_va(r, old_pa), LOADER_PAGE_SIZE);
		*old = pa | (*old & ~LOADER_PAGE_MASK);
		r->moved++;
		if (old_pa == r->zero_page) {
			/* The shared zero page stays; pa is used up, so ask again. */
			r->zero_entries--;
			r->src_pages++;
			continue;
		}
		/* Every source is off all destinations or on its own: old_pa is free to use. */
		*out = old_pa;
		return 0;
	}
}

static int reloc_add(struct loader_reloc *r, uint64_t entry, struct loader_err *err)
{
	if (r->entry == r->last) {
		uint64_t pa;
		int rc = reloc_get_page(r, LOADER_NO_PAGE, &pa, err);
		uint64_t *page;

		if (rc)
			return rc;
		page = reloc_va(r, pa);
		memset(page, 0, LOADER_PAGE_SIZE);
		*r->entry = pa | LOADER_IND_INDIRECTION;
		r->entry = page;
		r->last = page + LOADER_IND_PER_PAGE - 1;
		r->ind_pages++;
	}
	*r->entry++ = entry;
	return 0;
}

static int reloc_zero_page(struct loader_reloc *r, uint64_t *pa, struct loader_err *err)
{
	if (r->zero_page == LOADER_NO_PAGE) {
		int rc = reloc_get_page(r, LOADER_NO_PAGE, &r->zero_page, err);

		if (rc)
			return rc;
		memset(reloc_va(r, r->zero_page), 0, LOADER_PAGE_SIZE);
	}
	*pa = r->zero_page;
	return 0;
}

/* One destination page: fill a source page with its bytes and add it to the list. */
static int reloc_add_page(struct loader_reloc *r, const struct loader_segment *s, uint64_t off,
			  struct loader_err *err)
{
	uint64_t pa;
	int rc;

	if (off >= s->bufsz) {
		rc = reloc_zero_page(r, &pa, err);
		if (rc)
			return rc;
		r->zero_entries++;
		return reloc_add(r, pa | LOADER_IND_SOURCE, err);
	}
	rc = reloc_get_page(r, s->mem + off, &pa, err);
	if (rc)
		return rc;
	uint8_t *page = (uint8_t *)reloc_va(r, pa);
	uint64_t n = s->bufsz - off < LOADER_PAGE_SIZE ? s->bufsz - off : LOADER_PAGE_SIZE;
	memcpy(page, (const uint8_t *)s->buf + off, n);
	memset(page + n, 0, LOADER_PAGE_SIZE - n);
	rc = reloc_add(r, pa | LOADER_IND_SOURCE, err);
	if (rc) {
		r->ops->free(r->ops->ctx, pa);
		return rc;
	}
	r->src_pages++;
	return 0;
}

static int reloc_check_plan(const struct loader_plan *plan, struct loader_err *err)
{
	for (size_t i = 0; i < plan->nseg; i++) {
		const struct loader_segment *s = &plan->seg[i];

		if (s->mem % LOADER_PAGE_SIZE || s->memsz % LOADER_PAGE_SIZE || !s->memsz ||
		    s->bufsz > s->memsz || s->memsz - 1 > UINT64_MAX - s->mem)
			return loader_fail(err, -EINVAL, "%s: cannot relocate 0x%llx+0x%llx",
					   s->what, (unsigned long long)s->mem,
					   (unsigned long long)s->memsz);
		for (size_t j = 0; j < i; j++) {
			const struct loader_segment *o = &plan->seg[j];

			if (s->mem - o->mem < o->memsz || o->mem - s->mem < s->memsz)
				return loader_fail(err, -EINVAL, "%s: overlaps %s", s->what,
						   o->what);
		}
	}
	return 0;
}

int loader_reloc_build(struct loader_reloc *r, const struct loader_plan *plan,
		       const struct loader_page_ops *ops, struct loader_err *err)
{
	int rc;

	*r = (struct loader_reloc){
		.ops = ops, .parked_list = LOADER_NO_PAGE, .zero_page = LOADER_NO_PAGE,
	};
	r->entry = r->last = &r->head;
	rc = reloc_check_plan(plan, err);
	if (rc)
		return rc;
	for (size_t i = 0; i < plan->nseg; i++)
		r->dest[r->ndest++] = (struct loader_range){ plan->seg[i].mem, plan->seg[i].memsz };

	for (size_t i = 0; i < plan->nseg; i++) {
		const struct loader_segment *s = &plan->seg[i];

		rc = reloc_add(r, s->mem | LOADER_IND_DESTINATION, err);
		for (uint64_t off = 0; !rc && off < s->memsz; off += LOADER_PAGE_SIZE)
			rc = reloc_add_page(r, s, off, err);
		if (rc)
			goto fail;
	}
	rc = reloc_add(r, LOADER_IND_DONE, err);
	if (rc)
		goto fail;
	/* Parked pages hold nothing the list needs; give them back as kexec does. */
	while (r->parked_list != LOADER_NO_PAGE) {
		uint64_t pa = r->parked_list;

		r->parked_list = *reloc_va(r, pa);
		ops->free(ops->ctx, pa);
	}
	return 0;
fail:
	loader_reloc_release(r);
	return rc;
}

void loader_reloc_release(struct loader_reloc *r)
{
	const struct loader_page_ops *ops = r->ops;
	uint64_t v = r->head, *e = NULL, page = LOADER_NO_PAGE;

	if (!ops)
		return;
	/* Walk as the trampoline would, freeing each page once it is read. */
	while (v && !(v & LOADER_IND_DONE)) {
		if (v & LOADER_IND_INDIRECTION) {
			if (page != LOADER_NO_PAGE)
				ops->free(ops->ctx, page);
			page = v & LOADER_PAGE_MASK;
			e = reloc_va(r, page);
		} else if ((v & LOADER_IND_SOURCE) && !(v & LOADER_IND_DESTINATION) &&
			   (v & LOADER_PAGE_MASK) != r->zero_page) {
			ops->free(ops->ctx, v & LOADER_PAGE_MASK);
		}
		if (!e)
			break;
		/* The link slot is the last one of a page, so e never runs past it. */
		v = *e++;
	}
	if (page != LOADER_NO_PAGE)
		ops->free(ops->ctx, page);
	if (r->zero_page != LOADER_NO_PAGE)
		ops->free(ops->ctx, r->zero_page);
	while (r->parked_list != LOADER_NO_PAGE) {
		uint64_t pa = r->parked_list;

		r->parked_list = *reloc_va(r, pa);
		ops->free(ops->ctx, pa);
	}
	r->zero_page = LOADER_NO_PAGE;
	r->head = 0;
	r->entry = r->last = &r->head;
	r->ops = NULL;
}
