/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * What a test guest takes from its boot_params (the Linux zero page the loader hands over
 * in RSI): the e820 map and the command line. The guest copies both into its own memory
 * first thing, so it never depends on the zero page again (it is free RAM afterwards).
 */
#ifndef TWINMON_GUESTS_BOOTINFO_H
#define TWINMON_GUESTS_BOOTINFO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define E820_RAM		1
#define BOOTINFO_E820_MAX	128	/* what the zero page holds */
#define BOOTINFO_CMDLINE_MAX	2048	/* twinmon's limit is 2047 bytes and a NUL */

/* One entry of boot_params.e820_table: 20 bytes, packed (Documentation/x86/zero-page.rst). */
struct e820_entry {
	uint64_t addr;
	uint64_t size;
	uint32_t type;
} __attribute__((packed));
_Static_assert(sizeof(struct e820_entry) == 20, "an e820 entry is 20 bytes");

/* The fields of the 4 KiB zero page the guests read; the rest is padding. */
struct zero_page {
	uint8_t pad0[0x0c8];
	uint32_t ext_cmd_line_ptr;	/* bits 63:32 of the command line's address */
	uint8_t pad1[0x1e8 - 0x0cc];
	uint8_t e820_entries;
	uint8_t pad2[0x228 - 0x1e9];
	uint32_t cmd_line_ptr;		/* bits 31:0 */
	uint8_t pad3[0x2d0 - 0x22c];
	struct e820_entry e820_table[BOOTINFO_E820_MAX];
	uint8_t pad4[0x1000 - 0xcd0];
} __attribute__((packed));
_Static_assert(__builtin_offsetof(struct zero_page, ext_cmd_line_ptr) == 0x0c8,
	       "ext_cmd_line_ptr at 0x0c8");
_Static_assert(__builtin_offsetof(struct zero_page, e820_entries) == 0x1e8,
	       "e820_entries at 0x1e8");
_Static_assert(__builtin_offsetof(struct zero_page, cmd_line_ptr) == 0x228,
	       "cmd_line_ptr at 0x228");
_Static_assert(__builtin_offsetof(struct zero_page, e820_table) == 0x2d0,
	       "e820_table at 0x2d0");
_Static_assert(sizeof(struct zero_page) == 0x1000, "the zero page is 4 KiB");

struct bootinfo {
	uint64_t bp_pa;			/* where the zero page was */
	uint64_t cmdline_pa;		/* where the command line was; 0: none */
	size_t n_e820;
	bool e820_clamped;		/* e820_entries said more than 128 */
	bool cmdline_truncated;		/* longer than BOOTINFO_CMDLINE_MAX - 1 */
	struct e820_entry e820[BOOTINFO_E820_MAX];
	char cmdline[BOOTINFO_CMDLINE_MAX];
};

/* The e820 map and the command line's address from the zero page at bp (physical bp_pa). */
void bootinfo_read(struct bootinfo *bi, const struct zero_page *bp, uint64_t bp_pa);

/* Copy the command line (src: what cmdline_pa points at, NULL when it is 0). */
void bootinfo_copy_cmdline(struct bootinfo *bi, const char *src);

#endif
