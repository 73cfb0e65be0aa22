// SPDX-License-Identifier: GPL-2.0-only
/* The SVM I/O permission map. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "partition/iopm.h"

static uint8_t iopm[IOPM_SIZE + 64];

static void test_iopm_only_listed_ports_pass(void **state)
{
	const struct partition_ports pass[] = { { 0x3f8, 0x3ff }, { 0x60, 0x60 }, { 0x64, 0x64 },
						{ 0x1000, 0x10ff } };

	memset(iopm, 0, sizeof(iopm));
	assert_int_equal(iopm_build(iopm, IOPM_SIZE, pass, 4), 0);
	for (uint32_t p = 0; p < IOPM_PORTS; p++) {
		bool listed = (p >= 0x3f8 && p <= 0x3ff) || p == 0x60 || p == 0x64 ||
			      (p >= 0x1000 && p <= 0x10ff);

		assert_int_equal(iopm_intercepts(iopm, (uint16_t)p, 1), !listed);
		/* The hardware bit itself: bit p of the map. */
		assert_int_equal((iopm[p / 8] >> (p % 8)) & 1, !listed);
	}
	/* A word or dword access passes only when every byte it touches does. */
	assert_false(iopm_intercepts(iopm, 0x3f8, 4));
	assert_false(iopm_intercepts(iopm, 0x3fc, 4));
	assert_true(iopm_intercepts(iopm, 0x3fd, 4));	/* touches 0x400 */
	assert_true(iopm_intercepts(iopm, 0x3f6, 4));
	assert_true(iopm_intercepts(iopm, 0x60, 2));	/* touches 0x61 */
	assert_true(iopm_intercepts(iopm, 0x3f8, 3));	/* no such width */
	/* Nothing is written past the 12 KiB. */
	for (size_t i = IOPM_SIZE; i < sizeof(iopm); i++)
		assert_int_equal(iopm[i], 0);
}

static void test_iopm_top_port_wraps_into_extra_bits(void **state)
{
	const struct partition_ports pass[] = { { 0xfffc, 0xffff } };

	assert_int_equal(iopm_build(iopm, IOPM_SIZE, pass, 1), 0);
	assert_false(iopm_intercepts(iopm, 0xffff, 1));
	assert_false(iopm_intercepts(iopm, 0xfffc, 4));
	/* A dword at 0xffff reads bits 0x10000-0x10002: set, so it traps. */
	assert_true(iopm_intercepts(iopm, 0xffff, 2));
	assert_true(iopm_intercepts(iopm, 0xffff, 4));
	for (uint32_t bit = IOPM_PORTS; bit < IOPM_SIZE * 8; bit++)
		assert_true(iopm[bit / 8] & (1u << (bit % 8)));
	/* All ports, still the extra bits intercept. */
	const struct partition_ports all[] = { { 0, 0xffff } };

	assert_int_equal(iopm_build(iopm, IOPM_SIZE, all, 1), 0);
	assert_false(iopm_intercepts(iopm, 0xfffe, 2));
	assert_true(iopm_intercepts(iopm, 0xfffe, 4));
}

static void test_iopm_bad_input(void **state)
{
	const struct partition_ports bad[] = { { 0x10, 0x0f } };

	assert_int_equal(iopm_build(iopm, IOPM_SIZE - 1, NULL, 0), -EINVAL);
	assert_int_equal(iopm_build(iopm, IOPM_SIZE, bad, 1), -EINVAL);
	assert_int_equal(iopm_build(NULL, IOPM_SIZE, NULL, 0), -EINVAL);
}

static void test_iopm_for_plan_guests(void **state)
{
	struct memmap_entry e[] = { { 1 << 20, 64 << 20, MEMMAP_USABLE, 7 } };
	struct memmap map = { e, 1, 1 };
	static struct partition_plan plan;
	struct partition_request req = { 0 };

	req.guest[0].present = req.guest[1].present = true;
	req.guest[0].uart_mask = 1;		/* com1 */
	req.guest[1].uart_mask = 2;		/* com2 */
	req.guest[1].nr_ports = 1;
	req.guest[1].ports[0] = (struct partition_ports){ 0x60, 0x64 };
	req.has_log_port = true;
	req.log_port = (struct partition_ports){ 0xe9, 0xe9 };
	assert_int_equal(partition_plan_init(&plan, &map), 0);
	assert_int_equal(partition_plan_build(&plan, &req), 0);

	assert_int_equal(partition_build_iopm(&plan, 0, iopm, IOPM_SIZE), 0);
	assert_false(iopm_intercepts(iopm, 0x3f8, 1));
	assert_false(iopm_intercepts(iopm, 0x3fd, 1));
	assert_true(iopm_intercepts(iopm, 0x2f8, 1));	/* b's UART */
	assert_true(iopm_intercepts(iopm, 0x60, 1));	/* b's keyboard controller */
	assert_true(iopm_intercepts(iopm, 0xcf8, 4));	/* PCI config: always the monitor's */
	assert_true(iopm_intercepts(iopm, 0xcfc, 4));
	assert_true(iopm_intercepts(iopm, 0xe9, 1));	/* the log */

	assert_int_equal(partition_build_iopm(&plan, 1, iopm, IOPM_SIZE), 0);
	assert_true(iopm_intercepts(iopm, 0x3f8, 1));
	assert_false(iopm_intercepts(iopm, 0x2f8, 1));
	assert_false(iopm_intercepts(iopm, 0x60, 1));
	/* The 8042's command port traps even for its owner: 0xfe there resets the machine. */
	assert_true(iopm_intercepts(iopm, 0x64, 1));
	assert_true(iopm_intercepts(iopm, 0x65, 1));
	assert_true(partition_build_iopm(&plan, 1, iopm, 100) < 0);
	assert_true(partition_build_iopm(&plan, 3, iopm, IOPM_SIZE) < 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_iopm_only_listed_ports_pass),
		cmocka_unit_test(test_iopm_top_port_wraps_into_extra_bits),
		cmocka_unit_test(test_iopm_bad_input),
		cmocka_unit_test(test_iopm_for_plan_guests),
	};
	return cmocka_run_group_tests_name("iopm", tests, NULL, NULL);
}
