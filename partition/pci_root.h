/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * A guest's PCI root bridge as its ACPI tables describe it (partition/acpi_pci.h), from its
 * plan: the bus range, one window per BAR it owns, one _PRT entry per routed (slot, pin) of
 * the root bus; and the check that none of its MMIO maps the host's ECAM window.
 */
#ifndef TWINMON_PARTITION_PCI_ROOT_H
#define TWINMON_PARTITION_PCI_ROOT_H

#include <stdint.h>

#include "partition/acpi_pci.h"
#include "partition/partition.h"

struct partition_pci_root {
	struct acpi_pci pci;		/* points into the arrays below */
	struct acpi_pci_window win[ACPI_PCI_MAX_WINDOWS];
	struct acpi_pci_route prt[ACPI_PCI_MAX_ROUTES];
};

/*
 * Guest g's root bridge for buses 0..bus_end, after partition_add_pci_bars() and
 * partition_add_pci_intx(). Unassigned BARs get no window; functions behind a bridge no _PRT
 * entry (their pins reach bus 0 swizzled: MSI only); one entry per (slot, pin), the first
 * function's route.
 */
void partition_pci_root(const struct partition_plan *plan, unsigned g, uint8_t bus_end,
			struct partition_pci_root *out);

/*
 * 0, or -EBUSY with a message when an MMIO range of guest g (a BAR, an `mmio` range) overlaps
 * the host's ECAM window [base, end): it would reach every function past the filter.
 */
int partition_check_ecam(struct partition_plan *plan, unsigned g, uint64_t base, uint64_t end);

#endif
