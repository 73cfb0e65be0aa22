/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The IOMMU behind a vendor-neutral interface (docs/iommu.md): find it in the firmware's
 * ACPI tables, build one DMA domain per guest that maps exactly that guest's RAM (one to
 * one: guest-physical == host-physical), block every function no guest owns, enable it
 * before any guest runs, and read its fault reports afterwards.
 *
 *   iommu_probe_ivrs()  an AMD-Vi IOMMU from the IVRS table (Intel VT-d, from DMAR, is to
 *                       follow as a second backend behind these same calls)
 *   iommu_pages()       how many pages iommu_build() may take from its pool
 *   iommu_build()       the tables, in memory the monitor reserved (boot services still up)
 *   iommu_enable()      program the registers (after ExitBootServices, before any guest)
 *   iommu_poll()        the faults reported since the last call (the monitor's loop)
 *   iommu_msi_route()   let a guest's function send one of the monitor's MSI vectors
 *
 * Everything but iommu_enable() and iommu_poll() is pure C on memory (host-tested); those two
 * touch the IOMMU's registers at the addresses the firmware gave (identity mapped).
 *
 * Callers see only these calls, struct iommu_fault and io->kind. A second backend adds its
 * kind, its probe (iommu_probe_dmar() for VT-d), its state beside the AMD-Vi fields below,
 * and a case in each call of iommu.c; the owner table, the per-guest plan walk and the
 * monitor's reporting stay as they are.
 */
#ifndef TWINMON_IOMMU_IOMMU_H
#define TWINMON_IOMMU_IOMMU_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "iommu/amdvi.h"
#include "lib/spinlock.h"
#include "iommu/ivrs.h"
#include "iommu/pool.h"
#include "partition/devices.h"
#include "partition/partition.h"

#define IOMMU_ERR_MAX		160
/* Each owned function, and the alias its DMA may carry. */
#define IOMMU_MAX_OWNED		(PARTITION_NR_GUESTS * PARTITION_MAX_PCI * 2)

enum iommu_kind {
	IOMMU_NONE,
	IOMMU_AMDVI,
};

/* One DMA (or other) fault the IOMMU reported. */
struct iommu_fault {
	uint16_t devid;		/* requester: bus << 8 | dev << 3 | fn */
	char owner;		/* 'a', 'b': the guest that owns it; 0: no guest */
	bool page_fault;	/* a blocked access (else another event, named in what) */
	bool write;
	uint64_t addr;		/* the address the device used */
	const char *what;	/* the vendor's name of the event ("IO_PAGE_FAULT") */
	/* No event named it: the IOMMU's function (devid) signalled a target abort, which is
	 * how it refuses a request, while its event log stayed empty (QEMU 7.2's never fills). */
	bool unnamed;
};

struct iommu_owned {
	uint16_t devid;
	char letter;
	uint64_t irt_pa;	/* its interrupt remapping table (io->intremap), else 0 */
	uint32_t *irt;
};

struct iommu {
	enum iommu_kind kind;
	struct ivrs ivrs;
	/* AMD-Vi state: one device table for all units. */
	size_t nr_units;
	struct amdvi_unit amdvi[IVRS_MAX_UNITS];
	uint64_t devtab_pa;
	uint64_t *devtab;
	size_t nr_domains;
	uint16_t domid[PARTITION_NR_GUESTS];
	uint64_t root_pa[PARTITION_NR_GUESTS];
	size_t nr_owned;
	struct iommu_owned owned[IOMMU_MAX_OWNED];
	bool enabled;
	/* Interrupts remapped (the IVRS names an I/O APIC): every owned function sends only the
	 * vectors iommu_msi_route() gave it. False only when no guest owns a function. */
	bool intremap;
	/* The interrupt tables and the units' command rings, which the CPU of any guest that
	 * enables an MSI writes (iommu_msi_route): one at a time. */
	struct spinlock lock;
	/* Configuration access to the IOMMU's own function, or NULL (iommu_poll() then relies
	 * on the event log alone). */
	const struct partition_pci_ops *pci;
	char err[IOMMU_ERR_MAX];
};

/* "AMD-Vi", or "none". */
const char *iommu_name(const struct iommu *io);

/* Describe the AMD-Vi IOMMU(s) an IVRS table lists. 0, or a negative errno (io->err). */
int iommu_probe_ivrs(struct iommu *io, const void *table, size_t len);

/* A bound on iommu_pages() before there is a plan: any guests' RAM below max_end. */
size_t iommu_pages_bound(const struct iommu *io, uint64_t max_end);

/* Pages iommu_build() may need for this plan (device table, rings, every guest's domain). */
size_t iommu_pages(const struct iommu *io, const struct partition_plan *plan);

/*
 * Build the domains and the device table from pool: each present guest's domain maps its
 * RAM (plan->guest[].ram) and nothing else; its functions (plan->guest[].pci) and their
 * aliases are attached to it, each with an empty interrupt remapping table; every other
 * requester ID is blocked, and its interrupts refused but for the I/O APICs' and HPETs'.
 * Refuses a plan that gives a guest the IOMMU's own function, or an alias another guest's
 * function uses (-EPERM, -EBUSY), or any function when the IOMMU does not remap interrupts
 * (-EOPNOTSUPP). 0, or a negative errno with the reason in io->err.
 */
int iommu_build(struct iommu *io, const struct partition_plan *plan, struct iommu_pool *pool);

/*
 * Every function a guest owns, and the alias its DMA carries, is named by some unit's IVHD
 * device entries: a requester ID no IVHD names is not translated at all, so its DMA would go
 * unconfined. 0, or -ENXIO with the function in io->err (only dma = unconfined accepts it).
 */
int iommu_check_scope(struct iommu *io, const struct partition_plan *plan);

/* The size of a unit's register block: 512 KiB with performance counters, else 16 KiB. */
uint64_t iommu_regs_size(const struct ivrs_unit *u);

/*
 * No guest's mmio range or memory BAR overlaps a unit's register block (whoever writes there
 * reprograms the IOMMU). 0, or -EBUSY with the guest and the range in plan->err.
 */
int iommu_check_regs(const struct iommu *io, struct partition_plan *plan);

/* Turn every unit on with the tables iommu_build() made. 0, or -ETIMEDOUT (io->err). */
int iommu_enable(struct iommu *io);

/*
 * Up to max faults reported since the last call, oldest first, with their owners; *lost
 * grows by the units whose log overflowed. Cheap when nothing happened (a memory and two
 * register reads per unit); nothing before iommu_enable().
 */
size_t iommu_poll(struct iommu *io, struct iommu_fault *out, size_t max, uint64_t *lost);

/*
 * Function devid (a guest's, as planned) may send vector, delivered fixed to the physical
 * APIC ID dest, with an MSI whose data is the vector itself (the vector is the index in its
 * table, and in its alias's); no other owned function may send that vector any more. Once
 * enabled, the unit's cached tables are invalidated and waited for. 0 (also when interrupts
 * are not remapped: the message goes as written), -ENOENT (no guest owns devid), -EINVAL (a
 * vector below 16), -ETIMEDOUT.
 */
int iommu_msi_route(struct iommu *io, uint16_t devid, uint8_t vector, uint8_t dest);

/* The guest that owns requester devid ('a', 'b'), or 0. */
char iommu_owner(const struct iommu *io, uint16_t devid);

#endif
