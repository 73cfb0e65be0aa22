// SPDX-License-Identifier: GPL-2.0-only
/*
 * CPU shares (monitor/share.c) and what they are for: under irq-policy = switch, a guest whose
 * interrupts come as fast as it can make them (a TSC deadline re-armed 2000 cycles ahead from
 * its handler, a periodic timer at the floor) must not take the other guest's share. The loop
 * runs on the fake machine with a scripted backend: a guest runs until the monitor's alarm,
 * every exit costs the monitor some cycles, and the attacker's handler re-arms its timer.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "monitor/core.h"
#include "monitor/share.h"
#include "monitor/test_fake.h"

/* ---- the account ------------------------------------------------------------------------- */

static void test_share_starts_full_and_earns(void **state)
{
	struct share s, copy;

	share_init(&s);
	assert_int_equal(share_add(&s, 0, 100), 0);
	assert_int_equal(share_add(&s, 1, 300), 0);
	assert_int_equal(share_add(&s, 1, 300), -EINVAL);
	assert_int_equal(share_add(&s, 2, 300), -EINVAL);
	assert_int_equal(s.total, 400);
	assert_true(share_may_preempt(&s, 0));
	share_update(&s, 1000, SCHED_NONE, false);	/* starts the clock */
	/* Guest 1 runs 400 units against a busy guest 0: it earns 300, pays 400. */
	share_update(&s, 1400, 1, true);
	assert_int_equal(s.balance[1], 200);
	assert_int_equal(s.balance[0], 100);		/* capped at its weight */
	share_update(&s, 2200, 1, true);
	assert_int_equal(s.balance[1], 0);
	assert_false(share_may_preempt(&s, 1));
	/* Floor: minus the total. */
	share_update(&s, 100000, 1, true);
	assert_int_equal(s.balance[1], -400);
	/* It recovers at 3/4 of the clock: 401 to earn takes 535 units (rounded up). */
	assert_int_equal(share_preempt_at(&s, 1, 0), 535);
	copy = s;
	share_update(&copy, 100000 + 534, 0, true);
	assert_false(share_may_preempt(&copy, 1));
	share_update(&s, 100000 + 535, 0, true);
	assert_true(share_may_preempt(&s, 1));
	assert_int_equal(share_preempt_at(&s, 1, 7), 7);
	assert_int_equal(share_preempt_at(&s, 5, 7), UINT64_MAX);
}

static void test_share_uncontended_time_is_free(void **state)
{
	struct share s;

	share_init(&s);
	assert_int_equal(share_add(&s, 0, 500), 0);
	assert_int_equal(share_add(&s, 1, 500), 0);
	share_update(&s, 0, SCHED_NONE, false);
	/* Guest 0 runs a long time while guest 1 is halted: nothing to pay. */
	share_update(&s, 1000000, 0, false);
	assert_int_equal(s.balance[0], 500);
	assert_int_equal(s.balance[1], 500);
	/* Idle time is nobody's. */
	share_update(&s, 2000000, SCHED_NONE, true);
	assert_true(share_may_preempt(&s, 0) && share_may_preempt(&s, 1));
	/* A clock that goes back restarts the account instead of paying a huge interval. */
	share_update(&s, 10, 0, true);
	assert_int_equal(s.balance[0], 500);
}

/* ---- the loop under attack --------------------------------------------------------------- */

#define KHZ		2000000ULL		/* the fake TSC: 2 GHz */
#define SLICE_US	1000ULL
#define SLICE		(SLICE_US * KHZ / 1000)
#define EXIT_COST	300ULL			/* the monitor's work per exit */
#define HANDLER_COST	400ULL			/* the attacker's interrupt handler */
#define MIN_RUN		50ULL			/* a run that exits at once */
#define RUN_LENGTH	(400 * SLICE)		/* simulated time */
#define STORM_VECTOR	0x40

enum attack { ATTACK_DEADLINE, ATTACK_PERIODIC, ATTACK_ONESHOT_TO_PERIODIC, ATTACK_IDLE_TICK };

static struct {
	struct fake *f;
	enum attack attack;
	bool handler_due[2];
	uint64_t irqs[2];
	uint64_t preempt_delay_max;		/* ATTACK_IDLE_TICK: deadline to injection */
	uint64_t deadline;
} sim;

static void sim_inject(struct monitor *m, struct vcpu *v, const struct vcpu_event *ev)
{
	struct guest *g = v->g;

	if (ev->type == VCPU_EVENT_INTR && ev->vector == STORM_VECTOR) {
		sim.handler_due[g->id] = true;
		sim.irqs[g->id]++;
		if (sim.attack == ATTACK_IDLE_TICK && sim.f->now - sim.deadline >
							  sim.preempt_delay_max)
			sim.preempt_delay_max = sim.f->now - sim.deadline;
	}
}

static bool sim_interruptible(struct monitor *m, struct vcpu *v)
{
	return true;
}

static void sim_irq_window(struct monitor *m, struct vcpu *v, bool on)
{
}

/* The attacker's interrupt handler: EOI, then what the attack does. */
static void sim_handler(struct vcpu *v)
{
	uint64_t now = sim.f->now;

	assert_int_equal(vlapic_mmio_write(&v->lapic, VLAPIC_EOI, 0, now), 0);
	if (sim.attack == ATTACK_DEADLINE)
		assert_int_equal(vlapic_msr_write(&v->lapic, MSR_TSC_DEADLINE, now + 2000, now), 0);
	if (sim.attack == ATTACK_IDLE_TICK) {
		/* Next tick in ten slices; in between it halts. */
		sim.deadline = now + 10 * SLICE;
		assert_int_equal(vlapic_msr_write(&v->lapic, MSR_TSC_DEADLINE, sim.deadline, now),
				 0);
	}
}

static void sim_run(struct monitor *m, struct vcpu *v)
{
	struct guest *g = v->g;
	struct fake *f = sim.f;
	uint64_t until;

	v->entry_tsc = f->now;
	if (sim.handler_due[g->id]) {
		/* Its handler's EOI and timer write exit to the monitor. */
		sim.handler_due[g->id] = false;
		f->now += HANDLER_COST;
		sim_handler(v);
		v->exit_tsc = f->now;
		return;
	}
	/* Both spin (the idle ticker halts below): the run lasts until the monitor's alarm. */
	until = f->armed > f->now + MIN_RUN ? f->armed : f->now + MIN_RUN;
	if (sim.attack == ATTACK_IDLE_TICK && g->id == 1)
		until = f->now + MIN_RUN;
	f->now = until;
	v->exit_tsc = f->now;
}

static enum exit_action sim_exit(struct monitor *m, struct vcpu *v)
{
	struct guest *g = v->g;

	sim.f->now += EXIT_COST;
	if (sim.f->now > RUN_LENGTH) {
		monitor_guest_stop(m, g, "end of the simulation");
		return EXIT_STOP;
	}
	return sim.attack == ATTACK_IDLE_TICK && g->id == 1 ? EXIT_HALT : EXIT_RESUME;
}

static const struct vcpu_ops sim_ops = {
	.name = "sim",
	.run = sim_run,
	.handle_exit = sim_exit,
	.inject = sim_inject,
	.interruptible = sim_interruptible,
	.irq_window = sim_irq_window,
};

static void sim_lapic(struct guest *g)
{
	vlapic_init(&g->vcpu[0].lapic, 0, false, KHZ, KHZ);
	g->vcpu[0].lapic.min_period = KHZ * VLAPIC_MIN_PERIOD_US / 1000;
	assert_int_equal(vlapic_mmio_write(&g->vcpu[0].lapic, VLAPIC_SVR, VLAPIC_SVR_ENABLE | 0xff,
					   0), 0);
}

/* Guests a (0) and b (1) with equal slices and enabled vLAPICs, on ops. */
static struct fake *sim_machine(const struct vcpu_ops *ops, bool switch_on_irq)
{
	struct fake *f = fake_new();
	struct monitor_guest_boot b = { .present = true, .letter = 'b', .name = "b",
					.ram = &f->ram_range, .nr_ram = 1, .slice_us = SLICE_US };

	f->m.tsc_khz = KHZ;
	f->m.vops = ops;
	f->m.switch_on_irq = switch_on_irq;
	assert_int_equal(monitor_guest_init(&f->m, 1, &b), 0);
	assert_int_equal(sched_add(&f->m.cpu[0].sched, 0, SLICE), 0);
	assert_int_equal(sched_add(&f->m.cpu[0].sched, 1, SLICE), 0);
	sim_lapic(&f->m.guest[0]);
	sim_lapic(&f->m.guest[1]);
	return f;
}

/* Guest a (0) the victim, b (1) the attacker; the share of the time a spent running. */
static double sim_victim_share(enum attack attack, bool switch_on_irq)
{
	struct fake *f = sim_machine(&sim_ops, switch_on_irq);
	struct guest *a = &f->m.guest[0], *at = &f->m.guest[1];
	double va, vb, elapsed;

	memset(&sim, 0, sizeof(sim));
	sim.f = f;
	sim.attack = attack;
	switch (attack) {
	case ATTACK_DEADLINE:
	case ATTACK_IDLE_TICK:
		assert_int_equal(vlapic_mmio_write(&at->vcpu[0].lapic, VLAPIC_LVT_TIMER,
						   VLAPIC_TIMER_DEADLINE | STORM_VECTOR, 0), 0);
		sim.deadline = 2000;
		assert_int_equal(vlapic_msr_write(&at->vcpu[0].lapic, MSR_TSC_DEADLINE, 2000, 0),
				 0);
		break;
	case ATTACK_PERIODIC:
		assert_int_equal(vlapic_mmio_write(&at->vcpu[0].lapic, VLAPIC_LVT_TIMER,
						   VLAPIC_TIMER_PERIODIC | STORM_VECTOR, 0), 0);
		assert_int_equal(vlapic_mmio_write(&at->vcpu[0].lapic, VLAPIC_TMICT, 1, 0), 0);
		break;
	case ATTACK_ONESHOT_TO_PERIODIC:
		/* Started one-shot with the smallest count, then made periodic. */
		assert_int_equal(vlapic_mmio_write(&at->vcpu[0].lapic, VLAPIC_LVT_TIMER,
						   VLAPIC_TIMER_ONESHOT | STORM_VECTOR, 0), 0);
		assert_int_equal(vlapic_mmio_write(&at->vcpu[0].lapic, VLAPIC_TMICT, 1, 0), 0);
		assert_int_equal(vlapic_mmio_write(&at->vcpu[0].lapic, VLAPIC_LVT_TIMER,
						   VLAPIC_TIMER_PERIODIC | STORM_VECTOR, 0), 0);
		break;
	}
	assert_int_equal(monitor_loop(&f->m, &f->m.cpu[0]), 0);
	va = (double)a->vcpu[0].stats.cycles_in_guest;
	vb = (double)at->vcpu[0].stats.cycles_in_guest;
	elapsed = (double)f->now;
	print_message("attack %d, %s: victim %.0f, attacker %.0f cycles of %.0f (victim %.1f %%), "
		      "%llu interrupts, %llu switches\n", attack, switch_on_irq ? "switch" : "wait",
		      va, vb, elapsed, 100 * va / elapsed, (unsigned long long)sim.irqs[1],
		      (unsigned long long)(a->stats.switches_in + at->stats.switches_in));
	fake_free(f);
	return va / elapsed;
}

/* The victim keeps its configured half within 10 %, and the attacker is not starved either. */
static void test_share_deadline_storm_switch(void **state)
{
	double share = sim_victim_share(ATTACK_DEADLINE, true);

	assert_true(share >= 0.45 && share <= 0.55);
	assert_true(sim.irqs[1] > 1000);	/* the attack ran */
}

static void test_share_deadline_storm_wait(void **state)
{
	double share = sim_victim_share(ATTACK_DEADLINE, false);

	assert_true(share >= 0.45 && share <= 0.55);
}

static void test_share_periodic_storm_switch(void **state)
{
	double share = sim_victim_share(ATTACK_PERIODIC, true);

	assert_true(share >= 0.45 && share <= 0.55);
}

static void test_share_oneshot_to_periodic_switch(void **state)
{
	double share = sim_victim_share(ATTACK_ONESHOT_TO_PERIODIC, true);

	assert_true(share >= 0.45 && share <= 0.55);
	/* The floor held: at most one interrupt per 200 us of the run (plus the first). */
	assert_true(sim.irqs[1] <= RUN_LENGTH / (KHZ * VLAPIC_MIN_PERIOD_US / 1000) + 2);
}

/* What switch is for: a guest that mostly sleeps still preempts at once when its tick comes. */
static void test_share_idle_guest_still_preempts(void **state)
{
	double share = sim_victim_share(ATTACK_IDLE_TICK, true);

	assert_true(share > 0.9);
	assert_true(sim.irqs[1] >= 30);
	/* From its deadline to the injection: the monitor's exit work, not a slot. */
	assert_true(sim.preempt_delay_max < SLICE / 10);
}

/*
 * A guest a little over its share whose timer fired while the other ran (the other exited
 * once after the deadline, so the vector already waits in its IRR): the alarm is armed for
 * the moment its balance turns positive, so it preempts then, not at the slot's end.
 */
static struct {
	struct fake *f;
	uint64_t injected_at;
	bool early_exit_done;
} late;

static void late_inject(struct monitor *m, struct vcpu *v, const struct vcpu_event *ev)
{
	struct guest *g = v->g;

	if (g->id == 1 && ev->vector == STORM_VECTOR && !late.injected_at)
		late.injected_at = late.f->now;
}

static void late_run(struct monitor *m, struct vcpu *v)
{
	struct guest *g = v->g;
	struct fake *f = late.f;

	v->entry_tsc = f->now;
	if (g->id == 0 && !late.early_exit_done) {
		late.early_exit_done = true;
		f->now = 1000;		/* one exit, just after b's deadline */
	} else if (g->id == 0) {
		f->now = f->armed > f->now + MIN_RUN ? f->armed : f->now + MIN_RUN;
	} else {
		f->now += MIN_RUN;
	}
	v->exit_tsc = f->now;
}

static enum exit_action late_exit(struct monitor *m, struct vcpu *v)
{
	struct guest *g = v->g;

	late.f->now += EXIT_COST;
	if (late.injected_at || late.f->now > 3 * SLICE) {
		monitor_guest_stop(m, &m->guest[0], "end");
		monitor_guest_stop(m, &m->guest[1], "end");
		return EXIT_STOP;
	}
	return g->id == 1 ? EXIT_HALT : EXIT_RESUME;
}

static const struct vcpu_ops late_ops = {
	.name = "late",
	.run = late_run,
	.handle_exit = late_exit,
	.inject = late_inject,
	.interruptible = sim_interruptible,
	.irq_window = sim_irq_window,
};

static void test_share_pending_interrupt_preempts_when_allowed(void **state)
{
	struct fake *f = sim_machine(&late_ops, true);
	uint64_t allowed;

	memset(&late, 0, sizeof(late));
	late.f = f;
	assert_int_equal(vlapic_mmio_write(&f->m.guest[1].vcpu[0].lapic, VLAPIC_LVT_TIMER,
					   VLAPIC_TIMER_DEADLINE | STORM_VECTOR, 0), 0);
	assert_int_equal(vlapic_msr_write(&f->m.guest[1].vcpu[0].lapic, MSR_TSC_DEADLINE, 500, 0),
			 0);
	sched_halt(&f->m.cpu[0].sched, 1);
	f->m.cpu[0].sched.share.balance[1] = -(int64_t)(SLICE / 8);
	allowed = share_preempt_at(&f->m.cpu[0].sched.share, 1, 0);
	assert_int_equal(monitor_loop(&f->m, &f->m.cpu[0]), 0);
	assert_true(late.injected_at > 0);
	/* Not before its share allows it, and long before the victim's slot ends. */
	assert_true(late.injected_at >= allowed / 2);
	assert_true(late.injected_at < allowed + 10 * EXIT_COST);
	assert_true(late.injected_at < SLICE);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_share_starts_full_and_earns),
		cmocka_unit_test(test_share_uncontended_time_is_free),
		cmocka_unit_test(test_share_deadline_storm_switch),
		cmocka_unit_test(test_share_deadline_storm_wait),
		cmocka_unit_test(test_share_periodic_storm_switch),
		cmocka_unit_test(test_share_oneshot_to_periodic_switch),
		cmocka_unit_test(test_share_idle_guest_still_preempts),
		cmocka_unit_test(test_share_pending_interrupt_preempts_when_allowed),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
