/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * What the unit tests of the AMD-Vi programming (test_iommu_hw.c) and of the monitor's fault
 * reports (test_monitor_iommu.c) share: an IOMMU built as the boot builds it, for one guest.
 * Included by one test file each, after cmocka.h (static definitions).
 */
#ifndef TWINMON_TESTS_IOMMU_FIXTURE_H
#define TWINMON_TESTS_IOMMU_FIXTURE_H

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "iommu/iommu.h"

#define IOMMUFX_POOL_PA	0x40000000ULL	/* where the pool's memory is said to be */
#define IOMMUFX_IOAPIC	0xa0		/* the I/O APIC's requester ID */

/*
 * io from an IVRS with one unit at 00:01.0 (registers at 0xfed80000) covering every function,
 * and the I/O APIC at 00:14.0 (a special device entry: interrupts are remapped), as IVHD type
 * 0x11 with EFR IA (invalidate all) if ia, else as type 0x10; then its tables,
 * from pool, for guest a: RAM at 1-4 MiB and the function fn. Returns the pool's memory, for
 * the caller to free.
 */
static void *iommufx_build_fn(struct iommu *io, struct iommu_pool *pool, bool ia, uint16_t fn)
{
	unsigned hdr = ia ? 40 : 24;	/* IVHD type 0x11 carries the EFR image */
	uint8_t t[48 + 40 + 4 + 8] = "IVRS";
	size_t len = 48 + hdr + 4 + 8, pages = AMDVI_DEVTAB_PAGES + 64;
	struct partition_plan plan;
	void *mem;

	t[4] = (uint8_t)len;
	t[48] = ia ? 0x11 : 0x10;
	t[50] = (uint8_t)(hdr + 4 + 8);
	t[52] = 0x08;
	t[58] = 0xd8;
	t[59] = 0xfe;
	if (ia)
		t[48 + 24] = (uint8_t)AMDVI_EFR_IA;
	t[48 + hdr] = 1;	/* device entry: all functions */
	t[48 + hdr + 4] = 0x48;	/* special device: I/O APIC 0 as 00:14.0 */
	t[48 + hdr + 4 + 5] = IOMMUFX_IOAPIC;
	t[48 + hdr + 4 + 7] = IVRS_SPECIAL_IOAPIC;
	assert_int_equal(iommu_probe_ivrs(io, t, len), 0);
	mem = aligned_alloc(IOMMU_PAGE, pages * IOMMU_PAGE);
	assert_non_null(mem);
	iommu_pool_init(pool, IOMMUFX_POOL_PA, mem, pages);
	memset(&plan, 0, sizeof(plan));
	plan.guest[0] = (struct partition_guest){
		.present = true, .letter = 'a', .nr_ram = 1, .ram = { { 0x100000, 0x400000 } },
		.nr_pci = 1, .pci = { fn },
	};
	assert_int_equal(iommu_build(io, &plan, pool), 0);
	return mem;
}

/* The same for the function 00:10.0. */
static inline void *iommufx_build(struct iommu *io, struct iommu_pool *pool, bool ia)
{
	return iommufx_build_fn(io, pool, ia, PARTITION_BDF(0, 0x10, 0));
}

#endif
