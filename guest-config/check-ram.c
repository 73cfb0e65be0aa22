// SPDX-License-Identifier: GPL-2.0-only
/*
 * twinmon-check --ram: a deliberately small placement model, kept in this one file so the
 * real split from partition/ can replace it without touching the rest of the tool.
 */
#include <errno.h>
#include <string.h>

#include "guest-config/check.h"
#include "guest-config/describe.h"
#include "lib/fmt.h"

#define CHECK_MAX_FREE 8

struct check_free {
	uint32_t n;
	uint64_t lo[CHECK_MAX_FREE]; /* inclusive bounds, ascending, disjoint */
	uint64_t hi[CHECK_MAX_FREE];
};

static void check_carve(struct check_free *f, uint64_t base, uint64_t last)
{
	struct check_free out = { 0 };

	for (uint32_t i = 0; i < f->n; i++) {
		if (last < f->lo[i] || base > f->hi[i]) {
			out.lo[out.n] = f->lo[i];
			out.hi[out.n++] = f->hi[i];
			continue;
		}
		if (base > f->lo[i] && out.n < CHECK_MAX_FREE) {
			out.lo[out.n] = f->lo[i];
			out.hi[out.n++] = base - 1;
		}
		if (last < f->hi[i] && out.n < CHECK_MAX_FREE) {
			out.lo[out.n] = last + 1;
			out.hi[out.n++] = f->hi[i];
		}
	}
	*f = out;
}

/* Free interval i clipped to [lo, hi]; false when nothing is left of it. */
static bool check_clip(const struct check_free *f, uint32_t i, uint64_t lo, uint64_t hi,
		       uint64_t *a, uint64_t *b)
{
	*a = f->lo[i] > lo ? f->lo[i] : lo;
	*b = f->hi[i] < hi ? f->hi[i] : hi;
	*a = (*a + CONFIG_PAGE_SIZE - 1) & ~(CONFIG_PAGE_SIZE - 1);
	if (*b < CONFIG_PAGE_SIZE - 1)
		return false;
	*b = ((*b + 1) & ~(CONFIG_PAGE_SIZE - 1)) - 1;
	return *a < *b;
}

/* Lowest or highest base for size bytes inside [lo, hi]; false when it fits nowhere. */
static bool check_fit(const struct check_free *f, uint64_t lo, uint64_t hi, uint64_t size,
		      bool high, uint64_t *base)
{
	for (uint32_t k = 0; k < f->n; k++) {
		uint32_t i = high ? f->n - 1 - k : k;
		uint64_t a, b;

		if (!check_clip(f, i, lo, hi, &a, &b) || b - a + 1 < size)
			continue;
		*base = high ? b + 1 - size : a;
		return true;
	}
	return false;
}

int check_place_ram(const struct twin_config *cfg, uint64_t ram, struct check_plan *plan,
		    struct config_diag *diag)
{
	uint64_t top = ram & ~(CONFIG_PAGE_SIZE - 1), total = 0;
	struct check_free f = { .n = 1, .lo = { CONFIG_HIGH_START } };
	char r[32], s[32], t[32];
	unsigned int autos = 0;
	int err = 0;

	memset(plan, 0, sizeof(*plan));
	plan->ram = ram;
	fmt_size(r, sizeof(r), ram);
	if (top <= CONFIG_HIGH_START) {
		config_diag_add(diag, 0, 0, "--ram %s leaves no RAM at or above 1M", r);
		return -EINVAL;
	}
	f.hi[0] = top - 1;

	for (unsigned int i = 0; i < CONFIG_NR_GUESTS; i++) {
		const struct guest_config *g = &cfg->guest[i];

		plan->guest[i].runs = g->present && config_mode_needs_guest(cfg->mode, i);
		if (!plan->guest[i].runs)
			continue;
		plan->guest[i].low_memory = config_low_memory_share(cfg, cfg->mode, i);
		if (g->memory.kind == CONFIG_MEM_AUTO)
			autos++;
		else
			total += g->memory.size;
	}

	for (unsigned int i = 0; i < CONFIG_NR_GUESTS; i++) {
		const struct guest_config *g = &cfg->guest[i];
		const struct config_memory *m = &g->memory;

		if (!plan->guest[i].runs || m->kind != CONFIG_MEM_RANGE)
			continue;
		if (m->base + m->size > top) {
			config_describe_memory(s, sizeof(s), m);
			config_diag_add(diag, g->loc[CONFIG_KEY_MEMORY].line,
					g->loc[CONFIG_KEY_MEMORY].col,
					"memory: range %s ends beyond the %s of RAM (--ram)", s, r);
			err = -EINVAL;
			continue;
		}
		plan->guest[i].base = m->base;
		plan->guest[i].size = m->size;
		check_carve(&f, m->base, m->base + m->size - 1);
	}

	/* A range past the end is the precise complaint; the total would only repeat it. */
	if (err)
		return err;
	if (total > top - CONFIG_HIGH_START) {
		config_diag_add(diag, 0, 0,
				"the guests ask for %s at or above 1M, but --ram %s has only %s "
				"there",
				fmt_size(s, sizeof(s), total), r,
				fmt_size(t, sizeof(t), top - CONFIG_HIGH_START));
		return -EINVAL;
	}

	for (unsigned int i = 0; i < CONFIG_NR_GUESTS; i++) {
		const struct guest_config *g = &cfg->guest[i];
		const struct config_memory *m = &g->memory;
		uint64_t base;

		if (!plan->guest[i].runs || m->kind != CONFIG_MEM_SIZE)
			continue;
		if (!check_fit(&f, g->mem_min, g->mem_max, m->size,
			       m->placement == CONFIG_PLACE_HIGH, &base)) {
			config_describe_memory(s, sizeof(s), m);
			config_diag_add(diag, g->loc[CONFIG_KEY_MEMORY].line,
					g->loc[CONFIG_KEY_MEMORY].col,
					"memory: %s does not fit in what --ram %s leaves free", s,
					r);
			err = -EINVAL;
			continue;
		}
		plan->guest[i].base = base;
		plan->guest[i].size = m->size;
		check_carve(&f, base, base + m->size - 1);
	}

	for (unsigned int i = 0; i < CONFIG_NR_GUESTS; i++) {
		const struct guest_config *g = &cfg->guest[i];
		uint64_t best = 0, a, b, size, base = 0;

		if (!plan->guest[i].runs || g->memory.kind != CONFIG_MEM_AUTO)
			continue;
		for (uint32_t k = 0; k < f.n; k++)
			if (check_clip(&f, k, g->mem_min, g->mem_max, &a, &b) && b - a + 1 > best)
				best = b - a + 1;
		/* Share with the auto guests still to come; the last takes all that is left. */
		size = (best / autos--) & ~(CONFIG_PAGE_SIZE - 1);
		if (!size || !check_fit(&f, g->mem_min, g->mem_max, size,
					g->memory.placement == CONFIG_PLACE_HIGH, &base)) {
			config_diag_add(diag, g->section.line, g->section.col,
					"[guest %c]: no RAM left for its memory with --ram %s",
					config_guest_letter(i), r);
			err = -EINVAL;
			continue;
		}
		plan->guest[i].base = base;
		plan->guest[i].size = size;
		check_carve(&f, base, base + size - 1);
	}
	return err;
}
