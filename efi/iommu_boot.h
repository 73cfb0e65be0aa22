/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The IOMMU at boot, for the monitor's entries (docs/iommu.md): find it in the firmware's
 * ACPI tables while boot services run, build its tables in the monitor's pool once the
 * plan is made (or, without an IOMMU, refuse a plan whose guests own PCI functions unless
 * the config says dma = unconfined), and turn it on after ExitBootServices, before any guest.
 */
#ifndef TWINMON_EFI_IOMMU_BOOT_H
#define TWINMON_EFI_IOMMU_BOOT_H

#include <stdint.h>

#include "efi/prep.h"
#include "guest-config/config.h"
#include "iommu/iommu.h"

/* Look for an IOMMU; the pool bytes iommu_boot_build() will want (0: none found). */
uint64_t iommu_boot_probe(struct iommu *io);

/*
 * After prep_load: build the domains of p->plan from the pool, or without an IOMMU apply
 * cfg->dma. A refusal (no IOMMU, the IOMMU's own function given to a guest, an alias two
 * guests share) powers off with PLATFORM_EXIT_CONFIG, naming the functions.
 * 0, or a negative errno with the reason logged.
 */
int iommu_boot_build(struct iommu *io, struct prep *p, const struct twin_config *cfg);

/* After ExitBootServices: the IOMMU on, or nothing without one. 0, or a negative errno. */
int iommu_boot_enable(struct iommu *io);

#endif
