// SPDX-License-Identifier: GPL-2.0-only
#include "partition/acpi_pci.h"

#include <string.h>

#include "partition/acpi_aml.h"

/* AML data objects (ACPI 6.3, 20.2.3) and the Package opcode. */
#define AML_ZERO_OP		0x00
#define AML_ONE_OP		0x01
#define AML_BYTE_PREFIX		0x0a
#define AML_WORD_PREFIX		0x0b
#define AML_DWORD_PREFIX	0x0c
#define AML_QWORD_PREFIX	0x0e
#define AML_BUFFER_OP		0x11
#define AML_PACKAGE_OP		0x12
#define AML_NAME_OP		0x08
#define AML_EXT_OP_PREFIX	0x5b
#define AML_DEVICE_OP		0x82

/* Large resource descriptors (6.4.3): address space descriptors and their fields. */
#define RES_QWORD		0x8a
#define RES_DWORD		0x87
#define RES_WORD		0x88
#define RES_END_TAG		0x79
#define RES_TYPE_MEMORY		0
#define RES_TYPE_IO		1
#define RES_TYPE_BUS		2
/* General flags: producer (bit 0 clear), positive decode, min and max fixed. */
#define RES_FLAGS_FIXED		0x0c
#define RES_IO_ENTIRE_RANGE	0x03
#define RES_MEM_RW		0x01
#define RES_MEM_PREFETCH	0x06	/* bits 2:1 = 3: prefetchable */
#define RES_WORD_LEN		13	/* bytes after the 3-byte header */
#define RES_DWORD_LEN		23
#define RES_QWORD_LEN		43

/* A writer that only counts when buf is NULL: the same code sizes and emits. */
struct aml_out {
	uint8_t *buf;
	size_t len;
};

static void out_byte(struct aml_out *o, uint8_t b)
{
	if (o->buf)
		o->buf[o->len] = b;
	o->len++;
}

static void out_le(struct aml_out *o, uint64_t v, unsigned bytes)
{
	for (unsigned i = 0; i < bytes; i++)
		out_byte(o, (uint8_t)(v >> (8 * i)));
}

static void out_bytes(struct aml_out *o, const void *p, size_t n)
{
	if (o->buf)
		memcpy(o->buf + o->len, p, n);
	o->len += n;
}

static void out_pkglen(struct aml_out *o, size_t content)
{
	uint8_t tmp[4];
	size_t n = (size_t)(acpi_aml_put_pkglen(tmp, content) - tmp);

	out_bytes(o, tmp, n);
}

/* The shortest AML integer for v. */
static void out_int(struct aml_out *o, uint64_t v)
{
	if (v == 0) {
		out_byte(o, AML_ZERO_OP);
	} else if (v == 1) {
		out_byte(o, AML_ONE_OP);
	} else if (v <= 0xff) {
		out_byte(o, AML_BYTE_PREFIX);
		out_le(o, v, 1);
	} else if (v <= 0xffff) {
		out_byte(o, AML_WORD_PREFIX);
		out_le(o, v, 2);
	} else if (v <= 0xffffffffu) {
		out_byte(o, AML_DWORD_PREFIX);
		out_le(o, v, 4);
	} else {
		out_byte(o, AML_QWORD_PREFIX);
		out_le(o, v, 8);
	}
}

static void out_name(struct aml_out *o, const char seg[4])
{
	out_byte(o, AML_NAME_OP);
	out_bytes(o, seg, 4);
}

/* EisaId("PNPxxxx") for the PNP vendor: "PNP" compressed, then the product, big-endian. */
static void out_pnp_id(struct aml_out *o, uint16_t product)
{
	out_byte(o, AML_DWORD_PREFIX);
	out_byte(o, 0x41);
	out_byte(o, 0xd0);
	out_byte(o, (uint8_t)(product >> 8));
	out_byte(o, (uint8_t)product);
}

/* One address space descriptor; the word form for buses and I/O, dword/qword for memory. */
static void out_window(struct aml_out *o, uint8_t type, uint8_t tflags, uint64_t min,
		       uint64_t len)
{
	uint64_t max = min + len - 1;
	unsigned w;

	if (type != RES_TYPE_MEMORY) {
		out_byte(o, RES_WORD);
		out_le(o, RES_WORD_LEN, 2);
		w = 2;
	} else if (max <= 0xffffffffu) {
		out_byte(o, RES_DWORD);
		out_le(o, RES_DWORD_LEN, 2);
		w = 4;
	} else {
		out_byte(o, RES_QWORD);
		out_le(o, RES_QWORD_LEN, 2);
		w = 8;
	}
	out_byte(o, type);
	out_byte(o, RES_FLAGS_FIXED);
	out_byte(o, tflags);
	out_le(o, 0, w);	/* granularity */
	out_le(o, min, w);
	out_le(o, max, w);
	out_le(o, 0, w);	/* translation offset */
	out_le(o, len, w);
}

static void out_crs_template(struct aml_out *o, const struct acpi_pci *in)
{
	out_window(o, RES_TYPE_BUS, 0, 0, (uint64_t)in->bus_end + 1);
	for (unsigned i = 0; i < in->n_windows; i++) {
		const struct acpi_pci_window *w = &in->windows[i];

		if (w->io)
			out_window(o, RES_TYPE_IO, RES_IO_ENTIRE_RANGE, w->base, w->size);
		else
			out_window(o, RES_TYPE_MEMORY,
				   RES_MEM_RW | (w->prefetchable ? RES_MEM_PREFETCH : 0), w->base,
				   w->size);
	}
	out_byte(o, RES_END_TAG);
	out_byte(o, 0);		/* checksum 0: "treat as correct" */
}

/* Name (_CRS, Buffer (n) { ... }) */
static void out_crs(struct aml_out *o, const struct acpi_pci *in)
{
	struct aml_out size = { NULL, 0 }, bsize = { NULL, 0 };

	out_crs_template(&size, in);
	out_int(&bsize, size.len);
	out_name(o, "_CRS");
	out_byte(o, AML_BUFFER_OP);
	out_pkglen(o, bsize.len + size.len);
	out_int(o, size.len);
	out_crs_template(o, in);
}

static void out_route(struct aml_out *o, const struct acpi_pci_route *r)
{
	struct aml_out body = { NULL, 1 };	/* NumElements */

	for (int pass = 0; pass < 2; pass++) {
		struct aml_out *t = pass ? o : &body;

		if (pass) {
			out_byte(o, AML_PACKAGE_OP);
			out_pkglen(o, body.len);
			out_byte(o, 4);
		}
		out_int(t, (uint64_t)r->dev << 16 | 0xffff);
		out_int(t, r->pin);
		out_int(t, 0);		/* Source Zero: SourceIndex is a GSI */
		out_int(t, r->gsi);
	}
}

/* Name (_PRT, Package () { ... }) */
static void out_prt(struct aml_out *o, const struct acpi_pci *in)
{
	struct aml_out body = { NULL, 1 };

	for (unsigned i = 0; i < in->n_routes; i++)
		out_route(&body, &in->routes[i]);
	out_name(o, "_PRT");
	out_byte(o, AML_PACKAGE_OP);
	out_pkglen(o, body.len);
	out_byte(o, (uint8_t)in->n_routes);
	for (unsigned i = 0; i < in->n_routes; i++)
		out_route(o, &in->routes[i]);
}

static void out_body(struct aml_out *o, const struct acpi_pci *in)
{
	out_bytes(o, "PCI0", 4);
	/* PCI Express root bridge, compatible with a PCI one: Linux's pci_root driver. */
	out_name(o, "_HID");
	out_pnp_id(o, 0x0a08);
	out_name(o, "_CID");
	out_pnp_id(o, 0x0a03);
	out_name(o, "_SEG");
	out_int(o, 0);
	out_name(o, "_BBN");
	out_int(o, 0);
	out_name(o, "_UID");
	out_int(o, 0);
	out_crs(o, in);
	out_prt(o, in);
}

bool acpi_pci_valid(const struct acpi_pci *in)
{
	if (!in || in->n_windows > ACPI_PCI_MAX_WINDOWS || in->n_routes > ACPI_PCI_MAX_ROUTES ||
	    (in->n_windows && !in->windows) || (in->n_routes && !in->routes))
		return false;
	for (unsigned i = 0; i < in->n_windows; i++) {
		const struct acpi_pci_window *w = &in->windows[i];

		if (!w->size || w->base + w->size - 1 < w->base ||
		    (w->io && w->base + w->size > 0x10000))
			return false;
	}
	for (unsigned i = 0; i < in->n_routes; i++)
		if (in->routes[i].dev > 31 || in->routes[i].pin > 3)
			return false;
	return true;
}

size_t acpi_pci_aml(const struct acpi_pci *in, uint8_t *p)
{
	struct aml_out body = { NULL, 0 }, o = { p, 0 };

	out_body(&body, in);
	out_byte(&o, AML_EXT_OP_PREFIX);
	out_byte(&o, AML_DEVICE_OP);
	out_pkglen(&o, body.len);
	out_body(&o, in);
	return o.len;
}
