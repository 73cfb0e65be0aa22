// SPDX-License-Identifier: GPL-2.0-only
/* Per-guest statistics: counting, accounting, the snapshot and the end-of-run lines. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "monitor/abi.h"
#include "monitor/stats.h"
#include "monitor/test_fake.h"

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
	assert_int_equal(f->nlog, 3);
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
	assert_int_equal(f->nlog, 5);
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

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_stats_count_and_account),
		cmocka_unit_test(test_stats_print),
		cmocka_unit_test(test_stats_sum_over_vcpus),
		cmocka_unit_test(test_stats_vcpu_lines),
		cmocka_unit_test(test_stats_gang_line),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
