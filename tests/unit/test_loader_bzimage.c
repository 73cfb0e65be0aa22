// SPDX-License-Identifier: GPL-2.0-only
/* The bzImage probe and loader on synthetic images: each refusal provoked on its own. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "loader/loader.h"
#include "tests/unit/test_loader_synth.h"

/* Probe a synthetic image; returns the rc, leaves the message in err. */
static int probe(const struct synth_bz *o, struct loader_image *img, struct loader_err *err)
{
	size_t size;
	uint8_t *p = synth_bzimage(o, &size);
	int rc = loader_probe("vmlinuz", p, size, img, err);

	free(p);
	return rc;
}

static void expect_refusal(const struct synth_bz *o, int want_rc, const char *want)
{
	struct loader_image img;
	struct loader_err err;

	assert_int_equal(probe(o, &img, &err), want_rc);
	assert_string_equal(err.msg, want);
}

static void test_bz_probe_reads_header(void **state)
{
	struct synth_bz o;
	struct loader_image img;
	struct loader_err err;

	synth_bz_defaults(&o);
	assert_int_equal(probe(&o, &img, &err), 0);
	assert_string_equal(img.format->name, "bzImage");
	assert_int_equal(img.bz.version, 0x020f);
	assert_int_equal(img.bz.setup_size, 8 * 512);
	assert_int_equal(img.bz.payload_size, o.payload);
	assert_int_equal(img.bz.header_end, 0x26c);
	assert_int_equal(img.bz.kernel_alignment, 2 * MiB);
	assert_int_equal(img.bz.pref_address, 16 * MiB);
	assert_int_equal(img.bz.init_size, 4 * MiB);
	assert_int_equal(img.bz.cmdline_size, 2047);
	assert_int_equal(img.bz.initrd_addr_max, 0x7fffffff);
	assert_int_equal(img.bz.xloadflags, 3);
}

static void test_bz_setup_sects_zero_means_four(void **state)
{
	struct synth_bz o;
	struct loader_image img;
	struct loader_err err;

	synth_bz_defaults(&o);
	o.setup_sects = 0;
	assert_int_equal(probe(&o, &img, &err), 0);
	assert_int_equal(img.bz.setup_size, 5 * 512);
}

static void test_bz_refuses_old_protocol(void **state)
{
	struct synth_bz o;

	synth_bz_defaults(&o);
	o.version = 0x020a;
	expect_refusal(&o, -EINVAL, "loader: vmlinuz: boot protocol 2.10 is older than 2.12");
}

static void test_bz_refuses_no_64bit_entry(void **state)
{
	struct synth_bz o;

	synth_bz_defaults(&o);
	o.xloadflags = 0x02;
	expect_refusal(&o, -EINVAL, "loader: vmlinuz: no 64-bit entry point (xloadflags 0x2 "
		       "lacks XLF_KERNEL_64)");
}

static void test_bz_refuses_bad_magic(void **state)
{
	struct synth_bz o;

	synth_bz_defaults(&o);
	o.magic = 0x53726449;
	expect_refusal(&o, -ENOEXEC, "loader: vmlinuz: unrecognised image (bzImage: no \"HdrS\" "
		       "magic at 0x202; elf64: no ELF magic)");
}

static void test_bz_refuses_bad_boot_flag(void **state)
{
	struct synth_bz o;

	synth_bz_defaults(&o);
	o.boot_flag = 0x55aa;
	expect_refusal(&o, -EINVAL, "loader: vmlinuz: boot_flag 0x55aa is not 0xaa55");
}

static void test_bz_refuses_setup_past_end(void **state)
{
	struct synth_bz o;
	struct loader_image img;
	struct loader_err err;
	size_t size;
	uint8_t *p;

	synth_bz_defaults(&o);
	p = synth_bzimage(&o, &size);
	p[0x1f1] = 200;	/* 201 sectors of setup in a 0x407b-byte file */
	assert_int_equal(loader_probe("vmlinuz", p, size, &img, &err), -EINVAL);
	assert_string_equal(err.msg, "loader: vmlinuz: setup code of 0x19200 bytes (setup_sects) "
				     "leaves nothing of the 0x407b-byte file for the kernel");
	free(p);
}

static void test_bz_refuses_truncated_payload(void **state)
{
	struct synth_bz o;

	synth_bz_defaults(&o);
	o.syssize = (uint32_t)(o.payload / 16 + 1);
	expect_refusal(&o, -EINVAL, "loader: vmlinuz: truncated: syssize asks for 0x3080 bytes "
		       "of kernel, the file has 0x307b");
}

static void test_bz_refuses_truncated_header(void **state)
{
	struct synth_bz o;
	struct loader_image img;
	struct loader_err err;
	size_t size;
	uint8_t *p, *cut;

	synth_bz_defaults(&o);
	p = synth_bzimage(&o, &size);
	cut = malloc(0x230);
	memcpy(cut, p, 0x230);
	assert_int_equal(loader_probe("vmlinuz", cut, 0x230, &img, &err), -EINVAL);
	assert_string_equal(err.msg, "loader: vmlinuz: truncated: setup header ends at 0x26c, "
				     "the file at 0x230");
	free(cut);
	free(p);
}

static void test_bz_refuses_short_or_odd_header(void **state)
{
	struct synth_bz o;

	synth_bz_defaults(&o);
	o.jump_len = 0x50;	/* header would end at 0x252, before init_size */
	expect_refusal(&o, -EINVAL, "loader: vmlinuz: setup header ends at 0x252, before "
		       "init_size (0x264)");
	synth_bz_defaults(&o);
	o.jump_op = 0xe9;
	expect_refusal(&o, -EINVAL, "loader: vmlinuz: byte 0xe9 at 0x200 is not a short jmp, so "
		       "the setup header has no length");
}

static void test_bz_refuses_bad_alignment_and_zimage(void **state)
{
	struct synth_bz o;

	synth_bz_defaults(&o);
	o.kernel_alignment = 0x300000;
	expect_refusal(&o, -EINVAL, "loader: vmlinuz: kernel_alignment 0x300000 is not a power "
		       "of two");
	synth_bz_defaults(&o);
	o.loadflags = 0;
	expect_refusal(&o, -EINVAL, "loader: vmlinuz: not a bzImage (loadflags 0x0 lacks "
		       "LOADED_HIGH)");
}

/* Every prefix of a valid image, each in a buffer of exactly that size: ASan sees overreads. */
static void test_bz_probe_never_reads_past_buffer(void **state)
{
	struct synth_bz o;
	struct loader_image img;
	struct loader_err err;
	size_t size;
	uint8_t *p;

	synth_bz_defaults(&o);
	p = synth_bzimage(&o, &size);
	for (size_t len = 0; len <= size; len++) {
		uint8_t *cut = malloc(len ? len : 1);
		int rc;

		memcpy(cut, p, len);
		rc = loader_probe("vmlinuz", cut, len, &img, &err);
		/* Loadable exactly when the file still holds the syssize bytes of kernel. */
		assert_int_equal(rc == 0, len >= 8 * 512 + (size_t)o.syssize * 16);
		if (rc)
			assert_memory_equal(err.msg, "loader: vmlinuz: ", 17);
		free(cut);
	}
	free(p);
}

static int load(const struct synth_bz *o, const struct memmap_entry *map, size_t n,
		struct loader_plan *plan, struct loader_err *err, const void *initrd,
		size_t initrd_size, const char *cmdline)
{
	struct loader_params p;
	size_t size;
	uint8_t *img = synth_bzimage(o, &size);
	int rc;

	synth_params(&p, "vmlinuz", img, size, map, n);
	p.initrd = initrd;
	p.initrd_size = initrd_size;
	p.cmdline = cmdline;
	rc = loader_load(&p, plan, err);
	if (rc == 0) {
		struct loader_plan meta;

		assert_int_equal(loader_plan_check(plan, &p, err), 0);
		/* The callers look at addresses and sizes only: keep those, free the rest. */
		meta = *plan;
		loader_plan_release(plan);
		*plan = meta;
		for (size_t i = 0; i < plan->nseg; i++)
			plan->seg[i].buf = NULL;
	}
	free(img);
	assert_int_equal(synth_live, 0);
	return rc;
}

static void test_bz_kernel_at_pref_address(void **state)
{
	struct synth_bz o;
	struct memmap_entry map[] = { synth_ram(0, 512 * MiB - 1) };
	struct loader_plan plan;
	struct loader_err err;

	synth_bz_defaults(&o);
	assert_int_equal(load(&o, map, 1, &plan, &err, NULL, 0, "quiet"), 0);
	assert_int_equal(plan.seg[0].mem, 16 * MiB);
	assert_int_equal(plan.seg[0].memsz, 4 * MiB);
	assert_int_equal(plan.entry, 16 * MiB + 0x200);
	assert_int_equal(plan.nseg, 3);	/* kernel, boot_params, cmdline */
}

static void test_bz_unaligned_pref_falls_back_to_lowest(void **state)
{
	struct synth_bz o;
	struct memmap_entry map[] = { synth_ram(0x100000, 512 * MiB - 1) };
	struct loader_plan plan;
	struct loader_err err;

	synth_bz_defaults(&o);
	o.pref_address = 17 * MiB;	/* not 2 MiB aligned */
	assert_int_equal(load(&o, map, 1, &plan, &err, NULL, 0, NULL), 0);
	assert_int_equal(plan.seg[0].mem, 2 * MiB);
}

static void test_bz_not_relocatable_needs_pref(void **state)
{
	struct synth_bz o;
	struct memmap_entry low[] = { synth_ram(0, 64 * MiB - 1) };
	struct memmap_entry high[] = { synth_ram(64 * MiB, 128 * MiB - 1) };
	struct loader_plan plan;
	struct loader_err err;

	synth_bz_defaults(&o);
	o.relocatable = 0;
	assert_int_equal(load(&o, low, 1, &plan, &err, NULL, 0, NULL), 0);
	assert_int_equal(plan.seg[0].mem, 16 * MiB);
	assert_int_equal(load(&o, high, 1, &plan, &err, NULL, 0, NULL), -ENOSPC);
	assert_string_equal(err.msg, "loader: kernel: 0x1000000-0x13fffff is not inside "
				     "partition 0x4000000-0x7ffffff");
}

static void test_bz_no_above_4g_flag_stays_low(void **state)
{
	struct synth_bz o;
	struct memmap_entry map[] = { synth_ram(4 * GiB, 5 * GiB - 1) };
	struct loader_plan plan;
	struct loader_err err;

	synth_bz_defaults(&o);
	o.xloadflags = 0x01;
	assert_int_equal(load(&o, map, 1, &plan, &err, NULL, 0, NULL), -ENOSPC);
	assert_string_equal(err.msg, "loader: kernel: no 2 MiB-aligned hole of 4 MiB in "
				     "partition 0x100000000-0x13fffffff below 4 GiB (no "
				     "XLF_CAN_BE_LOADED_ABOVE_4G)");
}

static void test_bz_initrd_below_initrd_addr_max(void **state)
{
	struct synth_bz o;
	struct memmap_entry map[] = { synth_ram(0, 8 * GiB - 1) };
	struct loader_plan plan;
	struct loader_err err;
	static uint8_t initrd[5000];

	synth_bz_defaults(&o);
	o.xloadflags = 0x01;
	o.initrd_addr_max = 0x0fffffff;
	assert_int_equal(load(&o, map, 1, &plan, &err, initrd, sizeof(initrd), NULL), 0);
	assert_int_equal(synth_seg(&plan, "initrd")->mem, 0x10000000 - 0x2000);
	/* Able to live above 4 GiB: the initrd goes to the top of the partition. */
	o.xloadflags = 0x03;
	assert_int_equal(load(&o, map, 1, &plan, &err, initrd, sizeof(initrd), NULL), 0);
	assert_int_equal(synth_seg(&plan, "initrd")->mem, 8 * GiB - 0x2000);
}

static void test_bz_refuses_initrd_that_does_not_fit(void **state)
{
	struct synth_bz o;
	struct memmap_entry map[] = { synth_ram(0, 32 * MiB - 1) };
	struct loader_plan plan;
	struct loader_err err;
	size_t big = 30 * MiB + 1;
	uint8_t *initrd = calloc(1, big);

	synth_bz_defaults(&o);
	o.xloadflags = 0x01;
	assert_int_equal(load(&o, map, 1, &plan, &err, initrd, big, NULL), -ENOSPC);
	assert_string_equal(err.msg, "loader: initrd: no 4 KiB-aligned hole of 30.1 MiB in "
				     "partition 0x0-0x1ffffff below initrd_addr_max 0x7fffffff");
	free(initrd);
}

static void test_bz_refuses_long_cmdline(void **state)
{
	struct synth_bz o;
	struct memmap_entry map[] = { synth_ram(0, 64 * MiB - 1) };
	struct loader_plan plan;
	struct loader_err err;
	char cmdline[100];

	synth_bz_defaults(&o);
	o.cmdline_size = 98;
	memset(cmdline, 'x', 99);
	cmdline[99] = 0;
	assert_int_equal(load(&o, map, 1, &plan, &err, NULL, 0, cmdline), -E2BIG);
	assert_string_equal(err.msg, "loader: cmdline: 99 bytes exceed the kernel's cmdline_size "
				     "of 98");
	cmdline[98] = 0;
	assert_int_equal(load(&o, map, 1, &plan, &err, NULL, 0, cmdline), 0);
}

static void test_bz_staging_failure_unwinds(void **state)
{
	struct synth_bz o;
	struct memmap_entry map[] = { synth_ram(0, 64 * MiB - 1) };
	struct loader_plan plan;
	struct loader_err err;

	synth_bz_defaults(&o);
	/* boot_params is the first staged buffer, cmdline the second. */
	for (int n = 1; n <= 2; n++) {
		synth_fail_after = n;
		assert_int_equal(load(&o, map, 1, &plan, &err, NULL, 0, "x"), -ENOMEM);
		assert_non_null(strstr(err.msg, "out of staging memory"));
		assert_int_equal(plan.nseg, 0);
	}
	synth_fail_after = 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_bz_probe_reads_header),
		cmocka_unit_test(test_bz_setup_sects_zero_means_four),
		cmocka_unit_test(test_bz_refuses_old_protocol),
		cmocka_unit_test(test_bz_refuses_no_64bit_entry),
		cmocka_unit_test(test_bz_refuses_bad_magic),
		cmocka_unit_test(test_bz_refuses_bad_boot_flag),
		cmocka_unit_test(test_bz_refuses_setup_past_end),
		cmocka_unit_test(test_bz_refuses_truncated_payload),
		cmocka_unit_test(test_bz_refuses_truncated_header),
		cmocka_unit_test(test_bz_refuses_short_or_odd_header),
		cmocka_unit_test(test_bz_refuses_bad_alignment_and_zimage),
		cmocka_unit_test(test_bz_probe_never_reads_past_buffer),
		cmocka_unit_test(test_bz_kernel_at_pref_address),
		cmocka_unit_test(test_bz_unaligned_pref_falls_back_to_lowest),
		cmocka_unit_test(test_bz_not_relocatable_needs_pref),
		cmocka_unit_test(test_bz_no_above_4g_flag_stays_low),
		cmocka_unit_test(test_bz_initrd_below_initrd_addr_max),
		cmocka_unit_test(test_bz_refuses_initrd_that_does_not_fit),
		cmocka_unit_test(test_bz_refuses_long_cmdline),
		cmocka_unit_test(test_bz_staging_failure_unwinds),
	};
	return cmocka_run_group_tests_name("loader_bzimage", tests, NULL, NULL);
}
