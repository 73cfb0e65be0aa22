// SPDX-License-Identifier: GPL-2.0-only
/* The Linux command line under the monitor: the user's options first and winning. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "partition/cmdline.h"

static struct memmap_entry ram[] = {
	{ 0, 0xa0000, MEMMAP_USABLE, 7 },
	{ 1 << 20, 255 << 20, MEMMAP_USABLE, 7 },
};
static struct memmap map = { ram, 2, 2 };
static struct partition_plan plan;
static struct partition_request req;

static void build(uint32_t uarts_a, uint32_t uarts_b, size_t pci_b)
{
	memset(&req, 0, sizeof(req));
	req.guest[0].present = req.guest[1].present = true;
	req.guest[1].placement = PARTITION_PLACE_LOW;
	req.guest[0].uart_mask = uarts_a;
	req.guest[1].uart_mask = uarts_b;
	req.guest[1].nr_pci = pci_b;
	req.guest[1].pci[0] = PARTITION_BDF(0, 2, 0);
	assert_int_equal(partition_plan_init(&plan, &map), 0);
	assert_int_equal(partition_plan_build(&plan, &req), 0);
}

static void test_cmdline_defaults(void **state)
{
	char out[512];
	int n;

	build(1u << 0, 1u << 1, 0);
	n = partition_linux_cmdline(&plan, 0, "quiet panic=-1", 2096000, out, sizeof(out));
	assert_int_equal(n, (int)strlen(out));
	assert_string_equal(out, "quiet panic=-1 tsc_early_khz=2096000 tsc=reliable pci=off "
				 "io_delay=none reboot=acpi 8250.nr_uarts=1 console=ttyS0,115200");
	/* COM2 is ttyS1, so the 8250 driver needs two lines. */
	assert_true(partition_linux_cmdline(&plan, 1, NULL, 0, out, sizeof(out)) > 0);
	assert_string_equal(out, "tsc=reliable pci=off io_delay=none reboot=acpi 8250.nr_uarts=2 "
				 "console=ttyS1,115200");
}

static void test_cmdline_user_wins(void **state)
{
	char out[512];

	build(1u << 0, 1u << 1, 1);
	assert_true(partition_linux_cmdline(&plan, 1, "console=ttyS1,9600 tsc=unstable "
						      "8250.nr_uarts=4 tsc_early_khz=1000  ",
					    3000000, out, sizeof(out)) > 0);
	/* It owns a PCI function: no pci= option, its ACPI tables describe the bus. */
	assert_string_equal(out, "console=ttyS1,9600 tsc=unstable 8250.nr_uarts=4 "
				 "tsc_early_khz=1000 io_delay=none reboot=acpi");
	/* A prefix is not the option: "tscx" does not stop "tsc=". */
	assert_true(partition_linux_cmdline(&plan, 0, "tscx=1 io_delay", 0, out, sizeof(out)) > 0);
	assert_string_equal(out, "tscx=1 io_delay tsc=reliable pci=off reboot=acpi 8250.nr_uarts=1 "
				 "console=ttyS0,115200");
}

static void test_cmdline_no_uart(void **state)
{
	char out[512];

	build(0, 1u << 1, 0);
	assert_true(partition_linux_cmdline(&plan, 0, "", 0, out, sizeof(out)) > 0);
	assert_string_equal(out, "tsc=reliable pci=off io_delay=none reboot=acpi 8250.nr_uarts=0");
}

static void test_cmdline_errors(void **state)
{
	char out[512];

	build(1u << 0, 1u << 1, 0);
	assert_int_equal(partition_linux_cmdline(&plan, 2, "", 0, out, sizeof(out)), -EINVAL);
	assert_int_equal(partition_linux_cmdline(&plan, 0, "", 0, NULL, 10), -EINVAL);
	/* Too short for the additions, and too short for the user's line itself. */
	assert_int_equal(partition_linux_cmdline(&plan, 0, "quiet", 0, out, 20), -ENOSPC);
	assert_int_equal(partition_linux_cmdline(&plan, 0, "quiet", 0, out, 5), -ENOSPC);
	/* Exactly enough. */
	assert_int_equal(partition_linux_cmdline(&plan, 0, "quiet", 0, out, sizeof(out)), 89);
	assert_int_equal(partition_linux_cmdline(&plan, 0, "quiet", 0, out, 90), 89);
	assert_int_equal(partition_linux_cmdline(&plan, 0, "quiet", 0, out, 89), -ENOSPC);
}

/* Init's arguments after "--" stay last, and options there are not the kernel's. */
static void test_cmdline_init_args(void **state)
{
	char out[512];

	build(1u << 0, 1u << 1, 0);
	assert_true(partition_linux_cmdline(&plan, 0, "quiet -- single console=x ", 0, out,
					    sizeof(out)) > 0);
	assert_string_equal(out, "quiet tsc=reliable pci=off io_delay=none reboot=acpi "
				 "8250.nr_uarts=1 console=ttyS0,115200 -- single console=x");
	assert_false(partition_cmdline_has("a -- console=ttyS0", "console"));
	assert_true(partition_cmdline_has("console=ttyS0 -- a", "console"));
	assert_true(partition_cmdline_has("a --x=1", "--x"));
}

static void test_cmdline_has(void **state)
{
	assert_true(partition_cmdline_has("a b=1 c", "b"));
	assert_true(partition_cmdline_has("a\tb c", "b"));
	assert_false(partition_cmdline_has("a bb=1 c", "b"));
	assert_false(partition_cmdline_has("", "b"));
	assert_false(partition_cmdline_has(NULL, "b"));
	assert_true(partition_cmdline_has("console=ttyS0", "console"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cmdline_defaults),
		cmocka_unit_test(test_cmdline_user_wins),
		cmocka_unit_test(test_cmdline_no_uart),
		cmocka_unit_test(test_cmdline_errors),
		cmocka_unit_test(test_cmdline_has),
		cmocka_unit_test(test_cmdline_init_args),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
