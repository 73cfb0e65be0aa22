// SPDX-License-Identifier: GPL-2.0-only
/* The gang meter (monitor/gang_meter.h): slots paired across CPUs, spreads, late CPUs. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "monitor/gang_meter.h"

#define KHZ 1000000ULL	/* 1 GHz: 1000 cycles a microsecond */

/* Both CPUs in every slot: all together, the spreads as measured. */
static void test_together(void **state)
{
	static struct gang_meter g;

	gang_meter_init(&g, 0x3, KHZ);
	for (uint64_t n = 0; n < 100; n++) {
		uint64_t at = n * 10000000;

		gang_meter_mark(&g, 0, n, at + 1000);
		/* CPU 1 is 5 us behind, and once 300 us. */
		gang_meter_mark(&g, 1, n, at + 1000 + (n == 50 ? 300000 : 5000));
	}
	gang_meter_finish(&g);
	assert_int_equal(g.slots, 100);
	assert_int_equal(g.together, 100);
	assert_int_equal(gang_meter_max_us(&g), 300);
	assert_int_equal(gang_meter_p99_us(&g), 5);
}

/* A CPU that misses slots (it was away) leaves them not together; the others still are. */
static void test_missed_and_late(void **state)
{
	static struct gang_meter g;

	gang_meter_init(&g, 0x3, KHZ);
	for (uint64_t n = 0; n < 40; n++) {
		gang_meter_mark(&g, 0, n, n * 1000);
		if (n < 10 || n >= 13)
			gang_meter_mark(&g, 1, n, n * 1000 + 10);
	}
	/* CPU 1 comes back with a mark for a slot closed long ago: nothing changes. */
	gang_meter_mark(&g, 1, 11, 99999);
	/* A CPU outside the set counts for nothing. */
	gang_meter_mark(&g, 5, 39, 0);
	gang_meter_finish(&g);
	assert_int_equal(g.slots, 40);
	assert_int_equal(g.together, 37);
	assert_int_equal(g.spread_max, 10);
	/* Marks out of order within the ring still pair. */
	gang_meter_init(&g, 0x5, KHZ);
	gang_meter_mark(&g, 0, 7, 100);
	gang_meter_mark(&g, 0, 8, 200);
	gang_meter_mark(&g, 2, 7, 150);
	gang_meter_mark(&g, 2, 8, 190);
	gang_meter_finish(&g);
	assert_int_equal(g.slots, 2);
	assert_int_equal(g.together, 2);
	assert_int_equal(g.spread_max, 50);
}

/* No set, or no slot together: the figures are 0. */
static void test_empty(void **state)
{
	static struct gang_meter g;

	gang_meter_init(&g, 0, KHZ);
	gang_meter_mark(&g, 0, 1, 1);
	gang_meter_finish(&g);
	assert_int_equal(g.slots, 0);
	assert_int_equal(gang_meter_p99_us(&g), 0);
	gang_meter_init(&g, 0x3, KHZ);
	gang_meter_mark(&g, 0, 1, 1);
	gang_meter_finish(&g);
	assert_int_equal(g.slots, 1);
	assert_int_equal(g.together, 0);
	assert_int_equal(gang_meter_max_us(&g), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_together),
		cmocka_unit_test(test_missed_and_late),
		cmocka_unit_test(test_empty),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
