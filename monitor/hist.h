/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * A log2 histogram of durations (TSC cycles) with their count, sum, minimum and maximum: how
 * late interrupts were injected, how long slots lasted. Bucket 0 holds 0 and 1, bucket k
 * (k >= 1) holds [2^k, 2^(k+1)); the last one holds everything above. All zero is empty, so
 * a zeroed structure needs no set-up. Plain C, no locking: each is written by one CPU.
 */
#ifndef TWINMON_MONITOR_HIST_H
#define TWINMON_MONITOR_HIST_H

#include <stdint.h>

#define HIST_BUCKETS 48

struct hist {
	uint64_t count;
	uint64_t sum;		/* saturates instead of wrapping */
	uint64_t min, max;	/* meaningful when count > 0 */
	uint64_t bucket[HIST_BUCKETS];
};

/* The bucket value falls in. */
unsigned hist_bucket(uint64_t value);
void hist_add(struct hist *h, uint64_t value);
/* into += from: counts and buckets added, min and max of both. */
void hist_merge(struct hist *into, const struct hist *from);
#endif
