// SPDX-License-Identifier: GPL-2.0-only
/*
 * The monitor's own memory. It is taken out of the free RAM before the guests are
 * placed, so no later step can hand a monitor page to a guest.
 */
#include <errno.h>
#include <string.h>

#include "lib/fmt.h"
#include "partition/memmap_efi.h"
#include "partition/partition.h"
#include "partition/rangeset.h"

static int partition_reserve_range(struct partition_plan *plan, uint64_t base, uint64_t end,
				   const char *label)
{
	struct partition_monitor_range *m;
	uint64_t before = partition_ranges_bytes(plan->avail, plan->nr_avail);

	if (plan->nr_monitor >= PARTITION_MAX_MONITOR)
		return partition_fail(plan, -E2BIG, "more than %d monitor reservations",
				      PARTITION_MAX_MONITOR);
	if (rangeset_remove(plan->avail, &plan->nr_avail, PARTITION_MAX_AVAIL, base, end))
		return partition_fail(plan, -E2BIG,
				      "monitor reservation splits free RAM into more than %d ranges",
				      PARTITION_MAX_AVAIL);
	plan->monitor_bytes += before - partition_ranges_bytes(plan->avail, plan->nr_avail);
	m = &plan->monitor[plan->nr_monitor++];
	m->r.base = base;
	m->r.end = end;
	fmt_snprintf(m->label, sizeof(m->label), "%s", label ? label : "monitor");
	return 0;
}

int partition_reserve_fixed(struct partition_plan *plan, uint64_t base, uint64_t size,
			    const char *label)
{
	uint64_t b, e;

	if (plan->built)
		return partition_fail(plan, -EBUSY, "monitor reservation after the split");
	if (!size)
		return partition_fail(plan, -EINVAL, "empty monitor reservation '%s'",
				      label ? label : "monitor");
	rangeset_page_out(base, size, &b, &e);
	return partition_reserve_range(plan, b, e, label);
}

/* The highest base in [lo, hi) where size bytes aligned to align fit, or false. */
static bool partition_fit_top(uint64_t lo, uint64_t hi, uint64_t size, uint64_t align,
			      uint64_t *base)
{
	if (hi <= lo || hi - lo < size)
		return false;
	uint64_t b = (hi - size) & ~(align - 1);

	if (b < lo)
		return false;
	*base = b;
	return true;
}

/*
 * Search free RAM inside [lo, hi) for the highest fit. With only_conventional, only what
 * the firmware lists as EFI conventional memory counts: boot-services memory is still in
 * use while the EFI app runs, so a carve there could not be claimed with AllocatePages.
 */
static bool partition_find_fit(const struct partition_plan *plan, uint64_t lo, uint64_t hi,
			       uint64_t size, uint64_t align, bool only_conventional,
			       uint64_t *best)
{
	bool found = false;

	for (size_t i = 0; i < plan->nr_avail; i++) {
		uint64_t b = plan->avail[i].base > lo ? plan->avail[i].base : lo;
		uint64_t e = plan->avail[i].end < hi ? plan->avail[i].end : hi;
		uint64_t cand;

		if (e <= b)
			continue;
		if (!only_conventional) {
			if (partition_fit_top(b, e, size, align, &cand) && (!found || cand > *best)) {
				*best = cand;
				found = true;
			}
			continue;
		}
		for (size_t j = 0; j < plan->map->count; j++) {
			const struct memmap_entry *me = &plan->map->entries[j];
			uint64_t cb, ce;

			if (me->type != MEMMAP_USABLE || me->efi_type != EFI_MT_CONVENTIONAL)
				continue;
			rangeset_page_in(me->base, me->size, &cb, &ce);
			if (cb < b)
				cb = b;
			if (ce > e)
				ce = e;
			if (partition_fit_top(cb, ce, size, align, &cand) &&
			    (!found || cand > *best)) {
				*best = cand;
				found = true;
			}
		}
	}
	return found;
}

int partition_reserve_monitor_in(struct partition_plan *plan, uint64_t size, uint64_t align,
				 uint64_t min, uint64_t max, const char *label, uint64_t *base)
{
	char sz[24];
	uint64_t b;

	if (plan->built)
		return partition_fail(plan, -EBUSY, "monitor reservation after the split");
	if (!size || size > PARTITION_PHYS_LIMIT || (align & (align - 1)) ||
	    align > PARTITION_PHYS_LIMIT || max <= min)
		return partition_fail(plan, -EINVAL, "bad monitor carve: size 0x%llx align 0x%llx",
				      (unsigned long long)size, (unsigned long long)align);
	if (align < PARTITION_PAGE_SIZE)
		align = PARTITION_PAGE_SIZE;
	size = (size + PARTITION_PAGE_SIZE - 1) & ~(PARTITION_PAGE_SIZE - 1);
	if (!partition_find_fit(plan, min, max, size, align, true, &b) &&
	    !partition_find_fit(plan, min, max, size, align, false, &b))
		return partition_fail(plan, -ENOMEM,
				      "monitor: no free %s (aligned 0x%llx) for '%s' in 0x%llx-0x%llx",
				      fmt_size(sz, sizeof(sz), size), (unsigned long long)align,
				      label ? label : "monitor", (unsigned long long)min,
				      (unsigned long long)(max - 1));
	int err = partition_reserve_range(plan, b, b + size, label);

	if (!err && base)
		*base = b;
	return err;
}

int partition_reserve_monitor(struct partition_plan *plan, uint64_t size, uint64_t align,
			      const char *label, uint64_t *base)
{
	return partition_reserve_monitor_in(plan, size, align, PARTITION_HIGH_START, PARTITION_4G,
					    label, base);
}
