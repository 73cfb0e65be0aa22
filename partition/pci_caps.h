/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Finding a function's capabilities: the list at 0x34 in the first 256 bytes and the extended
 * list from 0x100 (PCI Express). Both walks are bounded and tolerate a broken or looping list,
 * because a device (or a guest that programmed it) may present one.
 */
#ifndef TWINMON_PARTITION_PCI_CAPS_H
#define TWINMON_PARTITION_PCI_CAPS_H

#include <stdint.h>

#include "partition/devices.h"

#define PCI_REG_STATUS		0x06	/* high half of the command dword */
#define PCI_STATUS_CAPS		0x10	/* the capability list at 0x34 is valid */
#define PCI_REG_CAP_PTR		0x34
#define PCI_CAP_FIRST		0x40	/* below: the header, never a capability */
#define PCI_EXT_CAP_FIRST	0x100

#define PCI_CAP_PM		0x01
#define PCI_CAP_MSI		0x05
#define PCI_CAP_PCIE		0x10
#define PCI_CAP_MSIX		0x11
#define PCI_CAP_AF		0x13	/* advanced features: FLR for conventional PCI */

#define PCI_EXT_CAP_SRIOV	0x0010
#define PCI_EXT_CAP_REBAR	0x0015
#define PCI_EXT_CAP_VF_REBAR	0x0024

/* The offset of the first capability with this id, or 0 when there is none. */
uint16_t pci_caps_find(const struct partition_pci_ops *ops, uint16_t bdf, uint8_t id);

/*
 * The offset of the first extended capability with this id, or 0. Needs ops->read32 to reach
 * registers 0x100-0xfff (ECAM); a function without extended space reads all ones or zeros
 * there, which ends the walk.
 */
uint16_t pci_caps_find_ext(const struct partition_pci_ops *ops, uint16_t bdf, uint16_t id);

#endif
