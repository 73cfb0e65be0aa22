/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The physical local APIC, owned by the monitor: its timer is the scheduler's alarm (one-shot,
 * divide by 1, vector IRQ_TIMER_VECTOR) and every host interrupt ends with its EOI. xAPIC
 * (MMIO at IA32_APIC_BASE, 0xfee00000 by default) or x2APIC (MSRs 0x800+), whichever mode the
 * firmware left it in.
 */
#ifndef TWINMON_IRQ_LAPIC_H
#define TWINMON_IRQ_LAPIC_H

#include <stdbool.h>
#include <stdint.h>

#define LAPIC_ID	0x020
#define LAPIC_VERSION	0x030
#define LAPIC_TPR	0x080
#define LAPIC_EOI	0x0b0
#define LAPIC_SVR	0x0f0
#define LAPIC_ISR	0x100	/* eight registers, 0x10 apart: vectors 32n..32n+31 */
#define LAPIC_LVT_TIMER	0x320
#define LAPIC_LVT_LINT0	0x350
#define LAPIC_TMICT	0x380
#define LAPIC_TMCCT	0x390
#define LAPIC_TDCR	0x3e0
#define LAPIC_ICR_LOW	0x300
#define LAPIC_ICR_HIGH	0x310	/* xAPIC: destination in bits 31:24 */
#define LAPIC_X2APIC_ICR 0x830	/* x2APIC: one 64-bit MSR, destination in bits 63:32 */

/* Interrupt command delivery modes (bits 10:8) and flags. */
#define LAPIC_ICR_FIXED		(0u << 8)
#define LAPIC_ICR_NMI		(4u << 8)
#define LAPIC_ICR_INIT		(5u << 8)
#define LAPIC_ICR_SIPI		(6u << 8)
#define LAPIC_ICR_PENDING	(1u << 12)	/* xAPIC delivery status: not sent yet */
#define LAPIC_ICR_ASSERT	(1u << 14)
#define LAPIC_ICR_LEVEL		(1u << 15)

#define LAPIC_SVR_ENABLE	(1u << 8)
#define LAPIC_LVT_MASKED	(1u << 16)
#define LAPIC_TDCR_DIV1		0xb
#define LAPIC_BASE_ENABLE	(1ULL << 11)
#define LAPIC_BASE_X2APIC	(1ULL << 10)

struct lapic_info {
	bool x2apic;
	uint64_t base;		/* physical MMIO base (xAPIC) */
	uint32_t id;
	uint32_t version;
};

/*
 * Enable the APIC (software enable, spurious vector), mask its timer, divide by 1; mask LINT0
 * (the 8259s' ExtINT: its vectors never set an ISR bit, see lapic_in_service). The first
 * call (the boot CPU) keeps the mode the firmware chose; a later one, on another CPU (which
 * INIT left in xAPIC mode), switches that CPU to the same mode.
 */
void lapic_init(uint8_t timer_vector, uint8_t spurious_vector, struct lapic_info *info);
uint32_t lapic_read(uint32_t reg);
void lapic_write(uint32_t reg, uint32_t val);
void lapic_eoi(void);
/* This CPU's APIC ID (after lapic_init ran on some CPU: every CPU is in the same mode). */
uint32_t lapic_id(void);
/*
 * Whether vector is set in the in-service register: the APIC delivered it and waits for its
 * EOI. An exception never sets it, which is how a message on an exception vector is told
 * from a fault (irq/vector.h). false before lapic_init.
 */
bool lapic_in_service(unsigned vector);
/* Count down from count (APIC timer ticks) once, then interrupt; 0 stops the timer. */
void lapic_timer_oneshot(uint32_t count);
/* The timer with its interrupt masked (for calibration) or unmasked. */
void lapic_timer_mask(bool masked);
uint32_t lapic_timer_current(void);
/*
 * Send an interrupt command to the CPU whose APIC ID is apic_id (physical destination, no
 * shorthand). mode: LAPIC_ICR_FIXED or _NMI (vector ignored for NMI), LAPIC_ICR_INIT (an
 * INIT assert) or LAPIC_ICR_SIPI (vector: the start page number). In xAPIC mode it waits for
 * the delivery status to clear: 0, or -ETIMEDOUT if it never does. -EINVAL on an unknown mode
 * or an APIC ID the mode cannot address (xAPIC: above 255).
 */
int lapic_send_ipi(uint32_t apic_id, uint32_t mode, uint8_t vector);

#endif
