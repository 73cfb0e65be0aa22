// SPDX-License-Identifier: GPL-2.0-only
#include "partition/pci_filter.h"

#include <errno.h>
#include <string.h>

#include "lib/fmt.h"

void pci_filter_init(struct pci_filter *f, char letter, uint8_t ecam_bus_start,
		     uint8_t ecam_bus_end)
{
	memset(f, 0, sizeof(*f));
	f->letter = letter;
	f->ecam_bus_start = ecam_bus_start;
	f->ecam_bus_end = ecam_bus_end;
}

void pci_filter_own(struct pci_filter *f, uint16_t bdf)
{
	f->owned[bdf / 8] |= (uint8_t)(1u << (bdf % 8));
}

bool pci_filter_owns(const struct pci_filter *f, uint16_t bdf)
{
	return f->owned[bdf / 8] & (1u << (bdf % 8));
}

int partition_pci_filter(struct partition_plan *plan, unsigned g, uint8_t ecam_bus_start,
			 uint8_t ecam_bus_end, struct pci_filter *f)
{
	if (g >= PARTITION_NR_GUESTS || !plan->guest[g].present)
		return partition_fail(plan, -EINVAL, "pci filter: no guest %u", g);
	pci_filter_init(f, plan->guest[g].letter, ecam_bus_start, ecam_bus_end);
	for (size_t i = 0; i < plan->guest[g].nr_pci; i++)
		pci_filter_own(f, plan->guest[g].pci[i]);
	f->host_bridge = plan->guest[g].nr_pci != 0;
	return 0;
}

/* BARs and expansion ROM BARs of type 0 and type 1 headers (0x30 and 0x38). */
static bool pci_filter_is_bar(uint16_t reg, unsigned width)
{
	uint16_t end = (uint16_t)(reg + width);

	return (reg < 0x28 && end > 0x10) || (reg < 0x34 && end > 0x30) ||
	       (reg < 0x3c && end > 0x38);
}

static void pci_filter_refuse(const struct pci_filter *f, bool write,
			      struct pci_filter_decision *d, const char *why)
{
	d->action = write ? PCI_FILTER_DROP_WRITE : PCI_FILTER_READ_ONES;
	fmt_snprintf(d->log, sizeof(d->log), "partition: guest %c: pci %s %02x:%02x.%x+0x%03x %s",
		     f->letter, write ? "write" : "read", PARTITION_BDF_BUS(d->bdf),
		     PARTITION_BDF_DEV(d->bdf), PARTITION_BDF_FN(d->bdf), d->reg, why);
}

static void pci_filter_function(const struct pci_filter *f, unsigned width, bool write,
				struct pci_filter_decision *d)
{
	/* Linux finds its root bus through a host bridge at 00:00.0 (never assignable). */
	if (d->bdf == 0 && f->host_bridge && !pci_filter_owns(f, 0)) {
		d->action = PCI_FILTER_HOST_BRIDGE;
		return;
	}
	if (!pci_filter_owns(f, d->bdf)) {
		pci_filter_refuse(f, write, d, write ? "dropped (not assigned)"
						     : "hidden (not assigned)");
		return;
	}
	d->action = PCI_FILTER_ALLOW;
	d->bar_write = write && pci_filter_is_bar(d->reg, width);
}

void pci_filter_port(const struct pci_filter *f, uint32_t cf8, uint16_t port, unsigned width,
		     bool write, uint32_t value, struct pci_filter_decision *d)
{
	memset(d, 0, sizeof(*d));
	if (port == PCI_CFG_ADDR && width == 4) {
		d->action = write ? PCI_FILTER_LATCH_ADDR : PCI_FILTER_READ_ADDR;
		return;
	}
	if (port >= PCI_CFG_ADDR && port < PCI_CFG_DATA) {
		/*
		 * Narrow accesses here are not configuration cycles. 0xcf9 is the chipset's
		 * reset register: a reset there would take down the other guest too.
		 */
		if (write && port == PCI_RESET_CTRL && width == 1 && (value & 0x4)) {
			d->action = PCI_FILTER_RESET;
			fmt_snprintf(d->log, sizeof(d->log),
				     "partition: guest %c: reset through 0xcf9 (0x%02x)", f->letter,
				     value & 0xff);
			return;
		}
		d->action = write ? PCI_FILTER_DROP_WRITE : PCI_FILTER_READ_ONES;
		fmt_snprintf(d->log, sizeof(d->log), "partition: guest %c: %u-byte %s of port 0x%x %s",
			     f->letter, width, write ? "write" : "read", port,
			     write ? "dropped" : "reads as ones");
		return;
	}
	if (port < PCI_CFG_DATA || port > PCI_CFG_DATA + 3 ||
	    (width != 1 && width != 2 && width != 4) || (port - PCI_CFG_DATA) + width > 4) {
		d->action = write ? PCI_FILTER_DROP_WRITE : PCI_FILTER_READ_ONES;
		fmt_snprintf(d->log, sizeof(d->log), "partition: guest %c: bad %u-byte access at 0x%x",
			     f->letter, width, port);
		return;
	}
	d->bdf = (uint16_t)(cf8 >> 8);
	/* Bits 27:24 extend the register number to 4 KiB on AMD, when the chipset enables it. */
	d->reg = (uint16_t)((cf8 & 0xfc) | ((cf8 >> 16) & 0xf00)) + (port - PCI_CFG_DATA);
	if (!(cf8 & PCI_CF8_ENABLE)) {
		pci_filter_refuse(f, write, d, "without the 0xcf8 enable bit");
		return;
	}
	/*
	 * Most chipsets (and QEMU) ignore bits 27:24: the access would land on register
	 * reg & 0xff, past the checks made for reg (a BAR, the command register). Extended
	 * registers are reached through ECAM.
	 */
	if (d->reg >= 0x100) {
		pci_filter_refuse(f, write, d, "with register bits 27:24 in 0xcf8");
		return;
	}
	pci_filter_function(f, width, write, d);
}

void pci_filter_ecam(const struct pci_filter *f, uint64_t offset, unsigned width, bool write,
		     struct pci_filter_decision *d)
{
	memset(d, 0, sizeof(*d));
	d->bdf = (uint16_t)(offset >> 12);
	d->reg = (uint16_t)(offset & 0xfff);
	if (offset >= (256ULL << 20) || PARTITION_BDF_BUS(d->bdf) < f->ecam_bus_start ||
	    PARTITION_BDF_BUS(d->bdf) > f->ecam_bus_end) {
		pci_filter_refuse(f, write, d, "outside the ECAM buses");
		return;
	}
	/* Config registers are accessed naturally aligned; a straddling access is refused. */
	if ((width != 1 && width != 2 && width != 4) || (d->reg & (width - 1))) {
		pci_filter_refuse(f, write, d, "misaligned");
		return;
	}
	pci_filter_function(f, width, write, d);
}
