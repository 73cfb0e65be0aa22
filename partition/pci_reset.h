/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Resetting a guest's function before it starts and when it restarts, so that nothing the
 * function was told in a previous life (DMA addresses, MSI messages, a moved BAR) outlives
 * it. With Function Level Reset the function starts over and gets the firmware's BARs and
 * command register back; without it, bus mastering, decoding, MSI and MSI-X are turned off
 * and the BARs put back, which stops its DMA and interrupts but not its internal state.
 */
#ifndef TWINMON_PARTITION_PCI_RESET_H
#define TWINMON_PARTITION_PCI_RESET_H

#include <stddef.h>
#include <stdint.h>

#include "partition/devices.h"

#define PCI_RESET_FLR_WAIT_US	100000	/* after an FLR, before the function is used (PCIe) */
#define PCI_RESET_READY_MAX_US	1000000	/* then how long it may still answer "not ready" */
#define PCI_RESET_PENDING_US	100000	/* how long to let outstanding transactions finish */
#define PCI_RESET_POLL_US	10000

struct pci_reset_ops {
	const struct partition_pci_ops *cfg;	/* the function's registers, dword at a time */
	void (*wait_us)(void *ctx, uint32_t us);	/* a busy wait (TSC) */
	void *ctx;
};

/*
 * Reset fn (facts from the boot scan). how gets what was done ("FLR", or "bus master,
 * decoding, MSI and MSI-X off"). 0, or -ETIMEDOUT when the function did not answer after an
 * FLR (its BARs and command register are then left as the reset made them: decoding off).
 */
int partition_pci_reset(const struct pci_reset_ops *ops, const struct partition_pci_fn *fn,
			char *how, size_t len);

#endif
