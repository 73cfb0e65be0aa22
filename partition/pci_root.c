// SPDX-License-Identifier: GPL-2.0-only
#include "partition/pci_root.h"

#include <errno.h>
#include <string.h>

void partition_pci_root(const struct partition_plan *plan, unsigned g, uint8_t bus_end,
			struct partition_pci_root *out)
{
	const struct partition_guest *pg = &plan->guest[g];
	struct acpi_pci *pci = &out->pci;

	*pci = (struct acpi_pci){ .bus_end = bus_end, .windows = out->win, .routes = out->prt };
	for (size_t i = 0; i < pg->nr_bars && pci->n_windows < ACPI_PCI_MAX_WINDOWS; i++) {
		const struct partition_bar *b = &pg->bars[i];

		if (b->base)
			out->win[pci->n_windows++] = (struct acpi_pci_window){
				b->base, b->size, b->kind == PARTITION_BAR_IO, b->prefetchable
			};
	}
	for (size_t i = 0; i < pg->nr_intx; i++) {
		const struct partition_intx *x = &pg->intx[i];
		struct acpi_pci_route r = { (uint8_t)PARTITION_BDF_DEV(x->bdf),
					    (uint8_t)(x->pin - 1), x->gsi };
		bool dup = false;

		if (!x->gsi || PARTITION_BDF_BUS(x->bdf) != 0)
			continue;
		for (unsigned j = 0; j < pci->n_routes; j++)
			dup |= out->prt[j].dev == r.dev && out->prt[j].pin == r.pin;
		if (!dup && pci->n_routes < ACPI_PCI_MAX_ROUTES)
			out->prt[pci->n_routes++] = r;
	}
}

int partition_check_ecam(struct partition_plan *plan, unsigned g, uint64_t base, uint64_t end)
{
	const struct partition_guest *pg = &plan->guest[g];

	for (size_t i = 0; i < pg->nr_mmio; i++) {
		if (pg->mmio[i].base >= end || base >= pg->mmio[i].end)
			continue;
		return partition_fail(plan, -EBUSY,
				      "guest %c: mmio 0x%llx-0x%llx overlaps the ECAM window "
				      "0x%llx-0x%llx (configuration space is the monitor's)",
				      pg->letter, (unsigned long long)pg->mmio[i].base,
				      (unsigned long long)pg->mmio[i].end - 1,
				      (unsigned long long)base, (unsigned long long)end - 1);
	}
	return 0;
}
