/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The ports of a guest's virtual platform that the monitor answers itself when the guest does
 * not own them (an owned port never exits: its IOPM bit is clear). What Linux touches on a
 * PC, and why each answer is what it is, is in docs/monitor.md ("Virtual platform"):
 *
 *   0x40-0x43  PIT: channel 2 reads 0 (Linux's quick TSC calibration then gives up after
 *              three reads instead of 100k exits); mode writes dropped, without a log line
 *   0x61       port B: the gate/speaker bits read back, the PIT output (bit 5) low
 *   0x70-0x71  a virtual CMOS/RTC (monitor/vcmos.c), unless the guest owns the real one
 *   0xcf8-0xcff  PCI configuration (type 1, monitor/vpci.c), when the guest owns functions: through the
 *              filter (partition/pci_filter.h) its own functions on the hardware, the rest
 *              absent; BAR writes only restore, or size with decoding off, and decoding stays
 *              off while a BAR is not restored (a moved BAR could decode anyone's RAM)
 *   0xcf9      reset control: a write with the reset bit (2) set is a reset request
 *   0x64       the 8042's pulse commands with the reset line (0xf0-0xfe, bit 0 clear) are a
 *              reset request; writing its output port (0xd1) or A20 (0xdd/0xdf) is dropped;
 *              the port always traps, and for the guest that owns the 8042 everything else
 *              goes to the controller
 *   0x92       system control port A: bit 0 set is a reset request
 *   reset_port the FADT reset register when it is another port
 *
 * A reset request restarts only that guest (monitor_guest_reset(), run_restart() in
 * monitor/run.c).
 */
#ifndef TWINMON_MONITOR_VIO_H
#define TWINMON_MONITOR_VIO_H

#include <stdbool.h>
#include <stdint.h>

#include "monitor/core.h"

enum vio_result {
	VIO_UNHANDLED,		/* not a platform port: the caller's unassigned-port rule */
	VIO_DONE,		/* emulated: *val holds an IN's result */
	VIO_RESET,		/* done, and the guest asked for a reset (g->reset_why says how) */
};

/* A single (non-string) access of size bytes to port. */
enum vio_result vio_port(struct monitor *m, struct guest *g, uint16_t port, bool in,
			 uint8_t size, uint32_t *val);

#endif
