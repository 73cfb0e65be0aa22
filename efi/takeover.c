// SPDX-License-Identifier: GPL-2.0-only
#include "efi/takeover.h"

#include <efilib.h>

#include "efi/direct.h"
#include "efi/twin.h"
#include "efi/log.h"
#include "efi/platform.h"

void takeover_run(EFI_HANDLE image, EFI_FILE_HANDLE root, const struct twin_config *cfg,
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
	twin_boot_run(image, root, cfg, boot);
	log_printf("twinmon: %s not started", config_boot_name(boot));
	platform_power_off(RT, PLATFORM_EXIT_FAILURE);
}
