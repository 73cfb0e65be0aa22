// SPDX-License-Identifier: GPL-2.0-only
/*
 * IPIs between the vCPUs of one guest: what an ICR write asks for and whom it reaches. The
 * vLAPIC only decides; the monitor delivers (another vCPU may run on another physical CPU),
 * and never outside the guest: an IPI names vCPUs of the sender's guest, nothing else.
 */
#include "irq/vlapic.h"

#define ICR_MODE_SHIFT		8
#define ICR_LOGICAL		(1u << 11)
#define ICR_LEVEL_ASSERT	(1u << 14)
#define ICR_TRIGGER_LEVEL	(1u << 15)
#define ICR_SHORTHAND_SHIFT	18

struct vlapic_ipi vlapic_ipi_decode(uint32_t icr, uint32_t dest)
{
	struct vlapic_ipi ipi = {
		.vector = (uint8_t)icr,
		.mode = (uint8_t)((icr >> ICR_MODE_SHIFT) & 7),
		.shorthand = (uint8_t)((icr >> ICR_SHORTHAND_SHIFT) & 3),
		.logical = icr & ICR_LOGICAL,
		.dest = dest,
	};

	/* INIT with level de-assert (the 82489DX's "INIT level de-assert") resets nothing. */
	ipi.deassert = ipi.mode == VLAPIC_IPI_INIT && (icr & ICR_TRIGGER_LEVEL) &&
		       !(icr & ICR_LEVEL_ASSERT);
	return ipi;
}

static bool vlapic_ipi_dest(const struct vlapic *v, uint32_t dest, bool logical)
{
	bool x2 = vlapic_x2apic(v);
	uint32_t ldr;

	if (dest == (x2 ? 0xffffffffu : 0xffu))
		return true;
	if (!logical)
		return dest == (x2 ? v->id : (v->id & 0xff));
	if (x2) {
		ldr = vlapic_x2_ldr(v);
		return dest >> 16 == ldr >> 16 && (dest & ldr & 0xffff);
	}
	ldr = v->ldr >> 24;
	if (v->dfr >> 28 == 0xf)
		return dest & ldr;
	return dest >> 4 == ldr >> 4 && (dest & ldr & 0xf);
}

bool vlapic_ipi_targets(const struct vlapic *target, const struct vlapic *src,
			const struct vlapic_ipi *ipi)
{
	switch (ipi->shorthand) {
	case VLAPIC_IPI_SELF:
		return target == src;
	case VLAPIC_IPI_ALL:
		return true;
	case VLAPIC_IPI_OTHERS:
		return target != src;
	default:
		return vlapic_ipi_dest(target, ipi->dest, ipi->logical);
	}
}

bool vlapic_take_ipi(struct vlapic *v, struct vlapic_ipi *out)
{
	if (!v->has_ipi_out)
		return false;
	*out = v->ipi_out;
	v->has_ipi_out = false;
	return true;
}

void vlapic_post_fixed(struct vlapic_post *p, uint8_t vector)
{
	if (vector < 16)
		return;
	__atomic_fetch_or(&p->irr[vector / 32], 1u << (vector % 32), __ATOMIC_RELEASE);
}

void vlapic_post_event(struct vlapic_post *p, uint32_t event, uint8_t sipi_vector)
{
	/* The vector first: a drain that sees the SIPI bit sees its vector too. */
	if (event & VLAPIC_POST_SIPI)
		__atomic_store_n(&p->sipi_vector, sipi_vector, __ATOMIC_RELAXED);
	__atomic_fetch_or(&p->events, event, __ATOMIC_RELEASE);
}

bool vlapic_post_raised(struct vlapic_post *p, const struct vlapic *proxy)
{
	bool any = false;

	for (unsigned i = 0; i < 8; i++) {
		uint32_t bits = proxy->irr[i], level = bits & proxy->tmr[i];

		if (!bits)
			continue;
		/* The trigger mode before the vector: a drain that takes the vector sees it. */
		if (level)
			__atomic_fetch_or(&p->tmr[i], level, __ATOMIC_RELEASE);
		__atomic_fetch_or(&p->irr[i], bits, __ATOMIC_RELEASE);
		any = true;
	}
	return any;
}

uint32_t vlapic_post_drain(struct vlapic_post *p, struct vlapic *v, uint8_t *sipi_vector)
{
	uint32_t taken[8];

	return vlapic_post_drain_taken(p, v, sipi_vector, taken);
}

uint32_t vlapic_post_drain_taken(struct vlapic_post *p, struct vlapic *v, uint8_t *sipi_vector,
				 uint32_t taken[8])
{
	uint32_t events = __atomic_exchange_n(&p->events, 0, __ATOMIC_ACQUIRE);

	if (events & VLAPIC_POST_SIPI)
		*sipi_vector = (uint8_t)__atomic_load_n(&p->sipi_vector, __ATOMIC_RELAXED);
	for (unsigned i = 0; i < 8; i++) {
		uint32_t bits = __atomic_exchange_n(&p->irr[i], 0, __ATOMIC_ACQUIRE), level;

		taken[i] = bits;
		if (!bits)
			continue;
		level = __atomic_fetch_and(&p->tmr[i], ~bits, __ATOMIC_ACQUIRE) & bits;
		while (bits) {
			unsigned b = (unsigned)__builtin_ctz(bits);

			bits &= bits - 1;
			vlapic_raise(v, (uint8_t)(i * 32 + b), level & (1u << b));
		}
	}
	return events;
}

bool vlapic_post_pending(const struct vlapic_post *p)
{
	if (__atomic_load_n(&p->events, __ATOMIC_ACQUIRE))
		return true;
	for (unsigned i = 0; i < 8; i++)
		if (__atomic_load_n(&p->irr[i], __ATOMIC_ACQUIRE))
			return true;
	return false;
}
