// SPDX-License-Identifier: GPL-2.0-only
#include "iommu/ivrs.h"

#include <errno.h>
#include <string.h>

#include "lib/fmt.h"

#define IVHD_LEGACY		0x10
#define IVHD_EFR		0x11
#define IVHD_ACPI		0x40
#define IVMD_FIRST		0x20
#define IVMD_LAST		0x22
#define IVHD_LEGACY_LEN		24	/* where a type 0x10 block's device entries start */
#define IVHD_EFR_LEN		40

/* Device entry types (IVHD device entries): the ones that name requester IDs. */
#define DE_ALL			0x01
#define DE_SELECT		0x02
#define DE_RANGE_START		0x03
#define DE_RANGE_END		0x04
#define DE_ALIAS_SELECT		0x42
#define DE_ALIAS_RANGE		0x43
#define DE_EXT_SELECT		0x46
#define DE_EXT_RANGE		0x47
#define DE_SPECIAL		0x48
#define DE_ACPI_HID		0xf0
#define DE_HID_UID_LEN_OFF	21	/* a HID entry: 22 bytes and its UID */

static uint16_t ivrs_u16(const uint8_t *p)
{
	return (uint16_t)(p[0] | p[1] << 8);
}

static uint32_t ivrs_u32(const uint8_t *p)
{
	return (uint32_t)ivrs_u16(p) | (uint32_t)ivrs_u16(p + 2) << 16;
}

static uint64_t ivrs_u64(const uint8_t *p)
{
	return (uint64_t)ivrs_u32(p) | (uint64_t)ivrs_u32(p + 4) << 32;
}

static int ivrs_fail(struct ivrs *out, int err, const char *what, size_t off)
{
	fmt_snprintf(out->err, sizeof(out->err), "IVRS: %s at offset %zu", what, off);
	return err;
}

/* The length of the device entry at p (n bytes left), or 0 when it does not fit. */
static size_t ivrs_entry_len(const uint8_t *p, size_t n)
{
	size_t len;

	if (p[0] < 0x40)
		len = 4;
	else if (p[0] < 0x80)
		len = 8;
	else if (p[0] == DE_ACPI_HID)
		len = n > DE_HID_UID_LEN_OFF ? 22 + (size_t)p[DE_HID_UID_LEN_OFF] : 0;
	else if (p[0] < 0xc0)
		len = 16;
	else
		len = 32;
	return len && len <= n ? len : 0;
}

static int ivrs_add_alias(struct ivrs *out, uint32_t first, uint32_t last, uint16_t alias)
{
	for (uint32_t d = first; d <= last; d++) {
		if (out->nr_aliases == IVRS_MAX_ALIASES)
			return -E2BIG;
		out->alias[out->nr_aliases++] = (struct ivrs_alias){ (uint16_t)d, alias };
	}
	return 0;
}

/* Requester IDs first..last are behind unit u; a range that touches the previous one joins it. */
static int ivrs_add_scope(struct ivrs_unit *u, uint32_t first, uint32_t last)
{
	struct ivrs_range *r = u->nr_scope ? &u->scope[u->nr_scope - 1] : NULL;

	if (r && first <= (uint32_t)r->last + 1 && last + 1 >= r->first) {
		r->first = first < r->first ? (uint16_t)first : r->first;
		r->last = last > r->last ? (uint16_t)last : r->last;
		return 0;
	}
	if (u->nr_scope == IVRS_MAX_SCOPE)
		return -E2BIG;
	u->scope[u->nr_scope++] = (struct ivrs_range){ (uint16_t)first, (uint16_t)last };
	return 0;
}

/* The device entries of one IVHD: the requester IDs behind it, the highest of them, the
 * aliases and the special devices. */
static int ivrs_entries(struct ivrs *out, struct ivrs_unit *u, const uint8_t *p, size_t n,
			size_t off)
{
	bool in_range = false, range_alias = false;
	uint16_t range_first = 0, range_alias_id = 0;

	while (n) {
		size_t len = ivrs_entry_len(p, n);
		uint16_t id;

		if (!len)
			return ivrs_fail(out, -EINVAL, "truncated device entry", off);
		id = ivrs_u16(p + 1);
		switch (p[0]) {
		case DE_ALL:
			u->max_devid = 0xffff;
			if (ivrs_add_scope(u, 0, 0xffff) < 0)
				return ivrs_fail(out, -E2BIG, "too many device ranges", off);
			break;
		case DE_SELECT:
		case DE_EXT_SELECT:
			if (id > u->max_devid)
				u->max_devid = id;
			if (ivrs_add_scope(u, id, id) < 0)
				return ivrs_fail(out, -E2BIG, "too many device ranges", off);
			break;
		case DE_ALIAS_SELECT:
			if (id > u->max_devid)
				u->max_devid = id;
			if (ivrs_add_alias(out, id, id, ivrs_u16(p + 5)) < 0)
				return ivrs_fail(out, -E2BIG, "too many aliases", off);
			if (ivrs_add_scope(u, id, id) < 0 ||
			    ivrs_add_scope(u, ivrs_u16(p + 5), ivrs_u16(p + 5)) < 0)
				return ivrs_fail(out, -E2BIG, "too many device ranges", off);
			break;
		case DE_RANGE_START:
		case DE_EXT_RANGE:
		case DE_ALIAS_RANGE:
			if (in_range)
				return ivrs_fail(out, -EINVAL, "range start inside a range", off);
			in_range = true;
			range_first = id;
			range_alias = p[0] == DE_ALIAS_RANGE;
			range_alias_id = range_alias ? ivrs_u16(p + 5) : 0;
			break;
		case DE_RANGE_END:
			if (!in_range || id < range_first)
				return ivrs_fail(out, -EINVAL, "range end without its start", off);
			in_range = false;
			if (id > u->max_devid)
				u->max_devid = id;
			if (range_alias && ivrs_add_alias(out, range_first, id, range_alias_id) < 0)
				return ivrs_fail(out, -E2BIG, "too many aliases", off);
			if (ivrs_add_scope(u, range_first, id) < 0 ||
			    (range_alias && ivrs_add_scope(u, range_alias_id, range_alias_id) < 0))
				return ivrs_fail(out, -E2BIG, "too many device ranges", off);
			break;
		case DE_SPECIAL:
			/* An I/O APIC or HPET: its requester ID is used for interrupts only. */
			if (ivrs_u16(p + 5) > u->max_devid)
				u->max_devid = ivrs_u16(p + 5);
			if (p[7] != IVRS_SPECIAL_IOAPIC && p[7] != IVRS_SPECIAL_HPET)
				break;
			if (out->nr_special == IVRS_MAX_SPECIAL)
				return ivrs_fail(out, -E2BIG, "too many special devices", off);
			out->special[out->nr_special++] =
				(struct ivrs_special){ p[7], p[4], ivrs_u16(p + 5) };
			break;
		default:
			break;
		}
		p += len;
		n -= len;
		off += len;
	}
	if (in_range)
		return ivrs_fail(out, -EINVAL, "range without its end", off);
	return 0;
}

static int ivrs_ivhd(struct ivrs *out, const uint8_t *b, size_t len, size_t off)
{
	size_t head = b[0] == IVHD_LEGACY ? IVHD_LEGACY_LEN : IVHD_EFR_LEN;
	uint64_t base;
	struct ivrs_unit *u = NULL;
	bool again = false;

	if (len < head)
		return ivrs_fail(out, -EINVAL, "IVHD shorter than its header", off);
	base = ivrs_u64(b + 8);
	if (!base || (base & 0x3fff))
		return ivrs_fail(out, -EINVAL, "IVHD register base not 16 KiB aligned", off);
	for (size_t i = 0; i < out->nr_units; i++)
		if (out->unit[i].base == base && out->unit[i].segment == ivrs_u16(b + 16))
			u = &out->unit[i];
	if (!u) {
		if (out->nr_units == IVRS_MAX_UNITS)
			return ivrs_fail(out, -E2BIG, "too many IOMMUs", off);
		u = &out->unit[out->nr_units++];
		*u = (struct ivrs_unit){ .base = base, .segment = ivrs_u16(b + 16) };
	} else {
		/* The same unit in a newer block type: the first block's entries stand. */
		again = true;
	}
	u->devid = ivrs_u16(b + 4);
	u->cap = ivrs_u16(b + 6);
	if (b[0] >= u->type) {
		u->type = b[0];
		u->flags = b[1];
	}
	if (head == IVHD_EFR_LEN) {
		u->has_efr = true;
		u->efr = ivrs_u64(b + 24);
	}
	if (u->devid > u->max_devid)
		u->max_devid = u->devid;
	if (again)
		return 0;
	return ivrs_entries(out, u, b + head, len - head, off + head);
}

int ivrs_parse(const void *table, size_t len, struct ivrs *out)
{
	const uint8_t *t = table;
	size_t tlen, off;

	memset(out, 0, sizeof(*out));
	if (len < IVRS_HEADER_LEN || memcmp(t, "IVRS", 4))
		return ivrs_fail(out, -EINVAL, "no IVRS header", 0);
	tlen = ivrs_u32(t + 4);
	if (tlen < IVRS_HEADER_LEN || tlen > len)
		return ivrs_fail(out, -EINVAL, "table length outside the buffer", 4);
	out->ivinfo = ivrs_u32(t + 36);
	for (off = IVRS_HEADER_LEN; off < tlen;) {
		const uint8_t *b = t + off;
		size_t blen;
		int err;

		if (tlen - off < 4)
			return ivrs_fail(out, -EINVAL, "truncated block", off);
		blen = ivrs_u16(b + 2);
		if (blen < 4 || blen > tlen - off)
			return ivrs_fail(out, -EINVAL, "block length outside the table", off);
		if (b[0] == IVHD_LEGACY || b[0] == IVHD_EFR || b[0] == IVHD_ACPI) {
			if ((err = ivrs_ivhd(out, b, blen, off)) < 0)
				return err;
		} else if (b[0] >= IVMD_FIRST && b[0] <= IVMD_LAST) {
			out->nr_ivmd++;
		}
		off += blen;
	}
	if (!out->nr_units)
		return ivrs_fail(out, -EINVAL, "no IOMMU (IVHD) listed", off);
	return 0;
}

const struct ivrs_unit *ivrs_unit_of(const struct ivrs *iv, uint16_t devid)
{
	for (size_t i = 0; i < iv->nr_units; i++) {
		const struct ivrs_unit *u = &iv->unit[i];

		for (size_t k = 0; k < u->nr_scope; k++)
			if (devid >= u->scope[k].first && devid <= u->scope[k].last)
				return u;
	}
	return NULL;
}

uint16_t ivrs_alias_of(const struct ivrs *iv, uint16_t devid)
{
	for (size_t i = 0; i < iv->nr_aliases; i++)
		if (iv->alias[i].devid == devid)
			return iv->alias[i].alias;
	return devid;
}
