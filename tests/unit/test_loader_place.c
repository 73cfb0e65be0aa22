// SPDX-License-Identifier: GPL-2.0-only
/* Hole finding inside a partition: alignment, limits, map quirks, and the refusal texts. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "loader/loader.h"
#include "loader/place.h"
#include "tests/unit/test_loader_synth.h"

static void init(struct loader_place *pl, const struct memmap_entry *map, size_t n,
		 uint64_t mem_min, uint64_t mem_max)
{
	struct loader_params p;
	struct loader_err err;

	synth_params(&p, "img", NULL, 0, map, n);
	p.mem_min = mem_min;
	p.mem_max = mem_max;
	assert_int_equal(loader_place_init(pl, "img", &p, &err), 0);
}

static uint64_t find(struct loader_place *pl, uint64_t size, uint64_t align, bool top_down)
{
	struct loader_place_req req = {
		.what = "seg", .size = size, .align = align, .max = UINT64_MAX,
		.top_down = top_down,
	};
	struct loader_err err;
	uint64_t base = 0;

	assert_int_equal(loader_place_find(pl, &req, &base, &err), 0);
	return base;
}

static void test_place_lowest_and_highest(void **state)
{
	struct memmap_entry map[] = { synth_ram(0x1000, 64 * MiB - 1) };
	struct loader_place pl;

	init(&pl, map, 1, 0, 0);
	assert_int_equal(find(&pl, 4 * MiB, 2 * MiB, false), 2 * MiB);
	assert_int_equal(find(&pl, 0x3000, 0x1000, true), 64 * MiB - 0x3000);
	/* The next lowest 2 MiB hole is after the first segment. */
	assert_int_equal(find(&pl, 2 * MiB, 2 * MiB, false), 6 * MiB);
	/* A page fits below the first 2 MiB-aligned segment. */
	assert_int_equal(find(&pl, 0x1000, 0x1000, false), 0x1000);
}

static void test_place_merges_unsorted_overlapping_map(void **state)
{
	struct memmap_entry map[] = {
		synth_ram(32 * MiB, 48 * MiB - 1),
		{ 16 * MiB, 1 * MiB, MEMMAP_RESERVED, 0 },	/* not RAM: ignored */
		synth_ram(8 * MiB, 33 * MiB - 1),		/* overlaps the first */
		{ 64 * MiB, 0, MEMMAP_USABLE, 7 },		/* empty */
	};
	struct loader_place pl;

	init(&pl, map, 4, 0, 0);
	assert_int_equal(pl.npart, 1);
	assert_int_equal(pl.part[0].first, 8 * MiB);
	assert_int_equal(pl.part[0].last, 48 * MiB - 1);
	assert_string_equal(pl.where, "partition 0x800000-0x2ffffff");
	/* 40 MiB fits only because the two ranges were merged. */
	assert_int_equal(find(&pl, 40 * MiB, 8 * MiB, false), 8 * MiB);
}

static void test_place_honours_mem_min_max(void **state)
{
	struct memmap_entry map[] = { synth_ram(0, 1 * GiB - 1) };
	struct loader_place pl;
	struct loader_place_req req = {
		.what = "kernel", .size = 140 * MiB, .align = 2 * MiB, .max = UINT64_MAX,
	};
	struct loader_err err;
	uint64_t base;

	init(&pl, map, 1, 0x1234567, 0x9ffffff);
	assert_int_equal(find(&pl, 0x1000, 0x1000, false), 0x1235000);
	assert_int_equal(find(&pl, 0x1000, 0x1000, true), 0x9fff000);
	assert_int_equal(loader_place_find(&pl, &req, &base, &err), -ENOSPC);
	/* Only 0x1400000-0x9dfffff, 138 MiB, is aligned and free around the two pages above. */
	assert_string_equal(err.msg, "loader: kernel: no 2 MiB-aligned hole of 140 MiB in "
				     "partition 0x0-0x3fffffff above mem-min 0x1234567 below "
				     "mem-max 0x9ffffff");
}

static void test_place_format_limit_in_message(void **state)
{
	struct memmap_entry map[] = { synth_ram(0, 8 * GiB - 1) };
	struct loader_place pl;
	struct loader_place_req req = {
		.what = "initrd", .size = 0x2000, .align = 0x1000, .max = 0x7fffffff,
		.max_why = "below initrd_addr_max 0x7fffffff", .top_down = true,
	};
	struct loader_err err;
	uint64_t base;

	init(&pl, map, 1, 0, 0);
	assert_int_equal(loader_place_find(&pl, &req, &base, &err), 0);
	assert_int_equal(base, 0x80000000 - 0x2000);
	req.size = 3 * GiB;
	assert_int_equal(loader_place_find(&pl, &req, &base, &err), -ENOSPC);
	assert_string_equal(err.msg, "loader: initrd: no 4 KiB-aligned hole of 3 GiB in partition "
				     "0x0-0x1ffffffff below initrd_addr_max 0x7fffffff");
}

static void test_place_top_of_address_space(void **state)
{
	struct memmap_entry map[] = {
		/* Runs past the end of the address space. */
		{ UINT64_MAX - 16 * MiB + 1, 64 * MiB, MEMMAP_USABLE, 7 },
	};
	struct loader_place pl;

	init(&pl, map, 1, 0, 0);
	assert_int_equal(pl.part[0].last, UINT64_MAX);
	assert_int_equal(find(&pl, 0x1000, 0x1000, true), UINT64_MAX - 0xfff);
	assert_int_equal(find(&pl, 8 * MiB, 8 * MiB, false), UINT64_MAX - 16 * MiB + 1);
}

static void test_place_fixed_reasons(void **state)
{
	struct memmap_entry map[] = {
		synth_ram(0, 64 * MiB - 1), synth_ram(128 * MiB, 256 * MiB - 1),
	};
	struct loader_place pl;
	struct loader_err err;

	init(&pl, map, 2, 0, 0);
	assert_int_equal(loader_place_fixed(&pl, "a", 16 * MiB, 1 * MiB, UINT64_MAX, &err), 0);
	assert_int_equal(loader_place_fixed(&pl, "b", 16 * MiB + 0x1000, 0x1000, UINT64_MAX, &err),
			 -ENOSPC);
	assert_string_equal(err.msg, "loader: b: 0x1001000-0x1001fff overlaps another segment");
	assert_int_equal(loader_place_fixed(&pl, "c", 60 * MiB, 8 * MiB, UINT64_MAX, &err),
			 -ENOSPC);
	assert_string_equal(err.msg, "loader: c: 0x3c00000-0x43fffff is not inside partition "
				     "0x0-0x3ffffff,0x8000000-0xfffffff");
	assert_int_equal(loader_place_fixed(&pl, "d", 200 * MiB, 1 * MiB, 128 * MiB, &err),
			 -ENOSPC);
	assert_string_equal(err.msg, "loader: d: 0xc800000-0xc8fffff ends above 0x8000000");
	assert_int_equal(loader_place_fixed(&pl, "e", UINT64_MAX - 0xfff, 0x2000, UINT64_MAX, &err),
			 -ENOSPC);
	assert_string_equal(err.msg, "loader: e: 0xfffffffffffff000 + 0x2000 wraps around");
}

static void test_place_empty_partition(void **state)
{
	struct memmap_entry map[] = {
		synth_ram(0x1800, 0x27ff),	/* no whole page inside */
		{ 0x100000, 0x100000, MEMMAP_ACPI, 9 },
	};
	struct loader_params p;
	struct loader_place pl;
	struct loader_err err;

	synth_params(&p, "vmlinuz", NULL, 0, map, 2);
	assert_int_equal(loader_place_init(&pl, "vmlinuz", &p, &err), -ENOSPC);
	assert_string_equal(err.msg, "loader: vmlinuz: no usable page in partition 0x1800-0x27ff");
	p.map_count = 0;
	assert_int_equal(loader_place_init(&pl, "vmlinuz", &p, &err), -ENOSPC);
	assert_string_equal(err.msg, "loader: vmlinuz: no usable page in partition (empty)");
}

static void test_place_many_segments_split_holes(void **state)
{
	struct memmap_entry map[] = { synth_ram(0, 64 * MiB - 1) };
	struct loader_place pl;
	uint64_t taken[LOADER_MAX_SEGMENTS];

	init(&pl, map, 1, 0, 0);
	/* Alternate fixed pages to split the hole as often as a plan ever can. */
	for (int i = 0; i < LOADER_MAX_SEGMENTS; i++) {
		taken[i] = (uint64_t)(2 * i + 1) * MiB;
		assert_int_equal(loader_place_fixed(&pl, "s", taken[i], 0x1000, UINT64_MAX, NULL),
				 0);
	}
	assert_int_equal(pl.nhole, LOADER_MAX_SEGMENTS + 1);
	for (int i = 0; i < LOADER_MAX_SEGMENTS; i++)
		assert_int_equal(loader_place_fixed(&pl, "s", taken[i], 0x1000, UINT64_MAX, NULL),
				 -ENOSPC);
}

static void test_fmt_size(void **state)
{
	char b[32];

	assert_string_equal(loader_fmt_size(b, sizeof(b), 64 * MiB), "64 MiB");
	assert_string_equal(loader_fmt_size(b, sizeof(b), 0x3f98000), "63.6 MiB");
	assert_string_equal(loader_fmt_size(b, sizeof(b), 2 * MiB - 1), "2 MiB");
	assert_string_equal(loader_fmt_size(b, sizeof(b), 4096), "4 KiB");
	assert_string_equal(loader_fmt_size(b, sizeof(b), 1536), "1.5 KiB");
	assert_string_equal(loader_fmt_size(b, sizeof(b), 100), "100 bytes");
	assert_string_equal(loader_fmt_size(b, sizeof(b), 3 * GiB), "3 GiB");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_place_lowest_and_highest),
		cmocka_unit_test(test_place_merges_unsorted_overlapping_map),
		cmocka_unit_test(test_place_honours_mem_min_max),
		cmocka_unit_test(test_place_format_limit_in_message),
		cmocka_unit_test(test_place_top_of_address_space),
		cmocka_unit_test(test_place_fixed_reasons),
		cmocka_unit_test(test_place_empty_partition),
		cmocka_unit_test(test_place_many_segments_split_holes),
		cmocka_unit_test(test_fmt_size),
	};
	return cmocka_run_group_tests_name("loader_place", tests, NULL, NULL);
}
