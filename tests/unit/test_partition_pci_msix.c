// SPDX-License-Identifier: GPL-2.0-only
/*
 * MSI-X tables at plan time (partition/pci_msix.c): found through the capability list,
 * located in the function's BARs, refused outside them, and their pages (only those) left
 * out of the guest's nested page tables.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "partition/npt.h"
#include "partition/pci_msix.h"

#define BDF	PARTITION_BDF(0, 3, 0)
#define BAR0	0xfe000000u	/* 16 KiB */
#define BAR2	0xfe100000u	/* 4 KiB */

/* One function: BAR0 16 KiB, BAR2 4 KiB, an MSI-X capability at 0x40. */
static uint32_t cfg[64];

static uint32_t sim_read(void *ctx, uint16_t bdf, uint16_t reg)
{
	return bdf == BDF ? cfg[reg / 4] : 0xffffffffu;
}

/* BAR sizing: all ones reads back the size mask (an unimplemented BAR reads 0). */
static void sim_write(void *ctx, uint16_t bdf, uint16_t reg, uint32_t val)
{
	static const uint32_t mask[6] = { 0xffffc000u, 0, 0xfffff000u, 0, 0, 0 };

	if (reg >= PCI_REG_BAR0 && reg < PCI_REG_BAR0 + 24)
		cfg[reg / 4] = val == 0xffffffffu ? mask[(reg - PCI_REG_BAR0) / 4] : val;
	else if (reg == PCI_REG_COMMAND)	/* the status half is not written */
		cfg[1] = (cfg[1] & 0xffff0000u) | (val & 0xffff);
	else
		cfg[reg / 4] = val;
}

static const struct partition_pci_ops ops = { sim_read, sim_write, NULL };
static struct memmap_entry ram[] = { { 1 << 20, 255 << 20, MEMMAP_USABLE, 7 } };
static struct memmap map = { ram, 1, 1 };
static struct partition_plan plan;

static void function(uint16_t entries, uint32_t table, uint32_t pba)
{
	memset(cfg, 0, sizeof(cfg));
	cfg[0] = 0x10001af4;
	cfg[1] = 0x00100006;
	cfg[4] = BAR0;
	cfg[6] = BAR2;
	cfg[0x34 / 4] = 0x40;
	cfg[0x40 / 4] = (uint32_t)(entries - 1) << 16 | 0x11;
	cfg[0x44 / 4] = table;
	cfg[0x48 / 4] = pba;
}

static int plan_bars(void)
{
	struct partition_request req = { 0 };

	req.guest[0].present = true;
	req.guest[0].nr_pci = 1;
	req.guest[0].pci[0] = BDF;
	assert_int_equal(partition_plan_init(&plan, &map), 0);
	assert_int_equal(partition_plan_build(&plan, &req), 0);
	return partition_add_pci_bars(&plan, 0, &ops);
}

/* Whether guest a's nested page tables would map addr. */
static bool mapped(uint64_t addr)
{
	struct npt_region r[PARTITION_MAX_NPT_REGIONS];
	size_t n;

	assert_int_equal(partition_npt_regions(&plan, 0, r, PARTITION_MAX_NPT_REGIONS, &n), 0);
	for (size_t i = 0; i < n; i++)
		if (addr >= r[i].base && addr < r[i].end)
			return true;
	return false;
}

static void test_msix_table_and_pba_in_one_page(void **state)
{
	const struct partition_msix *x = &plan.guest[0].msix[0];

	function(8, 0x1000 | 0, 0x1800 | 0);
	assert_int_equal(plan_bars(), 0);
	assert_int_equal(plan.guest[0].nr_msix, 1);
	assert_int_equal(x->bdf, BDF);
	assert_int_equal(x->cap, 0x40);
	assert_int_equal(x->entries, 8);
	assert_int_equal(x->table, BAR0 + 0x1000);
	assert_int_equal(x->pba, BAR0 + 0x1800);
	/* The rest of the BAR is the guest's; the page of the table is not. */
	assert_true(mapped(BAR0));
	assert_true(mapped(BAR0 + 0xfff));
	assert_false(mapped(BAR0 + 0x1000));
	assert_false(mapped(BAR0 + 0x1fff));
	assert_true(mapped(BAR0 + 0x2000));
	assert_true(mapped(BAR0 + 0x3fff));
	assert_true(mapped(BAR2));
}

static void test_msix_table_and_pba_apart(void **state)
{
	const struct partition_msix *x = &plan.guest[0].msix[0];

	/* 300 entries: the table spans two pages; the PBA is in BAR2. */
	function(300, 0x0000 | 0, 0x0800 | 2);
	assert_int_equal(plan_bars(), 0);
	assert_int_equal(x->table, BAR0);
	assert_int_equal(x->pba, BAR2 + 0x800);
	assert_int_equal(partition_msix_pba_bytes(300), 40);
	assert_false(mapped(BAR0));
	assert_false(mapped(BAR0 + 0x12bf));
	assert_true(mapped(BAR0 + 0x2000));
	assert_false(mapped(BAR2));
	/* No MSI-X capability: nothing recorded, the whole BAR mapped. */
	cfg[0x40 / 4] = 0x05;
	function(8, 0, 0);
	cfg[0x40 / 4] = 0x05;
	assert_int_equal(plan_bars(), 0);
	assert_int_equal(plan.guest[0].nr_msix, 0);
	assert_true(mapped(BAR0 + 0x1000));
}

/* A table or PBA the monitor could not trap: the plan fails, naming the function. */
static void test_msix_outside_bars_refused(void **state)
{
	function(8, 0x3ff0 | 0, 0x1800);
	assert_int_equal(plan_bars(), -EINVAL);
	assert_string_equal(partition_error(&plan),
			    "partition: guest a: pci 00:03.0: its MSI-X table (BAR0 + 0x3ff0) is "
			    "not inside one of its memory BARs");
	function(8, 0x1000, 0x0 | 1);
	assert_int_equal(plan_bars(), -EINVAL);
	assert_string_equal(partition_error(&plan),
			    "partition: guest a: pci 00:03.0: its MSI-X PBA (BAR1 + 0x0) is not "
			    "inside one of its memory BARs");
	function(2048, 0x0 | 2, 0x800);
	assert_int_equal(plan_bars(), -EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_msix_table_and_pba_in_one_page),
		cmocka_unit_test(test_msix_table_and_pba_apart),
		cmocka_unit_test(test_msix_outside_bars_refused),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
