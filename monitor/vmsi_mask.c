// SPDX-License-Identifier: GPL-2.0-only
/*
 * MSI per-vector masking (monitor/vmsi.h), for a capability that has it: the guest's Mask Bits
 * are kept per function and read back as written; the device's bit 0 (the one message the
 * guest is offered) is the guest's, or set while the monitor holds the message because its
 * last interrupt still waits in the guest's IRR (monitor/vmsi_vec.c). Pending Bits are the
 * device's.
 */
#include "monitor/vmsi.h"

#define VMSI_MASK_HELD	1u	/* the bit of the one message */

static unsigned vmsi_mask_off(const struct guest_msi *e)
{
	return e->msi + (e->msi64 ? 16u : 12u);
}

/* What the device's Mask Bits must be. */
static uint32_t vmsi_mask_hw(const struct guest *g, const struct guest_msi *e)
{
	bool held = e->msi_slot != GUEST_MSI_NONE && (g->msi_held & (1ULL << e->msi_slot));

	return e->msi_mask | (held ? VMSI_MASK_HELD : 0);
}

bool vmsi_mask_covers(const struct guest_msi *e, uint16_t reg, uint8_t size)
{
	unsigned off = vmsi_mask_off(e);

	return e->msi && e->msi_pvm && reg < off + 4 && reg + size > off;
}

void vmsi_mask_sync(struct monitor *m, struct guest *g, struct guest_msi *e)
{
	uint16_t off = (uint16_t)vmsi_mask_off(e);
	uint32_t want = vmsi_mask_hw(g, e);

	if (e->msi_pvm && vmsi_read32(m, e->bdf, off) != want)
		vmsi_write(m, e->bdf, off, 4, want);
}

void vmsi_mask_write(struct monitor *m, struct guest *g, struct guest_msi *e, uint16_t reg,
		     uint8_t size, uint32_t *val)
{
	unsigned off = vmsi_mask_off(e);
	uint32_t hw;

	for (unsigned i = 0; i < size; i++) {
		unsigned at = reg + i;

		if (at < off || at >= off + 4)
			continue;
		e->msi_mask &= ~(0xffu << (8 * (at - off)));
		e->msi_mask |= ((*val >> (8 * i)) & 0xff) << (8 * (at - off));
	}
	hw = vmsi_mask_hw(g, e);
	for (unsigned i = 0; i < size; i++) {
		unsigned at = reg + i;

		if (at < off || at >= off + 4)
			continue;
		*val &= ~(0xffu << (8 * i));
		*val |= ((hw >> (8 * (at - off))) & 0xff) << (8 * i);
	}
}

void vmsi_mask_read(const struct guest_msi *e, uint16_t reg, uint8_t size, uint32_t *val)
{
	unsigned off = vmsi_mask_off(e);

	for (unsigned i = 0; i < size; i++) {
		unsigned at = reg + i;

		if (at < off || at >= off + 4)
			continue;
		*val &= ~(0xffu << (8 * i));
		*val |= ((e->msi_mask >> (8 * (at - off))) & 0xff) << (8 * i);
	}
}
