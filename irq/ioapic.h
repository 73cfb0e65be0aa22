/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The physical I/O APIC, owned by the monitor. At start every pin is masked; a pin whose IRQ
 * line a guest owns is routed to the monitor's local APIC at vector IRQ_DEVICE_VECTOR(pin),
 * and the monitor hands each interrupt to that guest's virtual I/O APIC (irq/vioapic.h).
 * ISA lines (pins 1-15) are edge-triggered, active high; PCI lines (16 and up) level-triggered,
 * active low: a level pin is masked when it fires and unmasked once the owning guest has
 * serviced it (its EOI), so a line that stays asserted cannot storm the monitor.
 */
#ifndef TWINMON_IRQ_IOAPIC_H
#define TWINMON_IRQ_IOAPIC_H

#include <stdbool.h>
#include <stdint.h>

#define IOAPIC_DEFAULT_BASE	0xfec00000ULL
#define IOAPIC_MAX_PINS		24
#define IRQ_DEVICE_BASE		0x30
#define IRQ_DEVICE_VECTOR(pin)	(IRQ_DEVICE_BASE + (pin))

/* Find and reset the I/O APIC at base: every pin masked. The number of pins, or -ENODEV. */
int ioapic_init(uint64_t base);
/* Route pin to IRQ_DEVICE_VECTOR(pin) on the local APIC apic_id, unmasked. -EINVAL: no pin. */
int ioapic_route(unsigned pin, uint32_t apic_id);
void ioapic_mask(unsigned pin, bool masked);
bool ioapic_level(unsigned pin);

#endif
