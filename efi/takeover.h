/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Taking over the machine for the chosen menu entry: load what the entry needs while boot
 * services still exist, leave them, and start the guest(s).
 */
#ifndef TWINMON_EFI_TAKEOVER_H
#define TWINMON_EFI_TAKEOVER_H

#include <efi.h>

#include "guest-config/config.h"

/* Never returns on success; returns an error status only while boot services still exist. */
EFI_STATUS takeover_run(EFI_HANDLE image, EFI_FILE_HANDLE root, const struct twin_config *cfg,
			uint32_t boot);

#endif
