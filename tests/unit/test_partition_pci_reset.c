// SPDX-License-Identifier: GPL-2.0-only
/*
 * Resetting a guest's function (partition/pci_reset.h) against a simulated one: an FLR that
 * waits its 100 ms and for the function to answer before the firmware's BARs and command come
 * back, and without FLR, bus mastering, decoding, MSI and MSI-X turned off.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "partition/pci_fn.h"
#include "partition/pci_reset.h"

#define BDF	PARTITION_BDF(0, 3, 0)
#define PCIE	0x40
#define MSI	0x50
#define MSIX	0x60
#define AF	0x70

static struct sim {
	uint32_t cfg[64];
	uint64_t now_us;		/* the simulated clock: moved by waits only */
	uint64_t flr_at_us;		/* when the FLR was started; ~0: never */
	unsigned flrs;
	uint64_t ready_after_us;	/* answers 0x0001 (not ready) this long after an FLR */
	uint64_t pending_until_us;	/* Transactions Pending reads set until then */
	uint64_t first_access_after_flr_us;
} sim;

static uint32_t sim_read(void *ctx, uint16_t bdf, uint16_t reg)
{
	assert_int_equal(bdf, BDF);
	assert_true(reg < 0x1000 && !(reg & 3));
	if (reg >= 256)
		return 0xffffffffu;	/* no extended space */
	if (sim.flrs && !sim.first_access_after_flr_us)
		sim.first_access_after_flr_us = sim.now_us - sim.flr_at_us;
	if (sim.flrs && sim.now_us - sim.flr_at_us < sim.ready_after_us)
		return reg == PCI_REG_ID ? 0xffff0001u : 0xffffffffu;
	if (reg == PCIE + PCI_EXP_DEVCTL && sim.now_us < sim.pending_until_us)
		return sim.cfg[reg / 4] | (uint32_t)PCI_EXP_DEVSTA_TRPND << 16;
	if (reg == AF + PCI_AF_CTRL && sim.now_us < sim.pending_until_us)
		return sim.cfg[reg / 4] | PCI_AF_STATUS_TP;
	return sim.cfg[reg / 4];
}

/* An FLR puts the function in its power-on state: no decoding, no BARs, no MSI. */
static void sim_flr(void)
{
	sim.flrs++;
	sim.flr_at_us = sim.now_us;
	sim.first_access_after_flr_us = 0;
	sim.cfg[1] = 0;
	for (unsigned i = 4; i < 10; i++)
		sim.cfg[i] = 0;
	sim.cfg[0x30 / 4] = 0;
	sim.cfg[MSI / 4] &= ~0x00010000u;
	sim.cfg[MSIX / 4] &= ~0x80000000u;
}

static void sim_write(void *ctx, uint16_t bdf, uint16_t reg, uint32_t val)
{
	assert_int_equal(bdf, BDF);
	assert_true(reg < 256 && !(reg & 3));
	if (reg == PCI_REG_COMMAND) {
		assert_int_equal(val >> 16, 0);	/* never a write-one-to-clear status bit */
		sim.cfg[1] = val;
	} else if (reg == PCIE + PCI_EXP_DEVCTL && (val & PCI_EXP_DEVCTL_FLR)) {
		assert_int_equal(sim.cfg[1] & PCI_COMMAND_MASTER, 0);
		sim_flr();
	} else if (reg == AF + PCI_AF_CTRL && (val & 1)) {
		sim_flr();
	} else {
		sim.cfg[reg / 4] = val;
	}
}

static void sim_wait(void *ctx, uint32_t us)
{
	sim.now_us += us;
}

static const struct partition_pci_ops cfg = { sim_read, sim_write, NULL };
static const struct pci_reset_ops ops = { &cfg, sim_wait, NULL };
static struct partition_pci_fn fn;

static int setup(void **state)
{
	memset(&sim, 0, sizeof(sim));
	sim.cfg[0] = 0x10001af4;
	sim.cfg[1] = 0x00100006;	/* as the firmware left it: memory, bus master */
	sim.cfg[4] = 0xfebf0000;
	sim.cfg[5] = 0x0000c001;
	sim.cfg[0x30 / 4] = 0xfeb80000;
	sim.cfg[0x34 / 4] = PCIE;
	sim.cfg[PCIE / 4] = (MSI << 8) | 0x10;
	sim.cfg[(PCIE + PCI_EXP_DEVCAP) / 4] = PCI_EXP_DEVCAP_FLR;
	sim.cfg[MSI / 4] = (MSIX << 8) | 0x05;
	sim.cfg[MSIX / 4] = 0x11;
	assert_int_equal(partition_pci_read_fn(&cfg, BDF, &fn), 0);
	assert_true(fn.flr);
	assert_int_equal(fn.msix, MSIX);
	/* What a guest leaves: a BAR moved (sized), MSI and MSI-X on, everything decoding. */
	sim.cfg[4] = 0xffff0000;
	sim.cfg[1] = 0x00100007;
	sim.cfg[MSI / 4] |= 0x00010000;
	sim.cfg[MSIX / 4] |= 0x80000000;
	return 0;
}

static void test_flr(void **state)
{
	char how[64];

	sim.pending_until_us = 30000;
	assert_int_equal(partition_pci_reset(&ops, &fn, how, sizeof(how)), 0);
	assert_string_equal(how, "FLR");
	assert_int_equal(sim.flrs, 1);
	/* Outstanding transactions were waited for (bus mastering off first), then 100 ms. */
	assert_true(sim.flr_at_us >= 30000);
	assert_true(sim.first_access_after_flr_us >= PCI_RESET_FLR_WAIT_US);
	/* The firmware's BARs, ROM and command register. */
	assert_int_equal(sim.cfg[4], 0xfebf0000);
	assert_int_equal(sim.cfg[5], 0x0000c001);
	assert_int_equal(sim.cfg[0x30 / 4], 0xfeb80000);
	assert_int_equal(sim.cfg[1], 0x0006);
	assert_int_equal(sim.cfg[MSI / 4] & 0x00010000, 0);
}

/* A function that answers "not ready" past the 100 ms is waited for, up to a second more. */
static void test_flr_slow_and_dead(void **state)
{
	char how[64];

	sim.ready_after_us = 350000;
	assert_int_equal(partition_pci_reset(&ops, &fn, how, sizeof(how)), 0);
	assert_true(sim.now_us - sim.flr_at_us >= 350000);
	assert_int_equal(sim.cfg[4], 0xfebf0000);
	/* Never ready: reported, and nothing restored into a function that does not answer. */
	setup(state);
	sim.ready_after_us = ~0ull >> 1;
	assert_int_equal(partition_pci_reset(&ops, &fn, how, sizeof(how)), -ETIMEDOUT);
	assert_string_equal(how, "FLR, then no answer after 1100 ms");
	assert_int_equal(sim.cfg[4], 0);
	assert_int_equal(sim.cfg[1], 0);
}

/* Conventional PCI: the Advanced Features capability's FLR. */
static void test_af_flr(void **state)
{
	char how[64];

	sim.cfg[(PCIE + PCI_EXP_DEVCAP) / 4] = 0;
	sim.cfg[MSIX / 4] = (AF << 8) | 0x11 | 0x80000000;
	sim.cfg[AF / 4] = (uint32_t)(PCI_AF_CAP_FLR | 1) << 24 | 0x0600 | 0x13;
	sim.cfg[4] = 0xfebf0000;	/* the boot scan sees the firmware's BAR */
	assert_int_equal(partition_pci_read_fn(&cfg, BDF, &fn), 0);
	assert_int_equal(fn.af, AF);
	assert_true(fn.flr);
	fn.pcie = 0;
	sim.cfg[4] = 0xffff0000;
	sim.pending_until_us = 20000;
	assert_int_equal(partition_pci_reset(&ops, &fn, how, sizeof(how)), 0);
	assert_string_equal(how, "FLR");
	assert_int_equal(sim.flrs, 1);
	assert_true(sim.flr_at_us >= 20000);
	assert_int_equal(sim.cfg[4], 0xfebf0000);
}

/* Without FLR: no bus mastering, no decoding, no MSI or MSI-X; the BARs put back. */
static void test_without_flr(void **state)
{
	char how[64];

	sim.cfg[(PCIE + PCI_EXP_DEVCAP) / 4] = 0;
	sim.cfg[4] = 0xfebf0000;
	assert_int_equal(partition_pci_read_fn(&cfg, BDF, &fn), 0);
	assert_false(fn.flr);
	sim.cfg[4] = 0xffff0000;
	sim.cfg[1] = 0x00100407;	/* INTx disabled: left as it is */
	sim.cfg[MSI / 4] |= 0x00810000;
	sim.cfg[MSIX / 4] |= 0xc0000000;
	assert_int_equal(partition_pci_reset(&ops, &fn, how, sizeof(how)), 0);
	assert_string_equal(how, "bus master, decoding, MSI and MSI-X off");
	assert_int_equal(sim.flrs, 0);
	assert_int_equal(sim.now_us, 0);
	assert_int_equal(sim.cfg[1], 0x0400);
	assert_int_equal(sim.cfg[MSI / 4], 0x00806005);	/* 64-bit flag kept, enable off */
	assert_int_equal(sim.cfg[MSIX / 4], 0x40000011);	/* function mask kept */
	assert_int_equal(sim.cfg[4], 0xfebf0000);
	assert_int_equal(sim.cfg[0x30 / 4], 0xfeb80000);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_flr, setup),
		cmocka_unit_test_setup(test_flr_slow_and_dead, setup),
		cmocka_unit_test_setup(test_af_flr, setup),
		cmocka_unit_test_setup(test_without_flr, setup),
	};
	return cmocka_run_group_tests_name("partition_pci_reset", tests, NULL, NULL);
}
