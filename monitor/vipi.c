// SPDX-License-Identifier: GPL-2.0-only
/*
 * Interprocessor interrupts between the vCPUs of one guest: the monitor's half of what
 * irq/vlapic_ipi.c decides. See monitor/vipi.h.
 */
#include "monitor/vipi.h"

#include "monitor/gboot.h"

#include <string.h>

/* v waits for a startup IPI from now on (or no longer): g->nr_parked counts those. */
static void vipi_park(struct vcpu *v, bool park)
{
	if (v->wait_sipi == park)
		return;
	v->wait_sipi = park;
	if (park)
		__atomic_add_fetch(&v->g->nr_parked, 1, __ATOMIC_ACQ_REL);
	else
		__atomic_sub_fetch(&v->g->nr_parked, 1, __ATOMIC_ACQ_REL);
}

bool vipi_park_halted(struct vcpu *v)
{
	if (v->wait_sipi)
		return __atomic_load_n(&v->g->nr_parked, __ATOMIC_ACQUIRE) >= v->g->nr_vcpus;
	v->wait_sipi = true;
	return __atomic_add_fetch(&v->g->nr_parked, 1, __ATOMIC_ACQ_REL) >= v->g->nr_vcpus;
}

void vipi_wait_sipi(struct vcpu *v)
{
	struct vlapic old = v->lapic;
	const struct monitor_guest_boot *b = v->g->boot;

	/* INIT resets the local APIC but its ID; the BSP flag is vCPU 0's at power-on only. */
	vlapic_init(&v->lapic, v->index, b && b->x2apic, old.tsc_khz, old.bus_khz);
	virq_due_clear_local(v);
	v->lapic.apic_base &= ~APIC_BASE_BSP;
	v->lapic.min_period = old.min_period;
	v->lapic.smp = old.smp;
	v->lapic.ipi_self = old.ipi_self;
	v->lapic.ipi_undeliverable = old.ipi_undeliverable;
	v->lapic.timer_fired = old.timer_fired;
	v->nmi_pending = false;
	vipi_park(v, true);
}

int vipi_sipi(struct monitor *m, struct vcpu *v, uint8_t vector)
{
	const struct monitor_guest_boot *b = v->g->boot;
	struct vcpu_start st;
	int err;

	if (!v->wait_sipi)
		return 0;
	gboot_sipi_state(vector, &st);
	st.npt_root = b ? b->npt_root : 0;
	st.iopm_pa = b ? b->iopm_pa : 0;
	if (m->vops->create && (err = m->vops->create(m, v, &st)) < 0)
		return err;
	vipi_park(v, false);
	return 0;
}

/* Something for t waits in its post box: its CPU leaves the guest (or its idle) to look. */
static void vipi_kick(struct monitor *m, const struct vcpu *t)
{
	const struct monitor_platform *p = m->plat;

	if (p && p->kick)
		p->kick(p->ctx, t->cpu->index);
}

/* ipi to t, a vCPU of the sender v's guest; t == v: the sender itself. */
static void vipi_deliver(struct monitor *m, struct vcpu *v, struct vcpu *t,
			 const struct vlapic_ipi *ipi, uint64_t now)
{
	if (t == v) {
		/* Its own vLAPIC is this CPU's to write. A vCPU never resets itself. */
		if (ipi->mode == VLAPIC_IPI_FIXED || ipi->mode == VLAPIC_IPI_LOWEST) {
			uint32_t before[8];

			virq_due_irr(v, before);
			if (vlapic_raise(&v->lapic, ipi->vector, false) == 0) {
				v->lapic.ipi_self++;
				virq_due_mark(v, before, VIRQ_SRC_IPI, now);
			}
		} else if (ipi->mode == VLAPIC_IPI_NMI) {
			v->nmi_pending = true;
		} else {
			v->lapic.ipi_undeliverable++;
		}
		return;
	}
	switch (ipi->mode) {
	case VLAPIC_IPI_FIXED:
	case VLAPIC_IPI_LOWEST:
		/* Its due time first: the drain that takes the vector finds it. */
		if (ipi->vector >= 16)
			virq_due_post(t, ipi->vector, VIRQ_SRC_IPI, now);
		vlapic_post_fixed(&t->post, ipi->vector);
		break;
	case VLAPIC_IPI_NMI:
		vlapic_post_event(&t->post, VLAPIC_POST_NMI, 0);
		break;
	case VLAPIC_IPI_INIT:
		vlapic_post_event(&t->post, VLAPIC_POST_INIT, 0);
		break;
	case VLAPIC_IPI_SIPI:
		vlapic_post_event(&t->post, VLAPIC_POST_SIPI, ipi->vector);
		break;
	default:
		return;
	}
	vipi_kick(m, t);
}

void vipi_send(struct monitor *m, struct vcpu *v)
{
	struct guest *g = v->g;
	struct vlapic_ipi ipi;
	uint64_t now;

	if (!vlapic_take_ipi(&v->lapic, &ipi))
		return;
	now = m->plat ? m->plat->now(m->plat->ctx) : 0;
	/* SMI has no guest meaning here; INIT level de-assert does nothing. */
	if (ipi.mode == VLAPIC_IPI_SMI || (ipi.mode == VLAPIC_IPI_INIT && ipi.deassert) ||
	    (ipi.mode != VLAPIC_IPI_FIXED && ipi.mode != VLAPIC_IPI_LOWEST &&
	     ipi.mode != VLAPIC_IPI_NMI && ipi.mode != VLAPIC_IPI_INIT &&
	     ipi.mode != VLAPIC_IPI_SIPI)) {
		v->lapic.ipi_undeliverable++;
		return;
	}
	/* Only the sender's own guest: an IPI cannot name anything else. */
	for (unsigned k = 0; k < g->nr_vcpus; k++) {
		struct vcpu *t = &g->vcpu[k];
		struct vlapic view;

		/* A sibling's vLAPIC is its CPU's, which may be changing its LDR or DFR right
		 * now: its destination is read from what that CPU published, in one load. */
		if (t != v)
			vlapic_route_copy(&t->lapic, &view);
		if (!vlapic_ipi_targets(t == v ? &v->lapic : &view, &v->lapic, &ipi))
			continue;
		vipi_deliver(m, v, t, &ipi, now);
		/* Lowest priority: the first vCPU that matches takes it (no arbitration). */
		if (ipi.mode == VLAPIC_IPI_LOWEST)
			break;
	}
}

bool vipi_receive(struct monitor *m, struct vcpu *v)
{
	uint8_t vector = 0;
	uint32_t events, before[8], taken[8];
	bool woken = false;

	if (!vlapic_post_pending(&v->post))
		return false;
	virq_due_irr(v, before);
	events = vlapic_post_drain_taken(&v->post, &v->lapic, &vector, taken);
	/* The vectors that came carry when they were sent (monitor/virq_due.h). */
	virq_due_take(v, before, taken);
	if (events & VLAPIC_POST_INIT)
		vipi_wait_sipi(v);
	/* A CPU waiting for a startup IPI takes nothing else: what came is lost. */
	if (v->wait_sipi) {
		memset(v->lapic.irr, 0, sizeof(v->lapic.irr));
		virq_due_clear_local(v);
		events &= ~(uint32_t)VLAPIC_POST_NMI;
	}
	if (events & VLAPIC_POST_NMI) {
		v->nmi_pending = true;
		woken = true;
	}
	if ((events & VLAPIC_POST_SIPI) && v->wait_sipi) {
		int err = vipi_sipi(m, v, vector);

		if (err < 0)
			monitor_guest_stop(m, v->g, "vCPU %u cannot start (error %d)", v->index,
					   err);
		else
			woken = true;
	}
	if (v->wait_sipi)
		sched_halt(&v->cpu->sched, v->g->id);
	return woken;
}
