// SPDX-License-Identifier: GPL-2.0-only
/*
 * Reading PCI BARs through a config-space callback, so the same code sizes BARs on the
 * machine (port 0xcf8 or ECAM) and against a simulated device in the host tests.
 */
#include <errno.h>

#include "lib/fmt.h"
#include "partition/devices.h"
#include "partition/pci_fn.h"
#include "partition/pci_msix.h"
#include "partition/rangeset.h"

#define PCI_BAR_IO		0x1
#define PCI_BAR_MEM_TYPE(v)	(((v) >> 1) & 3)
#define PCI_BAR_MEM_64		2
#define PCI_BAR_MEM_RESERVED	3
#define PCI_BAR_PREFETCH	0x8

const char *partition_bar_kind_name(unsigned kind)
{
	switch (kind) {
	case PARTITION_BAR_MEM32:
		return "mem32";
	case PARTITION_BAR_MEM64:
		return "mem64";
	case PARTITION_BAR_IO:
		return "io";
	}
	return "?";
}

/* Write all ones, read back the size mask, put the original back. */
static uint32_t partition_bar_probe(const struct partition_pci_ops *ops, uint16_t bdf,
				    uint16_t reg, uint32_t *orig)
{
	uint32_t mask;

	*orig = ops->read32(ops->ctx, bdf, reg);
	ops->write32(ops->ctx, bdf, reg, 0xffffffff);
	mask = ops->read32(ops->ctx, bdf, reg);
	ops->write32(ops->ctx, bdf, reg, *orig);
	return mask;
}

static unsigned partition_bar_count(uint32_t header_dword)
{
	switch ((header_dword >> 16) & 0x7f) {
	case 0:
		return 6;	/* endpoint */
	case 1:
		return 2;	/* PCI-to-PCI bridge */
	case 2:
		return 1;	/* CardBus bridge: socket registers */
	}
	return 0;
}

int partition_pci_read_bars(const struct partition_pci_ops *ops, uint16_t bdf,
			    struct partition_bar *bars, size_t cap, size_t *n, char *err,
			    size_t errlen)
{
	uint32_t id = ops->read32(ops->ctx, bdf, PCI_REG_ID);
	unsigned nbars;
	uint32_t cmd;
	int ret = 0;

	*n = 0;
	if ((id & 0xffff) == 0xffff) {
		fmt_snprintf(err, errlen, "no device answers");
		return -ENODEV;
	}
	nbars = partition_bar_count(ops->read32(ops->ctx, bdf, PCI_REG_HEADER));
	/*
	 * Only the low half is the command register; the status register above it has
	 * write-one-to-clear bits, so write zeros there.
	 */
	cmd = ops->read32(ops->ctx, bdf, PCI_REG_COMMAND) & 0xffff;
	ops->write32(ops->ctx, bdf, PCI_REG_COMMAND, cmd & ~(PCI_COMMAND_IO | PCI_COMMAND_MEMORY));

	for (unsigned i = 0; i < nbars; i++) {
		uint16_t reg = (uint16_t)(PCI_REG_BAR0 + 4 * i);
		struct partition_bar bar = { .bdf = bdf, .index = (uint8_t)i };
		uint32_t orig, mask = partition_bar_probe(ops, bdf, reg, &orig);
		uint64_t mask64;

		if (orig & PCI_BAR_IO) {
			mask &= ~3u;
			if (!mask)
				continue;
			/* Devices may implement only 16 address bits: the rest reads as 0. */
			if (!(mask & 0xffff0000))
				mask |= 0xffff0000;
			bar.kind = PARTITION_BAR_IO;
			bar.base = orig & ~3u;
			bar.size = (uint32_t)(~mask + 1);
			if (bar.base + bar.size > 0x10000) {
				fmt_snprintf(err, errlen, "BAR%u: I/O 0x%llx+0x%llx beyond port 0xffff",
					     i, (unsigned long long)bar.base,
					     (unsigned long long)bar.size);
				ret = -EINVAL;
				goto restore;
			}
		} else if (PCI_BAR_MEM_TYPE(orig) == PCI_BAR_MEM_64) {
			uint32_t orig_hi, mask_hi;

			if (i + 1 >= nbars) {
				fmt_snprintf(err, errlen, "BAR%u: 64-bit BAR in the last slot", i);
				ret = -EINVAL;
				goto restore;
			}
			mask_hi = partition_bar_probe(ops, bdf, reg + 4, &orig_hi);
			mask64 = (uint64_t)mask_hi << 32 | (mask & ~0xfu);
			i++;
			if (!mask64)
				continue;
			bar.kind = PARTITION_BAR_MEM64;
			bar.base = (uint64_t)orig_hi << 32 | (orig & ~0xfu);
			bar.size = ~mask64 + 1;
			bar.prefetchable = orig & PCI_BAR_PREFETCH;
		} else if (PCI_BAR_MEM_TYPE(orig) == PCI_BAR_MEM_RESERVED) {
			fmt_snprintf(err, errlen, "BAR%u: reserved memory type", i);
			ret = -EINVAL;
			goto restore;
		} else {
			mask &= ~0xfu;
			if (!mask)
				continue;
			bar.kind = PARTITION_BAR_MEM32;
			bar.base = orig & ~0xfu;
			bar.size = (uint32_t)(~mask + 1);
			bar.prefetchable = orig & PCI_BAR_PREFETCH;
		}
		/* A size mask must be ones then zeros; anything else is not a BAR. */
		if (bar.size & (bar.size - 1)) {
			fmt_snprintf(err, errlen, "BAR%u: size mask is not a power of two", bar.index);
			ret = -EINVAL;
			goto restore;
		}
		if (*n >= cap) {
			fmt_snprintf(err, errlen, "more than %zu BARs", cap);
			ret = -E2BIG;
			goto restore;
		}
		bars[(*n)++] = bar;
	}
restore:
	ops->write32(ops->ctx, bdf, PCI_REG_COMMAND, cmd);
	return ret;
}

static int partition_add_bar(struct partition_plan *plan, unsigned g,
			     const struct partition_bar *bar)
{
	struct partition_guest *pg = &plan->guest[g];
	uint64_t b, e;
	int err;

	if (bar->kind == PARTITION_BAR_IO) {
		if (partition_ports_add(pg->ports, &pg->nr_ports, PARTITION_MAX_PORTS,
					(uint16_t)bar->base,
					(uint16_t)(bar->base + bar->size - 1)))
			return partition_fail(plan, -E2BIG, "guest %c: too many port ranges",
					      pg->letter);
		return 0;
	}
	rangeset_page_out(bar->base, bar->size, &b, &e);
	if (bar->size > PARTITION_PHYS_LIMIT || e > plan->phys_limit)
		return partition_fail(plan, -EINVAL,
				      "guest %c: pci %02x:%02x.%x BAR%u at 0x%llx is above the "
				      "physical limit",
				      pg->letter, PARTITION_BDF_BUS(bar->bdf),
				      PARTITION_BDF_DEV(bar->bdf), PARTITION_BDF_FN(bar->bdf),
				      bar->index, (unsigned long long)bar->base);
	err = partition_check_mmio_not_ram(plan, g, b, e);
	if (err)
		return err;
	if (rangeset_add(pg->mmio, &pg->nr_mmio, PARTITION_MAX_MMIO, b, e))
		return partition_fail(plan, -E2BIG, "guest %c: too many mmio ranges", pg->letter);
	return 0;
}

int partition_add_pci_bars(struct partition_plan *plan, unsigned g,
			   const struct partition_pci_ops *ops)
{
	struct partition_guest *pg;
	char msg[96];
	int err;

	if (g >= PARTITION_NR_GUESTS || !plan->built || !plan->guest[g].present)
		return partition_fail(plan, -EINVAL, "pci bars: no such guest in a built plan");
	pg = &plan->guest[g];
	if (pg->bars_read)
		return partition_fail(plan, -EALREADY, "guest %c: pci bars already read",
				      pg->letter);
	pg->bars_read = true;
	if (!plan->pci_scanned && (err = partition_pci_scan(plan, ops)) < 0)
		return err;
	for (size_t i = 0; i < pg->nr_pci; i++) {
		uint16_t bdf = pg->pci[i];
		size_t n = 0;

		/* Before the BARs are sized: the facts the filter keeps are the firmware's. */
		if (partition_pci_read_fn(ops, bdf, &pg->fn[i]) < 0)
			return partition_fail(plan, -ENODEV, "guest %c: pci %02x:%02x.%x: no device "
					      "answers", pg->letter, PARTITION_BDF_BUS(bdf),
					      PARTITION_BDF_DEV(bdf), PARTITION_BDF_FN(bdf));
		msg[0] = 0;
		err = partition_pci_read_bars(ops, bdf, &pg->bars[pg->nr_bars],
					      sizeof(pg->bars) / sizeof(pg->bars[0]) - pg->nr_bars,
					      &n, msg, sizeof(msg));
		if (err)
			return partition_fail(plan, err, "guest %c: pci %02x:%02x.%x: %s",
					      pg->letter, PARTITION_BDF_BUS(bdf),
					      PARTITION_BDF_DEV(bdf), PARTITION_BDF_FN(bdf), msg);
		for (size_t j = 0; j < n; j++) {
			const struct partition_bar *bar = &pg->bars[pg->nr_bars + j];

			/* Unassigned: nothing to map; the printer shows it so users can tell. */
			if (!bar->base)
				continue;
			err = partition_add_bar(plan, g, bar);
			if (err)
				return err;
		}
		pg->nr_bars += n;
	}
	err = partition_pci_check_pages(plan, g);
	if (err)
		return err;
	/* The MSI-X tables in those BARs: their pages are the monitor's to emulate. */
	err = partition_pci_msix(plan, g, ops);
	if (err)
		return err;
	return partition_check_devices(plan, g);
}
