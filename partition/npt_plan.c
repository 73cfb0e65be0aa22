// SPDX-License-Identifier: GPL-2.0-only
/*
 * What a guest's nested page tables map: its RAM, its devices' MMIO and, on request, the
 * firmware's ACPI tables. Nothing else, so any other access is a nested page fault the
 * monitor sees.
 */
#include <errno.h>

#include "partition/npt.h"
#include "partition/pci_msix.h"
#include "partition/rangeset.h"

#define NPT_ATTR_RAM	(NPT_MAP_WRITE)
#define NPT_ATTR_MMIO	(NPT_MAP_WRITE | NPT_MAP_UC)
#define NPT_ATTR_ACPI	(NPT_MAP_READ)
#define NPT_MAX_ACPI	64	/* PARTITION_MAX_NPT_REGIONS counts on it */
/* Carving a table's and a PBA's pages out of the middle of a BAR splits it twice. */
#define NPT_MAX_MMIO	(PARTITION_MAX_MMIO + 2 * PARTITION_MAX_PCI)

static int npt_region_push(struct npt_region *r, size_t cap, size_t *n,
			   const struct partition_range *pr, unsigned attr)
{
	if (*n && r[*n - 1].end == pr->base && r[*n - 1].attr == attr) {
		r[*n - 1].end = pr->end;
		return 0;
	}
	if (*n >= cap)
		return -E2BIG;
	r[(*n)++] = (struct npt_region){ pr->base, pr->end, attr };
	return 0;
}

int partition_npt_regions(struct partition_plan *plan, unsigned g, struct npt_region *r,
			  size_t cap, size_t *n)
{
	struct partition_range acpi[NPT_MAX_ACPI], mmio[NPT_MAX_MMIO];
	size_t nr_acpi = 0, nr_mmio, i = 0, j = 0, k = 0;
	const struct partition_guest *pg;

	if (g >= PARTITION_NR_GUESTS || !plan->guest[g].present)
		return partition_fail(plan, -EINVAL, "npt: no guest %u", g);
	pg = &plan->guest[g];
	*n = 0;
	/* Its MMIO but the pages of its MSI-X tables: those the monitor emulates. */
	nr_mmio = pg->nr_mmio;
	for (size_t m = 0; m < nr_mmio; m++)
		mmio[m] = pg->mmio[m];
	if (partition_msix_carve(plan, g, mmio, &nr_mmio, NPT_MAX_MMIO))
		return partition_fail(plan, -E2BIG, "guest %c: more than %d mmio ranges without "
				      "its MSI-X tables", pg->letter, NPT_MAX_MMIO);
	for (size_t m = 0; pg->map_acpi && m < plan->map->count; m++) {
		const struct memmap_entry *me = &plan->map->entries[m];
		uint64_t b, e;

		if ((me->type != MEMMAP_ACPI && me->type != MEMMAP_NVS) || !me->size)
			continue;
		rangeset_page_out(me->base, me->size, &b, &e);
		if (e > plan->phys_limit)
			e = plan->phys_limit;
		if (rangeset_add(acpi, &nr_acpi, NPT_MAX_ACPI, b, e))
			return partition_fail(plan, -E2BIG,
					      "guest %c: more than %d ACPI ranges to map",
					      pg->letter, NPT_MAX_ACPI);
		/* The monitor's memory stays unmapped even if a reservation covers tables. */
		for (size_t mi = 0; mi < plan->nr_monitor; mi++)
			if (rangeset_remove(acpi, &nr_acpi, NPT_MAX_ACPI, plan->monitor[mi].r.base,
					    plan->monitor[mi].r.end))
				return partition_fail(plan, -E2BIG,
						      "guest %c: more than %d ACPI ranges to map",
						      pg->letter, NPT_MAX_ACPI);
		if (rangeset_find_overlap(pg->mmio, pg->nr_mmio, b, e) >= 0)
			return partition_fail(plan, -EINVAL,
					      "guest %c: ACPI range 0x%llx-0x%llx overlaps its mmio",
					      pg->letter, (unsigned long long)b,
					      (unsigned long long)(e - 1));
	}
	/* Three sorted, disjoint lists (RAM and ACPI never share a page): merge them. */
	while (i < pg->nr_ram || j < nr_mmio || k < nr_acpi) {
		uint64_t bi = i < pg->nr_ram ? pg->ram[i].base : UINT64_MAX;
		uint64_t bj = j < nr_mmio ? mmio[j].base : UINT64_MAX;
		uint64_t bk = k < nr_acpi ? acpi[k].base : UINT64_MAX;
		int err;

		if (bi <= bj && bi <= bk)
			err = npt_region_push(r, cap, n, &pg->ram[i++], NPT_ATTR_RAM);
		else if (bj <= bk)
			err = npt_region_push(r, cap, n, &mmio[j++], NPT_ATTR_MMIO);
		else
			err = npt_region_push(r, cap, n, &acpi[k++], NPT_ATTR_ACPI);
		if (err)
			return partition_fail(plan, err, "guest %c: more than %zu npt regions",
					      pg->letter, cap);
	}
	return 0;
}

int partition_build_pt(struct partition_plan *plan, unsigned g, const struct npt_ops *ops,
		       unsigned flags, const struct npt_format *fmt, struct npt *npt)
{
	struct npt_region r[PARTITION_MAX_NPT_REGIONS];
	size_t n;
	int err = partition_npt_regions(plan, g, r, sizeof(r) / sizeof(r[0]), &n);

	if (err)
		return err;
	err = npt_init_format(npt, ops, flags, fmt);
	if (err)
		return partition_fail(plan, err, "guest %c: no page for the %s root",
				      plan->guest[g].letter, fmt ? fmt->name : "npt");
	for (size_t i = 0; i < n; i++) {
		err = npt_map_range(npt, r[i].base, r[i].base, r[i].end - r[i].base, r[i].attr);
		if (err)
			return partition_fail(plan, err,
					      "guest %c: %s: mapping 0x%llx-0x%llx failed (%s)",
					      plan->guest[g].letter, fmt->name,
					      (unsigned long long)r[i].base,
					      (unsigned long long)(r[i].end - 1),
					      err == -ENOMEM ? "out of table pages" : "overlap");
	}
	return 0;
}

int partition_build_npt(struct partition_plan *plan, unsigned g, const struct npt_ops *ops,
			unsigned flags, struct npt *npt)
{
	return partition_build_pt(plan, g, ops, flags, &npt_format_amd, npt);
}

int partition_npt_zero_low(struct partition_plan *plan, unsigned g, struct npt *npt,
			   uint64_t zero_hpa)
{
	struct npt_region r[PARTITION_MAX_NPT_REGIONS];
	size_t n, i = 0;
	int err = partition_npt_regions(plan, g, r, sizeof(r) / sizeof(r[0]), &n);

	if (err)
		return err;
	if (zero_hpa & (NPT_SIZE_4K - 1))
		return partition_fail(plan, -EINVAL, "guest %c: zero page 0x%llx not aligned",
				      plan->guest[g].letter, (unsigned long long)zero_hpa);
	for (uint64_t pa = 0; pa < PARTITION_HIGH_START; pa += NPT_SIZE_4K) {
		while (i < n && r[i].end <= pa)
			i++;
		if (i < n && r[i].base <= pa)
			continue;
		err = npt_map_range(npt, pa, zero_hpa, NPT_SIZE_4K, NPT_MAP_READ | NPT_MAP_NOEXEC);
		if (err)
			return partition_fail(plan, err, "guest %c: %s: zero page at 0x%llx (%d)",
					      plan->guest[g].letter, npt->fmt ? npt->fmt->name : "npt",
					      (unsigned long long)pa, err);
	}
	return 0;
}
