// SPDX-License-Identifier: GPL-2.0-only
/* The captured memory map text format, the OVMF sample, and the plan printer. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "partition/e820.h"
#include "partition/memmap_efi.h"
#include "partition/memmap_text.h"
#include "partition/plan_print.h"

#define MiB (1ULL << 20)

static struct memmap_entry entries[64];
static struct memmap map = { entries, 0, 64 };
static char err[128];

static int parse(const char *text)
{
	map.capacity = 64;
	return partition_memmap_parse_text(text, strlen(text), &map, err, sizeof(err));
}

static void test_text_basic_forms(void **state)
{
	const char *text = "# captured by hand\r\n"
			   "twinmon-memmap 1\r\n"
			   "\n"
			   "conventional 0x0000000000001000        159 0x000000000000000f  # low\n"
			   "\tbs-data 4096 0x1 15\n"
			   "7 0x100000 0x700 0xf\n"
			   "oem 0xf0000000 16 0x1\n"
			   "0x80000001 0xf8000000 16 0x1\n"
			   "rt-code 0x3e400000 256 0x800000000000000f";	/* no final newline */

	assert_int_equal(parse(text), 0);
	assert_int_equal(map.count, 6);
	assert_int_equal(entries[0].base, 0x1000);
	assert_int_equal(entries[0].size, 159 * 4096);
	assert_int_equal(entries[0].type, MEMMAP_USABLE);
	assert_int_equal(entries[0].efi_type, EFI_MT_CONVENTIONAL);
	assert_int_equal(entries[1].efi_type, EFI_MT_BS_DATA);
	assert_int_equal(entries[2].size, 0x700 * 4096);
	assert_int_equal(entries[3].type, MEMMAP_RESERVED);	/* OEM: never RAM */
	assert_int_equal(entries[4].efi_type, 0x80000001);
	assert_int_equal(entries[4].type, MEMMAP_RESERVED);
	assert_int_equal(entries[5].type, MEMMAP_RESERVED);
	/* The header is optional: lines copied from the EFI app's log parse alone. */
	assert_int_equal(parse("acpi-nvs 0x800000 8 0xf\n"), 0);
	assert_int_equal(entries[0].type, MEMMAP_NVS);
	assert_int_equal(parse(""), 0);
	assert_int_equal(map.count, 0);
}

static void test_text_errors_name_the_line(void **state)
{
	static const struct {
		const char *text;
		const char *msg;
	} cases[] = {
		{ "twinmon-memmap 2\n", "partition: memmap line 1: unsupported format version" },
		{ "twinmon-memmap 1\nfoo 0x1000 1 0\n", "partition: memmap line 2: bad type" },
		{ "\n\nconventional 0x1001 1 0\n",
		  "partition: memmap line 3: physical start is not 4 KiB aligned" },
		{ "conventional 0x1000 1\n",
		  "partition: memmap line 1: expected 'type start pages attribute'" },
		{ "conventional 0x1000 1 0 extra\n",
		  "partition: memmap line 1: expected 'type start pages attribute'" },
		{ "conventional 0x1000 1x 0\n", "partition: memmap line 1: bad page count" },
		{ "conventional 0x 1 0\n", "partition: memmap line 1: bad physical start" },
		{ "conventional 0x1000 1 0x10000000000000000\n", "partition: memmap line 1: bad attribute" },
		{ "conventional 0xfffffffffffff000 2 0\n",
		  "partition: memmap line 1: range runs past the end of the address space" },
		{ "conventional 0 0x10000000000000 0\n",
		  "partition: memmap line 1: range runs past the end of the address space" },
		{ "conventional 0 1 0\ntwinmon-memmap 1\n",
		  "partition: memmap line 2: header after the first descriptor" },
		{ "0x100000000 0 1 0\n", "partition: memmap line 1: bad type" },
		{ "-7 0 1 0\n", "partition: memmap line 1: bad type" },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		assert_int_equal(parse(cases[i].text), -EINVAL);
		assert_string_equal(err, cases[i].msg);
	}
	/* A NUL inside a line. */
	assert_int_equal(partition_memmap_parse_text("conventional 0\0 1 0\n", 20, &map, err,
						     sizeof(err)),
			 -EINVAL);
	assert_string_equal(err, "partition: memmap line 1: NUL byte");
	/* The last page of the address space is fine. */
	assert_int_equal(parse("reserved 0xfffffffffffff000 1 0\n"), 0);
}

static void test_text_capacity_and_many_lines(void **state)
{
	enum { N = 5000 };
	char *text = malloc(N * 64);
	struct memmap_entry *e = calloc(N, sizeof(*e));
	struct memmap big = { e, 0, N };
	size_t len = 0;

	assert_non_null(text);
	assert_non_null(e);
	for (size_t i = 0; i < N; i++)
		len += (size_t)partition_memmap_format_line(text + len, 64, (uint32_t)(i % 16),
							    0x100000 + i * 0x2000, 1, 0xf);
	assert_int_equal(partition_memmap_parse_text(text, len, &big, err, sizeof(err)), 0);
	assert_int_equal(big.count, N);
	for (size_t i = 0; i < N; i++) {
		assert_int_equal(e[i].base, 0x100000 + i * 0x2000);
		assert_int_equal(e[i].efi_type, i % 16);
		assert_int_equal(e[i].type, memmap_type_from_efi((uint32_t)(i % 16), 0));
	}
	big.capacity = 100;
	assert_int_equal(partition_memmap_parse_text(text, len, &big, err, sizeof(err)), -E2BIG);
	assert_string_equal(err, "partition: memmap line 101: more than 100 entries");
	free(text);
	free(e);
}

static void test_text_format_line(void **state)
{
	char line[96];

	int n = partition_memmap_format_line(line, sizeof(line), EFI_MT_CONVENTIONAL, 0x100000,
					     1792, 0xf);

	assert_int_equal(n, strlen(line));
	assert_string_equal(line, "conventional 0x0000000000100000       1792 0x000000000000000f\n");
	partition_memmap_format_line(line, sizeof(line), 0x80000001, 0xf8000000, 16, 1);
	assert_string_equal(line, "0x80000001   0x00000000f8000000         16 0x0000000000000001\n");
	assert_int_equal(parse(line), 0);
	assert_int_equal(entries[0].efi_type, 0x80000001);
}

static char *read_sample(size_t *len)
{
	FILE *f = fopen("partition/samples/ovmf-1g.memmap", "rb");
	char *buf = malloc(1 << 16);

	assert_non_null(f);
	assert_non_null(buf);
	*len = fread(buf, 1, 1 << 16, f);
	fclose(f);
	return buf;
}

struct printed {
	char text[1 << 15];
	size_t len;
	int lines;
};

static void collect(void *ctx, const char *line)
{
	struct printed *p = ctx;

	assert_null(strchr(line, '\n'));
	p->len += (size_t)snprintf(p->text + p->len, sizeof(p->text) - p->len, "%s\n", line);
	p->lines++;
}

static void test_ovmf_sample_plan_and_print(void **state)
{
	static struct partition_plan plan;
	static struct printed out;
	struct partition_request req = { 0 };
	size_t len;
	char *text = read_sample(&len);
	uint64_t base;

	assert_int_equal(partition_memmap_parse_text(text, len, &map, err, sizeof(err)), 0);
	free(text);
	assert_int_equal(map.count, 31);
	assert_int_equal(partition_plan_init(&plan, &map), 0);
	/* The EFI app's image and data (loader code/data), then a carve for the monitor. */
	assert_int_equal(partition_reserve_fixed(&plan, 0x3b600000, 3 * MiB, "twinmon.efi"), 0);
	assert_int_equal(partition_reserve_monitor(&plan, 6 * MiB, 2 * MiB, "npt+vmcb", &base), 0);
	assert_int_equal(base, 0x3da00000);	/* top of the highest conventional fit */
	req.guest[0].present = req.guest[1].present = true;
	req.guest[1].placement = PARTITION_PLACE_LOW;
	req.guest[0].uart_mask = 1;
	req.guest[1].irq_mask = 1u << 10;
	req.guest[1].nr_pci = 1;
	req.guest[1].pci[0] = PARTITION_BDF(0, 3, 0);
	req.has_log_port = true;
	req.log_port = (struct partition_ports){ 0x402, 0x402 };
	assert_int_equal(partition_plan_build(&plan, &req), 0);
	/* 1M..8M and the 12M.. RAM below b's cut: b has both, a the top. */
	assert_int_equal(plan.guest[1].ram[1].base, 1 * MiB);
	assert_int_equal(plan.guest[1].ram[1].end, 8 * MiB);
	assert_int_equal(plan.guest[0].ram[plan.guest[0].nr_ram - 1].end, 0x3ff78000);
	assert_true(plan.guest[0].ram_bytes > 450 * MiB);
	assert_true(plan.guest[1].ram_bytes > 450 * MiB);

	assert_int_equal(partition_plan_print(&plan, collect, &out), 0);
	if (getenv("PARTITION_PRINT"))
		fputs(out.text, stderr);	/* to look at the table: PARTITION_PRINT=1 */
	assert_non_null(strstr(out.text, "partition plan\n"));
	assert_non_null(strstr(out.text, "monitor: 9M of RAM in 2 reservations\n"));
	assert_non_null(strstr(out.text, "  mon    0x000000003b600000-0x000000003b8fffff       3M  "
					 "twinmon.efi\n"));
	assert_non_null(strstr(out.text, "  ports  0x402-0x402 (log)\n"));
	assert_non_null(strstr(out.text, "  ram    0x0000000000100000-0x00000000007fffff       7M  "
					 "write-back\n"));
	assert_non_null(strstr(out.text, "  e820   0x00000000b0000000-0x00000000bfffffff     256M  "
					 "reserved\n"));
	assert_non_null(strstr(out.text, "  e820   0x000000003e900000-0x000000003e97ffff     512K  "
					 "acpi\n"));
	assert_non_null(strstr(out.text, "  ports  0x3f8-0x3ff\n"));
	assert_non_null(strstr(out.text, "  uarts  com1\n"));
	assert_non_null(strstr(out.text, "  irqs   4\n"));
	assert_non_null(strstr(out.text, "  irqs   10\n"));
	assert_non_null(strstr(out.text, "  pci    00:03.0 (BARs not read yet)\n"));
	assert_non_null(strstr(out.text, "unassigned usable RAM: 0 in 0 ranges\n"));
	/* Each guest's section, and nothing of one guest's RAM in the other's e820. */
	char *a = strstr(out.text, "guest a: "), *b = strstr(out.text, "guest b: ");

	assert_non_null(a);
	assert_non_null(b);
	assert_true(a < b);
	*b = 0;	/* a's section alone */
	assert_null(strstr(a, "e820   0x0000000000100000"));
	assert_non_null(strstr(a, "e820   0x0000000000800000-0x0000000000807fff      32K  acpi-nvs"));
	*b = 'g';
	assert_non_null(strstr(b, "e820   0x0000000000100000-0x00000000007fffff       7M  ram"));
	assert_true(out.lines > 30);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_text_basic_forms),
		cmocka_unit_test(test_text_errors_name_the_line),
		cmocka_unit_test(test_text_capacity_and_many_lines),
		cmocka_unit_test(test_text_format_line),
		cmocka_unit_test(test_ovmf_sample_plan_and_print),
	};
	return cmocka_run_group_tests_name("partition_memmap_text", tests, NULL, NULL);
}
