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
	struct guest *switched_to;
	struct fake *f;
	enum exit_action a_actions[MAX_RUNS], b_actions[MAX_RUNS];
};

static struct script sc;

static void fake_run(struct monitor *m, struct guest *g)
{
	struct fake *f = sc.f;

	assert_true(sc.runs < MAX_RUNS);
	/* The state exchange happened before, for this guest. */
	assert_ptr_equal(m->loaded, g);
	sc.order[sc.runs] = g->id;
	sc.started[sc.runs] = f->now;
	sc.deadline[sc.runs] = f->armed;
	sc.runs++;
	g->entry_tsc = f->now;
	f->now += RUN_CYCLES;
	g->exit_tsc = f->now;
}

static enum exit_action fake_handle(struct monitor *m, struct guest *g)
{
	enum exit_action *list = g->id ? sc.b_actions : sc.a_actions;
	enum exit_action a = list[sc.next[g->id]++];

	assert_ptr_equal(m->current, g);
	sc.f->now += EXIT_CYCLES;
	if (a == EXIT_STOP && g->id == 0)
		monitor_guest_stop(m, g, "script says so");
	return a;
}

static void fake_switch_state(void *ctx, struct guest *from, struct guest *to)
{
	sc.switch_calls++;
	sc.switched_to = to;
}

static const struct vcpu_ops fake_ops = {
	.name = "fake",
	.run = fake_run,
	.handle_exit = fake_handle,
};

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
	assert_int_equal(sched_add(&f->m.sched, 0, slice_a), 0);
	if (slice_b)
		assert_int_equal(sched_add(&f->m.sched, 1, slice_b), 0);
	else
		f->m.guest[1].present = false;
	return f;
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

	assert_int_equal(monitor_loop(&f->m), 0);
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
	assert_int_equal(f->m.guest[0].stats.cycles_in_guest, 7 * RUN_CYCLES);
	assert_int_equal(f->m.guest[0].stats.cycles_in_monitor, 7 * EXIT_CYCLES);
	assert_int_equal(f->m.guest[1].stats.cycles_in_guest, 5 * RUN_CYCLES);
	assert_int_equal(f->m.guest[0].stats.switches_in, f->m.sched.e[0].switches_in);
	assert_true(f->m.guest[0].stats.switches_in >= 2);
	assert_true(fake_log_find(f, "monitor: guest a stopped: script says so") >= 0);
	assert_true(fake_log_find(f, "monitor: guest b stopped: stopped by its exit handler") >=
		    0);
	assert_int_equal(f->m.idles, 0);
	fake_free(f);
}

static void test_loop_halts_idle_and_single_guest(void **state)
{
	struct fake *f = loop_setup(100, 0);

	/* One guest that halts at every exit: the CPU idles until its slot ends, each time. */
	for (int i = 0; i < 4; i++)
		sc.a_actions[i] = EXIT_HALT;
	sc.a_actions[4] = EXIT_STOP;
	assert_int_equal(monitor_loop(&f->m), 0);
	assert_int_equal(sc.runs, 5);
	for (size_t i = 0; i < sc.runs; i++) {
		assert_int_equal(sc.order[i], 0);
		/* Each run starts a fresh slot at the previous slot's end. */
		assert_int_equal(sc.started[i], i * 100);
		assert_int_equal(sc.deadline[i], i * 100 + 100);
	}
	assert_int_equal(f->m.idles, 4);
	assert_int_equal(f->m.idle_cycles, 4 * (100 - RUN_CYCLES - EXIT_CYCLES));
	/* Idle time is nobody's monitor time. */
	assert_int_equal(f->m.guest[0].stats.cycles_in_monitor, 5 * EXIT_CYCLES);
	assert_int_equal(f->m.guest[0].stats.cycles_in_guest, 5 * RUN_CYCLES);
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
	assert_int_equal(monitor_loop(&f->m), 0);
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

static void test_loop_us_to_cycles(void **state)
{
	assert_int_equal(monitor_us_to_cycles(10000, 2000000), 20000000);
	assert_int_equal(monitor_us_to_cycles(0, 2000000), 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_loop_alternates_and_accounts),
		cmocka_unit_test(test_loop_halts_idle_and_single_guest),
		cmocka_unit_test(test_loop_yield_hands_over),
		cmocka_unit_test(test_loop_us_to_cycles),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
