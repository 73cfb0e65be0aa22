/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * What vectors.asm saves on an exception or interrupt, and the C handler it calls. Every
 * vector that is not caught by guest_try() (try.h) is reported on the guest's UART (and the
 * monitor's log, under twinmon) and stops the guest: a test guest never carries on after
 * something it did not expect.
 */
#ifndef TWINMON_GUESTS_TRAP_H
#define TWINMON_GUESTS_TRAP_H

#include <stdint.h>

/* In stack order, lowest address first: vectors.asm pushes rax first and r15 last. */
struct trap_frame {
	uint64_t r15, r14, r13, r12, r11, r10, r9, r8;
	uint64_t rbp, rdi, rsi, rdx, rcx, rbx, rax;
	uint64_t vector, error;		/* pushed by the stub (error 0 when the CPU gives none) */
	uint64_t rip, cs, rflags, rsp, ss;	/* pushed by the CPU */
};
_Static_assert(__builtin_offsetof(struct trap_frame, rax) == 14 * 8, "rax pushed first");
_Static_assert(__builtin_offsetof(struct trap_frame, vector) == 15 * 8, "then the vector");
_Static_assert(__builtin_offsetof(struct trap_frame, rip) == 17 * 8, "the CPU's frame");
_Static_assert(sizeof(struct trap_frame) == 22 * 8, "22 quadwords");
/* 176 bytes from a 16-byte aligned interrupt frame start keeps the call aligned. */
_Static_assert(sizeof(struct trap_frame) % 16 == 0, "the handler is called aligned");

/*
 * Vectors for which the CPU pushes an error code (AMD64 APM vol. 2, 8.2): #DF, #TS, #NP,
 * #SS, #GP, #PF, #AC, #CP, #VC, #SX. vectors.asm reads this mask through asm-defs.inc.
 */
#define TRAP_ERROR_MASK                                                                    \
	(1u << 8 | 1u << 10 | 1u << 11 | 1u << 12 | 1u << 13 | 1u << 14 | 1u << 17 |      \
	 1u << 21 | 1u << 29 | 1u << 30)

void guest_trap(struct trap_frame *f);

/*
 * A handler for one vector, called with interrupts off on the interrupted stack; when it
 * returns, the interrupted code goes on (iretq). Meant for the interrupts a program asks for
 * (its timer, its device); it takes precedence over guest_try() and the report, so it must not
 * be set on a vector where an exception could arrive unasked. NULL removes it.
 */
typedef void (*trap_handler_fn)(struct trap_frame *f);
void trap_set_handler(unsigned vector, trap_handler_fn fn);

/* "#PF", "#GP", ... for vectors 0..31; "interrupt" above. */
const char *trap_name(uint64_t vector);

#endif
