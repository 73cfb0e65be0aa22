/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Taking the UEFI memory map and leaving boot services. The buffers are allocated up front
 * with slack, because once ExitBootServices has failed once only GetMemoryMap and
 * ExitBootServices may be called: no allocation can follow.
 */
#ifndef TWINMON_EFI_EFIMAP_H
#define TWINMON_EFI_EFIMAP_H

#include <efi.h>

#include "partition/memmap.h"

struct efimap {
	EFI_MEMORY_DESCRIPTOR *desc;	/* raw firmware descriptors */
	UINTN size;			/* bytes valid in desc */
	UINTN capacity;			/* bytes allocated for desc */
	UINTN key;
	UINTN desc_size;
	UINT32 desc_version;
	unsigned attempts;		/* ExitBootServices calls it took */
	struct memmap map;		/* converted, filled by efimap_convert() */
};

/* Allocate buffers for the current map plus slack and take a first snapshot. */
EFI_STATUS efimap_prepare(struct efimap *m);

/*
 * Re-read the map and exit boot services; retries while the map key is stale (the firmware
 * changed the map between the two calls). On success boot services are gone.
 */
EFI_STATUS efimap_exit_boot_services(EFI_HANDLE image, struct efimap *m);

/* Convert the raw descriptors into m->map (no allocation: uses the prepared buffer). */
void efimap_convert(struct efimap *m);

/* Log every descriptor in the captured-map text format (docs/partition.md). */
void efimap_log(const struct efimap *m, const char *prefix);

#endif
