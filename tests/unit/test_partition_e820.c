// SPDX-License-Identifier: GPL-2.0-only
/* Per-guest e820 tables. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "partition/e820.h"

#define KiB (1ULL << 10)
#define MiB (1ULL << 20)
#define GiB (1ULL << 30)

static struct partition_plan plan;
static struct e820_table t;

static void build(struct memmap_entry *e, size_t n, bool foreign)
{
	static struct memmap map;
	struct partition_request req;

	map = (struct memmap){ .entries = e, .count = n, .capacity = n };
	memset(&req, 0, sizeof(req));
	req.guest[0].present = req.guest[1].present = true;
	req.guest[1].placement = PARTITION_PLACE_LOW;
	req.guest[0].e820_foreign_reserved = foreign;
	assert_int_equal(partition_plan_init(&plan, &map), 0);
	assert_int_equal(partition_reserve_fixed(&plan, 500 * MiB, 2 * MiB, "image"), 0);
	assert_int_equal(partition_plan_build(&plan, &req), 0);
}

static void assert_entry(uint32_t i, uint64_t addr, uint64_t end, uint32_t type)
{
	assert_true(i < t.nr);
	assert_int_equal(t.entry[i].addr, addr);
	assert_int_equal(t.entry[i].addr + t.entry[i].size, end);
	assert_int_equal(t.entry[i].type, type);
}

/* Sorted, no overlaps, same-typed neighbours merged, no RAM outside the guest's. */
static void assert_well_formed(unsigned g)
{
	assert_true(t.nr <= E820_MAX_ENTRIES);
	for (uint32_t i = 0; i < t.nr; i++) {
		assert_true(t.entry[i].size > 0);
		if (i) {
			uint64_t prev_end = t.entry[i - 1].addr + t.entry[i - 1].size;

			assert_true(prev_end <= t.entry[i].addr);
			assert_false(prev_end == t.entry[i].addr &&
				     t.entry[i - 1].type == t.entry[i].type);
		}
		if (t.entry[i].type == E820_RAM)
			for (uint64_t a = t.entry[i].addr; a < t.entry[i].addr + t.entry[i].size;
			     a += 4 * KiB)
				assert_int_equal(partition_page_owner(&plan, a), (int)g);
	}
}

/* The RAM entries are exactly the guest's RAM ranges. */
static void assert_ram_matches(unsigned g)
{
	size_t k = 0;

	for (uint32_t i = 0; i < t.nr; i++) {
		if (t.entry[i].type != E820_RAM)
			continue;
		assert_true(k < plan.guest[g].nr_ram);
		assert_int_equal(t.entry[i].addr, plan.guest[g].ram[k].base);
		assert_int_equal(t.entry[i].addr + t.entry[i].size, plan.guest[g].ram[k].end);
		k++;
	}
	assert_int_equal(k, plan.guest[g].nr_ram);
}

static void test_e820_ram_and_firmware_ranges(void **state)
{
	struct memmap_entry e[] = {
		{ 0, 0xa0000, MEMMAP_USABLE, 7 },
		{ 0xa0000, 0x60000, MEMMAP_RESERVED, 0 },
		{ 1 * MiB, 1 * GiB - 1 * MiB, MEMMAP_USABLE, 7 },
		{ 0x3ff00000, 0x80000, MEMMAP_ACPI, 9 },	/* inside the RAM entry: wins */
		{ 0x3ff80000, 0x80000, MEMMAP_NVS, 10 },
		{ 0xb0000000, 256 * MiB, MEMMAP_RESERVED, 0 },
		{ 0xfec00000, 0x1000, MEMMAP_MMIO, 11 },
		{ 0xffc00000, 4 * MiB, MEMMAP_MMIO, 11 },
		{ 0x100000000, 1 * GiB, MEMMAP_PERSISTENT, 14 },
	};

	build(e, 9, false);
	assert_int_equal(partition_build_e820(&plan, 1, &t), 0);
	assert_well_formed(1);
	/* b: its half below 640K, legacy window, its RAM from 1M; no a, no monitor. */
	assert_entry(0, 0x1000, 0x1000 + 80 * 4 * KiB, E820_RAM);
	assert_entry(1, 0xa0000, 0x100000, E820_RESERVED);
	assert_entry(2, 1 * MiB, plan.guest[1].ram[1].end, E820_RAM);
	assert_entry(3, plan.guest[1].ram[2].base, plan.guest[1].ram[2].end, E820_RAM);
	assert_entry(4, 0x3ff00000, 0x3ff80000, E820_ACPI);
	assert_entry(5, 0x3ff80000, 0x40000000, E820_NVS);
	assert_entry(6, 0xb0000000, 0xc0000000, E820_RESERVED);
	assert_entry(7, 0xfec00000, 0xfec01000, E820_RESERVED);
	/* Flash MMIO and persistent memory touch: one reserved entry. */
	assert_entry(8, 0xffc00000, 0x140000000, E820_RESERVED);
	assert_int_equal(t.nr, 9);

	assert_ram_matches(1);
	/* b got the image's hole: its RAM is in two pieces around it. */
	assert_int_equal(plan.guest[1].ram[1].end, 500 * MiB);
	assert_int_equal(plan.guest[1].ram[2].base, 502 * MiB);

	assert_int_equal(partition_build_e820(&plan, 0, &t), 0);
	assert_well_formed(0);
	assert_ram_matches(0);
	assert_entry(0, 0x1000 + 80 * 4 * KiB, 0xa0000, E820_RAM);
	assert_entry(1, 0xa0000, 0x100000, E820_RESERVED);
	assert_entry(2, plan.guest[0].ram[1].base, 0x3ff00000, E820_RAM);
	assert_entry(3, 0x3ff00000, 0x3ff80000, E820_ACPI);
	assert_true(partition_build_e820(&plan, 5, &t) < 0);
}

static void test_e820_overlapping_firmware_precedence(void **state)
{
	struct memmap_entry e[] = {
		{ 1 * MiB, 63 * MiB, MEMMAP_USABLE, 7 },
		{ 0x80000000, 0x10000, MEMMAP_ACPI, 9 },
		{ 0x80008000, 0x10000, MEMMAP_RESERVED, 0 },	/* reserved beats ACPI */
		{ 0x80010000, 0x8000, MEMMAP_NVS, 10 },		/* NVS beats reserved */
		{ 0x80014000, 0x1000, MEMMAP_UNUSABLE, 8 },	/* unusable beats all */
		{ 0x90000000, 0x1000, MEMMAP_ACPI, 9 },
		{ 0x90001000, 0x1000, MEMMAP_ACPI, 9 },		/* adjacent: merged */
		{ 0x90000800, 0x100, MEMMAP_ACPI, 9 },		/* inside: nothing new */
	};

	build(e, 8, false);
	assert_int_equal(partition_build_e820(&plan, 0, &t), 0);
	assert_well_formed(0);
	uint32_t i = 0;

	while (i < t.nr && t.entry[i].addr < 0x80000000)
		i++;
	assert_entry(i++, 0x80000000, 0x80008000, E820_ACPI);
	assert_entry(i++, 0x80008000, 0x80010000, E820_RESERVED);
	assert_entry(i++, 0x80010000, 0x80014000, E820_NVS);
	assert_entry(i++, 0x80014000, 0x80015000, E820_UNUSABLE);
	assert_entry(i++, 0x80015000, 0x80018000, E820_NVS);
	assert_entry(i++, 0x90000000, 0x90002000, E820_ACPI);
	assert_int_equal(i, t.nr);
}

static void test_e820_foreign_reserved(void **state)
{
	struct memmap_entry e[] = { { 1 * MiB, 1023 * MiB, MEMMAP_USABLE, 7 } };

	build(e, 1, true);
	assert_int_equal(partition_build_e820(&plan, 0, &t), 0);
	assert_well_formed(0);
	assert_ram_matches(0);
	/* b's RAM and the monitor's image fill the holes as reserved: no gap from 1M to 1G. */
	assert_entry(0, 1 * MiB, plan.guest[0].ram[0].base, E820_RESERVED);
	assert_entry(1, plan.guest[0].ram[0].base, 1 * GiB, E820_RAM);
	assert_int_equal(t.nr, 2);
	assert_int_equal(partition_build_e820(&plan, 1, &t), 0);
	assert_well_formed(1);
	assert_ram_matches(1);
	for (uint32_t i = 0; i < t.nr; i++)	/* b did not ask: only its RAM */
		assert_int_equal(t.entry[i].type, E820_RAM);
}

static void test_e820_too_many_ranges(void **state)
{
	enum { N = 400 };
	static struct memmap_entry e[N + 1];

	e[0] = (struct memmap_entry){ 1 * MiB, 1023 * MiB, MEMMAP_USABLE, 7 };
	for (size_t i = 1; i <= N; i++)
		e[i] = (struct memmap_entry){ 2 * GiB + i * 8 * KiB, 4 * KiB, MEMMAP_RESERVED, 0 };
	/* Reserved ranges swallow the gaps between them rather than overflow. */
	build(e, N + 1, false);
	assert_int_equal(partition_build_e820(&plan, 0, &t), 0);
	assert_well_formed(0);
	assert_true(t.nr <= E820_MAX_ENTRIES);
	for (size_t i = 1; i <= N; i++) {
		bool covered = false;

		for (uint32_t k = 0; k < t.nr; k++)
			covered |= t.entry[k].type == E820_RESERVED && t.entry[k].addr <= e[i].base &&
				   t.entry[k].addr + t.entry[k].size >= e[i].base + e[i].size;
		assert_true(covered);
	}
	/* ACPI ranges cannot be stretched: too many of them is an error. */
	for (size_t i = 1; i <= N; i++)
		e[i].type = MEMMAP_ACPI;
	build(e, N + 1, false);
	assert_int_equal(partition_build_e820(&plan, 0, &t), -E2BIG);
	assert_string_equal(partition_error(&plan),
			    "partition: guest a: e820 needs more than 128 entries");
}

static void test_e820_layout_and_names(void **state)
{
	assert_int_equal(sizeof(struct e820_entry), 20);
	assert_int_equal(offsetof(struct e820_entry, type), 16);
	assert_int_equal(e820_type_of(MEMMAP_USABLE), E820_RAM);
	assert_int_equal(e820_type_of(MEMMAP_MMIO), E820_RESERVED);
	assert_int_equal(e820_type_of(MEMMAP_PERSISTENT), E820_RESERVED);
	assert_int_equal(e820_type_of(999), E820_RESERVED);
	assert_int_equal(e820_type_of(MEMMAP_NVS), E820_NVS);
	assert_string_equal(e820_type_name(E820_ACPI), "acpi");
	assert_string_equal(e820_type_name(42), "?");
}

static void test_e820_back_to_memmap(void **state)
{
	struct e820_table tab = { .nr = 4 };
	struct memmap_entry m[4];

	tab.entry[0] = (struct e820_entry){ 0x1000, 0x9e000, E820_RAM };
	tab.entry[1] = (struct e820_entry){ 0xf0000, 0x10000, E820_RESERVED };
	tab.entry[2] = (struct e820_entry){ 0x100000, 0x1ff00000, E820_RAM };
	tab.entry[3] = (struct e820_entry){ 0x3ff78000, 0x88000, E820_NVS };
	/* Room for three: the fourth is not written. */
	assert_int_equal(e820_to_memmap(&tab, m, 3), 3);
	assert_int_equal(e820_to_memmap(&tab, m, 4), 4);
	assert_int_equal(m[0].base, 0x1000);
	assert_int_equal(m[0].size, 0x9e000);
	assert_int_equal(m[0].type, MEMMAP_USABLE);
	assert_int_equal(m[1].type, MEMMAP_RESERVED);
	assert_int_equal(m[2].base, 0x100000);
	assert_int_equal(m[2].type, MEMMAP_USABLE);
	assert_int_equal(m[3].type, MEMMAP_NVS);
	for (uint32_t ty = E820_RAM; ty <= E820_UNUSABLE; ty++)
		assert_int_equal(e820_type_of(e820_memmap_type(ty)), ty);
	assert_int_equal(e820_memmap_type(77), MEMMAP_RESERVED);
}

static void test_e820_carve_top(void **state)
{
	struct e820_table tab = { .nr = 4 };
	uint64_t base = 0;

	tab.entry[0] = (struct e820_entry){ 0x1000, 0x9f000, E820_RAM };
	tab.entry[1] = (struct e820_entry){ 0x100000, 0x3f00000, E820_RAM };
	tab.entry[2] = (struct e820_entry){ 0x3f000000, 0x2000, E820_RAM };	/* too small */
	tab.entry[3] = (struct e820_entry){ 0x3ff78000, 0x88000, E820_NVS };
	assert_int_equal(e820_carve_top(&tab, 0x3000, &base), 0);
	assert_int_equal(base, 0x4000000 - 0x3000);
	assert_int_equal(tab.nr, 5);
	assert_int_equal(tab.entry[1].size, 0x3f00000 - 0x3000);
	assert_int_equal(tab.entry[2].addr, base);
	assert_int_equal(tab.entry[2].size, 0x3000);
	assert_int_equal(tab.entry[2].type, E820_RESERVED);
	assert_int_equal(tab.entry[3].addr, 0x3f000000);
	assert_int_equal(tab.entry[4].type, E820_NVS);
	/* The two-page entry is the highest but cannot hold three pages; exactly two empties it. */
	assert_int_equal(e820_carve_top(&tab, 0x2000, &base), 0);
	assert_int_equal(base, 0x3f000000);
	assert_int_equal(tab.nr, 5);
	assert_int_equal(tab.entry[3].addr, 0x3f000000);
	assert_int_equal(tab.entry[3].type, E820_RESERVED);
	/* Below 1 MiB never counts; nothing this large anywhere. */
	assert_int_equal(e820_carve_top(&tab, 0x8000000, &base), -ENOSPC);
	assert_int_equal(e820_carve_top(&tab, 0x1800, &base), -EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_e820_ram_and_firmware_ranges),
		cmocka_unit_test(test_e820_overlapping_firmware_precedence),
		cmocka_unit_test(test_e820_foreign_reserved),
		cmocka_unit_test(test_e820_too_many_ranges),
		cmocka_unit_test(test_e820_layout_and_names),
		cmocka_unit_test(test_e820_back_to_memmap),
		cmocka_unit_test(test_e820_carve_top),
	};
	return cmocka_run_group_tests_name("partition_e820", tests, NULL, NULL);
}
