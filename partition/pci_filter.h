/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * PCI configuration access filtering. Both guests' accesses to ports 0xcf8-0xcff and to the
 * ECAM (MMCONFIG) window trap to the monitor, which asks these functions what to do: a
 * guest sees its own functions and nothing else. Other functions read as all ones (what an
 * empty slot returns, so the guest's bus scan skips them) and writes to them are dropped.
 *
 * In its own functions a guest may not write what would reach beyond them: a bridge's bus
 * numbers, windows and bridge control, the SR-IOV and Resizable BAR capabilities (which
 * also drop out of the extended capability list it reads), any part of a BAR narrower than
 * the whole dword, and a BAR value other than all ones (sizing, with decoding off) or the
 * firmware's. The first checks need only the access (pci_filter_port, pci_filter_ecam); the
 * value and the function's decode state are checked by pci_filter_write after them.
 */
#ifndef TWINMON_PARTITION_PCI_FILTER_H
#define TWINMON_PARTITION_PCI_FILTER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "partition/devices.h"
#include "partition/partition.h"

#define PCI_CFG_ADDR	0xcf8
#define PCI_CFG_DATA	0xcfc
#define PCI_RESET_CTRL	0xcf9	/* chipset reset control: bit 2 starts a reset */
#define PCI_CF8_ENABLE	0x80000000u

enum pci_filter_action {
	PCI_FILTER_ALLOW,	/* do the access on the hardware, with d->bdf and d->reg */
	PCI_FILTER_READ_ONES,	/* complete the read with all ones */
	PCI_FILTER_DROP_WRITE,	/* complete the write without doing it */
	PCI_FILTER_LATCH_ADDR,	/* a 32-bit write to 0xcf8: keep it as the guest's address */
	PCI_FILTER_READ_ADDR,	/* a 32-bit read of 0xcf8: return the guest's latched address */
	PCI_FILTER_RESET,	/* a reset through 0xcf9: the guest asks to reboot */
	PCI_FILTER_READ_VALUE,	/* complete the read with d->value (a capability list fixed up) */
	/* 00:00.0 of a guest with functions: the virtual host bridge (pci_host_bridge.h) */
	PCI_FILTER_HOST_BRIDGE,
};

struct pci_filter {
	char letter;			/* 'a', 'b': for the log */
	uint8_t owned[65536 / 8];	/* one bit per bus:dev.fn */
	uint8_t ecam_bus_start, ecam_bus_end;	/* the ECAM window's buses (MCFG) */
	/* What the boot scan found on the owned functions (partition/pci_fn.h). */
	size_t nr_fn;
	struct partition_pci_fn fn[PARTITION_MAX_PCI];
	bool host_bridge;		/* 00:00.0 is the virtual host bridge (it owns functions) */
};

struct pci_filter_decision {
	uint32_t action;	/* enum pci_filter_action */
	uint16_t bdf;
	uint16_t reg;		/* byte offset in the function's config space */
	bool bar_write;		/* an allowed dword write to a BAR or ROM BAR: pci_filter_write */
	uint32_t value;		/* PCI_FILTER_READ_VALUE: the read's result */
	char log[112];		/* why an access was refused; "" for allowed ones */
};

enum pci_filter_write_result {
	PCI_WRITE_OK,		/* write *val as it is */
	PCI_WRITE_CHANGED,	/* write the changed *val; d->log says what changed */
	PCI_WRITE_REFUSED,	/* drop the write; d->log says why */
};

void pci_filter_init(struct pci_filter *f, char letter, uint8_t ecam_bus_start,
		     uint8_t ecam_bus_end);
void pci_filter_own(struct pci_filter *f, uint16_t bdf);
bool pci_filter_owns(const struct pci_filter *f, uint16_t bdf);

/*
 * The filter for guest g of a built plan, owning the plan's PCI functions; with any, 00:00.0
 * is its virtual host bridge.
 */
int partition_pci_filter(struct partition_plan *plan, unsigned g, uint8_t ecam_bus_start,
			 uint8_t ecam_bus_end, struct pci_filter *f);

/*
 * An access of width bytes at port (0xcf8..0xcff). cf8 is the guest's latched address;
 * value matters only for writes (0xcf9 reset detection).
 */
void pci_filter_port(const struct pci_filter *f, uint32_t cf8, uint16_t port, unsigned width,
		     bool write, uint32_t value, struct pci_filter_decision *d);

/* An access of width bytes at offset from the ECAM base (bus 0's address, as in MCFG). */
void pci_filter_ecam(const struct pci_filter *f, uint64_t offset, unsigned width, bool write,
		     struct pci_filter_decision *d);

/*
 * The value of a write the filter allowed (d from pci_filter_port or pci_filter_ecam), with
 * hw reading the function's registers as they are now. A BAR write is refused unless it is
 * the firmware's value, or all ones (address bits of the ROM BAR) while I/O and memory
 * decoding are off. A command write that turns decoding on while a BAR is not back at the
 * firmware's value (left sized) has the decode bits cleared. width is 1, 2 or 4.
 */
enum pci_filter_write_result pci_filter_write(const struct pci_filter *f,
					      struct pci_filter_decision *d, unsigned width,
					      uint32_t *val, const struct partition_pci_ops *hw);

/* The boot facts of an owned function, or NULL. */
const struct partition_pci_fn *pci_filter_fn(const struct pci_filter *f, uint16_t bdf);

#endif
