// SPDX-License-Identifier: GPL-2.0-only
#include "efi/takeover.h"

#include <efilib.h>

#include "efi/direct.h"
#include "efi/efimap.h"
#include "efi/log.h"
#include "efi/platform.h"
#include "partition/memmap.h"

static void takeover_log_summary(const struct memmap *map, struct memmap_entry *scratch)
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

/*
 * Leave boot services and report the machine's memory. What the monitor entries do until the
 * monitor exists: everything up to the point where it would start the guests.
 */
static EFI_STATUS takeover_memory_report(EFI_HANDLE image)
{
	struct efimap m = { 0 };
	struct memmap_entry *scratch;
	EFI_STATUS status;

	status = efimap_prepare(&m);
	if (EFI_ERROR(status)) {
		log_printf("efi: cannot read the memory map (status 0x%lx)", (unsigned long)status);
		return status;
	}
	scratch = AllocatePool(m.map.capacity * sizeof(*scratch));
	if (!scratch) {
		log_printf("efi: out of memory for the memory map");
		return EFI_OUT_OF_RESOURCES;
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
	takeover_log_summary(&m.map, scratch);
	log_printf("twinmon: the SVM monitor is not part of this build yet; nothing to run");
	platform_power_off(RT, PLATFORM_EXIT_OK);
}

EFI_STATUS takeover_run(EFI_HANDLE image, EFI_FILE_HANDLE root, const struct twin_config *cfg,
			uint32_t boot)
{
	if (boot == CONFIG_BOOT_DIRECT_A || boot == CONFIG_BOOT_DIRECT_B) {
		direct_boot(image, root, cfg, boot);
		/* Still here: the guest could not be started; the reason is in the log. */
		log_printf("direct: guest %c not started",
			   config_guest_letter(boot == CONFIG_BOOT_DIRECT_B ? CONFIG_GUEST_B
									 : CONFIG_GUEST_A));
		platform_power_off(RT, PLATFORM_EXIT_FAILURE);
	}
	return takeover_memory_report(image);
}
