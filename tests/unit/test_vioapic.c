// SPDX-License-Identifier: GPL-2.0-only
/*
 * The virtual I/O APIC (irq/vioapic.c): registers through IOREGSEL/IOWIN, edge and level
 * delivery, polarity, masking, Remote IRR and EOI (the register and the vLAPIC's level EOIs),
 * destination matching, delivery modes and the MMIO offset rules. Deliveries are checked in
 * a real vLAPIC's IRR/TMR and in the model's counters.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "irq/vioapic.h"
#include "irq/vlapic.h"

#define VEC 0x41

static void sel(struct vioapic *io, uint32_t reg)
{
	assert_int_equal(vioapic_mmio_write(io, VIOAPIC_IOREGSEL, reg, NULL), 0);
}

static uint32_t reg_rd(struct vioapic *io, uint32_t reg)
{
	uint32_t val = 0xdeadbeef;

	sel(io, reg);
	assert_int_equal(vioapic_mmio_read(io, VIOAPIC_IOWIN, &val), 0);
	return val;
}

static void reg_wr(struct vioapic *io, uint32_t reg, uint32_t val, struct vlapic *lapic)
{
	sel(io, reg);
	assert_int_equal(vioapic_mmio_write(io, VIOAPIC_IOWIN, val, lapic), 0);
}

/* Program pin as the guest does: high dword first, then the low one. */
static void program(struct vioapic *io, unsigned int pin, uint32_t lo, uint8_t dest,
		    struct vlapic *lapic)
{
	reg_wr(io, VIOAPIC_REG_RTE(pin) + 1, (uint32_t)dest << 24, lapic);
	reg_wr(io, VIOAPIC_REG_RTE(pin), lo, lapic);
}

static bool in(const uint32_t *reg, unsigned int vec)
{
	return reg[vec / 32] & (1u << (vec % 32));
}

/* An xAPIC, software enabled, as Linux leaves it: flat logical model. */
static void xapic(struct vlapic *v, uint32_t id)
{
	vlapic_init(v, id, false, 2000000, 1000000);
	assert_int_equal(vlapic_mmio_write(v, VLAPIC_SVR, VLAPIC_SVR_ENABLE | 0xff, 0), 0);
}

/* Take the pending interrupt as the monitor would, and return it. */
static int take(struct vlapic *v)
{
	int vec = vlapic_pending(v);

	if (vec >= 0)
		vlapic_accept(v, vec);
	return vec;
}

/* The guest's EOI at its vLAPIC, forwarded as the monitor does. */
static void guest_eoi(struct vioapic *io, struct vlapic *v)
{
	int vec;

	assert_int_equal(vlapic_mmio_write(v, VLAPIC_EOI, 0, 0), 0);
	while ((vec = vlapic_take_level_eoi(v)) >= 0)
		vioapic_eoi(io, (uint8_t)vec, v);
}

static void setup(struct vioapic *io, struct vlapic *v)
{
	vioapic_init(io, 0);
	xapic(v, 0);
}

static void test_reset_state(void **state)
{
	struct vioapic io;

	memset(&io, 0xa5, sizeof(io));
	vioapic_init(&io, 0x12);
	for (unsigned int pin = 0; pin < VIOAPIC_PINS; pin++) {
		assert_true(vioapic_masked(&io, pin));
		assert_int_equal(vioapic_rte(&io, pin), VIOAPIC_RTE_MASKED);
		assert_int_equal(reg_rd(&io, VIOAPIC_REG_RTE(pin)), 0x00010000);
		assert_int_equal(reg_rd(&io, VIOAPIC_REG_RTE(pin) + 1), 0);
	}
	/* Only the low 4 bits of the ID exist. */
	assert_int_equal(reg_rd(&io, VIOAPIC_REG_ID), 0x02000000);
	assert_int_equal(io.delivered, 0);
	assert_int_equal(io.masked_drops, 0);
	assert_int_equal(io.undeliverable, 0);
	assert_int_equal(io.line, 0);
	assert_int_equal(io.driven, 0);
}

static void test_ioregsel(void **state)
{
	struct vioapic io;
	uint32_t val = 0xdeadbeef;

	vioapic_init(&io, 0);
	assert_int_equal(vioapic_mmio_read(&io, VIOAPIC_IOREGSEL, &val), 0);
	assert_int_equal(val, 0);
	/* IOREGSEL is 8 bits wide. */
	sel(&io, 0xabcd1213);
	assert_int_equal(vioapic_mmio_read(&io, VIOAPIC_IOREGSEL, &val), 0);
	assert_int_equal(val, 0x13);
}

static void test_id_register(void **state)
{
	struct vioapic io;

	vioapic_init(&io, 5);
	assert_int_equal(reg_rd(&io, VIOAPIC_REG_ID), 0x05000000);
	reg_wr(&io, VIOAPIC_REG_ID, 0xffffffff, NULL);
	assert_int_equal(reg_rd(&io, VIOAPIC_REG_ID), 0x0f000000);
	reg_wr(&io, VIOAPIC_REG_ID, 0x03000000, NULL);
	assert_int_equal(reg_rd(&io, VIOAPIC_REG_ID), 0x03000000);
	assert_int_equal(io.id, 3);
}

static void test_version_register(void **state)
{
	struct vioapic io;

	vioapic_init(&io, 0);
	assert_int_equal(reg_rd(&io, VIOAPIC_REG_VER), 0x00170020);
	reg_wr(&io, VIOAPIC_REG_VER, 0, NULL);
	assert_int_equal(reg_rd(&io, VIOAPIC_REG_VER), 0x00170020);
}

static void test_arbitration_register(void **state)
{
	struct vioapic io;

	vioapic_init(&io, 9);
	assert_int_equal(reg_rd(&io, VIOAPIC_REG_ARB), 0x09000000);
	reg_wr(&io, VIOAPIC_REG_ARB, 0x01000000, NULL);
	assert_int_equal(reg_rd(&io, VIOAPIC_REG_ARB), 0x09000000);
	/* It follows the ID. */
	reg_wr(&io, VIOAPIC_REG_ID, 0x0c000000, NULL);
	assert_int_equal(reg_rd(&io, VIOAPIC_REG_ARB), 0x0c000000);
}

static void test_rte_round_trip(void **state)
{
	struct vioapic io;

	vioapic_init(&io, 0);
	for (unsigned int pin = 0; pin < VIOAPIC_PINS; pin++) {
		/* All ones: reserved 31:17 and read-only 14 and 12 read back 0. */
		reg_wr(&io, VIOAPIC_REG_RTE(pin), 0xffffffff, NULL);
		reg_wr(&io, VIOAPIC_REG_RTE(pin) + 1, 0xa0000000 | pin << 24 | 0xffffff, NULL);
	}
	for (unsigned int pin = 0; pin < VIOAPIC_PINS; pin++) {
		assert_int_equal(reg_rd(&io, VIOAPIC_REG_RTE(pin)), 0x0001afff);
		assert_int_equal(reg_rd(&io, VIOAPIC_REG_RTE(pin) + 1), 0xa0000000 | pin << 24);
		assert_int_equal(vioapic_rte(&io, pin), (uint64_t)(0xa0 | pin) << 56 | 0x1afff);
	}
	/* An individual field reads back as written. */
	reg_wr(&io, VIOAPIC_REG_RTE(7), 0x000080b1, NULL);
	assert_int_equal(reg_rd(&io, VIOAPIC_REG_RTE(7)), 0x000080b1);
	assert_false(vioapic_masked(&io, 7));
	assert_true(vioapic_masked(&io, 6));
}

/* Delivery status and Remote IRR keep the model's values whatever the guest writes. */
static void test_rte_read_only_bits(void **state)
{
	struct vioapic io;
	struct vlapic v;

	setup(&io, &v);
	reg_wr(&io, VIOAPIC_REG_RTE(3), 0x00015000 | VEC, &v);
	assert_int_equal(reg_rd(&io, VIOAPIC_REG_RTE(3)), 0x00010000 | VEC);
	/* Give it a Remote IRR, then try to clear it and to set delivery status. */
	program(&io, 3, VIOAPIC_RTE_LEVEL | VEC, 0, &v);
	vioapic_set_line(&io, 3, true, &v);
	assert_int_equal(reg_rd(&io, VIOAPIC_REG_RTE(3)), 0x0000c000 | VEC);
	reg_wr(&io, VIOAPIC_REG_RTE(3), 0x00009000 | VEC, &v);
	assert_int_equal(reg_rd(&io, VIOAPIC_REG_RTE(3)), 0x0000c000 | VEC);
	assert_int_equal(io.delivered, 1);
}

static void test_unknown_index(void **state)
{
	static const uint32_t regs[] = {0x03, 0x0f, 0x40, 0x41, 0x80, 0xff};
	struct vioapic io, before;
	struct vlapic v;

	setup(&io, &v);
	program(&io, 0, VEC, 0, &v);
	for (unsigned int i = 0; i < sizeof(regs) / sizeof(regs[0]); i++) {
		sel(&io, regs[i]);
		before = io;
		reg_wr(&io, regs[i], 0xffffffff, &v);
		assert_memory_equal(&io, &before, sizeof(io));
		assert_int_equal(reg_rd(&io, regs[i]), 0);
	}
	/* The last pin's high dword (0x3f) is the end of the table. */
	reg_wr(&io, 0x3f, 0x11000000, &v);
	assert_int_equal(reg_rd(&io, 0x3f), 0x11000000);
	assert_int_equal(vioapic_rte(&io, 23) >> 56, 0x11);
}

static void test_edge_once_per_rising_edge(void **state)
{
	struct vioapic io;
	struct vlapic v;

	setup(&io, &v);
	program(&io, 4, VEC, 0, &v);
	vioapic_set_line(&io, 4, true, &v);
	assert_true(in(v.irr, VEC));
	assert_false(in(v.tmr, VEC));
	assert_int_equal(take(&v), VEC);
	vioapic_set_line(&io, 4, true, &v);
	assert_int_equal(io.delivered, 1);
	assert_false(in(v.irr, VEC));
	vioapic_set_line(&io, 4, false, &v);
	assert_int_equal(io.delivered, 1);
	vioapic_set_line(&io, 4, true, &v);
	assert_int_equal(io.delivered, 2);
	assert_true(in(v.irr, VEC));
	/* Edge pins never get a Remote IRR. */
	assert_false(vioapic_rte(&io, 4) & VIOAPIC_RTE_REMOTE_IRR);
}

static void test_pulse(void **state)
{
	struct vioapic io;
	struct vlapic v;

	setup(&io, &v);
	program(&io, 4, VEC, 0, &v);
	for (unsigned int i = 1; i <= 3; i++) {
		vioapic_pulse(&io, 4, &v);
		assert_int_equal(io.delivered, i);
		assert_int_equal(take(&v), VEC);
		guest_eoi(&io, &v);
	}
	/* The line ends low. */
	assert_false(io.line & (1u << 4));
}

static void test_active_low_edge(void **state)
{
	struct vioapic io;
	struct vlapic v;

	setup(&io, &v);
	program(&io, 5, VIOAPIC_RTE_ACTIVE_LOW | VEC, 0, &v);
	/* Idle high: inactive. */
	vioapic_set_line(&io, 5, true, &v);
	assert_int_equal(io.delivered, 0);
	vioapic_set_line(&io, 5, false, &v);
	assert_int_equal(io.delivered, 1);
	vioapic_set_line(&io, 5, true, &v);
	assert_int_equal(io.delivered, 1);
	/* A pulse goes low and back high, and delivers. */
	vioapic_pulse(&io, 5, &v);
	assert_int_equal(io.delivered, 2);
	assert_true(io.line & (1u << 5));
}

static void test_active_low_level(void **state)
{
	struct vioapic io;
	struct vlapic v;

	setup(&io, &v);
	program(&io, 16, VIOAPIC_RTE_ACTIVE_LOW | VIOAPIC_RTE_LEVEL | VEC, 0, &v);
	vioapic_set_line(&io, 16, true, &v);
	assert_int_equal(io.delivered, 0);
	vioapic_set_line(&io, 16, false, &v);
	assert_int_equal(io.delivered, 1);
	assert_true(in(v.tmr, VEC));
	assert_true(vioapic_rte(&io, 16) & VIOAPIC_RTE_REMOTE_IRR);
}

/* Nothing is wired to a pin never driven: an active-low level pin must not fire by itself. */
static void test_undriven_pin_inactive(void **state)
{
	struct vioapic io;
	struct vlapic v;

	setup(&io, &v);
	program(&io, 9, VIOAPIC_RTE_ACTIVE_LOW | VIOAPIC_RTE_LEVEL | VEC, 0, &v);
	program(&io, 10, VIOAPIC_RTE_ACTIVE_LOW | VEC, 0, &v);
	vioapic_eoi(&io, VEC, &v);
	assert_int_equal(io.delivered, 0);
	assert_int_equal(vlapic_pending(&v), -1);
	/* Once driven low it is active. */
	vioapic_set_line(&io, 9, false, &v);
	assert_int_equal(io.delivered, 1);
}

static void test_masked_edge_lost(void **state)
{
	struct vioapic io;
	struct vlapic v;

	setup(&io, &v);
	program(&io, 4, VIOAPIC_RTE_MASKED | VEC, 0, &v);
	vioapic_set_line(&io, 4, true, &v);
	vioapic_pulse(&io, 3, &v);
	assert_int_equal(io.masked_drops, 2);
	assert_int_equal(io.delivered, 0);
	/* Unmasking with the line still high does not bring the edge back. */
	program(&io, 4, VEC, 0, &v);
	assert_int_equal(io.delivered, 0);
	assert_int_equal(vlapic_pending(&v), -1);
	vioapic_set_line(&io, 4, false, &v);
	vioapic_set_line(&io, 4, true, &v);
	assert_int_equal(io.delivered, 1);
	assert_int_equal(io.masked_drops, 2);
}

static void test_masked_level_delivers_on_unmask(void **state)
{
	struct vioapic io;
	struct vlapic v;

	setup(&io, &v);
	program(&io, 17, VIOAPIC_RTE_MASKED | VIOAPIC_RTE_LEVEL | VEC, 0, &v);
	vioapic_set_line(&io, 17, true, &v);
	assert_int_equal(io.delivered, 0);
	assert_int_equal(io.masked_drops, 1);
	assert_false(vioapic_rte(&io, 17) & VIOAPIC_RTE_REMOTE_IRR);
	/* The guest unmasks through IOWIN: the active line delivers now. */
	reg_wr(&io, VIOAPIC_REG_RTE(17), VIOAPIC_RTE_LEVEL | VEC, &v);
	assert_int_equal(io.delivered, 1);
	assert_true(in(v.irr, VEC));
	assert_true(in(v.tmr, VEC));
	assert_true(reg_rd(&io, VIOAPIC_REG_RTE(17)) & VIOAPIC_RTE_REMOTE_IRR);
	/* A level that went away while masked delivers nothing on unmask. */
	program(&io, 18, VIOAPIC_RTE_MASKED | VIOAPIC_RTE_LEVEL | (VEC + 1), 0, &v);
	vioapic_set_line(&io, 18, true, &v);
	vioapic_set_line(&io, 18, false, &v);
	reg_wr(&io, VIOAPIC_REG_RTE(18), VIOAPIC_RTE_LEVEL | (VEC + 1), &v);
	assert_int_equal(io.delivered, 1);
}

static void test_level_remote_irr(void **state)
{
	struct vioapic io;
	struct vlapic v;

	setup(&io, &v);
	program(&io, 20, VIOAPIC_RTE_LEVEL | VEC, 0, &v);
	vioapic_set_line(&io, 20, true, &v);
	assert_int_equal(io.delivered, 1);
	assert_true(in(v.tmr, VEC));
	assert_int_equal(reg_rd(&io, VIOAPIC_REG_RTE(20)),
			 VIOAPIC_RTE_REMOTE_IRR | VIOAPIC_RTE_LEVEL | VEC);
	assert_int_equal(take(&v), VEC);
	/* Still high, still awaiting EOI: nothing more, however often it is reported. */
	vioapic_set_line(&io, 20, true, &v);
	vioapic_set_line(&io, 20, false, &v);
	vioapic_set_line(&io, 20, true, &v);
	assert_int_equal(io.delivered, 1);
	assert_int_equal(vlapic_pending(&v), -1);
	/* Low by the EOI: Remote IRR clears, nothing is delivered. */
	vioapic_set_line(&io, 20, false, &v);
	guest_eoi(&io, &v);
	assert_false(vioapic_rte(&io, 20) & VIOAPIC_RTE_REMOTE_IRR);
	assert_int_equal(io.delivered, 1);
	assert_int_equal(vlapic_pending(&v), -1);
}

static void test_level_eoi_redelivers(void **state)
{
	struct vioapic io;
	struct vlapic v;

	setup(&io, &v);
	program(&io, 21, VIOAPIC_RTE_LEVEL | VEC, 0, &v);
	vioapic_set_line(&io, 21, true, &v);
	assert_int_equal(take(&v), VEC);
	guest_eoi(&io, &v);
	assert_int_equal(io.delivered, 2);
	assert_true(vioapic_rte(&io, 21) & VIOAPIC_RTE_REMOTE_IRR);
	assert_int_equal(take(&v), VEC);
	assert_true(in(v.tmr, VEC));
	/* An EOI for another vector does nothing to it. */
	assert_int_equal(vioapic_eoi(&io, VEC + 1, &v), 0);
	assert_true(vioapic_rte(&io, 21) & VIOAPIC_RTE_REMOTE_IRR);
	assert_int_equal(io.delivered, 2);
}

/* Linux's mask + EOI-register sequence for a version 0x20 I/O APIC. */
static void test_eoi_register(void **state)
{
	struct vioapic io;
	struct vlapic v;
	uint32_t val = 0xdeadbeef;

	setup(&io, &v);
	program(&io, 22, VIOAPIC_RTE_LEVEL | VEC, 0, &v);
	vioapic_set_line(&io, 22, true, &v);
	assert_true(vioapic_rte(&io, 22) & VIOAPIC_RTE_REMOTE_IRR);
	assert_int_equal(vioapic_mmio_write(&io, VIOAPIC_EOI, VEC + 1, &v), 0);
	assert_true(vioapic_rte(&io, 22) & VIOAPIC_RTE_REMOTE_IRR);
	/* Only the low 8 bits are the vector. */
	vioapic_set_line(&io, 22, false, &v);
	assert_int_equal(vioapic_mmio_write(&io, VIOAPIC_EOI, 0xffffff00 | VEC, &v), 0);
	assert_false(vioapic_rte(&io, 22) & VIOAPIC_RTE_REMOTE_IRR);
	assert_int_equal(vioapic_mmio_read(&io, VIOAPIC_EOI, &val), 0);
	assert_int_equal(val, 0);
	/* With the line back high, the EOI register redelivers too. */
	vioapic_set_line(&io, 22, true, &v);
	assert_int_equal(io.delivered, 2);
	vioapic_set_line(&io, 22, true, &v);
	assert_int_equal(vioapic_mmio_write(&io, VIOAPIC_EOI, VEC, &v), 0);
	assert_int_equal(io.delivered, 3);
}

/* Two pins sharing a vector: one EOI clears both, and only those. */
static void test_eoi_shared_vector(void **state)
{
	struct vioapic io;
	struct vlapic v;

	setup(&io, &v);
	program(&io, 16, VIOAPIC_RTE_ACTIVE_LOW | VIOAPIC_RTE_LEVEL | VEC, 0, &v);
	program(&io, 19, VIOAPIC_RTE_ACTIVE_LOW | VIOAPIC_RTE_LEVEL | VEC, 0, &v);
	program(&io, 23, VIOAPIC_RTE_ACTIVE_LOW | VIOAPIC_RTE_LEVEL | (VEC + 0x10), 0, &v);
	vioapic_set_line(&io, 16, false, &v);
	vioapic_set_line(&io, 19, false, &v);
	vioapic_set_line(&io, 23, false, &v);
	assert_int_equal(io.delivered, 3);
	assert_int_equal(vioapic_eoi_pins(&io, VEC), 1u << 16 | 1u << 19);
	/* The monitor's way: drive the lines inactive, then EOI. */
	vioapic_set_line(&io, 16, true, &v);
	vioapic_set_line(&io, 19, true, &v);
	assert_int_equal(vioapic_eoi(&io, VEC, &v), 1u << 16 | 1u << 19);
	assert_int_equal(vioapic_eoi_pins(&io, VEC), 0);
	assert_int_equal(vioapic_eoi_pins(&io, VEC + 0x10), 1u << 23);
	assert_int_equal(io.delivered, 3);
}

/* Making a pin edge-triggered clears a stuck Remote IRR (older Linux relies on it). */
static void test_edge_switch_clears_remote_irr(void **state)
{
	struct vioapic io;
	struct vlapic v;

	setup(&io, &v);
	program(&io, 18, VIOAPIC_RTE_LEVEL | VEC, 0, &v);
	vioapic_set_line(&io, 18, true, &v);
	assert_true(vioapic_rte(&io, 18) & VIOAPIC_RTE_REMOTE_IRR);
	/* Masked level -> masked edge -> masked level: Remote IRR gone, nothing delivered. */
	reg_wr(&io, VIOAPIC_REG_RTE(18), VIOAPIC_RTE_MASKED | VIOAPIC_RTE_LEVEL | VEC, &v);
	assert_true(vioapic_rte(&io, 18) & VIOAPIC_RTE_REMOTE_IRR);
	reg_wr(&io, VIOAPIC_REG_RTE(18), VIOAPIC_RTE_MASKED | VEC, &v);
	assert_false(vioapic_rte(&io, 18) & VIOAPIC_RTE_REMOTE_IRR);
	reg_wr(&io, VIOAPIC_REG_RTE(18), VIOAPIC_RTE_MASKED | VIOAPIC_RTE_LEVEL | VEC, &v);
	assert_int_equal(io.delivered, 1);
	/* Unmasked with the line still high: delivers again. */
	reg_wr(&io, VIOAPIC_REG_RTE(18), VIOAPIC_RTE_LEVEL | VEC, &v);
	assert_int_equal(io.delivered, 2);
}

/* The whole path through the vLAPIC: raise, accept, EOI, forwarded EOI. */
static void test_level_through_vlapic(void **state)
{
	struct vioapic io;
	struct vlapic v;

	setup(&io, &v);
	program(&io, 4, VIOAPIC_RTE_LEVEL | 0x61, 0, &v);
	program(&io, 1, 0x31, 0, &v);
	/* The level interrupt nests in the edge one's handler. */
	vioapic_pulse(&io, 1, &v);
	assert_int_equal(take(&v), 0x31);
	vioapic_set_line(&io, 4, true, &v);
	assert_int_equal(take(&v), 0x61);
	/* The level vector's EOI is forwarded, the edge one's is not. */
	vioapic_set_line(&io, 4, false, &v);
	assert_int_equal(vlapic_mmio_write(&v, VLAPIC_EOI, 0, 0), 0);
	assert_int_equal(vlapic_take_level_eoi(&v), 0x61);
	assert_int_equal(vioapic_eoi(&io, 0x61, &v), 1u << 4);
	assert_false(vioapic_rte(&io, 4) & VIOAPIC_RTE_REMOTE_IRR);
	assert_int_equal(vlapic_mmio_write(&v, VLAPIC_EOI, 0, 0), 0);
	assert_int_equal(vlapic_take_level_eoi(&v), -1);
	assert_int_equal(vlapic_pending(&v), -1);
	assert_int_equal(io.delivered, 2);
}

static void test_dest_physical(void **state)
{
	struct vioapic io;
	struct vlapic v;

	vioapic_init(&io, 0);
	xapic(&v, 3);
	program(&io, 1, VEC, 3, &v);
	program(&io, 2, VEC + 1, 4, &v);
	program(&io, 3, VEC + 2, 0xff, &v);
	vioapic_pulse(&io, 1, &v);
	assert_true(in(v.irr, VEC));
	vioapic_pulse(&io, 2, &v);
	assert_false(in(v.irr, VEC + 1));
	assert_int_equal(io.undeliverable, 1);
	vioapic_pulse(&io, 3, &v);
	assert_true(in(v.irr, VEC + 2));
	assert_int_equal(io.delivered, 2);
	/* Physical 0 is not the CPU 3. */
	program(&io, 1, VEC, 0, &v);
	vioapic_pulse(&io, 1, &v);
	assert_int_equal(io.undeliverable, 2);
}

static void test_dest_logical_flat(void **state)
{
	struct vioapic io;
	struct vlapic v;
	const uint32_t logical = VIOAPIC_RTE_LOGICAL;

	setup(&io, &v);
	/* LDR 0 (not yet set up) matches no logical destination but the broadcast. */
	program(&io, 1, logical | VEC, 0x01, &v);
	vioapic_pulse(&io, 1, &v);
	assert_int_equal(io.undeliverable, 1);
	assert_int_equal(vlapic_mmio_write(&v, VLAPIC_LDR, 0x04000000, 0), 0);
	vioapic_pulse(&io, 1, &v);
	assert_int_equal(io.undeliverable, 2);
	program(&io, 1, logical | VEC, 0x06, &v);
	vioapic_pulse(&io, 1, &v);
	assert_int_equal(io.delivered, 1);
	assert_true(in(v.irr, VEC));
	program(&io, 2, logical | (VEC + 1), 0xff, &v);
	vioapic_pulse(&io, 2, &v);
	assert_int_equal(io.delivered, 2);
	/* Physical destination 4 is not logical 0x04. */
	program(&io, 3, VEC + 2, 0x04, &v);
	vioapic_pulse(&io, 3, &v);
	assert_int_equal(io.undeliverable, 3);
}

static void test_dest_logical_cluster(void **state)
{
	struct vioapic io;
	struct vlapic v;
	const uint32_t logical = VIOAPIC_RTE_LOGICAL;

	setup(&io, &v);
	assert_int_equal(vlapic_mmio_write(&v, VLAPIC_DFR, 0x0fffffff, 0), 0);
	assert_int_equal(vlapic_mmio_write(&v, VLAPIC_LDR, 0x21000000, 0), 0);
	program(&io, 1, logical | VEC, 0x23, &v);
	vioapic_pulse(&io, 1, &v);
	assert_int_equal(io.delivered, 1);
	/* Same member bit, other cluster. */
	program(&io, 1, logical | VEC, 0x13, &v);
	vioapic_pulse(&io, 1, &v);
	assert_int_equal(io.undeliverable, 1);
	/* Same cluster, other members. */
	program(&io, 1, logical | VEC, 0x26, &v);
	vioapic_pulse(&io, 1, &v);
	assert_int_equal(io.undeliverable, 2);
	assert_int_equal(io.delivered, 1);
}

static void test_dest_x2apic(void **state)
{
	struct vioapic io;
	struct vlapic v;
	const uint32_t logical = VIOAPIC_RTE_LOGICAL;

	vioapic_init(&io, 0);
	vlapic_init(&v, 5, true, 2000000, 1000000);
	assert_int_equal(vlapic_msr_write(&v, VLAPIC_MSR(VLAPIC_SVR), 0x1ff, 0), 0);
	program(&io, 1, VEC, 5, &v);
	vioapic_pulse(&io, 1, &v);
	program(&io, 1, VEC, 0xff, &v);
	vioapic_pulse(&io, 1, &v);
	assert_int_equal(io.delivered, 2);
	program(&io, 1, VEC, 6, &v);
	vioapic_pulse(&io, 1, &v);
	assert_int_equal(io.undeliverable, 1);
	/* Logical: the zero-extended 8 bits are cluster 0; x2APIC ID 5 is its member bit 5. */
	program(&io, 1, logical | VEC, 0x20, &v);
	vioapic_pulse(&io, 1, &v);
	assert_int_equal(io.delivered, 3);
	program(&io, 1, logical | VEC, 0x10, &v);
	vioapic_pulse(&io, 1, &v);
	assert_int_equal(io.undeliverable, 2);
	assert_true(in(v.irr, VEC));
}

static void test_delivery_modes(void **state)
{
	static const uint32_t refused[] = {VIOAPIC_RTE_SMI,    VIOAPIC_RTE_NMI, VIOAPIC_RTE_INIT,
					   VIOAPIC_RTE_EXTINT, 3u << 8,		6u << 8};
	struct vioapic io;
	struct vlapic v;

	setup(&io, &v);
	/* Lowest priority goes to the one CPU like fixed. */
	program(&io, 1, VIOAPIC_RTE_LOWPRI | VIOAPIC_RTE_LOGICAL | VEC, 0x01, &v);
	assert_int_equal(vlapic_mmio_write(&v, VLAPIC_LDR, 0x01000000, 0), 0);
	vioapic_pulse(&io, 1, &v);
	assert_int_equal(io.delivered, 1);
	assert_int_equal(take(&v), VEC);
	for (unsigned int i = 0; i < sizeof(refused) / sizeof(refused[0]); i++) {
		program(&io, 2, refused[i] | VEC, 0, &v);
		vioapic_pulse(&io, 2, &v);
		assert_int_equal(io.undeliverable, i + 1);
	}
	/* A refused level pin does not wait for an EOI that cannot come. */
	program(&io, 3, VIOAPIC_RTE_NMI | VIOAPIC_RTE_LEVEL | VEC, 0, &v);
	vioapic_set_line(&io, 3, true, &v);
	assert_false(vioapic_rte(&io, 3) & VIOAPIC_RTE_REMOTE_IRR);
	assert_int_equal(io.delivered, 1);
	assert_false(in(v.irr, VEC));
}

/* Vectors < 16 and a hardware-disabled vLAPIC refuse the message: undeliverable. */
static void test_refused_by_vlapic(void **state)
{
	struct vioapic io;
	struct vlapic v;

	setup(&io, &v);
	program(&io, 1, VIOAPIC_RTE_LEVEL | 0x05, 0, &v);
	vioapic_set_line(&io, 1, true, &v);
	assert_int_equal(io.undeliverable, 1);
	assert_false(vioapic_rte(&io, 1) & VIOAPIC_RTE_REMOTE_IRR);
	assert_int_equal(vlapic_mmio_write(&v, VLAPIC_ESR, 0, 0), 0);
	assert_int_equal(v.esr, VLAPIC_ESR_RECV_ILLEGAL);

	program(&io, 2, VEC, 0, &v);
	assert_int_equal(vlapic_msr_write(&v, MSR_APIC_BASE, VLAPIC_DEFAULT_BASE, 0), 0);
	vioapic_pulse(&io, 2, &v);
	assert_int_equal(io.undeliverable, 2);
	/* No vLAPIC at all. */
	vioapic_pulse(&io, 2, NULL);
	assert_int_equal(io.undeliverable, 3);
	assert_int_equal(io.delivered, 0);
}

static void test_pin_out_of_range(void **state)
{
	struct vioapic io, before;
	struct vlapic v;

	setup(&io, &v);
	program(&io, 23, VIOAPIC_RTE_LEVEL | VEC, 0, &v);
	before = io;
	vioapic_set_line(&io, VIOAPIC_PINS, true, &v);
	vioapic_set_line(&io, 32, true, &v);
	vioapic_set_line(&io, ~0u, true, &v);
	vioapic_pulse(&io, VIOAPIC_PINS, &v);
	vioapic_pulse(&io, 1000, &v);
	assert_memory_equal(&io, &before, sizeof(io));
	assert_true(vioapic_masked(&io, VIOAPIC_PINS));
	assert_true(vioapic_masked(&io, ~0u));
	assert_int_equal(vioapic_rte(&io, VIOAPIC_PINS), 0);
	assert_int_equal(vlapic_pending(&v), -1);
	/* The last real pin works. */
	vioapic_set_line(&io, 23, true, &v);
	assert_int_equal(io.delivered, 1);
}

static void test_mmio_offsets(void **state)
{
	static const uint32_t bad[] = {0x1000, 0x1010, 0xffffffff, 0xfffffffc,
				       0x01,   0x02,   0x13,	   0x41};
	static const uint32_t other[] = {0x04, 0x08, 0x0c, 0x14, 0x20, 0x30, 0x44, 0xffc};
	struct vioapic io, before;
	struct vlapic v;
	uint32_t val;

	setup(&io, &v);
	sel(&io, VIOAPIC_REG_VER);
	for (unsigned int i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		before = io;
		assert_int_equal(vioapic_mmio_read(&io, bad[i], &val), -EINVAL);
		assert_int_equal(vioapic_mmio_write(&io, bad[i], 0, &v), -EINVAL);
		assert_memory_equal(&io, &before, sizeof(io));
	}
	for (unsigned int i = 0; i < sizeof(other) / sizeof(other[0]); i++) {
		val = 0xdeadbeef;
		before = io;
		assert_int_equal(vioapic_mmio_read(&io, other[i], &val), 0);
		assert_int_equal(val, 0);
		assert_int_equal(vioapic_mmio_write(&io, other[i], 0xffffffff, &v), 0);
		assert_memory_equal(&io, &before, sizeof(io));
	}
	/* IOREGSEL was not disturbed. */
	assert_int_equal(vioapic_mmio_read(&io, VIOAPIC_IOWIN, &val), 0);
	assert_int_equal(val, 0x00170020);
}

/* The guest may flip polarity on an active level line: it delivers when the flip makes the
 * line active, not when it makes it inactive. */
static void test_level_polarity_change(void **state)
{
	struct vioapic io;
	struct vlapic v;

	setup(&io, &v);
	program(&io, 16, VIOAPIC_RTE_MASKED | VIOAPIC_RTE_LEVEL | VEC, 0, &v);
	vioapic_set_line(&io, 16, false, &v);
	reg_wr(&io, VIOAPIC_REG_RTE(16), VIOAPIC_RTE_LEVEL | VEC, &v);
	assert_int_equal(io.delivered, 0);
	reg_wr(&io, VIOAPIC_REG_RTE(16), VIOAPIC_RTE_ACTIVE_LOW | VIOAPIC_RTE_LEVEL | VEC, &v);
	assert_int_equal(io.delivered, 1);
	assert_true(vioapic_rte(&io, 16) & VIOAPIC_RTE_REMOTE_IRR);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_reset_state),
	    cmocka_unit_test(test_ioregsel),
	    cmocka_unit_test(test_id_register),
	    cmocka_unit_test(test_version_register),
	    cmocka_unit_test(test_arbitration_register),
	    cmocka_unit_test(test_rte_round_trip),
	    cmocka_unit_test(test_rte_read_only_bits),
	    cmocka_unit_test(test_unknown_index),
	    cmocka_unit_test(test_edge_once_per_rising_edge),
	    cmocka_unit_test(test_pulse),
	    cmocka_unit_test(test_active_low_edge),
	    cmocka_unit_test(test_active_low_level),
	    cmocka_unit_test(test_undriven_pin_inactive),
	    cmocka_unit_test(test_masked_edge_lost),
	    cmocka_unit_test(test_masked_level_delivers_on_unmask),
	    cmocka_unit_test(test_level_remote_irr),
	    cmocka_unit_test(test_level_eoi_redelivers),
	    cmocka_unit_test(test_eoi_register),
	    cmocka_unit_test(test_eoi_shared_vector),
	    cmocka_unit_test(test_edge_switch_clears_remote_irr),
	    cmocka_unit_test(test_level_through_vlapic),
	    cmocka_unit_test(test_dest_physical),
	    cmocka_unit_test(test_dest_logical_flat),
	    cmocka_unit_test(test_dest_logical_cluster),
	    cmocka_unit_test(test_dest_x2apic),
	    cmocka_unit_test(test_delivery_modes),
	    cmocka_unit_test(test_refused_by_vlapic),
	    cmocka_unit_test(test_pin_out_of_range),
	    cmocka_unit_test(test_mmio_offsets),
	    cmocka_unit_test(test_level_polarity_change),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
