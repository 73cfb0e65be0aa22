// SPDX-License-Identifier: GPL-2.0-only
/* irq/vlapic_ipi.c: ICR decoding, destinations, and the outbox of a multi-vCPU guest. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "irq/vlapic.h"

#define TSC_KHZ 2000000ULL
#define BUS_KHZ 1000000ULL
#define XAPIC_ICR_LO	0x300
#define XAPIC_ICR_HI	0x310
#define XAPIC_LDR	0x0d0
#define XAPIC_DFR	0x0e0
#define XAPIC_SVR	0x0f0
#define X2APIC_ICR	0x830

static void init(struct vlapic *v, uint32_t id, bool x2)
{
	vlapic_init(v, id, x2, TSC_KHZ, BUS_KHZ);
	if (!x2)
		assert_int_equal(vlapic_mmio_write(v, XAPIC_SVR, 0x1ff, 0), 0);
	else
		assert_int_equal(vlapic_msr_write(v, 0x80f, 0x1ff, 0), 0);
}

static void test_decode(void **state)
{
	struct vlapic_ipi i;

	(void)state;
	i = vlapic_ipi_decode(0x000c4500, 0);	/* INIT, assert, all excluding self */
	assert_int_equal(i.mode, VLAPIC_IPI_INIT);
	assert_int_equal(i.shorthand, VLAPIC_IPI_OTHERS);
	assert_false(i.deassert);
	i = vlapic_ipi_decode(0x00008500, 3);	/* INIT level de-assert */
	assert_true(i.deassert);
	i = vlapic_ipi_decode(0x0000069a, 2);	/* SIPI vector 0x9a */
	assert_int_equal(i.mode, VLAPIC_IPI_SIPI);
	assert_int_equal(i.vector, 0x9a);
	assert_int_equal(i.dest, 2);
	i = vlapic_ipi_decode(0x00000941, 0x3);	/* lowest priority 0x41, logical */
	assert_true(i.logical);
	assert_int_equal(i.mode, VLAPIC_IPI_LOWEST);
	assert_int_equal(vlapic_ipi_decode(0x00040041, 0).shorthand, VLAPIC_IPI_SELF);
	assert_int_equal(vlapic_ipi_decode(0x00080041, 0).shorthand, VLAPIC_IPI_ALL);
	assert_int_equal(vlapic_ipi_decode(0x00000441, 0).mode, VLAPIC_IPI_NMI);
}

static void test_targets(void **state)
{
	struct vlapic a, b, c;
	struct vlapic_ipi i;

	(void)state;
	init(&a, 0, false);
	init(&b, 1, false);
	init(&c, 2, false);
	/* Physical: the ID, or broadcast 0xff. */
	i = vlapic_ipi_decode(0x41, 1);
	assert_false(vlapic_ipi_targets(&a, &a, &i));
	assert_true(vlapic_ipi_targets(&b, &a, &i));
	assert_false(vlapic_ipi_targets(&c, &a, &i));
	i = vlapic_ipi_decode(0x41, 0xff);
	assert_true(vlapic_ipi_targets(&a, &a, &i) && vlapic_ipi_targets(&c, &a, &i));
	/* Shorthands. */
	i = vlapic_ipi_decode(0x000c0041, 0);
	assert_false(vlapic_ipi_targets(&a, &a, &i));
	assert_true(vlapic_ipi_targets(&b, &a, &i));
	i = vlapic_ipi_decode(0x00080041, 0);
	assert_true(vlapic_ipi_targets(&a, &a, &i));
	i = vlapic_ipi_decode(0x00040041, 0);
	assert_true(vlapic_ipi_targets(&a, &a, &i));
	assert_false(vlapic_ipi_targets(&b, &a, &i));
	/* Logical flat: LDR bits (Linux gives vCPU n bit n). */
	assert_int_equal(vlapic_mmio_write(&b, XAPIC_LDR, 0x02000000, 0), 0);
	assert_int_equal(vlapic_mmio_write(&c, XAPIC_LDR, 0x04000000, 0), 0);
	i = vlapic_ipi_decode(0x841, 0x06);
	assert_true(vlapic_ipi_targets(&b, &a, &i) && vlapic_ipi_targets(&c, &a, &i));
	assert_false(vlapic_ipi_targets(&a, &a, &i));
	/* Logical cluster: the high nibble is the cluster. */
	assert_int_equal(vlapic_mmio_write(&b, XAPIC_DFR, 0x0fffffff, 0), 0);
	assert_int_equal(vlapic_mmio_write(&b, XAPIC_LDR, 0x12000000, 0), 0);
	i = vlapic_ipi_decode(0x841, 0x12);
	assert_true(vlapic_ipi_targets(&b, &a, &i));
	i = vlapic_ipi_decode(0x841, 0x22);
	assert_false(vlapic_ipi_targets(&b, &a, &i));
}

static void test_x2apic_targets(void **state)
{
	struct vlapic a, b;
	struct vlapic_ipi i;

	(void)state;
	init(&a, 0, true);
	init(&b, 17, true);
	i = vlapic_ipi_decode(0x41, 17);
	assert_true(vlapic_ipi_targets(&b, &a, &i));
	assert_false(vlapic_ipi_targets(&a, &a, &i));
	/* Cluster 1, bit 1: ID 17. */
	i = vlapic_ipi_decode(0x841, 1u << 16 | 2);
	assert_true(vlapic_ipi_targets(&b, &a, &i));
	i = vlapic_ipi_decode(0x841, 1u << 16 | 1);
	assert_false(vlapic_ipi_targets(&b, &a, &i));
	i = vlapic_ipi_decode(0x41, 0xffffffffu);
	assert_true(vlapic_ipi_targets(&a, &a, &i));
}

/* One vCPU: as before, only fixed IPIs to itself arrive; several: the rest waits outside. */
static void test_outbox(void **state)
{
	struct vlapic v;
	struct vlapic_ipi i;

	(void)state;
	init(&v, 0, false);
	assert_int_equal(vlapic_mmio_write(&v, XAPIC_ICR_HI, 1u << 24, 0), 0);
	assert_int_equal(vlapic_mmio_write(&v, XAPIC_ICR_LO, 0x4500, 0), 0);	/* INIT to 1 */
	assert_false(vlapic_take_ipi(&v, &i));
	assert_int_equal(v.ipi_undeliverable, 1);
	v.smp = true;
	assert_int_equal(vlapic_mmio_write(&v, XAPIC_ICR_LO, 0x4500, 0), 0);
	assert_true(vlapic_take_ipi(&v, &i));
	assert_int_equal(i.mode, VLAPIC_IPI_INIT);
	assert_int_equal(i.dest, 1);
	assert_false(vlapic_take_ipi(&v, &i));
	/* Self stays local, even with several vCPUs. */
	assert_int_equal(vlapic_mmio_write(&v, XAPIC_ICR_LO, 0x00040051, 0), 0);
	assert_false(vlapic_take_ipi(&v, &i));
	assert_int_equal(vlapic_pending(&v), 0x51);
	/* A disable keeps the setting, which is the monitor's, not the guest's. */
	assert_int_equal(vlapic_msr_write(&v, 0x1b, VLAPIC_DEFAULT_BASE, 0), 0);
	assert_true(v.smp);
	/* x2APIC: ICR is one MSR, destination in the high half. */
	init(&v, 0, true);
	v.smp = true;
	assert_int_equal(vlapic_msr_write(&v, X2APIC_ICR, 5ULL << 32 | 0x0699, 0), 0);
	assert_true(vlapic_take_ipi(&v, &i));
	assert_int_equal(i.mode, VLAPIC_IPI_SIPI);
	assert_int_equal(i.vector, 0x99);
	assert_int_equal(i.dest, 5);
}

/* Posting from other CPUs: fixed vectors reach the IRR at the drain, events are taken once. */
static void test_post(void **state)
{
	struct vlapic v;
	struct vlapic_post p = { 0 };
	uint8_t sipi = 0;

	(void)state;
	init(&v, 1, false);
	assert_false(vlapic_post_pending(&p));
	vlapic_post_fixed(&p, 0xf3);
	vlapic_post_fixed(&p, 0x31);
	vlapic_post_fixed(&p, 0x05);	/* illegal: dropped */
	vlapic_post_event(&p, VLAPIC_POST_INIT, 0);
	vlapic_post_event(&p, VLAPIC_POST_SIPI, 0x9a);
	assert_true(vlapic_post_pending(&p));
	assert_int_equal(vlapic_post_drain(&p, &v, &sipi), VLAPIC_POST_INIT | VLAPIC_POST_SIPI);
	assert_int_equal(sipi, 0x9a);
	assert_false(vlapic_post_pending(&p));
	assert_int_equal(vlapic_pending(&v), 0xf3);
	assert_true(v.irr[0x31 / 32] & 1u << (0x31 % 32));
	assert_false(v.irr[0] & 1u << 5);
	assert_int_equal(vlapic_post_drain(&p, &v, &sipi), 0);
}

/* What another CPU reads (vlapic_route_copy()) follows every LDR, DFR, SVR and mode write. */
static void test_route_published(void **state)
{
	struct vlapic v, view;
	struct vlapic_ipi ipi = vlapic_ipi_decode(0x800 | 0x41, 0x02);	/* logical, fixed */

	(void)state;
	init(&v, 3, false);
	vlapic_route_copy(&v, &view);
	assert_int_equal(view.id, 3);
	assert_true(vlapic_xapic(&view));
	assert_int_equal(view.dfr >> 28, 0xf);
	assert_int_equal(vlapic_mmio_write(&v, XAPIC_LDR, 0x02000000, 0), 0);
	vlapic_route_copy(&v, &view);
	assert_int_equal(view.ldr, 0x02000000);
	assert_true(vlapic_ipi_targets(&view, &v, &ipi));
	/* Cluster model: 0x02 is cluster 0, member 1, which LDR 0x02 is not (cluster 0, 2). */
	assert_int_equal(vlapic_mmio_write(&v, XAPIC_DFR, 0x0fffffff, 0), 0);
	vlapic_route_copy(&v, &view);
	assert_int_equal(view.dfr >> 28, 0);
	assert_int_equal(vlapic_ipi_targets(&view, &v, &ipi), vlapic_ipi_targets(&v, &v, &ipi));
	assert_int_equal(vlapic_mmio_write(&v, XAPIC_SVR, 0x0ff, 0), 0);
	vlapic_route_copy(&v, &view);
	assert_false(vlapic_sw_enabled(&view));
	assert_int_equal(vlapic_mmio_write(&v, XAPIC_SVR, 0x1ff, 0), 0);
	vlapic_route_copy(&v, &view);
	assert_true(vlapic_sw_enabled(&view));
	/* To x2APIC: the logical ID then follows from the APIC ID. */
	assert_int_equal(vlapic_msr_write(&v, MSR_APIC_BASE, VLAPIC_DEFAULT_BASE | APIC_BASE_EN |
					  APIC_BASE_EXTD | APIC_BASE_BSP, 0), 0);
	vlapic_route_copy(&v, &view);
	assert_true(vlapic_x2apic(&view));
	assert_int_equal(vlapic_x2_ldr(&view), vlapic_x2_ldr(&v));
	/* Disabled: a reset, still published. */
	assert_int_equal(vlapic_msr_write(&v, MSR_APIC_BASE, VLAPIC_DEFAULT_BASE, 0), 0);
	vlapic_route_copy(&v, &view);
	assert_false(vlapic_xapic(&view) || vlapic_x2apic(&view));
	assert_int_equal(view.id, 3);
}

/* What a vIOAPIC raised in a proxy on another CPU reaches the vLAPIC with its trigger mode. */
static void test_post_level(void **state)
{
	struct vlapic v, proxy;
	struct vlapic_post p = { 0 };
	uint8_t sipi = 0;

	(void)state;
	init(&v, 0, false);
	vlapic_route_copy(&v, &proxy);
	assert_false(vlapic_post_raised(&p, &proxy));
	assert_int_equal(vlapic_raise(&proxy, 0x41, true), 0);
	assert_int_equal(vlapic_raise(&proxy, 0x62, false), 0);
	assert_true(vlapic_post_raised(&p, &proxy));
	assert_true(vlapic_post_pending(&p));
	/* Nothing in the vLAPIC until its own CPU drains the box. */
	assert_int_equal(v.irr[0x41 / 32], 0);
	assert_int_equal(vlapic_post_drain(&p, &v, &sipi), 0);
	assert_true(v.irr[0x41 / 32] & 1u << (0x41 % 32));
	assert_true(v.tmr[0x41 / 32] & 1u << (0x41 % 32));
	assert_true(v.irr[0x62 / 32] & 1u << (0x62 % 32));
	assert_false(v.tmr[0x62 / 32] & 1u << (0x62 % 32));
	/* The level bit went with the vector: an edge posted later is an edge. */
	vlapic_post_fixed(&p, 0x41);
	v.irr[0x41 / 32] = 0;
	vlapic_post_drain(&p, &v, &sipi);
	assert_false(v.tmr[0x41 / 32] & 1u << (0x41 % 32));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_decode),
		cmocka_unit_test(test_targets),
		cmocka_unit_test(test_x2apic_targets),
		cmocka_unit_test(test_outbox),
		cmocka_unit_test(test_post),
		cmocka_unit_test(test_route_published),
		cmocka_unit_test(test_post_level),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
