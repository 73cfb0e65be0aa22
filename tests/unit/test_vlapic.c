// SPDX-License-Identifier: GPL-2.0-only
/*
 * The virtual local APIC (irq/vlapic.c, vlapic_timer.c, vlapic_regs.c): timer modes,
 * priorities, EOI, IPIs, ESR, x2APIC rules and APIC_BASE transitions. A 2 GHz TSC and a 1 GHz
 * APIC bus: one bus tick is two TSC cycles, so every expiry is exact.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "irq/vlapic.h"

#define TSC_KHZ 2000000ULL
#define BUS_KHZ 1000000ULL
#define T0	1000000ULL /* an arbitrary start, so nothing passes by being 0 */
#define GP	(-EINVAL)

static void wr(struct vlapic *v, uint32_t off, uint32_t val, uint64_t now)
{
	assert_int_equal(vlapic_mmio_write(v, off, val, now), 0);
}

static uint32_t rd(struct vlapic *v, uint32_t off, uint64_t now)
{
	uint32_t val = 0xdeadbeef;

	assert_int_equal(vlapic_mmio_read(v, off, now, &val), 0);
	return val;
}

static void msr_wr(struct vlapic *v, uint32_t msr, uint64_t val, uint64_t now)
{
	assert_int_equal(vlapic_msr_write(v, msr, val, now), 0);
}

static uint64_t msr_rd(struct vlapic *v, uint32_t msr, uint64_t now)
{
	uint64_t val = 0xdeadbeef;

	assert_int_equal(vlapic_msr_read(v, msr, now, &val), 0);
	return val;
}

static bool in(const uint32_t *reg, unsigned int vec)
{
	return reg[vec / 32] & (1u << (vec % 32));
}

/* An xAPIC, software enabled, as Linux leaves it after setup_local_APIC(). */
static void xapic(struct vlapic *v, uint32_t id)
{
	vlapic_init(v, id, false, TSC_KHZ, BUS_KHZ);
	wr(v, VLAPIC_SVR, VLAPIC_SVR_ENABLE | 0xff, 0);
}

static void x2apic(struct vlapic *v, uint32_t id)
{
	vlapic_init(v, id, true, TSC_KHZ, BUS_KHZ);
	msr_wr(v, VLAPIC_MSR(VLAPIC_SVR), VLAPIC_SVR_ENABLE | 0xff, 0);
}

/* Take the pending interrupt as the monitor would, and return it. */
static int take(struct vlapic *v)
{
	int vec = vlapic_pending(v);

	if (vec >= 0)
		vlapic_accept(v, vec);
	return vec;
}

static void test_init_state(void **state)
{
	struct vlapic v;

	vlapic_init(&v, 3, false, TSC_KHZ, BUS_KHZ);
	assert_true(vlapic_xapic(&v));
	assert_false(vlapic_x2apic(&v));
	assert_int_equal(vlapic_mmio_base(&v), VLAPIC_DEFAULT_BASE);
	assert_int_equal(msr_rd(&v, MSR_APIC_BASE, 0), 0xfee00900);
	assert_int_equal(rd(&v, VLAPIC_ID, 0), 3u << 24);
	assert_int_equal(rd(&v, VLAPIC_LVR, 0), 0x00050014);
	assert_int_equal(rd(&v, VLAPIC_SVR, 0), 0xff);
	assert_int_equal(rd(&v, VLAPIC_DFR, 0), 0xffffffff);
	assert_int_equal(rd(&v, VLAPIC_TPR, 0), 0);
	assert_int_equal(rd(&v, VLAPIC_PPR, 0), 0);
	for (uint32_t off = VLAPIC_LVT_TIMER; off <= VLAPIC_LVT_ERROR; off += 0x10)
		assert_int_equal(rd(&v, off, 0), VLAPIC_LVT_MASKED);
	assert_int_equal(rd(&v, VLAPIC_LVT_CMCI, 0), VLAPIC_LVT_MASKED);
	assert_int_equal(vlapic_pending(&v), -1);
	assert_int_equal(vlapic_next_event(&v), UINT64_MAX);

	vlapic_init(&v, 0x1234, true, TSC_KHZ, BUS_KHZ);
	assert_true(vlapic_x2apic(&v));
	assert_false(vlapic_xapic(&v));
	assert_int_equal(msr_rd(&v, MSR_APIC_BASE, 0), 0xfee00d00);
	assert_int_equal(msr_rd(&v, VLAPIC_MSR(VLAPIC_ID), 0), 0x1234);
}

/* One-shot with every divider: fires once, at exactly TMICT * divide bus ticks. */
static void test_oneshot_every_divider(void **state)
{
	static const struct {
		uint32_t tdcr, div;
	} d[] = {
	    {0x0, 2}, {0x1, 4}, {0x2, 8}, {0x3, 16}, {0x8, 32}, {0x9, 64}, {0xa, 128}, {0xb, 1},
	};

	for (unsigned int i = 0; i < sizeof(d) / sizeof(d[0]); i++) {
		struct vlapic v;
		uint64_t at = T0 + 1000ULL * d[i].div * 2;

		xapic(&v, 0);
		wr(&v, VLAPIC_TDCR, d[i].tdcr, 0);
		wr(&v, VLAPIC_LVT_TIMER, 0x30, 0);
		wr(&v, VLAPIC_TMICT, 1000, T0);
		assert_int_equal(vlapic_next_event(&v), at);
		vlapic_update(&v, at - 1);
		assert_int_equal(vlapic_pending(&v), -1);
		assert_int_equal(rd(&v, VLAPIC_TMCCT, at - 1), 1);
		vlapic_update(&v, at);
		assert_int_equal(take(&v), 0x30);
		assert_int_equal(vlapic_next_event(&v), UINT64_MAX);
		wr(&v, VLAPIC_EOI, 0, at);
		vlapic_update(&v, at + 1000000);
		assert_int_equal(vlapic_pending(&v), -1);
		assert_int_equal(rd(&v, VLAPIC_TMCCT, at + 1000000), 0);
		assert_int_equal(rd(&v, VLAPIC_TMICT, at + 1000000), 1000);
		assert_int_equal(v.timer_fired, 1);
	}
}

static void test_tmcct_counts_down(void **state)
{
	struct vlapic v;

	xapic(&v, 0);
	wr(&v, VLAPIC_TDCR, 0xb, 0); /* divide by 1: one count per 2 TSC cycles */
	wr(&v, VLAPIC_LVT_TIMER, 0x30, 0);
	wr(&v, VLAPIC_TMICT, 1000, T0);
	assert_int_equal(rd(&v, VLAPIC_TMCCT, T0), 1000);
	assert_int_equal(rd(&v, VLAPIC_TMCCT, T0 + 1), 1000);
	assert_int_equal(rd(&v, VLAPIC_TMCCT, T0 + 2), 999);
	assert_int_equal(rd(&v, VLAPIC_TMCCT, T0 + 1000), 500);
	assert_int_equal(rd(&v, VLAPIC_TMCCT, T0 + 1999), 1);
	assert_int_equal(vlapic_pending(&v), -1);
	/* The read at the expiry brings the timer up to date: 0, and the interrupt is in IRR. */
	assert_int_equal(rd(&v, VLAPIC_TMCCT, T0 + 2000), 0);
	assert_int_equal(vlapic_pending(&v), 0x30);
	/* TMICT 0 stops a running timer. */
	wr(&v, VLAPIC_TMICT, 1000, T0 + 3000);
	wr(&v, VLAPIC_TMICT, 0, T0 + 3100);
	assert_int_equal(vlapic_next_event(&v), UINT64_MAX);
	assert_int_equal(rd(&v, VLAPIC_TMCCT, T0 + 3200), 0);
	/* Rewriting TMICT restarts from now. */
	wr(&v, VLAPIC_TMICT, 1000, T0 + 4000);
	wr(&v, VLAPIC_TMICT, 10, T0 + 4500);
	assert_int_equal(vlapic_next_event(&v), T0 + 4520);
}

/* A periodic timer never fires more often than every VLAPIC_MIN_PERIOD_US; one-shot may. */
static void test_periodic_floor(void **state)
{
	struct vlapic v;
	const uint64_t floor = TSC_KHZ * VLAPIC_MIN_PERIOD_US / 1000;

	xapic(&v, 0);
	v.min_period = floor;
	wr(&v, VLAPIC_TDCR, 0xb, T0);	/* divide by 1 */
	wr(&v, VLAPIC_LVT_TIMER, VLAPIC_TIMER_PERIODIC | 0xec, T0);
	wr(&v, VLAPIC_TMICT, 1, T0);
	assert_int_equal(vlapic_next_event(&v), T0 + floor);
	vlapic_update(&v, T0 + floor);
	assert_int_equal(vlapic_next_event(&v), T0 + 2 * floor);
	wr(&v, VLAPIC_LVT_TIMER, VLAPIC_TIMER_ONESHOT | 0xec, T0 + 2 * floor);
	wr(&v, VLAPIC_TMICT, 1, T0 + 2 * floor);
	assert_true(vlapic_next_event(&v) < T0 + 2 * floor + floor);
	/* A count started one-shot and switched to periodic gets the floor too, and reads as
	 * running until its (floored) period ends; then it reloads. */
	wr(&v, VLAPIC_LVT_TIMER, VLAPIC_TIMER_PERIODIC | 0xec, T0 + 2 * floor);
	assert_true(vlapic_next_event(&v) < T0 + 2 * floor + floor);
	vlapic_update(&v, T0 + 2 * floor + 50);
	assert_int_equal(take(&v), 0xec);
	assert_true(vlapic_next_event(&v) >= T0 + 2 * floor + floor);
	assert_int_equal(rd(&v, VLAPIC_TMCCT, T0 + 2 * floor + 100), 1);
	/* A period not caught up with yet (no vlapic_update) still reloads. */
	assert_int_equal(rd(&v, VLAPIC_TMCCT, vlapic_next_event(&v) + 10 * floor), 1);
	/* The floor is the monitor's: a guest that disables and re-enables its APIC keeps it. */
	assert_int_equal(vlapic_msr_write(&v, MSR_APIC_BASE, VLAPIC_DEFAULT_BASE | APIC_BASE_BSP,
					  T0), 0);
	assert_int_equal(v.min_period, floor);
}

static void test_periodic_no_drift(void **state)
{
	struct vlapic v;
	uint64_t period = 500 * 2 * 2; /* TMICT 500, divide by 2 (TDCR 0), 2 cycles a tick */
	int fired = 0;

	xapic(&v, 0);
	wr(&v, VLAPIC_LVT_TIMER, VLAPIC_TIMER_PERIODIC | 0xec, 0);
	wr(&v, VLAPIC_TMICT, 500, T0);
	for (uint64_t k = 1; k <= 1000; k++) {
		/* The monitor is always late, by a varying amount under one period. */
		uint64_t now = T0 + k * period + (k * 37) % period;

		assert_int_equal(vlapic_next_event(&v), T0 + k * period);
		vlapic_update(&v, now);
		if (take(&v) == 0xec) {
			fired++;
			wr(&v, VLAPIC_EOI, 0, now);
		}
		assert_int_equal(vlapic_next_event(&v), T0 + (k + 1) * period);
		assert_int_equal(rd(&v, VLAPIC_TMCCT, T0 + (k + 1) * period - 2), 1);
	}
	assert_int_equal(fired, 1000);
	/* Periods missed entirely coalesce into one interrupt and keep the grid. */
	vlapic_update(&v, T0 + 1006 * period + 5);
	assert_int_equal(take(&v), 0xec);
	assert_int_equal(take(&v), -1);
	assert_int_equal(vlapic_next_event(&v), T0 + 1007 * period);
}

static void test_deadline(void **state)
{
	struct vlapic v;

	xapic(&v, 0);
	wr(&v, VLAPIC_LVT_TIMER, VLAPIC_TIMER_DEADLINE | 0xef, 0);
	assert_int_equal(msr_rd(&v, MSR_TSC_DEADLINE, 0), 0);
	msr_wr(&v, MSR_TSC_DEADLINE, T0 + 500, T0);
	assert_int_equal(msr_rd(&v, MSR_TSC_DEADLINE, T0), T0 + 500);
	assert_int_equal(vlapic_next_event(&v), T0 + 500);
	/* TMICT means nothing in deadline mode. */
	wr(&v, VLAPIC_TMICT, 7, T0);
	assert_int_equal(rd(&v, VLAPIC_TMICT, T0), 0);
	assert_int_equal(vlapic_next_event(&v), T0 + 500);
	vlapic_update(&v, T0 + 499);
	assert_int_equal(vlapic_pending(&v), -1);
	vlapic_update(&v, T0 + 500);
	assert_int_equal(take(&v), 0xef);
	assert_int_equal(msr_rd(&v, MSR_TSC_DEADLINE, T0 + 500), 0);
	assert_int_equal(vlapic_next_event(&v), UINT64_MAX);
	wr(&v, VLAPIC_EOI, 0, T0 + 600);
	/* Re-arm, then 0 disarms. */
	msr_wr(&v, MSR_TSC_DEADLINE, T0 + 1000, T0 + 600);
	msr_wr(&v, MSR_TSC_DEADLINE, 0, T0 + 700);
	vlapic_update(&v, T0 + 2000);
	assert_int_equal(vlapic_pending(&v), -1);
	assert_int_equal(vlapic_next_event(&v), UINT64_MAX);
	/* A deadline in the past fires at the next update, not before. */
	msr_wr(&v, MSR_TSC_DEADLINE, 5, T0 + 3000);
	assert_int_equal(vlapic_next_event(&v), 5);
	assert_int_equal(vlapic_pending(&v), -1);
	vlapic_update(&v, T0 + 3001);
	assert_int_equal(take(&v), 0xef);
	assert_int_equal(v.timer_fired, 2);
}

static void test_deadline_msr_outside_deadline_mode(void **state)
{
	struct vlapic v;

	xapic(&v, 0);
	wr(&v, VLAPIC_LVT_TIMER, 0x30, 0);
	msr_wr(&v, MSR_TSC_DEADLINE, T0 + 10, T0);
	assert_int_equal(msr_rd(&v, MSR_TSC_DEADLINE, T0), 0);
	assert_int_equal(vlapic_next_event(&v), UINT64_MAX);
	/* Switching to deadline mode afterwards finds nothing armed. */
	wr(&v, VLAPIC_LVT_TIMER, VLAPIC_TIMER_DEADLINE | 0x30, T0);
	vlapic_update(&v, T0 + 100);
	assert_int_equal(vlapic_pending(&v), -1);
}

static void test_mode_switch_disarms(void **state)
{
	struct vlapic v;

	xapic(&v, 0);
	wr(&v, VLAPIC_LVT_TIMER, 0x30, 0);
	wr(&v, VLAPIC_TMICT, 1000, T0);
	wr(&v, VLAPIC_LVT_TIMER, VLAPIC_TIMER_DEADLINE | 0x30, T0 + 10);
	assert_int_equal(vlapic_next_event(&v), UINT64_MAX);
	assert_int_equal(rd(&v, VLAPIC_TMICT, T0 + 10), 0);
	vlapic_update(&v, T0 + 100000);
	assert_int_equal(vlapic_pending(&v), -1);

	msr_wr(&v, MSR_TSC_DEADLINE, T0 + 200000, T0 + 100000);
	wr(&v, VLAPIC_LVT_TIMER, VLAPIC_TIMER_PERIODIC | 0x30, T0 + 100001);
	assert_int_equal(vlapic_next_event(&v), UINT64_MAX);
	assert_int_equal(v.tsc_deadline, 0);
	wr(&v, VLAPIC_LVT_TIMER, VLAPIC_TIMER_DEADLINE | 0x30, T0 + 100002);
	assert_int_equal(msr_rd(&v, MSR_TSC_DEADLINE, T0 + 100003), 0);
	vlapic_update(&v, T0 + 300000);
	assert_int_equal(vlapic_pending(&v), -1);
}

/* Between one-shot and periodic the count goes on (hardware, KVM): only the reload changes. */
static void test_oneshot_periodic_switch(void **state)
{
	struct vlapic v;

	xapic(&v, 0);
	wr(&v, VLAPIC_LVT_TIMER, VLAPIC_TIMER_PERIODIC | 0x30, 0);
	wr(&v, VLAPIC_TMICT, 100, T0); /* 400 cycles */
	wr(&v, VLAPIC_LVT_TIMER, 0x30, T0 + 100);
	assert_int_equal(vlapic_next_event(&v), T0 + 400);
	vlapic_update(&v, T0 + 400);
	assert_int_equal(take(&v), 0x30);
	assert_int_equal(vlapic_next_event(&v), UINT64_MAX);
}

/* TDCR changes apply from the next TMICT write; the running count keeps its divider. */
static void test_tdcr_change(void **state)
{
	struct vlapic v;

	xapic(&v, 0);
	wr(&v, VLAPIC_LVT_TIMER, 0x30, 0);
	wr(&v, VLAPIC_TDCR, 0xb, 0);
	wr(&v, VLAPIC_TMICT, 100, T0);
	wr(&v, VLAPIC_TDCR, 0x3, T0 + 10);
	assert_int_equal(rd(&v, VLAPIC_TDCR, T0 + 10), 0x3);
	assert_int_equal(rd(&v, VLAPIC_TMCCT, T0 + 100), 50);
	assert_int_equal(vlapic_next_event(&v), T0 + 200);
	wr(&v, VLAPIC_TMICT, 100, T0 + 300);
	assert_int_equal(vlapic_next_event(&v), T0 + 300 + 100 * 16 * 2);
	assert_int_equal(rd(&v, VLAPIC_TMCCT, T0 + 300 + 32 * 10), 90);
}

/* Clocks that do not divide: the period is rounded up, so the timer is never early. */
static void test_timer_inexact_clocks(void **state)
{
	struct vlapic v;

	vlapic_init(&v, 0, false, 1000000, 3000000); /* 1 GHz TSC, 3 GHz bus */
	wr(&v, VLAPIC_SVR, 0x1ff, 0);
	wr(&v, VLAPIC_TDCR, 0xb, 0);
	wr(&v, VLAPIC_LVT_TIMER, VLAPIC_TIMER_PERIODIC | 0x30, 0);
	wr(&v, VLAPIC_TMICT, 1000, T0); /* 333.3 cycles */
	assert_int_equal(vlapic_next_event(&v), T0 + 334);
	assert_int_equal(rd(&v, VLAPIC_TMCCT, T0 + 333), 1);
	assert_int_equal(vlapic_pending(&v), -1);
	assert_int_equal(rd(&v, VLAPIC_TMCCT, T0 + 334), 1000);
	assert_int_equal(vlapic_pending(&v), 0x30);
	assert_int_equal(vlapic_next_event(&v), T0 + 668);
}

/* Linux's x2APIC + TSC-deadline path: LVT through the MSR, then IA32_TSC_DEADLINE. */
static void test_x2apic_deadline(void **state)
{
	struct vlapic v;

	x2apic(&v, 0);
	msr_wr(&v, VLAPIC_MSR(VLAPIC_LVT_TIMER), VLAPIC_TIMER_DEADLINE | 0xec, T0);
	msr_wr(&v, MSR_TSC_DEADLINE, T0 + 100, T0);
	/* TMICT is ignored and TMCCT reads 0 in deadline mode. */
	msr_wr(&v, VLAPIC_MSR(VLAPIC_TMICT), 5, T0);
	assert_int_equal(msr_rd(&v, VLAPIC_MSR(VLAPIC_TMCCT), T0 + 1), 0);
	/* The read at the deadline brings the timer up to date. */
	assert_int_equal(msr_rd(&v, VLAPIC_MSR(VLAPIC_IRR + 0x70), T0 + 100), 1u << 12);
	assert_int_equal(msr_rd(&v, MSR_TSC_DEADLINE, T0 + 100), 0);
	assert_int_equal(take(&v), 0xec);
	/* Masking the LVT (Linux's shutdown) still leaves a deadline to disarm; it stays quiet. */
	msr_wr(&v, MSR_TSC_DEADLINE, T0 + 200, T0 + 150);
	msr_wr(&v, VLAPIC_MSR(VLAPIC_LVT_TIMER), VLAPIC_LVT_MASKED | VLAPIC_TIMER_DEADLINE | 0xec,
	       T0 + 160);
	assert_int_equal(vlapic_next_event(&v), UINT64_MAX);
	vlapic_update(&v, T0 + 300);
	assert_false(in(v.irr, 0xec));
}

static void test_masked_timer(void **state)
{
	struct vlapic v;

	xapic(&v, 0);
	wr(&v, VLAPIC_LVT_TIMER, VLAPIC_LVT_MASKED | 0x30, 0);
	wr(&v, VLAPIC_TMICT, 100, T0);
	/* It still counts... */
	assert_int_equal(rd(&v, VLAPIC_TMCCT, T0 + 200), 50);
	/* ...but nobody needs to wake for it, and it never reaches IRR. */
	assert_int_equal(vlapic_next_event(&v), UINT64_MAX);
	vlapic_update(&v, T0 + 400);
	assert_int_equal(vlapic_pending(&v), -1);
	assert_int_equal(v.irr[1], 0);
	assert_int_equal(v.timer_fired, 1);
	assert_int_equal(rd(&v, VLAPIC_TMCCT, T0 + 401), 0);

	/* A masked periodic timer keeps its grid; unmasking shows the next expiry on it. */
	wr(&v, VLAPIC_LVT_TIMER, VLAPIC_LVT_MASKED | VLAPIC_TIMER_PERIODIC | 0x30, T0 + 1000);
	wr(&v, VLAPIC_TMICT, 100, T0 + 1000);
	wr(&v, VLAPIC_LVT_TIMER, VLAPIC_TIMER_PERIODIC | 0x30, T0 + 1000 + 400 * 3 + 7);
	assert_int_equal(vlapic_pending(&v), -1);
	assert_int_equal(vlapic_next_event(&v), T0 + 1000 + 400 * 4);
}

static void test_eoi_nesting(void **state)
{
	struct vlapic v;

	xapic(&v, 0);
	assert_int_equal(vlapic_raise(&v, 0x40, false), 0);
	assert_int_equal(take(&v), 0x40);
	assert_int_equal(rd(&v, VLAPIC_PPR, 0), 0x40);
	/* Lower and same class wait. */
	vlapic_raise(&v, 0x30, false);
	vlapic_raise(&v, 0x4f, false);
	assert_int_equal(vlapic_pending(&v), -1);
	/* A higher class interrupts. */
	vlapic_raise(&v, 0x80, false);
	assert_int_equal(take(&v), 0x80);
	assert_int_equal(rd(&v, VLAPIC_PPR, 0), 0x80);
	assert_int_equal(vlapic_pending(&v), -1);
	/* EOI retires the highest in service: 0x80, then 0x40. */
	wr(&v, VLAPIC_EOI, 0, 0);
	assert_false(in(v.isr, 0x80));
	assert_true(in(v.isr, 0x40));
	assert_int_equal(vlapic_pending(&v), -1);
	wr(&v, VLAPIC_EOI, 0, 0);
	assert_int_equal(take(&v), 0x4f);
	wr(&v, VLAPIC_EOI, 0, 0);
	assert_int_equal(take(&v), 0x30);
	wr(&v, VLAPIC_EOI, 0, 0);
	assert_int_equal(rd(&v, VLAPIC_PPR, 0), 0);
	/* EOI with nothing in service changes nothing. */
	wr(&v, VLAPIC_EOI, 0, 0);
	assert_int_equal(vlapic_pending(&v), -1);
	/* accept() of a vector not in IRR is ignored. */
	vlapic_accept(&v, 0x99);
	assert_false(in(v.isr, 0x99));
}

static void test_tpr_blocks(void **state)
{
	struct vlapic v;

	xapic(&v, 0);
	wr(&v, VLAPIC_TPR, 0x50, 0);
	vlapic_raise(&v, 0x5f, false);
	assert_int_equal(vlapic_pending(&v), -1);
	vlapic_raise(&v, 0x60, false);
	assert_int_equal(vlapic_pending(&v), 0x60);
	wr(&v, VLAPIC_TPR, 0x60, 0);
	assert_int_equal(vlapic_pending(&v), -1);
	/* CR8 is TPR[7:4]. */
	assert_int_equal(vlapic_cr8(&v), 6);
	vlapic_set_cr8(&v, 4);
	assert_int_equal(rd(&v, VLAPIC_TPR, 0), 0x40);
	assert_int_equal(vlapic_pending(&v), 0x60);
	vlapic_set_cr8(&v, 0);
	assert_int_equal(take(&v), 0x60);
	assert_int_equal(take(&v), -1);
	wr(&v, VLAPIC_EOI, 0, 0);
	assert_int_equal(take(&v), 0x5f);
}

static void test_ppr_values(void **state)
{
	struct vlapic v;

	xapic(&v, 0);
	wr(&v, VLAPIC_TPR, 0x35, 0);
	assert_int_equal(rd(&v, VLAPIC_PPR, 0), 0x35);
	vlapic_raise(&v, 0x27, false);
	vlapic_accept(&v, 0x27);
	/* TPR class above ISRV's: all of TPR. */
	assert_int_equal(rd(&v, VLAPIC_PPR, 0), 0x35);
	vlapic_raise(&v, 0x47, false);
	vlapic_accept(&v, 0x47);
	/* ISRV class above: the class, low bits 0. */
	assert_int_equal(rd(&v, VLAPIC_PPR, 0), 0x40);
	/* Equal classes: TPR. */
	wr(&v, VLAPIC_TPR, 0x4a, 0);
	assert_int_equal(rd(&v, VLAPIC_PPR, 0), 0x4a);
	/* APR (xAPIC): the highest of TPR and the pending / in-service classes. */
	vlapic_raise(&v, 0x91, false);
	assert_int_equal(rd(&v, VLAPIC_APR, 0), 0x90);
	wr(&v, VLAPIC_TPR, 0xa3, 0);
	assert_int_equal(rd(&v, VLAPIC_APR, 0), 0xa3);
}

static void test_svr_disable(void **state)
{
	struct vlapic v;

	xapic(&v, 0);
	wr(&v, VLAPIC_LVT_TIMER, 0x30, 0);
	wr(&v, VLAPIC_LVT_LINT0, 0x700, 0);
	wr(&v, VLAPIC_LVT_ERROR, 0xfe, 0);
	vlapic_raise(&v, 0x50, false);
	wr(&v, VLAPIC_SVR, 0xff, 0);
	for (uint32_t off = VLAPIC_LVT_TIMER; off <= VLAPIC_LVT_ERROR; off += 0x10)
		assert_true(rd(&v, off, 0) & VLAPIC_LVT_MASKED);
	assert_int_equal(rd(&v, VLAPIC_LVT_TIMER, 0), VLAPIC_LVT_MASKED | 0x30);
	/* Unmasking does not stick while disabled. */
	wr(&v, VLAPIC_LVT_TIMER, 0x31, 0);
	assert_int_equal(rd(&v, VLAPIC_LVT_TIMER, 0), VLAPIC_LVT_MASKED | 0x31);
	/* IRR keeps what it had, but nothing is offered; a device interrupt waits too. */
	assert_int_equal(vlapic_pending(&v), -1);
	assert_int_equal(vlapic_raise(&v, 0x60, false), 0);
	assert_int_equal(vlapic_pending(&v), -1);
	/* The timer runs out without reaching IRR. */
	wr(&v, VLAPIC_TMICT, 10, T0);
	vlapic_update(&v, T0 + 40);
	assert_false(in(v.irr, 0x31));
	/* Enabled again: the waiting ones are offered, the LVTs stay masked until written. */
	wr(&v, VLAPIC_SVR, 0x1ff, T0 + 50);
	assert_int_equal(vlapic_pending(&v), 0x60);
	assert_true(rd(&v, VLAPIC_LVT_TIMER, T0 + 50) & VLAPIC_LVT_MASKED);
	wr(&v, VLAPIC_LVT_TIMER, 0x31, T0 + 50);
	assert_int_equal(rd(&v, VLAPIC_LVT_TIMER, T0 + 50), 0x31);
}

static void test_icr_self_shorthand(void **state)
{
	struct vlapic v;

	xapic(&v, 2);
	wr(&v, VLAPIC_ICR, 1u << 18 | 0x55, 0);
	assert_true(in(v.irr, 0x55));
	/* Delivery status (bit 12) reads idle; the rest reads back. */
	assert_int_equal(rd(&v, VLAPIC_ICR, 0), 1u << 18 | 0x55);
	wr(&v, VLAPIC_ICR, 2u << 18 | 0x56, 0);
	assert_true(in(v.irr, 0x56));
	assert_int_equal(v.ipi_self, 2);
	assert_int_equal(v.ipi_undeliverable, 0);
	assert_int_equal(take(&v), 0x56);
}

static void test_icr_destination_xapic(void **state)
{
	struct vlapic v;

	xapic(&v, 3);
	wr(&v, VLAPIC_ICR2, 3u << 24 | 0x12345, 0);
	assert_int_equal(rd(&v, VLAPIC_ICR2, 0), 3u << 24);
	wr(&v, VLAPIC_ICR, 0x61, 0);
	assert_true(in(v.irr, 0x61));
	wr(&v, VLAPIC_ICR2, 0xffu << 24, 0);
	wr(&v, VLAPIC_ICR, 0x62, 0);
	assert_true(in(v.irr, 0x62));
	wr(&v, VLAPIC_ICR2, 4u << 24, 0);
	wr(&v, VLAPIC_ICR, 0x63, 0);
	assert_false(in(v.irr, 0x63));
	assert_int_equal(v.ipi_self, 2);
	assert_int_equal(v.ipi_undeliverable, 1);
}

/* Logical destinations, as Linux's flat mode uses them. */
static void test_icr_logical_xapic(void **state)
{
	struct vlapic v;

	xapic(&v, 0);
	wr(&v, VLAPIC_LDR, 0x10000000, 0);
	wr(&v, VLAPIC_ICR2, 0x30u << 24, 0);
	wr(&v, VLAPIC_ICR, 1u << 11 | 0x70, 0);
	assert_true(in(v.irr, 0x70));
	wr(&v, VLAPIC_ICR2, 0x0fu << 24, 0);
	wr(&v, VLAPIC_ICR, 1u << 11 | 0x71, 0);
	assert_false(in(v.irr, 0x71));
	/* Cluster model: cluster 2, member bit 1. */
	wr(&v, VLAPIC_DFR, 0x0fffffff, 0);
	wr(&v, VLAPIC_LDR, 0x21000000, 0);
	wr(&v, VLAPIC_ICR2, 0x23u << 24, 0);
	wr(&v, VLAPIC_ICR, 1u << 11 | 0x72, 0);
	assert_true(in(v.irr, 0x72));
	wr(&v, VLAPIC_ICR2, 0x31u << 24, 0);
	wr(&v, VLAPIC_ICR, 1u << 11 | 0x73, 0);
	assert_false(in(v.irr, 0x73));
	assert_int_equal(v.ipi_undeliverable, 2);
}

static void test_icr_x2apic(void **state)
{
	struct vlapic v;
	uint64_t icr = (uint64_t)0x105 << 32 | 0x70;

	x2apic(&v, 0x105);
	msr_wr(&v, VLAPIC_MSR(VLAPIC_ICR), icr, 0);
	assert_true(in(v.irr, 0x70));
	assert_int_equal(msr_rd(&v, VLAPIC_MSR(VLAPIC_ICR), 0), icr);
	msr_wr(&v, VLAPIC_MSR(VLAPIC_ICR), 0xffffffff00000071ULL, 0);
	assert_true(in(v.irr, 0x71));
	/* xAPIC's broadcast is just another ID in x2APIC. */
	msr_wr(&v, VLAPIC_MSR(VLAPIC_ICR), 0xff00000072ULL, 0);
	assert_false(in(v.irr, 0x72));
	/* Logical: cluster 0x10, member 5. */
	msr_wr(&v, VLAPIC_MSR(VLAPIC_ICR), (0x10ULL << 48 | 1ULL << 37) | 1u << 11 | 0x73, 0);
	assert_true(in(v.irr, 0x73));
	/* SELF_IPI, write-only, vector only. */
	msr_wr(&v, VLAPIC_MSR(VLAPIC_SELF_IPI), 0x74, 0);
	assert_true(in(v.irr, 0x74));
	uint64_t val;
	assert_int_equal(vlapic_msr_read(&v, VLAPIC_MSR(VLAPIC_SELF_IPI), 0, &val), GP);
	assert_int_equal(vlapic_msr_write(&v, VLAPIC_MSR(VLAPIC_SELF_IPI), 0x174, 0), GP);
	/* Reserved ICR bits (12, delivery status, is one in x2APIC). */
	assert_int_equal(vlapic_msr_write(&v, VLAPIC_MSR(VLAPIC_ICR), 1u << 12 | 0x75, 0), GP);
	assert_false(in(v.irr, 0x75));
	assert_int_equal(v.ipi_self, 4);
	assert_int_equal(v.ipi_undeliverable, 1);
}

static void test_ipi_undeliverable(void **state)
{
	struct vlapic v;

	xapic(&v, 0);
	wr(&v, VLAPIC_ICR, 3u << 18 | 0x40, 0);	   /* all excluding self */
	wr(&v, VLAPIC_ICR, 1u << 18 | 4u << 8, 0); /* NMI to self */
	wr(&v, VLAPIC_ICR, 2u << 18 | 5u << 8, 0); /* INIT to all */
	wr(&v, VLAPIC_ICR, 6u << 8 | 0x10, 0);	   /* SIPI to ID 0 */
	wr(&v, VLAPIC_ICR, 1u << 18 | 2u << 8, 0); /* SMI to self */
	wr(&v, VLAPIC_ICR2, 7u << 24, 0);
	wr(&v, VLAPIC_ICR, 0x41, 0); /* fixed, to ID 7 */
	assert_int_equal(v.ipi_undeliverable, 6);
	assert_int_equal(v.ipi_self, 0);
	for (int i = 0; i < 8; i++)
		assert_int_equal(v.irr[i], 0);
	wr(&v, VLAPIC_ESR, 0, 0);
	assert_int_equal(rd(&v, VLAPIC_ESR, 0), 0);
}

static void test_esr_latch(void **state)
{
	struct vlapic v;

	xapic(&v, 0);
	/* A reserved register: reads 0, counts as an illegal register address... */
	assert_int_equal(rd(&v, 0x040, 0), 0);
	/* ...which the guest sees only after writing ESR. */
	assert_int_equal(rd(&v, VLAPIC_ESR, 0), 0);
	wr(&v, VLAPIC_ESR, 0, 0);
	assert_int_equal(rd(&v, VLAPIC_ESR, 0), VLAPIC_ESR_ILLEGAL_REG);
	/* The write cleared the accumulator: the next write latches nothing. */
	wr(&v, VLAPIC_ESR, 0, 0);
	assert_int_equal(rd(&v, VLAPIC_ESR, 0), 0);
	/* Reserved writes count too; the SELF_IPI offset is reserved in xAPIC mode. */
	wr(&v, VLAPIC_SELF_IPI, 0x50, 0);
	assert_false(in(v.irr, 0x50));
	wr(&v, 0x400, 1, 0);
	wr(&v, VLAPIC_ESR, 0, 0);
	assert_int_equal(rd(&v, VLAPIC_ESR, 0), VLAPIC_ESR_ILLEGAL_REG);
	/* With the error LVT unmasked an error also interrupts. */
	wr(&v, VLAPIC_LVT_ERROR, 0xfe, 0);
	rd(&v, 0x3a0, 0);
	assert_int_equal(take(&v), 0xfe);
}

static void test_illegal_vector(void **state)
{
	struct vlapic v;

	xapic(&v, 0);
	assert_int_equal(vlapic_raise(&v, 15, false), -EINVAL);
	assert_int_equal(v.irr[0], 0);
	wr(&v, VLAPIC_ESR, 0, 0);
	assert_int_equal(rd(&v, VLAPIC_ESR, 0), VLAPIC_ESR_RECV_ILLEGAL);
	assert_int_equal(vlapic_raise(&v, 16, false), 0);
	assert_true(in(v.irr, 16));
	/* A self-IPI with an illegal vector: sent illegal and received illegal. */
	wr(&v, VLAPIC_ICR, 1u << 18 | 3, 0);
	wr(&v, VLAPIC_ESR, 0, 0);
	assert_int_equal(rd(&v, VLAPIC_ESR, 0), VLAPIC_ESR_SEND_ILLEGAL | VLAPIC_ESR_RECV_ILLEGAL);
	assert_int_equal(v.irr[0], 1u << 16);
	/* An error LVT with an illegal vector records the error but delivers nothing. */
	wr(&v, VLAPIC_LVT_ERROR, 0x05, 0);
	assert_int_equal(vlapic_raise(&v, 2, false), -EINVAL);
	assert_int_equal(v.irr[0], 1u << 16);
}

static void test_level_tmr(void **state)
{
	struct vlapic v;

	xapic(&v, 0);
	vlapic_raise(&v, 0x61, true);
	assert_int_equal(rd(&v, VLAPIC_TMR + 0x30, 0), 1u << 1);
	assert_int_equal(take(&v), 0x61);
	assert_int_equal(rd(&v, VLAPIC_TMR + 0x30, 0), 1u << 1);
	wr(&v, VLAPIC_EOI, 0, 0);
	assert_int_equal(rd(&v, VLAPIC_TMR + 0x30, 0), 0);
	/* An edge raise of a vector clears its TMR bit. */
	vlapic_raise(&v, 0x62, true);
	vlapic_raise(&v, 0x62, false);
	assert_int_equal(rd(&v, VLAPIC_TMR + 0x30, 0), 0);
}

/* An edge vector's EOI is nobody else's business: nothing is remembered. */
static void test_edge_eoi_not_recorded(void **state)
{
	struct vlapic v;

	xapic(&v, 0);
	vlapic_raise(&v, 0x41, false);
	assert_int_equal(take(&v), 0x41);
	wr(&v, VLAPIC_EOI, 0, 0);
	assert_int_equal(rd(&v, VLAPIC_ISR + 0x20, 0), 0);
	assert_int_equal(vlapic_take_level_eoi(&v), -1);
	/* An EOI with nothing in service records nothing either. */
	wr(&v, VLAPIC_EOI, 0, 0);
	assert_int_equal(vlapic_take_level_eoi(&v), -1);
}

/* A level vector's EOI comes out once, and survives an APIC disable (x2APIC EOI MSR too). */
static void test_level_eoi_recorded_once(void **state)
{
	struct vlapic v;

	xapic(&v, 0);
	vlapic_raise(&v, 0x61, true);
	assert_int_equal(take(&v), 0x61);
	assert_int_equal(vlapic_take_level_eoi(&v), -1);
	wr(&v, VLAPIC_EOI, 0, 0);
	assert_int_equal(rd(&v, VLAPIC_TMR + 0x30, 0), 0);
	msr_wr(&v, MSR_APIC_BASE, VLAPIC_DEFAULT_BASE, 0);
	assert_int_equal(vlapic_take_level_eoi(&v), 0x61);
	assert_int_equal(vlapic_take_level_eoi(&v), -1);

	x2apic(&v, 0);
	vlapic_raise(&v, 0xfe, true);
	assert_int_equal(take(&v), 0xfe);
	msr_wr(&v, VLAPIC_MSR(VLAPIC_EOI), 0, 0);
	assert_int_equal(vlapic_take_level_eoi(&v), 0xfe);
	assert_int_equal(vlapic_take_level_eoi(&v), -1);
	/* vlapic_init() forgets a pending one. */
	vlapic_raise(&v, 0x70, true);
	assert_int_equal(take(&v), 0x70);
	msr_wr(&v, VLAPIC_MSR(VLAPIC_EOI), 0, 0);
	x2apic(&v, 0);
	assert_int_equal(vlapic_take_level_eoi(&v), -1);
}

/* Two nested level vectors and an edge one: both level vectors come out, lowest first. */
static void test_level_eoi_two_vectors(void **state)
{
	struct vlapic v;

	xapic(&v, 0);
	vlapic_raise(&v, 0x31, true);
	assert_int_equal(take(&v), 0x31);
	vlapic_raise(&v, 0x52, false);
	assert_int_equal(take(&v), 0x52);
	vlapic_raise(&v, 0xc3, true);
	assert_int_equal(take(&v), 0xc3);
	for (int i = 0; i < 3; i++)
		wr(&v, VLAPIC_EOI, 0, 0);
	assert_int_equal(vlapic_take_level_eoi(&v), 0x31);
	assert_int_equal(vlapic_take_level_eoi(&v), 0xc3);
	assert_int_equal(vlapic_take_level_eoi(&v), -1);
}

static void test_x2apic_registers(void **state)
{
	struct vlapic v;

	x2apic(&v, 0x23);
	assert_int_equal(msr_rd(&v, VLAPIC_MSR(VLAPIC_ID), 0), 0x23);
	assert_int_equal(msr_rd(&v, VLAPIC_MSR(VLAPIC_LDR), 0), 2u << 16 | 1u << 3);
	assert_int_equal(msr_rd(&v, VLAPIC_MSR(VLAPIC_LVR), 0), 0x00050014);
	msr_wr(&v, VLAPIC_MSR(VLAPIC_TPR), 0x20, 0);
	assert_int_equal(msr_rd(&v, VLAPIC_MSR(VLAPIC_PPR), 0), 0x20);
	msr_wr(&v, VLAPIC_MSR(VLAPIC_LVT_TIMER), 0x30, 0);
	msr_wr(&v, VLAPIC_MSR(VLAPIC_TDCR), 0xb, 0);
	msr_wr(&v, VLAPIC_MSR(VLAPIC_TMICT), 100, T0);
	assert_int_equal(msr_rd(&v, VLAPIC_MSR(VLAPIC_TMCCT), T0 + 50), 75);
	vlapic_update(&v, T0 + 200);
	assert_int_equal(take(&v), 0x30);
	msr_wr(&v, VLAPIC_MSR(VLAPIC_EOI), 0, T0 + 200);
	assert_int_equal(msr_rd(&v, VLAPIC_MSR(VLAPIC_ISR + 0x10), T0 + 200), 0);
	msr_wr(&v, VLAPIC_MSR(VLAPIC_ESR), 0, 0);
	assert_int_equal(msr_rd(&v, VLAPIC_MSR(VLAPIC_ESR), 0), 0);
}

static void test_x2apic_gp(void **state)
{
	static const uint32_t missing[] = {0x800, 0x801, 0x804, 0x809, 0x80c, 0x80e,
					   0x829, 0x831, 0x83a, 0x840, 0x8ff};
	static const uint32_t read_only[] = {VLAPIC_ID,		VLAPIC_LVR,  VLAPIC_PPR,
					     VLAPIC_LDR,	VLAPIC_ISR,  VLAPIC_TMR + 0x70,
					     VLAPIC_IRR + 0x30, VLAPIC_TMCCT};
	struct vlapic v;
	uint64_t val;
	uint32_t val32;

	x2apic(&v, 1);
	for (unsigned int i = 0; i < sizeof(missing) / sizeof(missing[0]); i++) {
		assert_int_equal(vlapic_msr_read(&v, missing[i], 0, &val), GP);
		assert_int_equal(vlapic_msr_write(&v, missing[i], 0, 0), GP);
	}
	for (unsigned int i = 0; i < sizeof(read_only) / sizeof(read_only[0]); i++) {
		assert_int_equal(vlapic_msr_read(&v, VLAPIC_MSR(read_only[i]), 0, &val), 0);
		assert_int_equal(vlapic_msr_write(&v, VLAPIC_MSR(read_only[i]), 0, 0), GP);
	}
	assert_int_equal(msr_rd(&v, VLAPIC_MSR(VLAPIC_ID), 0), 1);
	/* EOI: write-only, and only 0. */
	vlapic_raise(&v, 0x40, false);
	take(&v);
	assert_int_equal(vlapic_msr_read(&v, VLAPIC_MSR(VLAPIC_EOI), 0, &val), GP);
	assert_int_equal(vlapic_msr_write(&v, VLAPIC_MSR(VLAPIC_EOI), 1, 0), GP);
	assert_true(in(v.isr, 0x40));
	/* Reserved bits: the upper half, and within registers. */
	assert_int_equal(vlapic_msr_write(&v, VLAPIC_MSR(VLAPIC_TPR), 1ULL << 32, 0), GP);
	assert_int_equal(vlapic_msr_write(&v, VLAPIC_MSR(VLAPIC_TMICT), 1ULL << 32 | 1, 0), GP);
	assert_int_equal(vlapic_next_event(&v), UINT64_MAX);
	assert_int_equal(vlapic_msr_write(&v, VLAPIC_MSR(VLAPIC_TPR), 0x100, 0), GP);
	assert_int_equal(vlapic_msr_write(&v, VLAPIC_MSR(VLAPIC_LVT_ERROR), 0x700, 0), GP);
	assert_int_equal(vlapic_msr_write(&v, VLAPIC_MSR(VLAPIC_TDCR), 0x4, 0), GP);
	assert_int_equal(vlapic_msr_write(&v, VLAPIC_MSR(VLAPIC_SVR), 1u << 12, 0), GP);
	assert_int_equal(vlapic_msr_write(&v, VLAPIC_MSR(VLAPIC_ESR), 1, 0), GP);
	/* Read-only LVT bits written back are harmless. */
	assert_int_equal(vlapic_msr_write(&v, VLAPIC_MSR(VLAPIC_LVT_LINT0), 1u << 12 | 0x700, 0),
			 0);
	assert_int_equal(msr_rd(&v, VLAPIC_MSR(VLAPIC_LVT_LINT0), 0), 0x700);
	/* No MMIO in x2APIC mode. */
	assert_int_equal(vlapic_mmio_read(&v, VLAPIC_ID, 0, &val32), -EINVAL);
	assert_int_equal(vlapic_mmio_write(&v, VLAPIC_TPR, 0, 0), -EINVAL);
	/* Not the model's MSRs. */
	assert_int_equal(vlapic_msr_read(&v, 0x10, 0, &val), -ENOENT);
	assert_int_equal(vlapic_msr_write(&v, 0x900, 0, 0), -ENOENT);
}

static void test_x2apic_msrs_in_xapic_mode(void **state)
{
	struct vlapic v;
	uint64_t val;

	xapic(&v, 0);
	assert_int_equal(vlapic_msr_read(&v, VLAPIC_MSR(VLAPIC_ID), 0, &val), GP);
	assert_int_equal(vlapic_msr_write(&v, VLAPIC_MSR(VLAPIC_TPR), 0x20, 0), GP);
	assert_int_equal(rd(&v, VLAPIC_TPR, 0), 0);
	/* MSR_TSC_DEADLINE is not an x2APIC register. */
	assert_int_equal(vlapic_msr_read(&v, MSR_TSC_DEADLINE, 0, &val), 0);
}

static void test_apic_base_transitions(void **state)
{
	uint64_t base = VLAPIC_DEFAULT_BASE | APIC_BASE_BSP;
	struct vlapic v;

	xapic(&v, 4);
	wr(&v, VLAPIC_TPR, 0x30, 0);
	vlapic_raise(&v, 0x50, false);
	/* Relocation, reserved bits, EXTD without EN: refused. */
	assert_int_equal(vlapic_msr_write(&v, MSR_APIC_BASE, 0xfec00000 | APIC_BASE_EN, 0), GP);
	assert_int_equal(vlapic_msr_write(&v, MSR_APIC_BASE, base | APIC_BASE_EN | 1, 0), GP);
	assert_int_equal(vlapic_msr_write(&v, MSR_APIC_BASE, base | 1ULL << 40, 0), GP);
	assert_int_equal(vlapic_msr_write(&v, MSR_APIC_BASE, base | APIC_BASE_EXTD, 0), GP);
	/* xAPIC -> x2APIC keeps the state. */
	msr_wr(&v, MSR_APIC_BASE, base | APIC_BASE_EN | APIC_BASE_EXTD, 0);
	assert_true(vlapic_x2apic(&v));
	assert_int_equal(msr_rd(&v, VLAPIC_MSR(VLAPIC_TPR), 0), 0x30);
	assert_int_equal(vlapic_pending(&v), 0x50);
	assert_int_equal(msr_rd(&v, VLAPIC_MSR(VLAPIC_ID), 0), 4);
	/* x2APIC -> xAPIC directly: refused. */
	assert_int_equal(vlapic_msr_write(&v, MSR_APIC_BASE, base | APIC_BASE_EN, 0), GP);
	assert_true(vlapic_x2apic(&v));
	/* Disabling resets; the disabled APIC takes nothing. */
	msr_wr(&v, MSR_APIC_BASE, base, 0);
	assert_false(vlapic_x2apic(&v));
	assert_false(vlapic_xapic(&v));
	assert_int_equal(vlapic_pending(&v), -1);
	assert_int_equal(vlapic_raise(&v, 0x60, false), -ENODEV);
	uint32_t val32;
	assert_int_equal(vlapic_mmio_read(&v, VLAPIC_TPR, 0, &val32), -EINVAL);
	/* Disabled -> x2APIC directly: refused; via xAPIC it works. */
	assert_int_equal(
	    vlapic_msr_write(&v, MSR_APIC_BASE, base | APIC_BASE_EN | APIC_BASE_EXTD, 0), GP);
	msr_wr(&v, MSR_APIC_BASE, base | APIC_BASE_EN, 0);
	assert_true(vlapic_xapic(&v));
	assert_int_equal(rd(&v, VLAPIC_TPR, 0), 0);
	assert_int_equal(rd(&v, VLAPIC_IRR + 0x20, 0), 0);
	assert_int_equal(rd(&v, VLAPIC_SVR, 0), 0xff);
	assert_int_equal(rd(&v, VLAPIC_ID, 0), 4u << 24);
	/* BSP is the platform's, not the guest's to change. */
	msr_wr(&v, MSR_APIC_BASE, VLAPIC_DEFAULT_BASE | APIC_BASE_EN, 0);
	assert_int_equal(msr_rd(&v, MSR_APIC_BASE, 0), base | APIC_BASE_EN);
}

static void test_disable_stops_timer(void **state)
{
	uint64_t base = VLAPIC_DEFAULT_BASE | APIC_BASE_BSP;
	struct vlapic v;

	xapic(&v, 0);
	wr(&v, VLAPIC_LVT_TIMER, 0x30, 0);
	wr(&v, VLAPIC_TMICT, 100, T0);
	msr_wr(&v, MSR_APIC_BASE, base, T0 + 1);
	assert_int_equal(vlapic_next_event(&v), UINT64_MAX);
	vlapic_update(&v, T0 + 1000);
	msr_wr(&v, MSR_APIC_BASE, base | APIC_BASE_EN, T0 + 1000);
	vlapic_update(&v, T0 + 2000);
	assert_int_equal(v.irr[1], 0);
	assert_int_equal(v.timer_fired, 0);
}

static void test_mmio_round_trips(void **state)
{
	static const struct {
		uint32_t off, val, read;
	} rt[] = {
	    {VLAPIC_TPR, 0xffffffff, 0xff},
	    {VLAPIC_LDR, 0xffffffff, 0xff000000},
	    {VLAPIC_DFR, 0x00000000, 0x0fffffff},
	    {VLAPIC_DFR, 0xffffffff, 0xffffffff},
	    {VLAPIC_SVR, 0xffffffff, 0x3ff},
	    {VLAPIC_LVT_CMCI, 0xffffffff, 0x107ff},
	    {VLAPIC_LVT_TIMER, 0xffffffff & ~VLAPIC_TIMER_MODE, 0x100ff},
	    {VLAPIC_LVT_THERMAL, 0xffffffff, 0x107ff},
	    {VLAPIC_LVT_PERF, 0xffffffff, 0x107ff},
	    {VLAPIC_LVT_LINT0, 0xffffffff, 0x1a7ff},
	    {VLAPIC_LVT_LINT1, 0xffffffff, 0x1a7ff},
	    {VLAPIC_LVT_ERROR, 0xffffffff, 0x100ff},
	    {VLAPIC_ICR2, 0xffffffff, 0xff000000},
	    {VLAPIC_ICR, 0xffffffff, 0x000ccfff}, /* mode 7 (reserved), all but self */
	    {VLAPIC_ICR, 0xfff3f0ff, 0x0000c0ff}, /* fixed, to 0xff: everyone */
	    {VLAPIC_TMICT, 0xffffffff, 0xffffffff},
	    {VLAPIC_TDCR, 0xffffffff, 0xb},
	    {VLAPIC_TPR, 0x12, 0x12},
	    {VLAPIC_SVR, 0x1ff, 0x1ff},
	    /* Read-only: writes ignored. */
	    {VLAPIC_ID, 0xffffffff, 0x05000000},
	    {VLAPIC_LVR, 0, 0x00050014},
	    {VLAPIC_PPR, 0xff, 0x12},
	    {VLAPIC_ISR + 0x40, 0xffffffff, 0},
	    {VLAPIC_TMR + 0x40, 0xffffffff, 0},
	    {VLAPIC_IRR + 0x40, 0xffffffff, 0},
	    {VLAPIC_TMCCT, 0x1234, 0xffffffff}, /* TMICT above, no time passed */
	    /* Write-only: reads 0. */
	    {VLAPIC_EOI, 0, 0},
	    {0x0c0, 0xffffffff, 0}, /* remote read: never valid */
	};
	struct vlapic v;
	uint32_t val;

	xapic(&v, 5);
	for (unsigned int i = 0; i < sizeof(rt) / sizeof(rt[0]); i++) {
		wr(&v, rt[i].off, rt[i].val, 0);
		assert_int_equal(rd(&v, rt[i].off, 0), rt[i].read);
	}
	/* None of that was an illegal register access (a fixed IPI to all went to us). */
	wr(&v, VLAPIC_ESR, 0, 0);
	assert_int_equal(rd(&v, VLAPIC_ESR, 0) & VLAPIC_ESR_ILLEGAL_REG, 0);
	assert_true(in(v.irr, 0xff));
	/* Only aligned offsets inside the page. */
	assert_int_equal(vlapic_mmio_read(&v, 0x084, 0, &val), -EINVAL);
	assert_int_equal(vlapic_mmio_write(&v, 0x081, 0, 0), -EINVAL);
	assert_int_equal(vlapic_mmio_read(&v, 0x1000, 0, &val), -EINVAL);
}

/* Every ISR, TMR and IRR word, each with only its own bit. */
static void test_isr_tmr_irr_words(void **state)
{
	struct vlapic v;

	xapic(&v, 0);
	for (unsigned int w = 0; w < 8; w++)
		vlapic_raise(&v, (uint8_t)(w * 32 + 16 + w), w & 1);
	for (unsigned int w = 0; w < 8; w++) {
		uint32_t bit = 1u << (16 + w);

		assert_int_equal(rd(&v, VLAPIC_IRR + w * 0x10, 0), bit);
		assert_int_equal(rd(&v, VLAPIC_TMR + w * 0x10, 0), (w & 1) ? bit : 0);
		assert_int_equal(rd(&v, VLAPIC_ISR + w * 0x10, 0), 0);
	}
	/* Accepting moves each word's bit to ISR. */
	for (unsigned int w = 0; w < 8; w++)
		vlapic_accept(&v, w * 32 + 16 + w);
	for (unsigned int w = 0; w < 8; w++) {
		assert_int_equal(rd(&v, VLAPIC_IRR + w * 0x10, 0), 0);
		assert_int_equal(rd(&v, VLAPIC_ISR + w * 0x10, 0), 1u << (16 + w));
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_init_state),
	    cmocka_unit_test(test_oneshot_every_divider),
	    cmocka_unit_test(test_tmcct_counts_down),
	    cmocka_unit_test(test_periodic_no_drift),
	    cmocka_unit_test(test_periodic_floor),
	    cmocka_unit_test(test_deadline),
	    cmocka_unit_test(test_deadline_msr_outside_deadline_mode),
	    cmocka_unit_test(test_mode_switch_disarms),
	    cmocka_unit_test(test_oneshot_periodic_switch),
	    cmocka_unit_test(test_tdcr_change),
	    cmocka_unit_test(test_timer_inexact_clocks),
	    cmocka_unit_test(test_x2apic_deadline),
	    cmocka_unit_test(test_masked_timer),
	    cmocka_unit_test(test_eoi_nesting),
	    cmocka_unit_test(test_tpr_blocks),
	    cmocka_unit_test(test_ppr_values),
	    cmocka_unit_test(test_svr_disable),
	    cmocka_unit_test(test_icr_self_shorthand),
	    cmocka_unit_test(test_icr_destination_xapic),
	    cmocka_unit_test(test_icr_logical_xapic),
	    cmocka_unit_test(test_icr_x2apic),
	    cmocka_unit_test(test_ipi_undeliverable),
	    cmocka_unit_test(test_esr_latch),
	    cmocka_unit_test(test_illegal_vector),
	    cmocka_unit_test(test_level_tmr),
	    cmocka_unit_test(test_edge_eoi_not_recorded),
	    cmocka_unit_test(test_level_eoi_recorded_once),
	    cmocka_unit_test(test_level_eoi_two_vectors),
	    cmocka_unit_test(test_x2apic_registers),
	    cmocka_unit_test(test_x2apic_gp),
	    cmocka_unit_test(test_x2apic_msrs_in_xapic_mode),
	    cmocka_unit_test(test_apic_base_transitions),
	    cmocka_unit_test(test_disable_stops_timer),
	    cmocka_unit_test(test_mmio_round_trips),
	    cmocka_unit_test(test_isr_tmr_irr_words),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
