/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Taking over the machine for the chosen menu entry: load what the entry needs while boot
 * services still exist, leave them, and start the guest(s).
 */
#ifndef TWINMON_EFI_TAKEOVER_H
#define TWINMON_EFI_TAKEOVER_H

#include <efi.h>

#include "guest-config/config.h"

/*
 * Start the entry boot (any enum config_boot but CONFIG_BOOT_EXIT). Never returns: a guest
 * that cannot be started is logged and the machine powered off with a failure status.
 */
__attribute__((noreturn)) void takeover_run(EFI_HANDLE image, EFI_FILE_HANDLE root,
					    const struct twin_config *cfg, uint32_t boot);

#endif
