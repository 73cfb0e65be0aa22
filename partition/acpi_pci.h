/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The AML of a guest's PCI root bridge, \_SB.PCI0, for its DSDT (partition/acpi.c):
 *
 *   Device (PCI0) {
 *     Name (_HID, EisaId ("PNP0A08"))  Name (_CID, EisaId ("PNP0A03"))
 *     Name (_SEG, 0)  Name (_BBN, 0)  Name (_UID, 0)
 *     Name (_CRS, ResourceTemplate () {
 *       WordBusNumber (0 .. bus_end)
 *       one WordIO / DWordMemory / QWordMemory producer window per BAR the guest owns
 *     })
 *     Name (_PRT, Package () { Package () { dev << 16 | 0xffff, pin, Zero, gsi }, ... })
 *   }
 *
 * The windows are exactly the guest's BARs, so Linux claims every BAR where the firmware put
 * it and has no room to move one; _PRT names GSIs of its virtual I/O APIC directly (no link
 * devices), which Linux programs level-triggered, active low.
 */
#ifndef TWINMON_PARTITION_ACPI_PCI_H
#define TWINMON_PARTITION_ACPI_PCI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define ACPI_PCI_MAX_WINDOWS	96	/* PARTITION_MAX_PCI functions x 6 BARs */
#define ACPI_PCI_MAX_ROUTES	64	/* 32 devices x 4 pins on bus 0 */

struct acpi_pci_window {
	uint64_t base;
	uint64_t size;		/* > 0 */
	bool io;		/* I/O ports (below 0x10000), else memory */
	bool prefetchable;
};

struct acpi_pci_route {
	uint8_t dev;		/* device (slot) on the root bus, 0..31 */
	uint8_t pin;		/* 0..3: INTA..INTD, as _PRT counts */
	uint8_t gsi;		/* input of the guest's I/O APIC */
};

struct acpi_pci {
	uint8_t bus_end;	/* the root bus decodes buses 0..bus_end */
	const struct acpi_pci_window *windows;
	unsigned n_windows;
	const struct acpi_pci_route *routes;
	unsigned n_routes;
};

/* Whether in can be described: counts in range, windows non-empty and not wrapping. */
bool acpi_pci_valid(const struct acpi_pci *in);

/*
 * Write Device (PCI0) at p and return its length; with p NULL only the length. in must be
 * valid (acpi_pci_valid()).
 */
size_t acpi_pci_aml(const struct acpi_pci *in, uint8_t *p);

#endif
