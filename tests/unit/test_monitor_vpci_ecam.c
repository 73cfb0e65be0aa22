// SPDX-License-Identifier: GPL-2.0-only
/*
 * The guest's ECAM window (monitor/exit_npf.c -> monitor/vpci.c): a MOV there is decoded and
 * goes through the same filter and policing as 0xcf8/0xcfc, reaching the host's ECAM for its
 * own functions (extended registers included), the virtual host bridge at 00:00.0, and
 * nothing else. The host's ECAM is simulated in a MiB of the fake's memory.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "monitor/svm/svm.h"
#include "monitor/test_fake.h"
#include "monitor/vpci.h"
#include "partition/pci_filter.h"

#define CODE	0x40010000ULL
#define ECAM	0x40100000ULL	/* bus 0 of the simulated ECAM: 1 MiB of the fake's memory */
#define OWN	PARTITION_BDF(0, 3, 0)
#define OTHER	PARTITION_BDF(0, 4, 0)

static struct pci_filter pf;
static struct monitor_guest_boot boot = { .pci = &pf };

static int setup(void **state)
{
	struct fake *f = fake_new();

	if (!f || fake_long_mode(f, CODE))
		return -1;
	pci_filter_init(&pf, 'a', 0, 0);
	pci_filter_own(&pf, OWN);
	pf.host_bridge = true;
	/* The boot scan's facts: BAR0 where the firmware put it (the only value it may hold). */
	pf.nr_fn = 1;
	pf.fn[0] = (struct partition_pci_fn){ .bdf = OWN, .bar = { 0xfebf1000 } };
	f->m.guest[0].boot = &boot;
	f->m.ecam_base = ECAM;
	f->m.ecam_bus_start = 0;
	f->m.ecam_bus_end = 0;
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	fake_free(*state);
	return 0;
}

static uint8_t *cfg(struct fake *f, uint16_t bdf, uint16_t reg)
{
	uint8_t *p = fake_phys(f, ECAM + ((uint64_t)bdf << 12) + reg);

	assert_non_null(p);
	return p;
}

static uint32_t cfg32(struct fake *f, uint16_t bdf, uint16_t reg)
{
	uint32_t v;

	memcpy(&v, cfg(f, bdf, reg), 4);
	return v;
}

static void set32(struct fake *f, uint16_t bdf, uint16_t reg, uint32_t v)
{
	memcpy(cfg(f, bdf, reg), &v, 4);
}

/* The guest runs `code` at CODE; it faults at gpa. */
static bool run(struct fake *f, const uint8_t *code, size_t n, bool write, uint64_t gpa)
{
	memcpy(fake_phys(f, CODE), code, n);
	f->vcpu->vmcb->save.rip = CODE;
	f->vcpu->vmcb->control.exit_info1 = SVM_NPF_FINAL | (write ? SVM_NPF_W : 0);
	f->vcpu->vmcb->control.exit_info2 = gpa;
	return fake_npf_emulate(f);
}

/* mov eax, [rdi] / mov [rdi], esi / mov [rdi], sil / movzx eax, word [rdi] */
static const uint8_t rd32[] = { 0x8b, 0x07 };
static const uint8_t wr32[] = { 0x89, 0x37 };
static const uint8_t wr8[] = { 0x40, 0x88, 0x37 };
static const uint8_t rd16[] = { 0x0f, 0xb7, 0x07 };
static const uint8_t rd64[] = { 0x48, 0x8b, 0x07 };

static uint64_t read_at(struct fake *f, const uint8_t *code, size_t n, uint64_t gpa)
{
	struct guest *g = &f->m.guest[0];

	g->vcpu[0].regs.rdi = gpa;
	g->vcpu[0].regs.rax = 0x1111111111111111ULL;
	assert_true(run(f, code, n, false, gpa));
	assert_int_equal(f->vcpu->vmcb->save.rip, CODE + n);
	return g->vcpu[0].regs.rax;
}

static void write_at(struct fake *f, const uint8_t *code, size_t n, uint64_t gpa, uint64_t v)
{
	struct guest *g = &f->m.guest[0];

	g->vcpu[0].regs.rdi = gpa;
	g->vcpu[0].regs.rsi = v;
	assert_true(run(f, code, n, true, gpa));
	assert_int_equal(f->vcpu->vmcb->save.rip, CODE + n);
}

static void test_ecam_own_function(void **state)
{
	struct fake *f = *state;

	set32(f, OWN, 0x00, 0x11e81234);
	set32(f, OWN, 0x100, 0x00010001);	/* an extended capability header */
	assert_int_equal(read_at(f, rd32, sizeof(rd32), ECAM + ((uint64_t)OWN << 12)), 0x11e81234);
	assert_int_equal(read_at(f, rd16, sizeof(rd16), ECAM + ((uint64_t)OWN << 12) + 2), 0x11e8);
	/* Extended registers: only ECAM reaches them, and the guest gets them. */
	assert_int_equal(read_at(f, rd32, sizeof(rd32), ECAM + ((uint64_t)OWN << 12) + 0x100),
			 0x00010001);
	/* Nothing went through 0xcf8/0xcfc for the reads. */
	assert_int_equal(f->port_io_count, 0);
	write_at(f, wr32, sizeof(wr32), ECAM + ((uint64_t)OWN << 12) + 0x104, 0xabcd);
	assert_int_equal(cfg32(f, OWN, 0x104), 0xabcd);
	/* An 8-byte access is no configuration cycle: ones, nothing touched. */
	assert_true(read_at(f, rd64, sizeof(rd64), ECAM + ((uint64_t)OWN << 12)) == ~0ULL);
}

static void test_ecam_policed_like_ports(void **state)
{
	struct fake *f = *state;
	uint64_t own = ECAM + ((uint64_t)OWN << 12);

	set32(f, OWN, 0x04, 0x00100000);	/* decoding off */
	set32(f, OWN, 0x10, 0xfebf1000);	/* BAR0 */
	/* Moving the BAR is dropped; sizing (decoding off) and restoring pass. */
	write_at(f, wr32, sizeof(wr32), own + 0x10, 0x20000000);
	assert_int_equal(cfg32(f, OWN, 0x10), 0xfebf1000);
	assert_true(fake_log_find(f, "write 0x20000000 to BAR at 0x10 dropped") >= 0);
	write_at(f, wr32, sizeof(wr32), own + 0x10, 0xffffffff);
	assert_int_equal(cfg32(f, OWN, 0x10), 0xffffffff);
	/* Decoding on while the BAR is left sized: a byte write to the command register too. */
	write_at(f, wr8, sizeof(wr8), own + 0x04, 0x07);
	assert_int_equal(cfg32(f, OWN, 0x04) & 3, 0);
	assert_true(fake_log_find(f, "decoding stays off while the BAR at 0x10 is not restored") >=
		    0);
	write_at(f, wr32, sizeof(wr32), own + 0x10, 0xfebf1000);
	write_at(f, wr8, sizeof(wr8), own + 0x04, 0x07);
	assert_int_equal(cfg32(f, OWN, 0x04) & 0xff, 0x07);
}

static void test_ecam_others_and_host_bridge(void **state)
{
	struct fake *f = *state;

	set32(f, OTHER, 0x00, 0x10008086);
	set32(f, 0, 0x00, 0x29c08086);		/* the real host bridge */
	assert_int_equal(read_at(f, rd32, sizeof(rd32), ECAM + ((uint64_t)OTHER << 12)),
			 0xffffffffu);
	write_at(f, wr32, sizeof(wr32), ECAM + ((uint64_t)OTHER << 12) + 0x04, 0);
	assert_int_equal(cfg32(f, OTHER, 0x00), 0x10008086);
	assert_true(fake_log_find(f, "hidden (not assigned)") >= 0);
	/* 00:00.0 is the virtual host bridge; writes change nothing on the real one. */
	assert_int_equal(read_at(f, rd32, sizeof(rd32), ECAM), 0x00081b36);
	assert_int_equal(read_at(f, rd32, sizeof(rd32), ECAM + 0x08), 0x06000000);
	write_at(f, wr32, sizeof(wr32), ECAM + 0x04, 0x7);
	assert_int_equal(cfg32(f, 0, 0x04), 0);
	assert_int_equal(cfg32(f, 0, 0x00), 0x29c08086);
	/* Bus 1 is past its window: not the monitor's to emulate (an isolation violation). */
	assert_false(vpci_ecam_window(&f->m, &f->m.guest[0], ECAM + (1 << 20)));
	f->m.guest[0].vcpu[0].regs.rdi = ECAM + (1 << 20);
	assert_false(run(f, rd32, sizeof(rd32), false, ECAM + (1 << 20)));
	/* Without host ECAM the window does not exist. */
	f->m.ecam_base = 0;
	assert_false(vpci_ecam_window(&f->m, &f->m.guest[0], ECAM));
}

/* Port accesses use ECAM on the hardware too when the host has it. */
static void test_port_path_uses_ecam(void **state)
{
	struct fake *f = *state;
	uint32_t v = PCI_CF8_ENABLE | (uint32_t)OWN << 8 | 0x2c;

	set32(f, OWN, 0x2c, 0x00011af4);
	assert_int_equal(vpci_port(&f->m, &f->m.guest[0], 0xcf8, false, 4, &v), VIO_DONE);
	v = 0;
	assert_int_equal(vpci_port(&f->m, &f->m.guest[0], 0xcfc, true, 4, &v), VIO_DONE);
	assert_int_equal(v, 0x00011af4);
	assert_int_equal(f->port_io_count, 0);
	/* Without host ECAM: mechanism #1. */
	f->m.ecam_base = 0;
	f->port_io_value = 0x5;
	assert_int_equal(vpci_port(&f->m, &f->m.guest[0], 0xcfc, true, 4, &v), VIO_DONE);
	assert_int_equal(v, 0x5);
	assert_int_equal(f->port_io_count, 2);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_ecam_own_function, setup, teardown),
		cmocka_unit_test_setup_teardown(test_ecam_policed_like_ports, setup, teardown),
		cmocka_unit_test_setup_teardown(test_ecam_others_and_host_bridge, setup, teardown),
		cmocka_unit_test_setup_teardown(test_port_path_uses_ecam, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
