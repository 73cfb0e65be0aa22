// SPDX-License-Identifier: GPL-2.0-only
/*
 * The monitor's reset of a guest's functions (monitor/vpci_reset.c) on the simulated
 * function behind 0xcf8/0xcfc: what reaches the hardware, the TSC wait and the log line.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "monitor/test_fake.h"
#include "monitor/vpci.h"
#include "partition/pci_filter.h"
#include "partition/pci_fn.h"

#define BDF	PARTITION_BDF(0, 3, 0)
#define PCIE	0x40
#define MSI	0x50

static struct pci_filter pf;
static struct monitor_guest_boot boot = { .pci = &pf };

static void put(struct fake *f, unsigned reg, unsigned size, uint32_t v, uint32_t wmask)
{
	for (unsigned i = 0; i < size; i++) {
		f->cfg[reg + i] = (uint8_t)(v >> (8 * i));
		f->cfg_wmask[reg + i] = (uint8_t)(wmask >> (8 * i));
	}
}

static uint32_t hw(const struct fake *f, unsigned reg)
{
	uint32_t v = 0;

	for (unsigned i = 0; i < 4; i++)
		v |= (uint32_t)f->cfg[reg + i] << (8 * i);
	return v;
}

/* A function as a guest leaves it: decoding and mastering, BAR0 sized, MSI on. */
static struct fake *function(bool flr)
{
	struct fake *f = fake_new();

	f->cfg_on = true;
	f->cfg_bdf = BDF;
	put(f, 0x00, 4, 0x10001af4, 0);
	put(f, 0x04, 4, 0x00100007, 0x0000ffff);
	put(f, 0x10, 4, 0xffff0000, 0xffff0000);
	put(f, PCIE + PCI_EXP_DEVCTL, 4, 0, 0x0000ffff);
	put(f, MSI, 4, 0x00810005, 0x00710000);
	pci_filter_init(&pf, 'b', 0, 0);
	pci_filter_own(&pf, BDF);
	pf.nr_fn = 1;
	pf.fn[0] = (struct partition_pci_fn){ .bdf = BDF, .command = 0x0006, .msi = MSI,
					      .pcie = flr ? PCIE : 0, .flr = flr };
	pf.fn[0].bar[0] = 0xfebf0000;
	f->m.guest[0].boot = &boot;
	f->now_step = 1000;
	return f;
}

static void test_reset_without_flr(void **state)
{
	struct fake *f = function(false);

	vpci_reset_functions(&f->m, &f->m.guest[0]);
	assert_int_equal(hw(f, 0x04) & 0xffff, 0);
	assert_int_equal(hw(f, MSI) & 0x00010000, 0);
	assert_int_equal(hw(f, 0x10), 0xfebf0000);
	assert_true(fake_log_find(f, "monitor: guest a: 00:03.0 reset (bus master, decoding, MSI "
				  "and MSI-X off)") >= 0);
	fake_free(f);
}

/* The fake does not reset on FLR; it answers at once, and the 100 ms pass on the TSC. */
static void test_reset_flr(void **state)
{
	struct fake *f = function(true);
	uint64_t t0 = f->now;

	vpci_reset_functions(&f->m, &f->m.guest[0]);
	assert_true(f->now - t0 >= 100 * f->m.tsc_khz);
	assert_true(hw(f, PCIE + PCI_EXP_DEVCTL) & PCI_EXP_DEVCTL_FLR);
	assert_int_equal(hw(f, 0x04) & 0xffff, 0x0006);
	assert_int_equal(hw(f, 0x10), 0xfebf0000);
	assert_true(fake_log_find(f, "monitor: guest a: 00:03.0 reset (FLR)") >= 0);
	fake_free(f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_reset_without_flr),
		cmocka_unit_test(test_reset_flr),
	};
	return cmocka_run_group_tests_name("monitor_vpci_reset", tests, NULL, NULL);
}
