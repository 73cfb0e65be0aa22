// SPDX-License-Identifier: GPL-2.0-only
/*
 * Remapped MSIs when they arrive (monitor/vmsi_vec.c), on the fake machine's simulated
 * function programmed through 0xcf8/0xcfc: the guest's own vector of its current message is
 * raised in its vLAPIC, where irq-policy takes over; a vector another guest holds reaches that
 * guest only; an arrival with nobody to take it (a disabled or undeliverable message, a
 * stopped or restarting guest, a free vector) is dropped; vectors run out cleanly; how late
 * each was injected counts from its arrival.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "monitor/test_fake.h"
#include "monitor/vio.h"
#include "monitor/virq.h"
#include "monitor/vmsi.h"
#include "tests/unit/msi_fixture.h"

static void test_msi_arrival_injects_guest_vector(void **state)
{
	struct fake *f = *state;
	struct guest *g = &f->m.guest[0];
	unsigned writes;

	msifx_std_function(f);
	msifx_program(f, APIC, 0x51);
	msifx_arrive(f, IRQ_MSI_VECTOR(0, 0));
	assert_true(msifx_irr(g, 0x51));
	assert_false(msifx_irr(g, IRQ_MSI_VECTOR(0, 0)));
	assert_int_equal(g->msi_delivered, 1);
	/* A new vector while enabled: the device is not touched, the next arrival is it. */
	writes = f->cfg_writes;
	msifx_wr(f, MSI + 12, 2, 0x0162);
	assert_int_equal(f->cfg_writes, writes + 1);	/* the guest's own, made harmless */
	assert_int_equal(msifx_hw(f, MSI + 12, 4), IRQ_MSI_VECTOR(0, 0));
	msifx_arrive(f, IRQ_MSI_VECTOR(0, 0));
	assert_true(msifx_irr(g, 0x62));
	/* A vector nobody holds, or the other guest's range while it is absent: dropped. */
	msifx_arrive(f, IRQ_MSI_VECTOR(0, 5));
	msifx_arrive(f, IRQ_MSI_VECTOR(1, 0));
	assert_int_equal(g->msi_delivered, 2);
	assert_int_equal(g->msi_dropped, 1);
	/* Undeliverable now (another destination): the device is disabled, an arrival on the
	 * way is dropped. */
	msifx_wr(f, MSI + 4, 4, APIC | 5 << 12);
	assert_false(msifx_hw_on(f));
	assert_true(msifx_rd(f, MSI + 2, 2) & 1);
	msifx_arrive(f, IRQ_MSI_VECTOR(0, 0));
	assert_int_equal(g->msi_dropped, 2);
	/* Its own again: enabled again, same vector. */
	msifx_wr(f, MSI + 4, 4, APIC);
	assert_true(msifx_hw_on(f));
	assert_int_equal(msifx_hw(f, MSI + 12, 4), IRQ_MSI_VECTOR(0, 0));
	/* Disabled: the vector is released, its arrivals dropped. */
	msifx_wr(f, MSI + 2, 1, 0);
	assert_false(msifx_hw_on(f));
	assert_false(g->msi_vec[0].used);
	msifx_arrive(f, IRQ_MSI_VECTOR(0, 0));
	assert_int_equal(g->msi_dropped, 3);
}

/* A stopped or restarting guest's arrivals are dropped; a stop disables its functions. */
static void test_stopped_and_restarting_drop(void **state)
{
	struct fake *f = *state;
	struct guest *g = &f->m.guest[0];

	msifx_std_function(f);
	msifx_program(f, APIC, 0x51);
	g->restart_pending = true;
	msifx_arrive(f, IRQ_MSI_VECTOR(0, 0));
	assert_false(msifx_irr(g, 0x51));
	g->restart_pending = false;
	msifx_arrive(f, IRQ_MSI_VECTOR(0, 0));
	assert_true(msifx_irr(g, 0x51));
	monitor_guest_stop(&f->m, g, "test");
	assert_false(msifx_hw_on(f));
	assert_false(g->msi_vec[0].used);
	msifx_arrive(f, IRQ_MSI_VECTOR(0, 0));
	assert_int_equal(g->msi_delivered, 1);
	assert_int_equal(g->msi_dropped, 2);
}

/* An x2APIC ID above 255 cannot be named by a message: nothing is enabled. */
static void test_apic_id_too_wide(void **state)
{
	struct fake *f = *state;

	msifx_std_function(f);
	f->m.cpu[0].apic_id = 0x100;
	msifx_program(f, APIC, 0x51);
	assert_false(msifx_hw_on(f));
	assert_true(fake_log_find(f, "APIC ID does not fit") >= 0);
	f->m.cpu[0].apic_id = APIC_ID;
	msifx_wr(f, MSI + 2, 1, 1);
	assert_true(msifx_hw_on(f));
}

/* Out of vectors: the message is kept and not enabled; one freed, it is. */
static void test_vectors_run_out(void **state)
{
	struct fake *f = *state;
	struct guest *g = &f->m.guest[0];
	uint8_t last = GUEST_MSI_NONE;

	msifx_std_function(f);
	for (unsigned n = 0; n < IRQ_MSI_PER_GUEST; n++)
		last = (uint8_t)vmsi_vec_alloc(g, 5, 0);
	assert_int_equal(last, IRQ_MSI_PER_GUEST - 1);
	assert_int_equal(vmsi_vec_alloc(g, 5, 0), -ENOSPC);
	msifx_program(f, APIC, 0x51);
	assert_false(msifx_hw_on(f));
	assert_true(fake_log_find(f, "no remapped vector left") >= 0);
	vmsi_vec_free(g, &last);
	assert_int_equal(last, GUEST_MSI_NONE);
	msifx_wr(f, MSI + 2, 1, 1);
	assert_true(msifx_hw_on(f));
	assert_int_equal(msifx_hw(f, MSI + 12, 4), IRQ_MSI_VECTOR(0, IRQ_MSI_PER_GUEST - 1));
}

/* A vector in guest b's range reaches guest b's vLAPIC, never guest a's, and only while the
 * message of guest b's that holds it may be sent. */
static void test_other_guests_range(void **state)
{
	struct fake *f = *state;
	struct guest *a = &f->m.guest[0], *b = &f->m.guest[1];
	struct monitor_guest_boot bb = { .present = true, .letter = 'b', .ram = &f->ram_range,
					 .nr_ram = 1, .slice_us = 1000 };
	int slot;

	assert_int_equal(monitor_guest_init(&f->m, 1, &bb), 0);
	vlapic_init(&b->vcpu[0].lapic, 0, false, f->m.tsc_khz, 100000);
	b->nr_msi = 1;
	b->msi[0] = (struct guest_msi){ .bdf = PARTITION_BDF(0, 4, 0), .msi = 0x50,
					.msi_enable = true, .msi_addr_lo = APIC, .msi_data = 0x71 };
	slot = vmsi_vec_alloc(b, 0, GUEST_MSI_ENTRY_MSI);
	assert_int_equal(slot, 0);
	b->msi[0].msi_slot = (uint8_t)slot;
	msifx_std_function(f);
	msifx_program(f, APIC, 0x51);
	msifx_arrive(f, IRQ_MSI_VECTOR(1, 0));
	assert_true(msifx_irr(b, 0x71));
	assert_false(msifx_irr(a, 0x71));
	assert_false(msifx_irr(a, 0x51));
	assert_int_equal(b->msi_delivered, 1);
	assert_int_equal(a->msi_delivered, 0);
	msifx_arrive(f, IRQ_MSI_VECTOR(0, 0));
	assert_true(msifx_irr(a, 0x51));
	assert_false(msifx_irr(b, 0x51));
	/* The same slot number in the two ranges is two different messages. */
	b->msi[0].msi_enable = false;
	msifx_arrive(f, IRQ_MSI_VECTOR(1, 0));
	assert_int_equal(b->msi_dropped, 1);
}

/* An arrival makes the guest's interrupt pending like any other, so a halted guest wakes and
 * the loop's irq-policy applies: nothing is injected by the arrival itself. */
static void test_arrival_is_pending_for_the_loop(void **state)
{
	struct fake *f = *state;
	struct guest *g = &f->m.guest[0];

	msifx_std_function(f);
	msifx_program(f, APIC, 0x51);
	assert_int_equal(vlapic_mmio_write(&g->vcpu[0].lapic, VLAPIC_SVR, VLAPIC_SVR_ENABLE | 0xff,
					   0), 0);
	assert_false(virq_pending(&g->vcpu[0], 0));
	msifx_arrive(f, IRQ_MSI_VECTOR(0, 0));
	assert_int_equal(f->ninject, 0);
	assert_true(virq_pending(&g->vcpu[0], 0));
	assert_int_equal(vlapic_pending(&g->vcpu[0].lapic), 0x51);
}

/* With per-vector mask bits: the guest's bit reaches the device and reads back; a second
 * interrupt while the first waits sets the device's bit until the guest takes it. */
static void test_msi_mask_bits_and_hold(void **state)
{
	struct fake *f = *state;
	struct guest *g = &f->m.guest[0];

	msifx_add_header(f, true, MSI);
	msifx_add_msi(f, MSI, 0, true, false);
	msifx_put(f, MSI + 2, 2, 0x0186, 0x0071);	/* 64-bit, per-vector masks, 8 capable */
	msifx_put(f, MSI + 16, 4, 0, 0xff);		/* Mask Bits */
	msifx_put(f, MSI + 20, 4, 0x1, 0);		/* Pending Bits: the device's */
	vmsi_guest_reset(&f->m, g, g->vcpu[0].cpu);
	msifx_program(f, APIC, 0x51);
	msifx_wr(f, MSI + 16, 4, 1);
	assert_int_equal(msifx_hw(f, MSI + 16, 4), 1);
	assert_int_equal(msifx_rd(f, MSI + 16, 4), 1);
	assert_int_equal(msifx_rd(f, MSI + 20, 4), 1);
	msifx_wr(f, MSI + 16, 1, 0);
	assert_int_equal(msifx_hw(f, MSI + 16, 4), 0);
	assert_int_equal(vlapic_mmio_write(&g->vcpu[0].lapic, VLAPIC_SVR, VLAPIC_SVR_ENABLE | 0xff,
					   0), 0);
	msifx_arrive(f, IRQ_MSI_VECTOR(0, 0));
	assert_int_equal(msifx_hw(f, MSI + 16, 4), 0);
	msifx_arrive(f, IRQ_MSI_VECTOR(0, 0));
	assert_int_equal(msifx_hw(f, MSI + 16, 4), 1);
	assert_int_equal(msifx_rd(f, MSI + 16, 4), 0);
	/* The guest's own writes keep the hold. */
	msifx_wr(f, MSI + 16, 4, 0);
	assert_int_equal(msifx_hw(f, MSI + 16, 4), 1);
	vlapic_accept(&g->vcpu[0].lapic, 0x51);
	virq_devices(&f->m, monitor_this_cpu(&f->m));
	assert_int_equal(msifx_hw(f, MSI + 16, 4), 0);
	/* Held, then disabled: the vector is released and the device's bit is the guest's. */
	msifx_arrive(f, IRQ_MSI_VECTOR(0, 0));
	msifx_arrive(f, IRQ_MSI_VECTOR(0, 0));
	assert_int_equal(msifx_hw(f, MSI + 16, 4), 1);
	msifx_wr(f, MSI + 2, 1, 0);
	assert_int_equal(msifx_hw(f, MSI + 16, 4), 0);
	assert_int_equal(g->msi_held, 0);
}

/* How late an MSI was injected (msi_delay): from when the monitor took it, one per message. */
static void test_msi_delay_from_arrival(void **state)
{
	struct fake *f = *state;
	struct vcpu *v = &f->m.guest[0].vcpu[0];

	f->m.vops = &fake_vops;
	assert_int_equal(vlapic_mmio_write(&v->lapic, VLAPIC_SVR, VLAPIC_SVR_ENABLE | 0xff, 0), 0);
	msifx_std_function(f);
	msifx_program(f, APIC, 0x51);
	f->now = 3000;
	msifx_arrive(f, IRQ_MSI_VECTOR(0, 0));
	f->interruptible = true;
	virq_prepare(&f->m, v, 3700);
	assert_int_equal(f->ninject, 1);
	assert_int_equal(f->inject[0].vector, 0x51);
	assert_int_equal(v->due.delay[VIRQ_SRC_MSI].count, 1);
	assert_int_equal(v->due.delay[VIRQ_SRC_MSI].min, 700);
	assert_int_equal(v->due.delay[VIRQ_SRC_MSI].bucket[9], 1);	/* [512, 1024) */
	assert_int_equal(vlapic_mmio_write(&v->lapic, VLAPIC_EOI, 0, 0), 0);
	f->now = 5000;
	msifx_arrive(f, IRQ_MSI_VECTOR(0, 0));
	virq_prepare(&f->m, v, 5100);
	assert_int_equal(v->due.delay[VIRQ_SRC_MSI].count, 2);
	assert_int_equal(v->due.delay[VIRQ_SRC_MSI].min, 100);
	assert_int_equal(v->due.delay[VIRQ_SRC_DEV].count, 0);
	assert_int_equal(v->due.unmeasured, 0);
}

int main(void)
{
#define T(name) cmocka_unit_test_setup_teardown(name, msifx_setup, msifx_teardown)
	const struct CMUnitTest tests[] = {
		T(test_msi_arrival_injects_guest_vector),
		T(test_stopped_and_restarting_drop),
		T(test_vectors_run_out),
		T(test_apic_id_too_wide),
		T(test_other_guests_range),
		T(test_arrival_is_pending_for_the_loop),
		T(test_msi_mask_bits_and_hold),
		T(test_msi_delay_from_arrival),
	};
#undef T

	return cmocka_run_group_tests(tests, NULL, NULL);
}
