// SPDX-License-Identifier: GPL-2.0-only
#include "monitor/vmsi.h"

#include "irq/ioapic.h"
#include "irq/irq.h"
#include "lib/fmt.h"
#include "partition/devices.h"
#include "partition/pci_filter.h"

#define VMSI_STATUS_CAPS	(1u << 20)	/* status bit 4, in the dword at 0x04 */
#define VMSI_REG_CAP_PTR	0x34
#define VMSI_CAP_FIRST		0x40		/* below: the header, never a capability */
#define VMSI_APIC_WINDOW	0xfeeu		/* address bits 31:20 of the local APIC */
#define VMSI_MODE_FIXED		0
#define VMSI_MODE_LOWEST	1
#define VMSI_IMAGE		16		/* MSI bytes kept: header to extended data */

/*
 * Configuration mechanism #1 on the hardware, as for the guest's own accesses: the guest's
 * latched 0xcf8 is its own (g->cf8), so the real one is free to be set here.
 */
static void vmsi_cfg(struct monitor *m, uint16_t bdf, uint16_t reg, bool in, uint8_t size,
		     uint32_t *val)
{
	uint32_t addr = PCI_CF8_ENABLE | (uint32_t)bdf << 8 | (reg & 0xfc);

	m->plat->port_io(m->plat->ctx, PCI_CFG_ADDR, false, 4, &addr);
	m->plat->port_io(m->plat->ctx, (uint16_t)(PCI_CFG_DATA + (reg & 3)), in, size, val);
}

static uint32_t vmsi_read32(struct monitor *m, uint16_t bdf, uint16_t reg)
{
	uint32_t v = 0;

	vmsi_cfg(m, bdf, reg, true, 4, &v);
	return v;
}

static void vmsi_write16(struct monitor *m, uint16_t bdf, uint16_t reg, uint16_t v)
{
	uint32_t w = v;

	vmsi_cfg(m, bdf, reg, false, 2, &w);
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

bool vmsi_message_ok(uint16_t ctl, uint64_t addr, uint32_t data, char *why, size_t size)
{
	unsigned mode = (data >> 8) & 7;
	/* The function replaces the low MME bits of the vector with the message number; the
	 * reserved encodings (6, 7) are taken at their widest. */
	unsigned count = 1u << ((ctl & VMSI_CTL_MME_MASK) >> VMSI_CTL_MME_SHIFT);
	unsigned first = (data & 0xff) & ~(count - 1);

	if (addr >> 32 || (addr >> 20) != VMSI_APIC_WINDOW) {
		fmt_snprintf(why, size, "address 0x%llx is not the local APIC's",
			     (unsigned long long)addr);
		return false;
	}
	if (mode != VMSI_MODE_FIXED && mode != VMSI_MODE_LOWEST) {
		fmt_snprintf(why, size, "delivery mode %s", vmsi_mode_name(mode));
		return false;
	}
	/* The APIC's message has no room for it: reserved bits, meaning unknown. */
	if ((ctl & VMSI_CTL_EXT_DATA_EN) && (data >> 16)) {
		fmt_snprintf(why, size, "extended message data 0x%x", data >> 16);
		return false;
	}
	for (unsigned v = first; v < first + count; v++) {
		if (v == IRQ_TIMER_VECTOR) {
			fmt_snprintf(why, size, "vector 0x%x is the monitor's timer", v);
			return false;
		}
		if (v >= IRQ_DEVICE_VECTOR(0) && v < IRQ_DEVICE_VECTOR(IOAPIC_MAX_PINS)) {
			fmt_snprintf(why, size, "vector 0x%x is the monitor's for I/O APIC pin %u", v,
				     v - IRQ_DEVICE_VECTOR(0));
			return false;
		}
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
		} else if ((head & 0xff) == VMSI_CAP_MSIX && !e->msix) {
			e->msix = (uint8_t)ptr;
		}
		ptr = (head >> 8) & 0xfc;
	}
}

/* Bytes of the MSI capability that hold the message (control, address, data). */
static unsigned vmsi_msi_end(const struct guest_msi *e)
{
	return e->msi + (e->msi64 ? 16u : 12u);
}

/*
 * The MSI capability's first bytes as the hardware holds them now. A capability that runs past
 * 0xff (broken) has registers 0xcf8 cannot reach: they count as all ones, which is refused.
 */
static void vmsi_msi_image(struct monitor *m, const struct guest_msi *e, uint8_t img[VMSI_IMAGE])
{
	for (unsigned off = 0; off < vmsi_msi_end(e) - e->msi; off += 4) {
		uint32_t v = e->msi + off < 0x100 ? vmsi_read32(m, e->bdf, (uint16_t)(e->msi + off))
						  : 0xffffffffu;

		for (unsigned i = 0; i < 4; i++)
			img[off + i] = (uint8_t)(v >> (8 * i));
	}
}

static uint32_t vmsi_le32(const uint8_t *p)
{
	return p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static bool vmsi_image_ok(const struct guest_msi *e, const uint8_t img[VMSI_IMAGE],
			  uint64_t *addr, uint32_t *data, char *why, size_t size)
{
	uint16_t ctl = (uint16_t)(img[2] | img[3] << 8);

	*addr = vmsi_le32(img + 4);
	if (e->msi64)
		*addr |= (uint64_t)vmsi_le32(img + 8) << 32;
	*data = vmsi_le32(img + (e->msi64 ? 12 : 8));
	return !(ctl & VMSI_CTL_ENABLE) || vmsi_message_ok(ctl, *addr, *data, why, size);
}

static void vmsi_log(struct monitor *m, struct guest *g, struct guest_msi *e, bool msix,
		     const char *what)
{
	bool *logged = msix ? &e->msix_logged : &e->msi_logged;

	if (*logged)
		return;
	*logged = true;
	monitor_guest_event(m, g, "monitor: guest %c: pci %02x:%02x.%x: %s: %s stays disabled "
			    "(later refusals are not logged)",
			    g->letter, PARTITION_BDF_BUS(e->bdf), PARTITION_BDF_DEV(e->bdf),
			    PARTITION_BDF_FN(e->bdf), what, msix ? "MSI-X" : "MSI");
}

static void vmsi_log_msi(struct monitor *m, struct guest *g, struct guest_msi *e,
			 uint64_t addr, uint32_t data, const char *why)
{
	char what[128];

	fmt_snprintf(what, sizeof(what), "MSI to 0x%llx, data 0x%x refused (%s)",
		     (unsigned long long)addr, data, why);
	vmsi_log(m, g, e, false, what);
}

#define VMSI_MSIX_WHY	"MSI-X Enable refused (its table is in a BAR the guest maps, unchecked)"

/* Whatever the hardware holds now: refused messages disabled. */
static void vmsi_enforce(struct monitor *m, struct guest *g, struct guest_msi *e, bool msi,
			 bool msix)
{
	if (msix && e->msix) {
		uint16_t ctl = (uint16_t)(vmsi_read32(m, e->bdf, e->msix) >> 16);

		if (ctl & VMSIX_CTL_ENABLE) {
			vmsi_write16(m, e->bdf, (uint16_t)(e->msix + 2), ctl & ~VMSIX_CTL_ENABLE);
			vmsi_log(m, g, e, true, VMSI_MSIX_WHY);
		}
	}
	if (msi && e->msi) {
		uint8_t img[VMSI_IMAGE];
		uint64_t addr;
		uint32_t data;
		char why[80];

		vmsi_msi_image(m, e, img);
		if (!vmsi_image_ok(e, img, &addr, &data, why, sizeof(why))) {
			vmsi_write16(m, e->bdf, (uint16_t)(e->msi + 2),
				     (uint16_t)((img[2] | img[3] << 8) & ~VMSI_CTL_ENABLE));
			vmsi_log_msi(m, g, e, addr, data, why);
		}
	}
}

/*
 * The guest's entry for bdf, made (and the function's state checked) the first time. When the
 * table is full (more functions than a guest can own) scratch is walked again every time.
 */
static struct guest_msi *vmsi_function(struct monitor *m, struct guest *g, uint16_t bdf,
				       struct guest_msi *scratch)
{
	struct guest_msi *e = scratch;

	for (size_t i = 0; i < g->nr_msi; i++)
		if (g->msi[i].bdf == bdf)
			return &g->msi[i];
	if (g->nr_msi < sizeof(g->msi) / sizeof(g->msi[0]))
		e = &g->msi[g->nr_msi++];
	*e = (struct guest_msi){ .bdf = bdf };
	vmsi_walk(m, e);
	/* What the firmware (or the guest's last run) left enabled. */
	vmsi_enforce(m, g, e, true, true);
	return e;
}

void vmsi_check_function(struct monitor *m, struct guest *g, uint16_t bdf)
{
	struct guest_msi scratch;

	vmsi_function(m, g, bdf, &scratch);
}

void vmsi_before_write(struct monitor *m, struct guest *g, uint16_t bdf, uint16_t reg,
		       uint8_t size, uint32_t *val)
{
	struct guest_msi scratch, *e = vmsi_function(m, g, bdf, &scratch);
	uint8_t img[VMSI_IMAGE];
	uint16_t now;
	uint64_t addr;
	uint32_t data;
	char why[80];

	/* Bit 15 of the control word is bit 7 of its high byte; Function Mask stays as written. */
	if (e->msix && vmsi_overlaps(reg, size, e->msix + 3u, e->msix + 4u)) {
		uint32_t bit = 1u << (8 * (e->msix + 3u - reg) + 7);

		if (*val & bit) {
			*val &= ~bit;
			vmsi_log(m, g, e, true, VMSI_MSIX_WHY);
		}
	}
	if (!e->msi || !vmsi_overlaps(reg, size, e->msi + 2u, vmsi_msi_end(e)))
		return;
	/* The capability as it will be once the write is done. */
	vmsi_msi_image(m, e, img);
	now = (uint16_t)(img[2] | img[3] << 8);
	for (unsigned i = 0; i < size; i++) {
		unsigned at = reg + i;

		if (at >= e->msi && at < vmsi_msi_end(e))
			img[at - e->msi] = (uint8_t)(*val >> (8 * i));
	}
	if (vmsi_image_ok(e, img, &addr, &data, why, sizeof(why)))
		return;
	if (vmsi_overlaps(reg, size, e->msi + 2u, e->msi + 3u))
		*val &= ~(1u << (8 * (e->msi + 2u - reg)));	/* it sets MSI Enable: not */
	else if (now & VMSI_CTL_ENABLE)
		vmsi_write16(m, bdf, (uint16_t)(e->msi + 2), now & ~VMSI_CTL_ENABLE);
	vmsi_log_msi(m, g, e, addr, data, why);
}

void vmsi_after_write(struct monitor *m, struct guest *g, uint16_t bdf, uint16_t reg,
		      uint8_t size)
{
	struct guest_msi scratch, *e = vmsi_function(m, g, bdf, &scratch);

	/* A device may not take a write the way the check above assumed it would. */
	vmsi_enforce(m, g, e, e->msi && vmsi_overlaps(reg, size, e->msi + 2u, vmsi_msi_end(e)),
		     e->msix && vmsi_overlaps(reg, size, e->msix + 2u, e->msix + 4u));
}
