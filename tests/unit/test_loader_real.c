// SPDX-License-Identifier: GPL-2.0-only
/*
 * Against Debian's real kernel, found through TWINMON_KERNEL (tests/run-all sets it from
 * scripts/fetch-debian-kernel; every test skips when it is unset). The header is read here
 * independently, at boot.rst's offsets, and compared with what the probe reports.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "lib/fmt.h"
#include "loader/indirection.h"
#include "loader/loader.h"
#include "tests/unit/test_loader_synth.h"

static uint8_t *kernel;
static size_t kernel_size;

static int load_kernel(void **state)
{
	const char *path = getenv("TWINMON_KERNEL");
	FILE *f;

	if (!path || !*path)
		return 0;
	f = fopen(path, "rb");
	if (!f)
		return -1;
	fseek(f, 0, SEEK_END);
	kernel_size = (size_t)ftell(f);
	fseek(f, 0, SEEK_SET);
	kernel = malloc(kernel_size);
	if (fread(kernel, 1, kernel_size, f) != kernel_size) {
		fclose(f);
		return -1;
	}
	fclose(f);
	return 0;
}

static int free_kernel(void **state)
{
	free(kernel);
	return 0;
}

#define NEED_KERNEL()                                                                        \
	do {                                                                                 \
		if (!kernel)                                                                 \
			skip();                                                              \
	} while (0)

static uint32_t le(size_t off, size_t n)
{
	uint32_t v = 0;

	for (size_t i = n; i-- > 0;)
		v = v << 8 | kernel[off + i];
	return v;
}

static void test_real_probe_matches_header(void **state)
{
	struct loader_image img;
	struct loader_err err;

	NEED_KERNEL();
	assert_memory_equal(kernel + 0x202, "HdrS", 4);
	assert_int_equal(le(0x1fe, 2), 0xaa55);
	assert_int_equal(loader_probe("vmlinuz", kernel, kernel_size, &img, &err), 0);
	assert_string_equal(img.format->name, "bzImage");
	assert_int_equal(img.bz.version, le(0x206, 2));
	assert_true(img.bz.version >= 0x020c);
	assert_int_equal(img.bz.setup_sects, kernel[0x1f1]);
	size_t sects = kernel[0x1f1] ? kernel[0x1f1] : 4;
	assert_int_equal(img.bz.setup_size, (sects + 1) * 512);
	assert_int_equal(img.bz.payload_size, kernel_size - (sects + 1) * 512);
	assert_int_equal(img.bz.header_end, 0x202 + kernel[0x201]);
	assert_int_equal(img.bz.syssize, le(0x1f4, 4));
	assert_int_equal(img.bz.loadflags, kernel[0x211]);
	assert_int_equal(img.bz.initrd_addr_max, le(0x22c, 4));
	assert_int_equal(img.bz.kernel_alignment, le(0x230, 4));
	assert_int_equal(img.bz.relocatable, kernel[0x234]);
	assert_int_equal(img.bz.min_alignment, kernel[0x235]);
	assert_int_equal(img.bz.xloadflags, le(0x236, 2));
	assert_true(img.bz.xloadflags & 1);	/* XLF_KERNEL_64 */
	assert_int_equal(img.bz.cmdline_size, le(0x238, 4));
	assert_int_equal(img.bz.pref_address, le(0x258, 4) | (uint64_t)le(0x25c, 4) << 32);
	assert_int_equal(img.bz.init_size, le(0x260, 4));
}

static int real_load(const struct memmap_entry *map, size_t n, struct loader_plan *plan,
		     struct loader_err *err)
{
	static uint8_t initrd[3 * 4096 + 17];
	struct loader_params p;

	for (size_t i = 0; i < sizeof(initrd); i++)
		initrd[i] = (uint8_t)(i * 13 + 1);
	synth_params(&p, "vmlinuz", kernel, kernel_size, map, n);
	p.initrd = initrd;
	p.initrd_size = sizeof(initrd);
	p.cmdline = "console=ttyS0 earlyprintk=serial panic=-1";
	int rc = loader_load(&p, plan, err);
	if (rc == 0)
		assert_int_equal(loader_plan_check(plan, &p, err), 0);
	return rc;
}

/* What every placement must satisfy for this kernel, beyond loader_plan_check. */
static void check_kernel_rules(const struct loader_plan *plan, uint64_t first, uint64_t last)
{
	const struct loader_segment *k = synth_seg(plan, "kernel");
	uint32_t align = le(0x230, 4), init_size = le(0x260, 4);

	assert_int_equal(k->mem % align, 0);
	assert_true(k->memsz >= init_size && k->memsz >= k->bufsz);
	assert_int_equal(plan->entry, k->mem + 0x200);
	assert_memory_equal(k->buf, kernel + ((kernel[0x1f1] ? kernel[0x1f1] : 4) + 1) * 512,
			    k->bufsz);
	for (size_t i = 0; i < plan->nseg; i++) {
		assert_true(plan->seg[i].mem >= first);
		assert_true(plan->seg[i].mem + plan->seg[i].memsz - 1 <= last);
	}
	const struct loader_segment *rd = synth_seg(plan, "initrd");
	if (!(le(0x236, 2) & 2))	/* without XLF_CAN_BE_LOADED_ABOVE_4G */
		assert_true(rd->mem + rd->memsz - 1 <= le(0x22c, 4));
}

static void test_real_low_512m(void **state)
{
	struct memmap_entry map[] = { synth_ram(0, 512 * MiB - 1) };
	struct loader_plan plan;
	struct loader_err err;

	NEED_KERNEL();
	assert_int_equal(real_load(map, 1, &plan, &err), 0);
	check_kernel_rules(&plan, 0, 512 * MiB - 1);
	uint64_t pref = le(0x258, 4) | (uint64_t)le(0x25c, 4) << 32;
	assert_int_equal(synth_seg(&plan, "kernel")->mem, pref);
	loader_plan_release(&plan);
}

static void test_real_high_half_of_1g(void **state)
{
	struct memmap_entry map[] = { synth_ram(512 * MiB, 1 * GiB - 1) };
	struct loader_plan plan;
	struct loader_err err;

	NEED_KERNEL();
	assert_int_equal(real_load(map, 1, &plan, &err), 0);
	check_kernel_rules(&plan, 512 * MiB, 1 * GiB - 1);
	/* pref_address is outside: the lowest aligned address instead. */
	assert_int_equal(synth_seg(&plan, "kernel")->mem, 512 * MiB);
	loader_plan_release(&plan);
}

static void test_real_above_4g(void **state)
{
	struct memmap_entry map[] = { synth_ram(4 * GiB, 5 * GiB - 1) };
	struct loader_plan plan;
	struct loader_err err;
	char want[LOADER_ERR_MAX], size[32];

	NEED_KERNEL();
	if (le(0x236, 2) & 2) {
		assert_int_equal(real_load(map, 1, &plan, &err), 0);
		check_kernel_rules(&plan, 4 * GiB, 5 * GiB - 1);
		assert_true(plan.boot_params >= 4 * GiB);
		loader_plan_release(&plan);
	} else {
		loader_fmt_size(size, sizeof(size), (le(0x260, 4) + 0xfff) & ~0xfffu);
		fmt_snprintf(want, sizeof(want), "loader: kernel: no 2 MiB-aligned hole of %s in "
			     "partition 0x100000000-0x13fffffff below 4 GiB (no "
			     "XLF_CAN_BE_LOADED_ABOVE_4G)", size);
		assert_int_equal(real_load(map, 1, &plan, &err), -ENOSPC);
		assert_string_equal(err.msg, want);
	}
}

static void test_real_too_small(void **state)
{
	struct memmap_entry map[] = { synth_ram(0, 32 * MiB - 1) };
	struct loader_plan plan;
	struct loader_err err;
	char want[LOADER_ERR_MAX], size[32], align[32];
	uint32_t init;

	NEED_KERNEL();
	init = (le(0x260, 4) + 0xfff) & ~0xfffu;
	assert_true(init > 32 * MiB);
	fmt_snprintf(want, sizeof(want), "loader: kernel: no %s-aligned hole of %s in partition "
		     "0x0-0x1ffffff", loader_fmt_size(align, sizeof(align), le(0x230, 4)),
		     loader_fmt_size(size, sizeof(size), init));
	assert_int_equal(real_load(map, 1, &plan, &err), -ENOSPC);
	assert_string_equal(err.msg, want);
	/* The Debian 6.1 kernel's numbers, for the record: 2 MiB alignment, 63.6 MiB. */
	if (le(0x230, 4) == 0x200000 && init == 0x3f98000)
		assert_string_equal(err.msg, "loader: kernel: no 2 MiB-aligned hole of 63.6 MiB "
					     "in partition 0x0-0x1ffffff");
}

static void test_real_relocates_byte_exact(void **state)
{
	/* 96 MiB of partition inside 160 MiB of simulated memory, pages from anywhere. */
	struct memmap_entry map[] = { synth_ram(0, 96 * MiB - 1) };
	uint64_t seed = 42, pages;
	struct synth_pool pool;
	struct loader_plan plan;
	struct loader_reloc r;
	struct loader_err err;
	uint8_t *mem;

	NEED_KERNEL();
	mem = malloc(160 * MiB);
	memset(mem, 0xcc, 160 * MiB);
	assert_int_equal(real_load(map, 1, &plan, &err), 0);
	synth_pool_init(&pool, mem, 0, 160 * MiB);
	synth_pool_shuffle(&pool, &seed);
	assert_int_equal(loader_reloc_build(&r, &plan, &pool.ops, &err), 0);
	assert_int_equal(loader_relocate_sim(&pool.sim, r.head, &pages, &err), 0);
	assert_int_equal(loader_verify_segments(&plan, loader_sim_phys, &pool.sim, &err), 0);
	/* The decompressor's entry bytes are where the jump goes. */
	assert_memory_equal(mem + plan.entry,
			    kernel + ((kernel[0x1f1] ? kernel[0x1f1] : 4) + 1) * 512 + 0x200, 64);
	mem[synth_seg(&plan, "kernel")->mem + 0x1000] ^= 1;
	assert_int_equal(loader_verify_segments(&plan, loader_sim_phys, &pool.sim, &err), -EBADMSG);
	assert_memory_equal(err.msg, "loader: kernel: SHA-256 of ", 27);
	loader_reloc_release(&r);
	assert_int_equal(pool.live, 0);
	synth_pool_fini(&pool);
	loader_plan_release(&plan);
	free(mem);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_real_probe_matches_header),
		cmocka_unit_test(test_real_low_512m),
		cmocka_unit_test(test_real_high_half_of_1g),
		cmocka_unit_test(test_real_above_4g),
		cmocka_unit_test(test_real_too_small),
		cmocka_unit_test(test_real_relocates_byte_exact),
	};
	return cmocka_run_group_tests_name("loader_real", tests, load_kernel, free_kernel);
}
