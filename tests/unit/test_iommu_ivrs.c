// SPDX-License-Identifier: GPL-2.0-only
/*
 * The IVRS parser and the ACPI walk that finds it: a table laid out as QEMU's amd-iommu
 * builds it (one IOMMU listed as IVHD type 0x10 and again as 0x11), aliases and ranges, and
 * tables whose lengths lie.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "iommu/acpi_find.h"
#include "iommu/ivrs.h"

static uint8_t tbl[512];
static size_t tlen;

static void put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
}

static void put32(uint8_t *p, uint32_t v)
{
	put16(p, (uint16_t)v);
	put16(p + 2, (uint16_t)(v >> 16));
}

static void put64(uint8_t *p, uint64_t v)
{
	put32(p, (uint32_t)v);
	put32(p + 4, (uint32_t)(v >> 32));
}

static void ivrs_start(void)
{
	memset(tbl, 0, sizeof(tbl));
	memcpy(tbl, "IVRS", 4);
	put32(tbl + 36, 0x00203040);
	tlen = IVRS_HEADER_LEN;
}

/* An IVHD of type 0x10 (24-byte header) or 0x11 (40), then the device entries. */
static void ivrs_ivhd(uint8_t type, uint16_t devid, uint64_t base, uint64_t efr,
		      const uint8_t *entries, size_t n)
{
	uint8_t *b = tbl + tlen;
	size_t head = type == 0x10 ? 24 : 40;

	b[0] = type;
	b[1] = 0xb0;
	put16(b + 2, (uint16_t)(head + n));
	put16(b + 4, devid);
	put16(b + 6, 0x40);
	put64(b + 8, base);
	if (head == 40)
		put64(b + 24, efr);
	if (n)
		memcpy(b + head, entries, n);
	tlen += head + n;
}

static void ivrs_end(void)
{
	put32(tbl + 4, (uint32_t)tlen);
}

static void test_ivrs_qemu(void **state)
{
	/* QEMU 7.2: a range over bus 0 (start 00:00.0, end 00:1f.7). */
	static const uint8_t range[] = { 3, 0x00, 0x00, 0, 4, 0xff, 0x00, 0 };
	struct ivrs iv;

	ivrs_start();
	ivrs_ivhd(0x10, 0x0008, 0xfed80000, 0, range, sizeof(range));
	ivrs_ivhd(0x11, 0x0008, 0xfed80000, 0x40, range, sizeof(range));
	ivrs_end();
	assert_int_equal(ivrs_parse(tbl, tlen, &iv), 0);
	assert_int_equal(iv.nr_units, 1);
	assert_int_equal(iv.ivinfo, 0x00203040);
	assert_true(iv.unit[0].base == 0xfed80000);
	assert_int_equal(iv.unit[0].devid, 0x0008);
	assert_int_equal(iv.unit[0].type, 0x11);
	assert_true(iv.unit[0].has_efr);
	assert_true(iv.unit[0].efr == 0x40);
	assert_int_equal(iv.unit[0].max_devid, 0xff);
	assert_int_equal(iv.nr_aliases, 0);
	assert_int_equal(ivrs_alias_of(&iv, 0x80), 0x80);
	/* A buffer shorter than the table says it is. */
	assert_int_equal(ivrs_parse(tbl, tlen - 1, &iv), -EINVAL);
	assert_non_null(strstr(iv.err, "length"));
}

static void test_ivrs_entries(void **state)
{
	/* All, an alias (01:00.0 speaks as 00:1e.0), an alias range, a special (I/O APIC). */
	static const uint8_t ent[] = {
		1, 0, 0, 0,
		0x42, 0x00, 0x01, 0, 0, 0xf0, 0x00, 0,
		0x43, 0x00, 0x02, 0, 0, 0xe8, 0x00, 0,
		4, 0x02, 0x02, 0,
		0x48, 0, 0, 0, 0x21, 0xa0, 0x00, 1,
	};
	struct ivrs iv;

	ivrs_start();
	ivrs_ivhd(0x10, 0x0010, 0xfeb80000, 0, ent, sizeof(ent));
	ivrs_end();
	assert_int_equal(ivrs_parse(tbl, tlen, &iv), 0);
	assert_int_equal(iv.unit[0].max_devid, 0xffff);
	assert_false(iv.unit[0].has_efr);
	assert_int_equal(iv.nr_aliases, 4);
	assert_int_equal(ivrs_alias_of(&iv, 0x0100), 0x00f0);
	assert_int_equal(ivrs_alias_of(&iv, 0x0201), 0x00e8);
	assert_int_equal(ivrs_alias_of(&iv, 0x0203), 0x0203);
	/* The I/O APIC (ID 0x21) whose interrupts carry 00:14.0. */
	assert_int_equal(iv.nr_special, 1);
	assert_int_equal(iv.special[0].variety, IVRS_SPECIAL_IOAPIC);
	assert_int_equal(iv.special[0].handle, 0x21);
	assert_int_equal(iv.special[0].devid, 0x00a0);
}

static void test_ivrs_scope(void **state)
{
	/* Unit 1: 00:02.0, 00:02.1 (adjacent: one range), 01:00.0 as 00:1e.0, range
	 * 02:00.0-02:1f.7, extended 05:00.0; unit 2: range 06:00.0-06:00.7 aliased to 00:1d.0. */
	static const uint8_t one[] = {
		2, 0x10, 0x00, 0,
		2, 0x11, 0x00, 0,
		0x42, 0x00, 0x01, 0, 0, 0xf0, 0x00, 0,
		3, 0x00, 0x02, 0, 4, 0xff, 0x02, 0,
		0x46, 0x00, 0x05, 0, 0, 0, 0, 0,
	};
	static const uint8_t two[] = { 0x43, 0x00, 0x06, 0, 0, 0xe8, 0x00, 0, 4, 0x07, 0x06, 0 };
	uint8_t many[4 * (IVRS_MAX_SCOPE + 1)];
	struct ivrs iv;

	ivrs_start();
	ivrs_ivhd(0x11, 0x0008, 0xfed80000, 0, one, sizeof(one));
	ivrs_ivhd(0x11, 0x0009, 0xfed90000, 0, two, sizeof(two));
	ivrs_end();
	assert_int_equal(ivrs_parse(tbl, tlen, &iv), 0);
	assert_int_equal(iv.unit[0].nr_scope, 5);
	assert_ptr_equal(ivrs_unit_of(&iv, 0x0010), &iv.unit[0]);
	assert_ptr_equal(ivrs_unit_of(&iv, 0x0011), &iv.unit[0]);
	assert_null(ivrs_unit_of(&iv, 0x0012));
	assert_ptr_equal(ivrs_unit_of(&iv, 0x0100), &iv.unit[0]);
	assert_ptr_equal(ivrs_unit_of(&iv, 0x00f0), &iv.unit[0]);
	assert_null(ivrs_unit_of(&iv, 0x0101));
	assert_ptr_equal(ivrs_unit_of(&iv, 0x0200), &iv.unit[0]);
	assert_ptr_equal(ivrs_unit_of(&iv, 0x02ff), &iv.unit[0]);
	assert_null(ivrs_unit_of(&iv, 0x0300));
	assert_ptr_equal(ivrs_unit_of(&iv, 0x0500), &iv.unit[0]);
	assert_ptr_equal(ivrs_unit_of(&iv, 0x0607), &iv.unit[1]);
	assert_ptr_equal(ivrs_unit_of(&iv, 0x00e8), &iv.unit[1]);
	assert_null(ivrs_unit_of(&iv, 0x0608));
	/* The IOMMU's own function and the special devices are not DMA scope. */
	assert_null(ivrs_unit_of(&iv, 0x0008));
	/* More separate functions than a unit records: refused, not cut short. */
	for (size_t i = 0; i <= IVRS_MAX_SCOPE; i++) {
		many[4 * i] = 2;
		put16(many + 4 * i + 1, (uint16_t)(2 * i));
		many[4 * i + 3] = 0;
	}
	ivrs_start();
	ivrs_ivhd(0x11, 0x0008, 0xfed80000, 0, many, sizeof(many) - 4);
	ivrs_end();
	assert_int_equal(ivrs_parse(tbl, tlen, &iv), 0);
	assert_int_equal(iv.unit[0].nr_scope, IVRS_MAX_SCOPE);
	ivrs_start();
	ivrs_ivhd(0x11, 0x0008, 0xfed80000, 0, many, sizeof(many));
	ivrs_end();
	assert_int_equal(ivrs_parse(tbl, tlen, &iv), -E2BIG);
	assert_non_null(strstr(iv.err, "device ranges"));
}

static void test_ivrs_broken(void **state)
{
	static const uint8_t unended[] = { 3, 0x00, 0x00, 0 };
	static const uint8_t backwards[] = { 3, 0x10, 0x00, 0, 4, 0x08, 0x00, 0 };
	static const uint8_t cut[] = { 0x42, 0x00, 0x01, 0 };
	static const uint8_t hid[] = { 0xf0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
				       0, 0, 0, 0, 0, 200 };
	struct ivrs iv;

	ivrs_start();
	ivrs_ivhd(0x10, 0x0008, 0xfed80000, 0, unended, sizeof(unended));
	ivrs_end();
	assert_int_equal(ivrs_parse(tbl, tlen, &iv), -EINVAL);
	ivrs_start();
	ivrs_ivhd(0x10, 0x0008, 0xfed80000, 0, backwards, sizeof(backwards));
	ivrs_end();
	assert_int_equal(ivrs_parse(tbl, tlen, &iv), -EINVAL);
	ivrs_start();
	ivrs_ivhd(0x10, 0x0008, 0xfed80000, 0, cut, sizeof(cut));
	ivrs_end();
	assert_int_equal(ivrs_parse(tbl, tlen, &iv), -EINVAL);
	assert_non_null(strstr(iv.err, "truncated"));
	ivrs_start();
	ivrs_ivhd(0x11, 0x0008, 0xfed80000, 0, hid, sizeof(hid));
	ivrs_end();
	assert_int_equal(ivrs_parse(tbl, tlen, &iv), -EINVAL);
	/* A misaligned register base, no IVHD at all, and a block running past the end. */
	ivrs_start();
	ivrs_ivhd(0x10, 0x0008, 0xfed81000, 0, NULL, 0);
	ivrs_end();
	assert_int_equal(ivrs_parse(tbl, tlen, &iv), -EINVAL);
	ivrs_start();
	ivrs_end();
	assert_int_equal(ivrs_parse(tbl, tlen, &iv), -EINVAL);
	assert_non_null(strstr(iv.err, "no IOMMU"));
	ivrs_start();
	ivrs_ivhd(0x10, 0x0008, 0xfed80000, 0, NULL, 0);
	put16(tbl + IVRS_HEADER_LEN + 2, 200);
	ivrs_end();
	assert_int_equal(ivrs_parse(tbl, tlen, &iv), -EINVAL);
	/* Too many units. */
	ivrs_start();
	for (unsigned i = 0; i <= IVRS_MAX_UNITS; i++)
		ivrs_ivhd(0x10, (uint16_t)i, 0xfe000000 + i * 0x4000ULL, 0, NULL, 0);
	ivrs_end();
	assert_int_equal(ivrs_parse(tbl, tlen, &iv), -E2BIG);
}

/* Physical memory for the ACPI walk: [0x1000, 0x1000 + sizeof(mem)). */
static uint8_t mem[4096];

static const void *mem_map(void *ctx, uint64_t pa, size_t len)
{
	if (pa < 0x1000 || pa - 0x1000 > sizeof(mem) || len > sizeof(mem) - (pa - 0x1000))
		return NULL;
	return mem + (pa - 0x1000);
}

static void sdt(uint64_t pa, const char *sig, uint32_t len)
{
	memcpy(mem + pa - 0x1000, sig, 4);
	put32(mem + pa - 0x1000 + 4, len);
}

static void test_acpi_find(void **state)
{
	uint64_t pa;
	uint32_t len;

	memset(mem, 0, sizeof(mem));
	memcpy(mem, "RSD PTR ", 8);
	mem[15] = 2;
	put64(mem + 24, 0x1100);		/* XSDT */
	sdt(0x1100, "XSDT", 36 + 3 * 8);
	put64(mem + 0x100 + 36, 0x1200);
	put64(mem + 0x100 + 44, 0x9999000);	/* unreadable: skipped */
	put64(mem + 0x100 + 52, 0x1300);
	sdt(0x1200, "APIC", 44);
	sdt(0x1300, "IVRS", 48);
	assert_int_equal(acpi_find_table(0x1000, "IVRS", mem_map, NULL, &pa, &len), 0);
	assert_true(pa == 0x1300);
	assert_int_equal(len, 48);
	assert_int_equal(acpi_find_table(0x1000, "DMAR", mem_map, NULL, &pa, &len), -ENOENT);
	/* ACPI 1.0: the RSDT's 32-bit entries. */
	mem[15] = 0;
	put32(mem + 16, 0x1400);
	sdt(0x1400, "RSDT", 36 + 4);
	put32(mem + 0x400 + 36, 0x1300);
	assert_int_equal(acpi_find_table(0x1000, "IVRS", mem_map, NULL, &pa, &len), 0);
	/* A table claiming to run past the memory, a bad signature, no RSDP. */
	sdt(0x1300, "IVRS", 0x100000);
	assert_int_equal(acpi_find_table(0x1000, "IVRS", mem_map, NULL, &pa, &len), -ENOENT);
	memcpy(mem, "RSD PTX ", 8);
	assert_int_equal(acpi_find_table(0x1000, "IVRS", mem_map, NULL, &pa, &len), -EINVAL);
	assert_int_equal(acpi_find_table(0, "IVRS", mem_map, NULL, &pa, &len), -EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ivrs_qemu),
		cmocka_unit_test(test_ivrs_entries),
		cmocka_unit_test(test_ivrs_scope),
		cmocka_unit_test(test_ivrs_broken),
		cmocka_unit_test(test_acpi_find),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
