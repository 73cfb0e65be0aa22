/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * MSI and MSI-X of the PCI functions a guest owns. Without an IOMMU that remaps interrupts, an
 * MSI is a memory write that goes straight to the physical local APIC of the CPU the monitor
 * runs on, so whoever programs the capability chooses what that CPU receives: an INIT resets
 * it (the monitor and both guests with it), an SMI enters the firmware's SMM, and a fixed
 * interrupt on a vector the monitor routes (its timer, the device vector of a line the other
 * guest owns) is taken as the monitor's own. The guest's configuration writes to its own
 * functions (monitor/vio.c) therefore pass through here, and MSI Enable is never left set on
 * the hardware while the message is not one of these:
 *
 *   address   0xfeexxxxx, high dword 0: the local APIC (destination, redirection hint and
 *             destination mode are the guest's)
 *   data      delivery mode fixed (000) or lowest priority (001); no vector the function may
 *             send (with Multiple Message Enable it replaces the low bits) is IRQ_TIMER_VECTOR
 *             or a device vector IRQ_DEVICE_VECTOR(0..IOAPIC_MAX_PINS - 1); extended message
 *             data, when enabled, 0
 *
 * Any other vector, 0x10-0x1f and 0xff included, reaches the monitor as an "other" interrupt
 * that is acknowledged and counted (irq/vector.h), never handed to a guest. Per-vector mask
 * bits are the guest's business.
 *
 * MSI-X Enable is never set on the hardware: its table lives in a BAR that is mapped straight
 * into the guest, so the monitor cannot see the messages. Allowing it needs the table's pages
 * trapped and checked like the MSI registers here, or an IOMMU with interrupt remapping.
 */
#ifndef TWINMON_MONITOR_VMSI_H
#define TWINMON_MONITOR_VMSI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "monitor/core.h"

#define VMSI_CAP_MSI		0x05
#define VMSI_CAP_MSIX		0x11
#define VMSI_WALK_MAX		48	/* capability list entries followed; a loop ends here */

/* The MSI capability's Message Control (at cap + 2). */
#define VMSI_CTL_ENABLE		0x0001
#define VMSI_CTL_MME_SHIFT	4
#define VMSI_CTL_MME_MASK	0x0070
#define VMSI_CTL_64BIT		0x0080
#define VMSI_CTL_EXT_DATA_EN	0x0400
/* The MSI-X capability's Message Control (at cap + 2). */
#define VMSIX_CTL_ENABLE	0x8000

/*
 * Whether an MSI with this Message Control, address and data (the low 16 bits the message
 * data, the high 16 the extended message data) may reach the local APIC; if not, why says
 * why (e.g. "delivery mode INIT").
 */
bool vmsi_message_ok(uint16_t ctl, uint64_t addr, uint32_t data, char *why, size_t size);

/*
 * Find function bdf's capabilities (the first time: walked on the hardware, then kept in
 * g->msi) and clear whatever is enabled and refused now: MSI-X Enable, MSI Enable with an
 * unacceptable message. Called at a function's first write; also fit for a guest's start.
 */
void vmsi_check_function(struct monitor *m, struct guest *g, uint16_t bdf);

/*
 * Before a configuration write the filter allowed (reg < 0x100; size 1, 2 or 4 within one
 * dword). *val loses MSI-X Enable, and MSI Enable when the message would be refused; a write
 * to the message of an enabled MSI that makes it refused disables MSI on the hardware first,
 * so the function never holds an enabled message it may not send.
 */
void vmsi_before_write(struct monitor *m, struct guest *g, uint16_t bdf, uint16_t reg,
		       uint8_t size, uint32_t *val);
/* After the write reached the hardware: what the function now holds, checked again. */
void vmsi_after_write(struct monitor *m, struct guest *g, uint16_t bdf, uint16_t reg,
		      uint8_t size);

#endif
