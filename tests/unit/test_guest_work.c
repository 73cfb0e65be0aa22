// SPDX-License-Identifier: GPL-2.0-only
/*
 * guests/lib/work.c: the jump-ahead agrees with doing the work, the work touches its
 * buffer, the pattern and the checksum notice what the heartbeat relies on them noticing.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "guests/lib/work.h"

static uint32_t buf[WORK_BUF_WORDS];

static void test_jump_ahead(void **state)
{
	static const uint64_t steps[] = { 0, 1, 2, 3, 7, 64, 1000, 20000, 65537 };
	uint64_t x = 0x61;

	for (size_t i = 0; i < sizeof(steps) / sizeof(steps[0]); i++) {
		uint64_t done = work_unit(x, buf, steps[i]);

		assert_true(done == work_expect(x, steps[i]));
		x = done;
	}
	/* One step is the LCG's definition. */
	assert_true(work_expect(5, 1) == 5 * WORK_LCG_MUL + WORK_LCG_ADD);
	assert_true(work_expect(5, 0) == 5);
	/* Units compose: 2 x n steps = 2n steps. */
	assert_true(work_expect(work_expect(9, 12345), 12345) == work_expect(9, 24690));
}

static void test_unit_touches_buffer(void **state)
{
	uint32_t sum = 0;

	memset(buf, 0, sizeof(buf));
	work_unit(1, buf, 5000);
	for (size_t i = 0; i < WORK_BUF_WORDS; i++)
		sum |= buf[i];
	assert_true(sum != 0);
}

static void test_pattern_and_checksum(void **state)
{
	enum { N = 4096 };
	static uint64_t a[N], b[N];

	work_pattern_fill(a, N, 0x123);
	work_pattern_fill(b, N, 0x123);
	assert_memory_equal(a, b, sizeof(a));
	work_pattern_fill(b, N, 0x124);
	assert_memory_not_equal(a, b, sizeof(a));
	/* Seed 0 must not give all zeros (xorshift's fixed point). */
	work_pattern_fill(b, N, 0);
	assert_true(b[0] != 0 && b[N - 1] != 0);

	uint64_t sum = work_checksum(a, N);
	/* Any single bit flipped anywhere changes it. */
	for (size_t i = 0; i < N; i += 97) {
		for (int bit = 0; bit < 64; bit += 13) {
			a[i] ^= 1ull << bit;
			assert_true(work_checksum(a, N) != sum);
			a[i] ^= 1ull << bit;
		}
	}
	assert_true(work_checksum(a, N) == sum);
	/* Two different words swapped change it too. */
	uint64_t t = a[10];
	a[10] = a[3000];
	a[3000] = t;
	assert_true(work_checksum(a, N) != sum);
	assert_true(work_checksum(a, 0) == 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_jump_ahead),
		cmocka_unit_test(test_unit_touches_buffer),
		cmocka_unit_test(test_pattern_and_checksum),
	};
	return cmocka_run_group_tests_name("guest_work", tests, NULL, NULL);
}
