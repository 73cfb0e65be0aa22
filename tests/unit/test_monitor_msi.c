// SPDX-License-Identifier: GPL-2.0-only
/*
 * MSI of a guest's own PCI function, remapped (monitor/vmsi.c), through its configuration
 * accesses to 0xcf8/0xcfc (monitor/vio.c) on the fake machine's simulated function: the guest
 * reads back what it wrote, the device only ever holds the monitor's message (its LAPIC, a
 * vector of the guest's range that is allocated), refused messages are never enabled, and the
 * capability walk copes with broken lists. Arrivals: test_monitor_msi_arrival.c.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "monitor/test_fake.h"
#include "monitor/vio.h"
#include "monitor/vmsi.h"
#include "tests/unit/iommu_fixture.h"
#include "tests/unit/msi_fixture.h"

static void test_deliverable_rules(void **state)
{
	static const struct {
		unsigned mode;
		const char *why;
	} refused[] = { { 2, "delivery mode SMI" }, { 3, "delivery mode reserved (011)" },
			{ 4, "delivery mode NMI" }, { 5, "delivery mode INIT" },
			{ 6, "delivery mode reserved (110)" }, { 7, "delivery mode ExtINT" } };
	struct vlapic l;
	char why[80];

	vlapic_init(&l, 0, false, 1000000, 100000);
	for (size_t i = 0; i < sizeof(refused) / sizeof(refused[0]); i++) {
		assert_false(vmsi_deliverable(&l, APIC, refused[i].mode << 8 | 0x51, why,
					      sizeof(why)));
		assert_string_equal(why, refused[i].why);
	}
	for (unsigned v = 0; v < 16; v++)
		assert_false(vmsi_deliverable(&l, APIC, v, why, sizeof(why)));
	assert_string_equal(why, "vector 0x0f is below 16");
	/* Every vector from 16 is the guest's to use: the device never sends it as such. */
	for (unsigned v = 16; v < 256; v++) {
		assert_true(vmsi_deliverable(&l, APIC, v, why, sizeof(why)));
		assert_true(vmsi_deliverable(&l, APIC, 0x100 | v, why, sizeof(why)));
	}
	assert_false(vmsi_deliverable(&l, 0xfed00000u, 0x51, why, sizeof(why)));
	assert_string_equal(why, "address 0xfed00000 is not the local APIC's");
	assert_false(vmsi_deliverable(&l, 0x1fee00000ULL, 0x51, why, sizeof(why)));
	/* Destinations: its own ID, the broadcast; logical ones through its LDR. */
	assert_false(vmsi_deliverable(&l, APIC | 1 << 12, 0x51, why, sizeof(why)));
	assert_string_equal(why, "destination 0x01 (physical) is not its local APIC");
	assert_true(vmsi_deliverable(&l, APIC | 0xff << 12, 0x51, why, sizeof(why)));
	assert_false(vmsi_deliverable(&l, APIC | 1 << 12 | 4, 0x51, why, sizeof(why)));
	assert_int_equal(vlapic_mmio_write(&l, VLAPIC_LDR, 1u << 24, 0), 0);
	assert_true(vmsi_deliverable(&l, APIC | 1 << 12 | 4, 0x51, why, sizeof(why)));
	assert_true(vmsi_deliverable(&l, APIC | 1 << 12 | 0xc, 0x151, why, sizeof(why)));
	assert_false(vmsi_deliverable(NULL, APIC, 0x51, why, sizeof(why)));
}

/* The guest reads back its own message; the device holds the monitor's. */
static void test_msi_remapped(void **state)
{
	struct fake *f = *state;
	struct guest *g = &f->m.guest[0];

	msifx_std_function(f);
	msifx_program(f, APIC, 0x4051);	/* fixed, level trigger bit set: an MSI is an edge */
	assert_int_equal(msifx_rd(f, MSI + 4, 4), APIC);
	assert_int_equal(msifx_rd(f, MSI + 8, 4), 0);
	assert_int_equal(msifx_rd(f, MSI + 12, 4), 0x4051);
	assert_int_equal(msifx_rd(f, MSI + 12, 1), 0x51);
	assert_int_equal(msifx_rd(f, MSI + 2, 2) & 0x0071, 0x0001);
	/* One message: Multiple Message Capable reads 0 (the device says 8). */
	assert_int_equal(msifx_rd(f, MSI + 2, 2) & 0x000e, 0);
	assert_int_equal(msifx_rd(f, MSI, 4) & 0xffff, 0x0005);
	assert_true(msifx_hw_on(f));
	assert_int_equal(msifx_hw(f, MSI + 4, 4), MON_ADDR);
	assert_int_equal(msifx_hw(f, MSI + 8, 4), 0);
	assert_int_equal(msifx_hw(f, MSI + 12, 4), IRQ_MSI_VECTOR(0, 0));
	assert_true(g->msi_vec[0].used);
	assert_int_equal(g->msi[0].msi_slot, 0);
	/* Multiple Message Enable never reaches the device. */
	msifx_wr(f, MSI + 2, 2, 0x0031);
	assert_int_equal(msifx_hw(f, MSI + 2, 2) & 0x70, 0);
	assert_int_equal(msifx_rd(f, MSI + 2, 2) & 0x70, 0);
	assert_true(msifx_hw_on(f));
	assert_int_equal(f->nlog, 0);
}

/*
 * With an IOMMU that remaps interrupts: the vector is routed to the function (its table entry
 * for the vector, fixed to the monitor's APIC) before the device gets the same message as
 * without one; a function the IOMMU does not know of never gets its MSI enabled.
 */
static void test_msi_routed_by_iommu(void **state)
{
	struct fake *f = *state;
	struct guest *g = &f->m.guest[0];
	static struct iommu io;
	struct iommu_pool pool;
	void *mem = iommufx_build_fn(&io, &pool, true, BDF);
	uint8_t v = IRQ_MSI_VECTOR(0, 0);

	assert_true(io.intremap);
	f->m.iommu = &io;
	msifx_std_function(f);
	msifx_program(f, APIC, 0x51);
	assert_true(msifx_hw_on(f));
	assert_int_equal(msifx_hw(f, MSI + 4, 4), MON_ADDR);
	assert_int_equal(msifx_hw(f, MSI + 12, 4), v);
	assert_true(io.owned[0].irt[v] == amdvi_irte(v, APIC_ID));
	for (unsigned i = 0; i < AMDVI_IRT_ENTRIES; i++)
		assert_true(i == v || !io.owned[0].irt[i]);
	free(mem);

	/* The IOMMU was built for another function: its MSI stays off, the slot is free. */
	msifx_wr(f, MSI + 2, 2, 0);
	mem = iommufx_build_fn(&io, &pool, true, PARTITION_BDF(0, 4, 0));
	msifx_program(f, APIC, 0x52);
	assert_false(msifx_hw_on(f));
	assert_false(g->msi_vec[0].used);
	assert_int_equal(g->msi[0].msi_slot, GUEST_MSI_NONE);
	assert_true(fake_log_find(f, "MSI: the IOMMU did not take the vector's remapping entry: "
				     "not enabled on the device") >= 0);
	f->m.iommu = NULL;
	free(mem);
}

/* INIT, NMI, SMI, ExtINT, vectors 0-15, other addresses: never enabled on the device, which
 * never sees the guest's message at all. */
static void test_msi_refused_messages(void **state)
{
	struct fake *f = *state;
	static const unsigned data[] = { 0x551, 0x451, 0x251, 0x751, 0x351, 0x651, 0x0f, 0x00,
					 0x102 };

	msifx_std_function(f);
	for (size_t i = 0; i < sizeof(data) / sizeof(data[0]); i++) {
		msifx_program(f, APIC, data[i]);
		assert_false(msifx_hw_on(f));
		assert_int_equal(msifx_hw(f, MSI + 12, 4), 0);
		assert_int_equal(msifx_hw(f, MSI + 4, 4), 0);
		/* The guest reads its own values back, Enable included. */
		assert_int_equal(msifx_rd(f, MSI + 12, 2), data[i]);
		assert_true(msifx_rd(f, MSI + 2, 2) & 1);
	}
	msifx_program(f, 0xfed00000, 0x51);
	assert_false(msifx_hw_on(f));
	msifx_program(f, 0x00001000, 0x51);
	assert_false(msifx_hw_on(f));
	assert_true(fake_log_find(f, "monitor: guest a: pci 00:03.0: MSI to 0xfee00000, data "
				     "0x551 refused (delivery mode INIT): not enabled on the "
				     "device") >= 0);
	assert_int_equal(fake_log_count(f, "MSI to"), 1);
	assert_false(f->m.guest[0].msi_vec[0].used);
	/* A good message: on. The high dword makes it another address: off at once. */
	msifx_program(f, APIC, 0x51);
	assert_true(msifx_hw_on(f));
	msifx_wr(f, MSI + 8, 4, 1);
	assert_false(msifx_hw_on(f));
	assert_int_equal(msifx_hw(f, MSI + 8, 4), 0);
}

static void test_msi_widths(void **state)
{
	struct fake *f = *state;

	msifx_std_function(f);
	/* Address and data a byte and a word at a time, enable with a byte. */
	msifx_wr(f, MSI + 4, 2, 0x0000);
	msifx_wr(f, MSI + 6, 2, 0xfee0);
	msifx_wr(f, MSI + 12, 1, 0x51);
	msifx_wr(f, MSI + 2, 1, 0x01);
	assert_true(msifx_hw_on(f));
	assert_int_equal(msifx_rd(f, MSI + 4, 4), APIC);
	assert_int_equal(msifx_rd(f, MSI + 6, 2), 0xfee0);
	/* The delivery mode byte alone, while enabled: INIT. */
	msifx_wr(f, MSI + 13, 1, 0x05);
	assert_false(msifx_hw_on(f));
	assert_int_equal(msifx_rd(f, MSI + 12, 2), 0x0551);
	/* A word at the data: fixed again, on again without a new Enable write. */
	msifx_wr(f, MSI + 12, 2, 0x0051);
	assert_true(msifx_hw_on(f));
	/* The address's high word alone; then its high dword's top byte. */
	msifx_wr(f, MSI + 6, 2, 0x0000);
	assert_false(msifx_hw_on(f));
	msifx_wr(f, MSI + 6, 2, 0xfee0);
	assert_true(msifx_hw_on(f));
	msifx_wr(f, MSI + 11, 1, 0x80);
	assert_false(msifx_hw_on(f));
	assert_int_equal(msifx_rd(f, MSI + 8, 4), 0x80000000u);
	/* Bits 1:0 of the address are reserved zeros. */
	msifx_wr(f, MSI + 4, 1, 0x03);
	assert_int_equal(msifx_rd(f, MSI + 4, 4), APIC);
}

/* A 32-bit capability (data at cap + 8); extended message data is not offered. */
static void test_msi_32bit_and_extended_data(void **state)
{
	struct fake *f = *state;

	msifx_add_header(f, true, MSI);
	msifx_add_msi(f, MSI, 0, false, true);
	/* As at the guest's start: its functions are found before it runs. */
	vmsi_guest_reset(&f->m, &f->m.guest[0], f->m.guest[0].vcpu[0].cpu);
	assert_int_equal(msifx_rd(f, MSI + 2, 2) & 0x0600, 0);	/* not capable, not enabled */
	msifx_wr(f, MSI + 4, 4, APIC);
	msifx_wr(f, MSI + 8, 4, 0x12340051);
	msifx_wr(f, MSI, 4, 0x04010000);
	assert_true(msifx_hw_on(f));
	assert_int_equal(msifx_hw(f, MSI + 8, 4), IRQ_MSI_VECTOR(0, 0));
	assert_int_equal(msifx_hw(f, MSI + 2, 2) & 0x400, 0);
	assert_int_equal(msifx_rd(f, MSI + 8, 4), 0x51);
	assert_int_equal(msifx_rd(f, MSI + 2, 2) & 0x0601, 0x0001);
}

/*
 * A device whose registers change behind the write (here: enabling MSI makes its data some
 * other vector): what the monitor programmed is not what the hardware holds after the write,
 * and the read-back disables it.
 */
static void other_on_enable(struct fake *f, uint16_t reg, uint8_t size)
{
	if (reg <= MSI + 2 && reg + size > MSI + 2 && (f->cfg[MSI + 2] & 1))
		f->cfg[MSI + 12] = 0xec;
}

static void test_msi_read_back_after_write(void **state)
{
	struct fake *f = *state;

	msifx_std_function(f);
	msifx_watch.msi = 0;	/* the device breaks it between the write and the check */
	f->cfg_written = other_on_enable;
	msifx_program(f, APIC, 0x51);
	assert_false(msifx_hw_on(f));
	assert_true(fake_log_find(f, "MSI: the device does not hold the monitor's message: MSI "
				     "disabled") >= 0);
}

/* What the firmware left enabled is cleared at the function's first access, or at a reset. */
static void test_enabled_before_first_write(void **state)
{
	struct fake *f = *state;
	struct guest *g = &f->m.guest[0];

	msifx_std_function(f);
	msifx_watch.msi = 0;	/* the fake starts in the state the watch forbids */
	msifx_put(f, MSI + 12, 2, 0x0500, 0xffff);
	msifx_put(f, MSI + 4, 4, APIC, 0xfffffffc);
	msifx_put(f, MSI + 2, 2, 0x0087, 0x0071);
	msifx_wr(f, 0x04, 2, 0x0006);
	assert_int_equal(msifx_hw(f, 0x04, 2), 0x0006);
	assert_false(msifx_hw_on(f));
	assert_int_equal(msifx_rd(f, MSI + 2, 2) & 1, 0);
	/* vmsi_guest_reset on a (re)start does the same without an access, and forgets. */
	msifx_watch.msi = MSI;
	msifx_program(f, APIC, 0x51);
	assert_true(msifx_hw_on(f));
	vmsi_guest_reset(&f->m, g, g->vcpu[0].cpu);
	assert_false(msifx_hw_on(f));
	assert_false(g->msi_vec[0].used);
	assert_int_equal(g->msi[0].msi_slot, GUEST_MSI_NONE);
	assert_int_equal(msifx_rd(f, MSI + 4, 4), 0);
	assert_int_equal(msifx_rd(f, MSI + 2, 2) & 1, 0);
}

/* No capability list: writes anywhere pass untouched, and nothing else is written. */
static void test_function_without_capabilities(void **state)
{
	struct fake *f = *state;

	msifx_add_header(f, false, MSI);
	msifx_add_msi(f, MSI, 0, true, false);	/* not in a list: the status bit says none */
	msifx_watch.msi = 0;
	msifx_put(f, 0x80, 4, 0, 0xffffffff);
	msifx_wr(f, 0x80, 4, 0x12345678);
	assert_int_equal(msifx_hw(f, 0x80, 4), 0x12345678);
	msifx_wr(f, 0x04, 2, 0x0002);
	assert_int_equal(msifx_hw(f, 0x04, 2), 0x0002);
	assert_int_equal(f->cfg_writes, 2);
	assert_int_equal(f->nlog, 0);
	assert_int_equal(f->m.guest[0].msi[0].msi, 0);
	assert_int_equal(f->m.guest[0].msi[0].msix, 0);
}

static void test_broken_capability_lists(void **state)
{
	struct fake *f = *state;
	struct guest *g = &f->m.guest[0];

	/* A capability pointing at itself: the walk stops after VMSI_WALK_MAX entries. */
	msifx_add_header(f, true, 0x40);
	msifx_put(f, 0x40, 4, 0x4009, 0);
	msifx_put(f, 0x80, 4, 0, 0xffffffff);
	msifx_wr(f, 0x80, 4, 1);
	assert_int_equal(msifx_hw(f, 0x80, 4), 1);
	assert_true(f->cfg_reads <= VMSI_WALK_MAX + 2);
	assert_int_equal(g->msi[0].msi, 0);
	/* Later writes use what was found: no walk again. */
	f->cfg_reads = 0;
	msifx_wr(f, 0x80, 4, 2);
	assert_int_equal(f->cfg_reads, 0);

	/* A loop through MSI: it is still found (once) and remapped. */
	memset(g->msi, 0, sizeof(g->msi));
	g->nr_msi = 0;
	msifx_put(f, 0x40, 4, MSI << 8 | 0x09, 0);
	msifx_add_msi(f, MSI, 0x40, true, false);
	msifx_program(f, APIC, 0x551);
	assert_false(msifx_hw_on(f));
	assert_int_equal(g->msi[0].msi, MSI);

	/* A 64-bit MSI at 0xf8: its high address and data are past 0xff. Never enabled. */
	memset(g->msi, 0, sizeof(g->msi));
	g->nr_msi = 0;
	msifx_watch.msi = 0;
	msifx_add_header(f, true, 0xf8);
	msifx_put(f, 0xf8, 4, 0x00860005, 0x00710000);
	msifx_put(f, 0xfc, 4, APIC, 0xfffffffc);
	msifx_wr(f, 0xfa, 2, 0x0001);
	assert_int_equal(g->msi[0].msi, 0xf8);
	assert_int_equal(msifx_hw(f, 0xfa, 2), 0x0086);
}

int main(void)
{
#define T(name) cmocka_unit_test_setup_teardown(name, msifx_setup, msifx_teardown)
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_deliverable_rules),
		T(test_msi_remapped),
		T(test_msi_routed_by_iommu),
		T(test_msi_routed_by_iommu),
		T(test_msi_refused_messages),
		T(test_msi_widths),
		T(test_msi_32bit_and_extended_data),
		T(test_msi_read_back_after_write),
		T(test_enabled_before_first_write),
		T(test_function_without_capabilities),
		T(test_broken_capability_lists),
	};
#undef T

	return cmocka_run_group_tests(tests, NULL, NULL);
}
