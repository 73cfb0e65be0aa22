// SPDX-License-Identifier: GPL-2.0-only
/*
 * The MSI capability of a guest's functions, remapped (monitor/vmsi.h), and the configuration
 * hooks for the MSI-X capability's Message Control (the table is in monitor/vmsix.c).
 */
#include "monitor/vmsi.h"

#include <string.h>

#include "irq/vioapic.h"
#include "lib/fmt.h"
#include "partition/devices.h"
#include "partition/pci_filter.h"

#define VMSI_STATUS_CAPS	(1u << 20)	/* status bit 4, in the dword at 0x04 */
#define VMSI_REG_CAP_PTR	0x34
#define VMSI_CAP_FIRST		0x40		/* below: the header, never a capability */
#define VMSI_IMAGE		16		/* MSI bytes kept: header to extended data */
/* Message Control bits the guest sees as the device has them (capabilities, reserved). */
#define VMSI_CTL_HW_BITS	(0xffffu & ~(VMSI_CTL_ENABLE | VMSI_CTL_MMC_MASK | \
				  VMSI_CTL_MME_MASK | VMSI_CTL_EXT_DATA_CAP | VMSI_CTL_EXT_DATA_EN))

/*
 * Configuration mechanism #1 on the hardware, as for the guest's own accesses: the guest's
 * latched 0xcf8 is its own (g->cf8), so the real one is free to be set here.
 */
static void vmsi_cfg(struct monitor *m, uint16_t bdf, uint16_t reg, bool in, uint8_t size,
		     uint32_t *val)
{
	uint32_t addr = PCI_CF8_ENABLE | (uint32_t)bdf << 8 | (reg & 0xfc);

	/* The address/data pair is the machine's: no other CPU may come between the two. */
	spinlock_lock(&m->pci_lock);
	m->plat->port_io(m->plat->ctx, PCI_CFG_ADDR, false, 4, &addr);
	m->plat->port_io(m->plat->ctx, (uint16_t)(PCI_CFG_DATA + (reg & 3)), in, size, val);
	spinlock_unlock(&m->pci_lock);
}

uint32_t vmsi_read32(struct monitor *m, uint16_t bdf, uint16_t reg)
{
	uint32_t v = 0xffffffffu;

	/* A capability that runs past 0xff (broken) has registers 0xcf8 cannot reach. */
	if (reg < 0x100)
		vmsi_cfg(m, bdf, reg, true, 4, &v);
	return v;
}

void vmsi_write(struct monitor *m, uint16_t bdf, uint16_t reg, uint8_t size, uint32_t v)
{
	if (reg < 0x100)
		vmsi_cfg(m, bdf, reg, false, size, &v);
}

static bool vmsi_overlaps(uint16_t reg, uint8_t size, unsigned start, unsigned end)
{
	return reg < end && reg + size > start;
}

static const char *vmsi_mode_name(unsigned mode)
{
	static const char *const names[8] = { "fixed", "lowest priority", "SMI", "reserved (011)",
					      "NMI", "INIT", "reserved (110)", "ExtINT" };

	return names[mode & 7];
}

bool vmsi_deliverable(const struct vlapic *lapic, uint64_t addr, uint32_t data, char *why,
		      size_t size)
{
	unsigned mode = (data >> 8) & 7, vector = data & 0xff;
	unsigned dest = (unsigned)(addr >> VMSI_ADDR_DEST_SHIFT) & 0xff;

	if (addr >> 32 || (addr >> 20) != VMSI_APIC_WINDOW) {
		fmt_snprintf(why, size, "address 0x%llx is not the local APIC's",
			     (unsigned long long)addr);
		return false;
	}
	if (mode != VMSI_MODE_FIXED && mode != VMSI_MODE_LOWEST) {
		fmt_snprintf(why, size, "delivery mode %s", vmsi_mode_name(mode));
		return false;
	}
	if (vector < 16) {
		fmt_snprintf(why, size, "vector 0x%02x is below 16", vector);
		return false;
	}
	/* The redirection hint is ignored, as QEMU and KVM do: bit 2 alone picks the mode. */
	if (!lapic || !vioapic_dest_matches(lapic, dest, addr & VMSI_ADDR_LOGICAL)) {
		fmt_snprintf(why, size, "destination 0x%02x (%s) is not its local APIC", dest,
			     addr & VMSI_ADDR_LOGICAL ? "logical" : "physical");
		return false;
	}
	if (size)
		why[0] = '\0';
	return true;
}

/*
 * The first MSI and MSI-X capabilities, as an OS finds them: the pointers' low two bits are
 * reserved and masked off (skipping such a pointer would miss a capability the guest uses).
 */
static void vmsi_walk(struct monitor *m, struct guest_msi *e)
{
	unsigned ptr;

	if (!(vmsi_read32(m, e->bdf, PCI_REG_COMMAND) & VMSI_STATUS_CAPS))
		return;
	ptr = vmsi_read32(m, e->bdf, VMSI_REG_CAP_PTR) & 0xfc;
	for (unsigned n = 0; n < VMSI_WALK_MAX && ptr >= VMSI_CAP_FIRST; n++) {
		uint32_t head = vmsi_read32(m, e->bdf, (uint16_t)ptr);

		if ((head & 0xff) == VMSI_CAP_MSI && !e->msi) {
			e->msi = (uint8_t)ptr;
			e->msi64 = (head >> 16) & VMSI_CTL_64BIT;
			e->msi_pvm = (head >> 16) & VMSI_CTL_PVM;
		} else if ((head & 0xff) == VMSI_CAP_MSIX && !e->msix) {
			e->msix = (uint8_t)ptr;
		}
		ptr = (head >> 8) & 0xfc;
	}
}

/* Bytes of the MSI capability that are remapped: control, address, data, extended data. */
static unsigned vmsi_msi_end(const struct guest_msi *e)
{
	return e->msi + (e->msi64 ? 16u : 12u);
}

static unsigned vmsi_data_off(const struct guest_msi *e)
{
	return e->msi64 ? 12u : 8u;
}

static uint32_t vmsi_le32(const uint8_t *p)
{
	return p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static void vmsi_put32(uint8_t *p, uint32_t v)
{
	for (unsigned i = 0; i < 4; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

/* The capability's first bytes (to its extended data) on the hardware now. */
static void vmsi_hw_image(struct monitor *m, const struct guest_msi *e, uint8_t img[VMSI_IMAGE])
{
	for (unsigned off = 0; off < vmsi_msi_end(e) - e->msi; off += 4)
		vmsi_put32(img + off, vmsi_read32(m, e->bdf, (uint16_t)(e->msi + off)));
}

/* What the guest reads there: its own control bits, address and data. */
static void vmsi_guest_image(const struct guest_msi *e, uint16_t hw_ctl, uint8_t img[VMSI_IMAGE])
{
	uint16_t ctl = (hw_ctl & VMSI_CTL_HW_BITS) | (e->msi_enable ? VMSI_CTL_ENABLE : 0);

	vmsi_put32(img, (uint32_t)ctl << 16);
	vmsi_put32(img + 4, e->msi_addr_lo);
	if (e->msi64)
		vmsi_put32(img + 8, e->msi_addr_hi);
	vmsi_put32(img + vmsi_data_off(e), e->msi_data);
}

/* What the device must hold: the monitor's message for the slot (or none), enabled or not. */
static void vmsi_want_image(struct monitor *m, const struct guest *g, const struct guest_msi *e,
			    uint16_t hw_ctl, bool on, uint8_t img[VMSI_IMAGE])
{
	uint16_t ctl = (uint16_t)(hw_ctl & ~(VMSI_CTL_ENABLE | VMSI_CTL_MME_MASK |
					     VMSI_CTL_EXT_DATA_EN));
	bool has = e->msi_slot != GUEST_MSI_NONE;

	vmsi_put32(img, (uint32_t)(ctl | (on ? VMSI_CTL_ENABLE : 0)) << 16);
	vmsi_put32(img + 4, has ? vmsi_monitor_address(g) : 0);
	if (e->msi64)
		vmsi_put32(img + 8, 0);
	vmsi_put32(img + vmsi_data_off(e), has ? IRQ_MSI_VECTOR(g->id, e->msi_slot) : 0);
}

static void vmsi_log(struct monitor *m, struct guest *g, struct guest_msi *e, bool msix,
		     const char *what)
{
	bool *logged = msix ? &e->msix_logged : &e->msi_logged;

	if (*logged)
		return;
	*logged = true;
	monitor_guest_event(m, g, "monitor: guest %c: pci %02x:%02x.%x: %s (later ones are not "
			    "logged)",
			    g->letter, PARTITION_BDF_BUS(e->bdf), PARTITION_BDF_DEV(e->bdf),
			    PARTITION_BDF_FN(e->bdf), what);
}

static unsigned vmsi_index(const struct guest *g, const struct guest_msi *e)
{
	return (unsigned)(e - g->msi);
}

/*
 * Whether the device may have MSI enabled now, with a vector allocated for it: the guest
 * enabled it with a deliverable message. A disabled MSI gives its vector back.
 */
static bool vmsi_msi_wanted(struct monitor *m, struct guest *g, struct guest_msi *e)
{
	uint64_t addr = e->msi_addr_lo | (uint64_t)e->msi_addr_hi << 32;
	char why[80], what[160];
	struct vlapic view;
	int slot;

	if (!e->msi_enable || e->scratch) {
		vmsi_vec_free(g, &e->msi_slot);
		return false;
	}
	if (!vmsi_remappable(g)) {
		vmsi_log(m, g, e, false, "MSI: the CPU's APIC ID does not fit a message: not "
			 "enabled on the device");
		return false;
	}
	/* vCPU 0's vLAPIC is its CPU's: its destination as published (this may be another
	 * vCPU's CPU, in a configuration or table write). */
	vlapic_route_copy(&g->vcpu[0].lapic, &view);
	if (!vmsi_deliverable(&view, addr, e->msi_data, why, sizeof(why))) {
		fmt_snprintf(what, sizeof(what), "MSI to 0x%llx, data 0x%x refused (%s): not "
			     "enabled on the device", (unsigned long long)addr, e->msi_data, why);
		vmsi_log(m, g, e, false, what);
		return false;
	}
	if (e->msi_slot != GUEST_MSI_NONE)
		return true;
	slot = vmsi_vec_alloc(g, vmsi_index(g, e), GUEST_MSI_ENTRY_MSI);
	if (slot < 0) {
		vmsi_log(m, g, e, false, "MSI: no remapped vector left (64 per guest): not enabled "
			 "on the device");
		return false;
	}
	e->msi_slot = (uint8_t)slot;
	if (vmsi_vec_route(m, g, e->bdf, &e->msi_slot) < 0)
		vmsi_log(m, g, e, false, "MSI: the IOMMU did not take the vector's remapping "
			 "entry: not enabled on the device");
	return e->msi_slot != GUEST_MSI_NONE;
}

/*
 * Bring the device's MSI to the monitor's state for the guest's: never enabled while its
 * address or data change (they only ever hold the monitor's message), enabled last.
 */
static void vmsi_msi_sync(struct monitor *m, struct guest *g, struct guest_msi *e)
{
	uint8_t hw[VMSI_IMAGE], want[VMSI_IMAGE];
	unsigned len = vmsi_msi_end(e) - e->msi;
	bool on = vmsi_msi_wanted(m, g, e);
	uint16_t ctl;

	vmsi_hw_image(m, e, hw);
	ctl = (uint16_t)(hw[2] | hw[3] << 8);
	vmsi_want_image(m, g, e, ctl, on, want);
	if (!memcmp(hw + 2, want + 2, len - 2))
		return;
	if (ctl & VMSI_CTL_ENABLE)
		vmsi_write(m, e->bdf, (uint16_t)(e->msi + 2), 2, ctl & ~VMSI_CTL_ENABLE);
	for (unsigned off = 4; off < len; off += 4)
		if (vmsi_le32(hw + off) != vmsi_le32(want + off))
			vmsi_write(m, e->bdf, (uint16_t)(e->msi + off), 4, vmsi_le32(want + off));
	/* Enabled only once the device is seen to hold exactly the monitor's message. */
	vmsi_hw_image(m, e, hw);
	if ((want[2] & VMSI_CTL_ENABLE) && memcmp(hw + 4, want + 4, len - 4)) {
		want[2] &= ~VMSI_CTL_ENABLE;
		vmsi_log(m, g, e, false, "MSI: the device does not hold the monitor's message: MSI "
			 "disabled");
	}
	vmsi_write(m, e->bdf, (uint16_t)(e->msi + 2), 2, want[2] | want[3] << 8);
}

/* After the hardware took a write: anything enabled the monitor did not program goes off. */
static void vmsi_msi_check(struct monitor *m, struct guest *g, struct guest_msi *e)
{
	uint8_t hw[VMSI_IMAGE], want[VMSI_IMAGE];
	uint16_t ctl;

	vmsi_hw_image(m, e, hw);
	ctl = (uint16_t)(hw[2] | hw[3] << 8);
	if (!(ctl & VMSI_CTL_ENABLE))
		return;
	vmsi_want_image(m, g, e, ctl, true, want);
	if (e->msi_slot != GUEST_MSI_NONE && e->msi_enable &&
	    !memcmp(hw + 4, want + 4, vmsi_msi_end(e) - e->msi - 4) &&
	    !(ctl & (VMSI_CTL_MME_MASK | VMSI_CTL_EXT_DATA_EN)))
		return;
	vmsi_write(m, e->bdf, (uint16_t)(e->msi + 2), 2, ctl & ~VMSI_CTL_ENABLE);
	vmsi_log(m, g, e, false, "MSI: the device does not hold the monitor's message: MSI "
		 "disabled");
}

/* Disable MSI and MSI-X on the device, forget what the guest programmed. */
static void vmsi_quiesce(struct monitor *m, struct guest *g, struct guest_msi *e)
{
	if (e->msi) {
		uint16_t ctl = (uint16_t)(vmsi_read32(m, e->bdf, e->msi) >> 16);

		if (ctl & VMSI_CTL_ENABLE)
			vmsi_write(m, e->bdf, (uint16_t)(e->msi + 2), 2, ctl & ~VMSI_CTL_ENABLE);
	}
	vmsi_vec_free(g, &e->msi_slot);
	e->msi_enable = false;
	e->msi_addr_lo = e->msi_addr_hi = 0;
	e->msi_data = 0;
	e->msi_mask = 0;
	vmsi_mask_sync(m, g, e);
	if (e->msix) {
		e->msix_ctl = 0;
		vmsix_off(m, g, e);
		/* Every entry masked again, as after a reset. */
		if (!e->scratch)
			vmsix_bind(g, e);
	}
}

struct guest_msi *vmsi_function(struct monitor *m, struct guest *g, uint16_t bdf,
				struct guest_msi *scratch)
{
	struct guest_msi *e = scratch;

	for (size_t i = 0; i < g->nr_msi; i++)
		if (g->msi[i].bdf == bdf)
			return &g->msi[i];
	if (g->nr_msi < sizeof(g->msi) / sizeof(g->msi[0]))
		e = &g->msi[g->nr_msi++];
	*e = (struct guest_msi){ .bdf = bdf, .scratch = e == scratch, .msi_slot = GUEST_MSI_NONE };
	for (unsigned i = 0; i < GUEST_MSIX_ENTRIES; i++)
		e->ent[i].slot = GUEST_MSI_NONE;	/* none of the vectors is its yet */
	vmsi_walk(m, e);
	/* What the firmware (or the guest's last run) left enabled. */
	vmsi_quiesce(m, g, e);
	return e;
}

void vmsi_check_function(struct monitor *m, struct guest *g, uint16_t bdf)
{
	struct guest_msi scratch;

	vmsi_function(m, g, bdf, &scratch);
}

/* The guest's bytes of a write to [reg, reg + size) that fall in [start, start + len). */
static void vmsi_merge(uint8_t *img, unsigned start, unsigned len, uint16_t reg, uint8_t size,
		       uint32_t val)
{
	for (unsigned i = 0; i < size; i++)
		if (reg + i >= start && reg + i < start + len)
			img[reg + i - start] = (uint8_t)(val >> (8 * i));
}

/* Those bytes of *val replaced by img's. */
static void vmsi_replace(const uint8_t *img, unsigned start, unsigned len, uint16_t reg,
			 uint8_t size, uint32_t *val)
{
	for (unsigned i = 0; i < size; i++) {
		if (reg + i < start || reg + i >= start + len)
			continue;
		*val &= ~(0xffu << (8 * i));
		*val |= (uint32_t)img[reg + i - start] << (8 * i);
	}
}

static void vmsi_msi_write(struct monitor *m, struct guest *g, struct guest_msi *e, uint16_t reg,
			   uint8_t size, uint32_t *val)
{
	uint8_t img[VMSI_IMAGE], hw[VMSI_IMAGE];
	unsigned len = vmsi_msi_end(e) - e->msi;
	uint16_t ctl;

	vmsi_hw_image(m, e, hw);
	ctl = (uint16_t)(hw[2] | hw[3] << 8);
	vmsi_guest_image(e, ctl, img);
	vmsi_merge(img, e->msi, len, reg, size, *val);
	e->msi_enable = img[2] & VMSI_CTL_ENABLE;
	/* Bits 1:0 of the address are reserved, zero; no extended data is offered. */
	e->msi_addr_lo = vmsi_le32(img + 4) & ~3u;
	if (e->msi64)
		e->msi_addr_hi = vmsi_le32(img + 8);
	e->msi_data = (uint16_t)vmsi_le32(img + vmsi_data_off(e));
	vmsi_msi_sync(m, g, e);
	/* A vector released (MSI disabled) is no longer held: its mask bit is the guest's. */
	vmsi_mask_sync(m, g, e);
	vmsi_hw_image(m, e, hw);
	vmsi_replace(hw + 2, e->msi + 2u, len - 2, reg, size, val);
}

/* The MSI-X Message Control as the guest sees it: its own Enable and Function Mask, and no
 * more table entries than it is offered. */
static uint16_t vmsix_guest_ctl(const struct guest_msi *e, uint16_t hw_ctl)
{
	uint16_t ctl = hw_ctl & ~(VMSIX_CTL_ENABLE | VMSIX_CTL_MASKALL);

	if (e->px)
		ctl = (uint16_t)((ctl & ~VMSIX_CTL_SIZE_MASK) | (e->msix_n - 1));
	return ctl | (e->msix_ctl & (VMSIX_CTL_ENABLE | VMSIX_CTL_MASKALL));
}

static void vmsix_ctl_write(struct monitor *m, struct guest *g, struct guest_msi *e, uint16_t reg,
			    uint8_t size, uint32_t *val)
{
	uint16_t hw = (uint16_t)(vmsi_read32(m, e->bdf, e->msix) >> 16);
	uint8_t img[2];

	img[0] = (uint8_t)vmsix_guest_ctl(e, hw);
	img[1] = (uint8_t)(vmsix_guest_ctl(e, hw) >> 8);
	vmsi_merge(img, e->msix + 2u, 2, reg, size, *val);
	e->msix_ctl = (uint16_t)((img[0] | img[1] << 8) & (VMSIX_CTL_ENABLE | VMSIX_CTL_MASKALL));
	if ((e->msix_ctl & VMSIX_CTL_ENABLE) && (!e->px || e->scratch))
		vmsi_log(m, g, e, true, "MSI-X Enable refused (its table was not found at plan "
			 "time): MSI-X stays disabled");
	vmsix_sync(m, g, e);
	hw = (uint16_t)(vmsi_read32(m, e->bdf, e->msix) >> 16);
	img[0] = (uint8_t)hw;
	img[1] = (uint8_t)(hw >> 8);
	vmsi_replace(img, e->msix + 2u, 2, reg, size, val);
}

void vmsi_before_write(struct monitor *m, struct guest *g, uint16_t bdf, uint16_t reg,
		       uint8_t size, uint32_t *val)
{
	struct guest_msi scratch, *e = vmsi_function(m, g, bdf, &scratch);

	if (e->msi && vmsi_overlaps(reg, size, e->msi + 2u, vmsi_msi_end(e)))
		vmsi_msi_write(m, g, e, reg, size, val);
	if (vmsi_mask_covers(e, reg, size))
		vmsi_mask_write(m, g, e, reg, size, val);
	if (e->msix && vmsi_overlaps(reg, size, e->msix + 2u, e->msix + 4u))
		vmsix_ctl_write(m, g, e, reg, size, val);
}

void vmsi_after_write(struct monitor *m, struct guest *g, uint16_t bdf, uint16_t reg,
		      uint8_t size)
{
	struct guest_msi scratch, *e = vmsi_function(m, g, bdf, &scratch);
	bool command = vmsi_overlaps(reg, size, PCI_REG_COMMAND, PCI_REG_COMMAND + 2);

	/* A device may not take a write the way the monitor assumed it would. */
	if (e->msi && (command || vmsi_overlaps(reg, size, e->msi, vmsi_msi_end(e))))
		vmsi_msi_check(m, g, e);
	/* Memory decoding may have come on: MSI-X Enable can be set now. */
	if (e->msix && (command || vmsi_overlaps(reg, size, e->msix, e->msix + 4u)))
		vmsix_sync(m, g, e);
}

void vmsi_after_read(struct monitor *m, struct guest *g, uint16_t bdf, uint16_t reg,
		     uint8_t size, uint32_t *val)
{
	struct guest_msi *e = NULL;

	/* Every function it owns was found at its start (vmsi_guest_reset()); one that was
	 * not has nothing of the guest's to show. */
	for (size_t i = 0; i < g->nr_msi && !e; i++)
		if (g->msi[i].bdf == bdf)
			e = &g->msi[i];
	if (!e)
		return;

	if (e->msi && vmsi_overlaps(reg, size, e->msi + 2u, vmsi_msi_end(e))) {
		uint8_t img[VMSI_IMAGE];

		vmsi_guest_image(e, (uint16_t)(vmsi_read32(m, bdf, e->msi) >> 16), img);
		vmsi_replace(img + 2, e->msi + 2u, vmsi_msi_end(e) - e->msi - 2, reg, size, val);
	}
	if (vmsi_mask_covers(e, reg, size))
		vmsi_mask_read(e, reg, size, val);
	if (e->msix && vmsi_overlaps(reg, size, e->msix + 2u, e->msix + 4u)) {
		uint16_t ctl = vmsix_guest_ctl(e, (uint16_t)(vmsi_read32(m, bdf, e->msix) >> 16));
		uint8_t img[2] = { (uint8_t)ctl, (uint8_t)(ctl >> 8) };

		vmsi_replace(img, e->msix + 2u, 2, reg, size, val);
	}
}

void vmsi_guest_reset(struct monitor *m, struct guest *g, struct pcpu *here)
{
	const struct pci_filter *pf = g->boot ? g->boot->pci : NULL;

	spinlock_lock(&g->msi_lock);
	for (size_t i = 0; i < g->nr_msi; i++)
		vmsi_quiesce(m, g, &g->msi[i]);
	/* Functions not seen yet: found, and quiesced, now. */
	for (uint32_t bdf = 0; pf && bdf < 65536; bdf++)
		if (pf->owned[bdf / 8] & (1u << (bdf % 8)))
			vmsi_check_function(m, g, (uint16_t)bdf);
	for (unsigned n = 0; n < IRQ_MSI_PER_GUEST; n++)
		g->msi_vec[n].used = false;
	g->msi_held = 0;
	spinlock_unlock(&g->msi_lock);
	vmsi_drop_late(m, g, here);
}
