// SPDX-License-Identifier: GPL-2.0-only
/*
 * The PCI side of staging (efi/prep_pci.h): the host's ECAM from the firmware's MCFG, and what
 * a guest's ACPI tables and e820 say about its functions.
 */
#include "efi/prep_pci.h"

#include <efilib.h>
#include <errno.h>

#include "efi/log.h"
#include "partition/pci_root.h"

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
		log_printf("efi: no ECAM from the firmware's MCFG (%d): configuration space "
			   "through port 0xcf8 only, no extended registers", err);
		return;
	}
	log_printf("efi: ECAM at 0x%llx for buses %02x-%02x (MCFG, segment 0)",
		   (unsigned long long)(p->ecam.base +
					((uint64_t)p->ecam.bus_start << ACPI_ECAM_BUS_SHIFT)),
		   p->ecam.bus_start, p->ecam.bus_end);
}

/* No guest maps the host's ECAM (an `mmio` range, a BAR). */
static int prep_ecam_not_mapped(struct prep *p, unsigned gi)
{
	uint64_t base, end;

	if (!p->ecam.base)
		return 0;
	base = p->ecam.base + ((uint64_t)p->ecam.bus_start << ACPI_ECAM_BUS_SHIFT);
	end = p->ecam.base + (((uint64_t)p->ecam.bus_end + 1) << ACPI_ECAM_BUS_SHIFT);
	if (partition_check_ecam(&p->plan, gi, base, end) < 0) {
		log_printf("%s", partition_error(&p->plan));
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
	uint64_t base = p->ecam.base;
	uint64_t end = base + (((uint64_t)g->bus_end + 1) << ACPI_ECAM_BUS_SHIFT);
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

	static struct partition_pci_root root;	/* one guest at a time */

	if (!pg->nr_pci)
		return 0;
	partition_pci_root(&p->plan, gi, g->bus_end, &root);
	ag->pci = &root.pci;
	if (!g->ecam)
		return 0;
	ag->ecam_base = p->ecam.base;
	if (prep_reserve_ecam(p, g) < 0) {
		log_printf("efi: guest %c: no e820 entry left for its ECAM window", g->letter);
		return -E2BIG;
	}
	return 0;
}
