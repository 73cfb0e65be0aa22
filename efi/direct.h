/* SPDX-License-Identifier: GPL-2.0-only */
/* The `direct` boot entry: one guest, started by the segment loader without the monitor. */
#ifndef TWINMON_EFI_DIRECT_H
#define TWINMON_EFI_DIRECT_H

#include <efi.h>

#include "guest-config/config.h"

/*
 * Load the guest of boot (CONFIG_BOOT_DIRECT_A or _B), leave boot services and jump to it.
 * Returns only on failure, while boot services still exist; the reason is logged.
 */
EFI_STATUS direct_boot(EFI_HANDLE image, EFI_FILE_HANDLE root, const struct twin_config *cfg,
		       uint32_t boot);

#endif
