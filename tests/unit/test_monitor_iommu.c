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

#define POOL_PA	0x40000000ULL

static struct iommu io;
static void *pool_mem;
static uint64_t regs[0x4000 / 8];

static void iommu_setup(void)
{
	uint8_t t[48 + 24 + 4] = "IVRS";
	struct partition_plan plan;
	struct iommu_pool pool;
	size_t pages = AMDVI_DEVTAB_PAGES + 64;

	t[4] = sizeof(t);
	t[48] = 0x10;
	t[50] = 24 + 4;
	t[52] = 0x08;
	t[58] = 0xd8;
	t[59] = 0xfe;
	t[48 + 24] = 1;
	assert_int_equal(iommu_probe_ivrs(&io, t, sizeof(t)), 0);
	pool_mem = aligned_alloc(IOMMU_PAGE, pages * IOMMU_PAGE);
	assert_non_null(pool_mem);
	iommu_pool_init(&pool, POOL_PA, pool_mem, pages);
	memset(&plan, 0, sizeof(plan));
	plan.guest[0] = (struct partition_guest){
		.present = true, .letter = 'a', .nr_ram = 1, .ram = { { 0x100000, 0x400000 } },
		.nr_pci = 1, .pci = { PARTITION_BDF(0, 0x10, 0) },
	};
	assert_int_equal(iommu_build(&io, &plan, &pool), 0);
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

static unsigned count(const struct fake *f, const char *text)
{
	unsigned n = 0;

	for (size_t i = 0; i < f->nlog; i++)
		n += strstr(f->log[i], text) != NULL;
	return n;
}

static void test_iommu_report(void **state)
{
	struct fake *f = fake_new();

	iommu_setup();
	f->m.iommu = &io;
	log_budget_init(&f->m.iommu_budget);
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
	fake_free(f);
	free(pool_mem);
}

/* A device faulting at every poll for a second: its guest's event budget bounds the log. */
static void test_iommu_flood(void **state)
{
	struct fake *f = fake_new();
	uint64_t t0 = 10 * f->m.tsc_khz;
	unsigned slot = 0, lines;

	iommu_setup();
	f->m.iommu = &io;
	log_budget_init(&f->m.iommu_budget);
	for (unsigned ms = 0; ms < 1000; ms++) {
		for (unsigned k = 0; k < 16; k++)
			put_event(slot++, 0x0080, 0x3f00000 + 0x1000 * k, true);
		monitor_iommu_poll(&f->m, t0 + ms * f->m.tsc_khz);
	}
	lines = count(f, "iommu: guest a: 00:10.0: DMA write");
	/* 8 KiB burst + 2 KiB/s over a second, about 80 bytes a line: some 130, of 16000. */
	assert_true(lines > 50 && lines < 200);
	monitor_guest_events_flush(&f->m, &f->m.guest[0]);
	assert_true(fake_log_find(f, "monitor: guest a: log over budget:") >= 0);
	fake_free(f);
	free(pool_mem);
}

static void test_iommu_flood_unowned(void **state)
{
	struct fake *f = fake_new();
	uint64_t t0 = 10 * f->m.tsc_khz;
	unsigned slot = 0, lines;

	iommu_setup();
	f->m.iommu = &io;
	log_budget_init(&f->m.iommu_budget);
	for (unsigned ms = 0; ms < 2000; ms++) {
		for (unsigned k = 0; k < 16; k++)
			put_event(slot++, 0x00f8, 0x1000 * k, false);
		monitor_iommu_poll(&f->m, t0 + ms * f->m.tsc_khz);
	}
	lines = count(f, "iommu: no guest: 00:1f.0:");
	assert_true(lines > 50 && lines < 250);
	assert_true(fake_log_find(f, "fault reports of no guest's functions dropped") >= 0);
	fake_free(f);
	free(pool_mem);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_iommu_report),
		cmocka_unit_test(test_iommu_flood),
		cmocka_unit_test(test_iommu_flood_unowned),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
