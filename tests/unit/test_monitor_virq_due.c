// SPDX-License-Identifier: GPL-2.0-only
/*
 * How late the interrupts other than the vLAPIC timer's were injected (monitor/virq_due.h, the
 * dev_delay, msi_delay and ipi_delay histograms of the TWINMON-STATS records): from when each
 * became due (a device line taken, an IPI sent, on this vCPU's CPU or a sibling's) to the
 * entry that injects it; a vector already waiting coalesces and counts once, from the first;
 * a vector that left IRR without an injection leaves nothing behind.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "monitor/core.h"
#include "monitor/test_fake.h"
#include "monitor/vipi.h"
#include "monitor/virq.h"
#include "tests/unit/smp_fixture.h"

#define BUS_KHZ 100000

/* One vCPU with a software-enabled vLAPIC on the plain fake machine. */
static struct fake *one_vcpu(void)
{
	struct fake *f = fake_new();
	struct vcpu *v;

	assert_non_null(f);
	v = &f->m.guest[0].vcpu[0];
	f->m.vops = &fake_vops;
	vlapic_init(&v->lapic, 0, false, f->m.tsc_khz, BUS_KHZ);
	assert_int_equal(vlapic_mmio_write(&v->lapic, VLAPIC_SVR, VLAPIC_SVR_ENABLE | 0xff, 0), 0);
	return f;
}

static void sw_enable(struct vcpu *v)
{
	assert_int_equal(vlapic_mmio_write(&v->lapic, VLAPIC_SVR, VLAPIC_SVR_ENABLE | 0xff, 0), 0);
}

/* g owns line pin, an edge with vector vec in its vIOAPIC. */
static void own_edge_line(struct guest *g, struct monitor_guest_boot *boot, unsigned pin,
			  uint8_t vec)
{
	g->boot = boot;
	g->has_ioapic = true;
	vioapic_init(&g->ioapic, 1);
	assert_int_equal(vioapic_mmio_write(&g->ioapic, VIOAPIC_IOREGSEL, VIOAPIC_REG_RTE(pin),
					    &g->vcpu[0].lapic), 0);
	assert_int_equal(vioapic_mmio_write(&g->ioapic, VIOAPIC_IOWIN, vec, &g->vcpu[0].lapic), 0);
}

/* The physical line fires, the monitor takes it at TSC at. */
static void line_fires(struct fake *f, unsigned pin, uint64_t at)
{
	f->now = at;
	f->device_pending = 1u << pin;
	virq_devices(&f->m, monitor_this_cpu(&f->m));
}

static const struct hist *delay(const struct vcpu *v, enum virq_src src)
{
	return &v->due.delay[src];
}

/* A line taken at T and injected at T + D: one delay of D, in D's bucket; not the timer's. */
static void test_due_line_delay(void **state)
{
	struct fake *f = one_vcpu();
	struct guest *g = &f->m.guest[0];
	struct vcpu *v = &g->vcpu[0];
	struct monitor_guest_boot boot = { .irq_mask = 1u << 4 };

	own_edge_line(g, &boot, 4, 0x34);
	line_fires(f, 4, 10000);
	assert_int_equal(vlapic_pending(&v->lapic), 0x34);
	assert_int_equal(delay(v, VIRQ_SRC_DEV)->count, 0);	/* measured at the injection */
	f->interruptible = true;
	virq_prepare(&f->m, v, 10000 + 3000);
	assert_int_equal(f->ninject, 1);
	assert_int_equal(f->inject[0].vector, 0x34);
	assert_int_equal(delay(v, VIRQ_SRC_DEV)->count, 1);
	assert_int_equal(delay(v, VIRQ_SRC_DEV)->min, 3000);
	assert_int_equal(delay(v, VIRQ_SRC_DEV)->bucket[11], 1);	/* [2048, 4096) */
	assert_int_equal(v->irq_delay.count, 0);
	assert_int_equal(delay(v, VIRQ_SRC_IPI)->count, 0);
	assert_int_equal(v->due.unmeasured, 0);
	fake_free(f);
}

/* A second edge while the first still waits merges with it: one delay, from the first. */
static void test_due_line_coalesced(void **state)
{
	struct fake *f = one_vcpu();
	struct guest *g = &f->m.guest[0];
	struct vcpu *v = &g->vcpu[0];
	struct monitor_guest_boot boot = { .irq_mask = 1u << 4 };

	own_edge_line(g, &boot, 4, 0x34);
	line_fires(f, 4, 1000);
	f->interruptible = false;
	virq_prepare(&f->m, v, 2000);
	line_fires(f, 4, 5000);
	assert_int_equal(g->device_irqs, 2);
	f->interruptible = true;
	virq_prepare(&f->m, v, 9000);
	assert_int_equal(f->ninject, 1);
	assert_int_equal(delay(v, VIRQ_SRC_DEV)->count, 1);
	assert_int_equal(delay(v, VIRQ_SRC_DEV)->min, 8000);
	/* Taken and serviced: the next edge is a new interrupt, with its own time. */
	assert_int_equal(vlapic_mmio_write(&v->lapic, VLAPIC_EOI, 0, 0), 0);
	line_fires(f, 4, 12000);
	virq_prepare(&f->m, v, 12500);
	assert_int_equal(f->ninject, 2);
	assert_int_equal(delay(v, VIRQ_SRC_DEV)->count, 2);
	assert_int_equal(delay(v, VIRQ_SRC_DEV)->min, 500);
	assert_int_equal(delay(v, VIRQ_SRC_DEV)->max, 8000);
	fake_free(f);
}

/*
 * An IPI from a sibling on another CPU: due when sent, not when its CPU takes it; a second
 * send before the first was taken merges with it, and so does one taken while the vector
 * still waits in IRR.
 */
static void test_due_ipi_from_sibling(void **state)
{
	struct fake *f = smp_running(2);
	struct vcpu *a0 = &f->m.guest[0].vcpu[0], *a1 = &f->m.guest[0].vcpu[1];

	sw_enable(a1);
	f->now = 1000;
	send(f, a0, ICR_FIXED | 0x51, 1);
	f->now = 1500;
	send(f, a0, ICR_FIXED | 0x51, 1);	/* still in the post box */
	f->now = 4000;
	vipi_receive(&f->m, a1);
	f->interruptible = true;
	virq_prepare(&f->m, a1, 6000);
	assert_int_equal(f->ninject, 1);
	assert_int_equal(f->inject[0].vector, 0x51);
	assert_int_equal(delay(a1, VIRQ_SRC_IPI)->count, 1);
	assert_int_equal(delay(a1, VIRQ_SRC_IPI)->min, 5000);
	assert_int_equal(delay(a0, VIRQ_SRC_IPI)->count, 0);
	/* Sent at 7000, taken; sent again at 7200 and taken while the first waits in IRR
	 * (the vCPU cannot take interrupts): one interrupt, from 7000. */
	assert_int_equal(vlapic_mmio_write(&a1->lapic, VLAPIC_EOI, 0, 0), 0);
	f->now = 7000;
	send(f, a0, ICR_FIXED | 0x51, 1);
	vipi_receive(&f->m, a1);
	f->interruptible = false;
	virq_prepare(&f->m, a1, 7100);
	f->now = 7200;
	send(f, a0, ICR_FIXED | 0x51, 1);
	vipi_receive(&f->m, a1);
	f->interruptible = true;
	virq_prepare(&f->m, a1, 8000);
	assert_int_equal(f->ninject, 2);
	assert_int_equal(delay(a1, VIRQ_SRC_IPI)->count, 2);
	assert_int_equal(delay(a1, VIRQ_SRC_IPI)->min, 1000);
	/* The merged post left no stamp behind for the next one. */
	assert_int_equal(vlapic_mmio_write(&a1->lapic, VLAPIC_EOI, 0, 0), 0);
	f->now = 20000;
	send(f, a0, ICR_FIXED | 0x51, 1);
	vipi_receive(&f->m, a1);
	virq_prepare(&f->m, a1, 20300);
	assert_int_equal(delay(a1, VIRQ_SRC_IPI)->count, 3);
	assert_int_equal(delay(a1, VIRQ_SRC_IPI)->min, 300);
	assert_int_equal(a1->due.unmeasured, 0);
	fake_free(f);
}

/* An IPI to itself: due from the write that sent it. */
static void test_due_ipi_self(void **state)
{
	struct fake *f = smp_running(2);
	struct vcpu *a0 = &f->m.guest[0].vcpu[0];

	sw_enable(a0);
	f->now = 2000;
	send(f, a0, ICR_FIXED | 0x52, 0);
	f->interruptible = true;
	virq_prepare(&f->m, a0, 2600);
	assert_int_equal(f->ninject, 1);
	assert_int_equal(delay(a0, VIRQ_SRC_IPI)->count, 1);
	assert_int_equal(delay(a0, VIRQ_SRC_IPI)->min, 600);
	fake_free(f);
}

/*
 * A vector that waited and was wiped without an injection (INIT resets the vLAPIC) leaves no
 * stale time: the next one counts from its own sending.
 */
static void test_due_wiped_vector_forgotten(void **state)
{
	struct fake *f = smp_running(2);
	struct vcpu *a0 = &f->m.guest[0].vcpu[0], *a1 = &f->m.guest[0].vcpu[1];

	sw_enable(a1);
	f->now = 1000;
	send(f, a0, ICR_FIXED | 0x51, 1);
	vipi_receive(&f->m, a1);
	assert_true(irr(a1, 0x51));
	send(f, a0, ICR_INIT | ICR_LEVEL | ICR_ASSERT, 1);
	vipi_receive(&f->m, a1);
	assert_false(irr(a1, 0x51));
	/* Its stamp goes with it: a way into IRR that does not stamp must not find it later. */
	assert_int_equal(a1->due.local[0x51], 0);
	/* Sent while it waits for a startup IPI: lost, and so is its time. */
	f->now = 2000;
	send(f, a0, ICR_FIXED | 0x51, 1);
	vipi_receive(&f->m, a1);
	send(f, a0, ICR_SIPI | 0x9a, 1);
	assert_true(vipi_receive(&f->m, a1));
	sw_enable(a1);
	f->now = 50000;
	send(f, a0, ICR_FIXED | 0x51, 1);
	vipi_receive(&f->m, a1);
	f->interruptible = true;
	virq_prepare(&f->m, a1, 50100);
	assert_int_equal(f->ninject, 1);
	assert_int_equal(delay(a1, VIRQ_SRC_IPI)->count, 1);
	assert_int_equal(delay(a1, VIRQ_SRC_IPI)->max, 100);
	fake_free(f);
}

/*
 * vCPU 1 unmasks an asserted level pin of the vIOAPIC on its own CPU: what that delivers to
 * vCPU 0 is posted with the write's time, a device line's.
 */
static void test_due_ioapic_write_from_sibling(void **state)
{
	struct fake *f = smp_running(2);
	struct guest *g = &f->m.guest[0];
	struct vcpu *a0 = &g->vcpu[0], *a1 = &g->vcpu[1];

	g->has_ioapic = true;
	vioapic_init(&g->ioapic, 1);
	sw_enable(a0);
	vioapic_set_line(&g->ioapic, 5, true, &a0->lapic);	/* masked: nothing yet */
	f->now = 4000;
	virq_ioapic_write(&f->m, a1, VIOAPIC_IOREGSEL, VIOAPIC_REG_RTE(5));
	virq_ioapic_write(&f->m, a1, VIOAPIC_IOWIN, 0x45 | VIOAPIC_RTE_LEVEL);
	assert_true(posted(a0, 0x45));
	f->now = 9000;
	vipi_receive(&f->m, a0);
	f->interruptible = true;
	virq_prepare(&f->m, a0, 9500);
	assert_int_equal(f->ninject, 1);
	assert_int_equal(f->inject[0].vector, 0x45);
	assert_int_equal(delay(a0, VIRQ_SRC_DEV)->count, 1);
	assert_int_equal(delay(a0, VIRQ_SRC_DEV)->min, 5500);
	assert_int_equal(delay(a0, VIRQ_SRC_IPI)->count, 0);
	fake_free(f);
}

/* A vector raised by no path the monitor stamps is injected, and counted as unmeasured. */
static void test_due_unstamped_counted(void **state)
{
	struct fake *f = one_vcpu();
	struct vcpu *v = &f->m.guest[0].vcpu[0];

	assert_int_equal(vlapic_raise(&v->lapic, 0x60, false), 0);
	f->interruptible = true;
	virq_prepare(&f->m, v, 100);
	assert_int_equal(f->ninject, 1);
	assert_int_equal(v->due.unmeasured, 1);
	for (unsigned s = 0; s < VIRQ_SRCS; s++)
		assert_int_equal(delay(v, s)->count, 0);
	fake_free(f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_due_line_delay),
		cmocka_unit_test(test_due_line_coalesced),
		cmocka_unit_test(test_due_ipi_from_sibling),
		cmocka_unit_test(test_due_ipi_self),
		cmocka_unit_test(test_due_wiped_vector_forgotten),
		cmocka_unit_test(test_due_ioapic_write_from_sibling),
		cmocka_unit_test(test_due_unstamped_counted),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
