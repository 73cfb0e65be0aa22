// SPDX-License-Identifier: GPL-2.0-only
/* RAM: what of the firmware's map is usable at all, and the monitor's reservation. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "tests/unit/partition_fixture.h"

static void test_init_trims_pages_and_legacy_holes(void **state)
{
	struct memmap_entry e[] = {
		{ 0, 0xa0000, MEMMAP_USABLE, 7 },
		{ 0x100800, 0x3000, MEMMAP_USABLE, 7 },	/* unaligned: 0x101000-0x103000 */
		{ 0x200000, 0x200000, MEMMAP_USABLE, 7 },
		{ 0x2ff800, 0x1000, MEMMAP_ACPI, 9 },	/* unaligned: punches 0x2ff000-0x301000 */
	};
	struct memmap map = mkmap(e, 4);

	assert_int_equal(partition_plan_init(&plan, &map), 0);
	assert_int_equal(plan.nr_avail, 4);
	assert_int_equal(plan.avail[0].base, 0x1000);	/* page 0 is never handed out */
	assert_int_equal(plan.avail[0].end, 0xa0000);
	assert_int_equal(plan.avail[1].base, 0x101000);
	assert_int_equal(plan.avail[1].end, 0x103000);
	assert_int_equal(plan.avail[2].end, 0x2ff000);
	assert_int_equal(plan.avail[3].base, 0x301000);
	assert_int_equal(plan.avail[3].end, 0x400000);
}


static void test_init_legacy_window_never_ram(void **state)
{
	/* Some firmware calls 640K..1M usable; devices decode there whatever the map says. */
	struct memmap_entry e[] = { { 0, 2 * MiB, MEMMAP_USABLE, 7 } };
	struct memmap map = mkmap(e, 1);

	assert_int_equal(partition_plan_init(&plan, &map), 0);
	assert_int_equal(plan.nr_avail, 2);
	assert_int_equal(plan.avail[0].end, 0xa0000);
	assert_int_equal(plan.avail[1].base, 1 * MiB);
}


static void test_init_unsorted_overlapping_zero_length(void **state)
{
	struct memmap_entry sorted[] = {
		{ 1 * MiB, 63 * MiB, MEMMAP_USABLE, 7 },
		{ 8 * MiB, 1 * MiB, MEMMAP_RESERVED, 0 },
	};
	struct memmap_entry messy[] = {
		{ 40 * MiB, 24 * MiB, MEMMAP_USABLE, 4 },
		{ 8 * MiB, 1 * MiB, MEMMAP_RESERVED, 0 },
		{ 30 * MiB, 0, MEMMAP_RESERVED, 0 },	/* empty: punches nothing */
		{ 1 * MiB, 20 * MiB, MEMMAP_USABLE, 7 },
		{ 8 * MiB + 4 * KiB, 4 * KiB, MEMMAP_USABLE, 3 },	/* usable inside reserved */
		{ 20 * MiB, 30 * MiB, MEMMAP_USABLE, 7 },	/* overlaps both neighbours */
	};
	struct memmap m1 = mkmap(sorted, 2), m2 = mkmap(messy, 6);
	static struct partition_plan p2;

	assert_int_equal(partition_plan_init(&plan, &m1), 0);
	assert_int_equal(partition_plan_init(&p2, &m2), 0);
	assert_int_equal(plan.nr_avail, 2);
	assert_int_equal(p2.nr_avail, plan.nr_avail);
	assert_memory_equal(p2.avail, plan.avail, plan.nr_avail * sizeof(plan.avail[0]));
}


static void test_init_top_of_address_space(void **state)
{
	struct memmap_entry e[] = {
		{ 1 * MiB, 15 * MiB, MEMMAP_USABLE, 7 },
		{ UINT64_MAX - 0xfff, 0x10000, MEMMAP_USABLE, 7 },	/* wraps */
		{ (1ULL << 48) - 2 * MiB, 4 * MiB, MEMMAP_USABLE, 7 },	/* straddles 2^48 */
		{ UINT64_MAX - 0x1fff, 0x2000, MEMMAP_RESERVED, 0 },	/* ends at 2^64 */
	};
	struct memmap map = mkmap(e, 4);

	assert_int_equal(partition_plan_init(&plan, &map), 0);
	assert_int_equal(plan.nr_avail, 2);
	assert_int_equal(plan.avail[1].base, (1ULL << 48) - 2 * MiB);
	assert_int_equal(plan.avail[1].end, PARTITION_PHYS_LIMIT);
	assert_int_equal(partition_set_phys_limit(&plan, 1ULL << 40), 0);
	assert_int_equal(plan.nr_avail, 1);
	assert_true(partition_set_phys_limit(&plan, 123) < 0);
}


static void test_init_thousands_of_entries(void **state)
{
	enum { N = 6000 };
	struct memmap_entry *e = calloc(N, sizeof(*e));
	struct memmap map = mkmap(e, N);

	assert_non_null(e);
	/* 4000 adjacent usable pages in a shuffled order, 2000 reserved ones among them. */
	for (size_t i = 0; i < 4000; i++)
		e[i] = (struct memmap_entry){ 1 * MiB + i * 4 * KiB, 4 * KiB, MEMMAP_USABLE, 7 };
	for (size_t i = 0; i < 2000; i++)
		e[4000 + i] = (struct memmap_entry){ 64 * MiB + i * 4 * KiB, 4 * KiB,
						     MEMMAP_RESERVED, 0 };
	srand(7);
	for (size_t i = N - 1; i > 0; i--) {
		size_t j = (size_t)rand() % (i + 1);
		struct memmap_entry t = e[i];

		e[i] = e[j];
		e[j] = t;
	}
	assert_int_equal(partition_plan_init(&plan, &map), 0);
	assert_int_equal(plan.nr_avail, 1);
	assert_int_equal(plan.avail[0].end, 1 * MiB + 4000 * 4 * KiB);

	/* Now make every other usable page reserved: too fragmented, and said so. */
	for (size_t i = 0; i < N; i++)
		if (e[i].type == MEMMAP_USABLE && (e[i].base / (4 * KiB)) % 2)
			e[i].type = MEMMAP_RESERVED;
	assert_int_equal(partition_plan_init(&plan, &map), -E2BIG);
	assert_string_equal(partition_error(&plan),
			    "partition: memory map has more than 512 separate usable ranges");
	free(e);
}


static void test_reserve_fixed_never_given_to_guests(void **state)
{
	struct memmap map = mkmap(pc_map, 5);
	struct partition_request req;

	assert_int_equal(partition_plan_init(&plan, &map), 0);
	assert_int_equal(partition_reserve_fixed(&plan, 0x3b800123, 0x1000, "image"), 0);
	/* Overlapping the first, and reaching into reserved memory: counted once. */
	assert_int_equal(partition_reserve_fixed(&plan, 0x3b800000, 0x3000, "stack"), 0);
	assert_int_equal(partition_reserve_fixed(&plan, 0xa0000, 0x1000, "rom"), 0);
	assert_int_equal(plan.monitor_bytes, 0x3000);
	assert_int_equal(plan.monitor[0].r.base, 0x3b800000);
	assert_int_equal(plan.monitor[0].r.end, 0x3b802000);
	request_both(&req);
	assert_int_equal(partition_plan_build(&plan, &req), 0);
	for (uint64_t a = 0x3b800000; a < 0x3b803000; a += 4 * KiB)
		assert_int_equal(partition_page_owner(&plan, a), PARTITION_OWNER_MONITOR);
	assert_int_equal(partition_reserve_fixed(&plan, 0x200000, 0x1000, "late"), -EBUSY);
	assert_true(partition_reserve_fixed(&plan, 0, 0, "x") < 0);
}


static void test_reserve_monitor_prefers_conventional_high(void **state)
{
	struct memmap_entry e[] = {
		{ 1 * MiB, 31 * MiB, MEMMAP_USABLE, 7 },
		{ 32 * MiB, 32 * MiB, MEMMAP_USABLE, 4 },	/* boot services data: in use now */
		{ 5 * GiB, 1 * GiB, MEMMAP_USABLE, 7 },		/* above 4G: not by default */
	};
	struct memmap map = mkmap(e, 3);
	uint64_t base;

	assert_int_equal(partition_plan_init(&plan, &map), 0);
	assert_int_equal(partition_reserve_monitor(&plan, 3 * MiB, 2 * MiB, "vmcb", &base), 0);
	assert_int_equal(base, 28 * MiB);	/* highest 2M-aligned fit in conventional */
	assert_int_equal(partition_reserve_monitor(&plan, 30 * MiB, 4 * KiB, "big", &base), 0);
	assert_int_equal(base, 34 * MiB);	/* no conventional fit: the highest usable one */
	assert_int_equal(partition_reserve_monitor_in(&plan, 1 * MiB, 1 * GiB, 4 * GiB,
						      8 * GiB, "hi", &base),
			 0);
	assert_int_equal(base, 5 * GiB);
	assert_int_equal(plan.monitor_bytes, 34 * MiB);
	assert_int_equal(partition_reserve_monitor(&plan, 64 * MiB, 0, "huge", &base), -ENOMEM);
	assert_string_equal(partition_error(&plan), "partition: monitor: no free 64M (aligned 0x1000) "
						    "for 'huge' in 0x100000-0xffffffff");
	assert_int_equal(partition_reserve_monitor(&plan, 4 * KiB, 3 * KiB, "odd", &base), -EINVAL);
}


int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_init_trims_pages_and_legacy_holes),
		cmocka_unit_test(test_init_legacy_window_never_ram),
		cmocka_unit_test(test_init_unsorted_overlapping_zero_length),
		cmocka_unit_test(test_init_top_of_address_space),
		cmocka_unit_test(test_init_thousands_of_entries),
		cmocka_unit_test(test_reserve_fixed_never_given_to_guests),
		cmocka_unit_test(test_reserve_monitor_prefers_conventional_high),
	};
	return cmocka_run_group_tests_name("partition_init", tests, NULL, NULL);
}
