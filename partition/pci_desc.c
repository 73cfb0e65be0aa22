// SPDX-License-Identifier: GPL-2.0-only
/*
 * Configuration space of a machine described in text (partition/pci_text.h): enough of it
 * for the boot scan and BAR sizing to run offline, in twinmon-check, exactly as at boot.
 */
#include "partition/pci_text.h"

#define PCI_DESC_ID		0x00011b36u	/* some vendor and device: the text names none */
#define PCI_DESC_MULTI		0x00800000u	/* header type bit 7 */
#define PCI_DESC_BAR_IO		0x1
#define PCI_DESC_BAR_MEM64	0x4

/* Whether bdf answers: it has a BAR listed, or it is function 0 of a device that does. */
static bool pci_desc_present(const struct partition_pci_desc *d, uint16_t bdf)
{
	for (size_t i = 0; i < d->nr; i++)
		if (d->bars[i].bdf == bdf ||
		    (PARTITION_BDF_FN(bdf) == 0 && (d->bars[i].bdf & ~7u) == bdf))
			return true;
	return false;
}

/* The BAR holding dword reg of bdf: its entry, and whether reg is its high half. */
static const struct partition_bar *pci_desc_bar(const struct partition_pci_desc *d,
						uint16_t bdf, uint16_t reg, size_t *slot)
{
	unsigned index;

	if (reg < PCI_REG_BAR0 || reg >= PCI_REG_BAR0 + 4 * PARTITION_MAX_BARS)
		return NULL;
	index = (reg - PCI_REG_BAR0) / 4u;
	for (size_t i = 0; i < d->nr; i++) {
		const struct partition_bar *b = &d->bars[i];

		if (b->bdf != bdf)
			continue;
		if (b->index == index || (b->kind == PARTITION_BAR_MEM64 && b->index + 1u == index)) {
			*slot = 2 * i + (b->index != index);
			return b;
		}
	}
	return NULL;
}

static uint32_t pci_desc_read32(void *ctx, uint16_t bdf, uint16_t reg)
{
	const struct partition_pci_desc *d = ctx;
	const struct partition_bar *b;
	uint64_t value;
	size_t slot;

	if (!pci_desc_present(d, bdf) || reg >= 0x100)
		return 0xffffffffu;
	if (reg == PCI_REG_ID)
		return PCI_DESC_ID;
	if (reg == PCI_REG_HEADER)
		return PARTITION_BDF_FN(bdf) ? 0 : PCI_DESC_MULTI;
	b = pci_desc_bar(d, bdf, reg, &slot);
	if (!b)
		return 0;
	value = d->sized[slot] ? ~(b->size - 1) : b->base;
	if (slot & 1)
		return (uint32_t)(value >> 32);
	if (b->kind == PARTITION_BAR_IO)
		return ((uint32_t)value & ~3u) | PCI_DESC_BAR_IO;
	return ((uint32_t)value & ~0xfu) | (b->kind == PARTITION_BAR_MEM64 ? PCI_DESC_BAR_MEM64 : 0);
}

/* Only sizing matters: a BAR reads its size mask after all ones, its base after anything. */
static void pci_desc_write32(void *ctx, uint16_t bdf, uint16_t reg, uint32_t val)
{
	struct partition_pci_desc *d = ctx;
	size_t slot;

	if (pci_desc_bar(d, bdf, reg, &slot))
		d->sized[slot] = val == 0xffffffffu;
}

struct partition_pci_ops partition_pci_desc_ops(struct partition_pci_desc *desc)
{
	return (struct partition_pci_ops){ pci_desc_read32, pci_desc_write32, desc };
}
