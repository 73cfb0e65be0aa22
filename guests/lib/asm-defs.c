// SPDX-License-Identifier: GPL-2.0-only
/*
 * Constants for the guests' nasm files, generated from the C headers (GEN_OFFSETS in the
 * top-level Makefile): each DEFINE leaves a "->NAME value" line that becomes "%define NAME
 * value" in build/gen/guests/lib/asm-defs.inc. The assembly never carries copies.
 */
#include "guests/lib/desc.h"
#include "guests/lib/trap.h"

#define DEFINE(sym, val) __asm__ volatile("\n.ascii \"->" #sym " %0\"" : : "i"(val))

void guests_asm_defs(void);

void guests_asm_defs(void)
{
	DEFINE(GUEST_CS, GUEST_CS);
	DEFINE(GUEST_DS, GUEST_DS);
	DEFINE(GUEST_STACK_SIZE, GUEST_STACK_SIZE);
	DEFINE(TRAP_FRAME_SIZE, sizeof(struct trap_frame));
	DEFINE(TRAP_ERROR_MASK, TRAP_ERROR_MASK);
	DEFINE(TRAP_STUB_BYTES, 2 * sizeof(uint64_t));	/* vector and error code */
}
