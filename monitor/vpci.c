// SPDX-License-Identifier: GPL-2.0-only
/*
 * PCI configuration space of the guest's own functions, as the guest reaches it: through
 * 0xcf8/0xcfc or its ECAM window. Every access goes through the filter
 * (partition/pci_filter.h) first; both paths then share vpci_decided(): what the filter
 * allows reaches the hardware here, with BAR writes held to sizing and restoring, decoding
 * kept off while a BAR is moved, and MSI policed (monitor/vmsi.h); 00:00.0 is the virtual
 * host bridge (partition/pci_host_bridge.h).
 */
#include "monitor/vpci.h"

#include "lib/fmt.h"
#include "monitor/vmsi.h"
#include "partition/devices.h"
#include "partition/pci_host_bridge.h"

#define VPCI_ROM_MASK 0xfffff800u

static uint32_t vpci_ones(uint8_t size)
{
	return size >= 4 ? 0xffffffffu : (1u << (8 * size)) - 1;
}

/* The register's address in the host's ECAM window, or 0 when its bus has none. */
static uint64_t vpci_ecam_pa(const struct monitor *m, uint16_t bdf, uint16_t reg)
{
	unsigned bus = PARTITION_BDF_BUS(bdf);

	if (!m->ecam_base || bus < m->ecam_bus_start || bus > m->ecam_bus_end)
		return 0;
	return m->ecam_base + ((uint64_t)bdf << 12) + (reg & 0xfff);
}

/* ECAM is mapped uncached in the identity map (efi/identmap.h); each access is one
 * instruction of exactly size bytes. */
void vpci_hw_access(struct monitor *m, uint16_t bdf, uint16_t reg, bool in, uint8_t size,
		    uint32_t *val)
{
	uint64_t pa = vpci_ecam_pa(m, bdf, reg);
	void *p = pa ? m->phys(m->phys_ctx, pa, size) : NULL;

	if (p) {
		switch (size) {
		case 1:
			if (in)
				*val = *(volatile uint8_t *)p;
			else
				*(volatile uint8_t *)p = (uint8_t)*val;
			break;
		case 2:
			if (in)
				*val = *(volatile uint16_t *)p;
			else
				*(volatile uint16_t *)p = (uint16_t)*val;
			break;
		default:
			if (in)
				*val = *(volatile uint32_t *)p;
			else
				*(volatile uint32_t *)p = *val;
			break;
		}
		return;
	}
	if (reg >= 0x100) {
		if (in)
			*val = vpci_ones(size);
		return;
	}
	uint32_t addr = PCI_CF8_ENABLE | (uint32_t)bdf << 8 | (reg & 0xfc);

	m->plat->port_io(m->plat->ctx, PCI_CFG_ADDR, false, 4, &addr);
	m->plat->port_io(m->plat->ctx, (uint16_t)(PCI_CFG_DATA + (reg & 3)), in, size, val);
}

/* Whether the function decodes its I/O or memory BARs now (its command register). */
static bool vpci_decoding(struct monitor *m, uint16_t bdf)
{
	uint32_t cmd;

	vpci_hw_access(m, bdf, PCI_REG_COMMAND, true, 4, &cmd);
	return cmd & (PCI_COMMAND_IO | PCI_COMMAND_MEMORY);
}

/*
 * A BAR write: sizing (all ones; the ROM BAR's address bits) and putting back the firmware's
 * value are what an OS does; moving a BAR could make a device decode the other guest's RAM
 * or the monitor's, so any other value is dropped.
 */
static bool vpci_bar_write_ok(struct monitor *m, struct guest *g, uint16_t bdf, uint16_t reg,
			     uint8_t size, uint32_t val)
{
	struct guest_bar *b = NULL;

	if (size != 4 || (reg & 3))
		return false;
	for (size_t i = 0; i < g->nr_bars; i++)
		if (g->bars[i].bdf == bdf && g->bars[i].reg == reg)
			b = &g->bars[i];
	if (!b) {
		if (g->nr_bars == sizeof(g->bars) / sizeof(g->bars[0]))
			return false;
		/* Before its first write the hardware still holds the firmware's value. */
		b = &g->bars[g->nr_bars++];
		*b = (struct guest_bar){ bdf, reg, 0 };
		vpci_hw_access(m, bdf, reg, true, 4, &b->orig);
	}
	if (reg == PCI_REG_ROM || reg == PCI_REG_BRIDGE_ROM) {
		if ((val & ~1u) == (b->orig & ~1u))
			return true;
		/* Sizing the ROM: its address bits set, and never enabled while they are. */
		return (val & VPCI_ROM_MASK) == VPCI_ROM_MASK && !(val & 1) &&
		       !vpci_decoding(m, bdf);
	}
	if (val == b->orig)
		return true;
	/* Sizing: while the function decodes, all ones would move the BAR onto the top of the
	 * address space (the I/O APIC, the firmware, anyone's MMIO). */
	return val == 0xffffffffu && !vpci_decoding(m, bdf);
}

/*
 * A command register write that turns decoding on while one of the function's BARs is not
 * back where the firmware put it (left sized) keeps decoding off.
 */
static uint32_t vpci_command(struct monitor *m, struct guest *g, uint16_t bdf, uint16_t reg,
				uint8_t size, uint32_t val)
{
	uint32_t decode = PCI_COMMAND_IO | PCI_COMMAND_MEMORY;

	if (reg != PCI_REG_COMMAND || !(val & decode))
		return val;
	for (size_t i = 0; i < g->nr_bars; i++) {
		uint32_t now;

		if (g->bars[i].bdf != bdf)
			continue;
		vpci_hw_access(m, bdf, g->bars[i].reg, true, 4, &now);
		if ((now & ~1u) != (g->bars[i].orig & ~1u)) {
			monitor_guest_event(m, g, "monitor: guest %c: pci %02x:%02x.%x: decoding "
					    "stays off while the BAR at 0x%x is not restored",
					    g->letter, PARTITION_BDF_BUS(bdf), PARTITION_BDF_DEV(bdf),
					    PARTITION_BDF_FN(bdf), g->bars[i].reg);
			return val & ~decode;
		}
	}
	return val;
}

/* After the filter's decision: one access, the same for a port and an ECAM access. */
static void vpci_decided(struct monitor *m, struct guest *g, const struct pci_filter_decision *d,
			 bool in, uint8_t size, uint32_t *val)
{
	switch (d->action) {
	case PCI_FILTER_ALLOW:
		if (d->bar_write && !vpci_bar_write_ok(m, g, d->bdf, d->reg, size, *val)) {
			monitor_guest_event(m, g, "monitor: guest %c: pci %02x:%02x.%x: write 0x%x "
					    "to BAR at 0x%x dropped (BARs stay where the firmware "
					    "put them)",
					    g->letter, PARTITION_BDF_BUS(d->bdf),
					    PARTITION_BDF_DEV(d->bdf), PARTITION_BDF_FN(d->bdf),
					    *val, d->reg);
			return;
		}
		/* At any width: a byte write reaches the decode bits or MSI Enable as well as a
		 * dword does. MSI is checked on both sides of the write (monitor/vmsi.h). */
		if (!in) {
			*val = vpci_command(m, g, d->bdf, d->reg, size, *val);
			vmsi_before_write(m, g, d->bdf, d->reg, size, val);
		}
		vpci_hw_access(m, d->bdf, d->reg, in, size, val);
		if (!in)
			vmsi_after_write(m, g, d->bdf, d->reg, size);
		return;
	case PCI_FILTER_HOST_BRIDGE:
		/* Its virtual host bridge: a fixed header; writes change nothing. */
		if (in)
			*val = pci_host_bridge_read(g->boot->pci, d->reg, size);
		return;
	default:
		if (!g->pci_logged && d->log[0]) {
			g->pci_logged = true;
			monitor_log(m, "monitor: %s (later ones are not logged)", d->log);
		}
		if (in)
			*val = vpci_ones(size);
		return;
	}
}

enum vio_result vpci_port(struct monitor *m, struct guest *g, uint16_t port, bool in,
			  uint8_t size, uint32_t *val)
{
	struct pci_filter_decision d;

	pci_filter_port(g->boot->pci, g->cf8, port, size, !in, *val, &d);
	switch (d.action) {
	case PCI_FILTER_LATCH_ADDR:
		g->cf8 = *val;
		return VIO_DONE;
	case PCI_FILTER_READ_ADDR:
		*val = g->cf8;
		return VIO_DONE;
	case PCI_FILTER_RESET:
		return VIO_UNHANDLED;	/* 0xcf9: the reset control register below */
	}
	vpci_decided(m, g, &d, in, size, val);
	return VIO_DONE;
}

bool vpci_ecam_window(const struct monitor *m, const struct guest *g, uint64_t gpa)
{
	const struct pci_filter *f = g->boot ? g->boot->pci : NULL;

	if (!f || !m->ecam_base || gpa < m->ecam_base)
		return false;
	return gpa - m->ecam_base >= ((uint64_t)f->ecam_bus_start << 20) &&
	       gpa - m->ecam_base < ((uint64_t)f->ecam_bus_end + 1) << 20;
}

void vpci_ecam(struct monitor *m, struct guest *g, uint64_t gpa, bool in, uint8_t size,
	       uint32_t *val)
{
	struct pci_filter_decision d;

	pci_filter_ecam(g->boot->pci, gpa - m->ecam_base, size, !in, &d);
	vpci_decided(m, g, &d, in, size, val);
}
