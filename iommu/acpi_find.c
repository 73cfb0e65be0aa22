// SPDX-License-Identifier: GPL-2.0-only
#include "iommu/acpi_find.h"

#include <errno.h>
#include <string.h>

#define RSDP_V1_LEN		20
#define RSDP_V2_LEN		36
#define SDT_HEADER_LEN		36

static uint32_t acpi_find_u32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static uint64_t acpi_find_u64(const uint8_t *p)
{
	return (uint64_t)acpi_find_u32(p) | (uint64_t)acpi_find_u32(p + 4) << 32;
}

/* A table's length from its header, 0 when the header is unreadable or out of bounds. */
static uint32_t acpi_find_len(uint64_t pa, acpi_find_map_fn map, void *ctx)
{
	const uint8_t *h = map(ctx, pa, SDT_HEADER_LEN);
	uint32_t len;

	if (!h)
		return 0;
	len = acpi_find_u32(h + 4);
	return len >= SDT_HEADER_LEN && len <= ACPI_FIND_TABLE_MAX ? len : 0;
}

int acpi_find_table(uint64_t rsdp, const char *sig, acpi_find_map_fn map, void *ctx,
		    uint64_t *pa, uint32_t *len)
{
	const uint8_t *r = rsdp ? map(ctx, rsdp, RSDP_V1_LEN) : NULL;
	const uint8_t *root;
	uint64_t root_pa;
	uint32_t root_len;
	size_t esize;

	if (!r || memcmp(r, "RSD PTR ", 8))
		return -EINVAL;
	if (r[15] >= 2 && (r = map(ctx, rsdp, RSDP_V2_LEN)) && acpi_find_u64(r + 24)) {
		root_pa = acpi_find_u64(r + 24);
		esize = 8;
	} else if (r) {
		root_pa = acpi_find_u32(r + 16);
		esize = 4;
	} else {
		return -EINVAL;
	}
	if (!root_pa || !(root_len = acpi_find_len(root_pa, map, ctx)) ||
	    !(root = map(ctx, root_pa, root_len)))
		return -EINVAL;
	if (memcmp(root, esize == 8 ? "XSDT" : "RSDT", 4))
		return -EINVAL;
	for (size_t off = SDT_HEADER_LEN; off + esize <= root_len; off += esize) {
		uint64_t t = esize == 8 ? acpi_find_u64(root + off) : acpi_find_u32(root + off);
		const uint8_t *h;
		uint32_t tlen;

		if (!t || !(tlen = acpi_find_len(t, map, ctx)) || !(h = map(ctx, t, tlen)))
			continue;
		if (memcmp(h, sig, 4))
			continue;
		*pa = t;
		*len = tlen;
		return 0;
	}
	return -ENOENT;
}
