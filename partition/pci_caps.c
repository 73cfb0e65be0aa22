// SPDX-License-Identifier: GPL-2.0-only
#include "partition/pci_caps.h"

/* A list longer than this loops: 48 dword-aligned capabilities fit in 0x40-0xff. */
#define PCI_CAPS_MAX		48
#define PCI_EXT_CAPS_MAX	((0x1000 - PCI_EXT_CAP_FIRST) / 4)

uint16_t pci_caps_find(const struct partition_pci_ops *ops, uint16_t bdf, uint8_t id)
{
	uint32_t cmd = ops->read32(ops->ctx, bdf, PCI_REG_COMMAND);
	unsigned ptr;

	if (cmd == 0xffffffffu || !((cmd >> 16) & PCI_STATUS_CAPS))
		return 0;
	/* The pointers' low two bits are reserved: an OS masks them, so the walk does too. */
	ptr = ops->read32(ops->ctx, bdf, PCI_REG_CAP_PTR) & 0xfc;
	for (unsigned n = 0; n < PCI_CAPS_MAX && ptr >= PCI_CAP_FIRST; n++) {
		uint32_t head = ops->read32(ops->ctx, bdf, (uint16_t)ptr);

		if ((head & 0xff) == id)
			return (uint16_t)ptr;
		ptr = (head >> 8) & 0xfc;
	}
	return 0;
}

uint16_t pci_caps_find_ext(const struct partition_pci_ops *ops, uint16_t bdf, uint16_t id)
{
	unsigned ptr = PCI_EXT_CAP_FIRST;

	for (unsigned n = 0; n < PCI_EXT_CAPS_MAX && ptr >= PCI_EXT_CAP_FIRST; n++) {
		uint32_t head = ops->read32(ops->ctx, bdf, (uint16_t)ptr);

		if (head == 0 || head == 0xffffffffu)
			return 0;
		if ((head & 0xffff) == id)
			return (uint16_t)ptr;
		ptr = (head >> 20) & 0xffc;
	}
	return 0;
}
