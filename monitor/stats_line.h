/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The statistics as machine-readable lines, for the lab (docs/lab.md, "Monitor statistics"):
 *
 *   TWINMON-STATS v=1 scope=SCOPE when=WHEN tsc=T [guest=L] [vcpu=K] [cpu=C] key=value ...
 *
 * One record per scope: monitor (once), guest, vcpu (each vCPU of each guest), cpu (each CPU
 * that runs guests). The header (everything up to and including the identifying keys) names
 * the record; a record too long for one log line goes on in further lines with the same
 * header, and a reader merges their keys. Numbers are decimal, durations in TSC cycles
 * (tsc_khz in the monitor record converts them). STATS_LINE_VERSION changes only when a key
 * changes meaning or goes away; new keys come without it, and readers skip keys they do not
 * know.
 */
#ifndef TWINMON_MONITOR_STATS_LINE_H
#define TWINMON_MONITOR_STATS_LINE_H

#include <stdint.h>

#include "monitor/core.h"

#define STATS_LINE_VERSION 1
#define STATS_LINE_MAX 240	/* under the log's line length */

/* Every record: the monitor's, each guest's with its vCPUs, each CPU's. when: "end" at the
 * end of a run. */
void stats_lines_print(struct monitor *m, const char *when);
/* One guest's records (guest and vCPUs): a guest's TM_HC_STATS_LOG ("request"). Its other
 * vCPUs go on running meanwhile: their figures are read as they stand (aligned 64-bit
 * loads, never torn), so one record's fields may be a few exits apart; the end-of-run
 * records are exact. */
void stats_lines_guest(struct monitor *m, const struct guest *g, const char *when, uint64_t tsc);
/* The short name of an exit reason (TM_EXIT_*) in the keys "exit.NAME". */
const char *stats_exit_name(unsigned reason);

#endif
