// SPDX-License-Identifier: GPL-2.0-only
/*
 * A guest's PCI view in its ACPI tables: the MCFG (one segment 0 window at the host's ECAM
 * address) and the DSDT's \_SB.PCI0 with its bus range, one producer window per BAR and a
 * direct-GSI _PRT. The AML is parsed back here byte by byte; with TWINMON_ACPI_DUMP_DIR set
 * the tables are also written as pci-*.dat for tests/cli/acpi-iasl.sh to disassemble.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "partition/acpi.h"

#define GPA_BASE	0x7ffe0000ull
#define BUF_SIZE	8192
#define ECAM		0xb0000000ull

static uint8_t buf[BUF_SIZE];
static const uint16_t com1[] = { 0x3f8 };

static const struct acpi_pci_window windows[] = {
	{ 0xfebf1000, 0x1000, false, false },		/* a 32-bit BAR */
	{ 0xc000, 0x40, true, false },			/* an I/O BAR */
	{ 0x800000000ull, 0x4000, false, true },	/* a prefetchable 64-bit BAR above 4G */
};
static const struct acpi_pci_route routes[] = {
	{ 0x10, 0, 20 },
	{ 0x03, 1, 23 },
};

static uint32_t le(const uint8_t *p, unsigned n)
{
	uint64_t v = 0;

	for (unsigned i = 0; i < n; i++)
		v |= (uint64_t)p[i] << (8 * i);
	return (uint32_t)v;
}

static uint64_t le64(const uint8_t *p)
{
	uint64_t v;

	memcpy(&v, p, 8);
	return v;
}

/* A PkgLength at p: its value (content + its own bytes) and where the content starts. */
static size_t pkglen(const uint8_t *p, const uint8_t **after)
{
	unsigned n = p[0] >> 6;
	size_t v = n ? p[0] & 0xf : p[0] & 0x3f;

	for (unsigned i = 0; i < n; i++)
		v |= (size_t)p[1 + i] << (4 + 8 * i);
	*after = p + 1 + n;
	return v;
}

/* An AML integer at *p (Zero, One, Byte, Word, DWord, QWord), advancing *p. */
static uint64_t aml_int(const uint8_t **p)
{
	const uint8_t *q = *p;

	switch (*q) {
	case 0x00: *p = q + 1; return 0;
	case 0x01: *p = q + 1; return 1;
	case 0x0a: *p = q + 2; return q[1];
	case 0x0b: *p = q + 3; return le(q + 1, 2);
	case 0x0c: *p = q + 5; return le(q + 1, 4);
	case 0x0e: *p = q + 9; return le64(q + 1);
	}
	fail_msg("not an integer: 0x%02x", *q);
	return 0;
}

static const uint8_t *find(const uint8_t *p, size_t len, const char *what, size_t n)
{
	for (size_t i = 0; i + n <= len; i++)
		if (!memcmp(p + i, what, n))
			return p + i;
	fail_msg("%s not found", what);
	return NULL;
}

static struct acpi_layout build(const struct acpi_guest *in)
{
	struct acpi_layout l;
	size_t need = acpi_tables_size(in);

	assert_true(need > 0 && need <= BUF_SIZE);
	memset(buf, 0xcc, sizeof(buf));
	assert_int_equal(acpi_build(in, buf, BUF_SIZE, GPA_BASE, &l), 0);
	assert_int_equal(l.size, need);
	return l;
}

static uint8_t *table(uint64_t gpa)
{
	uint8_t *t = buf + (gpa - GPA_BASE), s = 0;
	uint32_t len = le(t + 4, 4);

	for (uint32_t i = 0; i < len; i++)
		s = (uint8_t)(s + t[i]);
	assert_int_equal(s, 0);
	return t;
}

static void dump(const char *name, const void *p, size_t len)
{
	const char *dir = getenv("TWINMON_ACPI_DUMP_DIR");
	char path[4096];
	FILE *f;

	if (!dir)
		return;
	snprintf(path, sizeof(path), "%s/%s.dat", dir, name);
	f = fopen(path, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(p, 1, len, f), len);
	assert_int_equal(fclose(f), 0);
}

static void test_mcfg_and_xsdt(void **state)
{
	const struct acpi_pci pci = { 2, windows, 3, routes, 2 };
	const struct acpi_guest in = { .uart_ports = com1, .n_uarts = 1, .ioapic = true,
				       .pci = &pci, .ecam_base = ECAM };
	struct acpi_layout l = build(&in);
	uint8_t *xsdt = table(l.xsdt_gpa), *mcfg;

	assert_int_equal(le(xsdt + 4, 4), 36 + 3 * 8);
	assert_int_equal(le64(xsdt + 36 + 16), l.mcfg_gpa);
	mcfg = table(l.mcfg_gpa);
	assert_memory_equal(mcfg, "MCFG", 4);
	assert_int_equal(le(mcfg + 4, 4), 60);
	assert_int_equal(le64(mcfg + 44), ECAM);
	assert_int_equal(le(mcfg + 52, 2), 0);	/* segment */
	assert_int_equal(mcfg[54], 0);		/* buses 0 .. */
	assert_int_equal(mcfg[55], 2);		/* .. bus_end */
	dump("pci-mcfg", mcfg, 60);
	dump("pci-xsdt", xsdt, 60);
}

static void test_pci0_aml(void **state)
{
	const struct acpi_pci pci = { 2, windows, 3, routes, 2 };
	const struct acpi_guest in = { .uart_ports = com1, .n_uarts = 1, .ioapic = true,
				       .pci = &pci };
	struct acpi_layout l = build(&in);
	uint8_t *dsdt = table(l.dsdt_gpa);
	size_t len = le(dsdt + 4, 4);
	const uint8_t *dev, *body, *p, *end;
	size_t n;

	assert_int_equal(l.mcfg_gpa, 0);	/* no ECAM: no MCFG, two XSDT entries */
	assert_int_equal(le(table(l.xsdt_gpa) + 4, 4), 36 + 2 * 8);
	dev = find(dsdt, len, "\x5b\x82", 2);
	dev = find(dev + 2, len - (size_t)(dev + 2 - dsdt), "\x5b\x82", 2);	/* after COM1 */
	n = pkglen(dev + 2, &body);
	end = dev + 2 + n;
	assert_true(end == dsdt + len);		/* PCI0 is the last thing in \_SB */
	assert_memory_equal(body, "PCI0", 4);
	/* _HID PNP0A08, _CID PNP0A03, _SEG/_BBN/_UID Zero. */
	assert_memory_equal(body + 4, "\x08_HID\x0c\x41\xd0\x0a\x08", 10);
	assert_memory_equal(body + 14, "\x08_CID\x0c\x41\xd0\x0a\x03", 10);
	assert_memory_equal(body + 24, "\x08_SEG\x00\x08_BBN\x00\x08_UID\x00", 18);

	/* _CRS: Buffer (PkgLength, size) of descriptors. */
	p = body + 42;
	assert_memory_equal(p, "\x08_CRS\x11", 6);
	n = pkglen(p + 6, &p);
	{
		const uint8_t *bend = p - (p - (body + 48)) + n;
		size_t size = aml_int(&p);
		const uint8_t *r = p;

		assert_true(p + size == bend);
		/* WordBusNumber: producer, min/max fixed, 0..2, length 3. */
		assert_int_equal(r[0], 0x88);
		assert_int_equal(le(r + 1, 2), 13);
		assert_int_equal(r[3], 2);
		assert_int_equal(r[4], 0x0c);
		assert_int_equal(le(r + 8, 2), 0);
		assert_int_equal(le(r + 10, 2), 2);
		assert_int_equal(le(r + 14, 2), 3);
		r += 16;
		/* DWordMemory 0xfebf1000-0xfebf1fff, read/write, not prefetchable. */
		assert_int_equal(r[0], 0x87);
		assert_int_equal(r[3], 0);
		assert_int_equal(r[5], 0x01);
		assert_int_equal(le(r + 10, 4), 0xfebf1000);
		assert_int_equal(le(r + 14, 4), 0xfebf1fff);
		assert_int_equal(le(r + 22, 4), 0x1000);
		r += 26;
		/* WordIO 0xc000-0xc03f, entire range. */
		assert_int_equal(r[0], 0x88);
		assert_int_equal(r[3], 1);
		assert_int_equal(r[5], 0x03);
		assert_int_equal(le(r + 8, 2), 0xc000);
		assert_int_equal(le(r + 10, 2), 0xc03f);
		assert_int_equal(le(r + 14, 2), 0x40);
		r += 16;
		/* QWordMemory above 4G, prefetchable. */
		assert_int_equal(r[0], 0x8a);
		assert_int_equal(le(r + 1, 2), 43);
		assert_int_equal(r[5], 0x07);
		assert_true(le64(r + 14) == 0x800000000ull);
		assert_true(le64(r + 22) == 0x800003fffull);
		assert_true(le64(r + 38) == 0x4000);
		r += 46;
		assert_int_equal(r[0], 0x79);
		assert_true(r + 2 == bend);
		p = bend;
	}

	/* _PRT: Package (2) { Package (4) { 0x10FFFF, 0, Zero, 20 }, { 0x3FFFF, 1, Zero, 23 } } */
	assert_memory_equal(p, "\x08_PRT\x12", 6);
	n = pkglen(p + 6, &p);
	assert_int_equal(*p++, 2);
	for (unsigned i = 0; i < 2; i++) {
		const uint8_t *e;

		assert_int_equal(*p, 0x12);
		pkglen(p + 1, &e);
		assert_int_equal(*e++, 4);
		assert_int_equal(aml_int(&e), (uint64_t)routes[i].dev << 16 | 0xffff);
		assert_int_equal(aml_int(&e), routes[i].pin);
		assert_int_equal(aml_int(&e), 0);
		assert_int_equal(aml_int(&e), routes[i].gsi);
		p = e;
	}
	assert_true(p == end);
	dump("pci-dsdt", dsdt, len);
}

static void test_invalid(void **state)
{
	struct acpi_pci_window bad = { 0xff00, 0x200, true, false };	/* past port 0xffff */
	struct acpi_pci_route badr = { 32, 0, 16 };
	struct acpi_pci pci = { 0, &bad, 1, NULL, 0 };
	struct acpi_guest in = { .pci = &pci };
	struct acpi_layout l;

	assert_int_equal(acpi_tables_size(&in), 0);
	pci = (struct acpi_pci){ 0, NULL, 0, &badr, 1 };
	assert_int_equal(acpi_tables_size(&in), 0);
	pci = (struct acpi_pci){ 0, NULL, 0, NULL, 0 };
	in.ecam_base = ECAM + 0x80000;		/* not 1 MiB aligned */
	assert_int_equal(acpi_build(&in, buf, BUF_SIZE, GPA_BASE, &l), -EINVAL);
	in.ecam_base = ECAM;
	in.pci = NULL;				/* an MCFG needs the root bridge */
	assert_int_equal(acpi_tables_size(&in), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_mcfg_and_xsdt),
		cmocka_unit_test(test_pci0_aml),
		cmocka_unit_test(test_invalid),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
