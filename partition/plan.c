// SPDX-License-Identifier: GPL-2.0-only
/*
 * The plan's starting point: which RAM of the firmware's map can be handed out at all.
 */
#include "partition/partition.h"

#include <errno.h>
#include <stdarg.h>
#include <string.h>

#include "lib/fmt.h"
#include "partition/rangeset.h"

int partition_fail(struct partition_plan *plan, int err, const char *fmt, ...)
{
	va_list ap;
	int n = fmt_snprintf(plan->err, sizeof(plan->err), "partition: ");

	va_start(ap, fmt);
	fmt_vsnprintf(plan->err + n, sizeof(plan->err) - (size_t)n, fmt, ap);
	va_end(ap);
	return err;
}

const char *partition_error(const struct partition_plan *plan)
{
	return plan->err;
}

uint64_t partition_ranges_bytes(const struct partition_range *r, size_t n)
{
	uint64_t sum = 0;

	for (size_t i = 0; i < n; i++)
		sum += r[i].end - r[i].base;
	return sum;
}

static int partition_avail_remove(struct partition_plan *plan, uint64_t base, uint64_t end)
{
	return rangeset_remove(plan->avail, &plan->nr_avail, PARTITION_MAX_AVAIL, base, end);
}

/*
 * The usable entry after entry prev in (base, index) order, or map->count; SIZE_MAX for
 * the first. Quadratic, but needs no scratch memory and maps are short.
 */
static size_t partition_next_usable(const struct memmap *map, size_t prev)
{
	size_t best = map->count;

	for (size_t i = 0; i < map->count; i++) {
		const struct memmap_entry *e = &map->entries[i];

		if (e->type != MEMMAP_USABLE || !e->size)
			continue;
		if (prev != SIZE_MAX && (e->base < map->entries[prev].base ||
					 (e->base == map->entries[prev].base && i <= prev)))
			continue;
		if (best == map->count || e->base < map->entries[best].base)
			best = i;
	}
	return best;
}

int partition_plan_init(struct partition_plan *plan, const struct memmap *map)
{
	if (!plan)
		return -EINVAL;
	memset(plan, 0, sizeof(*plan));
	plan->phys_limit = PARTITION_PHYS_LIMIT;
	for (unsigned g = 0; g < PARTITION_NR_GUESTS; g++)
		plan->guest[g].letter = (char)('a' + g);
	if (!map || (map->count && !map->entries))
		return partition_fail(plan, -EINVAL, "no memory map");
	plan->map = map;

	/*
	 * Usable RAM first, as whole pages, in address order: added out of order, thousands
	 * of adjacent entries would need thousands of slots before they merge.
	 */
	for (size_t i = partition_next_usable(map, SIZE_MAX); i < map->count;
	     i = partition_next_usable(map, i)) {
		const struct memmap_entry *e = &map->entries[i];
		uint64_t b, end;

		rangeset_page_in(e->base, e->size, &b, &end);
		if (end > plan->phys_limit)
			end = plan->phys_limit;
		if (rangeset_add(plan->avail, &plan->nr_avail, PARTITION_MAX_AVAIL, b, end))
			goto too_fragmented;
	}
	/*
	 * A page that is both usable and anything else by overlapping entries is not usable:
	 * handing firmware memory to a guest is worse than losing a page of RAM.
	 */
	for (size_t i = 0; i < map->count; i++) {
		const struct memmap_entry *e = &map->entries[i];
		uint64_t b, end;

		if (e->type == MEMMAP_USABLE || !e->size)
			continue;
		rangeset_page_out(e->base, e->size, &b, &end);
		if (partition_avail_remove(plan, b, end))
			goto too_fragmented;
	}
	/*
	 * Page 0 holds the real-mode IVT and BIOS data area; Linux reserves it anyway and
	 * neither guest should own the other's view of it. 640 KiB..1 MiB is the VGA window
	 * and option ROM space, decoded by devices whatever the map says.
	 */
	if (partition_avail_remove(plan, 0, PARTITION_PAGE_SIZE) ||
	    partition_avail_remove(plan, PARTITION_LOW_END, PARTITION_HIGH_START))
		goto too_fragmented;

	/* 0xcf8..0xcff always traps: the PCI configuration filter needs every access. */
	plan->monitor_ports[0] = (struct partition_ports){ 0xcf8, 0xcff };
	plan->nr_monitor_ports = 1;
	return 0;

too_fragmented:
	return partition_fail(plan, -E2BIG,
			      "memory map has more than %d separate usable ranges",
			      PARTITION_MAX_AVAIL);
}

int partition_set_phys_limit(struct partition_plan *plan, uint64_t phys_limit)
{
	if (plan->built)
		return partition_fail(plan, -EBUSY, "physical limit set after the split");
	if (phys_limit < PARTITION_HIGH_START || phys_limit > PARTITION_PHYS_LIMIT ||
	    (phys_limit & (PARTITION_PAGE_SIZE - 1)))
		return partition_fail(plan, -EINVAL, "bad physical limit 0x%llx",
				      (unsigned long long)phys_limit);
	plan->phys_limit = phys_limit;
	return partition_avail_remove(plan, phys_limit, UINT64_MAX);
}

int partition_page_owner(const struct partition_plan *plan, uint64_t addr)
{
	for (unsigned g = 0; g < PARTITION_NR_GUESTS; g++)
		if (rangeset_contains(plan->guest[g].ram, plan->guest[g].nr_ram, addr))
			return (int)g;
	for (size_t i = 0; i < plan->nr_monitor; i++)
		if (addr >= plan->monitor[i].r.base && addr < plan->monitor[i].r.end)
			return PARTITION_OWNER_MONITOR;
	return PARTITION_OWNER_NONE;
}

int partition_plan_build(struct partition_plan *plan, const struct partition_request *req)
{
	int err;

	if (!plan || !req)
		return -EINVAL;
	if (plan->built)
		return partition_fail(plan, -EBUSY, "plan already built");
	if (!req->guest[0].present && !req->guest[1].present)
		return partition_fail(plan, -EINVAL, "no guest requested");
	err = partition_cpu_plan_from_request(&plan->cpus, req, plan->err, sizeof(plan->err));
	if (err)
		return err;
	for (unsigned g = 0; g < PARTITION_NR_GUESTS; g++) {
		plan->guest[g].nr_vcpus = plan->cpus.nr_vcpus[g];
		plan->guest[g].cpus = plan->cpus.cpus[g];
	}
	err = partition_split_low(plan, req);
	if (!err)
		err = partition_split_ram(plan, req);
	if (!err)
		err = partition_assign_devices(plan, req);
	if (err)
		return err;
	plan->built = true;
	return 0;
}
