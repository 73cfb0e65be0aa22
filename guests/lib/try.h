/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Running code that is expected to fault, and coming back: the probe's attacks (a VMRUN
 * that should raise #UD, a write the monitor should refuse) must report what happened
 * instead of stopping the guest. Like the Linux kernel's exception tables, but for whole
 * calls: guest_try() calls fn(arg); an exception inside it unwinds to guest_try(), which
 * returns 1 with the details in guest_try_fault.
 */
#ifndef TWINMON_GUESTS_TRY_H
#define TWINMON_GUESTS_TRY_H

#include <stdint.h>

struct try_fault {
	uint64_t vector, error, rip, cr2;	/* cr2 only for #PF */
};

extern struct try_fault guest_try_fault;

/* 0: fn returned; 1: an exception (not NMI, #DF or #MC) ended it. Not reentrant. */
int guest_try(void (*fn)(void *arg), void *arg);

/* try.asm's internals, for the trap handler. */
extern uint64_t guest_try_rsp;
extern uint8_t guest_try_active;
void guest_try_landing(void);

#endif
