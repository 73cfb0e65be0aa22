// SPDX-License-Identifier: GPL-2.0-only
#include "partition/acpi_mcfg.h"

#include <errno.h>
#include <stdbool.h>
#include <string.h>

#define MCFG_HEADER		36	/* the system description table header */
#define MCFG_ENTRIES		44	/* header, then 8 reserved bytes */
#define MCFG_ENTRY		16	/* base, segment, start bus, end bus, 4 reserved */
#define RSDP_V1_LEN		20
#define RSDP_V2_LEN		36
#define RSDP_RSDT		16
#define RSDP_LENGTH		20
#define RSDP_XSDT		24
/* More entries than any firmware has; bounds the walk over a hostile table. */
#define MCFG_MAX_SDT_ENTRIES	256
/* A table larger than this is not one the firmware meant: MCFG is 60 bytes per segment. */
#define MCFG_MAX_TABLE		(1u << 20)

static uint32_t mcfg_le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static uint64_t mcfg_le64(const uint8_t *p)
{
	return (uint64_t)mcfg_le32(p) | (uint64_t)mcfg_le32(p + 4) << 32;
}

static bool mcfg_sum_ok(const uint8_t *p, size_t len)
{
	uint8_t s = 0;

	for (size_t i = 0; i < len; i++)
		s = (uint8_t)(s + p[i]);
	return s == 0;
}

int acpi_mcfg_parse(const void *table, size_t len, struct acpi_ecam *out)
{
	const uint8_t *t = table;
	uint32_t tlen;

	if (!t || len < MCFG_ENTRIES || memcmp(t, "MCFG", 4))
		return -EINVAL;
	tlen = mcfg_le32(t + 4);
	if (tlen < MCFG_ENTRIES || tlen > len || !mcfg_sum_ok(t, tlen))
		return -EINVAL;
	/* Trailing bytes short of a whole entry are ignored, as Linux does. */
	for (size_t off = MCFG_ENTRIES; off + MCFG_ENTRY <= tlen; off += MCFG_ENTRY) {
		const uint8_t *e = t + off;
		uint64_t base = mcfg_le64(e);
		uint16_t seg = (uint16_t)(e[8] | e[9] << 8);
		uint8_t start = e[10], end = e[11];

		if (seg != 0)
			continue;
		/*
		 * The window of the buses it names must be addressable and aligned as ECAM
		 * requires; a base of 0 would make config space alias page 0.
		 */
		if (!base || (base & ((1ULL << ACPI_ECAM_BUS_SHIFT) - 1)) || start > end ||
		    base + (((uint64_t)end + 1) << ACPI_ECAM_BUS_SHIFT) < base)
			return -EINVAL;
		out->base = base;
		out->bus_start = start;
		out->bus_end = end;
		return 0;
	}
	return -ENOENT;
}

/* A whole table at pa: its header first for the length, then all of it, checksum checked. */
static const uint8_t *mcfg_table(acpi_mcfg_map_fn map, void *ctx, uint64_t pa, uint32_t *len)
{
	const uint8_t *h = map(ctx, pa, MCFG_HEADER);

	if (!h)
		return NULL;
	*len = mcfg_le32(h + 4);
	if (*len < MCFG_HEADER || *len > MCFG_MAX_TABLE)
		return NULL;
	return map(ctx, pa, *len);
}

int acpi_mcfg_find(acpi_mcfg_map_fn map, void *ctx, uint64_t rsdp_pa, struct acpi_ecam *out)
{
	const uint8_t *rsdp = map(ctx, rsdp_pa, RSDP_V1_LEN), *sdt;
	uint64_t sdt_pa;
	uint32_t len;
	size_t width;

	if (!rsdp)
		return -EFAULT;
	if (memcmp(rsdp, "RSD PTR ", 8) || !mcfg_sum_ok(rsdp, RSDP_V1_LEN))
		return -EINVAL;
	/* Revision 2 has an XSDT (64-bit entries); revision 0 only the RSDT. */
	if (rsdp[15] >= 2) {
		rsdp = map(ctx, rsdp_pa, RSDP_V2_LEN);
		if (!rsdp)
			return -EFAULT;
		if (mcfg_le32(rsdp + RSDP_LENGTH) < RSDP_V2_LEN ||
		    !mcfg_sum_ok(rsdp, RSDP_V2_LEN))
			return -EINVAL;
		sdt_pa = mcfg_le64(rsdp + RSDP_XSDT);
		width = 8;
		if (!sdt_pa) {
			sdt_pa = mcfg_le32(rsdp + RSDP_RSDT);
			width = 4;
		}
	} else {
		sdt_pa = mcfg_le32(rsdp + RSDP_RSDT);
		width = 4;
	}
	if (!sdt_pa || !(sdt = mcfg_table(map, ctx, sdt_pa, &len)))
		return -EFAULT;
	if (memcmp(sdt, width == 8 ? "XSDT" : "RSDT", 4) || !mcfg_sum_ok(sdt, len))
		return -EINVAL;
	for (size_t i = 0; i < (len - MCFG_HEADER) / width && i < MCFG_MAX_SDT_ENTRIES; i++) {
		const uint8_t *e = sdt + MCFG_HEADER + i * width;
		uint64_t pa = width == 8 ? mcfg_le64(e) : mcfg_le32(e);
		const uint8_t *t, *h;
		uint32_t tlen;

		/* Tables that cannot be read are skipped: MCFG may still be further on. */
		if (!pa || !(h = map(ctx, pa, MCFG_HEADER)) || memcmp(h, "MCFG", 4))
			continue;
		if (!(t = mcfg_table(map, ctx, pa, &tlen)))
			return -EFAULT;
		return acpi_mcfg_parse(t, tlen, out);
	}
	return -ENOENT;
}
