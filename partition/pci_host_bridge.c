// SPDX-License-Identifier: GPL-2.0-only
#include "partition/pci_host_bridge.h"

#define PCI_HEADER_MULTIFUNCTION 0x80

static uint32_t pci_host_bridge_dword(const struct pci_filter *f, uint16_t reg)
{
	switch (reg) {
	case 0x00:
		return (uint32_t)PCI_HOST_BRIDGE_DEVICE << 16 | PCI_HOST_BRIDGE_VENDOR;
	case 0x08:
		return PCI_HOST_BRIDGE_CLASS << 8;	/* revision 0 */
	case 0x0c:
		for (unsigned fn = 1; fn < 8; fn++)
			if (pci_filter_owns(f, (uint16_t)fn))
				return (uint32_t)PCI_HEADER_MULTIFUNCTION << 16;
		return 0;
	}
	/* Command and status 0 (no capability list), no BARs, no interrupt pin. */
	return 0;
}

uint32_t pci_host_bridge_read(const struct pci_filter *f, uint16_t reg, unsigned width)
{
	uint32_t v = pci_host_bridge_dword(f, reg & 0xffc) >> (8 * (reg & 3));

	return width >= 4 ? v : v & ((1u << (8 * width)) - 1);
}
