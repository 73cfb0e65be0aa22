// SPDX-License-Identifier: GPL-2.0-only
/*
 * Device interrupts for their owners: a physical line that fired goes to the virtual I/O APIC
 * of the guest that owns it, and a level-triggered line comes back (the monitor masked it when
 * it fired) once that guest has serviced it, i.e. its vLAPIC saw the EOI of the line's vector.
 */
#include "monitor/virq.h"

/* The pin's active level under the guest's programming of it. */
static bool vdev_active_high(const struct guest *g, unsigned pin)
{
	return !(vioapic_rte(&g->ioapic, pin) & VIOAPIC_RTE_ACTIVE_LOW);
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
			/* Nobody to service a level line: leave it masked rather than storm. */
			continue;
		}
		g->device_irqs++;
		if (vioapic_rte(&g->ioapic, pin) & VIOAPIC_RTE_LEVEL)
			vioapic_set_line(&g->ioapic, pin, vdev_active_high(g, pin), &g->lapic);
		else
			vioapic_pulse(&g->ioapic, pin, &g->lapic);
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
			for (unsigned pin = 0; pin < VIOAPIC_PINS; pin++)
				if ((done & (1u << pin)) && p->unmask_device_irq)
					p->unmask_device_irq(p->ctx, pin);
		}
	}
}
