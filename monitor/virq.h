/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Interrupts for a vCPU: its virtual LAPIC (irq/vlapic.h) holds them, the backend delivers
 * them. Before every entry the vLAPIC's timer catches up with the TSC; the highest pending
 * vector is injected if the guest can take it now, else the backend opens an interrupt
 * window and the guest exits the moment it can (then the next entry injects it).
 */
#ifndef TWINMON_MONITOR_VIRQ_H
#define TWINMON_MONITOR_VIRQ_H

#include <stdbool.h>
#include <stdint.h>

#include "monitor/core.h"

/* Right before entering v at TSC now. */
void virq_prepare(struct monitor *m, struct vcpu *v, uint64_t now);
/* When v's own timer next needs the CPU (TSC), UINT64_MAX for never. */
uint64_t virq_next_event(const struct vcpu *v);
/*
 * On CPU pc (the caller's: the loop knows it, and asking the platform costs a LAPIC read):
 * hand the device lines that fired to their owners' virtual I/O APICs, and unmask the held
 * lines whose guest can take an interrupt from them again (monitor/vdev_irq.c).
 */
void virq_devices(struct monitor *m, struct pcpu *pc);
/*
 * g's vIOAPIC page, from any of its vCPUs (v: the one whose exit this CPU handles), under
 * g->ioapic_lock; what a write delivers goes to vCPU 0, posted to it when v is another vCPU
 * (monitor/vdev_irq.c). A read of an offset the model refuses is all ones.
 */
uint32_t virq_ioapic_read(struct guest *g, uint32_t off);
void virq_ioapic_write(struct monitor *m, struct vcpu *v, uint32_t off, uint32_t val);
/* Mask and hold every line g owns (its start and restart: a fresh vIOAPIC has them masked). */
void virq_hold_lines(struct monitor *m, struct guest *g);
/* Whether an interrupt waits for v at TSC now (what wakes it from HLT). */
bool virq_pending(struct vcpu *v, uint64_t now);

#endif
