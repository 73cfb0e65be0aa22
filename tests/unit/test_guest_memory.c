// SPDX-License-Identifier: GPL-2.0-only
/*
 * guests/lib/bootinfo.c and ram.c: the zero page read at its documented byte offsets, the
 * e820 map turned into RAM ranges, and the heartbeat's choice of a free region.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "guests/lib/bootinfo.h"
#include "guests/lib/ram.h"

static void put64(uint8_t *p, uint64_t v)
{
	memcpy(p, &v, 8);
}

static void put32(uint8_t *p, uint32_t v)
{
	memcpy(p, &v, 4);
}

/* A zero page built byte by byte at the offsets of Documentation/x86/zero-page.rst. */
static void test_zero_page_offsets(void **state)
{
	static uint8_t page[4096];
	static struct bootinfo bi;
	static const char cl[] = "uart=com2 units=7";

	memset(page, 0, sizeof(page));
	page[0x1e8] = 2;
	put64(page + 0x2d0, 0x100000);
	put64(page + 0x2d8, 0x3f00000);
	put32(page + 0x2e0, 1);
	put64(page + 0x2e4, 0x4000000);
	put64(page + 0x2ec, 0x1000);
	put32(page + 0x2f4, 2);
	put32(page + 0x228, 0x89abc000);
	put32(page + 0x0c8, 0x12);
	bootinfo_read(&bi, (const struct zero_page *)page, 0x5000);
	assert_int_equal(bi.bp_pa, 0x5000);
	assert_int_equal(bi.n_e820, 2);
	assert_false(bi.e820_clamped);
	assert_int_equal(bi.e820[0].addr, 0x100000);
	assert_int_equal(bi.e820[0].size, 0x3f00000);
	assert_int_equal(bi.e820[0].type, 1);
	assert_int_equal(bi.e820[1].addr, 0x4000000);
	assert_int_equal(bi.e820[1].type, 2);
	assert_true(bi.cmdline_pa == 0x1289abc000ull);

	bootinfo_copy_cmdline(&bi, cl);
	assert_string_equal(bi.cmdline, cl);
	assert_false(bi.cmdline_truncated);
	bootinfo_copy_cmdline(&bi, NULL);
	assert_string_equal(bi.cmdline, "");
}

static void test_zero_page_limits(void **state)
{
	static uint8_t page[4096];
	static struct bootinfo bi;
	static char longline[BOOTINFO_CMDLINE_MAX + 10];

	memset(page, 0xee, sizeof(page));
	page[0x1e8] = 200;	/* more than the 128 slots */
	bootinfo_read(&bi, (const struct zero_page *)page, 0);
	assert_int_equal(bi.n_e820, BOOTINFO_E820_MAX);
	assert_true(bi.e820_clamped);

	memset(longline, 'x', sizeof(longline) - 1);
	longline[sizeof(longline) - 1] = '\0';
	bootinfo_copy_cmdline(&bi, longline);
	assert_int_equal(strlen(bi.cmdline), BOOTINFO_CMDLINE_MAX - 1);
	assert_true(bi.cmdline_truncated);
	longline[BOOTINFO_CMDLINE_MAX - 1] = '\0';	/* exactly the maximum: not truncated */
	bootinfo_copy_cmdline(&bi, longline);
	assert_int_equal(strlen(bi.cmdline), BOOTINFO_CMDLINE_MAX - 1);
	assert_false(bi.cmdline_truncated);
}

static void test_ram_from_e820(void **state)
{
	const struct e820_entry e[] = {
		{ 0x4000000, 0x1000, 2 },		/* reserved: dropped */
		{ 0x900000, 0x300000, 1 },		/* touches the next one: merged */
		{ 0x100000, 0x700000, 1 },
		{ 0xc00000, 0x3500000, 1 },
		{ 0x1800, 0x3000, 1 },			/* trimmed inward to 0x2000-0x4000 */
		{ 0x5000, 0x800, 1 },			/* less than a page: dropped */
		{ 0x200000, 0x1000, 1 },		/* inside another: merged */
		{ 0x7000000, 0, 1 },			/* empty */
		/* Runs past 2^64: clamped to the top, whose last page [end, 2^64) a half-open
		 * range cannot hold, so nothing is left. */
		{ UINT64_MAX - 0xfff, 0x10000, 1 },
		{ 0xfffff000000, 0x2000, 1 },
	};
	struct ram_range r[16];
	size_t n = ram_from_e820(e, sizeof(e) / sizeof(e[0]), r);

	assert_int_equal(n, 4);
	assert_int_equal(r[0].base, 0x2000);
	assert_int_equal(r[0].end, 0x4000);
	assert_int_equal(r[1].base, 0x100000);
	assert_int_equal(r[1].end, 0x800000);
	assert_int_equal(r[2].base, 0x900000);
	assert_int_equal(r[2].end, 0x4100000);
	assert_true(r[3].base == 0xfffff000000ull);
	assert_true(r[3].end == 0xfffff002000ull);
}

static void test_ram_contains_total(void **state)
{
	const struct ram_range r[] = { { 0x100000, 0x800000 }, { 0x900000, 0x4100000 } };

	assert_true(ram_contains(r, 2, 0x200000, 0x1000));
	assert_true(ram_contains(r, 2, 0x100000, 0x700000));
	assert_false(ram_contains(r, 2, 0x7ff000, 0x2000));	/* across the hole */
	assert_false(ram_contains(r, 2, 0x800000, 1));
	assert_false(ram_contains(r, 2, 0x200000, 0));
	assert_false(ram_contains(r, 2, UINT64_MAX, 2));
	assert_int_equal(ram_total(r, 2), 0x700000 + 0x3800000);
}

static void test_ram_pick(void **state)
{
	const struct ram_range r[] = { { 0x100000, 0x800000 }, { 0x900000, 0x4100000 } };
	const struct ram_range avoid[] = {
		{ 0x4000000, 0x4001000 },	/* the zero page at the top */
		{ 0x3f00000, 0x3f01000 },	/* and something just below it */
		{ 0x200000, 0x264000 },		/* the image */
	};
	uint64_t base = 0;

	assert_int_equal(ram_pick(r, 2, 1 << 20, 1 << 20, NULL, 0, &base), 0);
	assert_int_equal(base, 0x4000000);
	/* Slides below both avoided pages. */
	assert_int_equal(ram_pick(r, 2, 1 << 20, 1 << 20, avoid, 3, &base), 0);
	assert_int_equal(base, 0x3e00000);
	/* Size rounded to pages. */
	assert_int_equal(ram_pick(r, 2, 1, 0, NULL, 0, &base), 0);
	assert_int_equal(base, 0x40ff000);
	/* Too big for the high range: the low one is too small as well. */
	assert_int_equal(ram_pick(r, 2, 0x3800001, 0, NULL, 0, &base), -ENOSPC);
	/* Exactly the high range. */
	assert_int_equal(ram_pick(r, 2, 0x3800000, 0, NULL, 0, &base), 0);
	assert_int_equal(base, 0x900000);
	/* The low range alone: its top, the image is further down. */
	assert_int_equal(ram_pick(r, 1, 0x100000, 0x100000, &avoid[2], 1, &base), 0);
	assert_int_equal(base, 0x700000);
	const struct ram_range low[] = { { 0x100000, 0x300000 } };
	assert_int_equal(ram_pick(low, 1, 0x100000, 0, &avoid[2], 1, &base), 0);
	assert_int_equal(base, 0x100000);
	assert_int_equal(ram_pick(low, 1, 0x100001, 0, &avoid[2], 1, &base), -ENOSPC);
	/* min inside a range. */
	assert_int_equal(ram_pick(low, 1, 0x1000, 0x2ff000, NULL, 0, &base), 0);
	assert_int_equal(base, 0x2ff000);
	assert_int_equal(ram_pick(low, 1, 0x1000, 0x2ff001, NULL, 0, &base), -ENOSPC);
	assert_int_equal(ram_pick(r, 2, 0, 0, NULL, 0, &base), -ENOSPC);
	assert_int_equal(ram_pick(NULL, 0, 0x1000, 0, NULL, 0, &base), -ENOSPC);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_zero_page_offsets),
		cmocka_unit_test(test_zero_page_limits),
		cmocka_unit_test(test_ram_from_e820),
		cmocka_unit_test(test_ram_contains_total),
		cmocka_unit_test(test_ram_pick),
	};
	return cmocka_run_group_tests_name("guest_memory", tests, NULL, NULL);
}
