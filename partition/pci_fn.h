/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * One function's configuration facts read at boot (struct partition_pci_fn in
 * partition/partition.h): the firmware's BAR, ROM BAR and command values and the offsets of
 * the capabilities the filter hides and the restart reset uses.
 */
#ifndef TWINMON_PARTITION_PCI_FN_H
#define TWINMON_PARTITION_PCI_FN_H

#include <stddef.h>
#include <stdint.h>

#include "partition/devices.h"

#define PCI_EXP_DEVCAP		0x04	/* PCI Express capability: Device Capabilities */
#define PCI_EXP_DEVCAP_FLR	0x10000000u
#define PCI_EXP_DEVCTL		0x08	/* Device Control (low half), Device Status (high) */
#define PCI_EXP_DEVCTL_FLR	0x8000u
#define PCI_EXP_DEVSTA_TRPND	0x0020u	/* Transactions Pending, in Device Status */
#define PCI_AF_CAP_FLR		0x02	/* AF Capabilities (byte 3): FLR; bit 0 TP */
#define PCI_AF_CTRL		0x04	/* AF Control (byte 4, bit 0 FLR), AF Status (byte 5) */
#define PCI_AF_STATUS_TP	0x0100u	/* in the dword at PCI_AF_CTRL */
#define PCI_COMMAND_MASTER	0x4
#define PCI_BRIDGE_BUSES	0x18	/* type 1: bus numbers, then the windows ... */
#define PCI_BRIDGE_WINDOWS_END	0x34	/* ... up to the I/O window's upper halves */
#define PCI_BRIDGE_CONTROL	0x3e	/* type 1: the high half of the interrupt dword */
#define PCI_ROM_ADDR_MASK	0xfffff800u
#define PCI_ROM_ENABLE		0x1

/* BARs of a header layout (6, 2, 1, or 0 for an unknown one) and its ROM BAR (0: none). */
unsigned partition_pci_fn_nr_bars(uint8_t header);
uint16_t partition_pci_fn_rom_reg(uint8_t header);

/*
 * Read fn's facts through ops (registers from 0x100 need ECAM; without it the extended list
 * reads as absent and nothing is hidden). -ENODEV when no function answers.
 */
int partition_pci_read_fn(const struct partition_pci_ops *ops, uint16_t bdf,
			  struct partition_pci_fn *fn);

/* The entry for bdf among n, or NULL. */
const struct partition_pci_fn *partition_pci_fn_find(const struct partition_pci_fn *fns,
						     size_t n, uint16_t bdf);

#endif
