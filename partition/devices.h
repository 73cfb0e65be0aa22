/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Device ownership: I/O ports, legacy UARTs, PCI functions and their BARs, IRQ lines.
 * A resource belongs to at most one of guest a, guest b and the monitor.
 */
#ifndef TWINMON_PARTITION_DEVICES_H
#define TWINMON_PARTITION_DEVICES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "partition/partition.h"

/* Legacy UARTs, n = 0 for com1 .. 3 for com4. Out of range: NULL / 0. */
const char *partition_uart_name(unsigned n);
uint16_t partition_uart_port(unsigned n);
unsigned partition_uart_irq(unsigned n);
#define PARTITION_UART_PORTS 8	/* a 16550 decodes 8 consecutive ports */

/* Add an inclusive port range to a sorted, merged list. -E2BIG when full. */
int partition_ports_add(struct partition_ports *p, size_t *n, size_t cap, uint16_t first,
			uint16_t last);

/*
 * The guest's ports, IRQs and MMIO against the monitor's and the other guest's:
 * 0 or -EBUSY with a message naming both owners.
 */
int partition_check_devices(struct partition_plan *plan, unsigned g);

/* MMIO [b, e) must not be anyone's RAM (the NPT would map one host page twice). */
int partition_check_mmio_not_ram(struct partition_plan *plan, unsigned g, uint64_t b,
				 uint64_t e);

/*
 * Config space access at boot; reg is dword aligned. Below 0x100 any configuration mechanism
 * does; extended registers (0x100-0xfff) need ECAM, and read as all ones where it is missing.
 */
struct partition_pci_ops {
	uint32_t (*read32)(void *ctx, uint16_t bdf, uint16_t reg);
	void (*write32)(void *ctx, uint16_t bdf, uint16_t reg, uint32_t val);
	void *ctx;
};

#define PCI_REG_ID		0x00
#define PCI_REG_COMMAND		0x04
#define PCI_REG_HEADER		0x0c	/* header type is byte 2 of this dword */
#define PCI_REG_BAR0		0x10
#define PCI_REG_ROM		0x30	/* expansion ROM BAR of a type 0 header */
#define PCI_REG_BRIDGE_ROM	0x38	/* ... of a type 1 (bridge) header */
#define PCI_COMMAND_IO		0x1
#define PCI_COMMAND_MEMORY	0x2

/*
 * Read the BARs of one function. Sizing writes all ones to each BAR and restores it, with
 * I/O and memory decoding switched off meanwhile so the device never answers at the
 * all-ones address. Unimplemented BARs are left out; an implemented but unassigned BAR
 * (base 0) is returned with base 0. -ENODEV when no function answers, -EINVAL for a
 * malformed BAR (64-bit in the last slot, reserved type) with a message in err.
 */
int partition_pci_read_bars(const struct partition_pci_ops *ops, uint16_t bdf,
			    struct partition_bar *bars, size_t cap, size_t *n, char *err,
			    size_t errlen);

/*
 * Every function on buses 0-255 (device 0-31; functions 1-7 of multi-function devices) and
 * its BARs, into plan->machine_bars. A function whose BARs are malformed is left out (the
 * guest that owns one is refused by partition_add_pci_bars). -E2BIG past
 * PARTITION_MAX_MACHINE_BARS.
 */
int partition_pci_scan(struct partition_plan *plan, const struct partition_pci_ops *ops);

/*
 * At boot, after partition_plan_build(): read the BARs of guest g's functions and give
 * their MMIO (rounded out to pages) and I/O ports to g, and keep their boot facts
 * (pg->fn, partition/pci_fn.h). Scans the machine first (partition_pci_scan) unless that
 * was done. Fails when a BAR lies in RAM, shares a 4 KiB page with a BAR of a function g
 * does not own (naming both), or shares a page or a port with what another owner has.
 * Once per guest.
 */
int partition_add_pci_bars(struct partition_plan *plan, unsigned g,
			   const struct partition_pci_ops *ops);

/* Guest g's memory BARs (already read) against the scanned ones it does not own: 0, -EBUSY. */
int partition_pci_check_pages(struct partition_plan *plan, unsigned g);

const char *partition_bar_kind_name(unsigned kind);

/*
 * At boot, after partition_add_pci_bars(): read each function's interrupt pin and route it
 * (partition/pci_intx.c); the GSI joins g's IRQ lines, so a line both guests need is an error
 * naming both. ops must reach 00:00.0 (the host bridge's ID picks the chipset rule).
 */
int partition_add_pci_intx(struct partition_plan *plan, unsigned g,
			   const struct partition_pci_ops *ops);
/* QEMU q35's GSI for INTx pin (1..4) of a device in slot (0..31) of bus 0; 0 if out of range. */
unsigned partition_intx_q35_gsi(unsigned slot, unsigned pin);
const char *partition_intx_source_name(unsigned source);

#endif
