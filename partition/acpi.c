// SPDX-License-Identifier: GPL-2.0-only
#include "partition/acpi.h"

#include "partition/acpi_aml.h"

#include <errno.h>
#include <string.h>

/*
 * Layout from gpa_base, each table ACPI_TABLE_ALIGN-aligned: RSDP, XSDT (FADT, MADT and MCFG
 * when there is one), FADT, MADT (one processor entry per vCPU), MCFG, DSDT. The DSDT comes
 * last: its length depends on the UARTs and the PCI root bridge.
 */
#define ACPI_XSDT_SIZE(n)	(sizeof(struct acpi_header) + (n) * sizeof(uint64_t))
/* MCFG (PCI Firmware spec 3.2, 4.1.2): header, 8 reserved bytes, one 16-byte entry. */
#define ACPI_MCFG_SIZE		(sizeof(struct acpi_header) + 8 + 16)
#define ACPI_ECAM_ALIGN		(1ULL << 20)

#define ACPI_OEM_ID		"TWINMN"
#define ACPI_OEM_TABLE_ID	"TWINMON "
#define ACPI_CREATOR_ID		"TWMN"

/* AML opcodes (ACPI 6.3, chapter 20). */
#define AML_NAME_OP		0x08
#define AML_BYTE_PREFIX		0x0a
#define AML_DWORD_PREFIX	0x0c
#define AML_SCOPE_OP		0x10
#define AML_BUFFER_OP		0x11
#define AML_EXT_OP_PREFIX	0x5b
#define AML_DEVICE_OP		0x82
#define AML_ROOT_CHAR		0x5c

/* Resource descriptors (6.4): a 16-bit-decode I/O range, an IRQ without flags, the end tag. */
#define ACPI_RES_IRQ_NOFLAGS	0x22
#define ACPI_RES_IO		0x47
#define ACPI_RES_IO_DECODE16	0x01
#define ACPI_RES_END_TAG	0x79
#define ACPI_UART_PORTS		8

/*
 * One UART device, sizes fixed by construction:
 *   Name(_HID, EisaId("PNP0501"))		1 + 4 + 1 + 4
 *   Name(_UID, n)				1 + 4 + 2
 *   Name(_CRS, Buffer(10) { IO, EndTag })	1 + 4 + 1 + 1 + 2 + 10
 * and 3 more bytes in _CRS for IRQNoFlags when the UART's interrupt is the guest's.
 */
#define ACPI_CRS_BYTES		10
#define ACPI_CRS_IRQ_BYTES	3
#define ACPI_DEV_BODY(irq)	(10 + 7 + (9 + ACPI_CRS_BYTES + ((irq) ? ACPI_CRS_IRQ_BYTES : 0)))
/* Device: ExtOp DeviceOp PkgLength(1 byte, body < 60) NameSeg body */
#define ACPI_DEV_PKG(irq)	(1 + 4 + ACPI_DEV_BODY(irq))
#define ACPI_DEV_SIZE(irq)	(2 + ACPI_DEV_PKG(irq))
_Static_assert(ACPI_DEV_PKG(1) <= 63, "a UART device's PkgLength fits one byte");

/* MADT I/O APIC entry (5.2.12.3). */
#define ACPI_MADT_TYPE_IOAPIC	1
#define ACPI_MADT_IOAPIC_SIZE	12

static size_t acpi_align(size_t n)
{
	return (n + ACPI_TABLE_ALIGN - 1) & ~(size_t)(ACPI_TABLE_ALIGN - 1);
}

static unsigned acpi_uart_irq(const struct acpi_guest *in, unsigned i)
{
	return in->uart_irqs ? in->uart_irqs[i] : 0;
}

static size_t acpi_scope_content(const struct acpi_guest *in)
{
	size_t n = 5;	/* "\_SB_" then the devices */

	for (unsigned i = 0; i < in->n_uarts; i++)
		n += ACPI_DEV_SIZE(acpi_uart_irq(in, i) != 0);
	if (in->pci)
		n += acpi_pci_aml(in->pci, NULL);
	return n;
}

static unsigned acpi_xsdt_entries(const struct acpi_guest *in)
{
	return in->ecam_base ? 3 : 2;
}

static size_t acpi_dsdt_size(const struct acpi_guest *in)
{
	size_t content = acpi_scope_content(in);

	return sizeof(struct acpi_header) + 1 + acpi_aml_pkglen_bytes(content) + content;
}

static unsigned acpi_vcpus(const struct acpi_guest *in)
{
	return in->nr_vcpus ? in->nr_vcpus : 1;
}

static size_t acpi_madt_cpu_size(const struct acpi_guest *in)
{
	return in->x2apic ? sizeof(struct acpi_madt_x2apic) : sizeof(struct acpi_madt_lapic);
}

static size_t acpi_madt_size(const struct acpi_guest *in)
{
	return sizeof(struct acpi_madt) + acpi_vcpus(in) * acpi_madt_cpu_size(in) +
	       (in->ioapic ? ACPI_MADT_IOAPIC_SIZE : 0);
}

static bool acpi_valid(const struct acpi_guest *in)
{
	if (!in || in->n_uarts > ACPI_MAX_UARTS || (in->n_uarts && !in->uart_ports) ||
	    in->nr_vcpus > ACPI_MAX_VCPUS)
		return false;
	/* 0xff is the xAPIC broadcast ID; anything wider needs an x2APIC entry. */
	if (!in->x2apic && in->apic_id + acpi_vcpus(in) - 1 >= 0xff)
		return false;
	if (in->apic_id > UINT32_MAX - acpi_vcpus(in))
		return false;
	for (unsigned i = 0; i < in->n_uarts; i++)
		if ((uint32_t)in->uart_ports[i] + ACPI_UART_PORTS - 1 > 0xffff ||
		    acpi_uart_irq(in, i) > 15)
			return false;
	if (in->pci && !acpi_pci_valid(in->pci))
		return false;
	/* ECAM needs the root bridge's bus range, an aligned base, and no wrap. */
	if (in->ecam_base && (!in->pci || in->ecam_base % ACPI_ECAM_ALIGN ||
			      in->ecam_base + (((uint64_t)in->pci->bus_end + 1) << 20) <
				      in->ecam_base))
		return false;
	return true;
}

size_t acpi_tables_size(const struct acpi_guest *in)
{
	if (!acpi_valid(in))
		return 0;
	return acpi_align(sizeof(struct acpi_rsdp)) +
	       acpi_align(ACPI_XSDT_SIZE(acpi_xsdt_entries(in))) +
	       acpi_align(sizeof(struct acpi_fadt)) + acpi_align(acpi_madt_size(in)) +
	       (in->ecam_base ? acpi_align(ACPI_MCFG_SIZE) : 0) + acpi_dsdt_size(in);
}

static uint8_t acpi_checksum(const void *p, size_t len)
{
	const uint8_t *b = p;
	uint8_t sum = 0;

	for (size_t i = 0; i < len; i++)
		sum = (uint8_t)(sum + b[i]);
	return (uint8_t)-sum;
}

/* Values go through memcpy: buf has no alignment guarantee and the structs are packed. */
static void acpi_put_u16(uint8_t *p, uint16_t v)
{
	memcpy(p, &v, sizeof(v));
}

static void acpi_put_u32(uint8_t *p, uint32_t v)
{
	memcpy(p, &v, sizeof(v));
}

static void acpi_put_u64(uint8_t *p, uint64_t v)
{
	memcpy(p, &v, sizeof(v));
}

static void acpi_header(uint8_t *p, const char sig[4], size_t len, uint8_t revision)
{
	struct acpi_header h;

	memset(&h, 0, sizeof(h));
	memcpy(h.signature, sig, 4);
	h.length = (uint32_t)len;
	h.revision = revision;
	memcpy(h.oem_id, ACPI_OEM_ID, 6);
	memcpy(h.oem_table_id, ACPI_OEM_TABLE_ID, 8);
	h.oem_revision = 1;
	memcpy(h.creator_id, ACPI_CREATOR_ID, 4);
	h.creator_revision = 1;
	memcpy(p, &h, sizeof(h));
}

/* Checksum of a table whose header is at p: the whole table sums to zero. */
static void acpi_seal(uint8_t *p, size_t len)
{
	p[offsetof(struct acpi_header, checksum)] = 0;
	p[offsetof(struct acpi_header, checksum)] = acpi_checksum(p, len);
}

static void acpi_build_rsdp(uint8_t *p, uint64_t xsdt_gpa)
{
	struct acpi_rsdp r;

	memset(&r, 0, sizeof(r));
	memcpy(r.signature, "RSD PTR ", 8);
	memcpy(r.oem_id, ACPI_OEM_ID, 6);
	r.revision = 2;
	/* No RSDT: a revision-2 RSDP with an XSDT is what ACPICA and Linux use on x86-64. */
	r.length = sizeof(r);
	r.xsdt_address = xsdt_gpa;
	r.checksum = acpi_checksum(&r, offsetof(struct acpi_rsdp, length));
	r.extended_checksum = acpi_checksum(&r, sizeof(r));
	memcpy(p, &r, sizeof(r));
}

static void acpi_build_xsdt(uint8_t *p, uint64_t fadt_gpa, uint64_t madt_gpa,
			    uint64_t mcfg_gpa)
{
	unsigned n = mcfg_gpa ? 3 : 2;

	acpi_header(p, "XSDT", ACPI_XSDT_SIZE(n), 1);
	acpi_put_u64(p + sizeof(struct acpi_header), fadt_gpa);
	acpi_put_u64(p + sizeof(struct acpi_header) + 8, madt_gpa);
	if (mcfg_gpa)
		acpi_put_u64(p + sizeof(struct acpi_header) + 16, mcfg_gpa);
	acpi_seal(p, ACPI_XSDT_SIZE(n));
}

/* One allocation for segment 0, buses 0..bus_end, at the host's ECAM addresses. */
static void acpi_build_mcfg(uint8_t *p, const struct acpi_guest *in)
{
	uint8_t *e = p + sizeof(struct acpi_header) + 8;

	acpi_header(p, "MCFG", ACPI_MCFG_SIZE, 1);
	acpi_put_u64(e, in->ecam_base);
	acpi_put_u16(e + 8, 0);
	e[10] = 0;
	e[11] = in->pci->bus_end;
	acpi_seal(p, ACPI_MCFG_SIZE);
}

static void acpi_build_fadt(uint8_t *p, const struct acpi_guest *in, uint64_t dsdt_gpa)
{
	struct acpi_fadt f;

	/* Zero: no FACS, SCI, SMI command, PM1/PM2/GPE blocks, sleep registers (HW-reduced). */
	memset(&f, 0, sizeof(f));
	acpi_header((uint8_t *)&f, "FACP", sizeof(f), 6);
	f.minor_version = 3;
	/* Only X_DSDT: a DSDT field that differs from it makes ACPICA warn, 0 is ignored. */
	f.x_dsdt = dsdt_gpa;
	/*
	 * No legacy devices or 8042 (so Linux probes neither), no VGA, and no CMOS RTC (the
	 * monitor keeps the real one; Linux then skips rtc_cmos' update-in-progress polling).
	 */
	f.iapc_boot_arch = ACPI_IAPC_VGA_NOT_PRESENT | ACPI_IAPC_CMOS_RTC_NOT_PRESENT;
	/*
	 * HW-reduced: no PIC, SCI or fixed hardware, so Linux uses the null PIC. Physical
	 * destination mode keeps Linux off LDR/DFR, which the virtual LAPIC need not emulate.
	 */
	f.flags = ACPI_FADT_HW_REDUCED | ACPI_FADT_FORCE_APIC_PHYS_DEST;
	if (in->pm_timer_port) {
		/* A read-only shared counter; Linux takes it as a clocksource even HW-reduced. */
		f.pm_tmr_blk = in->pm_timer_port;
		f.pm_tmr_len = 4;
		f.x_pm_tmr_blk.space_id = ACPI_GAS_SYSTEM_IO;
		f.x_pm_tmr_blk.bit_width = 32;
		f.x_pm_tmr_blk.access_size = ACPI_GAS_ACCESS_DWORD;
		f.x_pm_tmr_blk.address = in->pm_timer_port;
		if (in->pm_timer_32bit)
			f.flags |= ACPI_FADT_TMR_VAL_EXT;
	}
	if (in->reset_port) {
		/* Linux tries the reset register first on reboot: the monitor restarts the guest. */
		f.flags |= ACPI_FADT_RESET_REG_SUP;
		f.reset_reg.space_id = ACPI_GAS_SYSTEM_IO;
		f.reset_reg.bit_width = 8;
		f.reset_reg.access_size = ACPI_GAS_ACCESS_BYTE;
		f.reset_reg.address = in->reset_port;
		f.reset_value = in->reset_value;
	}
	memcpy(p, &f, sizeof(f));
	acpi_seal(p, sizeof(f));
}

static void acpi_build_madt(uint8_t *p, const struct acpi_guest *in)
{
	size_t len = acpi_madt_size(in);
	uint8_t *e = p + sizeof(struct acpi_madt);

	acpi_header(p, "APIC", len, 5);
	acpi_put_u32(p + offsetof(struct acpi_madt, lapic_address), ACPI_LAPIC_ADDR);
	/* PCAT_COMPAT clear: there is no 8259 pair, and Linux then probes none. */
	acpi_put_u32(p + offsetof(struct acpi_madt, flags), 0);
	/*
	 * vCPU k: APIC ID apic_id + k, UID k, enabled. Linux boots on the entry that matches the
	 * running CPU's APIC ID and starts the others by INIT-SIPI-SIPI, in this order.
	 */
	for (unsigned k = 0; k < acpi_vcpus(in); k++, e += acpi_madt_cpu_size(in)) {
		if (in->x2apic) {
			struct acpi_madt_x2apic x = {
				.type = ACPI_MADT_TYPE_X2APIC,
				.length = sizeof(x),
				.x2apic_id = in->apic_id + k,
				.flags = ACPI_MADT_ENABLED,
				.processor_uid = k,
			};

			memcpy(e, &x, sizeof(x));
		} else {
			struct acpi_madt_lapic l = {
				.type = ACPI_MADT_TYPE_LAPIC,
				.length = sizeof(l),
				.processor_uid = (uint8_t)k,
				.apic_id = (uint8_t)(in->apic_id + k),
				.flags = ACPI_MADT_ENABLED,
			};

			memcpy(e, &l, sizeof(l));
		}
	}
	if (in->ioapic) {
		/* The guest's virtual I/O APIC: ID 1, GSI n = ISA IRQ n (no overrides). */
		e[0] = ACPI_MADT_TYPE_IOAPIC;
		e[1] = ACPI_MADT_IOAPIC_SIZE;
		e[2] = ACPI_IOAPIC_ID;
		e[3] = 0;
		acpi_put_u32(e + 4, ACPI_IOAPIC_ADDR);
		acpi_put_u32(e + 8, 0);
	}
	acpi_seal(p, len);
}

/* Name(NAME, ...): NameOp then the NameSeg; the caller writes the data object. */
static uint8_t *acpi_aml_name(uint8_t *p, const char seg[4])
{
	*p++ = AML_NAME_OP;
	memcpy(p, seg, 4);
	return p + 4;
}

static uint8_t *acpi_aml_uart(uint8_t *p, unsigned uid, uint16_t port, unsigned irq)
{
	char seg[4] = { 'C', 'O', 'M', (char)('0' + uid) };
	size_t crs = ACPI_CRS_BYTES + (irq ? ACPI_CRS_IRQ_BYTES : 0);

	*p++ = AML_EXT_OP_PREFIX;
	*p++ = AML_DEVICE_OP;
	p = acpi_aml_put_pkglen(p, ACPI_DEV_PKG(irq != 0) - 1);
	memcpy(p, seg, 4);
	p += 4;

	/* EisaId("PNP0501"), a 16550-compatible UART: what the 8250 PNP driver matches. */
	p = acpi_aml_name(p, "_HID");
	*p++ = AML_DWORD_PREFIX;
	*p++ = 0x41;	/* "PNP" compressed, 5 bits a letter, big-endian */
	*p++ = 0xd0;
	*p++ = 0x05;	/* product "0501" */
	*p++ = 0x01;

	p = acpi_aml_name(p, "_UID");
	*p++ = AML_BYTE_PREFIX;
	*p++ = (uint8_t)uid;

	/*
	 * IO(Decode16, port, port, 0, 8), and IRQNoFlags() {irq} when the line is the guest's
	 * (routed through its virtual I/O APIC); without one Linux's 8250 driver polls.
	 */
	p = acpi_aml_name(p, "_CRS");
	*p++ = AML_BUFFER_OP;
	p = acpi_aml_put_pkglen(p, 2 + crs);
	*p++ = AML_BYTE_PREFIX;
	*p++ = (uint8_t)crs;
	*p++ = ACPI_RES_IO;
	*p++ = ACPI_RES_IO_DECODE16;
	acpi_put_u16(p, port);
	acpi_put_u16(p + 2, port);
	p += 4;
	*p++ = 0;		/* alignment */
	*p++ = ACPI_UART_PORTS;
	if (irq) {
		*p++ = ACPI_RES_IRQ_NOFLAGS;
		acpi_put_u16(p, (uint16_t)(1u << irq));
		p += 2;
	}
	*p++ = ACPI_RES_END_TAG;
	*p++ = 0;		/* checksum 0: "treat as correct" (6.4.2.9) */
	return p;
}

static void acpi_build_dsdt(uint8_t *p, const struct acpi_guest *in)
{
	size_t len = acpi_dsdt_size(in);
	uint8_t *a = p + sizeof(struct acpi_header);

	/* Revision 2: AML integers are 64 bits. */
	acpi_header(p, "DSDT", len, 2);
	*a++ = AML_SCOPE_OP;
	a = acpi_aml_put_pkglen(a, acpi_scope_content(in));
	*a++ = AML_ROOT_CHAR;
	memcpy(a, "_SB_", 4);
	a += 4;
	for (unsigned i = 0; i < in->n_uarts; i++)
		a = acpi_aml_uart(a, i + 1, in->uart_ports[i], acpi_uart_irq(in, i));
	if (in->pci)
		a += acpi_pci_aml(in->pci, a);
	acpi_seal(p, len);
}

int acpi_build(const struct acpi_guest *in, void *buf, size_t size, uint64_t gpa_base,
	       struct acpi_layout *out)
{
	size_t total = acpi_tables_size(in);
	size_t rsdp, xsdt, fadt, madt, mcfg, dsdt;
	uint8_t *b = buf;

	if (!total || !buf || !out || gpa_base % ACPI_TABLE_ALIGN)
		return -EINVAL;
	if (gpa_base + total < gpa_base)
		return -EINVAL;
	if (size < total)
		return -ENOSPC;

	rsdp = 0;
	xsdt = rsdp + acpi_align(sizeof(struct acpi_rsdp));
	fadt = xsdt + acpi_align(ACPI_XSDT_SIZE(acpi_xsdt_entries(in)));
	madt = fadt + acpi_align(sizeof(struct acpi_fadt));
	mcfg = madt + acpi_align(acpi_madt_size(in));
	dsdt = mcfg + (in->ecam_base ? acpi_align(ACPI_MCFG_SIZE) : 0);

	/* The alignment gaps are zero, so the region's content is fully determined. */
	memset(b, 0, total);
	acpi_build_dsdt(b + dsdt, in);
	acpi_build_madt(b + madt, in);
	if (in->ecam_base)
		acpi_build_mcfg(b + mcfg, in);
	acpi_build_fadt(b + fadt, in, gpa_base + dsdt);
	acpi_build_xsdt(b + xsdt, gpa_base + fadt, gpa_base + madt,
			in->ecam_base ? gpa_base + mcfg : 0);
	acpi_build_rsdp(b + rsdp, gpa_base + xsdt);

	out->rsdp_gpa = gpa_base + rsdp;
	out->xsdt_gpa = gpa_base + xsdt;
	out->fadt_gpa = gpa_base + fadt;
	out->madt_gpa = gpa_base + madt;
	out->dsdt_gpa = gpa_base + dsdt;
	out->mcfg_gpa = in->ecam_base ? gpa_base + mcfg : 0;
	out->size = total;
	return 0;
}
