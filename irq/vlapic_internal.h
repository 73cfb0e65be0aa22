/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * What the virtual local APIC's own files share: irq/vlapic.c (state, priorities, interrupts),
 * irq/vlapic_timer.c (the timer) and irq/vlapic_regs.c (the register file, its MMIO and MSR
 * front ends). The monitor uses irq/vlapic.h alone.
 */
#ifndef TWINMON_IRQ_VLAPIC_INTERNAL_H
#define TWINMON_IRQ_VLAPIC_INTERNAL_H

#include "irq/vlapic.h"

static inline bool vlapic_enabled(const struct vlapic *v)
{
	return v->apic_base & APIC_BASE_EN;
}

static inline uint32_t vlapic_timer_mode(const struct vlapic *v)
{
	return v->lvt[VLAPIC_LVT_TIMER_I] & VLAPIC_TIMER_MODE;
}

/* ---- vlapic.c ---- */
uint32_t vlapic_ppr(const struct vlapic *v);
uint32_t vlapic_apr(const struct vlapic *v);
void vlapic_error(struct vlapic *v, uint32_t bit);	/* a VLAPIC_ESR_* bit */
void vlapic_publish(struct vlapic *v);
/* Back to the state after RESET, with this APIC base; what the monitor set and counts stays. */
void vlapic_reset(struct vlapic *v, uint64_t apic_base);
void vlapic_eoi(struct vlapic *v);
/* An ICR write (or x2APIC SELF IPI): to this vLAPIC, to the monitor (smp), or dropped. */
void vlapic_send_ipi(struct vlapic *v, uint32_t icr, uint32_t dest);

/* ---- vlapic_timer.c ---- */
void vlapic_timer_start(struct vlapic *v, uint64_t now);
uint32_t vlapic_tmcct(const struct vlapic *v, uint64_t now);	/* the current count */
void vlapic_set_lvtt(struct vlapic *v, uint32_t val);

#endif
