// SPDX-License-Identifier: GPL-2.0-only
/*
 * PCI configuration space of the guest's own functions, as the guest reaches it: through
 * 0xcf8/0xcfc or its ECAM window. Every access goes through the filter
 * (partition/pci_filter.h) first; both paths then share vpci_decided(): what the filter
 * allows reaches the hardware here, with BAR writes held to sizing and restoring, decoding
 * kept off while a BAR is not restored (partition/pci_filter.h), and MSI remapped
 * (monitor/vmsi.h); 00:00.0 is the virtual host bridge (partition/pci_host_bridge.h).
 */
#include "monitor/vpci.h"

#include "lib/fmt.h"
#include "monitor/vmsi.h"
#include "partition/devices.h"
#include "partition/pci_host_bridge.h"

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

	spinlock_lock(&m->pci_lock);
	m->plat->port_io(m->plat->ctx, PCI_CFG_ADDR, false, 4, &addr);
	m->plat->port_io(m->plat->ctx, (uint16_t)(PCI_CFG_DATA + (reg & 3)), in, size, val);
	spinlock_unlock(&m->pci_lock);
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

/* After the filter's decision: one access, the same for a port and an ECAM access. */
static void vpci_decided(struct monitor *m, struct guest *g, struct pci_filter_decision *d,
			 bool in, uint8_t size, uint32_t *val)
{
	switch (d->action) {
	case PCI_FILTER_READ_VALUE:
		*val = d->value;
		return;
	case PCI_FILTER_ALLOW:
		/* At any width: a byte write reaches the decode bits or MSI Enable as well as a
		 * dword does. MSI is remapped on both sides of the access (monitor/vmsi.h). */
		/* Any vCPU's CPU: the filter's BAR state and the MSI state are g->msi_lock's
		 * (monitor/vmsi.h). */
		spinlock_lock(&g->msi_lock);
		if (!in && !vpci_write_value(m, g, d, size, val)) {
			spinlock_unlock(&g->msi_lock);
			return;
		}
		if (!in)
			vmsi_before_write(m, g, d->bdf, d->reg, size, val);
		vpci_hw_access(m, d->bdf, d->reg, in, size, val);
		if (!in)
			vmsi_after_write(m, g, d->bdf, d->reg, size);
		else
			vmsi_after_read(m, g, d->bdf, d->reg, size, val);
		spinlock_unlock(&g->msi_lock);
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
