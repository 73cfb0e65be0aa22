// SPDX-License-Identifier: GPL-2.0-only
/*
 * The text description of a machine's PCI BARs (twinmon-check --pci): parsed, refused where
 * no hardware could look like it, and answering the boot scan as the machine would.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "partition/pci_text.h"

static struct partition_bar bars[16];
static size_t n;
static char err[160];

static int parse(const char *text)
{
	return partition_pci_parse_text(text, strlen(text), bars, 16, &n, err, sizeof(err));
}

static void test_parse(void **state)
{
	assert_int_equal(parse("twinmon-pci 1\n"
			       "# comment\n"
			       "\n"
			       "00:03.0 1 mem32 0xfebf1000 4096   # trailing\n"
			       "0a:1F.7\t4\tmem64\t0x380000000000\t0x4000\r\n"
			       "00:1f.2 0 io 0x60a0 0x20"), 0);
	assert_int_equal(n, 3);
	assert_int_equal(bars[0].bdf, PARTITION_BDF(0, 3, 0));
	assert_int_equal(bars[0].index, 1);
	assert_int_equal(bars[0].kind, PARTITION_BAR_MEM32);
	assert_int_equal(bars[0].base, 0xfebf1000);
	assert_int_equal(bars[0].size, 0x1000);
	assert_int_equal(bars[1].bdf, PARTITION_BDF(0x0a, 0x1f, 7));
	assert_int_equal(bars[1].kind, PARTITION_BAR_MEM64);
	assert_int_equal(bars[1].base, 0x380000000000ULL);
	assert_int_equal(bars[2].kind, PARTITION_BAR_IO);
	assert_int_equal(parse("twinmon-pci 1\n"), 0);
	assert_int_equal(n, 0);
}

static void expect_error(const char *line, const char *msg)
{
	char text[256];

	snprintf(text, sizeof(text), "twinmon-pci 1\n00:02.0 0 mem32 0xfd000000 0x1000000\n%s\n",
		 line);
	assert_int_equal(parse(text), -EINVAL);
	assert_string_equal(err, msg);
}

static void test_errors(void **state)
{
	assert_int_equal(parse("twinmon-pci 2\n"), -EINVAL);
	assert_string_equal(err, "partition: pci line 1: expected \"twinmon-pci 1\"");
	expect_error("00:03.0 1 mem32 0xfebf1000",
		     "partition: pci line 3: expected: function BAR kind base size");
	expect_error("00:03.0 1 mem32 0xfebf1000 0x1000 x",
		     "partition: pci line 3: expected: function BAR kind base size");
	expect_error("00:20.0 1 mem32 0xfebf1000 0x1000",
		     "partition: pci line 3: expected a function like 00:1f.2");
	expect_error("0000:00:03.0 1 mem32 0xfebf1000 0x1000",
		     "partition: pci line 3: expected a function like 00:1f.2");
	expect_error("00:03.8 1 mem32 0xfebf1000 0x1000",
		     "partition: pci line 3: expected a function like 00:1f.2");
	expect_error("00:03.0 6 mem32 0xfebf1000 0x1000", "partition: pci line 3: BAR index is 0-5");
	expect_error("00:03.0 5 mem64 0xfebf1000 0x1000",
		     "partition: pci line 3: a 64-bit BAR takes two of BARs 0-5");
	expect_error("00:03.0 1 mem 0xfebf1000 0x1000",
		     "partition: pci line 3: kind is mem32, mem64 or io");
	expect_error("00:03.0 1 mem32 0xfebf1000 0x1g00",
		     "partition: pci line 3: base and size are numbers (0x-prefixed hex or "
		     "decimal)");
	expect_error("00:03.0 1 mem32 0xfebf1000 0x10000000000000000",
		     "partition: pci line 3: base and size are numbers (0x-prefixed hex or "
		     "decimal)");
	expect_error("00:03.0 1 mem32 0xfebf1000 0x1800", "partition: pci line 3: size must be "
		     "a power of two (at least 4 ports or 16 bytes)");
	expect_error("00:03.0 1 io 0x6000 2", "partition: pci line 3: size must be a power of "
		     "two (at least 4 ports or 16 bytes)");
	expect_error("00:03.0 1 mem32 0xfebf1800 0x1000",
		     "partition: pci line 3: base is not aligned to the size");
	expect_error("00:03.0 1 io 0x10000 0x20", "partition: pci line 3: beyond port 0xffff");
	/* The whole space would leave no writable address bit to size (a fuzzer found it). */
	expect_error("00:01.1 0 mem32 0 0x100000000", "partition: pci line 3: larger than a BAR "
		     "of its kind can be (half its address space at most)");
	expect_error("00:01.1 0 io 0 0x10000", "partition: pci line 3: larger than a BAR of its "
		     "kind can be (half its address space at most)");
	expect_error("00:03.0 1 mem32 0x100000000 0x1000",
		     "partition: pci line 3: a mem32 BAR ends above 4 GiB");
	expect_error("00:03.0 1 mem64 0x1000000000000 0x1000",
		     "partition: pci line 3: beyond the 48-bit physical limit");
	expect_error("00:02.0 0 io 0x6000 0x20",
		     "partition: pci line 3: 00:02.0 BAR0 is listed twice");
	/* A 64-bit BAR at 4 takes 5 too. */
	assert_int_equal(parse("twinmon-pci 1\n00:02.0 4 mem64 0x800000000 0x4000\n"
			       "00:02.0 5 io 0x6000 0x20\n"), -EINVAL);
	assert_string_equal(err, "partition: pci line 3: 00:02.0 BAR5 is listed twice");
	{
		const char *two = "twinmon-pci 1\n00:02.0 0 io 0x6000 0x20\n00:02.0 1 io 0x6020 0x20\n";

		assert_int_equal(partition_pci_parse_text(two, strlen(two), bars, 1, &n, err,
							  sizeof(err)), -E2BIG);
	}
	assert_string_equal(err, "partition: pci line 3: more than 1 BARs");
}

/* What the EFI app logs reads back as the same BARs. */
static void test_format_round_trip(void **state)
{
	char text[512] = PARTITION_PCI_TEXT_HEADER;
	struct partition_bar in[3] = {
		{ PARTITION_BDF(0, 3, 0), 1, PARTITION_BAR_MEM32, false, 0xfebf1000, 0x1000 },
		{ PARTITION_BDF(0xa, 0x1f, 7), 4, PARTITION_BAR_MEM64, true, 0x380000000000, 0x4000 },
		{ PARTITION_BDF(0, 0x1f, 2), 0, PARTITION_BAR_IO, false, 0x60a0, 0x20 },
	};

	for (unsigned i = 0; i < 3; i++) {
		size_t len = strlen(text);

		assert_true(partition_pci_format_line(text + len, sizeof(text) - len, &in[i]) > 0);
	}
	assert_string_equal(strchr(text, '\n') + 1, "00:03.0 1 mem32 0xfebf1000 0x1000\n"
			    "0a:1f.7 4 mem64 0x380000000000 0x4000\n00:1f.2 0 io    0x60a0 0x20\n");
	assert_int_equal(parse(text), 0);
	assert_int_equal(n, 3);
	for (unsigned i = 0; i < 3; i++) {
		assert_int_equal(bars[i].bdf, in[i].bdf);
		assert_int_equal(bars[i].index, in[i].index);
		assert_int_equal(bars[i].kind, in[i].kind);
		assert_int_equal(bars[i].base, in[i].base);
		assert_int_equal(bars[i].size, in[i].size);
	}
}

/* The described machine sizes its BARs as hardware would: the boot code reads them back. */
static void test_desc_answers_the_scan(void **state)
{
	struct partition_bar got[6];
	uint8_t sized[32] = { 0 };
	struct partition_pci_desc desc;
	struct partition_pci_ops ops;
	char msg[96];
	size_t m;

	assert_int_equal(parse("twinmon-pci 1\n"
			       "00:03.1 0 io 0x6080 0x40\n"
			       "00:03.1 1 mem32 0xfebf1000 0x1000\n"
			       "00:03.1 2 mem64 0x380000000000 0x4000\n"), 0);
	desc = (struct partition_pci_desc){ bars, n, sized };
	ops = partition_pci_desc_ops(&desc);
	assert_int_equal(partition_pci_read_bars(&ops, PARTITION_BDF(0, 3, 1), got, 6, &m, msg,
						 sizeof(msg)), 0);
	assert_int_equal(m, 3);
	for (size_t i = 0; i < 3; i++) {
		assert_int_equal(got[i].index, bars[i].index);
		assert_int_equal(got[i].kind, bars[i].kind);
		assert_int_equal(got[i].base, bars[i].base);
		assert_int_equal(got[i].size, bars[i].size);
	}
	for (size_t i = 0; i < 32; i++)
		assert_int_equal(sized[i], 0);
	/* Function 0 answers (without BARs) so a scan finds the device; others do not. */
	assert_int_equal(ops.read32(ops.ctx, PARTITION_BDF(0, 3, 0), 0) & 0xffff, 0x1b36);
	assert_int_equal(partition_pci_read_bars(&ops, PARTITION_BDF(0, 3, 0), got, 6, &m, msg,
						 sizeof(msg)), 0);
	assert_int_equal(m, 0);
	assert_int_equal(ops.read32(ops.ctx, PARTITION_BDF(0, 3, 2), 0), 0xffffffffu);
	assert_int_equal(ops.read32(ops.ctx, PARTITION_BDF(0, 4, 0), 0), 0xffffffffu);
	assert_int_equal(ops.read32(ops.ctx, PARTITION_BDF(0, 3, 1), 0x100), 0xffffffffu);
}

/* A plan on the described machine: the page rule names both functions, as at boot. */
static void test_desc_plan(void **state)
{
	static const struct memmap_entry ram[] = { { 1 << 20, 255 << 20, MEMMAP_USABLE, 7 } };
	static struct memmap map = { (struct memmap_entry *)ram, 1, 1 };
	static struct partition_plan plan;
	struct partition_request req = { 0 };
	uint8_t sized[32] = { 0 };
	struct partition_pci_desc desc;
	struct partition_pci_ops ops;

	assert_int_equal(parse("twinmon-pci 1\n"
			       "00:03.0 1 mem32 0xfebf1000 0x800\n"
			       "00:04.0 0 mem32 0xfebf1800 0x800\n"), 0);
	desc = (struct partition_pci_desc){ bars, n, sized };
	ops = partition_pci_desc_ops(&desc);
	req.guest[0].present = req.guest[1].present = true;
	req.guest[0].nr_pci = 1;
	req.guest[0].pci[0] = PARTITION_BDF(0, 3, 0);
	assert_int_equal(partition_plan_init(&plan, &map), 0);
	assert_int_equal(partition_plan_build(&plan, &req), 0);
	assert_int_equal(partition_add_pci_bars(&plan, 0, &ops), -EBUSY);
	assert_string_equal(partition_error(&plan),
			    "partition: guest a: pci 00:03.0 BAR1 (0xfebf1000) shares a 4 KiB page "
			    "with 00:04.0 BAR0 (0xfebf1800), which guest a does not own");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_format_round_trip),
		cmocka_unit_test(test_desc_answers_the_scan),
		cmocka_unit_test(test_desc_plan),
	};
	return cmocka_run_group_tests_name("partition_pci_text", tests, NULL, NULL);
}
