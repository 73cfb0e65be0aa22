// SPDX-License-Identifier: GPL-2.0-only
/* The edu device (see edu.h). */
#include "guests/probe/edu.h"

#include <errno.h>

#include "guests/lib/pci.h"
#include "lib/fmt.h"

#define EDU_REG_IDENT		0x00	/* 0xRRrr00ed: major, minor revision */
#define EDU_REG_STATUS		0x24
#define EDU_REG_RAISE		0x60
#define EDU_REG_ACK		0x64
#define EDU_IDENT_MAGIC		0xed

#define MSI_CTRL_ENABLE		(1u << 16)	/* in the capability's first dword */
#define MSI_CTRL_64BIT		(1u << 23)
#define MSI_CTRL_MME		(7u << 20)	/* multiple message enable: one message */
#define MSI_ADDR_LAPIC		0xfee00000u	/* destination ID 0 in bits 19:12, physical */

int edu_setup(struct guest_env *env, struct edu *e, uint16_t bdf, char *why, size_t size)
{
	uint32_t id = (uint32_t)EDU_DEVICE << 16 | EDU_VENDOR, cmd;
	int rc;

	*e = (struct edu){ .bdf = bdf };
	if (bdf == EDU_ANY && !pci_find(EDU_VENDOR, EDU_DEVICE, &e->bdf)) {
		fmt_snprintf(why, size, "no edu device (%04x:%04x) on bus 0", EDU_VENDOR,
			     EDU_DEVICE);
		return -ENODEV;
	}
	if (pci_read32(e->bdf, PCI_VENDOR_ID) != id) {
		fmt_snprintf(why, size, "%02x:%02x.%x is not an edu device (reads 0x%08x)",
			     e->bdf >> 8, (e->bdf >> 3) & 0x1f, e->bdf & 7,
			     pci_read32(e->bdf, PCI_VENDOR_ID));
		return -ENODEV;
	}
	e->bar = pci_bar_address(e->bdf, 0);
	if (!e->bar) {
		fmt_snprintf(why, size, "its BAR0 has no memory address");
		return -ENODEV;
	}
	/* The firmware assigns the BAR but enables decoding only for devices it drives. */
	cmd = pci_read32(e->bdf, PCI_COMMAND) & 0xffff;
	cmd = (cmd | PCI_COMMAND_MEMORY | PCI_COMMAND_MASTER) & ~PCI_COMMAND_INTX_OFF;
	pci_write32(e->bdf, PCI_COMMAND, cmd);
	if ((rc = guest_map(env, e->bar)) < 0) {
		fmt_snprintf(why, size, "cannot map BAR0 at 0x%llx (%d)",
			     (unsigned long long)e->bar, rc);
		return -ENODEV;
	}
	e->mmio = (volatile uint32_t *)(uintptr_t)e->bar;
	if ((e->mmio[EDU_REG_IDENT / 4] & 0xff) != EDU_IDENT_MAGIC) {
		fmt_snprintf(why, size, "BAR0 at 0x%llx does not decode (ident 0x%08x)",
			     (unsigned long long)e->bar, e->mmio[EDU_REG_IDENT / 4]);
		return -ENODEV;
	}
	e->msi_cap = pci_find_cap(e->bdf, PCI_CAP_MSI);
	return 0;
}

void edu_raise(struct edu *e, uint32_t bits)
{
	e->mmio[EDU_REG_RAISE / 4] = bits;
}

void edu_ack(struct edu *e, uint32_t bits)
{
	e->mmio[EDU_REG_ACK / 4] = bits;
}

uint32_t edu_status(struct edu *e)
{
	return e->mmio[EDU_REG_STATUS / 4];
}

int edu_msi_on(struct edu *e, uint8_t vector)
{
	/* Fixed delivery mode (bits 10:8 zero), edge (bit 15 zero). */
	return edu_msi_data(e, vector);
}

int edu_msi_data(struct edu *e, uint16_t data)
{
	uint32_t head;

	if (!e->msi_cap)
		return -ENODEV;
	head = pci_read32(e->bdf, e->msi_cap);
	pci_write32(e->bdf, (uint16_t)(e->msi_cap + 4), MSI_ADDR_LAPIC);
	if (head & MSI_CTRL_64BIT) {
		pci_write32(e->bdf, (uint16_t)(e->msi_cap + 8), 0);
		pci_write32(e->bdf, (uint16_t)(e->msi_cap + 12), data);
	} else {
		pci_write32(e->bdf, (uint16_t)(e->msi_cap + 8), data);
	}
	pci_write32(e->bdf, e->msi_cap, (head & ~MSI_CTRL_MME) | MSI_CTRL_ENABLE);
	return 0;
}

void edu_msi_off(struct edu *e)
{
	if (e->msi_cap)
		pci_write32(e->bdf, e->msi_cap,
			    pci_read32(e->bdf, e->msi_cap) & ~MSI_CTRL_ENABLE);
}
