// SPDX-License-Identifier: GPL-2.0-only
#include "partition/memmap_efi.h"

#include "partition/memmap.h"

static const char *const memmap_efi_names[EFI_MT_COUNT] = {
	[EFI_MT_RESERVED] = "reserved",	     [EFI_MT_LOADER_CODE] = "loader-code",
	[EFI_MT_LOADER_DATA] = "loader-data", [EFI_MT_BS_CODE] = "bs-code",
	[EFI_MT_BS_DATA] = "bs-data",	     [EFI_MT_RT_CODE] = "rt-code",
	[EFI_MT_RT_DATA] = "rt-data",	     [EFI_MT_CONVENTIONAL] = "conventional",
	[EFI_MT_UNUSABLE] = "unusable",	     [EFI_MT_ACPI_RECLAIM] = "acpi-reclaim",
	[EFI_MT_ACPI_NVS] = "acpi-nvs",	     [EFI_MT_MMIO] = "mmio",
	[EFI_MT_MMIO_PORT] = "mmio-port",     [EFI_MT_PAL_CODE] = "pal-code",
	[EFI_MT_PERSISTENT] = "persistent",   [EFI_MT_UNACCEPTED] = "unaccepted",
};

uint32_t memmap_type_from_efi(uint32_t efi_type, uint64_t attribute)
{
	if (attribute & (EFI_MA_RUNTIME | EFI_MA_SPECIFIC)) {
		if (efi_type == EFI_MT_ACPI_NVS)
			return MEMMAP_NVS;
		if (efi_type == EFI_MT_MMIO || efi_type == EFI_MT_MMIO_PORT)
			return MEMMAP_MMIO;
		return MEMMAP_RESERVED;
	}
	switch (efi_type) {
	case EFI_MT_LOADER_CODE:
	case EFI_MT_LOADER_DATA:
	case EFI_MT_BS_CODE:
	case EFI_MT_BS_DATA:
	case EFI_MT_CONVENTIONAL:
		return MEMMAP_USABLE;
	case EFI_MT_ACPI_RECLAIM:
		return MEMMAP_ACPI;
	case EFI_MT_ACPI_NVS:
		return MEMMAP_NVS;
	case EFI_MT_MMIO:
	case EFI_MT_MMIO_PORT:
		return MEMMAP_MMIO;
	case EFI_MT_UNUSABLE:
		return MEMMAP_UNUSABLE;
	case EFI_MT_PERSISTENT:
		return MEMMAP_PERSISTENT;
	default:
		/*
		 * Runtime services, PAL code, unaccepted memory (it must be accepted before
		 * use, which twinmon does not do) and OEM/OS types are never handed out.
		 */
		return MEMMAP_RESERVED;
	}
}

const char *memmap_efi_type_name(uint32_t efi_type)
{
	if (efi_type < EFI_MT_COUNT)
		return memmap_efi_names[efi_type];
	return "oem";
}
