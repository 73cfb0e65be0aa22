/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The command line a Linux guest gets under the monitor: the user's line from the config,
 * then what the guest's virtual platform needs, each option only if the user did not give
 * it already (the user's choice wins):
 *
 *   tsc_early_khz=N     the TSC frequency the monitor measured: an AMD guest has no other
 *                       calibration source on this platform (no PIT, no CPUID leaf)
 *   tsc=reliable        the TSC is the clocksource; no watchdog against a missing HPET/PIT
 *   pci=off             when the guest owns no PCI function (no 256-bus probe of 0xCF8);
 *                       with some, nothing: its DSDT's root bridge and MCFG describe them
 *   io_delay=none       port 0x80 is nobody's
 *   reboot=acpi         reboot through the FADT reset register (the default under HW-reduced
 *                       ACPI would be EFI, then a jump to the BIOS reset vector)
 *   8250.nr_uarts=N     enough legacy lines for the highest UART the guest owns
 *   console=ttySn,115200  the guest's first UART, when the line names no console
 */
#ifndef TWINMON_PARTITION_CMDLINE_H
#define TWINMON_PARTITION_CMDLINE_H

#include <stddef.h>
#include <stdint.h>

#include "partition/partition.h"

/*
 * Write the joined line for guest g of a built plan into out (NUL-terminated). user may be
 * NULL; tsc_khz 0 leaves tsc_early_khz out. Returns the length, -EINVAL for a guest the plan
 * lacks, -ENOSPC when the line does not fit in size bytes.
 */
int partition_linux_cmdline(const struct partition_plan *plan, unsigned g, const char *user,
			    uint64_t tsc_khz, char *out, size_t size);

/* Whether the space-separated line sets option name (as "name" or "name=..."). */
int partition_cmdline_has(const char *line, const char *name);

#endif
