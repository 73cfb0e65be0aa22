// SPDX-License-Identifier: GPL-2.0-only
/*
 * Reading nested page tables back the way the processor does, for tests and for the
 * monitor's diagnostics: a test that walks every page checks the builder independently of
 * the builder's own bookkeeping.
 */
#include <errno.h>
#include <string.h>

#include "partition/npt.h"

/* Bits 62:52 are ignored by hardware but never set by the builder: corruption if seen. */
#define NPT_HIGH_BITS 0x7ff0000000000000ULL

static uint64_t npt_span(int level)
{
	return NPT_SIZE_4K << (9 * (level - 1));
}

static bool npt_entry_ok(uint64_t e, int level)
{
	if (e & NPT_HIGH_BITS)
		return false;
	if (level == 4 && (e & NPT_PS))
		return false;
	/* A large page's address is aligned to its size; bit 12 is its PAT bit. */
	if (level > 1 && (e & NPT_PS) && (e & NPT_ADDR_MASK & (npt_span(level) - 1) & ~0x1000ULL))
		return false;
	return true;
}

int npt_walk(const struct npt *npt, uint64_t gpa, struct npt_walk_result *res)
{
	const uint64_t *table = npt->root;
	uint64_t allow = NPT_RW | NPT_US, nx = 0;

	memset(res, 0, sizeof(*res));
	if (!table || gpa >= NPT_GPA_LIMIT)
		return -EINVAL;
	for (int level = NPT_LEVELS; level >= 1; level--) {
		uint64_t e = table[(gpa >> (12 + 9 * (level - 1))) & (NPT_ENTRIES - 1)];

		res->level = level;
		if (!(e & NPT_P))
			return 0;
		if (!npt_entry_ok(e, level))
			return -EINVAL;
		/* What the walk allows is what every level along it allows. */
		allow &= e;
		nx |= e & NPT_NX;
		if (level == 1 || (e & NPT_PS)) {
			uint64_t size = npt_span(level);
			uint64_t base = e & NPT_ADDR_MASK & ~(size - 1);

			res->mapped = true;
			res->page_size = size;
			res->page_gpa = gpa & ~(size - 1);
			res->hpa = base + (gpa & (size - 1));
			res->flags = (e & 0xfff & ~(NPT_RW | NPT_US)) | (allow & (NPT_RW | NPT_US)) | nx;
			return 0;
		}
		table = npt->ops.phys_to_virt(npt->ops.ctx, e & NPT_ADDR_MASK);
		if (!table)
			return -EFAULT;
	}
	return -EINVAL;
}

static int npt_leaves_in(const struct npt *npt, const uint64_t *table, int level,
			 uint64_t gpa_base, uint64_t allow,
			 int (*fn)(void *, uint64_t, uint64_t, uint64_t, uint64_t), void *ctx)
{
	for (unsigned i = 0; i < NPT_ENTRIES; i++) {
		uint64_t e = table[i], gpa = gpa_base + i * npt_span(level);
		int ret;

		if (!(e & NPT_P))
			continue;
		if (!npt_entry_ok(e, level))
			return -EINVAL;
		uint64_t a = (allow & e & (NPT_RW | NPT_US)) | ((allow | e) & NPT_NX);

		if (level == 1 || (e & NPT_PS)) {
			ret = fn(ctx, gpa, e & NPT_ADDR_MASK & ~(npt_span(level) - 1),
				 npt_span(level), (e & 0xfff & ~(NPT_RW | NPT_US)) | a);
		} else {
			const uint64_t *next = npt->ops.phys_to_virt(npt->ops.ctx, e & NPT_ADDR_MASK);

			ret = next ? npt_leaves_in(npt, next, level - 1, gpa, a, fn, ctx) : -EFAULT;
		}
		if (ret)
			return ret;
	}
	return 0;
}

int npt_for_each_leaf(const struct npt *npt,
		      int (*fn)(void *ctx, uint64_t gpa, uint64_t hpa, uint64_t size,
				uint64_t flags),
		      void *ctx)
{
	if (!npt->root)
		return -EINVAL;
	return npt_leaves_in(npt, npt->root, NPT_LEVELS, 0, NPT_RW | NPT_US, fn, ctx);
}
