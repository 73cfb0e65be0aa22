// SPDX-License-Identifier: GPL-2.0-only
/*
 * Device interrupts for their owners: a physical line that fired goes to the virtual I/O APIC
 * of the guest that owns it.
 *
 * The physical pin is the monitor's to mask, and it is unmasked only while an interrupt from it
 * would reach its guest and be taken there. A line that fires is held (masked at the physical
 * I/O APIC: a level line by the interrupt handler, irq/irq.c, an edge line here) until:
 *  - the guest's entry for the pin is deliverable (vioapic_deliverable(): unmasked, a vector of
 *    16 or above, a fixed or lowest-priority message to its own enabled vLAPIC), and
 *  - the guest has serviced the last interrupt: for a level line (or an entry the guest made
 *    level), Remote IRR clear and the vector neither waiting nor in service at its vLAPIC,
 *    whatever way it got there (a level EOI, the vIOAPIC's EOI register, an entry rewritten);
 *    for an edge line, the vector taken from the IRR.
 * Unmasking re-samples the line: a device that still asserts it fires again. So a line that
 * is asserted for ever interrupts the machine at most once per interrupt its guest takes, and
 * never while the guest cannot take one (its entry masked, an illegal vector, an NMI or INIT
 * message, a destination that is not its LAPIC, its LAPIC disabled): without this, every
 * VMRUN of either guest would exit at once. While a level line is held its level is unknown,
 * so once it has been delivered the vIOAPIC sees it undriven (inactive under either polarity):
 * an EOI by any path cannot redeliver a stale level, the unmask re-samples it.
 *
 * An edge line stays unmasked while its entry is deliverable: an I/O APIC drops edges on a
 * masked pin, and one that came while the guest's handler runs must still reach it (each
 * edge is a device event, not a level the device holds). It is masked only while its entry
 * cannot deliver, and unmasked as soon as it can.
 *
 * Every line a guest owns starts held, and a restart holds them again: a fresh vIOAPIC has
 * every entry masked. A stopped guest's lines stay masked for good (monitor/core.c).
 *
 * Locking (an SMP guest): the vIOAPIC state (g->ioapic, g->held_pins) is under g->ioapic_lock,
 * which every access takes: vCPU 0's CPU here, and any vCPU's CPU that reads or writes the
 * vIOAPIC page (virq_ioapic_read/write). vCPU 0's vLAPIC is written only by its own CPU: a
 * vIOAPIC write on another vCPU's CPU raises what it delivers in a proxy of that vLAPIC
 * (vlapic_route_copy(), the published destination and enables) and posts it to vCPU 0's post
 * box, level-triggered ones as such, then kicks vCPU 0's CPU: the IPI path (monitor/vipi.h).
 *
 * The vIOAPIC delivers to vCPU 0 only, whatever CPU its entry names: an entry whose
 * destination is not vCPU 0's vLAPIC is not deliverable and its line stays held (masked).
 * Linux programs its I/O APIC entries for the boot CPU; routing by destination to the other
 * vCPUs is not done (the level EOI and "serviced" checks would have to read another CPU's
 * vLAPIC).
 */
#include "lib/spinlock.h"
#include "monitor/virq.h"
#include "monitor/vmsi.h"

/* The pin's active level under the guest's programming of it. */
static bool vdev_active_high(const struct guest *g, unsigned pin)
{
	return !(vioapic_rte(&g->ioapic, pin) & VIOAPIC_RTE_ACTIVE_LOW);
}

static bool vdev_bit(const uint32_t *bits, unsigned vec)
{
	return bits[vec / 32] & (1u << (vec % 32));
}

static struct guest *vdev_owner(struct monitor *m, unsigned pin)
{
	for (unsigned i = 0; i < MONITOR_MAX_GUESTS; i++) {
		struct guest *g = &m->guest[i];

		if (g->present && g->has_ioapic && g->boot && (g->boot->irq_mask & (1u << pin)))
			return g;
	}
	return NULL;
}

static bool vdev_level(struct monitor *m, unsigned pin)
{
	const struct monitor_platform *p = m->plat;

	return p->level_device_irq && p->level_device_irq(p->ctx, pin);
}

static void vdev_mask(struct monitor *m, unsigned pin, bool masked)
{
	const struct monitor_platform *p = m->plat;

	if (p->mask_device_irq)
		p->mask_device_irq(p->ctx, pin, masked);
}

/* Serviced: no Remote IRR, and its vector neither waiting nor in service at the vLAPIC. */
static bool vdev_serviced(const struct guest *g, unsigned pin)
{
	uint64_t rte = vioapic_rte(&g->ioapic, pin);
	unsigned vec = (unsigned)(rte & VIOAPIC_RTE_VECTOR);

	if (rte & VIOAPIC_RTE_REMOTE_IRR)
		return false;
	return !vdev_bit(g->vcpu[0].lapic.irr, vec) && !vdev_bit(g->vcpu[0].lapic.isr, vec);
}

/* May the physical pin interrupt again? (See the top of the file.) */
static bool vdev_ready(struct monitor *m, const struct guest *g, unsigned pin)
{
	uint64_t rte = vioapic_rte(&g->ioapic, pin);

	if (!vioapic_deliverable(&g->ioapic, pin, &g->vcpu[0].lapic))
		return false;
	return !(vdev_level(m, pin) || (rte & VIOAPIC_RTE_LEVEL)) || vdev_serviced(g, pin);
}

void virq_hold_lines(struct monitor *m, struct guest *g)
{
	spinlock_lock(&g->ioapic_lock);
	g->held_pins = 0;
	for (unsigned pin = 0; g->has_ioapic && g->boot && pin < VIOAPIC_PINS; pin++) {
		if (!(g->boot->irq_mask & (1u << pin)))
			continue;
		g->held_pins |= 1u << pin;
		vdev_mask(m, pin, true);
	}
	spinlock_unlock(&g->ioapic_lock);
}

/* The TSC, for when a device interrupt became due. */
static uint64_t vdev_now(struct monitor *m)
{
	return m->plat ? m->plat->now(m->plat->ctx) : 0;
}

/* A line that fired reaches its owner's vIOAPIC, and is held. It is due from now: the
 * monitor takes lines right after the exit the physical interrupt caused. */
static void vdev_fired(struct monitor *m, struct guest *g, unsigned pin, uint64_t now)
{
	bool level = vdev_level(m, pin);
	uint32_t before[8];

	g->device_irqs++;
	virq_due_irr(&g->vcpu[0], before);
	if (level || (vioapic_rte(&g->ioapic, pin) & VIOAPIC_RTE_LEVEL))
		vioapic_set_line(&g->ioapic, pin, vdev_active_high(g, pin), &g->vcpu[0].lapic);
	else
		vioapic_pulse(&g->ioapic, pin, &g->vcpu[0].lapic);
	virq_due_mark(&g->vcpu[0], before, VIRQ_SRC_DEV, now);
	if (level) {
		/* Masked by the interrupt handler: from now on its level is unknown. What was
		 * delivered is latched (IRR, Remote IRR); the unmask re-samples the rest. */
		vioapic_float_line(&g->ioapic, pin);
		g->held_pins |= 1u << pin;
	} else if (!vdev_ready(m, g, pin)) {
		vdev_mask(m, pin, true);
		g->held_pins |= 1u << pin;
	}
}

/* Level EOIs the vLAPIC saw go to the vIOAPIC, with the lines inactive until they fire again. */
static void vdev_level_eois(struct monitor *m, struct guest *g)
{
	int vec;

	while ((vec = vlapic_take_level_eoi(&g->vcpu[0].lapic)) >= 0) {
		uint32_t done = vioapic_eoi_pins(&g->ioapic, (uint8_t)vec), before[8];

		/* Inactive until the line fires again: the EOI must not redeliver it. */
		for (unsigned pin = 0; pin < VIOAPIC_PINS; pin++)
			if (done & (1u << pin))
				vioapic_float_line(&g->ioapic, pin);
		/* A line still active delivers again: due from this EOI. */
		virq_due_irr(&g->vcpu[0], before);
		vioapic_eoi(&g->ioapic, (uint8_t)vec, &g->vcpu[0].lapic);
		virq_due_mark(&g->vcpu[0], before, VIRQ_SRC_DEV, vdev_now(m));
	}
}

/* Unmask each held line that may interrupt again. */
static void vdev_release_ready(struct monitor *m, struct guest *g)
{
	for (unsigned pin = 0; g->held_pins && pin < VIOAPIC_PINS; pin++) {
		if (!(g->held_pins & (1u << pin)))
			continue;
		/* Masked, the line's level is unknown: inactive until it fires again, whatever
		 * polarity the guest gives the pin meanwhile. */
		if (vdev_serviced(g, pin))
			vioapic_float_line(&g->ioapic, pin);
		if (!vdev_ready(m, g, pin))
			continue;
		g->held_pins &= ~(1u << pin);
		vdev_mask(m, pin, false);
	}
}

/*
 * The lines this CPU takes: those of the guests whose vCPU 0 it runs (the I/O APIC sends them
 * here: an SMP guest's device interrupts all go to its vCPU 0), and on
 * the boot CPU those of nobody, which are masked when they fire. Another CPU's guest's lines
 * are that CPU's to take: its guest's vIOAPIC is written by no one else.
 */
static uint32_t vdev_cpu_lines(struct monitor *m, const struct pcpu *pc)
{
	uint32_t owned = 0, mine = 0;

	for (unsigned i = 0; i < MONITOR_MAX_GUESTS; i++) {
		const struct guest *g = &m->guest[i];

		if (!g->present || !g->has_ioapic || !g->boot)
			continue;
		owned |= g->boot->irq_mask;
		if (pcpu_runs_boot_vcpu(pc, i))
			mine |= g->boot->irq_mask;
	}
	return pc->index == 0 ? mine | ~owned : mine;
}

void virq_devices(struct monitor *m, struct pcpu *pc)
{
	const struct monitor_platform *p = m->plat;
	uint32_t pins = p->take_device_irqs ? p->take_device_irqs(p->ctx, vdev_cpu_lines(m, pc))
					    : 0;
	uint64_t now = pins ? vdev_now(m) : 0;

	/* Remapped MSIs: edges, raised in their guests' vLAPICs (monitor/vmsi.h). */
	vmsi_deliver(m, pc);
	for (unsigned pin = 0; pins; pin++, pins >>= 1) {
		struct guest *g;

		if (!(pins & 1))
			continue;
		g = vdev_owner(m, pin);
		/* Nobody to service it: the line stays masked rather than storm. */
		if (!g || g->stopped) {
			vdev_mask(m, pin, true);
			continue;
		}
		spinlock_lock(&g->ioapic_lock);
		vdev_fired(m, g, pin, now);
		spinlock_unlock(&g->ioapic_lock);
	}
	for (unsigned i = 0; i < MONITOR_MAX_GUESTS; i++) {
		struct guest *g = &m->guest[i];

		if (!g->present || !g->has_ioapic || g->stopped || !pcpu_runs_boot_vcpu(pc, i))
			continue;
		spinlock_lock(&g->ioapic_lock);
		/* Again under the lock: a stop on another CPU masks the lines under it, and a
		 * release after that would unmask one for a guest nobody runs. */
		if (!__atomic_load_n(&g->stopped, __ATOMIC_ACQUIRE)) {
			vdev_level_eois(m, g);
			vdev_release_ready(m, g);
		}
		spinlock_unlock(&g->ioapic_lock);
	}
}

uint32_t virq_ioapic_read(struct guest *g, uint32_t off)
{
	uint32_t val;

	spinlock_lock(&g->ioapic_lock);
	if (vioapic_mmio_read(&g->ioapic, off, &val) < 0)
		val = 0xffffffffu;
	spinlock_unlock(&g->ioapic_lock);
	return val;
}

void virq_ioapic_write(struct monitor *m, struct vcpu *v, uint32_t off, uint32_t val)
{
	struct guest *g = v->g;
	struct vcpu *boot = &g->vcpu[0];
	const struct monitor_platform *p = m->plat;
	uint64_t now = vdev_now(m);
	struct vlapic proxy;
	uint32_t before[8];
	bool posted;

	spinlock_lock(&g->ioapic_lock);
	if (v == boot) {
		/* An unmask of an active level pin delivers: due from this write. */
		virq_due_irr(boot, before);
		vioapic_mmio_write(&g->ioapic, off, val, &boot->lapic);
		virq_due_mark(boot, before, VIRQ_SRC_DEV, now);
		spinlock_unlock(&g->ioapic_lock);
		return;
	}
	vlapic_route_copy(&boot->lapic, &proxy);
	vioapic_mmio_write(&g->ioapic, off, val, &proxy);
	/* Their due time before the post bits (monitor/virq_due.h). */
	for (unsigned vec = 16; vec < 256; vec++)
		if (proxy.irr[vec / 32] & (1u << (vec % 32)))
			virq_due_post(boot, (uint8_t)vec, VIRQ_SRC_DEV, now);
	posted = vlapic_post_raised(&boot->post, &proxy);
	spinlock_unlock(&g->ioapic_lock);
	if (posted && p && p->kick)
		p->kick(p->ctx, boot->cpu->index);
}
