// SPDX-License-Identifier: GPL-2.0-only
/*
 * Interprocessor interrupts between the vCPUs of one guest: the monitor's half of what
 * irq/vlapic_ipi.c decides. See monitor/vipi.h.
 */
#include "monitor/vipi.h"

#include "monitor/gboot.h"

void vipi_wait_sipi(struct monitor *m, struct vcpu *v)
{
	struct vlapic old = v->lapic;
	const struct monitor_guest_boot *b = v->g->boot;

	(void)m;
	/* INIT resets the local APIC but its ID; the BSP flag is vCPU 0's at power-on only. */
	vlapic_init(&v->lapic, v->index, b && b->x2apic, old.tsc_khz, old.bus_khz);
	v->lapic.apic_base &= ~APIC_BASE_BSP;
	v->lapic.min_period = old.min_period;
	v->lapic.smp = old.smp;
	v->lapic.ipi_self = old.ipi_self;
	v->lapic.ipi_undeliverable = old.ipi_undeliverable;
	v->lapic.timer_fired = old.timer_fired;
	v->nmi_pending = false;
	v->wait_sipi = true;
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
	v->wait_sipi = false;
	return 0;
}
