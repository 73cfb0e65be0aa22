// SPDX-License-Identifier: GPL-2.0-only
/*
 * The nested page-table builder in Intel's EPT format: the same plan as AMD's, the same
 * pages and sizes, EPT's permission and memory-type bits, the EPT pointer, and the walker's
 * EPT misconfiguration checks.
 */
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

#define POOL_PA 0x7f0000000000ULL
#define POOL_PAGES 4096

#define WB (EPT_MT_WB << EPT_MT_SHIFT)
#define UC (EPT_MT_UC << EPT_MT_SHIFT)
#define EPT_RAM (EPT_R | EPT_W | EPT_X | WB)
#define EPT_MMIO (EPT_R | EPT_W | EPT_X | UC)

struct fixture {
	void *mem[2];
	struct npt_pool pool[2];
	struct npt_ops ops[2];
	struct npt npt[2];	/* [0] AMD, [1] EPT */
};

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));

	if (!f)
		return -1;
	for (int i = 0; i < 2; i++) {
		if (posix_memalign(&f->mem[i], 4096, POOL_PAGES * 4096))
			return -1;
		memset(f->mem[i], 0xa5, POOL_PAGES * 4096);
		npt_pool_init(&f->pool[i], POOL_PA + i * 0x100000000ULL, f->mem[i], POOL_PAGES);
		npt_pool_ops(&f->pool[i], &f->ops[i]);
	}
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	free(f->mem[0]);
	free(f->mem[1]);
	free(f);
	return 0;
}

static void expect(struct npt *npt, uint64_t gpa, uint64_t hpa, uint64_t size, uint64_t flags)
{
	struct npt_walk_result r;

	assert_int_equal(npt_walk(npt, gpa, &r), 0);
	assert_true(r.mapped);
	assert_int_equal(r.hpa, hpa);
	assert_int_equal(r.page_size, size);
	assert_int_equal(r.flags & ~EPT_PS, flags);
}

static uint64_t *table_of(struct fixture *f, uint64_t entry)
{
	uint64_t *t = f->ops[1].phys_to_virt(f->ops[1].ctx, entry & NPT_ADDR_MASK);

	assert_non_null(t);
	return t;
}

static void test_ept_leaf_bits(void **state)
{
	assert_int_equal(npt_ept_leaf_flags(NPT_MAP_WRITE), EPT_R | EPT_W | EPT_X | 0x30);
	assert_int_equal(npt_ept_leaf_flags(NPT_MAP_WRITE | NPT_MAP_UC), EPT_R | EPT_W | EPT_X);
	assert_int_equal(npt_ept_leaf_flags(NPT_MAP_READ), EPT_R | EPT_X | 0x30);
	assert_int_equal(npt_ept_leaf_flags(NPT_MAP_READ | NPT_MAP_NOEXEC), EPT_R | 0x30);
	/* IPAT stays clear: the guest's PAT still combines with the leaf's type. */
	for (unsigned a = 0; a < 8; a++)
		assert_int_equal(npt_ept_leaf_flags(a) & (EPT_IPAT | EPT_PS | EPT_A | EPT_D), 0);
}

/* The raw entries of each size, and the EPT pointer. */
static void test_ept_entries_and_pointer(void **state)
{
	struct fixture *f = *state;
	struct npt *e = &f->npt[1];

	assert_int_equal(npt_init_format(e, &f->ops[1], 0, &npt_format_ept), 0);
	/* 1 GiB at 1 GiB, 2 MiB at 2 GiB (UC), 4 KiB pages after it, read-only. */
	assert_int_equal(npt_map_range(e, 1 * GiB, 5 * GiB, 1 * GiB, NPT_MAP_WRITE), 0);
	assert_int_equal(npt_map_range(e, 2 * GiB, 2 * GiB, 2 * MiB, NPT_MAP_WRITE | NPT_MAP_UC),
			 0);
	assert_int_equal(npt_map_range(e, 2 * GiB + 2 * MiB, 2 * GiB + 2 * MiB, 8 * KiB,
				       NPT_MAP_READ | NPT_MAP_NOEXEC), 0);
	assert_int_equal(e->leaves[2], 1);
	assert_int_equal(e->leaves[1], 1);
	assert_int_equal(e->leaves[0], 2);

	/* Non-leaf entries: address | R W X, no memory type, no PS. */
	assert_int_equal(e->root[0] & ~NPT_ADDR_MASK, EPT_R | EPT_W | EPT_X);
	uint64_t *pdpt = table_of(f, e->root[0]);

	assert_int_equal(pdpt[1], 5 * GiB | EPT_PS | EPT_RAM);
	assert_int_equal(pdpt[2] & ~NPT_ADDR_MASK, EPT_R | EPT_W | EPT_X);
	uint64_t *pd = table_of(f, pdpt[2]);

	assert_int_equal(pd[0], 2 * GiB | EPT_PS | EPT_MMIO);
	uint64_t *pt = table_of(f, pd[1]);

	assert_int_equal(pt[0], (2 * GiB + 2 * MiB) | EPT_R | WB);
	assert_int_equal(pt[1], (2 * GiB + 2 * MiB + 4 * KiB) | EPT_R | WB);
	assert_int_equal(pt[2], 0);

	expect(e, 1 * GiB + 0x1234, 5 * GiB + 0x1234, 1 * GiB, EPT_RAM);
	expect(e, 2 * GiB + 0x10, 2 * GiB + 0x10, 2 * MiB, EPT_MMIO);
	expect(e, 2 * GiB + 2 * MiB + 4 * KiB, 2 * GiB + 2 * MiB + 4 * KiB, 4 * KiB, EPT_R | WB);

	/* WB tables (6), 4-level walk (3 << 3), A/D flags on request. */
	assert_int_equal(npt_ept_pointer(e, false), e->root_pa | 0x1e);
	assert_int_equal(npt_ept_pointer(e, true), e->root_pa | 0x5e);
	assert_int_equal(e->root_pa & 0xfff, 0);
	assert_int_equal(npt_init(&f->npt[0], &f->ops[0], 0), 0);
	assert_int_equal(npt_ept_pointer(&f->npt[0], false), 0);	/* not EPT */
}

/* Without 2 MiB pages (EPT_VPID_CAP bit 16 clear) and without 1 GiB pages. */
static void test_ept_no_large_pages(void **state)
{
	struct fixture *f = *state;
	struct npt *e = &f->npt[1];
	const struct npt_region r[] = {
		{ 0, 0xa0000, NPT_MAP_WRITE },
		{ 1 * MiB, 3 * GiB, NPT_MAP_WRITE },
		{ 4 * GiB, 4 * GiB + 6 * MiB, NPT_MAP_WRITE | NPT_MAP_UC },
	};
	const unsigned flags[] = { NPT_NO_2M, NPT_NO_2M | NPT_NO_1G, NPT_NO_1G, 0 };

	for (size_t k = 0; k < 4; k++) {
		f->pool[1].used = 0;
		assert_int_equal(npt_init_format(e, &f->ops[1], flags[k], &npt_format_ept), 0);
		for (size_t i = 0; i < 3; i++)
			assert_int_equal(npt_map_range(e, r[i].base, r[i].base, r[i].end - r[i].base,
						       r[i].attr), 0);
		if (flags[k] & NPT_NO_2M)
			assert_int_equal(e->leaves[1], 0);
		else
			assert_true(e->leaves[1] > 0);
		if (flags[k] & NPT_NO_1G)
			assert_int_equal(e->leaves[2], 0);
		else
			assert_int_equal(e->leaves[2], 2);	/* [1G, 3G) */
		assert_int_equal(npt_count_tables_flags(r, 3, flags[k]), e->tables);
		assert_true(npt_tables_bound_flags(3, 8 * GiB, flags[k]) >= e->tables);
		expect(e, 2 * GiB + 3 * MiB + 5, 2 * GiB + 3 * MiB + 5,
		       !(flags[k] & NPT_NO_1G) ? 1 * GiB : (flags[k] & NPT_NO_2M) ? 4 * KiB : 2 * MiB,
		       EPT_RAM);
		expect(e, 4 * GiB + 5 * MiB, 4 * GiB + 5 * MiB,
		       (flags[k] & NPT_NO_2M) ? 4 * KiB : 2 * MiB, EPT_MMIO);
	}
	/* The AMD count is the same function with the same flags. */
	assert_int_equal(npt_count_tables(r, 3, true), npt_count_tables_flags(r, 3, NPT_NO_1G));
	assert_int_equal(npt_tables_bound(3, 8 * GiB), npt_tables_bound_flags(3, 8 * GiB, 0));
}

static void build_plan(struct partition_plan *plan)
{
	static struct memmap_entry e[] = {
		{ 0, 0xa0000, MEMMAP_USABLE, 7 },
		{ 1 * MiB, 255 * MiB, MEMMAP_USABLE, 7 },
		{ 0x0ff00000, 0x1800, MEMMAP_ACPI, 9 },
		{ 0xfed00000, 0x400, MEMMAP_MMIO, 11 },
	};
	static struct memmap map = { e, 4, 4 };
	struct partition_request req = { 0 };

	req.guest[0].present = req.guest[1].present = true;
	req.guest[1].placement = PARTITION_PLACE_LOW;
	req.guest[0].map_acpi = true;
	req.guest[0].nr_mmio = 1;
	req.guest[0].mmio[0] = (struct partition_range){ 0xfed00000, 0xfed00400 };
	assert_int_equal(partition_plan_init(plan, &map), 0);
	assert_int_equal(partition_reserve_fixed(plan, 200 * MiB, 4 * MiB, "image"), 0);
	assert_int_equal(partition_plan_build(plan, &req), 0);
}

/* One plan, both formats: the same pages at the same sizes, each with its own bits. */
static void test_ept_same_plan_as_npt(void **state)
{
	struct fixture *f = *state;
	static struct partition_plan plan;
	struct npt_walk_result a, e;
	const uint64_t zero = 210 * MiB;

	build_plan(&plan);
	for (unsigned g = 0; g < 2; g++) {
		f->pool[0].used = f->pool[1].used = 0;
		assert_int_equal(partition_build_npt(&plan, g, &f->ops[0], 0, &f->npt[0]), 0);
		assert_int_equal(partition_build_pt(&plan, g, &f->ops[1], 0, &npt_format_ept,
						    &f->npt[1]), 0);
		assert_int_equal(partition_npt_zero_low(&plan, g, &f->npt[0], zero), 0);
		assert_int_equal(partition_npt_zero_low(&plan, g, &f->npt[1], zero), 0);
		assert_int_equal(f->npt[0].tables, f->npt[1].tables);
		for (int s = 0; s < 3; s++)
			assert_int_equal(f->npt[0].leaves[s], f->npt[1].leaves[s]);
		for (uint64_t gpa = 0; gpa < 4 * GiB; gpa += 4 * KiB) {
			assert_int_equal(npt_walk(&f->npt[0], gpa, &a), 0);
			assert_int_equal(npt_walk(&f->npt[1], gpa, &e), 0);
			assert_int_equal(a.mapped, e.mapped);
			if (!a.mapped)
				continue;
			assert_int_equal(a.hpa, e.hpa);
			assert_int_equal(a.page_size, e.page_size);
			/* Permissions: NPT's RW is EPT's W, NPT's NX is EPT's missing X. */
			assert_int_equal(!!(a.flags & NPT_RW), !!(e.flags & EPT_W));
			assert_int_equal(!!(a.flags & NPT_NX), !(e.flags & EPT_X));
			assert_true(e.flags & EPT_R);
			/* Memory type: NPT's PCD|PWT is EPT's UC, nothing is WB. */
			assert_int_equal((e.flags & EPT_MT_MASK) >> EPT_MT_SHIFT,
					 (a.flags & (NPT_PCD | NPT_PWT)) ? EPT_MT_UC : EPT_MT_WB);
			if (g == 0 && gpa == 0xfed00000)
				assert_int_equal(e.flags & ~EPT_PS, EPT_MMIO);
			if (g == 0 && gpa == 0x0ff01000)
				assert_int_equal(e.flags & ~EPT_PS, EPT_R | EPT_X | WB);
			if (gpa < 1 * MiB && partition_page_owner(&plan, gpa) != (int)g) {
				assert_int_equal(e.hpa, zero);
				assert_int_equal(e.flags, EPT_R | WB);
			}
		}
	}
}

/* What an EPT walk calls a misconfiguration is refused; AMD's rules do not apply. */
static void test_ept_walker_rejects_misconfigured(void **state)
{
	struct fixture *f = *state;
	struct npt *e = &f->npt[1];
	struct npt_walk_result r;

	assert_int_equal(npt_init_format(e, &f->ops[1], 0, &npt_format_ept), 0);
	assert_int_equal(npt_map_range(e, 2 * MiB, 2 * MiB, 2 * MiB, NPT_MAP_WRITE), 0);
	uint64_t *pdpt = table_of(f, e->root[0]);
	uint64_t *pd = table_of(f, pdpt[0]);
	const uint64_t good = pd[1];

	assert_int_equal(good, 2 * MiB | EPT_PS | EPT_RAM);
	pd[1] = (good & ~EPT_R);	/* writable, not readable */
	assert_int_equal(npt_walk(e, 2 * MiB, &r), -EINVAL);
	for (uint64_t mt = 0; mt < 8; mt++) {
		pd[1] = (good & ~EPT_MT_MASK) | mt << EPT_MT_SHIFT;
		assert_int_equal(npt_walk(e, 2 * MiB, &r), (mt == 2 || mt == 3 || mt == 7) ? -EINVAL
											: 0);
	}
	pd[1] = good | 0x1000;	/* NPT's PAT bit is an unaligned address in EPT */
	assert_int_equal(npt_walk(e, 2 * MiB, &r), -EINVAL);
	pd[1] = good | EPT_SVE;	/* never set by the builder */
	assert_int_equal(npt_walk(e, 2 * MiB, &r), -EINVAL);
	pd[1] = good | EPT_A | EPT_D;	/* what the CPU sets with A/D flags on */
	expect(e, 2 * MiB, 2 * MiB, 2 * MiB, EPT_RAM | EPT_A | EPT_D);
	pd[1] = good;
	pdpt[0] |= WB;	/* a memory type in a non-leaf entry */
	assert_int_equal(npt_walk(e, 2 * MiB, &r), -EINVAL);
	pdpt[0] &= ~EPT_MT_MASK;
	/* Permissions along the walk: an upper level without W or X takes them away. */
	pdpt[0] &= ~(EPT_W | EPT_X);
	expect(e, 2 * MiB, 2 * MiB, 2 * MiB, EPT_R | WB);
	pdpt[0] &= ~EPT_R;	/* R, W and X all clear: not present */
	assert_int_equal(npt_walk(e, 2 * MiB, &r), 0);
	assert_false(r.mapped);
	assert_int_equal(r.level, 3);
	/* The builder sees the same: the slot is free, its table is new. */
	assert_int_equal(npt_map_range(e, 4 * MiB, 4 * MiB, 4 * KiB, NPT_MAP_WRITE), 0);
	expect(e, 4 * MiB, 4 * MiB, 4 * KiB, EPT_RAM);
	assert_int_equal(npt_map_range(e, 4 * MiB, 4 * MiB, 4 * KiB, NPT_MAP_WRITE), -EEXIST);
}

static int count_leaf(void *ctx, uint64_t gpa, uint64_t hpa, uint64_t size, uint64_t flags)
{
	uint64_t *c = ctx;

	if (flags & EPT_W)
		c[0] += size;
	else
		c[1] += size;
	return 0;
}

static void test_ept_for_each_leaf(void **state)
{
	struct fixture *f = *state;
	struct npt *e = &f->npt[1];
	uint64_t c[2] = { 0, 0 };

	assert_int_equal(npt_init_format(e, &f->ops[1], 0, &npt_format_ept), 0);
	assert_int_equal(npt_map_range(e, 0, 0, 1 * GiB + 4 * MiB, NPT_MAP_WRITE), 0);
	assert_int_equal(npt_map_range(e, 2 * GiB, 2 * GiB, 12 * KiB, NPT_MAP_READ), 0);
	assert_int_equal(npt_for_each_leaf(e, count_leaf, c), 0);
	assert_int_equal(c[0], 1 * GiB + 4 * MiB);
	assert_int_equal(c[1], 12 * KiB);
	/* A read-only PML4 entry makes every leaf under it read-only. */
	e->root[0] &= ~EPT_W;
	c[0] = c[1] = 0;
	assert_int_equal(npt_for_each_leaf(e, count_leaf, c), 0);
	assert_int_equal(c[0], 0);
	assert_int_equal(c[1], 1 * GiB + 4 * MiB + 12 * KiB);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ept_leaf_bits),
		cmocka_unit_test_setup_teardown(test_ept_entries_and_pointer, setup, teardown),
		cmocka_unit_test_setup_teardown(test_ept_no_large_pages, setup, teardown),
		cmocka_unit_test_setup_teardown(test_ept_same_plan_as_npt, setup, teardown),
		cmocka_unit_test_setup_teardown(test_ept_walker_rejects_misconfigured, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_ept_for_each_leaf, setup, teardown),
	};
	return cmocka_run_group_tests_name("npt_ept", tests, NULL, NULL);
}
