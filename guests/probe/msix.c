// SPDX-License-Identifier: GPL-2.0-only
/*
 * msix (see attacks.h): MSI-X through the monitor's table emulation, on QEMU's e1000e
 * (8086:10d3, the first on bus 0), whose Interrupt Cause Set register raises a cause on
 * demand and whose IVAR routes the receive-queue-0 cause to MSI-X vector 0. The table's page
 * is not in the probe's nested page tables: every access below traps to the monitor, which
 * keeps the probe's entries and programs the device with its own.
 *  - valid: entry 0 with a fixed message to vector 0x62, three raises, each arrives once;
 *  - masked: the entry masked, a raise arrives nowhere and the device's pending bit (read
 *    through the trapped PBA) is set; unmasked, the pending message arrives;
 *  - INIT: the entry's data with the INIT delivery mode reads back as written, and three
 *    raises arrive nowhere (the monitor keeps the device's entry masked).
 */
#include "guests/lib/apic.h"
#include "guests/lib/cpu.h"
#include "guests/lib/out.h"
#include "guests/lib/pci.h"
#include "guests/lib/trap.h"
#include "guests/probe/attacks.h"
#include "guests/probe/phase.h"

#define MSIX_VENDOR		0x8086
#define MSIX_DEVICE		0x10d3	/* 82574L: QEMU's e1000e */
#define MSIX_CAP		0x11
#define MSIX_CTL_ENABLE		(1u << 31)	/* in the capability's first dword */
#define MSIX_CTL_MASKALL	(1u << 30)
#define MSIX_VECTOR		0x62
#define MSIX_MODE_INIT		0x500
#define MSIX_RAISES		3
#define MSIX_WAIT_US		100000
#define MSIX_QUIET_US		20000
/* e1000e registers in BAR0. */
#define E1000_ICR		0x00c0
#define E1000_ICS		0x00c8
#define E1000_IMS		0x00d0
#define E1000_IMC		0x00d8
#define E1000_IVAR		0x00e4
#define E1000_ICR_RXQ0		(1u << 20)
#define E1000_IVAR_RXQ0_VEC0	0x8u	/* valid, vector 0 */

static volatile uint32_t msix_seen;
static volatile uint32_t *msix_regs;

static void msix_irq(struct trap_frame *f)
{
	probe_irqs++;
	msix_seen++;
	msix_regs[E1000_ICR / 4] = 0xffffffffu;	/* the cause is done with */
	apic_eoi();
}

/* Raise the cause MSIX_RAISES times; how many arrived. */
static unsigned msix_raise(struct probe_run *r, bool expect)
{
	unsigned before = msix_seen;

	for (unsigned i = 0; i < MSIX_RAISES; i++) {
		uint64_t wait = expect ? MSIX_WAIT_US : MSIX_QUIET_US;
		uint64_t until = rdtsc() + wait * r->tsc_khz / 1000;

		msix_regs[E1000_ICS / 4] = E1000_ICR_RXQ0;
		while (msix_seen < before + i + 1 && rdtsc() < until)
			probe_wait_us(r, 1000);
		msix_regs[E1000_ICR / 4] = 0xffffffffu;
	}
	return msix_seen - before;
}

static bool msix_map(struct probe_run *r, uint16_t bdf, uint32_t reg, volatile uint32_t **out)
{
	uint64_t bar = pci_bar_address(bdf, reg & 7);

	if (!bar || guest_map(r->env, bar) < 0)
		return false;
	*out = (volatile uint32_t *)(uintptr_t)(bar + (reg & ~7u));
	return true;
}

void probe_msix(struct probe_run *r)
{
	volatile uint32_t *table, *pba;
	unsigned valid, masked, after, init, base;
	uint32_t readback, pending;
	uint64_t until;
	uint16_t bdf;
	uint8_t cap;

	probe_announce(r, "msix: the e1000e's MSI-X table entry 0, valid, masked and INIT, "
		       "through the monitor's table emulation");
	if (!r->tsc_khz) {
		probe_outcome(r, PROBE_SKIPPED, "needs the monitor's TSC frequency");
		return;
	}
	if (!probe_use_apic(r))
		return;
	if (!pci_find(MSIX_VENDOR, MSIX_DEVICE, &bdf) || !(cap = pci_find_cap(bdf, MSIX_CAP))) {
		probe_outcome(r, PROBE_SKIPPED, "no e1000e with MSI-X on bus 0");
		return;
	}
	pci_write32(bdf, PCI_COMMAND, (pci_read32(bdf, PCI_COMMAND) & 0xffff) |
				      PCI_COMMAND_MEMORY | PCI_COMMAND_MASTER);
	if (!msix_map(r, bdf, 0, &msix_regs) ||
	    !msix_map(r, bdf, pci_read32(bdf, cap + 4), &table) ||
	    !msix_map(r, bdf, pci_read32(bdf, cap + 8), &pba)) {
		probe_outcome(r, PROBE_SKIPPED, "cannot map the e1000e's BARs");
		return;
	}
	out_log("attack %u: e1000e %02x:%02x.%x: MSI-X at 0x%x, %u entries offered, table 0x%llx",
		r->number, bdf >> 8, (bdf >> 3) & 0x1f, bdf & 7, cap,
		((pci_read32(bdf, cap) >> 16) & 0x7ff) + 1,
		(unsigned long long)(uintptr_t)table);
	trap_set_handler(MSIX_VECTOR, msix_irq);
	/* As Linux does: enabled with every vector masked, the entry, then unmasked. */
	pci_write32(bdf, cap, pci_read32(bdf, cap) | MSIX_CTL_ENABLE | MSIX_CTL_MASKALL);
	table[3] = 1;
	table[0] = 0xfee00000u | (apic_id() & 0xff) << 12;
	table[1] = 0;
	table[2] = MSIX_VECTOR;
	table[3] = 0;
	pci_write32(bdf, cap, pci_read32(bdf, cap) & ~MSIX_CTL_MASKALL);
	msix_regs[E1000_IVAR / 4] = E1000_IVAR_RXQ0_VEC0;
	msix_regs[E1000_IMS / 4] = E1000_ICR_RXQ0;
	valid = msix_raise(r, true);
	table[3] = 1;
	base = msix_seen;
	msix_regs[E1000_ICS / 4] = E1000_ICR_RXQ0;
	probe_wait_us(r, MSIX_QUIET_US);
	masked = msix_seen - base;
	pending = pba[0] & 1;
	table[3] = 0;
	until = rdtsc() + MSIX_WAIT_US * r->tsc_khz / 1000;
	while (msix_seen == base + masked && rdtsc() < until)
		probe_wait_us(r, 1000);
	after = msix_seen - base - masked;
	msix_regs[E1000_ICR / 4] = 0xffffffffu;
	table[2] = MSIX_MODE_INIT | MSIX_VECTOR;
	readback = table[2];
	init = msix_raise(r, false);
	msix_regs[E1000_IMC / 4] = 0xffffffffu;
	pci_write32(bdf, cap, pci_read32(bdf, cap) & ~MSIX_CTL_ENABLE);
	trap_set_handler(MSIX_VECTOR, NULL);
	out_log("attack %u: MSI-X valid: raised %u, arrived %u; masked: arrived %u, pending %u, "
		"arrived on unmask %u; INIT: reads back 0x%x, raised %u, arrived %u",
		r->number, MSIX_RAISES, valid, masked, pending, after, readback, MSIX_RAISES, init);
	if (init || masked)
		probe_outcome(r, PROBE_NOT_CONTAINED, "an %s entry interrupted this guest",
			      init ? "INIT" : "masked");
	else if (valid != MSIX_RAISES || !pending || after != 1 ||
		 readback != (MSIX_MODE_INIT | MSIX_VECTOR))
		probe_outcome(r, PROBE_NOT_CONTAINED, "MSI-X did not behave as programmed");
	else
		probe_outcome(r, PROBE_SURVIVED, "MSI-X remapped: %u of %u, pending while masked, "
			      "INIT kept off", valid, MSIX_RAISES);
}
