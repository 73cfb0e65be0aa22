// SPDX-License-Identifier: GPL-2.0-only
/* Device ownership: ports, UARTs, IRQs, PCI functions, MMIO; conflicts between owners. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "partition/devices.h"

static struct memmap_entry ram[] = {
	{ 0, 0xa0000, MEMMAP_USABLE, 7 },
	{ 1 << 20, 255 << 20, MEMMAP_USABLE, 7 },
	{ 0xfec00000, 0x1000, MEMMAP_MMIO, 11 },
};
static struct memmap map = { ram, 3, 3 };
static struct partition_plan plan;
static struct partition_request req;

static int build(void)
{
	assert_int_equal(partition_plan_init(&plan, &map), 0);
	return partition_plan_build(&plan, &req);
}

static int reset(void **state)
{
	memset(&req, 0, sizeof(req));
	req.guest[0].present = req.guest[1].present = true;
	req.guest[1].placement = PARTITION_PLACE_LOW;
	return 0;
}

static void test_uart_table(void **state)
{
	static const uint16_t port[] = { 0x3f8, 0x2f8, 0x3e8, 0x2e8 };
	static const unsigned irq[] = { 4, 3, 4, 3 };

	for (unsigned n = 0; n < 4; n++) {
		assert_int_equal(partition_uart_port(n), port[n]);
		assert_int_equal(partition_uart_irq(n), irq[n]);
	}
	assert_string_equal(partition_uart_name(2), "com3");
	assert_null(partition_uart_name(4));
	assert_int_equal(partition_uart_port(4), 0);
}

static void test_devices_assigned(void **state)
{
	req.guest[0].uart_mask = 1 << 0;	/* com1 */
	req.guest[0].irq_mask = 1u << 11;
	req.guest[0].nr_ports = 3;
	req.guest[0].ports[0] = (struct partition_ports){ 0x400, 0x41f };
	req.guest[0].ports[1] = (struct partition_ports){ 0x3f0, 0x3f7 };	/* touches com1 */
	req.guest[0].ports[2] = (struct partition_ports){ 0x410, 0x420 };	/* overlaps */
	req.guest[0].nr_pci = 2;
	req.guest[0].pci[0] = PARTITION_BDF(0, 2, 0);
	req.guest[0].pci[1] = PARTITION_BDF(0, 2, 0);	/* listed twice: once */
	req.guest[1].uart_mask = 1 << 1;	/* com2 */
	req.guest[1].nr_pci = 1;
	req.guest[1].pci[0] = PARTITION_BDF(1, 0, 3);
	req.guest[1].nr_mmio = 1;
	req.guest[1].mmio[0] = (struct partition_range){ 0xfec00010, 0xfec00020 };
	assert_int_equal(build(), 0);

	const struct partition_guest *a = &plan.guest[0], *b = &plan.guest[1];

	/* 0x3f0-0x3f7, com1, 0x400-0x41f and 0x410-0x420 all touch: one range. */
	assert_int_equal(a->nr_ports, 1);
	assert_int_equal(a->ports[0].first, 0x3f0);
	assert_int_equal(a->ports[0].last, 0x420);
	assert_int_equal(a->irq_mask, (1u << 11) | (1u << 4));
	assert_int_equal(a->nr_pci, 1);
	assert_int_equal(b->nr_ports, 1);
	assert_int_equal(b->ports[0].first, 0x2f8);
	assert_int_equal(b->irq_mask, 1u << 3);
	assert_int_equal(b->pci[0], 0x103);
	assert_int_equal(b->nr_mmio, 1);
	assert_int_equal(b->mmio[0].base, 0xfec00000);	/* rounded out to the page */
	assert_int_equal(b->mmio[0].end, 0xfec01000);
}

static void test_shared_irq_line_conflict(void **state)
{
	req.guest[0].uart_mask = 1 << 0;	/* com1: irq 4 */
	req.guest[1].uart_mask = 1 << 2;	/* com3: irq 4 too */
	assert_int_equal(build(), -EBUSY);
	assert_string_equal(partition_error(&plan),
			    "partition: irq 4 claimed by guest a (com1) and guest b (com3)");
}

static void test_port_conflicts(void **state)
{
	req.guest[0].nr_ports = 1;
	req.guest[0].ports[0] = (struct partition_ports){ 0x60, 0x64 };
	req.guest[1].nr_ports = 1;
	req.guest[1].ports[0] = (struct partition_ports){ 0x64, 0x64 };
	assert_int_equal(build(), -EBUSY);
	assert_string_equal(partition_error(&plan),
			    "partition: ports 0x60-0x64 claimed by guest a and 0x64-0x64 by guest b");

	reset(state);
	req.guest[1].uart_mask = 1;
	req.has_log_port = true;
	req.log_port = (struct partition_ports){ 0x3f8, 0x3ff };
	assert_int_equal(build(), -EBUSY);
	assert_string_equal(partition_error(&plan),
			    "partition: guest b: ports 0x3f8-0x3ff overlap the monitor's log port "
			    "ports 0x3f8-0x3ff");

	reset(state);
	req.guest[0].nr_ports = 1;
	req.guest[0].ports[0] = (struct partition_ports){ 0xc00, 0xcff };
	assert_int_equal(build(), -EBUSY);
	assert_string_equal(partition_error(&plan),
			    "partition: guest a: ports 0xc00-0xcff overlap the monitor's PCI "
			    "configuration ports 0xcf8-0xcff");

	reset(state);
	req.nr_monitor_ports = 1;
	req.monitor_ports[0] = (struct partition_ports){ 0x20, 0x21 };
	req.guest[1].nr_ports = 1;
	req.guest[1].ports[0] = (struct partition_ports){ 0x21, 0x21 };
	assert_int_equal(build(), -EBUSY);

	reset(state);
	req.guest[0].nr_ports = 1;
	req.guest[0].ports[0] = (struct partition_ports){ 0x70, 0x6f };
	assert_int_equal(build(), -EINVAL);
}

static void test_pci_and_mmio_conflicts(void **state)
{
	req.guest[0].nr_pci = 1;
	req.guest[0].pci[0] = PARTITION_BDF(0, 0x1f, 3);
	req.guest[1].nr_pci = 1;
	req.guest[1].pci[0] = PARTITION_BDF(0, 0x1f, 3);
	assert_int_equal(build(), -EBUSY);
	assert_string_equal(partition_error(&plan), "partition: pci 00:1f.3 claimed by both guests");

	reset(state);
	req.guest[0].nr_mmio = 1;
	req.guest[0].mmio[0] = (struct partition_range){ 0x200000, 0x201000 };
	assert_int_equal(build(), -EINVAL);
	assert_string_equal(partition_error(&plan),
			    "partition: guest a: mmio 0x200000-0x200fff overlaps guest b's RAM");

	reset(state);
	req.guest[0].nr_mmio = 1;
	req.guest[0].mmio[0] = (struct partition_range){ 0xfec00000, 0xfec00100 };
	req.guest[1].nr_mmio = 1;
	req.guest[1].mmio[0] = (struct partition_range){ 0xfec00800, 0xfec00900 };
	assert_int_equal(build(), -EBUSY);
	assert_string_equal(partition_error(&plan),
			    "partition: mmio 0xfec00000-0xfec00fff of guest a shares a page with "
			    "0xfec00000-0xfec00fff of guest b");

	reset(state);
	req.guest[0].uart_mask = 1 << 4;	/* there is no com5 */
	assert_int_equal(build(), -EINVAL);
}

static void test_absent_guest_has_nothing(void **state)
{
	req.guest[1].present = false;
	req.guest[1].uart_mask = 1;	/* ignored: b does not run */
	req.guest[0].uart_mask = 1;
	assert_int_equal(build(), 0);
	assert_int_equal(plan.guest[1].nr_ports, 0);
	assert_int_equal(plan.guest[1].nr_ram, 0);
	assert_int_equal(plan.guest[0].nr_ports, 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_uart_table, reset),
		cmocka_unit_test_setup(test_devices_assigned, reset),
		cmocka_unit_test_setup(test_shared_irq_line_conflict, reset),
		cmocka_unit_test_setup(test_port_conflicts, reset),
		cmocka_unit_test_setup(test_pci_and_mmio_conflicts, reset),
		cmocka_unit_test_setup(test_absent_guest_has_nothing, reset),
	};
	return cmocka_run_group_tests_name("partition_devices", tests, NULL, NULL);
}
