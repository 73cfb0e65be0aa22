// SPDX-License-Identifier: GPL-2.0-only
/*
 * The host's ECAM window from the firmware's tables: a small physical memory image holds an
 * RSDP, an XSDT or RSDT and an MCFG; each case breaks one thing the parser must check.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "partition/acpi_mcfg.h"

#define MEM_BASE	0xe0000ull
#define MEM_SIZE	0x1000
#define RSDP_OFF	0x000
#define SDT_OFF		0x100
#define FACP_OFF	0x200
#define MCFG_OFF	0x300

static uint8_t mem[MEM_SIZE];

static const void *map(void *ctx, uint64_t pa, uint64_t len)
{
	if (pa < MEM_BASE || pa - MEM_BASE > MEM_SIZE || len > MEM_SIZE - (pa - MEM_BASE))
		return NULL;
	return mem + (pa - MEM_BASE);
}

static void put32(uint8_t *p, uint32_t v)
{
	memcpy(p, &v, 4);
}

static void put64(uint8_t *p, uint64_t v)
{
	memcpy(p, &v, 8);
}

static void seal(uint8_t *p, size_t len, size_t at)
{
	uint8_t s = 0;

	p[at] = 0;
	for (size_t i = 0; i < len; i++)
		s = (uint8_t)(s + p[i]);
	p[at] = (uint8_t)-s;
}

static void header(uint8_t *p, const char *sig, uint32_t len)
{
	memcpy(p, sig, 4);
	put32(p + 4, len);
	p[8] = 1;
}

/* MCFG with a segment 1 entry first, then segment 0 at base, buses start..end. */
static void build(int rev, uint64_t base, uint8_t start, uint8_t end)
{
	uint8_t *r = mem + RSDP_OFF, *s = mem + SDT_OFF, *m = mem + MCFG_OFF;
	size_t w = rev >= 2 ? 8 : 4;

	memset(mem, 0, sizeof(mem));
	memcpy(r, "RSD PTR ", 8);
	r[15] = (uint8_t)rev;
	put32(r + 16, (uint32_t)(MEM_BASE + SDT_OFF));
	if (rev >= 2) {
		put32(r + 20, 36);
		put64(r + 24, MEM_BASE + SDT_OFF);
		put32(r + 16, 0);
	}
	seal(r, 20, 8);
	if (rev >= 2)
		seal(r, 36, 32);

	header(s, w == 8 ? "XSDT" : "RSDT", (uint32_t)(36 + 2 * w));
	if (w == 8) {
		put64(s + 36, MEM_BASE + FACP_OFF);
		put64(s + 44, MEM_BASE + MCFG_OFF);
	} else {
		put32(s + 36, (uint32_t)(MEM_BASE + FACP_OFF));
		put32(s + 40, (uint32_t)(MEM_BASE + MCFG_OFF));
	}
	seal(s, 36 + 2 * w, 9);
	header(mem + FACP_OFF, "FACP", 36);
	seal(mem + FACP_OFF, 36, 9);

	header(m, "MCFG", 44 + 32);
	put64(m + 44, 0xc0000000ull);
	m[44 + 8] = 1;			/* segment 1 */
	m[44 + 11] = 0xff;
	put64(m + 60, base);
	m[60 + 10] = start;
	m[60 + 11] = end;
	seal(m, 76, 9);
}

static void test_xsdt_segment0(void **state)
{
	struct acpi_ecam e = { 0 };

	build(2, 0xb0000000ull, 0, 0xff);
	assert_int_equal(acpi_mcfg_find(map, NULL, MEM_BASE + RSDP_OFF, &e), 0);
	assert_int_equal(e.base, 0xb0000000ull);
	assert_int_equal(e.bus_start, 0);
	assert_int_equal(e.bus_end, 0xff);
}

static void test_rsdt(void **state)
{
	struct acpi_ecam e = { 0 };

	build(0, 0xe0000000ull, 0, 0x3f);
	assert_int_equal(acpi_mcfg_find(map, NULL, MEM_BASE + RSDP_OFF, &e), 0);
	assert_int_equal(e.base, 0xe0000000ull);
	assert_int_equal(e.bus_end, 0x3f);
}

static void test_checksums(void **state)
{
	struct acpi_ecam e = { 0 };

	build(2, 0xb0000000ull, 0, 0xff);
	mem[MCFG_OFF + 50]++;		/* MCFG's checksum breaks */
	assert_int_equal(acpi_mcfg_find(map, NULL, MEM_BASE + RSDP_OFF, &e), -EINVAL);
	build(2, 0xb0000000ull, 0, 0xff);
	mem[SDT_OFF + 20]++;
	assert_int_equal(acpi_mcfg_find(map, NULL, MEM_BASE + RSDP_OFF, &e), -EINVAL);
	build(2, 0xb0000000ull, 0, 0xff);
	mem[RSDP_OFF + 9]++;
	assert_int_equal(acpi_mcfg_find(map, NULL, MEM_BASE + RSDP_OFF, &e), -EINVAL);
	assert_int_equal(e.base, 0);
}

static void test_bad_entries(void **state)
{
	struct acpi_ecam e = { 0 };

	build(2, 0xb0080000ull, 0, 0xff);	/* not 1 MiB aligned */
	assert_int_equal(acpi_mcfg_find(map, NULL, MEM_BASE + RSDP_OFF, &e), -EINVAL);
	build(2, 0xb0000000ull, 5, 4);		/* start after end */
	assert_int_equal(acpi_mcfg_find(map, NULL, MEM_BASE + RSDP_OFF, &e), -EINVAL);
	build(2, 0xfffffffff0000000ull, 0, 0xff);	/* wraps */
	assert_int_equal(acpi_mcfg_find(map, NULL, MEM_BASE + RSDP_OFF, &e), -EINVAL);
	build(2, 0, 0, 0xff);
	assert_int_equal(acpi_mcfg_find(map, NULL, MEM_BASE + RSDP_OFF, &e), -EINVAL);
}

static void test_missing(void **state)
{
	struct acpi_ecam e = { 0 };

	build(2, 0xb0000000ull, 0, 0xff);
	mem[MCFG_OFF + 60 + 8] = 2;		/* only segments 1 and 2 */
	seal(mem + MCFG_OFF, 76, 9);
	assert_int_equal(acpi_mcfg_find(map, NULL, MEM_BASE + RSDP_OFF, &e), -ENOENT);
	build(2, 0xb0000000ull, 0, 0xff);
	memcpy(mem + MCFG_OFF, "HPET", 4);	/* no MCFG at all */
	assert_int_equal(acpi_mcfg_find(map, NULL, MEM_BASE + RSDP_OFF, &e), -ENOENT);
	build(2, 0xb0000000ull, 0, 0xff);
	put32(mem + MCFG_OFF + 4, 0x2000);	/* longer than the memory that can be read */
	assert_int_equal(acpi_mcfg_find(map, NULL, MEM_BASE + RSDP_OFF, &e), -EFAULT);
	assert_int_equal(acpi_mcfg_find(map, NULL, 0x1000, &e), -EFAULT);
	assert_int_equal(e.base, 0);
}

static void test_parse_lengths(void **state)
{
	struct acpi_ecam e = { 0 };

	build(2, 0xb0000000ull, 0, 0xff);
	/* The buffer is shorter than the table says. */
	assert_int_equal(acpi_mcfg_parse(mem + MCFG_OFF, 60, &e), -EINVAL);
	assert_int_equal(acpi_mcfg_parse(mem + MCFG_OFF, 76, &e), 0);
	assert_int_equal(acpi_mcfg_parse(mem + MCFG_OFF, 43, &e), -EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_xsdt_segment0), cmocka_unit_test(test_rsdt),
		cmocka_unit_test(test_checksums),     cmocka_unit_test(test_bad_entries),
		cmocka_unit_test(test_missing),       cmocka_unit_test(test_parse_lengths),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
