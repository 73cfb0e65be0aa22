// SPDX-License-Identifier: GPL-2.0-only
/* The time-slice scheduler: slots, rotation, HLT, YIELD, wake, stop, two halted guests. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "monitor/sched.h"

#define A 0u
#define B 1u

static void two(struct sched *s, uint64_t slice_a, uint64_t slice_b)
{
	sched_init(s);
	assert_int_equal(sched_add(s, A, slice_a), 0);
	assert_int_equal(sched_add(s, B, slice_b), 0);
}

static void expect_run(struct sched *s, uint64_t now, unsigned guest, uint64_t until,
		       bool new_slot)
{
	struct sched_decision d = sched_next(s, now);

	assert_int_equal(d.kind, SCHED_RUN);
	assert_int_equal(d.guest, guest);
	assert_int_equal(d.until, until);
	assert_int_equal(d.new_slot, new_slot);
}

static void expect_idle(struct sched *s, uint64_t now, uint64_t until)
{
	struct sched_decision d = sched_next(s, now);

	assert_int_equal(d.kind, SCHED_IDLE);
	assert_int_equal(d.until, until);
}

static void test_sched_add_checks(void **state)
{
	struct sched s;

	sched_init(&s);
	assert_int_equal(sched_add(&s, 2, 10), -EINVAL);
	assert_int_equal(sched_add(&s, A, 0), -EINVAL);
	assert_int_equal(sched_add(&s, A, 10), 0);
	assert_int_equal(sched_add(&s, A, 10), -EINVAL);
	/* Nobody: done at once. */
	sched_init(&s);
	assert_int_equal(sched_next(&s, 0).kind, SCHED_DONE);
}

static void test_sched_slices_alternate(void **state)
{
	struct sched s;

	two(&s, 100, 30);
	expect_run(&s, 0, A, 100, true);
	/* Exits inside the slot keep the same guest and the same end. */
	expect_run(&s, 40, A, 100, false);
	expect_run(&s, 99, A, 100, false);
	/* At the end, B gets its own (shorter) slice, from the time of the switch. */
	expect_run(&s, 105, B, 135, true);
	expect_run(&s, 134, B, 135, false);
	/* A came back 5 late from its slot: its next one is 5 shorter. */
	expect_run(&s, 135, A, 230, true);
	assert_int_equal(s.e[A].switches_in, 2);
	assert_int_equal(s.e[B].switches_in, 1);
	assert_int_equal(s.e[A].slots, 2);
}

static void test_sched_hlt_yields_rest_of_slot(void **state)
{
	struct sched s;

	two(&s, 100, 100);
	expect_run(&s, 0, A, 100, true);
	sched_halt(&s, A);
	/* B starts a full slot right away. */
	expect_run(&s, 10, B, 110, true);
	/* A stays halted while B runs; when B's slot ends rotation wakes A. */
	expect_run(&s, 60, B, 110, false);
	assert_true(s.e[A].halted);
	expect_run(&s, 110, A, 210, true);
	assert_false(s.e[A].halted);
}

static void test_sched_both_halted_idle_until_slot_end(void **state)
{
	struct sched s;

	two(&s, 100, 50);
	expect_run(&s, 0, A, 100, true);
	sched_halt(&s, A);
	expect_run(&s, 20, B, 70, true);
	sched_halt(&s, B);
	/* Both halted: no ping-pong, the CPU idles until B's slot would end... */
	expect_idle(&s, 30, 70);
	expect_idle(&s, 69, 70);
	/* ...then rotation wakes A for a full slot; B sleeps on. */
	expect_run(&s, 70, A, 170, true);
	assert_true(s.e[B].halted);
	/* A halts again: B is halted, so idle again rather than waking it early. */
	sched_halt(&s, A);
	expect_idle(&s, 80, 170);
	expect_run(&s, 171, B, 221, true);
	assert_false(s.e[B].halted);
}

static void test_sched_wake_ends_idle(void **state)
{
	struct sched s;

	two(&s, 100, 100);
	expect_run(&s, 0, A, 100, true);
	sched_halt(&s, A);
	expect_run(&s, 5, B, 105, true);
	sched_halt(&s, B);
	expect_idle(&s, 10, 105);
	/* An event for A while idle: A takes over the rest of the idle slot. */
	sched_wake(&s, A);
	expect_run(&s, 20, A, 120, true);
	/* An event for the halted slot owner itself: it resumes its own slot. */
	sched_halt(&s, A);
	expect_idle(&s, 30, 120);
	sched_wake(&s, A);
	expect_run(&s, 31, A, 120, false);
}

static void test_sched_yield(void **state)
{
	struct sched s;

	two(&s, 100, 100);
	expect_run(&s, 0, A, 100, true);
	sched_yield_slot(&s, A);
	expect_run(&s, 10, B, 110, true);
	/* B yields while A is halted: nobody to yield to, B goes on with its slot. */
	sched_halt(&s, A);
	sched_yield_slot(&s, B);
	expect_run(&s, 20, B, 110, false);
	assert_false(s.yielded);
	/* A yield from a guest that does not own the slot changes nothing. */
	sched_yield_slot(&s, A);
	expect_run(&s, 30, B, 110, false);
}

/* Preemption moves time instead of taking it: the rest of the slot comes back later. */
static void test_sched_preempt_credits(void **state)
{
	struct sched s;

	two(&s, 100, 50);
	expect_run(&s, 0, A, 100, true);
	sched_preempt(&s, A, 30);		/* B's interrupt, 70 left of A's slot */
	expect_run(&s, 30, B, 80, true);
	assert_int_equal(s.e[A].credit, 70);
	expect_run(&s, 80, A, 80 + 100 + 70, true);
	assert_int_equal(s.e[A].credit, 0);
	/* Repeated preemptions give back at most one slice. */
	sched_preempt(&s, A, 90);
	expect_run(&s, 90, B, 140, true);
	sched_preempt(&s, B, 100);
	expect_run(&s, 100, A, 100 + 100 + 100, true);
	assert_int_equal(s.e[B].credit, 40);
	sched_preempt(&s, A, 110);
	assert_int_equal(s.e[A].credit, 100);
	/* Only the slot's owner can be preempted. */
	sched_preempt(&s, B, 120);
	assert_int_equal(s.e[B].credit, 40);
}

/* A slot owner that comes back late pays the overrun from its next slots, never all of one. */
static void test_sched_overrun_is_paid_back(void **state)
{
	struct sched s;

	two(&s, 100, 100);
	expect_run(&s, 0, A, 100, true);
	/* A's exit at its slot's end kept the CPU until 160. */
	expect_run(&s, 160, B, 260, true);
	assert_int_equal(s.e[A].debt, 60);
	expect_run(&s, 260, A, 260 + 40, true);
	assert_int_equal(s.e[A].debt, 0);
	expect_run(&s, 300, B, 400, true);
	/* A huge overrun: at most SCHED_MAX_DEBT_SLICES slices owed, and every slot keeps 1/8. */
	expect_run(&s, 400, A, 500, true);
	expect_run(&s, 100000, B, 100100, true);
	assert_int_equal(s.e[A].debt, SCHED_MAX_DEBT_SLICES * 100);
	expect_run(&s, 100100, A, 100100 + 100 / SCHED_MIN_SLOT_DIV, true);
	assert_int_equal(s.e[A].overrun, 60 + 100000 - 500);
	expect_run(&s, 100112, B, 100212, true);
	/* Both halt; the idle CPU wakes late: nobody ran past the slot, so nobody owes. */
	sched_halt(&s, B);
	sched_halt(&s, A);
	expect_idle(&s, 100150, 100212);
	expect_run(&s, 100250, A, 100250 + 100 / SCHED_MIN_SLOT_DIV, true);
	assert_int_equal(s.e[B].debt, 0);
}

static void test_sched_stopped_guest_skipped(void **state)
{
	struct sched s;

	two(&s, 100, 100);
	expect_run(&s, 0, A, 100, true);
	sched_stop(&s, B);
	/* B is gone: A gets slot after slot. */
	expect_run(&s, 100, A, 200, true);
	expect_run(&s, 200, A, 300, true);
	assert_int_equal(s.e[A].switches_in, 1);
	assert_int_equal(s.e[A].slots, 3);
	/* A halts: with nobody else, the CPU idles until the slot ends, then A again. */
	sched_halt(&s, A);
	expect_idle(&s, 250, 300);
	expect_run(&s, 300, A, 400, true);
	assert_int_equal(s.e[A].switches_in, 2);
	/* Wake and halt of a stopped guest do nothing. */
	sched_wake(&s, B);
	sched_halt(&s, B);
	assert_true(s.e[B].stopped);
	assert_false(s.e[B].halted);
	sched_stop(&s, A);
	assert_int_equal(sched_next(&s, 310).kind, SCHED_DONE);
}

static void test_sched_stopping_owner_ends_slot(void **state)
{
	struct sched s;

	two(&s, 100, 100);
	expect_run(&s, 0, A, 100, true);
	sched_halt(&s, B);
	sched_stop(&s, A);
	/* A's slot ends with it, and rotation wakes the halted B at once. */
	expect_run(&s, 10, B, 110, true);
	assert_false(s.e[B].halted);
}

static void test_sched_single_guest(void **state)
{
	struct sched s;

	sched_init(&s);
	assert_int_equal(sched_add(&s, B, 50), 0);
	expect_run(&s, 0, B, 50, true);
	expect_run(&s, 50, B, 100, true);
	sched_yield_slot(&s, B);
	expect_run(&s, 60, B, 100, false);
	sched_halt(&s, B);
	expect_idle(&s, 70, 100);
	expect_run(&s, 100, B, 150, true);
}

/* Gang mode: slots from the clock, the same on every CPU whatever each one did before. */
static void test_sched_gang_boundaries(void **state)
{
	struct sched s, t;

	two(&s, 100, 30);
	sched_gang(&s, 1000);
	/* Cycle 130 from 1000: a owns [1000, 1100), b [1100, 1130). */
	expect_run(&s, 1010, A, 1100, true);
	/* A late exit does not move the boundary and leaves no debt. */
	expect_run(&s, 1105, B, 1130, true);
	expect_run(&s, 1131, A, 1230, true);
	assert_int_equal(s.e[A].debt, 0);
	/* Another CPU that starts late, mid-slot, lands on the same owner and boundary. */
	two(&t, 100, 30);
	sched_gang(&t, 1000);
	expect_run(&t, 1250, B, 1260, true);
	expect_run(&t, 1260, A, 1360, true);
	/* Before the epoch counts as its start. */
	two(&t, 100, 30);
	sched_gang(&t, 1000);
	expect_run(&t, 900, A, 1000, true);
}

static void test_sched_gang_halt_and_wake(void **state)
{
	struct sched s;

	two(&s, 100, 100);
	sched_gang(&s, 0);
	expect_run(&s, 0, A, 100, true);
	/* A halts: B borrows the rest of A's slot, up to the same boundary. */
	sched_halt(&s, A);
	expect_run(&s, 10, B, 100, true);
	/* A wakes: it takes its slot back at once. */
	sched_wake(&s, A);
	expect_run(&s, 20, A, 100, true);
	/* Preemption does nothing in gang mode. */
	assert_false(sched_may_preempt(&s, B));
	assert_int_equal(sched_preempt_at(&s, B, 20), UINT64_MAX);
	sched_preempt(&s, A, 30);
	expect_run(&s, 30, A, 100, false);
	/* Both halted: the CPU idles to the boundary. */
	sched_halt(&s, A);
	sched_halt(&s, B);
	expect_idle(&s, 40, 100);
	/* A stopped guest's part of the cycle goes to the other: the cycle is B's slice. */
	sched_stop(&s, A);
	sched_wake(&s, B);
	expect_run(&s, 150, B, 200, true);
	expect_run(&s, 200, B, 300, true);
}

static void expect_crossed(struct sched *s, uint64_t now, unsigned guest, bool crossed,
			   uint64_t slot, uint64_t start)
{
	struct sched_decision d = sched_next(s, now);

	assert_int_equal(d.kind, SCHED_RUN);
	assert_int_equal(d.guest, guest);
	assert_int_equal(d.crossed, crossed);
	if (crossed) {
		assert_int_equal(d.slot, slot);
		assert_int_equal(d.slot_start, start);
	}
}

/*
 * Gang: a decision says when it took the CPU into another slot of the clock, with the slot's
 * number from the epoch: the same numbers on two CPUs whatever each did in between (a
 * handover within a slot is no crossing; a CPU that was away skips numbers).
 */
static void test_sched_gang_slot_numbers(void **state)
{
	struct sched s, t;

	two(&s, 100, 30);
	sched_gang(&s, 1000);
	two(&t, 100, 30);
	sched_gang(&t, 1000);
	/* Cycle 130 from 1000: slot 0 is a's [1000, 1100), 1 b's [1100, 1130), 2 a's ... */
	expect_crossed(&s, 1001, A, true, 0, 1000);
	expect_crossed(&t, 1003, A, true, 0, 1000);
	sched_halt(&s, A);
	expect_crossed(&s, 1050, B, false, 0, 0);	/* B borrows: same slot */
	expect_crossed(&s, 1100, B, true, 1, 1100);
	expect_crossed(&t, 1102, B, true, 1, 1100);
	expect_crossed(&s, 1100, B, false, 0, 0);	/* on in its slot */
	/* t is away for two slots: it comes back in slot 4 (b's, [1230, 1260)). */
	expect_crossed(&s, 1130, A, true, 2, 1130);
	expect_crossed(&s, 1230, B, true, 3, 1230);
	expect_crossed(&t, 1260, A, true, 4, 1260);
	/* Who may run keeps to the clock: the owner, or a borrower while the owner is halted. */
	assert_true(sched_gang_in_slot(&t, A, 1300));
	assert_false(sched_gang_in_slot(&t, B, 1300));
	sched_halt(&t, A);
	assert_true(sched_gang_in_slot(&t, B, 1300));
	/* A guest stopped: the numbering would change, so no crossing is reported. */
	sched_stop(&s, B);
	expect_crossed(&s, 1400, A, false, 0, 0);
	assert_int_equal(sched_gang_slot(&s, 1400, &(uint64_t){ 0 }, &(uint64_t){ 0 },
					 &(uint64_t){ 0 }), (int)A);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sched_gang_boundaries),
		cmocka_unit_test(test_sched_gang_halt_and_wake),
		cmocka_unit_test(test_sched_gang_slot_numbers),
		cmocka_unit_test(test_sched_add_checks),
		cmocka_unit_test(test_sched_slices_alternate),
		cmocka_unit_test(test_sched_hlt_yields_rest_of_slot),
		cmocka_unit_test(test_sched_both_halted_idle_until_slot_end),
		cmocka_unit_test(test_sched_wake_ends_idle),
		cmocka_unit_test(test_sched_yield),
		cmocka_unit_test(test_sched_preempt_credits),
		cmocka_unit_test(test_sched_overrun_is_paid_back),
		cmocka_unit_test(test_sched_stopped_guest_skipped),
		cmocka_unit_test(test_sched_stopping_owner_ends_slot),
		cmocka_unit_test(test_sched_single_guest),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
