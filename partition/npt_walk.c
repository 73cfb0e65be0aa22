// SPDX-License-Identifier: GPL-2.0-only
/*
 * Reading nested page tables back the way the processor does, in either entry format, for
 * tests and for the monitor's diagnostics: a test that walks every page checks the builder
 * independently of the builder's own bookkeeping.
 */
#include <errno.h>
#include <string.h>

#include "partition/npt.h"

static uint64_t npt_span(int level)
{
	return NPT_SIZE_4K << (9 * (level - 1));
}

/* Bits above the address are ignored by hardware but never set by the builder: corruption
 * if seen. A large page's address is aligned to its size (but for the format's PAT bit). */
static bool npt_entry_ok(const struct npt_format *fmt, uint64_t e, int level)
{
	bool leaf = level == 1 || (e & NPT_PS);

	if (e & fmt->high_bits)
		return false;
	if (level == 4 && (e & NPT_PS))
		return false;
	if (level > 1 && (e & NPT_PS) &&
	    (e & NPT_ADDR_MASK & (npt_span(level) - 1) & ~fmt->large_addr_ok))
		return false;
	return fmt->entry_ok(e, level, leaf);
}

/* A leaf's flags as the walk reports them: and_bits only where every level granted them. */
static uint64_t npt_leaf_report(const struct npt_format *fmt, uint64_t e, uint64_t allow,
				uint64_t restrict_bits)
{
	return (e & 0xfff & ~fmt->and_bits) | (allow & fmt->and_bits) | restrict_bits;
}

int npt_walk(const struct npt *npt, uint64_t gpa, struct npt_walk_result *res)
{
	const uint64_t *table = npt->root;
	const struct npt_format *fmt = npt->fmt;
	uint64_t allow, restrict_bits = 0;

	memset(res, 0, sizeof(*res));
	if (!table || !fmt || gpa >= NPT_GPA_LIMIT)
		return -EINVAL;
	allow = fmt->and_bits;
	for (int level = NPT_LEVELS; level >= 1; level--) {
		uint64_t e = table[(gpa >> (12 + 9 * (level - 1))) & (NPT_ENTRIES - 1)];

		res->level = level;
		if (!(e & fmt->present))
			return 0;
		if (!npt_entry_ok(fmt, e, level))
			return -EINVAL;
		/* What the walk allows is what every level along it allows. */
		allow &= e;
		restrict_bits |= e & fmt->or_bits;
		if (level == 1 || (e & NPT_PS)) {
			uint64_t size = npt_span(level);
			uint64_t base = e & NPT_ADDR_MASK & ~(size - 1);

			res->mapped = true;
			res->page_size = size;
			res->page_gpa = gpa & ~(size - 1);
			res->hpa = base + (gpa & (size - 1));
			res->flags = npt_leaf_report(fmt, e, allow, restrict_bits);
			return 0;
		}
		table = npt->ops.phys_to_virt(npt->ops.ctx, e & NPT_ADDR_MASK);
		if (!table)
			return -EFAULT;
	}
	return -EINVAL;
}

static int npt_leaves_in(const struct npt *npt, const uint64_t *table, int level,
			 uint64_t gpa_base, uint64_t allow, uint64_t restrict_bits,
			 int (*fn)(void *, uint64_t, uint64_t, uint64_t, uint64_t), void *ctx)
{
	const struct npt_format *fmt = npt->fmt;

	for (unsigned i = 0; i < NPT_ENTRIES; i++) {
		uint64_t e = table[i], gpa = gpa_base + i * npt_span(level);
		int ret;

		if (!(e & fmt->present))
			continue;
		if (!npt_entry_ok(fmt, e, level))
			return -EINVAL;
		uint64_t a = allow & e, r = restrict_bits | (e & fmt->or_bits);

		if (level == 1 || (e & NPT_PS)) {
			ret = fn(ctx, gpa, e & NPT_ADDR_MASK & ~(npt_span(level) - 1),
				 npt_span(level), npt_leaf_report(fmt, e, a, r));
		} else {
			const uint64_t *next = npt->ops.phys_to_virt(npt->ops.ctx, e & NPT_ADDR_MASK);

			ret = next ? npt_leaves_in(npt, next, level - 1, gpa, a, r, fn, ctx) : -EFAULT;
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
	if (!npt->root || !npt->fmt)
		return -EINVAL;
	return npt_leaves_in(npt, npt->root, NPT_LEVELS, 0, npt->fmt->and_bits, 0, fn, ctx);
}
