// SPDX-License-Identifier: GPL-2.0-only
/*
 * guest-config: the [guest a] / [guest b] keys one by one: text, paths, memory requests and
 * the device lists, with every form they accept and every message they reject with.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#define CONFIG_EXPECT_FILE "g.conf"
#include "tests/unit/config_expect.h"

static char text[16384];

/*
 * Guest A is the section under test, starting on line 2 after a global mode line, so its
 * first key is on line 3; guest B follows with nothing in it but a kernel.
 */
#define A(keys) "[global]\n[guest a]\nkernel = \\a\n" keys "[guest b]\nkernel = \\b\n"
#define GA	"[guest a]\nkernel = \\a\n"
#define GB	"[guest b]\nkernel = \\b\n"


static const struct guest_config *ga = &cfg.guest[CONFIG_GUEST_A];
static const struct guest_config *gb = &cfg.guest[CONFIG_GUEST_B];

static void test_config_name(void **state)
{
	EXPECT_OK(A("name = \"  Spaced  \"\n"));
	assert_string_equal(ga->name, "  Spaced  ");
	EXPECT_OK(A("name = Debian 12 \"bookworm\"\n"));
	assert_string_equal(ga->name, "Debian 12 \"bookworm\"");
	EXPECT(A("name = \"\"\n"), "g.conf:4:8: name: expected a name for the boot menu, found ''");
	EXPECT(A("name = 0123456789012345678901234567890123456789012345678901234567890123\n"),
	       "g.conf:4:8: name: 64 bytes long; the limit is 63");
	EXPECT_OK(A("name = 012345678901234567890123456789012345678901234567890123456789012\n"));
}

static void test_config_quoting(void **state)
{
	EXPECT(A("name = \"open\n"),
	       "g.conf:4:8: name: expected a closing '\"' for the quote here");
	EXPECT(A("cmdline = \"a\" b=\"c\"\n"),
	       "g.conf:4:15: cmdline: expected the end of the line after the closing '\"', found "
	       "'b=\"c\"'");
	EXPECT_OK(A("cmdline = \"\"\n"));
	assert_string_equal(ga->cmdline, "");
	EXPECT_OK(A("cmdline = \" a  b \"\n"));
	assert_string_equal(ga->cmdline, " a  b ");
	/* Quotes inside an unquoted value are kept, and so are '#' and ';'. */
	EXPECT_OK(A("cmdline = console=ttyS0 dyndbg=\"file x.c +p\" # not a comment ; either\n"));
	assert_string_equal(ga->cmdline,
			    "console=ttyS0 dyndbg=\"file x.c +p\" # not a comment ; either");
}

static void test_config_cmdline_limit(void **state)
{
	size_t len = (size_t)snprintf(text, sizeof(text), "[guest a]\nkernel = \\a\ncmdline = ");

	memset(text + len, 'c', CONFIG_CMDLINE_MAX);
	len += CONFIG_CMDLINE_MAX;
	len += (size_t)snprintf(text + len, sizeof(text) - len, "\n" GB);
	config_expect(CONFIG_EXPECT_FILE, text, len, (const char *const[]){ NULL });
	assert_int_equal(strlen(ga->cmdline), CONFIG_CMDLINE_MAX);

	len = (size_t)snprintf(text, sizeof(text), "[guest a]\nkernel = \\a\ncmdline = ");
	memset(text + len, 'c', CONFIG_CMDLINE_MAX + 1);
	len += CONFIG_CMDLINE_MAX + 1;
	len += (size_t)snprintf(text + len, sizeof(text) - len, "\n" GB);
	config_expect(CONFIG_EXPECT_FILE, text, len,
	       (const char *const[]){ "g.conf:3:11: cmdline: 2048 bytes long; the limit is 2047",
				      NULL });
}

static void test_config_format(void **state)
{
	EXPECT_OK(A("format = bzimage\n"));
	assert_int_equal(ga->format, CONFIG_FORMAT_BZIMAGE);
	EXPECT_OK(A("format = elf\n"));
	assert_int_equal(ga->format, CONFIG_FORMAT_ELF);
	EXPECT_OK(A("format = auto\n"));
	assert_int_equal(ga->format, CONFIG_FORMAT_AUTO);
	EXPECT(A("format = pe\n"),
	       "g.conf:4:10: format: expected auto, bzimage or elf, found 'pe'");
}

static void test_config_on_reset(void **state)
{
	EXPECT_OK(A("on-reset = stop\n"));
	assert_int_equal(ga->on_reset, CONFIG_RESET_STOP);
	assert_int_equal(gb->on_reset, CONFIG_RESET_RESTART);
	EXPECT_OK(A("on-reset = ignore\n"));
	assert_int_equal(ga->on_reset, CONFIG_RESET_IGNORE);
	EXPECT_OK(A("on-reset = restart\n"));
	assert_int_equal(ga->on_reset, CONFIG_RESET_RESTART);
	/* Each guest has its own. */
	EXPECT_OK("[guest a]\nkernel = \\a\non-reset = ignore\n"
		  "[guest b]\nkernel = \\b\non-reset = stop\n");
	assert_int_equal(ga->on_reset, CONFIG_RESET_IGNORE);
	assert_int_equal(gb->on_reset, CONFIG_RESET_STOP);
	/* Not given: restart (after a parse that set something else). */
	EXPECT_OK(A(""));
	assert_int_equal(ga->on_reset, CONFIG_RESET_RESTART);
	assert_int_equal(gb->on_reset, CONFIG_RESET_RESTART);
	EXPECT(A("on-reset = reboot\n"),
	       "g.conf:4:12: on-reset: expected restart, stop or ignore, found 'reboot'");
	EXPECT(A("on-reset =  restart now\n"),
	       "g.conf:4:13: on-reset: expected restart, stop or ignore, found 'restart now'");
	EXPECT(A("on-reset = Restart\n"),
	       "g.conf:4:12: on-reset: expected restart, stop or ignore, found 'Restart'");
	EXPECT(A("on-reset = stop\non-reset = ignore\n"),
	       "g.conf:5:1: duplicate key 'on-reset' in [guest a]; the first is on line 4");
	/* A global key it is not. */
	EXPECT("[global]\non-reset = stop\n" GA GB,
	       "g.conf:2:1: key 'on-reset' belongs in [guest a] or [guest b], not [global]");
}

static void test_config_apic(void **state)
{
	EXPECT_OK(A("apic = x2apic\n"));
	assert_int_equal(ga->apic, CONFIG_APIC_X2APIC);
	assert_int_equal(gb->apic, CONFIG_APIC_XAPIC);
	EXPECT_OK(A("apic = xapic\n"));
	assert_int_equal(ga->apic, CONFIG_APIC_XAPIC);
	EXPECT_OK("[guest a]\nkernel = \\a\n[guest b]\nkernel = \\b\napic = x2apic\n");
	assert_int_equal(ga->apic, CONFIG_APIC_XAPIC);
	assert_int_equal(gb->apic, CONFIG_APIC_X2APIC);
	/* Not given: xAPIC (after a parse that set x2APIC). */
	EXPECT_OK(A(""));
	assert_int_equal(ga->apic, CONFIG_APIC_XAPIC);
	assert_int_equal(gb->apic, CONFIG_APIC_XAPIC);
	EXPECT(A("apic = x3apic\n"), "g.conf:4:8: apic: expected xapic or x2apic, found 'x3apic'");
	EXPECT(A("apic = \"\"\n"), "g.conf:4:8: apic: expected xapic or x2apic, found '\"\"'");
	EXPECT(A("apic = x2apic\napic = xapic\n"),
	       "g.conf:5:1: duplicate key 'apic' in [guest a]; the first is on line 4");
}

static void test_config_path_normalized(void **state)
{
	EXPECT_OK("[guest a]\nkernel = /EFI//twinmon\\/vmlinuz\ninitrd = \"\\EFI\\my "
		  "files\\rd.img\"\n" GB);
	assert_string_equal(ga->kernel, "\\EFI\\twinmon\\vmlinuz");
	assert_string_equal(ga->initrd, "\\EFI\\my files\\rd.img");
	EXPECT_OK("[guest a]\nkernel = /EFI/Ünïcode/k\n" GB);
	assert_string_equal(ga->kernel, "\\EFI\\Ünïcode\\k");
}

static void test_config_path_rejected(void **state)
{
	EXPECT("[guest a]\nkernel = EFI\\twinmon\\vmlinuz\n" GB,
	       "g.conf:2:10: kernel: expected an absolute path on the ESP like "
	       "\\EFI\\twinmon\\vmlinuz, found 'EFI\\twinmon\\vmlinuz'");
	EXPECT("[guest a]\nkernel = \\EFI\\twinmon\\..\\vmlinuz\n" GB,
	       "g.conf:2:23: kernel: the path component '..' is not allowed; expected a path on "
	       "the ESP like \\EFI\\twinmon\\vmlinuz");
	EXPECT("[guest a]\nkernel = /./k\n" GB,
	       "g.conf:2:11: kernel: the path component '.' is not allowed; expected a path on the "
	       "ESP like \\EFI\\twinmon\\vmlinuz");
	EXPECT("[guest a]\nkernel = \\EFI\\twinmon\\\n" GB,
	       "g.conf:2:22: kernel: the path ends with a separator; expected a file "
	       "name after it");
	EXPECT("[guest a]\nkernel = /\n" GB,
	       "g.conf:2:10: kernel: the path ends with a separator; expected a file "
	       "name after it");
	EXPECT("[guest a]\nkernel = C:\\vmlinuz\n" GB,
	       "g.conf:2:10: kernel: expected an absolute path on the ESP like "
	       "\\EFI\\twinmon\\vmlinuz, found 'C:\\vmlinuz'");
	EXPECT("[guest a]\nkernel = \\EFI\\a:b\n" GB,
	       "g.conf:2:16: kernel: ':' is not allowed in a file name on the ESP");
	EXPECT("[guest a]\nkernel = \\k?\n" GB,
	       "g.conf:2:12: kernel: '?' is not allowed in a file name on the ESP");
	EXPECT("[guest a]\nkernel = \\😀\n" GB,
	       "g.conf:2:11: kernel: U+1F600 cannot be part of a UEFI path (UCS-2 only)");
	EXPECT("[guest a]\nkernel = \"\"\n" GB,
	       "g.conf:2:10: kernel: expected a path on the ESP like \\EFI\\twinmon\\vmlinuz, "
	       "found ''");
	EXPECT(A("initrd = initrd.img\n"),
	       "g.conf:4:10: initrd: expected an absolute path on the ESP like "
	       "\\EFI\\twinmon\\vmlinuz, found 'initrd.img'");
}

static void test_config_path_limit(void **state)
{
	/* 255 bytes normalized is the most; separators written twice do not count twice. */
	size_t len = (size_t)snprintf(text, sizeof(text), "[guest a]\nkernel = //");

	memset(text + len, 'k', CONFIG_PATH_MAX - 1);
	len += CONFIG_PATH_MAX - 1;
	len += (size_t)snprintf(text + len, sizeof(text) - len, "\n" GB);
	config_expect(CONFIG_EXPECT_FILE, text, len, (const char *const[]){ NULL });
	assert_int_equal(strlen(ga->kernel), CONFIG_PATH_MAX);

	len = (size_t)snprintf(text, sizeof(text), "[guest a]\nkernel = /EFI/");
	memset(text + len, 'k', CONFIG_PATH_MAX);
	len += CONFIG_PATH_MAX;
	len += (size_t)snprintf(text + len, sizeof(text) - len, "\n" GB);
	config_expect(CONFIG_EXPECT_FILE, text, len,
	       (const char *const[]){
		       "g.conf:2:10: kernel: the path is 260 bytes long; the limit is 255", NULL });
}

static void test_config_missing_kernel(void **state)
{
	EXPECT("[guest a]\nname = A\n" GB,
	       "g.conf:1:1: [guest a]: missing key 'kernel'; expected a line like kernel = "
	       "\\EFI\\twinmon\\vmlinuz");
	EXPECT(GA "\n  [guest b]\n",
	       "g.conf:4:3: [guest b]: missing key 'kernel'; expected a line like kernel = "
	       "\\EFI\\twinmon\\vmlinuz");
	/* A bad kernel value is one error, not two. */
	EXPECT("[guest a]\nkernel = vmlinuz\n" GB,
	       "g.conf:2:10: kernel: expected an absolute path on the ESP like "
	       "\\EFI\\twinmon\\vmlinuz, found 'vmlinuz'");
}

static void test_config_memory_size(void **state)
{
	EXPECT_OK("[guest a]\nkernel = \\a\nmemory = 512M\n"
		  "[guest b]\nkernel = \\b\nmemory = 256M\n");
	/* The default placement: A, the first OS, high; B, the co-resident one, low. */
	assert_int_equal(ga->memory.kind, CONFIG_MEM_SIZE);
	assert_int_equal(ga->memory.size, 512ULL << 20);
	assert_int_equal(ga->memory.placement, CONFIG_PLACE_HIGH);
	assert_int_equal(gb->memory.kind, CONFIG_MEM_SIZE);
	assert_int_equal(gb->memory.size, 256ULL << 20);
	assert_int_equal(gb->memory.placement, CONFIG_PLACE_LOW);

	EXPECT_OK("[guest a]\nkernel = \\a\nmemory = 1G   low\n[guest b]\nkernel = \\b\nmemory = "
		  "0x4000000 high\n");
	assert_int_equal(ga->memory.size, 1ULL << 30);
	assert_int_equal(ga->memory.placement, CONFIG_PLACE_LOW);
	assert_int_equal(gb->memory.size, 64ULL << 20);
	assert_int_equal(gb->memory.placement, CONFIG_PLACE_HIGH);
}

static void test_config_memory_range(void **state)
{
	EXPECT_OK(A("memory = 0x100000-0x1fffffff\n"));
	assert_int_equal(ga->memory.kind, CONFIG_MEM_RANGE);
	assert_int_equal(ga->memory.base, 0x100000);
	assert_int_equal(ga->memory.size, 0x1ff00000); /* the end is inclusive */
	EXPECT_OK(A("memory = 16M - 0x1ffffff\n"));
	assert_int_equal(ga->memory.base, 16ULL << 20);
	assert_int_equal(ga->memory.size, 16ULL << 20);
	EXPECT_OK(A("memory = 0x100000-0x100fff\n"));
	assert_int_equal(ga->memory.size, 0x1000);
}

static void test_config_memory_rejected(void **state)
{
	EXPECT(A("memory = lots\n"), "g.conf:4:10: memory: expected a size like 512M or a range "
				     "0x100000-0x1fffffff, found 'lots'");
	EXPECT(A("memory = 512Mx\n"),
	       "g.conf:4:10: memory: unexpected 'x' after the number 512M; expected a size like "
	       "512M or a range 0x100000-0x1fffffff");
	EXPECT(A("memory = -5\n"), "g.conf:4:10: memory: expected a size like 512M or a range "
				   "0x100000-0x1fffffff, found '-5'");
	EXPECT(A("memory = 0\n"), "g.conf:4:10: memory: the size must not be 0; expected a size "
				  "like 512M or a range 0x100000-0x1fffffff");
	EXPECT(A("memory = 1000\n"), "g.conf:4:10: memory: '1000' is not a multiple of 4K");
	EXPECT(A("memory = 99999999T\n"),
	       "g.conf:4:10: memory: '99999999T' does not fit in 64 bits; expected a size like "
	       "512M or a range 0x100000-0x1fffffff");
	EXPECT(A("memory = 8192T\n"),
	       "g.conf:4:10: memory: '8192T' is more than the 52-bit physical address space");
	EXPECT(A("memory = 512M middle\n"),
	       "g.conf:4:15: memory: expected 'high' or 'low' after the size, found 'middle'");
	EXPECT(A("memory = 512M low please\n"),
	       "g.conf:4:19: memory: expected the end of the line after the placement, found "
	       "'please'");
	EXPECT(A("memory = 0x100800-0x1fffffff\n"),
	       "g.conf:4:10: memory: range start '0x100800' is not 4K-aligned");
	EXPECT(A("memory = 0x100000-0x20000000\n"),
	       "g.conf:4:19: memory: range end '0x20000000' is not the last byte of a 4K page; the "
	       "end is inclusive, like 0x1fffffff");
	EXPECT(A("memory = 0x200000-0x100fff\n"),
	       "g.conf:4:19: memory: range end '0x100fff' is below its start '0x200000'");
	EXPECT(A("memory = 0-0xfffff\n"),
	       "g.conf:4:10: memory: range start '0' is below 1M (0x100000); RAM below 640K is "
	       "given with low-memory");
	EXPECT(A("memory = 0x100000-0xfffffffffffff000\n"),
	       "g.conf:4:19: memory: range end '0xfffffffffffff000' is not the last byte of a 4K "
	       "page; the end is inclusive, like 0x1fffffff");
	EXPECT(A("memory = 0x100000-0x10000000000fff\n"),
	       "g.conf:4:19: memory: range end '0x10000000000fff' is beyond the 52-bit physical "
	       "address space");
	EXPECT(A("memory = 0x100000-\n"),
	       "g.conf:4:19: memory: expected the last address of the range, like 0x1fffffff, "
	       "found the end of the line");
	EXPECT(A("memory = 0x100000-0x1fffffff high\n"),
	       "g.conf:4:30: memory: expected the end of the line after the range, found 'high'");
}

static void test_config_low_memory(void **state)
{
	EXPECT_OK(A("low-memory = 256K\n"));
	assert_true(ga->low_memory_set);
	assert_int_equal(ga->low_memory, 256 << 10);
	EXPECT_OK(A("low-memory = 0\n"));
	assert_true(ga->low_memory_set);
	assert_int_equal(ga->low_memory, 0);
	EXPECT_OK(A("low-memory = 640K\n"));
	EXPECT(A("low-memory = 644K\n"),
	       "g.conf:4:14: low-memory: '644K' is more than the 640K of RAM below 0xa0000");
	EXPECT(A("low-memory = 1000\n"), "g.conf:4:14: low-memory: '1000' is not a multiple of 4K");
	EXPECT(A("low-memory = half\n"),
	       "g.conf:4:14: low-memory: expected a size like 256K, found 'half'");
}

static void test_config_mem_bounds(void **state)
{
	EXPECT_OK(A("mem-min = 16M\nmem-max = 0xffffffff\n"));
	assert_int_equal(ga->mem_min, 16 << 20);
	assert_int_equal(ga->mem_max, 0xffffffff);
	EXPECT(A("mem-min = 0x1234\n"), "g.conf:4:11: mem-min: '0x1234' is not 4K-aligned");
	EXPECT(A("mem-min = 0x10000000000000\n"),
	       "g.conf:4:11: mem-min: '0x10000000000000' is beyond the 52-bit physical address "
	       "space");
	/* mem-max is the last byte: a round number is the usual slip. */
	EXPECT(A("mem-max = 4G\n"),
	       "g.conf:4:11: mem-max: '4G' is not the last byte of a 4K page; mem-max is "
	       "inclusive, did you mean 0xffffffff?");
	EXPECT(A("mem-max = 0x1234\n"),
	       "g.conf:4:11: mem-max: '0x1234' is not the last byte of a 4K page; mem-max is "
	       "inclusive, like 0xffffffff");
	EXPECT(A("mem-max = top\n"),
	       "g.conf:4:11: mem-max: expected the highest address the guest's RAM may use, like "
	       "0xffffffff, found 'top'");
}

static void test_config_ports(void **state)
{
	EXPECT_OK(A("ports = 0x3f8-0x3ff, 0x60 ,0x64,1000 - 1003\n"));
	assert_int_equal(ga->nr_ports, 4);
	assert_int_equal(ga->ports[0].first, 0x3f8);
	assert_int_equal(ga->ports[0].last, 0x3ff);
	assert_int_equal(ga->ports[0].col, 9);
	assert_int_equal(ga->ports[1].first, 0x60);
	assert_int_equal(ga->ports[1].last, 0x60);
	assert_int_equal(ga->ports[1].col, 22);
	assert_int_equal(ga->ports[2].first, 0x64);
	assert_int_equal(ga->ports[3].first, 1000);
	assert_int_equal(ga->ports[3].last, 1003);
	EXPECT_OK(A("ports = none\n"));
	assert_int_equal(ga->nr_ports, 0);
	EXPECT_OK(A("ports = 0xffff\n"));
}

static void test_config_ports_rejected(void **state)
{
	EXPECT(A("ports = 0x10000\n"),
	       "g.conf:4:9: ports: port '0x10000' is out of range; expected 0..0xffff");
	EXPECT(A("ports = 0x3ff-0x3f8\n"),
	       "g.conf:4:15: ports: range end '0x3f8' is below its start '0x3ff'");
	EXPECT(A("ports = 0x60, 0xcf8-0xcff\n"),
	       "g.conf:4:15: ports: 0xcf8-0xcff includes ports of PCI configuration access, which "
	       "the monitor keeps");
	EXPECT(A("ports = 0x10-0x20\n"),
	       "g.conf:4:9: ports: 0x10-0x20 includes ports of the master PIC, which the monitor "
	       "keeps");
	EXPECT(A("ports = 0x3f8-0x3ff, 0x3fa\n"),
	       "g.conf:4:22: ports: 0x3fa overlaps 0x3f8-0x3ff, listed before");
	EXPECT(A("ports = 0x60, 0x60\n"), "g.conf:4:15: ports: 0x60 overlaps 0x60, listed before");
	EXPECT(A("ports = 0x60,\n"),
	       "g.conf:4:14: ports: expected a port like 0x60 or a range like "
	       "0x3f8-0x3ff, found the end of the line");
	EXPECT(A("ports = , 0x60\n"),
	       "g.conf:4:9: ports: expected a port like 0x60 or a range like "
	       "0x3f8-0x3ff, found ','");
	EXPECT(A("ports = 0x60 0x64\n"),
	       "g.conf:4:14: ports: expected ',' or the end of the line, found '0x64'");
	EXPECT(A("ports = 0x3fg\n"), "g.conf:4:9: ports: unexpected 'g' after the number 0x3f; "
				     "expected a port like 0x60 or a range like 0x3f8-0x3ff");
	EXPECT(A("ports = -5\n"), "g.conf:4:9: ports: expected a port like 0x60 or a range like "
				  "0x3f8-0x3ff, found '-5'");
	/* The list is all or nothing: the good first element is not kept. */
	assert_int_equal(ga->nr_ports, 0);
}

static void test_config_ports_limit(void **state)
{
	size_t len = (size_t)snprintf(text, sizeof(text), "[guest a]\nkernel = \\a\nports = ");

	for (int i = 0; i < CONFIG_MAX_PORT_RANGES; i++)
		len += (size_t)snprintf(text + len, sizeof(text) - len, "%s0x%x", i ? ", " : "",
					0x1000 + i);
	len += (size_t)snprintf(text + len, sizeof(text) - len, "\n" GB);
	config_expect(CONFIG_EXPECT_FILE, text, len, (const char *const[]){ NULL });
	assert_int_equal(ga->nr_ports, CONFIG_MAX_PORT_RANGES);

	len = (size_t)snprintf(text, sizeof(text), "[guest a]\nkernel = \\a\nports = ");
	for (int i = 0; i <= CONFIG_MAX_PORT_RANGES; i++)
		len += (size_t)snprintf(text + len, sizeof(text) - len, "%s0x%x", i ? ", " : "",
					0x1000 + i);
	len += (size_t)snprintf(text + len, sizeof(text) - len, "\n" GB);
	/* 32 entries of "0x10NN, " start at column 9 and take 8 bytes each. */
	config_expect(CONFIG_EXPECT_FILE, text, len,
	       (const char *const[]){ "g.conf:3:265: ports: more than 32 port ranges", NULL });
}

static void test_config_uarts(void **state)
{
	EXPECT_OK(A("uarts = com3, com1\n"));
	assert_int_equal(ga->uart_mask, 0x5);
	assert_int_equal(ga->uart_col[0], 15);
	assert_int_equal(ga->uart_col[2], 9);
	EXPECT_OK(A("uarts = none\n"));
	assert_int_equal(ga->uart_mask, 0);
	EXPECT(A("uarts = com5\n"),
	       "g.conf:4:9: uarts: expected com1, com2, com3 or com4, found 'com5'");
	EXPECT(A("uarts = COM1\n"),
	       "g.conf:4:9: uarts: expected com1, com2, com3 or com4, found 'COM1'");
	EXPECT(A("uarts = com2, com2\n"), "g.conf:4:15: uarts: com2 is listed twice");
	EXPECT(A("uarts = com1-com2\n"),
	       "g.conf:4:9: uarts: expected com1, com2, com3 or com4, found 'com1-com2'");
	assert_int_equal(config_uart_port(0), 0x3f8);
	assert_int_equal(config_uart_port(1), 0x2f8);
	assert_int_equal(config_uart_port(2), 0x3e8);
	assert_int_equal(config_uart_port(3), 0x2e8);
	assert_int_equal(config_uart_port(4), 0);
	assert_int_equal(config_uart_irq(0), 4);
	assert_int_equal(config_uart_irq(1), 3);
	assert_int_equal(config_uart_irq(2), 4);
	assert_int_equal(config_uart_irq(3), 3);
	assert_string_equal(config_uart_name(3), "com4");
	assert_null(config_uart_name(4));
}

static void test_config_pci(void **state)
{
	EXPECT_OK(A("pci = 00:1f.2, 0a:00.0,1:2.7, FF:1F.7\n"));
	assert_int_equal(ga->nr_pci, 4);
	assert_int_equal(ga->pci[0].bus, 0);
	assert_int_equal(ga->pci[0].dev, 0x1f);
	assert_int_equal(ga->pci[0].fn, 2);
	assert_int_equal(ga->pci[1].bus, 0x0a);
	assert_int_equal(ga->pci[2].bus, 1);
	assert_int_equal(ga->pci[2].dev, 2);
	assert_int_equal(ga->pci[2].fn, 7);
	assert_int_equal(ga->pci[3].bus, 0xff);
	assert_int_equal(ga->pci[1].col, 16);
	EXPECT(A("pci = 00:1f\n"), "g.conf:4:7: pci: expected a PCI function like 00:1f.2 "
				   "(bus:device.function, hex), found '00:1f'");
	EXPECT(A("pci = 0000:00:1f.2\n"), "g.conf:4:7: pci: expected a PCI function like 00:1f.2 "
					  "(bus:device.function, hex), found '0000:00:1f.2'");
	EXPECT(A("pci = 00:1f.2x\n"), "g.conf:4:7: pci: expected a PCI function like 00:1f.2 "
				      "(bus:device.function, hex), found '00:1f.2x'");
	EXPECT(A("pci = 00:20.0\n"),
	       "g.conf:4:7: pci: device 20 of '00:20.0' is out of range; expected 00..1f");
	EXPECT(A("pci = 00:1f.8\n"),
	       "g.conf:4:7: pci: function 8 of '00:1f.8' is out of range; expected 0..7");
	EXPECT(A("pci = 00:1f.2, 00:1F.2\n"), "g.conf:4:16: pci: 00:1f.2 is listed twice");
	/* "@N": the GSI its INTx pin drives, decimal 1..23 but not 2. */
	EXPECT_OK(A("pci = 00:10.0@20, 00:03.0\n"));
	assert_int_equal(ga->pci[0].dev, 0x10);
	assert_int_equal(ga->pci[0].gsi, 20);
	assert_int_equal(ga->pci[1].gsi, 0);
	EXPECT(A("pci = 00:10.0@24\n"),
	       "g.conf:4:7: pci: GSI 24 of '00:10.0@24' is out of range; expected 1..23, not 2");
	EXPECT(A("pci = 00:10.0@2\n"),
	       "g.conf:4:7: pci: GSI 2 of '00:10.0@2' is out of range; expected 1..23, not 2");
	EXPECT(A("pci = 00:10.0@\n"), "g.conf:4:7: pci: expected a PCI function like 00:1f.2 "
				       "(bus:device.function, hex), found '00:10.0@'");
	EXPECT(A("pci = 00:10.0@1234\n"), "g.conf:4:7: pci: expected a PCI function like 00:1f.2 "
					   "(bus:device.function, hex), found '00:10.0@1234'");
}

static void test_config_pci_limit(void **state)
{
	size_t len = (size_t)snprintf(text, sizeof(text), "[guest a]\nkernel = \\a\npci = ");

	for (int i = 0; i <= CONFIG_MAX_PCI; i++)
		len += (size_t)snprintf(text + len, sizeof(text) - len, "%s01:%02x.0", i ? "," : "",
					i);
	len += (size_t)snprintf(text + len, sizeof(text) - len, "\n" GB);
	config_expect(CONFIG_EXPECT_FILE, text, len,
	       (const char *const[]){ "g.conf:3:135: pci: more than 16 PCI functions", NULL });
}

static void test_config_irqs(void **state)
{
	EXPECT_OK(A("irqs = 1, 9-11, 0x17, 0\n"));
	assert_int_equal(ga->irq_mask, (1u << 1) | (7u << 9) | (1u << 23) | 1u);
	assert_int_equal(ga->irq_col[1], 8);
	assert_int_equal(ga->irq_col[10], 11);
	assert_int_equal(ga->irq_col[23], 17);
	EXPECT_OK(A("irqs = none\n"));
	assert_int_equal(ga->irq_mask, 0);
	EXPECT(A("irqs = 24\n"), "g.conf:4:8: irqs: IRQ '24' is out of range; expected 0..23");
	EXPECT(A("irqs = 2\n"), "g.conf:4:8: irqs: IRQ 2 is the cascade between the two PICs and "
				"cannot be given to a guest");
	EXPECT(A("irqs = 1-3\n"), "g.conf:4:8: irqs: IRQ 2 is the cascade between the two PICs and "
				  "cannot be given to a guest");
	EXPECT(A("irqs = 5, 4-6\n"), "g.conf:4:11: irqs: IRQ 5 is listed twice");
	EXPECT(A("irqs = 7-5\n"), "g.conf:4:10: irqs: range end '5' is below its start '7'");
	EXPECT(A("irqs = 5a\n"), "g.conf:4:8: irqs: unexpected 'a' after the number 5; expected an "
				 "IRQ like 5 or a range like 9-11");
}

static void test_config_damaged_value(void **state)
{
	/* The encoding error is the one message: the key counts as given, nothing cascades. */
	static const char t[] = "[guest a]\nkernel = \\EFI\\\xc3\n" GB;

	config_expect(CONFIG_EXPECT_FILE, t, sizeof(t) - 1,
	       (const char *const[]){
		       "g.conf:2:15: invalid UTF-8 byte 0xc3; the file must be UTF-8 text", NULL });
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_config_name),
		cmocka_unit_test(test_config_quoting),
		cmocka_unit_test(test_config_cmdline_limit),
		cmocka_unit_test(test_config_format),
		cmocka_unit_test(test_config_on_reset),
		cmocka_unit_test(test_config_apic),
		cmocka_unit_test(test_config_path_normalized),
		cmocka_unit_test(test_config_path_rejected),
		cmocka_unit_test(test_config_path_limit),
		cmocka_unit_test(test_config_missing_kernel),
		cmocka_unit_test(test_config_memory_size),
		cmocka_unit_test(test_config_memory_range),
		cmocka_unit_test(test_config_memory_rejected),
		cmocka_unit_test(test_config_low_memory),
		cmocka_unit_test(test_config_mem_bounds),
		cmocka_unit_test(test_config_ports),
		cmocka_unit_test(test_config_ports_rejected),
		cmocka_unit_test(test_config_ports_limit),
		cmocka_unit_test(test_config_uarts),
		cmocka_unit_test(test_config_pci),
		cmocka_unit_test(test_config_pci_limit),
		cmocka_unit_test(test_config_irqs),
		cmocka_unit_test(test_config_damaged_value),
	};
	return cmocka_run_group_tests_name("config_guest", tests, NULL, NULL);
}
