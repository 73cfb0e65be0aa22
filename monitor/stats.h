/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Per-guest statistics: exits by reason (abi.h's TM_EXIT_*), switches, TSC cycles spent in
 * the guest and in the monitor on its behalf. Each vCPU counts its own exits and cycles; the
 * guest's are their sum. The guest reads them with TM_HC_STATS; the monitor prints them when
 * the run ends.
 */
#ifndef TWINMON_MONITOR_STATS_H
#define TWINMON_MONITOR_STATS_H

#include "monitor/core.h"

/* Count one exit of the given reason (TM_EXIT_*; out of range counts as unknown). */
void stats_count_exit(struct vcpu *v, unsigned reason);
/* Cycles in the guest: one run, [entry, exit). */
void stats_account_guest(struct vcpu *v, uint64_t entry, uint64_t exit);
/* Cycles in the monitor for v: from its exit to the next VMRUN on its CPU, idle excluded. */
void stats_account_monitor(struct vcpu *v, uint64_t from, uint64_t to);
/* A copy for the guest, with version and slice filled in, exits and cycles summed over its
 * vCPUs. */
void stats_snapshot(const struct guest *g, struct tm_guest_stats *out);
/* The end-of-run lines: one per guest, then the monitor's idle time. */
void stats_print(struct monitor *m);

#endif
