// SPDX-License-Identifier: GPL-2.0-only
#include "monitor/vio.h"

#include "lib/fmt.h"
#include "monitor/vpci.h"

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
		return vpci_port(m, g, port, in, size, val);
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
