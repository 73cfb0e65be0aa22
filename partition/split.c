// SPDX-License-Identifier: GPL-2.0-only
/*
 * Splitting the RAM at or above 1 MiB between the guests. Guests with a fixed range are
 * placed first, then guests with a size, then guests that share what is left. Every cut
 * first tries to fall on a 2 MiB boundary; when the rounding leaves a later guest short,
 * the whole split is redone with exact cuts.
 */
#include <errno.h>
#include <string.h>

#include "lib/fmt.h"
#include "partition/partition.h"
#include "partition/rangeset.h"

static int partition_give(struct partition_plan *plan, unsigned g, uint64_t b, uint64_t e)
{
	struct partition_guest *pg = &plan->guest[g];

	if (rangeset_add(pg->ram, &pg->nr_ram, PARTITION_MAX_RAM, b, e))
		return partition_fail(plan, -E2BIG,
				      "guest %c: RAM would be in more than %d pieces "
				      "(memory map too fragmented)",
				      pg->letter, PARTITION_MAX_RAM);
	if (rangeset_remove(plan->avail, &plan->nr_avail, PARTITION_MAX_AVAIL, b, e))
		return partition_fail(plan, -E2BIG, "free RAM in more than %d ranges",
				      PARTITION_MAX_AVAIL);
	pg->ram_bytes += e - b;
	return 0;
}

/* The highest free piece inside [lo, hi), or false. */
static bool partition_top_piece(const struct partition_plan *plan, uint64_t lo, uint64_t hi,
				uint64_t *b, uint64_t *e)
{
	for (size_t i = plan->nr_avail; i-- > 0;) {
		const struct partition_range *r = &plan->avail[i];

		if (r->base >= hi)
			continue;
		if (r->end <= lo)
			return false;
		*b = r->base > lo ? r->base : lo;
		*e = r->end < hi ? r->end : hi;
		return true;
	}
	return false;
}

static bool partition_bottom_piece(const struct partition_plan *plan, uint64_t lo, uint64_t hi,
				   uint64_t *b, uint64_t *e)
{
	long i = rangeset_find_overlap(plan->avail, plan->nr_avail, lo, hi);

	if (i < 0)
		return false;
	*b = plan->avail[i].base > lo ? plan->avail[i].base : lo;
	*e = plan->avail[i].end < hi ? plan->avail[i].end : hi;
	return true;
}

int partition_take(struct partition_plan *plan, unsigned g, uint64_t lo, uint64_t hi,
		   uint64_t want, bool from_top, bool align_cut, uint64_t *taken)
{
	uint64_t got = 0, b, e;
	int err;

	while (got < want) {
		if (from_top ? !partition_top_piece(plan, lo, hi, &b, &e)
			     : !partition_bottom_piece(plan, lo, hi, &b, &e))
			break;
		uint64_t need = want - got;

		if (e - b > need) {
			if (from_top) {
				uint64_t c = e - need, ca = c & ~(PARTITION_LARGE_PAGE - 1);

				b = align_cut && ca >= b ? ca : c;
			} else {
				uint64_t c = b + need;
				uint64_t ca = (c + PARTITION_LARGE_PAGE - 1) & ~(PARTITION_LARGE_PAGE - 1);

				e = align_cut && ca <= e ? ca : c;
			}
		}
		err = partition_give(plan, g, b, e);
		if (err)
			return err;
		got += e - b;
		/* Narrow the window past the piece just taken: what is left there is not free. */
		if (from_top)
			hi = b;
		else
			lo = e;
	}
	*taken = got;
	return got < want ? -ENOSPC : 0;
}

struct partition_window {
	uint64_t lo, hi;
	bool limited;
};

static void partition_window(const struct partition_plan *plan,
			     const struct partition_guest_request *gr, struct partition_window *w)
{
	uint64_t lo = gr->mem_min > PARTITION_HIGH_START ? gr->mem_min : PARTITION_HIGH_START;
	uint64_t hi = plan->phys_limit;

	if (gr->mem_max && gr->mem_max < hi - 1)
		hi = gr->mem_max + 1;
	w->lo = (lo + PARTITION_PAGE_SIZE - 1) & ~(PARTITION_PAGE_SIZE - 1);
	w->hi = hi & ~(PARTITION_PAGE_SIZE - 1);
	w->limited = gr->mem_min > PARTITION_HIGH_START || (gr->mem_max && hi < plan->phys_limit);
}

static int partition_take_range(struct partition_plan *plan, unsigned g,
				const struct partition_guest_request *gr)
{
	char letter = plan->guest[g].letter;
	uint64_t b = (gr->range_base + PARTITION_PAGE_SIZE - 1) & ~(PARTITION_PAGE_SIZE - 1);
	uint64_t e = gr->range_end & ~(PARTITION_PAGE_SIZE - 1);
	uint64_t got;

	if (gr->range_end <= gr->range_base || e <= b)
		return partition_fail(plan, -EINVAL, "guest %c: empty range 0x%llx-0x%llx", letter,
				      (unsigned long long)gr->range_base,
				      (unsigned long long)gr->range_end);
	if (b < PARTITION_HIGH_START)
		return partition_fail(plan, -EINVAL,
				      "guest %c: range 0x%llx-0x%llx starts below 1M "
				      "(RAM below 640K is shared out separately)",
				      letter, (unsigned long long)b, (unsigned long long)(e - 1));
	if (e > plan->phys_limit)
		return partition_fail(plan, -EINVAL,
				      "guest %c: range 0x%llx-0x%llx ends above the physical limit "
				      "0x%llx",
				      letter, (unsigned long long)b, (unsigned long long)(e - 1),
				      (unsigned long long)plan->phys_limit);
	for (size_t i = 0; i < plan->nr_monitor; i++) {
		const struct partition_monitor_range *m = &plan->monitor[i];

		if (m->r.base < e && m->r.end > b)
			return partition_fail(plan, -EBUSY,
					      "guest %c: range 0x%llx-0x%llx overlaps the monitor's "
					      "'%s' (0x%llx-0x%llx)",
					      letter, (unsigned long long)b,
					      (unsigned long long)(e - 1), m->label,
					      (unsigned long long)m->r.base,
					      (unsigned long long)(m->r.end - 1));
	}
	for (unsigned o = 0; o < PARTITION_NR_GUESTS; o++) {
		const struct partition_guest *og = &plan->guest[o];
		long i = rangeset_find_overlap(og->ram, og->nr_ram, b, e);

		if (o != g && i >= 0)
			return partition_fail(plan, -EBUSY,
					      "guest %c: range 0x%llx-0x%llx overlaps guest %c's RAM "
					      "at 0x%llx",
					      letter, (unsigned long long)b,
					      (unsigned long long)(e - 1), og->letter,
					      (unsigned long long)og->ram[i].base);
	}
	int err = partition_take(plan, g, b, e, e - b, false, false, &got);

	if (err && err != -ENOSPC)
		return err;
	if (!got)
		return partition_fail(plan, -ENOSPC, "guest %c: no usable RAM in 0x%llx-0x%llx",
				      letter, (unsigned long long)b, (unsigned long long)(e - 1));
	return 0;
}

static int partition_short(struct partition_plan *plan, unsigned g, uint64_t want,
			   uint64_t got, const char *where, const struct partition_window *w)
{
	char s1[24], s2[24], s3[24], win[48] = "";

	if (w)
		fmt_snprintf(win, sizeof(win), " in 0x%llx-0x%llx", (unsigned long long)w->lo,
			     (unsigned long long)(w->hi - 1));
	return partition_fail(plan, -ENOSPC,
			      "guest %c: wants %s %s, only %s usable left%s (short by %s)",
			      plan->guest[g].letter, fmt_size(s1, sizeof(s1), want), where,
			      fmt_size(s2, sizeof(s2), got), win,
			      fmt_size(s3, sizeof(s3), want - got));
}

static int partition_take_sized(struct partition_plan *plan, unsigned g,
				const struct partition_guest_request *gr, uint64_t want,
				bool align_cut)
{
	struct partition_window w;
	bool top = gr->placement == PARTITION_PLACE_HIGH;
	uint64_t got = 0, more = 0;
	int err;

	partition_window(plan, gr, &w);
	if (gr->min_below_4g && w.lo < PARTITION_4G) {
		uint64_t m = (gr->min_below_4g + PARTITION_PAGE_SIZE - 1) &
			     ~(PARTITION_PAGE_SIZE - 1);
		uint64_t hi4 = w.hi < PARTITION_4G ? w.hi : PARTITION_4G;

		if (m > want)
			m = want;
		err = partition_take(plan, g, w.lo, hi4, m, top, align_cut, &got);
		if (err == -ENOSPC)
			return partition_short(plan, g, m, got, "below 4G", NULL);
		if (err)
			return err;
	}
	if (got >= want)
		return 0;
	err = partition_take(plan, g, w.lo, w.hi, want - got, top, align_cut, &more);
	if (err == -ENOSPC)
		return partition_short(plan, g, want, got + more, top ? "high" : "low",
				       w.limited ? &w : NULL);
	return err;
}

static int partition_split_pass(struct partition_plan *plan, const struct partition_request *req,
				bool align_cut)
{
	unsigned autos = 0;
	int err;

	for (unsigned g = 0; g < PARTITION_NR_GUESTS; g++) {
		const struct partition_guest_request *gr = &req->guest[g];

		if (!gr->present)
			continue;
		if (gr->placement > PARTITION_PLACE_RANGE)
			return partition_fail(plan, -EINVAL, "guest %c: bad placement %u",
					      plan->guest[g].letter, gr->placement);
		if (gr->placement == PARTITION_PLACE_RANGE) {
			err = partition_take_range(plan, g, gr);
			if (err)
				return err;
		} else if (!gr->size) {
			autos++;
		}
	}
	for (unsigned g = 0; g < PARTITION_NR_GUESTS; g++) {
		const struct partition_guest_request *gr = &req->guest[g];

		if (!gr->present || gr->placement == PARTITION_PLACE_RANGE || !gr->size)
			continue;
		if (gr->size > plan->phys_limit)
			return partition_short(plan, g, gr->size, 0, "in total", NULL);
		err = partition_take_sized(plan, g, gr,
					   (gr->size + PARTITION_PAGE_SIZE - 1) &
						   ~(PARTITION_PAGE_SIZE - 1),
					   align_cut);
		if (err)
			return err;
	}
	for (unsigned g = 0; g < PARTITION_NR_GUESTS; g++) {
		const struct partition_guest_request *gr = &req->guest[g];
		struct partition_window w;

		if (!gr->present || gr->placement == PARTITION_PLACE_RANGE || gr->size)
			continue;
		partition_window(plan, gr, &w);
		uint64_t left = rangeset_bytes_in(plan->avail, plan->nr_avail, w.lo, w.hi);
		uint64_t share = (left / autos) & ~(PARTITION_PAGE_SIZE - 1);

		autos--;
		if (!share)
			return partition_fail(plan, -ENOSPC, "guest %c: no usable RAM left%s",
					      plan->guest[g].letter,
					      left ? " for an equal share" : "");
		err = partition_take_sized(plan, g, gr, share, align_cut);
		if (err)
			return err;
	}
	return 0;
}

int partition_split_ram(struct partition_plan *plan, const struct partition_request *req)
{
	struct partition_range avail[PARTITION_MAX_AVAIL];
	struct partition_range ram[PARTITION_NR_GUESTS][PARTITION_MAX_RAM];
	size_t nr_avail = plan->nr_avail, nr_ram[PARTITION_NR_GUESTS];
	uint64_t bytes[PARTITION_NR_GUESTS];
	int err;

	memcpy(avail, plan->avail, sizeof(avail));
	for (unsigned g = 0; g < PARTITION_NR_GUESTS; g++) {
		memcpy(ram[g], plan->guest[g].ram, sizeof(ram[g]));
		nr_ram[g] = plan->guest[g].nr_ram;
		bytes[g] = plan->guest[g].ram_bytes;
	}
	err = partition_split_pass(plan, req, true);
	if (err != -ENOSPC)
		return err;
	/* Undo the aligned attempt and cut exactly. */
	memcpy(plan->avail, avail, sizeof(avail));
	plan->nr_avail = nr_avail;
	for (unsigned g = 0; g < PARTITION_NR_GUESTS; g++) {
		memcpy(plan->guest[g].ram, ram[g], sizeof(ram[g]));
		plan->guest[g].nr_ram = nr_ram[g];
		plan->guest[g].ram_bytes = bytes[g];
	}
	return partition_split_pass(plan, req, false);
}
