/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * C side of loader/trampoline.asm: the two routines, and the GDT it loads before entering
 * a guest. The descriptor values are composed here from their architectural fields (Intel
 * SDM vol. 3, 3.4.5) and reach the assembly through loader/trampoline-defs.c.
 *
 * Starting a guest (the EFI app, once the plan and list are built and boot services are
 * gone):
 *
 *	loader_tramp_relocate(reloc.head);
 *	if (loader_verify_segments(&plan, identity_phys, NULL, &err) == 0)
 *		loader_tramp_enter(plan.entry, plan.boot_params);
 *	// else: print err.msg, do not start this guest
 *
 * Both need every page the list names (its pages, the sources, the destinations) and the
 * trampoline itself identity-mapped and writable; loader_tramp_enter additionally needs the
 * kernel's init_size range, boot_params and the command line identity-mapped, as the 64-bit
 * boot protocol says, and the trampoline's GDT (in the monitor's image) to stay mapped until
 * the guest loads its own.
 */
#ifndef TWINMON_LOADER_TRAMPOLINE_H
#define TWINMON_LOADER_TRAMPOLINE_H

#include <stdint.h>

#define LOADER_SEG_LIMIT_FLAT	(0xffffULL | 0xfULL << 48)	/* limit 0xfffff, in pages */
#define LOADER_SEG_TYPE(t)	((uint64_t)(t) << 40)
#define LOADER_SEG_TYPE_CODE_XR	0xa				/* execute/read */
#define LOADER_SEG_TYPE_DATA_RW	0x2				/* read/write */
#define LOADER_SEG_S		(1ULL << 44)			/* code or data, not system */
#define LOADER_SEG_P		(1ULL << 47)			/* present */
#define LOADER_SEG_L		(1ULL << 53)			/* 64-bit code */
#define LOADER_SEG_DB		(1ULL << 54)			/* 32-bit default size */
#define LOADER_SEG_G		(1ULL << 55)			/* 4 KiB granularity */

/* The boot protocol's __BOOT_CS (flat 64-bit code) and __BOOT_DS (flat data). */
#define LOADER_GDT_CODE64 (LOADER_SEG_LIMIT_FLAT | LOADER_SEG_TYPE(LOADER_SEG_TYPE_CODE_XR) | \
			   LOADER_SEG_S | LOADER_SEG_P | LOADER_SEG_L | LOADER_SEG_G)
#define LOADER_GDT_DATA	  (LOADER_SEG_LIMIT_FLAT | LOADER_SEG_TYPE(LOADER_SEG_TYPE_DATA_RW) | \
			   LOADER_SEG_S | LOADER_SEG_P | LOADER_SEG_DB | LOADER_SEG_G)
#define LOADER_BOOT_CS	  0x10
#define LOADER_BOOT_DS	  0x18

/* The encodings every x86-64 kernel uses for these two, as a cross-check of the fields. */
_Static_assert(LOADER_GDT_CODE64 == 0x00af9a000000ffffULL, "flat 64-bit code descriptor");
_Static_assert(LOADER_GDT_DATA == 0x00cf92000000ffffULL, "flat data descriptor");
_Static_assert(LOADER_BOOT_DS == LOADER_BOOT_CS + 8, "the trampoline's GDT lists CS then DS");

/*
 * Walk the indirection list from head and copy every source page to its destination.
 * Returns the number of pages copied. SysV ABI; touches only caller-saved registers.
 */
uint64_t loader_tramp_relocate(uint64_t head);

/*
 * Enter a guest: interrupts off, the GDT above loaded with CS = __BOOT_CS and
 * DS = ES = SS = FS = GS = __BOOT_DS, RSI = boot_params, every other general register
 * but RSP zero, then jump to entry. RSP is left as it was: guests set their own stack.
 */
__attribute__((noreturn)) void loader_tramp_enter(uint64_t entry, uint64_t boot_params);

/* The trampoline's bytes, position independent, for a caller that wants to copy it. */
extern const uint8_t loader_tramp_start[];
extern const uint8_t loader_tramp_end[];

#endif
