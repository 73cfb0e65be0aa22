// SPDX-License-Identifier: GPL-2.0-only
/* Hypercalls: numbers, argument checks (buffers outside the guest's RAM), console lines. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "monitor/abi.h"
#include "monitor/hypercall.h"
#include "monitor/log_budget.h"
#include "monitor/test_fake.h"

#define BUF (FAKE_RAM_BASE + 0x2000)

static int setup(void **state)
{
	*state = fake_new();
	return *state ? 0 : -1;
}

static int teardown(void **state)
{
	fake_free(*state);
	return 0;
}

static int64_t hc(struct fake *f, uint64_t nr, uint64_t a1, uint64_t a2, uint64_t a3,
		  enum exit_action *action)
{
	struct guest *g = &f->m.guest[0];
	enum exit_action a;

	g->vcpu[0].regs.rax = nr;
	g->vcpu[0].regs.rdi = a1;
	g->vcpu[0].regs.rsi = a2;
	g->vcpu[0].regs.rdx = a3;
	a = hypercall_handle(&f->m, &g->vcpu[0]);
	if (action)
		*action = a;
	/* Arguments are never clobbered. */
	assert_int_equal(g->vcpu[0].regs.rdi, a1);
	assert_int_equal(g->vcpu[0].regs.rsi, a2);
	assert_int_equal(g->vcpu[0].regs.rdx, a3);
	return (int64_t)g->vcpu[0].regs.rax;
}

static void put(struct fake *f, uint64_t gpa, const char *s)
{
	memcpy(fake_phys(f, gpa), s, strlen(s));
}

static void test_hc_simple(void **state)
{
	struct fake *f = *state;
	enum exit_action a;

	assert_int_equal(hc(f, TM_HC_NOP, 1, 2, 3, &a), 0);
	assert_int_equal(a, EXIT_RESUME);
	assert_int_equal(hc(f, TM_HC_TSC_KHZ, 0, 0, 0, &a), 2000000);
	assert_int_equal(hc(f, TM_HC_YIELD, 0, 0, 0, &a), 0);
	assert_int_equal(a, EXIT_YIELD);
	assert_int_equal(hc(f, 7, 0, 0, 0, &a), -ENOSYS);
	assert_int_equal(-ENOSYS, -38);
	assert_int_equal(hc(f, 1ULL << 40, 0, 0, 0, &a), -ENOSYS);
	assert_int_equal(a, EXIT_RESUME);
}

static void test_hc_console_lines(void **state)
{
	struct fake *f = *state;

	put(f, BUF, "hello\r\nwor");
	assert_int_equal(hc(f, TM_HC_CONSOLE_WRITE, BUF, 10, 0, NULL), 10);
	assert_int_equal(f->nlog, 1);
	assert_string_equal(f->log[0], "guest a: hello");
	/* The rest of a line waits for its end, control bytes show as '?'. */
	put(f, BUF, "ld\x01\n\n");
	assert_int_equal(hc(f, TM_HC_CONSOLE_WRITE, BUF, 5, 0, NULL), 5);
	assert_int_equal(f->nlog, 3);
	assert_string_equal(f->log[1], "guest a: world?");
	assert_string_equal(f->log[2], "guest a: ");
	/* A partial line is flushed when the guest stops. */
	put(f, BUF, "bye");
	assert_int_equal(hc(f, TM_HC_CONSOLE_WRITE, BUF, 3, 0, NULL), 3);
	assert_int_equal(f->nlog, 3);
	monitor_guest_stop(&f->m, &f->m.guest[0], "test");
	assert_string_equal(f->log[3], "guest a: bye");
	assert_string_equal(f->log[4], "monitor: guest a stopped: test");
}

static void test_hc_console_long_line_split(void **state)
{
	struct fake *f = *state;
	char *p = fake_phys(f, BUF);

	memset(p, 'x', 400);
	assert_int_equal(hc(f, TM_HC_CONSOLE_WRITE, BUF, 400, 0, NULL), 400);
	assert_int_equal(f->nlog, 2);
	assert_int_equal(strlen(f->log[0]), strlen("guest a: ") + GUEST_CON_LINE);
	assert_int_equal(f->m.guest[0].con_len, 400 - 2 * GUEST_CON_LINE);
}

static void test_hc_console_checks(void **state)
{
	struct fake *f = *state;
	uint64_t end = FAKE_RAM_BASE + FAKE_RAM_SIZE;

	assert_int_equal(hc(f, TM_HC_CONSOLE_WRITE, BUF, TM_CONSOLE_MAX + 1, 0, NULL), -E2BIG);
	/* Outside the guest's RAM: the other guest's, the monitor's, or nobody's. */
	assert_int_equal(hc(f, TM_HC_CONSOLE_WRITE, FAKE_POOL_BASE, 16, 0, NULL), -EFAULT);
	assert_int_equal(hc(f, TM_HC_CONSOLE_WRITE, 0x1000, 16, 0, NULL), -EFAULT);
	/* Straddling the end of the RAM, or wrapping around the address space. */
	assert_int_equal(hc(f, TM_HC_CONSOLE_WRITE, end - 8, 16, 0, NULL), -EFAULT);
	assert_int_equal(hc(f, TM_HC_CONSOLE_WRITE, end - 8, 8, 0, NULL), 8);
	assert_int_equal(hc(f, TM_HC_CONSOLE_WRITE, ~0ULL - 4, 16, 0, NULL), -EFAULT);
	assert_int_equal(hc(f, TM_HC_CONSOLE_WRITE, FAKE_RAM_BASE - 1, 2, 0, NULL), -EFAULT);
	/* Empty is fine anywhere: nothing is read. */
	assert_int_equal(hc(f, TM_HC_CONSOLE_WRITE, 0, 0, 0, NULL), 0);
}

static void test_hc_adjacent_ranges(void **state)
{
	struct fake *f = *state;
	struct guest *g = &f->m.guest[0];

	/* Two ranges that touch: a buffer may span both; a hole between others may not. */
	g->nr_ram = 3;
	g->ram[0] = (struct partition_range){ FAKE_RAM_BASE, FAKE_RAM_BASE + 0x1000 };
	g->ram[1] = (struct partition_range){ FAKE_RAM_BASE + 0x1000, FAKE_RAM_BASE + 0x3000 };
	g->ram[2] = (struct partition_range){ FAKE_RAM_BASE + 0x4000, FAKE_RAM_BASE + 0x5000 };
	assert_true(monitor_guest_ram_contains(g, FAKE_RAM_BASE + 0xff0, 0x20));
	/* One byte before or after the RAM is enough to refuse. */
	assert_false(monitor_guest_ram_contains(g, FAKE_RAM_BASE - 1, 2));
	assert_false(monitor_guest_ram_contains(g, FAKE_RAM_BASE + 0x4fff, 2));
	assert_true(monitor_guest_ram_contains(g, FAKE_RAM_BASE + 0x4fff, 1));
	assert_false(monitor_guest_ram_contains(g, FAKE_RAM_BASE + 0x3fff, 1));
	assert_true(monitor_guest_ram_contains(g, FAKE_RAM_BASE, 0x3000));
	assert_false(monitor_guest_ram_contains(g, FAKE_RAM_BASE + 0x2ff0, 0x20));
	assert_false(monitor_guest_ram_contains(g, FAKE_RAM_BASE + 0x3800, 0x10));
	assert_true(monitor_guest_ram_contains(g, FAKE_RAM_BASE + 0x4000, 0x1000));
	assert_false(monitor_guest_ram_contains(g, FAKE_RAM_BASE + 0x4000, 0x1001));
	assert_int_equal(hc(f, TM_HC_CONSOLE_WRITE, FAKE_RAM_BASE + 0x2ff0, 0x20, 0, NULL),
			 -EFAULT);
}

static void test_hc_verdict(void **state)
{
	struct fake *f = *state;

	put(f, BUF, "all good\nreally");
	assert_int_equal(hc(f, TM_HC_VERDICT, 0, BUF, 15, NULL), 0);
	assert_string_equal(f->log[0], "guest a: verdict pass: all good really");
	assert_true(f->m.guest[0].has_verdict);
	put(f, BUF, "io");
	assert_int_equal(hc(f, TM_HC_VERDICT, (uint64_t)-3, BUF, 2, NULL), 0);
	assert_string_equal(f->log[1], "guest a: verdict fail(-3): io");
	assert_int_equal(f->m.guest[0].verdict, -3);
	assert_int_equal(hc(f, TM_HC_VERDICT, 1, BUF, TM_VERDICT_MAX + 1, NULL), -E2BIG);
	assert_int_equal(hc(f, TM_HC_VERDICT, 1, 0x1000, 4, NULL), -EFAULT);
	assert_int_equal(f->nlog, 2);
	/* A console line in progress comes out before the verdict. */
	put(f, BUF, "partial");
	assert_int_equal(hc(f, TM_HC_CONSOLE_WRITE, BUF, 7, 0, NULL), 7);
	assert_int_equal(hc(f, TM_HC_VERDICT, 0, BUF, 0, NULL), 0);
	assert_string_equal(f->log[2], "guest a: partial");
	assert_string_equal(f->log[3], "guest a: verdict pass: ");
}

static void test_hc_stats(void **state)
{
	struct fake *f = *state;
	struct guest *g = &f->m.guest[0];
	struct tm_guest_stats s;
	uint8_t *p = fake_phys(f, BUF);

	g->vcpu[0].stats.exits_total = 7;
	g->vcpu[0].stats.exits_by_reason[TM_EXIT_VMMCALL] = 5;
	g->stats.switches_in = 3;
	g->vcpu[0].stats.cycles_in_guest = 1234;
	memset(p, 0xee, 512);
	assert_int_equal(hc(f, TM_HC_STATS, BUF, sizeof(s), 0, NULL), sizeof(s));
	memcpy(&s, p, sizeof(s));
	assert_int_equal(s.version, 1);
	assert_int_equal(s.exits_total, 7);
	assert_int_equal(s.exits_by_reason[TM_EXIT_VMMCALL], 5);
	assert_int_equal(s.switches_in, 3);
	assert_int_equal(s.cycles_in_guest, 1234);
	assert_int_equal(s.slice_us, 1000);
	assert_int_equal(p[sizeof(s)], 0xee);
	/* A larger buffer gets the struct, a smaller one its prefix. */
	assert_int_equal(hc(f, TM_HC_STATS, BUF, 4096, 0, NULL), sizeof(s));
	memset(p, 0xee, 512);
	assert_int_equal(hc(f, TM_HC_STATS, BUF, 16, 0, NULL), 16);
	assert_int_equal(p[15], 0);
	assert_int_equal(p[16], 0xee);
	assert_int_equal(hc(f, TM_HC_STATS, BUF, 7, 0, NULL), -EINVAL);
	assert_int_equal(hc(f, TM_HC_STATS, FAKE_RAM_BASE + FAKE_RAM_SIZE - 8, sizeof(s), 0,
			    NULL),
			 -EFAULT);
}

/* Bytes the fake log holds from line `from` on, one line end each. */
static size_t log_bytes(const struct fake *f, size_t from)
{
	size_t n = 0;

	for (size_t i = from; i < f->nlog; i++)
		n += strlen(f->log[i]) + 1;
	return n;
}

/* 4096 newlines in one call: one exit writes at most about 1 KiB of log, not 4096 lines. */
static void test_hc_console_flood_one_exit(void **state)
{
	struct fake *f = *state;
	uint8_t *buf = fake_phys(f, BUF);

	memset(buf, '\n', TM_CONSOLE_MAX);
	assert_int_equal(hc(f, TM_HC_CONSOLE_WRITE, BUF, TM_CONSOLE_MAX, 0, NULL),
			 TM_CONSOLE_MAX);
	assert_true(f->nlog > 10);
	assert_true(log_bytes(f, 0) <= 1024 + 96);
	/* The next call says how much the last one lost before its own text. */
	f->nlog = 0;
	put(f, BUF, "next\n");
	assert_int_equal(hc(f, TM_HC_CONSOLE_WRITE, BUF, 5, 0, NULL), 5);
	assert_int_equal(f->nlog, 2);
	assert_non_null(strstr(f->log[0], "monitor: guest a: console over budget: "));
	assert_non_null(strstr(f->log[0], " lines, 0 bytes dropped"));
	assert_string_equal(f->log[1], "guest a: next");
}

/* Over time: a burst, then LOG_BUDGET_RATE bytes a second; what is dropped is reported. */
/* TM_HC_STATS_LOG: the caller's TWINMON-STATS records, paid from its console's budget. */
static void test_hc_stats_log(void **state)
{
	struct fake *f = *state;
	int ok = 0;

	f->now = 1234;
	/* The clock stands still: the burst pays for whole calls, then they are refused. */
	for (int i = 0; i < 10; i++) {
		size_t n = f->nlog;
		int64_t r = hc(f, TM_HC_STATS_LOG, 0, 0, 0, NULL);

		if (r == 0) {
			ok++;
			assert_true(f->nlog > n);
		} else {
			assert_int_equal(r, -EAGAIN);
			assert_int_equal(f->nlog, n);	/* nothing, not part of it */
		}
	}
	assert_int_equal(ok, LOG_BUDGET_BURST / (2 * TM_STATS_LOG_COST));
	assert_true(fake_log_find(f, "TWINMON-STATS v=1 scope=guest when=request tsc=1234 guest=a ") >= 0);
	assert_true(fake_log_find(f, "TWINMON-STATS v=1 scope=vcpu when=request tsc=1234 guest=a vcpu=0 ") >= 0);
	/* Another guest's and the CPUs' records are not the caller's to ask for. */
	assert_true(fake_log_find(f, "scope=cpu") < 0);
	assert_true(fake_log_find(f, "guest=b") < 0);
}

static void test_hc_console_budget(void **state)
{
	struct fake *f = *state;
	char line[101];
	size_t logged = 0, n;

	memset(line, 'x', 99);
	line[99] = '\n';
	line[100] = '\0';
	put(f, BUF, line);
	/* The clock stands still: the burst and no more. */
	for (int i = 0; i < 200; i++) {
		n = f->nlog;
		assert_int_equal(hc(f, TM_HC_CONSOLE_WRITE, BUF, 100, 0, NULL), 100);
		logged += f->nlog - n;
	}
	assert_int_equal(logged, LOG_BUDGET_BURST / (99 + LOG_BUDGET_LINE_COST));
	assert_int_equal(f->m.guest[0].con_budget.dropped_lines, 200 - logged);
	/* A second later: the summary, then what a second's budget allows. */
	f->nlog = 0;
	f->now += 2000000ULL * 1000;
	for (int i = 0; i < 200; i++)
		assert_int_equal(hc(f, TM_HC_CONSOLE_WRITE, BUF, 100, 0, NULL), 100);
	assert_non_null(strstr(f->log[0], "console over budget: "));
	assert_int_equal(f->nlog - 1, LOG_BUDGET_RATE / (99 + LOG_BUDGET_LINE_COST));
	/* A stop reports the rest. */
	f->nlog = 0;
	monitor_guest_stop(&f->m, &f->m.guest[0], "test");
	assert_true(fake_log_find(f, "console over budget: ") >= 0);
	assert_int_equal(f->m.guest[0].con_budget.dropped_lines, 0);
}

/* Verdicts go through the same budget (a guest may send them in a loop). */
static void test_hc_verdict_budget(void **state)
{
	struct fake *f = *state;

	put(f, BUF, "again");
	for (int i = 0; i < 1000; i++)
		assert_int_equal(hc(f, TM_HC_VERDICT, 1, BUF, 5, NULL), 0);
	assert_true(f->nlog < 300);
	assert_true(f->m.guest[0].has_verdict);
	assert_true(f->m.guest[0].con_budget.dropped_lines > 700);
}

/* Lines about what a guest does again and again (monitor_guest_event) have a budget too. */
static void test_guest_event_budget(void **state)
{
	struct fake *f = *state;
	struct guest *g = &f->m.guest[0];

	for (int i = 0; i < 10000; i++)
		monitor_guest_event(&f->m, g, "monitor: guest a: out to unassigned port 0x%x", i);
	assert_true(f->nlog > 50);
	assert_true(log_bytes(f, 0) <= LOG_BUDGET_BURST);
	assert_true(g->event_budget.dropped_lines > 9000);
	f->nlog = 0;
	monitor_guest_stop(&f->m, g, "test");
	assert_true(fake_log_find(f, "monitor: guest a: log over budget: ") >= 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_hc_simple, setup, teardown),
		cmocka_unit_test_setup_teardown(test_hc_console_lines, setup, teardown),
		cmocka_unit_test_setup_teardown(test_hc_console_long_line_split, setup, teardown),
		cmocka_unit_test_setup_teardown(test_hc_console_checks, setup, teardown),
		cmocka_unit_test_setup_teardown(test_hc_adjacent_ranges, setup, teardown),
		cmocka_unit_test_setup_teardown(test_hc_verdict, setup, teardown),
		cmocka_unit_test_setup_teardown(test_hc_stats, setup, teardown),
		cmocka_unit_test_setup_teardown(test_hc_console_flood_one_exit, setup, teardown),
		cmocka_unit_test_setup_teardown(test_hc_console_budget, setup, teardown),
		cmocka_unit_test_setup_teardown(test_hc_stats_log, setup, teardown),
		cmocka_unit_test_setup_teardown(test_hc_verdict_budget, setup, teardown),
		cmocka_unit_test_setup_teardown(test_guest_event_budget, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
