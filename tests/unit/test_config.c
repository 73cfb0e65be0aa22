// SPDX-License-Identifier: GPL-2.0-only
/*
 * guest-config: the file syntax (lines, sections, keys, encoding) and the [global] keys.
 * Every rejection is checked by its exact message, position included: the text is the
 * interface users see.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#define CONFIG_EXPECT_FILE "t.conf"
#include "guest-config/describe.h"
#include "tests/unit/config_expect.h"

/* The smallest guest sections that are valid on their own. */
#define GA "[guest a]\nkernel = \\a\n"
#define GB "[guest b]\nkernel = \\b\n"

static int parse_len(const char *text, size_t len)
{
	return config_parse(CONFIG_EXPECT_FILE, text, len, &cfg, &diag);
}

static void test_config_minimal_defaults(void **state)
{
	EXPECT_OK(GA GB);
	assert_int_equal(cfg.version, CONFIG_VERSION);
	assert_int_equal(cfg.mode, CONFIG_MODE_TWIN);
	assert_int_equal(cfg.boot_default, CONFIG_BOOT_TWIN);
	assert_int_equal(cfg.timeout, CONFIG_TIMEOUT_DEFAULT);
	assert_int_equal(cfg.slice_us[0], 10000);
	assert_int_equal(cfg.slice_us[1], 10000);
	assert_int_equal(cfg.irq_policy, CONFIG_IRQ_WAIT);
	assert_int_equal(cfg.log.kind, CONFIG_LOG_DEBUGCON);
	assert_int_equal(cfg.log.port, 0xe9);
	for (int i = 0; i < 2; i++) {
		const struct guest_config *g = &cfg.guest[i];

		assert_true(g->present);
		assert_string_equal(g->name, i ? "guest b" : "guest a");
		assert_string_equal(g->kernel, i ? "\\b" : "\\a");
		assert_string_equal(g->initrd, "");
		assert_string_equal(g->cmdline, "");
		assert_int_equal(g->format, CONFIG_FORMAT_AUTO);
		assert_int_equal(g->memory.kind, CONFIG_MEM_AUTO);
		assert_int_equal(g->memory.placement, i ? CONFIG_PLACE_LOW : CONFIG_PLACE_HIGH);
		assert_false(g->low_memory_set);
		assert_int_equal(g->mem_min, 0);
		assert_true(g->mem_max == UINT64_MAX);
		assert_int_equal(g->nr_ports + g->uart_mask + g->nr_pci + g->irq_mask, 0);
		assert_int_equal(g->section.line, i ? 3 : 1);
		assert_int_equal(g->loc[CONFIG_KEY_KERNEL].line, i ? 4 : 2);
		assert_int_equal(g->loc[CONFIG_KEY_KERNEL].col, 10);
	}
}

static void test_config_whitespace_comments_crlf_bom(void **state)
{
	EXPECT_OK("\xef\xbb\xbf# comment\r\n"
		  "   ; another comment\r\n"
		  "\r\n"
		  " \t[ guest \t a ]  \r\n"
		  "\tkernel\t=\t/k  \t\r\n"
		  "name=  two  words  \r\n"
		  "[guest b]\n"
		  "kernel = \\b"); /* no final line break */
	assert_string_equal(cfg.guest[0].kernel, "\\k");
	assert_string_equal(cfg.guest[0].name, "two  words");
	assert_int_equal(cfg.guest[0].section.line, 4);
	assert_int_equal(cfg.guest[0].section.col, 3);
	/* Columns count bytes (a tab is one) after the byte order mark, which is not text. */
	assert_int_equal(cfg.guest[0].loc[CONFIG_KEY_KERNEL].col, 11);
}

static void test_config_empty_file(void **state)
{
	EXPECT("", "t.conf: no [guest a] or [guest b] section; expected at least one guest");
	EXPECT("# only a comment\n\n[global]\n",
	       "t.conf: no [guest a] or [guest b] section; expected at least one guest");
}

static void test_config_key_outside_section(void **state)
{
	EXPECT("timeout = 3\nmode = twin\n" GA GB,
	       "t.conf:1:1: key 'timeout' is outside a section; expected [global], [guest a] or "
	       "[guest b] before it");
}

static void test_config_unknown_section(void **state)
{
	/* Keys of an unknown section are not reported one by one, nor the guest it hides. */
	EXPECT("[guest c]\nkernel = \\c\nbogus = 1\n" GA,
	       "t.conf:1:1: unknown section '[guest c]'; expected [global], [guest a] "
	       "or [guest b]");
	EXPECT(GA GB "  [Global]\n",
	       "t.conf:5:3: unknown section '[Global]'; expected [global], [guest a] or [guest b]");
	EXPECT(GA GB "[guest a b]\n", "t.conf:5:1: unknown section '[guest a b]'; expected "
				      "[global], [guest a] or [guest b]");
}

static void test_config_broken_section_header(void **state)
{
	EXPECT(GA GB "[global\ntimeout = 1\n",
	       "t.conf:5:1: expected ']' to close the section header");
	EXPECT(GA GB "[global] timeout = 1\n",
	       "t.conf:5:10: expected the end of the line after the section header, found "
	       "'timeout = 1'");
}

static void test_config_duplicate_section(void **state)
{
	/* The repeated section's keys would all be duplicates: only the header is reported. */
	EXPECT(GA GB "[guest a]\nkernel = \\c\n",
	       "t.conf:5:1: duplicate section [guest a]; the first is on line 1");
	EXPECT("[global]\n[global]\n" GA GB,
	       "t.conf:2:1: duplicate section [global]; the first is on line 1");
}

static void test_config_unknown_key(void **state)
{
	EXPECT("[guest a]\nkernal = \\a\nkernel = \\a\n" GB,
	       "t.conf:2:1: unknown key 'kernal' in [guest a]; expected one of name, kernel, "
	       "initrd, cmdline, format, memory, low-memory, mem-min, mem-max, ports, uarts, pci, "
	       "irqs, on-reset, apic, cpus");
	EXPECT("[global]\n  Mode = twin\n" GA GB,
	       "t.conf:2:3: unknown key 'Mode' in [global]; expected one of default, timeout, "
	       "mode, slice, slice-a, slice-b, irq-policy, log-port, dma");
}

static void test_config_key_in_wrong_section(void **state)
{
	EXPECT("[global]\nkernel = \\a\n" GA GB,
	       "t.conf:2:1: key 'kernel' belongs in [guest a] or [guest b], not [global]");
	EXPECT(GA "timeout = 5\n" GB,
	       "t.conf:3:1: key 'timeout' belongs in [global], not [guest a]");
}

static void test_config_duplicate_key(void **state)
{
	EXPECT(GA "kernel = \\other\n" GB,
	       "t.conf:3:1: duplicate key 'kernel' in [guest a]; the first is on line 2");
	/* A repeat is reported even when the first value was bad. */
	EXPECT("[global]\ntimeout = x\ntimeout = 2\n" GA GB,
	       "t.conf:2:11: timeout: expected a number of seconds 0..3600, found 'x'",
	       "t.conf:3:1: duplicate key 'timeout' in [global]; the first is on line 2");
}

static void test_config_line_without_equals(void **state)
{
	/* The line probably was the kernel key: "missing kernel" would only repeat that. */
	EXPECT("[guest a]\nkernel \\a\n" GB,
	       "t.conf:2:1: expected 'key = value', '[section]' or a comment, found 'kernel'");
	EXPECT(GA GB "[global]\nslice a = 5ms\n",
	       "t.conf:6:7: expected '=' after the key 'slice', found 'a'");
	EXPECT(GA GB "[global]\n  = 5\n", "t.conf:6:3: expected a key before '='");
}

static void test_config_empty_value(void **state)
{
	EXPECT("[global]\ntimeout =\nmode =   \n" GA GB,
	       "t.conf:2:10: timeout: expected a value after '='",
	       "t.conf:3:10: mode: expected a value after '='");
	/* Reported as empty, but counted as given: no second "missing kernel" message. */
	EXPECT("[guest a]\nkernel=\n" GB, "t.conf:2:8: kernel: expected a value after '='");
}

static void test_config_line_too_long(void **state)
{
	static char text[CONFIG_LINE_MAX + 256];
	size_t len = 0;

	len += (size_t)snprintf(text + len, sizeof(text) - len, "[guest a]\ncmdline = ");
	while (len < 10 + CONFIG_LINE_MAX + 1)
		text[len++] = 'x';
	len += (size_t)snprintf(text + len, sizeof(text) - len, "\nkernel = \\a\n" GB);
	config_expect(CONFIG_EXPECT_FILE, text, len,
	       (const char *const[]){ "t.conf:2:4097: line is 4097 bytes long; the limit is 4096",
				      NULL });

	/* Exactly at the limit is fine. */
	len = (size_t)snprintf(text, sizeof(text), GA GB "[global]\n");
	memcpy(text + len, "timeout = ", 10);
	memset(text + len + 10, ' ', CONFIG_LINE_MAX - 11);
	text[len + CONFIG_LINE_MAX - 1] = '7';
	text[len + CONFIG_LINE_MAX] = '\n';
	config_expect(CONFIG_EXPECT_FILE, text, len + CONFIG_LINE_MAX + 1, (const char *const[]){ NULL });
	assert_int_equal(cfg.timeout, 7);
}

static void test_config_nul_byte(void **state)
{
	EXPECT_BYTES(GA GB "[global]\ntimeout = 5\0\n", "t.conf:6:12: NUL byte in the text");
	EXPECT_BYTES("[guest a]\nker\0nel = \\a\n" GB, "t.conf:2:4: NUL byte in the text");
}

static void test_config_invalid_utf8(void **state)
{
	EXPECT_BYTES(GA GB "# caf\xe9\n",
		     "t.conf:5:6: invalid UTF-8 byte 0xe9; the file must be UTF-8 text");
	/* Overlong NUL, a UTF-16 surrogate, a code point above U+10FFFF, a cut sequence. */
	EXPECT_BYTES(GA GB "# \xc0\x80\n# \xed\xa0\x80\n# \xf4\x90\x80\x80\n# \xe2\x82",
		     "t.conf:5:3: invalid UTF-8 byte 0xc0; the file must be UTF-8 text",
		     "t.conf:6:3: invalid UTF-8 byte 0xed; the file must be UTF-8 text",
		     "t.conf:7:3: invalid UTF-8 byte 0xf4; the file must be UTF-8 text",
		     "t.conf:8:3: invalid UTF-8 byte 0xe2; the file must be UTF-8 text");
	/* A bad byte in a value is reported once: the key still counts as given. */
	EXPECT_BYTES("[guest a]\nkernel = \\\xff\n" GB,
		     "t.conf:2:11: invalid UTF-8 byte 0xff; the file must be UTF-8 text");
}

static void test_config_control_characters(void **state)
{
	EXPECT_BYTES(GA GB "[global]\ntimeout = 5\x01\n",
		     "t.conf:6:12: control character 0x01; only tabs and printable text are "
		     "allowed");
	/* A carriage return is only a line break before '\n'. */
	EXPECT_BYTES(GA GB "[global]\rtimeout = 5\n",
		     "t.conf:5:9: control character 0x0d; only tabs and printable text are "
		     "allowed");
	EXPECT_BYTES(GA GB "#\x7f\n",
		     "t.conf:5:2: control character 0x7f; only tabs and printable text are "
		     "allowed");
}

static void test_config_utf8_text_accepted(void **state)
{
	EXPECT_OK("[guest a]\nkernel = \\a\nname = Café 日本 😀\n" GB);
	assert_string_equal(cfg.guest[0].name, "Café 日本 😀");
}

static void test_config_mode(void **state)
{
	static const char *const names[] = { "twin", "a-alone", "b-alone" };
	char text[128];

	for (unsigned int m = 0; m < 3; m++) {
		snprintf(text, sizeof(text), "[global]\nmode = %s\n" GA GB, names[m]);
		EXPECT_OK(text);
		assert_int_equal(cfg.mode, m);
		assert_string_equal(config_mode_name(m), names[m]);
	}
	EXPECT("[global]\nmode = solo\n" GA GB,
	       "t.conf:2:8: mode: expected twin, a-alone or b-alone, found 'solo'");
}

static void test_config_mode_needs_sections(void **state)
{
	EXPECT(GA, "t.conf: mode twin (the default) needs [guest b]; add it or set mode = a-alone");
	EXPECT(GB, "t.conf: mode twin (the default) needs [guest a]; add it or set mode = b-alone");
	EXPECT("[global]\nmode = twin\n" GB,
	       "t.conf:2:8: mode: twin needs [guest a], which the file does not have");
	EXPECT("[global]\nmode = b-alone\n" GA,
	       "t.conf:2:8: mode: b-alone needs [guest b], which the file does not have");
	EXPECT_OK("[global]\nmode = a-alone\n" GA);
	assert_false(cfg.guest[1].present);
	/* A guest the mode does not run may still be there (the menu can start it). */
	EXPECT_OK("[global]\nmode = b-alone\n" GA GB);
}

static void test_config_default_entry(void **state)
{
	static const char *const names[] = { "twin",	 "a-alone",  "b-alone",
					     "direct-a", "direct-b", "exit" };
	char text[128];

	for (unsigned int b = 0; b < CONFIG_BOOT_COUNT; b++) {
		snprintf(text, sizeof(text), "[global]\ndefault = %s\n" GA GB, names[b]);
		EXPECT_OK(text);
		assert_int_equal(cfg.boot_default, b);
		assert_string_equal(config_boot_name(b), names[b]);
	}
	EXPECT("[global]\ndefault = linux\n" GA GB,
	       "t.conf:2:11: default: expected twin, a-alone, b-alone, direct-a, direct-b or exit, "
	       "found 'linux'");
	EXPECT("[global]\nmode = a-alone\ndefault = direct-b\n" GA,
	       "t.conf:3:11: default: direct-b needs [guest b], which the file does not have");
	/* Without default, the entry that runs the mode. */
	EXPECT_OK("[global]\nmode = a-alone\n" GA);
	assert_int_equal(cfg.boot_default, CONFIG_BOOT_A_ALONE);
	EXPECT_OK("[global]\nmode = a-alone\ndefault = exit\n" GA);
	assert_int_equal(cfg.boot_default, CONFIG_BOOT_EXIT);
}

static void test_config_timeout(void **state)
{
	EXPECT_OK("[global]\ntimeout = 0\n" GA GB);
	assert_int_equal(cfg.timeout, 0);
	EXPECT_OK("[global]\ntimeout = 3600\n" GA GB);
	assert_int_equal(cfg.timeout, 3600);
	EXPECT_OK("[global]\ntimeout = 0x10\n" GA GB);
	assert_int_equal(cfg.timeout, 16);
	EXPECT("[global]\ntimeout = 3601\n" GA GB,
	       "t.conf:2:11: timeout: '3601' is out of range; expected 0..3600 seconds");
	EXPECT("[global]\ntimeout = 5s\n" GA GB,
	       "t.conf:2:11: timeout: unexpected 's' after the number 5; expected a number of "
	       "seconds 0..3600");
	EXPECT("[global]\ntimeout = -1\n" GA GB,
	       "t.conf:2:11: timeout: expected a number of seconds 0..3600, found '-1'");
	EXPECT("[global]\ntimeout = 18446744073709551616\n" GA GB,
	       "t.conf:2:11: timeout: '18446744073709551616' does not fit in 64 bits; expected a "
	       "number of seconds 0..3600");
}

static void test_config_slices(void **state)
{
	EXPECT_OK("[global]\nslice = 2ms\n" GA GB);
	assert_int_equal(cfg.slice_us[0], 2000);
	assert_int_equal(cfg.slice_us[1], 2000);
	EXPECT_OK("[global]\nslice-a = 1s\nslice-b = 50us\n" GA GB);
	assert_int_equal(cfg.slice_us[0], 1000000);
	assert_int_equal(cfg.slice_us[1], 50);
	EXPECT_OK("[global]\nslice-b = 750\n" GA GB);
	assert_int_equal(cfg.slice_us[0], CONFIG_SLICE_DEFAULT_US);
	assert_int_equal(cfg.slice_us[1], 750);
	EXPECT("[global]\nslice = 49us\nslice-a = x\n" GA GB,
	       "t.conf:2:9: slice: '49us' is out of range; expected 50..1000000 microseconds "
	       "(50us..1s)",
	       "t.conf:3:11: slice-a: slice on line 2 already sets both slices; use either slice "
	       "or slice-a and slice-b");
	EXPECT("[global]\nslice-b = 1000001\nslice = 5ms\n" GA GB,
	       "t.conf:2:11: slice-b: '1000001' is out of range; expected 50..1000000 microseconds "
	       "(50us..1s)",
	       "t.conf:3:9: slice: slice-b on line 2 already sets guest b's slice; use either "
	       "slice or slice-a and slice-b");
	EXPECT("[global]\nslice = 10 ms\n" GA GB,
	       "t.conf:2:9: slice: unexpected ' ms' after the number 10; expected a time slice "
	       "like 10ms, 500us or 2000 (microseconds)");
	EXPECT("[global]\nslice = 18446744073709551615s\n" GA GB,
	       "t.conf:2:9: slice: '18446744073709551615s' does not fit in 64 bits; expected a "
	       "time slice like 10ms, 500us or 2000 (microseconds)");
}

static void test_config_irq_policy(void **state)
{
	EXPECT_OK("[global]\nirq-policy = switch\n" GA GB);
	assert_int_equal(cfg.irq_policy, CONFIG_IRQ_SWITCH);
	EXPECT_OK("[global]\nirq-policy = wait\n" GA GB);
	assert_int_equal(cfg.irq_policy, CONFIG_IRQ_WAIT);
	EXPECT("[global]\nirq-policy = now\n" GA GB,
	       "t.conf:2:14: irq-policy: expected wait or switch, found 'now'");
}

/* Unconfined DMA is accepted only when asked for by name. */
static void test_config_dma(void **state)
{
	EXPECT_OK(GA GB);
	assert_int_equal(cfg.dma, CONFIG_DMA_CONFINED);
	EXPECT_OK("[global]\ndma = unconfined\n" GA GB);
	assert_int_equal(cfg.dma, CONFIG_DMA_UNCONFINED);
	assert_string_equal(config_dma_name(cfg.dma), "unconfined");
	EXPECT_OK("[global]\ndma = confined\n" GA GB);
	assert_int_equal(cfg.dma, CONFIG_DMA_CONFINED);
	EXPECT("[global]\ndma = yes\n" GA GB,
	       "t.conf:2:7: dma: expected confined or unconfined, found 'yes'");
}

/* twinmon-check's warning: only for unconfined DMA, naming each guest's functions. */
static void test_config_dma_warning(void **state)
{
	char w[CONFIG_DESCRIBE_MAX];

	EXPECT_OK("[global]\ndma = unconfined\n" GA GB);
	assert_int_equal(config_describe_dma_warning(w, sizeof(w), &cfg), 0);
	assert_string_equal(w, "");
	EXPECT_OK("[global]\ndma = unconfined\n" GA "[guest b]\nkernel = \\b\npci = 00:10.0, 01:00.1\n");
	assert_true(config_describe_dma_warning(w, sizeof(w), &cfg) > 0);
	assert_string_equal(w, "guest b's 00:10.0, 01:00.1: dma = unconfined: without an IOMMU "
			       "their DMA reaches all RAM, the other guest's and the monitor's "
			       "included");
	EXPECT_OK("[global]\ndma = confined\n" GA "[guest b]\nkernel = \\b\npci = 00:10.0\n");
	assert_int_equal(config_describe_dma_warning(w, sizeof(w), &cfg), 0);
}

static void test_config_log_port(void **state)
{
	uint16_t first, last;

	EXPECT_OK("[global]\nlog-port = com4\n" GA GB);
	assert_int_equal(cfg.log.kind, CONFIG_LOG_UART);
	assert_int_equal(cfg.log.uart, 3);
	assert_int_equal(cfg.log.port, 0x2e8);
	assert_int_equal(config_log_ports(&cfg.log, &first, &last), 0);
	assert_int_equal(first, 0x2e8);
	assert_int_equal(last, 0x2ef);

	EXPECT_OK("[global]\nlog-port = 0x402\n" GA GB);
	assert_int_equal(cfg.log.kind, CONFIG_LOG_PORT);
	assert_int_equal(cfg.log.port, 0x402);
	EXPECT_OK("[global]\nlog-port = debugcon\n" GA GB);
	assert_int_equal(cfg.log.kind, CONFIG_LOG_DEBUGCON);
	assert_int_equal(cfg.log.port, 0xe9);
	EXPECT_OK("[global]\nlog-port = none\n" GA GB);
	assert_int_equal(cfg.log.kind, CONFIG_LOG_NONE);
	assert_int_equal(config_log_ports(&cfg.log, &first, &last), -ENOENT);

	EXPECT("[global]\nlog-port = com5\n" GA GB,
	       "t.conf:2:12: log-port: expected debugcon, com1..com4, none or a port like 0x402, "
	       "found 'com5'");
	EXPECT("[global]\nlog-port = 0x10000\n" GA GB,
	       "t.conf:2:12: log-port: port '0x10000' is out of range; expected 0..0xffff");
	EXPECT("[global]\nlog-port = 0xcfc\n" GA GB,
	       "t.conf:2:12: log-port: port 0xcfc belongs to PCI configuration access");
	EXPECT("[global]\nlog-port = 0x40g\n" GA GB,
	       "t.conf:2:12: log-port: unexpected 'g' after the number 0x40; expected debugcon, "
	       "com1..com4, none or a port like 0x402");
}

static void test_config_rejected_global_no_cascade(void **state)
{
	/*
	 * A rejected value leaves its default in place; checks built on that default would
	 * report things the file never said ("twin needs [guest b]"), so they stay quiet.
	 */
	EXPECT("[global]\nmode = solo\n" GA,
	       "t.conf:2:8: mode: expected twin, a-alone or b-alone, found 'solo'");
	EXPECT("[global]\nmode =\n" GA, "t.conf:2:7: mode: expected a value after '='");
	EXPECT("[global]\nmode = a-alone\ndefault = first\n" GA,
	       "t.conf:3:11: default: expected twin, a-alone, b-alone, direct-a, direct-b or exit, "
	       "found 'first'");
	assert_int_equal(cfg.boot_default, CONFIG_BOOT_A_ALONE);
	EXPECT("[global]\nlog-port = com9\n" GA "ports = 0xe9\n" GB,
	       "t.conf:2:12: log-port: expected debugcon, com1..com4, none or a port like 0x402, "
	       "found 'com9'");
}

static void test_config_all_errors_reported(void **state)
{
	static char text[4096];
	char all[8192];
	size_t len = (size_t)snprintf(text, sizeof(text), "[global]\n");

	/* Every line a different mistake: all are reported, up to the limit, in file order. */
	for (int i = 0; i < 20; i++)
		len += (size_t)snprintf(text + len, sizeof(text) - len, "bad%d = 1\n", i);
	len += (size_t)snprintf(text + len, sizeof(text) - len, GA GB);
	assert_int_equal(parse_len(text, len), -EINVAL);
	assert_int_equal(diag.count, CONFIG_DIAG_MAX);
	assert_int_equal(diag.dropped, 20 - CONFIG_DIAG_MAX);
	assert_int_equal(config_diag_total(&diag), 20);
	for (uint32_t i = 0; i < diag.count; i++)
		assert_int_equal(diag.msg[i].line, 2 + i);
	config_diag_format_all(&diag, all, sizeof(all));
	assert_non_null(strstr(all, "t.conf:2:1: unknown key 'bad0' in [global]; expected one of "
				    "default, "));
	assert_non_null(strstr(all, "\nt.conf: 4 more errors not shown\n"));
}

static void test_config_file_too_large(void **state)
{
	static char text[CONFIG_FILE_MAX + 1];
	char got[512];

	memset(text, '#', sizeof(text));
	assert_int_equal(parse_len(text, sizeof(text)), -EFBIG);
	assert_int_equal(diag.count, 1);
	config_diag_format(&diag, 0, got, sizeof(got));
	assert_string_equal(got, "t.conf: the file is longer than the limit of 1048576 bytes");
	/* At the limit: a (comment-only) file like any other. */
	assert_int_equal(parse_len(text, CONFIG_FILE_MAX), -EINVAL);
	config_diag_format(&diag, 0, got, sizeof(got));
	assert_string_equal(got, "t.conf: no [guest a] or [guest b] section; expected at least one "
				 "guest");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_config_minimal_defaults),
		cmocka_unit_test(test_config_whitespace_comments_crlf_bom),
		cmocka_unit_test(test_config_empty_file),
		cmocka_unit_test(test_config_key_outside_section),
		cmocka_unit_test(test_config_unknown_section),
		cmocka_unit_test(test_config_broken_section_header),
		cmocka_unit_test(test_config_duplicate_section),
		cmocka_unit_test(test_config_unknown_key),
		cmocka_unit_test(test_config_key_in_wrong_section),
		cmocka_unit_test(test_config_duplicate_key),
		cmocka_unit_test(test_config_line_without_equals),
		cmocka_unit_test(test_config_empty_value),
		cmocka_unit_test(test_config_line_too_long),
		cmocka_unit_test(test_config_nul_byte),
		cmocka_unit_test(test_config_invalid_utf8),
		cmocka_unit_test(test_config_control_characters),
		cmocka_unit_test(test_config_utf8_text_accepted),
		cmocka_unit_test(test_config_mode),
		cmocka_unit_test(test_config_mode_needs_sections),
		cmocka_unit_test(test_config_default_entry),
		cmocka_unit_test(test_config_timeout),
		cmocka_unit_test(test_config_slices),
		cmocka_unit_test(test_config_irq_policy),
		cmocka_unit_test(test_config_dma),
		cmocka_unit_test(test_config_dma_warning),
		cmocka_unit_test(test_config_log_port),
		cmocka_unit_test(test_config_rejected_global_no_cascade),
		cmocka_unit_test(test_config_all_errors_reported),
		cmocka_unit_test(test_config_file_too_large),
	};
	return cmocka_run_group_tests_name("config", tests, NULL, NULL);
}
