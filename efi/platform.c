// SPDX-License-Identifier: GPL-2.0-only
#include "efi/platform.h"

#include "efi/log.h"
#include "efi/port.h"

#define FW_CFG_PORT_SEL 0x510
#define FW_CFG_PORT_DATA 0x511
#define FW_CFG_SIGNATURE 0x0000

bool platform_is_qemu(void)
{
	static const char sig[4] = { 'Q', 'E', 'M', 'U' };

	port_outw(FW_CFG_PORT_SEL, FW_CFG_SIGNATURE);
	for (int i = 0; i < 4; i++)
		if (port_inb(FW_CFG_PORT_DATA) != (uint8_t)sig[i])
			return false;
	return true;
}

void platform_power_off(EFI_RUNTIME_SERVICES *rt, enum platform_exit_status status)
{
	log_printf("twinmon: powering off (status 0x%x)", status);
	if (platform_is_qemu())
		port_outl(PLATFORM_DEBUG_EXIT_PORT, status);
	/* Still here: no debug-exit device. Ask the firmware, which works after EBS too. */
	if (rt)
		rt->ResetSystem(EfiResetShutdown, status == PLATFORM_EXIT_OK ? EFI_SUCCESS : EFI_ABORTED,
				0, NULL);
	log_printf("twinmon: power off failed; halting");
	for (;;)
		__asm__ volatile("cli; hlt");
}
