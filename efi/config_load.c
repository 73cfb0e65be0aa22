// SPDX-License-Identifier: GPL-2.0-only
#include "efi/config_load.h"

#include <errno.h>

#include "efi/file.h"
#include "efi/log.h"

int config_load(EFI_FILE_HANDLE root, struct twin_config *cfg, struct config_diag *diag)
{
	/* Diagnostics name the file as a user finds it on the ESP. */
	static const char shown[] = "EFI/twinmon/twinmon.conf";
	struct efi_file_buf buf;
	EFI_STATUS st;
	int ret;

	config_defaults(cfg);
	config_diag_init(diag, shown);
	st = file_read(root, CONFIG_LOAD_PATH, CONFIG_FILE_MAX, &buf);
	if (EFI_ERROR(st)) {
		config_diag_add(diag, 0, 0, "cannot read the config file: %s", file_status_str(st));
		ret = st == EFI_NOT_FOUND ? -ENOENT : -EIO;
		goto report;
	}
	log_printf("config: read %s (%zu bytes)", shown, buf.size);
	ret = config_parse(shown, buf.data, buf.size, cfg, diag);
	file_free(&buf);
report:
	for (uint32_t i = 0; i < diag->count; i++) {
		char line[CONFIG_DIAG_TEXT_MAX + CONFIG_DIAG_FILE_MAX + 32];
		config_diag_format(diag, i, line, sizeof(line));
		log_printf("config: %s", line);
	}
	if (diag->dropped)
		log_printf("config: %s: %u more errors not shown", shown, diag->dropped);
	return ret;
}
