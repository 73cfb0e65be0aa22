// SPDX-License-Identifier: GPL-2.0-only
/* Nested page tables: builder, walker, table counting, and a plan's guest mapped. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "partition/npt.h"

#define KiB (1ULL << 10)
#define MiB (1ULL << 20)
#define GiB (1ULL << 30)

/* Table pages at a made-up physical address, so pa and va can never be confused. */
#define POOL_PA 0x7f0000000000ULL
#define POOL_PAGES 4096

struct fixture {
	void *mem;
	struct npt_pool pool;
	struct npt_ops ops;
	struct npt npt;
};

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));

	if (!f || posix_memalign(&f->mem, 4096, POOL_PAGES * 4096))
		return -1;
	memset(f->mem, 0xa5, POOL_PAGES * 4096);	/* the builder must zero what it uses */
	npt_pool_init(&f->pool, POOL_PA, f->mem, POOL_PAGES);
	npt_pool_ops(&f->pool, &f->ops);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	free(f->mem);
	free(f);
	return 0;
}

#define LEAF_RAM (NPT_P | NPT_RW | NPT_US)
#define LEAF_UC (NPT_P | NPT_RW | NPT_US | NPT_PCD | NPT_PWT)

static void expect(struct npt *npt, uint64_t gpa, uint64_t hpa, uint64_t size, uint64_t flags)
{
	struct npt_walk_result r;

	assert_int_equal(npt_walk(npt, gpa, &r), 0);
	assert_true(r.mapped);
	assert_int_equal(r.hpa, hpa);
	assert_int_equal(r.page_size, size);
	assert_int_equal(r.flags & ~NPT_PS, flags);
}

static void expect_unmapped(struct npt *npt, uint64_t gpa)
{
	struct npt_walk_result r;

	assert_int_equal(npt_walk(npt, gpa, &r), 0);
	assert_false(r.mapped);
}

static void test_npt_single_pages_and_attributes(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(npt_init(&f->npt, &f->ops, 0), 0);
	assert_int_equal(f->npt.root_pa, POOL_PA);
	assert_int_equal(npt_map_range(&f->npt, 0x5000, 0x5000, 4 * KiB, NPT_MAP_WRITE), 0);
	assert_int_equal(npt_map_range(&f->npt, 0x6000, 0xfee00000, 4 * KiB, NPT_MAP_WRITE | NPT_MAP_UC),
			 0);
	assert_int_equal(npt_map_range(&f->npt, 0x7000, 0x7000, 4 * KiB, NPT_MAP_READ), 0);
	assert_int_equal(npt_map_range(&f->npt, 0x8000, 0x8000, 4 * KiB, NPT_MAP_NOEXEC), 0);
	expect(&f->npt, 0x5123, 0x5123, 4 * KiB, LEAF_RAM);
	expect(&f->npt, 0x6ff0, 0xfee00ff0, 4 * KiB, LEAF_UC);
	expect(&f->npt, 0x7000, 0x7000, 4 * KiB, NPT_P | NPT_US);
	expect(&f->npt, 0x8000, 0x8000, 4 * KiB, NPT_P | NPT_US | NPT_NX);
	expect_unmapped(&f->npt, 0x4fff);
	expect_unmapped(&f->npt, 0x9000);
	expect_unmapped(&f->npt, 1ULL << 47);
	assert_int_equal(f->npt.tables, 4);
	assert_int_equal(f->npt.leaves[0], 4);
}

/* The walker check: every page of a test map, and the pages around it. */
static void test_npt_walk_every_page(void **state)
{
	struct fixture *f = *state;
	/* 1G-aligned start: 1G pages, then 2M, then 4K at the ragged end. */
	const uint64_t b1 = 0, e1 = 2 * GiB + 6 * MiB + 12 * KiB;
	/* Unaligned both ends, spanning a 1G boundary: no 1G page fits. */
	const uint64_t b2 = 3 * GiB - 2 * MiB - 20 * KiB, e2 = 3 * GiB + 4 * MiB + 8 * KiB;
	const uint64_t b3 = 0xfd000000ULL + 4 * GiB, e3 = b3 + 16 * MiB;	/* MMIO, UC */
	struct npt_walk_result r;

	assert_int_equal(npt_init(&f->npt, &f->ops, 0), 0);
	assert_int_equal(npt_map_range(&f->npt, b1, b1, e1 - b1, NPT_MAP_WRITE), 0);
	assert_int_equal(npt_map_range(&f->npt, b2, b2, e2 - b2, NPT_MAP_WRITE), 0);
	assert_int_equal(npt_map_range(&f->npt, b3, b3, e3 - b3, NPT_MAP_WRITE | NPT_MAP_UC), 0);
	assert_int_equal(f->npt.leaves[2], 2);
	assert_int_equal(f->npt.leaves[1], 3 + 1 + 2 + 8);
	assert_int_equal(f->npt.leaves[0], 3 + 5 + 2);

	for (uint64_t gpa = 0; gpa < 4 * GiB + 64 * MiB; gpa += 4 * KiB) {
		assert_int_equal(npt_walk(&f->npt, gpa, &r), 0);
		bool in1 = gpa < e1, in2 = gpa >= b2 && gpa < e2;

		if (!in1 && !in2) {
			assert_false(r.mapped);
			continue;
		}
		assert_true(r.mapped);
		assert_int_equal(r.hpa, gpa);
		assert_int_equal(r.flags & ~NPT_PS, LEAF_RAM);
		/* The largest page the range allows at this address. */
		uint64_t b = in1 ? b1 : b2, e = in1 ? e1 : e2, want = 4 * KiB;

		if ((gpa & ~(GiB - 1)) >= b && (gpa & ~(GiB - 1)) + GiB <= e)
			want = GiB;
		else if ((gpa & ~(2 * MiB - 1)) >= b && (gpa & ~(2 * MiB - 1)) + 2 * MiB <= e)
			want = 2 * MiB;
		assert_int_equal(r.page_size, want);
		assert_int_equal(r.page_gpa, gpa & ~(want - 1));
	}
	for (uint64_t gpa = b3 - 8 * KiB; gpa < e3 + 8 * KiB; gpa += 4 * KiB) {
		assert_int_equal(npt_walk(&f->npt, gpa, &r), 0);
		assert_int_equal(r.mapped, gpa >= b3 && gpa < e3);
		if (r.mapped) {
			assert_int_equal(r.flags & ~NPT_PS, LEAF_UC);
			assert_int_equal(r.page_size, 2 * MiB);
		}
	}
}

static void test_npt_no_1g_and_non_identity(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(npt_init(&f->npt, &f->ops, NPT_NO_1G), 0);
	assert_int_equal(npt_map_range(&f->npt, 1 * GiB, 5 * GiB, 1 * GiB, NPT_MAP_WRITE), 0);
	assert_int_equal(f->npt.leaves[2], 0);
	assert_int_equal(f->npt.leaves[1], 512);
	expect(&f->npt, 1 * GiB + 0x1234, 5 * GiB + 0x1234, 2 * MiB, LEAF_RAM);
	/* hpa 2M-aligned but gpa not: 4K pages only. */
	assert_int_equal(npt_map_range(&f->npt, 4 * GiB + 4 * KiB, 6 * GiB, 4 * MiB, NPT_MAP_WRITE), 0);
	assert_int_equal(f->npt.leaves[0], 1024);
	expect(&f->npt, 4 * GiB + 8 * KiB, 6 * GiB + 4 * KiB, 4 * KiB, LEAF_RAM);
}

static void test_npt_rejects_overlap_and_bad_input(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(npt_init(&f->npt, &f->ops, 0), 0);
	assert_int_equal(npt_map_range(&f->npt, 2 * MiB, 2 * MiB, 2 * MiB, NPT_MAP_WRITE), 0);
	assert_int_equal(npt_map_range(&f->npt, 2 * MiB, 2 * MiB, 2 * MiB, 0), -EEXIST);
	/* A 4K page inside the 2M page. */
	assert_int_equal(npt_map_range(&f->npt, 3 * MiB, 3 * MiB, 4 * KiB, 0), -EEXIST);
	/* A 1G page over a region that has a table already. */
	assert_int_equal(npt_map_range(&f->npt, 0, 0, 1 * GiB, 0), -EEXIST);
	assert_int_equal(npt_map_range(&f->npt, 0x1001, 0x1000, 4 * KiB, 0), -EINVAL);
	assert_int_equal(npt_map_range(&f->npt, 0x1000, 0x1000, 0, 0), -EINVAL);
	assert_int_equal(npt_map_range(&f->npt, (1ULL << 48) - 4 * KiB, 0, 8 * KiB, 0), -ERANGE);
	assert_int_equal(npt_map_range(&f->npt, 0, (1ULL << 52) - 4 * KiB, 8 * KiB, 0), -ERANGE);
	assert_int_equal(npt_map_range(&f->npt, UINT64_MAX & ~0xfffULL, 0, 4 * KiB, 0), -ERANGE);
}

static void test_npt_walker_rejects_malformed(void **state)
{
	struct fixture *f = *state;
	struct npt_walk_result r;

	assert_int_equal(npt_init(&f->npt, &f->ops, 0), 0);
	assert_int_equal(npt_walk(&f->npt, 1ULL << 48, &r), -EINVAL);
	f->npt.root[0] = NPT_P | NPT_RW | NPT_US | NPT_PS;	/* no large pages in a PML4 */
	assert_int_equal(npt_walk(&f->npt, 0, &r), -EINVAL);
	assert_int_equal(npt_map_range(&f->npt, 1 * GiB, 1 * GiB, 2 * MiB, 0), -EEXIST);

	assert_int_equal(npt_init(&f->npt, &f->ops, 0), 0);
	assert_int_equal(npt_map_range(&f->npt, 2 * MiB, 2 * MiB, 2 * MiB, 0), 0);
	uint64_t *pdpt = f->ops.phys_to_virt(f->ops.ctx, f->npt.root[0] & NPT_ADDR_MASK);
	uint64_t *pd = f->ops.phys_to_virt(f->ops.ctx, pdpt[0] & NPT_ADDR_MASK);

	assert_non_null(pd);
	pd[1] |= 0x2000;	/* a 2M page whose address is not 2M aligned */
	assert_int_equal(npt_walk(&f->npt, 2 * MiB, &r), -EINVAL);
	pd[1] &= ~0x2000ULL;
	pd[1] |= 1ULL << 60;	/* bits the builder never sets */
	assert_int_equal(npt_walk(&f->npt, 2 * MiB, &r), -EINVAL);
	pd[1] &= ~(1ULL << 60);
	pd[1] &= ~NPT_RW;	/* permissions along the walk */
	expect(&f->npt, 2 * MiB, 2 * MiB, 2 * MiB, NPT_P | NPT_US);
	pdpt[0] &= ~NPT_RW;	/* a read-only upper level makes the whole walk read-only */
	pd[1] |= NPT_RW;
	expect(&f->npt, 2 * MiB, 2 * MiB, 2 * MiB, NPT_P | NPT_US);
	pdpt[0] = (pdpt[0] & ~NPT_ADDR_MASK) | 0x1000;	/* a table the allocator never gave */
	assert_int_equal(npt_walk(&f->npt, 2 * MiB, &r), -EFAULT);
}

static void test_npt_out_of_pages(void **state)
{
	struct fixture *f = *state;

	f->pool.pages = 3;
	assert_int_equal(npt_init(&f->npt, &f->ops, 0), 0);
	assert_int_equal(npt_map_range(&f->npt, 0, 0, 4 * KiB, 0), -ENOMEM);
	f->pool.pages = 0;
	f->pool.used = 0;
	assert_int_equal(npt_init(&f->npt, &f->ops, 0), -ENOMEM);
}

struct leaf_log {
	uint64_t bytes[2];	/* RW and read-only */
	uint64_t last_end;
	int count;
};

static int log_leaf(void *ctx, uint64_t gpa, uint64_t hpa, uint64_t size, uint64_t flags)
{
	struct leaf_log *l = ctx;

	assert_int_equal(gpa, hpa);
	assert_true(gpa >= l->last_end);	/* address order, no overlap */
	l->last_end = gpa + size;
	l->bytes[(flags & NPT_RW) ? 0 : 1] += size;
	l->count++;
	return 0;
}

static int stop_at_third(void *ctx, uint64_t gpa, uint64_t hpa, uint64_t size, uint64_t flags)
{
	return ++*(int *)ctx == 3 ? 42 : 0;
}

static void test_npt_count_tables_matches_builder(void **state)
{
	struct fixture *f = *state;
	struct npt_region r[40];

	srand(1234);
	for (int iter = 0; iter < 200; iter++) {
		size_t n = (size_t)rand() % 40;
		uint64_t at = ((uint64_t)rand() % 64) * 4 * KiB;
		bool no_1g = rand() % 4 == 0;
		struct leaf_log log = { 0 };
		uint64_t rw = 0, ro = 0;

		f->pool.used = 0;
		for (size_t i = 0; i < n; i++) {
			/* Mix of page-, 2M- and 1G-scale gaps and lengths. */
			uint64_t scale = (uint64_t[]){ 4 * KiB, 2 * MiB, 1 * GiB }[rand() % 3];
			uint64_t len = (1 + (uint64_t)rand() % 700) * 4 * KiB +
				       ((uint64_t)rand() % 3) * scale;

			at += ((uint64_t)rand() % 3) * scale + (rand() % 2) * 4 * KiB;
			r[i] = (struct npt_region){ at, at + len, (unsigned)(rand() % 2) };
			at += len + 4 * KiB;
			*(r[i].attr ? &rw : &ro) += len;
		}
		assert_int_equal(npt_init(&f->npt, &f->ops, no_1g ? NPT_NO_1G : 0), 0);
		for (size_t i = 0; i < n; i++)
			assert_int_equal(npt_map_range(&f->npt, r[i].base, r[i].base,
						       r[i].end - r[i].base, r[i].attr),
					 0);
		assert_int_equal(npt_count_tables(r, n, no_1g), f->npt.tables);
		assert_true(npt_tables_bound(n, at) >= f->npt.tables);
		assert_int_equal(npt_for_each_leaf(&f->npt, log_leaf, &log), 0);
		assert_int_equal(log.bytes[0], rw);
		assert_int_equal(log.bytes[1], ro);
		assert_int_equal((size_t)log.count, f->npt.leaves[0] + f->npt.leaves[1] +
							    f->npt.leaves[2]);
	}
	int seen = 0;

	assert_int_equal(npt_for_each_leaf(&f->npt, stop_at_third, &seen), f->npt.leaves[0] +
		f->npt.leaves[1] + f->npt.leaves[2] >= 3 ? 42 : 0);
}

static void test_partition_npt_for_a_plan(void **state)
{
	struct fixture *f = *state;
	struct memmap_entry e[] = {
		{ 0, 0xa0000, MEMMAP_USABLE, 7 },
		{ 1 * MiB, 255 * MiB, MEMMAP_USABLE, 7 },
		{ 0x0ff00000, 0x1800, MEMMAP_ACPI, 9 },	/* inside RAM, unaligned end */
		{ 0xfed00000, 0x400, MEMMAP_MMIO, 11 },
	};
	struct memmap map = { e, 4, 4 };
	static struct partition_plan plan;
	struct partition_request req = { 0 };
	struct npt_region regions[PARTITION_MAX_NPT_REGIONS];
	struct npt_walk_result r;
	size_t n;

	req.guest[0].present = req.guest[1].present = true;
	req.guest[1].placement = PARTITION_PLACE_LOW;
	req.guest[0].map_acpi = true;
	req.guest[0].nr_mmio = 1;
	req.guest[0].mmio[0] = (struct partition_range){ 0xfed00000, 0xfed00400 };	/* HPET */
	assert_int_equal(partition_plan_init(&plan, &map), 0);
	assert_int_equal(partition_reserve_fixed(&plan, 200 * MiB, 4 * MiB, "image"), 0);
	assert_int_equal(partition_plan_build(&plan, &req), 0);
	assert_int_equal(partition_npt_regions(&plan, 0, regions, PARTITION_MAX_NPT_REGIONS, &n), 0);
	assert_int_equal(partition_build_npt(&plan, 0, &f->ops, 0, &f->npt), 0);
	assert_int_equal(npt_count_tables(regions, n, false), f->npt.tables);

	for (uint64_t gpa = 0; gpa < 4 * GiB; gpa += 4 * KiB) {
		int owner = partition_page_owner(&plan, gpa);

		assert_int_equal(npt_walk(&f->npt, gpa, &r), 0);
		if (owner == 0) {
			assert_true(r.mapped);
			assert_int_equal(r.hpa, gpa);
			assert_int_equal(r.flags & ~NPT_PS, LEAF_RAM);
		} else if (gpa >= 0x0ff00000 && gpa < 0x0ff02000) {
			assert_true(r.mapped);	/* the ACPI tables, read-only */
			assert_int_equal(r.flags & ~NPT_PS, NPT_P | NPT_US);
		} else if (gpa == 0xfed00000) {
			assert_true(r.mapped);
			assert_int_equal(r.flags & ~NPT_PS, LEAF_UC);
		} else {
			assert_false(r.mapped);	/* b's RAM, the monitor, page 0, holes */
		}
	}
	/* b did not ask for the tables. */
	f->pool.used = 0;
	assert_int_equal(partition_build_npt(&plan, 1, &f->ops, 0, &f->npt), 0);
	assert_int_equal(npt_walk(&f->npt, 0x0ff00000, &r), 0);
	assert_false(r.mapped);
	assert_int_equal(npt_walk(&f->npt, 0xfed00000, &r), 0);
	assert_false(r.mapped);
	assert_true(partition_build_npt(&plan, 7, &f->ops, 0, &f->npt) < 0);
}

/* Below 1 MiB every page is the guest's own RAM or the shared zero page, read-only. */
static void test_partition_npt_zero_low(void **state)
{
	struct fixture *f = *state;
	struct memmap_entry e[] = {
		{ 0, 0xa0000, MEMMAP_USABLE, 7 },
		{ 1 * MiB, 255 * MiB, MEMMAP_USABLE, 7 },
	};
	struct memmap map = { e, 2, 2 };
	static struct partition_plan plan;
	struct partition_request req = { 0 };
	struct npt_walk_result r;
	const uint64_t zero = 200 * MiB;
	unsigned own = 0, zeros = 0;

	req.guest[0].present = req.guest[1].present = true;
	req.guest[1].placement = PARTITION_PLACE_LOW;
	assert_int_equal(partition_plan_init(&plan, &map), 0);
	assert_int_equal(partition_plan_build(&plan, &req), 0);
	assert_int_equal(partition_build_npt(&plan, 1, &f->ops, 0, &f->npt), 0);
	assert_true(partition_npt_zero_low(&plan, 1, &f->npt, zero + 1) < 0);
	assert_int_equal(partition_npt_zero_low(&plan, 1, &f->npt, zero), 0);
	for (uint64_t gpa = 0; gpa < 2 * MiB; gpa += 4 * KiB) {
		assert_int_equal(npt_walk(&f->npt, gpa, &r), 0);
		if (partition_page_owner(&plan, gpa) == 1) {
			assert_true(r.mapped);
			assert_int_equal(r.hpa, gpa);
			own += gpa < 1 * MiB;
		} else if (gpa < 1 * MiB) {
			assert_true(r.mapped);
			assert_int_equal(r.hpa, zero);
			assert_int_equal(r.flags & ~NPT_PS, NPT_P | NPT_US | NPT_NX);
			zeros++;
		} else {
			assert_false(r.mapped);
		}
	}
	assert_true(own > 0 && zeros > 0);
	assert_int_equal(own + zeros, 256);
	/* Twice is an overlap, not a silent remap. */
	assert_true(partition_npt_zero_low(&plan, 1, &f->npt, zero) < 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_npt_single_pages_and_attributes, setup, teardown),
		cmocka_unit_test_setup_teardown(test_npt_walk_every_page, setup, teardown),
		cmocka_unit_test_setup_teardown(test_npt_no_1g_and_non_identity, setup, teardown),
		cmocka_unit_test_setup_teardown(test_npt_rejects_overlap_and_bad_input, setup, teardown),
		cmocka_unit_test_setup_teardown(test_npt_walker_rejects_malformed, setup, teardown),
		cmocka_unit_test_setup_teardown(test_npt_out_of_pages, setup, teardown),
		cmocka_unit_test_setup_teardown(test_npt_count_tables_matches_builder, setup, teardown),
		cmocka_unit_test_setup_teardown(test_partition_npt_for_a_plan, setup, teardown),
		cmocka_unit_test_setup_teardown(test_partition_npt_zero_low, setup, teardown),
	};
	return cmocka_run_group_tests_name("npt", tests, NULL, NULL);
}
