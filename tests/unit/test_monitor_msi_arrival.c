// SPDX-License-Identifier: GPL-2.0-only
/*
 * Remapped MSIs when they arrive (monitor/vmsi_vec.c), on the fake machine's simulated
 * function programmed through 0xcf8/0xcfc: the guest's own vector of its current message is
 * raised in its vLAPIC, where irq-policy takes over; a vector another guest holds reaches that
 * guest only; an arrival with nobody to take it (a disabled or undeliverable message, a
 * stopped or restarting guest, a free vector) is dropped; vectors run out cleanly.
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

#define BDF		PARTITION_BDF(0, 3, 0)
#define MSI		0x50	/* where the tests put the MSI capability */
#define MSIX		0x70	/* and the MSI-X one */
#define APIC		0xfee00000u
#define APIC_ID		2	/* the physical local APIC's, so its address differs */
#define MON_ADDR	(APIC | APIC_ID << 12)

static struct pci_filter pf;
static struct monitor_guest_boot boot = { .pci = &pf };

/*
 * What the hardware must never hold, checked after every write that reached it: an enabled
 * MSI with a message other than the monitor's to a vector guest a holds.
 */
static struct {
	unsigned msi;		/* capability offset to check; 0: none */
	unsigned bad;		/* writes after which the hardware held something else */
	struct guest *g;
} watch;

static uint32_t le(const uint8_t *p, unsigned n)
{
	uint32_t v = 0;

	for (unsigned i = 0; i < n; i++)
		v |= (uint32_t)p[i] << (8 * i);
	return v;
}

static bool hw_msi_foreign(const uint8_t *c, unsigned cap)
{
	unsigned ctl = le(c + cap + 2, 2);
	bool wide = ctl & 0x80;
	uint32_t lo = le(c + cap + 4, 4), hi = wide ? le(c + cap + 8, 4) : 0;
	uint32_t data = le(c + cap + (wide ? 12 : 8), 4);
	unsigned v = data & 0xffff;

	if (!(ctl & 1))
		return false;
	if (lo != MON_ADDR || hi || (ctl & 0x470))
		return true;
	if (v < IRQ_MSI_BASE || v >= IRQ_MSI_BASE + IRQ_MSI_PER_GUEST)
		return true;
	return !watch.g->msi_vec[v - IRQ_MSI_BASE].used;
}

static void watch_write(struct fake *f, uint16_t reg, uint8_t size)
{
	if (watch.msi && hw_msi_foreign(f->cfg, watch.msi))
		watch.bad++;
}

static void put(struct fake *f, unsigned reg, unsigned size, uint32_t v, uint32_t wmask)
{
	for (unsigned i = 0; i < size; i++) {
		f->cfg[reg + i] = (uint8_t)(v >> (8 * i));
		f->cfg_wmask[reg + i] = (uint8_t)(wmask >> (8 * i));
	}
}

/* An edu-like function: ID, a writable command register, the capability list at ptr. */
static void add_header(struct fake *f, bool caps, uint8_t ptr)
{
	put(f, 0x00, 4, 0x11e81234, 0);
	put(f, 0x04, 4, caps ? 0x00100000 : 0, 0x0407);
	put(f, 0x34, 1, ptr, 0);
}

/* MSI at cap: 8 messages capable, 64-bit or not, extended message data capable or not. */
static void add_msi(struct fake *f, unsigned cap, uint8_t next, bool wide, bool ext)
{
	unsigned data = wide ? 12 : 8;

	put(f, cap, 4, (0x0006u | (wide ? 0x80 : 0) | (ext ? 0x200 : 0)) << 16 | next << 8 | 0x05,
	    (0x0071u | (ext ? 0x400 : 0)) << 16);
	put(f, cap + 4, 4, 0, 0xfffffffc);
	if (wide)
		put(f, cap + 8, 4, 0, 0xffffffff);
	put(f, cap + data, 4, 0, ext ? 0xffffffff : 0xffff);
	watch.msi = cap;
}

static int setup(void **state)
{
	struct fake *f = fake_new();

	if (!f)
		return -1;
	pci_filter_init(&pf, 'a', 0, 0);
	pci_filter_own(&pf, BDF);
	f->m.guest[0].boot = &boot;
	f->m.apic_id = APIC_ID;
	vlapic_init(&f->m.guest[0].lapic, 0, false, f->m.tsc_khz, 100000);
	f->cfg_on = true;
	f->cfg_bdf = BDF;
	f->cfg_written = watch_write;
	memset(&watch, 0, sizeof(watch));
	watch.g = &f->m.guest[0];
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fake *f = *state;

	/* Whatever a test did, the hardware never held what it must not. */
	assert_int_equal(watch.bad, 0);
	fake_free(f);
	return 0;
}

/* A guest's configuration write and read, as its accesses to 0xcf8 and 0xcfc-0xcff. */
static void wr(struct fake *f, unsigned reg, uint8_t size, uint32_t v)
{
	struct guest *g = &f->m.guest[0];
	uint32_t a = PCI_CF8_ENABLE | (uint32_t)BDF << 8 | (reg & 0xfc);

	assert_int_equal(vio_port(&f->m, g, 0xcf8, false, 4, &a), VIO_DONE);
	assert_int_equal(vio_port(&f->m, g, (uint16_t)(0xcfc + (reg & 3)), false, size, &v),
			 VIO_DONE);
}

static uint32_t rd(struct fake *f, unsigned reg, uint8_t size)
{
	struct guest *g = &f->m.guest[0];
	uint32_t a = PCI_CF8_ENABLE | (uint32_t)BDF << 8 | (reg & 0xfc), v = 0;

	assert_int_equal(vio_port(&f->m, g, 0xcf8, false, 4, &a), VIO_DONE);
	assert_int_equal(vio_port(&f->m, g, (uint16_t)(0xcfc + (reg & 3)), true, size, &v),
			 VIO_DONE);
	return v;
}

static unsigned hw(const struct fake *f, unsigned reg, unsigned size)
{
	return le(f->cfg + reg, size);
}

static bool hw_on(const struct fake *f)
{
	return hw(f, MSI + 2, 2) & 1;
}

/* What Linux (and the probe's edu code) does: address, data, then enable in the head dword. */
static void program(struct fake *f, uint32_t addr, uint32_t data)
{
	wr(f, MSI + 4, 4, addr);
	wr(f, MSI + 8, 4, 0);
	wr(f, MSI + 12, 4, data);
	wr(f, MSI, 4, (rd(f, MSI, 4) & ~0x00710000u) | 0x00010000u);
}

static void std_function(struct fake *f)
{
	add_header(f, true, MSI);
	add_msi(f, MSI, 0, true, false);
}

/* Vector v arrives at the physical CPU; the loop hands it on. */
static void arrive(struct fake *f, unsigned v)
{
	unsigned n = v - IRQ_MSI_BASE;

	f->msi_pending[n / 64] |= 1ULL << (n % 64);
	virq_devices(&f->m);
}

static bool irr(const struct guest *g, unsigned v)
{
	return g->lapic.irr[v / 32] & (1u << (v % 32));
}

static void test_msi_arrival_injects_guest_vector(void **state)
{
	struct fake *f = *state;
	struct guest *g = &f->m.guest[0];
	unsigned writes;

	std_function(f);
	program(f, APIC, 0x51);
	arrive(f, IRQ_MSI_VECTOR(0, 0));
	assert_true(irr(g, 0x51));
	assert_false(irr(g, IRQ_MSI_VECTOR(0, 0)));
	assert_int_equal(g->msi_delivered, 1);
	/* A new vector while enabled: the device is not touched, the next arrival is it. */
	writes = f->cfg_writes;
	wr(f, MSI + 12, 2, 0x0162);
	assert_int_equal(f->cfg_writes, writes + 1);	/* the guest's own, made harmless */
	assert_int_equal(hw(f, MSI + 12, 4), IRQ_MSI_VECTOR(0, 0));
	arrive(f, IRQ_MSI_VECTOR(0, 0));
	assert_true(irr(g, 0x62));
	/* A vector nobody holds, or the other guest's range while it is absent: dropped. */
	arrive(f, IRQ_MSI_VECTOR(0, 5));
	arrive(f, IRQ_MSI_VECTOR(1, 0));
	assert_int_equal(g->msi_delivered, 2);
	assert_int_equal(g->msi_dropped, 1);
	/* Undeliverable now (another destination): the device is disabled, an arrival on the
	 * way is dropped. */
	wr(f, MSI + 4, 4, APIC | 5 << 12);
	assert_false(hw_on(f));
	assert_true(rd(f, MSI + 2, 2) & 1);
	arrive(f, IRQ_MSI_VECTOR(0, 0));
	assert_int_equal(g->msi_dropped, 2);
	/* Its own again: enabled again, same vector. */
	wr(f, MSI + 4, 4, APIC);
	assert_true(hw_on(f));
	assert_int_equal(hw(f, MSI + 12, 4), IRQ_MSI_VECTOR(0, 0));
	/* Disabled: the vector is released, its arrivals dropped. */
	wr(f, MSI + 2, 1, 0);
	assert_false(hw_on(f));
	assert_false(g->msi_vec[0].used);
	arrive(f, IRQ_MSI_VECTOR(0, 0));
	assert_int_equal(g->msi_dropped, 3);
}

/* A stopped or restarting guest's arrivals are dropped; a stop disables its functions. */
static void test_stopped_and_restarting_drop(void **state)
{
	struct fake *f = *state;
	struct guest *g = &f->m.guest[0];

	std_function(f);
	program(f, APIC, 0x51);
	g->restart_pending = true;
	arrive(f, IRQ_MSI_VECTOR(0, 0));
	assert_false(irr(g, 0x51));
	g->restart_pending = false;
	arrive(f, IRQ_MSI_VECTOR(0, 0));
	assert_true(irr(g, 0x51));
	monitor_guest_stop(&f->m, g, "test");
	assert_false(hw_on(f));
	assert_false(g->msi_vec[0].used);
	arrive(f, IRQ_MSI_VECTOR(0, 0));
	assert_int_equal(g->msi_delivered, 1);
	assert_int_equal(g->msi_dropped, 2);
}

/* An x2APIC ID above 255 cannot be named by a message: nothing is enabled. */
static void test_apic_id_too_wide(void **state)
{
	struct fake *f = *state;

	std_function(f);
	f->m.apic_id = 0x100;
	program(f, APIC, 0x51);
	assert_false(hw_on(f));
	assert_true(fake_log_find(f, "APIC ID does not fit") >= 0);
	f->m.apic_id = APIC_ID;
	wr(f, MSI + 2, 1, 1);
	assert_true(hw_on(f));
}

/* Out of vectors: the message is kept and not enabled; one freed, it is. */
static void test_vectors_run_out(void **state)
{
	struct fake *f = *state;
	struct guest *g = &f->m.guest[0];
	uint8_t last = GUEST_MSI_NONE;

	std_function(f);
	for (unsigned n = 0; n < IRQ_MSI_PER_GUEST; n++)
		last = (uint8_t)vmsi_vec_alloc(g, 5, 0);
	assert_int_equal(last, IRQ_MSI_PER_GUEST - 1);
	assert_int_equal(vmsi_vec_alloc(g, 5, 0), -ENOSPC);
	program(f, APIC, 0x51);
	assert_false(hw_on(f));
	assert_true(fake_log_find(f, "no remapped vector left") >= 0);
	vmsi_vec_free(g, &last);
	assert_int_equal(last, GUEST_MSI_NONE);
	wr(f, MSI + 2, 1, 1);
	assert_true(hw_on(f));
	assert_int_equal(hw(f, MSI + 12, 4), IRQ_MSI_VECTOR(0, IRQ_MSI_PER_GUEST - 1));
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
	vlapic_init(&b->lapic, 0, false, f->m.tsc_khz, 100000);
	b->nr_msi = 1;
	b->msi[0] = (struct guest_msi){ .bdf = PARTITION_BDF(0, 4, 0), .msi = 0x50,
					.msi_enable = true, .msi_addr_lo = APIC, .msi_data = 0x71 };
	slot = vmsi_vec_alloc(b, 0, GUEST_MSI_ENTRY_MSI);
	assert_int_equal(slot, 0);
	b->msi[0].msi_slot = (uint8_t)slot;
	std_function(f);
	program(f, APIC, 0x51);
	arrive(f, IRQ_MSI_VECTOR(1, 0));
	assert_true(irr(b, 0x71));
	assert_false(irr(a, 0x71));
	assert_false(irr(a, 0x51));
	assert_int_equal(b->msi_delivered, 1);
	assert_int_equal(a->msi_delivered, 0);
	arrive(f, IRQ_MSI_VECTOR(0, 0));
	assert_true(irr(a, 0x51));
	assert_false(irr(b, 0x51));
	/* The same slot number in the two ranges is two different messages. */
	b->msi[0].msi_enable = false;
	arrive(f, IRQ_MSI_VECTOR(1, 0));
	assert_int_equal(b->msi_dropped, 1);
}

/* An arrival makes the guest's interrupt pending like any other, so a halted guest wakes and
 * the loop's irq-policy applies: nothing is injected by the arrival itself. */
static void test_arrival_is_pending_for_the_loop(void **state)
{
	struct fake *f = *state;
	struct guest *g = &f->m.guest[0];

	std_function(f);
	program(f, APIC, 0x51);
	assert_int_equal(vlapic_mmio_write(&g->lapic, VLAPIC_SVR, VLAPIC_SVR_ENABLE | 0xff, 0), 0);
	assert_false(virq_pending(g, 0));
	arrive(f, IRQ_MSI_VECTOR(0, 0));
	assert_int_equal(f->ninject, 0);
	assert_true(virq_pending(g, 0));
	assert_int_equal(vlapic_pending(&g->lapic), 0x51);
}

/* With per-vector mask bits: the guest's bit reaches the device and reads back; a second
 * interrupt while the first waits sets the device's bit until the guest takes it. */
static void test_msi_mask_bits_and_hold(void **state)
{
	struct fake *f = *state;
	struct guest *g = &f->m.guest[0];

	add_header(f, true, MSI);
	add_msi(f, MSI, 0, true, false);
	put(f, MSI + 2, 2, 0x0186, 0x0071);	/* 64-bit, per-vector masks, 8 capable */
	put(f, MSI + 16, 4, 0, 0xff);		/* Mask Bits */
	put(f, MSI + 20, 4, 0x1, 0);		/* Pending Bits: the device's */
	vmsi_guest_reset(&f->m, g);
	program(f, APIC, 0x51);
	wr(f, MSI + 16, 4, 1);
	assert_int_equal(hw(f, MSI + 16, 4), 1);
	assert_int_equal(rd(f, MSI + 16, 4), 1);
	assert_int_equal(rd(f, MSI + 20, 4), 1);
	wr(f, MSI + 16, 1, 0);
	assert_int_equal(hw(f, MSI + 16, 4), 0);
	assert_int_equal(vlapic_mmio_write(&g->lapic, VLAPIC_SVR, VLAPIC_SVR_ENABLE | 0xff, 0), 0);
	arrive(f, IRQ_MSI_VECTOR(0, 0));
	assert_int_equal(hw(f, MSI + 16, 4), 0);
	arrive(f, IRQ_MSI_VECTOR(0, 0));
	assert_int_equal(hw(f, MSI + 16, 4), 1);
	assert_int_equal(rd(f, MSI + 16, 4), 0);
	/* The guest's own writes keep the hold. */
	wr(f, MSI + 16, 4, 0);
	assert_int_equal(hw(f, MSI + 16, 4), 1);
	vlapic_accept(&g->lapic, 0x51);
	virq_devices(&f->m);
	assert_int_equal(hw(f, MSI + 16, 4), 0);
	/* Held, then disabled: the vector is released and the device's bit is the guest's. */
	arrive(f, IRQ_MSI_VECTOR(0, 0));
	arrive(f, IRQ_MSI_VECTOR(0, 0));
	assert_int_equal(hw(f, MSI + 16, 4), 1);
	wr(f, MSI + 2, 1, 0);
	assert_int_equal(hw(f, MSI + 16, 4), 0);
	assert_int_equal(g->msi_held, 0);
}

int main(void)
{
#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
	const struct CMUnitTest tests[] = {
		T(test_msi_arrival_injects_guest_vector),
		T(test_stopped_and_restarting_drop),
		T(test_vectors_run_out),
		T(test_apic_id_too_wide),
		T(test_other_guests_range),
		T(test_arrival_is_pending_for_the_loop),
		T(test_msi_mask_bits_and_hold),
	};
#undef T

	return cmocka_run_group_tests(tests, NULL, NULL);
}
