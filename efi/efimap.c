// SPDX-License-Identifier: GPL-2.0-only
#include "efi/efimap.h"

#include <efilib.h>

#include "efi/log.h"
#include "partition/memmap_efi.h"

#define EFIMAP_SLACK_DESCS 32
#define EFIMAP_EXIT_ATTEMPTS 8

static EFI_STATUS efimap_read(struct efimap *m)
{
	m->size = m->capacity;
	return BS->GetMemoryMap(&m->size, m->desc, &m->key, &m->desc_size, &m->desc_version);
}

EFI_STATUS efimap_prepare(struct efimap *m)
{
	EFI_STATUS st;
	UINTN size = 0;

	st = BS->GetMemoryMap(&size, NULL, &m->key, &m->desc_size, &m->desc_version);
	if (st != EFI_BUFFER_TOO_SMALL)
		return EFI_ERROR(st) ? st : EFI_DEVICE_ERROR;

	/*
	 * Our own allocations below add descriptors, and the firmware may split more before
	 * we exit: leave room so no allocation is ever needed after the first attempt.
	 */
	m->capacity = size + EFIMAP_SLACK_DESCS * m->desc_size;
	m->desc = AllocatePool(m->capacity);
	if (!m->desc)
		return EFI_OUT_OF_RESOURCES;
	size_t max_entries = m->capacity / m->desc_size;
	m->map.entries = AllocatePool(max_entries * sizeof(*m->map.entries));
	if (!m->map.entries) {
		FreePool(m->desc);
		m->desc = NULL;
		return EFI_OUT_OF_RESOURCES;
	}
	m->map.capacity = max_entries;
	m->map.count = 0;
	m->attempts = 0;
	return efimap_read(m);
}

EFI_STATUS efimap_exit_boot_services(EFI_HANDLE image, struct efimap *m)
{
	EFI_STATUS st = EFI_INVALID_PARAMETER;

	for (m->attempts = 1; m->attempts <= EFIMAP_EXIT_ATTEMPTS; m->attempts++) {
		st = efimap_read(m);
		if (EFI_ERROR(st))
			return st;
		st = BS->ExitBootServices(image, m->key);
		if (st != EFI_INVALID_PARAMETER)
			return st;
		/* Stale key: an event changed the map in between. Take it again. */
	}
	return st;
}

void efimap_convert(struct efimap *m)
{
	UINTN n = m->size / m->desc_size;
	m->map.count = 0;

	for (UINTN i = 0; i < n && m->map.count < m->map.capacity; i++) {
		EFI_MEMORY_DESCRIPTOR *d =
			(EFI_MEMORY_DESCRIPTOR *)((UINT8 *)m->desc + i * m->desc_size);
		struct memmap_entry *e = &m->map.entries[m->map.count++];
		e->base = d->PhysicalStart;
		e->size = d->NumberOfPages * MEMMAP_PAGE_SIZE;
		e->efi_type = d->Type;
		e->type = memmap_type_from_efi(d->Type, d->Attribute);
	}
}

void efimap_log(const struct efimap *m, const char *prefix)
{
	UINTN n = m->size / m->desc_size;

	for (UINTN i = 0; i < n; i++) {
		EFI_MEMORY_DESCRIPTOR *d =
			(EFI_MEMORY_DESCRIPTOR *)((UINT8 *)m->desc + i * m->desc_size);
		log_printf("%s%-12s 0x%016llx %10llu 0x%016llx", prefix,
			   memmap_efi_type_name(d->Type), (unsigned long long)d->PhysicalStart,
			   (unsigned long long)d->NumberOfPages, (unsigned long long)d->Attribute);
	}
}
