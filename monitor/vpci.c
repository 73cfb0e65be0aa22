// SPDX-License-Identifier: GPL-2.0-only
/*
 * PCI configuration space of the guest's own functions, as the guest reaches it: through
 * 0xcf8/0xcfc. Every access goes through the filter (partition/pci_filter.h) first; what it
 * allows reaches the hardware here, with BAR writes held to sizing and restoring, decoding
 * kept off while a BAR is not restored (partition/pci_filter.h), and MSI policed
 * (monitor/vmsi.h).
 */
#include "monitor/vpci.h"

#include "lib/fmt.h"
#include "monitor/vmsi.h"
#include "partition/devices.h"

static uint32_t vpci_ones(uint8_t size)
{
	return size >= 4 ? 0xffffffffu : (1u << (8 * size)) - 1;
}

/* One configuration access of an owned function, on the hardware. */
void vpci_hw_access(struct monitor *m, uint16_t bdf, uint16_t reg, bool in, uint8_t size,
		    uint32_t *val)
{
	uint32_t addr = PCI_CF8_ENABLE | (uint32_t)bdf << 8 | (reg & 0xfc) |
			(uint32_t)(reg & 0xf00) << 16;

	m->plat->port_io(m->plat->ctx, PCI_CFG_ADDR, false, 4, &addr);
	m->plat->port_io(m->plat->ctx, (uint16_t)(PCI_CFG_DATA + (reg & 3)), in, size, val);
}

static uint32_t vpci_hw_read32(void *ctx, uint16_t bdf, uint16_t reg)
{
	uint32_t val = 0;

	vpci_hw_access(ctx, bdf, reg, true, 4, &val);
	return val;
}

static void vpci_hw_write32(void *ctx, uint16_t bdf, uint16_t reg, uint32_t val)
{
	vpci_hw_access(ctx, bdf, reg, false, 4, &val);
}

struct partition_pci_ops vpci_hw_ops(struct monitor *m)
{
	return (struct partition_pci_ops){ vpci_hw_read32, vpci_hw_write32, m };
}

/*
 * An allowed write's value (partition/pci_filter.h): BARs held to sizing and restoring,
 * decoding kept off while a BAR is not restored. False: the write is dropped.
 */
static bool vpci_write_value(struct monitor *m, struct guest *g, struct pci_filter_decision *d,
			     uint8_t size, uint32_t *val)
{
	struct partition_pci_ops hw = vpci_hw_ops(m);

	switch (pci_filter_write(g->boot->pci, d, size, val, &hw)) {
	case PCI_WRITE_OK:
		return true;
	case PCI_WRITE_CHANGED:
		monitor_guest_event(m, g, "monitor: %s", d->log);
		return true;
	default:
		monitor_guest_event(m, g, "monitor: %s", d->log);
		return false;
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
	case PCI_FILTER_READ_VALUE:
		*val = d.value;
		return VIO_DONE;
	case PCI_FILTER_ALLOW:
		/* At any width: a byte write reaches the decode bits or MSI Enable as well as a
		 * dword does. MSI is remapped on both sides of the access (monitor/vmsi.h). */
		if (!in) {
			if (!vpci_write_value(m, g, &d, size, val))
				return VIO_DONE;
			vmsi_before_write(m, g, d.bdf, d.reg, size, val);
		}
		vpci_hw_access(m, d.bdf, d.reg, in, size, val);
		if (!in)
			vmsi_after_write(m, g, d.bdf, d.reg, size);
		else
			vmsi_after_read(m, g, d.bdf, d.reg, size, val);
		return VIO_DONE;
	case PCI_FILTER_RESET:
		return VIO_UNHANDLED;	/* 0xcf9: the reset control register below */
	default:
		if (!g->pci_logged && d.log[0]) {
			g->pci_logged = true;
			monitor_log(m, "monitor: %s (later ones are not logged)", d.log);
		}
		if (in)
			*val = vpci_ones(size);
		return VIO_DONE;
	}
}
