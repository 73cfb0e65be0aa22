// SPDX-License-Identifier: GPL-2.0-only
/* Copying the e820 map and the command line out of the zero page (see bootinfo.h). */
#include "guests/lib/bootinfo.h"

void bootinfo_read(struct bootinfo *bi, const struct zero_page *bp, uint64_t bp_pa)
{
	size_t n = bp->e820_entries;

	bi->bp_pa = bp_pa;
	bi->cmdline_pa = (uint64_t)bp->ext_cmd_line_ptr << 32 | bp->cmd_line_ptr;
	/* e820_entries is one byte and may claim up to 255; only 128 slots exist. */
	bi->e820_clamped = n > BOOTINFO_E820_MAX;
	if (bi->e820_clamped)
		n = BOOTINFO_E820_MAX;
	for (size_t i = 0; i < n; i++)
		bi->e820[i] = bp->e820_table[i];
	bi->n_e820 = n;
}

void bootinfo_copy_cmdline(struct bootinfo *bi, const char *src)
{
	size_t i = 0;

	if (src)
		for (; i < BOOTINFO_CMDLINE_MAX - 1 && src[i]; i++)
			bi->cmdline[i] = src[i];
	bi->cmdline[i] = '\0';
	bi->cmdline_truncated = src && i == BOOTINFO_CMDLINE_MAX - 1 && src[i];
}
