// SPDX-License-Identifier: GPL-2.0-only
/*
 * The monitor's IOMMU fault reports (monitor/iommu_poll.c) on the fake machine, with an
 * AMD-Vi unit whose registers and event log are memory: a blocked DMA names its guest and
 * function, polls come at most once a millisecond, and a device that faults without pause
 * gets no more log than its guest's event budget (the rest summarized); faults of functions
 * no guest owns have a budget of their own.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "iommu/iommu.h"
#include "monitor/test_fake.h"
#include "tests/unit/iommu_fixture.h"

static struct iommu io;
static void *pool_mem;
static uint64_t regs[0x4000 / 8];

static void iommu_setup(void)
{
	struct iommu_pool pool;

	pool_mem = iommufx_build(&io, &pool, false);
	memset(regs, 0, sizeof(regs));
	io.amdvi[0].mmio = (volatile uint8_t *)regs;
	/* Enabled as iommu_enable() leaves it (its commands are test_iommu_hw's). */
	io.amdvi[0].enabled = true;
	io.enabled = true;
}

static void put_event(unsigned slot, uint16_t devid, uint64_t addr, bool write)
{
	uint64_t *e = &io.amdvi[0].evt[(slot % 256) * 2];

	e[0] = (uint64_t)AMDVI_EVT_IO_PAGE_FAULT << 60 |
	       (uint64_t)(write ? AMDVI_EVT_FLAG_RW : 0) << 48 | devid;
	e[1] = addr;
}

/* A fake machine whose monitor polls the unit, with a fresh fault report budget. */
static int setup(void **state)
{
	struct fake *f = fake_new();

	if (!f)
		return -1;
	iommu_setup();
	f->m.iommu = &io;
	log_budget_init(&f->m.iommu_budget);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	fake_free(*state);
	free(pool_mem);
	return 0;
}

/* For ms milliseconds from 10 ms on: 16 faults of devid (at base + 0x1000 * k), then a poll. */
static void flood(struct fake *f, unsigned ms, uint16_t devid, uint64_t base, bool write)
{
	uint64_t t0 = 10 * f->m.tsc_khz;
	unsigned slot = 0;

	for (unsigned i = 0; i < ms; i++) {
		for (unsigned k = 0; k < 16; k++)
			put_event(slot++, devid, base + 0x1000 * k, write);
		monitor_iommu_poll(&f->m, t0 + i * f->m.tsc_khz);
	}
}

static void test_iommu_report(void **state)
{
	struct fake *f = *state;

	put_event(0, 0x0080, 0x3f00000, true);
	put_event(1, 0x0008, 0x1000, false);
	f->now = 10 * f->m.tsc_khz;
	monitor_iommu_poll(&f->m, f->now);
	assert_true(fake_log_find(f, "iommu: guest a: 00:10.0: DMA write to 0x3f00000 blocked "
				     "(IO_PAGE_FAULT)") >= 0);
	assert_true(fake_log_find(f, "iommu: no guest: 00:01.0: DMA read from 0x1000 blocked "
				     "(IO_PAGE_FAULT)") >= 0);
	/* Within the millisecond: not even looked at. */
	put_event(2, 0x0080, 0x3f01000, true);
	monitor_iommu_poll(&f->m, f->now + f->m.tsc_khz / 2);
	assert_int_equal(fake_log_find(f, "0x3f01000"), -1);
	monitor_iommu_poll(&f->m, f->now + f->m.tsc_khz);
	assert_true(fake_log_find(f, "0x3f01000") >= 0);
	/* Without an IOMMU the poll does nothing. */
	f->m.iommu = NULL;
	monitor_iommu_poll(&f->m, f->now + 10 * f->m.tsc_khz);
}

/* A device faulting at every poll for a second: its guest's IOMMU budget bounds the log. */
static void test_iommu_flood(void **state)
{
	struct fake *f = *state;
	unsigned lines;

	flood(f, 1000, 0x0080, 0x3f00000, true);
	lines = fake_log_count(f, "iommu: guest a: 00:10.0: DMA write");
	/* 8 KiB burst + 2 KiB/s over a second, about 80 bytes a line: some 130, of 16000. */
	assert_true(lines > 50 && lines < 200);
	/* What went over it is counted at the next line that fits. */
	assert_true(fake_log_find(f, "iommu: ") >= 0);
	assert_true(fake_log_find(f, "fault reports of guest a's functions dropped (over budget)")
		    >= 0);
}

static void test_iommu_flood_unowned(void **state)
{
	struct fake *f = *state;
	unsigned lines;

	flood(f, 2000, 0x00f8, 0, false);
	lines = fake_log_count(f, "iommu: no guest: 00:1f.0:");
	assert_true(lines > 50 && lines < 250);
	assert_true(fake_log_find(f, "fault reports of no guest's functions dropped") >= 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_iommu_report, setup, teardown),
		cmocka_unit_test_setup_teardown(test_iommu_flood, setup, teardown),
		cmocka_unit_test_setup_teardown(test_iommu_flood_unowned, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
