// SPDX-License-Identifier: GPL-2.0-only
/*
 * The virtual I/O APIC (irq/vioapic.h). The state is the redirection table as the guest reads
 * it plus the electrical level of each line; every delivery decision is made from those two
 * when something changes (a line, an entry, an EOI), so nothing is queued.
 */
#include <errno.h>
#include <string.h>

#include "irq/vioapic.h"
#include "irq/vlapic.h"

#define VIOAPIC_ID_SHIFT 24
#define VIOAPIC_ID_MASK	 0x0f000000u

/* What the guest may write; delivery status and Remote IRR are the model's. */
#define RTE_LO_BITS                                                                                \
	(VIOAPIC_RTE_VECTOR | VIOAPIC_RTE_DELMODE | VIOAPIC_RTE_LOGICAL | VIOAPIC_RTE_ACTIVE_LOW | \
	 VIOAPIC_RTE_LEVEL | VIOAPIC_RTE_MASKED)
#define RTE_HI_BITS (0xffULL << VIOAPIC_RTE_DEST_SHIFT)

void vioapic_init(struct vioapic *io, uint8_t id)
{
	memset(io, 0, sizeof(*io));
	io->id = id & 0xf;
	for (unsigned int pin = 0; pin < VIOAPIC_PINS; pin++)
		io->rte[pin] = VIOAPIC_RTE_MASKED;
}

bool vioapic_masked(const struct vioapic *io, unsigned int pin)
{
	return pin >= VIOAPIC_PINS || (io->rte[pin] & VIOAPIC_RTE_MASKED);
}

uint64_t vioapic_rte(const struct vioapic *io, unsigned int pin)
{
	return pin < VIOAPIC_PINS ? io->rte[pin] : 0;
}

/* Active under the entry's polarity. An undriven pin has nothing wired to it. */
static bool vioapic_active(const struct vioapic *io, unsigned int pin)
{
	bool high = io->line & (1u << pin);

	if (!(io->driven & (1u << pin)))
		return false;
	return (io->rte[pin] & VIOAPIC_RTE_ACTIVE_LOW) ? !high : high;
}

/* 0xff is a broadcast in either mode, as vlapic_match_dest() treats it. */
bool vioapic_dest_matches(const struct vlapic *lapic, uint32_t dest, bool logical)
{
	uint32_t ldr;

	if (dest == 0xff)
		return true;
	if (vlapic_x2apic(lapic)) {
		if (!logical)
			return dest == lapic->id;
		/* The 8-bit destination is zero-extended: cluster 0, its low 8 members. */
		return lapic->id >> 4 == 0 && (dest & (1u << (lapic->id & 0xf)));
	}
	if (!logical)
		return dest == (lapic->id & 0xff);
	ldr = lapic->ldr >> 24;
	if (lapic->dfr >> 28 == 0xf)
		return dest & ldr;
	return dest >> 4 == ldr >> 4 && (dest & ldr & 0xf);
}

/* The message pin's entry would send reaches the vLAPIC as an interrupt it can take. */
static bool vioapic_routable(const struct vioapic *io, unsigned int pin,
			     const struct vlapic *lapic)
{
	uint64_t rte = io->rte[pin];
	uint64_t mode = rte & VIOAPIC_RTE_DELMODE;

	/* Fixed and lowest priority are the same thing with one CPU; the rest would need a
	 * model of NMI/INIT/8259 delivery that the single-CPU vLAPIC does not have. */
	return lapic && (mode == VIOAPIC_RTE_FIXED || mode == VIOAPIC_RTE_LOWPRI) &&
	       vioapic_dest_matches(lapic, rte >> VIOAPIC_RTE_DEST_SHIFT,
				    rte & VIOAPIC_RTE_LOGICAL);
}

bool vioapic_deliverable(const struct vioapic *io, unsigned int pin, const struct vlapic *lapic)
{
	return pin < VIOAPIC_PINS && !(io->rte[pin] & VIOAPIC_RTE_MASKED) &&
	       (io->rte[pin] & VIOAPIC_RTE_VECTOR) >= 16 && vioapic_routable(io, pin, lapic) &&
	       vlapic_sw_enabled(lapic);
}

/* Send pin's interrupt message. True if the vLAPIC took it. */
static bool vioapic_deliver(struct vioapic *io, unsigned int pin, struct vlapic *lapic)
{
	uint64_t rte = io->rte[pin];

	if (!vioapic_routable(io, pin, lapic) ||
	    vlapic_raise(lapic, rte & VIOAPIC_RTE_VECTOR, rte & VIOAPIC_RTE_LEVEL)) {
		io->undeliverable++;
		return false;
	}
	io->delivered++;
	return true;
}

/* A level pin delivers while active, unmasked and not awaiting its EOI. Remote IRR is set
 * only when the vLAPIC accepted the message: a refused one has no EOI to come. */
static void vioapic_service_level(struct vioapic *io, unsigned int pin, struct vlapic *lapic)
{
	uint64_t rte = io->rte[pin];

	if (!(rte & VIOAPIC_RTE_LEVEL) || (rte & (VIOAPIC_RTE_MASKED | VIOAPIC_RTE_REMOTE_IRR)) ||
	    !vioapic_active(io, pin))
		return;
	if (vioapic_deliver(io, pin, lapic))
		io->rte[pin] |= VIOAPIC_RTE_REMOTE_IRR;
}

void vioapic_set_line(struct vioapic *io, unsigned int pin, bool high, struct vlapic *lapic)
{
	bool was;

	if (pin >= VIOAPIC_PINS)
		return;
	was = vioapic_active(io, pin);
	io->driven |= 1u << pin;
	if (high)
		io->line |= 1u << pin;
	else
		io->line &= ~(1u << pin);
	if (!vioapic_active(io, pin))
		return;
	if (!was && (io->rte[pin] & VIOAPIC_RTE_MASKED)) {
		io->masked_drops++;
		return;
	}
	if (io->rte[pin] & VIOAPIC_RTE_LEVEL)
		vioapic_service_level(io, pin, lapic);
	else if (!was)
		vioapic_deliver(io, pin, lapic);
}

void vioapic_float_line(struct vioapic *io, unsigned int pin)
{
	if (pin < VIOAPIC_PINS)
		io->driven &= ~(1u << pin);
}

void vioapic_pulse(struct vioapic *io, unsigned int pin, struct vlapic *lapic)
{
	bool low;

	if (pin >= VIOAPIC_PINS)
		return;
	low = io->rte[pin] & VIOAPIC_RTE_ACTIVE_LOW;
	vioapic_set_line(io, pin, !low, lapic);
	vioapic_set_line(io, pin, low, lapic);
}

uint32_t vioapic_eoi_pins(const struct vioapic *io, uint8_t vector)
{
	uint32_t pins = 0;

	for (unsigned int pin = 0; pin < VIOAPIC_PINS; pin++)
		if ((io->rte[pin] & VIOAPIC_RTE_REMOTE_IRR) &&
		    (io->rte[pin] & VIOAPIC_RTE_VECTOR) == vector)
			pins |= 1u << pin;
	return pins;
}

uint32_t vioapic_eoi(struct vioapic *io, uint8_t vector, struct vlapic *lapic)
{
	uint32_t pins = vioapic_eoi_pins(io, vector);

	for (unsigned int pin = 0; pin < VIOAPIC_PINS; pin++) {
		if (!(pins & (1u << pin)))
			continue;
		io->rte[pin] &= ~VIOAPIC_RTE_REMOTE_IRR;
		vioapic_service_level(io, pin, lapic);
	}
	return pins;
}

/* ---- registers -------------------------------------------------------------------------- */

static uint32_t vioapic_reg_read(const struct vioapic *io, uint32_t reg)
{
	unsigned int pin;

	switch (reg) {
	case VIOAPIC_REG_ID:
	case VIOAPIC_REG_ARB: return io->id << VIOAPIC_ID_SHIFT;
	case VIOAPIC_REG_VER: return (VIOAPIC_PINS - 1) << 16 | VIOAPIC_VERSION;
	}
	if (reg < VIOAPIC_REG_RTE(0) || reg >= VIOAPIC_REG_RTE(VIOAPIC_PINS))
		return 0;
	pin = (reg - VIOAPIC_REG_RTE(0)) / 2;
	return reg & 1 ? (uint32_t)(io->rte[pin] >> 32) : (uint32_t)io->rte[pin];
}

static void vioapic_reg_write(struct vioapic *io, uint32_t reg, uint32_t val, struct vlapic *lapic)
{
	unsigned int pin;
	uint64_t rte;

	if (reg == VIOAPIC_REG_ID) {
		io->id = (val & VIOAPIC_ID_MASK) >> VIOAPIC_ID_SHIFT;
		return;
	}
	if (reg < VIOAPIC_REG_RTE(0) || reg >= VIOAPIC_REG_RTE(VIOAPIC_PINS))
		return;
	pin = (reg - VIOAPIC_REG_RTE(0)) / 2;
	rte = io->rte[pin];
	if (reg & 1) {
		io->rte[pin] = (rte & ~RTE_HI_BITS) | ((uint64_t)val << 32 & RTE_HI_BITS);
		return;
	}
	rte = (rte & ~RTE_LO_BITS) | (val & RTE_LO_BITS);
	if (!(rte & VIOAPIC_RTE_LEVEL))
		rte &= ~VIOAPIC_RTE_REMOTE_IRR;
	io->rte[pin] = rte;
	/* Unmasking (or switching to level, or to the polarity the line now has) a level pin
	 * whose line is active delivers now; an edge that came while masked stays lost. */
	vioapic_service_level(io, pin, lapic);
}

static int vioapic_check(uint32_t off)
{
	return off >= 0x1000 || (off & 3) ? -EINVAL : 0;
}

int vioapic_mmio_read(struct vioapic *io, uint32_t off, uint32_t *val)
{
	int err = vioapic_check(off);

	*val = 0;
	if (err)
		return err;
	if (off == VIOAPIC_IOREGSEL)
		*val = io->ioregsel;
	else if (off == VIOAPIC_IOWIN)
		*val = vioapic_reg_read(io, io->ioregsel);
	return 0;
}

int vioapic_mmio_write(struct vioapic *io, uint32_t off, uint32_t val, struct vlapic *lapic)
{
	int err = vioapic_check(off);

	if (err)
		return err;
	if (off == VIOAPIC_IOREGSEL)
		io->ioregsel = val & 0xff;
	else if (off == VIOAPIC_IOWIN)
		vioapic_reg_write(io, io->ioregsel, val, lapic);
	else if (off == VIOAPIC_EOI)
		vioapic_eoi(io, val & 0xff, lapic);
	return 0;
}
