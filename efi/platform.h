/* SPDX-License-Identifier: GPL-2.0-only */
/* Machine-level services: telling QEMU from real hardware, and switching the machine off. */
#ifndef TWINMON_EFI_PLATFORM_H
#define TWINMON_EFI_PLATFORM_H

#include <efi.h>
#include <stdbool.h>
#include <stdint.h>

/*
 * Status values twinmon reports through QEMU's isa-debug-exit device (port 0xf4); QEMU then
 * exits with (status << 1) | 1 and scripts/qemu-run returns status. Zero is never used, so a
 * QEMU that failed by itself (exit 1) is never mistaken for a report.
 */
enum platform_exit_status {
	PLATFORM_EXIT_OK = 0x10,	/* ran to its planned end */
	PLATFORM_EXIT_FAILURE = 0x11,	/* the monitor could not do what was asked */
	PLATFORM_EXIT_CONFIG = 0x12,	/* refused to boot an invalid config */
};

#define PLATFORM_DEBUG_EXIT_PORT 0xf4

/* QEMU's fw_cfg answers with the signature "QEMU": a debug-exit write is then meaningful. */
bool platform_is_qemu(void);

/*
 * Power the machine off reporting status: isa-debug-exit under QEMU, then the firmware's
 * ResetSystem (usable after ExitBootServices), then halt forever.
 */
__attribute__((noreturn)) void platform_power_off(EFI_RUNTIME_SERVICES *rt,
						  enum platform_exit_status status);

#endif
