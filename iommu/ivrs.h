/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The firmware's IVRS ACPI table (AMD I/O Virtualization Reporting Structure): which AMD
 * IOMMUs the platform has, where their registers are, and which requester IDs reach a
 * function's DMA under another name (aliases, e.g. behind a PCIe-to-PCI bridge). The table is
 * untrusted input: every length is checked against the table's own and the buffer's.
 *
 * IVHD blocks of types 0x10, 0x11 and 0x40 describe the same IOMMU (a firmware lists it once
 * per type it supports); units are told apart by their register base, and a later block's
 * extended-feature image fills in what type 0x10 lacks. Memory definitions (IVMD) are
 * counted, not used: twinmon maps a domain exactly its guest's RAM (docs/iommu.md).
 * Pure C.
 */
#ifndef TWINMON_IOMMU_IVRS_H
#define TWINMON_IOMMU_IVRS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define IVRS_MAX_UNITS		8
#define IVRS_MAX_ALIASES	64
#define IVRS_MAX_SPECIAL	16
#define IVRS_MAX_SCOPE		64	/* requester ID ranges a unit (adjacent ones merged) */
#define IVRS_ERR_MAX		96
#define IVRS_SPECIAL_IOAPIC	1
#define IVRS_SPECIAL_HPET	2
#define IVRS_HEADER_LEN		48	/* ACPI header, IVinfo, reserved */

struct ivrs_unit {
	uint64_t base;			/* register block, 16 KiB */
	uint16_t devid;			/* the IOMMU's own PCI function (bus << 8 | devfn) */
	uint16_t cap;			/* its capability's offset in configuration space */
	uint16_t segment;		/* PCI segment */
	uint8_t type;			/* the highest IVHD type seen for it */
	uint8_t flags;			/* IVHD flags of that block */
	bool has_efr;			/* efr read from an IVHD of type 0x11 or 0x40 */
	uint64_t efr;
	uint32_t max_devid;		/* the highest requester ID its entries name */
	/* The requester IDs its device entries put behind it (select all, select, ranges,
	 * alias and extended entries; for an alias entry both the function and its alias): a
	 * requester ID outside every unit's scope is not translated at all. */
	size_t nr_scope;
	struct ivrs_range {
		uint16_t first, last;
	} scope[IVRS_MAX_SCOPE];
};

struct ivrs_alias {
	uint16_t devid;			/* the function */
	uint16_t alias;			/* the requester ID its DMA carries */
};

/* A special device entry (type 0x48): the requester ID an I/O APIC's or HPET's interrupts
 * carry. */
struct ivrs_special {
	uint8_t variety;		/* IVRS_SPECIAL_IOAPIC, IVRS_SPECIAL_HPET */
	uint8_t handle;			/* its I/O APIC ID or HPET number */
	uint16_t devid;
};

struct ivrs {
	uint32_t ivinfo;
	size_t nr_units;
	struct ivrs_unit unit[IVRS_MAX_UNITS];
	size_t nr_aliases;
	struct ivrs_alias alias[IVRS_MAX_ALIASES];
	size_t nr_special;
	struct ivrs_special special[IVRS_MAX_SPECIAL];
	size_t nr_ivmd;
	char err[IVRS_ERR_MAX];		/* why ivrs_parse() failed */
};

/*
 * Parse len bytes of an IVRS table (from its "IVRS" signature). 0, or -EINVAL (malformed),
 * -E2BIG (more units or aliases than fit) with the reason in out->err.
 */
int ivrs_parse(const void *table, size_t len, struct ivrs *out);

/* The unit whose IVHD device entries cover requester ID devid, or NULL: none translates it. */
const struct ivrs_unit *ivrs_unit_of(const struct ivrs *iv, uint16_t devid);

/* The requester ID devid's DMA carries: its alias, or devid itself. */
uint16_t ivrs_alias_of(const struct ivrs *iv, uint16_t devid);

#endif
