// SPDX-License-Identifier: GPL-2.0-only
/* The CPU list the monitor numbers CPUs by (monitor/cpu_list.c): boot CPU first, firmware
 * order otherwise, unusable CPUs left out, inconsistent answers refused. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "monitor/cpu_list.h"

#define OK (CPU_LIST_ENABLED | CPU_LIST_HEALTHY)
#define BSP (OK | CPU_LIST_BSP)

static void test_cpu_list_bsp_first_already(void **state)
{
	const struct cpu_list_fw fw[] = { { 0, BSP }, { 1, OK }, { 2, OK } };
	uint32_t ids[4];

	assert_int_equal(cpu_list_build(fw, 3, ids, 4), 3);
	assert_int_equal(ids[0], 0);
	assert_int_equal(ids[1], 1);
	assert_int_equal(ids[2], 2);
}

static void test_cpu_list_bsp_moved(void **state)
{
	const struct cpu_list_fw fw[] = { { 6, OK }, { 4, OK }, { 2, BSP }, { 0, OK } };
	uint32_t ids[4];

	/* The boot CPU first; the others keep their order. */
	assert_int_equal(cpu_list_build(fw, 4, ids, 4), 4);
	assert_int_equal(ids[0], 2);
	assert_int_equal(ids[1], 6);
	assert_int_equal(ids[2], 4);
	assert_int_equal(ids[3], 0);
}

static void test_cpu_list_unusable(void **state)
{
	const struct cpu_list_fw fw[] = {
		{ 0, CPU_LIST_BSP },		/* the boot CPU runs whatever it says */
		{ 1, CPU_LIST_ENABLED },	/* unhealthy */
		{ 2, CPU_LIST_HEALTHY },	/* disabled */
		{ 3, OK },
	};
	uint32_t ids[4];

	assert_int_equal(cpu_list_build(fw, 4, ids, 4), 2);
	assert_int_equal(ids[0], 0);
	assert_int_equal(ids[1], 3);
}

static void test_cpu_list_max(void **state)
{
	const struct cpu_list_fw fw[] = { { 5, OK }, { 6, OK }, { 7, BSP } };
	uint32_t ids[2];

	assert_int_equal(cpu_list_build(fw, 3, ids, 2), 2);
	assert_int_equal(ids[0], 7);
	assert_int_equal(ids[1], 5);
	assert_int_equal(cpu_list_build(fw, 3, ids, 1), 1);
	assert_int_equal(ids[0], 7);
}

static void test_cpu_list_refused(void **state)
{
	const struct cpu_list_fw none[] = { { 0, OK }, { 1, OK } };
	const struct cpu_list_fw two[] = { { 0, BSP }, { 1, BSP } };
	const struct cpu_list_fw dup[] = { { 0, BSP }, { 3, OK }, { 3, OK } };
	const struct cpu_list_fw wide[] = { { 0, BSP }, { 1ULL << 32, OK } };
	uint32_t ids[4];

	assert_int_equal(cpu_list_build(none, 2, ids, 4), -EINVAL);
	assert_int_equal(cpu_list_build(two, 2, ids, 4), -EINVAL);
	assert_int_equal(cpu_list_build(dup, 3, ids, 4), -EINVAL);
	assert_int_equal(cpu_list_build(wide, 2, ids, 4), -EINVAL);
	assert_int_equal(cpu_list_build(none, 0, ids, 4), -EINVAL);
	assert_int_equal(cpu_list_build(two, 1, ids, 0), -EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cpu_list_bsp_first_already),
		cmocka_unit_test(test_cpu_list_bsp_moved),
		cmocka_unit_test(test_cpu_list_unusable),
		cmocka_unit_test(test_cpu_list_max),
		cmocka_unit_test(test_cpu_list_refused),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
