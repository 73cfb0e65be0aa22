// SPDX-License-Identifier: GPL-2.0-only
/*
 * Conventional memory (below 640 KiB). Linux wants some for its real-mode trampoline (the
 * AP startup code and the reboot path run there), so by default both guests get a share;
 * guest b takes its part from the bottom, guest a from the top.
 */
#include <errno.h>

#include "lib/fmt.h"
#include "partition/partition.h"
#include "partition/rangeset.h"

static uint64_t partition_page_up(uint64_t v)
{
	return v > UINT64_MAX - (PARTITION_PAGE_SIZE - 1)
		       ? UINT64_MAX & ~(PARTITION_PAGE_SIZE - 1)
		       : (v + PARTITION_PAGE_SIZE - 1) & ~(PARTITION_PAGE_SIZE - 1);
}

int partition_split_low(struct partition_plan *plan, const struct partition_request *req)
{
	uint64_t total = rangeset_bytes_in(plan->avail, plan->nr_avail, 0, PARTITION_LOW_END);
	uint64_t want[PARTITION_NR_GUESTS] = { 0 };
	uint64_t left = total;
	unsigned shares = 0;
	char s1[24], s2[24], s3[24];

	for (unsigned g = 0; g < PARTITION_NR_GUESTS; g++) {
		const struct partition_guest_request *gr = &req->guest[g];
		struct partition_guest *pg = &plan->guest[g];

		pg->present = gr->present;
		pg->map_acpi = gr->map_acpi;
		pg->e820_foreign_reserved = gr->e820_foreign_reserved;
		if (!gr->present)
			continue;
		if (!gr->low_mem_set) {
			shares++;
			continue;
		}
		want[g] = partition_page_up(gr->low_mem);
		if (want[g] > left)
			return partition_fail(plan, -ENOSPC,
					      "guest %c: wants %s below 640K, only %s usable left "
					      "(short by %s)",
					      pg->letter, fmt_size(s1, sizeof(s1), want[g]),
					      fmt_size(s2, sizeof(s2), left),
					      fmt_size(s3, sizeof(s3), want[g] - left));
		left -= want[g];
	}
	/* Guests without a setting split what is left; guest b gets the odd page. */
	if (shares) {
		uint64_t pages = left / PARTITION_PAGE_SIZE;

		for (unsigned g = 0; g < PARTITION_NR_GUESTS; g++) {
			if (!req->guest[g].present || req->guest[g].low_mem_set)
				continue;
			if (shares == 2 && g == PARTITION_GUEST_A)
				want[g] = pages / 2 * PARTITION_PAGE_SIZE;
			else
				want[g] = left;
			left -= want[g];
		}
	}
	for (unsigned g = 0; g < PARTITION_NR_GUESTS; g++) {
		uint64_t got = 0;
		int err;

		if (!want[g])
			continue;
		err = partition_take(plan, g, 0, PARTITION_LOW_END, want[g],
				     g == PARTITION_GUEST_A, false, &got);
		if (err)
			return err;
		plan->guest[g].low_bytes = got;
	}
	return 0;
}
