// SPDX-License-Identifier: GPL-2.0-only
/*
 * loader/trampoline.asm's copy loop runs in user mode too: here it walks lists built over
 * real host memory (physical address = host address, which is exactly the identity mapping
 * it needs on the machine), and must leave memory byte for byte as loader_relocate_sim()
 * leaves a copy of it. loader_tramp_enter (cli, lgdt) cannot run here; its GDT is checked.
 */
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
#include "loader/trampoline.h"
#include "tests/unit/test_loader_synth.h"

#define REGION (4 * MiB)

static const void *identity(void *ctx, uint64_t pa, uint64_t len)
{
	/* Identity-mapped, as on the machine, but only inside the test's region. */
	return loader_sim_phys(ctx, pa, len) ? (const void *)(uintptr_t)pa : NULL;
}

static void run_layout(uint64_t *seed, int mode)
{
	uint8_t *mem = aligned_alloc(LOADER_PAGE_SIZE, REGION);
	uint8_t *copy = malloc(REGION);
	uint64_t base = (uintptr_t)mem, at, asm_pages, sim_pages;
	struct synth_pool pool;
	struct loader_plan plan = { 0 };
	uint8_t *bufs[LOADER_MAX_SEGMENTS];
	size_t nseg = 1 + synth_rand(seed) % 5;
	struct loader_reloc r;
	struct loader_err err;

	for (size_t i = 0; i < REGION; i += 8) {
		uint64_t v = synth_rand(seed);

		memcpy(mem + i, &v, 8);
	}
	at = base + (synth_rand(seed) % 32) * LOADER_PAGE_SIZE;
	for (size_t i = 0; i < nseg; i++) {
		uint64_t pages = 1 + synth_rand(seed) % 40;
		uint64_t bufsz = synth_rand(seed) % (pages * LOADER_PAGE_SIZE + 1);

		bufs[i] = malloc(bufsz ? bufsz : 1);
		for (uint64_t j = 0; j < bufsz; j++)
			bufs[i][j] = (uint8_t)synth_rand(seed);
		at += (synth_rand(seed) % 4) * LOADER_PAGE_SIZE;
		assert_non_null(loader_plan_add(&plan, "seg", bufs[i], bufsz, at,
						pages * LOADER_PAGE_SIZE, false, NULL));
		at += pages * LOADER_PAGE_SIZE;
	}
	loader_plan_digest(&plan);
	synth_pool_init(&pool, mem, base, REGION);
	synth_pool_shuffle(&pool, seed);
	if (mode == 1)
		synth_pool_prefer(&pool, plan.seg[0].mem, at - 1);
	assert_int_equal(loader_reloc_build(&r, &plan, &pool.ops, &err), 0);

	/* Same starting memory for both walkers. */
	memcpy(copy, mem, REGION);
	struct loader_sim twin = { copy, base, REGION };
	asm_pages = loader_tramp_relocate(r.head);
	assert_int_equal(loader_relocate_sim(&twin, r.head, &sim_pages, &err), 0);
	assert_int_equal(asm_pages, sim_pages);
	assert_memory_equal(mem, copy, REGION);
	assert_int_equal(loader_verify_segments(&plan, identity, &pool.sim, &err), 0);

	loader_reloc_release(&r);
	assert_int_equal(pool.live, 0);
	synth_pool_fini(&pool);
	for (size_t i = 0; i < nseg; i++)
		free(bufs[i]);
	free(copy);
	free(mem);
}

static void test_tramp_matches_reference_walker(void **state)
{
	uint64_t seed = 0x7a4b;

	for (int i = 0; i < 60; i++)
		run_layout(&seed, i % 2);
}

static void test_tramp_skips_unknown_and_copies_in_place(void **state)
{
	uint8_t *mem = aligned_alloc(LOADER_PAGE_SIZE, 4 * LOADER_PAGE_SIZE);
	uint64_t *list = (uint64_t *)mem, base = (uintptr_t)mem;

	memset(mem, 0, 4 * LOADER_PAGE_SIZE);
	memset(mem + 0x1000, 0x11, 0x1000);
	memset(mem + 0x2000, 0x22, 0x1000);
	list[0] = (base + 0x2000) | LOADER_IND_DESTINATION;
	list[1] = (base + 0x2000) | LOADER_IND_SOURCE;		/* onto itself */
	list[2] = 0x30;						/* no known flag */
	list[3] = (base + 0x1000) | LOADER_IND_SOURCE;		/* to 0x3000 */
	list[4] = LOADER_IND_DONE;
	list[5] = (base + 0x1000) | LOADER_IND_SOURCE;		/* after DONE: never read */
	assert_int_equal(loader_tramp_relocate(base | LOADER_IND_INDIRECTION), 2);
	for (size_t i = 0x2000; i < 0x3000; i++)
		assert_int_equal(mem[i], 0x22);
	for (size_t i = 0x3000; i < 0x4000; i++)
		assert_int_equal(mem[i], 0x11);
	free(mem);
}

static void test_tramp_gdt_has_boot_selectors(void **state)
{
	const uint8_t *p = loader_tramp_start;
	size_t len = (size_t)(loader_tramp_end - loader_tramp_start);
	uint64_t want[2] = { LOADER_GDT_CODE64, LOADER_GDT_DATA };
	bool found = false;

	assert_true(len > 0 && len < LOADER_PAGE_SIZE);
	/* The descriptors sit at BOOT_CS and BOOT_DS of a table whose first entries are 0. */
	for (size_t off = 0; off + LOADER_BOOT_DS + 8 <= len; off += 8) {
		uint64_t q[LOADER_BOOT_DS / 8 + 1];

		memcpy(q, p + off, sizeof(q));
		if (q[0] == 0 && q[LOADER_BOOT_CS / 8] == want[0] &&
		    q[LOADER_BOOT_DS / 8] == want[1])
			found = true;
	}
	assert_true(found);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_tramp_matches_reference_walker),
		cmocka_unit_test(test_tramp_skips_unknown_and_copies_in_place),
		cmocka_unit_test(test_tramp_gdt_has_boot_selectors),
	};
	return cmocka_run_group_tests_name("loader_trampoline", tests, NULL, NULL);
}
