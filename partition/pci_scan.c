// SPDX-License-Identifier: GPL-2.0-only
/*
 * The machine's PCI functions and their BARs, and the rule that follows from them: nested
 * paging maps whole 4 KiB pages, so a guest that owns a BAR sharing a page with a BAR of a
 * function it does not own (another guest's, the monitor's, one nobody was given) could
 * reach that function's registers. Such an assignment is refused, naming both functions.
 */
#include <errno.h>

#include "partition/devices.h"
#include "partition/rangeset.h"

#define PCI_HEADER_MULTI	0x00800000u	/* header type bit 7, in the dword at 0x0c */
#define PCI_SCAN_BUSES		256
#define PCI_SCAN_DEVS		32
#define PCI_SCAN_FNS		8

static int pci_scan_function(struct partition_plan *plan, const struct partition_pci_ops *ops,
			     uint16_t bdf)
{
	struct partition_bar bars[PARTITION_MAX_BARS];
	char msg[96];
	size_t n = 0;

	if (partition_pci_read_bars(ops, bdf, bars, PARTITION_MAX_BARS, &n, msg, sizeof(msg)))
		return 0;
	for (size_t i = 0; i < n; i++) {
		if (plan->nr_machine_bars >= PARTITION_MAX_MACHINE_BARS)
			return partition_fail(plan, -E2BIG, "pci: more than %d BARs on the machine",
					      PARTITION_MAX_MACHINE_BARS);
		plan->machine_bars[plan->nr_machine_bars++] = bars[i];
	}
	return 0;
}

int partition_pci_scan(struct partition_plan *plan, const struct partition_pci_ops *ops)
{
	plan->nr_machine_bars = 0;
	for (unsigned bus = 0; bus < PCI_SCAN_BUSES; bus++) {
		for (unsigned dev = 0; dev < PCI_SCAN_DEVS; dev++) {
			uint16_t bdf0 = PARTITION_BDF(bus, dev, 0);
			unsigned nfn = 1;
			int err;

			if ((ops->read32(ops->ctx, bdf0, PCI_REG_ID) & 0xffff) == 0xffff)
				continue;
			if (ops->read32(ops->ctx, bdf0, PCI_REG_HEADER) & PCI_HEADER_MULTI)
				nfn = PCI_SCAN_FNS;
			for (unsigned fn = 0; fn < nfn; fn++) {
				uint16_t bdf = PARTITION_BDF(bus, dev, fn);

				if (fn && (ops->read32(ops->ctx, bdf, PCI_REG_ID) & 0xffff) ==
					  0xffff)
					continue;
				if ((err = pci_scan_function(plan, ops, bdf)) < 0)
					return err;
			}
		}
	}
	plan->pci_scanned = true;
	return 0;
}

static bool pci_scan_owns(const struct partition_guest *pg, uint16_t bdf)
{
	for (size_t i = 0; i < pg->nr_pci; i++)
		if (pg->pci[i] == bdf)
			return true;
	return false;
}

/* The guest's memory BARs against the machine's BARs of functions it does not own. */
int partition_pci_check_pages(struct partition_plan *plan, unsigned g)
{
	const struct partition_guest *pg = &plan->guest[g];

	for (size_t i = 0; i < pg->nr_bars; i++) {
		const struct partition_bar *a = &pg->bars[i];
		uint64_t ab, ae;

		if (a->kind == PARTITION_BAR_IO || !a->base)
			continue;
		rangeset_page_out(a->base, a->size, &ab, &ae);
		for (size_t j = 0; j < plan->nr_machine_bars; j++) {
			const struct partition_bar *o = &plan->machine_bars[j];
			uint64_t ob, oe;

			if (o->kind == PARTITION_BAR_IO || !o->base || pci_scan_owns(pg, o->bdf))
				continue;
			rangeset_page_out(o->base, o->size, &ob, &oe);
			if (ob >= ae || ab >= oe)
				continue;
			return partition_fail(plan, -EBUSY,
					      "guest %c: pci %02x:%02x.%x BAR%u (0x%llx) shares a "
					      "4 KiB page with %02x:%02x.%x BAR%u (0x%llx), which "
					      "guest %c does not own",
					      pg->letter, PARTITION_BDF_BUS(a->bdf),
					      PARTITION_BDF_DEV(a->bdf), PARTITION_BDF_FN(a->bdf),
					      a->index, (unsigned long long)a->base,
					      PARTITION_BDF_BUS(o->bdf), PARTITION_BDF_DEV(o->bdf),
					      PARTITION_BDF_FN(o->bdf), o->index,
					      (unsigned long long)o->base, pg->letter);
		}
	}
	return 0;
}
