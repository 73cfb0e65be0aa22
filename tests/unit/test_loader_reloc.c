// SPDX-License-Identifier: GPL-2.0-only
/*
 * The indirection list, built from scattered pages and applied by the reference walker in a
 * simulated physical memory: destinations must come out byte-exact whatever the allocator
 * hands out, including pages that are themselves destinations.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "loader/indirection.h"
#include "loader/internal.h"
#include "loader/loader.h"
#include "tests/unit/test_loader_synth.h"

#define SIM_SIZE (4 * MiB)

struct world {
	uint8_t *mem;
	struct synth_pool pool;
	struct loader_plan plan;
	uint8_t *bufs[LOADER_MAX_SEGMENTS];
};

static void world_init(struct world *w, uint64_t *seed)
{
	w->mem = malloc(SIM_SIZE);
	/* Garbage everywhere, so zero tails have to be written, not assumed. */
	for (size_t i = 0; i < SIM_SIZE; i += 8) {
		uint64_t v = synth_rand(seed);

		memcpy(w->mem + i, &v, 8);
	}
	synth_pool_init(&w->pool, w->mem, 0, SIM_SIZE);
	w->plan = (struct loader_plan){ 0 };
}

static void world_add(struct world *w, const char *what, uint64_t mem, uint64_t bufsz,
		      uint64_t memsz, uint64_t *seed)
{
	size_t i = w->plan.nseg;
	uint8_t *b = malloc(bufsz ? bufsz : 1);

	for (uint64_t j = 0; j < bufsz; j++)
		b[j] = (uint8_t)synth_rand(seed) | 1;	/* never zero: a lost tail would show */
	w->bufs[i] = b;
	assert_non_null(loader_plan_add(&w->plan, what, b, bufsz, mem, memsz, false, NULL));
}

static void world_fini(struct world *w)
{
	for (size_t i = 0; i < w->plan.nseg; i++)
		free(w->bufs[i]);
	synth_pool_fini(&w->pool);
	free(w->mem);
}

/* Every destination holds buf then zeros; nothing of the list sits on a destination. */
static void check_destinations(const struct world *w)
{
	for (size_t i = 0; i < w->plan.nseg; i++) {
		const struct loader_segment *s = &w->plan.seg[i];
		const uint8_t *d = w->mem + s->mem;

		assert_memory_equal(d, s->buf, s->bufsz);
		for (uint64_t j = s->bufsz; j < s->memsz; j++)
			if (d[j])
				fail_msg("%s: tail byte 0x%llx is 0x%x", s->what,
					 (unsigned long long)(s->mem + j), d[j]);
	}
}

static bool on_destination(const struct world *w, uint64_t pa)
{
	for (size_t i = 0; i < w->plan.nseg; i++)
		if (pa >= w->plan.seg[i].mem && pa - w->plan.seg[i].mem < w->plan.seg[i].memsz)
			return true;
	return false;
}

/* Walk the list as built: indirection pages off destinations, sources off or on their own. */
static void check_list_rules(const struct world *w, uint64_t head)
{
	const uint8_t *e = NULL;
	uint64_t v = head, dest = 0;

	for (;;) {
		uint64_t pa = v & LOADER_PAGE_MASK;

		if (v & LOADER_IND_DESTINATION) {
			dest = pa;
		} else if (v & LOADER_IND_INDIRECTION) {
			assert_false(on_destination(w, pa));
			e = w->mem + pa;
		} else if (v & LOADER_IND_DONE) {
			return;
		} else if (v & LOADER_IND_SOURCE) {
			if (on_destination(w, pa) && pa != dest)
				fail_msg("source 0x%llx for 0x%llx sits on another destination",
					 (unsigned long long)pa, (unsigned long long)dest);
			dest += LOADER_PAGE_SIZE;
		}
		v = loader_get64(e, 0);
		e += 8;
	}
}

/* Build, walk, check; returns the list's statistics through r. */
static void relocate_and_check(struct world *w, struct loader_reloc *r)
{
	struct loader_err err;
	uint64_t pages = 0, total = 0;

	loader_plan_digest(&w->plan);
	assert_int_equal(loader_reloc_build(r, &w->plan, &w->pool.ops, &err), 0);
	check_list_rules(w, r->head);
	assert_int_equal(loader_relocate_sim(&w->pool.sim, r->head, &pages, &err), 0);
	for (size_t i = 0; i < w->plan.nseg; i++)
		total += w->plan.seg[i].memsz / LOADER_PAGE_SIZE;
	assert_int_equal(pages, total);
	check_destinations(w);
	assert_int_equal(loader_verify_segments(&w->plan, loader_sim_phys, &w->pool.sim, &err), 0);
	loader_reloc_release(r);
	assert_int_equal(w->pool.live, 0);
}

static void test_reloc_scattered_sources(void **state)
{
	uint64_t seed = 1;
	struct world w;
	struct loader_reloc r;

	world_init(&w, &seed);
	world_add(&w, "kernel", 1 * MiB, 0x5123, 0x10000, &seed);
	world_add(&w, "initrd", 3 * MiB, 0x3000, 0x3000, &seed);
	world_add(&w, "boot_params", 3 * MiB - 0x1000, 0x1000, 0x1000, &seed);
	w.pool.honour_avoid = true;
	synth_pool_shuffle(&w.pool, &seed);
	relocate_and_check(&w, &r);
	assert_int_equal(r.moved, 0);
	assert_int_equal(r.parked, 0);
	assert_int_equal(r.src_pages, 6 + 3 + 1);
	assert_int_equal(r.zero_entries, 10);	/* kernel pages 6..15 share the zero page */
	world_fini(&w);
}

static void test_reloc_sources_on_destinations(void **state)
{
	for (int scenario = 0; scenario < 2; scenario++) {
		uint64_t seed = 2;
		struct world w;
		struct loader_reloc r;

		world_init(&w, &seed);
		world_add(&w, "kernel", 1 * MiB, 0x40000, 0x40000, &seed);
		world_add(&w, "initrd", 2 * MiB, 0x20000, 0x20000, &seed);
		if (scenario == 0) {
			/*
			 * Destination pages first, top down: the initrd's 32 are parked until
			 * their turn; then the gap below them feeds the kernel.
			 */
			synth_pool_prefer(&w.pool, 1 * MiB, 2 * MiB + 0x1ffff);
		} else {
			/*
			 * A few free pages, so the kernel's sources land off the destinations,
			 * then the kernel's destination pages: their sources must move onto
			 * them, and each initrd page reuses a freed source.
			 */
			synth_pool_prefer(&w.pool, 2 * MiB, 2 * MiB + 0x1ffff);
			synth_pool_prefer(&w.pool, 1 * MiB, 1 * MiB + 0x3ffff);
			synth_pool_prefer(&w.pool, 3 * MiB, 3 * MiB + 0x40fff);
		}
		relocate_and_check(&w, &r);
		assert_int_equal(r.src_pages, 0x60);
		assert_int_equal(r.ind_pages, 1);
		if (scenario == 0) {
			assert_int_equal(r.moved, 0);
			assert_int_equal(r.parked, 0x20);
		} else {
			assert_int_equal(r.moved, 0x20);
			assert_int_equal(r.parked, 0);
		}
		world_fini(&w);
	}
}

static void test_reloc_page_on_its_own_destination(void **state)
{
	uint64_t seed = 3;
	struct world w;
	struct loader_reloc r;

	world_init(&w, &seed);
	world_add(&w, "kernel", 1 * MiB, 0x3000, 0x3000, &seed);
	/*
	 * Page 0 for the list, then bottom-up through the destination: each page is the one
	 * wanted next and is filled in place.
	 */
	for (size_t i = 1; i <= 3; i++) {
		w.pool.order[i] = 255 + i;
		w.pool.order[255 + i] = i;
	}
	relocate_and_check(&w, &r);
	assert_int_equal(r.moved, 0);
	assert_int_equal(r.parked, 0);
	world_fini(&w);
}

static void test_reloc_property_random_layouts(void **state)
{
	uint64_t seed = 0x5eed;
	size_t moved = 0, parked = 0;

	for (int iter = 0; iter < 300; iter++) {
		struct world w;
		struct loader_reloc r;
		size_t nseg = 1 + synth_rand(&seed) % 6;
		uint64_t at = (synth_rand(&seed) % 64) * LOADER_PAGE_SIZE;

		world_init(&w, &seed);
		for (size_t i = 0; i < nseg; i++) {
			uint64_t pages = 1 + synth_rand(&seed) % 48;
			uint64_t bufsz = synth_rand(&seed) % (pages * LOADER_PAGE_SIZE + 1);

			at += (synth_rand(&seed) % 8) * LOADER_PAGE_SIZE;
			world_add(&w, "seg", at, bufsz, pages * LOADER_PAGE_SIZE, &seed);
			at += pages * LOADER_PAGE_SIZE;
		}
		synth_pool_shuffle(&w.pool, &seed);
		switch (iter % 3) {
		case 0: break;					/* anywhere */
		case 1: w.pool.honour_avoid = true; break;	/* outside destinations */
		case 2: synth_pool_prefer(&w.pool, w.plan.seg[0].mem, at - 1); break;
		}
		relocate_and_check(&w, &r);
		moved += r.moved;
		parked += r.parked;
		world_fini(&w);
	}
	/* The property test only means something if it hit kexec's hard cases. */
	assert_true(moved > 100);
	assert_true(parked > 100);
}

static void test_reloc_digest_catches_corruption(void **state)
{
	uint64_t seed = 4;
	struct world w;
	struct loader_reloc r;
	struct loader_err err;

	world_init(&w, &seed);
	world_add(&w, "kernel", 1 * MiB, 0x2000, 0x4000, &seed);
	world_add(&w, "initrd", 2 * MiB, 0x1800, 0x2000, &seed);
	synth_pool_shuffle(&w.pool, &seed);
	loader_plan_digest(&w.plan);
	assert_int_equal(loader_reloc_build(&r, &w.plan, &w.pool.ops, &err), 0);
	assert_int_equal(loader_relocate_sim(&w.pool.sim, r.head, NULL, &err), 0);
	assert_int_equal(loader_verify_segments(&w.plan, loader_sim_phys, &w.pool.sim, &err), 0);

	w.mem[2 * MiB + 0x1fff] ^= 0x01;	/* last byte of the initrd's zero tail */
	assert_int_equal(loader_verify_segments(&w.plan, loader_sim_phys, &w.pool.sim, &err),
			 -EBADMSG);
	assert_memory_equal(err.msg, "loader: initrd: SHA-256 of 0x200000-0x201fff is ", 47);
	assert_non_null(strstr(err.msg, "; not starting this guest"));
	w.mem[2 * MiB + 0x1fff] ^= 0x01;

	/* A source clobbered between planning and relocation is caught the same way. */
	uint64_t first_src = loader_get64(w.mem + (r.head & LOADER_PAGE_MASK), 8);
	assert_true(first_src & LOADER_IND_SOURCE);
	w.mem[(first_src & LOADER_PAGE_MASK) + 100] ^= 0x80;
	assert_int_equal(loader_relocate_sim(&w.pool.sim, r.head, NULL, &err), 0);
	assert_int_equal(loader_verify_segments(&w.plan, loader_sim_phys, &w.pool.sim, &err),
			 -EBADMSG);
	assert_memory_equal(err.msg, "loader: kernel: SHA-256", 23);
	loader_reloc_release(&r);
	world_fini(&w);
}

static void test_reloc_out_of_pages_unwinds(void **state)
{
	for (int n = 1; n < 12; n++) {
		uint64_t seed = 5;
		struct world w;
		struct loader_reloc r;
		struct loader_err err;

		world_init(&w, &seed);
		world_add(&w, "kernel", 1 * MiB, 0x3000, 0x8000, &seed);
		world_add(&w, "initrd", 2 * MiB, 0x3000, 0x3000, &seed);
		synth_pool_prefer(&w.pool, 1 * MiB, 2 * MiB + 0x2fff);
		w.pool.fail_after = n;
		int rc = loader_reloc_build(&r, &w.plan, &w.pool.ops, &err);
		if (rc == 0) {
			loader_reloc_release(&r);
		} else {
			assert_int_equal(rc, -ENOMEM);
			assert_memory_equal(err.msg, "loader: relocation: out of pages", 32);
			assert_int_equal(r.head, 0);
		}
		assert_int_equal(w.pool.live, 0);
		world_fini(&w);
	}
}

static void test_reloc_refuses_bad_plans(void **state)
{
	uint64_t seed = 6;
	struct world w;
	struct loader_reloc r;
	struct loader_err err;

	world_init(&w, &seed);
	world_add(&w, "a", 1 * MiB, 0x1000, 0x3000, &seed);
	world_add(&w, "b", 1 * MiB + 0x2000, 0x1000, 0x1000, &seed);
	assert_int_equal(loader_reloc_build(&r, &w.plan, &w.pool.ops, &err), -EINVAL);
	assert_string_equal(err.msg, "loader: b: overlaps a");
	w.plan.seg[1].mem = 1 * MiB + 0x3800;
	assert_int_equal(loader_reloc_build(&r, &w.plan, &w.pool.ops, &err), -EINVAL);
	assert_string_equal(err.msg, "loader: b: cannot relocate 0x103800+0x1000");
	assert_int_equal(w.pool.live, 0);
	world_fini(&w);
}

static void put64(uint8_t *p, uint64_t v)
{
	for (int i = 0; i < 8; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

static void test_sim_walker_refuses_bad_lists(void **state)
{
	uint8_t *mem = calloc(1, 0x10000);
	struct loader_sim sim = { mem, 0, 0x10000 };
	struct loader_err err;
	uint64_t pages;

	assert_int_equal(loader_relocate_sim(&sim, 0x1000 | LOADER_IND_SOURCE, &pages, &err),
			 -EINVAL);
	assert_string_equal(err.msg, "loader: relocation: list head 0x1008 is not an "
				     "indirection page");
	/* A page whose first entry sends the walker back to itself. */
	put64(mem + 0x2000, 0x2000 | LOADER_IND_INDIRECTION);
	assert_int_equal(loader_relocate_sim(&sim, 0x2000 | LOADER_IND_INDIRECTION, &pages, &err),
			 -ELOOP);
	/* A copy to a destination past the end of memory. */
	put64(mem + 0x3000, 0xf000 | LOADER_IND_DESTINATION);
	put64(mem + 0x3008, 0x1000 | LOADER_IND_SOURCE);
	put64(mem + 0x3010, 0x1000 | LOADER_IND_SOURCE);
	assert_int_equal(loader_relocate_sim(&sim, 0x3000 | LOADER_IND_INDIRECTION, &pages, &err),
			 -EFAULT);
	assert_string_equal(err.msg, "loader: relocation: copy 0x1000 -> 0x10000 leaves memory");
	/* Unknown entries are skipped, as kexec's walker does. */
	put64(mem + 0x3000, 0x4000 | LOADER_IND_DESTINATION);
	put64(mem + 0x3010, 0x10 | 0x20);
	put64(mem + 0x3018, LOADER_IND_DONE);
	memset(mem + 0x1000, 0xab, 0x1000);
	assert_int_equal(loader_relocate_sim(&sim, 0x3000 | LOADER_IND_INDIRECTION, &pages, &err),
			 0);
	assert_int_equal(pages, 1);
	assert_int_equal(mem[0x4fff], 0xab);
	free(mem);
}

/* ---- loader_plan_add_blob: a caller-built segment at a fixed address -------------------- */

#define BLOB_BASE 0x7ffe0000ULL
#define BLOB_MEM  (64 * 1024)

struct blob_mem {
	uint8_t *p;	/* BLOB_MEM bytes at BLOB_BASE */
};

static const void *blob_phys(void *ctx, uint64_t pa, uint64_t len)
{
	struct blob_mem *m = ctx;

	if (pa < BLOB_BASE || pa - BLOB_BASE > BLOB_MEM || len > BLOB_MEM - (pa - BLOB_BASE))
		return NULL;
	return m->p + (pa - BLOB_BASE);
}

static void blob_free(void *ctx, void *ptr, size_t size)
{
	fail_msg("the plan freed a buffer it does not own");
}

static void *blob_alloc(void *ctx, size_t size)
{
	return NULL;
}

static const struct loader_staging no_free = { NULL, blob_alloc, blob_free };

static void test_blob_digest_matches_memory(void **state)
{
	struct loader_plan plan = { 0 };
	struct loader_err err = { "" };
	struct blob_mem m = { calloc(1, BLOB_MEM) };
	uint8_t blob[5000];
	uint64_t seed = 7;

	for (size_t i = 0; i < sizeof(blob); i++)
		blob[i] = (uint8_t)synth_rand(&seed) | 1;
	assert_int_equal(loader_plan_add_blob(&plan, "acpi", blob, sizeof(blob), BLOB_BASE + 0x2000,
					      &err),
			 0);
	assert_int_equal(plan.nseg, 1);
	assert_ptr_equal(plan.seg[0].buf, blob);
	assert_int_equal(plan.seg[0].bufsz, sizeof(blob));
	assert_int_equal(plan.seg[0].mem, BLOB_BASE + 0x2000);
	assert_int_equal(plan.seg[0].memsz, 0x2000);	/* rounded up to pages */
	assert_false(plan.seg[0].staged);
	assert_string_equal(plan.seg[0].what, "acpi");

	/* Memory holding the blob and a zero tail verifies; the digest is the usual one. */
	memcpy(m.p + 0x2000, blob, sizeof(blob));
	assert_int_equal(loader_verify_segments(&plan, blob_phys, &m, &err), 0);
	{
		uint8_t want[LOADER_DIGEST_SIZE];

		memcpy(want, plan.seg[0].digest, sizeof(want));
		loader_plan_digest(&plan);
		assert_memory_equal(plan.seg[0].digest, want, sizeof(want));
	}
	/* A changed byte, in the blob or in the tail, does not. */
	m.p[0x2000 + 4999] ^= 0x80;
	assert_int_equal(loader_verify_segments(&plan, blob_phys, &m, &err), -EBADMSG);
	assert_non_null(strstr(err.msg, "acpi"));
	m.p[0x2000 + 4999] ^= 0x80;
	m.p[0x2000 + 0x1fff] = 1;
	assert_int_equal(loader_verify_segments(&plan, blob_phys, &m, &err), -EBADMSG);
	m.p[0x2000 + 0x1fff] = 0;
	assert_int_equal(loader_verify_segments(&plan, blob_phys, &m, &err), 0);
	/* The caller's buffer stays the caller's: releasing the plan never frees it. */
	plan.staging = &no_free;
	loader_plan_release(&plan);
	assert_int_equal(plan.nseg, 0);
	free(m.p);
}

static void test_blob_exact_pages(void **state)
{
	struct loader_plan plan = { 0 };
	static uint8_t page[LOADER_PAGE_SIZE];

	memset(page, 0x5a, sizeof(page));
	assert_int_equal(loader_plan_add_blob(&plan, "one", page, sizeof(page), BLOB_BASE, NULL), 0);
	assert_int_equal(plan.seg[0].memsz, LOADER_PAGE_SIZE);
	assert_int_equal(loader_plan_add_blob(&plan, "byte", page, 1, BLOB_BASE + 0x1000, NULL), 0);
	assert_int_equal(plan.seg[1].memsz, LOADER_PAGE_SIZE);
}

static void test_blob_refused(void **state)
{
	struct loader_plan plan = { 0 };
	struct loader_err err = { "" };
	static uint8_t b[64];

	/* Unaligned, empty, no buffer, wrapping past the top of the address space. */
	assert_int_equal(loader_plan_add_blob(&plan, "tables", b, sizeof(b), BLOB_BASE + 8, &err),
			 -EINVAL);
	assert_non_null(strstr(err.msg, "tables"));
	assert_non_null(strstr(err.msg, "0x7ffe0008"));
	assert_int_equal(loader_plan_add_blob(&plan, "tables", b, 0, BLOB_BASE, &err), -EINVAL);
	assert_int_equal(loader_plan_add_blob(&plan, "tables", NULL, 64, BLOB_BASE, &err), -EINVAL);
	assert_int_equal(loader_plan_add_blob(&plan, "tables", b, sizeof(b),
					      0xfffffffffffff000ULL, &err),
			 -EINVAL);
	assert_int_equal(loader_plan_add_blob(&plan, "tables", b, UINT64_MAX, BLOB_BASE, &err),
			 -EINVAL);
	assert_int_equal(plan.nseg, 0);
	/* The last page of the address space less one is fine. */
	assert_int_equal(loader_plan_add_blob(&plan, "top", b, sizeof(b), 0xffffffffffffe000ULL,
					      &err),
			 0);
	assert_int_equal(plan.nseg, 1);
}

static void test_blob_overlap_busy(void **state)
{
	struct loader_plan plan = { 0 };
	struct loader_err err = { "" };
	static uint8_t b[3 * LOADER_PAGE_SIZE];

	/* An existing segment [0x200000, 0x203000). */
	assert_non_null(loader_plan_add(&plan, "kernel", b, sizeof(b), 0x200000, sizeof(b), false,
					NULL));
	assert_int_equal(loader_plan_add_blob(&plan, "acpi", b, 1, 0x202000, &err), -EBUSY);
	assert_non_null(strstr(err.msg, "acpi at 0x202000 overlaps kernel"));
	/* A blob that starts before and ends inside, or covers it entirely. */
	assert_int_equal(loader_plan_add_blob(&plan, "acpi", b, 0x2000, 0x1ff000, &err), -EBUSY);
	assert_int_equal(loader_plan_add_blob(&plan, "acpi", b, 0x5000, 0x1ff000, &err), -EBUSY);
	assert_int_equal(plan.nseg, 1);
	/* Touching at either end is not overlapping. */
	assert_int_equal(loader_plan_add_blob(&plan, "after", b, 0x1000, 0x203000, &err), 0);
	assert_int_equal(loader_plan_add_blob(&plan, "before", b, 0x1000, 0x1ff000, &err), 0);
	assert_int_equal(plan.nseg, 3);
	/* Blobs are segments too: a second one on the first is refused. */
	assert_int_equal(loader_plan_add_blob(&plan, "again", b, 10, 0x203000, &err), -EBUSY);
	assert_non_null(strstr(err.msg, "overlaps after"));
}

static void test_blob_plan_full(void **state)
{
	struct loader_plan plan = { 0 };
	struct loader_err err = { "" };
	static uint8_t b[16];

	for (unsigned i = 0; i < LOADER_MAX_SEGMENTS; i++)
		assert_int_equal(loader_plan_add_blob(&plan, "blob", b, sizeof(b),
						      0x100000 + i * LOADER_PAGE_SIZE, &err),
				 0);
	assert_int_equal(plan.nseg, LOADER_MAX_SEGMENTS);
	assert_int_equal(loader_plan_add_blob(&plan, "one too many", b, sizeof(b), 0x800000, &err),
			 -E2BIG);
	assert_non_null(strstr(err.msg, "one too many"));
	assert_int_equal(plan.nseg, LOADER_MAX_SEGMENTS);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_reloc_scattered_sources),
		cmocka_unit_test(test_reloc_sources_on_destinations),
		cmocka_unit_test(test_reloc_page_on_its_own_destination),
		cmocka_unit_test(test_reloc_property_random_layouts),
		cmocka_unit_test(test_reloc_digest_catches_corruption),
		cmocka_unit_test(test_reloc_out_of_pages_unwinds),
		cmocka_unit_test(test_reloc_refuses_bad_plans),
		cmocka_unit_test(test_sim_walker_refuses_bad_lists),
		cmocka_unit_test(test_blob_digest_matches_memory),
		cmocka_unit_test(test_blob_exact_pages),
		cmocka_unit_test(test_blob_refused),
		cmocka_unit_test(test_blob_overlap_busy),
		cmocka_unit_test(test_blob_plan_full),
	};
	return cmocka_run_group_tests_name("loader_reloc", tests, NULL, NULL);
}
