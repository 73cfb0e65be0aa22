// SPDX-License-Identifier: GPL-2.0-only
/*
 * IPIs between an SMP guest's vCPUs on the fake machine (monitor/vipi.h): each delivery mode,
 * the kick, and that nothing ever reaches the other guest.
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

/* Fixed: to a sibling posted (not in its vLAPIC yet) and its CPU kicked; its CPU takes it. */
static void test_ipi_fixed_to_sibling(void **state)
{
	struct fake *f = smp_running(2);
	struct vcpu *a0 = &f->m.guest[0].vcpu[0], *a1 = &f->m.guest[0].vcpu[1];

	send(f, a0, ICR_FIXED | 0x51, 1);
	assert_true(posted(a1, 0x51));
	assert_false(irr(a1, 0x51));
	assert_false(irr(a0, 0x51));
	assert_int_equal(f->kicked, 1u << 1);
	vipi_receive(&f->m, a1);
	assert_true(irr(a1, 0x51));
	assert_false(vlapic_post_pending(&a1->post));
	fake_free(f);
}

/* Fixed to itself (by its ID, or all-including-self) is raised at once, without a kick. */
static void test_ipi_fixed_self_and_all(void **state)
{
	struct fake *f = smp_running(2);
	struct vcpu *a0 = &f->m.guest[0].vcpu[0], *a1 = &f->m.guest[0].vcpu[1];

	send(f, a0, ICR_FIXED | 0x52, 0);
	assert_true(irr(a0, 0x52));
	assert_int_equal(f->kicks, 0);
	send(f, a0, ICR_FIXED | ICR_ALL | 0x53, 0);
	assert_true(irr(a0, 0x53));
	assert_true(posted(a1, 0x53));
	assert_int_equal(f->kicks, 1);
	fake_free(f);
}

/* Lowest priority: the first vCPU that matches, only. */
static void test_ipi_lowest_first_match(void **state)
{
	struct fake *f = smp_running(3);
	struct vcpu *v = f->m.guest[0].vcpu;

	send(f, &v[0], ICR_LOWEST | ICR_OTHERS | 0x60, 0);
	assert_true(posted(&v[1], 0x60));
	assert_false(posted(&v[2], 0x60));
	assert_false(irr(&v[0], 0x60));
	assert_int_equal(f->kicked, 1u << 1);
	fake_free(f);
}

/* NMI: posted, pending on the target's CPU after it takes it, injected before anything. */
static void test_ipi_nmi(void **state)
{
	struct fake *f = smp_running(2);
	struct vcpu *a0 = &f->m.guest[0].vcpu[0], *a1 = &f->m.guest[0].vcpu[1];

	send(f, a0, ICR_NMI, 1);
	assert_false(a1->nmi_pending);
	assert_int_equal(f->kicked, 1u << 1);
	assert_true(vipi_receive(&f->m, a1));
	assert_true(a1->nmi_pending);
	f->interruptible = true;
	virq_prepare(&f->m, a1, 0);
	assert_int_equal(f->ninject, 1);
	assert_int_equal(f->inject[0].type, VCPU_EVENT_NMI);
	assert_int_equal(f->inject[0].vector, 2);
	assert_false(a1->nmi_pending);
	fake_free(f);
}

/* INIT: the target waits for a startup IPI, its vLAPIC reset but its ID, halted; the level
 * de-assert does nothing. A SIPI starts it in real mode at vector << 12, once. */
static void test_ipi_init_sipi(void **state)
{
	struct fake *f = smp_running(2);
	struct vcpu *a0 = &f->m.guest[0].vcpu[0], *a1 = &f->m.guest[0].vcpu[1];

	a1->lapic.tpr = 0x20;
	vlapic_raise(&a1->lapic, 0x70, false);
	send(f, a0, ICR_INIT | ICR_LEVEL, 1);		/* de-assert */
	assert_false(vlapic_post_pending(&a1->post));
	send(f, a0, ICR_INIT | ICR_LEVEL | ICR_ASSERT, 1);
	assert_false(vipi_receive(&f->m, a1));
	assert_true(a1->wait_sipi);
	assert_int_equal(a1->lapic.tpr, 0);
	assert_false(irr(a1, 0x70));
	assert_int_equal(a1->lapic.id, 1);
	assert_false(a1->lapic.apic_base & APIC_BASE_BSP);
	assert_true(a1->cpu->sched.e[0].halted);
	/* A fixed vector to a CPU that waits is lost. */
	send(f, a0, ICR_FIXED | 0x71, 1);
	vipi_receive(&f->m, a1);
	assert_false(irr(a1, 0x71));
	sc.creates = 0;
	send(f, a0, ICR_SIPI | 0x9a, 1);
	assert_true(vipi_receive(&f->m, a1));
	assert_false(a1->wait_sipi);
	assert_int_equal(sc.creates, 1);
	assert_ptr_equal(sc.created_for, a1);
	assert_int_equal(sc.created.cs, 0x9a00);
	assert_int_equal(sc.created.rip, 0);
	assert_false(sc.created.cr0 & 1);
	/* The second SIPI of the sequence finds it running: ignored. */
	send(f, a0, ICR_SIPI | 0x9a, 1);
	assert_false(vipi_receive(&f->m, a1));
	assert_int_equal(sc.creates, 1);
	fake_free(f);
}

/* INIT and SIPI to the sender itself are ignored; SMI goes nowhere. */
static void test_ipi_init_self_ignored_smi_dropped(void **state)
{
	struct fake *f = smp_running(2);
	struct vcpu *a0 = &f->m.guest[0].vcpu[0], *a1 = &f->m.guest[0].vcpu[1];

	send(f, a0, ICR_INIT | ICR_LEVEL | ICR_ASSERT | ICR_ALL, 0);
	assert_false(a0->wait_sipi);
	assert_true(a0->lapic.apic_base & APIC_BASE_BSP);
	vipi_receive(&f->m, a1);
	assert_true(a1->wait_sipi);
	send(f, a0, ICR_SIPI | ICR_ALL | 0x20, 0);
	assert_false(a0->wait_sipi);
	f->kicks = 0;
	send(f, a0, ICR_SMI | ICR_ALL, 0);
	assert_int_equal(f->kicks, 0);
	fake_free(f);
}

/* Time-shared SMP guests: a's broadcasts of every kind reach a's vCPUs, never b's. */
static void test_ipi_never_the_other_guest(void **state)
{
	struct fake *f = smp_setup();
	struct guest *a = &f->m.guest[0], *b = &f->m.guest[1];
	const uint32_t modes[] = { ICR_FIXED | 0x40, ICR_LOWEST | 0x41, ICR_NMI,
				   ICR_INIT | ICR_LEVEL | ICR_ASSERT, ICR_SIPI | 0x10 };

	smp_guest(f, 0, 2, (const uint8_t[]){ 0, 1 });
	smp_guest(f, 1, 2, (const uint8_t[]){ 0, 1 });
	for (unsigned i = 0; i < sizeof(modes) / sizeof(modes[0]); i++) {
		send(f, &a->vcpu[0], modes[i] | ICR_ALL, 0);
		send(f, &a->vcpu[0], modes[i], 0xff);			/* broadcast ID */
		send(f, &a->vcpu[0], modes[i] | ICR_LOGICAL, 0xff);	/* every logical ID */
		send(f, &a->vcpu[0], modes[i], 1);
	}
	for (unsigned k = 0; k < 2; k++) {
		assert_false(vlapic_post_pending(&b->vcpu[k].post));
		for (unsigned w = 0; w < 8; w++)
			assert_int_equal(b->vcpu[k].lapic.irr[w], 0);
		assert_false(b->vcpu[k].nmi_pending);
	}
	assert_false(b->vcpu[0].wait_sipi);
	assert_true(vlapic_post_pending(&a->vcpu[1].post));
	/* Only CPU 1, where a's sibling runs, was ever kicked. */
	assert_int_equal(f->kicked, 1u << 1);
	fake_free(f);
}

/* A sibling's logical destination is read as its CPU published it, after each change. */
static void test_ipi_logical_follows_sibling_ldr(void **state)
{
	struct fake *f = smp_running(2);
	struct vcpu *a0 = &f->m.guest[0].vcpu[0], *a1 = &f->m.guest[0].vcpu[1];

	assert_int_equal(vlapic_mmio_write(&a1->lapic, VLAPIC_LDR, 0x02000000, 0), 0);
	send(f, a0, ICR_FIXED | ICR_LOGICAL | 0x71, 0x02);
	assert_true(posted(a1, 0x71));
	vipi_receive(&f->m, a1);
	assert_int_equal(vlapic_mmio_write(&a1->lapic, VLAPIC_LDR, 0x04000000, 0), 0);
	send(f, a0, ICR_FIXED | ICR_LOGICAL | 0x72, 0x02);
	assert_false(posted(a1, 0x72));
	fake_free(f);
}

static void ioapic_write(struct fake *f, struct vcpu *v, uint32_t reg, uint32_t val)
{
	virq_ioapic_write(&f->m, v, VIOAPIC_IOREGSEL, reg);
	virq_ioapic_write(&f->m, v, VIOAPIC_IOWIN, val);
}

/*
 * vCPU 1 programs the vIOAPIC on its CPU: what that delivers to vCPU 0 is posted, level with
 * it, and vCPU 0's CPU kicked; vCPU 0's vLAPIC changes only when its own CPU takes it.
 */
static void test_ioapic_from_sibling_posts(void **state)
{
	struct fake *f = smp_running(2);
	struct guest *g = &f->m.guest[0];
	struct vcpu *a0 = &g->vcpu[0], *a1 = &g->vcpu[1];

	g->has_ioapic = true;
	vioapic_init(&g->ioapic, 1);
	assert_int_equal(vlapic_mmio_write(&a0->lapic, VLAPIC_SVR, 0x1ff, 0), 0);
	/* Pin 5 asserted while masked: nothing yet. */
	vioapic_set_line(&g->ioapic, 5, true, &a0->lapic);
	f->kicked = 0;
	ioapic_write(f, a1, VIOAPIC_REG_RTE(5) + 1, 0u << 24);
	ioapic_write(f, a1, VIOAPIC_REG_RTE(5), 0x45 | VIOAPIC_RTE_LEVEL);
	assert_true(posted(a0, 0x45));
	assert_false(irr(a0, 0x45));
	assert_int_equal(f->kicked, 1u << 0);
	assert_true(vioapic_rte(&g->ioapic, 5) & VIOAPIC_RTE_REMOTE_IRR);
	virq_ioapic_write(&f->m, a1, VIOAPIC_IOREGSEL, VIOAPIC_REG_RTE(5));
	assert_int_equal(virq_ioapic_read(g, VIOAPIC_IOWIN),
			 0x45 | VIOAPIC_RTE_LEVEL | VIOAPIC_RTE_REMOTE_IRR);
	vipi_receive(&f->m, a0);
	assert_true(irr(a0, 0x45));
	assert_true(a0->lapic.tmr[0x45 / 32] & 1u << (0x45 % 32));
	/* vCPU 0's own write raises in its vLAPIC at once: the EOI register redelivers. */
	f->kicked = 0;
	a0->lapic.irr[0x45 / 32] = 0;
	virq_ioapic_write(&f->m, a0, VIOAPIC_EOI, 0x45);
	assert_true(irr(a0, 0x45));
	assert_int_equal(f->kicked, 0);
	/* An entry aimed at vCPU 1 delivers nowhere: the vIOAPIC routes to vCPU 0 only. */
	ioapic_write(f, a1, VIOAPIC_REG_RTE(6) + 1, 1u << 24);
	ioapic_write(f, a1, VIOAPIC_REG_RTE(6), 0x46);
	vioapic_pulse(&g->ioapic, 6, &a0->lapic);
	assert_false(irr(a0, 0x46));
	assert_false(posted(a1, 0x46));
	fake_free(f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ipi_fixed_to_sibling),
		cmocka_unit_test(test_ipi_fixed_self_and_all),
		cmocka_unit_test(test_ipi_lowest_first_match),
		cmocka_unit_test(test_ipi_nmi),
		cmocka_unit_test(test_ipi_init_sipi),
		cmocka_unit_test(test_ipi_init_self_ignored_smi_dropped),
		cmocka_unit_test(test_ipi_never_the_other_guest),
		cmocka_unit_test(test_ipi_logical_follows_sibling_ldr),
		cmocka_unit_test(test_ioapic_from_sibling_posts),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
