// SPDX-License-Identifier: GPL-2.0-only
/*
 * MSI-X of a guest's own PCI function, remapped (monitor/vmsix.c), on the fake machine's
 * simulated function and its memory BAR: the guest's table entries are its own, the device's
 * table holds only the monitor's messages (or masked entries) whenever MSI-X is enabled on
 * it, masks and the PBA behave, accesses come through the nested page fault decoder, and a
 * restart releases everything.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "monitor/svm/svm.h"
#include "monitor/test_fake.h"
#include "monitor/vio.h"
#include "monitor/virq.h"
#include "monitor/vmsi.h"
#include "tests/unit/msi_fixture.h"

#define MSIX		0x70
#define ENTRIES		64	/* more than the guest is offered */
#define TABLE		(FAKE_BAR_BASE + 0x1000)
#define PBA		(FAKE_BAR_BASE + 0x1800)
#define OTHER		(FAKE_BAR_BASE + 0x1c00)	/* a device register in the table's page */
#define CODE		0x40010000ULL

static struct partition_msix px = { BDF, MSIX, ENTRIES, TABLE, PBA };
static struct monitor_guest_boot boot = { .pci = &msifx_pf, .msix = &px, .nr_msix = 1 };
static unsigned bad;	/* accesses after which the device could send a foreign message */

/* With MSI-X enabled on the device, every unmasked entry holds the monitor's message for a
 * vector guest a holds. */
static void check_device(struct fake *f)
{
	const struct guest *g = &f->m.guest[0];

	if (!(f->cfg[MSIX + 3] & 0x80))
		return;
	for (unsigned i = 0; i < ENTRIES; i++) {
		const uint8_t *e = f->bar + (TABLE - FAKE_BAR_BASE) + 16 * i;
		unsigned v = msifx_le(e + 8, 4);

		if (msifx_le(e + 12, 4) & 1)
			continue;
		if (msifx_le(e, 4) != MON_ADDR || msifx_le(e + 4, 4) || v < IRQ_MSI_BASE ||
		    v >= IRQ_MSI_BASE + IRQ_MSI_PER_GUEST || !g->msi_vec[v - IRQ_MSI_BASE].used)
			bad++;
	}
}

static void cfg_written(struct fake *f, uint16_t reg, uint8_t size)
{
	f->bar_on = f->cfg[0x04] & 2;	/* memory space */
	check_device(f);
}

static void mmio_written(struct fake *f, uint64_t off, uint8_t size)
{
	check_device(f);
}

static void bar_put32(struct fake *f, uint64_t pa, uint32_t v)
{
	for (unsigned i = 0; i < 4; i++)
		f->bar[pa - FAKE_BAR_BASE + i] = (uint8_t)(v >> (8 * i));
}

static uint32_t bar32(const struct fake *f, uint64_t pa)
{
	return msifx_le(f->bar + (pa - FAKE_BAR_BASE), 4);
}

static int setup(void **state)
{
	struct fake *f = fake_new();

	if (!f || fake_long_mode(f, CODE))
		return -1;
	pci_filter_init(&msifx_pf, 'a', 0, 0);
	pci_filter_own(&msifx_pf, BDF);
	boot.msix = &px;
	f->m.guest[0].boot = &boot;
	f->m.cpu[0].apic_id = APIC_ID;
	vlapic_init(&f->m.guest[0].vcpu[0].lapic, 0, false, f->m.tsc_khz, 100000);
	f->cfg_on = true;
	f->cfg_bdf = BDF;
	f->cfg_written = cfg_written;
	f->mmio_written = mmio_written;
	/* Header, command (memory space off), MSI-X at 0x70: 64 entries in BAR0. */
	msifx_put(f, 0x00, 4, 0x10001af4, 0);
	msifx_put(f, 0x04, 4, 0x00100000, 0x0407);
	msifx_put(f, 0x34, 1, MSIX, 0);
	msifx_put(f, MSIX, 4, (ENTRIES - 1u) << 16 | 0x11, 0xc0000000u);
	msifx_put(f, MSIX + 4, 4, 0x1000, 0);
	msifx_put(f, MSIX + 8, 4, 0x1800, 0);
	/* What the firmware left: entry 3 unmasked with an INIT message to the real APIC. */
	bar_put32(f, TABLE + 16 * 3, APIC);
	bar_put32(f, TABLE + 16 * 3 + 8, 0x500);
	bar_put32(f, TABLE + 16 * 3 + 12, 0);
	bad = 0;
	/* The guest's start finds the function. */
	vmsi_guest_reset(&f->m, &f->m.guest[0], f->m.guest[0].vcpu[0].cpu);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	assert_int_equal(bad, 0);
	fake_free(*state);
	return 0;
}

/* The guest's MMIO, as the nested page fault handler hands it over. */
static void mw(struct fake *f, uint64_t pa, uint8_t size, uint64_t v)
{
	assert_true(vmsix_page(&f->m.guest[0], pa));
	vmsix_access(&f->m, &f->m.guest[0], pa, true, size, &v);
}

static uint64_t mr(struct fake *f, uint64_t pa, uint8_t size)
{
	uint64_t v = 0x5a5a5a5a5a5a5a5aULL;

	assert_true(vmsix_page(&f->m.guest[0], pa));
	vmsix_access(&f->m, &f->m.guest[0], pa, false, size, &v);
	return v;
}

static bool hw_enabled(const struct fake *f)
{
	return f->cfg[MSIX + 3] & 0x80;
}

static bool hw_masked(const struct fake *f, unsigned i)
{
	return bar32(f, TABLE + 16 * i + 12) & 1;
}

/* What Linux does: memory space on, Enable with Function Mask, entries, Function Mask off. */
static void linux_enable(struct fake *f)
{
	msifx_wr(f, 0x04, 2, 0x0006);
	msifx_wr(f, MSIX + 2, 2, 0xc000);
	for (unsigned i = 0; i < 2; i++) {
		mw(f, TABLE + 16 * i + 12, 4, 1);
		mw(f, TABLE + 16 * i, 4, APIC);
		mw(f, TABLE + 16 * i + 4, 4, 0);
		mw(f, TABLE + 16 * i + 8, 4, 0x61 + i);
		mw(f, TABLE + 16 * i + 12, 4, 0);
	}
	msifx_wr(f, MSIX + 2, 2, 0x8000);
}

static void test_msix_remapped(void **state)
{
	struct fake *f = *state;
	struct guest *g = &f->m.guest[0];

	/* The guest is offered 32 entries of the 64. */
	assert_int_equal(msifx_rd(f, MSIX + 2, 2) & 0x7ff, GUEST_MSIX_ENTRIES - 1);
	linux_enable(f);
	assert_true(hw_enabled(f));
	assert_int_equal(msifx_rd(f, MSIX + 2, 2) & 0xc000, 0x8000);
	/* The guest reads its own entries. */
	assert_int_equal(mr(f, TABLE, 4), APIC);
	assert_int_equal(mr(f, TABLE + 8, 4), 0x61);
	assert_int_equal(mr(f, TABLE + 16 + 8, 8), 0x62);	/* data and vector control */
	/* The device holds the monitor's: two vectors, unmasked; the firmware's INIT entry 3
	 * and every other entry masked. */
	assert_int_equal(bar32(f, TABLE), MON_ADDR);
	assert_int_equal(bar32(f, TABLE + 8), IRQ_MSI_VECTOR(0, 0));
	assert_int_equal(bar32(f, TABLE + 16 + 8), IRQ_MSI_VECTOR(0, 1));
	assert_false(hw_masked(f, 0));
	assert_false(hw_masked(f, 1));
	for (unsigned i = 2; i < ENTRIES; i++)
		assert_true(hw_masked(f, i));
	assert_int_equal(bar32(f, TABLE + 16 * 3 + 8), 0);
	/* Arrivals: the guest's own vector, per entry. */
	msifx_arrive(f, IRQ_MSI_VECTOR(0, 1));
	assert_true(msifx_irr(g, 0x62));
	assert_false(msifx_irr(g, 0x61));
	msifx_arrive(f, IRQ_MSI_VECTOR(0, 0));
	assert_true(msifx_irr(g, 0x61));
	assert_int_equal(g->msi_delivered, 2);
	assert_int_equal(f->nlog, 0);
}

/* Masks: an entry the guest masks is masked on the device; Function Mask reaches it; while
 * either is set an arrival (one already on its way) is dropped. */
static void test_msix_masks(void **state)
{
	struct fake *f = *state;
	struct guest *g = &f->m.guest[0];

	linux_enable(f);
	mw(f, TABLE + 12, 4, 1);
	assert_true(hw_masked(f, 0));
	assert_int_equal(mr(f, TABLE + 12, 4), 1);
	msifx_arrive(f, IRQ_MSI_VECTOR(0, 0));
	assert_false(msifx_irr(g, 0x61));
	mw(f, TABLE + 12, 4, 0xfffffffe);	/* reserved bits stay 0 */
	assert_false(hw_masked(f, 0));
	assert_int_equal(mr(f, TABLE + 12, 4), 0);
	msifx_wr(f, MSIX + 3, 1, 0xc0);
	assert_int_equal(f->cfg[MSIX + 3] & 0xc0, 0xc0);
	msifx_arrive(f, IRQ_MSI_VECTOR(0, 0));
	assert_false(msifx_irr(g, 0x61));
	msifx_wr(f, MSIX + 3, 1, 0x80);
	assert_int_equal(f->cfg[MSIX + 3] & 0xc0, 0x80);
	msifx_arrive(f, IRQ_MSI_VECTOR(0, 0));
	assert_true(msifx_irr(g, 0x61));
	assert_int_equal(g->msi_dropped, 2);
}

/* A second interrupt while the first still waits in the IRR: the entry is masked on the
 * device until the guest takes it, while the guest still sees its entry unmasked. */
static void test_msix_held_until_taken(void **state)
{
	struct fake *f = *state;
	struct guest *g = &f->m.guest[0];

	linux_enable(f);
	assert_int_equal(vlapic_mmio_write(&g->vcpu[0].lapic, VLAPIC_SVR, VLAPIC_SVR_ENABLE | 0xff,
					   0), 0);
	msifx_arrive(f, IRQ_MSI_VECTOR(0, 0));
	assert_false(hw_masked(f, 0));
	msifx_arrive(f, IRQ_MSI_VECTOR(0, 0));
	assert_true(hw_masked(f, 0));
	assert_int_equal(mr(f, TABLE + 12, 4), 0);
	assert_int_equal(g->msi_held, 1);
	/* Rewriting the entry does not unmask it either. */
	mw(f, TABLE + 8, 4, 0x61);
	assert_true(hw_masked(f, 0));
	/* Still waiting at the next loop pass; taken, then unmasked. */
	virq_devices(&f->m, monitor_this_cpu(&f->m));
	assert_true(hw_masked(f, 0));
	assert_int_equal(vlapic_pending(&g->vcpu[0].lapic), 0x61);
	vlapic_accept(&g->vcpu[0].lapic, 0x61);
	virq_devices(&f->m, monitor_this_cpu(&f->m));
	assert_false(hw_masked(f, 0));
	assert_int_equal(g->msi_held, 0);
	/* The other entry was never held. */
	assert_false(hw_masked(f, 1));
	assert_int_equal(g->msi_delivered, 2);
}

/* INIT, NMI, SMI, ExtINT and vectors below 16 stay masked on the device. */
static void test_msix_refused_messages(void **state)
{
	struct fake *f = *state;
	static const uint32_t data[] = { 0x561, 0x461, 0x261, 0x761, 0x0f, 0x02 };

	linux_enable(f);
	for (size_t i = 0; i < sizeof(data) / sizeof(data[0]); i++) {
		mw(f, TABLE + 8, 4, data[i]);
		assert_true(hw_masked(f, 0));
		assert_int_equal(bar32(f, TABLE + 8), IRQ_MSI_VECTOR(0, 0));
		assert_int_equal(mr(f, TABLE + 8, 4), data[i]);
	}
	assert_true(fake_log_find(f, "pci 00:03.0: MSI-X entry 0 to 0xfee00000, data 0x561 "
				     "refused (delivery mode INIT): masked on the device") >= 0);
	/* Another address: masked too; put right, unmasked. */
	mw(f, TABLE + 8, 4, 0x61);
	assert_false(hw_masked(f, 0));
	mw(f, TABLE, 4, 0xfec00000);
	assert_true(hw_masked(f, 0));
	mw(f, TABLE, 4, APIC);
	assert_false(hw_masked(f, 0));
}

/* The PBA reads the device and is never written; other registers in the page pass through;
 * entries past those offered read 0 and never reach the device. */
static void test_msix_pba_and_neighbours(void **state)
{
	struct fake *f = *state;

	linux_enable(f);
	bar_put32(f, PBA, 0x5);
	assert_int_equal(mr(f, PBA, 4), 0x5);
	assert_int_equal(mr(f, PBA, 8), 0x5);
	mw(f, PBA, 4, 0);
	assert_int_equal(bar32(f, PBA), 0x5);
	mw(f, OTHER, 2, 0xbeef);
	assert_int_equal(bar32(f, OTHER) & 0xffff, 0xbeef);
	assert_int_equal(mr(f, OTHER, 1), 0xef);
	/* Entry 40: past the 32 offered, inside the device's table. */
	mw(f, TABLE + 16 * 40 + 12, 4, 0);
	mw(f, TABLE + 16 * 40 + 8, 4, 0x71);
	assert_int_equal(mr(f, TABLE + 16 * 40 + 8, 4), 0);
	assert_true(hw_masked(f, 40));
	assert_int_equal(bar32(f, TABLE + 16 * 40 + 8), 0);
	/* An access across two entries (misaligned): nothing, it reads as ones. */
	assert_true(mr(f, TABLE + 12, 8) == ~0ULL);
	/* Outside any table page: not the monitor's to emulate. */
	assert_false(vmsix_page(&f->m.guest[0], FAKE_BAR_BASE));
	assert_false(vmsix_page(&f->m.guest[0], FAKE_BAR_BASE + 0x2000));
}

/* Enable before memory space is on: held off on the device until the table decodes. */
static void test_msix_enable_held_until_decoding(void **state)
{
	struct fake *f = *state;

	msifx_wr(f, MSIX + 2, 2, 0x8000);
	assert_false(hw_enabled(f));
	assert_int_equal(msifx_rd(f, MSIX + 2, 2) & 0x8000, 0x8000);
	assert_true(fake_log_find(f, "MSI-X Enable held off") >= 0);
	/* The firmware's INIT entry is still unmasked, but the device cannot use it. */
	msifx_wr(f, 0x04, 2, 0x0006);
	assert_true(hw_enabled(f));
	assert_true(hw_masked(f, 3));
	assert_int_equal(bar32(f, TABLE + 16 * 3), MON_ADDR);
}

/* A restart: MSI-X off on the device, vectors released, the guest's entries forgotten. */
static void test_msix_restart_releases(void **state)
{
	struct fake *f = *state;
	struct guest *g = &f->m.guest[0];

	linux_enable(f);
	assert_true(g->msi_vec[0].used && g->msi_vec[1].used);
	vmsi_guest_reset(&f->m, g, g->vcpu[0].cpu);
	assert_false(hw_enabled(f));
	assert_false(g->msi_vec[0].used || g->msi_vec[1].used);
	assert_int_equal(msifx_rd(f, MSIX + 2, 2) & 0xc000, 0);
	assert_int_equal(mr(f, TABLE + 12, 4), 1);
	assert_int_equal(mr(f, TABLE + 8, 4), 0);
	msifx_arrive(f, IRQ_MSI_VECTOR(0, 0));
	assert_false(msifx_irr(g, 0x61));
	assert_int_equal(g->msi_dropped, 1);
}

/* Without the plan's record of the table, MSI-X Enable is never set. */
static void test_msix_without_record(void **state)
{
	struct fake *f = *state;
	struct guest *g = &f->m.guest[0];

	boot.msix = NULL;
	g->nr_msi = 0;
	vmsi_guest_reset(&f->m, g, g->vcpu[0].cpu);
	assert_int_equal(msifx_rd(f, MSIX + 2, 2) & 0x7ff, ENTRIES - 1);
	msifx_wr(f, 0x04, 2, 0x0006);
	msifx_wr(f, MSIX + 2, 2, 0x8000);
	assert_false(hw_enabled(f));
	assert_true(fake_log_find(f, "MSI-X Enable refused") >= 0);
	assert_false(vmsix_page(g, TABLE));
}

/* Through the nested page fault handler: a MOV to and from an entry. */
static void test_msix_through_npf(void **state)
{
	/* mov [rdi], esi ; mov eax, [rdi + 8] */
	static const uint8_t code[] = { 0x89, 0x37, 0x8b, 0x47, 0x08 };
	struct fake *f = *state;
	struct guest *g = &f->m.guest[0];

	linux_enable(f);
	memcpy(fake_phys(f, CODE), code, sizeof(code));
	g->vcpu[0].regs.rdi = TABLE;
	g->vcpu[0].regs.rsi = 0xfee00004;	/* logical destination 0: refused */
	f->vcpu->vmcb->control.exit_info1 = SVM_NPF_FINAL | SVM_NPF_W;
	f->vcpu->vmcb->control.exit_info2 = TABLE;
	assert_true(fake_npf_emulate(f));
	assert_int_equal(f->vcpu->vmcb->save.rip, CODE + 2);
	assert_true(hw_masked(f, 0));
	f->vcpu->vmcb->control.exit_info1 = SVM_NPF_FINAL;
	f->vcpu->vmcb->control.exit_info2 = TABLE + 8;
	g->vcpu[0].regs.rax = ~0ULL;
	assert_true(fake_npf_emulate(f));
	assert_int_equal(g->vcpu[0].regs.rax, 0x61);
	assert_int_equal(f->vcpu->vmcb->save.rip, CODE + 5);
	/* A present page there is no MSI-X page fault: not emulated. */
	f->vcpu->vmcb->control.exit_info1 = SVM_NPF_FINAL | SVM_NPF_P;
	assert_false(fake_npf_emulate(f));
}

/* Only naturally aligned accesses inside the trapped page: nothing reaches the next page. */
static void test_msix_stays_in_its_page(void **state)
{
	struct fake *f = *state;
	uint64_t last = TABLE + 0xffc;	/* the page's last dword (the device's own register) */

	linux_enable(f);
	bar_put32(f, last + 4, 0x11223344);	/* the next page: not trapped */
	mw(f, last, 8, 0xaaaaaaaabbbbbbbbULL);
	assert_int_equal(bar32(f, last + 4), 0x11223344);
	assert_int_equal(bar32(f, last), 0);
	assert_true(mr(f, last, 8) == ~0ULL);
	mw(f, OTHER + 1, 2, 0xbeef);
	assert_int_equal(bar32(f, OTHER), 0);
	assert_true(mr(f, OTHER + 2, 4) == ~0ULL);
	/* Aligned, within the page: the device's register. */
	mw(f, last, 4, 0xbbbbbbbb);
	assert_int_equal(bar32(f, last), 0xbbbbbbbb);
}

/*
 * Two of the guest's functions with tables in one page: an access to the second one's entries
 * is an entry access (never the device's table as written), even though the first record's
 * pages cover it too.
 */
static void test_msix_shared_page(void **state)
{
	static struct partition_msix two[2];
	struct fake *f = *state;

	two[0] = px;
	two[1] = (struct partition_msix){ PARTITION_BDF(0, 4, 0), MSIX, 4, OTHER, OTHER + 0x100 };
	boot.msix = two;
	boot.nr_msix = 2;
	linux_enable(f);
	mw(f, OTHER, 4, APIC);
	mw(f, OTHER + 8, 4, 0x500);
	assert_int_equal(bar32(f, OTHER), 0);
	assert_int_equal(bar32(f, OTHER + 8), 0);
	assert_int_equal(mr(f, OTHER, 4), 0);
	boot.nr_msix = 1;
}

int main(void)
{
#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
	const struct CMUnitTest tests[] = {
		T(test_msix_remapped),
		T(test_msix_masks),
		T(test_msix_held_until_taken),
		T(test_msix_refused_messages),
		T(test_msix_pba_and_neighbours),
		T(test_msix_enable_held_until_decoding),
		T(test_msix_restart_releases),
		T(test_msix_without_record),
		T(test_msix_through_npf),
		T(test_msix_stays_in_its_page),
		T(test_msix_shared_page),
	};
#undef T

	return cmocka_run_group_tests(tests, NULL, NULL);
}
