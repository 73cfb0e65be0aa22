/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The local APIC as a test guest drives it: in xAPIC mode through its registers in the APIC
 * base page (MMIO), in x2APIC mode through the MSRs 0x800 + offset / 16 (Intel SDM vol. 3,
 * 11.4 and 11.12; AMD APM vol. 2, 16.3). Under twinmon both are the guest's virtual local
 * APIC, every access emulated by the monitor; booted directly, the real one. Registers are
 * named by their xAPIC offset in either mode. One CPU, so one module-wide state.
 */
#ifndef TWINMON_GUESTS_APIC_H
#define TWINMON_GUESTS_APIC_H

#include <stdbool.h>
#include <stdint.h>

#include "guests/lib/setup.h"

#define APIC_ID		0x020
#define APIC_EOI	0x0b0
#define APIC_SVR	0x0f0
#define APIC_ESR	0x280
#define APIC_ICR	0x300
#define APIC_ICR2	0x310	/* xAPIC only: the destination in bits 31:24 */
#define APIC_LVT_TIMER	0x320
#define APIC_TMICT	0x380
#define APIC_TMCCT	0x390
#define APIC_TDCR	0x3e0

#define APIC_SVR_ENABLE		(1u << 8)
#define APIC_LVT_MASKED		(1u << 16)
#define APIC_TIMER_ONESHOT	(0u << 17)
#define APIC_TIMER_PERIODIC	(1u << 17)
#define APIC_TIMER_DEADLINE	(2u << 17)
#define APIC_TDCR_DIV1		0xb
#define APIC_ICR_SELF		(1u << 18)	/* destination shorthand 01: this CPU */

#define MSR_APIC_BASE		0x1b
#define MSR_TSC_DEADLINE	0x6e0
#define APIC_BASE_EXTD		(1ull << 10)
#define APIC_BASE_EN		(1ull << 11)
#define APIC_BASE_ADDR		0x000ffffffffff000ull

/*
 * Find the mode in IA32_APIC_BASE and, for xAPIC, map the register page. 0, -ENODEV when the
 * APIC is disabled in IA32_APIC_BASE, or guest_map()'s error.
 */
int apic_setup(struct guest_env *env);
bool apic_x2apic(void);
/* This CPU's APIC ID (8 bits in xAPIC mode). */
uint32_t apic_id(void);

uint32_t apic_read(uint32_t reg);
/* In x2APIC mode APIC_ICR is one 64-bit MSR: the destination (bits 63:32) is 0. */
void apic_write(uint32_t reg, uint32_t val);
void apic_eoi(void);
/*
 * An IPI: icr is the ICR's low word (vector, delivery mode, destination mode, level,
 * trigger, shorthand), dest the destination field (8 bits in xAPIC mode, 32 in x2APIC).
 */
void apic_send_ipi(uint32_t icr, uint32_t dest);
/* A fixed, edge interrupt to this CPU through the ICR's "self" shorthand. */
void apic_self_ipi(uint8_t vector);
/* SVR: software enable with this spurious vector, or software disable. */
void apic_sw_enable(uint8_t spurious);
void apic_sw_disable(void);

/*
 * IA32_APIC_BASE EN clear: the APIC is off in hardware and forgets its state. apic_hw_enable()
 * brings it back in the mode apic_setup() found (x2APIC by way of xAPIC, as the architecture
 * demands), software disabled: call apic_sw_enable() again.
 */
void apic_hw_disable(void);
void apic_hw_enable(void);

#endif
