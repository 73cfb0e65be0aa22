// SPDX-License-Identifier: GPL-2.0-only
/* Per-guest statistics: counting, accounting, the snapshot and the end-of-run lines. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "monitor/abi.h"
#include "monitor/hist.h"
#include "monitor/sched.h"
#include "monitor/stats.h"
#include "monitor/stats_line.h"
#include "monitor/test_fake.h"

#define STATS_PREFIX "TWINMON-STATS "

/* The log lines for people: the end-of-run lines before the TWINMON-STATS records. */
static size_t human_lines(const struct fake *f)
{
	size_t n = 0;

	for (size_t i = 0; i < f->nlog; i++)
		n += strncmp(f->log[i], STATS_PREFIX, strlen(STATS_PREFIX)) != 0;
	return n;
}

static void test_stats_count_and_account(void **state)
{
	struct fake *f = fake_new();
	struct guest *g = &f->m.guest[0];
	struct tm_guest_stats s;

	stats_count_exit(&g->vcpu[0], TM_EXIT_IO);
	stats_count_exit(&g->vcpu[0], TM_EXIT_IO);
	stats_count_exit(&g->vcpu[0], TM_EXIT_HLT);
	stats_count_exit(&g->vcpu[0], 99);	/* out of range: unknown */
	assert_int_equal(g->vcpu[0].stats.exits_total, 4);
	assert_int_equal(g->vcpu[0].stats.exits_by_reason[TM_EXIT_IO], 2);
	assert_int_equal(g->vcpu[0].stats.exits_by_reason[TM_EXIT_UNKNOWN], 1);
	stats_account_guest(&g->vcpu[0], 100, 250);
	stats_account_monitor(&g->vcpu[0], 250, 260);
	stats_account_guest(&g->vcpu[0], 300, 310);
	stats_account_monitor(&g->vcpu[0], 310, 400);
	assert_int_equal(g->vcpu[0].stats.cycles_in_guest, 160);
	assert_int_equal(g->vcpu[0].stats.cycles_in_monitor, 100);
	/* Time running backwards is not counted as a huge interval. */
	stats_account_guest(&g->vcpu[0], 500, 400);
	stats_account_monitor(&g->vcpu[0], 400, 300);
	assert_int_equal(g->vcpu[0].stats.cycles_in_guest, 160);
	assert_int_equal(g->vcpu[0].stats.cycles_in_monitor, 100);
	stats_snapshot(g, &s);
	assert_int_equal(s.version, TM_STATS_VERSION);
	assert_int_equal(s.slice_us, 1000);
	assert_int_equal(s.exits_total, 4);
	fake_free(f);
}

static void test_stats_print(void **state)
{
	struct fake *f = fake_new();
	struct guest *g = &f->m.guest[0];
	static const unsigned reasons[] = { TM_EXIT_IO, TM_EXIT_MSR, TM_EXIT_CPUID, TM_EXIT_NPF,
					    TM_EXIT_VMMCALL, TM_EXIT_HLT, TM_EXIT_INTR,
					    TM_EXIT_NMI, TM_EXIT_SHUTDOWN, TM_EXIT_OTHER };

	/* reason i counted i + 1 times: 1 io, 2 msr, ..., 7 intr; nmi 8 + shutdown 9 +
	 * other 10 = 27 other. */
	for (unsigned i = 0; i < sizeof(reasons) / sizeof(reasons[0]); i++)
		for (unsigned k = 0; k <= i; k++)
			stats_count_exit(&g->vcpu[0], reasons[i]);
	g->stats.switches_in = 12;
	stats_account_guest(&g->vcpu[0], 0, 1000);
	stats_account_monitor(&g->vcpu[0], 1000, 1200);
	f->m.cpu[0].idles = 3;
	f->m.cpu[0].idle_cycles = 777;
	f->m.cpu[0].runs = 40;
	f->m.cpu[0].switches = 6;
	g->vcpu[0].injected = 9;
	g->vcpu[0].lapic.timer_fired = 8;
	g->vcpu[0].lapic.ipi_self = 1;
	g->device_irqs = 4;
	g->ioapic.delivered = 3;
	g->ioapic.masked_drops = 1;
	g->restarts = 2;
	f->m.cpu[0].sched.e[0].overrun = 5;
	stats_print(&f->m);
	assert_int_equal(human_lines(f), 3);
	assert_string_equal(f->log[0], "monitor: guest a: switches 12, exits 55 (io 1, msr 2, "
				       "cpuid 3, npf 4, vmmcall 5, hlt 6, intr 7, other 27), "
				       "guest cycles 1000, monitor cycles 200");
	assert_string_equal(f->log[1], "monitor: guest a: interrupts injected 9 (vLAPIC timer 8, "
				       "self-IPIs 1, IPIs dropped 0), device interrupts 4 "
				       "(delivered 3, masked 1), MSIs 0 (dropped 0), restarts 2, "
				       "cycles past its slots 5");
	assert_string_equal(f->log[2], "monitor: cpu 0 (APIC ID 0): guests a, runs 40, guest "
				       "switches 6, idle 3 times, 777 cycles");
	fake_free(f);
}

/* Each vCPU counts its own exits and cycles: the guest's (snapshot, log) are their sum. */
static void test_stats_sum_over_vcpus(void **state)
{
	struct fake *f = fake_new();
	struct guest *g = &f->m.guest[0];
	struct tm_guest_stats s;

	g->nr_vcpus = 2;
	g->vcpu[1].g = g;
	g->vcpu[1].index = 1;
	g->vcpu[1].cpu = g->vcpu[0].cpu;
	stats_count_exit(&g->vcpu[0], TM_EXIT_IO);
	stats_count_exit(&g->vcpu[1], TM_EXIT_IO);
	stats_count_exit(&g->vcpu[1], TM_EXIT_HLT);
	stats_account_guest(&g->vcpu[0], 0, 100);
	stats_account_guest(&g->vcpu[1], 0, 30);
	stats_account_monitor(&g->vcpu[0], 100, 110);
	stats_account_monitor(&g->vcpu[1], 30, 37);
	g->vcpu[0].injected = 2;
	g->vcpu[1].injected = 5;
	g->vcpu[1].lapic.timer_fired = 4;
	g->vcpu[1].lapic.ipi_undeliverable = 1;
	stats_snapshot(g, &s);
	assert_int_equal(s.exits_total, 3);
	assert_int_equal(s.exits_by_reason[TM_EXIT_IO], 2);
	assert_int_equal(s.exits_by_reason[TM_EXIT_HLT], 1);
	assert_int_equal(s.cycles_in_guest, 130);
	assert_int_equal(s.cycles_in_monitor, 17);
	stats_print(&f->m);
	assert_true(fake_log_find(f, "monitor: guest a: switches 0, exits 3 (io 2, msr 0, cpuid 0, "
				     "npf 0, vmmcall 0, hlt 1, intr 0, other 0), guest cycles "
				     "130, monitor cycles 17") >= 0);
	assert_true(fake_log_find(f, "monitor: guest a: interrupts injected 7 (vLAPIC timer 4, "
				     "self-IPIs 0, IPIs dropped 1)") >= 0);
	fake_free(f);
}

/* An SMP guest gets a line per vCPU, after its own two, with that vCPU's figures alone. */
static void test_stats_vcpu_lines(void **state)
{
	struct fake *f = fake_new();
	struct guest *g = &f->m.guest[0];

	g->nr_vcpus = 2;
	g->vcpu[1].g = g;
	g->vcpu[1].index = 1;
	g->vcpu[1].cpu = &f->m.cpu[2];
	f->m.cpu[2].index = 2;
	f->m.cpu[2].sched.e[0].switches_in = 3;
	f->m.cpu[2].sched.e[0].slots = 11;
	f->m.cpu[0].sched.e[0].slots = 1;
	stats_count_exit(&g->vcpu[0], TM_EXIT_IO);
	stats_count_exit(&g->vcpu[1], TM_EXIT_HLT);
	stats_count_exit(&g->vcpu[1], TM_EXIT_NPF);
	stats_count_exit(&g->vcpu[1], TM_EXIT_INTR);
	stats_account_guest(&g->vcpu[1], 0, 30);
	stats_account_monitor(&g->vcpu[1], 30, 37);
	g->vcpu[1].injected = 5;
	g->vcpu[1].lapic.timer_fired = 4;
	g->vcpu[1].lapic.ipi_self = 2;
	g->vcpu[1].lapic.ipi_undeliverable = 1;
	stats_print(&f->m);
	assert_int_equal(human_lines(f), 5);
	assert_string_equal(f->log[2], "monitor: guest a vcpu 0 on cpu 0: switches in 0, slots 1, "
				       "exits 1 (hlt 0, npf 0, intr 0), guest cycles 0, monitor "
				       "cycles 0, interrupts injected 0 (vLAPIC timer 0, self-IPIs 0, "
				       "IPIs dropped 0)");
	assert_string_equal(f->log[3], "monitor: guest a vcpu 1 on cpu 2: switches in 3, slots 11, "
				       "exits 3 (hlt 1, npf 1, intr 1), guest cycles 30, monitor "
				       "cycles 7, interrupts injected 5 (vLAPIC timer 4, self-IPIs 2, "
				       "IPIs dropped 1)");
	fake_free(f);
}

/* A gang-scheduled set adds one line after the CPUs': its slots, together, the spreads. */
static void test_stats_gang_line(void **state)
{
	struct fake *f = fake_new();

	f->m.tsc_khz = 1000000;
	gang_meter_init(&f->m.gang, 0xd, f->m.tsc_khz);	/* CPUs 0, 2 and 3 */
	for (uint64_t n = 0; n < 3; n++)
		for (unsigned c = 0; c < 4; c++)
			if (c != 1 && !(n == 2 && c == 3))
				gang_meter_mark(&f->m.gang, c, n, n * 10000000 + c * 2000);
	gang_meter_switch(&f->m.gang, true);
	gang_meter_switch(&f->m.gang, false);
	stats_print(&f->m);
	assert_true(fake_log_find(f, "monitor: gang cpus 0,2-3: 3 slot changes, 2 on all CPUs "
				     "together, spread max 6 us, p99 6 us; guest switches 2, out "
				     "of slot 1") >= 0);
	fake_free(f);
}

/*
 * A reader of the TWINMON-STATS lines, as docs/lab.md describes it: the header is the words up
 * to and including the record's identifying keys (guest, vcpu, cpu); the lines of one record
 * share it. value_of finds key in the record whose header starts with head: its value, or
 * NULL. Every line is checked on the way: the prefix and version, words that are all
 * key=value with a key of [a-z0-9_.] and a value without blanks, and the length.
 */
static const char *value_of(const struct fake *f, const char *head, const char *key)
{
	static char value[64];
	const char *found = NULL;

	for (size_t i = 0; i < f->nlog; i++) {
		const char *line = f->log[i];

		if (strncmp(line, STATS_PREFIX, strlen(STATS_PREFIX)))
			continue;
		assert_true(strlen(line) <= STATS_LINE_MAX);
		assert_true(!strncmp(line, "TWINMON-STATS v=1 scope=", 24));
		for (const char *w = line + strlen(STATS_PREFIX); *w;) {
			size_t len = strcspn(w, " "), k = strspn(w, "abcdefghijklmnopqrstuvwxyz0123456789_.");

			assert_true(k > 0 && k < len && w[k] == '=');
			w += len + (w[len] == ' ');
		}
		if (strncmp(line, head, strlen(head)) || line[strlen(head)] != ' ')
			continue;
		/* Each header's next word is a key of the body, never an identifying one. */
		char want[64];
		snprintf(want, sizeof(want), " %s=", key);
		const char *p = strstr(line + strlen(head), want);
		if (!p)
			continue;
		assert_null(found);	/* a key appears once in a record */
		p += strlen(want);
		size_t len = strcspn(p, " ");
		assert_true(len < sizeof(value));
		memcpy(value, p, len);
		value[len] = '\0';
		found = value;
	}
	return found;
}

static void assert_value(const struct fake *f, const char *head, const char *key,
			 const char *want)
{
	const char *got = value_of(f, head, key);

	if (!got)
		fail_msg("no %s in the record %s", key, head);
	assert_string_equal(got, want);
}

static void test_stats_hist(void **state)
{
	struct hist a = { 0 }, b = { 0 };

	assert_int_equal(hist_bucket(0), 0);
	assert_int_equal(hist_bucket(1), 0);
	assert_int_equal(hist_bucket(2), 1);
	assert_int_equal(hist_bucket(3), 1);
	assert_int_equal(hist_bucket(4), 2);
	assert_int_equal(hist_bucket(1023), 9);
	assert_int_equal(hist_bucket(1024), 10);
	assert_int_equal(hist_bucket(UINT64_MAX), HIST_BUCKETS - 1);
	hist_add(&a, 5);
	hist_add(&a, 900);
	hist_add(&b, 2);
	hist_add(&b, UINT64_MAX);	/* the sum saturates */
	hist_merge(&a, &b);
	assert_int_equal(a.count, 4);
	assert_int_equal(a.min, 2);
	assert_true(a.max == UINT64_MAX && a.sum == UINT64_MAX);
	assert_int_equal(a.bucket[2] + a.bucket[9] + a.bucket[1] + a.bucket[HIST_BUCKETS - 1], 4);
}

/* A slot lasts from its start to the decision that ends it: another's slot, or idling. */
static void test_stats_slot_lengths(void **state)
{
	struct sched s;

	sched_init(&s);
	assert_int_equal(sched_add(&s, 0, 100), 0);
	assert_int_equal(sched_add(&s, 1, 100), 0);
	assert_int_equal(sched_next(&s, 0).guest, 0);
	assert_int_equal(sched_next(&s, 50).guest, 0);	/* the same slot goes on */
	assert_int_equal(sched_next(&s, 104).guest, 1);	/* 0's slot ended late, at 104 */
	sched_halt(&s, 1);
	assert_int_equal(sched_next(&s, 134).guest, 0);	/* 1 gave up after 30 */
	sched_halt(&s, 0);
	assert_int_equal(sched_next(&s, 150).kind, SCHED_IDLE);	/* 0's second: 16 */
	assert_int_equal(sched_next(&s, 160).kind, SCHED_IDLE);	/* not counted twice */
	assert_int_equal(s.e[0].slot_len.count, 2);
	assert_int_equal(s.e[0].slot_len.sum, 104 + 16);
	assert_int_equal(s.e[0].slot_len.min, 16);
	assert_int_equal(s.e[1].slot_len.count, 1);
	assert_int_equal(s.e[1].slot_len.sum, 30);
}

/* The TWINMON-STATS records at the end of a run: every scope, and the right figures. */
static void test_stats_lines(void **state)
{
	struct fake *f = fake_new();
	struct guest *g = &f->m.guest[0];
	struct sched_entity *e = &f->m.cpu[0].sched.e[0];

	f->now = 5000;
	stats_count_exit(&g->vcpu[0], TM_EXIT_IO);
	stats_count_exit(&g->vcpu[0], TM_EXIT_IO);
	stats_count_exit(&g->vcpu[0], TM_EXIT_PAUSE);
	stats_account_guest(&g->vcpu[0], 0, 1000);
	stats_account_monitor(&g->vcpu[0], 1000, 1200);
	g->stats.switches_in = 12;
	g->vcpu[0].injected = 9;
	hist_add(&g->vcpu[0].irq_delay, 3);
	hist_add(&g->vcpu[0].irq_delay, 1000);
	hist_add(&g->vcpu[0].due.delay[VIRQ_SRC_DEV], 600);
	hist_add(&g->vcpu[0].due.delay[VIRQ_SRC_IPI], 40);
	hist_add(&g->vcpu[0].due.delay[VIRQ_SRC_IPI], 50);
	g->vcpu[0].due.unmeasured = 1;
	e->slice = 2000;
	e->slots = 4;
	hist_add(&e->slot_len, 2000);
	hist_add(&e->slot_len, 100);
	f->m.cpu[0].runs = 40;
	g->restarts = 2;
	stats_lines_print(&f->m, "end");

	assert_value(f, "TWINMON-STATS v=1 scope=monitor when=end tsc=5000", "tsc_khz", "2000000");
	assert_value(f, "TWINMON-STATS v=1 scope=monitor when=end tsc=5000", "guests", "1");
	const char *ga = "TWINMON-STATS v=1 scope=guest when=end tsc=5000 guest=a";
	assert_value(f, ga, "exits", "3");
	assert_value(f, ga, "exit.io", "2");
	assert_value(f, ga, "exit.pause", "1");
	assert_value(f, ga, "exit.hlt", "0");
	assert_value(f, ga, "switches", "12");
	assert_value(f, ga, "cycles_guest", "1000");
	assert_value(f, ga, "cycles_monitor", "200");
	assert_value(f, ga, "irq_injected", "9");
	assert_value(f, ga, "irq_delay_count", "2");
	assert_value(f, ga, "irq_delay_sum", "1003");
	assert_value(f, ga, "irq_delay_min", "3");
	assert_value(f, ga, "irq_delay_max", "1000");
	assert_value(f, ga, "irq_delay_log2_1", "1");
	assert_value(f, ga, "irq_delay_log2_9", "1");
	assert_null(value_of(f, ga, "irq_delay_log2_2"));	/* empty buckets are left out */
	/* The other sources each on their own, the timer's irq_delay unchanged by them. */
	assert_value(f, ga, "dev_delay_count", "1");
	assert_value(f, ga, "dev_delay_log2_9", "1");
	assert_value(f, ga, "msi_delay_count", "0");
	assert_null(value_of(f, ga, "msi_delay_sum"));
	assert_value(f, ga, "ipi_delay_count", "2");
	assert_value(f, ga, "ipi_delay_sum", "90");
	assert_value(f, ga, "ipi_delay_log2_5", "2");
	assert_value(f, ga, "irq_unmeasured", "1");
	assert_value(f, ga, "restarts", "2");
	const char *va = "TWINMON-STATS v=1 scope=vcpu when=end tsc=5000 guest=a vcpu=0 cpu=0";
	assert_value(f, va, "exit.io", "2");
	assert_value(f, va, "slots", "4");
	assert_value(f, va, "slot_cfg", "2000");
	assert_value(f, va, "slot_count", "2");
	assert_value(f, va, "slot_min", "100");
	assert_value(f, va, "slot_max", "2000");
	assert_value(f, va, "slot_log2_10", "1");
	assert_value(f, va, "irq_delay_count", "2");
	assert_value(f, va, "dev_delay_max", "600");
	assert_value(f, va, "ipi_delay_min", "40");
	assert_value(f, va, "irq_unmeasured", "1");
	const char *c0 = "TWINMON-STATS v=1 scope=cpu when=end tsc=5000 cpu=0";
	assert_value(f, c0, "runs", "40");
	assert_value(f, c0, "guests", "a");
	/* The guest's record did not fit one line: it went on with the same header. */
	size_t guest_lines = 0;
	for (size_t i = 0; i < f->nlog; i++)
		guest_lines += !strncmp(f->log[i], ga, strlen(ga));
	assert_true(guest_lines >= 2);
	fake_free(f);
}

/* The delays by source: each vCPU's own, and their sum in the guest's record. */
static void test_stats_lines_due_sums(void **state)
{
	struct fake *f = fake_new();
	struct guest *g = &f->m.guest[0];

	g->nr_vcpus = 2;
	g->vcpu[1].g = g;
	g->vcpu[1].index = 1;
	g->vcpu[1].cpu = g->vcpu[0].cpu;
	hist_add(&g->vcpu[0].due.delay[VIRQ_SRC_MSI], 7);
	hist_add(&g->vcpu[1].due.delay[VIRQ_SRC_MSI], 3000);
	hist_add(&g->vcpu[1].due.delay[VIRQ_SRC_IPI], 64);
	g->vcpu[0].due.unmeasured = 2;
	g->vcpu[1].due.unmeasured = 1;
	stats_lines_guest(&f->m, g, "end", 9);
	const char *ga = "TWINMON-STATS v=1 scope=guest when=end tsc=9 guest=a";
	assert_value(f, ga, "msi_delay_count", "2");
	assert_value(f, ga, "msi_delay_min", "7");
	assert_value(f, ga, "msi_delay_max", "3000");
	assert_value(f, ga, "msi_delay_log2_2", "1");
	assert_value(f, ga, "msi_delay_log2_11", "1");
	assert_value(f, ga, "ipi_delay_count", "1");
	assert_value(f, ga, "dev_delay_count", "0");
	assert_value(f, ga, "irq_unmeasured", "3");
	assert_value(f, ga, "irq_delay_count", "0");
	const char *v1 = "TWINMON-STATS v=1 scope=vcpu when=end tsc=9 guest=a vcpu=1 cpu=0";
	assert_value(f, v1, "msi_delay_count", "1");
	assert_value(f, v1, "ipi_delay_log2_6", "1");
	assert_value(f, v1, "irq_unmeasured", "1");
	fake_free(f);
}

/* A guest asks (TM_HC_STATS_LOG): its records, marked as asked for, and only its own. */
static void test_stats_lines_guest(void **state)
{
	struct fake *f = fake_new();

	stats_lines_guest(&f->m, &f->m.guest[0], "request", 77);
	assert_value(f, "TWINMON-STATS v=1 scope=guest when=request tsc=77 guest=a", "exits", "0");
	assert_value(f, "TWINMON-STATS v=1 scope=vcpu when=request tsc=77 guest=a vcpu=0 cpu=0",
		     "slots", "0");
	assert_null(value_of(f, "TWINMON-STATS v=1 scope=cpu when=request tsc=77 cpu=0", "runs"));
	assert_string_equal(stats_exit_name(TM_EXIT_VMMCALL), "vmmcall");
	assert_string_equal(stats_exit_name(99), "unknown");
	fake_free(f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_stats_count_and_account),
		cmocka_unit_test(test_stats_print),
		cmocka_unit_test(test_stats_sum_over_vcpus),
		cmocka_unit_test(test_stats_vcpu_lines),
		cmocka_unit_test(test_stats_gang_line),
		cmocka_unit_test(test_stats_hist),
		cmocka_unit_test(test_stats_slot_lengths),
		cmocka_unit_test(test_stats_lines),
		cmocka_unit_test(test_stats_lines_due_sums),
		cmocka_unit_test(test_stats_lines_guest),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
