// SPDX-License-Identifier: GPL-2.0-only
/*
 * guest-config: what only the whole file can tell — the two guests and the monitor never
 * share memory, ports, UARTs, IRQs or PCI functions — plus the shipped examples and the
 * describe helpers. twinmon-check's plan and printers are tested in test_check.c.
 */
#include <dirent.h>
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "guest-config/describe.h"
#define CONFIG_EXPECT_FILE "v.conf"
#include "tests/unit/config_expect.h"


/* Two guests: A's keys start on line 3; B's section follows them, its keys after its kernel. */
#define TWO(a, b) "[guest a]\nkernel = \\a\n" a "\n[guest b]\nkernel = \\b\n" b "\n"

static void test_config_memory_ranges_overlap(void **state)
{
	EXPECT(TWO("memory = 0x100000-0x1fffffff", "memory = 0x10000000-0x2fffffff"),
	       "v.conf:6:10: memory: 0x10000000-0x2fffffff overlaps guest a's memory "
	       "0x100000-0x1fffffff on line 3");
	/* Blame goes to the later line, whichever guest it belongs to. */
	EXPECT("[guest b]\nkernel = \\b\nmemory = 0x100000-0x1fffffff\n"
	       "[guest a]\nkernel = \\a\nmemory = 0x1ffff000-0x20ffffff\n",
	       "v.conf:6:10: memory: 0x1ffff000-0x20ffffff overlaps guest b's memory "
	       "0x100000-0x1fffffff on line 3");
	/* Touching is not overlapping: the end is inclusive. */
	EXPECT_OK(TWO("memory = 0x100000-0x1fffffff", "memory = 0x20000000-0x2fffffff"));
}

static void test_config_memory_bounds_conflict(void **state)
{
	EXPECT(TWO("mem-max = 0x3fffffff\nmem-min = 1G", ""),
	       "v.conf:4:11: mem-min: 0x40000000 is above mem-max 0x3fffffff on line 3");
	EXPECT(TWO("mem-min = 1G\nmem-max = 0x3fffffff", ""),
	       "v.conf:4:11: mem-max: 0x3fffffff is below mem-min 0x40000000 on line 3");
	EXPECT(TWO("mem-max = 0xfffff", ""),
	       "v.conf:3:11: mem-max: 0xfffff leaves no room at or above 1M (0x100000), where "
	       "memory= RAM goes");
	EXPECT(TWO("memory = 0x100000-0x1fffffff\nmem-min = 16M", ""),
	       "v.conf:3:10: memory: range 0x100000-0x1fffffff is outside mem-min..mem-max "
	       "0x1000000-0xffffffffffffffff");
	EXPECT(TWO("mem-max = 0xfffffff\nmemory = 512M", ""),
	       "v.conf:4:10: memory: 512M does not fit in 0x100000-0xfffffff (1M and up, within "
	       "mem-min..mem-max)");
	EXPECT_OK(TWO("mem-max = 0xfffffff\nmemory = 255M", ""));
}

static void test_config_memory_no_room_beside_range(void **state)
{
	/* B may only use 0..1G, but A's range takes 256M..768M: no 512M piece is left. */
	EXPECT(TWO("memory = 0x10000000-0x2fffffff", "memory = 512M\nmem-max = 0x3fffffff"),
	       "v.conf:6:10: memory: 512M does not fit in 0x100000-0x3fffffff beside guest a's "
	       "memory 0x10000000-0x2fffffff on line 3");
	EXPECT_OK(TWO("memory = 0x10000000-0x2fffffff", "memory = 255M\nmem-max = 0x3fffffff"));
}

static void test_config_memory_sizes_do_not_fit(void **state)
{
	EXPECT(TWO("memory = 768M\nmem-max = 0x3fffffff", "memory = 512M\nmem-max = 0x3fffffff"),
	       "v.conf:7:10: memory: 512M and guest a's 768M on line 3 do not both fit in "
	       "0x100000-0x3fffffff");
	/* Windows that only together hold both are fine. */
	EXPECT_OK(TWO("memory = 512M\nmem-max = 0x3fffffff",
		      "memory = 512M\nmem-max = 0x4fffffff"));
}

static void test_config_low_memory_sum(void **state)
{
	EXPECT(TWO("low-memory = 384K", "low-memory = 384K"),
	       "v.conf:6:14: low-memory: 384K and guest a's 384K on line 3 add up to more than the "
	       "640K below 0xa0000");
	EXPECT_OK(TWO("low-memory = 384K", "low-memory = 256K"));
	/* Left to the default, B gets what A leaves. */
	EXPECT_OK(TWO("low-memory = 600K", ""));
	assert_int_equal(config_low_memory_share(&cfg, CONFIG_MODE_TWIN, 1), 40 << 10);
	assert_int_equal(config_low_memory_share(&cfg, CONFIG_MODE_TWIN, 0), 600 << 10);
	assert_int_equal(config_low_memory_share(&cfg, CONFIG_MODE_B_ALONE, 1), 640 << 10);
	assert_int_equal(config_low_memory_share(&cfg, CONFIG_MODE_B_ALONE, 0), 0);
}

static void test_config_port_conflict(void **state)
{
	EXPECT(TWO("ports = 0x60, 0x70-0x77", "ports = 0x74-0x7f, 0x60"),
	       "v.conf:6:9: ports: 0x74-0x7f overlaps 0x70-0x77 of guest a on line 3",
	       "v.conf:6:20: ports: 0x60 overlaps 0x60 of guest a on line 3");
}

static void test_config_uart_port_conflict(void **state)
{
	EXPECT(TWO("ports = 0x2f8", "uarts = com2"),
	       "v.conf:6:9: uarts: com2 (0x2f8-0x2ff) overlaps 0x2f8 of guest a on line 3");
	EXPECT(TWO("uarts = com1", "ports = 0x3f0-0x3ff"),
	       "v.conf:6:9: ports: 0x3f0-0x3ff overlaps com1 (0x3f8-0x3ff) of guest a on line 3");
	/* The same UART twice: its ports and its IRQ. */
	EXPECT(TWO("uarts = com1", "uarts = com1"),
	       "v.conf:6:9: uarts: com1 (0x3f8-0x3ff) overlaps com1 (0x3f8-0x3ff) of guest a on "
	       "line 3",
	       "v.conf:6:9: uarts: IRQ 4 of com1 is also given to guest a (com1 on line 3)");
}

static void test_config_irq_conflict(void **state)
{
	EXPECT(TWO("irqs = 5, 9-11", "irqs = 11"),
	       "v.conf:6:8: irqs: IRQ 11 is also given to guest a (irqs on line 3)");
	/* com1 and com3 share IRQ 4 on a PC: they cannot go to different guests. */
	EXPECT(TWO("uarts = com1", "uarts = com3"),
	       "v.conf:6:9: uarts: IRQ 4 of com3 is also given to guest a (com1 on line 3)");
	EXPECT(TWO("uarts = com2", "irqs = 3"),
	       "v.conf:6:8: irqs: IRQ 3 is also given to guest a (com2 on line 3)");
	EXPECT_OK(TWO("uarts = com1, com3\nirqs = 4", "uarts = com2, com4"));
}

static void test_config_pci_conflict(void **state)
{
	EXPECT(TWO("pci = 00:02.0, 00:1f.2", "pci = 00:1f.3, 00:1f.2"),
	       "v.conf:6:16: pci: 00:1f.2 is also given to guest a on line 3");
}

static void test_config_log_port_conflict(void **state)
{
	EXPECT("[global]\nlog-port = com2\n" TWO("uarts = com2", "ports = 0x2f8-0x2f9"),
	       "v.conf:5:9: uarts: com2 (0x2f8-0x2ff) overlaps the monitor's log port (com2 "
	       "0x2f8-0x2ff, log-port on line 2)",
	       "v.conf:8:9: ports: 0x2f8-0x2f9 overlaps the monitor's log port (com2 0x2f8-0x2ff, "
	       "log-port on line 2)",
	       "v.conf:8:9: ports: 0x2f8-0x2f9 overlaps com2 (0x2f8-0x2ff) of guest a on line 5");
	EXPECT(TWO("ports = 0xe0-0xef", ""),
	       "v.conf:3:9: ports: 0xe0-0xef overlaps the monitor's log port (debugcon 0xe9, the "
	       "default)");
	EXPECT("[global]\nlog-port = 0x402\n" TWO("", "ports = 0x400-0x40f"),
	       "v.conf:8:9: ports: 0x400-0x40f overlaps the monitor's log port (0x402, log-port on "
	       "line 2)");
	EXPECT_OK("[global]\nlog-port = none\n" TWO("ports = 0xe9", ""));
	/* The monitor polls its UART: the UART's IRQ stays free for a guest. */
	EXPECT_OK("[global]\nlog-port = com3\n" TWO("uarts = com1", ""));
}

static void test_config_conflicts_whatever_the_mode(void **state)
{
	/* The menu can start both guests together, so a-alone does not excuse a conflict. */
	EXPECT("[global]\nmode = a-alone\n" TWO("irqs = 5", "irqs = 5"),
	       "v.conf:8:8: irqs: IRQ 5 is also given to guest a (irqs on line 5)");
}

static void test_config_validate_public(void **state)
{
	EXPECT_OK(TWO("irqs = 5", "irqs = 6"));
	/* A program changing a parsed config checks it again; positions still name lines. */
	cfg.guest[1].irq_mask |= 1u << 5;
	cfg.guest[1].irq_col[5] = 12;
	config_diag_init(&diag, "v.conf");
	assert_int_equal(config_validate(&cfg, &diag), -EINVAL);
	assert_int_equal(diag.count, 1);
	assert_string_equal(diag.msg[0].text,
			    "irqs: IRQ 5 is also given to guest a (irqs on line 3)");
	assert_int_equal(diag.msg[0].line, 6);
	assert_int_equal(diag.msg[0].col, 12);

	config_defaults(&cfg);
	config_diag_init(&diag, "none");
	assert_int_equal(config_validate(&cfg, &diag), -EINVAL);
	assert_string_equal(diag.msg[0].text,
			    "no [guest a] or [guest b] section; expected at least one guest");
}

static void test_config_names(void **state)
{
	assert_string_equal(config_mode_name(CONFIG_MODE_B_ALONE), "b-alone");
	assert_string_equal(config_mode_name(99), "?");
	assert_string_equal(config_boot_name(CONFIG_BOOT_DIRECT_B), "direct-b");
	assert_string_equal(config_irq_policy_name(CONFIG_IRQ_SWITCH), "switch");
	assert_string_equal(config_format_name(CONFIG_FORMAT_BZIMAGE), "bzimage");
	assert_string_equal(config_placement_name(CONFIG_PLACE_LOW), "low");
	assert_string_equal(config_log_kind_name(CONFIG_LOG_NONE), "none");
	assert_string_equal(config_global_key_name(CONFIG_KEY_LOG_PORT), "log-port");
	assert_string_equal(config_guest_key_name(CONFIG_KEY_LOW_MEMORY), "low-memory");
	assert_string_equal(config_guest_key_name(CONFIG_GUEST_KEY_COUNT), "?");
	assert_string_equal(config_guest_section_name(1), "guest b");
	assert_int_equal(config_guest_letter(0), 'a');
	assert_true(config_mode_needs_guest(CONFIG_MODE_TWIN, 1));
	assert_false(config_mode_needs_guest(CONFIG_MODE_A_ALONE, 1));
	assert_true(config_boot_needs_guest(CONFIG_BOOT_DIRECT_B, 1));
	assert_false(config_boot_needs_guest(CONFIG_BOOT_EXIT, 0));
	assert_int_equal(config_boot_for_mode(CONFIG_MODE_B_ALONE), CONFIG_BOOT_B_ALONE);
	assert_non_null(config_reserved_port_overlap(0x4d1, 0x4d1));
	assert_null(config_reserved_port_overlap(0x22, 0x91));
	assert_null(config_reserved_port_overlap(0x93, 0x9f));
	assert_string_equal(config_reserved_port_overlap(0x90, 0x97)->owner,
			    "system control port A (fast reset)");
	assert_string_equal(config_reserved_port_overlap(0x9f, 0xa0)->owner, "the slave PIC");

	EXPECT_OK("[global]\nmode = a-alone\n[guest a]\nkernel = \\a\n");
	assert_true(config_boot_available(&cfg, CONFIG_BOOT_A_ALONE));
	assert_true(config_boot_available(&cfg, CONFIG_BOOT_DIRECT_A));
	assert_true(config_boot_available(&cfg, CONFIG_BOOT_EXIT));
	assert_false(config_boot_available(&cfg, CONFIG_BOOT_TWIN));
	assert_false(config_boot_available(&cfg, CONFIG_BOOT_DIRECT_B));
	assert_false(config_boot_available(&cfg, CONFIG_BOOT_COUNT));
}

static void test_config_describe(void **state)
{
	char b[CONFIG_DESCRIBE_MAX];

	EXPECT_OK("[global]\nlog-port = com4\n" TWO("memory = 0x100000-0x1fffffff\n"
						    "ports = 0x60, 0x3b0-0x3df\n"
						    "pci = 00:1f.2, 0a:00.7\n"
						    "irqs = 0, 1, 3, 5-7, 23\nuarts = com3, com1\n"
						    "mem-min = 1M",
						    "memory = 1536K\nlow-memory = 64K"));
	assert_int_equal(config_describe_memory(b, sizeof(b), &cfg.guest[0].memory), 19);
	assert_string_equal(b, "0x100000-0x1fffffff");
	config_describe_memory(b, sizeof(b), &cfg.guest[1].memory);
	assert_string_equal(b, "1536K low");
	config_describe_ports(b, sizeof(b), &cfg.guest[0]);
	assert_string_equal(b, "0x60, 0x3b0-0x3df");
	config_describe_ports(b, sizeof(b), &cfg.guest[1]);
	assert_string_equal(b, "none");
	config_describe_pci(b, sizeof(b), &cfg.guest[0]);
	assert_string_equal(b, "00:1f.2, 0a:00.7");
	config_describe_irqs(b, sizeof(b), cfg.guest[0].irq_mask);
	assert_string_equal(b, "0-1, 3, 5-7, 23");
	config_describe_irqs(b, sizeof(b), 0);
	assert_string_equal(b, "none");
	config_describe_uarts(b, sizeof(b), &cfg.guest[0]);
	assert_string_equal(b, "com1 (0x3f8-0x3ff, IRQ 4), com3 (0x3e8-0x3ef, IRQ 4)");
	config_describe_mem_min(b, sizeof(b), &cfg.guest[0]);
	assert_string_equal(b, "0x100000");
	config_describe_mem_max(b, sizeof(b), &cfg.guest[0]);
	assert_string_equal(b, "-");
	config_describe_low_memory(b, sizeof(b), &cfg, CONFIG_MODE_TWIN, 0);
	assert_string_equal(b, "split (576K)");
	config_describe_low_memory(b, sizeof(b), &cfg, CONFIG_MODE_TWIN, 1);
	assert_string_equal(b, "64K");
	config_describe_log_port(b, sizeof(b), &cfg.log);
	assert_string_equal(b, "com4 (0x2e8-0x2ef)");
	config_describe_slice(b, sizeof(b), 10000);
	assert_string_equal(b, "10ms");
	config_describe_slice(b, sizeof(b), 1000000);
	assert_string_equal(b, "1s");
	config_describe_slice(b, sizeof(b), 1500);
	assert_string_equal(b, "1500us");
	/* Like snprintf: the full length back, the buffer cut and terminated. */
	assert_int_equal(config_describe_uarts(b, 6, &cfg.guest[0]), 52);
	assert_string_equal(b, "com1 ");
}

/* Every shipped example must be valid: the docs and the demo depend on them. */
static void test_config_examples_parse(void **state)
{
	static char buf[CONFIG_FILE_MAX + 1];
	const char *dir = "guest-config/examples";
	DIR *d = opendir(dir);
	struct dirent *e;
	int seen = 0;

	assert_non_null(d);
	while ((e = readdir(d))) {
		char path[512], all[8192];
		size_t len = strlen(e->d_name), n;
		FILE *f;

		if (len < 6 || strcmp(e->d_name + len - 5, ".conf"))
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		f = fopen(path, "rb");
		assert_non_null(f);
		n = fread(buf, 1, sizeof(buf), f);
		fclose(f);
		if (config_parse(path, buf, n, &cfg, &diag)) {
			config_diag_format_all(&diag, all, sizeof(all));
			fail_msg("%s", all);
		}
		assert_true(cfg.guest[0].present || cfg.guest[1].present);
		seen++;
	}
	closedir(d);
	assert_true(seen >= 5);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_config_memory_ranges_overlap),
		cmocka_unit_test(test_config_memory_bounds_conflict),
		cmocka_unit_test(test_config_memory_no_room_beside_range),
		cmocka_unit_test(test_config_memory_sizes_do_not_fit),
		cmocka_unit_test(test_config_low_memory_sum),
		cmocka_unit_test(test_config_port_conflict),
		cmocka_unit_test(test_config_uart_port_conflict),
		cmocka_unit_test(test_config_irq_conflict),
		cmocka_unit_test(test_config_pci_conflict),
		cmocka_unit_test(test_config_log_port_conflict),
		cmocka_unit_test(test_config_conflicts_whatever_the_mode),
		cmocka_unit_test(test_config_validate_public),
		cmocka_unit_test(test_config_names),
		cmocka_unit_test(test_config_describe),
		cmocka_unit_test(test_config_examples_parse),
	};
	return cmocka_run_group_tests_name("config_validate", tests, NULL, NULL);
}
