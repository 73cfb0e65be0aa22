// SPDX-License-Identifier: GPL-2.0-only
#include "monitor/vio.h"

#include "lib/fmt.h"
#include "monitor/vmsi.h"
#include "partition/devices.h"

#define VIO_PIT_CH2	0x42
#define VIO_PIT_MODE	0x43
#define VIO_PORT_B	0x61
#define VIO_PORT_B_RW	0x0f	/* gate 2, speaker, parity/channel-check enables */
#define VIO_KBC_CMD	0x64
#define VIO_KBC_PULSE	0xf0	/* 0xf0-0xff: pulse output lines 3:0 whose bits are 0 */
#define VIO_KBC_PULSE_RESET 0x01
#define VIO_KBC_WRITE_OUTPUT 0xd1
#define VIO_KBC_A20_OFF	0xdd
#define VIO_KBC_A20_ON	0xdf
#define VIO_PORT92	0x92
#define VIO_PORT92_RESET 0x01
#define VIO_CF9		0xcf9
#define VIO_CF9_RESET	0x04
#define VIO_CF9_RW	0x0e	/* full reset, reset CPU, system reset select */

static enum vio_result vio_reset(struct monitor *m, struct guest *g, uint16_t port, uint32_t v)
{
	fmt_snprintf(g->reset_why, sizeof(g->reset_why), "reset request (0x%x to port 0x%x)", v,
		     port);
	return VIO_RESET;
}

#define VIO_PCI_ROM_MASK 0xfffff800u

static uint32_t vio_ones(uint8_t size)
{
	return size >= 4 ? 0xffffffffu : (1u << (8 * size)) - 1;
}

/* One configuration access of an owned function, on the hardware. */
static void vio_pci_access(struct monitor *m, uint16_t bdf, uint16_t reg, bool in, uint8_t size,
			   uint32_t *val)
{
	uint32_t addr = PCI_CF8_ENABLE | (uint32_t)bdf << 8 | (reg & 0xfc) |
			(uint32_t)(reg & 0xf00) << 16;

	m->plat->port_io(m->plat->ctx, PCI_CFG_ADDR, false, 4, &addr);
	m->plat->port_io(m->plat->ctx, (uint16_t)(PCI_CFG_DATA + (reg & 3)), in, size, val);
}

/* Whether the function decodes its I/O or memory BARs now (its command register). */
static bool vio_pci_decoding(struct monitor *m, uint16_t bdf)
{
	uint32_t cmd;

	vio_pci_access(m, bdf, PCI_REG_COMMAND, true, 4, &cmd);
	return cmd & (PCI_COMMAND_IO | PCI_COMMAND_MEMORY);
}

/*
 * A BAR write: sizing (all ones; the ROM BAR's address bits) and putting back the firmware's
 * value are what an OS does; moving a BAR could make a device decode the other guest's RAM
 * or the monitor's, so any other value is dropped.
 */
static bool vio_bar_write_ok(struct monitor *m, struct guest *g, uint16_t bdf, uint16_t reg,
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
		vio_pci_access(m, bdf, reg, true, 4, &b->orig);
	}
	if (reg == PCI_REG_ROM || reg == PCI_REG_BRIDGE_ROM) {
		if ((val & ~1u) == (b->orig & ~1u))
			return true;
		/* Sizing the ROM: its address bits set, and never enabled while they are. */
		return (val & VIO_PCI_ROM_MASK) == VIO_PCI_ROM_MASK && !(val & 1) &&
		       !vio_pci_decoding(m, bdf);
	}
	if (val == b->orig)
		return true;
	/* Sizing: while the function decodes, all ones would move the BAR onto the top of the
	 * address space (the I/O APIC, the firmware, anyone's MMIO). */
	return val == 0xffffffffu && !vio_pci_decoding(m, bdf);
}

/*
 * A command register write that turns decoding on while one of the function's BARs is not
 * back where the firmware put it (left sized) keeps decoding off.
 */
static uint32_t vio_pci_command(struct monitor *m, struct guest *g, uint16_t bdf, uint16_t reg,
				uint8_t size, uint32_t val)
{
	uint32_t decode = PCI_COMMAND_IO | PCI_COMMAND_MEMORY;

	if (reg != PCI_REG_COMMAND || !(val & decode))
		return val;
	for (size_t i = 0; i < g->nr_bars; i++) {
		uint32_t now;

		if (g->bars[i].bdf != bdf)
			continue;
		vio_pci_access(m, bdf, g->bars[i].reg, true, 4, &now);
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

static enum vio_result vio_pci(struct monitor *m, struct guest *g, uint16_t port, bool in,
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
	case PCI_FILTER_ALLOW:
		if (d.bar_write && !vio_bar_write_ok(m, g, d.bdf, d.reg, size, *val)) {
			monitor_guest_event(m, g, "monitor: guest %c: pci %02x:%02x.%x: write 0x%x "
					    "to BAR at 0x%x dropped (BARs stay where the firmware "
					    "put them)",
					    g->letter, PARTITION_BDF_BUS(d.bdf),
					    PARTITION_BDF_DEV(d.bdf), PARTITION_BDF_FN(d.bdf), *val,
					    d.reg);
			return VIO_DONE;
		}
		/* At any width: a byte write reaches the decode bits or MSI Enable as well as a
		 * dword does. MSI is checked on both sides of the write (monitor/vmsi.h). */
		if (!in) {
			*val = vio_pci_command(m, g, d.bdf, d.reg, size, *val);
			vmsi_before_write(m, g, d.bdf, d.reg, size, val);
		}
		vio_pci_access(m, d.bdf, d.reg, in, size, val);
		if (!in)
			vmsi_after_write(m, g, d.bdf, d.reg, size);
		return VIO_DONE;
	case PCI_FILTER_RESET:
		return VIO_UNHANDLED;	/* 0xcf9: the reset control register below */
	default:
		if (!g->pci_logged && d.log[0]) {
			g->pci_logged = true;
			monitor_log(m, "monitor: %s (later ones are not logged)", d.log);
		}
		if (in)
			*val = vio_ones(size);
		return VIO_DONE;
	}
}

enum vio_result vio_port(struct monitor *m, struct guest *g, uint16_t port, bool in,
			 uint8_t size, uint32_t *val)
{
	uint32_t v = *val & 0xff;

	if (!g->owns_rtc && vcmos_io(&g->cmos, port, in, size, val, m->plat->now(m->plat->ctx)))
		return VIO_DONE;
	if (g->boot && g->boot->reset_port && port == g->boot->reset_port &&
	    port != VIO_CF9 && !in && size == 1) {
		if (v == g->boot->reset_value)
			return vio_reset(m, g, port, v);
		return VIO_DONE;
	}
	if (port >= PCI_CFG_ADDR && port <= PCI_CFG_DATA + 3 && port != VIO_CF9 && g->boot &&
	    g->boot->pci && m->plat->port_io)
		return vio_pci(m, g, port, in, size, val);
	switch (port) {
	case VIO_PIT_CH2:
		if (in)
			*val = 0;
		return VIO_DONE;
	case VIO_PIT_MODE:
		if (in)
			return VIO_UNHANDLED;
		return VIO_DONE;
	case VIO_PORT_B:
		if (in)
			*val = g->port61;
		else
			g->port61 = (uint8_t)(v & VIO_PORT_B_RW);
		return VIO_DONE;
	case VIO_CF9:
		if (size != 1)
			return VIO_UNHANDLED;
		if (in) {
			*val = g->cf9;
			return VIO_DONE;
		}
		g->cf9 = (uint8_t)(v & VIO_CF9_RW);
		return (v & VIO_CF9_RESET) ? vio_reset(m, g, port, v) : VIO_DONE;
	case VIO_KBC_CMD:
		/* 0xf0-0xff pulse the output lines whose bits are clear: bit 0 is reset. */
		if (!in && size == 1 && v >= VIO_KBC_PULSE && !(v & VIO_KBC_PULSE_RESET))
			return vio_reset(m, g, port, v);
		/* The owner's other commands and status reads reach the controller... */
		if (g->boot && g->boot->owns_kbc && size == 1 && m->plat->port_io) {
			/* ...but not writing its output port (or A20 through it): that could
			 * drive the reset line. */
			if (!in && (v == VIO_KBC_WRITE_OUTPUT || v == VIO_KBC_A20_OFF ||
				    v == VIO_KBC_A20_ON)) {
				monitor_guest_event(m, g, "monitor: guest %c: 8042 command 0x%x "
						    "dropped (it could reset the machine)",
						    g->letter, v);
				return VIO_DONE;
			}
			m->plat->port_io(m->plat->ctx, port, in, 1, val);
			return VIO_DONE;
		}
		return VIO_UNHANDLED;
	case VIO_PORT92:
		if (!in && size == 1 && (v & VIO_PORT92_RESET))
			return vio_reset(m, g, port, v);
		return VIO_UNHANDLED;
	}
	return VIO_UNHANDLED;
}
