// SPDX-License-Identifier: GPL-2.0-only
/*
 * The simulated function the MSI and MSI-X unit tests program (msi_fixture.h): one copy of
 * its set-up, its configuration accesses and the watch on what its MSI holds.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "monitor/vio.h"
#include "monitor/virq.h"
#include "monitor/vmsi.h"
#include "tests/unit/msi_fixture.h"

struct pci_filter msifx_pf;
struct msifx_watch msifx_watch;
static struct monitor_guest_boot boot = { .pci = &msifx_pf };

uint32_t msifx_le(const uint8_t *p, unsigned n)
{
	uint32_t v = 0;

	for (unsigned i = 0; i < n; i++)
		v |= (uint32_t)p[i] << (8 * i);
	return v;
}

static bool msifx_hw_msi_foreign(const uint8_t *c, unsigned cap)
{
	unsigned ctl = msifx_le(c + cap + 2, 2);
	bool wide = ctl & 0x80;
	uint32_t lo = msifx_le(c + cap + 4, 4), hi = wide ? msifx_le(c + cap + 8, 4) : 0;
	uint32_t data = msifx_le(c + cap + (wide ? 12 : 8), 4);
	unsigned v = data & 0xffff;

	if (!(ctl & 1))
		return false;
	if (lo != MON_ADDR || hi || (ctl & 0x470))
		return true;
	if (v < IRQ_MSI_BASE || v >= IRQ_MSI_BASE + IRQ_MSI_PER_GUEST)
		return true;
	return !msifx_watch.g->msi_vec[v - IRQ_MSI_BASE].used;
}

static void msifx_watch_write(struct fake *f, uint16_t reg, uint8_t size)
{
	if (msifx_watch.msi && msifx_hw_msi_foreign(f->cfg, msifx_watch.msi))
		msifx_watch.bad++;
}

void msifx_put(struct fake *f, unsigned reg, unsigned size, uint32_t v, uint32_t wmask)
{
	for (unsigned i = 0; i < size; i++) {
		f->cfg[reg + i] = (uint8_t)(v >> (8 * i));
		f->cfg_wmask[reg + i] = (uint8_t)(wmask >> (8 * i));
	}
}

void msifx_add_header(struct fake *f, bool caps, uint8_t ptr)
{
	msifx_put(f, 0x00, 4, 0x11e81234, 0);
	msifx_put(f, 0x04, 4, caps ? 0x00100000 : 0, 0x0407);
	msifx_put(f, 0x34, 1, ptr, 0);
}

void msifx_add_msi(struct fake *f, unsigned cap, uint8_t next, bool wide, bool ext)
{
	unsigned data = wide ? 12 : 8;

	msifx_put(f, cap, 4,
		  (0x0006u | (wide ? 0x80 : 0) | (ext ? 0x200 : 0)) << 16 | next << 8 | 0x05,
		  (0x0071u | (ext ? 0x400 : 0)) << 16);
	msifx_put(f, cap + 4, 4, 0, 0xfffffffc);
	if (wide)
		msifx_put(f, cap + 8, 4, 0, 0xffffffff);
	msifx_put(f, cap + data, 4, 0, ext ? 0xffffffff : 0xffff);
	msifx_watch.msi = cap;
}

void msifx_std_function(struct fake *f)
{
	msifx_add_header(f, true, MSI);
	msifx_add_msi(f, MSI, 0, true, false);
}

int msifx_setup(void **state)
{
	struct fake *f = fake_new();

	if (!f)
		return -1;
	pci_filter_init(&msifx_pf, 'a', 0, 0);
	pci_filter_own(&msifx_pf, BDF);
	f->m.guest[0].boot = &boot;
	f->m.cpu[0].apic_id = APIC_ID;
	vlapic_init(&f->m.guest[0].vcpu[0].lapic, 0, false, f->m.tsc_khz, 100000);
	f->cfg_on = true;
	f->cfg_bdf = BDF;
	f->cfg_written = msifx_watch_write;
	memset(&msifx_watch, 0, sizeof(msifx_watch));
	msifx_watch.g = &f->m.guest[0];
	*state = f;
	return 0;
}

int msifx_teardown(void **state)
{
	struct fake *f = *state;

	/* Whatever a test did, the hardware never held what it must not. */
	assert_int_equal(msifx_watch.bad, 0);
	fake_free(f);
	return 0;
}

void msifx_wr(struct fake *f, unsigned reg, uint8_t size, uint32_t v)
{
	struct guest *g = &f->m.guest[0];
	uint32_t a = PCI_CF8_ENABLE | (uint32_t)BDF << 8 | (reg & 0xfc);

	assert_int_equal(vio_port(&f->m, g, 0xcf8, false, 4, &a), VIO_DONE);
	assert_int_equal(vio_port(&f->m, g, (uint16_t)(0xcfc + (reg & 3)), false, size, &v),
			 VIO_DONE);
}

uint32_t msifx_rd(struct fake *f, unsigned reg, uint8_t size)
{
	struct guest *g = &f->m.guest[0];
	uint32_t a = PCI_CF8_ENABLE | (uint32_t)BDF << 8 | (reg & 0xfc), v = 0;

	assert_int_equal(vio_port(&f->m, g, 0xcf8, false, 4, &a), VIO_DONE);
	assert_int_equal(vio_port(&f->m, g, (uint16_t)(0xcfc + (reg & 3)), true, size, &v),
			 VIO_DONE);
	return v;
}

unsigned msifx_hw(const struct fake *f, unsigned reg, unsigned size)
{
	return msifx_le(f->cfg + reg, size);
}

bool msifx_hw_on(const struct fake *f)
{
	return msifx_hw(f, MSI + 2, 2) & 1;
}

void msifx_program(struct fake *f, uint32_t addr, uint32_t data)
{
	msifx_wr(f, MSI + 4, 4, addr);
	msifx_wr(f, MSI + 8, 4, 0);
	msifx_wr(f, MSI + 12, 4, data);
	msifx_wr(f, MSI, 4, (msifx_rd(f, MSI, 4) & ~0x00710000u) | 0x00010000u);
}

void msifx_arrive(struct fake *f, unsigned v)
{
	unsigned n = v - IRQ_MSI_BASE;

	f->msi_pending[n / 64] |= 1ULL << (n % 64);
	virq_devices(&f->m, monitor_this_cpu(&f->m));
}

bool msifx_irr(const struct guest *g, unsigned v)
{
	return g->vcpu[0].lapic.irr[v / 32] & (1u << (v % 32));
}
