/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The guest's PCI configuration space (monitor/vpci.c): the accesses monitor/vio.c hands over
 * for ports 0xcf8 and 0xcfa-0xcff (0xcf9 is the reset control register).
 */
#ifndef TWINMON_MONITOR_VPCI_H
#define TWINMON_MONITOR_VPCI_H

#include <stdbool.h>
#include <stdint.h>

#include "monitor/core.h"
#include "monitor/vio.h"
#include "partition/devices.h"

/* A single (non-string) access of size bytes to a configuration port. */
enum vio_result vpci_port(struct monitor *m, struct guest *g, uint16_t port, bool in,
			  uint8_t size, uint32_t *val);

/* One configuration access of size bytes at reg (within one dword) on the hardware. */
void vpci_hw_access(struct monitor *m, uint16_t bdf, uint16_t reg, bool in, uint8_t size,
		    uint32_t *val);
/* Dword accesses through vpci_hw_access, for the partition layer's helpers (ctx is m). */
struct partition_pci_ops vpci_hw_ops(struct monitor *m);

/*
 * Reset each of g's functions (FLR when it has one, else bus mastering, decoding, MSI and
 * MSI-X off) and log what was done: before its first run and at each restart.
 */
void vpci_reset_functions(struct monitor *m, struct guest *g);

#endif
