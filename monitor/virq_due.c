// SPDX-License-Identifier: GPL-2.0-only
/* When each waiting interrupt became due (monitor/virq_due.h). */
#include "monitor/virq_due.h"

#include <string.h>

#include "monitor/guest.h"

#define DUE_SRC_SHIFT 60
#define DUE_TSC_MASK  ((1ULL << DUE_SRC_SHIFT) - 1)

/* Never 0 for a real source: 0 is "no stamp" in posted[]. */
static uint64_t virq_due_pack(enum virq_src src, uint64_t tsc)
{
	return (uint64_t)src << DUE_SRC_SHIFT | (tsc & DUE_TSC_MASK);
}

static enum virq_src virq_due_src(uint64_t stamp)
{
	return (enum virq_src)(stamp >> DUE_SRC_SHIFT);
}

/* The timer's own interrupt, stamped in the vLAPIC (vlapic.timer_due). */
static bool virq_due_timers(const struct vcpu *v, unsigned vec)
{
	return v->lapic.timer_due_pending && vec == v->lapic.timer_due_vector;
}

void virq_due_irr(const struct vcpu *v, uint32_t irr[8])
{
	memcpy(irr, v->lapic.irr, sizeof(v->lapic.irr));
}

void virq_due_mark(struct vcpu *v, const uint32_t before[8], enum virq_src src, uint64_t tsc)
{
	for (unsigned i = 0; i < 8; i++) {
		uint32_t fresh = v->lapic.irr[i] & ~before[i];

		while (fresh) {
			unsigned vec = i * 32 + (unsigned)__builtin_ctz(fresh);

			fresh &= fresh - 1;
			if (!virq_due_timers(v, vec))
				v->due.local[vec] = virq_due_pack(src, tsc);
		}
	}
}

void virq_due_post(struct vcpu *t, uint8_t vector, enum virq_src src, uint64_t tsc)
{
	uint64_t free = 0;

	/* Taken already by an earlier post not yet drained: this one coalesces with it. The
	 * stamp goes before the post bit (whose release orders it), so a drain that takes the
	 * bit finds the stamp. */
	__atomic_compare_exchange_n(&t->due.posted[vector], &free, virq_due_pack(src, tsc), false,
				    __ATOMIC_RELAXED, __ATOMIC_RELAXED);
}

void virq_due_take(struct vcpu *v, const uint32_t before[8], const uint32_t taken[8])
{
	for (unsigned i = 0; i < 8; i++) {
		uint32_t bits = taken[i];

		while (bits) {
			unsigned b = (unsigned)__builtin_ctz(bits), vec = i * 32 + b;
			uint64_t stamp = __atomic_exchange_n(&v->due.posted[vec], 0, __ATOMIC_RELAXED);

			bits &= bits - 1;
			/* Already waiting (coalesced), or refused: the stamp is only freed. */
			if ((before[i] & (1u << b)) || !(v->lapic.irr[i] & (1u << b)) ||
			    virq_due_timers(v, vec))
				continue;
			v->due.local[vec] = stamp;
		}
	}
}

void virq_due_inject(struct vcpu *v, int vector, uint64_t now)
{
	uint64_t stamp = v->due.local[vector & 0xff], tsc = stamp & DUE_TSC_MASK;
	enum virq_src src = virq_due_src(stamp);

	v->due.local[vector & 0xff] = 0;
	if (src == VIRQ_SRC_NONE || src >= VIRQ_SRCS) {
		v->due.unmeasured++;
		return;
	}
	hist_add(&v->due.delay[src], (now & DUE_TSC_MASK) >= tsc ? (now & DUE_TSC_MASK) - tsc : 0);
}

void virq_due_forget(struct vcpu *v, int vector)
{
	v->due.local[vector & 0xff] = 0;
}

void virq_due_clear_local(struct vcpu *v)
{
	memset(v->due.local, 0, sizeof(v->due.local));
}

void virq_due_clear_posted(struct vcpu *v)
{
	for (unsigned vec = 0; vec < 256; vec++)
		__atomic_store_n(&v->due.posted[vec], 0, __ATOMIC_RELAXED);
}
