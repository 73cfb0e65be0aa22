// SPDX-License-Identifier: GPL-2.0-only
/*
 * Property test: random maps, reservations and requests, seeded. Whatever the planner
 * decides, these must hold: no host page in both guests, no monitor page in either, every
 * guest RAM page mapped exactly once (identity, write-back, RW), nothing else mapped but
 * read-only ACPI where asked, the e820 agrees with the nested page tables, and no usable
 * page is lost or invented. The expected usable set is computed here independently.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "partition/e820.h"
#include "partition/npt.h"

#define KiB (1ULL << 10)
#define MiB (1ULL << 20)
#define GiB (1ULL << 30)
#define PAGE 4096ULL
#define ITERATIONS 1000
#define MAX_IV 4096

static uint64_t rng;

static uint64_t rnd(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

static uint64_t below(uint64_t n)
{
	return n ? rnd() % n : 0;
}

/* A plain interval list, kept sorted and merged by brute force. */
struct ivs {
	size_t n;
	struct partition_range r[MAX_IV];
};

static void iv_add(struct ivs *s, uint64_t b, uint64_t e)
{
	if (e <= b)
		return;
	assert_true(s->n < MAX_IV);
	s->r[s->n++] = (struct partition_range){ b, e };
	/* Insertion sort, then merge overlapping or touching neighbours. */
	for (size_t i = s->n - 1; i > 0 && s->r[i - 1].base > s->r[i].base; i--) {
		struct partition_range t = s->r[i];

		s->r[i] = s->r[i - 1];
		s->r[i - 1] = t;
	}
	size_t w = 0;

	for (size_t i = 0; i < s->n; i++) {
		if (w && s->r[i].base <= s->r[w - 1].end) {
			if (s->r[i].end > s->r[w - 1].end)
				s->r[w - 1].end = s->r[i].end;
		} else {
			s->r[w++] = s->r[i];
		}
	}
	s->n = w;
}

static void iv_sub(struct ivs *s, uint64_t b, uint64_t e)
{
	static struct ivs out;

	out.n = 0;
	for (size_t i = 0; i < s->n; i++) {
		struct partition_range r = s->r[i];

		if (r.end <= b || r.base >= e) {
			out.r[out.n++] = r;
			continue;
		}
		if (r.base < b)
			out.r[out.n++] = (struct partition_range){ r.base, b };
		if (r.end > e)
			out.r[out.n++] = (struct partition_range){ e, r.end };
	}
	*s = out;
}

static uint64_t iv_bytes(const struct ivs *s)
{
	uint64_t sum = 0;

	for (size_t i = 0; i < s->n; i++)
		sum += s->r[i].end - s->r[i].base;
	return sum;
}

static bool iv_covers(const struct ivs *s, uint64_t b, uint64_t e)
{
	for (size_t i = 0; i < s->n; i++)
		if (s->r[i].base <= b && s->r[i].end >= e)
			return true;
	return false;
}

static bool iv_overlaps(const struct ivs *s, uint64_t b, uint64_t e)
{
	for (size_t i = 0; i < s->n; i++)
		if (s->r[i].base < e && s->r[i].end > b)
			return true;
	return false;
}

static void page_out(uint64_t base, uint64_t size, uint64_t *b, uint64_t *e)
{
	uint64_t end = size > UINT64_MAX - base ? UINT64_MAX : base + size;

	*b = base & ~(PAGE - 1);
	*e = end > UINT64_MAX - PAGE ? UINT64_MAX & ~(PAGE - 1) : (end + PAGE - 1) & ~(PAGE - 1);
}

static struct memmap_entry entries[64];
static struct memmap map = { entries, 0, 64 };
static struct partition_plan plan;
static struct ivs expect_usable, leaves_rw[2], leaves_ro[2], e820_ram, acpi_pages;

static void random_map(void)
{
	static const uint32_t types[] = { MEMMAP_USABLE, MEMMAP_USABLE, MEMMAP_USABLE,
					  MEMMAP_USABLE, MEMMAP_USABLE, MEMMAP_RESERVED,
					  MEMMAP_ACPI, MEMMAP_NVS, MEMMAP_MMIO, MEMMAP_UNUSABLE,
					  MEMMAP_PERSISTENT, 77 };

	map.count = 1 + below(40);
	for (size_t i = 0; i < map.count; i++) {
		struct memmap_entry *e = &entries[i];
		uint64_t region = below(10);

		e->type = types[below(sizeof(types) / sizeof(types[0]))];
		e->efi_type = (uint32_t)below(8);
		/* Mostly the first 256M, some above 4G, a few at the very top. */
		if (region < 7)
			e->base = below(256 * MiB);
		else if (region < 9)
			e->base = 4 * GiB + below(128 * MiB);
		else
			e->base = below(2) ? (1ULL << 48) - below(8 * MiB) : UINT64_MAX - below(64 * KiB);
		if (below(3))
			e->base &= ~(PAGE - 1);	/* most entries are page aligned */
		e->size = below(8) == 0 ? 0 : below(below(4) ? 4 * MiB : 48 * MiB);
	}
	/* Half the maps look like a PC underneath: conventional memory and RAM from 1M. */
	if (below(2)) {
		entries[0] = (struct memmap_entry){ 0, 0xa0000, MEMMAP_USABLE, 7 };
		if (map.count > 1)
			entries[1] = (struct memmap_entry){ 1 * MiB, 1 * MiB + below(200 * MiB),
							    MEMMAP_USABLE, 7 };
	}
	/* The independent expectation: usable pages, minus anything else, minus the holes. */
	expect_usable.n = 0;
	for (size_t i = 0; i < map.count; i++) {
		uint64_t base = entries[i].base, size = entries[i].size;
		uint64_t end = size > UINT64_MAX - base ? UINT64_MAX : base + size;
		uint64_t b = base > UINT64_MAX - PAGE ? UINT64_MAX : (base + PAGE - 1) & ~(PAGE - 1);
		uint64_t e = end & ~(PAGE - 1);

		if (entries[i].type == MEMMAP_USABLE && size)
			iv_add(&expect_usable, b, e < PARTITION_PHYS_LIMIT ? e : PARTITION_PHYS_LIMIT);
	}
	for (size_t i = 0; i < map.count; i++) {
		uint64_t b, e;

		if (entries[i].type == MEMMAP_USABLE || !entries[i].size)
			continue;
		page_out(entries[i].base, entries[i].size, &b, &e);
		iv_sub(&expect_usable, b, e);
	}
	iv_sub(&expect_usable, 0, PAGE);
	iv_sub(&expect_usable, 0xa0000, 0x100000);
}

static void random_request(struct partition_request *req)
{
	memset(req, 0, sizeof(*req));
	for (unsigned g = 0; g < 2; g++) {
		struct partition_guest_request *gr = &req->guest[g];

		gr->present = below(8) != 0;
		gr->placement = (uint32_t)below(3);
		if (gr->placement == PARTITION_PLACE_RANGE) {
			/* Around some entry of the map, so it mostly holds RAM. */
			const struct memmap_entry *e = &entries[below(map.count)];

			gr->range_base = e->base + below(e->size / 2 + 1);
			gr->range_end = gr->range_base + 1 + below(64 * MiB);
		} else if (below(2)) {
			gr->size = 1 + below(48 * MiB);
		}
		if (below(4) == 0) {
			gr->mem_min = below(128 * MiB);
			gr->mem_max = below(2) ? 0 : gr->mem_min + below(8 * GiB);
		}
		if (below(6) == 0)
			gr->min_below_4g = below(16 * MiB);
		gr->low_mem_set = below(6) == 0;
		gr->low_mem = below(2) ? 0 : below(200 * KiB);
		gr->map_acpi = below(2);
		gr->e820_foreign_reserved = below(2);
	}
	if (!req->guest[0].present && !req->guest[1].present)
		req->guest[below(2)].present = true;
}

static int collect_leaf(void *ctx, uint64_t gpa, uint64_t hpa, uint64_t size, uint64_t flags)
{
	unsigned g = *(unsigned *)ctx;

	assert_int_equal(gpa, hpa);
	assert_int_equal(flags & (NPT_PCD | NPT_PWT | NPT_NX), 0);	/* no MMIO asked for */
	assert_true(flags & NPT_US);
	iv_add((flags & NPT_RW) ? &leaves_rw[g] : &leaves_ro[g], gpa, gpa + size);
	return 0;
}

static void check_guest(unsigned g, struct npt_ops *ops, struct npt_pool *pool)
{
	const struct partition_guest *pg = &plan.guest[g];
	static struct e820_table t;
	struct npt npt;
	struct npt_walk_result r;
	uint64_t sum = 0;

	/* RAM: sorted, disjoint, page aligned, usable, nobody else's. */
	for (size_t i = 0; i < pg->nr_ram; i++) {
		const struct partition_range *ra = &pg->ram[i];

		assert_true(ra->base < ra->end);
		assert_int_equal((ra->base | ra->end) & (PAGE - 1), 0);
		if (i)
			assert_true(pg->ram[i - 1].end < ra->base);
		assert_true(iv_covers(&expect_usable, ra->base, ra->end));
		for (size_t m = 0; m < plan.nr_monitor; m++)
			assert_false(plan.monitor[m].r.base < ra->end && plan.monitor[m].r.end > ra->base);
		sum += ra->end - ra->base;
	}
	assert_int_equal(sum, pg->ram_bytes);

	/* The nested page tables, leaf by leaf and page by page. */
	pool->used = 0;
	assert_int_equal(partition_build_npt(&plan, g, ops, below(3) ? 0 : NPT_NO_1G, &npt), 0);
	leaves_rw[g].n = leaves_ro[g].n = 0;
	assert_int_equal(npt_for_each_leaf(&npt, collect_leaf, &g), 0);
	assert_int_equal(iv_bytes(&leaves_rw[g]), pg->ram_bytes);
	for (size_t i = 0; i < leaves_rw[g].n; i++) {
		const struct partition_range *l = &leaves_rw[g].r[i];
		bool inside = false;

		for (size_t k = 0; k < pg->nr_ram; k++)
			inside |= pg->ram[k].base <= l->base && pg->ram[k].end >= l->end;
		assert_true(inside);
	}
	for (size_t i = 0; i < pg->nr_ram; i++)
		for (uint64_t a = pg->ram[i].base; a < pg->ram[i].end; a += PAGE) {
			assert_int_equal(npt_walk(&npt, a, &r), 0);
			assert_true(r.mapped);
			assert_int_equal(r.hpa, a);
			assert_int_equal(r.flags & ~NPT_PS, NPT_P | NPT_RW | NPT_US);
		}
	/* Read-only leaves: only the firmware's ACPI ranges, and only when asked for. */
	acpi_pages.n = 0;
	for (size_t i = 0; i < map.count; i++) {
		uint64_t b, e;

		if ((entries[i].type != MEMMAP_ACPI && entries[i].type != MEMMAP_NVS) ||
		    !entries[i].size)
			continue;
		page_out(entries[i].base, entries[i].size, &b, &e);
		iv_add(&acpi_pages, b, e < PARTITION_PHYS_LIMIT ? e : PARTITION_PHYS_LIMIT);
	}
	if (!pg->map_acpi)
		assert_int_equal(leaves_ro[g].n, 0);
	for (size_t i = 0; i < leaves_ro[g].n; i++)
		assert_true(iv_covers(&acpi_pages, leaves_ro[g].r[i].base, leaves_ro[g].r[i].end));
	for (size_t m = 0; m < plan.nr_monitor; m++) {
		assert_false(iv_overlaps(&leaves_rw[g], plan.monitor[m].r.base, plan.monitor[m].r.end));
		assert_false(iv_overlaps(&leaves_ro[g], plan.monitor[m].r.base, plan.monitor[m].r.end));
	}

	/* The e820: well formed, RAM exactly the RW mapping, nothing else claims RAM. */
	assert_int_equal(partition_build_e820(&plan, g, &t), 0);
	e820_ram.n = 0;
	for (uint32_t i = 0; i < t.nr; i++) {
		uint64_t b = t.entry[i].addr, e = b + t.entry[i].size;

		assert_true(t.entry[i].size > 0);
		assert_true(t.entry[i].type >= E820_RAM && t.entry[i].type <= E820_UNUSABLE);
		if (i) {
			uint64_t pe = t.entry[i - 1].addr + t.entry[i - 1].size;

			assert_true(pe <= b);
			assert_false(pe == b && t.entry[i - 1].type == t.entry[i].type);
		}
		if (t.entry[i].type == E820_RAM)
			iv_add(&e820_ram, b, e);
		else
			assert_false(iv_overlaps(&leaves_rw[g], b, e));
		if (pg->map_acpi && (t.entry[i].type == E820_ACPI || t.entry[i].type == E820_NVS)) {
			/* Every whole page of it the monitor does not hold is readable. */
			uint64_t pb = (b + PAGE - 1) & ~(PAGE - 1), pe = e & ~(PAGE - 1);

			for (uint64_t a = pb; a < pe; a += PAGE)
				if (partition_page_owner(&plan, a) != PARTITION_OWNER_MONITOR)
					assert_true(iv_covers(&leaves_ro[g], a, a + PAGE));
		}
	}
	assert_int_equal(e820_ram.n, leaves_rw[g].n);
	assert_memory_equal(e820_ram.r, leaves_rw[g].r, e820_ram.n * sizeof(e820_ram.r[0]));
}

static void test_random_plans(void **state)
{
	static uint8_t pool_mem[1024 * 4096] __attribute__((aligned(4096)));
	struct npt_pool pool;
	struct npt_ops ops;
	struct partition_request req;
	int built = 0, failed = 0, both = 0;

	npt_pool_init(&pool, 0x500000000000ULL, pool_mem, 1024);
	npt_pool_ops(&pool, &ops);
	for (int iter = 0; iter < ITERATIONS; iter++) {
		rng = 0x9e3779b97f4a7c15ULL * (uint64_t)(iter + 1);
		random_map();
		if (partition_plan_init(&plan, &map)) {
			assert_memory_equal(plan.err, "partition: ", 11);
			continue;
		}
		uint64_t initial = partition_ranges_bytes(plan.avail, plan.nr_avail);

		assert_int_equal(initial, iv_bytes(&expect_usable));
		for (uint64_t k = below(3); k > 0; k--) {
			uint64_t base;

			(void)partition_reserve_fixed(&plan, below(300 * MiB), 1 + below(4 * MiB), "fixed");
			(void)partition_reserve_monitor(&plan, 1 + below(8 * MiB), PAGE << below(10),
							"carve", &base);
		}
		random_request(&req);
		int err = partition_plan_build(&plan, &req);

		if (err) {
			assert_true(err == -ENOSPC || err == -E2BIG || err == -EINVAL || err == -EBUSY);
			assert_memory_equal(plan.err, "partition: ", 11);
			failed++;
			if (getenv("PROPERTY_VERBOSE"))
				print_message("%d: %s\n", iter, plan.err);
			continue;
		}
		built++;
		/* Nothing lost, nothing invented. */
		assert_int_equal(plan.guest[0].ram_bytes + plan.guest[1].ram_bytes +
					 plan.monitor_bytes +
					 partition_ranges_bytes(plan.avail, plan.nr_avail),
				 initial);
		for (unsigned g = 0; g < 2; g++) {
			leaves_rw[g].n = leaves_ro[g].n = 0;
			if (plan.guest[g].present)
				check_guest(g, &ops, &pool);
			else
				assert_int_equal(plan.guest[g].nr_ram, 0);
		}
		/* No host page in both guests. */
		both += plan.guest[0].present && plan.guest[1].present;
		for (size_t i = 0; i < leaves_rw[0].n; i++)
			assert_false(iv_overlaps(&leaves_rw[1], leaves_rw[0].r[i].base,
						 leaves_rw[0].r[i].end));
	}
	/* The generator must exercise both outcomes, and mostly succeed with two guests. */
	print_message("random plans: %d built (%d with both guests), %d refused\n", built, both,
		      failed);
	assert_true(built >= ITERATIONS / 3);
	assert_true(both >= ITERATIONS / 5);
	assert_true(failed >= 10);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_random_plans),
	};
	return cmocka_run_group_tests_name("partition_property", tests, NULL, NULL);
}
