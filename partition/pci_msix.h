/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The MSI-X tables of a guest's functions. A table entry is a message the device sends as a
 * memory write, and the table lives in one of the function's memory BARs, which the guest
 * has mapped. So each table and its pending bit array are found at plan time, recorded in the
 * plan (partition_guest.msix), and their pages are left out of the guest's nested page tables
 * (partition/npt_plan.c): every guest access there traps to the monitor, which keeps the
 * guest's entries to itself and programs the device with its own (monitor/vmsix.c).
 */
#ifndef TWINMON_PARTITION_PCI_MSIX_H
#define TWINMON_PARTITION_PCI_MSIX_H

#include <stdint.h>

#include "partition/devices.h"

#define PCI_MSIX_ENTRY_SIZE	16
#define PCI_MSIX_BIR_MASK	0x7u	/* BAR indicator in the table and PBA dwords */
#define PCI_MSIX_SIZE_MASK	0x07ffu	/* table size - 1, in Message Control */

/* Bytes of pending bits for n entries: one bit each, in whole qwords. */
uint64_t partition_msix_pba_bytes(unsigned entries);

/*
 * After guest g's BARs were read (partition_add_pci_bars() calls it): record where each of
 * its functions with an MSI-X capability keeps its table and pending bits. A table or PBA
 * that is not inside one of the function's assigned memory BARs fails the plan (-EINVAL,
 * naming the function): the monitor could not trap it, and the device could hold messages
 * the monitor never saw.
 */
int partition_pci_msix(struct partition_plan *plan, unsigned g,
		       const struct partition_pci_ops *ops);

/* Remove the pages of guest g's MSI-X tables and PBAs from the sorted list r (0, -E2BIG). */
int partition_msix_carve(const struct partition_plan *plan, unsigned g,
			 struct partition_range *r, size_t *n, size_t cap);

#endif
