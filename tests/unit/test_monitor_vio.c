// SPDX-License-Identifier: GPL-2.0-only
/*
 * The virtual platform's ports (monitor/vio.c): PIT channel 2, port B, the reset ports (0xcf9,
 * the 8042 pulse, port 0x92, the FADT reset register), the virtual CMOS; the same through
 * io_emulate() and an IOIO exit; and what a reset request does (monitor_guest_reset).
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "monitor/gboot.h"
#include "monitor/io.h"
#include "monitor/svm/svm.h"
#include "monitor/test_fake.h"
#include "monitor/vio.h"

#define RIP0 0x40001000ULL

static unsigned restarts;

static int restart_ok(struct monitor *m, struct guest *g)
{
	restarts++;
	return 0;
}

static int setup(void **state)
{
	struct fake *f = fake_new();

	if (!f)
		return -1;
	restarts = 0;
	/* 2021-01-01 00:00:00 UTC at TSC 0. */
	vcmos_init(&f->m.guest[0].cmos, 1609459200, 0, f->m.tsc_khz);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	fake_free(*state);
	return 0;
}

static enum vio_result out8(struct fake *f, uint16_t port, uint32_t v)
{
	return vio_port(&f->m, &f->m.guest[0], port, false, 1, &v);
}

static enum vio_result in8(struct fake *f, uint16_t port, uint32_t *v)
{
	*v = 0xdeadbeef;
	return vio_port(&f->m, &f->m.guest[0], port, true, 1, v);
}

/* ---- vio_port ---------------------------------------------------------------------------- */

static void test_vio_pit(void **state)
{
	struct fake *f = *state;
	uint32_t v;

	/* Channel 2 reads 0 (Linux's quick calibration gives up at once). */
	assert_int_equal(in8(f, 0x42, &v), VIO_DONE);
	assert_int_equal(v, 0);
	assert_int_equal(out8(f, 0x42, 0x34), VIO_DONE);
	/* Mode writes are taken silently; a read of the write-only mode port is not ours. */
	assert_int_equal(out8(f, 0x43, 0xb0), VIO_DONE);
	assert_int_equal(in8(f, 0x43, &v), VIO_UNHANDLED);
	/* Channels 0 and 1 are not part of the platform. */
	assert_int_equal(in8(f, 0x40, &v), VIO_UNHANDLED);
	assert_int_equal(out8(f, 0x40, 0x12), VIO_UNHANDLED);
	assert_int_equal(in8(f, 0x41, &v), VIO_UNHANDLED);
	assert_int_equal(out8(f, 0x41, 0x12), VIO_UNHANDLED);
	assert_int_equal(f->nlog, 0);
	assert_false(f->m.guest[0].stopped);
}

static void test_vio_port_b(void **state)
{
	struct fake *f = *state;
	uint32_t v;

	assert_int_equal(in8(f, 0x61, &v), VIO_DONE);
	assert_int_equal(v, 0);
	/* Bits 0-3 stick; the status bits (PIT output 5 above all) read low. */
	assert_int_equal(out8(f, 0x61, 0xff), VIO_DONE);
	assert_int_equal(in8(f, 0x61, &v), VIO_DONE);
	assert_int_equal(v, 0x0f);
	assert_int_equal(out8(f, 0x61, 0x31), VIO_DONE);
	assert_int_equal(in8(f, 0x61, &v), VIO_DONE);
	assert_int_equal(v, 0x01);
	assert_int_equal(v & 0x20, 0);
	assert_int_equal(out8(f, 0x61, 0x02), VIO_DONE);
	assert_int_equal(in8(f, 0x61, &v), VIO_DONE);
	assert_int_equal(v, 0x02);
}

static void test_vio_cf9(void **state)
{
	struct fake *f = *state;
	struct guest *g = &f->m.guest[0];
	uint32_t v;

	/* Without the reset bit: stored and read back. */
	assert_int_equal(out8(f, 0xcf9, 0x0a), VIO_DONE);
	assert_int_equal(in8(f, 0xcf9, &v), VIO_DONE);
	assert_int_equal(v, 0x0a);
	assert_int_equal(out8(f, 0xcf9, 0x02), VIO_DONE);
	assert_int_equal(in8(f, 0xcf9, &v), VIO_DONE);
	assert_int_equal(v, 0x02);
	/* Only bits 1-3 are the register's (bit 2 clear here: no reset). */
	assert_int_equal(out8(f, 0xcf9, 0xfb), VIO_DONE);
	assert_int_equal(in8(f, 0xcf9, &v), VIO_DONE);
	assert_int_equal(v, 0x0a);
	assert_string_equal(g->reset_why, "");
	/* Bit 2: a reset request, and why says what was written where. */
	assert_int_equal(out8(f, 0xcf9, 0x06), VIO_RESET);
	assert_string_equal(g->reset_why, "reset request (0x6 to port 0xcf9)");
	assert_int_equal(out8(f, 0xcf9, 0x0e), VIO_RESET);
	assert_string_equal(g->reset_why, "reset request (0xe to port 0xcf9)");
	/* Only byte accesses are the reset control register. */
	v = 0x06;
	assert_int_equal(vio_port(&f->m, g, 0xcf9, false, 2, &v), VIO_UNHANDLED);
	assert_int_equal(f->nlog, 0);
	assert_false(g->stopped);
}

static void test_vio_kbc_and_port92(void **state)
{
	struct fake *f = *state;
	struct guest *g = &f->m.guest[0];
	uint32_t v;

	assert_int_equal(out8(f, 0x64, 0xfe), VIO_RESET);
	assert_string_equal(g->reset_why, "reset request (0xfe to port 0x64)");
	/* Any other 8042 command, and reads, are an absent controller's. */
	assert_int_equal(out8(f, 0x64, 0xd1), VIO_UNHANDLED);
	assert_int_equal(out8(f, 0x64, 0xff), VIO_UNHANDLED);
	assert_int_equal(in8(f, 0x64, &v), VIO_UNHANDLED);
	v = 0xfe;
	assert_int_equal(vio_port(&f->m, g, 0x64, false, 2, &v), VIO_UNHANDLED);

	g->reset_why[0] = '\0';
	assert_int_equal(out8(f, 0x92, 0x02), VIO_UNHANDLED);
	assert_string_equal(g->reset_why, "");
	assert_int_equal(out8(f, 0x92, 0x01), VIO_RESET);
	assert_string_equal(g->reset_why, "reset request (0x1 to port 0x92)");
	assert_int_equal(out8(f, 0x92, 0x03), VIO_RESET);
	assert_int_equal(in8(f, 0x92, &v), VIO_UNHANDLED);
}

static void test_vio_fadt_reset_port(void **state)
{
	struct fake *f = *state;
	struct guest *g = &f->m.guest[0];
	struct monitor_guest_boot boot = { .reset_port = 0x604, .reset_value = 0x55 };
	uint32_t v;

	/* Without a boot description (or a reset port) the port is nobody's. */
	assert_int_equal(out8(f, 0x604, 0x55), VIO_UNHANDLED);
	g->boot = &boot;
	assert_int_equal(out8(f, 0x604, 0x55), VIO_RESET);
	assert_string_equal(g->reset_why, "reset request (0x55 to port 0x604)");
	/* Another value is accepted and dropped; reads and wider writes are not ours. */
	g->reset_why[0] = '\0';
	assert_int_equal(out8(f, 0x604, 0x54), VIO_DONE);
	assert_string_equal(g->reset_why, "");
	assert_int_equal(in8(f, 0x604, &v), VIO_UNHANDLED);
	v = 0x55;
	assert_int_equal(vio_port(&f->m, g, 0x604, false, 2, &v), VIO_UNHANDLED);
	/* The other platform ports keep their meaning. */
	assert_int_equal(out8(f, 0xcf9, 0x06), VIO_RESET);
	assert_string_equal(g->reset_why, "reset request (0x6 to port 0xcf9)");
	assert_int_equal(in8(f, 0x42, &v), VIO_DONE);
	assert_int_equal(v, 0);

	/* A FADT reset register at 0xcf9 is 0xcf9's own rule: bit 2, stored otherwise. */
	boot.reset_port = 0xcf9;
	boot.reset_value = 0x06;
	assert_int_equal(out8(f, 0xcf9, 0x04), VIO_RESET);
	assert_int_equal(out8(f, 0xcf9, 0x02), VIO_DONE);
	assert_int_equal(in8(f, 0xcf9, &v), VIO_DONE);
	assert_int_equal(v, 0x02);
	assert_int_equal(out8(f, 0x604, 0x55), VIO_UNHANDLED);
	g->boot = NULL;
}

static void test_vio_cmos(void **state)
{
	struct fake *f = *state;
	struct guest *g = &f->m.guest[0];
	uint32_t v;

	/* RAM byte 0x40 through the index and data ports. */
	assert_int_equal(out8(f, 0x70, 0x40), VIO_DONE);
	assert_int_equal(g->cmos.index, 0x40);
	assert_int_equal(out8(f, 0x71, 0x5a), VIO_DONE);
	assert_int_equal(g->cmos.ram[0x40], 0x5a);
	assert_int_equal(in8(f, 0x71, &v), VIO_DONE);
	assert_int_equal(v, 0x5a);
	/* The clock: 2021 in BCD. */
	assert_int_equal(out8(f, 0x70, VCMOS_YEAR), VIO_DONE);
	assert_int_equal(in8(f, 0x71, &v), VIO_DONE);
	assert_int_equal(v, 0x21);

	/* A guest that owns the RTC: the ports are not the platform's, nothing is touched. */
	g->owns_rtc = true;
	assert_int_equal(out8(f, 0x70, 0x41), VIO_UNHANDLED);
	assert_int_equal(out8(f, 0x71, 0x77), VIO_UNHANDLED);
	assert_int_equal(in8(f, 0x71, &v), VIO_UNHANDLED);
	assert_int_equal(g->cmos.index, VCMOS_YEAR);
	assert_int_equal(g->cmos.ram[0x41], 0);
	assert_int_equal(g->cmos.ram[0x40], 0x5a);
}

/* ---- through io_emulate ------------------------------------------------------------------ */

static struct io_cpu cpu_for(struct fake *f)
{
	return (struct io_cpu){ .regs = &f->m.guest[0].vcpu[0].regs, .default_addr_size = 8 };
}

static void test_io_emulate_platform_ports(void **state)
{
	struct fake *f = *state;
	struct guest *g = &f->m.guest[0];
	struct io_cpu cpu = cpu_for(f);
	struct io_access in42 = { .port = 0x42, .size = 1, .in = true };
	struct io_access in61w = { .port = 0x61, .size = 2, .in = true };
	struct io_access outcf9 = { .port = 0xcf9, .size = 1 };
	struct io_access in40 = { .port = 0x40, .size = 1, .in = true };

	/* IN AL, 0x42: AL = 0, the rest of RAX kept, no "unassigned" line. */
	g->vcpu[0].regs.rax = 0x1122334455667788ULL;
	assert_int_equal(io_emulate(&f->m, g, &in42, &cpu), IO_DONE);
	assert_int_equal(g->vcpu[0].regs.rax, 0x1122334455667700ULL);
	assert_int_equal(fake_log_find(f, "unassigned"), -1);
	assert_int_equal(f->nlog, 0);

	/* Port B as a word: merges into AX. */
	g->port61 = 0x03;
	g->vcpu[0].regs.rax = 0xffffffffffffffffULL;
	assert_int_equal(io_emulate(&f->m, g, &in61w, &cpu), IO_DONE);
	assert_int_equal(g->vcpu[0].regs.rax, 0xffffffffffff0003ULL);

	/* OUT 0xcf9, AL = 6: a reset request. */
	g->vcpu[0].regs.rax = 0xabcdef06;
	assert_int_equal(io_emulate(&f->m, g, &outcf9, &cpu), IO_RESET);
	assert_string_equal(g->reset_why, "reset request (0x6 to port 0xcf9)");
	assert_int_equal(g->vcpu[0].regs.rax, 0xabcdef06);
	/* AL = 2: stored, done. */
	g->vcpu[0].regs.rax = 0x02;
	assert_int_equal(io_emulate(&f->m, g, &outcf9, &cpu), IO_DONE);
	assert_int_equal(g->cf9, 0x02);
	assert_int_equal(f->nlog, 0);

	/* Channel 0 is still an unassigned port: ones, logged once. */
	g->vcpu[0].regs.rax = 0;
	assert_int_equal(io_emulate(&f->m, g, &in40, &cpu), IO_DONE);
	assert_int_equal(g->vcpu[0].regs.rax, 0xff);
	assert_true(fake_log_find(f, "in from unassigned port 0x40") >= 0);
}

/* ---- reset requests ---------------------------------------------------------------------- */

static struct monitor_guest_boot boot_with(uint8_t policy, size_t nr_segs)
{
	return (struct monitor_guest_boot){ .on_reset = policy, .nr_segs = nr_segs };
}

static void test_reset_restart(void **state)
{
	struct fake *f = *state;
	struct guest *g = &f->m.guest[0];
	struct monitor_guest_boot boot = boot_with(MONITOR_RESET_RESTART, 2);

	assert_int_equal(sched_add(&f->m.cpu[0].sched, 0, 1000), 0);
	g->boot = &boot;
	f->m.restart = restart_ok;
	/* Console text not yet ended by a newline goes out before the restart line. */
	memcpy(g->con, "half a line", 11);
	g->con_len = 11;
	assert_int_equal(monitor_guest_reset(&f->m, g, true, "reset request (0x6 to port 0xcf9)"),
			 EXIT_YIELD);
	assert_true(g->restart_pending);
	assert_false(g->stopped);
	assert_false(f->m.cpu[0].sched.e[0].stopped);
	/* The loop restarts it, not the handler. */
	assert_int_equal(restarts, 0);
	assert_int_equal(g->con_len, 0);
	assert_true(fake_log_find(f, "guest a: half a line") >= 0);
	assert_true(fake_log_find(f, "monitor: guest a: reset request (0x6 to port 0xcf9): "
				     "restarting it") >= 0);
	assert_int_equal(fake_log_find(f, "stopped"), -1);

	/* A triple fault restarts it too (can_ignore is about the ignore policy only). */
	g->restart_pending = false;
	assert_int_equal(monitor_guest_reset(&f->m, g, false, "shutdown (triple fault)"),
			 EXIT_YIELD);
	assert_true(g->restart_pending);
}

/* Five restarts within the window are fine; the sixth stops it (a restart loop). */
static void test_reset_restart_loop_stops(void **state)
{
	struct fake *f = *state;
	struct guest *g = &f->m.guest[0];
	struct monitor_guest_boot boot = boot_with(MONITOR_RESET_RESTART, 2);
	const uint64_t second = f->m.tsc_khz * 1000;

	assert_int_equal(sched_add(&f->m.cpu[0].sched, 0, 1000), 0);
	g->boot = &boot;
	f->m.restart = restart_ok;
	f->now = 100 * second;
	for (int i = 0; i < MONITOR_RESTART_BURST; i++) {
		g->restart_pending = false;
		assert_int_equal(monitor_guest_reset(&f->m, g, false, "shutdown (triple fault)"),
				 EXIT_YIELD);
		f->now += second;
	}
	/* After a quiet window the count starts again. */
	f->now += MONITOR_RESTART_WINDOW_MS / 1000 * second;
	g->restart_pending = false;
	assert_int_equal(monitor_guest_reset(&f->m, g, false, "shutdown (triple fault)"), EXIT_YIELD);
	for (int i = 1; i < MONITOR_RESTART_BURST; i++) {
		g->restart_pending = false;
		assert_int_equal(monitor_guest_reset(&f->m, g, false, "shutdown (triple fault)"),
				 EXIT_YIELD);
	}
	g->restart_pending = false;
	assert_int_equal(monitor_guest_reset(&f->m, g, false, "shutdown (triple fault)"), EXIT_STOP);
	assert_true(g->stopped);
	assert_false(g->restart_pending);
	assert_true(fake_log_find(f, "monitor: guest a: 6 resets within 10000 ms: not restarting "
				     "it again") >= 0);
	assert_true(fake_log_find(f, "monitor: guest a stopped: shutdown (triple fault)") >= 0);
}

/* The guest's unfinished console line goes out before the monitor's restart line. */
static void test_reset_restart_flushes_console_first(void **state)
{
	struct fake *f = *state;
	struct guest *g = &f->m.guest[0];
	struct monitor_guest_boot boot = boot_with(MONITOR_RESET_RESTART, 2);
	int said, restarting;

	assert_int_equal(sched_add(&f->m.cpu[0].sched, 0, 1000), 0);
	g->boot = &boot;
	f->m.restart = restart_ok;
	memcpy(g->con, "last words", 10);
	g->con_len = 10;
	assert_int_equal(monitor_guest_reset(&f->m, g, true, "reset request"), EXIT_YIELD);
	said = fake_log_find(f, "guest a: last words");
	restarting = fake_log_find(f, "monitor: guest a: reset request: restarting it");
	assert_true(said >= 0);
	assert_true(restarting >= 0);
	assert_true(said < restarting);
}

static void test_reset_restart_impossible_stops(void **state)
{
	struct fake *f = *state;
	struct guest *g = &f->m.guest[0];
	struct monitor_guest_boot boot = boot_with(MONITOR_RESET_RESTART, 0);

	assert_int_equal(sched_add(&f->m.cpu[0].sched, 0, 1000), 0);
	/* No segments to restart from. */
	g->boot = &boot;
	f->m.restart = restart_ok;
	assert_int_equal(monitor_guest_reset(&f->m, g, true, "why one"), EXIT_STOP);
	assert_false(g->restart_pending);
	assert_true(g->stopped);
	assert_true(f->m.cpu[0].sched.e[0].stopped);
	assert_true(fake_log_find(f, "monitor: guest a stopped: why one") >= 0);
	assert_int_equal(fake_log_find(f, "restarting"), -1);
}

static void test_reset_restart_without_restarter_stops(void **state)
{
	struct fake *f = *state;
	struct guest *g = &f->m.guest[0];
	struct monitor_guest_boot boot = boot_with(MONITOR_RESET_RESTART, 1);

	assert_int_equal(sched_add(&f->m.cpu[0].sched, 0, 1000), 0);
	g->boot = &boot;
	f->m.restart = NULL;
	assert_int_equal(monitor_guest_reset(&f->m, g, true, "why two"), EXIT_STOP);
	assert_false(g->restart_pending);
	assert_true(g->stopped);
	assert_true(fake_log_find(f, "monitor: guest a stopped: why two") >= 0);
}

static void test_reset_without_boot_stops(void **state)
{
	struct fake *f = *state;
	struct guest *g = &f->m.guest[0];

	assert_int_equal(sched_add(&f->m.cpu[0].sched, 0, 1000), 0);
	f->m.restart = restart_ok;
	g->boot = NULL;
	assert_int_equal(monitor_guest_reset(&f->m, g, true, "why three"), EXIT_STOP);
	assert_false(g->restart_pending);
	assert_true(g->stopped);
	assert_true(fake_log_find(f, "monitor: guest a stopped: why three") >= 0);
}

static void test_reset_ignore(void **state)
{
	struct fake *f = *state;
	struct guest *g = &f->m.guest[0];
	struct monitor_guest_boot boot = boot_with(MONITOR_RESET_IGNORE, 1);

	assert_int_equal(sched_add(&f->m.cpu[0].sched, 0, 1000), 0);
	g->boot = &boot;
	f->m.restart = restart_ok;
	assert_int_equal(monitor_guest_reset(&f->m, g, true, "reset request (0xfe to port 0x64)"),
			 EXIT_RESUME);
	assert_false(g->restart_pending);
	assert_false(g->stopped);
	assert_true(fake_log_find(f, "monitor: guest a: reset request (0xfe to port 0x64) "
				     "ignored (on-reset = ignore)") >= 0);
	/* What cannot be ignored (a triple fault) stops it, and is not said to be ignored. */
	f->nlog = 0;
	assert_int_equal(monitor_guest_reset(&f->m, g, false, "shutdown (triple fault)"),
			 EXIT_STOP);
	assert_true(g->stopped);
	assert_false(g->restart_pending);
	assert_int_equal(fake_log_find(f, "ignored"), -1);
	assert_true(fake_log_find(f, "monitor: guest a stopped: shutdown (triple fault)") >= 0);
	assert_int_equal(restarts, 0);
}

static void test_reset_stop(void **state)
{
	struct fake *f = *state;
	struct guest *g = &f->m.guest[0];
	struct monitor_guest_boot boot = boot_with(MONITOR_RESET_STOP, 3);

	assert_int_equal(sched_add(&f->m.cpu[0].sched, 0, 1000), 0);
	g->boot = &boot;
	f->m.restart = restart_ok;
	assert_int_equal(monitor_guest_reset(&f->m, g, true, "reset request (0x1 to port 0x92)"),
			 EXIT_STOP);
	assert_true(g->stopped);
	assert_false(g->restart_pending);
	assert_true(f->m.cpu[0].sched.e[0].stopped);
	assert_true(fake_log_find(f, "monitor: guest a stopped: reset request (0x1 to port 0x92)") >=
		    0);
	assert_int_equal(fake_log_find(f, "ignored"), -1);
	assert_int_equal(fake_log_find(f, "restarting"), -1);
}

/* ---- the IOIO and shutdown exits --------------------------------------------------------- */

static void vmcb_setup(struct fake *f)
{
	struct gboot_layout l = { .gdt_base = FAKE_RAM_BASE, .gdt_limit = 31,
				  .cr3 = FAKE_RAM_BASE + 0x1000 };
	struct vcpu_start st;

	gboot_start_state(&l, RIP0, 0x40002000, &st);
	st.npt_root = 0x20000000;
	st.iopm_pa = 0x20010000;
	assert_int_equal(svm_vmcb_init(f->vcpu->vmcb, 1, 0x20020000, &st), 0);
	assert_int_equal(sched_add(&f->m.cpu[0].sched, 0, 1000), 0);
}

static enum exit_action run_exit(struct fake *f, uint64_t code, uint64_t info1, uint64_t info2)
{
	struct vmcb *v = f->vcpu->vmcb;

	v->control.exit_code = code;
	v->control.exit_info1 = info1;
	v->control.exit_info2 = info2;
	v->control.exit_int_info = 0;
	v->control.event_inj = 0;
	return svm_exit_dispatch(&f->m, &f->m.guest[0].vcpu[0]);
}

static void test_exit_ioio_reset_restarts(void **state)
{
	struct fake *f = *state;
	struct guest *g = &f->m.guest[0];
	struct monitor_guest_boot boot = boot_with(MONITOR_RESET_RESTART, 1);
	struct vmcb *v = f->vcpu->vmcb;

	vmcb_setup(f);
	g->boot = &boot;
	f->m.restart = restart_ok;
	/* OUT DX, AL with DX = 0xcf9, AL = 6 (EXITINFO2: the next RIP). */
	v->save.rax = 0x06;
	assert_int_equal(run_exit(f, SVM_EXIT_IOIO, SVM_IOIO_SZ8 | 0xcf9ULL << 16, RIP0 + 1),
			 EXIT_YIELD);
	assert_int_equal(v->save.rip, RIP0 + 1);
	assert_true(g->restart_pending);
	assert_true(fake_log_find(f, "monitor: guest a: reset request (0x6 to port 0xcf9): "
				     "restarting it") >= 0);
	/* IN AL, 0x42 through the exit: AL = 0. */
	v->save.rax = 0x1234;
	assert_int_equal(run_exit(f, SVM_EXIT_IOIO,
				  SVM_IOIO_IN | SVM_IOIO_SZ8 | 0x42ULL << 16, RIP0 + 3),
			 EXIT_RESUME);
	assert_int_equal(v->save.rax, 0x1200);
	assert_int_equal(v->save.rip, RIP0 + 3);
	assert_int_equal(fake_log_find(f, "unassigned"), -1);
}

static void test_exit_ioio_reset_ignored(void **state)
{
	struct fake *f = *state;
	struct guest *g = &f->m.guest[0];
	struct monitor_guest_boot boot = boot_with(MONITOR_RESET_IGNORE, 1);
	struct vmcb *v = f->vcpu->vmcb;

	vmcb_setup(f);
	g->boot = &boot;
	v->save.rax = 0xfe;
	assert_int_equal(run_exit(f, SVM_EXIT_IOIO, SVM_IOIO_SZ8 | 0x64ULL << 16, RIP0 + 2),
			 EXIT_RESUME);
	assert_int_equal(v->save.rip, RIP0 + 2);
	assert_false(g->stopped);
	assert_true(fake_log_find(f, "ignored (on-reset = ignore)") >= 0);
}

static void test_exit_shutdown_restarts_or_stops(void **state)
{
	struct fake *f = *state;
	struct guest *g = &f->m.guest[0];
	struct monitor_guest_boot boot = boot_with(MONITOR_RESET_RESTART, 1);

	vmcb_setup(f);
	g->boot = &boot;
	f->m.restart = restart_ok;
	assert_int_equal(run_exit(f, SVM_EXIT_SHUTDOWN, 0, 0), EXIT_YIELD);
	assert_true(g->restart_pending);
	assert_true(fake_log_find(f, "shutdown (triple fault) at rip 0x40001000: restarting it") >=
		    0);
	/* With on-reset = ignore a triple fault still stops the guest. */
	g->restart_pending = false;
	boot.on_reset = MONITOR_RESET_IGNORE;
	assert_int_equal(run_exit(f, SVM_EXIT_SHUTDOWN, 0, 0), EXIT_STOP);
	assert_true(g->stopped);
	assert_true(fake_log_find(f, "monitor: guest a stopped: shutdown (triple fault) at rip "
				     "0x40001000") >= 0);
}

/* The 8042's owner reaches the controller through the always-trapped command port; the
 * pulse-reset command stays a reset request, and a guest that does not own it reads ones. */
static void test_vio_kbc_owner_passes_through(void **state)
{
	struct fake *f = fake_new();
	struct guest *g = &f->m.guest[0];
	struct monitor_guest_boot boot = { .owns_kbc = true };
	uint32_t v = 0xab;

	g->boot = &boot;
	assert_int_equal(vio_port(&f->m, g, 0x64, false, 1, &v), VIO_DONE);
	assert_int_equal(f->port_io_count, 1);
	assert_int_equal(f->port_io_port, 0x64);
	assert_false(f->port_io_in);
	assert_int_equal(f->port_io_written, 0xab);
	f->port_io_value = 0x1c;
	v = 0;
	assert_int_equal(vio_port(&f->m, g, 0x64, true, 1, &v), VIO_DONE);
	assert_int_equal(v, 0x1c);
	assert_int_equal(f->port_io_count, 2);
	v = 0xfe;
	assert_int_equal(vio_port(&f->m, g, 0x64, false, 1, &v), VIO_RESET);
	assert_int_equal(f->port_io_count, 2);
	/* Any pulse command with the reset line's bit clear is a reset; others pass. */
	v = 0xf0;
	assert_int_equal(vio_port(&f->m, g, 0x64, false, 1, &v), VIO_RESET);
	v = 0xff;
	assert_int_equal(vio_port(&f->m, g, 0x64, false, 1, &v), VIO_DONE);
	assert_int_equal(f->port_io_count, 3);
	/* Writing the output port (and A20) could drive reset: dropped, logged. */
	for (unsigned c = 0; c < 3; c++) {
		v = (uint32_t[]){ 0xd1, 0xdd, 0xdf }[c];
		assert_int_equal(vio_port(&f->m, g, 0x64, false, 1, &v), VIO_DONE);
	}
	assert_int_equal(f->port_io_count, 3);
	assert_true(fake_log_find(f, "8042 command 0xd1 dropped") >= 0);
	boot.owns_kbc = false;
	v = 0xab;
	assert_int_equal(vio_port(&f->m, g, 0x64, false, 1, &v), VIO_UNHANDLED);
	assert_int_equal(f->port_io_count, 3);
	fake_free(f);
}

/* Whether a write reached the data ports since the log was last cleared. */
static bool wrote_data(const struct fake *f)
{
	for (unsigned i = 0; i < f->port_io_log_n; i++)
		if (!f->port_io_log[i].in && f->port_io_log[i].port >= 0xcfc)
			return true;
	return false;
}

static enum vio_result pci_io(struct fake *f, uint16_t port, bool in, uint8_t size,
			      uint32_t *v)
{
	return vio_port(&f->m, &f->m.guest[0], port, in, size, v);
}

/* 0xcf8/0xcfc: the guest's own function reaches the hardware, every other one is absent, and
 * a BAR can be sized and restored but not moved. */
static void test_vio_pci_config(void **state)
{
	struct fake *f = fake_new();
	struct guest *g = &f->m.guest[0];
	static struct pci_filter pf;
	struct monitor_guest_boot boot = { .pci = &pf };
	const uint32_t own = PCI_CF8_ENABLE | 3u << 11, other = PCI_CF8_ENABLE | 4u << 11;
	uint32_t v;

	pci_filter_init(&pf, 'a', 0, 0);
	pci_filter_own(&pf, PARTITION_BDF(0, 3, 0));
	/* The boot scan's firmware values; the fake answers every register alike. */
	pf.nr_fn = 1;
	pf.fn[0] = (struct partition_pci_fn){ .bdf = PARTITION_BDF(0, 3, 0), .rom = 0xc0001000 };
	for (unsigned i = 0; i < 6; i++)
		pf.fn[0].bar[i] = 0xc0001000;
	g->boot = &boot;
	/* The address is the guest's own latch, never the hardware's. */
	v = own;
	assert_int_equal(pci_io(f, 0xcf8, false, 4, &v), VIO_DONE);
	assert_int_equal(g->cf8, own);
	assert_int_equal(f->port_io_count, 0);
	v = 0;
	assert_int_equal(pci_io(f, 0xcf8, true, 4, &v), VIO_DONE);
	assert_int_equal(v, own);
	/* Its function: the real 0xcf8 is set, then the data port read. */
	f->port_io_value = 0x00051b36;
	v = 0;
	assert_int_equal(pci_io(f, 0xcfc, true, 4, &v), VIO_DONE);
	assert_int_equal(v, 0x00051b36);
	assert_int_equal(f->port_io_log_n, 2);
	assert_int_equal(f->port_io_log[0].port, 0xcf8);
	assert_false(f->port_io_log[0].in);
	assert_int_equal(f->port_io_log[0].value, own);
	assert_int_equal(f->port_io_log[1].port, 0xcfc);
	assert_true(f->port_io_log[1].in);
	/* A 16-bit read at offset 2 goes to 0xcfe. */
	assert_int_equal(pci_io(f, 0xcfe, true, 2, &v), VIO_DONE);
	assert_int_equal(f->port_io_log[3].port, 0xcfe);
	assert_int_equal(f->port_io_log[3].size, 2);
	/* Another function: all ones, nothing on the hardware, logged once. */
	f->port_io_log_n = 0;
	v = other;
	assert_int_equal(pci_io(f, 0xcf8, false, 4, &v), VIO_DONE);
	assert_int_equal(pci_io(f, 0xcfc, true, 4, &v), VIO_DONE);
	assert_int_equal(v, 0xffffffffu);
	v = 0;
	assert_int_equal(pci_io(f, 0xcfd, true, 1, &v), VIO_DONE);
	assert_int_equal(v, 0xff);
	assert_int_equal(f->port_io_log_n, 0);
	assert_true(fake_log_find(f, "hidden (not assigned)") >= 0);
	/* BAR0 of its function: sizing and restoring the boot scan's value pass (the fake
	 * answers every read with port_io_value: as a command register, 0xc0001000 has
	 * decoding off). */
	v = own | 0x10;
	assert_int_equal(pci_io(f, 0xcf8, false, 4, &v), VIO_DONE);
	f->port_io_value = 0xc0001000;
	v = 0xffffffffu;
	assert_int_equal(pci_io(f, 0xcfc, false, 4, &v), VIO_DONE);
	assert_false(f->port_io_in);
	assert_int_equal(f->port_io_port, 0xcfc);
	assert_int_equal(f->port_io_written, 0xffffffffu);
	v = 0xc0001000;
	assert_int_equal(pci_io(f, 0xcfc, false, 4, &v), VIO_DONE);
	assert_int_equal(f->port_io_written, 0xc0001000);
	/* Moving it is refused: nothing is written. */
	f->port_io_log_n = 0;
	v = 0x20000000;
	assert_int_equal(pci_io(f, 0xcfc, false, 4, &v), VIO_DONE);
	assert_false(wrote_data(f));
	assert_true(fake_log_find(f, "write 0x20000000 to BAR at 0x10 dropped") >= 0);
	/* Part of a BAR, at any width below a dword: refused before the value is looked at. */
	f->port_io_log_n = 0;
	v = 0xc000;
	assert_int_equal(pci_io(f, 0xcfe, false, 2, &v), VIO_DONE);
	v = 0x10;
	assert_int_equal(pci_io(f, 0xcfc, false, 1, &v), VIO_DONE);
	assert_false(wrote_data(f));
	/* Sizing while the function decodes would move the BAR live: refused. */
	f->port_io_value = 0xc0001003;
	f->port_io_log_n = 0;
	v = 0xffffffffu;
	assert_int_equal(pci_io(f, 0xcfc, false, 4, &v), VIO_DONE);
	assert_false(wrote_data(f));
	/* Decoding on while a BAR is left sized: the decode bits are kept off. */
	f->port_io_value = 0xfffff000;
	v = own | 0x04;
	assert_int_equal(pci_io(f, 0xcf8, false, 4, &v), VIO_DONE);
	v = 0x0007;
	assert_int_equal(pci_io(f, 0xcfc, false, 4, &v), VIO_DONE);
	assert_int_equal(f->port_io_written, 0x0004);
	assert_true(fake_log_find(f, "decoding stays off while the BAR at 0x10 is not restored") >=
		    0);
	/* A byte write reaches the decode bits too: the same check. */
	v = 0x07;
	assert_int_equal(pci_io(f, 0xcfc, false, 1, &v), VIO_DONE);
	assert_int_equal(f->port_io_size, 1);
	assert_int_equal(f->port_io_written, 0x04);
	/* Restored: decoding goes on. */
	f->port_io_value = 0xc0001000;
	v = 0x0007;
	assert_int_equal(pci_io(f, 0xcfc, false, 4, &v), VIO_DONE);
	assert_int_equal(f->port_io_written, 0x0007);
	/* 0xcf9 stays the reset control register. */
	v = 0x06;
	assert_int_equal(pci_io(f, 0xcf9, false, 1, &v), VIO_RESET);
	fake_free(f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_vio_pci_config),
		cmocka_unit_test_setup_teardown(test_reset_restart_loop_stops, setup, teardown),
		cmocka_unit_test(test_vio_kbc_owner_passes_through),
		cmocka_unit_test_setup_teardown(test_vio_pit, setup, teardown),
		cmocka_unit_test_setup_teardown(test_vio_port_b, setup, teardown),
		cmocka_unit_test_setup_teardown(test_vio_cf9, setup, teardown),
		cmocka_unit_test_setup_teardown(test_vio_kbc_and_port92, setup, teardown),
		cmocka_unit_test_setup_teardown(test_vio_fadt_reset_port, setup, teardown),
		cmocka_unit_test_setup_teardown(test_vio_cmos, setup, teardown),
		cmocka_unit_test_setup_teardown(test_io_emulate_platform_ports, setup, teardown),
		cmocka_unit_test_setup_teardown(test_reset_restart, setup, teardown),
		cmocka_unit_test_setup_teardown(test_reset_restart_flushes_console_first, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_reset_restart_impossible_stops, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_reset_restart_without_restarter_stops, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_reset_without_boot_stops, setup, teardown),
		cmocka_unit_test_setup_teardown(test_reset_ignore, setup, teardown),
		cmocka_unit_test_setup_teardown(test_reset_stop, setup, teardown),
		cmocka_unit_test_setup_teardown(test_exit_ioio_reset_restarts, setup, teardown),
		cmocka_unit_test_setup_teardown(test_exit_ioio_reset_ignored, setup, teardown),
		cmocka_unit_test_setup_teardown(test_exit_shutdown_restarts_or_stops, setup,
						teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
