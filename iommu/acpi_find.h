/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Find one of the firmware's ACPI tables by signature, from the RSDP through the XSDT (or the
 * RSDT of an ACPI 1.0 firmware). Memory is reached through a caller's map function, so the
 * walk runs on the identity map in the EFI app and on a buffer in the host tests. Every
 * table's length is checked before it is read (at most ACPI_FIND_TABLE_MAX bytes). Pure C.
 */
#ifndef TWINMON_IOMMU_ACPI_FIND_H
#define TWINMON_IOMMU_ACPI_FIND_H

#include <stddef.h>
#include <stdint.h>

#define ACPI_FIND_TABLE_MAX	(1u << 20)

/* len bytes at physical address pa, or NULL when they are not readable. */
typedef const void *(*acpi_find_map_fn)(void *ctx, uint64_t pa, size_t len);

/*
 * The table with signature sig (4 characters): its address and length. 0, -ENOENT (no such
 * table), -EINVAL (a broken RSDP or root table).
 */
int acpi_find_table(uint64_t rsdp, const char *sig, acpi_find_map_fn map, void *ctx,
		    uint64_t *pa, uint32_t *len);

#endif
