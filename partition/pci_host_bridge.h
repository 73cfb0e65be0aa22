/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The virtual host bridge a guest with PCI functions sees at 00:00.0, in place of the real
 * one (which stays the monitor's): Linux's legacy sanity check and its root bus scan look for
 * a host bridge there. Reads give a synthesized type 0 header, writes are dropped.
 *
 * Its ID is 1b36:0008, the ID Red Hat assigned to QEMU's generic PCIe host bridge: Linux 6.1
 * has no quirk or driver for it on x86 (unlike Intel or AMD chipset bridges, whose quirks
 * would poke registers the guest does not own), so it is inert there.
 */
#ifndef TWINMON_PARTITION_PCI_HOST_BRIDGE_H
#define TWINMON_PARTITION_PCI_HOST_BRIDGE_H

#include <stdint.h>

#include "partition/pci_filter.h"

#define PCI_HOST_BRIDGE_VENDOR	0x1b36
#define PCI_HOST_BRIDGE_DEVICE	0x0008
#define PCI_HOST_BRIDGE_CLASS	0x060000u	/* bridge, host bridge, no programming interface */

/*
 * A read of width bytes (1, 2 or 4) at reg (0..0xfff) of the virtual host bridge of guest f:
 * the header's bytes, zero elsewhere (no capabilities, no BARs, no interrupt). The header
 * says multi-function when f owns another function of device 00:00, so that Linux scans it.
 */
uint32_t pci_host_bridge_read(const struct pci_filter *f, uint16_t reg, unsigned width);

#endif
