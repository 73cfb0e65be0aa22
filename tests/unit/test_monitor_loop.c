// SPDX-License-Identifier: GPL-2.0-only
/*
 * The scheduling loop with a scripted backend: who runs when, timer deadlines, the per-guest
 * state exchange on a change of guest, time accounting, idling, and the end of the run.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "monitor/core.h"
#include "monitor/test_fake.h"

#define RUN_CYCLES	30	/* every run lasts this long */
#define EXIT_CYCLES	5	/* every exit takes the monitor this long */
#define MAX_RUNS	64

struct script {
	enum exit_action actions[MAX_RUNS];	/* per guest, what each exit does */
	size_t next[2];
	unsigned order[MAX_RUNS];		/* which guest ran, in order */
	uint64_t started[MAX_RUNS];
	uint64_t deadline[MAX_RUNS];
	size_t runs;
	unsigned switch_calls;
	struct vcpu *switched_to;
	struct fake *f;
	enum exit_action a_actions[MAX_RUNS], b_actions[MAX_RUNS];
	/* The virtual platform: exits that are reset requests, injections seen at each run,
	 * idle deadlines, restarts. */
	bool a_reset[MAX_RUNS];
	unsigned injected_at[MAX_RUNS];	/* f->ninject when the run began */
	uint64_t idle_until[MAX_RUNS];
	size_t idles;
	unsigned restart_calls;
	size_t restart_at_run;		/* sc.runs when m->restart was called */
	int restart_rc;
};

static struct script sc;

static void fake_run(struct monitor *m, struct vcpu *v)
{
	struct guest *g = v->g;
	struct fake *f = sc.f;

	assert_true(sc.runs < MAX_RUNS);
	/* The state exchange happened before, for this guest. */
	assert_ptr_equal(m->cpu[0].loaded, v);
	sc.order[sc.runs] = g->id;
	sc.started[sc.runs] = f->now;
	sc.deadline[sc.runs] = f->armed;
	sc.injected_at[sc.runs] = f->ninject;
	sc.runs++;
	v->entry_tsc = f->now;
	f->now += RUN_CYCLES;
	v->exit_tsc = f->now;
}

static enum exit_action fake_handle(struct monitor *m, struct vcpu *v)
{
	struct guest *g = v->g;
	enum exit_action *list = g->id ? sc.b_actions : sc.a_actions;
	size_t i = sc.next[g->id]++;
	enum exit_action a = list[i];

	assert_ptr_equal(m->cpu[0].current, v);
	sc.f->now += EXIT_CYCLES;
	if (g->id == 0 && sc.a_reset[i])
		return monitor_guest_reset(m, g, true, "scripted reset");
	if (a == EXIT_STOP && g->id == 0)
		monitor_guest_stop(m, g, "script says so");
	return a;
}

static void fake_switch_state(void *ctx, struct vcpu *from, struct vcpu *to)
{
	sc.switch_calls++;
	sc.switched_to = to;
}

static const struct vcpu_ops fake_ops = {
	.name = "fake",
	.run = fake_run,
	.handle_exit = fake_handle,
};

/* The same backend with the fake's interrupt hooks (monitor/test_fake.h). */
static const struct vcpu_ops irq_ops = {
	.name = "fake-irq",
	.run = fake_run,
	.handle_exit = fake_handle,
	.inject = fake_inject,
	.interruptible = fake_interruptible,
	.irq_window = fake_irq_window,
};

static void record_idle(void *ctx, uint64_t deadline)
{
	struct fake *f = ctx;

	assert_true(sc.idles < MAX_RUNS);
	sc.idle_until[sc.idles++] = deadline;
	if (f->now < deadline)
		f->now = deadline;
}

static int record_restart(struct monitor *m, struct guest *g)
{
	sc.restart_calls++;
	sc.restart_at_run = sc.runs;
	/* The loop clears the request before it restarts. */
	assert_false(g->restart_pending);
	return sc.restart_rc;
}

static struct fake *loop_setup(uint64_t slice_a, uint64_t slice_b)
{
	struct fake *f = fake_new();
	struct monitor_guest_boot b = { .present = true, .letter = 'b', .name = "bee",
					.ram = &f->ram_range, .nr_ram = 1, .slice_us = 500 };

	memset(&sc, 0, sizeof(sc));
	sc.f = f;
	f->plat.switch_state = fake_switch_state;
	f->m.vops = &fake_ops;
	assert_int_equal(monitor_guest_init(&f->m, 1, &b), 0);
	assert_int_equal(sched_add(&f->m.cpu[0].sched, 0, slice_a), 0);
	if (slice_b)
		assert_int_equal(sched_add(&f->m.cpu[0].sched, 1, slice_b), 0);
	else
		f->m.guest[1].present = false;
	return f;
}

/* A guest starts with one vCPU, on its CPU, which the CPU names as the one it runs. */
static void test_guest_init_one_vcpu(void **state)
{
	struct fake *f = fake_new();
	struct monitor_guest_boot b = { .present = true, .letter = 'b', .name = "bee",
					.ram = &f->ram_range, .nr_ram = 1, .slice_us = 500,
					.cpu = { 3 } };
	struct guest *g = &f->m.guest[1];

	assert_int_equal(monitor_guest_init(&f->m, 1, &b), 0);
	assert_int_equal(g->nr_vcpus, 1);
	assert_ptr_equal(g->vcpu[0].g, g);
	assert_int_equal(g->vcpu[0].index, 0);
	assert_ptr_equal(g->vcpu[0].cpu, &f->m.cpu[3]);
	assert_ptr_equal(f->m.cpu[3].vcpu[1], &g->vcpu[0]);
	assert_null(f->m.cpu[3].vcpu[0]);
	assert_ptr_equal(f->m.cpu[0].vcpu[0], &f->m.guest[0].vcpu[0]);
	assert_true(pcpu_runs(&f->m.cpu[3], 1));
	fake_free(f);
}

static void test_loop_alternates_and_accounts(void **state)
{
	struct fake *f = loop_setup(100, 60);

	/* a: 6 exits then stop; b: 4 exits then stop (b's handler returns STOP without a
	 * word: the core stops it and says so). */
	for (int i = 0; i < 6; i++)
		sc.a_actions[i] = EXIT_RESUME;
	sc.a_actions[6] = EXIT_STOP;
	for (int i = 0; i < 4; i++)
		sc.b_actions[i] = EXIT_RESUME;
	sc.b_actions[4] = EXIT_STOP;

	assert_int_equal(monitor_loop(&f->m, &f->m.cpu[0]), 0);
	assert_int_equal(sc.next[0], 7);
	assert_int_equal(sc.next[1], 5);
	/* a runs [0,100) at 0, 35 and 70; its third exit ends at 105, past the slot: b from 105. */
	assert_int_equal(sc.order[0], 0);
	assert_int_equal(sc.order[1], 0);
	assert_int_equal(sc.order[2], 0);
	assert_int_equal(sc.deadline[0], 100);
	assert_int_equal(sc.order[3], 1);
	assert_int_equal(sc.started[3], 105);
	assert_int_equal(sc.deadline[3], 165);
	assert_int_equal(sc.order[4], 1);
	assert_int_equal(sc.order[5], 0);
	/* Exchanges happen only on a change of guest. */
	unsigned changes = 1;
	for (size_t i = 1; i < sc.runs; i++)
		changes += sc.order[i] != sc.order[i - 1];
	assert_int_equal(sc.switch_calls, changes);
	/* Time: every run in the guest, every exit in the monitor. */
	assert_int_equal(f->m.guest[0].vcpu[0].stats.cycles_in_guest, 7 * RUN_CYCLES);
	assert_int_equal(f->m.guest[0].vcpu[0].stats.cycles_in_monitor, 7 * EXIT_CYCLES);
	assert_int_equal(f->m.guest[1].vcpu[0].stats.cycles_in_guest, 5 * RUN_CYCLES);
	assert_int_equal(f->m.guest[0].stats.switches_in, f->m.cpu[0].sched.e[0].switches_in);
	assert_true(f->m.guest[0].stats.switches_in >= 2);
	assert_true(fake_log_find(f, "monitor: guest a stopped: script says so") >= 0);
	assert_true(fake_log_find(f, "monitor: guest b stopped: stopped by its exit handler") >=
		    0);
	assert_int_equal(f->m.cpu[0].idles, 0);
	fake_free(f);
}

static void test_loop_halts_idle_and_single_guest(void **state)
{
	struct fake *f = loop_setup(100, 0);

	/* One guest that halts at every exit: the CPU idles until its slot ends, each time. */
	for (int i = 0; i < 4; i++)
		sc.a_actions[i] = EXIT_HALT;
	sc.a_actions[4] = EXIT_STOP;
	assert_int_equal(monitor_loop(&f->m, &f->m.cpu[0]), 0);
	assert_int_equal(sc.runs, 5);
	for (size_t i = 0; i < sc.runs; i++) {
		assert_int_equal(sc.order[i], 0);
		/* Each run starts a fresh slot at the previous slot's end. */
		assert_int_equal(sc.started[i], i * 100);
		assert_int_equal(sc.deadline[i], i * 100 + 100);
	}
	assert_int_equal(f->m.cpu[0].idles, 4);
	assert_int_equal(f->m.cpu[0].idle_cycles, 4 * (100 - RUN_CYCLES - EXIT_CYCLES));
	/* Idle time is nobody's monitor time. */
	assert_int_equal(f->m.guest[0].vcpu[0].stats.cycles_in_monitor, 5 * EXIT_CYCLES);
	assert_int_equal(f->m.guest[0].vcpu[0].stats.cycles_in_guest, 5 * RUN_CYCLES);
	assert_int_equal(sc.switch_calls, 1);
	fake_free(f);
}

static void test_loop_yield_hands_over(void **state)
{
	struct fake *f = loop_setup(1000, 1000);

	sc.a_actions[0] = EXIT_YIELD;
	sc.a_actions[1] = EXIT_STOP;
	sc.b_actions[0] = EXIT_YIELD;	/* back to a */
	sc.b_actions[1] = EXIT_STOP;
	assert_int_equal(monitor_loop(&f->m, &f->m.cpu[0]), 0);
	assert_int_equal(sc.runs, 4);
	assert_int_equal(sc.order[0], 0);
	assert_int_equal(sc.order[1], 1);
	assert_int_equal(sc.order[2], 0);
	assert_int_equal(sc.order[3], 1);
	/* Each yield starts the other guest's full slot at once. */
	assert_int_equal(sc.started[1], RUN_CYCLES + EXIT_CYCLES);
	assert_int_equal(sc.deadline[1], RUN_CYCLES + EXIT_CYCLES + 1000);
	fake_free(f);
}

/* A software-enabled xAPIC whose TSC-deadline timer (vector vec) is due at deadline. */
static void lapic_deadline(struct fake *f, unsigned id, uint8_t vec, uint64_t deadline)
{
	struct vlapic *v = &f->m.guest[id].vcpu[0].lapic;

	vlapic_init(v, id, false, f->m.tsc_khz, 100000);
	assert_int_equal(vlapic_mmio_write(v, VLAPIC_SVR, VLAPIC_SVR_ENABLE | 0xff, 0), 0);
	assert_int_equal(vlapic_mmio_write(v, VLAPIC_LVT_TIMER, VLAPIC_TIMER_DEADLINE | vec, 0),
			 0);
	assert_int_equal(vlapic_msr_write(v, MSR_TSC_DEADLINE, deadline, 0), 0);
	assert_int_equal(vlapic_next_event(v), deadline);
}

static void test_loop_halted_guest_woken_by_its_timer(void **state)
{
	struct fake *f = loop_setup(100, 0);
	struct guest *g = &f->m.guest[0];
	uint32_t isr;

	f->m.vops = &irq_ops;
	f->plat.idle = record_idle;
	f->interruptible = true;
	lapic_deadline(f, 0, 0xec, 50);
	sc.a_actions[0] = EXIT_HALT;
	sc.a_actions[1] = EXIT_STOP;
	assert_int_equal(monitor_loop(&f->m, &f->m.cpu[0]), 0);
	assert_int_equal(sc.runs, 2);
	/* The alarm for the first run: the timer (50) comes before the slot's end (100). */
	assert_int_equal(sc.deadline[0], 50);
	/* Halted at 35: the CPU idles until the timer, not until the slot's end. */
	assert_int_equal(sc.idles, 1);
	assert_int_equal(sc.idle_until[0], 50);
	assert_int_equal(f->m.cpu[0].idles, 1);
	assert_int_equal(f->m.cpu[0].idle_cycles, 50 - RUN_CYCLES - EXIT_CYCLES);
	/* Woken at 50 in its own slot, the vector injected before that run. */
	assert_int_equal(sc.order[1], 0);
	assert_int_equal(sc.started[1], 50);
	assert_int_equal(sc.deadline[1], 100);
	assert_int_equal(sc.injected_at[0], 0);
	assert_int_equal(sc.injected_at[1], 1);
	assert_int_equal(f->ninject, 1);
	assert_int_equal(f->inject[0].type, VCPU_EVENT_INTR);
	assert_int_equal(f->inject[0].vector, 0xec);
	assert_int_equal(f->inject_guest[0], 0);
	assert_int_equal(g->vcpu[0].injected, 1);
	/* In service until the guest's EOI. */
	assert_int_equal(vlapic_mmio_read(&g->vcpu[0].lapic, VLAPIC_ISR + 0x70, 0, &isr), 0);
	assert_true(isr & (1u << (0xec % 32)));
	assert_int_equal(vlapic_pending(&g->vcpu[0].lapic), -1);
	fake_free(f);
}

static void test_loop_alarm_is_the_slot_end_when_sooner(void **state)
{
	struct fake *f = loop_setup(100, 0);

	f->m.vops = &irq_ops;
	f->plat.idle = record_idle;
	f->interruptible = true;
	lapic_deadline(f, 0, 0xec, 150);
	sc.a_actions[0] = EXIT_HALT;
	sc.a_actions[1] = EXIT_STOP;
	assert_int_equal(monitor_loop(&f->m, &f->m.cpu[0]), 0);
	assert_int_equal(sc.deadline[0], 100);
	/* Idle until the slot's end; the next slot [100, 200) runs until the timer, 150. */
	assert_int_equal(sc.idle_until[0], 100);
	assert_int_equal(sc.started[1], 100);
	assert_int_equal(sc.deadline[1], 150);
	assert_int_equal(f->ninject, 0);
	fake_free(f);
}

static void test_loop_other_guest_timer_ignored_without_switch_on_irq(void **state)
{
	struct fake *f = loop_setup(100, 100);

	f->m.vops = &irq_ops;
	f->interruptible = true;
	f->m.switch_on_irq = false;
	lapic_deadline(f, 1, 0xd0, 20);
	sc.a_actions[0] = EXIT_RESUME;
	sc.a_actions[1] = EXIT_STOP;
	sc.b_actions[0] = EXIT_STOP;
	assert_int_equal(monitor_loop(&f->m, &f->m.cpu[0]), 0);
	assert_int_equal(sc.runs, 3);
	/* a keeps its slot: b's timer neither shortens the alarm nor ends the slot. */
	assert_int_equal(sc.order[0], 0);
	assert_int_equal(sc.deadline[0], 100);
	assert_int_equal(sc.order[1], 0);
	assert_int_equal(sc.deadline[1], 100);
	assert_int_equal(sc.injected_at[1], 0);
	/* b's turn: its (past) timer event is delivered before it runs. */
	assert_int_equal(sc.order[2], 1);
	assert_int_equal(sc.injected_at[2], 1);
	assert_int_equal(f->inject[0].vector, 0xd0);
	assert_int_equal(f->inject_guest[0], 1);
	fake_free(f);
}

static void test_loop_switch_on_irq(void **state)
{
	struct fake *f = loop_setup(100, 100);

	f->m.vops = &irq_ops;
	f->interruptible = true;
	f->m.switch_on_irq = true;
	lapic_deadline(f, 1, 0xd0, 20);
	sc.a_actions[0] = EXIT_RESUME;
	sc.a_actions[1] = EXIT_STOP;
	sc.b_actions[0] = EXIT_STOP;
	assert_int_equal(monitor_loop(&f->m, &f->m.cpu[0]), 0);
	/* a's alarm is b's timer event. */
	assert_int_equal(sc.order[0], 0);
	assert_int_equal(sc.deadline[0], 20);
	/* At a's exit b's interrupt is due: a's slot ends, b runs at once with it injected. */
	assert_int_equal(sc.order[1], 1);
	assert_int_equal(sc.started[1], RUN_CYCLES + EXIT_CYCLES);
	assert_int_equal(sc.injected_at[1], 1);
	assert_int_equal(f->inject[0].vector, 0xd0);
	assert_int_equal(f->inject_guest[0], 1);
	assert_int_equal(f->m.guest[1].vcpu[0].injected, 1);
	assert_int_equal(f->m.guest[0].vcpu[0].injected, 0);
	fake_free(f);
}

static void test_loop_switch_on_irq_own_timer_counts(void **state)
{
	struct fake *f = loop_setup(100, 100);

	f->m.vops = &irq_ops;
	f->interruptible = true;
	f->m.switch_on_irq = true;
	lapic_deadline(f, 0, 0xec, 60);
	lapic_deadline(f, 1, 0xd0, 80);
	sc.a_actions[0] = EXIT_STOP;
	sc.b_actions[0] = EXIT_STOP;
	assert_int_equal(monitor_loop(&f->m, &f->m.cpu[0]), 0);
	/* The earliest of both guests' events. */
	assert_int_equal(sc.deadline[0], 60);
	fake_free(f);
}

static void test_loop_running_guest_timer_delivered(void **state)
{
	struct fake *f = loop_setup(100, 0);

	f->m.vops = &irq_ops;
	f->interruptible = true;
	/* Due at 20, while the first run [0, 30) goes on: that run's alarm. */
	lapic_deadline(f, 0, 0xec, 20);
	sc.a_actions[0] = EXIT_RESUME;	/* the alarm's exit */
	sc.a_actions[1] = EXIT_STOP;
	assert_int_equal(monitor_loop(&f->m, &f->m.cpu[0]), 0);
	assert_int_equal(sc.deadline[0], 20);
	assert_int_equal(sc.injected_at[0], 0);
	/* Delivered at the next entry. */
	assert_int_equal(sc.injected_at[1], 1);
	assert_int_equal(f->inject[0].vector, 0xec);
	fake_free(f);
}

/*
 * The alarm is computed after virq_prepare() brought the running guest's vLAPIC up to date:
 * a timer that has just fired is not armed again for its past deadline (which would cost an
 * extra INTR exit per guest timer event).
 */
static void test_loop_alarm_not_stale_after_timer_fired(void **state)
{
	struct fake *f = loop_setup(100, 0);

	f->m.vops = &irq_ops;
	f->interruptible = true;
	lapic_deadline(f, 0, 0xec, 20);
	sc.a_actions[0] = EXIT_RESUME;
	sc.a_actions[1] = EXIT_STOP;
	assert_int_equal(monitor_loop(&f->m, &f->m.cpu[0]), 0);
	/* The second run begins at 35 with the timer delivered and disarmed: nothing is due
	 * before the slot's end. */
	assert_int_equal(sc.started[1], RUN_CYCLES + EXIT_CYCLES);
	assert_int_equal(sc.injected_at[1], 1);
	assert_int_equal(sc.deadline[1], 100);
	fake_free(f);
}

static void test_loop_restart_before_next_run(void **state)
{
	struct fake *f = loop_setup(1000, 0);
	struct guest *g = &f->m.guest[0];
	struct monitor_guest_boot boot = { .on_reset = MONITOR_RESET_RESTART, .nr_segs = 1 };

	g->boot = &boot;
	f->m.restart = record_restart;
	sc.restart_rc = 0;
	sc.a_reset[0] = true;
	sc.a_actions[1] = EXIT_RESUME;
	sc.a_actions[2] = EXIT_STOP;
	assert_int_equal(monitor_loop(&f->m, &f->m.cpu[0]), 0);
	assert_int_equal(sc.restart_calls, 1);
	/* After the run that asked, before the next one. */
	assert_int_equal(sc.restart_at_run, 1);
	assert_int_equal(sc.runs, 3);
	assert_false(g->restart_pending);
	assert_true(fake_log_find(f, "monitor: guest a: scripted reset: restarting it") >= 0);
	assert_int_equal(fake_log_find(f, "cannot restart"), -1);
	fake_free(f);
}

static void test_loop_restart_other_guest_waits(void **state)
{
	struct fake *f = loop_setup(1000, 1000);
	struct guest *g = &f->m.guest[0];
	struct monitor_guest_boot boot = { .on_reset = MONITOR_RESET_RESTART, .nr_segs = 1 };

	g->boot = &boot;
	f->m.restart = record_restart;
	sc.restart_rc = 0;
	sc.a_reset[0] = true;
	sc.a_actions[1] = EXIT_STOP;
	sc.b_actions[0] = EXIT_YIELD;
	sc.b_actions[1] = EXIT_STOP;
	assert_int_equal(monitor_loop(&f->m, &f->m.cpu[0]), 0);
	/* a yields on its reset request; it is restarted before anyone runs again. */
	assert_int_equal(sc.restart_calls, 1);
	assert_int_equal(sc.restart_at_run, 1);
	assert_int_equal(sc.order[1], 1);
	assert_int_equal(sc.order[2], 0);
	fake_free(f);
}

/* A restart that takes a while (copying the image back): the next slot starts after it. */
static int slow_restart(struct monitor *m, struct guest *g)
{
	sc.restart_calls++;
	sc.f->now += 5000;
	return 0;
}

static void test_loop_restart_takes_fresh_time(void **state)
{
	struct fake *f = loop_setup(1000, 1000);
	struct guest *g = &f->m.guest[0];
	struct monitor_guest_boot boot = { .on_reset = MONITOR_RESET_RESTART, .nr_segs = 1 };

	g->boot = &boot;
	f->m.restart = slow_restart;
	sc.a_reset[0] = true;
	sc.a_actions[1] = EXIT_STOP;
	sc.b_actions[0] = EXIT_STOP;
	assert_int_equal(monitor_loop(&f->m, &f->m.cpu[0]), 0);
	assert_int_equal(sc.restart_calls, 1);
	/* b's slot began after the restart: a full slice from the time it really started. */
	assert_int_equal(sc.order[1], 1);
	assert_int_equal(sc.deadline[1], sc.started[1] + 1000);
	fake_free(f);
}

static void test_loop_restart_failure_stops(void **state)
{
	struct fake *f = loop_setup(1000, 0);
	struct guest *g = &f->m.guest[0];
	struct monitor_guest_boot boot = { .on_reset = MONITOR_RESET_RESTART, .nr_segs = 1 };

	g->boot = &boot;
	f->m.restart = record_restart;
	sc.restart_rc = -22;
	sc.a_reset[0] = true;
	sc.a_actions[1] = EXIT_STOP;
	assert_int_equal(monitor_loop(&f->m, &f->m.cpu[0]), 0);
	assert_int_equal(sc.restart_calls, 1);
	assert_int_equal(sc.runs, 1);
	assert_true(g->stopped);
	assert_false(g->restart_pending);
	assert_true(fake_log_find(f, "monitor: guest a stopped: reset requested and it cannot "
				     "restart") >= 0);
	fake_free(f);
}

static void test_loop_us_to_cycles(void **state)
{
	assert_int_equal(monitor_us_to_cycles(10000, 2000000), 20000000);
	assert_int_equal(monitor_us_to_cycles(0, 2000000), 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_guest_init_one_vcpu),
		cmocka_unit_test(test_loop_alternates_and_accounts),
		cmocka_unit_test(test_loop_halts_idle_and_single_guest),
		cmocka_unit_test(test_loop_yield_hands_over),
		cmocka_unit_test(test_loop_halted_guest_woken_by_its_timer),
		cmocka_unit_test(test_loop_alarm_is_the_slot_end_when_sooner),
		cmocka_unit_test(test_loop_other_guest_timer_ignored_without_switch_on_irq),
		cmocka_unit_test(test_loop_switch_on_irq),
		cmocka_unit_test(test_loop_switch_on_irq_own_timer_counts),
		cmocka_unit_test(test_loop_running_guest_timer_delivered),
		cmocka_unit_test(test_loop_alarm_not_stale_after_timer_fired),
		cmocka_unit_test(test_loop_restart_before_next_run),
		cmocka_unit_test(test_loop_restart_other_guest_waits),
		cmocka_unit_test(test_loop_restart_takes_fresh_time),
		cmocka_unit_test(test_loop_restart_failure_stops),
		cmocka_unit_test(test_loop_us_to_cycles),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
