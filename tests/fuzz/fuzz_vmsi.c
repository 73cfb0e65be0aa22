// SPDX-License-Identifier: GPL-2.0-only
/*
 * Fuzz MSI and MSI-X remapping (monitor/vmsi.c, vmsix.c) with what a guest controls: its
 * configuration accesses of any width and offset to a function with both capabilities, its
 * MSI-X table and PBA accesses, its vLAPIC's logical ID, arrivals and restarts, on the fake
 * machine of the unit tests. Each input is a list of 8-byte operations. After every one the
 * device may only hold the monitor's messages: an enabled MSI, or any unmasked entry of an
 * enabled MSI-X table, has the monitor's address and a vector of guest a's range that is
 * allocated. Anything else aborts.
 */
#include <stdlib.h>
#include <string.h>

#include "monitor/test_fake.h"
#include "monitor/vio.h"
#include "monitor/virq.h"
#include "monitor/vmsi.h"

#define FZ_BDF		PARTITION_BDF(0, 3, 0)
#define FZ_MSI		0x50
#define FZ_MSIX		0x70
#define FZ_ENTRIES	40
#define FZ_TABLE	(FAKE_BAR_BASE + 0x1000)
#define FZ_PBA		(FAKE_BAR_BASE + 0x1800)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct pci_filter fz_pf;
static struct partition_msix fz_px = { FZ_BDF, FZ_MSIX, FZ_ENTRIES, FZ_TABLE, FZ_PBA };
static struct monitor_guest_boot fz_boot = { .pci = &fz_pf, .msix = &fz_px, .nr_msix = 1 };

static uint32_t fz_le(const uint8_t *p, unsigned n)
{
	uint32_t v = 0;

	for (unsigned i = 0; i < n; i++)
		v |= (uint32_t)p[i] << (8 * i);
	return v;
}

static void fz_put(struct fake *f, unsigned reg, unsigned n, uint32_t v, uint32_t wmask)
{
	for (unsigned i = 0; i < n; i++) {
		f->cfg[reg + i] = (uint8_t)(v >> (8 * i));
		f->cfg_wmask[reg + i] = (uint8_t)(wmask >> (8 * i));
	}
}

static bool fz_ours(const struct fake *f, uint32_t addr, uint32_t hi, uint32_t data)
{
	unsigned v = data & 0xffff;

	return addr == vmsi_monitor_address(&f->m.guest[0]) && !hi && v >= IRQ_MSI_BASE &&
	       v < IRQ_MSI_BASE + IRQ_MSI_PER_GUEST && f->m.guest[0].msi_vec[v - IRQ_MSI_BASE].used;
}

static void fz_check(struct fake *f)
{
	const uint8_t *c = f->cfg + FZ_MSI;

	if ((c[2] & 1) && (!fz_ours(f, fz_le(c + 4, 4), fz_le(c + 8, 4), fz_le(c + 12, 4)) ||
			   (fz_le(c + 2, 2) & 0x470)))
		abort();
	if (!(f->cfg[FZ_MSIX + 3] & 0x80))
		return;
	for (unsigned i = 0; i < FZ_ENTRIES; i++) {
		const uint8_t *e = f->bar + (FZ_TABLE - FAKE_BAR_BASE) + 16 * i;

		if (!(e[12] & 1) && !fz_ours(f, fz_le(e, 4), fz_le(e + 4, 4), fz_le(e + 8, 4)))
			abort();
	}
}

static void fz_cfg_written(struct fake *f, uint16_t reg, uint8_t size)
{
	f->bar_on = f->cfg[0x04] & 2;
	fz_check(f);
}

static void fz_mmio_written(struct fake *f, uint64_t off, uint8_t size)
{
	fz_check(f);
}

static void fz_function(struct fake *f, const uint8_t *seed)
{
	fz_put(f, 0x00, 4, 0x11e81234, 0);
	fz_put(f, 0x04, 4, 0x00100000, 0x0407);
	fz_put(f, 0x34, 1, FZ_MSI, 0);
	/* MSI: 64-bit, 8 messages, per-vector masks; the seed picks the firmware's leftovers. */
	fz_put(f, FZ_MSI, 4, 0x01860000u | FZ_MSIX << 8 | 0x05, 0x04710000u);
	fz_put(f, FZ_MSI + 4, 4, fz_le(seed, 4), 0xfffffffc);
	fz_put(f, FZ_MSI + 8, 4, 0, 0xffffffff);
	fz_put(f, FZ_MSI + 12, 4, fz_le(seed + 4, 2) | (seed[6] & 1u) << 16, 0xffffffff);
	fz_put(f, FZ_MSI + 16, 4, 0, 0xff);
	fz_put(f, FZ_MSIX, 4, (FZ_ENTRIES - 1u) << 16 | 0x11 | (uint32_t)(seed[7] & 0xc0) << 24,
	       0xc0000000u);
	fz_put(f, FZ_MSIX + 4, 4, 0x1000, 0);
	fz_put(f, FZ_MSIX + 8, 4, 0x1800, 0);
	for (unsigned i = 0; i < FZ_ENTRIES * 16; i++)
		f->bar[0x1000 + i] = seed[i % 8];
}

/* op[0]: what; op[1..2]: where; op[3]: size; op[4..7]: value. */
static void fz_op(struct fake *f, const uint8_t *op)
{
	struct guest *g = &f->m.guest[0];
	static const uint8_t sizes[4] = { 1, 2, 4, 8 };
	uint32_t v = fz_le(op + 4, 4), a;
	uint8_t size = sizes[op[3] & 3];
	uint64_t x = v | (uint64_t)v << 32;
	unsigned at = op[1] | op[2] << 8;

	switch (op[0] % 6) {
	case 0:	/* a configuration write, anywhere in the header or the capabilities */
	case 1:	/* ... or a read */
		if (size > 4)
			size = 4;
		at &= 0xff;
		at -= at % size;
		a = PCI_CF8_ENABLE | (uint32_t)FZ_BDF << 8 | (at & 0xfc);
		vio_port(&f->m, g, 0xcf8, false, 4, &a);
		vio_port(&f->m, g, (uint16_t)(0xcfc + (at & 3)), op[0] % 6 == 1, size, &v);
		break;
	case 2:	/* a table or PBA page access of any size, at any offset */
	case 3:
		at &= 0xfff;
		if (at > 0x1000 - size)
			at = 0x1000 - size;
		vmsix_access(&f->m, g, FZ_TABLE + at, op[0] % 6 == 2, size, &x);
		break;
	case 4:	/* an arrival of any remapped vector */
		at %= IRQ_MSI_COUNT;
		f->msi_pending[at / 64] |= 1ULL << (at % 64);
		virq_devices(&f->m, monitor_this_cpu(&f->m));
		break;
	default:	/* its logical ID changes; now and then it restarts */
		vlapic_mmio_write(&g->vcpu[0].lapic, VLAPIC_LDR, v & 0xff000000u, 0);
		if (op[1] == 0xff)
			vmsi_guest_reset(&f->m, g, g->vcpu[0].cpu);
		break;
	}
	fz_check(f);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fake *f;

	if (size < 8)
		return 0;
	f = fake_new();
	if (!f)
		return 0;
	pci_filter_init(&fz_pf, 'a', 0, 0);
	pci_filter_own(&fz_pf, FZ_BDF);
	f->m.guest[0].boot = &fz_boot;
	f->m.cpu[0].apic_id = data[0] & 3;
	vlapic_init(&f->m.guest[0].vcpu[0].lapic, data[1] & 1, false, f->m.tsc_khz, 100000);
	f->cfg_on = true;
	f->cfg_bdf = FZ_BDF;
	fz_function(f, data);
	/* As the monitor starts a guest: what the firmware left is quiesced first. */
	vmsi_guest_reset(&f->m, &f->m.guest[0], f->m.guest[0].vcpu[0].cpu);
	f->cfg_written = fz_cfg_written;
	f->mmio_written = fz_mmio_written;
	for (size_t i = 8; i + 8 <= size; i += 8)
		fz_op(f, data + i);
	fake_free(f);
	return 0;
}
