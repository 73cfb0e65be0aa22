// SPDX-License-Identifier: GPL-2.0-only
/*
 * INTx routing of a guest's functions: which I/O APIC input each function's interrupt pin
 * drives on this machine. The guest's _PRT names that input (a GSI of its virtual I/O APIC,
 * same number) and the monitor passes the physical line to it. Sources, in order:
 *  0. The config: "pci = 00:10.0@20" (the user knows the board's wiring).
 *  1. QEMU q35 (host bridge 8086:29c0), bus 0: the ICH9 routing QEMU implements and its own
 *     DSDT describes: slots 0-0x17 rotate over PIRQ E-H, starting at E + (slot & 3); slots
 *     0x18 and 0x1e over E-H from E; 0x19-0x1d and 0x1f over A-D from A; PIRQ A-H are I/O
 *     APIC inputs 16-23. (QEMU's `edu` at 00:10.0, INTA: PIRQ E = GSI 20, as measured.)
 *  2. The firmware's interrupt line register, when it names an I/O APIC input (1-23).
 * Otherwise the function gets no INTx route (MSI still works).
 */
#include <errno.h>

#include "partition/devices.h"

#define PCI_REG_INTERRUPT	0x3c	/* line (byte 0), pin (byte 1) */
#define PCI_INTX_Q35_ID		0x29c08086u	/* Intel 82G33/Q35 host bridge, as QEMU has it */
#define PCI_INTX_PIRQ_A_GSI	16
#define PCI_INTX_MAX_GSI	23

unsigned partition_intx_q35_gsi(unsigned slot, unsigned pin)
{
	unsigned first;		/* 0: PIRQ A, 4: PIRQ E */
	unsigned head;

	if (slot > 0x1f || pin < 1 || pin > 4)
		return 0;
	if (slot < 0x18) {
		first = 4;
		head = slot & 3;
	} else {
		first = slot == 0x18 || slot == 0x1e ? 4 : 0;
		head = 0;
	}
	return PCI_INTX_PIRQ_A_GSI + first + ((head + pin - 1) & 3);
}

const char *partition_intx_source_name(unsigned source)
{
	switch (source) {
	case PARTITION_INTX_Q35:
		return "q35 routing";
	case PARTITION_INTX_LINE:
		return "interrupt line";
	case PARTITION_INTX_CONFIG:
		return "config";
	}
	return "none";
}

int partition_add_pci_intx(struct partition_plan *plan, unsigned g,
			   const struct partition_pci_ops *ops)
{
	struct partition_guest *pg;
	bool q35;

	if (g >= PARTITION_NR_GUESTS || !plan->built || !plan->guest[g].present)
		return partition_fail(plan, -EINVAL, "pci intx: no such guest in a built plan");
	pg = &plan->guest[g];
	q35 = ops->read32(ops->ctx, 0, PCI_REG_ID) == PCI_INTX_Q35_ID;
	pg->nr_intx = 0;
	for (size_t i = 0; i < pg->nr_pci; i++) {
		uint16_t bdf = pg->pci[i];
		uint32_t v = ops->read32(ops->ctx, bdf, PCI_REG_INTERRUPT);
		struct partition_intx x = { .bdf = bdf, .pin = (uint8_t)(v >> 8) };
		unsigned line = v & 0xff;

		if (v == 0xffffffffu || x.pin == 0)
			continue;
		if (x.pin > 4)
			return partition_fail(plan, -EINVAL,
					      "guest %c: pci %02x:%02x.%x: interrupt pin %u is not "
					      "INTA-INTD", pg->letter, PARTITION_BDF_BUS(bdf),
					      PARTITION_BDF_DEV(bdf), PARTITION_BDF_FN(bdf), x.pin);
		if (pg->pci_gsi[i]) {
			x.gsi = pg->pci_gsi[i];
			x.source = PARTITION_INTX_CONFIG;
		} else if (q35 && PARTITION_BDF_BUS(bdf) == 0) {
			x.gsi = (uint8_t)partition_intx_q35_gsi(PARTITION_BDF_DEV(bdf), x.pin);
			x.source = PARTITION_INTX_Q35;
		} else if (line >= 1 && line <= PCI_INTX_MAX_GSI) {
			x.gsi = (uint8_t)line;
			x.source = PARTITION_INTX_LINE;
		}
		if (x.gsi)
			pg->irq_mask |= 1u << x.gsi;
		pg->intx[pg->nr_intx++] = x;
	}
	return partition_check_devices(plan, g);
}
