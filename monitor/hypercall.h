/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * VMMCALL: the guest-to-monitor ABI (monitor/abi.h). Numbers, arguments and results:
 *
 *   0 NOP                                  -> 0
 *   1 CONSOLE_WRITE(gpa, len <= 4096)      -> len; the text goes to the monitor log as lines
 *                                             "guest a: ..." (a line ends at \n, or after
 *                                             GUEST_CON_LINE characters; \r is dropped, other
 *                                             control bytes show as '?')
 *   2 TSC_KHZ                              -> the TSC frequency the monitor measured, kHz
 *   3 YIELD                                -> 0; the rest of the slot goes to the other guest
 *   4 VERDICT(code, gpa, len <= 256)       -> 0; "guest a: verdict pass: msg" for code 0,
 *                                             "guest a: verdict fail(code): msg" otherwise
 *   5 STATS(gpa, size >= 8)                -> bytes written: min(size, sizeof(struct
 *                                             tm_guest_stats)) of this guest's statistics
 *
 * Console and verdict lines are within the guest's log budget (monitor/log_budget.h) and at
 * most HYPERCALL_LOG_EXIT_MAX bytes a call; what goes past it is dropped, counted and reported.
 *
 * Errors: -E2BIG for a length over the limit, -EFAULT for a buffer not entirely in the
 * guest's RAM, -EINVAL for a STATS size under 8, -ENOSYS (-38) for an unknown number.
 */
#ifndef TWINMON_MONITOR_HYPERCALL_H
#define TWINMON_MONITOR_HYPERCALL_H

#include "monitor/core.h"

/* Handle the VMMCALL whose registers are in v->regs; the result goes to v->regs.rax. */
enum exit_action hypercall_handle(struct monitor *m, struct vcpu *v);

/* Log what is left of the guest's console line and what its budget dropped (a stop, a restart). */
void hypercall_console_flush(struct monitor *m, struct guest *g);

#endif
