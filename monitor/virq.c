// SPDX-License-Identifier: GPL-2.0-only
#include "monitor/virq.h"

#include "monitor/hist.h"

void virq_prepare(struct monitor *m, struct vcpu *v, uint64_t now)
{
	int vec;

	vlapic_update(&v->lapic, now);
	vec = vlapic_pending(&v->lapic);
	if (!m->vops->irq_window || !m->vops->interruptible)
		return;
	/*
	 * An NMI a sibling sent (monitor/vipi.h) goes first, unless an event is already queued
	 * (then the next entry); an interrupt waits for the exit the window brings.
	 */
	if (v->nmi_pending && !(m->vops->event_queued && m->vops->event_queued(m, v))) {
		struct vcpu_event nmi = { VCPU_EVENT_NMI, 2, false, 0 };

		m->vops->inject(m, v, &nmi);
		v->nmi_pending = false;
		m->vops->irq_window(m, v, vec >= 0);
		return;
	}
	if (vec < 0) {
		m->vops->irq_window(m, v, false);
		return;
	}
	if (m->vops->interruptible(m, v)) {
		struct vcpu_event ev = { VCPU_EVENT_INTR, (uint8_t)vec, false, 0 };

		/*
		 * Accepted now: if the delivery is cut short by an exit, the CPU reports it in
		 * EXITINFO and the exit path queues it again, so it is never lost or doubled.
		 */
		m->vops->inject(m, v, &ev);
		vlapic_accept(&v->lapic, vec);
		m->vops->irq_window(m, v, false);
		v->injected++;
		/* How late: from the timer's expiry, not from when the monitor noticed it; any
		 * other interrupt from when it became due (monitor/virq_due.h). */
		if (v->lapic.timer_due_pending && vec == v->lapic.timer_due_vector) {
			hist_add(&v->irq_delay,
				 now >= v->lapic.timer_due ? now - v->lapic.timer_due : 0);
			v->lapic.timer_due_pending = false;
			virq_due_forget(v, vec);
		} else {
			virq_due_inject(v, vec, now);
		}
		return;
	}
	m->vops->irq_window(m, v, true);
}

uint64_t virq_next_event(const struct vcpu *v)
{
	return vlapic_next_event(&v->lapic);
}

bool virq_pending(struct vcpu *v, uint64_t now)
{
	vlapic_update(&v->lapic, now);
	return vlapic_pending(&v->lapic) >= 0;
}
