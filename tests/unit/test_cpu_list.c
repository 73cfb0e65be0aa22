// SPDX-License-Identifier: GPL-2.0-only
/* The CPU list the monitor numbers CPUs by (monitor/cpu_list.c): boot CPU first, firmware
 * order otherwise, unusable CPUs left out, inconsistent answers refused. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
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

static void test_cpu_list_format(void **state)
{
	const uint32_t ids[] = { 0, 1, 2 };
	char buf[32];

	assert_int_equal(cpu_list_format(buf, sizeof(buf), ids, 3), 7);
	assert_string_equal(buf, "0, 1, 2");
	assert_int_equal(cpu_list_format(buf, 8, ids, 3), 7);	/* exactly */
	assert_string_equal(buf, "0, 1, 2");
	/* Too long: whole items, then "...". */
	assert_int_equal(cpu_list_format(buf, 7, ids, 3), 4);
	assert_string_equal(buf, "0...");
	assert_int_equal(cpu_list_format(buf, 11, ids, 3), 7);
	assert_string_equal(buf, "0, 1, 2");
	assert_int_equal(cpu_list_format(buf, 10, (const uint32_t[]){ 7, 4294967295u }, 2), 4);
	assert_string_equal(buf, "7...");
	assert_int_equal(cpu_list_format(buf, sizeof(buf), ids, 0), 0);
	assert_string_equal(buf, "");
	assert_int_equal(cpu_list_format(buf, 4, (const uint32_t[]){ 12345 }, 1), 3);
	assert_string_equal(buf, "...");
	memset(buf, 'x', sizeof(buf));
	assert_int_equal(cpu_list_format(buf, 1, ids, 3), 0);
	assert_int_equal(buf[0], 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cpu_list_bsp_first_already),
		cmocka_unit_test(test_cpu_list_bsp_moved),
		cmocka_unit_test(test_cpu_list_unusable),
		cmocka_unit_test(test_cpu_list_max),
		cmocka_unit_test(test_cpu_list_refused),
		cmocka_unit_test(test_cpu_list_format),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
