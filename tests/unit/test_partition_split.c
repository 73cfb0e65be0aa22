// SPDX-License-Identifier: GPL-2.0-only
/* RAM: the split between the guests. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "tests/unit/partition_fixture.h"

static void assert_ranges(const struct partition_guest *g, const struct partition_range *want,
			  size_t n)
{
	assert_int_equal(g->nr_ram, n);
	for (size_t i = 0; i < n; i++) {
		assert_int_equal(g->ram[i].base, want[i].base);
		assert_int_equal(g->ram[i].end, want[i].end);
	}
}

static void test_default_split_halves(void **state)
{
	struct memmap map = mkmap(pc_map, 5);
	struct partition_request req;

	assert_int_equal(partition_plan_init(&plan, &map), 0);
	request_both(&req);
	assert_int_equal(partition_plan_build(&plan, &req), 0);
	/* 0x9f pages below 640K: a gets 79 from the top, b 80 from the bottom. */
	assert_int_equal(plan.guest[0].low_bytes, 79 * 4 * KiB);
	assert_int_equal(plan.guest[1].low_bytes, 80 * 4 * KiB);
	const struct partition_range a[] = { { 0x1000 + 80 * 4 * KiB, 0xa0000 },
					     { 512 * MiB, 1 * GiB } };
	const struct partition_range b[] = { { 0x1000, 0x1000 + 80 * 4 * KiB },
					     { 1 * MiB, 512 * MiB } };

	/* (1G - 1M) / 2 rounded down to 2M: a's cut lands on 512M, b takes the rest. */
	assert_ranges(&plan.guest[0], a, 2);
	assert_ranges(&plan.guest[1], b, 2);
	assert_int_equal(plan.nr_avail, 0);
	assert_int_equal(plan.guest[0].ram_bytes + plan.guest[1].ram_bytes,
			 0x9f000 + 1 * GiB - 1 * MiB);
}

static void test_sized_low_guest_cut_on_2m(void **state)
{
	struct memmap map = mkmap(pc_map, 5);
	struct partition_request req;

	assert_int_equal(partition_plan_init(&plan, &map), 0);
	request_both(&req);
	req.guest[1].size = 300 * MiB;	/* 1M + 300M = 301M: rounded up to 302M */
	assert_int_equal(partition_plan_build(&plan, &req), 0);
	assert_int_equal(plan.guest[1].ram[1].base, 1 * MiB);
	assert_int_equal(plan.guest[1].ram[1].end, 302 * MiB);
	assert_int_equal(plan.guest[0].ram[1].base, 302 * MiB);
	assert_int_equal(plan.guest[0].ram[1].end, 1 * GiB);
}

static void test_sized_exact_when_alignment_does_not_fit(void **state)
{
	struct memmap_entry e[] = { { 1 * MiB, 8 * MiB, MEMMAP_USABLE, 7 } };
	struct memmap map = mkmap(e, 1);
	struct partition_request req;

	/* b 4M low would round up to 6M and leave a 3M for its 4M: cut exactly instead. */
	assert_int_equal(partition_plan_init(&plan, &map), 0);
	request_both(&req);
	req.guest[1].size = 4 * MiB;
	req.guest[0].size = 4 * MiB;
	assert_int_equal(partition_plan_build(&plan, &req), 0);
	assert_int_equal(plan.guest[1].ram[0].end, 5 * MiB);
	assert_int_equal(plan.guest[0].ram[0].base, 5 * MiB);

	/* With room to spare, both cuts round to 2M: a (placed first) down, b up. */
	assert_int_equal(partition_plan_init(&plan, &map), 0);
	req.guest[0].size = 2 * MiB;
	assert_int_equal(partition_plan_build(&plan, &req), 0);
	assert_int_equal(plan.guest[0].ram[0].base, 6 * MiB);
	assert_int_equal(plan.guest[1].ram[0].end, 6 * MiB);
	assert_int_equal(plan.nr_avail, 0);
}

static void test_shortfall_message(void **state)
{
	struct memmap_entry e[] = {
		{ 0, 0xa0000, MEMMAP_USABLE, 7 },
		{ 1 * MiB, 300 * MiB, MEMMAP_USABLE, 7 },
	};
	struct memmap map = mkmap(e, 2);
	struct partition_request req;

	assert_int_equal(partition_plan_init(&plan, &map), 0);
	memset(&req, 0, sizeof(req));
	req.guest[1].present = true;
	req.guest[1].placement = PARTITION_PLACE_LOW;
	req.guest[1].size = 512 * MiB;
	assert_int_equal(partition_plan_build(&plan, &req), -ENOSPC);
	assert_string_equal(partition_error(&plan),
			    "partition: guest b: wants 512M low, only 300M usable left "
			    "(short by 212M)");

	/* Sized guests are placed a first; in its window a finds too little. */
	assert_int_equal(partition_plan_init(&plan, &map), 0);
	request_both(&req);
	req.guest[1].size = 50 * MiB;
	req.guest[0].size = 150 * MiB;
	req.guest[0].mem_min = 200 * MiB;
	req.guest[0].mem_max = 512 * MiB - 1;
	assert_int_equal(partition_plan_build(&plan, &req), -ENOSPC);
	assert_string_equal(partition_error(&plan),
			    "partition: guest a: wants 150M high, only 101M usable left in "
			    "0xc800000-0x1fffffff (short by 49M)");

	/* Then b, after a took its part. */
	assert_int_equal(partition_plan_init(&plan, &map), 0);
	req.guest[0].mem_min = req.guest[0].mem_max = 0;
	req.guest[1].size = 200 * MiB;
	assert_int_equal(partition_plan_build(&plan, &req), -ENOSPC);
	assert_string_equal(partition_error(&plan),
			    "partition: guest b: wants 200M low, only 150M usable left "
			    "(short by 50M)");
}

static void test_low_memory_settings(void **state)
{
	struct memmap map = mkmap(pc_map, 5);
	struct partition_request req;

	assert_int_equal(partition_plan_init(&plan, &map), 0);
	request_both(&req);
	req.guest[0].low_mem_set = true;
	req.guest[0].low_mem = 100 * KiB + 1;	/* rounds up to 26 pages */
	assert_int_equal(partition_plan_build(&plan, &req), 0);
	assert_int_equal(plan.guest[0].low_bytes, 104 * KiB);
	assert_int_equal(plan.guest[1].low_bytes, 0x9f000 - 104 * KiB);
	assert_int_equal(plan.guest[0].ram[0].end, 0xa0000);

	assert_int_equal(partition_plan_init(&plan, &map), 0);
	req.guest[0].low_mem = 0;	/* set to none */
	req.guest[1].low_mem_set = true;
	req.guest[1].low_mem = 64 * KiB;
	assert_int_equal(partition_plan_build(&plan, &req), 0);
	assert_int_equal(plan.guest[0].low_bytes, 0);
	assert_int_equal(plan.guest[1].low_bytes, 64 * KiB);
	assert_int_equal(plan.guest[1].ram[0].base, 0x1000);
	assert_int_equal(plan.avail[0].base, 0x11000);	/* the rest stays unassigned */
	assert_int_equal(plan.avail[0].end, 0xa0000);

	assert_int_equal(partition_plan_init(&plan, &map), 0);
	req.guest[1].low_mem = 1 * MiB;
	assert_int_equal(partition_plan_build(&plan, &req), -ENOSPC);
	assert_string_equal(partition_error(&plan), "partition: guest b: wants 1M below 640K, only "
						    "636K usable left (short by 388K)");
}

static void test_range_placement(void **state)
{
	struct memmap map = mkmap(pc_map, 5);
	struct partition_request req;

	assert_int_equal(partition_plan_init(&plan, &map), 0);
	request_both(&req);
	req.guest[0].placement = PARTITION_PLACE_RANGE;
	req.guest[0].range_base = 256 * MiB;
	req.guest[0].range_end = 2 * GiB;	/* runs past RAM: only the usable part */
	assert_int_equal(partition_plan_build(&plan, &req), 0);
	assert_int_equal(plan.guest[0].ram[1].base, 256 * MiB);
	assert_int_equal(plan.guest[0].ram[1].end, 1 * GiB);
	assert_int_equal(plan.guest[1].ram[1].base, 1 * MiB);
	assert_int_equal(plan.guest[1].ram[1].end, 256 * MiB);

	assert_int_equal(partition_plan_init(&plan, &map), 0);
	assert_int_equal(partition_reserve_fixed(&plan, 300 * MiB, 1 * MiB, "image"), 0);
	assert_int_equal(partition_plan_build(&plan, &req), -EBUSY);
	assert_string_equal(partition_error(&plan),
			    "partition: guest a: range 0x10000000-0x7fffffff overlaps the "
			    "monitor's 'image' (0x12c00000-0x12cfffff)");

	assert_int_equal(partition_plan_init(&plan, &map), 0);
	req.guest[1].placement = PARTITION_PLACE_RANGE;
	req.guest[1].range_base = 128 * MiB;
	req.guest[1].range_end = 512 * MiB;
	assert_int_equal(partition_plan_build(&plan, &req), -EBUSY);
	assert_string_equal(partition_error(&plan),
			    "partition: guest b: range 0x8000000-0x1fffffff overlaps guest a's "
			    "RAM at 0x10000000");

	assert_int_equal(partition_plan_init(&plan, &map), 0);
	req.guest[1].range_base = 0x80000;
	assert_int_equal(partition_plan_build(&plan, &req), -EINVAL);

	assert_int_equal(partition_plan_init(&plan, &map), 0);
	req.guest[1].range_base = 2 * GiB;
	req.guest[1].range_end = 3 * GiB;
	assert_int_equal(partition_plan_build(&plan, &req), -ENOSPC);
	assert_string_equal(partition_error(&plan),
			    "partition: guest b: no usable RAM in 0x80000000-0xbfffffff");
}

static void test_window_and_memory_above_4g(void **state)
{
	struct memmap_entry e[] = {
		{ 0, 0xa0000, MEMMAP_USABLE, 7 },
		{ 1 * MiB, 3 * GiB - 1 * MiB, MEMMAP_USABLE, 7 },
		{ 3 * GiB, 1 * GiB, MEMMAP_RESERVED, 0 },	/* the PCI hole */
		{ 4 * GiB, 4 * GiB, MEMMAP_USABLE, 7 },
	};
	struct memmap map = mkmap(e, 4);
	struct partition_request req;

	/* By default a high guest lands above 4G entirely... */
	assert_int_equal(partition_plan_init(&plan, &map), 0);
	request_both(&req);
	req.guest[0].size = 2 * GiB;
	assert_int_equal(partition_plan_build(&plan, &req), 0);
	assert_int_equal(plan.guest[0].nr_ram, 2);
	assert_int_equal(plan.guest[0].ram[1].base, 6 * GiB);

	/* ...min_below_4g keeps part of it where 32-bit DMA reaches. */
	assert_int_equal(partition_plan_init(&plan, &map), 0);
	req.guest[0].min_below_4g = 256 * MiB;
	assert_int_equal(partition_plan_build(&plan, &req), 0);
	assert_int_equal(plan.guest[0].ram[1].base, 3 * GiB - 256 * MiB);
	assert_int_equal(plan.guest[0].ram[1].end, 3 * GiB);
	assert_int_equal(plan.guest[0].ram[2].base, 6 * GiB + 256 * MiB);
	assert_int_equal(plan.guest[0].ram[2].end, 8 * GiB);
	/* b shares the rest, in two pieces on both sides of the hole. */
	assert_int_equal(plan.guest[1].nr_ram, 3);
	assert_int_equal(plan.nr_avail, 0);

	/* A window below 4G for a high guest. */
	assert_int_equal(partition_plan_init(&plan, &map), 0);
	req.guest[0].min_below_4g = 0;
	req.guest[0].size = 1 * GiB;
	req.guest[0].mem_min = 1 * GiB;
	req.guest[0].mem_max = 4 * GiB - 1;
	assert_int_equal(partition_plan_build(&plan, &req), 0);
	assert_int_equal(plan.guest[0].ram[1].base, 2 * GiB);
	assert_int_equal(plan.guest[0].ram[1].end, 3 * GiB);
}

static void test_fragmented_map_pieces(void **state)
{
	enum { N = 100 };
	struct memmap_entry e[N];
	struct memmap map = mkmap(e, N);
	struct partition_request req;

	/* 100 separate 1M ranges, 1M apart. */
	for (size_t i = 0; i < N; i++)
		e[i] = (struct memmap_entry){ (2 + 2 * i) * MiB, 1 * MiB, MEMMAP_USABLE, 7 };
	assert_int_equal(partition_plan_init(&plan, &map), 0);
	request_both(&req);
	req.guest[1].size = 10 * MiB;
	req.guest[0].size = 20 * MiB;
	assert_int_equal(partition_plan_build(&plan, &req), 0);
	assert_int_equal(plan.guest[1].nr_ram, 10);
	assert_int_equal(plan.guest[0].nr_ram, 20);
	assert_int_equal(plan.guest[0].ram[19].end, 201 * MiB);

	assert_int_equal(partition_plan_init(&plan, &map), 0);
	req.guest[0].size = 0;	/* the rest: 90 pieces, more than a guest can hold */
	assert_int_equal(partition_plan_build(&plan, &req), -E2BIG);
	assert_string_equal(partition_error(&plan),
			    "partition: guest a: RAM would be in more than 64 pieces (memory map "
			    "too fragmented)");
}

static void test_single_guest_gets_everything(void **state)
{
	struct memmap map = mkmap(pc_map, 5);
	struct partition_request req;

	assert_int_equal(partition_plan_init(&plan, &map), 0);
	memset(&req, 0, sizeof(req));
	req.guest[0].present = true;
	assert_int_equal(partition_plan_build(&plan, &req), 0);
	assert_false(plan.guest[1].present);
	assert_int_equal(plan.guest[0].ram_bytes, 0x9f000 + 1 * GiB - 1 * MiB);
	assert_int_equal(plan.nr_avail, 0);
	assert_int_equal(partition_page_owner(&plan, 0), PARTITION_OWNER_NONE);
	assert_int_equal(partition_page_owner(&plan, 0x1000), 0);
	assert_int_equal(partition_page_owner(&plan, 0xa0000), PARTITION_OWNER_NONE);
	assert_int_equal(partition_plan_build(&plan, &req), -EBUSY);

	memset(&req, 0, sizeof(req));
	assert_int_equal(partition_plan_init(&plan, &map), 0);
	assert_int_equal(partition_plan_build(&plan, &req), -EINVAL);
}

static void test_no_ram_left_for_a_share(void **state)
{
	struct memmap_entry e[] = { { 1 * MiB, 4 * MiB, MEMMAP_USABLE, 7 } };
	struct memmap map = mkmap(e, 1);
	struct partition_request req;

	assert_int_equal(partition_plan_init(&plan, &map), 0);
	request_both(&req);
	req.guest[1].size = 4 * MiB;
	assert_int_equal(partition_plan_build(&plan, &req), -ENOSPC);
	assert_string_equal(partition_error(&plan), "partition: guest a: no usable RAM left");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_default_split_halves),
		cmocka_unit_test(test_sized_low_guest_cut_on_2m),
		cmocka_unit_test(test_sized_exact_when_alignment_does_not_fit),
		cmocka_unit_test(test_shortfall_message),
		cmocka_unit_test(test_low_memory_settings),
		cmocka_unit_test(test_range_placement),
		cmocka_unit_test(test_window_and_memory_above_4g),
		cmocka_unit_test(test_fragmented_map_pieces),
		cmocka_unit_test(test_single_guest_gets_everything),
		cmocka_unit_test(test_no_ram_left_for_a_share),
	};
	return cmocka_run_group_tests_name("partition_split", tests, NULL, NULL);
}
