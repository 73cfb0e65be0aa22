// SPDX-License-Identifier: GPL-2.0-only
/* Port I/O exits: EXITINFO1 decoding, unassigned ports, string forms, logging once. */
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

#define BUF 0x40010000ULL	/* in guest a's RAM, identity mapped by the boot tables */

static int setup(void **state)
{
	struct fake *f = fake_new();
	struct gboot_layout l;

	if (!f)
		return -1;
	/* Boot tables in the first pages of the guest's RAM: INS walks them. */
	if (gboot_build(f->ram, FAKE_RAM_BASE, 3, &f->ram_range, 1, &l))
		return -1;
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	fake_free(*state);
	return 0;
}

static struct io_cpu cpu_for(struct fake *f, uint64_t rflags)
{
	return (struct io_cpu){
		.regs = &f->m.guest[0].vcpu[0].regs,
		.rflags = rflags,
		.default_addr_size = 8,
		.paging = { CR0_PG | CR0_PE | CR0_WP, FAKE_RAM_BASE + 0x1000, CR4_PAE,
			    EFER_LME | EFER_LMA, 0 },
	};
}

static void test_io_decode(void **state)
{
	struct io_access a;

	assert_int_equal(io_decode_svm(SVM_IOIO_IN | SVM_IOIO_SZ16 | 0x3f8ULL << 16, &a), 0);
	assert_int_equal(a.port, 0x3f8);
	assert_int_equal(a.size, 2);
	assert_true(a.in);
	assert_false(a.string);
	assert_false(a.rep);
	assert_int_equal(a.addr_size, 0);
	assert_int_equal(io_decode_svm(SVM_IOIO_STR | SVM_IOIO_REP | SVM_IOIO_SZ32 |
					       SVM_IOIO_A32 | 0xffffULL << 16,
				       &a),
			 0);
	assert_int_equal(a.port, 0xffff);
	assert_int_equal(a.size, 4);
	assert_false(a.in);
	assert_true(a.string);
	assert_true(a.rep);
	assert_int_equal(a.addr_size, 4);
	assert_int_equal(io_decode_svm(SVM_IOIO_SZ8 | SVM_IOIO_A64, &a), 0);
	assert_int_equal(a.addr_size, 8);
	/* No size, two sizes, two address sizes: not something a CPU reports. */
	assert_int_equal(io_decode_svm(0x80ULL << 16, &a), -EINVAL);
	assert_int_equal(io_decode_svm(SVM_IOIO_SZ8 | SVM_IOIO_SZ16, &a), -EINVAL);
	assert_int_equal(io_decode_svm(SVM_IOIO_SZ8 | SVM_IOIO_A16 | SVM_IOIO_A64, &a), -EINVAL);
}

static void test_io_in_reads_ones(void **state)
{
	struct fake *f = *state;
	struct guest *g = &f->m.guest[0];
	struct io_cpu cpu = cpu_for(f, 2);
	struct io_access a = { .port = 0x1f0, .size = 1, .in = true };

	g->vcpu[0].regs.rax = 0x1111222233334444ULL;
	assert_int_equal(io_emulate(&f->m, g, &a, &cpu), IO_DONE);
	assert_int_equal(g->vcpu[0].regs.rax, 0x11112222333344ffULL);
	a.size = 2;
	assert_int_equal(io_emulate(&f->m, g, &a, &cpu), IO_DONE);
	assert_int_equal(g->vcpu[0].regs.rax, 0x111122223333ffffULL);
	/* A 32-bit IN clears the upper half, as any 32-bit register write. */
	a.size = 4;
	assert_int_equal(io_emulate(&f->m, g, &a, &cpu), IO_DONE);
	assert_int_equal(g->vcpu[0].regs.rax, 0xffffffffULL);
	/* Logged once per port, whatever the sizes. */
	assert_int_equal(f->nlog, 1);
	assert_string_equal(f->log[0], "monitor: guest a: in from unassigned port 0x1f0 (1 bytes): "
				       "reads as ones");
}

static void test_io_out_dropped_logged_once_per_port(void **state)
{
	struct fake *f = *state;
	struct guest *g = &f->m.guest[0];
	struct io_cpu cpu = cpu_for(f, 2);
	struct io_access a = { .port = 0x80, .size = 1 };

	g->vcpu[0].regs.rax = 0xabcd;
	assert_int_equal(io_emulate(&f->m, g, &a, &cpu), IO_DONE);
	assert_int_equal(io_emulate(&f->m, g, &a, &cpu), IO_DONE);
	assert_int_equal(g->vcpu[0].regs.rax, 0xabcd);
	a.port = 0x81;
	assert_int_equal(io_emulate(&f->m, g, &a, &cpu), IO_DONE);
	assert_int_equal(f->nlog, 2);
	assert_string_equal(f->log[0], "monitor: guest a: out to unassigned port 0x80 (1 bytes, "
				       "value 0xcd): dropped");
	assert_true(fake_log_find(f, "port 0x81") == 1);
	/* The other guest has its own once-only record. */
	assert_false(f->m.guest[1].io_logged[0x80 / 8]);
}

static void test_io_outs_rep_advances_rsi(void **state)
{
	struct fake *f = *state;
	struct guest *g = &f->m.guest[0];
	struct io_cpu cpu = cpu_for(f, 2);
	struct io_access a = { .port = 0x3f8, .size = 2, .string = true, .rep = true };

	g->vcpu[0].regs.rsi = 0x1000;
	g->vcpu[0].regs.rcx = 10;
	assert_int_equal(io_emulate(&f->m, g, &a, &cpu), IO_DONE);
	assert_int_equal(g->vcpu[0].regs.rsi, 0x1000 + 20);
	assert_int_equal(g->vcpu[0].regs.rcx, 0);
	/* Backwards with DF, one element without REP (rCX untouched). */
	cpu.rflags |= RFLAGS_DF;
	a.rep = false;
	g->vcpu[0].regs.rcx = 7;
	assert_int_equal(io_emulate(&f->m, g, &a, &cpu), IO_DONE);
	assert_int_equal(g->vcpu[0].regs.rsi, 0x1000 + 18);
	assert_int_equal(g->vcpu[0].regs.rcx, 7);
	assert_true(fake_log_find(f, "out to unassigned port 0x3f8 (2 bytes x 10, string): "
				     "dropped") >= 0);
}

static void test_io_address_size_masks(void **state)
{
	struct fake *f = *state;
	struct guest *g = &f->m.guest[0];
	struct io_cpu cpu = cpu_for(f, 2);
	struct io_access a = { .port = 0x60, .size = 1, .string = true, .rep = true,
			       .addr_size = 4 };

	/* 32-bit addressing: ECX counts, ESI wraps, the upper halves stay. */
	g->vcpu[0].regs.rsi = 0xaaaaaaaafffffffeULL;
	g->vcpu[0].regs.rcx = 0x5555555500000004ULL;
	assert_int_equal(io_emulate(&f->m, g, &a, &cpu), IO_DONE);
	assert_int_equal(g->vcpu[0].regs.rsi, 0xaaaaaaaa00000002ULL);
	assert_int_equal(g->vcpu[0].regs.rcx, 0x5555555500000000ULL);
}

static void test_io_ins_stores_ones(void **state)
{
	struct fake *f = *state;
	struct guest *g = &f->m.guest[0];
	struct io_cpu cpu = cpu_for(f, 2);
	struct io_access a = { .port = 0x71, .size = 4, .in = true, .string = true, .rep = true };
	uint8_t *buf = f->ram + (BUF - FAKE_RAM_BASE);

	/* Across a page boundary, through the guest's page tables. */
	g->vcpu[0].regs.rdi = BUF + 0xff8;
	g->vcpu[0].regs.rcx = 4;
	assert_int_equal(io_emulate(&f->m, g, &a, &cpu), IO_DONE);
	for (int i = 0; i < 16; i++)
		assert_int_equal(buf[0xff8 + i], 0xff);
	assert_int_equal(buf[0xff7], 0);
	assert_int_equal(buf[0x1008], 0);
	assert_int_equal(g->vcpu[0].regs.rdi, BUF + 0x1008);
	assert_int_equal(g->vcpu[0].regs.rcx, 0);
	/* Backwards: the element at rdi, then the ones below it. */
	cpu.rflags |= RFLAGS_DF;
	a.size = 1;
	g->vcpu[0].regs.rdi = BUF + 0x20;
	g->vcpu[0].regs.rcx = 3;
	assert_int_equal(io_emulate(&f->m, g, &a, &cpu), IO_DONE);
	assert_int_equal(buf[0x1e] & buf[0x1f] & buf[0x20], 0xff);
	assert_int_equal(buf[0x1d] | buf[0x21], 0);
	assert_int_equal(g->vcpu[0].regs.rdi, BUF + 0x1d);
}

static void test_io_ins_outside_ram_stops(void **state)
{
	struct fake *f = *state;
	struct guest *g = &f->m.guest[0];
	struct io_cpu cpu = cpu_for(f, 2);
	struct io_access a = { .port = 0x71, .size = 1, .in = true, .string = true };

	/* Identity-mapped by the guest's tables, but not the guest's RAM. */
	g->vcpu[0].regs.rdi = 0x2000;
	assert_int_equal(io_emulate(&f->m, g, &a, &cpu), IO_FAULT);
	assert_true(g->stopped);
	assert_true(fake_log_find(f, "stopped: string input from port 0x71 to memory it cannot "
				     "write (rdi 0x2000)") >= 0);
}

static void test_io_long_rep_in_chunks(void **state)
{
	struct fake *f = *state;
	struct guest *g = &f->m.guest[0];
	struct vmcb *v = f->vcpu->vmcb;
	uint64_t info = SVM_IOIO_STR | SVM_IOIO_REP | SVM_IOIO_SZ8 | 0x80ULL << 16;

	/* Through the dispatcher: a chunk per exit, RIP stays until the last one. */
	v->save.efer = EFER_LME | EFER_LMA | EFER_SVME;
	v->save.cs.attrib = 0xa9b;
	v->save.rip = 0x40005000;
	g->vcpu[0].regs.rcx = IO_REP_CHUNK + 5;
	g->vcpu[0].regs.rsi = 0;
	v->control.exit_code = SVM_EXIT_IOIO;
	v->control.exit_info1 = info;
	v->control.exit_info2 = 0x40005002;
	assert_int_equal(svm_exit_dispatch(&f->m, &g->vcpu[0]), EXIT_RESUME);
	assert_int_equal(g->vcpu[0].regs.rcx, 5);
	assert_int_equal(g->vcpu[0].regs.rsi, IO_REP_CHUNK);
	assert_int_equal(v->save.rip, 0x40005000);
	assert_int_equal(svm_exit_dispatch(&f->m, &g->vcpu[0]), EXIT_RESUME);
	assert_int_equal(g->vcpu[0].regs.rcx, 0);
	assert_int_equal(g->vcpu[0].regs.rsi, IO_REP_CHUNK + 5);
	assert_int_equal(v->save.rip, 0x40005002);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_io_decode),
		cmocka_unit_test_setup_teardown(test_io_in_reads_ones, setup, teardown),
		cmocka_unit_test_setup_teardown(test_io_out_dropped_logged_once_per_port, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_io_outs_rep_advances_rsi, setup, teardown),
		cmocka_unit_test_setup_teardown(test_io_address_size_masks, setup, teardown),
		cmocka_unit_test_setup_teardown(test_io_ins_stores_ones, setup, teardown),
		cmocka_unit_test_setup_teardown(test_io_ins_outside_ram_stops, setup, teardown),
		cmocka_unit_test_setup_teardown(test_io_long_rep_in_chunks, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
