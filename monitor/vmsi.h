/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * MSI and MSI-X of the PCI functions a guest owns, remapped by the monitor. Without an IOMMU
 * that remaps interrupts, an MSI is a memory write that goes straight to the physical local
 * APIC, so whoever programs the message chooses what the CPU receives: an INIT resets it, an
 * SMI enters the firmware's SMM, and a fixed interrupt on one of the monitor's vectors is
 * taken as the monitor's own. So no message a guest writes ever reaches a device:
 *
 *  - The guest's writes to the MSI capability (address, data, Enable) and to the MSI-X table
 *    (monitor/vmsix.c) are kept here, per function, and read back as written. The device
 *    holds only the monitor's message: fixed delivery, edge, to the physical local APIC the
 *    monitor runs the guest on (its CPU's APIC ID), with a vector the monitor allocated for that guest,
 *    function and message (IRQ_MSI_VECTOR(guest, slot), irq/irq.h: 64 per guest, never the
 *    monitor's own vectors nor the other guest's).
 *  - The guest sees one MSI message (Multiple Message Capable 0, no extended message data) and
 *    at most GUEST_MSIX_ENTRIES MSI-X table entries.
 *  - MSI Enable, and an MSI-X entry's unmasked state, reach the device only while the guest's
 *    own message is deliverable: address 0xfeexxxxx with a zero high dword, fixed or lowest
 *    priority delivery, a vector from 16 up, a destination that is its own vLAPIC. Anything
 *    else (INIT, NMI, SMI, ExtINT, vectors 0-15, another address) is kept, logged once per
 *    function and never enabled. MSI Mask Bits are kept and reach the device (vmsi_mask.c);
 *    MSI-X entry masks are the guest's when it may send. MSI-X Enable and Function Mask reach the device once
 *    its whole table holds the monitor's messages (or masked entries).
 *  - When a remapped vector arrives (irq/irq.c notes it; vmsi_deliver() runs in the loop) the
 *    guest's own vector from its current message is raised in its vLAPIC, so irq-policy
 *    applies as for its device lines; a vector whose message is no longer deliverable, or
 *    that belongs to a stopped or restarting guest, is dropped and counted. An MSI-X entry
 *    (or an MSI with mask bits) whose interrupt arrives while the last one still waits in the
 *    vLAPIC's IRR is masked on the device until the guest has taken it (the device holds it
 *    pending meanwhile), so a device cannot interrupt the CPU faster than its guest takes
 *    the interrupts.
 *  - A start, restart or stop releases the guest's vectors and disables MSI and MSI-X on its
 *    functions (vmsi_guest_reset()).
 *  - "Its vLAPIC" and "its CPU" are vCPU 0's: a message is delivered to vCPU 0 whatever
 *    vCPU it names, and one that does not name vCPU 0 is refused (not deliverable).
 *  - Locking (an SMP guest): g's MSI state (msi[], msi_vec[], msi_held, the counters) is
 *    under g->msi_lock, taken by the configuration and MSI-X table accesses of any vCPU, by
 *    vCPU 0's CPU for each arrival and release, and by a start, restart or stop; it is taken
 *    before m->pci_lock, never after. vCPU 0's vLAPIC is written only by its CPU; the others
 *    read its destination as published (vlapic_route_copy()).
 */
#ifndef TWINMON_MONITOR_VMSI_H
#define TWINMON_MONITOR_VMSI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "monitor/core.h"

#define VMSI_CAP_MSI		0x05
#define VMSI_CAP_MSIX		0x11
#define VMSI_WALK_MAX		48	/* capability list entries followed; a loop ends here */

/* The MSI capability's Message Control (at cap + 2). */
#define VMSI_CTL_ENABLE		0x0001
#define VMSI_CTL_MMC_MASK	0x000e
#define VMSI_CTL_MME_SHIFT	4
#define VMSI_CTL_MME_MASK	0x0070
#define VMSI_CTL_64BIT		0x0080
#define VMSI_CTL_PVM		0x0100	/* per-vector mask bits */
#define VMSI_CTL_EXT_DATA_CAP	0x0200
#define VMSI_CTL_EXT_DATA_EN	0x0400
/* The MSI-X capability's Message Control (at cap + 2). */
#define VMSIX_CTL_SIZE_MASK	0x07ff
#define VMSIX_CTL_MASKALL	0x4000
#define VMSIX_CTL_ENABLE	0x8000

/* An MSI address: the local APIC window, destination bits 19:12, destination mode bit 2. */
#define VMSI_APIC_WINDOW	0xfeeu		/* address bits 31:20 */
#define VMSI_ADDR_BASE		0xfee00000u
#define VMSI_ADDR_DEST_SHIFT	12
#define VMSI_ADDR_LOGICAL	0x4u
#define VMSI_MODE_FIXED		0
#define VMSI_MODE_LOWEST	1

/*
 * Whether a message with this address and data (the low 16 bits count) would reach lapic as
 * an interrupt it can take: see the top of the file. If not, why says why ("delivery mode
 * INIT", "vector 0x0f is below 16", ...).
 */
bool vmsi_deliverable(const struct vlapic *lapic, uint64_t addr, uint32_t data, char *why,
		      size_t size);


/*
 * Function bdf's entry in g->msi: its capabilities walked on the hardware the first time, MSI
 * and MSI-X disabled on the device then. When g->msi is full (it has room for every function
 * a guest can own) a scratch entry that never enables anything.
 */
struct guest_msi *vmsi_function(struct monitor *m, struct guest *g, uint16_t bdf,
				struct guest_msi *scratch);
/* The same, for a guest's start: nothing the firmware or its last run left is enabled. */
void vmsi_check_function(struct monitor *m, struct guest *g, uint16_t bdf);

/*
 * Configuration access hooks of an access the filter allowed (reg < 0x100; size 1, 2 or 4
 * within one dword). Before a write: the guest's bytes of the MSI capability's control,
 * address and data, and of the MSI-X Message Control, go to its shadow, the device is brought
 * to the monitor's state for it, and those bytes of *val are replaced by what the device
 * holds, so the write itself changes nothing there. After the write: the device is read back
 * and anything the monitor did not program is disabled. After a read: those bytes of *val
 * are the guest's own values.
 */
void vmsi_before_write(struct monitor *m, struct guest *g, uint16_t bdf, uint16_t reg,
		       uint8_t size, uint32_t *val);
void vmsi_after_write(struct monitor *m, struct guest *g, uint16_t bdf, uint16_t reg,
		      uint8_t size);
void vmsi_after_read(struct monitor *m, struct guest *g, uint16_t bdf, uint16_t reg,
		     uint8_t size, uint32_t *val);

/* A configuration read (dword) and write (size 1, 2, 4) of registers below 0x100 on the
 * device; registers past 0xff read all ones and ignore writes. */
uint32_t vmsi_read32(struct monitor *m, uint16_t bdf, uint16_t reg);
void vmsi_write(struct monitor *m, uint16_t bdf, uint16_t reg, uint8_t size, uint32_t v);

/* ---- vmsi_mask.c: MSI Mask Bits, when the capability has them ---- */
/* Whether [reg, reg + size) touches e's Mask Bits. */
bool vmsi_mask_covers(const struct guest_msi *e, uint16_t reg, uint8_t size);
/* A write there: the guest's bits kept, *val's bytes made the device's (its, or held). */
void vmsi_mask_write(struct monitor *m, struct guest *g, struct guest_msi *e, uint16_t reg,
		     uint8_t size, uint32_t *val);
/* A read there: the guest's own bits. */
void vmsi_mask_read(const struct guest_msi *e, uint16_t reg, uint8_t size, uint32_t *val);
/* The device's Mask Bits brought to the guest's, bit 0 set while the message is held. */
void vmsi_mask_sync(struct monitor *m, struct guest *g, struct guest_msi *e);

/* ---- vmsi_vec.c ---- */
/* A free vector slot of g for msi[fn]'s entry (GUEST_MSI_ENTRY_MSI for MSI), or -ENOSPC. */
int vmsi_vec_alloc(struct guest *g, unsigned fn, uint16_t entry);
/* Release *slot (if any) and set it to GUEST_MSI_NONE: its arrivals are dropped from now. */
void vmsi_vec_free(struct guest *g, uint8_t *slot);
/* The address of every message the monitor programs for g: the local APIC of the CPU that
 * runs g, physical mode (its interrupts are taken there). */
uint32_t vmsi_monitor_address(const struct guest *g);
/* Whether that address can name the CPU (an APIC ID up to 255); if not, nothing is enabled. */
bool vmsi_remappable(const struct guest *g);
/*
 * Before function bdf is given the message of the freshly allocated *slot: with an IOMMU
 * that remaps interrupts, that function's remapping entry for the slot's vector (the MSI
 * data, the vector, is also its index; iommu_msi_route()), so the device can send it and
 * nothing else. The message itself stays the same. 0, or a negative errno with *slot freed.
 */
int vmsi_vec_route(struct monitor *m, struct guest *g, uint16_t bdf, uint8_t *slot);

/*
 * The remapped vectors that arrived (m->plat->take_msi): each one's guest vector raised in
 * its owner's vLAPIC, or dropped. Called by the loop before each entry (virq_devices()).
 */
void vmsi_deliver(struct monitor *m, struct pcpu *pc);
/*
 * At g's start, restart and stop, on CPU here: release its vectors, disable MSI and MSI-X on
 * every function it owns and forget what it programmed; what was already on its way is
 * dropped (taken through vmsi_deliver() when here runs vCPU 0, else g's own taken and
 * counted as dropped: another CPU's vLAPICs are not this one's to write).
 */
void vmsi_guest_reset(struct monitor *m, struct guest *g, struct pcpu *here);
/* Its last step (vmsi_vec.c): what was on its way, taken and dropped as said above. */
void vmsi_drop_late(struct monitor *m, struct guest *g, struct pcpu *here);

/* ---- vmsix.c ---- */
/* Bind e to the plan's record of its MSI-X table, with every entry masked (a new function). */
void vmsix_bind(struct guest *g, struct guest_msi *e);
/*
 * Bring the device's MSI-X Enable and Function Mask to the guest's (e->msix_ctl): Enable only
 * once every table entry holds the monitor's message or is masked, which needs the table to
 * decode (memory space on, BAR in place); until then it stays off and is tried again.
 */
void vmsix_sync(struct monitor *m, struct guest *g, struct guest_msi *e);
/* Bring the device's entry i to the guest's (its message or masked) while MSI-X is on. */
void vmsix_entry_sync(struct monitor *m, struct guest *g, struct guest_msi *e, unsigned i);
/* Disable MSI-X on the device and release e's entries' vectors. */
void vmsix_off(struct monitor *m, struct guest *g, struct guest_msi *e);
/* The guest's message of entry i of e, if the entry may send now (enabled, unmasked). */
bool vmsix_message(const struct guest_msi *e, unsigned i, uint64_t *addr, uint32_t *data);
/* Whether gpa is in a page of one of g's MSI-X tables or PBAs (left out of its NPT). */
bool vmsix_page(const struct guest *g, uint64_t gpa);
/*
 * A guest access of size 1, 2, 4 or 8 at gpa in such a page: table entries are its own
 * (entries past those it sees read 0), the PBA is read on the device and never written,
 * anything else in those pages reaches the device at the same address.
 */
void vmsix_access(struct monitor *m, struct guest *g, uint64_t gpa, bool write, uint8_t size,
		  uint64_t *val);

#endif
