/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * UEFI memory types (UEFI spec, EFI_MEMORY_TYPE) as plain numbers, and their meaning once boot
 * services have exited. Kept free of UEFI headers so captured maps classify the same way on
 * the host as in the EFI app.
 */
#ifndef TWINMON_PARTITION_MEMMAP_EFI_H
#define TWINMON_PARTITION_MEMMAP_EFI_H

#include <stdint.h>

enum memmap_efi_type {
	EFI_MT_RESERVED = 0,
	EFI_MT_LOADER_CODE = 1,
	EFI_MT_LOADER_DATA = 2,
	EFI_MT_BS_CODE = 3,
	EFI_MT_BS_DATA = 4,
	EFI_MT_RT_CODE = 5,
	EFI_MT_RT_DATA = 6,
	EFI_MT_CONVENTIONAL = 7,
	EFI_MT_UNUSABLE = 8,
	EFI_MT_ACPI_RECLAIM = 9,
	EFI_MT_ACPI_NVS = 10,
	EFI_MT_MMIO = 11,
	EFI_MT_MMIO_PORT = 12,
	EFI_MT_PAL_CODE = 13,
	EFI_MT_PERSISTENT = 14,
	EFI_MT_UNACCEPTED = 15,
	EFI_MT_COUNT,
};

/* Descriptor attribute bits that change what a range may become. */
#define EFI_MA_RUNTIME	    0x8000000000000000ULL /* the firmware uses it at runtime */
#define EFI_MA_SPECIFIC	    0x0000000000040000ULL /* specific-purpose memory (EFI_MEMORY_SP) */

/*
 * Classify a UEFI descriptor after ExitBootServices. Loader code/data count as usable: the
 * monitor reserves what it keeps of its own image and allocations explicitly, by range. A
 * range the firmware marks for runtime use, or as specific-purpose memory, is never usable
 * whatever its type.
 */
uint32_t memmap_type_from_efi(uint32_t efi_type, uint64_t attribute);

/* Short stable name of a UEFI type ("conventional", "bs-data", ...), "oem" for others. */
const char *memmap_efi_type_name(uint32_t efi_type);

#endif
