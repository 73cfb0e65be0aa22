// SPDX-License-Identifier: GPL-2.0-only
/* PCI configuration space through 0xcf8/0xcfc (see pci.h). */
#include "guests/lib/pci.h"

#include "guests/lib/cpu.h"

#define PCI_CONFIG_ADDR		0xcf8
#define PCI_CONFIG_DATA		0xcfc
#define PCI_ENABLE		0x80000000u
#define PCI_BAR_IO		(1u << 0)
#define PCI_BAR_64		(2u << 1)
#define PCI_BAR_TYPE		(3u << 1)
#define PCI_BAR_MEM_MASK	0xfffffff0u
/* A corrupt capability list could loop: no function has more than this many. */
#define PCI_CAPS_MAX		48

static uint32_t pci_address(uint16_t bdf, uint16_t reg)
{
	return PCI_ENABLE | (uint32_t)bdf << 8 | (reg & 0xfc);
}

uint32_t pci_read32(uint16_t bdf, uint16_t reg)
{
	outl(PCI_CONFIG_ADDR, pci_address(bdf, reg));
	return inl(PCI_CONFIG_DATA);
}

void pci_write32(uint16_t bdf, uint16_t reg, uint32_t val)
{
	outl(PCI_CONFIG_ADDR, pci_address(bdf, reg));
	outl(PCI_CONFIG_DATA, val);
}

bool pci_find(uint16_t vendor, uint16_t device, uint16_t *bdf)
{
	uint32_t want = (uint32_t)device << 16 | vendor;

	for (unsigned dev = 0; dev < 32; dev++)
		for (unsigned fn = 0; fn < 8; fn++)
			if (pci_read32(PCI_BDF(0, dev, fn), PCI_VENDOR_ID) == want) {
				*bdf = PCI_BDF(0, dev, fn);
				return true;
			}
	return false;
}

uint8_t pci_find_cap(uint16_t bdf, uint8_t id)
{
	uint8_t at;

	if (!(pci_read32(bdf, PCI_COMMAND) & PCI_STATUS_CAPS))
		return 0;
	at = (uint8_t)pci_read32(bdf, PCI_CAP_PTR) & 0xfc;
	for (int n = 0; at >= 0x40 && n < PCI_CAPS_MAX; n++) {
		uint32_t head = pci_read32(bdf, at);

		if ((head & 0xff) == id)
			return at;
		at = (uint8_t)(head >> 8) & 0xfc;
	}
	return 0;
}

uint64_t pci_bar_address(uint16_t bdf, unsigned bar)
{
	uint16_t reg = (uint16_t)(PCI_BAR0 + 4 * bar);
	uint32_t lo = pci_read32(bdf, reg);
	uint64_t addr = lo & PCI_BAR_MEM_MASK;

	if (lo & PCI_BAR_IO)
		return 0;
	if ((lo & PCI_BAR_TYPE) == PCI_BAR_64 && bar < 5)
		addr |= (uint64_t)pci_read32(bdf, (uint16_t)(reg + 4)) << 32;
	return addr;
}
