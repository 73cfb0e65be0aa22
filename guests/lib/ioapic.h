/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The I/O APIC as a test guest programs it (82093AA datasheet; the EOI register of version
 * 0x20): an index register at +0x00, the data window at +0x10, the EOI register at +0x40.
 * Under twinmon it is the guest's virtual I/O APIC at 0xfec00000, there only when the guest
 * owns interrupt lines (irqs = in its config section); every access is emulated.
 */
#ifndef TWINMON_GUESTS_IOAPIC_H
#define TWINMON_GUESTS_IOAPIC_H

#include <stdint.h>

#include "guests/lib/setup.h"

#define IOAPIC_DEFAULT_BASE	0xfec00000ull

/* Redirection table entry bits. */
#define IOAPIC_RTE_FIXED	(0ull << 8)
#define IOAPIC_RTE_NMI		(4ull << 8)
#define IOAPIC_RTE_INIT		(5ull << 8)
#define IOAPIC_RTE_EXTINT	(7ull << 8)
#define IOAPIC_RTE_ACTIVE_LOW	(1ull << 13)
#define IOAPIC_RTE_REMOTE_IRR	(1ull << 14)
#define IOAPIC_RTE_LEVEL	(1ull << 15)
#define IOAPIC_RTE_MASKED	(1ull << 16)
#define IOAPIC_RTE_DEST_SHIFT	56

/* Map the register page at base. 0 or guest_map()'s error. */
int ioapic_setup(struct guest_env *env, uint64_t base);
/* Pins, from the version register's maximum redirection entry. */
unsigned ioapic_pins(void);
uint64_t ioapic_rte(unsigned pin);
/* High dword first, so the entry is never live with a half-written destination. */
void ioapic_set_rte(unsigned pin, uint64_t rte);
/* Clear Remote IRR of the entries with this vector (the EOI register). */
void ioapic_eoi(uint8_t vector);

#endif
