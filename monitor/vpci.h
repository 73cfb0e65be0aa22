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

/* A single (non-string) access of size bytes to a configuration port. */
enum vio_result vpci_port(struct monitor *m, struct guest *g, uint16_t port, bool in,
			  uint8_t size, uint32_t *val);

#endif
