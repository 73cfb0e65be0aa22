/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * PCI in staging (efi/prep_pci.c): the host's ECAM window, read once from the firmware's MCFG
 * while boot services run, and each guest's PCI view in its ACPI tables and e820
 * (docs/monitor.md, "PCI view").
 */
#ifndef TWINMON_EFI_PREP_PCI_H
#define TWINMON_EFI_PREP_PCI_H

#include "efi/prep.h"
#include "partition/acpi.h"

/* p->ecam from the firmware's MCFG, segment 0 (base 0 and a log line when there is none). */
void prep_host_ecam(struct prep *p);

/*
 * Once the plan is built, before guest gi's e820 and tables: its bus range and whether its
 * MCFG can name the host's ECAM, then p->pci (its BARs and INTx), then the check that none of
 * its MMIO maps the host's ECAM (it would reach every function past the filter). 0 or -errno
 * (logged).
 */
int prep_guest_pci_read(struct prep *p, unsigned gi);

/*
 * Its PCI root bridge (one window per BAR it owns, one _PRT entry per routed (slot, pin) of
 * the root bus) and MCFG in ag, its ECAM window reserved in its e820. Nothing without
 * functions. ag->pci points at static storage, valid until the next call.
 */
int prep_guest_acpi_pci(struct prep *p, unsigned gi, struct acpi_guest *ag);

#endif
