// SPDX-License-Identifier: GPL-2.0-only
/*
 * A guest's PCI view beyond its functions' BARs: the INTx route of each function (QEMU q35's
 * chipset rule, the firmware's interrupt line), a line both guests need named as a conflict,
 * the virtual host bridge at 00:00.0 (its header, the filter sending 00:00.0 to it) and the
 * refusal of a config that assigns 00:00.0 itself.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "partition/devices.h"
#include "partition/pci_filter.h"
#include "partition/pci_host_bridge.h"
#include "partition/pci_root.h"
#include "partition/plan_print.h"

/* Config space: the host bridge's ID, and each function's interrupt register (0x3c). */
struct sim {
	uint32_t host_id;
	struct {
		uint16_t bdf;
		uint32_t intr;
	} fn[4];
	unsigned n;
};

static struct sim sim;

static uint32_t sim_read(void *ctx, uint16_t bdf, uint16_t reg)
{
	if (bdf == 0 && reg == PCI_REG_ID)
		return sim.host_id;
	for (unsigned i = 0; i < sim.n; i++)
		if (sim.fn[i].bdf == bdf)
			return reg == 0x3c ? sim.fn[i].intr : 0x11e81234;
	return 0xffffffff;
}

static void sim_write(void *ctx, uint16_t bdf, uint16_t reg, uint32_t val)
{
}

static const struct partition_pci_ops ops = { sim_read, sim_write, NULL };

static struct memmap_entry ram[] = {
	{ 1 << 20, 255 << 20, MEMMAP_USABLE, 7 },
};
static struct memmap map = { ram, 1, 1 };
static struct partition_plan plan;

static int plan_with(uint16_t a, uint16_t b)
{
	struct partition_request req = { 0 };

	req.guest[0].present = req.guest[1].present = true;
	req.guest[0].nr_pci = 1;
	req.guest[0].pci[0] = a;
	req.guest[1].nr_pci = b ? 1 : 0;
	req.guest[1].pci[0] = b;
	req.guest[1].uart_mask = 1u << 1;	/* com2: IRQ 3 */
	assert_int_equal(partition_plan_init(&plan, &map), 0);
	return partition_plan_build(&plan, &req);
}

static void sim_fn(uint16_t bdf, unsigned pin, unsigned line)
{
	sim.fn[sim.n].bdf = bdf;
	sim.fn[sim.n++].intr = pin << 8 | line;
}

static void test_q35_rule(void **state)
{
	/* QEMU's own DSDT: slots 0-0x17 rotate from PIRQ E + (slot & 3); A-H are GSI 16-23. */
	assert_int_equal(partition_intx_q35_gsi(0x10, 1), 20);	/* edu, as measured */
	assert_int_equal(partition_intx_q35_gsi(0x00, 1), 20);
	assert_int_equal(partition_intx_q35_gsi(0x01, 1), 21);
	assert_int_equal(partition_intx_q35_gsi(0x03, 2), 20);
	assert_int_equal(partition_intx_q35_gsi(0x17, 4), 22);
	assert_int_equal(partition_intx_q35_gsi(0x18, 2), 21);	/* E-H from E */
	assert_int_equal(partition_intx_q35_gsi(0x1e, 1), 20);
	assert_int_equal(partition_intx_q35_gsi(0x19, 1), 16);	/* A-D from A */
	assert_int_equal(partition_intx_q35_gsi(0x1d, 3), 18);
	assert_int_equal(partition_intx_q35_gsi(0x1f, 4), 19);
	assert_int_equal(partition_intx_q35_gsi(0x20, 1), 0);
	assert_int_equal(partition_intx_q35_gsi(0x10, 0), 0);
	assert_int_equal(partition_intx_q35_gsi(0x10, 5), 0);
}

static void test_routes(void **state)
{
	const struct partition_guest *a = &plan.guest[0];

	/* On q35 the chipset decides, whatever the firmware wrote as the line. */
	memset(&sim, 0, sizeof(sim));
	sim.host_id = 0x29c08086;
	sim_fn(PARTITION_BDF(0, 0x10, 0), 1, 11);
	assert_int_equal(plan_with(PARTITION_BDF(0, 0x10, 0), 0), 0);
	assert_int_equal(partition_add_pci_intx(&plan, 0, &ops), 0);
	assert_int_equal(a->nr_intx, 1);
	assert_int_equal(a->intx[0].pin, 1);
	assert_int_equal(a->intx[0].gsi, 20);
	assert_int_equal(a->intx[0].source, PARTITION_INTX_Q35);
	assert_true(a->irq_mask & (1u << 20));
	assert_false(a->irq_mask & (1u << 11));

	/* Another chipset: the interrupt line, when it is an I/O APIC input. */
	memset(&sim, 0, sizeof(sim));
	sim.host_id = 0x14501022;
	sim_fn(PARTITION_BDF(0, 5, 0), 2, 17);
	assert_int_equal(plan_with(PARTITION_BDF(0, 5, 0), 0), 0);
	assert_int_equal(partition_add_pci_intx(&plan, 0, &ops), 0);
	assert_int_equal(a->intx[0].gsi, 17);
	assert_int_equal(a->intx[0].source, PARTITION_INTX_LINE);
	assert_true(a->irq_mask & (1u << 17));

	/* 0xff ("unknown") or past the I/O APIC: no route, and no line claimed. */
	sim.fn[0].intr = 2 << 8 | 0xff;
	assert_int_equal(plan_with(PARTITION_BDF(0, 5, 0), 0), 0);
	assert_int_equal(partition_add_pci_intx(&plan, 0, &ops), 0);
	assert_int_equal(a->nr_intx, 1);
	assert_int_equal(a->intx[0].gsi, 0);
	assert_int_equal(a->intx[0].source, PARTITION_INTX_NONE);
	assert_int_equal(a->irq_mask, 0);

	/* No pin: nothing to route. A pin past INTD is refused. */
	sim.fn[0].intr = 0x0000000a;
	assert_int_equal(plan_with(PARTITION_BDF(0, 5, 0), 0), 0);
	assert_int_equal(partition_add_pci_intx(&plan, 0, &ops), 0);
	assert_int_equal(a->nr_intx, 0);
	sim.fn[0].intr = 5 << 8;
	assert_int_equal(plan_with(PARTITION_BDF(0, 5, 0), 0), 0);
	assert_int_equal(partition_add_pci_intx(&plan, 0, &ops), -EINVAL);
	assert_string_equal(partition_error(&plan),
			    "partition: guest a: pci 00:05.0: interrupt pin 5 is not INTA-INTD");
}

static char printed[8192];

static void emit(void *ctx, const char *line)
{
	size_t n = strlen(printed);

	snprintf(printed + n, sizeof(printed) - n, "%s\n", line);
}

/* The plan shows the q35 prediction before the boot reads pins, the route after. */
static void test_plan_print(void **state)
{
	memset(&sim, 0, sizeof(sim));
	sim.host_id = 0x29c08086;
	sim_fn(PARTITION_BDF(0, 0x11, 0), 2, 0);
	assert_int_equal(plan_with(PARTITION_BDF(0, 0x11, 0), 0), 0);
	printed[0] = 0;
	partition_plan_print(&plan, emit, NULL);
	assert_non_null(strstr(printed, "  pci    00:11.0 (BARs not read yet)\n"
					"    INTx read at boot; on QEMU q35 INTA-INTD -> GSI "
					"21 22 23 20\n"));
	assert_int_equal(partition_add_pci_intx(&plan, 0, &ops), 0);
	printed[0] = 0;
	partition_plan_print(&plan, emit, NULL);
	assert_non_null(strstr(printed, "  pci    00:11.0 (BARs not read yet)\n"
					"    INTB -> GSI 22 (q35 routing)\n"));
}

/* The config's "@N" wins over every rule. */
static void test_config_override(void **state)
{
	struct partition_request req = { 0 };
	const struct partition_guest *a = &plan.guest[0];

	memset(&sim, 0, sizeof(sim));
	sim.host_id = 0x29c08086;
	sim_fn(PARTITION_BDF(0, 0x10, 0), 1, 11);
	req.guest[0].present = true;
	req.guest[0].nr_pci = 1;
	req.guest[0].pci[0] = PARTITION_BDF(0, 0x10, 0);
	req.guest[0].pci_gsi[0] = 22;
	assert_int_equal(partition_plan_init(&plan, &map), 0);
	assert_int_equal(partition_plan_build(&plan, &req), 0);
	assert_int_equal(partition_add_pci_intx(&plan, 0, &ops), 0);
	assert_int_equal(a->intx[0].gsi, 22);
	assert_int_equal(a->intx[0].source, PARTITION_INTX_CONFIG);
	assert_int_equal(a->irq_mask, 1u << 22);
	req.guest[0].pci_gsi[0] = 2;
	assert_int_equal(partition_plan_init(&plan, &map), 0);
	assert_int_equal(partition_plan_build(&plan, &req), -EINVAL);
	assert_string_equal(partition_error(&plan), "partition: guest a: pci 00:10.0: GSI 2 is no "
						    "I/O APIC input for a device");
}

/* The root bridge from the plan: windows for assigned BARs, one route per (slot, pin). */
static void test_pci_root(void **state)
{
	static struct partition_pci_root root;
	struct partition_guest *a = &plan.guest[0];

	assert_int_equal(plan_with(PARTITION_BDF(0, 0x10, 0), 0), 0);
	a->nr_bars = 3;
	a->bars[0] = (struct partition_bar){ PARTITION_BDF(0, 0x10, 0), 0, PARTITION_BAR_MEM32,
					     false, 0xfebf1000, 0x1000 };
	a->bars[1] = (struct partition_bar){ PARTITION_BDF(0, 0x10, 0), 1, PARTITION_BAR_IO,
					     false, 0, 0x20 };	/* unassigned */
	a->bars[2] = (struct partition_bar){ PARTITION_BDF(0, 0x10, 1), 0, PARTITION_BAR_MEM64,
					     true, 0x800000000ull, 0x4000 };
	a->nr_intx = 4;
	a->intx[0] = (struct partition_intx){ PARTITION_BDF(0, 0x10, 0), 1, 20,
					      PARTITION_INTX_Q35 };
	a->intx[1] = (struct partition_intx){ PARTITION_BDF(0, 0x10, 1), 1, 20,
					      PARTITION_INTX_Q35 };
	a->intx[2] = (struct partition_intx){ PARTITION_BDF(0, 0x11, 0), 2, 0,
					      PARTITION_INTX_NONE };
	a->intx[3] = (struct partition_intx){ PARTITION_BDF(1, 0x00, 0), 1, 17,
					      PARTITION_INTX_LINE };
	partition_pci_root(&plan, 0, 1, &root);
	assert_int_equal(root.pci.bus_end, 1);
	assert_int_equal(root.pci.n_windows, 2);
	assert_true(root.pci.windows[0].base == 0xfebf1000 && !root.pci.windows[0].io);
	assert_true(root.pci.windows[1].base == 0x800000000ull && root.pci.windows[1].prefetchable);
	/* 00:10.0 and 00:10.1 share slot 0x10 INTA; 00:11.0 has no route; bus 1 is left out. */
	assert_int_equal(root.pci.n_routes, 1);
	assert_int_equal(root.pci.routes[0].dev, 0x10);
	assert_int_equal(root.pci.routes[0].pin, 0);
	assert_int_equal(root.pci.routes[0].gsi, 20);
	assert_true(acpi_pci_valid(&root.pci));

	/* An mmio range on the ECAM window is refused, naming both. */
	a->nr_mmio = 1;
	a->mmio[0] = (struct partition_range){ 0xb0010000, 0xb0011000 };
	assert_int_equal(partition_check_ecam(&plan, 0, 0xb0000000, 0xc0000000), -EBUSY);
	assert_string_equal(partition_error(&plan),
			    "partition: guest a: mmio 0xb0010000-0xb0010fff overlaps the ECAM "
			    "window 0xb0000000-0xbfffffff (configuration space is the monitor's)");
	assert_int_equal(partition_check_ecam(&plan, 0, 0xb0100000, 0xb0200000), 0);
}

static void test_shared_line_names_both(void **state)
{
	/* Slots 0x10 and 0x14 both start at PIRQ E: one line, two owners. */
	memset(&sim, 0, sizeof(sim));
	sim.host_id = 0x29c08086;
	sim_fn(PARTITION_BDF(0, 0x10, 0), 1, 0);
	sim_fn(PARTITION_BDF(0, 0x14, 0), 1, 0);
	assert_int_equal(plan_with(PARTITION_BDF(0, 0x10, 0), PARTITION_BDF(0, 0x14, 0)), 0);
	assert_int_equal(partition_add_pci_intx(&plan, 0, &ops), 0);
	assert_int_equal(partition_add_pci_intx(&plan, 1, &ops), -EBUSY);
	assert_string_equal(partition_error(&plan),
			    "partition: irq 20 claimed by guest a (pci 00:10.0 INTA) and guest b "
			    "(pci 00:14.0 INTA)");
	/* Different slots, different lines: fine. */
	sim.fn[1].bdf = PARTITION_BDF(0, 0x11, 0);
	assert_int_equal(plan_with(PARTITION_BDF(0, 0x10, 0), PARTITION_BDF(0, 0x11, 0)), 0);
	assert_int_equal(partition_add_pci_intx(&plan, 0, &ops), 0);
	assert_int_equal(partition_add_pci_intx(&plan, 1, &ops), 0);
	assert_true(plan.guest[1].irq_mask & (1u << 21));
}

static void test_host_bridge_not_assignable(void **state)
{
	assert_int_equal(plan_with(0, 0), -EINVAL);
	assert_string_equal(partition_error(&plan),
			    "partition: guest a: pci 00:00.0 is the host bridge; a guest sees a "
			    "virtual one there and cannot own it");
}

static void test_host_bridge_view(void **state)
{
	static struct pci_filter f;
	struct pci_filter_decision d;

	assert_int_equal(plan_with(PARTITION_BDF(0, 3, 0), 0), 0);
	assert_int_equal(partition_pci_filter(&plan, 0, 0, 0, &f), 0);
	assert_true(f.host_bridge);
	/* Through 0xcf8/0xcfc and ECAM, at any width: the virtual bridge. */
	pci_filter_port(&f, PCI_CF8_ENABLE | 0x08, PCI_CFG_DATA + 2, 2, false, 0, &d);
	assert_int_equal(d.action, PCI_FILTER_HOST_BRIDGE);
	assert_int_equal(d.reg, 0x0a);
	pci_filter_ecam(&f, 0x0, 4, true, &d);
	assert_int_equal(d.action, PCI_FILTER_HOST_BRIDGE);
	/* Its other functions and everyone else's stay absent. */
	pci_filter_ecam(&f, 0x1000, 4, false, &d);
	assert_int_equal(d.action, PCI_FILTER_READ_ONES);

	assert_int_equal(pci_host_bridge_read(&f, 0x00, 4), 0x00081b36);
	assert_int_equal(pci_host_bridge_read(&f, 0x02, 2), 0x0008);
	assert_int_equal(pci_host_bridge_read(&f, 0x0b, 1), 0x06);	/* base class */
	assert_int_equal(pci_host_bridge_read(&f, 0x0a, 2), 0x0600);
	assert_int_equal(pci_host_bridge_read(&f, 0x0e, 1), 0x00);	/* single function */
	assert_int_equal(pci_host_bridge_read(&f, 0x04, 4), 0);	/* no capability list */
	assert_int_equal(pci_host_bridge_read(&f, 0x10, 4), 0);	/* no BARs */
	assert_int_equal(pci_host_bridge_read(&f, 0x3d, 1), 0);	/* no interrupt pin */
	assert_int_equal(pci_host_bridge_read(&f, 0x100, 4), 0);	/* no extended caps */
	/* Owning 00:00.3 makes it multi-function, so that Linux scans the slot. */
	pci_filter_own(&f, 3);
	assert_int_equal(pci_host_bridge_read(&f, 0x0e, 1), 0x80);

	/* A guest without functions has no bridge: 00:00.0 is absent like the rest. */
	assert_int_equal(partition_pci_filter(&plan, 1, 0, 0, &f), 0);
	assert_false(f.host_bridge);
	pci_filter_ecam(&f, 0x0, 4, false, &d);
	assert_int_equal(d.action, PCI_FILTER_READ_ONES);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_q35_rule),
		cmocka_unit_test(test_routes),
		cmocka_unit_test(test_config_override),
		cmocka_unit_test(test_pci_root),
		cmocka_unit_test(test_shared_line_names_both),
		cmocka_unit_test(test_plan_print),
		cmocka_unit_test(test_host_bridge_not_assignable),
		cmocka_unit_test(test_host_bridge_view),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
