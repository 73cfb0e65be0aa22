/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The guest's PCI configuration space (monitor/vpci.c): the accesses monitor/vio.c hands over
 * for ports 0xcf8 and 0xcfa-0xcff (0xcf9 is the reset control register), and the nested page
 * faults monitor/exit_npf.c decodes in its ECAM window.
 */
#ifndef TWINMON_MONITOR_VPCI_H
#define TWINMON_MONITOR_VPCI_H

#include <stdbool.h>
#include <stdint.h>

#include "monitor/core.h"
#include "monitor/vio.h"
#include "partition/devices.h"

/*
 * One configuration access of a function on the hardware, for the monitor's own needs too
 * (MSI, resets): through the host's ECAM when it covers the bus (the only way to registers
 * 0x100-0xfff), else mechanism #1, where extended registers read as ones and writes there are
 * dropped. size 1, 2 or 4 at reg (naturally aligned); no filter.
 */
void vpci_hw_access(struct monitor *m, uint16_t bdf, uint16_t reg, bool in, uint8_t size,
		    uint32_t *val);

/* A single (non-string) access of size bytes to a configuration port. */
enum vio_result vpci_port(struct monitor *m, struct guest *g, uint16_t port, bool in,
			  uint8_t size, uint32_t *val);

/* Dword accesses through vpci_hw_access, for the partition layer's helpers (ctx is m). */
struct partition_pci_ops vpci_hw_ops(struct monitor *m);

/*
 * Reset each of g's functions (FLR when it has one, else bus mastering, decoding, MSI and
 * MSI-X off) and log what was done: before its first run and at each restart.
 */
void vpci_reset_functions(struct monitor *m, struct guest *g);
/*
 * Whether gpa lies in the guest's ECAM window: the host's window (same addresses) cut to the
 * buses of its MCFG (its filter's ecam_bus_start..ecam_bus_end). Never mapped in its NPT.
 */
bool vpci_ecam_window(const struct monitor *m, const struct guest *g, uint64_t gpa);

/* An access of size bytes (1, 2 or 4) at gpa in that window; reads complete *val. */
void vpci_ecam(struct monitor *m, struct guest *g, uint64_t gpa, bool in, uint8_t size,
	       uint32_t *val);

#endif
