/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * PCI configuration space through the legacy mechanism (0xcf8 address, 0xcfc data), the way a
 * test guest reaches the functions it owns. Under twinmon every access traps to the monitor's
 * filter: the guest's own functions are reached on the hardware, every other one reads as
 * all ones (an empty slot) and ignores writes.
 */
#ifndef TWINMON_GUESTS_PCI_H
#define TWINMON_GUESTS_PCI_H

#include <stdbool.h>
#include <stdint.h>

#define PCI_BDF(bus, dev, fn)	((uint16_t)((bus) << 8 | (dev) << 3 | (fn)))

#define PCI_VENDOR_ID		0x00	/* device ID in the high half */
#define PCI_COMMAND		0x04	/* status in the high half */
#define PCI_BAR0		0x10
#define PCI_CAP_PTR		0x34
#define PCI_COMMAND_MEMORY	(1u << 1)
#define PCI_COMMAND_MASTER	(1u << 2)
#define PCI_COMMAND_INTX_OFF	(1u << 10)
#define PCI_STATUS_CAPS		(1u << (16 + 4))	/* in the COMMAND dword */
#define PCI_CAP_MSI		0x05

/* reg: a dword offset (the low two bits are ignored). */
uint32_t pci_read32(uint16_t bdf, uint16_t reg);
void pci_write32(uint16_t bdf, uint16_t reg, uint32_t val);

/* The first function on bus 0 with this vendor and device ID: true and *bdf set. */
bool pci_find(uint16_t vendor, uint16_t device, uint16_t *bdf);

/* The offset of capability id in the function's list, 0 if it has none. */
uint8_t pci_find_cap(uint16_t bdf, uint8_t id);

/* A memory BAR's address (both halves of a 64-bit one); 0 for an I/O BAR or none. */
uint64_t pci_bar_address(uint16_t bdf, unsigned bar);

#endif
