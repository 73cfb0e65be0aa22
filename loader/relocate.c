// SPDX-License-Identifier: GPL-2.0-only
/*
 * The reference walker for the indirection list, run by host tests on a simulated physical
 * memory. It must stay step for step what loader/trampoline.asm does: the same flag order
 * (destination, indirection, done, source; anything else is skipped), the destination
 * advancing one page per source, a page copied even onto itself. Where the assembly would
 * fault on a bad address, this returns an error instead.
 */
#include <errno.h>

#include "loader/indirection.h"
#include "loader/internal.h"

const void *loader_sim_phys(void *ctx, uint64_t pa, uint64_t len)
{
	const struct loader_sim *sim = ctx;

	if (pa < sim->base || !loader_in_bounds(pa - sim->base, len, sim->size))
		return NULL;
	return sim->mem + (pa - sim->base);
}

int loader_relocate_sim(const struct loader_sim *sim, uint64_t head, uint64_t *pages,
			struct loader_err *err)
{
	uint64_t entry = head, dest = 0, next = 0, copied = 0;
	bool have_next = false;
	/* More entries than the memory can hold means the list loops. */
	uint64_t budget = sim->size / sizeof(uint64_t) + 1;

	for (;;) {
		if (entry & LOADER_IND_DESTINATION) {
			dest = entry & LOADER_PAGE_MASK;
		} else if (entry & LOADER_IND_INDIRECTION) {
			next = entry & LOADER_PAGE_MASK;
			have_next = true;
		} else if (entry & LOADER_IND_DONE) {
			break;
		} else if (entry & LOADER_IND_SOURCE) {
			uint64_t src = entry & LOADER_PAGE_MASK;
			const void *from = loader_sim_phys((void *)sim, src, LOADER_PAGE_SIZE);
			void *to = (void *)loader_sim_phys((void *)sim, dest, LOADER_PAGE_SIZE);

			if (!from || !to)
				return loader_fail(err, -EFAULT,
						   "relocation: copy 0x%llx -> 0x%llx leaves "
						   "memory", (unsigned long long)src,
						   (unsigned long long)dest);
			/* The trampoline's rep movsq is happy with src == dst; memmove too. */
			memmove(to, from, LOADER_PAGE_SIZE);
			dest += LOADER_PAGE_SIZE;
			copied++;
		}
		if (!have_next)
			return loader_fail(err, -EINVAL, "relocation: list head 0x%llx is not an "
					   "indirection page", (unsigned long long)head);
		const uint8_t *p = loader_sim_phys((void *)sim, next, sizeof(uint64_t));
		if (!p)
			return loader_fail(err, -EFAULT,
					   "relocation: entry at 0x%llx leaves memory",
					   (unsigned long long)next);
		if (!budget--)
			return loader_fail(err, -ELOOP, "relocation: list does not end");
		entry = loader_get64(p, 0);
		next += sizeof(uint64_t);
	}
	if (pages)
		*pages = copied;
	return 0;
}
