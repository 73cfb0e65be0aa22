/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * What the partition planner's unit tests share: a plan, a PC-like firmware map and a request
 * for both guests (A high, B low). Included by one test file each (static definitions).
 */
#ifndef TWINMON_TESTS_PARTITION_FIXTURE_H
#define TWINMON_TESTS_PARTITION_FIXTURE_H

#include <string.h>

#include "partition/partition.h"

#define KiB (1ULL << 10)
#define MiB (1ULL << 20)
#define GiB (1ULL << 30)

static struct partition_plan plan;

static struct memmap mkmap(struct memmap_entry *e, size_t n)
{
	return (struct memmap){ .entries = e, .count = n, .capacity = n };
}

/* A PC-like map: conventional below 640K, RAM from 1M to top (split around a hole). */
static struct memmap_entry pc_map[] = {
	{ 0, 0xa0000, MEMMAP_USABLE, 7 },
	{ 0xa0000, 0x60000, MEMMAP_RESERVED, 0 },
	{ 1 * MiB, 1 * GiB - 1 * MiB, MEMMAP_USABLE, 7 },
	{ 0xfec00000, 0x1000, MEMMAP_MMIO, 11 },
	{ 0xffc00000, 4 * MiB, MEMMAP_RESERVED, 0 },
};

static void request_both(struct partition_request *req)
{
	memset(req, 0, sizeof(*req));
	req->guest[0].present = true;
	req->guest[0].placement = PARTITION_PLACE_HIGH;
	req->guest[1].present = true;
	req->guest[1].placement = PARTITION_PLACE_LOW;
}

#endif
