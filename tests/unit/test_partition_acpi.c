// SPDX-License-Identifier: GPL-2.0-only
/*
 * A guest's synthesized ACPI tables. With TWINMON_ACPI_DUMP_DIR set, the tables of the
 * two-UART build are also written there as NAME.dat for tests/cli/acpi-iasl.sh to disassemble.
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
#define BUF_SIZE	4096

/* One byte in, so that nothing relies on the caller's buffer being aligned. */
static uint8_t buf_store[BUF_SIZE + 1];
static uint8_t *const buf = buf_store + 1;

static const uint16_t com1[] = { 0x3f8 };
static const uint16_t com12[] = { 0x3f8, 0x2f8 };

static uint8_t sum(const void *p, size_t len)
{
	const uint8_t *b = p;
	uint8_t s = 0;

	for (size_t i = 0; i < len; i++)
		s = (uint8_t)(s + b[i]);
	return s;
}

/* The table at gpa, after checking it lies inside what was built. */
static uint8_t *at(const struct acpi_layout *l, uint64_t gpa, size_t len)
{
	assert_true(gpa >= GPA_BASE);
	assert_true(gpa - GPA_BASE + len <= l->size);
	return buf + (gpa - GPA_BASE);
}

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

/* A table's header, checked: signature, length inside the region, sums to zero. */
static struct acpi_header check_table(const struct acpi_layout *l, uint64_t gpa, const char *sig)
{
	struct acpi_header h;
	uint8_t *p = at(l, gpa, sizeof(h));

	memcpy(&h, p, sizeof(h));
	assert_memory_equal(h.signature, sig, 4);
	at(l, gpa, h.length);
	assert_int_equal(sum(p, h.length), 0);
	assert_memory_equal(h.oem_id, "TWINMN", 6);
	return h;
}

static struct acpi_layout build(const struct acpi_guest *in)
{
	struct acpi_layout l;

	memset(buf_store, 0xa5, sizeof(buf_store));
	assert_int_equal(acpi_build(in, buf, BUF_SIZE, GPA_BASE, &l), 0);
	assert_int_equal(l.size, acpi_tables_size(in));
	assert_int_equal(l.rsdp_gpa, GPA_BASE);
	/* Nothing written past what was reported. */
	for (size_t i = l.size; i < BUF_SIZE; i++)
		assert_int_equal(buf[i], 0xa5);
	return l;
}

/* Follow the chain from the RSDP as an OS would, checking every link and checksum. */
static void check_chain(const struct acpi_layout *l, struct acpi_fadt *fadt, uint8_t *madt,
			size_t *madt_len, uint8_t **dsdt, size_t *dsdt_len)
{
	struct acpi_rsdp r;
	struct acpi_header h;
	uint8_t *xsdt;

	memcpy(&r, at(l, l->rsdp_gpa, sizeof(r)), sizeof(r));
	assert_memory_equal(r.signature, "RSD PTR ", 8);
	assert_int_equal(r.revision, 2);
	assert_int_equal(r.length, 36);
	assert_int_equal(sum(&r, 20), 0);
	assert_int_equal(sum(&r, 36), 0);
	assert_int_equal(r.rsdt_address, 0);
	assert_int_equal(r.xsdt_address, l->xsdt_gpa);
	assert_int_equal(l->rsdp_gpa % 16, 0);

	h = check_table(l, l->xsdt_gpa, "XSDT");
	assert_int_equal(h.length, 36 + 2 * 8);
	xsdt = at(l, l->xsdt_gpa, h.length);
	assert_int_equal(le64(xsdt + 36), l->fadt_gpa);
	assert_int_equal(le64(xsdt + 44), l->madt_gpa);

	h = check_table(l, l->fadt_gpa, "FACP");
	assert_int_equal(h.length, 276);
	assert_int_equal(h.revision, 6);
	memcpy(fadt, at(l, l->fadt_gpa, sizeof(*fadt)), sizeof(*fadt));
	assert_int_equal(fadt->minor_version, 3);
	assert_int_equal(fadt->x_dsdt, l->dsdt_gpa);
	assert_int_equal(fadt->dsdt, 0);

	h = check_table(l, l->madt_gpa, "APIC");
	*madt_len = h.length;
	memcpy(madt, at(l, l->madt_gpa, h.length), h.length);

	h = check_table(l, l->dsdt_gpa, "DSDT");
	assert_int_equal(h.revision, 2);
	*dsdt = at(l, l->dsdt_gpa, h.length);
	*dsdt_len = h.length;
	/* The DSDT is last: the region ends with it. */
	assert_int_equal(l->dsdt_gpa + h.length, GPA_BASE + l->size);
}

static void test_acpi_one_uart(void **state)
{
	const struct acpi_guest in = { .apic_id = 0, .uart_ports = com1, .n_uarts = 1 };
	/* Scope(\_SB) { Device(COM1) { _HID EisaId("PNP0501"), _UID 1, _CRS IO 0x3F8/8 } } */
	static const uint8_t aml[] = {
		0x10, 0x31, 0x5c, '_', 'S', 'B', '_',
		0x5b, 0x82, 0x29, 'C', 'O', 'M', '1',
		0x08, '_', 'H', 'I', 'D', 0x0c, 0x41, 0xd0, 0x05, 0x01,
		0x08, '_', 'U', 'I', 'D', 0x0a, 0x01,
		0x08, '_', 'C', 'R', 'S', 0x11, 0x0d, 0x0a, 0x0a,
		0x47, 0x01, 0xf8, 0x03, 0xf8, 0x03, 0x00, 0x08, 0x79, 0x00,
	};
	struct acpi_layout l = build(&in);
	struct acpi_fadt fadt;
	uint8_t madt[64];
	size_t madt_len, dsdt_len;
	uint8_t *dsdt;
	struct acpi_madt_lapic e;

	check_chain(&l, &fadt, madt, &madt_len, &dsdt, &dsdt_len);

	assert_int_equal(fadt.flags, ACPI_FADT_HW_REDUCED | ACPI_FADT_FORCE_APIC_PHYS_DEST);
	assert_int_equal(fadt.iapc_boot_arch,
			 ACPI_IAPC_VGA_NOT_PRESENT | ACPI_IAPC_CMOS_RTC_NOT_PRESENT);
	assert_int_equal(fadt.pm_tmr_blk, 0);
	assert_int_equal(fadt.pm_tmr_len, 0);
	assert_int_equal(fadt.x_pm_tmr_blk.address, 0);
	assert_int_equal(fadt.firmware_ctrl, 0);
	assert_int_equal(fadt.x_firmware_ctrl, 0);
	assert_int_equal(fadt.sci_int, 0);
	assert_int_equal(fadt.pm1a_evt_blk, 0);
	assert_int_equal(fadt.pm1a_cnt_blk, 0);

	assert_int_equal(madt_len, 44 + 8);
	assert_int_equal(le32(madt + 36), 0xfee00000);
	assert_int_equal(le32(madt + 40) & ACPI_MADT_PCAT_COMPAT, 0);
	memcpy(&e, madt + 44, sizeof(e));
	assert_int_equal(e.type, ACPI_MADT_TYPE_LAPIC);
	assert_int_equal(e.length, 8);
	assert_int_equal(e.apic_id, 0);
	assert_int_equal(e.flags, ACPI_MADT_ENABLED);

	assert_int_equal(dsdt_len, 36 + sizeof(aml));
	assert_memory_equal(dsdt + 36, aml, sizeof(aml));
}

static void dump(const char *dir, const char *name, const void *p, size_t len)
{
	char path[4096];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s.dat", dir, name);
	f = fopen(path, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(p, 1, len, f), len);
	assert_int_equal(fclose(f), 0);
}

static void test_acpi_two_uarts_pm_timer(void **state)
{
	const struct acpi_guest in = { .apic_id = 3, .pm_timer_port = 0x608,
				       .uart_ports = com12, .n_uarts = 2 };
	struct acpi_layout l = build(&in);
	struct acpi_fadt fadt;
	uint8_t madt[64];
	size_t madt_len, dsdt_len;
	uint8_t *dsdt;
	const char *dir = getenv("TWINMON_ACPI_DUMP_DIR");

	check_chain(&l, &fadt, madt, &madt_len, &dsdt, &dsdt_len);
	assert_int_equal(fadt.pm_tmr_blk, 0x608);
	assert_int_equal(fadt.pm_tmr_len, 4);
	assert_int_equal(fadt.x_pm_tmr_blk.space_id, ACPI_GAS_SYSTEM_IO);
	assert_int_equal(fadt.x_pm_tmr_blk.bit_width, 32);
	assert_int_equal(fadt.x_pm_tmr_blk.address, 0x608);
	/* 24-bit counter unless asked: the shared PM timer wraps every 4.69 s. */
	assert_int_equal(fadt.flags & ACPI_FADT_TMR_VAL_EXT, 0);
	assert_int_equal(madt[44 + 3], 3);

	/* Scope content 5 + 2 * 43 = 91 bytes: a two-byte PkgLength (93 = 0x5d). */
	assert_int_equal(dsdt_len, 36 + 1 + 2 + 91);
	assert_int_equal(dsdt[37], 0x40 | 0xd);
	assert_int_equal(dsdt[38], 0x5);
	assert_memory_equal(dsdt + 39, "\\_SB_", 5);
	/* Second device: COM2, _UID 2, IO 0x2F8. */
	assert_memory_equal(dsdt + 44 + 43 + 3, "COM2", 4);
	assert_int_equal(dsdt[44 + 43 + 7 + 10 + 6], 2);
	assert_int_equal(dsdt[44 + 43 + 7 + 17 + 11], 0xf8);
	assert_int_equal(dsdt[44 + 43 + 7 + 17 + 12], 0x02);

	if (dir) {
		dump(dir, "rsdp", buf + (l.rsdp_gpa - GPA_BASE), 36);
		dump(dir, "xsdt", buf + (l.xsdt_gpa - GPA_BASE), 52);
		dump(dir, "facp", buf + (l.fadt_gpa - GPA_BASE), 276);
		dump(dir, "apic", madt, madt_len);
		dump(dir, "dsdt", dsdt, dsdt_len);
	}
}

static void test_acpi_x2apic_32bit_timer(void **state)
{
	const struct acpi_guest in = { .apic_id = 0x1234, .x2apic = true, .pm_timer_port = 0xb008,
				       .pm_timer_32bit = true, .uart_ports = com1, .n_uarts = 1 };
	struct acpi_layout l = build(&in);
	struct acpi_fadt fadt;
	uint8_t madt[64];
	size_t madt_len, dsdt_len;
	uint8_t *dsdt;
	struct acpi_madt_x2apic e;

	check_chain(&l, &fadt, madt, &madt_len, &dsdt, &dsdt_len);
	assert_int_equal(fadt.flags & ACPI_FADT_TMR_VAL_EXT, ACPI_FADT_TMR_VAL_EXT);
	assert_int_equal(madt_len, 44 + 16);
	memcpy(&e, madt + 44, sizeof(e));
	assert_int_equal(e.type, ACPI_MADT_TYPE_X2APIC);
	assert_int_equal(e.length, 16);
	assert_int_equal(e.x2apic_id, 0x1234);
	assert_int_equal(e.flags, ACPI_MADT_ENABLED);
}

static void test_acpi_max_and_no_uarts(void **state)
{
	uint16_t ports[ACPI_MAX_UARTS];
	struct acpi_guest in = { .uart_ports = ports, .n_uarts = ACPI_MAX_UARTS };
	struct acpi_layout l;
	struct acpi_fadt fadt;
	uint8_t madt[64];
	size_t madt_len, dsdt_len, pkg;
	uint8_t *dsdt;

	for (unsigned i = 0; i < ACPI_MAX_UARTS; i++)
		ports[i] = (uint16_t)(0x1000 + 8 * i);
	l = build(&in);
	check_chain(&l, &fadt, madt, &madt_len, &dsdt, &dsdt_len);
	/* Decode the Scope's PkgLength: it spans the rest of the DSDT. */
	assert_int_equal(dsdt[37] >> 6, 1);
	pkg = (dsdt[37] & 0xf) | ((size_t)dsdt[38] << 4);
	assert_int_equal(pkg, dsdt_len - 37);
	assert_memory_equal(dsdt + dsdt_len - 43 + 3, "COM8", 4);

	in.n_uarts = 0;
	l = build(&in);
	check_chain(&l, &fadt, madt, &madt_len, &dsdt, &dsdt_len);
	assert_int_equal(dsdt_len, 36 + 7);
}

static void test_acpi_reset_register(void **state)
{
	const struct acpi_guest in = { .apic_id = 0, .uart_ports = com1, .n_uarts = 1,
				       .reset_port = 0xcf9, .reset_value = 0x06 };
	struct acpi_layout l = build(&in);
	struct acpi_fadt fadt;
	uint8_t madt[64];
	size_t madt_len, dsdt_len;
	uint8_t *dsdt;
	const uint8_t *raw;

	/* The chain and every checksum still hold with the reset register filled in. */
	check_chain(&l, &fadt, madt, &madt_len, &dsdt, &dsdt_len);
	assert_int_equal(fadt.flags, ACPI_FADT_HW_REDUCED | ACPI_FADT_FORCE_APIC_PHYS_DEST |
					     ACPI_FADT_RESET_REG_SUP);
	assert_int_equal(ACPI_FADT_RESET_REG_SUP, 1u << 10);
	assert_int_equal(fadt.reset_reg.space_id, ACPI_GAS_SYSTEM_IO);
	assert_int_equal(fadt.reset_reg.bit_width, 8);
	assert_int_equal(fadt.reset_reg.bit_offset, 0);
	assert_int_equal(fadt.reset_reg.access_size, ACPI_GAS_ACCESS_BYTE);
	assert_int_equal(fadt.reset_reg.address, 0xcf9);
	assert_int_equal(fadt.reset_value, 0x06);

	/* Where an OS reads them (ACPI 6.3 table 5-34): flags at 112, RESET_REG (a GAS) at 116,
	 * RESET_VALUE at 128. */
	raw = at(&l, l.fadt_gpa, 276);
	assert_int_equal(le32(raw + 112), fadt.flags);
	assert_int_equal(raw[116], 1);		/* system I/O */
	assert_int_equal(raw[117], 8);		/* bit width */
	assert_int_equal(raw[118], 0);		/* bit offset */
	assert_int_equal(raw[119], 1);		/* byte access */
	assert_int_equal(le64(raw + 120), 0xcf9);
	assert_int_equal(raw[128], 0x06);
	assert_int_equal(sum(raw, 276), 0);
}

static void test_acpi_reset_register_other_port(void **state)
{
	const struct acpi_guest in = { .apic_id = 2, .pm_timer_port = 0x608, .uart_ports = com12,
				       .n_uarts = 2, .reset_port = 0x604, .reset_value = 0x55 };
	struct acpi_layout l = build(&in);
	struct acpi_fadt fadt;
	uint8_t madt[64];
	size_t madt_len, dsdt_len;
	uint8_t *dsdt;

	check_chain(&l, &fadt, madt, &madt_len, &dsdt, &dsdt_len);
	assert_int_equal(fadt.flags & ACPI_FADT_RESET_REG_SUP, ACPI_FADT_RESET_REG_SUP);
	assert_int_equal(fadt.reset_reg.address, 0x604);
	assert_int_equal(fadt.reset_value, 0x55);
	/* The rest of the FADT is what it was without it. */
	assert_int_equal(fadt.pm_tmr_blk, 0x608);
	assert_int_equal(fadt.x_pm_tmr_blk.address, 0x608);
	/* And the size of the tables does not change. */
	{
		struct acpi_guest plain = in;

		plain.reset_port = 0;
		assert_int_equal(acpi_tables_size(&plain), l.size);
	}
}

static void test_acpi_no_reset_register(void **state)
{
	/* reset_port 0: no reset register, whatever reset_value says. */
	const struct acpi_guest in = { .uart_ports = com1, .n_uarts = 1, .reset_value = 0x06 };
	struct acpi_layout l = build(&in);
	struct acpi_fadt fadt;
	uint8_t madt[64];
	size_t madt_len, dsdt_len;
	uint8_t *dsdt;
	const uint8_t *raw;

	check_chain(&l, &fadt, madt, &madt_len, &dsdt, &dsdt_len);
	assert_int_equal(fadt.flags & ACPI_FADT_RESET_REG_SUP, 0);
	raw = at(&l, l.fadt_gpa, 276);
	for (size_t i = 116; i <= 128; i++)
		assert_int_equal(raw[i], 0);
}

static void test_acpi_enospc(void **state)
{
	const struct acpi_guest in = { .uart_ports = com12, .n_uarts = 2 };
	struct acpi_layout l = { 0 };
	size_t need = acpi_tables_size(&in);

	assert_true(need > 0);
	memset(buf_store, 0xa5, sizeof(buf_store));
	assert_int_equal(acpi_build(&in, buf, need - 1, GPA_BASE, &l), -ENOSPC);
	assert_int_equal(acpi_build(&in, buf, 64, GPA_BASE, &l), -ENOSPC);
	assert_int_equal(acpi_build(&in, buf, 0, GPA_BASE, &l), -ENOSPC);
	for (size_t i = 0; i < sizeof(buf_store); i++)
		assert_int_equal(buf_store[i], 0xa5);
	assert_int_equal(l.size, 0);
	assert_int_equal(acpi_build(&in, buf, need, GPA_BASE, &l), 0);
	assert_int_equal(l.size, need);
}

static void test_acpi_einval(void **state)
{
	uint16_t ports[ACPI_MAX_UARTS + 1] = { 0x3f8 };
	struct acpi_guest in = { .uart_ports = ports, .n_uarts = 1 };
	struct acpi_layout l;

	assert_int_equal(acpi_build(&in, buf, BUF_SIZE, GPA_BASE + 8, &l), -EINVAL);
	assert_int_equal(acpi_build(&in, buf, BUF_SIZE, UINT64_MAX - 15, &l), -EINVAL);
	assert_int_equal(acpi_build(NULL, buf, BUF_SIZE, GPA_BASE, &l), -EINVAL);
	assert_int_equal(acpi_build(&in, NULL, BUF_SIZE, GPA_BASE, &l), -EINVAL);
	assert_int_equal(acpi_build(&in, buf, BUF_SIZE, GPA_BASE, NULL), -EINVAL);

	in.n_uarts = ACPI_MAX_UARTS + 1;
	assert_int_equal(acpi_tables_size(&in), 0);
	assert_int_equal(acpi_build(&in, buf, BUF_SIZE, GPA_BASE, &l), -EINVAL);
	in.n_uarts = 1;
	ports[0] = 0xfff9;	/* 0xfff9..0x10000 */
	assert_int_equal(acpi_build(&in, buf, BUF_SIZE, GPA_BASE, &l), -EINVAL);
	ports[0] = 0xfff8;	/* ends at 0xffff exactly */
	assert_int_equal(acpi_build(&in, buf, BUF_SIZE, GPA_BASE, &l), 0);
	in.uart_ports = NULL;
	assert_int_equal(acpi_build(&in, buf, BUF_SIZE, GPA_BASE, &l), -EINVAL);
	in.uart_ports = ports;
	in.apic_id = 0xff;
	assert_int_equal(acpi_build(&in, buf, BUF_SIZE, GPA_BASE, &l), -EINVAL);
	in.x2apic = true;
	assert_int_equal(acpi_build(&in, buf, BUF_SIZE, GPA_BASE, &l), 0);
}

/*
 * A guest that owns device lines: an I/O APIC entry in the MADT, and COM1's IRQ 4 in its _CRS
 * (COM2 stays polled). Dumped as irq-NAME.dat for tests/cli/acpi-iasl.sh too.
 */
static void test_acpi_ioapic_uart_irq(void **state)
{
	static const uint8_t irqs[] = { 4, 0 };
	const struct acpi_guest in = { .uart_ports = com12, .uart_irqs = irqs, .n_uarts = 2,
				       .ioapic = true, .reset_port = 0xcf9, .reset_value = 6 };
	static const uint8_t crs[] = { 0x47, 0x01, 0xf8, 0x03, 0xf8, 0x03, 0x00, 0x08,
				       0x22, 0x10, 0x00, 0x79, 0x00 };
	const uint8_t *com1_crs;
	struct acpi_layout l = build(&in);
	struct acpi_fadt fadt;
	uint8_t madt[64];
	size_t madt_len, dsdt_len;
	uint8_t *dsdt;
	const char *dir = getenv("TWINMON_ACPI_DUMP_DIR");
	char name[16];

	check_chain(&l, &fadt, madt, &madt_len, &dsdt, &dsdt_len);
	/* MADT: the local APIC, then type 1, length 12, ID 1, 0xfec00000, GSI base 0. */
	assert_int_equal(madt_len, 44 + 8 + 12);
	assert_int_equal(madt[52], 1);
	assert_int_equal(madt[53], 12);
	assert_int_equal(madt[54], ACPI_IOAPIC_ID);
	assert_int_equal(madt[55], 0);
	assert_int_equal(le32(madt + 56), 0xfec00000u);
	assert_int_equal(le32(madt + 60), 0);
	/* Two devices, 46 + 43 bytes: COM1's _CRS buffer carries IRQNoFlags() {4}. */
	assert_int_equal(dsdt_len, 36 + 1 + 2 + 5 + 46 + 43);
	com1_crs = memmem(dsdt, dsdt_len, crs, sizeof(crs));
	assert_non_null(com1_crs);
	assert_int_equal(com1_crs[-1], sizeof(crs));
	assert_null(memmem(com1_crs + sizeof(crs), dsdt_len - (size_t)(com1_crs + sizeof(crs) - dsdt),
			   "\x22", 1));
	/* An IRQ a UART cannot have. */
	{
		static const uint8_t bad[] = { 16, 0 };
		const struct acpi_guest b = { .uart_ports = com12, .uart_irqs = bad, .n_uarts = 2,
					      .ioapic = true };

		assert_int_equal(acpi_tables_size(&b), 0);
	}
	if (dir) {
		snprintf(name, sizeof(name), "irq-apic");
		dump(dir, name, madt, madt_len);
		snprintf(name, sizeof(name), "irq-dsdt");
		dump(dir, name, dsdt, dsdt_len);
		snprintf(name, sizeof(name), "irq-facp");
		dump(dir, name, buf + (l.fadt_gpa - GPA_BASE), 276);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_acpi_one_uart),
		cmocka_unit_test(test_acpi_reset_register),
		cmocka_unit_test(test_acpi_reset_register_other_port),
		cmocka_unit_test(test_acpi_no_reset_register),
		cmocka_unit_test(test_acpi_two_uarts_pm_timer),
		cmocka_unit_test(test_acpi_ioapic_uart_irq),
		cmocka_unit_test(test_acpi_x2apic_32bit_timer),
		cmocka_unit_test(test_acpi_max_and_no_uarts),
		cmocka_unit_test(test_acpi_enospc),
		cmocka_unit_test(test_acpi_einval),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
