// SPDX-License-Identifier: GPL-2.0-only
/*
 * guests/lib/paging.c: tables built in a host buffer at a made-up physical address, then
 * checked by walking them: every page of the RAM maps to itself, nothing else is mapped,
 * the pool limit and the canonical limit are enforced, and five levels work as four do.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "guests/lib/paging.h"

#define POOL_PA	0x7000000ull

static uint64_t pool[16][512] __attribute__((aligned(4096)));

static void test_identity_ranges(void **state)
{
	struct pt pt;

	assert_int_equal(pt_init(&pt, pool, POOL_PA, 16, false), 0);
	assert_int_equal(pt.root_pa, POOL_PA);
	assert_int_equal(pt.levels, 4);
	/* The partitions of the demo: B low (with a hole), A at 512 MiB. */
	assert_int_equal(pt_map_range(&pt, 0x100000, 0x700000), 0);
	assert_int_equal(pt_map_range(&pt, 0x900000, 0x3800000), 0);
	assert_int_equal(pt_map_range(&pt, 0x20000000, 0x4000000), 0);
	/* PML4 + PDPT + one PD for the first GiB. */
	assert_int_equal(pt.used, 3);

	for (uint64_t va = 0; va < 0x40000000; va += 0x1000) {
		uint64_t pa = 0;
		bool mapped = pt_lookup(&pt, va, &pa);
		bool want = va < 0x4200000 || (va >= 0x20000000 && va < 0x24000000);

		assert_int_equal(mapped, want);
		if (mapped)
			assert_true(pa == va);
	}
	uint64_t pa;
	assert_true(pt_lookup(&pt, 0x20123456, &pa));
	assert_true(pa == 0x20123456);
	assert_false(pt_lookup(&pt, 0x40000000, &pa));
	/* Leaves are 2 MiB, present, writable. */
	uint64_t pd = pool[1][0] & PTE_ADDR;
	assert_true(pd == POOL_PA + 2 * 4096);
	assert_true(pool[2][0] == (0 | PTE_P | PTE_RW | PTE_PS));
	assert_true(pool[2][0x100] == (0x20000000 | PTE_P | PTE_RW | PTE_PS));
	assert_true(pool[0][0] == ((POOL_PA + 4096) | PTE_P | PTE_RW));
}

static void test_again_is_noop(void **state)
{
	struct pt pt;

	assert_int_equal(pt_init(&pt, pool, POOL_PA, 16, false), 0);
	assert_int_equal(pt_map_2m(&pt, 0x12345678), 0);
	size_t used = pt.used;
	assert_int_equal(pt_map_2m(&pt, 0x12200000), 0);
	assert_int_equal(pt_map_range(&pt, 0x12200000, 0x200000), 0);
	assert_int_equal(pt.used, used);
	assert_int_equal(pt_map_range(&pt, 0x5000000, 0), 0);
	assert_int_equal(pt.used, used);
}

static void test_limits(void **state)
{
	struct pt pt;

	/* One page: the root only. */
	assert_int_equal(pt_init(&pt, pool, POOL_PA, 1, false), 0);
	assert_int_equal(pt_map_2m(&pt, 0), -ENOMEM);
	assert_int_equal(pt_init(&pt, pool, POOL_PA, 0, false), -ENOMEM);
	/* Each new GiB costs a PD, each new 512 GiB a PDPT as well. */
	assert_int_equal(pt_init(&pt, pool, POOL_PA, 4, false), 0);
	assert_int_equal(pt_map_2m(&pt, 0), 0);
	assert_int_equal(pt_map_2m(&pt, 1ull << 30), 0);
	assert_int_equal(pt.used, 4);
	assert_int_equal(pt_map_2m(&pt, 2ull << 30), -ENOMEM);
	/* Four levels translate the canonical lower half only. */
	assert_int_equal(pt_init(&pt, pool, POOL_PA, 16, false), 0);
	assert_int_equal(pt_map_2m(&pt, (1ull << 47) - 1), 0);
	assert_int_equal(pt_map_2m(&pt, 1ull << 47), -ERANGE);
	assert_int_equal(pt_map_range(&pt, UINT64_MAX - 0x1000, 0x2000), -ERANGE);
	uint64_t pa;
	assert_false(pt_lookup(&pt, 1ull << 47, &pa));
}

static void test_five_levels(void **state)
{
	struct pt pt;
	uint64_t pa;

	assert_int_equal(pt_init(&pt, pool, POOL_PA, 16, true), 0);
	assert_int_equal(pt.levels, 5);
	assert_int_equal(pt_map_2m(&pt, 0x20000000), 0);
	assert_int_equal(pt.used, 4);	/* PML5, PML4, PDPT, PD */
	assert_true(pt_lookup(&pt, 0x201fffff, &pa));
	assert_true(pa == 0x201fffff);
	assert_false(pt_lookup(&pt, 0x20200000, &pa));
	/* Addresses above 2^47 need the fifth level. */
	assert_int_equal(pt_map_2m(&pt, 1ull << 50), 0);
	assert_true(pt_lookup(&pt, (1ull << 50) + 5, &pa));
	assert_true(pa == (1ull << 50) + 5);
	assert_int_equal(pt_map_2m(&pt, 1ull << 56), -ERANGE);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_identity_ranges),
		cmocka_unit_test(test_again_is_noop),
		cmocka_unit_test(test_limits),
		cmocka_unit_test(test_five_levels),
	};
	return cmocka_run_group_tests_name("guest_paging", tests, NULL, NULL);
}
