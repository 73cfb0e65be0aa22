// SPDX-License-Identifier: GPL-2.0-only
/*
 * twinmon's UEFI entry. Debian's gnu-efi crt0 calls efi_main with the SysV convention, so it
 * is deliberately not EFIAPI (declared that way it reads the wrong registers).
 *
 * Flow: log banner -> read and validate the config -> boot menu -> the chosen entry. A config
 * with any error offers only "exit to firmware": nothing is ever half booted.
 */
#include <efi.h>
#include <efilib.h>

#include "efi/config_load.h"
#include "efi/file.h"
#include "efi/log.h"
#include "efi/menu.h"
#include "efi/platform.h"
#include "efi/takeover.h"
#include "guest-config/config.h"
#include "lib/fmt.h"

#ifndef TWINMON_VERSION
#define TWINMON_VERSION "unknown"
#endif

/* How long the error menu waits before going back to the firmware. */
#define MAIN_ERROR_TIMEOUT_S 30

EFI_STATUS efi_main(EFI_HANDLE image, EFI_SYSTEM_TABLE *st);

static struct twin_config main_cfg;
static struct config_diag main_diag;

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

/* The config chooses where the log goes from here on (default: debugcon, as so far). */
static void main_apply_log_port(const struct twin_config *cfg)
{
	switch (cfg->log.kind) {
	case CONFIG_LOG_UART:
		log_set_port(LOG_SINK_UART, cfg->log.port);
		break;
	case CONFIG_LOG_PORT:
		log_set_port(LOG_SINK_DEBUGCON, cfg->log.port);
		break;
	case CONFIG_LOG_NONE:
		log_set_port(LOG_SINK_NONE, 0);
		break;
	default:
		break;
	}
}

static const char *main_entry_label(const struct twin_config *cfg, uint32_t boot, char *buf,
				    size_t size)
{
	const char *a = cfg->guest[CONFIG_GUEST_A].name;
	const char *b = cfg->guest[CONFIG_GUEST_B].name;

	switch (boot) {
	case CONFIG_BOOT_TWIN:
		fmt_snprintf(buf, size, "twin mode: %s + %s", a, b);
		break;
	case CONFIG_BOOT_A_ALONE:
		fmt_snprintf(buf, size, "guest A alone: %s", a);
		break;
	case CONFIG_BOOT_B_ALONE:
		fmt_snprintf(buf, size, "guest B alone: %s", b);
		break;
	case CONFIG_BOOT_DIRECT_A:
		fmt_snprintf(buf, size, "direct: %s without the monitor", a);
		break;
	case CONFIG_BOOT_DIRECT_B:
		fmt_snprintf(buf, size, "direct: %s without the monitor", b);
		break;
	default:
		fmt_snprintf(buf, size, "exit to firmware");
		break;
	}
	return buf;
}

static uint32_t main_menu(const struct twin_config *cfg, const struct config_diag *diag,
			  bool valid)
{
	static char labels[CONFIG_BOOT_COUNT][CONFIG_NAME_MAX * 2 + 48];
	static char notes[CONFIG_DIAG_MAX + 2][CONFIG_DIAG_TEXT_MAX + CONFIG_DIAG_FILE_MAX + 32];
	const char *note_ptrs[CONFIG_DIAG_MAX + 2];
	struct menu_entry entries[CONFIG_BOOT_COUNT];
	struct menu m = { .title = "twinmon boot menu", .entries = entries };

	if (!valid) {
		size_t n = 0;
		fmt_snprintf(notes[n++], sizeof(notes[0]),
			     "The config has errors; nothing can boot until they are fixed:");
		for (uint32_t i = 0; i < diag->count; i++)
			config_diag_format(diag, i, notes[n++], sizeof(notes[0]));
		if (diag->dropped)
			fmt_snprintf(notes[n++], sizeof(notes[0]), "%s: %u more errors not shown",
				     diag->file, diag->dropped);
		for (size_t i = 0; i < n; i++)
			note_ptrs[i] = notes[i];
		m.notes = note_ptrs;
		m.note_count = n;
		entries[0] = (struct menu_entry){ main_entry_label(cfg, CONFIG_BOOT_EXIT, labels[0],
								  sizeof(labels[0])),
						  CONFIG_BOOT_EXIT };
		m.count = 1;
		m.timeout_s = MAIN_ERROR_TIMEOUT_S;
		return (uint32_t)menu_run(&m);
	}

	for (uint32_t boot = 0; boot < CONFIG_BOOT_COUNT; boot++) {
		if (!config_boot_available(cfg, boot))
			continue;
		if (boot == cfg->boot_default)
			m.default_index = m.count;
		entries[m.count].label = main_entry_label(cfg, boot, labels[m.count],
							  sizeof(labels[0]));
		entries[m.count].id = (int)boot;
		m.count++;
	}
	m.timeout_s = cfg->timeout;
	return (uint32_t)menu_run(&m);
}

EFI_STATUS efi_main(EFI_HANDLE image, EFI_SYSTEM_TABLE *st)
{
	EFI_FILE_HANDLE root = NULL;
	EFI_STATUS status;
	bool valid = false;
	char label[160];

	InitializeLib(image, st);
	log_init(st);
	/* The firmware watchdog would reset the machine after 5 minutes in the boot loader. */
	BS->SetWatchdogTimer(0, 0, 0, NULL);
	main_banner(st);

	config_defaults(&main_cfg);
	status = file_open_esp(image, &root);
	if (EFI_ERROR(status)) {
		config_diag_init(&main_diag, "EFI/twinmon/twinmon.conf");
		config_diag_add(&main_diag, 0, 0, "cannot open the boot volume: %s",
				file_status_str(status));
		log_printf("efi: cannot open the boot volume: %s", file_status_str(status));
		root = NULL;
	} else {
		valid = config_load(root, &main_cfg, &main_diag) == 0;
	}
	if (valid) {
		log_printf("config: valid; mode %s, default entry %s, timeout %u s",
			   config_mode_name(main_cfg.mode), config_boot_name(main_cfg.boot_default),
			   main_cfg.timeout);
		main_apply_log_port(&main_cfg);
	}

	uint32_t choice = main_menu(&main_cfg, &main_diag, valid);
	log_printf("menu: chose '%s' (%s)",
		   main_entry_label(&main_cfg, choice, label, sizeof(label)),
		   config_boot_name(choice));

	if (choice == CONFIG_BOOT_EXIT || !valid) {
		if (root)
			root->Close(root);
		log_printf("twinmon: returning to the firmware");
		return EFI_SUCCESS;
	}
	takeover_run(image, root, &main_cfg, choice);
}
