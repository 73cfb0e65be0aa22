/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * QEMU's "edu" teaching device (QEMU's docs/specs/edu.rst), the probe's own interrupt source:
 * a PCI function with a 1 MiB memory BAR whose register 0x60 raises its interrupt (the value is
 * OR-ed into the status at 0x24) and 0x64 acknowledges (the bits are cleared). While the status
 * is nonzero and MSI is off it asserts INTx, a level-triggered line; with MSI on, every raise
 * sends one message.
 */
#ifndef TWINMON_GUESTS_PROBE_EDU_H
#define TWINMON_GUESTS_PROBE_EDU_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "guests/lib/setup.h"

#define EDU_VENDOR	0x1234
#define EDU_DEVICE	0x11e8
#define EDU_ANY		0xffff	/* edu_setup(): look for it on bus 0 */

struct edu {
	uint16_t bdf;
	uint64_t bar;
	volatile uint32_t *mmio;
	uint8_t msi_cap;	/* 0: none */
};

/*
 * Find the device (bdf, or EDU_ANY), turn on memory decoding and bus mastering (MSIs are
 * memory writes) with INTx allowed, map BAR0 and check the identification register. 0, or
 * -ENODEV with the reason in why.
 */
int edu_setup(struct guest_env *env, struct edu *e, uint16_t bdf, char *why, size_t size);

void edu_raise(struct edu *e, uint32_t bits);
void edu_ack(struct edu *e, uint32_t bits);
uint32_t edu_status(struct edu *e);

/*
 * Point its MSI at this CPU's local APIC (address 0xfee00000, destination 0) with data
 * vector: fixed delivery, edge. On: every edu_raise() is one message, INTx stays quiet.
 * -ENODEV without an MSI capability.
 */
int edu_msi_on(struct edu *e, uint8_t vector);
/* The same with any message data (delivery mode in bits 10:8, the vector in 7:0). */
int edu_msi_data(struct edu *e, uint16_t data);
void edu_msi_off(struct edu *e);

#endif
