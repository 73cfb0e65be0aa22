// SPDX-License-Identifier: GPL-2.0-only
/* The zero page as a Linux kernel reads it, checked at the documented byte offsets. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "loader/bootparams.h"
#include "loader/loader.h"
#include "tests/unit/test_loader_synth.h"

static uint32_t rd32(const uint8_t *p, size_t off)
{
	return (uint32_t)p[off] | (uint32_t)p[off + 1] << 8 | (uint32_t)p[off + 2] << 16 |
	       (uint32_t)p[off + 3] << 24;
}

static uint64_t rd64(const uint8_t *p, size_t off)
{
	return rd32(p, off) | (uint64_t)rd32(p, off + 4) << 32;
}

struct bp_case {
	uint8_t *img;
	size_t size;
	struct loader_params p;
	struct loader_plan plan;
	const uint8_t *bp;	/* the zero page, as bytes */
};

static void bp_load(struct bp_case *c, const struct synth_bz *o, const struct memmap_entry *map,
		    size_t n, const void *initrd, size_t initrd_size)
{
	struct loader_err err;

	c->img = synth_bzimage(o, &c->size);
	synth_params(&c->p, "vmlinuz", c->img, c->size, map, n);
	c->p.initrd = initrd;
	c->p.initrd_size = initrd_size;
	c->p.cmdline = "root=/dev/vda ro";
	c->p.acpi_rsdp = 0xe0000;
	assert_int_equal(loader_load(&c->p, &c->plan, &err), 0);
	c->bp = synth_seg(&c->plan, "boot_params")->buf;
	assert_non_null(c->bp);
}

static void bp_done(struct bp_case *c)
{
	loader_plan_release(&c->plan);
	free(c->img);
	assert_int_equal(synth_live, 0);
}

static void test_bp_header_copied_and_completed(void **state)
{
	struct synth_bz o;
	struct memmap_entry map[] = { synth_ram(0, 256 * MiB - 1) };
	static uint8_t initrd[0x1800];
	struct bp_case c;

	synth_bz_defaults(&o);
	o.loadflags |= 0x80 | 0x02;	/* CAN_USE_HEAP and KASLR_FLAG as if left by a tool */
	bp_load(&c, &o, map, 1, initrd, sizeof(initrd));
	/* Everything of the header except the fields a loader writes is the image's. */
	for (size_t off = 0x1f1; off < 0x26c; off++) {
		bool written = off == 0x210 || off == 0x211 || (off >= 0x214 && off < 0x220) ||
			       (off >= 0x224 && off < 0x226) || (off >= 0x228 && off < 0x22c) ||
			       (off >= 0x250 && off < 0x258);
		if (!written && c.bp[off] != c.img[off])
			fail_msg("boot_params byte 0x%zx is 0x%x, the image has 0x%x", off,
				 c.bp[off], c.img[off]);
	}
	/* Past the header's end (the image has 0x5a there) nothing was copied. */
	for (size_t off = 0x26c; off < 0x290; off++)
		assert_int_equal(c.bp[off], 0);
	assert_int_equal(c.bp[0x1ef], 0);			/* sentinel */
	assert_int_equal(c.bp[0x210], 0xff);			/* type_of_loader */
	assert_int_equal(c.bp[0x211], 0x01);			/* LOADED_HIGH only */
	assert_int_equal(rd32(c.bp, 0x214), 16 * MiB);		/* code32_start */
	assert_int_equal(rd32(c.bp, 0x228), synth_seg(&c.plan, "cmdline")->mem);
	assert_int_equal(rd32(c.bp, 0x0c8), 0);			/* ext_cmd_line_ptr */
	assert_int_equal(rd32(c.bp, 0x218), synth_seg(&c.plan, "initrd")->mem);
	assert_int_equal(rd32(c.bp, 0x21c), sizeof(initrd));
	assert_int_equal(rd32(c.bp, 0x0c0), 0);
	assert_int_equal(rd32(c.bp, 0x0c4), 0);
	assert_int_equal(rd64(c.bp, 0x070), 0xe0000);		/* acpi_rsdp_addr */
	assert_int_equal(rd64(c.bp, 0x250), 0);			/* no setup_data needed */
	assert_string_equal(synth_seg(&c.plan, "cmdline")->buf, "root=/dev/vda ro");
	bp_done(&c);
}

static void test_bp_above_4g_uses_ext_fields(void **state)
{
	struct synth_bz o;
	struct memmap_entry map[] = { synth_ram(0x500000000ULL, 0x53fffffffULL) };
	static uint8_t initrd[0x3000];
	struct bp_case c;

	synth_bz_defaults(&o);
	bp_load(&c, &o, map, 1, initrd, sizeof(initrd));
	uint64_t cl = synth_seg(&c.plan, "cmdline")->mem, rd = synth_seg(&c.plan, "initrd")->mem;
	assert_true(cl > 0xffffffffULL && rd > 0xffffffffULL);
	assert_int_equal(rd32(c.bp, 0x228), (uint32_t)cl);
	assert_int_equal(rd32(c.bp, 0x0c8), (uint32_t)(cl >> 32));
	assert_int_equal(rd32(c.bp, 0x218), (uint32_t)rd);
	assert_int_equal(rd32(c.bp, 0x0c0), (uint32_t)(rd >> 32));
	assert_int_equal(rd32(c.bp, 0x214), 0);			/* code32_start cannot say it */
	assert_int_equal(c.plan.seg[0].mem, 0x500000000ULL);
	bp_done(&c);
}

static void test_bp_e820_sorted_and_typed(void **state)
{
	struct synth_bz o;
	struct memmap_entry map[] = {
		synth_ram(0x100000, 0x3fffffff),
		{ 0xfee00000, 0x1000, MEMMAP_MMIO, 11 },
		{ 0, 0x9f000, MEMMAP_USABLE, 7 },
		{ 0x3ff00000, 0x80000, MEMMAP_ACPI, 9 },
		{ 0x3ff80000, 0x80000, MEMMAP_NVS, 10 },
		{ 0x9f000, 0x61000, MEMMAP_RESERVED, 0 },
		{ 0x40000000, 0, MEMMAP_USABLE, 7 },	/* empty: left out */
		{ 0x100000000ULL, 0x1000, MEMMAP_PERSISTENT, 14 },
	};
	static const struct { uint64_t addr, size; uint32_t type; } want[] = {
		{ 0, 0x9f000, 1 }, { 0x9f000, 0x61000, 2 }, { 0x100000, 0x3ff00000, 1 },
		{ 0x3ff00000, 0x80000, 3 }, { 0x3ff80000, 0x80000, 4 }, { 0xfee00000, 0x1000, 2 },
		{ 0x100000000ULL, 0x1000, 7 },
	};
	struct bp_case c;

	synth_bz_defaults(&o);
	bp_load(&c, &o, map, 8, NULL, 0);
	assert_int_equal(c.bp[0x1e8], 7);
	for (size_t i = 0; i < 7; i++) {
		assert_int_equal(rd64(c.bp, 0x2d0 + 20 * i), want[i].addr);
		assert_int_equal(rd64(c.bp, 0x2d0 + 20 * i + 8), want[i].size);
		assert_int_equal(rd32(c.bp, 0x2d0 + 20 * i + 16), want[i].type);
	}
	assert_int_equal(rd64(c.bp, 0x2d0 + 20 * 7), 0);
	bp_done(&c);
}

static void test_bp_big_map_spills_into_setup_data(void **state)
{
	enum { N = 200 };
	struct synth_bz o;
	struct memmap_entry map[N];
	struct bp_case c;

	/* 200 single-page RAM ranges with gaps, listed backwards. */
	for (int i = 0; i < N; i++)
		map[i] = synth_ram((uint64_t)(N - i) * MiB, (uint64_t)(N - i) * MiB + 0xffff);
	map[0] = synth_ram(256 * MiB, 512 * MiB - 1);	/* room for the segments */
	synth_bz_defaults(&o);
	bp_load(&c, &o, map, N, NULL, 0);
	assert_int_equal(c.bp[0x1e8], 128);
	const struct loader_segment *sd = synth_seg(&c.plan, "setup_data");
	assert_non_null(sd);
	assert_int_equal(rd64(c.bp, 0x250), sd->mem);
	const uint8_t *d = sd->buf;
	assert_int_equal(rd64(d, 0), 0);		/* next */
	assert_int_equal(rd32(d, 8), 1);		/* SETUP_E820_EXT */
	assert_int_equal(rd32(d, 12), (N - 128) * 20);	/* len */
	/* Sorted across both tables: entry 128 continues where the zero page stops. */
	assert_int_equal(rd64(c.bp, 0x2d0 + 20 * 127), 128 * MiB);
	assert_int_equal(rd64(d, 16), 129 * MiB);
	assert_int_equal(rd64(d, 16 + 20 * (N - 129)), 256 * MiB);
	assert_int_equal(sd->bufsz, 16 + (N - 128) * 20);
	bp_done(&c);
}

static void test_bp_elf_guest_gets_zero_page(void **state)
{
	struct synth_elf o = {
		.entry = 0x200000, .nload = 1,
		.load = { { .paddr = 0x200000, .filesz = 0x100, .memsz = 0x100 } },
	};
	struct memmap_entry map[] = { synth_ram(0, 64 * MiB - 1) };
	struct loader_params p;
	struct loader_plan plan;
	struct loader_err err;
	size_t size;
	uint8_t *img = synth_elf(&o, &size);

	synth_params(&p, "guest.elf", img, size, map, 1);
	assert_int_equal(loader_load(&p, &plan, &err), 0);
	const uint8_t *bp = synth_seg(&plan, "boot_params")->buf;
	assert_int_equal(rd32(bp, 0x202), 0);		/* no setup header for ELF */
	assert_int_equal(bp[0x1e8], 1);
	assert_int_equal(rd32(bp, 0x228), synth_seg(&plan, "cmdline")->mem);
	assert_int_equal(*(const char *)synth_seg(&plan, "cmdline")->buf, 0);
	/* Everything high in the partition, out of the way of the guest's own layout. */
	assert_int_equal(plan.boot_params, 64 * MiB - 0x1000);
	loader_plan_release(&plan);
	free(img);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_bp_header_copied_and_completed),
		cmocka_unit_test(test_bp_above_4g_uses_ext_fields),
		cmocka_unit_test(test_bp_e820_sorted_and_typed),
		cmocka_unit_test(test_bp_big_map_spills_into_setup_data),
		cmocka_unit_test(test_bp_elf_guest_gets_zero_page),
	};
	return cmocka_run_group_tests_name("loader_bootparams", tests, NULL, NULL);
}
