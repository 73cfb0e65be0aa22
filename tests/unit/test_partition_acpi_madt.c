// SPDX-License-Identifier: GPL-2.0-only
/*
 * A guest's MADT with one processor entry per vCPU, found as an OS finds it (RSDP, XSDT) and
 * walked entry by entry: xAPIC and x2APIC entries, APIC IDs and UIDs 0..n-1, all enabled, the
 * I/O APIC after them, the checksum, and the vCPU counts refused. With TWINMON_ACPI_DUMP_DIR
 * set, the 4- and 8-vCPU MADTs are also written there as smp-apic.dat and smp-x2apic.dat for
 * tests/cli/acpi-iasl.sh to disassemble.
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

#define GPA_BASE 0x7ffe0000ull
#define BUF_SIZE 4096

static uint8_t buf[BUF_SIZE];
static const uint16_t com1[] = { 0x3f8 };

static uint32_t le32(const uint8_t *p)
{
	uint32_t v;

	memcpy(&v, p, sizeof(v));
	return v;
}

static uint64_t le64(const uint8_t *p)
{
	uint64_t v;

	memcpy(&v, p, sizeof(v));
	return v;
}

static const uint8_t *at(uint64_t gpa, size_t len)
{
	assert_true(gpa >= GPA_BASE && gpa - GPA_BASE + len <= BUF_SIZE);
	return buf + (gpa - GPA_BASE);
}

/* The MADT the XSDT's second entry names, after checking that it sums to zero. */
static const uint8_t *find_madt(const struct acpi_layout *l, uint32_t *len)
{
	const uint8_t *rsdp = at(l->rsdp_gpa, 36), *xsdt, *madt;
	uint8_t sum = 0;

	assert_memory_equal(rsdp, "RSD PTR ", 8);
	xsdt = at(le64(rsdp + 24), 36);
	assert_memory_equal(xsdt, "XSDT", 4);
	madt = at(le64(xsdt + 36 + 8), 44);
	assert_memory_equal(madt, "APIC", 4);
	*len = le32(madt + 4);
	at(le64(xsdt + 36 + 8), *len);
	for (uint32_t i = 0; i < *len; i++)
		sum = (uint8_t)(sum + madt[i]);
	assert_int_equal(sum, 0);
	return madt;
}

/* Write the MADT to $TWINMON_ACPI_DUMP_DIR/NAME.dat when the variable is set. */
static void dump_madt(const struct acpi_layout *l, const char *name)
{
	const char *dir = getenv("TWINMON_ACPI_DUMP_DIR");
	char path[4096];
	uint32_t len;
	const uint8_t *m;
	FILE *f;

	if (!dir)
		return;
	m = find_madt(l, &len);
	snprintf(path, sizeof(path), "%s/%s.dat", dir, name);
	f = fopen(path, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(m, 1, len, f), len);
	assert_int_equal(fclose(f), 0);
}

struct madt_cpus {
	unsigned n, n_ioapic;
	uint32_t apic_id[16], uid[16], flags[16];
	uint8_t type[16];
	bool ioapic_last; /* no processor entry after the I/O APIC */
};

/* Walk the interrupt controller structures as Linux does, by their length bytes. */
static void walk(const struct acpi_layout *l, struct madt_cpus *c)
{
	uint32_t len, off = 44;
	const uint8_t *m = find_madt(l, &len);

	memset(c, 0, sizeof(*c));
	c->ioapic_last = true;
	while (off < len) {
		const uint8_t *e = m + off;

		assert_true(off + 2 <= len && e[1] >= 2 && off + e[1] <= len);
		if (e[0] == ACPI_MADT_TYPE_LAPIC || e[0] == ACPI_MADT_TYPE_X2APIC) {
			assert_true(c->n < 16);
			if (c->n_ioapic)
				c->ioapic_last = false;
			c->type[c->n] = e[0];
			if (e[0] == ACPI_MADT_TYPE_LAPIC) {
				assert_int_equal(e[1], 8);
				c->uid[c->n] = e[2];
				c->apic_id[c->n] = e[3];
				c->flags[c->n] = le32(e + 4);
			} else {
				assert_int_equal(e[1], 16);
				c->apic_id[c->n] = le32(e + 4);
				c->flags[c->n] = le32(e + 8);
				c->uid[c->n] = le32(e + 12);
			}
			c->n++;
		} else if (e[0] == 1) {
			c->n_ioapic++;
		}
		off += e[1];
	}
	assert_int_equal(off, len);
}

static struct acpi_layout build(const struct acpi_guest *in)
{
	struct acpi_layout l;

	memset(buf, 0xa5, sizeof(buf));
	assert_int_equal(acpi_build(in, buf, BUF_SIZE, GPA_BASE, &l), 0);
	assert_int_equal(l.size, acpi_tables_size(in));
	return l;
}

static void check_cpus(const struct madt_cpus *c, unsigned n, uint8_t type)
{
	assert_int_equal(c->n, n);
	for (unsigned k = 0; k < n; k++) {
		assert_int_equal(c->type[k], type);
		assert_int_equal(c->apic_id[k], k);
		assert_int_equal(c->uid[k], k);
		assert_int_equal(c->flags[k], ACPI_MADT_ENABLED);
	}
}

static void test_madt_four_xapic(void **state)
{
	struct acpi_guest in = { .nr_vcpus = 4, .uart_ports = com1, .n_uarts = 1,
				 .ioapic = true };
	struct acpi_layout l = build(&in);
	struct madt_cpus c;
	uint32_t len;

	(void)state;
	walk(&l, &c);
	check_cpus(&c, 4, ACPI_MADT_TYPE_LAPIC);
	assert_int_equal(c.n_ioapic, 1);
	assert_true(c.ioapic_last);
	find_madt(&l, &len);
	assert_int_equal(len, 44 + 4 * 8 + 12);
	dump_madt(&l, "smp-apic");
}

static void test_madt_eight_x2apic(void **state)
{
	struct acpi_guest in = { .nr_vcpus = ACPI_MAX_VCPUS, .x2apic = true };
	struct acpi_layout l = build(&in);
	struct madt_cpus c;
	uint32_t len;

	(void)state;
	walk(&l, &c);
	check_cpus(&c, 8, ACPI_MADT_TYPE_X2APIC);
	assert_int_equal(c.n_ioapic, 0);
	find_madt(&l, &len);
	assert_int_equal(len, 44 + 8 * 16);
	dump_madt(&l, "smp-x2apic");
}

/* Callers from before SMP leave nr_vcpus 0: one processor, as before. */
static void test_madt_default_one(void **state)
{
	struct acpi_guest in = { .uart_ports = com1, .n_uarts = 1 };
	struct acpi_guest one = in;
	struct acpi_layout l = build(&in);
	struct madt_cpus c;
	uint32_t len;

	(void)state;
	walk(&l, &c);
	check_cpus(&c, 1, ACPI_MADT_TYPE_LAPIC);
	one.nr_vcpus = 1;
	assert_int_equal(acpi_tables_size(&one), acpi_tables_size(&in));
	/* Each vCPU adds one 8-byte entry. */
	one.nr_vcpus = 2;
	l = build(&one);
	find_madt(&l, &len);
	assert_int_equal(len, 44 + 2 * 8);
}

static void test_madt_refused(void **state)
{
	struct acpi_guest in = { .nr_vcpus = ACPI_MAX_VCPUS + 1 };
	struct acpi_layout l;

	(void)state;
	assert_int_equal(acpi_tables_size(&in), 0);
	assert_int_equal(acpi_build(&in, buf, BUF_SIZE, GPA_BASE, &l), -EINVAL);
	/* vCPU 1 would get the xAPIC broadcast ID 0xff: only x2APIC entries can hold it. */
	in.nr_vcpus = 2;
	in.apic_id = 0xfe;
	assert_int_equal(acpi_build(&in, buf, BUF_SIZE, GPA_BASE, &l), -EINVAL);
	in.x2apic = true;
	assert_int_equal(acpi_build(&in, buf, BUF_SIZE, GPA_BASE, &l), 0);
	in.apic_id = UINT32_MAX;
	assert_int_equal(acpi_build(&in, buf, BUF_SIZE, GPA_BASE, &l), -EINVAL);
	in.apic_id = 0xfd;
	in.x2apic = false;
	assert_int_equal(acpi_build(&in, buf, BUF_SIZE, GPA_BASE, &l), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_madt_four_xapic),
		cmocka_unit_test(test_madt_eight_x2apic),
		cmocka_unit_test(test_madt_default_one),
		cmocka_unit_test(test_madt_refused),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
