// SPDX-License-Identifier: GPL-2.0-only
/*
 * A guest's PCI functions are reset before it first runs and at each restart
 * (partition/pci_reset.h), so that DMA and interrupts its previous life set up, or the
 * firmware left running, never land in the new one.
 */
#include "monitor/vpci.h"

#include "partition/pci_filter.h"
#include "partition/pci_reset.h"

/*
 * The waits are busy, by the TSC: the other guest does not run meanwhile (100 ms per
 * function with FLR; one that stays silent holds it up to 1.1 s).
 */
static void vpci_reset_wait(void *ctx, uint32_t us)
{
	struct monitor *m = ctx;
	uint64_t start = m->plat->now(m->plat->ctx);
	uint64_t cycles = monitor_us_to_cycles(us, m->tsc_khz);

	while (m->plat->now(m->plat->ctx) - start < cycles)
		__asm__ volatile("pause");
}

void vpci_reset_functions(struct monitor *m, struct guest *g)
{
	const struct pci_filter *f = g->boot->pci;
	struct partition_pci_ops cfg = vpci_hw_ops(m);
	struct pci_reset_ops ops = { &cfg, vpci_reset_wait, m };
	char how[64];

	for (size_t i = 0; f && i < f->nr_fn; i++) {
		const struct partition_pci_fn *fn = &f->fn[i];
		int err = partition_pci_reset(&ops, fn, how, sizeof(how));

		monitor_log(m, "monitor: guest %c: %02x:%02x.%x reset (%s)%s", g->letter,
			    PARTITION_BDF_BUS(fn->bdf), PARTITION_BDF_DEV(fn->bdf),
			    PARTITION_BDF_FN(fn->bdf), how, err ? ": it stays off" : "");
	}
}
