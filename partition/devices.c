// SPDX-License-Identifier: GPL-2.0-only
/*
 * Which guest owns which ports, UARTs, PCI functions, IRQ lines and MMIO ranges. Conflicts
 * are errors, never silently resolved: two guests driving one device corrupt each other.
 */
#include "partition/devices.h"

#include <errno.h>
#include <string.h>

#include "lib/fmt.h"
#include "partition/rangeset.h"

static const struct {
	const char *name;
	uint16_t port;
	uint8_t irq;
} partition_uarts[PARTITION_NR_UARTS] = {
	{ "com1", 0x3f8, 4 },
	{ "com2", 0x2f8, 3 },
	{ "com3", 0x3e8, 4 },
	{ "com4", 0x2e8, 3 },
};

const char *partition_uart_name(unsigned n)
{
	return n < PARTITION_NR_UARTS ? partition_uarts[n].name : NULL;
}

uint16_t partition_uart_port(unsigned n)
{
	return n < PARTITION_NR_UARTS ? partition_uarts[n].port : 0;
}

unsigned partition_uart_irq(unsigned n)
{
	return n < PARTITION_NR_UARTS ? partition_uarts[n].irq : 0;
}

int partition_ports_add(struct partition_ports *p, size_t *n, size_t cap, uint16_t first,
			uint16_t last)
{
	uint32_t f = first, l = last;
	size_t i = 0;

	/* Skip ranges that end before first - 1 (those can neither overlap nor touch). */
	while (i < *n && (uint32_t)p[i].last + 1 < f)
		i++;
	size_t j = i;

	while (j < *n && p[j].first <= l + 1) {
		if (p[j].first < f)
			f = p[j].first;
		if (p[j].last > l)
			l = p[j].last;
		j++;
	}
	if (j == i) {
		if (*n >= cap)
			return -E2BIG;
		memmove(&p[i + 1], &p[i], (*n - i) * sizeof(*p));
		(*n)++;
	} else if (j > i + 1) {
		memmove(&p[i + 1], &p[j], (*n - j) * sizeof(*p));
		*n -= j - i - 1;
	}
	p[i].first = (uint16_t)f;
	p[i].last = (uint16_t)l;
	return 0;
}

static const char *partition_monitor_port_label(const struct partition_plan *plan, size_t i)
{
	if (i == 0)
		return "PCI configuration";
	if (i == 1 && plan->has_log_port)
		return "log port";
	return "reserved";
}

/* Where an IRQ of guest g comes from, for messages: a UART, a function's INTx, the config. */
static const char *partition_irq_source(const struct partition_guest *pg, unsigned irq,
					char *buf, size_t size)
{
	for (unsigned u = 0; u < PARTITION_NR_UARTS; u++)
		if ((pg->uart_mask & (1u << u)) && partition_uarts[u].irq == irq)
			return partition_uarts[u].name;
	for (size_t i = 0; i < pg->nr_intx; i++)
		if (pg->intx[i].gsi == irq) {
			fmt_snprintf(buf, size, "pci %02x:%02x.%x INT%c",
				     PARTITION_BDF_BUS(pg->intx[i].bdf),
				     PARTITION_BDF_DEV(pg->intx[i].bdf),
				     PARTITION_BDF_FN(pg->intx[i].bdf), 'A' + pg->intx[i].pin - 1);
			return buf;
		}
	return "irqs";
}

int partition_check_devices(struct partition_plan *plan, unsigned g)
{
	struct partition_guest *pg = &plan->guest[g];
	unsigned o = g ^ 1;
	struct partition_guest *og = &plan->guest[o];

	for (size_t i = 0; i < pg->nr_ports; i++) {
		const struct partition_ports *p = &pg->ports[i];

		for (size_t m = 0; m < plan->nr_monitor_ports; m++) {
			const struct partition_ports *mp = &plan->monitor_ports[m];

			if (p->first <= mp->last && mp->first <= p->last)
				return partition_fail(plan, -EBUSY,
						      "guest %c: ports 0x%x-0x%x overlap the "
						      "monitor's %s ports 0x%x-0x%x",
						      pg->letter, p->first, p->last,
						      partition_monitor_port_label(plan, m),
						      mp->first, mp->last);
		}
		if (!og->present)
			continue;
		for (size_t j = 0; j < og->nr_ports; j++) {
			const struct partition_ports *q = &og->ports[j];

			if (p->first <= q->last && q->first <= p->last)
				return partition_fail(plan, -EBUSY,
						      "ports 0x%x-0x%x claimed by guest %c and "
						      "0x%x-0x%x by guest %c",
						      p->first, p->last, pg->letter, q->first,
						      q->last, og->letter);
		}
	}
	if (!og->present)
		return 0;
	uint32_t both = pg->irq_mask & og->irq_mask;

	if (both) {
		unsigned irq = (unsigned)__builtin_ctz(both);
		char buf0[32], buf1[32];
		const char *src0 = partition_irq_source(&plan->guest[0], irq, buf0, sizeof(buf0));
		const char *src1 = partition_irq_source(&plan->guest[1], irq, buf1, sizeof(buf1));

		return partition_fail(plan, -EBUSY, "irq %u claimed by guest %c (%s) and guest %c (%s)",
				      irq, plan->guest[0].letter, src0, plan->guest[1].letter,
				      src1);
	}
	for (size_t i = 0; i < pg->nr_pci; i++)
		for (size_t j = 0; j < og->nr_pci; j++)
			if (pg->pci[i] == og->pci[j])
				return partition_fail(plan, -EBUSY,
						      "pci %02x:%02x.%x claimed by both guests",
						      PARTITION_BDF_BUS(pg->pci[i]),
						      PARTITION_BDF_DEV(pg->pci[i]),
						      PARTITION_BDF_FN(pg->pci[i]));
	for (size_t i = 0; i < pg->nr_mmio; i++) {
		long j = rangeset_find_overlap(og->mmio, og->nr_mmio, pg->mmio[i].base,
					       pg->mmio[i].end);

		if (j >= 0)
			return partition_fail(plan, -EBUSY,
					      "mmio 0x%llx-0x%llx of guest %c shares a page with "
					      "0x%llx-0x%llx of guest %c",
					      (unsigned long long)pg->mmio[i].base,
					      (unsigned long long)pg->mmio[i].end - 1, pg->letter,
					      (unsigned long long)og->mmio[j].base,
					      (unsigned long long)og->mmio[j].end - 1, og->letter);
	}
	return 0;
}

int partition_check_mmio_not_ram(struct partition_plan *plan, unsigned g, uint64_t b,
				 uint64_t e)
{
	const char *what = NULL;

	for (unsigned o = 0; o < PARTITION_NR_GUESTS; o++)
		if (rangeset_find_overlap(plan->guest[o].ram, plan->guest[o].nr_ram, b, e) >= 0)
			what = o == 0 ? "guest a's RAM" : "guest b's RAM";
	for (size_t i = 0; i < plan->nr_monitor; i++)
		if (plan->monitor[i].r.base < e && plan->monitor[i].r.end > b)
			what = "the monitor's memory";
	if (rangeset_find_overlap(plan->avail, plan->nr_avail, b, e) >= 0)
		what = "usable RAM";
	if (what)
		return partition_fail(plan, -EINVAL, "guest %c: mmio 0x%llx-0x%llx overlaps %s",
				      plan->guest[g].letter, (unsigned long long)b,
				      (unsigned long long)(e - 1), what);
	return 0;
}

static int partition_guest_devices(struct partition_plan *plan, unsigned g,
				   const struct partition_guest_request *gr)
{
	struct partition_guest *pg = &plan->guest[g];
	int err;

	if (gr->nr_ports > PARTITION_MAX_PORTS || gr->nr_pci > PARTITION_MAX_PCI ||
	    gr->nr_mmio > 16 || (gr->uart_mask >> PARTITION_NR_UARTS))
		return partition_fail(plan, -EINVAL, "guest %c: device lists out of range",
				      pg->letter);
	for (size_t i = 0; i < gr->nr_ports; i++) {
		const struct partition_ports *p = &gr->ports[i];

		if (p->first > p->last)
			return partition_fail(plan, -EINVAL, "guest %c: bad port range 0x%x-0x%x",
					      pg->letter, p->first, p->last);
		if (partition_ports_add(pg->ports, &pg->nr_ports, PARTITION_MAX_PORTS, p->first,
					p->last))
			goto too_many;
	}
	pg->uart_mask = gr->uart_mask;
	pg->irq_mask = gr->irq_mask;
	for (unsigned u = 0; u < PARTITION_NR_UARTS; u++) {
		if (!(gr->uart_mask & (1u << u)))
			continue;
		if (partition_ports_add(pg->ports, &pg->nr_ports, PARTITION_MAX_PORTS,
					partition_uarts[u].port,
					partition_uarts[u].port + PARTITION_UART_PORTS - 1))
			goto too_many;
		pg->irq_mask |= 1u << partition_uarts[u].irq;
	}
	for (size_t i = 0; i < gr->nr_pci; i++) {
		bool dup = false;

		if (gr->pci_gsi[i] > 23 || gr->pci_gsi[i] == 2)
			return partition_fail(plan, -EINVAL,
					      "guest %c: pci %02x:%02x.%x: GSI %u is no I/O APIC "
					      "input for a device",
					      pg->letter, PARTITION_BDF_BUS(gr->pci[i]),
					      PARTITION_BDF_DEV(gr->pci[i]),
					      PARTITION_BDF_FN(gr->pci[i]), gr->pci_gsi[i]);
		/* The guest's 00:00.0 is its virtual host bridge (partition/pci_host_bridge.h). */
		if (gr->pci[i] == 0)
			return partition_fail(plan, -EINVAL,
					      "guest %c: pci 00:00.0 is the host bridge; a guest "
					      "sees a virtual one there and cannot own it",
					      pg->letter);

		for (size_t j = 0; j < pg->nr_pci; j++)
			dup |= pg->pci[j] == gr->pci[i];
		if (dup)
			continue;
		pg->pci_gsi[pg->nr_pci] = gr->pci_gsi[i];
		pg->pci[pg->nr_pci++] = gr->pci[i];
	}
	for (size_t i = 0; i < gr->nr_mmio; i++) {
		uint64_t b, e;

		if (gr->mmio[i].end <= gr->mmio[i].base || gr->mmio[i].end > PARTITION_PHYS_LIMIT)
			return partition_fail(plan, -EINVAL, "guest %c: bad mmio 0x%llx-0x%llx",
					      pg->letter, (unsigned long long)gr->mmio[i].base,
					      (unsigned long long)gr->mmio[i].end);
		rangeset_page_out(gr->mmio[i].base, gr->mmio[i].end - gr->mmio[i].base, &b, &e);
		err = partition_check_mmio_not_ram(plan, g, b, e);
		if (err)
			return err;
		if (rangeset_add(pg->mmio, &pg->nr_mmio, PARTITION_MAX_MMIO, b, e))
			goto too_many;
	}
	return 0;

too_many:
	return partition_fail(plan, -E2BIG, "guest %c: too many port or mmio ranges", pg->letter);
}

int partition_assign_devices(struct partition_plan *plan, const struct partition_request *req)
{
	int err;

	plan->nr_monitor_ports = 1; /* keep 0xcf8-0xcff from partition_plan_init() */
	plan->has_log_port = req->has_log_port;
	if (req->has_log_port) {
		if (req->log_port.first > req->log_port.last)
			return partition_fail(plan, -EINVAL, "bad log port range");
		plan->log_port = req->log_port;
		plan->monitor_ports[plan->nr_monitor_ports++] = req->log_port;
	}
	if (req->nr_monitor_ports > 16)
		return partition_fail(plan, -EINVAL, "too many monitor port ranges");
	for (size_t i = 0; i < req->nr_monitor_ports; i++) {
		if (req->monitor_ports[i].first > req->monitor_ports[i].last)
			return partition_fail(plan, -EINVAL, "bad monitor port range 0x%x-0x%x",
					      req->monitor_ports[i].first,
					      req->monitor_ports[i].last);
		plan->monitor_ports[plan->nr_monitor_ports++] = req->monitor_ports[i];
	}

	for (unsigned g = 0; g < PARTITION_NR_GUESTS; g++) {
		if (!req->guest[g].present)
			continue;
		err = partition_guest_devices(plan, g, &req->guest[g]);
		if (err)
			return err;
	}
	for (unsigned g = 0; g < PARTITION_NR_GUESTS; g++) {
		if (!plan->guest[g].present)
			continue;
		err = partition_check_devices(plan, g);
		if (err)
			return err;
	}
	return 0;
}
