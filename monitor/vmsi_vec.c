// SPDX-License-Identifier: GPL-2.0-only
/*
 * The remapped MSI vectors (monitor/vmsi.h): IRQ_MSI_PER_GUEST per guest, each owned by one
 * message of one of its functions, and what happens when one arrives.
 */
#include <errno.h>

#include "iommu/iommu.h"

#include "monitor/vmsi.h"

_Static_assert(MONITOR_MAX_GUESTS <= IRQ_MSI_GUESTS, "every guest has its vector range");
_Static_assert(IRQ_MSI_COUNT % 64 == 0, "the pending set is whole qwords");
_Static_assert(PARTITION_MAX_PCI <= 0x100, "a vector's function fits its byte");

int vmsi_vec_alloc(struct guest *g, unsigned fn, uint16_t entry)
{
	for (unsigned n = 0; n < IRQ_MSI_PER_GUEST; n++) {
		struct guest_msi_vec *v = &g->msi_vec[n];

		if (v->used)
			continue;
		*v = (struct guest_msi_vec){ true, (uint8_t)fn, entry };
		return (int)n;
	}
	return -ENOSPC;
}

/* To vCPU 0's CPU: destination routing among vCPUs comes with SMP guests. */
uint32_t vmsi_monitor_address(const struct guest *g)
{
	return VMSI_ADDR_BASE | (g->vcpu[0].cpu->apic_id & 0xff) << VMSI_ADDR_DEST_SHIFT;
}

bool vmsi_remappable(const struct guest *g)
{
	/* Without interrupt remapping an MSI names at most an 8-bit APIC ID. */
	return g->vcpu[0].cpu->apic_id <= 0xff;
}

int vmsi_vec_route(struct monitor *m, struct guest *g, uint16_t bdf, uint8_t *slot)
{
	int err = iommu_msi_route(m->iommu, bdf, (uint8_t)IRQ_MSI_VECTOR(g->id, *slot),
				  (uint8_t)g->vcpu[0].cpu->apic_id);

	if (err < 0)
		vmsi_vec_free(g, slot);
	return err;
}

void vmsi_vec_free(struct guest *g, uint8_t *slot)
{
	if (*slot < IRQ_MSI_PER_GUEST) {
		g->msi_vec[*slot].used = false;
		g->msi_held &= ~(1ULL << *slot);
	}
	*slot = GUEST_MSI_NONE;
}

/* The guest's current message behind slot n, if that message may be sent now. */
static bool vmsi_vec_message(const struct guest *g, unsigned n, uint64_t *addr, uint32_t *data)
{
	const struct guest_msi_vec *v = &g->msi_vec[n];
	const struct guest_msi *e;

	if (!v->used || v->fn >= g->nr_msi)
		return false;
	e = &g->msi[v->fn];
	if (v->entry != GUEST_MSI_ENTRY_MSI)
		return v->entry < GUEST_MSIX_ENTRIES && e->ent[v->entry].slot == n &&
		       vmsix_message(e, v->entry, addr, data);
	if (!e->msi_enable || e->msi_slot != n)
		return false;
	*addr = e->msi_addr_lo | (uint64_t)e->msi_addr_hi << 32;
	*data = e->msi_data;
	return true;
}

static bool vmsi_waiting(const struct guest *g, unsigned vector)
{
	return g->vcpu[0].lapic.irr[(vector & 0xff) / 32] & (1u << (vector % 32));
}

/* Remapped vector slot n of g arrived. */
static void vmsi_arrived(struct monitor *m, struct guest *g, unsigned n)
{
	const struct guest_msi_vec *v = &g->msi_vec[n];
	uint64_t addr;
	uint32_t data, before[8];
	bool waiting;
	char why[80];

	/* A guest that is gone, or between two lives, has nobody to take it. */
	if (!g->present || g->stopped || g->restart_pending ||
	    !vmsi_vec_message(g, n, &addr, &data) ||
	    !vmsi_deliverable(&g->vcpu[0].lapic, addr, data, why, sizeof(why))) {
		g->msi_dropped++;
		return;
	}
	waiting = vmsi_waiting(g, data);
	virq_due_irr(&g->vcpu[0], before);
	if (vlapic_raise(&g->vcpu[0].lapic, (uint8_t)data, false) < 0) {
		g->msi_dropped++;
		return;
	}
	g->msi_delivered++;
	/* Due from when the monitor took the message, right after the exit it caused. */
	virq_due_mark(&g->vcpu[0], before, VIRQ_SRC_MSI, m->plat->now(m->plat->ctx));
	/*
	 * The previous one has not been taken yet: this one merged with it. The message is
	 * masked on the device until the guest takes it; the device keeps what comes meanwhile
	 * pending and sends it when unmasked. An MSI without mask bits cannot be held.
	 */
	if (waiting && v->entry != GUEST_MSI_ENTRY_MSI) {
		g->msi_held |= 1ULL << n;
		vmsix_entry_sync(m, g, &g->msi[v->fn], v->entry);
	} else if (waiting && g->msi[v->fn].msi_pvm) {
		g->msi_held |= 1ULL << n;
		vmsi_mask_sync(m, g, &g->msi[v->fn]);
	}
}

/* Unmask the held entries whose interrupt the guest has taken (or that changed). */
static void vmsi_release(struct monitor *m, struct guest *g)
{
	for (unsigned n = 0; g->msi_held && n < IRQ_MSI_PER_GUEST; n++) {
		const struct guest_msi_vec *v = &g->msi_vec[n];
		uint64_t addr;
		uint32_t data;

		if (!(g->msi_held & (1ULL << n)))
			continue;
		if (vmsi_vec_message(g, n, &addr, &data) && vmsi_waiting(g, data))
			continue;
		g->msi_held &= ~(1ULL << n);
		if (!v->used || v->fn >= g->nr_msi)
			continue;
		if (v->entry != GUEST_MSI_ENTRY_MSI)
			vmsix_entry_sync(m, g, &g->msi[v->fn], v->entry);
		else
			vmsi_mask_sync(m, g, &g->msi[v->fn]);
	}
}

void vmsi_deliver(struct monitor *m, struct pcpu *pc)
{
	const struct monitor_platform *p = m->plat;
	uint64_t pending[IRQ_MSI_WORDS];

	if (!p || !p->take_msi)
		return;
	/* Only the vectors of the guests whose vCPU 0 runs here (they name its APIC ID): the
	 * others' belong to the CPUs that run them. */
	p->take_msi(p->ctx, pending, pc->boot_guests);
	for (unsigned w = 0; w < IRQ_MSI_WORDS; w++) {
		for (unsigned b = 0; b < 64; b++) {
			unsigned v = w * 64 + b, id = v / IRQ_MSI_PER_GUEST;

			if (!((pending[w] >> b) & 1))
				continue;
			if (id >= MONITOR_MAX_GUESTS)
				continue;
			spinlock_lock(&m->guest[id].msi_lock);
			vmsi_arrived(m, &m->guest[id], v % IRQ_MSI_PER_GUEST);
			spinlock_unlock(&m->guest[id].msi_lock);
		}
	}
	for (unsigned i = 0; i < MONITOR_MAX_GUESTS; i++) {
		struct guest *g = &m->guest[i];

		if (!g->present || !pcpu_runs_boot_vcpu(pc, i))
			continue;
		spinlock_lock(&g->msi_lock);
		if (!__atomic_load_n(&g->stopped, __ATOMIC_ACQUIRE))
			vmsi_release(m, g);
		spinlock_unlock(&g->msi_lock);
	}
}

void vmsi_drop_late(struct monitor *m, struct guest *g, struct pcpu *here)
{
	uint64_t late[IRQ_MSI_WORDS];

	/*
	 * A message the device sent before it was disabled is ahead of the configuration
	 * write's completion: let it in now, so it is dropped here rather than taken later for
	 * a vector the guest's next life may have programmed. It went to vCPU 0's CPU (the
	 * message names its APIC ID): only there is it taken through the loop's path, which
	 * raises vectors in the vLAPICs that CPU owns. A stop on another vCPU's CPU takes this
	 * guest's vectors alone and drops them; one still on its way is dropped by vCPU 0's
	 * CPU when it arrives (the guest is stopped).
	 */
	if (!g->nr_msi || !m->plat)
		return;
	if (here == g->vcpu[0].cpu) {
		if (m->plat->take_interrupts)
			m->plat->take_interrupts(m->plat->ctx);
		vmsi_deliver(m, here);
		return;
	}
	if (!m->plat->take_msi)
		return;
	m->plat->take_msi(m->plat->ctx, late, 1u << g->id);
	spinlock_lock(&g->msi_lock);
	for (unsigned w = 0; w < IRQ_MSI_WORDS; w++)
		for (uint64_t bits = late[w]; bits; bits &= bits - 1)
			g->msi_dropped++;
	spinlock_unlock(&g->msi_lock);
}
