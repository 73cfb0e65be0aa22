// SPDX-License-Identifier: GPL-2.0-only
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "partition/memmap.h"
#include "partition/memmap_efi.h"

#define MiB (1ULL << 20)

static void summarize(struct memmap_entry *e, size_t n, struct memmap_summary *s)
{
	struct memmap map = { .entries = e, .count = n, .capacity = n };
	struct memmap_entry scratch[16];
	assert_true(n <= 16);
	assert_int_equal(memmap_summarize(&map, scratch, s), 0);
}

static void test_memmap_summary_merges_adjacent(void **state)
{
	struct memmap_entry e[] = {
		{ 0x100000, 7 * MiB, MEMMAP_USABLE, 7 },
		{ 0, 0xa0000, MEMMAP_USABLE, 7 },
		{ 0x800000, 8 * MiB, MEMMAP_USABLE, 4 }, /* adjacent to the first */
		{ 0xa0000, 0x60000, MEMMAP_RESERVED, 0 },
		{ 0x10000000, 2 * MiB, MEMMAP_ACPI, 9 },
	};
	struct memmap_summary s;
	summarize(e, 5, &s);
	assert_int_equal(s.usable_bytes, 0xa0000 + 15 * MiB);
	assert_int_equal(s.largest_base, 0x100000);
	assert_int_equal(s.largest_size, 15 * MiB);
	assert_int_equal(s.usable_ranges, 2);
	assert_int_equal(s.highest_usable_end, 16 * MiB);
}

static void test_memmap_summary_overlap_counted_once(void **state)
{
	struct memmap_entry e[] = {
		{ 0x200000, 4 * MiB, MEMMAP_USABLE, 7 },
		{ 0x300000, 1 * MiB, MEMMAP_USABLE, 7 }, /* inside the first */
		{ 0x500000, 2 * MiB, MEMMAP_USABLE, 7 }, /* straddles its end */
		{ 0x900000, 0, MEMMAP_USABLE, 7 },	 /* zero length: ignored */
	};
	struct memmap_summary s;
	summarize(e, 4, &s);
	assert_int_equal(s.usable_bytes, 5 * MiB);
	assert_int_equal(s.usable_ranges, 1);
	assert_int_equal(s.largest_size, 5 * MiB);
}

static void test_memmap_summary_top_of_address_space(void **state)
{
	struct memmap_entry e[] = {
		{ UINT64_MAX - 0xfff, 0x10000, MEMMAP_USABLE, 7 }, /* would wrap */
	};
	struct memmap_summary s;
	summarize(e, 1, &s);
	assert_int_equal(s.highest_usable_end, UINT64_MAX);
	assert_int_equal(s.usable_bytes, 0xfff);
}

static void test_memmap_summary_empty_and_invalid(void **state)
{
	struct memmap map = { 0 };
	struct memmap_summary s;
	assert_int_equal(memmap_summarize(&map, NULL, &s), 0);
	assert_int_equal(s.usable_bytes, 0);
	assert_int_equal(s.usable_ranges, 0);
	assert_true(memmap_summarize(NULL, NULL, &s) < 0);
}

static void test_memmap_type_names(void **state)
{
	assert_string_equal(memmap_type_name(MEMMAP_USABLE), "usable");
	assert_string_equal(memmap_type_name(MEMMAP_NVS), "acpi-nvs");
	assert_string_equal(memmap_type_name(0), "unknown");
	assert_string_equal(memmap_type_name(999), "unknown");
}

static void test_memmap_efi_classification(void **state)
{
	/* Free once boot services are gone: the monitor claims its own pages by range. */
	assert_int_equal(memmap_type_from_efi(EFI_MT_CONVENTIONAL, 0xf), MEMMAP_USABLE);
	assert_int_equal(memmap_type_from_efi(EFI_MT_BS_CODE, 0xf), MEMMAP_USABLE);
	assert_int_equal(memmap_type_from_efi(EFI_MT_BS_DATA, 0xf), MEMMAP_USABLE);
	assert_int_equal(memmap_type_from_efi(EFI_MT_LOADER_DATA, 0xf), MEMMAP_USABLE);
	/* Never guest RAM. */
	assert_int_equal(memmap_type_from_efi(EFI_MT_RT_CODE, 0xf), MEMMAP_RESERVED);
	assert_int_equal(memmap_type_from_efi(EFI_MT_RT_DATA, 0xf), MEMMAP_RESERVED);
	assert_int_equal(memmap_type_from_efi(EFI_MT_RESERVED, 0xf), MEMMAP_RESERVED);
	assert_int_equal(memmap_type_from_efi(EFI_MT_UNACCEPTED, 0xf), MEMMAP_RESERVED);
	assert_int_equal(memmap_type_from_efi(0x80000001u, 0xf), MEMMAP_RESERVED);
	assert_int_equal(memmap_type_from_efi(EFI_MT_ACPI_RECLAIM, 0xf), MEMMAP_ACPI);
	assert_int_equal(memmap_type_from_efi(EFI_MT_ACPI_NVS, 0xf), MEMMAP_NVS);
	assert_int_equal(memmap_type_from_efi(EFI_MT_MMIO, 0xf), MEMMAP_MMIO);
	assert_int_equal(memmap_type_from_efi(EFI_MT_MMIO_PORT, 0xf), MEMMAP_MMIO);
	assert_int_equal(memmap_type_from_efi(EFI_MT_UNUSABLE, 0xf), MEMMAP_UNUSABLE);
	assert_int_equal(memmap_type_from_efi(EFI_MT_PERSISTENT, 0xf), MEMMAP_PERSISTENT);
	/* Runtime or specific-purpose attributes keep any type out of the guests. */
	assert_int_equal(memmap_type_from_efi(EFI_MT_CONVENTIONAL, EFI_MA_RUNTIME | 0xf),
			 MEMMAP_RESERVED);
	assert_int_equal(memmap_type_from_efi(EFI_MT_BS_DATA, EFI_MA_SPECIFIC), MEMMAP_RESERVED);
	assert_int_equal(memmap_type_from_efi(EFI_MT_MMIO, EFI_MA_RUNTIME | 1), MEMMAP_MMIO);
	assert_int_equal(memmap_type_from_efi(EFI_MT_ACPI_NVS, EFI_MA_RUNTIME), MEMMAP_NVS);
	assert_string_equal(memmap_efi_type_name(EFI_MT_BS_DATA), "bs-data");
	assert_string_equal(memmap_efi_type_name(0x70000000u), "oem");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_memmap_summary_merges_adjacent),
		cmocka_unit_test(test_memmap_summary_overlap_counted_once),
		cmocka_unit_test(test_memmap_summary_top_of_address_space),
		cmocka_unit_test(test_memmap_summary_empty_and_invalid),
		cmocka_unit_test(test_memmap_type_names),
		cmocka_unit_test(test_memmap_efi_classification),
	};
	return cmocka_run_group_tests_name("memmap", tests, NULL, NULL);
}
