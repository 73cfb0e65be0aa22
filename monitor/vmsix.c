// SPDX-License-Identifier: GPL-2.0-only
/*
 * MSI-X tables, remapped (monitor/vmsi.h). The pages of each table and PBA are left out of the
 * guest's nested page tables (partition/pci_msix.h), so its accesses there come here from
 * the nested page fault handler (monitor/exit_npf.c). The guest's entries stay in
 * guest_msi.ent; the device's table holds the monitor's message in each entry the guest may
 * send from, and every other entry is masked.
 */
#include "monitor/vmsi.h"

#include "lib/fmt.h"
#include "partition/pci_msix.h"
#include "partition/rangeset.h"

#define VMSIX_ADDR		0	/* entry fields */
#define VMSIX_ADDR_HI		4
#define VMSIX_DATA		8
#define VMSIX_CTRL		12
#define VMSIX_CTRL_MASKED	1u
/*
 * The data of an entry the monitor keeps masked: a masked entry sends nothing, and were a
 * device to send it anyway, vector 0 is one the local APIC refuses (an illegal vector).
 */
#define VMSIX_IDLE_DATA		0

static void vmsix_mmio(struct monitor *m, uint64_t pa, bool write, uint8_t size, uint64_t *val)
{
	if (m->plat && m->plat->mmio)
		m->plat->mmio(m->plat->ctx, pa, write, size, val);
	else if (!write)
		*val = ~0ULL;
}

static void vmsix_w32(struct monitor *m, uint64_t pa, uint32_t v)
{
	uint64_t x = v;

	vmsix_mmio(m, pa, true, 4, &x);
}

static uint32_t vmsix_r32(struct monitor *m, uint64_t pa)
{
	uint64_t x = ~0ULL;

	vmsix_mmio(m, pa, false, 4, &x);
	return (uint32_t)x;
}

static uint32_t vmsix_le32(const uint8_t *p)
{
	return p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

void vmsix_bind(struct guest *g, struct guest_msi *e)
{
	const struct monitor_guest_boot *b = g->boot;

	e->px = NULL;
	for (size_t i = 0; b && b->msix && i < b->nr_msix; i++)
		if (b->msix[i].bdf == e->bdf && b->msix[i].cap == e->msix)
			e->px = &b->msix[i];
	e->msix_n = 0;
	if (e->px)
		e->msix_n = e->px->entries < GUEST_MSIX_ENTRIES ? e->px->entries
								 : GUEST_MSIX_ENTRIES;
	for (unsigned i = 0; i < GUEST_MSIX_ENTRIES; i++)
		e->ent[i] = (struct guest_msix_entry){ .raw = { [VMSIX_CTRL] = VMSIX_CTRL_MASKED },
						       .slot = GUEST_MSI_NONE };
}

bool vmsix_message(const struct guest_msi *e, unsigned i, uint64_t *addr, uint32_t *data)
{
	const uint8_t *raw;

	if (!e->px || i >= e->msix_n || !e->msix_on || (e->msix_ctl & VMSIX_CTL_MASKALL))
		return false;
	raw = e->ent[i].raw;
	if (vmsix_le32(raw + VMSIX_CTRL) & VMSIX_CTRL_MASKED)
		return false;
	*addr = vmsix_le32(raw + VMSIX_ADDR) | (uint64_t)vmsix_le32(raw + VMSIX_ADDR_HI) << 32;
	*data = vmsix_le32(raw + VMSIX_DATA);
	return true;
}

static void vmsix_log(struct monitor *m, struct guest *g, struct guest_msi *e, const char *what)
{
	if (e->msix_logged)
		return;
	e->msix_logged = true;
	monitor_guest_event(m, g, "monitor: guest %c: pci %02x:%02x.%x: %s (later ones are not "
			    "logged)",
			    g->letter, PARTITION_BDF_BUS(e->bdf), PARTITION_BDF_DEV(e->bdf),
			    PARTITION_BDF_FN(e->bdf), what);
}

/* Whether entry i may be unmasked on the device: the guest's is, with a deliverable message
 * and a vector for it. */
static bool vmsix_wanted(struct monitor *m, struct guest *g, struct guest_msi *e, unsigned i)
{
	struct guest_msix_entry *x;
	char why[80], what[160];
	struct vlapic view;
	uint64_t addr;
	uint32_t data;
	int slot;

	if (i >= e->msix_n)
		return false;
	x = &e->ent[i];
	if (vmsix_le32(x->raw + VMSIX_CTRL) & VMSIX_CTRL_MASKED)
		return false;
	if (!vmsi_remappable(g)) {
		vmsix_log(m, g, e, "MSI-X: the CPU's APIC ID does not fit a message: entries "
			  "masked on the device");
		return false;
	}
	addr = vmsix_le32(x->raw + VMSIX_ADDR) | (uint64_t)vmsix_le32(x->raw + VMSIX_ADDR_HI) << 32;
	data = vmsix_le32(x->raw + VMSIX_DATA);
	/* vCPU 0's vLAPIC is its CPU's: its destination as published (this may be another
	 * vCPU's CPU, in a configuration or table write). */
	vlapic_route_copy(&g->vcpu[0].lapic, &view);
	if (!vmsi_deliverable(&view, addr, data, why, sizeof(why))) {
		fmt_snprintf(what, sizeof(what),
			     "MSI-X entry %u to 0x%llx, data 0x%x refused (%s): masked on the device",
			     i, (unsigned long long)addr, data, why);
		vmsix_log(m, g, e, what);
		return false;
	}
	if (x->slot != GUEST_MSI_NONE)
		return true;
	slot = vmsi_vec_alloc(g, (unsigned)(e - g->msi), (uint16_t)i);
	if (slot < 0) {
		vmsix_log(m, g, e, "MSI-X: no remapped vector left (64 per guest): entry masked on "
			  "the device");
		return false;
	}
	x->slot = (uint8_t)slot;
	if ((slot = vmsi_vec_route(m, g, e->bdf, &x->slot)) < 0) {
		fmt_snprintf(what, sizeof(what), "MSI-X: the IOMMU did not take entry %u's "
			     "remapping entry (%d): masked on the device", i, slot);
		vmsix_log(m, g, e, what);
		return false;
	}
	return true;
}

/* The device's entry i: masked first, the monitor's message, unmasked if it may send. */
static void vmsix_hw_entry(struct monitor *m, struct guest *g, struct guest_msi *e, unsigned i,
			   bool unmask)
{
	uint64_t pa = e->px->table + (uint64_t)i * PCI_MSIX_ENTRY_SIZE;
	uint8_t slot = i < GUEST_MSIX_ENTRIES ? e->ent[i].slot : GUEST_MSI_NONE;

	vmsix_w32(m, pa + VMSIX_CTRL, VMSIX_CTRL_MASKED);
	vmsix_w32(m, pa + VMSIX_ADDR, vmsi_monitor_address(g));
	vmsix_w32(m, pa + VMSIX_ADDR_HI, 0);
	vmsix_w32(m, pa + VMSIX_DATA,
		  slot != GUEST_MSI_NONE ? IRQ_MSI_VECTOR(g->id, slot) : VMSIX_IDLE_DATA);
	/* Unmasked only once the device is seen to hold exactly the monitor's message, and not
	 * while its last interrupt waits for the guest (vmsi_vec.c). */
	if (unmask && slot != GUEST_MSI_NONE && !(g->msi_held & (1ULL << slot)) &&
	    vmsix_r32(m, pa + VMSIX_ADDR) == vmsi_monitor_address(g) &&
	    !vmsix_r32(m, pa + VMSIX_ADDR_HI) &&
	    vmsix_r32(m, pa + VMSIX_DATA) == (uint32_t)IRQ_MSI_VECTOR(g->id, slot))
		vmsix_w32(m, pa + VMSIX_CTRL, 0);
}

/*
 * Every entry of the device's table, the ones the guest does not see included. True if the
 * table decodes: what was written to entry 0 reads back.
 */
static bool vmsix_load_table(struct monitor *m, struct guest *g, struct guest_msi *e)
{
	for (unsigned i = 0; i < e->px->entries; i++)
		vmsix_hw_entry(m, g, e, i, vmsix_wanted(m, g, e, i));
	return vmsix_r32(m, e->px->table + VMSIX_ADDR) == vmsi_monitor_address(g) &&
	       (vmsix_r32(m, e->px->table + VMSIX_DATA) & 0xffff) ==
		       (e->ent[0].slot != GUEST_MSI_NONE ? IRQ_MSI_VECTOR(g->id, e->ent[0].slot)
							 : VMSIX_IDLE_DATA);
}

void vmsix_entry_sync(struct monitor *m, struct guest *g, struct guest_msi *e, unsigned i)
{
	if (e->px && e->msix_on && i < e->px->entries)
		vmsix_hw_entry(m, g, e, i, vmsix_wanted(m, g, e, i));
}

void vmsix_off(struct monitor *m, struct guest *g, struct guest_msi *e)
{
	uint16_t ctl = (uint16_t)(vmsi_read32(m, e->bdf, e->msix) >> 16);

	if (ctl & VMSIX_CTL_ENABLE)
		vmsi_write(m, e->bdf, (uint16_t)(e->msix + 3), 1, (ctl & ~VMSIX_CTL_ENABLE) >> 8);
	e->msix_on = false;
	for (unsigned i = 0; i < GUEST_MSIX_ENTRIES; i++)
		vmsi_vec_free(g, &e->ent[i].slot);
}

void vmsix_sync(struct monitor *m, struct guest *g, struct guest_msi *e)
{
	bool want = (e->msix_ctl & VMSIX_CTL_ENABLE) && e->px && !e->scratch;
	uint16_t ctl, now;

	if (!want && e->msix_on)
		vmsix_off(m, g, e);
	if (want && !e->msix_on) {
		e->msix_on = vmsix_load_table(m, g, e);
		if (!e->msix_on)
			vmsix_log(m, g, e, "MSI-X Enable held off: its table does not decode yet "
				  "(memory space off?)");
	}
	now = (uint16_t)(vmsi_read32(m, e->bdf, e->msix) >> 16);
	ctl = (uint16_t)((now & ~(VMSIX_CTL_ENABLE | VMSIX_CTL_MASKALL)) |
			 (e->msix_on ? VMSIX_CTL_ENABLE : 0) | (e->msix_ctl & VMSIX_CTL_MASKALL));
	/* The high byte holds both bits; the low one is the read-only table size. */
	if (ctl != now)
		vmsi_write(m, e->bdf, (uint16_t)(e->msix + 3), 1, ctl >> 8);
}

/* The plan's record whose table or PBA pages hold gpa, or NULL. */
static const struct partition_msix *vmsix_find(const struct guest *g, uint64_t gpa)
{
	const struct monitor_guest_boot *b = g->boot;

	for (size_t i = 0; b && b->msix && i < b->nr_msix; i++) {
		const struct partition_msix *x = &b->msix[i];
		uint64_t tb, te, pb, pe;

		rangeset_page_out(x->table, (uint64_t)x->entries * PCI_MSIX_ENTRY_SIZE, &tb, &te);
		rangeset_page_out(x->pba, partition_msix_pba_bytes(x->entries), &pb, &pe);
		if ((gpa >= tb && gpa < te) || (gpa >= pb && gpa < pe))
			return x;
	}
	return NULL;
}

bool vmsix_page(const struct guest *g, uint64_t gpa)
{
	return vmsix_find(g, gpa) != NULL;
}

/* An access to the guest's own table entries (within one entry; else nothing). */
static void vmsix_entry_access(struct monitor *m, struct guest *g, struct guest_msi *e,
			       uint64_t off, bool write, uint8_t size, uint64_t *val)
{
	unsigned i = (unsigned)(off / PCI_MSIX_ENTRY_SIZE), at = (unsigned)(off % 16);
	struct guest_msix_entry *x;

	if (i >= e->msix_n || at + size > PCI_MSIX_ENTRY_SIZE) {
		if (!write)
			*val = 0;
		return;
	}
	x = &e->ent[i];
	if (!write) {
		*val = 0;
		for (unsigned k = 0; k < size; k++)
			*val |= (uint64_t)x->raw[at + k] << (8 * k);
		return;
	}
	for (unsigned k = 0; k < size; k++)
		x->raw[at + k] = (uint8_t)(*val >> (8 * k));
	/* Address bits 1:0 are zero; of the vector control only the mask bit is defined. */
	x->raw[VMSIX_ADDR] &= ~3u;
	x->raw[VMSIX_CTRL] &= VMSIX_CTRL_MASKED;
	x->raw[VMSIX_CTRL + 1] = x->raw[VMSIX_CTRL + 2] = x->raw[VMSIX_CTRL + 3] = 0;
	vmsix_entry_sync(m, g, e, i);
}

/* The record whose table (pba false) or pending bits (pba true) hold gpa exactly, or NULL. */
static const struct partition_msix *vmsix_exact(const struct guest *g, uint64_t gpa, bool pba)
{
	const struct monitor_guest_boot *b = g->boot;

	for (size_t i = 0; b && b->msix && i < b->nr_msix; i++) {
		const struct partition_msix *x = &b->msix[i];
		uint64_t base = pba ? x->pba : x->table;
		uint64_t len = pba ? partition_msix_pba_bytes(x->entries)
				   : (uint64_t)x->entries * PCI_MSIX_ENTRY_SIZE;

		if (gpa >= base && gpa - base < len)
			return x;
	}
	return NULL;
}

void vmsix_access(struct monitor *m, struct guest *g, uint64_t gpa, bool write, uint8_t size,
		  uint64_t *val)
{
	const struct partition_msix *x;
	struct guest_msi scratch, *e;

	/*
	 * Only naturally aligned accesses within the trapped page: one that ran past it would
	 * reach the next page (another function's registers, or past the monitor's map).
	 */
	if (!vmsix_find(g, gpa) || (size != 1 && size != 2 && size != 4 && size != 8) ||
	    (gpa & (size - 1u))) {
		if (!write)
			*val = ~0ULL;
		return;
	}
	/*
	 * Any function's table first: two of the guest's functions may keep their tables and
	 * pending bits in one page, and an entry must never reach the device as written.
	 */
	if ((x = vmsix_exact(g, gpa, false))) {
		e = vmsi_function(m, g, x->bdf, &scratch);
		/* Never the device's entries: without the function bound to this record (a
		 * scratch entry) the guest's read 0. */
		if (e->px == x)
			vmsix_entry_access(m, g, e, gpa - x->table, write, size, val);
		else if (!write)
			*val = 0;
		return;
	}
	/* The pending bits are the device's, read-only; the rest of the pages is its own. */
	if (vmsix_exact(g, gpa, true) && write)
		return;
	vmsix_mmio(m, gpa, write, size, val);
}
