// SPDX-License-Identifier: GPL-2.0-only
#include "monitor/virq.h"

void virq_prepare(struct monitor *m, struct guest *g, uint64_t now)
{
	int vec;

	vlapic_update(&g->lapic, now);
	vec = vlapic_pending(&g->lapic);
	if (!m->vops->irq_window || !m->vops->interruptible)
		return;
	if (vec < 0) {
		m->vops->irq_window(m, g, false);
		return;
	}
	if (m->vops->interruptible(m, g)) {
		struct vcpu_event ev = { VCPU_EVENT_INTR, (uint8_t)vec, false, 0 };

		/*
		 * Accepted now: if the delivery is cut short by an exit, the CPU reports it in
		 * EXITINFO and the exit path queues it again, so it is never lost or doubled.
		 */
		m->vops->inject(m, g, &ev);
		vlapic_accept(&g->lapic, vec);
		m->vops->irq_window(m, g, false);
		g->injected++;
		return;
	}
	m->vops->irq_window(m, g, true);
}

uint64_t virq_next_event(const struct guest *g)
{
	return vlapic_next_event(&g->lapic);
}

bool virq_pending(struct guest *g, uint64_t now)
{
	vlapic_update(&g->lapic, now);
	return vlapic_pending(&g->lapic) >= 0;
}
