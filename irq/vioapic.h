/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * A guest's virtual I/O APIC (82093AA datasheet; version 0x20 adds the EOI register), for a
 * single-CPU guest whose local APIC is irq/vlapic.h. The physical I/O APIC stays the
 * monitor's (irq/ioapic.h). Pure C, host tested, no pointers in the state.
 *
 * The guest sees it at VIOAPIC_BASE (its MADT says so: GSI base 0, VIOAPIC_PINS pins) and
 * programs it through MMIO; the monitor decodes those accesses and calls
 * vioapic_mmio_read()/vioapic_mmio_write() with 32-bit accesses at a page offset. Device
 * lines reach it as electrical levels (vioapic_set_line()) or edges the monitor saw on a
 * physical line (vioapic_pulse()); the model applies the guest's polarity and trigger mode
 * and delivers the programmed vector with vlapic_raise().
 *
 * Level-triggered EOIs: the vLAPIC remembers the vectors of level-triggered interrupts the
 * guest EOIs (vlapic_take_level_eoi()); the monitor hands each one to vioapic_eoi(), which
 * plays the role of the LAPIC's EOI broadcast. A monitor that masks a physical level line
 * while the guest services it: for each pin in vioapic_eoi_pins() (before vioapic_eoi()),
 * drive the line inactive with vioapic_set_line(), call vioapic_eoi(), unmask the physical
 * pin; if the device still asserts it, it fires again and is driven active again.
 *
 * A pin the monitor has never driven is inactive whatever polarity the guest gives it:
 * nothing is wired to it, and an unmasked active-low level pin must not deliver forever.
 *
 * What is not modelled: NMI, INIT, SMI and ExtINT delivery modes (counted as undeliverable),
 * delivery status (reads 0: delivery is instantaneous), other CPUs, the extended destination
 * ID (RTE bits 55:32 read 0), an edge caused by the guest changing a pin's polarity.
 */
#ifndef TWINMON_IRQ_VIOAPIC_H
#define TWINMON_IRQ_VIOAPIC_H

#include <stdbool.h>
#include <stdint.h>

struct vlapic;

#define VIOAPIC_BASE	0xfec00000ULL
#define VIOAPIC_PINS	24
#define VIOAPIC_VERSION 0x20 /* has the EOI register */

/* MMIO page offsets. */
#define VIOAPIC_IOREGSEL 0x00
#define VIOAPIC_IOWIN	 0x10
#define VIOAPIC_EOI	 0x40

/* Register indices (IOREGSEL). */
#define VIOAPIC_REG_ID	     0x00 /* bits 27:24 */
#define VIOAPIC_REG_VER	     0x01 /* read-only: version, max redirection entry in 23:16 */
#define VIOAPIC_REG_ARB	     0x02 /* read-only: the ID bits */
#define VIOAPIC_REG_RTE(pin) (0x10 + 2 * (pin)) /* low dword; the high dword is + 1 */

/* Redirection table entry bits (64 bits). */
#define VIOAPIC_RTE_VECTOR     0xffULL
#define VIOAPIC_RTE_DELMODE    (7ULL << 8)
#define VIOAPIC_RTE_FIXED      (0ULL << 8)
#define VIOAPIC_RTE_LOWPRI     (1ULL << 8)
#define VIOAPIC_RTE_SMI	       (2ULL << 8)
#define VIOAPIC_RTE_NMI	       (4ULL << 8)
#define VIOAPIC_RTE_INIT       (5ULL << 8)
#define VIOAPIC_RTE_EXTINT     (7ULL << 8)
#define VIOAPIC_RTE_LOGICAL    (1ULL << 11)
#define VIOAPIC_RTE_DELIVS     (1ULL << 12) /* read-only, always 0 */
#define VIOAPIC_RTE_ACTIVE_LOW (1ULL << 13)
#define VIOAPIC_RTE_REMOTE_IRR (1ULL << 14) /* read-only */
#define VIOAPIC_RTE_LEVEL      (1ULL << 15)
#define VIOAPIC_RTE_MASKED     (1ULL << 16)
#define VIOAPIC_RTE_DEST_SHIFT 56

struct vioapic {
	uint32_t id;		    /* the 4-bit I/O APIC ID */
	uint32_t ioregsel;	    /* the register IOWIN reaches */
	uint64_t rte[VIOAPIC_PINS]; /* as the guest reads them, delivery status 0 */
	uint32_t line;		    /* bit n: pin n's electrical level is high */
	uint32_t driven;	    /* bit n: the monitor has driven pin n at least once */
	/* Statistics for the monitor's report; vioapic_init() zeroes them, nothing else does. */
	uint64_t delivered;	/* interrupts vlapic_raise() accepted */
	uint64_t masked_drops;	/* pins going active while masked */
	uint64_t undeliverable; /* no matching destination, a mode other than fixed or
				 * lowest priority, or refused by the vLAPIC */
};

/*
 * Reset: every redirection entry masked (bit 16) and otherwise 0, every line low and undriven,
 * IOREGSEL 0, ID id (its low 4 bits, bits 27:24 of register 0), statistics 0.
 */
void vioapic_init(struct vioapic *io, uint8_t id);

/*
 * 32-bit MMIO at page offset off: VIOAPIC_IOREGSEL (bits 7:0 kept), VIOAPIC_IOWIN (the register
 * IOREGSEL selects), VIOAPIC_EOI (write-only: vioapic_eoi() of the low 8 bits, reads 0). Other
 * offsets in the page read 0 and ignore writes. -EINVAL for an offset beyond the 4 KiB page or
 * not 4-byte aligned (the caller decides what the guest sees). Registers: an unknown index
 * reads 0 and ignores writes; writes leave read-only bits (delivery status, Remote IRR, the
 * version and arbitration registers) as they were and drop reserved bits. A write to a
 * redirection entry delivers at once if it leaves a level pin unmasked, active and with Remote
 * IRR clear; one that makes a pin edge-triggered clears its Remote IRR (as hardware does: the
 * way older Linux clears a stuck Remote IRR).
 *
 * Every call that takes lapic accepts NULL: a delivery then counts as undeliverable.
 */
int vioapic_mmio_read(struct vioapic *io, uint32_t off, uint32_t *val);
int vioapic_mmio_write(struct vioapic *io, uint32_t off, uint32_t val, struct vlapic *lapic);

/*
 * Pin pin's electrical level is now high (or low); the entry's polarity says which level is
 * active. Edge-triggered pins deliver on the inactive -> active transition; level-triggered
 * pins deliver while active and Remote IRR is clear, then set Remote IRR. Masked pins deliver
 * nothing: an edge that arrives while masked is lost, as on hardware; a level that is still
 * active when the guest unmasks the pin delivers then. Pins >= VIOAPIC_PINS are ignored.
 */
void vioapic_set_line(struct vioapic *io, unsigned int pin, bool high, struct vlapic *lapic);

/*
 * Nothing drives pin now (the monitor masked its physical line and no longer knows its level):
 * inactive under either polarity, as a pin never driven, until vioapic_set_line() drives it
 * again. Nothing is delivered.
 */
void vioapic_float_line(struct vioapic *io, unsigned int pin);

/*
 * An edge the monitor saw on a physical line: the pin goes active then inactive under the
 * entry's polarity (for an active-high pin, vioapic_set_line() high then low). It ends at
 * its inactive level.
 */
void vioapic_pulse(struct vioapic *io, unsigned int pin, struct vlapic *lapic);

/*
 * The guest EOIed vector (a level EOI from its vLAPIC, or a write to VIOAPIC_EOI): clear Remote
 * IRR of every entry with that vector and deliver again each one whose line is still active
 * and that is unmasked. Returns the pins whose Remote IRR it cleared (bit n: pin n).
 */
uint32_t vioapic_eoi(struct vioapic *io, uint8_t vector, struct vlapic *lapic);
/* The pins vioapic_eoi(io, vector, ...) would clear: Remote IRR set, that vector. */
uint32_t vioapic_eoi_pins(const struct vioapic *io, uint8_t vector);

/*
 * Whether an interrupt from pin would reach the guest now: the entry is unmasked, its vector is
 * 16 or above, its delivery mode is fixed or lowest priority, its destination is this vLAPIC,
 * and the vLAPIC is enabled (hardware and software). The monitor keeps a physical line masked
 * while this is false: its interrupts would only be dropped, at the other guest's expense.
 */
bool vioapic_deliverable(const struct vioapic *io, unsigned int pin, const struct vlapic *lapic);
/*
 * Whether an 8-bit interrupt message destination (an I/O APIC entry's, or an MSI address's
 * bits 19:12) reaches this vLAPIC, in physical or logical mode; 0xff is a broadcast.
 */
bool vioapic_dest_matches(const struct vlapic *lapic, uint32_t dest, bool logical);
/* True for a masked pin, and for pins >= VIOAPIC_PINS. */
bool vioapic_masked(const struct vioapic *io, unsigned int pin);
/* The redirection entry as the guest reads it, 0 for pins >= VIOAPIC_PINS. */
uint64_t vioapic_rte(const struct vioapic *io, unsigned int pin);

#endif
