// SPDX-License-Identifier: GPL-2.0-only
/*
 * The PCI side of staging (efi/prep_pci.h): the host's ECAM from the firmware's MCFG, and what
 * a guest's ACPI tables and e820 say about its functions.
 */
#include "efi/prep_pci.h"

#include <efilib.h>
#include <errno.h>

#include "efi/log.h"

static const void *prep_acpi_map(void *ctx, uint64_t pa, uint64_t len)
{
	return (const void *)(uintptr_t)pa;
}

/* The host's ECAM window, if the firmware's MCFG names one for segment 0. */
void prep_host_ecam(struct prep *p)
{
	uint64_t rsdp = prep_find_rsdp();
	int err = rsdp ? acpi_mcfg_find(prep_acpi_map, NULL, rsdp, &p->ecam) : -ENOENT;

	if (err < 0) {
		p->ecam = (struct acpi_ecam){ 0 };
		log_printf("efi: no ECAM from the firmware's MCFG (%d): configuration space through "
			   "port 0xcf8 only, no extended registers", err);
		return;
	}
	log_printf("efi: ECAM at 0x%llx for buses %02x-%02x (MCFG, segment 0)",
		   (unsigned long long)(p->ecam.base +
					((uint64_t)p->ecam.bus_start << ACPI_ECAM_BUS_SHIFT)),
		   p->ecam.bus_start, p->ecam.bus_end);
}

/*
 * Its root bridge for the DSDT: one window per BAR it owns, one _PRT entry per (slot, pin) of
 * the root bus with a route. Static: the tables are built one guest at a time.
 */
static const struct acpi_pci *prep_guest_pci(const struct prep_guest *g,
					     const struct partition_guest *pg)
{
	static struct acpi_pci_window win[ACPI_PCI_MAX_WINDOWS];
	static struct acpi_pci_route prt[ACPI_PCI_MAX_ROUTES];
	static struct acpi_pci pci;

	pci = (struct acpi_pci){ .bus_end = g->bus_end, .windows = win, .routes = prt };
	for (size_t i = 0; i < pg->nr_bars && pci.n_windows < ACPI_PCI_MAX_WINDOWS; i++) {
		const struct partition_bar *b = &pg->bars[i];

		if (b->base)
			win[pci.n_windows++] = (struct acpi_pci_window){
				b->base, b->size, b->kind == PARTITION_BAR_IO, b->prefetchable
			};
	}
	for (size_t i = 0; i < pg->nr_intx; i++) {
		const struct partition_intx *x = &pg->intx[i];
		struct acpi_pci_route r = { (uint8_t)PARTITION_BDF_DEV(x->bdf),
					    (uint8_t)(x->pin - 1), x->gsi };
		bool dup = false;

		/* Behind a bridge the pin reaches bus 0 swizzled: not described (MSI only). */
		if (!x->gsi || PARTITION_BDF_BUS(x->bdf) != 0)
			continue;
		for (unsigned j = 0; j < pci.n_routes; j++)
			dup |= prt[j].dev == r.dev && prt[j].pin == r.pin;
		if (!dup && pci.n_routes < ACPI_PCI_MAX_ROUTES)
			prt[pci.n_routes++] = r;
	}
	return &pci;
}

/*
 * No guest maps the host's ECAM (an `mmio` range, a BAR): it would reach every function's
 * configuration space past the filter.
 */
static int prep_ecam_not_mapped(struct prep *p, unsigned gi)
{
	const struct partition_guest *pg = &p->plan.guest[gi];
	uint64_t base, end;

	if (!p->ecam.base)
		return 0;
	base = p->ecam.base + ((uint64_t)p->ecam.bus_start << ACPI_ECAM_BUS_SHIFT);
	end = p->ecam.base + (((uint64_t)p->ecam.bus_end + 1) << ACPI_ECAM_BUS_SHIFT);
	for (size_t i = 0; i < pg->nr_mmio; i++)
		if (pg->mmio[i].base < end && base < pg->mmio[i].end) {
			log_printf("efi: guest %c: mmio 0x%llx-0x%llx overlaps the ECAM window "
				   "0x%llx-0x%llx (configuration space is the monitor's)",
				   pg->letter, (unsigned long long)pg->mmio[i].base,
				   (unsigned long long)pg->mmio[i].end - 1, (unsigned long long)base,
				   (unsigned long long)end - 1);
			return -EBUSY;
		}
	return 0;
}

/*
 * Linux uses MMCONFIG only where its e820 reserves the window: list it reserved when the
 * firmware's map did not already.
 */
static int prep_reserve_ecam(struct prep *p, struct prep_guest *g)
{
	uint64_t base = p->ecam.base, end = base + (((uint64_t)g->bus_end + 1) << ACPI_ECAM_BUS_SHIFT);
	struct e820_table *t = &g->e820;

	for (uint32_t i = 0; i < t->nr; i++)
		if (t->entry[i].type == E820_RESERVED && t->entry[i].addr <= base &&
		    end - t->entry[i].addr <= t->entry[i].size)
			return 0;
	if (t->nr == E820_MAX_ENTRIES)
		return -E2BIG;
	/* Linux sorts and merges the table it is given. */
	t->entry[t->nr++] = (struct e820_entry){ base, end - base, E820_RESERVED };
	return 0;
}

int prep_guest_pci_read(struct prep *p, unsigned gi)
{
	const struct partition_guest *pg = &p->plan.guest[gi];
	struct prep_guest *g = &p->guest[gi];
	int err;

	g->bus_end = 0;
	for (size_t i = 0; i < pg->nr_pci; i++)
		if (PARTITION_BDF_BUS(pg->pci[i]) > g->bus_end)
			g->bus_end = (uint8_t)PARTITION_BDF_BUS(pg->pci[i]);
	/* Its MCFG starts at bus 0, where its host bridge is. */
	g->ecam = pg->nr_pci && p->ecam.base && p->ecam.bus_start == 0 &&
		  g->bus_end <= p->ecam.bus_end;
	if (p->pci && (err = p->pci(p, gi)) < 0)
		return err;
	return prep_ecam_not_mapped(p, gi);
}

int prep_guest_acpi_pci(struct prep *p, unsigned gi, struct acpi_guest *ag)
{
	struct prep_guest *g = &p->guest[gi];
	const struct partition_guest *pg = &p->plan.guest[gi];

	if (!pg->nr_pci)
		return 0;
	ag->pci = prep_guest_pci(g, pg);
	if (!g->ecam)
		return 0;
	ag->ecam_base = p->ecam.base;
	if (prep_reserve_ecam(p, g) < 0) {
		log_printf("efi: guest %c: no e820 entry left for its ECAM window", g->letter);
		return -E2BIG;
	}
	return 0;
}
