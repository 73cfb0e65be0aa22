/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The guest side of the twinmon hypercalls (guests/abi/twinmon_abi.h): one VMMCALL (AMD) or
 * VMCALL (Intel) per call, RAX = number, RDI/RSI/RDX = arguments, result in RAX, every other
 * register preserved. tm_detect() picks the instruction by the CPU's vendor: each
 * extension exits only on its own, the other raises #UD in a guest. Only call these after
 * tm_detect() found the monitor: on bare metal both raise #UD.
 */
#ifndef TWINMON_GUESTS_HYPERCALL_H
#define TWINMON_GUESTS_HYPERCALL_H

#include <stdbool.h>
#include <stdint.h>

#include "guests/abi/twinmon_abi.h"

/* Set by tm_detect() on an Intel CPU: VMCALL instead of VMMCALL. */
extern bool tm_hc_vmcall;

static inline int64_t tm_hypercall(uint64_t nr, uint64_t a0, uint64_t a1, uint64_t a2)
{
	int64_t ret;

	/* "memory": the monitor reads and writes the buffers the arguments name. */
	if (tm_hc_vmcall)
		__asm__ volatile("vmcall"
				 : "=a"(ret)
				 : "a"(nr), "D"(a0), "S"(a1), "d"(a2)
				 : "memory");
	else
		__asm__ volatile("vmmcall"
				 : "=a"(ret)
				 : "a"(nr), "D"(a0), "S"(a1), "d"(a2)
				 : "memory");
	return ret;
}

static inline int64_t tm_hc_nop(void)
{
	return tm_hypercall(TM_HC_NOP, 0, 0, 0);
}

/* The guests run identity-mapped, so a pointer is its own guest-physical address. */
static inline int64_t tm_hc_console_write(const char *buf, uint64_t len)
{
	return tm_hypercall(TM_HC_CONSOLE_WRITE, (uint64_t)(uintptr_t)buf, len, 0);
}

static inline int64_t tm_hc_tsc_khz(void)
{
	return tm_hypercall(TM_HC_TSC_KHZ, 0, 0, 0);
}

static inline int64_t tm_hc_yield(void)
{
	return tm_hypercall(TM_HC_YIELD, 0, 0, 0);
}

static inline int64_t tm_hc_verdict(uint64_t code, const char *msg, uint64_t len)
{
	return tm_hypercall(TM_HC_VERDICT, code, (uint64_t)(uintptr_t)msg, len);
}

static inline int64_t tm_hc_stats(struct tm_guest_stats *st, uint64_t size)
{
	return tm_hypercall(TM_HC_STATS, (uint64_t)(uintptr_t)st, size, 0);
}

#endif
