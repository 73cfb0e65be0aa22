// SPDX-License-Identifier: GPL-2.0-only
/* The monitor's time arithmetic (irq/timer.c): overflow-safe conversions and calibration. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "irq/timer.h"

static void test_timer_muldiv(void **state)
{
	assert_int_equal(timer_muldiv(10, 3, 4), 7);
	assert_int_equal(timer_muldiv(0, 5, 7), 0);
	assert_int_equal(timer_muldiv(5, 7, 0), UINT64_MAX);
	/* The product needs 128 bits; the quotient fits. */
	assert_int_equal(timer_muldiv(1ULL << 62, 1ULL << 20, 1ULL << 30), 1ULL << 52);
	assert_int_equal(timer_muldiv(UINT64_MAX, UINT64_MAX, UINT64_MAX), UINT64_MAX);
	assert_int_equal(timer_muldiv(0xfedcba9876543210ULL, 1000003, 1000033),
			 (uint64_t)((unsigned __int128)0xfedcba9876543210ULL * 1000003 / 1000033));
	/* The quotient does not fit: saturate. */
	assert_int_equal(timer_muldiv(1ULL << 63, 4, 2), UINT64_MAX);
	/* Random-ish values against the compiler's 128-bit division. */
	uint64_t x = 0x9e3779b97f4a7c15ULL;
	for (int i = 0; i < 1000; i++) {
		uint64_t a, b, c;
		unsigned __int128 q;

		x ^= x << 13, x ^= x >> 7, x ^= x << 17;
		a = x;
		x ^= x << 13, x ^= x >> 7, x ^= x << 17;
		b = x >> (i % 64);
		x ^= x << 13, x ^= x >> 7, x ^= x << 17;
		c = (x >> (i % 61)) | 1;
		q = (unsigned __int128)a * b / c;
		assert_int_equal(timer_muldiv(a, b, c), q >> 64 ? UINT64_MAX : (uint64_t)q);
	}
}

static void test_timer_conversions(void **state)
{
	/* 10 ms at 2 GHz. */
	assert_int_equal(timer_us_to_cycles(10000, 2000000), 20000000);
	/* Never 0 for a positive time. */
	assert_int_equal(timer_us_to_cycles(1, 1), 1);
	assert_int_equal(timer_us_to_cycles(0, 2000000), 0);
	assert_int_equal(timer_cycles_to_us(3000000, 3000000), 1000);
}

static void test_timer_apic_ticks(void **state)
{
	/* 1 ms of a 2 GHz TSC on a 1 GHz APIC timer: 1e6 ticks. */
	assert_int_equal(timer_tsc_to_apic(2000000, 2000000, 1000000), 1000000);
	/* Rounded up, so the alarm is never early. */
	assert_int_equal(timer_tsc_to_apic(3, 2000000, 1000000), 2);
	assert_int_equal(timer_tsc_to_apic(0, 2000000, 1000000), 1);
	/* The count register is 32 bits. */
	assert_int_equal(timer_tsc_to_apic(1ULL << 40, 1000, 1000), 0xffffffffu);
	assert_int_equal(timer_tsc_to_apic(100, 0, 1000), 0xffffffffu);
}

static void test_timer_calibration(void **state)
{
	/* 11932 PIT ticks (10 ms) during which the TSC counted 20 million: 2 GHz. */
	assert_int_equal(timer_khz_from_pit(20000000, 11932), 1999969);
	assert_int_equal(timer_khz_from_pit(123, 0), 0);
	assert_int_equal(timer_median3(3, 1, 2), 2);
	assert_int_equal(timer_median3(1, 2, 3), 2);
	assert_int_equal(timer_median3(2, 3, 1), 2);
	assert_int_equal(timer_median3(5, 5, 1), 5);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_timer_muldiv),
		cmocka_unit_test(test_timer_conversions),
		cmocka_unit_test(test_timer_apic_ticks),
		cmocka_unit_test(test_timer_calibration),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
