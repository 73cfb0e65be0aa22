// SPDX-License-Identifier: GPL-2.0-only
/*
 * Constants for loader/trampoline.asm. This file is only compiled to assembly: each DEFINE
 * leaves a "->NAME value" line that the $(BUILD)/gen/%.inc rule turns into "%define NAME
 * value" in build/gen/loader/trampoline-defs.inc. The assembly thereby uses the very values
 * the C builder and walker use, never copies of them.
 */
#include "loader/indirection.h"
#include "loader/trampoline.h"

#define DEFINE(sym, val) asm volatile("\n.ascii \"->" #sym " %0\"" : : "i"(val))

void loader_trampoline_defs(void);

void loader_trampoline_defs(void)
{
	DEFINE(IND_DESTINATION, LOADER_IND_DESTINATION);
	DEFINE(IND_INDIRECTION, LOADER_IND_INDIRECTION);
	DEFINE(IND_DONE, LOADER_IND_DONE);
	DEFINE(IND_SOURCE, LOADER_IND_SOURCE);
	DEFINE(PAGE_SIZE, LOADER_PAGE_SIZE);
	DEFINE(PAGE_MASK, LOADER_PAGE_MASK);
	DEFINE(PAGE_QWORDS, LOADER_PAGE_SIZE / sizeof(uint64_t));
	DEFINE(BOOT_CS, LOADER_BOOT_CS);
	DEFINE(BOOT_DS, LOADER_BOOT_DS);
	DEFINE(GDT_CODE64, LOADER_GDT_CODE64);
	DEFINE(GDT_DATA, LOADER_GDT_DATA);
}
