// SPDX-License-Identifier: GPL-2.0-only
/*
 * plan_scale: how the partition planner's costs grow with the guests' size (docs/
 * measuring.md, "S1"). For guests of 1, 4, 16 and 64 GiB on a synthetic machine with enough
 * RAM (no devices), both guests of that size: the planning time (plan init, the monitor's
 * reservation, the split), the nested page tables' build time for both guests as the EFI app
 * builds them (partition_build_pt, then the zero page below 1 MiB), and their memory with
 * the page sizes the monitor uses: 1 GiB and 2 MiB pages (the usual case), 2 MiB pages only
 * (no 1 GiB pages: the CPU lacks them), 4 KiB pages only (EPT without 2 MiB pages; counted
 * with npt_count_tables_flags, not built). Times are medians of PLAN_SCALE_REPS runs of
 * several plans or builds each (the time of one), by CLOCK_MONOTONIC. Host-side only: the figures are this machine's, not the firmware's.
 *
 * Usage: plan_scale [--csv]   (--csv: the rows scripts/bench adds to results.csv)
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "partition/npt.h"
#include "partition/partition.h"

#define GiB			(1ULL << 30)
#define MiB			(1ULL << 20)
#define PLAN_SCALE_REPS		15
#define PLAN_SCALE_PLAN_LOOP	100	/* plans per timed run: one takes about a microsecond */
#define PLAN_SCALE_NPT_LOOP	10	/* table builds per timed run */
#define PLAN_SCALE_BELOW_4G	(3 * GiB)	/* RAM below the PCI hole */
#define PLAN_SCALE_MONITOR	(16 * MiB)	/* what twinmon-check estimates for the monitor */
#define PLAN_SCALE_NPT_END	(1ULL << 40)	/* efi/twin.c: TWIN_NPT_MAX_END */
#define PLAN_SCALE_FAKE_PA	(1ULL << 44)	/* where the table pages "are" (made up) */

static const unsigned plan_scale_sizes[] = { 1, 4, 16, 64 };	/* GiB per guest */
#define PLAN_SCALE_NR_SIZES (sizeof(plan_scale_sizes) / sizeof(plan_scale_sizes[0]))

/* Page sizes: the monitor's three cases (efi/twin.c, twin_pt_choose). */
static const struct {
	const char *name;
	unsigned flags;
} plan_scale_pages[] = {
	{ "1G+2M", 0 },
	{ "2M", NPT_NO_1G },
	{ "4K", NPT_NO_1G | NPT_NO_2M },
};
#define PLAN_SCALE_NR_PAGES (sizeof(plan_scale_pages) / sizeof(plan_scale_pages[0]))

struct plan_scale_result {
	unsigned gib;
	double plan_us, npt_us;			/* medians */
	size_t tables[PLAN_SCALE_NR_PAGES][PARTITION_NR_GUESTS];	/* table pages */
	size_t leaves[PARTITION_NR_GUESTS][3];	/* 4K, 2M, 1G leaves with 1G+2M */
	size_t nr_ram[PARTITION_NR_GUESTS];	/* RAM pieces */
};

static struct partition_plan plan_scale_plan;
static struct memmap_entry plan_scale_entries[5];
static struct memmap plan_scale_map;

static double plan_scale_now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e6 + (double)ts.tv_nsec / 1e3;
}

static int plan_scale_cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static double plan_scale_median(double *v, size_t n)
{
	qsort(v, n, sizeof(*v), plan_scale_cmp);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

/* A PC-like machine: 640 KiB, RAM to 3 GiB, the PCI hole, then 2 * size + 1 GiB above 4 GiB. */
static void plan_scale_machine(uint64_t size)
{
	const struct memmap_entry e[] = {
		{ 0, 0xa0000, MEMMAP_USABLE, 7 },
		{ 0xa0000, 0x60000, MEMMAP_RESERVED, 0 },
		{ MiB, PLAN_SCALE_BELOW_4G - MiB, MEMMAP_USABLE, 7 },
		{ 0xfec00000, 0x1000, MEMMAP_MMIO, 11 },
		{ PARTITION_4G, 2 * size + GiB, MEMMAP_USABLE, 7 },
	};

	memcpy(plan_scale_entries, e, sizeof(e));
	plan_scale_map = (struct memmap){ .entries = plan_scale_entries, .count = 5,
					  .capacity = 5 };
}

/* The plan as the EFI app makes it: A at the top, B from the bottom, each of size bytes. */
static int plan_scale_plan_once(uint64_t size)
{
	struct partition_plan *p = &plan_scale_plan;
	struct partition_request req;
	uint64_t base;
	int err;

	memset(&req, 0, sizeof(req));
	for (unsigned g = 0; g < PARTITION_NR_GUESTS; g++) {
		req.guest[g].present = true;
		req.guest[g].placement = g ? PARTITION_PLACE_LOW : PARTITION_PLACE_HIGH;
		req.guest[g].size = size;
	}
	if ((err = partition_plan_init(p, &plan_scale_map)) < 0 ||
	    (err = partition_reserve_monitor(p, PLAN_SCALE_MONITOR, 2 * MiB, "monitor", &base)) < 0 ||
	    (err = partition_plan_build(p, &req)) < 0)
		fprintf(stderr, "plan_scale: %s\n", partition_error(p));
	return err;
}

/* Both guests' tables with flags into pages (npt_pages each), as efi/twin.c builds them. */
static int plan_scale_build(unsigned flags, uint8_t *pages, size_t npt_pages,
			    size_t tables[PARTITION_NR_GUESTS],
			    size_t leaves[PARTITION_NR_GUESTS][3])
{
	for (unsigned g = 0; g < PARTITION_NR_GUESTS; g++) {
		struct npt_pool pool;
		struct npt_ops ops;
		struct npt npt;
		int err;

		npt_pool_init(&pool, PLAN_SCALE_FAKE_PA, pages, npt_pages);
		npt_pool_ops(&pool, &ops);
		/* The last page plays the zero page below 1 MiB (never a table). */
		pool.pages--;
		err = partition_build_pt(&plan_scale_plan, g, &ops, flags, &npt_format_amd, &npt);
		if (!err)
			err = partition_npt_zero_low(&plan_scale_plan, g, &npt,
						     PLAN_SCALE_FAKE_PA + pool.pages * NPT_SIZE_4K);
		if (err < 0) {
			fprintf(stderr, "plan_scale: guest %u: %s (error %d)\n", g,
				partition_error(&plan_scale_plan), err);
			return err;
		}
		tables[g] = npt.tables;
		if (leaves)
			memcpy(leaves[g], npt.leaves, sizeof(npt.leaves));
	}
	return 0;
}

static int plan_scale_one(unsigned gib, uint8_t *pages, size_t npt_pages,
			  struct plan_scale_result *r)
{
	uint64_t size = (uint64_t)gib * GiB;
	double plan[PLAN_SCALE_REPS], npt[PLAN_SCALE_REPS];

	memset(r, 0, sizeof(*r));
	r->gib = gib;
	plan_scale_machine(size);
	for (unsigned i = 0; i < PLAN_SCALE_REPS; i++) {
		double t0 = plan_scale_now_us();

		for (unsigned k = 0; k < PLAN_SCALE_PLAN_LOOP; k++)
			if (plan_scale_plan_once(size) < 0)
				return -EINVAL;
		plan[i] = (plan_scale_now_us() - t0) / PLAN_SCALE_PLAN_LOOP;
	}
	for (unsigned i = 0; i < PLAN_SCALE_REPS; i++) {
		double t0 = plan_scale_now_us();

		for (unsigned k = 0; k < PLAN_SCALE_NPT_LOOP; k++)
			if (plan_scale_build(0, pages, npt_pages, r->tables[0], r->leaves) < 0)
				return -EINVAL;
		npt[i] = (plan_scale_now_us() - t0) / PLAN_SCALE_NPT_LOOP;
	}
	r->plan_us = plan_scale_median(plan, PLAN_SCALE_REPS);
	r->npt_us = plan_scale_median(npt, PLAN_SCALE_REPS);
	if (plan_scale_build(NPT_NO_1G, pages, npt_pages, r->tables[1], NULL) < 0)
		return -EINVAL;
	for (unsigned g = 0; g < PARTITION_NR_GUESTS; g++) {
		struct npt_region reg[PARTITION_MAX_NPT_REGIONS];
		size_t n;

		r->nr_ram[g] = plan_scale_plan.guest[g].nr_ram;
		if (partition_npt_regions(&plan_scale_plan, g, reg, PARTITION_MAX_NPT_REGIONS,
					  &n) < 0)
			return -EINVAL;
		r->tables[2][g] = npt_count_tables_flags(reg, n, plan_scale_pages[2].flags);
	}
	return 0;
}

static size_t plan_scale_max(const size_t v[PARTITION_NR_GUESTS])
{
	return v[0] > v[1] ? v[0] : v[1];
}

static void plan_scale_print(const struct plan_scale_result *r, size_t n)
{
	printf("plan_scale: both guests of each size, medians of %u runs; tables in KiB per guest "
	       "(a/b); leaves with 1G+2M pages\n",
	       PLAN_SCALE_REPS);
	printf("%-6s %-8s %-8s %-11s %-11s %-17s %-10s %-10s %s\n", "GiB", "plan_us", "npt_us",
	       "1G+2M KiB", "2M KiB", "4K KiB counted", "a 1G/2M/4K", "b 1G/2M/4K", "ram a/b");
	for (size_t i = 0; i < n; i++) {
		char c[3][32], l[PARTITION_NR_GUESTS][32];

		for (unsigned k = 0; k < PLAN_SCALE_NR_PAGES; k++)
			snprintf(c[k], sizeof(c[k]), "%zu/%zu", r[i].tables[k][0] * 4,
				 r[i].tables[k][1] * 4);
		for (unsigned g = 0; g < PARTITION_NR_GUESTS; g++)
			snprintf(l[g], sizeof(l[g]), "%zu/%zu/%zu", r[i].leaves[g][2],
				 r[i].leaves[g][1], r[i].leaves[g][0]);
		printf("%-6u %-8.2f %-8.2f %-11s %-11s %-17s %-10s %-10s %zu/%zu\n", r[i].gib,
		       r[i].plan_us, r[i].npt_us, c[0], c[1], c[2], l[0], l[1], r[i].nr_ram[0],
		       r[i].nr_ram[1]);
	}
	for (unsigned k = 0; k < PLAN_SCALE_NR_PAGES; k++)
		printf("plan_scale: reserved per guest with %s pages (efi/twin.c's bound): %zu KiB\n",
		       plan_scale_pages[k].name,
		       npt_tables_bound_flags(PARTITION_MAX_NPT_REGIONS, PLAN_SCALE_NPT_END,
					      plan_scale_pages[k].flags) * 4);
}

/* metric,guest,slice_us,cpus,value: the guest column holds the guests' size. */
static void plan_scale_csv(const struct plan_scale_result *r, size_t n)
{
	const struct plan_scale_result *lo = &r[0], *hi = &r[n - 1];

	for (size_t i = 0; i < n; i++) {
		printf("S1.plan_us,%uG,-,-,%.2f\n", r[i].gib, r[i].plan_us);
		printf("S1.npt_us,%uG,-,-,%.2f\n", r[i].gib, r[i].npt_us);
		printf("S1.npt_kib,%uG,-,-,%zu\n", r[i].gib, plan_scale_max(r[i].tables[0]) * 4);
		printf("S1.npt2m_kib,%uG,-,-,%zu\n", r[i].gib, plan_scale_max(r[i].tables[1]) * 4);
		printf("S1.npt4k_kib,%uG,-,-,%zu\n", r[i].gib, plan_scale_max(r[i].tables[2]) * 4);
	}
	printf("S1x.plan_us,%uG/%uG,-,-,%.2f\n", hi->gib, lo->gib, hi->plan_us / lo->plan_us);
	printf("S1x.npt_us,%uG/%uG,-,-,%.2f\n", hi->gib, lo->gib, hi->npt_us / lo->npt_us);
	printf("S1x.npt_kib,%uG/%uG,-,-,%.2f\n", hi->gib, lo->gib,
	       (double)plan_scale_max(hi->tables[0]) / (double)plan_scale_max(lo->tables[0]));
	printf("S1x.npt4k_kib,%uG/%uG,-,-,%.2f\n", hi->gib, lo->gib,
	       (double)plan_scale_max(hi->tables[2]) / (double)plan_scale_max(lo->tables[2]));
}

int main(int argc, char **argv)
{
	struct plan_scale_result r[PLAN_SCALE_NR_SIZES];
	/* What the EFI app reserves per guest with 2 MiB pages (with or without 1 GiB ones: the
	 * bound is the same), and the zero page: a build that needs more fails (-ENOMEM). */
	size_t npt_pages = npt_tables_bound_flags(PARTITION_MAX_NPT_REGIONS, PLAN_SCALE_NPT_END,
						  NPT_NO_1G) + 1;
	uint8_t *pages;
	bool csv = argc > 1 && !strcmp(argv[1], "--csv");

	if (argc > 2 || (argc == 2 && !csv)) {
		fprintf(stderr, "usage: plan_scale [--csv]\n");
		return 2;
	}
	pages = aligned_alloc(NPT_SIZE_4K, npt_pages * NPT_SIZE_4K);
	if (!pages) {
		fprintf(stderr, "plan_scale: no memory for %zu table pages\n", npt_pages);
		return 1;
	}
	for (size_t i = 0; i < PLAN_SCALE_NR_SIZES; i++)
		if (plan_scale_one(plan_scale_sizes[i], pages, npt_pages, &r[i]) < 0) {
			free(pages);
			return 1;
		}
	if (csv)
		plan_scale_csv(r, PLAN_SCALE_NR_SIZES);
	else
		plan_scale_print(r, PLAN_SCALE_NR_SIZES);
	free(pages);
	return 0;
}
