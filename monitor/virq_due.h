/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * When each interrupt waiting in a vCPU's vLAPIC became due, and from where it came, so the
 * entry that injects it can say how late it was (the dev_delay, msi_delay and ipi_delay
 * histograms of the TWINMON-STATS records; the vLAPIC timer keeps its own stamp in the
 * vLAPIC, irq_delay).
 *
 * Per vector one word: the TSC of the moment it became due and its source, packed (the source
 * in the top bits: a TSC needs centuries to reach them). A stamp is written when its vector
 * newly enters IRR, never when the vector was already waiting (a coalesced interrupt counts
 * once, from the first), and consumed by the injection. Stamps of vectors that left IRR
 * without an injection (a reset, INIT) are simply overwritten by the next one that enters:
 * every way into IRR but the timer's stamps.
 *
 * Who writes what (an SMP guest, docs/monitor.md): local[] and the histograms only the CPU that
 * runs the vCPU, like its vLAPIC. What another CPU sends (a sibling's IPI, a vIOAPIC write on
 * another vCPU's CPU) carries its stamp in posted[] next to the post box (struct vlapic_post):
 * the sender claims posted[vector] if it is free (compare-and-swap, so the first of several
 * posts of one vector wins) before it sets the vector's post bit; the owner's drain takes
 * the bits, then the stamps of the vectors it took. A post whose claim lost to one already
 * taken arrives unstamped and is counted in `unmeasured` (rare: it raced with the drain).
 */
#ifndef TWINMON_MONITOR_VIRQ_DUE_H
#define TWINMON_MONITOR_VIRQ_DUE_H

#include <stdint.h>

#include "monitor/hist.h"

enum virq_src {
	VIRQ_SRC_NONE,		/* not stamped: counted as unmeasured */
	VIRQ_SRC_DEV,		/* a device line through the vIOAPIC */
	VIRQ_SRC_MSI,		/* an MSI or MSI-X message */
	VIRQ_SRC_IPI,		/* an IPI, from a sibling or from itself */
	VIRQ_SRCS
};

struct virq_due {
	uint64_t local[256];	/* the stamps of what waits in IRR; the owner's CPU only */
	uint64_t posted[256];	/* the stamps of what waits in the post box; atomic */
	struct hist delay[VIRQ_SRCS];	/* [VIRQ_SRC_NONE] unused */
	uint64_t unmeasured;	/* injected without a stamp (not the timer's) */
};

struct vcpu;

/* IRR before a raise, for virq_due_mark(). */
void virq_due_irr(const struct vcpu *v, uint32_t irr[8]);
/*
 * On v's CPU, after something raised vectors in its vLAPIC: the vectors in IRR now and not in
 * before became due at tsc, from src. The timer's own vector (stamped in the vLAPIC) is left
 * alone.
 */
void virq_due_mark(struct vcpu *v, const uint32_t before[8], enum virq_src src, uint64_t tsc);
/* From any CPU, before vector is posted to t (vlapic_post_fixed, vlapic_post_raised). */
void virq_due_post(struct vcpu *t, uint8_t vector, enum virq_src src, uint64_t tsc);
/*
 * On v's CPU, after a drain of its post box took the vectors in taken (before: v's IRR before the
 * drain): the vectors new in IRR get their posted stamps; every taken vector's posted stamp is
 * freed, whether it was new, coalesced or refused.
 */
void virq_due_take(struct vcpu *v, const uint32_t before[8], const uint32_t taken[8]);
/* On v's CPU: vector (not the timer's) was injected at now: its delay, its stamp consumed. */
void virq_due_inject(struct vcpu *v, int vector, uint64_t now);
/* The vector's stamp is consumed without a measure (the timer's injection measured it). */
void virq_due_forget(struct vcpu *v, int vector);
/* Every posted stamp freed (a restart voids what was posted). */
void virq_due_clear_posted(struct vcpu *v);
/*
 * The stamps of what waited in IRR, when IRR is wiped (a restart, INIT): not every way into
 * IRR stamps (the LVT error vector, a timer reprogrammed while one waits), so a stale stamp
 * could otherwise date such a vector from a former life.
 */
void virq_due_clear_local(struct vcpu *v);

#endif
