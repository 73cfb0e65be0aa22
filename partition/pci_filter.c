// SPDX-License-Identifier: GPL-2.0-only
#include "partition/pci_filter.h"

#include <errno.h>
#include <string.h>

#include "lib/fmt.h"
#include "partition/pci_fn.h"

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
	const struct partition_guest *pg;

	if (g >= PARTITION_NR_GUESTS || !plan->guest[g].present)
		return partition_fail(plan, -EINVAL, "pci filter: no guest %u", g);
	pg = &plan->guest[g];
	pci_filter_init(f, pg->letter, ecam_bus_start, ecam_bus_end);
	for (size_t i = 0; i < pg->nr_pci; i++)
		pci_filter_own(f, pg->pci[i]);
	f->host_bridge = pg->nr_pci != 0;
	/* Without the boot scan no BAR write can be told from a move: all are refused. */
	if (pg->bars_read) {
		memcpy(f->fn, pg->fn, pg->nr_pci * sizeof(f->fn[0]));
		f->nr_fn = pg->nr_pci;
	}
	return 0;
}

const struct partition_pci_fn *pci_filter_fn(const struct pci_filter *f, uint16_t bdf)
{
	return partition_pci_fn_find(f->fn, f->nr_fn, bdf);
}

static bool pci_filter_overlaps(uint16_t reg, unsigned width, uint16_t start, uint16_t end)
{
	return reg < end && reg + width > start;
}

/* The BARs and the ROM BAR of this header layout; an unknown layout is treated as type 0. */
static bool pci_filter_is_bar(uint8_t header, uint16_t reg, unsigned width)
{
	unsigned nbars = header < 3 ? partition_pci_fn_nr_bars(header) : 6;
	uint16_t rom = header < 3 ? partition_pci_fn_rom_reg(header) : PCI_REG_ROM;

	return pci_filter_overlaps(reg, width, PCI_REG_BAR0, (uint16_t)(PCI_REG_BAR0 + 4 * nbars)) ||
	       (rom && pci_filter_overlaps(reg, width, rom, (uint16_t)(rom + 4)));
}

static void pci_filter_refuse(const struct pci_filter *f, bool write,
			      struct pci_filter_decision *d, const char *why)
{
	d->action = write ? PCI_FILTER_DROP_WRITE : PCI_FILTER_READ_ONES;
	fmt_snprintf(d->log, sizeof(d->log), "partition: guest %c: pci %s %02x:%02x.%x+0x%03x %s",
		     f->letter, write ? "write" : "read", PARTITION_BDF_BUS(d->bdf),
		     PARTITION_BDF_DEV(d->bdf), PARTITION_BDF_FN(d->bdf), d->reg, why);
}

/*
 * What a write to an owned function may not reach, whatever its value: the registers that
 * route other functions' traffic (a bridge's buses and windows), create functions or move
 * address space the plan did not give (SR-IOV, Resizable BAR), or a BAR only in part.
 */
static const char *pci_filter_write_refused(const struct partition_pci_fn *fn, uint16_t reg,
					    unsigned width)
{
	uint8_t header = fn ? fn->header : 0;

	if (header == 1 && pci_filter_overlaps(reg, width, PCI_BRIDGE_BUSES, PCI_BRIDGE_WINDOWS_END))
		return "refused (bridge bus numbers and windows)";
	if (header == 1 && pci_filter_overlaps(reg, width, PCI_BRIDGE_CONTROL, 0x40))
		return "refused (bridge control)";
	if (header >= 2 && pci_filter_overlaps(reg, width, PCI_REG_BAR0, 0x3c))
		return "refused (not an endpoint or bridge header)";
	if (pci_filter_is_bar(header, reg, width) && width != 4)
		return "refused (a BAR is written as a whole dword)";
	for (unsigned i = 0; fn && i < fn->nr_hidden; i++)
		if (pci_filter_overlaps(reg, width, fn->hidden[i].start, fn->hidden[i].end))
			return "refused (SR-IOV and Resizable BAR stay off)";
	return NULL;
}

static void pci_filter_function(const struct pci_filter *f, unsigned width, bool write,
				struct pci_filter_decision *d)
{
	const struct partition_pci_fn *fn;
	const char *why;

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
	fn = pci_filter_fn(f, d->bdf);
	if (write && (why = pci_filter_write_refused(fn, d->reg, width))) {
		pci_filter_refuse(f, write, d, why);
		return;
	}
	/* A header before a hidden capability: its next pointer skips it. */
	for (unsigned i = 0; !write && fn && i < fn->nr_links; i++) {
		if (fn->link[i].at != (d->reg & ~3u))
			continue;
		d->action = PCI_FILTER_READ_VALUE;
		d->value = fn->link[i].header >> (8 * (d->reg & 3));
		if (width < 4)
			d->value &= (1u << (8 * width)) - 1;
		return;
	}
	d->action = PCI_FILTER_ALLOW;
	d->bar_write = write && pci_filter_is_bar(fn ? fn->header : 0, d->reg, width);
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
	/*
	 * As through ECAM, only naturally aligned accesses: what an OS does, and what keeps an
	 * access inside one dword.
	 */
	if (port < PCI_CFG_DATA || port > PCI_CFG_DATA + 3 ||
	    (width != 1 && width != 2 && width != 4) || (port - PCI_CFG_DATA) % width) {
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
