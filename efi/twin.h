/* SPDX-License-Identifier: GPL-2.0-only */
/* The monitor's entries: twin mode and each guest alone, time-shared under SVM. */
#ifndef TWINMON_EFI_TWIN_H
#define TWINMON_EFI_TWIN_H

#include <efi.h>

#include "guest-config/config.h"

/*
 * Stage the guests of boot (CONFIG_BOOT_TWIN, _A_ALONE or _B_ALONE), leave boot services and
 * run them under the monitor. Returns only on failure, while boot services still exist.
 */
EFI_STATUS twin_boot_run(EFI_HANDLE image, EFI_FILE_HANDLE root, const struct twin_config *cfg,
			 uint32_t boot);

#endif
