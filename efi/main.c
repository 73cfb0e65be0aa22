// SPDX-License-Identifier: GPL-2.0-only
/*
 * twinmon's UEFI entry. Debian's gnu-efi crt0 calls efi_main with the SysV convention, so it
 * is deliberately not EFIAPI (declared that way it reads the wrong registers).
 */
#include <efi.h>
#include <efilib.h>

#include "efi/efimap.h"
#include "efi/file.h"
#include "efi/log.h"
#include "efi/platform.h"
#include "partition/memmap.h"

#define TWINMON_CONFIG_PATH "\\EFI\\twinmon\\twinmon.conf"
#define TWINMON_CONFIG_MAX (256 * 1024)

#ifndef TWINMON_VERSION
#define TWINMON_VERSION "unknown"
#endif

EFI_STATUS efi_main(EFI_HANDLE image, EFI_SYSTEM_TABLE *st);

static void main_banner(EFI_SYSTEM_TABLE *st)
{
	char vendor[64];
	size_t n = 0;

	for (CHAR16 *v = st->FirmwareVendor; v && *v && n + 1 < sizeof(vendor); v++)
		vendor[n++] = *v < 0x80 ? (char)*v : '?';
	vendor[n] = '\0';
	log_printf("twinmon %s: two guests, one PC", TWINMON_VERSION);
	log_printf("efi: firmware %s rev 0x%x, UEFI %u.%u", vendor, st->FirmwareRevision,
		   st->Hdr.Revision >> 16, st->Hdr.Revision & 0xffff);
}

static void main_read_config(EFI_HANDLE image)
{
	EFI_FILE_HANDLE root = NULL;
	struct efi_file_buf cfg;
	EFI_STATUS st;

	st = file_open_esp(image, &root);
	if (EFI_ERROR(st)) {
		log_printf("efi: cannot open the boot volume: %s", file_status_str(st));
		return;
	}
	st = file_read(root, TWINMON_CONFIG_PATH, TWINMON_CONFIG_MAX, &cfg);
	if (EFI_ERROR(st)) {
		log_printf("efi: %s: %s", TWINMON_CONFIG_PATH, file_status_str(st));
		goto out;
	}
	size_t lines = 0;
	for (size_t i = 0; i < cfg.size; i++)
		lines += ((char *)cfg.data)[i] == '\n';
	log_printf("efi: read %s (%zu bytes, %zu lines)", TWINMON_CONFIG_PATH, cfg.size, lines);
	file_free(&cfg);
out:
	root->Close(root);
}

static void main_log_summary(const struct memmap *map, struct memmap_entry *scratch)
{
	struct memmap_summary s;

	if (memmap_summarize(map, scratch, &s) < 0) {
		log_printf("memory: cannot summarise the memory map");
		return;
	}
	log_printf("memory: %zu descriptors; usable %llu KiB (%llu MiB) in %zu ranges; "
		   "highest usable byte 0x%llx",
		   map->count, (unsigned long long)(s.usable_bytes >> 10),
		   (unsigned long long)(s.usable_bytes >> 20), s.usable_ranges,
		   (unsigned long long)(s.highest_usable_end ? s.highest_usable_end - 1 : 0));
	if (s.largest_size)
		log_printf("memory: largest free range 0x%llx-0x%llx (%llu KiB)",
			   (unsigned long long)s.largest_base,
			   (unsigned long long)(s.largest_base + s.largest_size - 1),
			   (unsigned long long)(s.largest_size >> 10));
}

EFI_STATUS efi_main(EFI_HANDLE image, EFI_SYSTEM_TABLE *st)
{
	struct efimap m = { 0 };
	struct memmap_entry *scratch;
	EFI_STATUS status;

	InitializeLib(image, st);
	log_init(st);
	/* The firmware watchdog would reset the machine after 5 minutes in the boot loader. */
	BS->SetWatchdogTimer(0, 0, 0, NULL);
	main_banner(st);
	main_read_config(image);

	status = efimap_prepare(&m);
	if (EFI_ERROR(status)) {
		log_printf("efi: cannot read the memory map (status 0x%lx)", (unsigned long)status);
		platform_power_off(RT, PLATFORM_EXIT_FAILURE);
	}
	scratch = AllocatePool(m.map.capacity * sizeof(*scratch));
	if (!scratch) {
		log_printf("efi: out of memory for the memory map");
		platform_power_off(RT, PLATFORM_EXIT_FAILURE);
	}
	log_printf("efi: exiting boot services");
	status = efimap_exit_boot_services(image, &m);
	if (EFI_ERROR(status)) {
		log_printf("efi: ExitBootServices failed after %u attempts (status 0x%lx)",
			   m.attempts, (unsigned long)status);
		platform_power_off(RT, PLATFORM_EXIT_FAILURE);
	}
	log_console_off();
	log_printf("efi: boot services exited (attempt %u)", m.attempts);

	efimap_convert(&m);
	efimap_log(&m, "memmap: ");
	main_log_summary(&m.map, scratch);

	/* No monitor yet: report and power off. */
	platform_power_off(RT, PLATFORM_EXIT_OK);
}
