/* SPDX-License-Identifier: GPL-2.0-only */
/* Reading and validating twinmon.conf from the ESP. */
#ifndef TWINMON_EFI_CONFIG_LOAD_H
#define TWINMON_EFI_CONFIG_LOAD_H

#include <efi.h>

#include "guest-config/config.h"

#define CONFIG_LOAD_PATH "\\EFI\\twinmon\\twinmon.conf"

/*
 * Read CONFIG_LOAD_PATH from root and parse it. Returns 0 when valid; otherwise a negative
 * errno with diag holding "file:line:col: ..." messages (a missing or unreadable file is one
 * message about the whole file). Every message is also logged.
 */
int config_load(EFI_FILE_HANDLE root, struct twin_config *cfg, struct config_diag *diag);

#endif
