// SPDX-License-Identifier: GPL-2.0-only
/*
 * The IOMMU's fault reports in the monitor's log: "iommu: guest a: 00:10.0: DMA write to
 * 0x8001000 blocked (IO_PAGE_FAULT)". A device can fault as fast as it can issue DMA, so
 * every line is paid from a log budget: the owner's event budget for its functions, the
 * monitor's own for functions no guest owns. The loop polls at most once a millisecond and
 * takes a bounded batch; what the IOMMU's log cannot hold meanwhile is reported as lost.
 */
#include <string.h>

#include "iommu/iommu.h"
#include "lib/fmt.h"
#include "monitor/core.h"

#define IOMMU_POLL_BATCH	16

static struct guest *monitor_iommu_guest(struct monitor *m, char letter)
{
	for (unsigned i = 0; letter && i < MONITOR_MAX_GUESTS; i++)
		if (m->guest[i].present && m->guest[i].letter == letter)
			return &m->guest[i];
	return NULL;
}

static void monitor_iommu_report(struct monitor *m, const struct iommu_fault *f, uint64_t now)
{
	char line[160];
	struct guest *g = monitor_iommu_guest(m, f->owner);
	char who[16] = "no guest";
	uint64_t dropped_lines = m->iommu_budget.dropped_lines;

	if (g)
		fmt_snprintf(who, sizeof(who), "guest %c", g->letter);
	if (f->unnamed)
		fmt_snprintf(line, sizeof(line), "iommu: DMA blocked: the IOMMU %02x:%02x.%x "
			     "signalled a target abort, but its event log names no function",
			     PARTITION_BDF_BUS(f->devid), PARTITION_BDF_DEV(f->devid),
			     PARTITION_BDF_FN(f->devid));
	else if (f->page_fault)
		fmt_snprintf(line, sizeof(line), "iommu: %s: %02x:%02x.%x: DMA %s 0x%llx blocked (%s)",
			     who, PARTITION_BDF_BUS(f->devid), PARTITION_BDF_DEV(f->devid),
			     PARTITION_BDF_FN(f->devid), f->write ? "write to" : "read from",
			     (unsigned long long)f->addr, f->what);
	else
		fmt_snprintf(line, sizeof(line), "iommu: %s: %02x:%02x.%x: %s (address 0x%llx)",
			     who, PARTITION_BDF_BUS(f->devid), PARTITION_BDF_DEV(f->devid),
			     PARTITION_BDF_FN(f->devid), f->what, (unsigned long long)f->addr);
	/*
	 * Each guest's faults have a budget of their own, which only the poller (under
	 * iommu_lock) touches: its event budget is its own CPU's to write.
	 */
	struct log_budget *b = g ? &g->iommu_budget : &m->iommu_budget;

	if (g)
		dropped_lines = b->dropped_lines;
	if (!log_budget_take(b, strlen(line), now, m->tsc_khz))
		return;
	log_budget_take_dropped(b);
	if (dropped_lines)
		monitor_log(m, "iommu: %llu fault reports of %s's functions dropped (over budget)",
			    (unsigned long long)dropped_lines, g ? who : "no guest");
	monitor_log(m, "%s", line);
}

void monitor_iommu_poll(struct monitor *m, uint64_t now)
{
	struct iommu_fault f[IOMMU_POLL_BATCH];
	uint64_t lost = 0;
	size_t n;

	if (!m->iommu || now - m->iommu_polled < m->tsc_khz)
		return;
	/* Whichever CPU comes first polls; the others go on with their guests. */
	if (!spinlock_trylock(&m->iommu_lock))
		return;
	if (now - m->iommu_polled < m->tsc_khz) {
		spinlock_unlock(&m->iommu_lock);
		return;
	}
	m->iommu_polled = now;
	/* The poll may reach the IOMMU's own configuration registers (mechanism #1). */
	spinlock_lock(&m->pci_lock);
	n = iommu_poll(m->iommu, f, IOMMU_POLL_BATCH, &lost);
	spinlock_unlock(&m->pci_lock);
	for (size_t i = 0; i < n; i++)
		monitor_iommu_report(m, &f[i], now);
	/* A device that faults faster than this drains overflows the log every poll: the
	 * notice is paid from the budget too. */
	if (lost && log_budget_take(&m->iommu_budget, 60, now, m->tsc_khz))
		monitor_log(m, "iommu: its event log overflowed: fault reports were lost");
	spinlock_unlock(&m->iommu_lock);
}
