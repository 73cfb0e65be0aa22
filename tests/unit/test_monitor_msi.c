// SPDX-License-Identifier: GPL-2.0-only
/*
 * MSI and MSI-X of a guest's own PCI function (monitor/vmsi.c), through its configuration
 * writes to 0xcf8/0xcfc (monitor/vio.c) on the fake machine's simulated function: refused
 * messages never stay enabled on the hardware, MSI-X Enable is never set, and the capability
 * walk copes with functions without capabilities and with broken lists.
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

#define BDF		PARTITION_BDF(0, 3, 0)
#define MSI		0x50	/* where the tests put the MSI capability */
#define MSIX		0x70	/* and the MSI-X one */
#define APIC		0xfee00000u

static struct pci_filter pf;
static struct monitor_guest_boot boot = { .pci = &pf };

/*
 * What the hardware must never hold, checked after every write that reached it: an enabled
 * MSI whose message is refused (decoded here independently of vmsi.c), or MSI-X Enable.
 */
static struct {
	unsigned msi, msix;		/* capability offsets to check; 0: none */
	unsigned bad_msi, bad_msix;	/* writes after which the hardware held one */
} watch;

static uint32_t le(const uint8_t *p, unsigned n)
{
	uint32_t v = 0;

	for (unsigned i = 0; i < n; i++)
		v |= (uint32_t)p[i] << (8 * i);
	return v;
}

static bool hw_msi_refusable(const uint8_t *c, unsigned cap)
{
	unsigned ctl = le(c + cap + 2, 2);
	bool wide = ctl & 0x80;
	uint32_t lo = le(c + cap + 4, 4), hi = wide ? le(c + cap + 8, 4) : 0;
	uint32_t data = le(c + cap + (wide ? 12 : 8), 4);
	unsigned n = 1u << ((ctl >> 4) & 7), first = (data & 0xff) & ~(n - 1);

	if (!(ctl & 1))
		return false;
	if (hi || lo >> 20 != 0xfee || ((data >> 8) & 7) > 1)
		return true;
	if ((ctl & 0x400) && data >> 16)
		return true;
	for (unsigned v = first; v < first + n; v++)
		if (v == 0xec || (v >= 0x30 && v <= 0x47))
			return true;
	return false;
}

static void watch_write(struct fake *f, uint16_t reg, uint8_t size)
{
	if (watch.msi && hw_msi_refusable(f->cfg, watch.msi))
		watch.bad_msi++;
	if (watch.msix && (f->cfg[watch.msix + 3] & 0x80))
		watch.bad_msix++;
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

/* MSI-X at cap: 8 entries, table and PBA in BAR0. */
static void add_msix(struct fake *f, unsigned cap, uint8_t next)
{
	put(f, cap, 4, 0x0007u << 16 | next << 8 | 0x11, 0xc000u << 16);
	put(f, cap + 4, 4, 0x00000000, 0);
	put(f, cap + 8, 4, 0x00000800, 0);
	watch.msix = cap;
}

static int setup(void **state)
{
	struct fake *f = fake_new();

	if (!f)
		return -1;
	pci_filter_init(&pf, 'a', 0, 0);
	pci_filter_own(&pf, BDF);
	f->m.guest[0].boot = &boot;
	f->cfg_on = true;
	f->cfg_bdf = BDF;
	f->cfg_written = watch_write;
	memset(&watch, 0, sizeof(watch));
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fake *f = *state;

	/* Whatever a test did, the hardware never held what it must not. */
	assert_int_equal(watch.bad_msi, 0);
	assert_int_equal(watch.bad_msix, 0);
	fake_free(f);
	return 0;
}

/* A guest's configuration write, as its OUTs to 0xcf8 and 0xcfc-0xcff. */
static void wr(struct fake *f, unsigned reg, uint8_t size, uint32_t v)
{
	struct guest *g = &f->m.guest[0];
	uint32_t a = PCI_CF8_ENABLE | (uint32_t)BDF << 8 | (reg & 0xfc);

	assert_int_equal(vio_port(&f->m, g, 0xcf8, false, 4, &a), VIO_DONE);
	assert_int_equal(vio_port(&f->m, g, (uint16_t)(0xcfc + (reg & 3)), false, size, &v),
			 VIO_DONE);
}

static unsigned hw(const struct fake *f, unsigned reg, unsigned size)
{
	return le(f->cfg + reg, size);
}

static bool msi_on(const struct fake *f)
{
	return hw(f, MSI + 2, 2) & 1;
}

static unsigned log_count(const struct fake *f, const char *text)
{
	unsigned n = 0;

	for (size_t i = 0; i < f->nlog; i++)
		n += strstr(f->log[i], text) != NULL;
	return n;
}

/* What Linux (and the probe's edu code) does: address, data, then enable in the head dword. */
static void program(struct fake *f, uint32_t addr, uint32_t data, unsigned mme)
{
	wr(f, MSI + 4, 4, addr);
	wr(f, MSI + 8, 4, 0);
	wr(f, MSI + 12, 4, data);
	wr(f, MSI, 4, (hw(f, MSI, 4) & ~0x00710000u) | (mme << 20) | 0x00010000u);
}

static void std_function(struct fake *f)
{
	add_header(f, true, MSI);
	add_msi(f, MSI, MSIX, true, false);
	add_msix(f, MSIX, 0);
}

static void test_message_rules(void **state)
{
	static const struct {
		unsigned mode;
		const char *why;
	} refused[] = { { 2, "delivery mode SMI" }, { 3, "delivery mode reserved (011)" },
			{ 4, "delivery mode NMI" }, { 5, "delivery mode INIT" },
			{ 6, "delivery mode reserved (110)" }, { 7, "delivery mode ExtINT" } };
	static const unsigned ok_vectors[] = { 0x10, 0x12, 0x1f, 0x20, 0x2f, 0x51, 0x48,
					       0xeb, 0xed, 0xfe, 0xff };
	char why[80];

	for (size_t i = 0; i < sizeof(refused) / sizeof(refused[0]); i++) {
		assert_false(vmsi_message_ok(0, APIC, refused[i].mode << 8 | 0x51, why,
					     sizeof(why)));
		assert_string_equal(why, refused[i].why);
	}
	for (size_t i = 0; i < sizeof(ok_vectors) / sizeof(ok_vectors[0]); i++) {
		assert_true(vmsi_message_ok(0, APIC, ok_vectors[i], why, sizeof(why)));
		assert_true(vmsi_message_ok(0, APIC, 0x100 | ok_vectors[i], why, sizeof(why)));
	}
	/* 0x30-0x47, IRQ_DEVICE_VECTOR(0..23), whether a guest owns the pin or not: the monitor
	 * takes any of them as that pin's interrupt. */
	for (unsigned v = 0x30; v <= 0x47; v++)
		assert_false(vmsi_message_ok(0, APIC, v, why, sizeof(why)));
	assert_string_equal(why, "vector 0x47 is the monitor's for I/O APIC pin 23");
	assert_false(vmsi_message_ok(0, APIC, 0x1ec, why, sizeof(why)));
	assert_string_equal(why, "vector 0xec is the monitor's timer");
	/* Destination, redirection hint, destination mode and trigger bits are the guest's. */
	assert_true(vmsi_message_ok(0, 0xfeeff00cu, 0xc051, why, sizeof(why)));
	assert_false(vmsi_message_ok(0, 0xfed00000u, 0x51, why, sizeof(why)));
	assert_string_equal(why, "address 0xfed00000 is not the local APIC's");
	assert_false(vmsi_message_ok(0, 0x1fee00000ULL, 0x51, why, sizeof(why)));
	/* Multiple messages: every vector the function may send. */
	assert_true(vmsi_message_ok(3 << 4, APIC, 0x48, why, sizeof(why)));	/* 0x48-0x4f */
	assert_false(vmsi_message_ok(4 << 4, APIC, 0x48, why, sizeof(why)));	/* 0x40-0x4f */
	assert_false(vmsi_message_ok(5 << 4, APIC, 0x51, why, sizeof(why)));	/* 0x40-0x5f */
	assert_string_equal(why, "vector 0x40 is the monitor's for I/O APIC pin 16");
	assert_true(vmsi_message_ok(5 << 4, APIC, 0x61, why, sizeof(why)));	/* 0x60-0x7f */
	assert_false(vmsi_message_ok(7 << 4, APIC, 0x80, why, sizeof(why)));	/* 0x80-0xff */
	/* Extended message data counts only when enabled. */
	assert_true(vmsi_message_ok(0, APIC, 0x10051, why, sizeof(why)));
	assert_false(vmsi_message_ok(VMSI_CTL_EXT_DATA_EN, APIC, 0x10051, why, sizeof(why)));
	assert_true(vmsi_message_ok(VMSI_CTL_EXT_DATA_EN, APIC, 0x51, why, sizeof(why)));
}

/* INIT, SMI, NMI, ExtINT: MSI Enable does not stick; the rest of the write went through. */
static void test_msi_delivery_modes_refused(void **state)
{
	struct fake *f = *state;
	static const unsigned modes[] = { 5, 2, 4, 7, 3, 6 };

	std_function(f);
	for (size_t i = 0; i < sizeof(modes) / sizeof(modes[0]); i++) {
		program(f, APIC, modes[i] << 8 | 0x51, 0);
		assert_false(msi_on(f));
		assert_int_equal(hw(f, MSI + 12, 2), modes[i] << 8 | 0x51);
		assert_int_equal(hw(f, MSI + 4, 4), APIC);
	}
	assert_true(fake_log_find(f, "monitor: guest a: pci 00:03.0: MSI to 0xfee00000, data "
				     "0x551 refused (delivery mode INIT): MSI stays disabled") >= 0);
	/* Once per function. */
	assert_int_equal(log_count(f, "MSI to"), 1);
}

static void test_msi_monitor_vectors_refused(void **state)
{
	struct fake *f = *state;
	static const unsigned vectors[] = { 0x30, 0x34, 0x40, 0x41, 0x47, 0xec };

	std_function(f);
	for (size_t i = 0; i < sizeof(vectors) / sizeof(vectors[0]); i++) {
		program(f, APIC, vectors[i], 0);
		assert_false(msi_on(f));
		program(f, APIC, 0x100 | vectors[i], 0);	/* lowest priority */
		assert_false(msi_on(f));
	}
	/* Any other address is no interrupt at all (and a DMA write of the data). */
	program(f, 0xfed00000, 0x51, 0);
	assert_false(msi_on(f));
	program(f, 0x00001000, 0x51, 0);
	assert_false(msi_on(f));
	/* 64-bit: a high dword makes it another address. */
	program(f, APIC, 0x51, 0);
	assert_true(msi_on(f));
	wr(f, MSI + 8, 4, 1);
	assert_false(msi_on(f));
	assert_int_equal(hw(f, MSI + 8, 4), 1);
	assert_true(fake_log_find(f, "vector 0x30 is the monitor's for I/O APIC pin 0") >= 0);
}

static void test_msi_fixed_vectors_stay_enabled(void **state)
{
	struct fake *f = *state;

	std_function(f);
	program(f, APIC, 0x51, 0);
	assert_true(msi_on(f));
	program(f, APIC, 0x12, 0);
	assert_true(msi_on(f));
	program(f, 0xfee0f00c, 0x0151, 0);	/* lowest priority, destination 0x0f, logical */
	assert_true(msi_on(f));
	program(f, APIC, 0xff, 0);
	assert_true(msi_on(f));
	/* Four messages 0x48-0x4b, eight 0x58-0x5f. */
	program(f, APIC, 0x48, 2);
	assert_true(msi_on(f));
	assert_int_equal((hw(f, MSI + 2, 2) >> 4) & 7, 2);
	program(f, APIC, 0x5a, 3);
	assert_true(msi_on(f));
	assert_int_equal(f->nlog, 0);
	/* Sixteen from 0x48 would be 0x40-0x4f: the last device vectors are in. */
	program(f, APIC, 0x48, 4);
	assert_false(msi_on(f));
	/* Raising MME on an enabled message is the same. */
	program(f, APIC, 0x48, 3);
	assert_true(msi_on(f));
	wr(f, MSI + 2, 1, 0x41);
	assert_false(msi_on(f));
}

/* Enabled first, message after; or a new message while enabled: checked every time, and the
 * hardware never holds an enabled refused message, not even between the write and the check
 * (the teardown's watch). */
static void test_msi_rechecked_after_enable(void **state)
{
	struct fake *f = *state;

	std_function(f);
	/* Enabled with the reset state (address 0): refused at once. */
	wr(f, MSI + 2, 2, 0x0001);
	assert_false(msi_on(f));
	/* A good message afterwards does not enable it behind the guest's back. */
	wr(f, MSI + 4, 4, APIC);
	wr(f, MSI + 12, 4, 0x51);
	assert_false(msi_on(f));
	wr(f, MSI + 2, 2, 0x0001);
	assert_true(msi_on(f));
	/* INIT written while enabled: MSI is turned off before the data reaches the device. */
	wr(f, MSI + 12, 4, 0x551);
	assert_false(msi_on(f));
	assert_int_equal(hw(f, MSI + 12, 2), 0x551);
	/* Put right, enabled again. */
	wr(f, MSI + 12, 4, 0x52);
	wr(f, MSI + 2, 2, 0x0001);
	assert_true(msi_on(f));
	/* The address moved off the APIC while enabled. */
	wr(f, MSI + 4, 4, 0xfec00000);
	assert_false(msi_on(f));
	assert_int_equal(watch.bad_msi, 0);
}

static void test_msi_widths(void **state)
{
	struct fake *f = *state;

	std_function(f);
	/* Address and data a byte and a word at a time, enable with a byte. */
	wr(f, MSI + 4, 2, 0x0000);
	wr(f, MSI + 6, 2, 0xfee0);
	wr(f, MSI + 12, 1, 0x51);
	wr(f, MSI + 2, 1, 0x01);
	assert_true(msi_on(f));
	/* The delivery mode byte alone, while enabled. */
	wr(f, MSI + 13, 1, 0x05);
	assert_false(msi_on(f));
	/* Enable with a word write: still INIT, refused. */
	wr(f, MSI + 2, 2, 0x0001);
	assert_false(msi_on(f));
	/* A word at the data: fixed again; enable through the dword at cap + 0. */
	wr(f, MSI + 12, 2, 0x0051);
	wr(f, MSI, 4, 0x00010000);
	assert_true(msi_on(f));
	/* The vector byte alone: a device vector. */
	wr(f, MSI + 12, 1, 0x3a);
	assert_false(msi_on(f));
	wr(f, MSI + 12, 1, 0x51);
	wr(f, MSI + 2, 1, 0x01);
	assert_true(msi_on(f));
	/* The address's high word alone. */
	wr(f, MSI + 6, 2, 0x0000);
	assert_false(msi_on(f));
	wr(f, MSI + 6, 2, 0xfee0);
	/* The high dword's bytes. */
	wr(f, MSI + 2, 1, 0x01);
	assert_true(msi_on(f));
	wr(f, MSI + 11, 1, 0x80);
	assert_false(msi_on(f));
}

/* A 32-bit capability: data at cap + 8; extended message data when capable. */
static void test_msi_32bit_and_extended_data(void **state)
{
	struct fake *f = *state;

	add_header(f, true, MSI);
	add_msi(f, MSI, 0, false, true);
	wr(f, MSI + 4, 4, APIC);
	wr(f, MSI + 8, 4, 0x0551);
	wr(f, MSI, 4, 0x00010000);
	assert_false(msi_on(f));
	wr(f, MSI + 8, 2, 0x0051);
	wr(f, MSI + 2, 2, 0x0001);
	assert_true(msi_on(f));
	wr(f, MSI + 8, 1, 0xec);
	assert_false(msi_on(f));
	wr(f, MSI + 8, 1, 0x51);
	/* Extended message data: ignored while not enabled, refused when it would be sent. */
	wr(f, MSI + 10, 2, 0x1234);
	wr(f, MSI + 2, 2, 0x0001);
	assert_true(msi_on(f));
	wr(f, MSI + 3, 1, 0x04);
	assert_false(msi_on(f));
	assert_int_equal(hw(f, MSI + 2, 2) & 0x400, 0x400);
	wr(f, MSI + 10, 2, 0);
	wr(f, MSI + 2, 2, 0x0401);
	assert_true(msi_on(f));
}

/*
 * A device whose registers change behind the write (here: enabling MSI makes its delivery mode
 * INIT): what the check before the write predicted is not what the hardware holds after it,
 * and the read-back catches it.
 */
static void init_on_enable(struct fake *f, uint16_t reg, uint8_t size)
{
	if (reg <= MSI + 2 && reg + size > MSI + 2 && (f->cfg[MSI + 2] & 1))
		f->cfg[MSI + 13] = 0x05;
}

static void test_msi_read_back_after_write(void **state)
{
	struct fake *f = *state;

	std_function(f);
	f->cfg_written = init_on_enable;
	program(f, APIC, 0x51, 0);
	assert_int_equal(hw(f, MSI + 12, 2), 0x551);
	assert_false(msi_on(f));
	assert_true(fake_log_find(f, "data 0x551 refused (delivery mode INIT)") >= 0);
}

static void test_msix_enable_never_set(void **state)
{
	struct fake *f = *state;

	std_function(f);
	/* Enable and Function Mask in the head dword: the mask stays. */
	wr(f, MSIX, 4, 0xc0000000);
	assert_int_equal(hw(f, MSIX + 2, 2), 0x4007);
	wr(f, MSIX + 2, 2, 0x8000);
	assert_int_equal(hw(f, MSIX + 2, 2), 0x0007);
	wr(f, MSIX + 3, 1, 0xc0);
	assert_int_equal(hw(f, MSIX + 2, 2), 0x4007);
	wr(f, MSIX + 3, 1, 0x80);
	assert_int_equal(hw(f, MSIX + 2, 2), 0x0007);
	/* The low byte (table size, read-only) is no way in. */
	wr(f, MSIX + 2, 1, 0xff);
	assert_int_equal(hw(f, MSIX + 2, 2), 0x0007);
	assert_true(fake_log_find(f, "monitor: guest a: pci 00:03.0: MSI-X Enable refused") >= 0);
	assert_int_equal(log_count(f, "MSI-X"), 1);
	/* MSI on the same function still works. */
	program(f, APIC, 0x51, 0);
	assert_true(msi_on(f));
}

/* What the firmware left enabled is cleared at the function's first write, or at a check. */
static void test_enabled_before_first_write(void **state)
{
	struct fake *f = *state;

	std_function(f);
	watch.msi = watch.msix = 0;	/* the fake starts in the state the watch forbids */
	put(f, MSIX + 2, 2, 0x8007, 0xc000);
	put(f, MSI + 12, 2, 0x0500, 0xffff);
	put(f, MSI + 4, 4, APIC, 0xfffffffc);
	put(f, MSI + 2, 2, 0x0087, 0x0071);
	wr(f, 0x04, 2, 0x0006);
	assert_int_equal(hw(f, 0x04, 2), 0x0006);
	assert_int_equal(hw(f, MSIX + 2, 2), 0x0007);
	assert_false(msi_on(f));
	/* vmsi_check_function on a fresh guest entry does the same without a write. */
	f->m.guest[0].nr_msi = 0;
	put(f, MSIX + 2, 2, 0x8007, 0xc000);
	vmsi_check_function(&f->m, &f->m.guest[0], BDF);
	assert_int_equal(hw(f, MSIX + 2, 2), 0x0007);
}

/* No capability list: writes anywhere pass untouched, and nothing else is written. */
static void test_function_without_capabilities(void **state)
{
	struct fake *f = *state;

	add_header(f, false, MSI);
	add_msi(f, MSI, 0, true, false);	/* not in a list: the status bit says none */
	watch.msi = 0;
	put(f, 0x80, 4, 0, 0xffffffff);
	wr(f, 0x80, 4, 0x12345678);
	assert_int_equal(hw(f, 0x80, 4), 0x12345678);
	wr(f, 0x04, 2, 0x0002);
	assert_int_equal(hw(f, 0x04, 2), 0x0002);
	assert_int_equal(f->cfg_writes, 2);
	assert_int_equal(f->nlog, 0);
	/* The status bit set, the pointer 0: the same. */
	f->m.guest[0].nr_msi = 0;
	add_header(f, true, 0);
	f->cfg_writes = 0;
	wr(f, 0x80, 1, 0x9a);
	assert_int_equal(hw(f, 0x80, 4), 0x1234569a);
	assert_int_equal(f->cfg_writes, 1);
	assert_int_equal(f->nlog, 0);
	assert_int_equal(f->m.guest[0].msi[0].msi, 0);
	assert_int_equal(f->m.guest[0].msi[0].msix, 0);
}

static void test_broken_capability_lists(void **state)
{
	struct fake *f = *state;
	struct guest *g = &f->m.guest[0];

	/* A capability pointing at itself: the walk stops after VMSI_WALK_MAX entries. */
	add_header(f, true, 0x40);
	put(f, 0x40, 4, 0x4009, 0);
	put(f, 0x80, 4, 0, 0xffffffff);
	wr(f, 0x80, 4, 1);
	assert_int_equal(hw(f, 0x80, 4), 1);
	assert_true(f->cfg_reads <= VMSI_WALK_MAX + 2);
	assert_int_equal(g->msi[0].msi, 0);
	/* Later writes use what was found: no walk again. */
	f->cfg_reads = 0;
	wr(f, 0x80, 4, 2);
	assert_int_equal(f->cfg_reads, 0);

	/* A loop through MSI: it is still found (once) and enforced. */
	memset(g->msi, 0, sizeof(g->msi));
	g->nr_msi = 0;
	put(f, 0x40, 4, MSI << 8 | 0x09, 0);
	add_msi(f, MSI, 0x40, true, false);
	program(f, APIC, 0x551, 0);
	assert_false(msi_on(f));
	assert_int_equal(g->msi[0].msi, MSI);

	/* Reserved low pointer bits are masked off, as an OS does; pointers into the header
	 * end the walk. */
	memset(g->msi, 0, sizeof(g->msi));
	g->nr_msi = 0;
	add_header(f, true, MSI | 3);
	add_msi(f, MSI, 0x20, true, false);
	program(f, APIC, 0x5ec, 0);
	assert_false(msi_on(f));
	assert_int_equal(g->msi[0].msi, MSI);
	assert_int_equal(g->msi[0].msix, 0);

	/* A 64-bit MSI at 0xf8: its high address and data are past 0xff. Never enabled. */
	memset(g->msi, 0, sizeof(g->msi));
	g->nr_msi = 0;
	watch.msi = 0;
	add_header(f, true, 0xf8);
	put(f, 0xf8, 4, 0x00860005, 0x00710000);
	put(f, 0xfc, 4, APIC, 0xfffffffc);
	wr(f, 0xfa, 2, 0x0001);
	assert_int_equal(g->msi[0].msi, 0xf8);
	assert_int_equal(hw(f, 0xfa, 2), 0x0086);
}

int main(void)
{
#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_message_rules),
		T(test_msi_delivery_modes_refused),
		T(test_msi_monitor_vectors_refused),
		T(test_msi_fixed_vectors_stay_enabled),
		T(test_msi_rechecked_after_enable),
		T(test_msi_widths),
		T(test_msi_32bit_and_extended_data),
		T(test_msi_read_back_after_write),
		T(test_msix_enable_never_set),
		T(test_enabled_before_first_write),
		T(test_function_without_capabilities),
		T(test_broken_capability_lists),
	};
#undef T

	return cmocka_run_group_tests(tests, NULL, NULL);
}
