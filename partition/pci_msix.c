// SPDX-License-Identifier: GPL-2.0-only
#include "partition/pci_msix.h"

#include <errno.h>

#include "partition/pci_caps.h"
#include "partition/rangeset.h"

#define PCI_MSIX_REG_TABLE	4
#define PCI_MSIX_REG_PBA	8

uint64_t partition_msix_pba_bytes(unsigned entries)
{
	return ((uint64_t)entries + 63) / 64 * 8;
}

/* The memory BAR bir of function bdf, as partition_add_pci_bars() read it; NULL if none. */
static const struct partition_bar *partition_msix_bar(const struct partition_guest *pg,
						      uint16_t bdf, unsigned bir)
{
	for (size_t i = 0; i < pg->nr_bars; i++)
		if (pg->bars[i].bdf == bdf && pg->bars[i].index == bir &&
		    pg->bars[i].kind != PARTITION_BAR_IO && pg->bars[i].base)
			return &pg->bars[i];
	return NULL;
}

/* Where [bir, offset, offset + bytes) lies, if that is inside the BAR; 0 if not. */
static uint64_t partition_msix_locate(const struct partition_guest *pg, uint16_t bdf,
				      uint32_t reg, uint64_t bytes)
{
	const struct partition_bar *bar = partition_msix_bar(pg, bdf, reg & PCI_MSIX_BIR_MASK);
	uint64_t off = reg & ~PCI_MSIX_BIR_MASK;

	if (!bar || off > bar->size || bytes > bar->size - off)
		return 0;
	return bar->base + off;
}

int partition_pci_msix(struct partition_plan *plan, unsigned g,
		       const struct partition_pci_ops *ops)
{
	struct partition_guest *pg = &plan->guest[g];

	pg->nr_msix = 0;
	for (size_t i = 0; i < pg->nr_pci; i++) {
		uint16_t bdf = pg->pci[i], cap = pci_caps_find(ops, bdf, PCI_CAP_MSIX);
		struct partition_msix *x = &pg->msix[pg->nr_msix];
		uint32_t tbl, pba;

		if (!cap)
			continue;
		*x = (struct partition_msix){ .bdf = bdf, .cap = (uint8_t)cap };
		x->entries = (uint16_t)(((ops->read32(ops->ctx, bdf, cap) >> 16) &
					 PCI_MSIX_SIZE_MASK) + 1);
		tbl = ops->read32(ops->ctx, bdf, (uint16_t)(cap + PCI_MSIX_REG_TABLE));
		pba = ops->read32(ops->ctx, bdf, (uint16_t)(cap + PCI_MSIX_REG_PBA));
		x->table = partition_msix_locate(pg, bdf, tbl,
						 (uint64_t)x->entries * PCI_MSIX_ENTRY_SIZE);
		x->pba = partition_msix_locate(pg, bdf, pba, partition_msix_pba_bytes(x->entries));
		if (!x->table || !x->pba)
			return partition_fail(plan, -EINVAL,
					      "guest %c: pci %02x:%02x.%x: its MSI-X %s (BAR%u + "
					      "0x%x) is not inside one of its memory BARs",
					      pg->letter, PARTITION_BDF_BUS(bdf),
					      PARTITION_BDF_DEV(bdf), PARTITION_BDF_FN(bdf),
					      x->table ? "PBA" : "table",
					      (x->table ? pba : tbl) & PCI_MSIX_BIR_MASK,
					      (x->table ? pba : tbl) & ~PCI_MSIX_BIR_MASK);
		pg->nr_msix++;
	}
	return 0;
}

int partition_msix_carve(const struct partition_plan *plan, unsigned g,
			 struct partition_range *r, size_t *n, size_t cap)
{
	const struct partition_guest *pg = &plan->guest[g];

	for (size_t i = 0; i < pg->nr_msix; i++) {
		const struct partition_msix *x = &pg->msix[i];
		uint64_t b, e;

		rangeset_page_out(x->table, (uint64_t)x->entries * PCI_MSIX_ENTRY_SIZE, &b, &e);
		if (rangeset_remove(r, n, cap, b, e))
			return -E2BIG;
		rangeset_page_out(x->pba, partition_msix_pba_bytes(x->entries), &b, &e);
		if (rangeset_remove(r, n, cap, b, e))
			return -E2BIG;
	}
	return 0;
}
