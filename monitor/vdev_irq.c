// SPDX-License-Identifier: GPL-2.0-only
/*
 * Device interrupts for their owners: a physical line that fired goes to the virtual I/O APIC
 * of the guest that owns it. A level-triggered line was masked at the physical I/O APIC when
 * it fired (irq/irq.c); it is held for the guest until the guest has serviced it, whatever
 * way it does that (a level EOI at its vLAPIC, the vIOAPIC's EOI register, reprogramming the
 * entry), and then unmasked: if the device still asserts it, it fires again.
 */
#include "monitor/virq.h"

/* The pin's active level under the guest's programming of it. */
static bool vdev_active_high(const struct guest *g, unsigned pin)
{
	return !(vioapic_rte(&g->ioapic, pin) & VIOAPIC_RTE_ACTIVE_LOW);
}

static bool vdev_bit(const uint32_t *bits, unsigned vec)
{
	return bits[vec / 32] & (1u << (vec % 32));
}

static struct guest *vdev_owner(struct monitor *m, unsigned pin)
{
	for (unsigned i = 0; i < MONITOR_MAX_GUESTS; i++) {
		struct guest *g = &m->guest[i];

		if (g->present && g->has_ioapic && g->boot && (g->boot->irq_mask & (1u << pin)))
			return g;
	}
	return NULL;
}

/* Serviced: no Remote IRR, and its vector neither waiting nor in service at the vLAPIC. */
static bool vdev_serviced(const struct guest *g, unsigned pin)
{
	uint64_t rte = vioapic_rte(&g->ioapic, pin);
	unsigned vec = (unsigned)(rte & VIOAPIC_RTE_VECTOR);

	if (rte & VIOAPIC_RTE_REMOTE_IRR)
		return false;
	return !vdev_bit(g->lapic.irr, vec) && !vdev_bit(g->lapic.isr, vec);
}

void virq_release_lines(struct monitor *m, struct guest *g)
{
	const struct monitor_platform *p = m->plat;

	for (unsigned pin = 0; g->held_pins && pin < VIOAPIC_PINS; pin++) {
		if (!(g->held_pins & (1u << pin)))
			continue;
		g->held_pins &= ~(1u << pin);
		if (p->mask_device_irq)
			p->mask_device_irq(p->ctx, pin, false);
	}
}

void virq_devices(struct monitor *m)
{
	const struct monitor_platform *p = m->plat;
	uint32_t pins = p->take_device_irqs ? p->take_device_irqs(p->ctx) : 0;

	for (unsigned pin = 0; pins; pin++, pins >>= 1) {
		struct guest *g;

		if (!(pins & 1))
			continue;
		g = vdev_owner(m, pin);
		if (!g || g->stopped) {
			/* Nobody to service it: a level line stays masked rather than storm. */
			continue;
		}
		g->device_irqs++;
		if (p->level_device_irq && p->level_device_irq(p->ctx, pin)) {
			g->held_pins |= 1u << pin;
			vioapic_set_line(&g->ioapic, pin, vdev_active_high(g, pin), &g->lapic);
		} else if (vioapic_rte(&g->ioapic, pin) & VIOAPIC_RTE_LEVEL) {
			vioapic_set_line(&g->ioapic, pin, vdev_active_high(g, pin), &g->lapic);
		} else {
			vioapic_pulse(&g->ioapic, pin, &g->lapic);
		}
	}
	for (unsigned i = 0; i < MONITOR_MAX_GUESTS; i++) {
		struct guest *g = &m->guest[i];
		int vec;

		if (!g->present || !g->has_ioapic)
			continue;
		while ((vec = vlapic_take_level_eoi(&g->lapic)) >= 0) {
			uint32_t done = vioapic_eoi_pins(&g->ioapic, (uint8_t)vec);

			/* Inactive until the line fires again: the EOI must not redeliver it. */
			for (unsigned pin = 0; pin < VIOAPIC_PINS; pin++)
				if (done & (1u << pin))
					vioapic_set_line(&g->ioapic, pin, !vdev_active_high(g, pin),
							 &g->lapic);
			vioapic_eoi(&g->ioapic, (uint8_t)vec, &g->lapic);
		}
		for (unsigned pin = 0; g->held_pins && pin < VIOAPIC_PINS; pin++) {
			if (!(g->held_pins & (1u << pin)) || !vdev_serviced(g, pin))
				continue;
			/* Serviced some other way (EOI register, an entry rewritten): same. */
			vioapic_set_line(&g->ioapic, pin, !vdev_active_high(g, pin), &g->lapic);
			g->held_pins &= ~(1u << pin);
			if (p->mask_device_irq)
				p->mask_device_irq(p->ctx, pin, false);
		}
	}
}
