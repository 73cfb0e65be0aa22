// SPDX-License-Identifier: GPL-2.0-only
#include "partition/pci_reset.h"

#include <errno.h>

#include "lib/fmt.h"
#include "partition/pci_fn.h"

#define PCI_VENDOR_NOT_READY	0x0001	/* Configuration Request Retry Status, as software sees it */
#define PCI_MSI_ENABLE		0x00010000u	/* in the capability's first dword */
#define PCI_MSIX_ENABLE		0x80000000u

static uint32_t pci_reset_read(const struct pci_reset_ops *ops, uint16_t bdf, unsigned reg)
{
	return ops->cfg->read32(ops->cfg->ctx, bdf, (uint16_t)reg);
}

static void pci_reset_write(const struct pci_reset_ops *ops, uint16_t bdf, unsigned reg,
			    uint32_t val)
{
	ops->cfg->write32(ops->cfg->ctx, bdf, (uint16_t)reg, val);
}

/*
 * The command register alone: the status register above it has write-one-to-clear bits,
 * which the zeros written there leave alone.
 */
static void pci_reset_command(const struct pci_reset_ops *ops, uint16_t bdf, uint16_t cmd)
{
	pci_reset_write(ops, bdf, PCI_REG_COMMAND, cmd);
}

/* Bus mastering and decoding off; the rest of the command register as it is. */
static void pci_reset_quiesce(const struct pci_reset_ops *ops, uint16_t bdf)
{
	uint32_t cmd = pci_reset_read(ops, bdf, PCI_REG_COMMAND);

	pci_reset_command(ops, bdf, (uint16_t)(cmd & ~(PCI_COMMAND_MASTER | PCI_COMMAND_IO |
						     PCI_COMMAND_MEMORY)));
}

/* Whether the function still has transactions outstanding (it is told to stop first). */
static bool pci_reset_pending(const struct pci_reset_ops *ops, const struct partition_pci_fn *fn)
{
	if (fn->pcie)
		return (pci_reset_read(ops, fn->bdf, fn->pcie + PCI_EXP_DEVCTL) >> 16) &
		       PCI_EXP_DEVSTA_TRPND;
	return pci_reset_read(ops, fn->bdf, fn->af + PCI_AF_CTRL) & PCI_AF_STATUS_TP;
}

static void pci_reset_restore_bars(const struct pci_reset_ops *ops,
				   const struct partition_pci_fn *fn)
{
	uint16_t rom = partition_pci_fn_rom_reg(fn->header);

	for (unsigned i = 0; i < partition_pci_fn_nr_bars(fn->header); i++)
		pci_reset_write(ops, fn->bdf, PCI_REG_BAR0 + 4 * i, fn->bar[i]);
	if (rom)
		pci_reset_write(ops, fn->bdf, rom, fn->rom);
}

static int pci_reset_flr(const struct pci_reset_ops *ops, const struct partition_pci_fn *fn,
			 char *how, size_t len)
{
	uint32_t waited = 0, id;

	/* No new DMA, then a moment for what is in flight: an FLR drops it. */
	pci_reset_quiesce(ops, fn->bdf);
	while (pci_reset_pending(ops, fn) && waited < PCI_RESET_PENDING_US) {
		ops->wait_us(ops->ctx, PCI_RESET_POLL_US);
		waited += PCI_RESET_POLL_US;
	}
	if (fn->pcie) {
		uint32_t ctl = pci_reset_read(ops, fn->bdf, fn->pcie + PCI_EXP_DEVCTL) & 0xffff;

		pci_reset_write(ops, fn->bdf, fn->pcie + PCI_EXP_DEVCTL, ctl | PCI_EXP_DEVCTL_FLR);
	} else {
		pci_reset_write(ops, fn->bdf, fn->af + PCI_AF_CTRL, 1);
	}
	ops->wait_us(ops->ctx, PCI_RESET_FLR_WAIT_US);
	/* Then it may still answer "retry" (or nothing) a while before it is ready. */
	for (waited = 0;; waited += PCI_RESET_FLR_WAIT_US) {
		id = pci_reset_read(ops, fn->bdf, PCI_REG_ID) & 0xffff;
		if (id != 0xffff && id != PCI_VENDOR_NOT_READY)
			break;
		if (waited >= PCI_RESET_READY_MAX_US) {
			fmt_snprintf(how, len, "FLR, then no answer after %u ms",
				     (PCI_RESET_FLR_WAIT_US + waited) / 1000);
			return -ETIMEDOUT;
		}
		ops->wait_us(ops->ctx, PCI_RESET_FLR_WAIT_US);
	}
	pci_reset_restore_bars(ops, fn);
	pci_reset_command(ops, fn->bdf, fn->command);
	fmt_snprintf(how, len, "FLR");
	return 0;
}

int partition_pci_reset(const struct pci_reset_ops *ops, const struct partition_pci_fn *fn,
			char *how, size_t len)
{
	if (fn->flr && (fn->pcie || fn->af))
		return pci_reset_flr(ops, fn, how, len);
	pci_reset_quiesce(ops, fn->bdf);
	if (fn->msi)
		pci_reset_write(ops, fn->bdf, fn->msi,
				pci_reset_read(ops, fn->bdf, fn->msi) & ~PCI_MSI_ENABLE);
	if (fn->msix)
		pci_reset_write(ops, fn->bdf, fn->msix,
				pci_reset_read(ops, fn->bdf, fn->msix) & ~PCI_MSIX_ENABLE);
	/* Decoding is off: putting the BARs back moves nothing live. */
	pci_reset_restore_bars(ops, fn);
	fmt_snprintf(how, len, "bus master, decoding, MSI and MSI-X off");
	return 0;
}
