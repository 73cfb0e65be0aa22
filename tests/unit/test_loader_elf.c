// SPDX-License-Identifier: GPL-2.0-only
/* The ELF64 probe and loader on synthetic executables. */
#include <errno.h>
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

static void simple(struct synth_elf *o)
{
	*o = (struct synth_elf){
		.entry = 0x200010,
		.nload = 2,
		.load = {
			{ .paddr = 0x200000, .filesz = 0x1800, .memsz = 0x1800 },
			{ .paddr = 0x400000, .filesz = 0x100, .memsz = 0x5000 },
		},
	};
}

static int probe(const struct synth_elf *o, struct loader_err *err)
{
	struct loader_image img;
	size_t size;
	uint8_t *p = synth_elf(o, &size);
	int rc = loader_probe("guest.elf", p, size, &img, err);

	free(p);
	return rc;
}

static void expect_refusal(const struct synth_elf *o, const char *want)
{
	struct loader_err err;

	assert_int_equal(probe(o, &err), -EINVAL);
	assert_string_equal(err.msg, want);
}

/* Check that segment s holds exactly what the file's loads put in [s->mem, s->mem + memsz). */
static void check_segment_bytes(const struct synth_elf *o, const struct loader_segment *s)
{
	const uint8_t *buf = s->buf;

	for (uint64_t off = 0; off < s->memsz; off++) {
		uint64_t addr = s->mem + off;
		uint8_t want = 0, got = off < s->bufsz ? buf[off] : 0;

		for (size_t i = 0; i < o->nload; i++)
			if (addr >= o->load[i].paddr && addr - o->load[i].paddr < o->load[i].filesz)
				want = synth_elf_byte(i, addr - o->load[i].paddr);
		if (got != want)
			fail_msg("%s: byte 0x%llx is 0x%x, want 0x%x", s->what,
				 (unsigned long long)addr, got, want);
	}
}

static void load_and_check(const struct synth_elf *o, const struct memmap_entry *map, size_t n,
			   size_t want_loads)
{
	struct loader_params p;
	struct loader_plan plan;
	struct loader_err err;
	size_t size;
	uint8_t *img = synth_elf(o, &size);

	synth_params(&p, "guest.elf", img, size, map, n);
	p.cmdline = "console=ttyS0";
	assert_int_equal(loader_load(&p, &plan, &err), 0);
	assert_int_equal(plan.nseg, want_loads + 2);
	for (size_t i = 0; i < want_loads; i++)
		check_segment_bytes(o, &plan.seg[i]);
	assert_int_equal(plan.entry, o->entry);
	const struct linux_boot_params *bp = synth_seg(&plan, "boot_params")->buf;
	assert_int_equal(plan.boot_params, synth_seg(&plan, "boot_params")->mem);
	assert_int_equal(bp->hdr.cmd_line_ptr, (uint32_t)synth_seg(&plan, "cmdline")->mem);
	assert_string_equal(synth_seg(&plan, "cmdline")->buf, "console=ttyS0");
	assert_int_equal(bp->e820_entries, n);
	loader_plan_release(&plan);
	assert_int_equal(synth_live, 0);
	free(img);
}

static void test_elf_loads_at_paddr(void **state)
{
	struct synth_elf o;
	struct memmap_entry map[] = { synth_ram(0x100000, 64 * MiB - 1) };

	simple(&o);
	load_and_check(&o, map, 1, 2);
}

static void test_elf_merges_loads_sharing_a_page(void **state)
{
	struct synth_elf o = {
		.entry = 0x200000,
		.nload = 3,
		.load = {
			/* Listed out of order: the loader sorts by address. */
			{ .paddr = 0x201900, .filesz = 0x300, .memsz = 0x2000 },
			{ .paddr = 0x200000, .filesz = 0x1234, .memsz = 0x1300 },
			{ .paddr = 0x800000, .filesz = 0x10, .memsz = 0x10 },
		},
	};
	struct memmap_entry map[] = { synth_ram(0, 16 * MiB - 1) };

	load_and_check(&o, map, 1, 2);
}

static void test_elf_unaligned_paddr_is_staged(void **state)
{
	struct synth_elf o = {
		.entry = 0x300123, .nload = 1,
		.load = { { .paddr = 0x300123, .filesz = 0x2000, .memsz = 0x2000 } },
	};
	struct memmap_entry map[] = { synth_ram(0, 16 * MiB - 1) };

	load_and_check(&o, map, 1, 1);
}

static void test_elf_bss_only_load(void **state)
{
	/* A PT_LOAD with no file bytes at an unaligned address: a segment without a buffer. */
	struct synth_elf o = {
		.entry = 0x200000, .nload = 2,
		.load = {
			{ .paddr = 0x200000, .filesz = 0x10, .memsz = 0x10 },
			{ .paddr = 0x300123, .filesz = 0, .memsz = 0x2000 },
		},
	};
	struct memmap_entry map[] = { synth_ram(0, 16 * MiB - 1) };

	load_and_check(&o, map, 1, 2);
}

static void test_elf_virtual_entry_is_translated(void **state)
{
	struct synth_elf o;
	struct loader_params p;
	struct loader_plan plan;
	struct loader_err err;
	struct memmap_entry map[] = { synth_ram(0, 16 * MiB - 1) };
	size_t size;
	uint8_t *img;

	simple(&o);
	o.load[0].vaddr = 0xffffffff80200000ULL;
	o.entry = 0xffffffff80200040ULL;
	img = synth_elf(&o, &size);
	synth_params(&p, "guest.elf", img, size, map, 1);
	assert_int_equal(loader_load(&p, &plan, &err), 0);
	assert_int_equal(plan.entry, 0x200040);
	loader_plan_release(&plan);
	free(img);
}

static void test_elf_refuses_outside_partition(void **state)
{
	struct synth_elf o;
	struct loader_params p;
	struct loader_plan plan;
	struct loader_err err;
	struct memmap_entry map[] = { synth_ram(0, 0x3fffff) };
	size_t size;
	uint8_t *img;

	simple(&o);
	img = synth_elf(&o, &size);
	synth_params(&p, "guest.elf", img, size, map, 1);
	assert_int_equal(loader_load(&p, &plan, &err), -ENOSPC);
	assert_string_equal(err.msg, "loader: load1: 0x400000-0x404fff is not inside partition "
				     "0x0-0x3fffff");
	assert_int_equal(synth_live, 0);
	free(img);
}

static void test_elf_refuses_foreign_headers(void **state)
{
	struct synth_elf o;

	simple(&o);
	o.class = 1;
	expect_refusal(&o, "loader: guest.elf: not ELF64 (class 1)");
	simple(&o);
	o.data = 2;
	expect_refusal(&o, "loader: guest.elf: not little-endian (data encoding 2)");
	simple(&o);
	o.type = 3;
	expect_refusal(&o, "loader: guest.elf: not an executable (e_type 3, position-independent)");
	simple(&o);
	o.machine = 3;
	expect_refusal(&o, "loader: guest.elf: not x86-64 (e_machine 3)");
	simple(&o);
	o.phentsize = 32;
	expect_refusal(&o, "loader: guest.elf: program headers of 32 bytes, not 56");
}

static void test_elf_refuses_bad_program_headers(void **state)
{
	struct synth_elf o;

	simple(&o);
	o.load[1].filesz = 0x6000;
	expect_refusal(&o, "loader: guest.elf: PT_LOAD 1 has p_filesz 0x6000 > p_memsz 0x5000");
	simple(&o);
	o.load[1].paddr = 0x201000;
	expect_refusal(&o, "loader: guest.elf: PT_LOADs at 0x200000 and 0x201000 overlap");
	simple(&o);
	o.entry = 0x100000;
	expect_refusal(&o, "loader: guest.elf: entry point 0x100000 is outside every PT_LOAD");
	simple(&o);
	o.load[0].type = 3;
	expect_refusal(&o, "loader: guest.elf: needs an interpreter (PT_INTERP)");
	simple(&o);
	o.load[0].type = 4;
	o.load[1].type = 4;
	expect_refusal(&o, "loader: guest.elf: no PT_LOAD segment");
	simple(&o);
	o.load[1].paddr = 0xfffffffffffff000ULL;
	o.entry = 0x200000;
	expect_refusal(&o, "loader: guest.elf: PT_LOAD 1 at 0xfffffffffffff000+0x5000 wraps "
		       "around");
}

static void test_elf_refuses_truncation(void **state)
{
	struct synth_elf o;
	struct loader_image img;
	struct loader_err err;
	size_t size;
	uint8_t *p;

	simple(&o);
	p = synth_elf(&o, &size);
	/* Program headers claim more than the file has. */
	p[56] = 200;
	assert_int_equal(loader_probe("guest.elf", p, size, &img, &err), -EINVAL);
	assert_string_equal(err.msg, "loader: guest.elf: 200 program headers (1 to 64 supported)");
	p[56] = 60;
	assert_int_equal(loader_probe("guest.elf", p, 64 + 56, &img, &err), -EINVAL);
	assert_string_equal(err.msg, "loader: guest.elf: truncated: program headers at 0x40 run "
				     "past the end of the 120-byte file");
	p[56] = 2;
	assert_int_equal(loader_probe("guest.elf", p, 0x3000, &img, &err), -EINVAL);
	assert_string_equal(err.msg, "loader: guest.elf: truncated: PT_LOAD 1 wants file bytes "
				     "0x3000+0x100 of 12288");
	assert_int_equal(loader_probe("guest.elf", p, 40, &img, &err), -EINVAL);
	assert_string_equal(err.msg, "loader: guest.elf: truncated: 40 bytes, an ELF64 header "
				     "needs 64");
	free(p);
}

static void test_elf_probe_never_reads_past_buffer(void **state)
{
	struct synth_elf o;
	struct loader_image img;
	struct loader_err err;
	size_t size;
	uint8_t *p;

	simple(&o);
	p = synth_elf(&o, &size);
	for (size_t len = 0; len <= size; len++) {
		uint8_t *cut = malloc(len ? len : 1);
		int rc;

		memcpy(cut, p, len);
		rc = loader_probe("guest.elf", cut, len, &img, &err);
		assert_int_equal(rc == 0, len == size);
		free(cut);
	}
	free(p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_elf_loads_at_paddr),
		cmocka_unit_test(test_elf_merges_loads_sharing_a_page),
		cmocka_unit_test(test_elf_unaligned_paddr_is_staged),
		cmocka_unit_test(test_elf_bss_only_load),
		cmocka_unit_test(test_elf_virtual_entry_is_translated),
		cmocka_unit_test(test_elf_refuses_outside_partition),
		cmocka_unit_test(test_elf_refuses_foreign_headers),
		cmocka_unit_test(test_elf_refuses_bad_program_headers),
		cmocka_unit_test(test_elf_refuses_truncation),
		cmocka_unit_test(test_elf_probe_never_reads_past_buffer),
	};
	return cmocka_run_group_tests_name("loader_elf", tests, NULL, NULL);
}
