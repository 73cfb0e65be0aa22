// SPDX-License-Identifier: GPL-2.0-only
/*
 * The world-switch meter (monitor/sw_meter.h): phases summed from the stamps, stamps out of
 * order left out, resumes; the loop's stamps at a switch; the keys of the cpu record.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "monitor/core.h"
#include "monitor/stats_line.h"
#include "monitor/sw_meter.h"
#include "monitor/test_fake.h"

static void test_phases_summed(void **state)
{
	static struct sw_meter s;
	const uint64_t a[SW_PHASES + 1] = { 100, 110, 130, 160, 200, 250, 310, 380 };
	const uint64_t b[SW_PHASES + 1] = { 1000, 1001, 1002, 1003, 1004, 1005, 1006, 1007 };

	memset(&s, 0, sizeof(s));
	sw_meter_switch(&s, a);
	sw_meter_switch(&s, b);
	assert_int_equal(s.sw.count, 2);
	assert_int_equal(s.sw.cycles[SW_PHASE_EXIT], 10 + 1);
	assert_int_equal(s.sw.cycles[SW_PHASE_SCHED], 20 + 1);
	assert_int_equal(s.sw.cycles[SW_PHASE_SAVE], 30 + 1);
	assert_int_equal(s.sw.cycles[SW_PHASE_LOAD], 40 + 1);
	assert_int_equal(s.sw.cycles[SW_PHASE_VIRQ], 50 + 1);
	assert_int_equal(s.sw.cycles[SW_PHASE_TIMER], 60 + 1);
	assert_int_equal(s.sw.cycles[SW_PHASE_ENTRY], 70 + 1);
	assert_int_equal(s.sw.longs, 0);
	assert_int_equal(s.total.count, 2);
	assert_int_equal(s.total.sum, 280 + 7);
	assert_int_equal(s.total.min, 7);
	assert_int_equal(s.total.max, 280);
	assert_int_equal(s.skipped, 0);
}

/* A stamp before the one it follows spoils only its own switch, which is not counted. */
static void test_out_of_order(void **state)
{
	static struct sw_meter s;
	const uint64_t bad[SW_PHASES + 1] = { 100, 110, 105, 160, 200, 250, 310, 380 };
	const uint64_t zero_exit[SW_PHASES + 1] = { 500, 510, 520, 530, 540, 550, 560, 0 };
	const uint64_t flat[SW_PHASES + 1] = { 7, 7, 7, 7, 7, 7, 7, 7 };

	memset(&s, 0, sizeof(s));
	sw_meter_switch(&s, bad);
	sw_meter_switch(&s, zero_exit);
	assert_int_equal(s.sw.count, 0);
	assert_int_equal(s.skipped, 2);
	for (unsigned k = 0; k < SW_PHASES; k++)
		assert_int_equal(s.sw.cycles[k], 0);
	assert_int_equal(s.total.count, 0);
	/* Phases of no length are fine. */
	sw_meter_switch(&s, flat);
	assert_int_equal(s.sw.count, 1);
	assert_int_equal(s.total.sum, 0);
	/* Resumes have their own sums, and their own shortest. */
	const uint64_t r1[SW_PHASES + 1] = { 100, 110, 120, 120, 120, 130, 135, 140 };
	const uint64_t r2[SW_PHASES + 1] = { 200, 202, 204, 204, 204, 206, 208, 210 };
	const uint64_t r_bad[SW_PHASES + 1] = { 300, 301, 302, 302, 302, 303, 304, 299 };
	const uint64_t r_edge[SW_PHASES + 1] = { 1000, 1100, 1120, 1120, 1120, 1130, 1140, 1160 };
	const uint64_t r_long[SW_PHASES + 1] = { 2000, 2100, 2120, 2120, 2120, 2130, 2140, 2176 };

	sw_meter_resume(&s, r1);
	sw_meter_resume(&s, r2);
	sw_meter_resume(&s, r_bad);
	assert_int_equal(s.rs.count, 2);
	assert_int_equal(s.rs.cycles[SW_PHASE_EXIT], 10 + 2);
	assert_int_equal(s.rs.cycles[SW_PHASE_SAVE], 0);
	assert_int_equal(s.rs.cycles[SW_PHASE_ENTRY], 5 + 2);
	assert_int_equal(s.skipped, 3);
	/* Sixteen times the shortest (10) is still counted, more is long. */
	sw_meter_resume(&s, r_edge);
	sw_meter_resume(&s, r_long);
	assert_int_equal(s.rs.count, 3);
	assert_int_equal(s.rs.longs, 1);
	assert_int_equal(s.rs.cycles[SW_PHASE_EXIT], 10 + 2 + 100);
	/* The switches' figures are their own. */
	assert_int_equal(s.sw.count, 1);
	assert_int_equal(s.total.count, 1);
}

/* A switch far longer than the shortest (a host stall) is counted apart, not summed. */
static void test_long_left_out(void **state)
{
	static struct sw_meter s;
	const uint64_t usual[SW_PHASES + 1] = { 0, 10, 20, 30, 40, 50, 60, 70 };
	const uint64_t stalled[SW_PHASES + 1] = { 0, 10, 20, 30, 40, 50, 60 + 5000, 70 + 5000 };
	const uint64_t slower[SW_PHASES + 1] = { 0, 100, 200, 300, 400, 500, 600, 70 * 16 };

	memset(&s, 0, sizeof(s));
	sw_meter_switch(&s, usual);
	sw_meter_switch(&s, stalled);
	/* Sixteen times the shortest is still a switch. */
	sw_meter_switch(&s, slower);
	assert_int_equal(s.sw.count, 2);
	assert_int_equal(s.sw.longs, 1);
	assert_int_equal(s.sw.cycles[SW_PHASE_TIMER], 10 + 100);
	assert_int_equal(s.sw.cycles[SW_PHASE_ENTRY], 10 + 70 * 16 - 600);
	assert_int_equal(s.total.count, 3);
	assert_int_equal(s.total.max, 5070);
	assert_int_equal(s.skipped, 0);
}

static void test_names(void **state)
{
	assert_string_equal(sw_meter_phase_name(SW_PHASE_EXIT), "exit");
	assert_string_equal(sw_meter_phase_name(SW_PHASE_SCHED), "sched");
	assert_string_equal(sw_meter_phase_name(SW_PHASE_SAVE), "save");
	assert_string_equal(sw_meter_phase_name(SW_PHASE_LOAD), "load");
	assert_string_equal(sw_meter_phase_name(SW_PHASE_VIRQ), "virq");
	assert_string_equal(sw_meter_phase_name(SW_PHASE_TIMER), "timer");
	assert_string_equal(sw_meter_phase_name(SW_PHASE_ENTRY), "entry");
	assert_string_equal(sw_meter_phase_name(SW_PHASES), "unknown");
}

/* ---- through monitor_loop: two guests on CPU 0, a scripted backend and clock ---- */

#define RUN_CYCLES	30	/* every run */
#define EXIT_CYCLES	5	/* every exit's handling */
#define SAVE_CYCLES	3	/* switch_state: the save, then the load */
#define LOAD_CYCLES	4

static struct fake *loop_f;
static unsigned loop_exits[2], loop_runs;

static void loop_run(struct monitor *m, struct vcpu *v)
{
	v->entry_tsc = loop_f->now;
	loop_f->now += RUN_CYCLES;
	v->exit_tsc = loop_f->now;
	loop_runs++;
}

static enum exit_action loop_handle(struct monitor *m, struct vcpu *v)
{
	unsigned id = v->g->id;

	loop_f->now += EXIT_CYCLES;
	if (++loop_exits[id] < (id ? 8u : 12u))
		return EXIT_RESUME;
	monitor_guest_stop(m, v->g, "done");
	return EXIT_STOP;
}

static void loop_switch_state(void *ctx, struct vcpu *from, struct vcpu *to)
{
	struct fake *f = ctx;

	f->now += SAVE_CYCLES;
	to->cpu->sw.saved_at = f->now;
	f->now += LOAD_CYCLES;
}

/* Each read a cycle later: the phases with no work of their own last one cycle. */
static uint64_t loop_stamp(void *ctx)
{
	return ++((struct fake *)ctx)->now;
}

static const struct vcpu_ops loop_ops = {
	.name = "meter",
	.run = loop_run,
	.handle_exit = loop_handle,
};

static struct fake *loop_setup(void)
{
	struct fake *f = fake_new();
	struct monitor_guest_boot b = { .present = true, .letter = 'b', .name = "bee",
					.ram = &f->ram_range, .nr_ram = 1, .slice_us = 500 };

	loop_f = f;
	loop_runs = 0;
	memset(loop_exits, 0, sizeof(loop_exits));
	f->plat.switch_state = loop_switch_state;
	f->m.vops = &loop_ops;
	assert_int_equal(monitor_guest_init(&f->m, 1, &b), 0);
	assert_int_equal(sched_add(&f->m.cpu[0].sched, 0, 100), 0);
	assert_int_equal(sched_add(&f->m.cpu[0].sched, 1, 100), 0);
	return f;
}

static void test_loop_meters_switches(void **state)
{
	struct fake *f = loop_setup();
	struct pcpu *pc = &f->m.cpu[0];
	const struct sw_meter *s = &pc->sw;

	f->plat.stamp = loop_stamp;
	assert_int_equal(monitor_loop(&f->m, pc), 0);
	/* Every switch came straight after an exit; the first entry is neither. */
	assert_true(pc->switches >= 2);
	assert_int_equal(s->sw.count, pc->switches);
	assert_int_equal(s->skipped, 0);
	assert_int_equal(s->sw.cycles[SW_PHASE_EXIT], s->sw.count * EXIT_CYCLES);
	/* The stamp before the save: its one cycle. */
	assert_int_equal(s->sw.cycles[SW_PHASE_SCHED], s->sw.count * 1);
	assert_int_equal(s->sw.cycles[SW_PHASE_SAVE], s->sw.count * SAVE_CYCLES);
	/* The load, and the stamp after it. */
	assert_int_equal(s->sw.cycles[SW_PHASE_LOAD], s->sw.count * (LOAD_CYCLES + 1));
	assert_int_equal(s->sw.cycles[SW_PHASE_VIRQ], s->sw.count * 1);
	assert_int_equal(s->sw.cycles[SW_PHASE_TIMER], s->sw.count * 1);
	assert_int_equal(s->sw.cycles[SW_PHASE_ENTRY], 0);
	assert_int_equal(s->total.min, EXIT_CYCLES + 1 + SAVE_CYCLES + LOAD_CYCLES + 1 + 1 + 1);
	assert_int_equal(s->total.max, s->total.min);
	/* A resume: its exit's handling, and the three stamps' cycles. */
	assert_int_equal(s->rs.count, pc->runs - 1 - pc->switches);
	assert_int_equal(s->rs.cycles[SW_PHASE_EXIT], s->rs.count * EXIT_CYCLES);
	assert_int_equal(s->rs.cycles[SW_PHASE_SCHED], s->rs.count * 1);
	assert_int_equal(s->rs.cycles[SW_PHASE_SAVE] + s->rs.cycles[SW_PHASE_LOAD], 0);
	assert_int_equal(s->rs.cycles[SW_PHASE_VIRQ], s->rs.count * 1);
	assert_int_equal(s->rs.cycles[SW_PHASE_TIMER], s->rs.count * 1);
	assert_int_equal(s->rs.cycles[SW_PHASE_ENTRY], 0);
	fake_free(f);
}

/* Without a stamp nothing is metered, and the loop runs as before. */
static void test_loop_without_stamp(void **state)
{
	struct fake *f = loop_setup();
	struct pcpu *pc = &f->m.cpu[0];

	assert_int_equal(monitor_loop(&f->m, pc), 0);
	assert_true(pc->switches >= 2);
	assert_int_equal(pc->sw.sw.count, 0);
	assert_int_equal(pc->sw.total.count, 0);
	assert_int_equal(pc->sw.rs.count, 0);
	fake_free(f);
}

/* The cpu record carries the meter. */
static void test_cpu_record(void **state)
{
	struct fake *f = fake_new();
	const uint64_t a[SW_PHASES + 1] = { 100, 110, 130, 160, 200, 250, 310, 380 };
	const char *c0 = "TWINMON-STATS v=1 scope=cpu when=end tsc=";
	const uint64_t r[SW_PHASES + 1] = { 1000, 1010, 1012, 1012, 1012, 1015, 1020, 1025 };
	static const char *const keys[] = {
		" sw_metered=1", " sw_exit_cycles=10", " sw_sched_cycles=20", " sw_save_cycles=30",
		" sw_load_cycles=40", " sw_virq_cycles=50", " sw_timer_cycles=60",
		" sw_entry_cycles=70", " sw_long=0", " sw_total_count=1", " sw_total_sum=280",
		" sw_total_min=280", " sw_total_log2_8=1", " sw_skipped=0", " rs_metered=1",
		" rs_exit_cycles=10", " rs_sched_cycles=2", " rs_save_cycles=0", " rs_virq_cycles=3",
		" rs_timer_cycles=5", " rs_entry_cycles=5", " rs_long=0",
	};

	sw_meter_switch(&f->m.cpu[0].sw, a);
	sw_meter_resume(&f->m.cpu[0].sw, r);
	stats_lines_print(&f->m, "end");
	for (size_t k = 0; k < sizeof(keys) / sizeof(keys[0]); k++) {
		int i = fake_log_find(f, keys[k]);

		assert_true(i >= 0);
		assert_int_equal(strncmp(f->log[i], c0, strlen(c0)), 0);
		assert_non_null(strstr(f->log[i], " cpu=0 "));
	}
	fake_free(f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_phases_summed),
		cmocka_unit_test(test_out_of_order),
		cmocka_unit_test(test_long_left_out),
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_loop_meters_switches),
		cmocka_unit_test(test_loop_without_stamp),
		cmocka_unit_test(test_cpu_record),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
