// SPDX-License-Identifier: GPL-2.0-only
/* PCI: BAR sizing against a simulated config space, and the config access filter. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "partition/devices.h"
#include "partition/pci_filter.h"

/* A function's config space: BARs keep (value & rw) | ro, as real BARs do. */
struct sim_fn {
	uint16_t bdf;
	uint32_t cfg[64];
	uint32_t rw[6], ro[6];
};

struct sim {
	struct sim_fn fn[10];
	size_t n;
	int sized_while_decoding;	/* all-ones BAR writes with decoding on */
	int status_cleared;		/* writes of ones to the status register */
};

static struct sim sim;

static struct sim_fn *sim_find(void *ctx, uint16_t bdf)
{
	struct sim *s = ctx;

	for (size_t i = 0; i < s->n; i++)
		if (s->fn[i].bdf == bdf)
			return &s->fn[i];
	return NULL;
}

static uint32_t sim_read(void *ctx, uint16_t bdf, uint16_t reg)
{
	struct sim_fn *f = sim_find(ctx, bdf);

	assert_true(reg < 256 && !(reg & 3));
	return f ? f->cfg[reg / 4] : 0xffffffff;
}

static void sim_write(void *ctx, uint16_t bdf, uint16_t reg, uint32_t val)
{
	struct sim *s = ctx;
	struct sim_fn *f = sim_find(ctx, bdf);
	unsigned i = (reg - PCI_REG_BAR0) / 4;

	assert_non_null(f);
	if (reg == PCI_REG_COMMAND) {
		s->status_cleared += (val >> 16) != 0;
		f->cfg[1] = (f->cfg[1] & 0xffff0000) | (val & 0xffff);
	} else if (reg >= PCI_REG_BAR0 && i < 6) {
		if (val == 0xffffffff && (f->cfg[1] & 3))
			s->sized_while_decoding++;
		f->cfg[reg / 4] = (val & f->rw[i]) | f->ro[i];
	} else {
		f->cfg[reg / 4] = val;
	}
}

static const struct partition_pci_ops sim_ops = { sim_read, sim_write, &sim };

static struct sim_fn *sim_add(uint16_t bdf, uint8_t header)
{
	struct sim_fn *f = &sim.fn[sim.n++];

	memset(f, 0, sizeof(*f));
	f->bdf = bdf;
	f->cfg[0] = 0x12341af4;
	f->cfg[1] = 0x02100007;	/* status bits set; io, mem, bus master on */
	f->cfg[3] = (uint32_t)header << 16;
	return f;
}

static void sim_bar(struct sim_fn *f, unsigned i, uint32_t value, uint32_t rw, uint32_t ro)
{
	f->rw[i] = rw;
	f->ro[i] = ro;
	f->cfg[4 + i] = (value & rw) | ro;
}

static int sim_setup(void **state)
{
	struct sim_fn *f;

	memset(&sim, 0, sizeof(sim));
	/* 00:02.0: 16M prefetchable, 4K, and a 64-bit 16K BAR above 4G. */
	f = sim_add(PARTITION_BDF(0, 2, 0), 0);
	sim_bar(f, 0, 0xfd000000, 0xff000000, 0x8);
	sim_bar(f, 2, 0xfebf0000, 0xfffff000, 0);
	sim_bar(f, 4, 0x0000c000, 0xffffc000, 0xc);
	sim_bar(f, 5, 0x00000008, 0xffffffff, 0);
	/* 00:03.0: 32 I/O ports on a device that decodes 16 bits, and 256 bytes of MMIO. */
	f = sim_add(PARTITION_BDF(0, 3, 0), 0);
	sim_bar(f, 0, 0xc000, 0x0000ffe0, 0x1);
	sim_bar(f, 1, 0xfebf1100, 0xffffff00, 0);
	/* 00:04.0: 256 bytes in the same page as 00:03.0 BAR1. */
	f = sim_add(PARTITION_BDF(0, 4, 0), 0);
	sim_bar(f, 0, 0xfebf1000, 0xffffff00, 0);
	/* 00:05.0: a bridge with a 64-bit BAR in its last slot. */
	f = sim_add(PARTITION_BDF(0, 5, 0), 1);
	sim_bar(f, 1, 0, 0xfff00000, 0x4);
	/* 00:06.0: a BAR the firmware left unassigned, and one in RAM. */
	f = sim_add(PARTITION_BDF(0, 6, 0), 0);
	sim_bar(f, 0, 0, 0xfffff000, 0);
	f = sim_add(PARTITION_BDF(0, 7, 0), 0);
	sim_bar(f, 0, 0x00200000, 0xfffff000, 0);
	return 0;
}

static void test_bars_sized_and_restored(void **state)
{
	struct partition_bar bars[6];
	struct sim_fn before = sim.fn[0];
	char err[96];
	size_t n;

	assert_int_equal(partition_pci_read_bars(&sim_ops, PARTITION_BDF(0, 2, 0), bars, 6, &n, err,
						 sizeof(err)),
			 0);
	assert_int_equal(n, 3);
	assert_int_equal(bars[0].kind, PARTITION_BAR_MEM32);
	assert_int_equal(bars[0].base, 0xfd000000);
	assert_int_equal(bars[0].size, 16 << 20);
	assert_true(bars[0].prefetchable);
	assert_int_equal(bars[1].index, 2);
	assert_int_equal(bars[1].size, 4096);
	assert_false(bars[1].prefetchable);
	assert_int_equal(bars[2].index, 4);
	assert_int_equal(bars[2].kind, PARTITION_BAR_MEM64);
	assert_int_equal(bars[2].base, 0x80000c000ULL);
	assert_int_equal(bars[2].size, 16 << 10);
	/* Everything is as it was, decoding included; nothing was sized while decoding. */
	assert_memory_equal(sim.fn[0].cfg, before.cfg, sizeof(before.cfg));
	assert_int_equal(sim.sized_while_decoding, 0);
	assert_int_equal(sim.status_cleared, 0);

	assert_int_equal(partition_pci_read_bars(&sim_ops, PARTITION_BDF(0, 3, 0), bars, 6, &n, err,
						 sizeof(err)),
			 0);
	assert_int_equal(n, 2);
	assert_int_equal(bars[0].kind, PARTITION_BAR_IO);
	assert_int_equal(bars[0].base, 0xc000);
	assert_int_equal(bars[0].size, 32);
	assert_int_equal(bars[1].size, 256);
}

static void test_bars_errors(void **state)
{
	struct partition_bar bars[6];
	char err[96];
	size_t n;

	assert_int_equal(partition_pci_read_bars(&sim_ops, PARTITION_BDF(3, 0, 0), bars, 6, &n, err,
						 sizeof(err)),
			 -ENODEV);
	assert_string_equal(err, "no device answers");
	assert_int_equal(partition_pci_read_bars(&sim_ops, PARTITION_BDF(0, 5, 0), bars, 6, &n, err,
						 sizeof(err)),
			 -EINVAL);
	assert_string_equal(err, "BAR1: 64-bit BAR in the last slot");
	assert_int_equal(sim.fn[3].cfg[1] & 0xffff, 7);	/* restored on the error path too */
	assert_int_equal(partition_pci_read_bars(&sim_ops, PARTITION_BDF(0, 2, 0), bars, 2, &n, err,
						 sizeof(err)),
			 -E2BIG);
	/* A size mask with a hole is no BAR. */
	sim_bar(&sim.fn[4], 0, 0xfe000000, 0xff0ff000, 0);
	assert_int_equal(partition_pci_read_bars(&sim_ops, PARTITION_BDF(0, 6, 0), bars, 6, &n, err,
						 sizeof(err)),
			 -EINVAL);
}

static struct memmap_entry ram[] = {
	{ 1 << 20, 255 << 20, MEMMAP_USABLE, 7 },
};
static struct memmap map = { ram, 1, 1 };
static struct partition_plan plan;

static void plan_with(uint16_t a0, uint16_t a1, uint16_t b0)
{
	struct partition_request req = { 0 };

	req.guest[0].present = req.guest[1].present = true;
	req.guest[0].nr_pci = 2;
	req.guest[0].pci[0] = a0;
	req.guest[0].pci[1] = a1;
	req.guest[1].nr_pci = 1;
	req.guest[1].pci[0] = b0;
	assert_int_equal(partition_plan_init(&plan, &map), 0);
	assert_int_equal(partition_plan_build(&plan, &req), 0);
}

static void test_bars_added_to_owner(void **state)
{
	/* 00:04.0, owned by no one, out of 00:03.0's page. */
	sim_bar(&sim.fn[2], 0, 0xfebf3000, 0xffffff00, 0);
	plan_with(PARTITION_BDF(0, 2, 0), PARTITION_BDF(0, 3, 0), PARTITION_BDF(0, 6, 0));
	assert_int_equal(partition_add_pci_bars(&plan, 0, &sim_ops), 0);
	const struct partition_guest *a = &plan.guest[0];

	assert_int_equal(a->nr_bars, 5);
	assert_int_equal(a->nr_mmio, 3);
	assert_int_equal(a->mmio[0].base, 0xfd000000);
	assert_int_equal(a->mmio[0].end, 0xfe000000);
	assert_int_equal(a->mmio[1].base, 0xfebf0000);	/* 4K BAR and the page of the 256 */
	assert_int_equal(a->mmio[1].end, 0xfebf2000);
	assert_int_equal(a->mmio[2].base, 0x80000c000ULL);
	assert_int_equal(a->nr_ports, 1);
	assert_int_equal(a->ports[0].first, 0xc000);
	assert_int_equal(a->ports[0].last, 0xc01f);
	assert_int_equal(partition_add_pci_bars(&plan, 0, &sim_ops), -EALREADY);
	/* b's unassigned BAR is listed but maps nothing. */
	assert_int_equal(partition_add_pci_bars(&plan, 1, &sim_ops), 0);
	assert_int_equal(plan.guest[1].nr_bars, 1);
	assert_int_equal(plan.guest[1].bars[0].base, 0);
	assert_int_equal(plan.guest[1].nr_mmio, 0);
}

static void test_bars_conflicts(void **state)
{
	/* 00:04.0's 256 bytes share a page with 00:03.0's: one page cannot be split, whoever
	 * has 00:04.0 (the other guest, or no one). */
	plan_with(PARTITION_BDF(0, 2, 0), PARTITION_BDF(0, 3, 0), PARTITION_BDF(0, 4, 0));
	assert_int_equal(partition_add_pci_bars(&plan, 0, &sim_ops), -EBUSY);
	assert_string_equal(partition_error(&plan),
			    "partition: guest a: pci 00:03.0 BAR1 (0xfebf1100) shares a 4 KiB page "
			    "with 00:04.0 BAR0 (0xfebf1000), which guest a does not own");
	plan_with(PARTITION_BDF(0, 2, 0), PARTITION_BDF(0, 3, 0), PARTITION_BDF(0, 6, 0));
	assert_int_equal(partition_add_pci_bars(&plan, 0, &sim_ops), -EBUSY);
	assert_int_equal(plan.nr_machine_bars, 8);	/* 00:05.0, malformed, left out */
	/* Owning both is fine. */
	plan_with(PARTITION_BDF(0, 3, 0), PARTITION_BDF(0, 4, 0), PARTITION_BDF(0, 6, 0));
	assert_int_equal(partition_add_pci_bars(&plan, 0, &sim_ops), 0);
	assert_int_equal(partition_add_pci_bars(&plan, 1, &sim_ops), 0);

	plan_with(PARTITION_BDF(0, 2, 0), PARTITION_BDF(0, 7, 0), PARTITION_BDF(0, 6, 0));
	assert_int_equal(partition_add_pci_bars(&plan, 0, &sim_ops), -EINVAL);
	assert_string_equal(partition_error(&plan),
			    "partition: guest a: mmio 0x200000-0x200fff overlaps guest b's RAM");

	plan_with(PARTITION_BDF(0, 2, 0), PARTITION_BDF(9, 0, 0), PARTITION_BDF(0, 6, 0));
	assert_int_equal(partition_add_pci_bars(&plan, 0, &sim_ops), -ENODEV);
	assert_string_equal(partition_error(&plan),
			    "partition: guest a: pci 09:00.0: no device answers");
	assert_true(partition_add_pci_bars(&plan, 2, &sim_ops) < 0);
}

/*
 * The scan reaches every bus, and functions 1-7 of multi-function devices only: a function
 * behind a bridge (bus 1) or a second function shares the page too.
 */
static void test_bars_scan(void **state)
{
	struct sim_fn *f;

	sim_bar(&sim.fn[2], 0, 0xfebf3000, 0xffffff00, 0);	/* 00:04.0 out of the way */
	f = sim_add(PARTITION_BDF(1, 0, 0), 0);
	sim_bar(f, 0, 0xfd800000, 0xfffff000, 0);		/* in 00:02.0's 16M */
	plan_with(PARTITION_BDF(0, 2, 0), PARTITION_BDF(0, 3, 0), PARTITION_BDF(0, 6, 0));
	assert_int_equal(partition_add_pci_bars(&plan, 0, &sim_ops), -EBUSY);
	assert_string_equal(partition_error(&plan),
			    "partition: guest a: pci 00:02.0 BAR0 (0xfd000000) shares a 4 KiB page "
			    "with 01:00.0 BAR0 (0xfd800000), which guest a does not own");
	/* 00:03.1 is no function while 00:03.0 is single-function. */
	sim.fn[sim.n - 1].bdf = PARTITION_BDF(0, 3, 1);
	plan_with(PARTITION_BDF(0, 2, 0), PARTITION_BDF(0, 3, 0), PARTITION_BDF(0, 6, 0));
	assert_int_equal(partition_add_pci_bars(&plan, 0, &sim_ops), 0);
	sim.fn[1].cfg[3] |= 0x00800000;
	plan_with(PARTITION_BDF(0, 2, 0), PARTITION_BDF(0, 3, 0), PARTITION_BDF(0, 6, 0));
	assert_int_equal(partition_add_pci_bars(&plan, 0, &sim_ops), -EBUSY);
	assert_non_null(strstr(partition_error(&plan), "with 00:03.1 BAR0"));
}

/* ---- the config access filter ---- */

static struct pci_filter filter;
static struct pci_filter_decision d;

static uint32_t cf8(uint16_t bdf, uint16_t reg)
{
	return PCI_CF8_ENABLE | (uint32_t)bdf << 8 | (reg & 0xfc) | ((uint32_t)(reg & 0xf00) << 16);
}

static void test_filter_cf8_mechanism(void **state)
{
	plan_with(PARTITION_BDF(0, 2, 0), PARTITION_BDF(0, 3, 0), PARTITION_BDF(0, 4, 0));
	assert_int_equal(partition_pci_filter(&plan, 0, 0, 255, &filter), 0);
	assert_true(pci_filter_owns(&filter, PARTITION_BDF(0, 3, 0)));
	assert_false(pci_filter_owns(&filter, PARTITION_BDF(0, 4, 0)));

	pci_filter_port(&filter, 0, PCI_CFG_ADDR, 4, true, 0x80001000, &d);
	assert_int_equal(d.action, PCI_FILTER_LATCH_ADDR);
	pci_filter_port(&filter, 0, PCI_CFG_ADDR, 4, false, 0, &d);
	assert_int_equal(d.action, PCI_FILTER_READ_ADDR);

	pci_filter_port(&filter, cf8(PARTITION_BDF(0, 2, 0), 0x04), 0xcfe, 2, false, 0, &d);
	assert_int_equal(d.action, PCI_FILTER_ALLOW);
	assert_int_equal(d.bdf, PARTITION_BDF(0, 2, 0));
	assert_int_equal(d.reg, 0x06);
	assert_string_equal(d.log, "");

	pci_filter_port(&filter, cf8(PARTITION_BDF(0, 4, 0), 0), 0xcfc, 4, false, 0, &d);
	assert_int_equal(d.action, PCI_FILTER_READ_ONES);
	assert_string_equal(d.log, "partition: guest a: pci read 00:04.0+0x000 hidden (not assigned)");
	pci_filter_port(&filter, cf8(PARTITION_BDF(0, 4, 0), 0x10), 0xcfc, 4, true, 0, &d);
	assert_int_equal(d.action, PCI_FILTER_DROP_WRITE);
	assert_string_equal(d.log,
			    "partition: guest a: pci write 00:04.0+0x010 dropped (not assigned)");

	/* Extended registers through bits 27:24 are refused: most chipsets ignore those bits,
	 * so the access would reach the command register (or a BAR) unchecked. */
	pci_filter_port(&filter, cf8(PARTITION_BDF(0, 3, 0), 0x104), 0xcfd, 1, false, 0, &d);
	assert_int_equal(d.action, PCI_FILTER_READ_ONES);
	pci_filter_port(&filter, cf8(PARTITION_BDF(0, 3, 0), 0x110), 0xcfc, 4, true, 0x1000, &d);
	assert_int_equal(d.action, PCI_FILTER_DROP_WRITE);
	assert_false(d.bar_write);

	/* No enable bit: no config cycle. */
	pci_filter_port(&filter, cf8(PARTITION_BDF(0, 2, 0), 0) & ~PCI_CF8_ENABLE, 0xcfc, 4, false,
			0, &d);
	assert_int_equal(d.action, PCI_FILTER_READ_ONES);
	/* An access running past 0xcff. */
	pci_filter_port(&filter, cf8(PARTITION_BDF(0, 2, 0), 0), 0xcfe, 4, false, 0, &d);
	assert_int_equal(d.action, PCI_FILTER_READ_ONES);
	assert_string_equal(d.log, "partition: guest a: bad 4-byte access at 0xcfe");
}

static void test_filter_reset_and_narrow_cf8(void **state)
{
	pci_filter_init(&filter, 'b', 0, 0);
	pci_filter_port(&filter, 0, PCI_RESET_CTRL, 1, true, 0x06, &d);
	assert_int_equal(d.action, PCI_FILTER_RESET);
	assert_string_equal(d.log, "partition: guest b: reset through 0xcf9 (0x06)");
	pci_filter_port(&filter, 0, PCI_RESET_CTRL, 1, true, 0x02, &d);
	assert_int_equal(d.action, PCI_FILTER_DROP_WRITE);
	/* Linux's type 1 probe writes a byte to 0xcfb: not a config address. */
	pci_filter_port(&filter, 0, 0xcfb, 1, true, 0x01, &d);
	assert_int_equal(d.action, PCI_FILTER_DROP_WRITE);
	pci_filter_port(&filter, 0, 0xcf8, 1, false, 0, &d);
	assert_int_equal(d.action, PCI_FILTER_READ_ONES);
	assert_string_equal(d.log, "partition: guest b: 1-byte read of port 0xcf8 reads as ones");
}

static void test_filter_ecam_and_bar_writes(void **state)
{
	pci_filter_init(&filter, 'a', 0, 63);
	pci_filter_own(&filter, PARTITION_BDF(2, 0, 1));
	uint64_t base = (2ULL << 20) | (0ULL << 15) | (1ULL << 12);

	pci_filter_ecam(&filter, base + 0x40, 4, false, &d);
	assert_int_equal(d.action, PCI_FILTER_ALLOW);
	assert_int_equal(d.bdf, PARTITION_BDF(2, 0, 1));
	assert_int_equal(d.reg, 0x40);
	assert_false(d.bar_write);
	pci_filter_ecam(&filter, base + 0x14, 4, true, &d);
	assert_int_equal(d.action, PCI_FILTER_ALLOW);
	assert_true(d.bar_write);
	pci_filter_ecam(&filter, base + 0x30, 4, true, &d);	/* expansion ROM */
	assert_true(d.bar_write);
	pci_filter_ecam(&filter, base + 0x2c, 4, true, &d);	/* subsystem ids: no BAR */
	assert_false(d.bar_write);
	pci_filter_ecam(&filter, base + 0x12, 2, false, &d);	/* reads are never flagged */
	assert_false(d.bar_write);

	pci_filter_ecam(&filter, base + 0x1000, 4, false, &d);	/* 02:00.2 */
	assert_int_equal(d.action, PCI_FILTER_READ_ONES);
	pci_filter_ecam(&filter, base + 0x41, 2, false, &d);
	assert_int_equal(d.action, PCI_FILTER_READ_ONES);
	assert_string_equal(d.log, "partition: guest a: pci read 02:00.1+0x041 misaligned");
	pci_filter_ecam(&filter, 64ULL << 20, 4, true, &d);	/* bus 64: past the window */
	assert_int_equal(d.action, PCI_FILTER_DROP_WRITE);
	pci_filter_ecam(&filter, 1ULL << 40, 4, false, &d);
	assert_int_equal(d.action, PCI_FILTER_READ_ONES);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_bars_sized_and_restored, sim_setup),
		cmocka_unit_test_setup(test_bars_errors, sim_setup),
		cmocka_unit_test_setup(test_bars_added_to_owner, sim_setup),
		cmocka_unit_test_setup(test_bars_conflicts, sim_setup),
		cmocka_unit_test_setup(test_bars_scan, sim_setup),
		cmocka_unit_test_setup(test_filter_cf8_mechanism, sim_setup),
		cmocka_unit_test(test_filter_reset_and_narrow_cf8),
		cmocka_unit_test(test_filter_ecam_and_bar_writes),
	};
	return cmocka_run_group_tests_name("partition_pci", tests, NULL, NULL);
}
