// SPDX-License-Identifier: GPL-2.0-only
/* PCI capability lists: found, absent, and broken lists that loop or point into the header. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "partition/pci_caps.h"

static uint32_t cfg[1024];	/* one function's 4 KiB */
static unsigned reads;

static uint32_t caps_read(void *ctx, uint16_t bdf, uint16_t reg)
{
	assert_int_equal(bdf, 0x0018);
	assert_true(reg < 0x1000 && !(reg & 3));
	reads++;
	return cfg[reg / 4];
}

static const struct partition_pci_ops ops = { caps_read, NULL, NULL };

static void caps_reset(void)
{
	memset(cfg, 0, sizeof(cfg));
	reads = 0;
	cfg[PCI_REG_COMMAND / 4] = (uint32_t)PCI_STATUS_CAPS << 16;
}

static void test_caps_list(void **state)
{
	caps_reset();
	cfg[PCI_REG_CAP_PTR / 4] = 0x43;	/* reserved low bits set: masked */
	cfg[0x40 / 4] = 0x5001;			/* PM -> 0x50 */
	cfg[0x50 / 4] = 0x7005;			/* MSI -> 0x70 */
	cfg[0x70 / 4] = 0x0011;			/* MSI-X, end */
	assert_int_equal(pci_caps_find(&ops, 0x18, PCI_CAP_PM), 0x40);
	assert_int_equal(pci_caps_find(&ops, 0x18, PCI_CAP_MSI), 0x50);
	assert_int_equal(pci_caps_find(&ops, 0x18, PCI_CAP_MSIX), 0x70);
	assert_int_equal(pci_caps_find(&ops, 0x18, PCI_CAP_PCIE), 0);
	/* Without the status bit the pointer means nothing. */
	cfg[PCI_REG_COMMAND / 4] = 0;
	assert_int_equal(pci_caps_find(&ops, 0x18, PCI_CAP_MSI), 0);
}

static void test_caps_broken(void **state)
{
	caps_reset();
	cfg[PCI_REG_CAP_PTR / 4] = 0x40;
	cfg[0x40 / 4] = 0x4001;			/* points at itself */
	assert_int_equal(pci_caps_find(&ops, 0x18, PCI_CAP_MSI), 0);
	assert_true(reads < 64);
	cfg[0x40 / 4] = 0x1001;			/* into the header: the walk ends */
	assert_int_equal(pci_caps_find(&ops, 0x18, PCI_CAP_MSI), 0);
}

static void test_caps_ext(void **state)
{
	caps_reset();
	cfg[0x100 / 4] = 0x14010001;		/* AER v1 -> 0x140 */
	cfg[0x140 / 4] = 0x20010015;		/* ReBAR -> 0x200 */
	cfg[0x200 / 4] = 0x00010010;		/* SR-IOV, end */
	assert_int_equal(pci_caps_find_ext(&ops, 0x18, PCI_EXT_CAP_REBAR), 0x140);
	assert_int_equal(pci_caps_find_ext(&ops, 0x18, PCI_EXT_CAP_SRIOV), 0x200);
	assert_int_equal(pci_caps_find_ext(&ops, 0x18, PCI_EXT_CAP_VF_REBAR), 0);
	/* A loop, and a function without extended space (all ones). */
	cfg[0x200 / 4] = 0x14010010;
	reads = 0;
	assert_int_equal(pci_caps_find_ext(&ops, 0x18, PCI_EXT_CAP_VF_REBAR), 0);
	assert_true(reads <= (0x1000 - 0x100) / 4);
	memset(cfg + 0x40, 0xff, sizeof(cfg) - 0x100);
	assert_int_equal(pci_caps_find_ext(&ops, 0x18, PCI_EXT_CAP_SRIOV), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_caps_list),
		cmocka_unit_test(test_caps_broken),
		cmocka_unit_test(test_caps_ext),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
