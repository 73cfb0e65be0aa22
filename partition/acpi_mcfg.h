/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The host's PCI Express ECAM (MMCONFIG) window, read from the firmware's ACPI tables:
 * RSDP -> XSDT (or RSDT) -> MCFG, segment group 0 only. The tables are untrusted input
 * (firmware bugs are common): every length, checksum and pointer is checked before use, and
 * the memory is reached through a callback so the same code runs on the machine, in the unit
 * test and under the fuzzer.
 */
#ifndef TWINMON_PARTITION_ACPI_MCFG_H
#define TWINMON_PARTITION_ACPI_MCFG_H

#include <stddef.h>
#include <stdint.h>

/* One bus of ECAM is 1 MiB: 32 devices x 8 functions x 4 KiB. */
#define ACPI_ECAM_BUS_SHIFT	20

struct acpi_ecam {
	uint64_t base;		/* the address of bus 0 (as MCFG gives it), 0: no ECAM */
	uint8_t bus_start;	/* the buses the window decodes, inclusive */
	uint8_t bus_end;
};

/*
 * A host pointer to physical [pa, pa + len), or NULL when that memory cannot be read (the
 * walk then gives up). Identity on the machine; a buffer in the tests and the fuzzer.
 */
typedef const void *(*acpi_mcfg_map_fn)(void *ctx, uint64_t pa, uint64_t len);

/*
 * The segment 0 entry of one MCFG table (len bytes, header included). 0 and *out, -ENOENT
 * when it has none, -EINVAL for a malformed table (bad signature, length or checksum) or
 * entry (base 0 or not 1 MiB aligned, start bus above end bus, a window past 2^64).
 */
int acpi_mcfg_parse(const void *table, size_t len, struct acpi_ecam *out);

/*
 * Find MCFG from the RSDP at rsdp_pa and parse it. 0 and *out; -ENOENT (no MCFG, or no
 * segment 0 entry), -EINVAL (a malformed RSDP, XSDT/RSDT or MCFG), -EFAULT (map refused).
 */
int acpi_mcfg_find(acpi_mcfg_map_fn map, void *ctx, uint64_t rsdp_pa, struct acpi_ecam *out);

#endif
