/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The guest ABI as the monitor implements it: guests/abi/twinmon_abi.h is the contract (CPUID
 * leaves, VMMCALL numbers, errors, struct tm_guest_stats); this header includes it and pins
 * what the monitor's code assumes about it, so a change there that the monitor does not
 * follow fails the build instead of the guests.
 */
#ifndef TWINMON_MONITOR_ABI_H
#define TWINMON_MONITOR_ABI_H

#include <errno.h>

#include "guests/abi/twinmon_abi.h"

/* The handlers return negated errno values from <errno.h>: they must be the ABI's. */
_Static_assert(EPERM == TM_EPERM && E2BIG == TM_E2BIG && EFAULT == TM_EFAULT &&
		       EINVAL == TM_EINVAL && ENOSYS == TM_ENOSYS && EAGAIN == TM_EAGAIN,
	       "errno values are the ABI's");
_Static_assert(TM_HC_NOP == 0 && TM_HC_CONSOLE_WRITE == 1 && TM_HC_TSC_KHZ == 2 &&
		       TM_HC_YIELD == 3 && TM_HC_VERDICT == 4 && TM_HC_STATS == 5 &&
		       TM_HC_STATS_LOG == 6 && TM_HC_COUNT == 7,
	       "the hypercalls hypercall.c implements");
_Static_assert(TM_STATS_VERSION == 1 && sizeof(struct tm_guest_stats) == 176,
	       "the statistics layout stats.c fills");

#endif
